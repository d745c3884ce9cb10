package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"presto/internal/azauth"
	"presto/internal/check"
)

// runCheck is `presto check`: sign in the configured way, send one tiny prompt, say what works and
// what to do about what does not.
func runCheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(args, getenv, stderr)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	if cfg.LLM == "openai" {
		provider, _, err := newProvider(ctx, cfg, logger)
		if err != nil {
			return err
		}
		return check.RunOpenAI(ctx, provider, cfg.OpenAIBaseURL, cfg.OpenAIModel, stdout)
	}
	s := azureSettings(cfg, logger)
	s.Prompt = stdout
	return check.Run(ctx, azauth.New(s), s, stdout)
}
