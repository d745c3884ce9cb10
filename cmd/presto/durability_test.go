package main

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // a second connection to the server's own database file

	"presto/internal/llm/llmtest"
	"presto/internal/modes"
	"presto/internal/pgtest"
)

// engine is a store under a running server that a test can break at the wire: the database itself
// refuses writes to a table, as a full disk or a failing volume would, until restore.
type engine struct {
	env          map[string]string // what points the server at it
	refuseWrites func(t *testing.T, table string) (restore func())
}

// sqliteEngine refuses writes with triggers in the server's own SQLite file; the server's
// connections see them at their next statement.
func sqliteEngine(t *testing.T) engine {
	dataDir := t.TempDir()
	return engine{env: map[string]string{"PRESTO_DATA_DIR": dataDir}, refuseWrites: func(t *testing.T, table string) func() {
		t.Helper()
		db, err := sql.Open("sqlite", filepath.Join(dataDir, "presto.db")+"?_pragma=busy_timeout(5000)")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		for _, op := range []string{"INSERT", "UPDATE"} {
			if _, err := db.Exec(`CREATE TRIGGER refuse_` + strings.ToLower(op) + `_` + table + ` BEFORE ` + op + ` ON ` + table +
				` BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
				t.Fatal(err)
			}
		}
		return func() {
			t.Helper()
			for _, op := range []string{"insert", "update"} {
				if _, err := db.Exec(`DROP TRIGGER refuse_` + op + `_` + table); err != nil {
					t.Fatal(err)
				}
			}
		}
	}}
}

// postgresEngine refuses writes with a trigger in the test's own schema, after killing the
// server's connections (pg_terminate_backend), so that it reconnects to a database that refuses.
func postgresEngine(t *testing.T) engine {
	// A name of its own, so that only this server's connections are killed, never those of tests
	// running beside it on the same database.
	name := "presto-durability-" + randomSuffix()
	url := pgtest.FreshSchema(t) + "&application_name=" + name
	return engine{env: map[string]string{"PRESTO_DATABASE_URL": url}, refuseWrites: func(t *testing.T, table string) func() {
		t.Helper()
		admin, err := pgx.Connect(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Close(context.Background()) })
		exec := func(q string) {
			t.Helper()
			if _, err := admin.Exec(t.Context(), q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		exec(`CREATE OR REPLACE FUNCTION refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; END $$`)
		exec(`CREATE TRIGGER refuse_write_` + table + ` BEFORE INSERT OR UPDATE ON ` + table + ` FOR EACH ROW EXECUTE FUNCTION refuse_write()`)
		exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '` + name + `' AND pid <> pg_backend_pid()`)
		return func() {
			t.Helper()
			exec(`DROP TRIGGER refuse_write_` + table + ` ON ` + table)
		}
	}}
}

// onEachEngine runs f on SQLite, and on PostgreSQL when the test database is there.
func onEachEngine(t *testing.T, f func(t *testing.T, e engine)) {
	t.Run("sqlite", func(t *testing.T) { f(t, sqliteEngine(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, postgresEngine(t)) })
}

type stateView struct {
	Mode struct {
		ID string `json:"id"`
	} `json:"mode"`
	History []struct {
		Role, Content string
	} `json:"history"`
}

func (s stateView) lines() []string {
	var out []string
	for _, h := range s.History {
		out = append(out, h.Role+": "+h.Content)
	}
	return out
}

func TestAStoreWriteFailureIsNotAcknowledged(t *testing.T) {
	onEachEngine(t, storeWriteFailureIsNotAcknowledged)
}

func storeWriteFailureIsNotAcknowledged(t *testing.T, e engine) {
	a, fake := startWithFakeAzureEnv(t, e.env)
	fake.Enqueue(llmtest.Text("First answer.", 2))
	conn, _ := dial(t, a, "?session=durable-session-1")
	chatTurn(t, conn, "first question")

	restore := e.refuseWrites(t, "sessions")
	fake.Enqueue(llmtest.Text("Second answer.", 2))
	l := chatTurn(t, conn, "second question")
	msg, retryable := chatError(t, l)
	if !strings.Contains(msg, "your message could not be saved") || !retryable {
		t.Fatalf("a turn the store refused ended with %q (retryable %v), want it said it was not saved", msg, retryable)
	}

	fake.Enqueue(llmtest.ToolCalls("", llmtest.Call{Name: "switch_mode", Arguments: `{"industry":"bank"}`}))
	l = chatTurn(t, conn, "Presto-Change-O, you're a bank")
	if slices.Contains(l.types(), "mode_switch") {
		t.Fatalf("a switch the store refused was announced: %v", compress(l.types()))
	}
	if msg, _ := chatError(t, l); !strings.Contains(msg, "the new mode could not be saved") {
		t.Fatalf("refused switch ended with %q", msg)
	}
	restore()

	// What a reload finds after a restart is what the store has: the first exchange, the home mode.
	conn.CloseNow()
	if err := a.stop(); err != nil {
		t.Fatal(err)
	}
	b := startApp(t, e.env)
	var st stateView
	getJSON(t, b.url+"/api/state?session=durable-session-1", &st)
	want := []string{"user: first question", "assistant: First answer."}
	if st.Mode.ID != modes.HomeID || !slices.Equal(st.lines(), want) {
		t.Fatalf("after recovery: mode %q history %q, want home and %q", st.Mode.ID, st.lines(), want)
	}
}

func TestACancelRightAfterTheAnswerStreamedKeepsTheExchange(t *testing.T) {
	a, fake := startWithFakeAzure(t)
	fake.Enqueue(llmtest.Stalled("Here is most of the answer", 2), llmtest.Text("Go on, then.", 1))
	conn, _ := dial(t, a, "?session=cancel-keeps-session")
	sendChat(t, conn, "explain it")
	var shown strings.Builder
	for shown.String() != "Here is most of the answer" {
		if m := readMsg(t, conn); m.Type == "chat_chunk" {
			shown.WriteString(turnLog{msgs: []wireMsg{m}}.text())
		}
	}
	writeText(t, conn, `{"type":"cancel"}`)
	if msg, _ := chatError(t, readTurn(t, conn)); msg != "Stopped." {
		t.Fatalf("cancelled turn ended with %q", msg)
	}

	var st stateView
	getJSON(t, a.url+"/api/state?session=cancel-keeps-session", &st)
	want := []string{"user: explain it", "assistant: Here is most of the answer"}
	if !slices.Equal(st.lines(), want) {
		t.Fatalf("history after the cancel %q, want %q", st.lines(), want)
	}
	chatTurn(t, conn, "and the rest?")
	msgs := fake.Requests()[1].Messages()
	if len(msgs) < 3 || msgs[len(msgs)-2]["content"] != "Here is most of the answer" {
		t.Fatalf("the next turn's request does not carry what was shown: %v", msgs)
	}
}

// waitReady polls /readyz until it answers want (it reuses an answer for a second).
func waitReady(t *testing.T, a *app, want int) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := http.Get(a.url + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == want {
			return string(body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still %d %s, want %d", resp.StatusCode, body, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestReadyzFailsWhenTheStoreCannotWrite(t *testing.T) {
	onEachEngine(t, func(t *testing.T, e engine) {
		a := startApp(t, e.env)
		waitReady(t, a, http.StatusOK)
		restore := e.refuseWrites(t, "tab_content")
		if body := waitReady(t, a, http.StatusServiceUnavailable); !strings.Contains(body, "store cannot read and write") {
			t.Fatalf("503 body %s, want the reason", body)
		}
		restore()
		waitReady(t, a, http.StatusOK)
	})
}

func TestReadyzFailsWhenTheDatabaseFileIsRemoved(t *testing.T) {
	dataDir := t.TempDir()
	a := startApp(t, map[string]string{"PRESTO_DATA_DIR": dataDir})
	waitReady(t, a, http.StatusOK)
	// Removed under the running server, the file takes every later write with it at the next start.
	if err := os.Remove(filepath.Join(dataDir, "presto.db")); err != nil {
		t.Fatal(err)
	}
	waitReady(t, a, http.StatusServiceUnavailable)
}

// startErr runs the server on dataDir and returns the error it refused to start with.
func startErr(t *testing.T, dataDir string) error {
	t.Helper()
	env := map[string]string{"PRESTO_ADDR": "127.0.0.1:0", "PRESTO_DATA_DIR": dataDir, "LOG_LEVEL": "warn"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := run(ctx, nil, func(k string) string { return env[k] }, io.Discard, testWriter{t})
	if err == nil {
		t.Fatal("the server started")
	}
	return err
}

func TestAnEmptyOrMissingDatabaseFileIsRefusedNotReplaced(t *testing.T) {
	empty := t.TempDir()
	writeFile(t, filepath.Join(empty, "presto.db"), "")
	if err := startErr(t, empty); !strings.Contains(err.Error(), "presto.db is empty (0 bytes)") ||
		!strings.Contains(err.Error(), "Restore it from a backup, or delete it") {
		t.Fatalf("0-byte database: %v, want a refusal naming the file and what to do", err)
	}
	if info, err := os.Stat(filepath.Join(empty, "presto.db")); err != nil || info.Size() != 0 {
		t.Fatalf("the empty file was touched: %v %v", info, err)
	}

	orphaned := t.TempDir()
	if err := os.MkdirAll(filepath.Join(orphaned, "images"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := startErr(t, orphaned); !strings.Contains(err.Error(), "presto.db is missing") || !strings.Contains(err.Error(), "images") {
		t.Fatalf("missing database beside images: %v, want a refusal naming the file and what is there", err)
	}
	if _, err := os.Stat(filepath.Join(orphaned, "presto.db")); !os.IsNotExist(err) {
		t.Fatalf("a fresh database was made in its place: %v", err)
	}

	// A sign-in record or a dotfile alone is a first start.
	first := t.TempDir()
	writeFile(t, filepath.Join(first, "azure-auth-browser.json"), "{}")
	writeFile(t, filepath.Join(first, ".env"), "")
	startApp(t, map[string]string{"PRESTO_DATA_DIR": first})
}
