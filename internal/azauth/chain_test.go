package azauth_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"presto/internal/azauth"
	"presto/internal/azauth/azauthtest"
)

// isolateAzureEnv clears what the environment and workload-identity credentials read and points
// managed identity at a loopback fake (Cloud Shell style) that refuses, so the chain's first links
// fail without the network. It returns how many times the fake was asked.
func isolateAzureEnv(t *testing.T) *atomic.Int32 {
	t.Helper()
	for _, k := range []string{
		"AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH",
		"AZURE_USERNAME", "AZURE_PASSWORD", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_TOKEN_CREDENTIALS",
		"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT", "MSI_SECRET",
	} {
		t.Setenv(k, "")
	}
	var hits atomic.Int32
	mi := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, `{"error":"invalid_request","error_description":"no managed identity here"}`, http.StatusBadRequest)
	}))
	t.Cleanup(mi.Close)
	t.Setenv("MSI_ENDPOINT", mi.URL)
	return &hits
}

func TestChainFallsThroughToAzureCLI(t *testing.T) {
	miHits := isolateAzureEnv(t)
	az := azauthtest.InstallFakeAz(t, azauthtest.AzOptions{})
	a := azauth.New(azauth.Settings{DataDir: t.TempDir()})
	for range 3 {
		tok, err := a.Token(t.Context(), azauth.Scope)
		if err != nil {
			t.Fatalf("chain: %v", err)
		}
		if tok.Token != az.Token {
			t.Fatalf("chain returned %q, want the az token", tok.Token)
		}
	}
	if miHits.Load() == 0 {
		t.Error("the chain never asked managed identity before the Azure CLI")
	}
	if n := len(az.Calls(t)); n != 1 {
		t.Errorf("az ran %d times for 3 tokens, want 1", n)
	}
}

func TestCredentialIsBuiltOnce(t *testing.T) {
	azauthtest.InstallFakeAz(t, azauthtest.AzOptions{})
	a := azauth.New(azauth.Settings{AuthMode: azauth.AuthCLI})
	c1, err := a.Credential(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c2, err := a.Credential(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if c1 != c2 {
		t.Error("Credential built a second credential; the process must share one")
	}
}
