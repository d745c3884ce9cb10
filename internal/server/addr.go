package server

import (
	"net/http"
	"net/netip"
)

// clientAddr is the address budgets charge a request to: the TCP peer. It is the one place the
// server decides who a client is.
func clientAddr(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{} // not a TCP peer (a test's fake request): all such share one budget
	}
	return ap.Addr().Unmap()
}
