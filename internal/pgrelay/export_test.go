package pgrelay

import (
	"context"
	"log/slog"
	"time"
)

// Options are the knobs tests turn; zero fields keep Open's defaults.
type Options struct {
	QueueSize  int
	Retention  time.Duration
	SweepEvery time.Duration
	IdlePing   time.Duration
}

// OpenWith is Open with some defaults changed.
func OpenWith(ctx context.Context, databaseURL string, logger *slog.Logger, o Options) (*Relay, error) {
	opts := defaultOptions()
	if o.QueueSize > 0 {
		opts.queueSize = o.QueueSize
	}
	if o.Retention > 0 {
		opts.retention = o.Retention
	}
	if o.SweepEvery > 0 {
		opts.sweepEvery = o.SweepEvery
	}
	if o.IdlePing > 0 {
		opts.idlePing = o.IdlePing
	}
	return open(ctx, databaseURL, logger, opts)
}

// ListenerPID is the server process of the listening connection.
func (r *Relay) ListenerPID() uint32 { return r.listenPID.Load() }

// PublisherPID is the server process of the publishing connection.
func (r *Relay) PublisherPID() uint32 { return r.publishPID.Load() }

// Channel is the notification channel.
func (r *Relay) Channel() string { return r.channel }

// MaxPayload is the longest notification payload the server accepts.
func (r *Relay) MaxPayload() int { return r.maxPayload }
