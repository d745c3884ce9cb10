// Package azauth signs in to Azure and builds the OpenAI client for an Azure endpoint: the
// credential chain (or one credential the user picked), a token cache so the Azure CLI or a
// browser is asked once per token lifetime, the endpoint forms a user copies from the portal,
// and the api-key alternative. Nothing signs in until a token is first needed.
package azauth

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// Scope is the Entra ID scope for Azure OpenAI and Foundry model inference (chat, images,
// realtime).
const Scope = "https://cognitiveservices.azure.com/.default"

// The values of Settings.AuthMode (AZURE_AUTH).
const (
	AuthChain           = ""                 // our chain: environment … Azure Developer CLI, then browser
	AuthCLI             = "cli"              // Azure CLI (`az login`)
	AuthBrowser         = "browser"          // interactive browser login
	AuthDeviceCode      = "device-code"      // a code to enter on another device
	AuthManagedIdentity = "managed-identity" // the managed identity of the Azure host
	AuthEnvironment     = "environment"      // service principal from AZURE_CLIENT_ID / _SECRET / _TENANT_ID
	AuthDefault         = "default"          // azidentity's DefaultAzureCredential
)

// DefaultTenant is the tenant for browser and device-code login when none is configured: any
// work or school account.
const DefaultTenant = "organizations"

// Settings is the Azure part of the configuration, read once by main.
type Settings struct {
	Endpoint   string // AZURE_PROJECT_ENDPOINT, any form in ExpectedForms
	APIKey     string // AZURE_API_KEY: key auth instead of Entra ID
	AuthMode   string // AZURE_AUTH, one of the Auth* constants
	TenantID   string // AZURE_TENANT_ID for browser and device-code login; default DefaultTenant
	APIVersion string // AZURE_OPENAI_API_VERSION: selects the classic deployments route
	Deployment string // AZURE_MODEL_DEPLOYMENT: the chat deployment

	ImageDeployment    string // AZURE_IMAGE_DEPLOYMENT; empty disables images
	RealtimeDeployment string // AZURE_REALTIME_DEPLOYMENT

	// ManagedIdentityClientID selects a user-assigned managed identity (AZURE_CLIENT_ID); empty
	// means the system-assigned one.
	ManagedIdentityClientID string

	// DataDir keeps the browser / device-code AuthenticationRecord (an account id, no secret) so
	// a restart can sign in silently where the token cache allows.
	DataDir string
	Logger  *slog.Logger
	// Prompt receives the device-code instructions; nil means the logger only.
	Prompt io.Writer
}

// ValidateAuthMode reports whether mode is one of the Auth* values, naming them when it is not.
func ValidateAuthMode(mode string) error {
	switch mode {
	case AuthChain, AuthCLI, AuthBrowser, AuthDeviceCode, AuthManagedIdentity, AuthEnvironment, AuthDefault:
		return nil
	}
	return fmt.Errorf("AZURE_AUTH %q: expected one of cli, browser, device-code, managed-identity, environment, default, or empty for the chain", mode)
}

// Auth is the process's Azure sign-in. Create one with New and share it: the credential and
// its tokens are cached inside, so a browser opens at most once per process.
type Auth struct {
	s   Settings
	log *slog.Logger

	mu   sync.Mutex
	cred *tokenCache // nil until the first Credential call succeeds
}

// New returns an Auth for s. It signs in to nothing: the credential is built on first use.
func New(s Settings) *Auth {
	if s.TenantID == "" {
		s.TenantID = DefaultTenant
	}
	s.AuthMode = strings.TrimSpace(strings.ToLower(s.AuthMode))
	log := s.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Auth{s: s, log: log}
}

// Settings returns the settings the Auth was made with, defaults applied.
func (a *Auth) Settings() Settings { return a.s }

// Credential returns the process's token credential, building it on the first call: the chain
// when AuthMode is empty, else the one credential AuthMode names. The result caches tokens per
// scope until shortly before they expire. A failed build is not cached, so a corrected
// environment can succeed on the next call.
func (a *Auth) Credential(ctx context.Context) (azcore.TokenCredential, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cred != nil {
		return a.cred, nil
	}
	if err := ValidateAuthMode(a.s.AuthMode); err != nil {
		return nil, err
	}
	cred, err := a.build()
	if err != nil {
		return nil, fmt.Errorf("azure credential %s: %w", a.Method(), err)
	}
	a.log.Info("azure credential ready", "method", a.Method(), "endpoint_host", a.endpointHost())
	a.cred = newTokenCache(cred)
	return a.cred, nil
}

// Token returns an access token for scope (Scope for model inference), from the cache while it
// is fresh. It is the seed's get_token.
func (a *Auth) Token(ctx context.Context, scope string) (azcore.AccessToken, error) {
	cred, err := a.Credential(ctx)
	if err != nil {
		return azcore.AccessToken{}, err
	}
	tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{scope}})
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("get token for %s with %s: %w", scope, a.Method(), err)
	}
	return tok, nil
}

// Method names how requests authenticate, for logs and `presto check`; never a secret.
func (a *Auth) Method() string {
	if a.s.APIKey != "" {
		return "api-key"
	}
	if a.s.AuthMode == AuthChain {
		return "chain (environment, workload identity, managed identity, Azure CLI, Azure Developer CLI, browser)"
	}
	return a.s.AuthMode
}

func (a *Auth) endpointHost() string {
	ep, err := ParseEndpoint(a.s.Endpoint, a.s.APIVersion)
	if err != nil {
		return ""
	}
	return ep.Host
}

// build constructs the credential AuthMode asks for.
func (a *Auth) build() (azcore.TokenCredential, error) {
	switch a.s.AuthMode {
	case AuthCLI:
		return newCLI()
	case AuthBrowser:
		return a.newInteractive(kindBrowser)
	case AuthDeviceCode:
		return a.newInteractive(kindDeviceCode)
	case AuthManagedIdentity:
		return a.newManagedIdentity()
	case AuthEnvironment:
		return newEnvironment()
	case AuthDefault:
		return newDefault()
	default:
		return a.newChain()
	}
}
