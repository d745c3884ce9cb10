// Package clientaddr says which address a request came from, for limits that are kept per client.
// Behind a reverse proxy the TCP peer is the proxy, so the client is read from X-Forwarded-For —
// but only when the peer is a proxy we trust, since anyone else can write that header.
package clientaddr

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// From returns the address the request came from: the TCP peer, or, when the peer is within
// trusted, the right-most X-Forwarded-For address that is not itself within trusted. Every proxy
// appends the address it saw, so entries left of the first untrusted one may be forged by the
// client and are ignored. When the header names only trusted proxies, the left-most of them is the
// client; when an entry cannot be read, the hop that sent it is the client, so that garbage never
// gives a client an address of its choosing. IPv4-mapped IPv6 addresses are returned as IPv4.
// A peer address that cannot be read (never from net/http's server) is the zero Addr.
func From(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer := parse(r.RemoteAddr)
	if !peer.IsValid() || !within(peer, trusted) {
		return peer
	}
	hops := r.Header.Values("X-Forwarded-For")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		entries := strings.Split(hops[i], ",")
		for j := len(entries) - 1; j >= 0; j-- {
			entry := strings.TrimSpace(entries[j])
			if entry == "" {
				continue
			}
			addr := parse(entry)
			if !addr.IsValid() {
				return client
			}
			if !within(addr, trusted) {
				return addr
			}
			client = addr
		}
	}
	return client
}

// ParsePrefixes reads a comma-separated list of CIDR prefixes and single addresses (a single
// address is a prefix of its full length), as PRESTO_TRUSTED_PROXIES is written.
func ParsePrefixes(list string) ([]netip.Prefix, error) {
	var prefixes []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "/") {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, fmt.Errorf("%q is not a CIDR prefix like 10.0.0.0/8: %w", item, err)
			}
			prefixes = append(prefixes, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or a CIDR prefix like 10.0.0.0/8: %w", item, err)
		}
		a = a.Unmap()
		prefixes = append(prefixes, netip.PrefixFrom(a, a.BitLen()))
	}
	return prefixes, nil
}

// parse reads "addr", "addr:port" or "[addr]:port", dropping any zone and IPv4 mapping.
func parse(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().WithZone("").Unmap()
	}
	host := s
	if h, _, err := net.SplitHostPort(s); err == nil {
		host = h
	}
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		return netip.Addr{}
	}
	return a.WithZone("").Unmap()
}

func within(a netip.Addr, prefixes []netip.Prefix) bool {
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
