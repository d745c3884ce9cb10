package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"presto/internal/llm/llmtest"
	"presto/internal/llm/realtimetest"
)

const (
	voiceBenchSessions = 100
	voiceFrame         = 20 * time.Millisecond
	voiceFrameSamples  = 20 * realtimetest.SampleRate / 1000
	// A session's conversation repeats a 3 s cycle, as a call does: 800 ms of speech, then silence
	// (the microphone keeps streaming) while the 600 ms answer plays in 20 ms chunks. The speech of
	// session s starts s*voiceTurnSpread/100 frames into the cycle, so that the sessions' turns are
	// spread over a second, as when 100 people talk, not all in the same 20 ms.
	voiceCycleFrames  = 150
	voiceSpeechFrames = 40
	voiceTurnSpread   = 50
	voiceSilenceMs    = 200 // silence that ends an utterance: the answer starts 10 frames after the speech
	voiceAnswerMs     = 600
	voiceCyclesPerOp  = 4 // measured cycles per op: 12 s of streaming per session and per path
)

// BenchmarkVoiceRelay measures what the /voice relay adds to audio, both ways, with 100 voice
// sessions streaming in real time: each client sends one 20 ms frame every 20 ms (a ticker per
// session, the sessions' phases spread over the 20 ms), and the fake realtime model answers every
// utterance with audio in 20 ms chunks paced 20 ms apart. The baseline is the same 100
// conversations with plain WebSocket clients connected straight to the same fake. The two take
// turns, one 2 s cycle each, so that the load of whatever else runs on the machine falls on both;
// the first cycle of each is a warm-up, counted for loss and order but not for latency.
//
// The fake's listener is tapped (wireTap): it timestamps each WebSocket message when the fake
// reads it off the socket and when it writes one, so no hook in realtimetest is needed.
//   - Upstream: client write of a frame → the fake reading it. Speech frames carry the session
//     and the frame number in their first samples; silent frames (all zero, or the fake would hear
//     speech) are matched by their position on the connection.
//   - Downstream: the fake writing an audio delta → the client reading it (the fake's numbered
//     samples name the chunk; CheckNumbered checks order and loss per item).
//
// It reports p50 and p99 of (through the relay) minus (direct) per direction, frames lost and
// reordered through the relay (both directions), the CPU used while each path streams (100% is
// one core), and the RSS growth per voice session, from before the 100 /voice sockets open to
// 4.5 s into their streaming. Two ways:
//
//   - server=in-process: the server runs in the test process, beside the fake and the clients. The
//     RSS is the whole process's, and the fake keeps every event it reads (about 65 KB a second
//     per streaming session): an upper bound. Their garbage collections are the server's too.
//
//   - server=own-process: the server built and run as its own process, as in production; the RSS
//     is that process's alone.
//
//     go test ./cmd/presto -run '^$' -bench VoiceRelay -benchtime 1x
func BenchmarkVoiceRelay(b *testing.B) {
	b.Run("server=in-process", func(b *testing.B) { benchVoiceRelay(b, "") })
	bin := filepath.Join(b.TempDir(), "presto")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	b.Run("server=own-process", func(b *testing.B) { benchVoiceRelay(b, bin) })
}

