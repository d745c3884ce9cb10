package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"

	"presto/internal/clientaddr"
)

// Config is everything the server reads from its environment, read once and validated once at
// start-up (PRODUCT.md 5.2). Flags override the environment, which overrides `.env`.
type Config struct {
	Addr           string
	AllowedOrigins []string
	AllowedHosts   []string       // PRESTO_ALLOWED_HOSTS, and PRESTO_ADDR's host when it is a name
	TrustedProxies []netip.Prefix // PRESTO_TRUSTED_PROXIES: peers whose X-Forwarded-For names the client
	LLM            string         // azure, openai or offline
	DataDir        string
	DatabaseURL    string
	AccessToken    string
	LogLevel       slog.Level

	AzureEndpoint           string
	AzureAPIKey             string
	AzureAuth               string
	AzureTenantID           string
	AzureAPIVersion         string
	AzureModelDeployment    string
	AzureRealtimeDeployment string
	AzureImageDeployment    string

	OpenAIBaseURL       string
	OpenAIAPIKey        string
	OpenAIModel         string
	OpenAIRealtimeModel string // OPENAI_REALTIME_MODEL

	VoiceVAD             string  // PRESTO_VOICE_VAD: server_vad or semantic_vad
	VoiceVADThreshold    float64 // PRESTO_VOICE_VAD_THRESHOLD
	VoiceSilenceMS       int     // PRESTO_VOICE_SILENCE_MS
	VoiceTranscribeModel string  // PRESTO_VOICE_TRANSCRIBE_MODEL
	VoiceMaxMinutes      int     // PRESTO_VOICE_MAX_MINUTES: per session per day
	MaxVoiceSessions     int     // PRESTO_MAX_VOICE_SESSIONS: at once in the process

	MaxSocketsPerAddress int // PRESTO_MAX_SOCKETS_PER_ADDRESS: /ws and /voice sockets open from one client address
	MaxSockets           int // PRESTO_MAX_SOCKETS: sockets open in the process
	SocketMessageRate    int // PRESTO_SOCKET_MESSAGES_PER_SECOND: what one /ws socket may send

	// Limits that keep a public demo from burning its owner's budget.
	MaxTextChars       int           // PRESTO_MAX_TEXT_CHARS
	ChatsPerMinute     int           // PRESTO_CHATS_PER_MINUTE, per session, across its sockets and replicas
	MaxConcurrentLLM   int           // PRESTO_MAX_CONCURRENT_LLM, whole process
	TurnTimeout        time.Duration // PRESTO_TURN_TIMEOUT: one turn, and any one LLM call, retries included
	FirstTokenTimeout  time.Duration // PRESTO_FIRST_TOKEN_TIMEOUT: a streamed LLM call that says nothing by then is given up
	BreakerFailures    int           // PRESTO_BREAKER_FAILURES: failed LLM calls in a row that open the circuit breaker
	BreakerCooldown    time.Duration // PRESTO_BREAKER_COOLDOWN: how long it fails fast before one probe
	CallsPerAddress    int           // PRESTO_LLM_CALLS_PER_ADDRESS_PER_MINUTE, bursts included
	SessionsPerAddress int           // PRESTO_SESSIONS_PER_ADDRESS_PER_MINUTE: new sessions
	ModesPerAddress    int           // PRESTO_MODES_PER_ADDRESS_PER_DAY: new generated modes
	CallsPerMinute     int           // PRESTO_LLM_CALLS_PER_MINUTE, whole process
	MaxTokensPerDay    int           // PRESTO_MAX_TOKENS_PER_DAY, whole process; 0 is unlimited
	ModeTTL            time.Duration // PRESTO_MODE_TTL: generated modes unused this long are pruned
	PrefetchTabs       bool          // PRESTO_PREFETCH_TABS: fill every tab after a switch (one LLM call each)
	ShutdownGrace      time.Duration // PRESTO_SHUTDOWN_GRACE: how long turns in flight may finish after SIGTERM
	ResponseCacheTTL   time.Duration
	ResponseCacheItems int
}

