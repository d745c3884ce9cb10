package server

import (
	"net/http"
	"net/netip"

	"presto/internal/clientaddr"
)

// clientAddr is the address budgets charge a request to: the TCP peer, or behind one of
// PRESTO_TRUSTED_PROXIES the client it forwarded for. It is the one place the server decides who a
// client is.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	return clientaddr.From(r, s.TrustedProxies)
}