// benchVoiceRelay runs the benchmark with the server in this process, or as bin when set.
func benchVoiceRelay(b *testing.B, bin string) {
	rt := realtimetest.NewHandler(realtimetest.Options{
		SilenceMs:  voiceSilenceMs,
		ChunkMs:    20,
		ChunkDelay: voiceFrame,
		Respond: func(realtimetest.Turn) realtimetest.Answer {
			return realtimetest.Answer{Text: "Your balance is about four thousand dollars.", AudioMs: voiceAnswerMs}
		},
	})
	mux := http.NewServeMux()
	mux.Handle("/openai/v1/realtime", rt)
	mux.Handle("/", llmtest.NewHandler(func(*llmtest.Request) llmtest.Reply { return llmtest.Text("ok", 1) }))
	fake := httptest.NewUnstartedServer(mux)
	tap := &wireTap{Listener: fake.Listener}
	fake.Listener = tap
	fake.Start()
	b.Cleanup(fake.Close)
	b.Cleanup(rt.Close) // runs first: ends the hijacked connections
	env := withLoadBudgets(map[string]string{
		"AZURE_PROJECT_ENDPOINT": fake.URL, "AZURE_API_KEY": "voice-key", "AZURE_REALTIME_DEPLOYMENT": "rt-dep",
		"PRESTO_PREFETCH_TABS": "false", "LOG_LEVEL": "error", "PRESTO_VOICE_SILENCE_MS": fmt.Sprint(voiceSilenceMs),
		"PRESTO_MAX_VOICE_SESSIONS": "1000", "PRESTO_VOICE_MAX_MINUTES": "1000",
		"PRESTO_MAX_SOCKETS_PER_ADDRESS": "100000", "PRESTO_SOCKET_MESSAGES_PER_SECOND": "1000000",
	})
	var a *app
	pids := []int{os.Getpid()}
	serverPID := os.Getpid()
	if bin == "" {
		a = startApp(b, env)
	} else {
		a, serverPID = startServerProcess(b, bin, env)
		pids = append(pids, serverPID)
	}
	cycles := 1 + b.N*voiceCyclesPerOp
	b.Logf("load average before: %s", loadAverage())

	// The relay's sockets open first, so that the RSS baseline is the idle server.
	relay := newVoicePhase(voiceBenchSessions, cycles*voiceCycleFrames, pids)
	direct := newVoicePhase(voiceBenchSessions, cycles*voiceCycleFrames, pids)
	tap.phase.Store(relay)
	runtime.GC()
	debug.FreeOSMemory()
	before := rssMB(b, serverPID)
	b.ResetTimer()
	mics := make([]*websocket.Conn, voiceBenchSessions)
	for s := range mics {
		mics[s] = dialVoiceBench(b, a, fmt.Sprintf("?session=voice-bench-%03d", s))
	}
	relay.open(mics, true)
	relay.cycle(b, 0, nil)
	var during float64
	relay.cycle(b, 1, func() { during = rssMB(b, serverPID) })

	tap.phase.Store(direct)
	clients := make([]*websocket.Conn, voiceBenchSessions)
	for s := range clients {
		clients[s] = dialFakeDirect(b, "ws"+strings.TrimPrefix(fake.URL, "http")+"/openai/v1/realtime?model=rt-dep")
	}
	direct.open(clients, false)
	direct.cycle(b, 0, nil)
	for c := 1; c < cycles; c++ {
		direct.cycle(b, c, nil)
		if c+1 < cycles {
			relay.cycle(b, c+1, nil)
		}
	}
	time.Sleep(500 * time.Millisecond) // the last frames arrive; the last answers ended long before
	relay.close(b)
	direct.close(b)
	b.StopTimer()
	b.Logf("load average after: %s", loadAverage())

	upRelay, upLost, upReordered := relay.upstream(b)
	upDirect, _, _ := direct.upstream(b)
	downRelay, downLost, downReordered := relay.downstream(b)
	downDirect, _, _ := direct.downstream(b)
	b.ReportMetric(ms(pct(upRelay, 50)-pct(upDirect, 50)), "up-added-p50-ms")
	b.ReportMetric(ms(pct(upRelay, 99)-pct(upDirect, 99)), "up-added-p99-ms")
	b.ReportMetric(ms(pct(downRelay, 50)-pct(downDirect, 50)), "down-added-p50-ms")
	b.ReportMetric(ms(pct(downRelay, 99)-pct(downDirect, 99)), "down-added-p99-ms")
	b.ReportMetric(ms(pct(upRelay, 99)), "up-relay-p99-ms")
	b.ReportMetric(ms(pct(downRelay, 99)), "down-relay-p99-ms")
	b.ReportMetric(float64(upLost+downLost), "frames-lost")
	b.ReportMetric(float64(upReordered+downReordered), "frames-reordered")
	b.ReportMetric((during-before)*1024/voiceBenchSessions, "rss-per-session-kb")
	b.ReportMetric(100*float64(relay.cpu)/float64(relay.wall), "relay-cpu-%")
	b.ReportMetric(100*float64(direct.cpu)/float64(direct.wall), "direct-cpu-%")
	b.Logf("up: %d frames via the relay (p50 %.2f ms, p99 %.2f ms), %d direct (p50 %.2f, p99 %.2f); lost %d, reordered %d",
		len(upRelay), ms(pct(upRelay, 50)), ms(pct(upRelay, 99)), len(upDirect), ms(pct(upDirect, 50)), ms(pct(upDirect, 99)), upLost, upReordered)
	b.Logf("down: %d chunks via the relay (p50 %.2f ms, p99 %.2f ms), %d direct (p50 %.2f, p99 %.2f); lost %d, reordered %d",
		len(downRelay), ms(pct(downRelay, 50)), ms(pct(downRelay, 99)), len(downDirect), ms(pct(downDirect, 50)), ms(pct(downDirect, 99)), downLost, downReordered)
	b.Logf("rss %.1f MB before, %.1f MB while streaming", before, during)
}

