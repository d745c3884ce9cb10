package offline

import (
	"encoding/json"
	"strings"

	"presto/internal/llm"
	"presto/internal/message"
)

// maxReasonLen bounds how much of a tool error the sentence repeats.
const maxReasonLen = 160

// afterTools answers the tool results at the end of the history. The offline assistant's calls are
// deterministic, so a failed one would fail again: it says so in a sentence and calls nothing.
func afterTools(msgs []message.Message) reply {
	names := map[string]string{} // call id → tool name
	for _, m := range msgs {
		for _, tc := range m.ToolCalls {
			names[tc.ID] = tc.Name
		}
	}
	var failed []string
	switched := false
	for i := len(msgs) - 1; i >= 0 && msgs[i].Role == message.RoleTool; i-- {
		if reason, bad := toolFailure(msgs[i].Content); bad {
			failed = append(failed, reason)
		} else if names[msgs[i].ToolCallID] == llm.ToolSwitchMode {
			switched = true
		}
	}
	switch {
	case len(failed) > 0:
		return say("Sorry, I couldn't show that offline: " + failed[len(failed)-1])
	case switched:
		return say("Done: the new mode is ready.")
	}
	return say("Done: it's on the dashboard.")
}

// toolFailure reads a tool result: a JSON object with an "error" (or "ok": false), or plain text
// that says it failed. It returns the reason as one short sentence.
func toolFailure(content string) (string, bool) {
	var obj struct {
		Error any   `json:"error"`
		OK    *bool `json:"ok"`
	}
	if json.Unmarshal([]byte(content), &obj) == nil {
		switch e := obj.Error.(type) {
		case string:
			if e != "" {
				return sentence(e), true
			}
		case map[string]any:
			if msg, ok := e["message"].(string); ok && msg != "" {
				return sentence(msg), true
			}
			return "the tool reported an error.", true
		}
		if obj.OK != nil && !*obj.OK {
			return "the tool reported an error.", true
		}
		return "", false
	}
	low := strings.ToLower(content)
	for _, w := range []string{"error", "invalid", "failed", "fail:", "rejected"} {
		if strings.Contains(low, w) {
			reason := strings.TrimSpace(content)
			if len(reason) > len("error:") && strings.EqualFold(reason[:len("error:")], "error:") {
				reason = reason[len("error:"):] // the chat turn's "error: <why>"
			}
			return sentence(reason), true
		}
	}
	return "", false
}

// sentence trims a reason to one short line ending in a period.
func sentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxReasonLen {
		s = strings.TrimSpace(string(r[:maxReasonLen])) + "…"
	}
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "…") {
		s += "."
	}
	return s
}