// envLookup reads a variable from the real environment first, then from the .env values.
type envLookup struct {
	getenv func(string) string
	dotenv map[string]string
}

func (e envLookup) get(name string) string {
	if v := e.getenv(name); v != "" {
		return v
	}
	return e.dotenv[name]
}

// loadConfig reads flags from args, then the environment, then `.env` in the working directory.
// A `.env` that does not exist is fine; one that cannot be parsed is an error.
func loadConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	dotenv, err := godotenv.Read(".env")
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return Config{}, fmt.Errorf(".env: %w", err)
	}
	env := envLookup{getenv: getenv, dotenv: dotenv}
	var problems []error
	bad := func(name, format string, a ...any) {
		problems = append(problems, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, a...)))
	}

	c := Config{
		Addr:                    or(env.get("PRESTO_ADDR"), "127.0.0.1:8000"),
		DataDir:                 or(env.get("PRESTO_DATA_DIR"), "./data"),
		DatabaseURL:             env.get("PRESTO_DATABASE_URL"),
		AccessToken:             env.get("PRESTO_ACCESS_TOKEN"),
		AzureEndpoint:           strings.TrimSpace(env.get("AZURE_PROJECT_ENDPOINT")),
		AzureAPIKey:             env.get("AZURE_API_KEY"),
		AzureAuth:               env.get("AZURE_AUTH"),
		AzureTenantID:           or(env.get("AZURE_TENANT_ID"), "organizations"),
		AzureAPIVersion:         env.get("AZURE_OPENAI_API_VERSION"),
		AzureModelDeployment:    or(env.get("AZURE_MODEL_DEPLOYMENT"), env.get("AZURE_DEPLOYMENT_NAME"), "model-router"),
		AzureRealtimeDeployment: or(env.get("AZURE_REALTIME_DEPLOYMENT"), "gpt-realtime"),
		AzureImageDeployment:    env.get("AZURE_IMAGE_DEPLOYMENT"),
		OpenAIBaseURL:           env.get("OPENAI_BASE_URL"),
		OpenAIAPIKey:            env.get("OPENAI_API_KEY"),
		OpenAIModel:             env.get("OPENAI_MODEL"),
		ResponseCacheTTL:        5 * time.Minute,
		ResponseCacheItems:      2000,
	}
	for _, o := range strings.Split(env.get("PRESTO_ALLOWED_ORIGINS"), ",") {
		if o = strings.ToLower(strings.TrimSpace(o)); o == "" {
			continue
		}
		if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" {
			bad("PRESTO_ALLOWED_ORIGINS", "%q is not an origin like https://demo.example.com", o)
			continue
		}
		c.AllowedOrigins = append(c.AllowedOrigins, o)
	}
	for _, h := range strings.Split(env.get("PRESTO_ALLOWED_HOSTS"), ",") {
		if h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), "."); h == "" {
			continue
		}
		if !validHostName(strings.TrimPrefix(h, "*.")) {
			bad("PRESTO_ALLOWED_HOSTS", "%q is not a host name like demo.example.com or *.example.com (no scheme, port or path)", h)
			continue
		}
		c.AllowedHosts = append(c.AllowedHosts, h)
	}
	if c.TrustedProxies, err = clientaddr.ParsePrefixes(env.get("PRESTO_TRUSTED_PROXIES")); err != nil {
		bad("PRESTO_TRUSTED_PROXIES", "%v", err)
	}
	c.MaxTextChars = intVar(env, "PRESTO_MAX_TEXT_CHARS", 4000, bad)
	c.ChatsPerMinute = intVar(env, "PRESTO_CHATS_PER_MINUTE", 20, bad)
	c.MaxConcurrentLLM = intVar(env, "PRESTO_MAX_CONCURRENT_LLM", 32, bad)
	c.CallsPerAddress = intVar(env, "PRESTO_LLM_CALLS_PER_ADDRESS_PER_MINUTE", 60, bad)
	c.SessionsPerAddress = intVar(env, "PRESTO_SESSIONS_PER_ADDRESS_PER_MINUTE", 30, bad)
	c.ModesPerAddress = intVar(env, "PRESTO_MODES_PER_ADDRESS_PER_DAY", 10, bad)
	c.CallsPerMinute = intVar(env, "PRESTO_LLM_CALLS_PER_MINUTE", 600, bad)
	c.MaxTokensPerDay = intVar(env, "PRESTO_MAX_TOKENS_PER_DAY", 0, bad)
	c.ModeTTL = ageVar(env, "PRESTO_MODE_TTL", 30*24*time.Hour, bad)
	c.TurnTimeout = durationVar(env, "PRESTO_TURN_TIMEOUT", 90*time.Second, bad)
	c.FirstTokenTimeout = durationVar(env, "PRESTO_FIRST_TOKEN_TIMEOUT", 20*time.Second, bad)
	if c.FirstTokenTimeout > c.TurnTimeout {
		bad("PRESTO_FIRST_TOKEN_TIMEOUT", "must not be longer than PRESTO_TURN_TIMEOUT (%s), got %s", c.TurnTimeout, c.FirstTokenTimeout)
	}
	c.BreakerFailures = intVar(env, "PRESTO_BREAKER_FAILURES", 5, bad)
	c.BreakerCooldown = durationVar(env, "PRESTO_BREAKER_COOLDOWN", 30*time.Second, bad)
	// 25 s: a turn that started streaming usually ends well within it, and it leaves room under the
	// 30 s that Kubernetes (and deploy/compose.yaml) give before SIGKILL.
	c.ShutdownGrace = durationVar(env, "PRESTO_SHUTDOWN_GRACE", 25*time.Second, bad)
	c.PrefetchTabs = boolVar(env, "PRESTO_PREFETCH_TABS", true, bad)
	c.OpenAIRealtimeModel = or(env.get("OPENAI_REALTIME_MODEL"), "gpt-realtime")
	c.VoiceVAD = or(env.get("PRESTO_VOICE_VAD"), "server_vad")
	if c.VoiceVAD != "server_vad" && c.VoiceVAD != "semantic_vad" {
		bad("PRESTO_VOICE_VAD", "must be server_vad or semantic_vad, got %q", c.VoiceVAD)
	}
	c.VoiceVADThreshold = 0.5
	if raw := env.get("PRESTO_VOICE_VAD_THRESHOLD"); raw != "" {
		if v, err := strconv.ParseFloat(raw, 64); err != nil || v <= 0 || v >= 1 {
			bad("PRESTO_VOICE_VAD_THRESHOLD", "must be a number between 0 and 1, got %q", raw)
		} else {
			c.VoiceVADThreshold = v
		}
	}
	c.VoiceSilenceMS = intVar(env, "PRESTO_VOICE_SILENCE_MS", 500, bad)
	c.VoiceTranscribeModel = or(env.get("PRESTO_VOICE_TRANSCRIBE_MODEL"), "whisper-1")
	c.VoiceMaxMinutes = intVar(env, "PRESTO_VOICE_MAX_MINUTES", 30, bad)
	c.MaxVoiceSessions = intVar(env, "PRESTO_MAX_VOICE_SESSIONS", 50, bad)
	c.MaxSocketsPerAddress = intVar(env, "PRESTO_MAX_SOCKETS_PER_ADDRESS", 200, bad)
	c.MaxSockets = intVar(env, "PRESTO_MAX_SOCKETS", 20000, bad)
	c.SocketMessageRate = intVar(env, "PRESTO_SOCKET_MESSAGES_PER_SECOND", 10, bad)
	if err := c.LogLevel.UnmarshalText([]byte(or(env.get("LOG_LEVEL"), "info"))); err != nil {
		bad("LOG_LEVEL", "must be debug, info, warn or error, got %q", env.get("LOG_LEVEL"))
	}

	fs := flag.NewFlagSet("presto serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (PRESTO_ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "data directory (PRESTO_DATA_DIR)")
	llm := fs.String("llm", env.get("PRESTO_LLM"), "azure, openai or offline (PRESTO_LLM)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}

	c.LLM = *llm
	if c.LLM == "" {
		c.LLM = "offline"
		if c.AzureEndpoint != "" {
			c.LLM = "azure"
		}
	}
	switch c.LLM {
	case "offline":
	case "azure":
		if c.AzureEndpoint == "" {
			bad("AZURE_PROJECT_ENDPOINT", "must be set when PRESTO_LLM=azure (e.g. https://NAME.services.ai.azure.com/api/projects/PROJECT)")
		}
	case "openai":
		if c.OpenAIModel == "" {
			bad("OPENAI_MODEL", "must be set when PRESTO_LLM=openai (e.g. gpt-4.1-mini or llama3.1)")
		}
		if c.OpenAIBaseURL != "" {
			if u, err := url.Parse(c.OpenAIBaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				bad("OPENAI_BASE_URL", "%q is not an http(s) URL like http://localhost:11434/v1", c.OpenAIBaseURL)
			}
		}
	default:
		bad("PRESTO_LLM", "must be azure, openai or offline, got %q", c.LLM)
	}
	switch c.AzureAuth {
	case "", "cli", "browser", "device-code", "managed-identity", "environment", "default":
	default:
		bad("AZURE_AUTH", "must be cli, browser, device-code, managed-identity, environment or default, got %q", c.AzureAuth)
	}
	if host, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("PRESTO_ADDR", "%q is not host:port (e.g. 127.0.0.1:8000): %v", c.Addr, err)
	} else {
		if _, err := netip.ParseAddr(host); err != nil && validHostName(strings.ToLower(host)) {
			c.AllowedHosts = append(c.AllowedHosts, strings.ToLower(host)) // the name it listens on is its own
		}
		// The Vite dev server proxies to a server on this machine; a deployment reachable from
		// elsewhere must not trust a page on whatever a visitor's own localhost:5173 serves.
		if loopbackHost(host) {
			c.AllowedOrigins = append([]string{viteDevOrigin}, c.AllowedOrigins...)
		}
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		bad("PRESTO_DATABASE_URL", "must start with postgres:// or postgresql://")
	}
	return c, errors.Join(problems...)
}

