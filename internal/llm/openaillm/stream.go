package openaillm

import (
	"context"
	"fmt"
	"time"

	"github.com/openai/openai-go/v3"

	"presto/internal/llm"
	"presto/internal/message"
)

// Stream runs one turn: it emits text deltas as they arrive, then each complete tool call once the
// model has finished (finish_reason or the end of the stream), then Done with the usage. The SDK
// retries failures before the first byte of the answer; once text has been emitted nothing is
// retried, because the user has already seen it.
func (p *Provider) Stream(ctx context.Context, req llm.Request, emit func(llm.Event) error) error {
	start := time.Now()
	stream := p.client.Chat.Completions.NewStreaming(ctx, p.streamParams(req), p.requestOptions()...)
	defer stream.Close()

	t := turn{emit: emit, start: start}
	for stream.Next() {
		if err := t.add(stream.Current()); err != nil {
			return err // emit's error, as the llm.Provider contract says
		}
	}
	if err := stream.Err(); err != nil {
		if t.finish == "" || ctx.Err() != nil {
			e := classify(ctx, fmt.Errorf("stream chat completion: %w", err))
			p.logger.LogAttrs(ctx, levelFor(e), "llm stream failed", errAttrs(e, start)...)
			return e
		}
		// The model had finished; only the trailing usage chunk was lost.
		p.logger.Debug("llm stream ended after finish", "error", err)
	}
	if err := t.end(); err != nil {
		return err
	}
	p.logger.Debug("llm stream done", "first_token", t.firstToken, "total", time.Since(start),
		"finish", t.finish, "prompt_tokens", t.usage.PromptTokens, "completion_tokens", t.usage.CompletionTokens,
		"tool_calls", t.calls, "served_by", t.acc.Model)
	return nil
}

// turn is the state of one stream.
type turn struct {
	emit       func(llm.Event) error
	start      time.Time
	acc        openai.ChatCompletionAccumulator
	indexes    toolIndexes
	id         string        // the first chunk id seen
	finish     string        // the finish_reason, once seen
	usage      llm.Usage     // zero until a usage chunk arrives
	hasUsage   bool          // whether a usage chunk arrived
	firstToken time.Duration // latency to the first text or tool delta
	calls      int           // tool calls emitted
	callsSent  bool
}

// add takes one chunk. Only emit's errors are returned.
func (t *turn) add(chunk openai.ChatCompletionChunk) error {
	if chunk.JSON.Usage.Valid() && (chunk.Usage.PromptTokens > 0 || chunk.Usage.CompletionTokens > 0) {
		t.usage = llm.Usage{PromptTokens: chunk.Usage.PromptTokens, CompletionTokens: chunk.Usage.CompletionTokens}
		t.hasUsage = true
	}
	if !carriesAnswer(chunk) {
		return nil // Azure's prompt_filter_results lead, content-filter chunks, the usage chunk, role-only chunks
	}
	// Some proxies vary the chunk id; the accumulator drops chunks whose id changes.
	if t.id == "" {
		t.id = chunk.ID
	}
	chunk.ID = t.id
	t.indexes.remap(&chunk)
	if !t.acc.AddChunk(chunk) {
		return nil
	}
	for _, choice := range chunk.Choices {
		if choice.Index != 0 {
			continue
		}
		if t.firstToken == 0 && (choice.Delta.Content != "" || len(choice.Delta.ToolCalls) > 0) {
			t.firstToken = time.Since(t.start)
		}
		if choice.Delta.Content != "" {
			if err := t.emit(llm.Event{Text: choice.Delta.Content}); err != nil {
				return err
			}
		}
		if choice.FinishReason != "" && t.finish == "" {
			t.finish = choice.FinishReason
			if err := t.sendCalls(); err != nil {
				return err
			}
		}
	}
	return nil
}

// carriesAnswer reports whether a chunk has content, tool calls or a finish reason for choice 0.
func carriesAnswer(chunk openai.ChatCompletionChunk) bool {
	for _, c := range chunk.Choices {
		if c.Index == 0 && (c.Delta.Content != "" || len(c.Delta.ToolCalls) > 0 || c.FinishReason != "") {
			return true
		}
	}
	return false
}

// sendCalls emits the accumulated tool calls once.
func (t *turn) sendCalls() error {
	if t.callsSent {
		return nil
	}
	t.callsSent = true
	if len(t.acc.Choices) == 0 {
		return nil
	}
	for i, c := range t.acc.Choices[0].Message.ToolCalls {
		if c.Function.Name == "" {
			continue // a fragment without a name cannot be dispatched
		}
		id := c.ID
		if id == "" {
			id = fmt.Sprintf("call_%d", i)
		}
		t.calls++
		if err := t.emit(llm.Event{ToolCall: &message.ToolCall{ID: id, Name: c.Function.Name, Arguments: c.Function.Arguments}}); err != nil {
			return err
		}
	}
	return nil
}

// end emits the calls of a stream that ended without a finish reason, then Done.
func (t *turn) end() error {
	if err := t.sendCalls(); err != nil {
		return err
	}
	done := &llm.Done{FinishReason: t.finish}
	if t.hasUsage {
		u := t.usage
		done.Usage = &u
	}
	return t.emit(llm.Event{Done: done})
}
