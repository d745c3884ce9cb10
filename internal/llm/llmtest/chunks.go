package llmtest

import "encoding/json"

// The wire shapes of a chat-completions stream, as OpenAI and Azure send them. Only what our tests
// need is modelled; the JSON field names are the contract.

type chunk struct {
	ID                  string         `json:"id"`
	Object              string         `json:"object"`
	Created             int64          `json:"created"`
	Model               string         `json:"model"`
	Choices             []chunkChoice  `json:"choices"`
	Usage               *usage         `json:"usage,omitempty"`
	PromptFilterResults []filterResult `json:"prompt_filter_results,omitempty"`
}

type chunkChoice struct {
	Index                int             `json:"index"`
	Delta                delta           `json:"delta"`
	FinishReason         *string         `json:"finish_reason"`
	ContentFilterResults *contentFilters `json:"content_filter_results,omitempty"`
}

type delta struct {
	Role      string      `json:"role,omitempty"`
	Content   *string     `json:"content,omitempty"`
	ToolCalls []toolDelta `json:"tool_calls,omitempty"`
}

type toolDelta struct {
	Index    int      `json:"index"`
	ID       string   `json:"id,omitempty"`
	Type     string   `json:"type,omitempty"`
	Function funcPart `json:"function"`
}

type funcPart struct {
	Name      string `json:"name,omitempty"`
	Arguments string `json:"arguments"`
}

type usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// filterResult is one entry of Azure's prompt_filter_results.
type filterResult struct {
	PromptIndex          int            `json:"prompt_index"`
	ContentFilterResults contentFilters `json:"content_filter_results"`
}

type contentFilters struct {
	Hate     filterVerdict `json:"hate"`
	SelfHarm filterVerdict `json:"self_harm"`
	Sexual   filterVerdict `json:"sexual"`
	Violence filterVerdict `json:"violence"`
}

type filterVerdict struct {
	Filtered bool   `json:"filtered"`
	Severity string `json:"severity"`
}

func safeFilters() *contentFilters {
	v := filterVerdict{Severity: "safe"}
	return &contentFilters{Hate: v, SelfHarm: v, Sexual: v, Violence: v}
}

// completion is a non-streamed chat.completion.
type completion struct {
	ID      string             `json:"id"`
	Object  string             `json:"object"`
	Created int64              `json:"created"`
	Model   string             `json:"model"`
	Choices []completionChoice `json:"choices"`
	Usage   usage              `json:"usage"`
}

type completionChoice struct {
	Index        int               `json:"index"`
	Message      completionMessage `json:"message"`
	FinishReason string            `json:"finish_reason"`
}

type completionMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// apiError is the error body OpenAI-compatible servers send with a non-2xx status.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    string  `json:"code"`
}

// mustJSON marshals wire structs, which cannot fail.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("llmtest: marshal wire struct: " + err.Error())
	}
	return string(b)
}