// dialVoiceBench opens /voice for a session and reads until its upstream is connected.
func dialVoiceBench(b *testing.B, a *app, query string) *websocket.Conn {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(a.url, "http")+"/voice"+query, nil)
	if err != nil {
		b.Fatalf("dial /voice: %v", err)
	}
	c.SetReadLimit(1 << 20)
	b.Cleanup(func() { c.CloseNow() })
	for {
		_, data, err := c.Read(ctx)
		if err != nil {
			b.Fatalf("/voice%s: %v before connected", query, err)
		}
		var m struct {
			Type    string
			Payload struct{ Status, Reason string }
		}
		_ = json.Unmarshal(data, &m)
		if m.Type == "status" && m.Payload.Status == "connected" {
			return c
		}
		if m.Type == "status" && m.Payload.Status == "error" {
			b.Fatalf("/voice%s: %s", query, m.Payload.Reason)
		}
	}
}

// dialFakeDirect opens the fake's realtime socket as a plain client and reads session.created.
func dialFakeDirect(b *testing.B, url string) *websocket.Conn {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		b.Fatalf("dial the fake: %v", err)
	}
	c.SetReadLimit(1 << 20)
	b.Cleanup(func() { c.CloseNow() })
	if _, _, err := c.Read(ctx); err != nil {
		b.Fatalf("session.created: %v", err)
	}
	return c
}

// voiceFrameSpeech reports whether frame k of session s is speech (else silence).
func voiceFrameSpeech(s, k int) bool {
	start := s * voiceTurnSpread / voiceBenchSessions
	i := k % voiceCycleFrames
	return i >= start && i < start+voiceSpeechFrames
}

// voiceFramePCM is frame k of session s: speech whose first samples say s and k, or silence.
func voiceFramePCM(s, k int) string {
	pcm := make([]int16, voiceFrameSamples)
	if !voiceFrameSpeech(s, k) {
		return realtimetest.PCM(pcm)
	}
	for i := range pcm {
		pcm[i] = 3000
		if i/12%2 == 1 {
			pcm[i] = -3000
		}
	}
	pcm[0], pcm[1], pcm[2] = int16(s+1), int16(k%30000+1), int16(k/30000+1)
	return realtimetest.PCM(pcm)
}

type upRec struct {
	at  time.Time
	seq int // the frame number a speech frame carries; -1 for silence
}

type downRec struct {
	item   string
	offset int // the chunk's first sample in its item
	at     time.Time
}

