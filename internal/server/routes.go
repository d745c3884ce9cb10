package server

import "net/http"

// routes is the whole HTTP surface of PRODUCT.md 5.3 in one list.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", s.handleRoot())
	mux.Handle("GET /healthz", handleHealthz())
	mux.Handle("GET /readyz", s.handleReadyz())
	mux.Handle("GET /api/state", s.handleState())
	mux.Handle("GET /api/modes", s.handleModes())
	mux.Handle("GET /api/voice-preference", s.handleGetVoice())
	mux.Handle("POST /api/voice-preference", s.handleSetVoice())
	mux.Handle("POST /api/tab-content", s.handleTabContent())
	mux.Handle("GET /images/{name}", s.handleImage())
	mux.Handle("GET /ws", s.handleWS())
	mux.Handle("GET /voice", s.handleVoice())
	mux.Handle("GET /metrics", s.Metrics.Handler())
	mux.Handle("GET /api/", notFound())
	mux.Handle("GET /", s.handleApp())

	var h http.Handler = mux
	h = s.requireToken(h)
	h = s.guardWrites(h)
	h = s.cors(h)
	h = s.checkHost(h)
	h = securityHeaders(h)
	h = s.logRequests(h)
	return recoverPanics(s.Logger, h)
}
