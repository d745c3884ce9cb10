package check

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/openai/openai-go/v3"

	"presto/internal/azauth"
)

// signInAdvice says what to do when no token could be had, from the credential's own words.
func signInAdvice(err error, mode string) []string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "executable not found") && mode == azauth.AuthCLI:
		return []string{"Install the Azure CLI and run `az login`, or choose another sign-in with AZURE_AUTH (e.g. device-code), or set AZURE_API_KEY."}
	case strings.Contains(msg, "az login"):
		return []string{"Run `az login` (add `--tenant TENANT_ID` when the Azure resource is in another tenant), then run `presto check` again.",
			"Or set AZURE_API_KEY to use the resource's key instead of Entra ID."}
	case mode == azauth.AuthEnvironment:
		return []string{"Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) for a service principal."}
	case mode == azauth.AuthManagedIdentity:
		return []string{"This machine has no managed identity (it only exists on Azure hosts). On a laptop use `az login` and AZURE_AUTH=cli."}
	case mode == azauth.AuthBrowser || mode == azauth.AuthDeviceCode:
		return []string{"Finish the sign-in in the browser within the time allowed; set AZURE_TENANT_ID to the tenant of the Azure resource if your account is a guest there."}
	default:
		return []string{"Run `az login`, or choose one sign-in with AZURE_AUTH (cli, browser, device-code, managed-identity, environment), or set AZURE_API_KEY."}
	}
}

// chatContext is what the advice for a failed chat request needs to be concrete.
type chatContext struct {
	deployment string
	ep         azauth.Endpoint
	keyAuth    bool
	id         identity
	haveID     bool
}

// chatFailure turns a failed chat request into a one-line diagnosis and the steps that fix it.
func chatFailure(err error, c chatContext) (string, []string) {
	what := fmt.Sprintf("Chat deployment %q", c.deployment)
	var apiErr *openai.Error
	switch {
	case errors.As(err, &apiErr):
		detail := fmt.Sprintf("%s: HTTP %d %s: %s", what, apiErr.StatusCode, apiErr.Code, apiErr.Message)
		return detail, statusAdvice(apiErr, c)
	case errors.Is(err, context.DeadlineExceeded):
		return what + ": no answer in time", []string{fmt.Sprintf("Check that %s is reachable from here (proxy, VPN, firewall) and try again.", c.ep.Host)}
	default:
		return fmt.Sprintf("%s: %v", what, err), []string{fmt.Sprintf("Check that %s is reachable from here (proxy, VPN, firewall) and that AZURE_PROJECT_ENDPOINT is right.", c.ep.Host)}
	}
}

func statusAdvice(e *openai.Error, c chatContext) []string {
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return unauthorizedAdvice(c)
	case http.StatusForbidden:
		return forbiddenAdvice(e.Message, c)
	case http.StatusNotFound:
		return notFoundAdvice(e, c)
	case http.StatusBadRequest:
		if p := rejectedParam(e); p != "" {
			return []string{fmt.Sprintf("The deployment rejected the parameter %q. Deployments of reasoning models (gpt-5, o-series, model-router) refuse temperature and max_tokens: leave %q out or use its replacement the message names.", p, p)}
		}
		return []string{"The deployment refused the request as malformed; check that AZURE_MODEL_DEPLOYMENT names a chat model (not an embedding, image or realtime deployment)."}
	case http.StatusTooManyRequests:
		return []string{"The deployment is rate limited or out of quota: wait a minute and try again, or raise its tokens-per-minute quota in the Foundry portal."}
	default:
		if e.StatusCode >= 500 {
			return []string{"Azure answered with a server error; try again in a minute, and check the Azure status page if it persists."}
		}
		return []string{"See the message above; AZURE_PROJECT_ENDPOINT, AZURE_MODEL_DEPLOYMENT and AZURE_OPENAI_API_VERSION are the settings involved."}
	}
}

