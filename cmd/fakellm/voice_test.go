package main

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"presto/internal/llm"
	"presto/internal/llm/realtimetest"
	"presto/internal/message"
)

func TestVoiceRules(t *testing.T) {
	v := newVoice("", 0)
	t.Cleanup(v.handler.Close)
	tests := []struct {
		name       string
		turn       realtimetest.Turn
		text       string
		audioMs    int
		chunkDelay time.Duration
		call       string // "name arguments", or "" for none
	}{
		{name: "a chart", turn: realtimetest.Turn{Transcript: "Show me my checking balance"}, text: "Here it is on your screen.", audioMs: answerAudioMs,
			call: `request_visualization {"vis_type":"chart","description":"Show me my checking balance"}`},
		{name: "metrics", turn: realtimetest.Turn{Transcript: "the key metrics please"}, text: "Here are the figures.", audioMs: answerAudioMs,
			call: `request_visualization {"vis_type":"metrics","description":"the key metrics please"}`},
		{name: "a switch", turn: realtimetest.Turn{Transcript: "Presto-Change-O, you're an airline"}, text: "Presto-Change-O! One airline, coming right up.", audioMs: answerAudioMs,
			call: `switch_mode {"industry":"airline"}`},
		{name: "a switch with a company", turn: realtimetest.Turn{Transcript: "Presto change o, you're a pet store called Paws and Claws."},
			text: "Presto-Change-O! One pet store, coming right up.", audioMs: answerAudioMs, call: `switch_mode {"company_name":"Paws and Claws","industry":"pet store"}`},
		{name: "presto alone", turn: realtimetest.Turn{Transcript: "Presto!"}, text: "Presto-Change-O! Which industry should I become?", audioMs: answerAudioMs},
		{name: "a long answer", turn: realtimetest.Turn{Transcript: "Tell me a long story"}, text: longStory, audioMs: longAudioMs, chunkDelay: longChunkDelay},
		{name: "said back", turn: realtimetest.Turn{Transcript: "stop, that is enough"}, text: "You said: stop, that is enough", audioMs: answerAudioMs},
		{name: "after a switch", turn: realtimetest.Turn{Outputs: []realtimetest.FunctionOutput{{CallID: "call_switch",
			Output: "You are now the assistant of First Meridian Bank. Greet the customer in one short sentence."}}},
			text: "Welcome to First Meridian Bank! How can I help?", audioMs: answerAudioMs},
		{name: "after a visualization", turn: realtimetest.Turn{Outputs: []realtimetest.FunctionOutput{{CallID: "call_vis", Output: "It is appearing on the screen now."}}},
			text: "There it is.", audioMs: answerAudioMs},
		{name: "after a failed tool", turn: realtimetest.Turn{Outputs: []realtimetest.FunctionOutput{{CallID: "call_switch", Output: "error: busy. Say so in one sentence."}}},
			text: "Sorry, that did not work.", audioMs: answerAudioMs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := v.respond(tt.turn)
			if a.Text != tt.text || a.AudioMs != tt.audioMs || a.ChunkDelay != tt.chunkDelay {
				t.Errorf("answer %q (%d ms, chunk delay %v), want %q (%d ms, %v)", a.Text, a.AudioMs, a.ChunkDelay, tt.text, tt.audioMs, tt.chunkDelay)
			}
			var calls []string
			for _, c := range a.Calls {
				calls = append(calls, c.Name+" "+c.Arguments)
				if _, err := llm.ValidateToolCall(message.ToolCall{ID: c.CallID, Name: c.Name, Arguments: c.Arguments}); err != nil {
					t.Errorf("the fake's call is invalid: %v", err)
				}
			}
			if want := []string{tt.call}; tt.call == "" && len(calls) != 0 || tt.call != "" && !slices.Equal(calls, want) {
				t.Errorf("calls %q, want %q", calls, tt.call)
			}
		})
	}
}

// rtClient is a relay's side of one fake realtime connection.
type rtClient struct {
	t    *testing.T
	conn *websocket.Conn
}

