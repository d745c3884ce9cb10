package azauth

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ExpectedForms lists, one per line, the endpoint forms ParseEndpoint accepts. Error messages and
// `presto check` print it so a user can compare it with what they copied from the portal.
const ExpectedForms = `  https://RESOURCE.services.ai.azure.com/api/projects/PROJECT   (Foundry project endpoint)
  https://RESOURCE.openai.azure.com                               (Azure OpenAI resource endpoint)
  https://RESOURCE.cognitiveservices.azure.com                    (AI services resource endpoint)
  https://RESOURCE.openai.azure.com/openai/v1                     (v1 API base URL)
  http://127.0.0.1:PORT or http://localhost:PORT                  (a local test server)`

// Endpoint is a normalised Azure endpoint: where chat, image and realtime requests go.
type Endpoint struct {
	// Scheme is "https", or "http" for a loopback test server.
	Scheme string
	// Host is the host and optional port, e.g. "contoso.openai.azure.com" or "127.0.0.1:8080".
	Host string
	// Root is the resource root without a trailing slash, e.g. "https://contoso.openai.azure.com".
	Root string
	// V1 is the v1 API base URL with a trailing slash, e.g. "https://contoso.openai.azure.com/openai/v1/".
	V1 string
	// APIVersion is set when requests use the classic /openai/deployments/{deployment}/… route.
	APIVersion string
	// Loopback is true for an http:// endpoint on this machine (tests, local fakes).
	Loopback bool
	// Project is the Foundry project name when a project endpoint was given, else empty.
	Project string
}

// Classic reports whether requests use the classic deployments route with an api-version.
func (e Endpoint) Classic() bool { return e.APIVersion != "" }

// URL is the base URL a client needs: the v1 base by default, or the resource root that
// azure.WithEndpoint expects when an api-version selects the classic route.
func (e Endpoint) URL() string {
	if e.Classic() {
		return e.Root
	}
	return e.V1
}

// RealtimeURL is the GA realtime WebSocket URL for a deployment (ws:// for a loopback endpoint).
// The GA route takes no api-version: Azure answers 401 when one is added.
func (e Endpoint) RealtimeURL(deployment string) string {
	scheme := "wss"
	if e.Scheme == "http" {
		scheme = "ws"
	}
	u := url.URL{Scheme: scheme, Host: e.Host, Path: "/openai/v1/realtime", RawQuery: url.Values{"model": {deployment}}.Encode()}
	return u.String()
}

// ParseEndpoint accepts the endpoint forms a user copies from the Azure portal (see ExpectedForms)
// and returns the normalised Endpoint. A non-empty apiVersion selects the classic route.
func ParseEndpoint(raw, apiVersion string) (Endpoint, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Endpoint{}, formError(raw, "it is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Endpoint{}, formError(raw, "it is not a URL")
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return Endpoint{}, formError(raw, "it must start with https://")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return Endpoint{}, formError(raw, "it must not carry a user, a query or a fragment")
	}
	loopback := isLoopbackHost(u.Hostname())
	if u.Scheme == "http" && !loopback {
		return Endpoint{}, formError(raw, "plain http:// is accepted only for a loopback test server; Azure endpoints use https://")
	}
	project, err := projectFromPath(u.Path)
	if err != nil {
		return Endpoint{}, formError(raw, err.Error())
	}
	host := strings.ToLower(u.Host)
	root := u.Scheme + "://" + host
	return Endpoint{
		Scheme:     u.Scheme,
		Host:       host,
		Root:       root,
		V1:         root + "/openai/v1/",
		APIVersion: strings.TrimSpace(apiVersion),
		Loopback:   loopback,
		Project:    project,
	}, nil
}

// projectFromPath checks the path part of an endpoint. Every accepted form shares the resource
// root: a project endpoint's /api/projects/P path names a Foundry project, not the chat route.
func projectFromPath(p string) (string, error) {
	trimmed := strings.Trim(p, "/")
	switch {
	case trimmed == "", trimmed == "openai", trimmed == "openai/v1":
		return "", nil
	case strings.HasPrefix(trimmed, "api/projects/"):
		name := strings.TrimPrefix(trimmed, "api/projects/")
		if name == "" || strings.Contains(name, "/") {
			return "", fmt.Errorf("the project path %q should be /api/projects/PROJECT", p)
		}
		return name, nil
	default:
		return "", fmt.Errorf("the path %q is not one Azure uses", p)
	}
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// EndpointError says why an endpoint is not one of ExpectedForms.
type EndpointError struct {
	Raw    string // what the user configured
	Reason string // what is wrong with it
}

func (e *EndpointError) Error() string {
	return fmt.Sprintf("AZURE_PROJECT_ENDPOINT %q: %s; expected one of:\n%s", e.Raw, e.Reason, ExpectedForms)
}

func formError(raw, why string) error {
	return &EndpointError{Raw: raw, Reason: why}
}
