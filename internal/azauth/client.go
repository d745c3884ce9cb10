package azauth

import (
	"context"
	"fmt"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/azure"
	"github.com/openai/openai-go/v3/option"
)

// Client returns an official OpenAI client for the configured endpoint (the seed's
// get_inference_client). Model names in requests are deployment names. The v1 API gets a plain
// client with an api-key header or a bearer token from the cache; the classic route (APIVersion
// set) gets the SDK's Azure options with the same cached credential. Nothing signs in here: the
// first request does. opts come last, so callers choose retries and timeouts.
func (a *Auth) Client(ctx context.Context, opts ...option.RequestOption) (openai.Client, error) {
	if err := ctx.Err(); err != nil {
		return openai.Client{}, err
	}
	ep, err := ParseEndpoint(a.s.Endpoint, a.s.APIVersion)
	if err != nil {
		return openai.Client{}, err
	}
	var base []option.RequestOption
	if ep.Classic() {
		base, err = a.classicOptions(ep)
	} else {
		base, err = a.v1Options(ep)
	}
	if err != nil {
		return openai.Client{}, err
	}
	route := "v1"
	if ep.Classic() {
		route = "classic api-version " + ep.APIVersion
	}
	a.log.Info("azure inference client", "auth", a.Method(), "endpoint_host", ep.Host, "route", route)
	return openai.NewClient(append(base, opts...)...), nil
}

// v1Options configures a plain client: the SDK's Azure token option refuses a v1 base URL.
func (a *Auth) v1Options(ep Endpoint) ([]option.RequestOption, error) {
	opts := []option.RequestOption{
		option.WithBaseURL(ep.V1),
		// An OPENAI_API_KEY, organisation or project from the environment must not reach Azure.
		option.WithAPIKey(""),
		option.WithHeaderDel("OpenAI-Organization"),
		option.WithHeaderDel("OpenAI-Project"),
	}
	if a.s.APIKey != "" {
		return append(opts, option.WithHeader("api-key", a.s.APIKey)), nil
	}
	// A wrong AZURE_AUTH fails here, not on the first request; signing in waits for that request.
	if err := ValidateAuthMode(a.s.AuthMode); err != nil {
		return nil, err
	}
	bearer := func(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		tok, err := a.Token(req.Context(), Scope)
		if err != nil {
			return nil, fmt.Errorf("azure sign-in: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		return next(req)
	}
	return append(opts, option.WithMiddleware(bearer)), nil
}

// classicOptions uses the SDK's Azure support: it rewrites /chat/completions to
// /openai/deployments/{model}/chat/completions and adds ?api-version=.
func (a *Auth) classicOptions(ep Endpoint) ([]option.RequestOption, error) {
	opts := []option.RequestOption{azure.WithEndpoint(ep.Root, ep.APIVersion)}
	if a.s.APIKey != "" {
		opts = append(opts, azure.WithAPIKey(a.s.APIKey))
	} else {
		if err := ValidateAuthMode(a.s.AuthMode); err != nil {
			return nil, err
		}
		// The SDK asks for a token on every request: lazyCredential answers from our cache.
		opts = append(opts, azure.WithTokenCredential(lazyCredential{a}))
	}
	if ep.Loopback {
		opts = append(opts, azure.WithUnsafeAllowHTTP())
	}
	return opts, nil
}

// lazyCredential builds the process credential on the first token request, so making a client
// signs in to nothing.
type lazyCredential struct{ a *Auth }

func (l lazyCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	cred, err := l.a.Credential(ctx)
	if err != nil {
		return azcore.AccessToken{}, err
	}
	return cred.GetToken(ctx, opts)
}

// AuthHeader returns the header that authenticates a hand-made request (the realtime WebSocket):
// api-key when a key is configured, else a bearer token from the cache. Call it per connection:
// tokens expire.
func (a *Auth) AuthHeader(ctx context.Context) (http.Header, error) {
	h := http.Header{}
	if a.s.APIKey != "" {
		h.Set("api-key", a.s.APIKey)
		return h, nil
	}
	tok, err := a.Token(ctx, Scope)
	if err != nil {
		return nil, err
	}
	h.Set("Authorization", "Bearer "+tok.Token)
	return h, nil
}

// RealtimeURL is the GA realtime WebSocket URL for deployment on the configured endpoint
// (wss://HOST/openai/v1/realtime?model=DEPLOYMENT, ws:// for loopback). An empty deployment
// means Settings.RealtimeDeployment.
func (a *Auth) RealtimeURL(deployment string) (string, error) {
	ep, err := ParseEndpoint(a.s.Endpoint, a.s.APIVersion)
	if err != nil {
		return "", err
	}
	if deployment == "" {
		deployment = a.s.RealtimeDeployment
	}
	if deployment == "" {
		return "", fmt.Errorf("realtime URL: no deployment (set AZURE_REALTIME_DEPLOYMENT)")
	}
	return ep.RealtimeURL(deployment), nil
}
