package azauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity/cache"
)

// interactiveKind is a credential that signs a person in: a browser or a device code.
type interactiveKind string

const (
	kindBrowser    interactiveKind = "browser"
	kindDeviceCode interactiveKind = "device-code"
)

// authenticator is what InteractiveBrowserCredential and DeviceCodeCredential share: a token
// credential that can sign in ahead of time and describe the account it signed in.
type authenticator interface {
	azcore.TokenCredential
	Authenticate(ctx context.Context, opts *policy.TokenRequestOptions) (azidentity.AuthenticationRecord, error)
}

// newInteractive builds a browser or device-code credential that remembers its account in
// DataDir and, where the OS keyring allows, its tokens too, so a restart signs in silently.
func (a *Auth) newInteractive(kind interactiveKind) (azcore.TokenCredential, error) {
	store := recordStore{path: a.recordPath(kind), tenant: a.s.TenantID}
	rec, found := store.load(a.log)
	tokens := a.persistentCache()
	var (
		cred authenticator
		err  error
	)
	switch kind {
	case kindDeviceCode:
		cred, err = azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
			TenantID: a.s.TenantID, AuthenticationRecord: rec, Cache: tokens, UserPrompt: a.devicePrompt,
		})
	default:
		cred, err = azidentity.NewInteractiveBrowserCredential(&azidentity.InteractiveBrowserCredentialOptions{
			TenantID: a.s.TenantID, AuthenticationRecord: rec, Cache: tokens,
		})
	}
	if err != nil {
		return nil, fmt.Errorf("%s credential: %w", kind, err)
	}
	return &recordingCredential{cred: cred, store: store, log: a.log, known: found}, nil
}

// persistentCache returns the keyring-backed token cache, or the zero Cache (in memory) where the
// keyring is unavailable, as in most containers. Losing persistence must never stop sign-in.
func (a *Auth) persistentCache() azidentity.Cache {
	c, err := cache.New(&cache.Options{Name: "presto"})
	if err != nil {
		a.log.Info("persistent azure token cache unavailable, keeping tokens in memory", "reason", err.Error())
		return azidentity.Cache{}
	}
	return c
}

func (a *Auth) devicePrompt(_ context.Context, msg azidentity.DeviceCodeMessage) error {
	a.log.Info("azure device-code sign-in waiting", "verification_url", msg.VerificationURL)
	if a.s.Prompt == nil {
		a.log.Info(msg.Message)
		return nil
	}
	if _, err := fmt.Fprintln(a.s.Prompt, msg.Message); err != nil {
		return fmt.Errorf("show device code: %w", err)
	}
	return nil
}

func (a *Auth) recordPath(kind interactiveKind) string {
	if a.s.DataDir == "" {
		return ""
	}
	return filepath.Join(a.s.DataDir, "azure-auth-"+string(kind)+".json")
}

// recordingCredential signs in once with Authenticate when no account is known, saves the
// account, and answers GetToken from the credential (silently, from its cache, after that).
type recordingCredential struct {
	cred  authenticator
	store recordStore
	log   *slog.Logger

	mu    sync.Mutex
	known bool // an AuthenticationRecord was loaded or saved
}

func (r *recordingCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if err := r.signInOnce(ctx, opts); err != nil {
		return azcore.AccessToken{}, err
	}
	return r.cred.GetToken(ctx, opts)
}

func (r *recordingCredential) signInOnce(ctx context.Context, opts policy.TokenRequestOptions) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.known {
		return nil
	}
	rec, err := r.cred.Authenticate(ctx, &opts)
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	r.known = true
	if err := r.store.save(rec); err != nil {
		// The sign-in worked; only the next restart loses its silent start.
		r.log.Warn("could not keep the azure account for the next start", "err", err.Error())
	}
	return nil
}

// recordStore keeps one AuthenticationRecord (account and tenant ids, no secret) in a file,
// tagged with the tenant it was made for so a changed AZURE_TENANT_ID starts afresh.
type recordStore struct {
	path   string // empty: nothing is kept
	tenant string
}

type storedRecord struct {
	Tenant string                          `json:"tenant"`
	Record azidentity.AuthenticationRecord `json:"record"`
}

func (s recordStore) load(log *slog.Logger) (azidentity.AuthenticationRecord, bool) {
	if s.path == "" {
		return azidentity.AuthenticationRecord{}, false
	}
	b, err := os.ReadFile(s.path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			log.Warn("could not read the saved azure account", "path", s.path, "err", err.Error())
		}
		return azidentity.AuthenticationRecord{}, false
	}
	var sr storedRecord
	if err := json.Unmarshal(b, &sr); err != nil || sr.Tenant != s.tenant || sr.Record.HomeAccountID == "" {
		log.Warn("ignoring the saved azure account: unreadable or for another tenant", "path", s.path)
		return azidentity.AuthenticationRecord{}, false
	}
	return sr.Record, true
}

func (s recordStore) save(rec azidentity.AuthenticationRecord) error {
	if s.path == "" {
		return nil
	}
	b, err := json.Marshal(storedRecord{Tenant: s.tenant, Record: rec})
	if err != nil {
		return fmt.Errorf("encode azure account: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(s.path), err)
	}
	tmp := s.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("replace %s: %w", s.path, err)
	}
	return nil
}
