// Package server is the HTTP surface: health, the JSON API, the embedded app and the /ws socket.
// routes.go lists every route.
package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"presto/internal/chat"
	"presto/internal/metrics"
	"presto/internal/store"
	"presto/internal/voice"
)

// Deps are what the server is built from; main wires them.
type Deps struct {
	Logger         *slog.Logger
	Chat           *chat.Service
	Catalog        *chat.Catalog
	Store          store.Store
	Web            fs.FS          // the built front end (index.html at its root)
	ImagesDir      string         // generated images, served at /images/
	AllowedOrigins []string       // browser origins besides the server's own, e.g. http://localhost:5173
	AccessToken    string         // when set, every request must present it
	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For says who the client is (clientaddr.From)
	Voices         []string       // the realtime voices a session may pick; the first is the default
	Metrics        *metrics.Metrics
	Voice          *voice.Service // the /voice relays' upstream, settings and budget
}

// Server is the app's http.Handler. Close sockets with CloseSockets before the process exits.
type Server struct {
	Deps
	handler http.Handler

	mu         sync.Mutex
	closed     bool            // set by CloseSockets: no new sockets
	closingCtx context.Context // cancelled by CloseSockets: sockets say goodbye with 1001
	closeAll   context.CancelCauseFunc
	drained    bool // Drain saw every turn end: sockets write what they queued before 1001
	sockets    sync.WaitGroup

	ready struct { // the last readiness check, reused for readyFor
		mu  sync.Mutex
		at  time.Time
		err error
	}
}

// New builds the server and its routes.
func New(d Deps) *Server {
	s := &Server{Deps: d}
	s.closingCtx, s.closeAll = context.WithCancelCause(context.Background())
	s.handler = s.routes()
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// errTurnsDrained is the cause CloseSockets gives when Drain saw every turn end: each socket then
// writes the last events of its turn before it says goodbye.
var errTurnsDrained = errors.New("turns drained")

// Drain is the start of a graceful shutdown: no new socket and no new turn from now on, and it
// waits until the turns in flight have ended (their events queued for their sockets) or ctx ends.
func (s *Server) Drain(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	if err := s.Chat.Drain(ctx); err != nil {
		return fmt.Errorf("drain turns: %w", err)
	}
	s.mu.Lock()
	s.drained = true
	s.mu.Unlock()
	return nil
}

// CloseSockets closes every WebSocket with 1001 (going away) and waits until their handlers ended.
// http.Server.Shutdown does not do this: hijacked connections are not its own.
func (s *Server) CloseSockets() {
	s.mu.Lock()
	s.closed = true
	cause := context.Canceled
	if s.drained {
		cause = errTurnsDrained
	}
	s.mu.Unlock()
	s.closeAll(cause)
	s.sockets.Wait()
}

// trackSocket counts a new socket for CloseSockets, or refuses it once shutdown has begun. The
// mutex orders every Add before the Wait.
func (s *Server) trackSocket() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.sockets.Add(1)
	return true
}