// voicePhase is one run of the 100 conversations, through the relay or direct, with what the
// tap and the clients recorded. Slices are indexed by session; each is written by one goroutine.
type voicePhase struct {
	clients  []*websocket.Conn
	viaRelay bool
	ctx      context.Context
	cancel   context.CancelFunc
	ctxs     []context.Context // one per socket
	cancels  []context.CancelFunc
	readers  sync.WaitGroup
	warmEnd  time.Time     // the end of the warm-up cycle
	wall     time.Duration // the measured cycles' length
	cpu      time.Duration // the processes' CPU time during them
	pids     []int         // the processes: this one, and the server's when it has its own
	sent     [][]time.Time // client writes of each frame
	up       [][]upRec     // the fake's reads of each session's appends, in order
	fakeDown [][]downRec   // the fake's writes of audio deltas
	gotDown  [][]downRec   // the clients' reads of them
	reorder  []int         // audio chunks out of order or with a gap, seen by the client
	conns    atomic.Int32  // fake connections bound to a session
	strays   atomic.Int32  // appends the tap could not place
	trouble  atomic.Int32  // status or error messages other than connected

	tapsMu sync.Mutex
	taps   []*tapConn
}

// settle waits out the tap's parsers, so that what they recorded is visible here, and counts
// the appends of a connection that never said whose it was.
func (p *voicePhase) settle() {
	p.tapsMu.Lock()
	defer p.tapsMu.Unlock()
	for _, c := range p.taps {
		c.readMu.Lock()
		p.strays.Add(int32(len(c.early)))
		c.readMu.Unlock()
		c.waitWrites()
	}
}

// waitWrites returns once the write being parsed, if any, is recorded: the lock is a barrier.
func (c *tapConn) waitWrites() {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
}

func newVoicePhase(sessions, frames int, pids []int) *voicePhase {
	p := &voicePhase{pids: pids, sent: make([][]time.Time, sessions), up: make([][]upRec, sessions),
		fakeDown: make([][]downRec, sessions), gotDown: make([][]downRec, sessions), reorder: make([]int, sessions)}
	chunks := (frames/voiceCycleFrames + 1) * voiceAnswerMs / 20
	for s := range sessions {
		p.sent[s] = make([]time.Time, 0, frames)
		p.up[s] = make([]upRec, 0, frames+8)
		p.fakeDown[s] = make([]downRec, 0, chunks)
		p.gotDown[s] = make([]downRec, 0, chunks)
		// Written now, so that their pages are resident before the RSS baseline.
		clear(p.sent[s][:frames])
		clear(p.up[s][:frames+8])
		clear(p.fakeDown[s][:chunks])
		clear(p.gotDown[s][:chunks])
	}
	return p
}

// open starts reading what comes back on conns.
func (p *voicePhase) open(conns []*websocket.Conn, viaRelay bool) {
	p.clients, p.viaRelay = conns, viaRelay
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.ctxs = make([]context.Context, len(conns))
	for s, c := range conns {
		// One context per socket: its reads and writes each hang a callback on their context,
		// and 200 goroutines sharing one would queue on its lock.
		var cancel context.CancelFunc
		p.ctxs[s], cancel = context.WithCancel(p.ctx)
		p.cancels = append(p.cancels, cancel)
		p.readers.Add(1)
		go func() {
			defer p.readers.Done()
			p.read(p.ctxs[s], s, c, viaRelay)
		}()
	}
}

// cycle streams cycle c of every session's frames in real time, one frame per 20 ms per session.
// mid, if set, runs halfway through.
func (p *voicePhase) cycle(b *testing.B, c int, mid func()) {
	var senders sync.WaitGroup
	start, cpu := time.Now(), processCPU(p.pids)
	if c == 1 {
		p.warmEnd = start
	}
	defer func() {
		if c >= 1 {
			p.wall += time.Since(start)
			p.cpu += processCPU(p.pids) - cpu
		}
	}()
	for s, conn := range p.clients {
		senders.Add(1)
		go func() {
			defer senders.Done()
			time.Sleep(time.Until(start.Add(voiceFrame * time.Duration(s) / time.Duration(len(p.clients)))))
			tick := time.NewTicker(voiceFrame)
			defer tick.Stop()
			for k := c * voiceCycleFrames; k < (c+1)*voiceCycleFrames; k++ {
				<-tick.C
				var msg []byte
				if p.viaRelay {
					msg = []byte(`{"type":"audio","payload":{"data":"` + voiceFramePCM(s, k) + `"}}`)
				} else { // what the relay sends upstream
					msg = []byte(`{"type":"input_audio_buffer.append","audio":"` + voiceFramePCM(s, k) + `"}`)
				}
				p.sent[s] = append(p.sent[s], time.Now())
				if err := conn.Write(p.ctxs[s], websocket.MessageText, msg); err != nil {
					b.Errorf("session %d frame %d: %v", s, k, err)
					return
				}
			}
		}()
	}
	if mid != nil {
		time.Sleep(voiceCycleFrames * voiceFrame / 2)
		mid()
	}
	senders.Wait()
}

