package check

import (
	"context"
	"fmt"
	"io"
	"strings"

	"presto/internal/llm"
	"presto/internal/message"
)

// RunOpenAI is `presto check` for PRESTO_LLM=openai: it sends one tiny prompt through the provider
// the server would use, opens a session with the realtime model rt, and says what to fix when
// either fails.
func RunOpenAI(ctx context.Context, p llm.Provider, baseURL, model string, rt Realtime, out io.Writer) error {
	r := &report{out: out}
	if baseURL == "" {
		baseURL = "the OpenAI API (OPENAI_BASE_URL unset)"
	}
	r.note("Provider: OpenAI-compatible server at %s, model %q", baseURL, model)
	var reply strings.Builder
	err := p.Stream(ctx, llm.Request{Messages: []message.Message{{Role: message.RoleUser, Content: chatPrompt}}},
		func(ev llm.Event) error {
			reply.WriteString(ev.Text)
			return nil
		})
	if err == nil {
		r.ok("Chat: model %q answered %q", model, strings.TrimSpace(reply.String()))
	} else {
		e := llm.AsError(err)
		r.fail(fmt.Sprintf("Chat: %s (%s)", e.Message, e.Kind), openAIAdvice(e.Kind)...)
	}
	checkOpenAIRealtime(ctx, r, rt)
	if r.werr != nil {
		return r.werr
	}
	if r.failed > 0 {
		return fmt.Errorf("presto check: %d check(s) failed", r.failed)
	}
	return nil
}

func openAIAdvice(kind llm.ErrorKind) []string {
	switch kind {
	case llm.KindAuth:
		return []string{"Check OPENAI_API_KEY (a local server such as Ollama accepts any non-empty key)."}
	case llm.KindNotFound:
		return []string{"Check OPENAI_MODEL: it must be a model the server has (Ollama: `ollama list`)."}
	case llm.KindBadRequest:
		return []string{"The server rejected the request; check that OPENAI_BASE_URL ends in /v1 and the model supports chat."}
	case llm.KindQuota, llm.KindRateLimited:
		return []string{"The account is out of quota or rate-limited; wait, or raise the limit with the provider."}
	default:
		return []string{"Is the server running and reachable at OPENAI_BASE_URL? (e.g. http://localhost:11434/v1 for Ollama)"}
	}
}
