package openaillm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"presto/internal/llm"
)

// Structured asks for one JSON object following req.Schema (strict structured output) and returns
// the message content unparsed. A refusal, an empty answer or content that is not JSON is an
// *llm.Error, so the caller only ever validates well-formed JSON.
func (p *Provider) Structured(ctx context.Context, req llm.StructuredRequest) (json.RawMessage, error) {
	start := time.Now()
	var msgs []openai.ChatCompletionMessageParamUnion
	if req.System != "" {
		msgs = append(msgs, openai.SystemMessage(req.System))
	}
	msgs = append(msgs, openai.UserMessage(req.User))
	params := openai.ChatCompletionNewParams{
		Model:    shared.ChatModel(p.model),
		Messages: msgs,
		ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
			JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: req.SchemaName, Strict: openai.Bool(true), Schema: req.Schema},
		}},
	}
	res, err := p.client.Chat.Completions.New(ctx, params, p.requestOptions()...)
	if err != nil {
		e := classify(ctx, fmt.Errorf("structured chat completion %q: %w", req.SchemaName, err))
		p.logger.LogAttrs(ctx, levelFor(e), "llm structured call failed", errAttrs(e, start)...)
		return nil, e
	}
	p.logger.Debug("llm structured done", "schema", req.SchemaName, "latency", time.Since(start),
		"prompt_tokens", res.Usage.PromptTokens, "completion_tokens", res.Usage.CompletionTokens, "served_by", res.Model)
	return structuredContent(res)
}

func structuredContent(res *openai.ChatCompletion) (json.RawMessage, error) {
	if len(res.Choices) == 0 {
		return nil, &llm.Error{Kind: llm.KindUnavailable, Message: "the model returned no answer; try again", Retryable: true,
			Err: errors.New("structured completion has no choices")}
	}
	msg := res.Choices[0].Message
	if msg.Refusal != "" {
		return nil, &llm.Error{Kind: llm.KindBadRequest, Message: "the model declined to answer",
			Err: fmt.Errorf("structured completion refused: %s", msg.Refusal)}
	}
	if !json.Valid([]byte(msg.Content)) {
		return nil, &llm.Error{Kind: llm.KindUnavailable, Message: "the model returned malformed JSON; try again", Retryable: true,
			Err: fmt.Errorf("structured completion is not JSON (finish reason %q)", res.Choices[0].FinishReason)}
	}
	return json.RawMessage(msg.Content), nil
}