// viteDevOrigin is the Vite dev server's page (npm run dev in web/), allowed while the server
// listens on loopback only.
const viteDevOrigin = "http://localhost:5173"

// loopbackHost says whether PRESTO_ADDR's host listens on this machine only.
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// validHostName accepts a DNS name: dot-separated labels of letters, digits and dashes.
func validHostName(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

func intVar(env envLookup, name string, def int, bad func(string, string, ...any)) int {
	raw := env.get(name)
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		bad(name, "must be a positive whole number, got %q", raw)
		return def
	}
	return n
}

func durationVar(env envLookup, name string, def time.Duration, bad func(string, string, ...any)) time.Duration {
	raw := env.get(name)
	if raw == "" {
		return def
	}
	d, err := time.ParseDuration(raw)
	if err != nil || d <= 0 {
		bad(name, "must be a positive duration like 90s, got %q", raw)
		return def
	}
	return d
}

// ageVar reads a duration that may also be given in days ("30d"), the unit ages of modes are
// thought of in.
func ageVar(env envLookup, name string, def time.Duration, bad func(string, string, ...any)) time.Duration {
	raw := env.get(name)
	if raw == "" {
		return def
	}
	d, err := parseAge(raw)
	if err != nil {
		bad(name, "%v", err)
		return def
	}
	return d
}

// parseAge is a positive duration like 720h, or a whole number of days like 30d.
func parseAge(raw string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(raw, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n > 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	} else if d, err := time.ParseDuration(raw); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("must be a positive duration like 30d or 720h, got %q", raw)
}

func boolVar(env envLookup, name string, def bool, bad func(string, string, ...any)) bool {
	raw := env.get(name)
	if raw == "" {
		return def
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		bad(name, "must be true or false, got %q", raw)
		return def
	}
	return b
}

// or returns the first non-empty value.
func or(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
