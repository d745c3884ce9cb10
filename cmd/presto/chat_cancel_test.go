package main

import (
	"testing"
	"time"

	"presto/internal/llm/llmtest"
)

// waitRequest waits until the fake has received request i.
func waitRequest(t *testing.T, fake *llmtest.Server, i int) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for len(fake.Requests()) <= i {
		select {
		case <-deadline:
			t.Fatalf("request %d never arrived", i)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// waitCanceled fails unless the fake saw request i cancelled by the client.
func waitCanceled(t *testing.T, fake *llmtest.Server, i int) {
	t.Helper()
	waitRequest(t, fake, i)
	deadline := time.After(5 * time.Second)
	select {
	case <-fake.Requests()[i].Canceled():
	case <-deadline:
		t.Fatalf("the upstream stream of request %d was not cancelled (an orphan LLM stream)", i)
	}
}

func TestCancelStopsTheUpstreamStream(t *testing.T) {
	a, fake := startWithFakeAzure(t)
	fake.Enqueue(llmtest.Text("This goes on and on", 4).ThenHang())
	conn, _ := dial(t, a, "")
	writeText(t, conn, `{"type":"chat","payload":{"text":"tell me a long story"}}`)
	if m := readMsg(t, conn); m.Type != "chat_start" {
		t.Fatalf("got %s, want chat_start", m.Type)
	}
	waitRequest(t, fake, 0)
	writeText(t, conn, `{"type":"cancel"}`)
	waitCanceled(t, fake, 0)
	for {
		m := readMsg(t, conn)
		if m.Type == "chat_error" {
			break
		}
		if m.Type != "chat_chunk" {
			t.Fatalf("got %s before the turn's end", m.Type)
		}
	}
}

func TestNewMessageCancelsTheTurnInFlight(t *testing.T) {
	a, fake := startWithFakeAzure(t)
	fake.Enqueue(llmtest.Text("First answer that hangs", 2).ThenHang(), llmtest.Text("Second answer.", 2))
	conn, _ := dial(t, a, "")
	writeText(t, conn, `{"type":"chat","payload":{"text":"first"}}`)
	if m := readMsg(t, conn); m.Type != "chat_start" || m.Turn != 1 {
		t.Fatalf("got %s turn %d", m.Type, m.Turn)
	}
	waitRequest(t, fake, 0)
	writeText(t, conn, `{"type":"chat","payload":{"text":"second"}}`)
	waitCanceled(t, fake, 0)
	// Messages of turn 1 may still arrive; the client drops them by turn number. Turn 2 must be whole.
	for {
		m := readMsg(t, conn)
		if m.Turn == 2 {
			if m.Type != "chat_start" {
				t.Fatalf("turn 2 began with %s", m.Type)
			}
			break
		}
	}
	l := readTurn(t, conn)
	if l.text() != "Second answer." {
		t.Fatalf("turn 2 text %q", l.text())
	}
}

func TestClosingTheSocketCancelsTheUpstreamStream(t *testing.T) {
	a, fake := startWithFakeAzure(t)
	fake.Enqueue(llmtest.Text("Hanging", 2).ThenHang())
	conn, _ := dial(t, a, "")
	writeText(t, conn, `{"type":"chat","payload":{"text":"hello"}}`)
	readMsg(t, conn)
	waitRequest(t, fake, 0)
	conn.CloseNow()
	waitCanceled(t, fake, 0)
}

func TestOfflineDemoWithNoConfiguration(t *testing.T) {
	a := startApp(t, nil)
	conn, _ := dial(t, a, "")
	l := chatTurn(t, conn, "Presto-Change-O, you're a bank")
	var sw struct {
		Mode struct {
			ID string `json:"id"`
		} `json:"mode"`
		Persona struct {
			Banking struct {
				Checking struct {
					Balance float64 `json:"balance"`
				} `json:"checking"`
			} `json:"banking"`
		} `json:"persona"`
	}
	l.payload(t, "mode_switch", &sw)
	if sw.Mode.ID != "banking" || sw.Persona.Banking.Checking.Balance <= 0 {
		t.Fatalf("switch %+v, want banking with a checking balance", sw)
	}
	l = chatTurn(t, conn, "how much is in my checking account?")
	var chart struct {
		Tool   string `json:"tool"`
		Result struct {
			Data []struct {
				Value float64 `json:"value"`
			} `json:"data"`
		} `json:"result"`
	}
	l.payload(t, "tool_result", &chart)
	if chart.Tool != "show_chart" || len(chart.Result.Data) == 0 {
		t.Fatalf("no chart: %+v", chart)
	}
	if last := chart.Result.Data[len(chart.Result.Data)-1].Value; last != sw.Persona.Banking.Checking.Balance {
		t.Fatalf("chart ends at %v, persona's checking balance is %v", last, sw.Persona.Banking.Checking.Balance)
	}
}