func unauthorizedAdvice(c chatContext) []string {
	if c.keyAuth {
		return []string{"AZURE_API_KEY is not a key of this resource: copy KEY 1 from the resource's \"Keys and Endpoint\" page, and check that AZURE_PROJECT_ENDPOINT is the same resource."}
	}
	tenant := "an unknown tenant"
	if c.haveID {
		tenant = "tenant " + c.id.Tenant
	}
	return []string{
		fmt.Sprintf("The Entra token (issued for %s) was refused. If the resource is in another tenant, run `az login --tenant RESOURCE_TENANT_ID` or set AZURE_TENANT_ID for browser / device-code sign-in.", tenant),
		"If the token has expired or the resource disables Entra ID (local auth only), set AZURE_API_KEY instead.",
	}
}

// forbiddenAdvice says what to do about a 403; message is Azure's, or "" where none was read.
func forbiddenAdvice(message string, c chatContext) []string {
	msg := strings.ToLower(message)
	if strings.Contains(msg, "firewall") || strings.Contains(msg, "virtual network") || strings.Contains(msg, "private endpoint") {
		return []string{"The resource's network rules block this machine: add your IP under Networking in the Azure portal, or run from an allowed network."}
	}
	if c.keyAuth {
		return []string{"The key was accepted but access is denied: check the resource's network rules and that the key belongs to this resource."}
	}
	assignee := "$(az ad signed-in-user show --query id -o tsv)"
	if c.haveID && c.id.Object != "" {
		assignee = c.id.Object
	}
	resource := strings.SplitN(c.ep.Host, ".", 2)[0]
	return []string{
		fmt.Sprintf("Your identity (%s) has no data-plane role on the resource. Assign it \"Cognitive Services OpenAI User\" on the resource (an owner of the resource can run):", identityName(c)),
		fmt.Sprintf("az role assignment create --assignee %s --role \"Cognitive Services OpenAI User\" --scope $(az cognitiveservices account show --name %s --resource-group RESOURCE_GROUP --query id -o tsv)", assignee, resource),
		"Role assignments take a few minutes to apply; then run `presto check` again.",
	}
}

func identityName(c chatContext) string {
	if !c.haveID {
		return "unknown"
	}
	return c.id.who()
}

func notFoundAdvice(e *openai.Error, c chatContext) []string {
	if strings.EqualFold(e.Code, "DeploymentNotFound") || strings.Contains(strings.ToLower(e.Message), "deployment") {
		return []string{
			fmt.Sprintf("There is no deployment named %q on %s. Set AZURE_MODEL_DEPLOYMENT to the name shown under Deployments in the Foundry portal (a deployment made in the last few minutes may not be ready yet).", c.deployment, c.ep.Host),
			fmt.Sprintf("To list them: az cognitiveservices account deployment list --name %s --resource-group RESOURCE_GROUP -o table", strings.SplitN(c.ep.Host, ".", 2)[0]),
		}
	}
	if c.ep.Classic() {
		return []string{fmt.Sprintf("The route was not found: AZURE_OPENAI_API_VERSION=%s may not exist for this resource; unset it to use the v1 API, or check AZURE_PROJECT_ENDPOINT.", c.ep.APIVersion)}
	}
	return []string{fmt.Sprintf("The route was not found: check AZURE_PROJECT_ENDPOINT (expected forms below) and AZURE_MODEL_DEPLOYMENT %q.", c.deployment), azauth.ExpectedForms}
}

// quotedParam finds the parameter Azure names in messages like "Unsupported parameter:
// 'max_tokens' is not supported with this model."
var quotedParam = regexp.MustCompile(`'([A-Za-z_.\[\]0-9]+)'`)

func rejectedParam(e *openai.Error) string {
	if e.Param != "" {
		return e.Param
	}
	if m := quotedParam.FindStringSubmatch(e.Message); m != nil {
		return m[1]
	}
	return ""
}
