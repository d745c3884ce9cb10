package voice

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"presto/internal/modes"
	"presto/internal/persona"
)

// probeTimeout bounds a probe whose context has no sooner deadline: the handshake, the
// session.update and its answer.
const probeTimeout = 20 * time.Second

// probeVoice is the voice of a probe whose Settings name none; the upstream refuses an empty one.
const probeVoice = "marin"

// ProbeResult is what one probe of the realtime upstream found.
type ProbeResult struct {
	// Preview is true when the preview route was used: GA answered 404, or Upstream.PreviewFirst.
	Preview bool
	// Status is the HTTP status of a refused handshake; 0 when the socket opened or no answer came.
	Status int
	// Code and Message are the upstream's error event, when it answered the session.update with one.
	Code    string
	Message string
	// Model is the model session.updated names, when it names one.
	Model string
	// Elapsed runs from the dial to the answer.
	Elapsed time.Duration
}

// Probe opens the realtime socket the way the relay does (GA, the preview form on 404), sends the
// session.update of a neutral session with s's voice settings, waits for session.updated (or an
// error event) and closes. It returns a non-nil error when the upstream did not accept the
// session; the result says where it stopped. Nothing is spoken, so nothing is billed but the
// session.
func Probe(ctx context.Context, up Upstream, s Settings) (ProbeResult, error) {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	start := time.Now()
	var res ProbeResult
	conn, preview, err := up.dial(ctx)
	res.Preview = preview
	if err != nil {
		if de := (*DialError)(nil); errors.As(err, &de) {
			res.Status = de.Status
		}
		res.Elapsed = time.Since(start)
		return res, err
	}
	defer conn.CloseNow()
	if s.DefaultVoice == "" {
		s.DefaultVoice = probeVoice
	}
	m := modes.Mode{ID: modes.HomeID, Name: "Presto-Change-O", CompanyName: "Presto-Change-O",
		Prompt: "This session only checks that the realtime model accepts the settings."}
	if err := wsjson.Write(ctx, conn, sessionUpdate(s, m, persona.Persona{Name: "Check"}, "", nil, preview)); err != nil {
		res.Elapsed = time.Since(start)
		return res, fmt.Errorf("send session.update: %w", err)
	}
	for {
		var ev struct {
			Type    string `json:"type"`
			Session struct {
				Model string `json:"model"`
			} `json:"session"`
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := wsjson.Read(ctx, conn, &ev); err != nil {
			res.Elapsed = time.Since(start)
			if ctx.Err() != nil {
				return res, fmt.Errorf("no session.updated in time: %w", ctx.Err())
			}
			return res, fmt.Errorf("the realtime socket ended before session.updated: %w", err)
		}
		switch ev.Type {
		case "session.updated":
			res.Model, res.Elapsed = ev.Session.Model, time.Since(start)
			_ = conn.Close(websocket.StatusNormalClosure, "probe done")
			return res, nil
		case "error":
			res.Code, res.Message, res.Elapsed = ev.Error.Code, ev.Error.Message, time.Since(start)
			_ = conn.Close(websocket.StatusNormalClosure, "probe done")
			return res, fmt.Errorf("the realtime model refused the session.update: %s (%s)", ev.Error.Message, ev.Error.Code)
		}
	}
}
