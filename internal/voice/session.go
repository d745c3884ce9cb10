package voice

import (
	"strings"

	"presto/internal/chat"
	"presto/internal/llm"
	"presto/internal/message"
	"presto/internal/modes"
	"presto/internal/persona"
)

// Settings are the voice parts of the configuration.
type Settings struct {
	VAD             string  // "server_vad" or "semantic_vad" (PRESTO_VOICE_VAD)
	Threshold       float64 // server VAD threshold (PRESTO_VOICE_VAD_THRESHOLD)
	SilenceMS       int     // silence that ends an utterance (PRESTO_VOICE_SILENCE_MS)
	TranscribeModel string  // model that transcribes the user (PRESTO_VOICE_TRANSCRIBE_MODEL)
	DefaultVoice    string  // when the session chose none
}

// voiceRules close the voice instructions: spoken answers must be short.
const voiceRules = `How to answer:
- You are speaking, not writing: answer in one or two short sentences, in plain words, with numbers rounded the way people say them.
- Use the customer's exact values above; never invent numbers that contradict them.
- When the user asks about numbers, balances, trends, breakdowns or history, call request_visualization with what to show, and keep talking: it appears on the screen while you speak.
- When the user says "Presto-Change-O" (any spelling) or asks you to become another industry or company, call switch_mode with what they named, and say nothing until it is done.
- If you cannot do something, say so plainly in one sentence.`

// sessionUpdate is the session.update for the mode, persona, voice and what was said before the
// lines a new session is re-seeded with: the GA shape, or the preview one (other field names,
// which the GA route rejects and the other way round).
func sessionUpdate(s Settings, m modes.Mode, p persona.Persona, voice string, earlier []chat.ChatLine, preview bool) map[string]any {
	if voice == "" {
		voice = s.DefaultVoice
	}
	detection := map[string]any{"type": s.VAD, "create_response": true, "interrupt_response": true}
	if s.VAD == "server_vad" {
		detection["threshold"] = s.Threshold
		detection["silence_duration_ms"] = s.SilenceMS
		detection["prefix_padding_ms"] = 300
	}
	transcription := map[string]any{"model": s.TranscribeModel}
	text := chat.Instructions(m, p, voiceRules) + summary(earlier)
	var tools []map[string]any
	for _, t := range []llm.Tool{llm.VoiceVisualizationTool(), llm.SwitchModeTool()} {
		// Realtime tools are flat: the name beside the type, not under "function".
		tools = append(tools, map[string]any{"type": "function", "name": t.Name, "description": t.Description, "parameters": t.Parameters})
	}
	if preview {
		return map[string]any{"type": "session.update", "session": map[string]any{
			"instructions":              text,
			"modalities":                []string{"audio", "text"},
			"voice":                     voice,
			"input_audio_format":        "pcm16",
			"output_audio_format":       "pcm16",
			"input_audio_transcription": transcription,
			"turn_detection":            detection,
			"tools":                     tools,
			"tool_choice":               "auto",
		}}
	}
	format := map[string]any{"type": "audio/pcm", "rate": 24000}
	return map[string]any{"type": "session.update", "session": map[string]any{
		"type":              "realtime",
		"instructions":      text,
		"output_modalities": []string{"audio"},
		"audio": map[string]any{
			"input":  map[string]any{"format": format, "transcription": transcription, "turn_detection": detection},
			"output": map[string]any{"format": format, "voice": voice},
		},
		"tools":       tools,
		"tool_choice": "auto",
	}}
}

const (
	summaryQuestions = 8   // the customer's latest questions a summary names
	summaryQuestion  = 120 // characters of each
)

// summary tells a new upstream session what the customer asked before the lines it is re-seeded
// with, so an answer can refer back to them; "" when there was nothing before.
func summary(earlier []chat.ChatLine) string {
	var asked []string
	for _, line := range earlier {
		if line.Role == message.RoleUser && strings.TrimSpace(line.Content) != "" {
			asked = append(asked, clip(strings.Join(strings.Fields(line.Content), " "), summaryQuestion))
		}
	}
	if len(asked) == 0 {
		return ""
	}
	if len(asked) > summaryQuestions {
		asked = asked[len(asked)-summaryQuestions:]
	}
	return "\n\nEarlier in this conversation the customer asked, in order: \"" + strings.Join(asked, "\"; \"") +
		"\". The latest lines follow as messages."
}

// clip cuts s to at most n characters, at a word where it can.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
