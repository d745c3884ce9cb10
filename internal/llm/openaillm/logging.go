package openaillm

import (
	"log/slog"
	"time"

	"presto/internal/llm"
)

// levelFor logs cancellations at debug (the user moved on) and other failures at warn.
func levelFor(e *llm.Error) slog.Level {
	if e.Kind == llm.KindCanceled {
		return slog.LevelDebug
	}
	return slog.LevelWarn
}

// errAttrs describe a failure without secrets: the SDK's error formats as a status summary only.
func errAttrs(e *llm.Error, start time.Time) []slog.Attr {
	return []slog.Attr{
		slog.String("kind", string(e.Kind)), slog.Int("status", e.Status),
		slog.Bool("retryable", e.Retryable), slog.Duration("after", time.Since(start)),
		slog.String("error", e.Error()),
	}
}
