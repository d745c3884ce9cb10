package server

import (
	"net/http"

	"presto/internal/chat"
	"presto/internal/protocol"
)

// handleVoice upgrades to the /voice socket of PRODUCT.md 5.5: the same session, origin rule and
// access token as /ws, 256 KB per message, and one upstream realtime session per socket.
func (s *Server) handleVoice() http.Handler {
	return s.handleSocket(protocol.MaxVoiceMessageBytes, voiceQueueBytes, s.voiceRate(), func(c *client) {
		c.voice = s.Voice.NewRelay(c.sess, c.from, func(typ string, payload any) { c.send(typ, 0, payload) })
	})
}

// forVoice reports whether a session event also goes to /voice sockets: what the dashboard draws
// and the mode, so a voice-only client can follow them.
func forVoice(ev chat.Event) bool {
	switch ev.(type) {
	case chat.ToolShown, chat.ModeGenerating, chat.ModeSwitched, chat.VoiceChosen, chat.VisualizationRequested, chat.VisualizationFailed:
		return true
	}
	return false
}
