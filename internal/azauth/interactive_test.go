package azauth

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// fakeSignIn stands in for a browser or device-code credential: Authenticate is the interactive
// sign-in, GetToken the silent one after it.
type fakeSignIn struct {
	record       azidentity.AuthenticationRecord
	authenticate atomic.Int32
	fail         error
}

func (f *fakeSignIn) Authenticate(context.Context, *policy.TokenRequestOptions) (azidentity.AuthenticationRecord, error) {
	f.authenticate.Add(1)
	return f.record, f.fail
}

func (f *fakeSignIn) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "silent", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestRecordingCredentialSignsInOnceAndRemembers(t *testing.T) {
	dir := t.TempDir()
	rec := azidentity.AuthenticationRecord{HomeAccountID: "uid.tid", TenantID: "tid", Username: "dev@example.com", ClientID: "app", Version: "1.0"}
	log := slog.New(slog.DiscardHandler)
	store := recordStore{path: filepath.Join(dir, "azure-auth-browser.json"), tenant: DefaultTenant}

	first := &fakeSignIn{record: rec}
	r := &recordingCredential{cred: first, store: store, log: log}
	for range 2 {
		if _, err := r.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{Scope}}); err != nil {
			t.Fatal(err)
		}
	}
	if n := first.authenticate.Load(); n != 1 {
		t.Errorf("signed in interactively %d times, want 1", n)
	}
	b, err := os.ReadFile(store.path)
	if err != nil {
		t.Fatalf("the account was not kept: %v", err)
	}
	if strings.Contains(strings.ToLower(string(b)), "token") {
		t.Errorf("the kept record mentions a token: %s", b)
	}
	if fi, err := os.Stat(store.path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("record file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}

	// A restart loads the account and does not sign in interactively up front.
	loaded, found := store.load(log)
	if !found || loaded.HomeAccountID != rec.HomeAccountID || loaded.Username != rec.Username {
		t.Fatalf("load = %+v, %v; want the saved record", loaded, found)
	}
	second := &fakeSignIn{record: rec}
	r2 := &recordingCredential{cred: second, store: store, log: log, known: found}
	if _, err := r2.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{Scope}}); err != nil {
		t.Fatal(err)
	}
	if n := second.authenticate.Load(); n != 0 {
		t.Errorf("after a restart with a saved account, signed in interactively %d times, want 0", n)
	}
}

func TestRecordStoreIgnoresOtherTenantAndJunk(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.DiscardHandler)
	path := filepath.Join(dir, "rec.json")
	rec := azidentity.AuthenticationRecord{HomeAccountID: "uid.tid", TenantID: "tid", Version: "1.0"}
	if err := (recordStore{path: path, tenant: "contoso.onmicrosoft.com"}).save(rec); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		content string // replaces the file when set
		tenant  string
		want    bool
	}{
		{name: "same tenant", tenant: "contoso.onmicrosoft.com", want: true},
		{name: "other tenant", tenant: DefaultTenant, want: false},
		{name: "junk", content: "{not json", tenant: "contoso.onmicrosoft.com", want: false},
		{name: "missing", tenant: "contoso.onmicrosoft.com", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := path
			switch {
			case tt.content != "":
				p = filepath.Join(dir, "junk.json")
				if err := os.WriteFile(p, []byte(tt.content), 0o600); err != nil {
					t.Fatal(err)
				}
			case tt.name == "missing":
				p = filepath.Join(dir, "none.json")
			}
			if _, found := (recordStore{path: p, tenant: tt.tenant}).load(log); found != tt.want {
				t.Errorf("found = %v, want %v", found, tt.want)
			}
		})
	}
}

func TestRecordingCredentialFailedSignInIsNotRemembered(t *testing.T) {
	store := recordStore{path: filepath.Join(t.TempDir(), "rec.json"), tenant: DefaultTenant}
	boom := errors.New("user closed the browser")
	f := &fakeSignIn{fail: boom}
	r := &recordingCredential{cred: f, store: store, log: slog.New(slog.DiscardHandler)}
	if _, err := r.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{Scope}}); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	if _, err := os.Stat(store.path); !os.IsNotExist(err) {
		t.Errorf("a failed sign-in left a record file (stat err %v)", err)
	}
	f.fail = nil
	if _, err := r.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{Scope}}); err != nil {
		t.Fatalf("second try: %v", err)
	}
	if n := f.authenticate.Load(); n != 2 {
		t.Errorf("Authenticate ran %d times, want 2 (the failure is retried)", n)
	}
}
