package check

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"presto/internal/azauth"
	"presto/internal/voice"
)

// realtimeScopes are the Entra scopes a realtime socket may accept, in the order tried. Microsoft's
// samples use the first and one uses the second; which the endpoint requires is unverified, so
// the check tries both and says which one was accepted.
var realtimeScopes = []string{azauth.Scope, "https://ai.azure.com/.default"}

// Realtime is the realtime model a check opens a session with.
type Realtime struct {
	// Upstream is where the voice relay connects; nil skips the check. For Entra ID sign-in the
	// check replaces its Header to try each of realtimeScopes.
	Upstream *voice.Upstream
	// Voice are the settings the session.update is made from, as the relay makes it.
	Voice voice.Settings
	// Name is the deployment (Azure) or model (OpenAI) the report names.
	Name string
}

// realtimeAdvice are the provider's steps for a refused realtime handshake or session.
type realtimeAdvice struct {
	unauthorized, forbidden, notFound []string
	settings                          string // what to check when the session.update is refused
	host                              string // for "is it reachable"
}

// checkRealtime opens a realtime session the way the relay does and reports the route and, for
// Entra ID, the token scope that was accepted. Nothing is spoken, so only the session is billed.
func checkRealtime(ctx context.Context, r *report, a *azauth.Auth, cc chatContext, rt Realtime) {
	if rt.Upstream == nil {
		r.note("Voice: not checked (no realtime deployment given)")
		return
	}
	what := fmt.Sprintf("Realtime deployment %q", rt.Name)
	adv := realtimeAdvice{
		unauthorized: unauthorizedAdvice(cc),
		forbidden:    forbiddenAdvice("", cc),
		notFound:     realtimeNotFoundAdvice(rt.Name, cc.ep.Host),
		settings:     "AZURE_REALTIME_DEPLOYMENT must name a realtime model (gpt-realtime, not a chat or audio deployment); PRESTO_VOICE_VAD, PRESTO_VOICE_VAD_THRESHOLD, PRESTO_VOICE_SILENCE_MS and PRESTO_VOICE_TRANSCRIBE_MODEL shape the session. An unknown parameter means the route and the session's shape do not match: unset AZURE_OPENAI_API_VERSION to use the GA route.",
		host:         cc.ep.Host,
	}
	up := *rt.Upstream
	if cc.keyAuth {
		res, err := voice.Probe(ctx, up, rt.Voice)
		if err != nil {
			line, steps := realtimeFailure(what, res, err, up, adv)
			r.fail(line, steps...)
			return
		}
		r.ok("%s: session.update accepted in %s (%s, API key)", what, res.Elapsed.Round(time.Millisecond), describeRoute(res, up))
		notePreview(r, res)
		return
	}
	var refused []string
	for _, scope := range realtimeScopes {
		up.Header = bearer(a, scope)
		res, err := voice.Probe(ctx, up, rt.Voice)
		if err == nil {
			r.ok("%s: session.update accepted in %s (%s, Entra token scope %s)", what, res.Elapsed.Round(time.Millisecond), describeRoute(res, up), scope)
			if len(refused) > 0 {
				r.note("The realtime socket refused a token for %s (401) and accepted one for %s: the voice relay must ask for %s.", strings.Join(refused, ", "), scope, scope)
			}
			notePreview(r, res)
			return
		}
		if res.Status == http.StatusUnauthorized {
			refused = append(refused, scope)
			continue
		}
		line, steps := realtimeFailure(what, res, err, up, adv)
		r.fail(line, steps...)
		return
	}
	r.fail(fmt.Sprintf("%s: HTTP 401 for an Entra token of every scope tried (%s)", what, strings.Join(refused, ", ")), adv.unauthorized...)
}