// close ends the clients and checks that each session kept one upstream connection.
func (p *voicePhase) close(b *testing.B) {
	for _, c := range p.clients {
		c.CloseNow()
	}
	p.readers.Wait()
	for _, cancel := range p.cancels {
		cancel()
	}
	p.cancel()
	p.settle()
	if n := p.conns.Load(); int(n) != len(p.clients) {
		b.Errorf("%d upstream connections carried audio, want %d (a reconnect?)", n, len(p.clients))
	}
	if n := p.trouble.Load(); n > 0 {
		b.Errorf("%d status or error messages other than connected", n)
	}
	if n := p.strays.Load(); n > 0 {
		b.Errorf("%d appends the tap could not place", n)
	}
}

// processCPU is the CPU time the processes have used, user and system, from /proc.
func processCPU(pids []int) time.Duration {
	var total time.Duration
	for _, pid := range pids {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		_, rest, _ := bytes.Cut(stat, []byte(") ")) // after the command name, which may hold spaces
		f := strings.Fields(string(rest))
		if len(f) < 13 {
			continue
		}
		utime, _ := strconv.Atoi(f[11])
		stime, _ := strconv.Atoi(f[12])
		total += time.Duration(utime+stime) * time.Second / 100 // USER_HZ
	}
	return total
}

// startServerProcess runs the built server with env and returns it and its pid; it is killed
// when the benchmark ends.
func startServerProcess(b *testing.B, bin string, env map[string]string) (*app, int) {
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "PRESTO_ADDR=127.0.0.1:0", "PRESTO_DATA_DIR="+b.TempDir())
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	out := bufio.NewReader(stdout)
	line, _ := out.ReadString('\n')
	go io.Copy(io.Discard, out)
	_, rest, _ := strings.Cut(line, "http://")
	addr, _, _ := strings.Cut(rest, " ")
	a := &app{url: "http://" + addr}
	waitHealthy(b, a.url)
	return a, cmd.Process.Pid
}

// loadAverage is the first three fields of /proc/loadavg.
func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// read records the audio a client receives until its socket closes.
func (p *voicePhase) read(ctx context.Context, s int, c *websocket.Conn, viaRelay bool) {
	next := map[string]int{} // the next sample expected, per item
	for {
		_, data, err := c.Read(ctx)
		at := time.Now()
		if err != nil {
			return
		}
		var item, audio string
		if viaRelay {
			var m struct {
				Type    string
				Payload struct {
					ItemID string `json:"item_id"`
					Data   string
					Status string
				}
			}
			_ = json.Unmarshal(data, &m)
			switch {
			case m.Type == "audio":
				item, audio = m.Payload.ItemID, m.Payload.Data
			case m.Type == "error", m.Type == "status" && m.Payload.Status != "connected":
				p.trouble.Add(1)
			}
		} else {
			var ev struct {
				Type   string
				ItemID string `json:"item_id"`
				Delta  string
			}
			_ = json.Unmarshal(data, &ev)
			switch ev.Type {
			case "response.output_audio.delta":
				item, audio = ev.ItemID, ev.Delta
			case "error":
				p.trouble.Add(1)
			}
		}
		if audio == "" {
			continue
		}
		pcm, err := realtimetest.DecodePCM(audio)
		if err != nil || len(pcm) == 0 {
			p.reorder[s]++
			continue
		}
		if realtimetest.CheckNumbered(pcm, next[item]) != nil {
			p.reorder[s]++
		}
		offset := int(pcm[0]) - 1
		next[item] = offset + len(pcm)
		p.gotDown[s] = append(p.gotDown[s], downRec{item: item, offset: offset, at: at})
	}
}

