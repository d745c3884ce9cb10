package server

import (
	"context"
	"net/http"

	"github.com/coder/websocket"

	"presto/internal/chat"
	"presto/internal/protocol"
)

// handleVoice upgrades to the /voice socket of PRODUCT.md 5.5: the same session, origin rule and
// access token as /ws, 256 KB per message, and one upstream realtime session per socket.
func (s *Server) handleVoice() http.Handler {
	patterns := originPatterns(s.AllowedOrigins)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.trackSocket() {
			writeError(w, http.StatusServiceUnavailable, "shutting down")
			return
		}
		id := s.sessionID(w, r)
		conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: patterns})
		if err != nil {
			s.sockets.Done()
			s.Logger.Info("voice websocket refused", "id", requestID(r.Context()), "err", err)
			return
		}
		conn.SetReadLimit(protocol.MaxVoiceMessageBytes)
		sess, err := s.Chat.Open(r.Context(), id)
		if err != nil {
			s.sockets.Done()
			s.Logger.Error("open session", "err", err)
			conn.Close(websocket.StatusInternalError, "session unavailable")
			return
		}
		c := newClient(context.WithoutCancel(r.Context()), conn, sess, s.Logger)
		c.voice = s.Voice.NewRelay(sess, func(typ string, payload any) { c.send(typ, 0, payload) })
		s.Metrics.SocketOpened()
		go func() {
			defer s.sockets.Done()
			defer s.Chat.Release(c.sess)
			defer s.Metrics.SocketClosed()
			c.serve(s.closingCtx)
		}()
	})
}

// forVoice reports whether a session event also goes to /voice sockets: what the dashboard draws
// and the mode, so a voice-only client can follow them.
func forVoice(ev chat.Event) bool {
	switch ev.(type) {
	case chat.ToolShown, chat.ModeGenerating, chat.ModeSwitched, chat.VoiceChosen, chat.VisualizationRequested:
		return true
	}
	return false
}
