package openaillm

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"presto/internal/llm"
	"presto/internal/llm/llmtest"
)

const chartArgs = `{"chart_type":"line","title":"Checking balance","data":[{"label":"May","value":4100.5},{"label":"Jun","value":4250.18}]}`

func TestStreamEvents(t *testing.T) {
	trimmed := llmtest.Text("Hello there", 2)
	trimmed.Events = trimmed.Events[:len(trimmed.Events)-2] // no finish chunk, no usage
	trimmed.NoDone = true

	tests := []struct {
		name  string
		reply llmtest.Reply
		want  []llm.Event
	}{
		{
			name:  "text in chunks",
			reply: llmtest.Text("Your balance is $4,250.18.", 3),
			want:  []llm.Event{text("Your bal"), text("ance is $"), text("4,250.18."), done("stop", 3)},
		},
		{
			name:  "azure filter chunks are skipped",
			reply: llmtest.Text("Hi there", 2).WithAzureFilters(),
			want:  []llm.Event{text("Hi t"), text("here"), done("stop", 2)},
		},
		{
			name: "tool calls split over chunks come after the text",
			reply: llmtest.ToolCalls("Here is your balance.",
				llmtest.Call{ID: "call_a", Name: llm.ToolShowChart, Arguments: chartArgs, Parts: 5},
				llmtest.Call{ID: "call_b", Name: llm.ToolShowMetrics, Arguments: `{"metrics":[{"label":"Checking","value":"4,250.18","unit":"USD"}]}`, Parts: 3}),
			want: []llm.Event{
				text("Here is your balance."),
				call("call_a", llm.ToolShowChart, chartArgs),
				call("call_b", llm.ToolShowMetrics, `{"metrics":[{"label":"Checking","value":"4,250.18","unit":"USD"}]}`),
				done("tool_calls", 11),
			},
		},
		{
			name: "parallel calls at index 0 stay separate",
			reply: llmtest.ParallelAtIndexZero(
				llmtest.Call{ID: "call_1", Name: llm.ToolSwitchMode, Arguments: `{"industry":"bank"}`},
				llmtest.Call{ID: "call_2", Name: llm.ToolShowChart, Arguments: chartArgs}),
			want: []llm.Event{
				call("call_1", llm.ToolSwitchMode, `{"industry":"bank"}`),
				call("call_2", llm.ToolShowChart, chartArgs),
				done("tool_calls", 2),
			},
		},
		{
			name:  "broken tool JSON is passed on for validation",
			reply: llmtest.BrokenToolJSON(llm.ToolShowChart),
			want:  []llm.Event{call("call_0", llm.ToolShowChart, `{"chart_type": "line", "title": "Bal`), done("tool_calls", 3)},
		},
		{
			name:  "azure tool call",
			reply: llmtest.ToolCalls("", llmtest.Call{Name: llm.ToolSwitchMode, Arguments: `{"industry":"pet store","company_name":"Paws & Claws"}`, Parts: 4}).WithAzureFilters(),
			want:  []llm.Event{call("call_0", llm.ToolSwitchMode, `{"industry":"pet store","company_name":"Paws & Claws"}`), done("tool_calls", 5)},
		},
		{
			name:  "stream ending without finish reason still ends the turn",
			reply: trimmed,
			want:  []llm.Event{text("Hello"), text(" there"), {Done: &llm.Done{}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := llmtest.NewServer(t)
			fake.Enqueue(tt.reply)
			got, err := collect(context.Background(), newProvider(t, fake), chatRequest)
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("events:\n got %s\nwant %s", describe(got), describe(tt.want))
			}
		})
	}
}

func TestStreamCutMidway(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Text("Hello there, friend", 3).CutAfter(3))
	got, err := collect(context.Background(), newProvider(t, fake), chatRequest)
	want := []llm.Event{text("Hello "), text("there,")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events: got %s, want %s", describe(got), describe(want))
	}
	e := asLLMError(t, err)
	if e.Kind != llm.KindUnavailable || !e.Retryable {
		t.Errorf("error = %+v, want unavailable and retryable", e)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("%d requests, want 1: a stream that started is never retried", n)
	}
}

func TestStreamCancel(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Stalled("Hello", 1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []llm.Event
	err := newProvider(t, fake).Stream(ctx, chatRequest, func(e llm.Event) error {
		got = append(got, e)
		cancel() // the user sent a new message
		return nil
	})
	if e := asLLMError(t, err); e.Kind != llm.KindCanceled || e.Retryable {
		t.Errorf("error = %+v, want canceled, not retryable", e)
	}
	if !reflect.DeepEqual(got, []llm.Event{text("Hello")}) {
		t.Errorf("events = %s", describe(got))
	}
	waitCanceled(t, fake.Requests()[0])
}

func TestStreamEmitErrorStopsUpstream(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Stalled("Hello", 1))
	errSocketGone := errors.New("socket gone")
	err := newProvider(t, fake).Stream(context.Background(), chatRequest, func(llm.Event) error { return errSocketGone })
	if !errors.Is(err, errSocketGone) {
		t.Fatalf("Stream = %v, want emit's error", err)
	}
	waitCanceled(t, fake.Requests()[0])
}

func TestStreamTimeout(t *testing.T) {
	fake := llmtest.NewServer(t)
	fake.Enqueue(llmtest.Stalled("Hel", 1))
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	_, err := collect(ctx, newProvider(t, fake), chatRequest)
	if e := asLLMError(t, err); e.Kind != llm.KindTimeout || !e.Retryable {
		t.Errorf("error = %+v, want timeout, retryable", e)
	}
	if elapsed := time.Since(start); elapsed < 150*time.Millisecond || elapsed > 5*time.Second {
		t.Errorf("returned after %v, want about 150ms", elapsed)
	}
	waitCanceled(t, fake.Requests()[0])
}

func waitCanceled(t *testing.T, r *llmtest.Request) {
	t.Helper()
	select {
	case <-r.Canceled():
	case <-time.After(5 * time.Second):
		t.Fatal("the fake server never saw the upstream request cancelled")
	}
}

func asLLMError(t *testing.T, err error) *llm.Error {
	t.Helper()
	var e *llm.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *llm.Error", err, err)
	}
	return e
}

func describe(events []llm.Event) string {
	s := "["
	for i, e := range events {
		if i > 0 {
			s += ", "
		}
		switch {
		case e.ToolCall != nil:
			s += "call(" + e.ToolCall.ID + " " + e.ToolCall.Name + " " + e.ToolCall.Arguments + ")"
		case e.Done != nil:
			s += "done(" + e.Done.FinishReason
			if e.Done.Usage != nil {
				s += " usage"
			}
			s += ")"
		default:
			s += "text(" + e.Text + ")"
		}
	}
	return s + "]"
}