func dialRealtime(t *testing.T, addr string) *rtClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws://"+addr+"/openai/v1/realtime?model=gpt-realtime", nil)
	if err != nil {
		t.Fatalf("dial the realtime route: %v", err)
	}
	conn.SetReadLimit(1 << 20)
	t.Cleanup(func() { conn.CloseNow() })
	return &rtClient{t: t, conn: conn}
}

func (c *rtClient) send(v map[string]any) {
	c.t.Helper()
	if err := wsjson.Write(context.Background(), c.conn, v); err != nil {
		c.t.Fatal(err)
	}
}

// append sends ms of audio: speech, or silence.
func (c *rtClient) append(ms int, speech bool) {
	c.t.Helper()
	audio := realtimetest.Silence(100)
	if speech {
		audio = realtimetest.Speech(100)
	}
	for range ms / 100 {
		c.send(map[string]any{"type": "input_audio_buffer.append", "audio": audio})
	}
}

// until reads events up to one of type typ and returns it.
func (c *rtClient) until(typ string) map[string]any {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		var ev map[string]any
		if err := wsjson.Read(ctx, c.conn, &ev); err != nil {
			c.t.Fatalf("reading up to %s: %v", typ, err)
		}
		if ev["type"] == typ {
			return ev
		}
	}
}

type realtimeStats struct {
	Attempts    int
	Connects    int
	Connections []struct {
		Open        bool
		Appends     int
		Utterances  int
		Responses   int
		Transcripts []string
		Truncates   []struct {
			ItemID     string `json:"item_id"`
			AudioEndMs int    `json:"audio_end_ms"`
			SentMs     int    `json:"sent_ms"`
			Accepted   bool
		}
	}
}

