// Package azauthtest holds fakes at the wire for Azure sign-in and inference: an `az` executable
// put first on PATH, and an HTTP server that answers chat completions the way Azure does and
// records what it was sent. Nothing here touches the network.
package azauthtest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// AzOptions shapes the fake `az`.
type AzOptions struct {
	Tenant    string        // the "tid" claim and the "tenant" field; default a fixed GUID
	ObjectID  string        // the "oid" claim; default a fixed GUID
	ExpiresIn time.Duration // token lifetime from the moment the fake is installed; default 1h
	// NotLoggedIn makes az fail the way the real CLI does before `az login`.
	NotLoggedIn bool
}

// FakeAz is an installed fake `az`. Each run appends its arguments as one line to a log file.
type FakeAz struct {
	Token string // the access token every run prints
	log   string
}

// InstallFakeAz writes a fake `az` into a temporary directory and puts it first on PATH for the
// rest of the test (t.Setenv: the test cannot be parallel). It answers `az account
// get-access-token --output json` with the JSON fields the real CLI prints.
func InstallFakeAz(t testing.TB, o AzOptions) *FakeAz {
	t.Helper()
	if o.Tenant == "" {
		o.Tenant = "11111111-2222-3333-4444-555555555555"
	}
	if o.ObjectID == "" {
		o.ObjectID = "99999999-8888-7777-6666-555555555555"
	}
	if o.ExpiresIn == 0 {
		o.ExpiresIn = time.Hour
	}
	dir := t.TempDir()
	f := &FakeAz{Token: FakeJWT(map[string]any{"tid": o.Tenant, "oid": o.ObjectID, "upn": "dev@example.com"}), log: filepath.Join(dir, "az-calls.log")}
	exp := time.Now().Add(o.ExpiresIn)
	out, err := json.Marshal(map[string]any{
		"accessToken":  f.Token,
		"expiresOn":    exp.Local().Format("2006-01-02 15:04:05.000000"),
		"expires_on":   exp.Unix(),
		"subscription": "00000000-0000-0000-0000-000000000001",
		"tenant":       o.Tenant,
		"tokenType":    "Bearer",
	})
	if err != nil {
		t.Fatalf("encode fake az token: %v", err)
	}
	body := fmt.Sprintf("printf '%%s\\n' \"$*\" >> %s\ncat <<'JSON'\n%s\nJSON\n", shellQuote(f.log), out)
	if o.NotLoggedIn {
		body = fmt.Sprintf("printf '%%s\\n' \"$*\" >> %s\necho \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n", shellQuote(f.log))
	}
	script := "#!/bin/sh\n" + body
	if err := os.WriteFile(filepath.Join(dir, "az"), []byte(script), 0o755); err != nil {
		t.Fatalf("write fake az: %v", err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return f
}

// Calls returns the argument lines of every run so far.
func (f *FakeAz) Calls(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile(f.log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatalf("read fake az log: %v", err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// FakeJWT returns an unsigned token with the given claims, shaped like an Entra access token.
func FakeJWT(claims map[string]any) string {
	enc := base64.RawURLEncoding
	payload, _ := json.Marshal(claims) // a map of plain values always encodes
	return enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc.EncodeToString(payload) + ".sig"
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