// upstream pairs each session's k-th frame written with the k-th append the fake read: the
// delays after the warm-up, the frames lost, and the frames out of place.
func (p *voicePhase) upstream(b *testing.B) (delays []time.Duration, lost, reordered int) {
	for s := range p.sent {
		sent, got := p.sent[s], p.up[s]
		lost += max(len(sent)-len(got), 0)
		if len(got) > len(sent) {
			b.Errorf("session %d: the fake read %d appends, %d were sent", s, len(got), len(sent))
		}
		for k, r := range got[:min(len(got), len(sent))] {
			want := -1
			if voiceFrameSpeech(s, k) {
				want = k
			}
			if r.seq != want {
				reordered++
			}
			if sent[k].After(p.warmEnd) {
				delays = append(delays, r.at.Sub(sent[k]))
			}
		}
	}
	slices.Sort(delays)
	return delays, lost, reordered
}

// downstream pairs each audio delta the fake wrote with its arrival at the client.
func (p *voicePhase) downstream(b *testing.B) (delays []time.Duration, lost, reordered int) {
	type key struct {
		item   string
		offset int
	}
	for s := range p.fakeDown {
		wrote := make(map[key]time.Time, len(p.fakeDown[s]))
		for _, r := range p.fakeDown[s] {
			wrote[key{r.item, r.offset}] = r.at
		}
		matched := 0
		for _, r := range p.gotDown[s] {
			at, ok := wrote[key{r.item, r.offset}]
			if !ok {
				b.Errorf("session %d: a chunk %s@%d the fake never wrote to it", s, r.item, r.offset)
				continue
			}
			matched++
			if at.After(p.warmEnd) {
				delays = append(delays, r.at.Sub(at))
			}
		}
		lost += len(wrote) - matched
		reordered += p.reorder[s]
	}
	slices.Sort(delays)
	return delays, lost, reordered
}

// wireTap is the fake's listener, wrapped so that every connection timestamps the WebSocket
// messages the fake reads and writes into the current phase.
type wireTap struct {
	net.Listener
	phase atomic.Pointer[voicePhase]
}

func (l *wireTap) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &tapConn{Conn: c, phase: l.phase.Load()}
	tc.sess.Store(-1)
	if tc.phase != nil {
		tc.phase.tapsMu.Lock()
		tc.phase.taps = append(tc.phase.taps, tc)
		tc.phase.tapsMu.Unlock()
	}
	return tc, nil
}

// tapConn parses the WebSocket frames on one connection of the fake: the masked client frames it
// reads, the frames it writes.
type tapConn struct {
	net.Conn
	phase   *voicePhase
	sess    atomic.Int32 // the session, from its first speech frame
	readMu  sync.Mutex
	in      wsParse
	early   []upRec // appends read before the session was known
	writeMu sync.Mutex
	out     wsParse
}

func (c *tapConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 && c.phase != nil {
		at := time.Now()
		c.readMu.Lock()
		c.in.feed(b[:n], func(msg []byte) { c.received(msg, at) })
		c.readMu.Unlock()
	}
	return n, err
}

func (c *tapConn) Write(b []byte) (int, error) {
	if c.phase != nil {
		at := time.Now()
		c.writeMu.Lock()
		c.out.feed(b, func(msg []byte) { c.wrote(msg, at) })
		c.writeMu.Unlock()
	}
	return c.Conn.Write(b)
}

var (
	appendHead = []byte(`{"type":"input_audio_buffer.append","audio":"`) // as the relay writes it
	appendTail = []byte(`"}`)
	deltaTail  = []byte(`"type":"response.output_audio.delta"}`)
	deltaKey   = []byte(`"delta":"`)
	itemKey    = []byte(`"item_id":"`)
)

