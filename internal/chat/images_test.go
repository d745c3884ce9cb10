package chat

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"presto/internal/modes"
)

func TestImageMakerStoresTheImageAndTheMode(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\nan image")
	var asked map[string]any
	var calls atomic.Int32
	images := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/images/generations" {
			http.NotFound(w, r)
			return
		}
		calls.Add(1)
		_ = json.NewDecoder(r.Body).Decode(&asked)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"created": 1, "data": []any{map[string]string{"b64_json": base64.StdEncoding.EncodeToString(png)}}})
	}))
	defer images.Close()
	client := openai.NewClient(option.WithBaseURL(images.URL+"/v1/"), option.WithAPIKey("k"))
	st := openStore(t)
	dir := t.TempDir()
	maker := NewImageMaker(OpenAIImages(client, "gpt-image-1"), dir, st, slog.New(slog.DiscardHandler))

	m := modes.Banking()
	m.ID, m.Prebuilt = "airline", false
	if err := st.SaveMode(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	maker.Start(m)
	maker.Wait()

	got, err := os.ReadFile(filepath.Join(dir, "airline.png"))
	if err != nil || !bytes.Equal(got, png) {
		t.Fatalf("image file: %v %q", err, got)
	}
	stored, err := st.GetMode(context.Background(), "airline")
	if err != nil || stored.BackgroundImage != "/images/airline.png" {
		t.Fatalf("stored mode image %q, %v", stored.BackgroundImage, err)
	}
	if asked["model"] != "gpt-image-1" || asked["response_format"] != nil {
		t.Fatalf("image request %v: want the deployment as model and no response_format", asked)
	}

	// A mode that has its image is never drawn again.
	maker.Start(stored)
	maker.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("%d image requests, want 1", n)
	}
}
