package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"presto/internal/llm"
	"presto/internal/llm/llmtest"
	"presto/internal/llm/offline"
	"presto/internal/modes"
	"presto/internal/pgtest"
)

// startReplicas runs two servers on one PostgreSQL schema, with extra settings env.
func startReplicas(t *testing.T, env map[string]string) (a, b *app) { return startReplicasB(t, env) }

func startReplicasB(t testing.TB, env map[string]string) (a, b *app) {
	t.Helper()
	shared := map[string]string{"PRESTO_DATABASE_URL": pgtest.FreshSchema(t), "PRESTO_PREFETCH_TABS": "false"}
	for k, v := range env {
		shared[k] = v
	}
	return startApp(t, shared), startApp(t, shared)
}

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// TestScreensOnTwoReplicasStayInStep: two sockets of one session on two replicas see the same
// turns, whichever replica runs them, and a switch on one is the mode the other answers in.
func TestScreensOnTwoReplicasStayInStep(t *testing.T) {
	a, b := startReplicas(t, nil)
	id := "?session=replicas-" + randomSuffix()
	onA, _ := dial(t, a, id)
	onB, _ := dial(t, b, id)

	sent := chatTurn(t, onA, "Presto-Change-O, you're a bank")
	seen := readTurn(t, onB)
	if !slices.Equal(raw(sent.msgs), raw(seen.msgs)) {
		t.Fatalf("the replicas' screens saw different turns:\nA %v\nB %v", raw(sent.msgs), raw(seen.msgs))
	}

	// B runs this turn, in the mode A switched to, and numbers it after A's.
	asked := chatTurn(t, onB, "how much is in my checking account?")
	if !slices.Contains(asked.types(), "tool_result") || asked.msgs[0].Turn != sent.msgs[0].Turn+1 {
		t.Fatalf("turn %d on B: %v; want turn %d in the bank mode, with a chart", asked.msgs[0].Turn, asked.types(), sent.msgs[0].Turn+1)
	}
	followed := readTurn(t, onA)
	if !slices.Equal(raw(asked.msgs), raw(followed.msgs)) {
		t.Fatalf("A did not follow B's turn:\nB %v\nA %v", raw(asked.msgs), raw(followed.msgs))
	}

	// A screen that joins on A later sees the history B's turn stored.
	_, state := dial(t, a, id)
	history, _ := state["history"].([]any)
	if len(history) < 2 {
		t.Fatalf("history on A after B's turn: %v", history)
	}

	send(t, onB, "clear_chat", map[string]any{})
	if m := readMsg(t, onA); m.Type != "chat_cleared" {
		t.Fatalf("A got %s after a clear on B, want chat_cleared", m.Type)
	}
}

// TestCancelCrossesReplicas: a stop pressed on one replica ends the turn the other runs.
func TestCancelCrossesReplicas(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Text("Your checking balance is", 2).ThenHang())
	a, b := startReplicas(t, map[string]string{"AZURE_PROJECT_ENDPOINT": fake.URL, "AZURE_API_KEY": "k"})
	id := "?session=cancel-replicas-" + randomSuffix()
	onA, _ := dial(t, a, id)
	onB, _ := dial(t, b, id)
	send(t, onA, "chat", map[string]string{"text": "how much is in my checking account?"})
	readUntil(t, onB, "chat_chunk") // B sees A's turn streaming
	send(t, onB, "cancel", map[string]any{})
	for name, c := range map[string]*websocket.Conn{"A": onA, "B": onB} {
		if msgs := readUntil(t, c, "chat_error"); !slices.ContainsFunc(msgs, func(m wireMsg) bool { return m.Type == "chat_error" && m.Turn == 1 }) {
			t.Fatalf("%s: %v", name, raw(msgs))
		}
	}
	waitCanceled(t, fake, 0)
}

// TestNewIndustryIsGeneratedOnceAcrossReplicas: eight sessions on two replicas ask at once for the
// same new industry; one generation request reaches the model and every session gets its mode.
func TestNewIndustryIsGeneratedOnceAcrossReplicas(t *testing.T) {
	industry := "lighthouse keeper " + randomSuffix()
	config, err := offline.New().Structured(context.Background(), llm.StructuredRequest{
		SchemaName: modes.ConfigSchemaName, Industry: industry})
	if err != nil {
		t.Fatal(err)
	}
	var generations, chats atomic.Int32
	fake := httptest.NewServer(llmtest.NewHandler(func(req *llmtest.Request) llmtest.Reply {
		if req.SchemaName() != "" {
			generations.Add(1)
			return llmtest.Structured(string(config)).WithFirstDelay(300 * time.Millisecond)
		}
		chats.Add(1)
		return llmtest.ToolCalls("", llmtest.Call{Name: "switch_mode", Arguments: `{"industry":"` + industry + `"}`})
	}))
	t.Cleanup(fake.Close)
	a, b := startReplicas(t, map[string]string{"AZURE_PROJECT_ENDPOINT": fake.URL, "AZURE_API_KEY": "k"})

	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		conn, _ := dial(t, []*app{a, b}[i%2], "?session=generate-once-"+randomSuffix())
		wg.Go(func() {
			l := chatTurn(t, conn, "Presto-Change-O, you're a "+industry)
			var sw struct {
				Mode struct{ ID string } `json:"mode"`
			}
			l.payload(t, "mode_switch", &sw)
			ids[i] = sw.Mode.ID
		})
	}
	wg.Wait()
	if n := generations.Load(); n != 1 {
		t.Fatalf("%d generation requests reached the model, want 1", n)
	}
	for _, id := range ids {
		if id == "" || id != ids[0] {
			t.Fatalf("sessions switched to %v, want one mode for all", ids)
		}
	}
	if n := chats.Load(); n != 8 {
		t.Fatalf("%d chat requests, want one per session", n)
	}
}
