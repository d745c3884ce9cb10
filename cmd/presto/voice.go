package main

import (
	"context"
	"fmt"
	"net/http"

	"presto/internal/azauth"
	"presto/internal/voice"
)

// realtimeUpstream is where /voice sockets go for the configured provider, or nil and the reason
// a presenter reads when there is none. Azure signs in at every connect: a key, or a token from
// the cache.
func realtimeUpstream(cfg Config, auth *azauth.Auth) (*voice.Upstream, string, error) {
	switch cfg.LLM {
	case "azure":
		ep, err := azauth.ParseEndpoint(cfg.AzureEndpoint, cfg.AzureAPIVersion)
		if err != nil {
			return nil, "", fmt.Errorf("AZURE_PROJECT_ENDPOINT: %w", err)
		}
		header := func(ctx context.Context) (http.Header, error) {
			h := http.Header{}
			if cfg.AzureAPIKey != "" {
				h.Set("api-key", cfg.AzureAPIKey)
				return h, nil
			}
			tok, err := auth.Token(ctx, azauth.Scope)
			if err != nil {
				return nil, err
			}
			h.Set("Authorization", "Bearer "+tok.Token)
			return h, nil
		}
		up := voice.AzureUpstream(ep.Root, ep.RealtimeURL(cfg.AzureRealtimeDeployment), cfg.AzureRealtimeDeployment, cfg.AzureAPIVersion, header)
		return &up, "", nil
	case "openai":
		up, err := voice.OpenAIUpstream(cfg.OpenAIBaseURL, cfg.OpenAIRealtimeModel, cfg.OpenAIAPIKey)
		if err != nil {
			return nil, "", err
		}
		return &up, "", nil
	}
	return nil, "Voice needs a realtime model: set AZURE_PROJECT_ENDPOINT (with AZURE_REALTIME_DEPLOYMENT) or PRESTO_LLM=openai with OPENAI_BASE_URL; the offline demo has no voice.", nil
}