// received places one client event the fake read: an input_audio_buffer.append.
func (c *tapConn) received(msg []byte, at time.Time) {
	msg = bytes.TrimRight(msg, "\n")
	if !bytes.HasPrefix(msg, appendHead) || !bytes.HasSuffix(msg, appendTail) || len(msg) < len(appendHead)+8 {
		return
	}
	var head [6]byte
	if _, err := base64.StdEncoding.Decode(head[:], msg[len(appendHead):len(appendHead)+8]); err != nil {
		c.phase.strays.Add(1)
		return
	}
	s0 := int(int16(binary.LittleEndian.Uint16(head[0:])))
	r := upRec{at: at, seq: -1}
	if s0 != 0 { // speech: the session and the frame number
		r.seq = int(int16(binary.LittleEndian.Uint16(head[2:]))) - 1 + 30000*(int(int16(binary.LittleEndian.Uint16(head[4:])))-1)
		if c.sess.Load() < 0 {
			c.sess.Store(int32(s0 - 1))
			c.phase.conns.Add(1)
		}
	}
	s := int(c.sess.Load())
	if s < 0 { // silence before the session's first speech: placed once that says whose it is
		c.early = append(c.early, r)
		return
	}
	if s >= len(c.phase.up) {
		c.phase.strays.Add(1)
		return
	}
	c.phase.up[s] = append(append(c.phase.up[s], c.early...), r)
	c.early = nil
}

// wrote places one event the fake wrote: an audio delta, by its item and first sample.
func (c *tapConn) wrote(msg []byte, at time.Time) {
	if !bytes.HasSuffix(msg, deltaTail) {
		return
	}
	s := int(c.sess.Load())
	d, i := bytes.Index(msg, deltaKey), bytes.Index(msg, itemKey)
	if s < 0 || d < 0 || i < 0 || len(msg) < d+len(deltaKey)+4 {
		return
	}
	var head [3]byte
	if _, err := base64.StdEncoding.Decode(head[:], msg[d+len(deltaKey):d+len(deltaKey)+4]); err != nil {
		return
	}
	id := msg[i+len(itemKey):]
	id = id[:max(bytes.IndexByte(id, '"'), 0)]
	offset := int(int16(binary.LittleEndian.Uint16(head[:]))) - 1
	c.phase.fakeDown[s] = append(c.phase.fakeDown[s], downRec{item: string(id), offset: offset, at: at})
}

// wsParse reassembles WebSocket messages from one direction of a connection's bytes, after the
// HTTP head. Control frames are skipped; no extension is negotiated here.
type wsParse struct {
	headDone bool
	pending  []byte
	msg      []byte
}

func (p *wsParse) feed(b []byte, deliver func([]byte)) {
	data := append(p.pending, b...)
	off := 0
	if !p.headDone {
		i := bytes.Index(data, []byte("\r\n\r\n"))
		if i < 0 {
			p.pending = data
			return
		}
		p.headDone, off = true, i+4
	}
	for {
		f := data[off:]
		if len(f) < 2 {
			break
		}
		n, h := int(f[1]&0x7f), 2
		if n == 126 {
			if len(f) < 4 {
				break
			}
			n, h = int(binary.BigEndian.Uint16(f[2:])), 4
		} else if n == 127 {
			if len(f) < 10 {
				break
			}
			n, h = int(binary.BigEndian.Uint64(f[2:])), 10
		}
		masked := f[1]&0x80 != 0
		if masked {
			h += 4
		}
		if len(f) < h+n {
			break
		}
		payload := f[h : h+n]
		if masked {
			key := f[h-4 : h]
			for i := range payload {
				payload[i] ^= key[i%4]
			}
		}
		if op := f[0] & 0x0f; op < 8 {
			p.msg = append(p.msg, payload...)
			if f[0]&0x80 != 0 {
				deliver(p.msg)
				p.msg = p.msg[:0]
			}
		}
		off += h + n
	}
	p.pending = append(data[:0], data[off:]...)
}
