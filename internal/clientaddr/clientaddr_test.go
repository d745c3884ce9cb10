package clientaddr

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestFrom(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	tests := []struct {
		name    string
		peer    string
		xff     []string // one X-Forwarded-For header per element
		trusted []netip.Prefix
		want    string
	}{
		{"no proxies trusted: the peer, header ignored", "203.0.113.7:5000", []string{"198.51.100.1"}, nil, "203.0.113.7"},
		{"untrusted peer cannot forge the header", "203.0.113.7:5000", []string{"198.51.100.1"}, proxies, "203.0.113.7"},
		{"trusted peer, one hop", "10.0.0.2:5000", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"right-most untrusted wins over a forged left part", "10.0.0.2:5000", []string{"1.1.1.1, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"trusted hops are skipped", "10.0.0.2:5000", []string{"1.1.1.1, 198.51.100.1, 10.1.1.1, 10.2.2.2"}, proxies, "198.51.100.1"},
		{"several headers read as one list, last header last", "10.0.0.2:5000", []string{"1.1.1.1", "198.51.100.1, 10.1.1.1"}, proxies, "198.51.100.1"},
		{"trusted peer without the header", "10.0.0.2:5000", nil, proxies, "10.0.0.2"},
		{"only trusted hops: the left-most", "10.0.0.2:5000", []string{"10.9.9.9, 10.1.1.1"}, proxies, "10.9.9.9"},
		{"garbage stops at the hop that sent it", "10.0.0.2:5000", []string{"198.51.100.1, not-an-ip, 10.1.1.1"}, proxies, "10.1.1.1"},
		{"garbage right after the peer: the peer", "10.0.0.2:5000", []string{"1.1.1.1, unknown"}, proxies, "10.0.0.2"},
		{"empty entries skipped", "10.0.0.2:5000", []string{" , 198.51.100.1 ,"}, proxies, "198.51.100.1"},
		{"entries with ports", "10.0.0.2:5000", []string{"198.51.100.1:443"}, proxies, "198.51.100.1"},
		{"bracketed IPv6 with a port", "10.0.0.2:5000", []string{"[2001:db8::1]:443"}, proxies, "2001:db8::1"},
		{"IPv6 peer and entry", "[fd00::5]:5000", []string{"2001:db8::1, fd00::9"}, proxies, "2001:db8::1"},
		{"IPv4-mapped peer is unmapped and trusted", "[::ffff:10.0.0.2]:5000", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"IPv4-mapped entry is unmapped", "10.0.0.2:5000", []string{"::ffff:198.51.100.1"}, proxies, "198.51.100.1"},
		{"a zone is dropped", "[fe80::1%eth0]:5000", nil, nil, "fe80::1"},
		{"an unreadable peer is the zero address", "pipe", []string{"198.51.100.1"}, proxies, "invalid IP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tt.peer
			for _, h := range tt.xff {
				r.Header.Add("X-Forwarded-For", h)
			}
			if got := From(r, tt.trusted).String(); got != tt.want {
				t.Fatalf("From = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := ParsePrefixes(" 10.0.0.0/8, 192.168.1.7 ,fd00::/8,::1, 172.16.5.9/12,")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.168.1.7/32", "fd00::/8", "::1/128", "172.16.0.0/12"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if none, err := ParsePrefixes(""); err != nil || len(none) != 0 {
		t.Fatalf("empty list: %v %v", none, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0"} {
		if _, err := ParsePrefixes("10.0.0.1," + bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Fatalf("%q: error %v, want one quoting it", bad, err)
		}
	}
}
