package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func TestLoadConfigDefaults(t *testing.T) {
	c, err := loadConfig(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8000" || c.LLM != "offline" || c.DataDir != "./data" || c.AzureModelDeployment != "model-router" ||
		c.AzureTenantID != "organizations" || c.MaxTextChars != 4000 || len(c.AllowedOrigins) != 1 || c.AllowedOrigins[0] != "http://localhost:5173" || len(c.TrustedProxies) != 0 ||
		len(c.AllowedHosts) != 0 || c.MaxSocketsPerAddress != 200 || c.MaxSockets != 20000 || c.SocketMessageRate != 10 {
		t.Fatalf("defaults: %+v", c)
	}
	if c.TurnTimeout != 90*time.Second || c.FirstTokenTimeout != 20*time.Second || c.BreakerFailures != 5 ||
		c.BreakerCooldown != 30*time.Second || c.ShutdownGrace != 25*time.Second {
		t.Fatalf("upstream time defaults: turn %v, first token %v, breaker %d/%v, grace %v",
			c.TurnTimeout, c.FirstTokenTimeout, c.BreakerFailures, c.BreakerCooldown, c.ShutdownGrace)
	}
	if c.ChatsPerMinute != 20 || c.CallsPerAddress != 60 || c.SessionsPerAddress != 30 || c.ModesPerAddress != 10 ||
		c.CallsPerMinute != 600 || c.MaxTokensPerDay != 0 || c.ModeTTL != 30*24*time.Hour {
		t.Fatalf("budget defaults: %+v", c)
	}
}

func TestLoadConfigReadsBudgets(t *testing.T) {
	env := map[string]string{
		"PRESTO_LLM_CALLS_PER_ADDRESS_PER_MINUTE": "7", "PRESTO_SESSIONS_PER_ADDRESS_PER_MINUTE": "8",
		"PRESTO_MODES_PER_ADDRESS_PER_DAY": "9", "PRESTO_LLM_CALLS_PER_MINUTE": "100", "PRESTO_MAX_TOKENS_PER_DAY": "2000000",
		"PRESTO_MODE_TTL": "7d",
	}
	c, err := loadConfig(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.CallsPerAddress != 7 || c.SessionsPerAddress != 8 || c.ModesPerAddress != 9 || c.CallsPerMinute != 100 ||
		c.MaxTokensPerDay != 2000000 || c.ModeTTL != 7*24*time.Hour {
		t.Fatalf("got %+v", c)
	}
	env["PRESTO_MODE_TTL"] = "36h"
	if c, err := loadConfig(nil, func(k string) string { return env[k] }, io.Discard); err != nil || c.ModeTTL != 36*time.Hour {
		t.Fatalf("PRESTO_MODE_TTL=36h: %v, %v", c.ModeTTL, err)
	}
}

func TestLoadConfigReadsEnvAndFlags(t *testing.T) {
	env := map[string]string{
		"AZURE_PROJECT_ENDPOINT": "https://r.services.ai.azure.com/api/projects/p",
		"AZURE_DEPLOYMENT_NAME":  "gpt-5-mini",
		"PRESTO_ALLOWED_ORIGINS": "https://a.example.com, https://b.example.com",
		"PRESTO_TURN_TIMEOUT":    "30s",
		"PRESTO_ADDR":            "0.0.0.0:9000",
		"PRESTO_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7",
		"PRESTO_ALLOWED_HOSTS":   "Demo.Example.com, *.example.org.",

		"PRESTO_MAX_SOCKETS_PER_ADDRESS": "7",
		"PRESTO_MAX_SOCKETS":             "70",

		"PRESTO_SOCKET_MESSAGES_PER_SECOND": "3",

		"PRESTO_FIRST_TOKEN_TIMEOUT": "5s",
		"PRESTO_BREAKER_FAILURES":    "3",
		"PRESTO_BREAKER_COOLDOWN":    "10s",
		"PRESTO_SHUTDOWN_GRACE":      "40s",
	}
	c, err := loadConfig([]string{"-addr", "127.0.0.1:7000"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.LLM != "azure" || c.AzureModelDeployment != "gpt-5-mini" || len(c.AllowedOrigins) != 3 || c.TurnTimeout != 30*time.Second || c.Addr != "127.0.0.1:7000" ||
		fmt.Sprint(c.TrustedProxies) != "[10.0.0.0/8 192.168.1.7/32]" || fmt.Sprint(c.AllowedHosts) != "[demo.example.com *.example.org]" ||
		c.MaxSocketsPerAddress != 7 || c.MaxSockets != 70 || c.SocketMessageRate != 3 {
		t.Fatalf("got %+v", c)
	}
	if c.FirstTokenTimeout != 5*time.Second || c.BreakerFailures != 3 || c.BreakerCooldown != 10*time.Second || c.ShutdownGrace != 40*time.Second {
		t.Fatalf("upstream time: first token %v, breaker %d/%v, grace %v", c.FirstTokenTimeout, c.BreakerFailures, c.BreakerCooldown, c.ShutdownGrace)
	}
}

func TestLoadConfigErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"PRESTO_LLM": "bard"}, "PRESTO_LLM"},
		{map[string]string{"PRESTO_LLM": "azure"}, "AZURE_PROJECT_ENDPOINT"},
		{map[string]string{"PRESTO_LLM": "openai"}, "OPENAI_MODEL"},
		{map[string]string{"PRESTO_LLM": "openai", "OPENAI_MODEL": "m", "OPENAI_BASE_URL": "localhost:11434"}, "OPENAI_BASE_URL"},
		{map[string]string{"AZURE_AUTH": "password"}, "AZURE_AUTH"},
		{map[string]string{"PRESTO_ADDR": "8000"}, "PRESTO_ADDR"},
		{map[string]string{"PRESTO_ALLOWED_ORIGINS": "not a url"}, "PRESTO_ALLOWED_ORIGINS"},
		{map[string]string{"PRESTO_TRUSTED_PROXIES": "10.0.0.0/33"}, "PRESTO_TRUSTED_PROXIES"},
		{map[string]string{"PRESTO_ALLOWED_HOSTS": "https://demo.example.com"}, "PRESTO_ALLOWED_HOSTS"},
		{map[string]string{"PRESTO_ALLOWED_HOSTS": "demo.example.com:443"}, "PRESTO_ALLOWED_HOSTS"},
		{map[string]string{"PRESTO_MAX_SOCKETS_PER_ADDRESS": "0"}, "PRESTO_MAX_SOCKETS_PER_ADDRESS"},
		{map[string]string{"PRESTO_MAX_SOCKETS": "lots"}, "PRESTO_MAX_SOCKETS"},
		{map[string]string{"PRESTO_SOCKET_MESSAGES_PER_SECOND": "-1"}, "PRESTO_SOCKET_MESSAGES_PER_SECOND"},
		{map[string]string{"PRESTO_MAX_TEXT_CHARS": "many"}, "PRESTO_MAX_TEXT_CHARS"},
		{map[string]string{"PRESTO_TURN_TIMEOUT": "-3s"}, "PRESTO_TURN_TIMEOUT"},
		{map[string]string{"PRESTO_FIRST_TOKEN_TIMEOUT": "soon"}, "PRESTO_FIRST_TOKEN_TIMEOUT"},
		{map[string]string{"PRESTO_FIRST_TOKEN_TIMEOUT": "2m", "PRESTO_TURN_TIMEOUT": "1m"}, "PRESTO_FIRST_TOKEN_TIMEOUT"},
		{map[string]string{"PRESTO_BREAKER_FAILURES": "0"}, "PRESTO_BREAKER_FAILURES"},
		{map[string]string{"PRESTO_BREAKER_COOLDOWN": "0s"}, "PRESTO_BREAKER_COOLDOWN"},
		{map[string]string{"PRESTO_SHUTDOWN_GRACE": "-1s"}, "PRESTO_SHUTDOWN_GRACE"},
		{map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{map[string]string{"PRESTO_DATABASE_URL": "mysql://x"}, "PRESTO_DATABASE_URL"},
		{map[string]string{"PRESTO_CHATS_PER_MINUTE": "0"}, "PRESTO_CHATS_PER_MINUTE"},
		{map[string]string{"PRESTO_LLM_CALLS_PER_ADDRESS_PER_MINUTE": "0"}, "PRESTO_LLM_CALLS_PER_ADDRESS_PER_MINUTE"},
		{map[string]string{"PRESTO_SESSIONS_PER_ADDRESS_PER_MINUTE": "-1"}, "PRESTO_SESSIONS_PER_ADDRESS_PER_MINUTE"},
		{map[string]string{"PRESTO_MODES_PER_ADDRESS_PER_DAY": "ten"}, "PRESTO_MODES_PER_ADDRESS_PER_DAY"},
		{map[string]string{"PRESTO_LLM_CALLS_PER_MINUTE": "1.5"}, "PRESTO_LLM_CALLS_PER_MINUTE"},
		{map[string]string{"PRESTO_MAX_TOKENS_PER_DAY": "0"}, "PRESTO_MAX_TOKENS_PER_DAY"},
		{map[string]string{"PRESTO_MODE_TTL": "0d"}, "PRESTO_MODE_TTL"},
		{map[string]string{"PRESTO_MODE_TTL": "a month"}, "PRESTO_MODE_TTL"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := loadConfig(nil, func(k string) string { return tt.env[k] }, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one naming %s", err, tt.want)
			}
		})
	}
}

