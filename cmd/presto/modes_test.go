package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestUnusedGeneratedModesExpire: with a short PRESTO_MODE_TTL the server's own prune removes a
// generated mode no session uses, keeps the one a live session is in for as long as it is live,
// and never touches the prebuilt ones.
func TestUnusedGeneratedModesExpire(t *testing.T) {
	a := startApp(t, map[string]string{"PRESTO_MODE_TTL": "1s", "PRESTO_PREFETCH_TABS": "false"})
	live, _ := dial(t, a, "?session=stays-in-its-mode")
	chatTurn(t, live, "Presto-Change-O, you're a lighthouse keeper")
	left, _ := dial(t, a, "?session=moves-on")
	chatTurn(t, left, "Presto-Change-O, you're a beekeeper")
	chatTurn(t, left, "Presto-Change-O, you're a bank")
	left.Close(websocket.StatusNormalClosure, "")

	waitModes(t, a, []string{"lighthouse-keeper"}) // the beekeeper, unused for a second, is gone
	if !slices.Contains(allModes(t, a), "banking") {
		t.Fatal("a prebuilt mode left the list")
	}
	live.Close(websocket.StatusNormalClosure, "")
	waitModes(t, a, nil) // unused once its session left
}

// TestModesPruneCommand: `presto modes prune` removes the generated modes unused for -unused-for
// from the store a server left behind, and says which.
func TestModesPruneCommand(t *testing.T) {
	dataDir := t.TempDir()
	env := map[string]string{"PRESTO_DATA_DIR": dataDir, "PRESTO_PREFETCH_TABS": "false"}
	a := startApp(t, env)
	conn, _ := dial(t, a, "?session=prune-cli")
	chatTurn(t, conn, "Presto-Change-O, you're a beekeeper")
	time.Sleep(1500 * time.Millisecond)
	chatTurn(t, conn, "Presto-Change-O, you're a glassblower")
	conn.CloseNow()
	if err := a.stop(); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string { return env[k] }
	prune := func(age string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), []string{"modes", "prune", "-unused-for", age}, getenv, &out, testWriter{t}); err != nil {
			t.Fatalf("modes prune -unused-for %s: %v", age, err)
		}
		return out.String()
	}
	if out := prune("30d"); !strings.HasPrefix(out, "pruned 0 ") {
		t.Fatalf("pruning modes unused for 30 days, just after they were used: %q", out)
	}
	// The beekeeper was last used 1.5 s ago; the glassblower, the session's mode, just now.
	out := prune("1s")
	if !strings.HasPrefix(out, "pruned 1 ") || !strings.Contains(out, "beekeeper") {
		t.Fatalf("pruning modes unused for a second: %q, want the beekeeper only", out)
	}
	var errOut bytes.Buffer
	if err := run(context.Background(), []string{"modes", "prune", "-unused-for", "soon"}, getenv, &errOut, &errOut); err == nil || !strings.Contains(err.Error(), "-unused-for") {
		t.Fatalf("a bad -unused-for: %v", err)
	}
	b := startApp(t, env)
	if got := generatedModes(t, b); !slices.Equal(got, []string{"glassblower"}) {
		t.Fatalf("generated modes after the prune: %v, want [glassblower]", got)
	}
}

func allModes(t *testing.T, a *app) []string {
	t.Helper()
	var list struct{ Modes []struct{ ID string } }
	getJSON(t, a.url+"/api/modes", &list)
	var ids []string
	for _, m := range list.Modes {
		ids = append(ids, m.ID)
	}
	return ids
}

func waitModes(t *testing.T, a *app, want []string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := generatedModes(t, a)
		if slices.Equal(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("generated modes %v, want %v", got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
