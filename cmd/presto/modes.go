package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"presto/internal/store"
)

// modePruneEvery is how often a server prunes the generated modes unused for ttl: hourly for a
// TTL of days (an hour late is nothing, and the prune is one delete), a quarter of a shorter one.
func modePruneEvery(ttl time.Duration) time.Duration { return min(time.Hour, ttl/4) }

// runModes is `presto modes prune [-unused-for 30d] [-data-dir dir]`: delete the generated modes
// no session has used for that long (default PRESTO_MODE_TTL), with their cached tabs and images,
// from the configured store. Prebuilt modes are not in the store and so are never touched; a mode
// of a session saved within that time is kept.
func runModes(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "prune" {
		return errors.New("modes: want `presto modes prune [-unused-for 30d] [-data-dir dir]`")
	}
	fs := flag.NewFlagSet("presto modes prune", flag.ContinueOnError)
	fs.SetOutput(stderr)
	unusedFor := fs.String("unused-for", "", "prune generated modes unused this long, like 30d or 720h (default PRESTO_MODE_TTL)")
	dataDir := fs.String("data-dir", "", "data directory (PRESTO_DATA_DIR)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("modes prune: unexpected argument %q", fs.Arg(0))
	}
	var configArgs []string
	if *dataDir != "" {
		configArgs = []string{"-data-dir", *dataDir}
	}
	cfg, err := loadConfig(configArgs, getenv, stderr)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	age := cfg.ModeTTL
	if *unusedFor != "" {
		if age, err = parseAge(*unusedFor); err != nil {
			return fmt.Errorf("modes prune: -unused-for %w", err)
		}
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	st, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer st.Close()
	pruned, err := pruneModes(ctx, st, cfg, age, nil, logger)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "pruned %d generated modes unused for %s\n", len(pruned), age)
	for _, id := range pruned {
		fmt.Fprintln(stdout, " ", id)
	}
	return nil
}

// pruneModesEvery prunes at start and then every interval until ctx ends, keeping the modes of
// the live sessions (which may not have been saved for a while).
func pruneModesEvery(ctx context.Context, every time.Duration, st store.Store, cfg Config, live func() []string, logger *slog.Logger) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		if pruned, err := pruneModes(ctx, st, cfg, cfg.ModeTTL, live(), logger); err != nil && ctx.Err() == nil {
			logger.Warn("prune unused modes", "err", err)
		} else if len(pruned) > 0 {
			logger.Info("pruned unused modes", "count", len(pruned), "unused_for", cfg.ModeTTL)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// pruneModes deletes the generated modes unused for age except keep, then their background
// images; an image that cannot be removed is only logged, the mode is gone either way.
func pruneModes(ctx context.Context, st store.Store, cfg Config, age time.Duration, keep []string, logger *slog.Logger) ([]string, error) {
	pruned, err := st.PruneModes(ctx, time.Now().Add(-age), keep)
	if err != nil {
		return nil, err
	}
	for _, id := range pruned {
		if err := os.Remove(filepath.Join(cfg.DataDir, "images", id+".png")); err != nil && !errors.Is(err, os.ErrNotExist) {
			logger.Warn("remove a pruned mode's image", "mode", id, "err", err)
		}
	}
	return pruned, nil
}
