package connlimit

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// TestCapsPerPeerAndInAll holds every connection it accepts and reads from the client side to
// see which ones the listener closed at accept.
func TestCapsPerPeerAndInAll(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var refused []string
	proxy := netip.MustParseAddr("127.0.0.3")
	ln := New(inner, Limits{Total: 4, PerPeer: 2, Shared: func(a netip.Addr) bool { return a == proxy },
		Refused: func(reason string) { mu.Lock(); refused = append(refused, reason); mu.Unlock() }})
	defer ln.Close()
	accepted := make(chan net.Conn, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}
	}()

	// dial connects from the loopback address from and reports whether the server kept the
	// connection (a closed one reads EOF at once; a kept one times out).
	dial := func(from string) (net.Conn, bool) {
		t.Helper()
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
		c, err := d.Dial("tcp", inner.Addr().String())
		if err != nil {
			t.Fatalf("dial from %s: %v", from, err)
		}
		t.Cleanup(func() { c.Close() })
		_ = c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		_, err = c.Read(make([]byte, 1))
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return c, true
		}
		if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
			t.Logf("read from a refused connection: %v", err) // a reset is as good as an EOF
		}
		return c, false
	}
	want := func(from string, kept bool) net.Conn {
		t.Helper()
		c, got := dial(from)
		if got != kept {
			t.Fatalf("a connection from %s kept %v, want %v", from, got, kept)
		}
		return c
	}

	want("127.0.0.1", true)
	want("127.0.0.1", true)
	want("127.0.0.1", false) // the peer's third
	want("127.0.0.2", true)  // another peer has its own two
	want("127.0.0.3", true)  // a shared peer (a proxy) only counts in the total, now full
	want("127.0.0.3", false) // past the total
	want("127.0.0.2", false)

	// A closed connection gives its slot back, once, however often it is closed.
	first := <-accepted
	_ = first.Close()
	_ = first.Close()
	want("127.0.0.2", true)
	want("127.0.0.2", false)

	mu.Lock()
	defer mu.Unlock()
	if got := len(refused); got != 4 || refused[0] != "peer" || refused[1] != "total" || refused[2] != "total" || refused[3] != "total" {
		t.Fatalf("refusals %v, want peer then three totals", refused)
	}
}
