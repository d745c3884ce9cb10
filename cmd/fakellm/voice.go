package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"presto/internal/llm"
	"presto/internal/llm/realtimetest"
)

// Spoken answers: how long their audio is, and how the long one streams.
const (
	answerAudioMs = 1000
	longAudioMs   = 6000
	// longChunkDelay paces the long answer's 100 ms chunks: a little faster than real time, as an
	// upstream sends, yet still streaming for seconds, so that the user can speak over it while
	// the fake has sent more than the browser has played.
	longChunkDelay = 80 * time.Millisecond
)

// longStory is the long answer's text.
const longStory = "Once upon a time a small bank opened in a quiet town. Every morning its clerk counted the coins, " +
	"polished the counter and wrote the day's rates on a slate by the door. One winter the river froze, " +
	"and the whole town came in to warm their hands and talk about the price of bread."

// voice is fakellm's realtime side: the transcripts it "hears" and the answers it gives, by rules
// on the transcript (see respond).
type voice struct {
	transcripts []string
	heard       atomic.Int64 // utterances heard, over every connection
	handler     *realtimetest.Handler
}

func newVoice(transcripts string, speechLevel float64) *voice {
	v := &voice{}
	if transcripts != "" {
		v.transcripts = strings.Split(transcripts, "|")
	}
	v.handler = realtimetest.NewHandler(realtimetest.Options{Respond: v.respond, Transcribe: v.transcribe, SpeechLevel: speechLevel})
	return v
}

// transcribe gives the n-th utterance heard since the start, counted over every connection (not
// the connection's own count), so a connection that replaces a dropped one hears the next line.
func (v *voice) transcribe(_, _ int) string {
	n := int(v.heard.Add(1))
	if n <= len(v.transcripts) {
		return strings.TrimSpace(v.transcripts[n-1])
	}
	return fmt.Sprintf("utterance %d", n)
}

// respond answers one turn, first match wins:
//
//  1. no transcript, after function outputs → a sentence that follows the tool: a welcome naming
//     the company after a switch, "There it is" after a visualization;
//  2. "presto" with "you're a X" (as in the chat rules) → a sentence and switch_mode {industry: X,
//     company_name after "called"};
//  3. "long" → a story of 6 s of audio, paced by longChunkDelay;
//  4. "chart", "balance", "checking" or "metric" → a sentence and request_visualization {vis_type:
//     "metrics" when it says metric, else "chart"; description: the transcript};
//  5. anything else → the transcript said back (realtimetest.DefaultAnswer's words).
func (v *voice) respond(turn realtimetest.Turn) realtimetest.Answer {
	lower := strings.ToLower(turn.Transcript)
	switch {
	case turn.Transcript == "" && len(turn.Outputs) > 0:
		return realtimetest.Answer{Text: afterTool(turn.Outputs), AudioMs: answerAudioMs}
	case strings.Contains(lower, "presto"):
		industry, company := parsePresto(turn.Transcript)
		if industry == "" {
			return realtimetest.Answer{Text: "Presto-Change-O! Which industry should I become?", AudioMs: answerAudioMs}
		}
		args := map[string]string{"industry": industry}
		if company != "" {
			args["company_name"] = company
		}
		b, _ := json.Marshal(args) // a map of strings always marshals
		return realtimetest.Answer{Text: "Presto-Change-O! One " + industry + ", coming right up.", AudioMs: answerAudioMs,
			Calls: []realtimetest.Call{{CallID: "call_switch", Name: llm.ToolSwitchMode, Arguments: string(b)}}}
	case strings.Contains(lower, "long"):
		return realtimetest.Answer{Text: longStory, AudioMs: longAudioMs, ChunkDelay: longChunkDelay}
	case containsAny(lower, "chart", "balance", "checking", "metric"):
		visType, text := "chart", "Here it is on your screen."
		if strings.Contains(lower, "metric") {
			visType, text = "metrics", "Here are the figures."
		}
		b, _ := json.Marshal(llm.RequestVisualizationArgs{VisType: visType, Description: turn.Transcript})
		return realtimetest.Answer{Text: text, AudioMs: answerAudioMs,
			Calls: []realtimetest.Call{{CallID: "call_vis", Name: llm.ToolRequestVisualization, Arguments: string(b)}}}
	}
	a := realtimetest.DefaultAnswer(turn)
	a.AudioMs = answerAudioMs
	return a
}

// afterTool is the sentence after a response's function calls: the relay's output for a switch
// names the new company ("You are now the assistant of X. …").
func afterTool(outputs []realtimetest.FunctionOutput) string {
	for _, o := range outputs {
		if rest, ok := strings.CutPrefix(o.Output, "You are now the assistant of "); ok {
			company, _, _ := strings.Cut(rest, ". ")
			return "Welcome to " + strings.TrimSuffix(company, ".") + "! How can I help?"
		}
		if strings.HasPrefix(o.Output, "error: ") {
			return "Sorry, that did not work."
		}
	}
	return "There it is."
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// connStats is one realtime connection in GET /realtime/stats.
type connStats struct {
	Open        bool            `json:"open"`
	Appends     int             `json:"appends"`     // input_audio_buffer.append events received
	Utterances  int             `json:"utterances"`  // speech_started events sent
	Responses   int             `json:"responses"`   // response.created events sent
	Transcripts []string        `json:"transcripts"` // the user transcripts it sent, in order
	Truncates   []truncateStats `json:"truncates"`
}

type truncateStats struct {
	ItemID     string `json:"item_id"`
	AudioEndMs int    `json:"audio_end_ms"`
	SentMs     int    `json:"sent_ms"` // the item's audio the fake had sent
	Accepted   bool   `json:"accepted"`
}

// stats answers GET /realtime/stats: {"attempts": N, "connects": N, "connections": [...]}, every
// handshake, the accepted ones, and per accepted connection (in order) what it received and sent.
func (v *voice) stats(w http.ResponseWriter, _ *http.Request) {
	conns := v.handler.Conns()
	out := struct {
		Attempts    int         `json:"attempts"`
		Connects    int         `json:"connects"`
		Connections []connStats `json:"connections"`
	}{Attempts: len(v.handler.Attempts()), Connects: len(conns), Connections: []connStats{}}
	for _, c := range conns {
		s := connStats{
			Open:        !ended(c),
			Appends:     len(c.ReceivedOfType("input_audio_buffer.append")),
			Utterances:  len(c.SentOfType("input_audio_buffer.speech_started")),
			Responses:   len(c.SentOfType("response.created")),
			Transcripts: []string{},
			Truncates:   []truncateStats{},
		}
		for _, e := range c.SentOfType("conversation.item.input_audio_transcription.completed") {
			text, _ := e["transcript"].(string)
			s.Transcripts = append(s.Transcripts, text)
		}
		for _, t := range c.Truncations() {
			s.Truncates = append(s.Truncates, truncateStats{ItemID: t.ItemID, AudioEndMs: t.AudioEndMs, SentMs: t.SentMs, Accepted: t.Accepted})
		}
		out.Connections = append(out.Connections, s)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// drop answers POST /realtime/drop: every open realtime connection ends as an upstream drop does
// (close 1001); {"dropped": N}.
func (v *voice) drop(w http.ResponseWriter, _ *http.Request) {
	n := 0
	for _, c := range v.handler.Conns() {
		if !ended(c) {
			c.Drop()
			n++
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]int{"dropped": n})
}

func ended(c *realtimetest.Conn) bool {
	select {
	case <-c.Done():
		return true
	default:
		return false
	}
}
