// Package check is `presto check`: it signs in the configured way, sends one tiny prompt to the
// chat deployment, opens a session with the realtime deployment and prints, in plain words, what
// works and what to do about what does not.
package check

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"presto/internal/azauth"
)

const (
	// defaultDeployment is the chat deployment when AZURE_MODEL_DEPLOYMENT is unset.
	defaultDeployment = "model-router"
	// signInTimeout leaves a person time to finish a browser or device-code sign-in.
	signInTimeout = 3 * time.Minute
	// chatTimeout bounds the one prompt; model-router on a cold deployment can take a while.
	chatTimeout = time.Minute
)

// chatPrompt is the one tiny prompt a check sends.
const chatPrompt = "Reply with OK"

// Run checks the Azure configuration in s with a (made from s), then opens a session with the
// realtime deployment rt, and writes the report to out. It returns a non-nil error when any check
// failed, so the command exits with status 1. With no endpoint configured it explains the offline
// assistant and how to configure Azure, and succeeds.
func Run(ctx context.Context, a *azauth.Auth, s azauth.Settings, rt Realtime, out io.Writer) error {
	r := &report{out: out}
	if strings.TrimSpace(s.Endpoint) == "" {
		explainOffline(r)
		return r.werr
	}
	run(ctx, r, a, s, rt)
	if r.werr != nil {
		return r.werr
	}
	if r.failed > 0 {
		return fmt.Errorf("presto check: %d check(s) failed", r.failed)
	}
	return nil
}

func run(ctx context.Context, r *report, a *azauth.Auth, s azauth.Settings, rt Realtime) {
	ep, err := azauth.ParseEndpoint(s.Endpoint, s.APIVersion)
	if err != nil {
		r.fail("Endpoint: "+err.Error(), "Copy the endpoint from the Foundry portal (project overview) or the resource's \"Keys and Endpoint\" page.")
		return
	}
	r.ok("Endpoint: %s", describeEndpoint(ep))
	cc := chatContext{deployment: s.Deployment, ep: ep, keyAuth: s.APIKey != ""}
	if cc.deployment == "" {
		cc.deployment = defaultDeployment
	}
	if cc.keyAuth {
		r.ok("Sign-in: API key (AZURE_API_KEY) instead of Entra ID; the chat check below tests it")
	} else if cc.id, cc.haveID, err = signIn(ctx, a); err != nil {
		r.fail(fmt.Sprintf("Sign-in (%s): %v", a.Method(), err), signInAdvice(err, s.AuthMode)...)
		return
	} else {
		r.ok("Sign-in: Entra ID token from %s%s", a.Method(), describeIdentity(cc))
	}
	checkChat(ctx, r, a, cc)
	if rt.Name == "" {
		rt.Name = s.RealtimeDeployment
	}
	checkRealtime(ctx, r, a, cc, rt)
	noteUntested(r, s)
}

func signIn(ctx context.Context, a *azauth.Auth) (identity, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, signInTimeout)
	defer cancel()
	tok, err := a.Token(ctx, azauth.Scope)
	if err != nil {
		return identity{}, false, err
	}
	id, ok := parseIdentity(tok.Token)
	return id, ok, nil
}

// checkChat sends "Reply with OK" with nothing but the model and the message: gpt-5 and
// model-router deployments reject temperature and max_tokens.
func checkChat(ctx context.Context, r *report, a *azauth.Auth, cc chatContext) {
	ctx, cancel := context.WithTimeout(ctx, chatTimeout)
	defer cancel()
	client, err := a.Client(ctx, option.WithMaxRetries(0))
	if err != nil {
		r.fail(fmt.Sprintf("Chat deployment %q: %v", cc.deployment, err))
		return
	}
	start := time.Now()
	resp, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model:    cc.deployment,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(chatPrompt)},
	})
	if err != nil {
		what, advice := chatFailure(err, cc)
		r.fail(what, advice...)
		return
	}
	reply := ""
	if len(resp.Choices) > 0 {
		reply = strings.TrimSpace(resp.Choices[0].Message.Content)
	}
	if len(reply) > 60 {
		reply = reply[:60] + "…"
	}
	r.ok("Chat deployment %q: answered %q in %s (model %s)", cc.deployment, reply, time.Since(start).Round(time.Millisecond), resp.Model)
}

// noteUntested lists the image deployment; generating a test image costs money and time, so it
// is reported, not exercised.
func noteUntested(r *report, s azauth.Settings) {
	if s.ImageDeployment != "" {
		r.note("Image deployment %q: configured, not tested (a test image would cost money)", s.ImageDeployment)
	} else {
		r.note("Images: off (set AZURE_IMAGE_DEPLOYMENT to generate mode backgrounds)")
	}
}

func describeEndpoint(ep azauth.Endpoint) string {
	var b strings.Builder
	if ep.Classic() {
		fmt.Fprintf(&b, "%s (classic route /openai/deployments/…, api-version %s)", ep.Root, ep.APIVersion)
	} else {
		fmt.Fprintf(&b, "%s (v1 API)", ep.V1)
	}
	if ep.Project != "" {
		fmt.Fprintf(&b, ", from the Foundry project endpoint of project %q", ep.Project)
	}
	return b.String()
}

func describeIdentity(cc chatContext) string {
	if !cc.haveID {
		return ""
	}
	return fmt.Sprintf(" (%s, tenant %s)", cc.id.who(), cc.id.Tenant)
}

func explainOffline(r *report) {
	r.note("No Azure endpoint is configured (AZURE_PROJECT_ENDPOINT), so Presto-Change-O runs on its built-in offline assistant: the whole demo works, answers are scripted.")
	r.note("To use Azure AI Foundry, set in .env or the environment:")
	r.printf("         AZURE_PROJECT_ENDPOINT=https://RESOURCE.services.ai.azure.com/api/projects/PROJECT\n")
	r.printf("         AZURE_MODEL_DEPLOYMENT=model-router      (your chat deployment's name)\n")
	r.printf("       then sign in with `az login` (or set AZURE_API_KEY) and run `presto check` again.\n")
	r.note("Voice: off. It needs a realtime model: AZURE_REALTIME_DEPLOYMENT (gpt-realtime, in East US 2 or Sweden Central) on the Azure endpoint, or PRESTO_LLM=openai with OPENAI_REALTIME_MODEL.")
}
