package llmtest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// The fixed facts of scripted streams, so tests can assert them.
const (
	// ChunkID is the id every streamed chunk carries (Azure's filter chunks excepted).
	ChunkID = "chatcmpl-llmtest"
	// Model is the model name every reply reports.
	Model = "llmtest-model"
	// PromptTokens is the prompt token count of every usage chunk; CompletionTokens is the number
	// of content and tool-call chunks of the reply.
	PromptTokens = 12
)

// created is the fixed Unix time of every chunk: replies are byte-for-byte reproducible.
const created = 1767225600

// Call is one scripted tool call. Parts splits Arguments over that many chunks (at least 1); an
// empty ID becomes "call_N".
type Call struct {
	ID        string
	Name      string
	Arguments string
	Parts     int
}

// Text streams text split into n chunks of nearly equal length, then finish_reason "stop" and a
// usage chunk, the way OpenAI streams a plain answer (a leading role chunk included).
func Text(text string, n int) Reply {
	b := newStream()
	for _, part := range split(text, n) {
		b.content(part)
	}
	return b.finish("stop")
}

// Stalled streams text in n chunks and then neither finishes nor closes: the stream stays open
// until the client goes away, like a model that stopped answering. Cancellation and timeout tests
// use it to prove the upstream request was cancelled.
func Stalled(text string, n int) Reply {
	b := newStream()
	for _, part := range split(text, n) {
		b.content(part)
	}
	return Reply{Events: b.events}.ThenHang()
}

// ToolCalls streams optional text (in one chunk) and then each call at its own index, its
// arguments split over Call.Parts chunks, then finish_reason "tool_calls" and usage.
func ToolCalls(text string, calls ...Call) Reply {
	b := newStream()
	if text != "" {
		b.content(text)
	}
	for i, c := range calls {
		id := callID(c.ID, i)
		b.tool(toolDelta{Index: i, ID: id, Type: "function", Function: funcPart{Name: c.Name}})
		for _, part := range split(c.Arguments, max(c.Parts, 1)) {
			b.tool(toolDelta{Index: i, Function: funcPart{Arguments: part}})
		}
	}
	return b.finish("tool_calls")
}

// ParallelAtIndexZero streams several complete calls that all carry index 0, each in one chunk
// with its own id, as Ollama sends parallel tool calls.
func ParallelAtIndexZero(calls ...Call) Reply {
	b := newStream()
	for i, c := range calls {
		b.tool(toolDelta{Index: 0, ID: callID(c.ID, i), Type: "function", Function: funcPart{Name: c.Name, Arguments: c.Arguments}})
	}
	return b.finish("tool_calls")
}

// BrokenToolJSON streams a call whose arguments stop in the middle of a JSON object.
func BrokenToolJSON(name string) Reply {
	return ToolCalls("", Call{Name: name, Arguments: `{"chart_type": "line", "title": "Bal`, Parts: 2})
}

// Structured answers with one non-streamed completion whose message content is content (a
// structured-output JSON document).
func Structured(content string) Reply {
	return Reply{Body: mustJSON(completion{
		ID: ChunkID, Object: "chat.completion", Created: created, Model: Model,
		Choices: []completionChoice{{Message: completionMessage{Role: "assistant", Content: content}, FinishReason: "stop"}},
		Usage:   usage{PromptTokens: PromptTokens, CompletionTokens: 1, TotalTokens: PromptTokens + 1},
	})}
}

// StatusError answers with an OpenAI-style error body. An empty param is sent as null.
func StatusError(status int, code, message, param string) Reply {
	body := apiErrorBody{Message: message, Type: "invalid_request_error", Code: code}
	if param != "" {
		body.Param = &param
	}
	return Reply{Status: status, Body: mustJSON(apiError{Error: body})}
}

// RateLimited answers 429 with Retry-After-Ms and Retry-After (whole seconds, rounded up), as
// Azure does when a deployment's tokens-per-minute limit is hit.
func RateLimited(retryAfter time.Duration) Reply {
	r := StatusError(http.StatusTooManyRequests, "429",
		"Requests to the ChatCompletions_Create Operation have exceeded the token rate limit of your current pricing tier.", "")
	r.Header = http.Header{
		"Retry-After-Ms": {strconv.FormatInt(retryAfter.Milliseconds(), 10)},
		"Retry-After":    {strconv.Itoa(int(math.Ceil(retryAfter.Seconds())))},
	}
	return r
}

// QuotaExceeded answers 429 insufficient_quota: the account's spend limit is reached, and no
// retry will help. It carries a Retry-After so a client that retries blindly would be caught.
func QuotaExceeded() Reply {
	r := Reply{Status: http.StatusTooManyRequests, Body: mustJSON(apiError{Error: apiErrorBody{
		Message: "You exceeded your current quota, please check your plan and billing details.",
		Type:    "insufficient_quota", Code: "insufficient_quota",
	}})}
	r.Header = http.Header{"Retry-After-Ms": {"10"}}
	return r
}

func callID(id string, i int) string {
	if id != "" {
		return id
	}
	return fmt.Sprintf("call_%d", i)
}

// split cuts s into n pieces of nearly equal rune length (fewer when s is shorter than n).
func split(s string, n int) []string {
	runes := []rune(s)
	if n < 1 {
		n = 1
	}
	n = min(n, max(len(runes), 1))
	parts := make([]string, 0, n)
	for i := range n {
		parts = append(parts, string(runes[i*len(runes)/n:(i+1)*len(runes)/n]))
	}
	return parts
}

// stream builds the events of one streamed reply.
type stream struct {
	events []string
	deltas int
}

func newStream() *stream {
	s := &stream{}
	empty := ""
	s.add(chunkChoice{Delta: delta{Role: "assistant", Content: &empty}})
	return s
}

func (s *stream) add(c chunkChoice) {
	s.events = append(s.events, mustJSON(chunk{ID: ChunkID, Object: "chat.completion.chunk", Created: created, Model: Model, Choices: []chunkChoice{c}}))
}

func (s *stream) content(text string) {
	s.deltas++
	s.add(chunkChoice{Delta: delta{Content: &text}})
}

func (s *stream) tool(t toolDelta) {
	s.deltas++
	s.add(chunkChoice{Delta: delta{ToolCalls: []toolDelta{t}}})
}

func (s *stream) finish(reason string) Reply {
	s.add(chunkChoice{FinishReason: &reason})
	s.events = append(s.events, mustJSON(chunk{
		ID: ChunkID, Object: "chat.completion.chunk", Created: created, Model: Model, Choices: []chunkChoice{},
		Usage: &usage{PromptTokens: PromptTokens, CompletionTokens: s.deltas, TotalTokens: PromptTokens + s.deltas},
	}))
	return Reply{Events: s.events}
}
