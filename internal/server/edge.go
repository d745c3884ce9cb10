package server

import (
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
)

// contentSecurityPolicy lets the page load only its own files: no inline script or style, no
// other origin's scripts, sockets only to this origin ('self' covers ws: and wss: to the same
// host), and no framing. data: images are the favicon in index.html.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders go on every response, errors included.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY") // frame-ancestors for browsers older than CSP 2
		// Session links carry ?session=ID, which opens the session: never send it anywhere.
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// checkHost refuses requests for a host name this server does not answer to, which is what a
// DNS-rebinding page sends: its own name, now resolving to this server. 421 Misdirected Request
// says exactly that (the request reached a server that is not the one for that name), where 403
// would suggest a credential could help.
func (s *Server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r.Host) {
			s.Logger.Warn("request for a host that is not allowed", "id", requestID(r.Context()), "host", r.Host)
			writeError(w, http.StatusMisdirectedRequest, "this server does not answer to the host "+quote(hostName(r.Host))+
				"; if that is its own name, add it to PRESTO_ALLOWED_HOSTS")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hostAllowed says whether the Host header names this server: an IP address (a page can only
// make a browser send an address it really connects to, so an address cannot be rebound), a
// loopback name, or one of AllowedHosts ("*.example.com" matches its subdomains). No Host at all
// is fine too: only HTTP/1.0 clients such as HAProxy's health check omit it, never a browser.
func (s *Server) hostAllowed(host string) bool {
	if host == "" {
		return true
	}
	name := hostName(host)
	if _, err := netip.ParseAddr(name); err == nil {
		return true
	}
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return true
	}
	for _, allowed := range s.AllowedHosts {
		if name == allowed || strings.HasPrefix(allowed, "*.") && strings.HasSuffix(name, allowed[1:]) {
			return true
		}
	}
	return false
}

// hostName is the lower-case name or address of a Host header, without port, brackets or a
// trailing dot.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
}

// originAllowed applies the one origin rule of every upgrade and every state-changing request: a
// request with no Origin is not from a page (curl, a native client) unless Sec-Fetch-Site says it
// came from another site; with an Origin, it must be this server's own (the same host as the
// request, which checkHost vouches for) or exactly one of AllowedOrigins, scheme included.
func (s *Server) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		switch r.Header.Get("Sec-Fetch-Site") {
		case "", "same-origin", "none":
			return true
		}
		return false
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" { // "null": a sandboxed frame, a file, a redirect across sites
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	return slices.Contains(s.AllowedOrigins, strings.ToLower(origin))
}

// guardWrites lets a request that changes state (anything but GET, HEAD and OPTIONS; the API's
// are POSTs) through only from an allowed origin and with a JSON body. A page on another site can
// send a "simple" cross-site POST (text/plain, a form) without a preflight; requiring
// application/json forces the preflight, which cors refuses, and the origin check refuses the
// rest.
func (s *Server) guardWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		if !s.originAllowed(r) {
			writeError(w, http.StatusForbidden, "cross-site request refused: the origin "+quote(r.Header.Get("Origin"))+
				" is not this server's nor one of PRESTO_ALLOWED_ORIGINS")
			return
		}
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "the body must be JSON, sent with Content-Type: application/json")
			return
		}
		next.ServeHTTP(w, r)
	})
}
