// Package openaillm is the llm.Provider for Azure AI Foundry / Azure OpenAI and any
// OpenAI-compatible server (OpenAI, Ollama, vLLM, LM Studio), built on the official openai-go SDK.
// The caller builds the client (base URL, auth); this package turns a turn into one streamed chat
// completion and the SDK's chunks and errors into llm events and *llm.Error values.
package openaillm

import (
	"log/slog"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"presto/internal/llm"
)

// Defaults of a Provider; each has an Option. There is no timeout of our own here: the caller's
// context bounds a call (llm.Guard gives every call its first-token and call deadlines).
const (
	DefaultMaxRetries    = 2
	DefaultMaxRetryDelay = 8 * time.Second
)

// Provider talks to one chat deployment or model.
type Provider struct {
	client        openai.Client
	model         string
	name          string
	logger        *slog.Logger
	maxRetries    int
	maxRetryDelay time.Duration
}

var _ llm.Provider = (*Provider)(nil)

// Option adjusts a Provider.
type Option func(*Provider)

// WithMaxRetries sets how often a failed request is retried before any of its answer arrived (429,
// 5xx, connection errors; never an insufficient_quota 429). 0 disables retries.
func WithMaxRetries(n int) Option { return func(p *Provider) { p.maxRetries = max(n, 0) } }

// WithMaxRetryDelay caps one wait between retries. When the server asks for a longer wait
// (Retry-After), the call fails at once with a retryable rate-limit error instead of hanging a turn.
func WithMaxRetryDelay(d time.Duration) Option { return func(p *Provider) { p.maxRetryDelay = d } }

// New returns a provider for model (the Azure deployment name or the OpenAI model) on client. name
// is what Name reports: "azure" or "openai". A nil logger discards logs.
func New(client openai.Client, model, name string, logger *slog.Logger, opts ...Option) *Provider {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	p := &Provider{
		client: client, model: model, name: name, logger: logger.With("provider", name, "model", model),
		maxRetries: DefaultMaxRetries, maxRetryDelay: DefaultMaxRetryDelay,
	}
	for _, opt := range opts {
		opt(p)
	}
	return p
}

// Name reports "azure" or "openai".
func (p *Provider) Name() string { return p.name }

// requestOptions are added to every call: our retry policy, and the middleware that stops the SDK
// from retrying a 429 that no wait can fix.
func (p *Provider) requestOptions() []option.RequestOption {
	opts := []option.RequestOption{option.WithMaxRetries(p.maxRetries), option.WithMiddleware(noQuotaRetry)}
	if p.maxRetryDelay > 0 {
		opts = append(opts, option.WithMaxRetryDelay(p.maxRetryDelay))
	}
	return opts
}
