package azauth

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// managedIdentityFirstTry bounds the chain's first managed-identity attempt. Off Azure the IMDS
// address may not answer at all, and the credential's own retries would hold up the Azure CLI
// behind it for a minute; on Azure a token comes back well within this.
const managedIdentityFirstTry = 3 * time.Second

// newChain builds our own chain rather than DefaultAzureCredential: it ends in the browser, and
// every link's failure moves on to the next (DefaultAzureCredential stops at, for example, a
// proxy's 403 to the managed-identity probe). A link whose constructor fails (its environment
// is not configured) is left out.
func (a *Auth) newChain() (azcore.TokenCredential, error) {
	var links []azcore.TokenCredential
	add := func(name string, firstTry time.Duration, cred azcore.TokenCredential, err error) {
		if err != nil {
			a.log.Debug("azure credential skipped", "credential", name, "reason", err.Error())
			return
		}
		links = append(links, &lenientLink{name: name, cred: cred, firstTry: firstTry})
	}
	env, err := azidentity.NewEnvironmentCredential(nil)
	add("environment", 0, env, err)
	wi, err := azidentity.NewWorkloadIdentityCredential(nil)
	add("workload identity", 0, wi, err)
	mi, err := a.newManagedIdentity()
	add("managed identity", managedIdentityFirstTry, mi, err)
	cli, err := newCLI()
	add("Azure CLI", 0, cli, err)
	azd, err := azidentity.NewAzureDeveloperCLICredential(nil)
	add("Azure Developer CLI", 0, azd, err)
	// The browser is the last resort and its failure is the chain's answer, so it is not lenient.
	if browser, err := a.newInteractive(kindBrowser); err == nil {
		links = append(links, browser)
	} else {
		a.log.Debug("azure credential skipped", "credential", "browser", "reason", err.Error())
	}
	if len(links) == 0 {
		return nil, errors.New("no credential could be constructed")
	}
	chain, err := azidentity.NewChainedTokenCredential(links, nil)
	if err != nil {
		return nil, fmt.Errorf("chain credentials: %w", err)
	}
	return chain, nil
}

// lenientLink makes any failure of its credential "unavailable", so the chain tries the next one
// instead of stopping (a standalone AzureCLICredential reports "not logged in" as a hard failure).
// A cancelled caller is passed through: the chain must stop then.
type lenientLink struct {
	name     string
	cred     azcore.TokenCredential
	firstTry time.Duration // bound on attempts until one succeeds; 0 for none
	worked   atomic.Bool
}

func (l *lenientLink) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	attempt := ctx
	if l.firstTry > 0 && !l.worked.Load() {
		var cancel context.CancelFunc
		attempt, cancel = context.WithTimeout(ctx, l.firstTry)
		defer cancel()
	}
	tok, err := l.cred.GetToken(attempt, opts)
	if err == nil {
		l.worked.Store(true)
		return tok, nil
	}
	if ctx.Err() != nil {
		return azcore.AccessToken{}, err
	}
	return azcore.AccessToken{}, azidentity.NewCredentialUnavailableError(l.name + ": " + err.Error())
}

func newCLI() (azcore.TokenCredential, error) {
	cred, err := azidentity.NewAzureCLICredential(nil)
	if err != nil {
		return nil, fmt.Errorf("azure cli credential: %w", err)
	}
	return cred, nil
}

func newEnvironment() (azcore.TokenCredential, error) {
	cred, err := azidentity.NewEnvironmentCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("environment credential (set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET): %w", err)
	}
	return cred, nil
}

func newDefault() (azcore.TokenCredential, error) {
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		return nil, fmt.Errorf("default azure credential: %w", err)
	}
	return cred, nil
}

func (a *Auth) newManagedIdentity() (azcore.TokenCredential, error) {
	var opts azidentity.ManagedIdentityCredentialOptions
	if a.s.ManagedIdentityClientID != "" {
		opts.ID = azidentity.ClientID(a.s.ManagedIdentityClientID)
	}
	cred, err := azidentity.NewManagedIdentityCredential(&opts)
	if err != nil {
		return nil, fmt.Errorf("managed identity credential: %w", err)
	}
	return cred, nil
}
