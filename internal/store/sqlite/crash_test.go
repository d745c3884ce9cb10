package sqlite_test

import (
	"bufio"
	"bytes"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"presto/internal/message"
	"presto/internal/store"
	"presto/internal/store/sqlite"
)

// helperDBEnv tells the test binary, started again as a child, to act as TestHelperWriter.
const helperDBEnv = "PRESTO_SQLITE_HELPER_DB"

// TestHelperWriter is the child process of TestKillMidWrite, not a test of its own: it writes
// sessions as fast as it can and prints each id only after SaveSession has returned, which is
// the moment a caller treats the write as acknowledged.
func TestHelperWriter(t *testing.T) {
	path := os.Getenv(helperDBEnv)
	if path == "" {
		t.Skip("runs only as the child process of TestKillMidWrite")
	}
	ctx := t.Context()
	s, err := sqlite.Open(ctx, path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("child: Open: %v", err)
	}
	history := []message.Message{{Role: message.RoleUser, Content: strings.Repeat("x", 2000)}}
	for i := range 1_000_000 {
		id := fmt.Sprintf("kill-%07d", i)
		if err := s.SaveSession(ctx, store.Session{ID: id, ModeID: "banking", History: history}); err != nil {
			t.Fatalf("child: SaveSession: %v", err)
		}
		if _, err := fmt.Fprintf(os.Stdout, "ack %s\n", id); err != nil {
			t.Fatalf("child: write ack: %v", err)
		}
	}
}

// TestKillMidWrite kills a writing process with SIGKILL at an arbitrary point and checks that
// the database opens cleanly afterwards and holds every session the child acknowledged.
func TestKillMidWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "presto.db")
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestHelperWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperDBEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start child: %v", err)
	}

	const killAfter = 300
	var acked []string
	killed := false
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		id, ok := strings.CutPrefix(lines.Text(), "ack ")
		if !ok {
			continue
		}
		acked = append(acked, id)
		if len(acked) == killAfter && !killed {
			// The child keeps writing while we read, so the kill lands mid-transaction.
			if err := cmd.Process.Kill(); err != nil {
				t.Fatalf("kill child: %v", err)
			}
			killed = true
		}
	}
	// Acks already in the pipe when the kill landed were acknowledged too; the loop read them.
	waitErr := cmd.Wait()
	if !killed {
		t.Fatalf("child ended after %d acks before it was killed: %v\n%s", len(acked), waitErr, stderr.String())
	}
	t.Logf("child acknowledged %d sessions before SIGKILL", len(acked))

	checkIntegrity(t, path)
	s, err := sqlite.Open(t.Context(), path, testLogger(t))
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	for _, id := range acked {
		if _, err := s.GetSession(t.Context(), id); err != nil {
			t.Errorf("acknowledged session %s lost: %v", id, err)
		}
	}
}

// checkIntegrity runs SQLite's own consistency check on the file, outside our store.
func checkIntegrity(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(t.Context(), "PRAGMA integrity_check").Scan(&result); err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	if result != "ok" {
		t.Fatalf("integrity_check after kill = %q", result)
	}
}
