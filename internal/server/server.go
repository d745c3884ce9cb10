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
	"strconv"
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
	AllowedHosts   []string       // host names besides IP addresses and loopback names, e.g. demo.example.com
	AccessToken    string         // when set, every request must present it
	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For says who the client is (clientaddr.From)
	Voices         []string       // the realtime voices a session may pick; the first is the default
	Metrics        *metrics.Metrics
	Voice          *voice.Service // the /voice relays' upstream, settings and budget

	// Sockets (/ws and /voice) open at once from one client address and in the process; past
	// either the upgrade is refused with 503. 0: no cap.
	MaxSocketsPerAddress int
	MaxSockets           int
	// Messages a /ws socket may send a second, twice that at once; a /voice socket ten times as
	// many (the microphone comes in 20–100 ms pieces, up to 50 a second). 0: no limit.
	SocketMessageRate int
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
	open       int                // sockets open now
	openFrom   map[netip.Addr]int // sockets open now per client address

	ready struct { // the last readiness check, reused for readyFor
		mu  sync.Mutex
		at  time.Time
		err error
	}
}

// New builds the server and its routes.
func New(d Deps) *Server {
	s := &Server{Deps: d, openFrom: make(map[netip.Addr]int)}
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

// admitSocket counts a new socket from addr for CloseSockets and the caps, or says why it is
// refused: shutdown has begun, or addr or the process has as many sockets open as allowed. The
// mutex orders every Add before the Wait.
func (s *Server) admitSocket(addr netip.Addr) (refused string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return "shutting down"
	case s.MaxSocketsPerAddress > 0 && s.openFrom[addr] >= s.MaxSocketsPerAddress:
		s.Metrics.SocketRefused("address")
		return "too many sockets open from your address (" + strconv.Itoa(s.MaxSocketsPerAddress) +
			", PRESTO_MAX_SOCKETS_PER_ADDRESS); close some tabs or try again later"
	case s.MaxSockets > 0 && s.open >= s.MaxSockets:
		s.Metrics.SocketRefused("total")
		return "the server has as many sockets open as it allows (PRESTO_MAX_SOCKETS); try again in a moment"
	}
	s.open++
	s.openFrom[addr]++
	s.sockets.Add(1)
	return ""
}

// releaseSocket is the end of a socket admitSocket counted.
func (s *Server) releaseSocket(addr netip.Addr) {
	s.mu.Lock()
	s.open--
	if s.openFrom[addr]--; s.openFrom[addr] == 0 {
		delete(s.openFrom, addr) // the addresses with sockets now, not every address ever seen
	}
	s.mu.Unlock()
	s.sockets.Done()
}
