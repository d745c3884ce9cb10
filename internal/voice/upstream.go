// Package voice relays a browser's /voice socket to a realtime speech model (Azure's gpt-realtime,
// or an OpenAI-compatible realtime endpoint): microphone audio up, the model's audio and both
// transcripts down, with barge-in, and the transcripts kept in the session's conversation.
package voice

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/coder/websocket"
)

// Upstream says where a realtime socket is opened and how it signs in.
type Upstream struct {
	// GAURL is the GA realtime URL (wss://HOST/openai/v1/realtime?model=DEPLOYMENT).
	GAURL string
	// PreviewURL is Azure's preview form, or "" where there is none.
	PreviewURL string
	// PreviewFirst uses the preview form without trying GA (AZURE_OPENAI_API_VERSION is set).
	PreviewFirst bool
	// Header returns the sign-in headers, fresh at every connect: a token from the cache, or a key.
	Header func(ctx context.Context) (http.Header, error)
}

// AzureUpstream is the realtime upstream of an Azure endpoint: root is its resource root
// (https://R.openai.azure.com), ga its GA realtime URL.
func AzureUpstream(root, ga, deployment, apiVersion string, header func(context.Context) (http.Header, error)) Upstream {
	u, _ := url.Parse(root)
	preview := ""
	if u != nil {
		scheme := "wss"
		if u.Scheme == "http" {
			scheme = "ws"
		}
		version := apiVersion
		if version == "" {
			version = "2025-04-01-preview"
		}
		preview = (&url.URL{Scheme: scheme, Host: u.Host, Path: "/openai/realtime",
			RawQuery: url.Values{"api-version": {version}, "deployment": {deployment}}.Encode()}).String()
	}
	return Upstream{GAURL: ga, PreviewURL: preview, PreviewFirst: apiVersion != "", Header: header}
}

// OpenAIUpstream is the realtime upstream of an OpenAI-compatible server: baseURL is its API base
// (https://api.example.com/v1), turned into wss://…/v1/realtime?model=MODEL.
func OpenAIUpstream(baseURL, model, apiKey string) (Upstream, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || u.Host == "" {
		return Upstream{}, fmt.Errorf("OPENAI_BASE_URL %q is not a URL", baseURL)
	}
	switch u.Scheme {
	case "https":
		u.Scheme = "wss"
	case "http":
		u.Scheme = "ws"
	}
	u.Path += "/realtime"
	u.RawQuery = url.Values{"model": {model}}.Encode()
	return Upstream{GAURL: u.String(), Header: func(context.Context) (http.Header, error) {
		h := http.Header{}
		if apiKey != "" {
			h.Set("Authorization", "Bearer "+apiKey)
		}
		return h, nil
	}}, nil
}

// dial opens the upstream socket: GA first, the preview form when GA answers 404 (or when it is
// configured). It reports which form it opened.
func (u Upstream) dial(ctx context.Context) (conn *websocket.Conn, preview bool, err error) {
	if !u.PreviewFirst {
		conn, status, err := u.dialURL(ctx, u.GAURL)
		if err == nil {
			return conn, false, nil
		}
		if status != http.StatusNotFound || u.PreviewURL == "" {
			return nil, false, err
		}
	}
	if u.PreviewURL == "" {
		return nil, false, errors.New("no preview realtime route for this provider")
	}
	conn, _, err = u.dialURL(ctx, u.PreviewURL)
	return conn, true, err
}

func (u Upstream) dialURL(ctx context.Context, target string) (*websocket.Conn, int, error) {
	header, err := u.Header(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("sign in for the realtime model: %w", err)
	}
	conn, resp, err := websocket.Dial(ctx, target, &websocket.DialOptions{HTTPHeader: header})
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	if err != nil {
		return nil, status, &DialError{Status: status, Err: err}
	}
	conn.SetReadLimit(4 << 20) // one audio delta is far smaller; a session.created with tools is a few KB
	return conn, status, nil
}

// DialError is a failed upstream connect, with the HTTP status when the server answered.
type DialError struct {
	Status int
	Err    error
}

func (e *DialError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("realtime connect: HTTP %d: %v", e.Status, e.Err)
	}
	return fmt.Sprintf("realtime connect: %v", e.Err)
}

func (e *DialError) Unwrap() error { return e.Err }

// reason is what a presenter reads for a failed connect.
func (e *DialError) reason() string {
	switch e.Status {
	case http.StatusUnauthorized:
		return "the realtime model refused the sign-in (401): check AZURE_API_KEY or your az login"
	case http.StatusForbidden:
		return "the realtime model refused access (403): your identity needs the Cognitive Services OpenAI User role"
	case http.StatusNotFound:
		return "no realtime deployment there (404): check AZURE_REALTIME_DEPLOYMENT and the region"
	case 0:
		return "the realtime model could not be reached"
	}
	return fmt.Sprintf("the realtime model answered HTTP %d", e.Status)
}