func getRealtimeStats(t *testing.T, addr string) realtimeStats {
	t.Helper()
	res, err := http.Get("http://" + addr + "/realtime/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /realtime/stats: %s %s", res.Status, res.Header.Get("Content-Type"))
	}
	var s realtimeStats
	if err := json.NewDecoder(res.Body).Decode(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestVoiceTranscriptsDropAndStats: the scripted transcripts go on across a dropped connection,
// and the stats record each connection's appends, utterances, responses and truncates.
func TestVoiceTranscriptsDropAndStats(t *testing.T) {
	addr, _ := startFakeWith(t, 0, "-voice-transcripts", "tell me a long story| hello again ")
	if s := getRealtimeStats(t, addr); s.Connects != 0 || len(s.Connections) != 0 {
		t.Fatalf("stats before any connection: %+v", s)
	}
	c := dialRealtime(t, addr)
	c.append(300, true)
	c.append(500, false)
	if got := c.until("conversation.item.input_audio_transcription.completed")["transcript"]; got != "tell me a long story" {
		t.Errorf("first transcript %q", got)
	}
	// The long answer is still streaming when the user speaks over it: a barge-in, then the
	// relay's truncate to what was "played".
	item := c.until("response.output_audio.delta")["item_id"].(string)
	c.until("response.output_audio.delta")
	c.append(100, true)
	c.until("input_audio_buffer.speech_started")
	if st := c.until("response.done")["response"].(map[string]any)["status"]; st != "cancelled" {
		t.Errorf("the long answer ended %v, want cancelled by the barge-in", st)
	}
	c.send(map[string]any{"type": "conversation.item.truncate", "item_id": item, "content_index": 0, "audio_end_ms": 150})
	c.until("conversation.item.truncated")
	c.append(500, false)
	if got := c.until("conversation.item.input_audio_transcription.completed")["transcript"]; got != "hello again" {
		t.Errorf("second transcript %q", got)
	}
	c.until("response.done")

	res, err := http.Post("http://"+addr+"/realtime/drop", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	var dropped map[string]int
	_ = json.NewDecoder(res.Body).Decode(&dropped)
	res.Body.Close()
	if dropped["dropped"] != 1 {
		t.Errorf("POST /realtime/drop answered %v", dropped)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		if _, _, err := c.conn.Read(ctx); err != nil {
			if websocket.CloseStatus(err) != websocket.StatusGoingAway {
				t.Fatalf("the dropped connection ended with %v, want close 1001", err)
			}
			break
		}
	}

	// The connection that replaces it hears the third utterance, beyond the list.
	c2 := dialRealtime(t, addr)
	c2.append(200, true)
	c2.append(500, false)
	if got := c2.until("conversation.item.input_audio_transcription.completed")["transcript"]; got != "utterance 3" {
		t.Errorf("third transcript %q", got)
	}
	c2.until("response.done")

	s := getRealtimeStats(t, addr)
	if s.Attempts != 2 || s.Connects != 2 || len(s.Connections) != 2 {
		t.Fatalf("stats %+v", s)
	}
	first, second := s.Connections[0], s.Connections[1]
	if first.Open || first.Appends != 3+5+1+5 || first.Utterances != 2 || first.Responses != 2 ||
		!slices.Equal(first.Transcripts, []string{"tell me a long story", "hello again"}) {
		t.Errorf("first connection %+v", first)
	}
	if tr := first.Truncates; len(tr) != 1 || tr[0].ItemID != item || tr[0].AudioEndMs != 150 || !tr[0].Accepted || tr[0].SentMs < 200 {
		t.Errorf("truncates %+v", tr)
	}
	if !second.Open || second.Appends != 7 || second.Utterances != 1 || second.Responses != 1 || len(second.Truncates) != 0 {
		t.Errorf("second connection %+v", second)
	}
}

func TestVoiceSpeechLevelFlag(t *testing.T) {
	addr, _ := startFakeWith(t, 0, "-voice-speech-level", "500")
	c := dialRealtime(t, addr)
	faint := make([]int16, 2400) // 100 ms at ±100
	for i := range faint {
		faint[i] = 100 - int16(i%2)*200
	}
	for range 10 {
		c.send(map[string]any{"type": "input_audio_buffer.append", "audio": realtimetest.PCM(faint)})
	}
	c.append(100, true)
	if ev := c.until("input_audio_buffer.speech_started"); ev["audio_start_ms"] != float64(1000) {
		t.Errorf("speech started at %v ms, want 1000: the faint second counted as speech", ev["audio_start_ms"])
	}
}

// TestForcedVisualization: the server draws what the voice asked for with the tool forced; the
// fake answers with that call alone.
func TestForcedVisualization(t *testing.T) {
	p := startFake(t)
	draw := func(tool, system, description string) result {
		t.Helper()
		var offer []llm.Tool
		for _, tl := range llm.DashboardTools() {
			if tl.Name == tool {
				offer = append(offer, tl)
			}
		}
		var r result
		r.err = p.Stream(context.Background(), llm.Request{For: llm.ForVisualization, System: system, Tools: offer, ForceTool: tool,
			Messages: []message.Message{{Role: message.RoleUser, Content: "Show this on the dashboard now, from the customer's exact values: " + description}}},
			func(e llm.Event) error {
				r.text += e.Text
				if e.ToolCall != nil {
					r.calls = append(r.calls, *e.ToolCall)
				}
				return nil
			})
		if r.err != nil || r.text != "" || len(r.calls) != 1 || r.calls[0].Name != tool {
			t.Fatalf("forced %s: text %q, calls %+v, err %v", tool, r.text, r.calls, r.err)
		}
		return r
	}
	args := func(r result) any {
		t.Helper()
		a, err := llm.ValidateToolCall(r.calls[0])
		if err != nil {
			t.Fatalf("invalid forced call: %v", err)
		}
		return a
	}

	system := "Checking account ••••4821: balance $980.00; month-end balances: Jan 900.00, Feb 950.50, Mar 980.00"
	c := args(draw(llm.ToolShowChart, system, "show me my checking balance")).(*llm.ChartArgs)
	want := []llm.ChartPoint{{Label: "Jan", Value: 900}, {Label: "Feb", Value: 950.5}, {Label: "Mar", Value: 980}}
	if c.ChartType != "line" || c.Title != "Checking balance" || !slices.Equal(c.Data, want) {
		t.Errorf("checking chart %+v", c)
	}
	if c := args(draw(llm.ToolShowChart, "", "spending by category")).(*llm.ChartArgs); c.ChartType != "bar" || c.Title != "Spending by category" || len(c.Data) != 4 {
		t.Errorf("other chart %+v", c)
	}
	if m := args(draw(llm.ToolShowMetrics, "", "the key figures")).(*llm.MetricsArgs); len(m.Metrics) != 3 {
		t.Errorf("metrics %+v", m)
	}
}