// TestViteOriginAndListenNameFollowTheAddress: the Vite dev origin is trusted only while the
// server listens on loopback, unless listed; a listen address given as a name is an allowed host.
func TestViteOriginAndListenNameFollowTheAddress(t *testing.T) {
	tests := []struct {
		addr, origins string
		wantOrigins   string
		wantHosts     string
	}{
		{"127.0.0.1:8000", "", "[http://localhost:5173]", "[]"},
		{"[::1]:8000", "", "[http://localhost:5173]", "[]"},
		{"localhost:8000", "", "[http://localhost:5173]", "[localhost]"},
		{"0.0.0.0:8000", "", "[]", "[]"},
		{":8000", "", "[]", "[]"},
		{"192.168.1.5:8000", "https://a.example.com", "[https://a.example.com]", "[]"},
		{"demo.internal:8000", "", "[]", "[demo.internal]"},
		{"0.0.0.0:8000", "http://localhost:5173", "[http://localhost:5173]", "[]"},
	}
	for _, tt := range tests {
		env := map[string]string{"PRESTO_ADDR": tt.addr, "PRESTO_ALLOWED_ORIGINS": tt.origins}
		c, err := loadConfig(nil, func(k string) string { return env[k] }, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(c.AllowedOrigins); got != tt.wantOrigins {
			t.Errorf("PRESTO_ADDR=%s PRESTO_ALLOWED_ORIGINS=%q: origins %s, want %s", tt.addr, tt.origins, got, tt.wantOrigins)
		}
		if got := fmt.Sprint(c.AllowedHosts); got != tt.wantHosts {
			t.Errorf("PRESTO_ADDR=%s: hosts %s, want %s", tt.addr, got, tt.wantHosts)
		}
	}
}

// TestConnectionCapsFitTheFileHandles: the socket cap is lowered to what the file handles allow,
// with room left for plain requests and for the process's own files.
func TestConnectionCapsFitTheFileHandles(t *testing.T) {
	tests := []struct {
		maxSockets, perAddress int
		handles                uint64
		want                   connCaps
	}{
		{20000, 200, 1 << 20, connCaps{sockets: 20000, conns: 21024, connsPerPeer: 264, fileHandles: 1 << 20}},
		{20000, 200, 0, connCaps{sockets: 20000, conns: 21024, connsPerPeer: 264}},
		{20000, 200, 20000, connCaps{sockets: 17952, conns: 18976, connsPerPeer: 264, fileHandles: 20000}},
		{20000, 200, 1024, connCaps{sockets: 576, conns: 768, connsPerPeer: 264, fileHandles: 1024}},
		{100, 200, 256, connCaps{sockets: 100, conns: 192, connsPerPeer: 192, fileHandles: 256}},
	}
	for _, tt := range tests {
		if got := connectionCaps(tt.maxSockets, tt.perAddress, tt.handles); got != tt.want {
			t.Errorf("connectionCaps(%d, %d, %d) = %+v, want %+v", tt.maxSockets, tt.perAddress, tt.handles, got, tt.want)
		}
	}
}

func TestDotEnvIsReadAndEnvironmentWins(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFile(t, ".env", "PRESTO_ADDR=127.0.0.1:9100\nPRESTO_DATA_DIR=/from/dotenv\n")
	env := map[string]string{"PRESTO_DATA_DIR": "/from/env"}
	c, err := loadConfig(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9100" || c.DataDir != "/from/env" {
		t.Fatalf("addr %q data dir %q; want .env's addr and the environment's data dir", c.Addr, c.DataDir)
	}
	writeFile(t, ".env", "THIS IS NOT=an env file\n'")
	if _, err := loadConfig(nil, func(string) string { return "" }, io.Discard); err == nil || !strings.Contains(err.Error(), ".env") {
		t.Fatalf("a malformed .env: %v, want an error naming .env", err)
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
