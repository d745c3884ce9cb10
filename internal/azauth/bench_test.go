package azauth_test

import (
	"testing"

	"presto/internal/azauth"
	"presto/internal/azauth/azauthtest"
)

// BenchmarkTokenCached is the cost a request pays for its bearer token once one is cached.
func BenchmarkTokenCached(b *testing.B) {
	azauthtest.InstallFakeAz(b, azauthtest.AzOptions{})
	a := azauth.New(azauth.Settings{AuthMode: azauth.AuthCLI})
	if _, err := a.Token(b.Context(), azauth.Scope); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := a.Token(b.Context(), azauth.Scope); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTokenUncached is what every request would pay without the cache: one `az` run (here
// a shell script; the real CLI takes about a second).
func BenchmarkTokenUncached(b *testing.B) {
	azauthtest.InstallFakeAz(b, azauthtest.AzOptions{})
	for b.Loop() {
		a := azauth.New(azauth.Settings{AuthMode: azauth.AuthCLI})
		if _, err := a.Token(b.Context(), azauth.Scope); err != nil {
			b.Fatal(err)
		}
	}
}
