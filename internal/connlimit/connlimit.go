// Package connlimit caps the TCP connections a server holds, in all and per peer address, so
// that one client opening connections by the thousand can never use up the process's file
// handles: past a cap a connection is closed as soon as it is accepted, which frees its handle at
// once and keeps the accept loop, and with it /healthz, answering everyone else.
package connlimit

import (
	"net"
	"net/netip"
	"sync"
)

// Limits are the caps of a Listener.
type Limits struct {
	Total   int // connections open at once
	PerPeer int // connections open at once from one peer address
	// Shared reports peers that speak for many clients (trusted reverse proxies): only Total
	// applies to them, the server's per-client limits see the client behind them.
	Shared func(netip.Addr) bool
	// Refused is told of each connection closed at accept, with why: "total" or "peer".
	Refused func(reason string)
}

// Listener is a net.Listener that closes, at once, connections past its Limits.
type Listener struct {
	net.Listener
	limits Limits

	mu     sync.Mutex
	open   int
	byPeer map[netip.Addr]int
}

// New wraps ln.
func New(ln net.Listener, limits Limits) *Listener {
	return &Listener{Listener: ln, limits: limits, byPeer: make(map[netip.Addr]int)}
}

// Accept returns the next connection within the caps; the ones past them are closed here.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		peer := peerAddr(c.RemoteAddr())
		shared := l.limits.Shared != nil && l.limits.Shared(peer)
		if reason := l.admit(peer, shared); reason != "" {
			_ = c.Close() // nothing was read or written: there is no error worth reporting
			if l.limits.Refused != nil {
				l.limits.Refused(reason)
			}
			continue
		}
		return &conn{Conn: c, release: func() { l.release(peer, shared) }}, nil
	}
}

func (l *Listener) admit(peer netip.Addr, shared bool) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open >= l.limits.Total {
		return "total"
	}
	if !shared {
		if l.byPeer[peer] >= l.limits.PerPeer {
			return "peer"
		}
		l.byPeer[peer]++
	}
	l.open++
	return ""
}

func (l *Listener) release(peer netip.Addr, shared bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if !shared {
		if l.byPeer[peer]--; l.byPeer[peer] == 0 {
			delete(l.byPeer, peer) // the map holds the peers connected now, not every peer ever seen
		}
	}
}

// conn gives its slot back on the first Close (net/http and the WebSocket library may both close
// a connection).
type conn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *conn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}

func peerAddr(a net.Addr) netip.Addr {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.AddrPort().Addr().Unmap()
	}
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}
