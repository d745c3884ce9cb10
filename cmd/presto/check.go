package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"presto/internal/azauth"
	"presto/internal/check"
	"presto/internal/voice"
)

// runCheck is `presto check`: sign in the configured way, send one tiny prompt, open a realtime
// session, say what works and what to do about what does not.
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
		rt := checkRealtime(cfg, nil)
		rt.Name = cfg.OpenAIRealtimeModel
		return check.RunOpenAI(ctx, provider, cfg.OpenAIBaseURL, cfg.OpenAIModel, rt, stdout)
	}
	s := azureSettings(cfg, logger)
	s.Prompt = stdout
	a := azauth.New(s)
	rt := checkRealtime(cfg, a)
	rt.Name = cfg.AzureRealtimeDeployment
	return check.Run(ctx, a, s, rt, stdout)
}

// checkRealtime is the realtime upstream the voice relay would use and the settings of its
// session.update. Without one (offline, or an endpoint the check reports as wrong) the Upstream is
// nil.
func checkRealtime(cfg Config, a *azauth.Auth) check.Realtime {
	rt := check.Realtime{Voice: voice.Settings{VAD: cfg.VoiceVAD, Threshold: cfg.VoiceVADThreshold, SilenceMS: cfg.VoiceSilenceMS,
		TranscribeModel: cfg.VoiceTranscribeModel, DefaultVoice: voices[0]}}
	if up, _, err := realtimeUpstream(cfg, a); err == nil {
		rt.Upstream = up
	}
	return rt
}
