package main

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// TestSessionsSurviveRestartAndStayApart: two sessions in different modes never see each other's
// state, and a restart on the same data directory restores modes, personas and generated modes.
func TestSessionsSurviveRestartAndStayApart(t *testing.T) {
	dataDir := t.TempDir()
	env := map[string]string{"PRESTO_DATA_DIR": dataDir}
	a := startApp(t, env)

	bank, _ := dial(t, a, "?session=session-bank-1")
	pets, _ := dial(t, a, "?session=session-pets-1")
	chatTurn(t, bank, "Presto-Change-O, you're a bank")
	l := chatTurn(t, pets, "Presto-Change-O, you're a pet store called Paws and Claws")
	var sw struct {
		Mode struct {
			ID          string `json:"id"`
			CompanyName string `json:"company_name"`
		} `json:"mode"`
	}
	l.payload(t, "mode_switch", &sw)
	if sw.Mode.CompanyName != "Paws and Claws" {
		t.Fatalf("generated mode company %q, want the user's name", sw.Mode.CompanyName)
	}
	chatTurn(t, bank, "how much is in my checking account?")

	type state struct {
		Mode    map[string]any `json:"mode"`
		Persona map[string]any `json:"persona"`
		History []struct {
			Role, Content string
		} `json:"history"`
	}
	var bankBefore, petsBefore state
	getJSON(t, a.url+"/api/state?session=session-bank-1", &bankBefore)
	getJSON(t, a.url+"/api/state?session=session-pets-1", &petsBefore)
	if bankBefore.Mode["id"] != "banking" || petsBefore.Mode["id"] != sw.Mode.ID {
		t.Fatalf("modes %v / %v", bankBefore.Mode["id"], petsBefore.Mode["id"])
	}
	if reflect.DeepEqual(bankBefore.Persona, petsBefore.Persona) {
		t.Fatal("two sessions share a persona")
	}
	for _, h := range petsBefore.History {
		if strings.Contains(strings.ToLower(h.Content), "checking") {
			t.Fatalf("the pet store session sees the bank session's message %q", h.Content)
		}
	}
	if len(bankBefore.History) < 2 {
		t.Fatalf("bank history %v, want the question and its answer", bankBefore.History)
	}

	if err := a.stop(); err != nil {
		t.Fatal(err)
	}
	b := startApp(t, env)
	var bankAfter, petsAfter state
	getJSON(t, b.url+"/api/state?session=session-bank-1", &bankAfter)
	getJSON(t, b.url+"/api/state?session=session-pets-1", &petsAfter)
	if !reflect.DeepEqual(bankBefore, bankAfter) || !reflect.DeepEqual(petsBefore, petsAfter) {
		t.Fatalf("state changed across a restart:\nbefore %+v\nafter  %+v", bankBefore, bankAfter)
	}
	var list struct {
		Modes []struct {
			ID       string `json:"id"`
			Prebuilt bool   `json:"prebuilt"`
		} `json:"modes"`
	}
	getJSON(t, b.url+"/api/modes", &list)
	found := false
	for _, m := range list.Modes {
		found = found || (m.ID == sw.Mode.ID && !m.Prebuilt)
	}
	if !found {
		t.Fatalf("generated mode %q missing from /api/modes after a restart: %+v", sw.Mode.ID, list.Modes)
	}
	// A reconnect restores the session in the socket's first message too.
	_, session := dial(t, b, "?session=session-pets-1")
	if session["mode"].(map[string]any)["id"] != sw.Mode.ID || !reflect.DeepEqual(session["persona"], petsBefore.Persona) {
		t.Fatal("the session message after a restart does not restore mode and persona")
	}
}

// TestTurnNumbersGoOnAfterARestart: turn numbers are kept with the session, so a screen that kept
// its page across a restart (or a replica that opens the session later) never sees them go back.
func TestTurnNumbersGoOnAfterARestart(t *testing.T) {
	env := map[string]string{"PRESTO_DATA_DIR": t.TempDir(), "PRESTO_PREFETCH_TABS": "false"}
	a := startApp(t, env)
	conn, _ := dial(t, a, "?session=turns-go-on-1")
	chatTurn(t, conn, "hello")
	chatTurn(t, conn, "Presto-Change-O, you're a bank")
	if err := a.stop(); err != nil {
		t.Fatal(err)
	}
	b := startApp(t, env)
	conn, _ = dial(t, b, "?session=turns-go-on-1")
	if l := chatTurn(t, conn, "how much is in my checking account?"); l.msgs[0].Turn != 3 {
		t.Fatalf("the first turn after the restart is %d, want 3", l.msgs[0].Turn)
	}
}
