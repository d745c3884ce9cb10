package chat

import (
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"presto/internal/budget"
	"presto/internal/llm"
	"presto/internal/llm/llmtest"
	"presto/internal/llm/offline"
	"presto/internal/llm/openaillm"
	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/store"
	"presto/internal/store/sqlite"
)

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "presto.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// testAddr is the client address the tests' requests come from.
var testAddr = netip.MustParseAddr("192.0.2.1")

// unlimited is a budget these tests never reach; the budgets are tested at the wire in cmd/presto.
func unlimited() *budget.Budget {
	return budget.New(budget.Limits{ChatsPerSession: 1000, CallsPerAddress: 1000, SessionsPerAddress: 1000, ModesPerAddress: 1000, Calls: 1000},
		budget.NewMemory(), nil)
}

func fakeProvider(t *testing.T) (llm.Provider, *llmtest.Server) {
	fake := llmtest.NewServer(t)
	client := openai.NewClient(option.WithBaseURL(fake.URL+"/v1/"), option.WithAPIKey("k"))
	return openaillm.New(client, "m", "openai", slog.New(slog.DiscardHandler), openaillm.WithMaxRetries(0)), fake
}

func TestResolve(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	c := NewCatalog(offline.New(), st, nil, unlimited(), slog.New(slog.DiscardHandler))
	tests := []struct {
		industry, company string
		wantID, wantCo    string
	}{
		{"bank", "", "banking", "Summit Trust Bank"},
		{"my credit union", "", "banking", "Summit Trust Bank"},
		{"bank", "Wells Fargo", "banking-wells-fargo", "Wells Fargo"},
		{"hospital", "", "healthcare", ""},
		{"presto", "", "presto", ""},
		{"pet store", "Paws and Claws", "pet-store", "Paws and Claws"},
		{"pet store", "", "pet-store", "Paws and Claws"}, // reused, not generated again
		{"pet store", "Presto Pets", "pet-store-pets", "Pets"},
	}
	for _, tt := range tests {
		m, err := c.Resolve(ctx, tt.industry, tt.company, testAddr)
		if err != nil {
			t.Fatalf("Resolve(%q, %q): %v", tt.industry, tt.company, err)
		}
		if m.ID != tt.wantID || (tt.wantCo != "" && m.CompanyName != tt.wantCo) {
			t.Fatalf("Resolve(%q, %q) = %s %q; want %s %q", tt.industry, tt.company, m.ID, m.CompanyName, tt.wantID, tt.wantCo)
		}
		if got, err := c.Get(ctx, m.ID); err != nil || got.CompanyName != m.CompanyName {
			t.Fatalf("Get(%q) after Resolve = %q, %v", m.ID, got.CompanyName, err)
		}
	}
}

func TestGenerationFailureKeepsTheModeAndSaysSo(t *testing.T) {
	p, fake := fakeProvider(t)
	fake.Enqueue(llmtest.Structured(`{"industry_name": "Airline"`)) // cut JSON
	c := NewCatalog(p, openStore(t), nil, unlimited(), slog.New(slog.DiscardHandler))
	_, err := c.Resolve(context.Background(), "airline", "", testAddr)
	var userErr *UserError
	if !errors.As(err, &userErr) || !userErr.Retryable || userErr.Message == "" {
		t.Fatalf("err = %v, want a retryable UserError", err)
	}
	if _, err := c.Get(context.Background(), "airline"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a failed generation stored a mode: %v", err)
	}
}

func TestConcurrentRequestsGenerateOnce(t *testing.T) {
	p, fake := fakeProvider(t)
	// A valid mode_config answer, made by the offline provider, served once and slowly.
	config, err := offline.New().Structured(context.Background(), llm.StructuredRequest{
		SchemaName: modes.ConfigSchemaName, Industry: "bakery"})
	if err != nil {
		t.Fatal(err)
	}
	fake.Enqueue(llmtest.Structured(string(config)).WithFirstDelay(200 * time.Millisecond))
	c := NewCatalog(p, openStore(t), nil, unlimited(), slog.New(slog.DiscardHandler))
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := c.Resolve(context.Background(), "bakery", "", testAddr)
			if err != nil {
				t.Error(err)
			}
			got[i] = m.ID + "/" + m.CompanyName
		}()
	}
	wg.Wait()
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("%d generation requests for 8 concurrent switches to one industry, want 1", n)
	}
	for _, g := range got {
		if g != got[0] || g == "/" {
			t.Fatalf("concurrent resolves disagree: %v", got)
		}
	}
}

func TestBoundHistoryStartsAtAUserMessage(t *testing.T) {
	var h []message.Message
	for i := 0; i < 10; i++ {
		h = append(h,
			message.Message{Role: message.RoleUser, Content: "q"},
			message.Message{Role: message.RoleAssistant, ToolCalls: []message.ToolCall{{ID: "c"}}},
			message.Message{Role: message.RoleTool, ToolCallID: "c"})
	}
	got := boundHistory(h, 20)
	if len(got) > 20 || got[0].Role != message.RoleUser {
		t.Fatalf("bounded history has %d messages starting with %s", len(got), got[0].Role)
	}
	if len(got) != 18 {
		t.Fatalf("kept %d messages, want the last 6 whole turns (18)", len(got))
	}
}

func TestResponseCacheExpiresAndEvicts(t *testing.T) {
	now := time.Unix(0, 0)
	c := newResponseCache(5*time.Minute, 2)
	c.now = func() time.Time { return now }
	c.put(cacheKey("s", "banking", "How much is in checking?"), cachedTurn{text: "a"})
	if v, ok := c.get(cacheKey("s", "banking", "how much is in   checking")); !ok || v.text != "a" {
		t.Fatal("normalised question missed the cache")
	}
	if _, ok := c.get(cacheKey("other-session", "banking", "how much is in checking")); ok {
		t.Fatal("another session hit this session's cache entry")
	}
	now = now.Add(5*time.Minute + time.Second)
	if _, ok := c.get(cacheKey("s", "banking", "how much is in checking")); ok {
		t.Fatal("entry outlived its 5 minutes")
	}
	c.put("a", cachedTurn{})
	c.put("b", cachedTurn{})
	c.get("a")
	c.put("c", cachedTurn{})
	if _, ok := c.get("b"); ok {
		t.Fatal("the least recently used entry was not evicted")
	}
	if _, ok := c.get("a"); !ok {
		t.Fatal("a recently used entry was evicted")
	}
}