// checkOpenAIRealtime is checkRealtime for an OpenAI-compatible server: OPENAI_API_KEY signs in.
func checkOpenAIRealtime(ctx context.Context, r *report, rt Realtime) {
	if rt.Upstream == nil {
		r.note("Voice: not checked (no realtime model given)")
		return
	}
	what := fmt.Sprintf("Realtime model %q", rt.Name)
	host := rt.Upstream.GAURL
	if u, err := url.Parse(host); err == nil && u.Host != "" {
		host = u.Host
	}
	res, err := voice.Probe(ctx, *rt.Upstream, rt.Voice)
	if err != nil {
		line, steps := realtimeFailure(what, res, err, *rt.Upstream, realtimeAdvice{
			unauthorized: []string{"Check OPENAI_API_KEY: the realtime socket refused it."},
			forbidden:    []string{"The key has no access to the realtime model: check the project's model permissions with the provider, or OPENAI_REALTIME_MODEL."},
			notFound: []string{"Check OPENAI_REALTIME_MODEL and OPENAI_BASE_URL: the server must answer a WebSocket at OPENAI_BASE_URL/realtime?model=MODEL.",
				"Most local servers (Ollama, llama.cpp) have no realtime endpoint: voice stays off with them; chat works."},
			settings: "OPENAI_REALTIME_MODEL must name a realtime model; PRESTO_VOICE_VAD, PRESTO_VOICE_VAD_THRESHOLD, PRESTO_VOICE_SILENCE_MS and PRESTO_VOICE_TRANSCRIBE_MODEL shape the session.",
			host:     host,
		})
		r.fail(line, steps...)
		return
	}
	r.ok("%s: session.update accepted in %s (%s)", what, res.Elapsed.Round(time.Millisecond), describeRoute(res, *rt.Upstream))
}

// bearer signs a realtime handshake in with an Entra token for scope, from the cache.
func bearer(a *azauth.Auth, scope string) func(context.Context) (http.Header, error) {
	return func(ctx context.Context) (http.Header, error) {
		tok, err := a.Token(ctx, scope)
		if err != nil {
			return nil, err
		}
		return http.Header{"Authorization": {"Bearer " + tok.Token}}, nil
	}
}

func describeRoute(res voice.ProbeResult, up voice.Upstream) string {
	switch {
	case !res.Preview:
		return "GA route"
	case up.PreviewFirst:
		return "preview route, as AZURE_OPENAI_API_VERSION asks"
	default:
		return "preview route: the GA route answered 404"
	}
}

func notePreview(r *report, res voice.ProbeResult) {
	if res.Preview {
		r.note("The preview realtime route is deprecated from 2026-04-30: deploy gpt-realtime (GA) and unset AZURE_OPENAI_API_VERSION to move to the GA route.")
	}
}

// realtimeFailure turns a failed probe into a one-line diagnosis and the steps that fix it.
func realtimeFailure(what string, res voice.ProbeResult, err error, up voice.Upstream, adv realtimeAdvice) (string, []string) {
	route := "GA route"
	switch {
	case res.Preview && up.PreviewFirst:
		route = "preview route"
	case res.Preview:
		route = "GA and preview routes"
	}
	switch {
	case res.Code != "" || res.Message != "":
		return fmt.Sprintf("%s: the session.update was refused: %s (%s)", what, res.Message, res.Code),
			[]string{adv.settings}
	case res.Status == http.StatusUnauthorized:
		return fmt.Sprintf("%s: HTTP 401 (%s)", what, route), adv.unauthorized
	case res.Status == http.StatusForbidden:
		return fmt.Sprintf("%s: HTTP 403 (%s)", what, route), adv.forbidden
	case res.Status == http.StatusNotFound:
		return fmt.Sprintf("%s: HTTP 404 (%s)", what, route), adv.notFound
	case res.Status == http.StatusTooManyRequests:
		return fmt.Sprintf("%s: HTTP 429 (%s)", what, route), []string{"The realtime deployment is rate limited or out of quota: wait a minute and try again, or raise its quota in the Foundry portal."}
	case res.Status >= 500:
		return fmt.Sprintf("%s: HTTP %d (%s)", what, res.Status, route), []string{"The realtime model answered with a server error; try again in a minute."}
	case res.Status != 0:
		return fmt.Sprintf("%s: HTTP %d (%s)", what, res.Status, route), []string{adv.settings}
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("%s: %v", what, err), []string{fmt.Sprintf("Check that %s is reachable from here (proxy, VPN, firewall; WebSockets must pass) and try again.", adv.host)}
	default:
		return fmt.Sprintf("%s: %v", what, err), []string{fmt.Sprintf("Check that %s is reachable from here (proxy, VPN, firewall; WebSockets must pass).", adv.host)}
	}
}

func realtimeNotFoundAdvice(deployment, host string) []string {
	resource := strings.SplitN(host, ".", 2)[0]
	return []string{
		fmt.Sprintf("There is no realtime deployment named %q on %s: set AZURE_REALTIME_DEPLOYMENT to the name of your gpt-realtime deployment (Deployments in the Foundry portal).", deployment, host),
		"Realtime models are only offered in some regions (East US 2, Sweden Central): a resource elsewhere has none, so deploy gpt-realtime on a resource in one of them.",
		fmt.Sprintf("To list the deployments: az cognitiveservices account deployment list --name %s --resource-group RESOURCE_GROUP -o table", resource),
	}
}
