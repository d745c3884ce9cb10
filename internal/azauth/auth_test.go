package azauth

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

func TestValidateAuthMode(t *testing.T) {
	for _, mode := range []string{"", "cli", "browser", "device-code", "managed-identity", "environment", "default"} {
		if err := ValidateAuthMode(mode); err != nil {
			t.Errorf("ValidateAuthMode(%q) = %v", mode, err)
		}
	}
	for _, mode := range []string{"az", "password", "CLI "} {
		err := ValidateAuthMode(mode)
		if err == nil || !strings.Contains(err.Error(), "device-code") {
			t.Errorf("ValidateAuthMode(%q) = %v, want an error listing the choices", mode, err)
		}
	}
	// New normalises what a user types in .env.
	if got := New(Settings{AuthMode: " CLI "}).Settings().AuthMode; got != AuthCLI {
		t.Errorf("New normalised AuthMode to %q, want %q", got, AuthCLI)
	}
	if got := New(Settings{}).Settings().TenantID; got != DefaultTenant {
		t.Errorf("default tenant = %q, want %q", got, DefaultTenant)
	}
}

func TestDevicePromptReachesThePerson(t *testing.T) {
	var prompt strings.Builder
	a := New(Settings{AuthMode: AuthDeviceCode, Prompt: &prompt})
	msg := azidentity.DeviceCodeMessage{UserCode: "ABCD-1234", VerificationURL: "https://microsoft.com/devicelogin",
		Message: "To sign in, use a web browser to open https://microsoft.com/devicelogin and enter the code ABCD-1234."}
	if err := a.devicePrompt(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(prompt.String(), "ABCD-1234") || !strings.Contains(prompt.String(), "devicelogin") {
		t.Errorf("prompt = %q, want the code and the URL", prompt.String())
	}
}
