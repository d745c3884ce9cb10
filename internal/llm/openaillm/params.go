package openaillm

import (
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"presto/internal/llm"
	"presto/internal/message"
)

// streamParams builds the request of one turn. No temperature and no token limit are sent:
// reasoning deployments (gpt-5, o-series, model-router routing to them) reject both, and a
// deployment name does not tell which model answers.
func (p *Provider) streamParams(req llm.Request) openai.ChatCompletionNewParams {
	params := openai.ChatCompletionNewParams{
		Model:         shared.ChatModel(p.model),
		Messages:      messages(req.System, req.Messages),
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
	}
	for _, t := range req.Tools {
		params.Tools = append(params.Tools, openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
			Name:        t.Name,
			Description: openai.String(t.Description),
			Parameters:  shared.FunctionParameters(t.Parameters),
		}))
	}
	if req.ForceTool != "" {
		params.ToolChoice = openai.ToolChoiceOptionFunctionToolChoice(openai.ChatCompletionNamedToolChoiceFunctionParam{Name: req.ForceTool})
	}
	return params
}

// messages converts the system prompt and the history, including assistant tool calls and the
// tool results that answer them.
func messages(system string, history []message.Message) []openai.ChatCompletionMessageParamUnion {
	out := make([]openai.ChatCompletionMessageParamUnion, 0, len(history)+1)
	if system != "" {
		out = append(out, openai.SystemMessage(system))
	}
	for _, m := range history {
		switch m.Role {
		case message.RoleUser:
			out = append(out, openai.UserMessage(m.Content))
		case message.RoleTool:
			out = append(out, openai.ToolMessage(m.Content, m.ToolCallID))
		case message.RoleAssistant:
			out = append(out, assistantMessage(m))
		}
	}
	return out
}

func assistantMessage(m message.Message) openai.ChatCompletionMessageParamUnion {
	msg := &openai.ChatCompletionAssistantMessageParam{}
	if m.Content != "" || len(m.ToolCalls) == 0 {
		msg.Content.OfString = openai.String(m.Content)
	}
	for _, c := range m.ToolCalls {
		msg.ToolCalls = append(msg.ToolCalls, openai.ChatCompletionMessageToolCallUnionParam{
			OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
				ID: c.ID,
				Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{
					Name: c.Name, Arguments: c.Arguments,
				},
			},
		})
	}
	return openai.ChatCompletionMessageParamUnion{OfAssistant: msg}
}
