package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"presto/internal/azauth"
	"presto/internal/budget"
	"presto/internal/chat"
	"presto/internal/connlimit"
	"presto/internal/llm"
	"presto/internal/llm/offline"
	"presto/internal/llm/openaillm"
	"presto/internal/metrics"
	"presto/internal/pgrelay"
	"presto/internal/server"
	"presto/internal/store"
	"presto/internal/store/postgres"
	"presto/internal/store/sqlite"
	"presto/internal/voice"
	"presto/web"
)

// voices are the realtime voices a presenter can pick; the first is the default.
var voices = []string{"marin", "cedar", "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse"}

// serve runs the server until ctx ends or SIGINT/SIGTERM arrives, then stops accepting, lets the
// turns in flight finish within PRESTO_SHUTDOWN_GRACE and closes sockets with 1001.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	cfg, err := loadConfig(args, getenv, stderr)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))

	st, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer st.Close()

	provider, auth, err := newProvider(ctx, cfg, logger)
	if err != nil {
		return err
	}
	var images *chat.ImageMaker
	if cfg.LLM == "azure" && cfg.AzureImageDeployment != "" {
		client, err := auth.Client(ctx)
		if err != nil {
			return fmt.Errorf("AZURE_PROJECT_ENDPOINT: %w", err)
		}
		images = chat.NewImageMaker(chat.OpenAIImages(client, cfg.AzureImageDeployment),
			filepath.Join(cfg.DataDir, "images"), st, logger)
	}
	var chats *chat.Service
	m := metrics.New(provider.Name(), func() int { return chats.LiveSessions() })
	if provider.Name() != "offline" {
		// Every call to a network model, whoever makes it, gets the same deadlines and breaker.
		provider = llm.NewGuard(provider, llm.GuardSettings{FirstToken: cfg.FirstTokenTimeout, Call: cfg.TurnTimeout,
			Failures: cfg.BreakerFailures, Cooldown: cfg.BreakerCooldown}, m)
	}
	budgets := newBudget(cfg, st, m)
	catalog := chat.NewCatalog(provider, st, images, budgets, logger)
	catalog.LimitGeneration(cfg.TurnTimeout)
	limits := chat.DefaultLimits()
	limits.MaxTextChars = cfg.MaxTextChars
	limits.MaxConcurrentLLM = cfg.MaxConcurrentLLM
	limits.TurnTimeout = cfg.TurnTimeout
	limits.PrefetchTabs = cfg.PrefetchTabs
	chats = chat.NewService(provider, st, catalog, limits, budgets, logger, m)
	// The prune ends before the store closes (defers run last first).
	pruneCtx, stopPrune := context.WithCancel(ctx)
	var pruning sync.WaitGroup
	pruning.Go(func() { pruneModesEvery(pruneCtx, modePruneEvery(cfg.ModeTTL), st, cfg, chats.LiveModes, logger) })
	defer pruning.Wait()
	defer stopPrune()
	if pg, ok := st.(*postgres.Store); ok {
		// Several replicas: events cross them, and a new mode is generated once among them.
		relay, err := pgrelay.Open(ctx, cfg.DatabaseURL, logger)
		if err != nil {
			return fmt.Errorf("PRESTO_DATABASE_URL: %w", err)
		}
		defer relay.Close()
		relay.OnEvent(chats.Deliver)
		chats.UseRelay(relay)
		catalog.UseLocker(pg)
	}

	realtime, noVoice, err := realtimeUpstream(cfg, auth)
	if err != nil {
		return err
	}
	caps := connectionCaps(cfg.MaxSockets, cfg.MaxSocketsPerAddress, fileHandleLimit())
	if caps.sockets < cfg.MaxSockets {
		logger.Warn("PRESTO_MAX_SOCKETS does not fit in the file handles this process may open (ulimit -n); sockets capped lower",
			"PRESTO_MAX_SOCKETS", cfg.MaxSockets, "file_handles", caps.fileHandles, "sockets", caps.sockets, "connections", caps.conns)
	}
	app := server.New(server.Deps{
		Logger:         logger,
		Chat:           chats,
		Catalog:        catalog,
		Store:          st,
		Web:            web.Dist(),
		ImagesDir:      filepath.Join(cfg.DataDir, "images"),
		AllowedOrigins: cfg.AllowedOrigins,
		AllowedHosts:   cfg.AllowedHosts,
		AccessToken:    cfg.AccessToken,
		TrustedProxies: cfg.TrustedProxies,
		Voices:         voices,
		Metrics:        m,
		Voice: &voice.Service{
			Upstream:    realtime,
			Unavailable: noVoice,
			Settings: voice.Settings{VAD: cfg.VoiceVAD, Threshold: cfg.VoiceVADThreshold, SilenceMS: cfg.VoiceSilenceMS,
				TranscribeModel: cfg.VoiceTranscribeModel, DefaultVoice: voices[0]},
			Budget:  voice.NewBudget(cfg.MaxVoiceSessions, cfg.VoiceMaxMinutes),
			Metrics: m,
			Logger:  logger,
		},
		MaxSocketsPerAddress: cfg.MaxSocketsPerAddress,
		MaxSockets:           caps.sockets,
		SocketMessageRate:    cfg.SocketMessageRate,
	})
	tcp, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("PRESTO_ADDR: listen on %s: %w", cfg.Addr, err)
	}
	ln := connlimit.New(tcp, connlimit.Limits{Total: caps.conns, PerPeer: caps.connsPerPeer,
		Shared: func(a netip.Addr) bool {
			return slices.ContainsFunc(cfg.TrustedProxies, func(p netip.Prefix) bool { return p.Contains(a) })
		},
		Refused: m.ConnectionRefused})
	srv := &http.Server{
		Handler: app,
		// A client gets 10 s for its headers and 30 s for the whole request (a body trickled in
		// slowly is cut), and a keep-alive connection is closed after 2 minutes without a request.
		// Upgraded sockets are hijacked, which clears these deadlines: they live on their pings.
		// No WriteTimeout: POST /api/tab-content waits for the LLM up to PRESTO_TURN_TIMEOUT.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	logger.Info("listening", "addr", ln.Addr().String(), "llm", provider.Name(), "store", storeKind(cfg))
	if a, ok := ln.Addr().(*net.TCPAddr); ok && !a.IP.IsLoopback() && cfg.AccessToken == "" && provider.Name() != "offline" {
		logger.Warn("listening beyond this machine without PRESTO_ACCESS_TOKEN: anyone who can reach it can spend your LLM budget")
	}
	fmt.Fprintf(stdout, "Presto-Change-O is listening on http://%s (assistant: %s)\n", ln.Addr(), provider.Name())

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "grace", cfg.ShutdownGrace)
	graceCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	// Stop accepting at once; the turns in flight go on streaming to their sockets until they end
	// or the grace runs out, and only then do the sockets close with 1001.
	shutdown := make(chan error, 1)
	go func() { shutdown <- srv.Shutdown(graceCtx) }()
	if err := app.Drain(graceCtx); err != nil {
		logger.Warn("turns still in flight at the end of the shutdown grace are cut", "grace", cfg.ShutdownGrace)
	}
	app.CloseSockets()
	shutdownErr := <-shutdown
	if images != nil {
		images.Wait()
	}
	logger.Info("stopped")
	if shutdownErr != nil && !errors.Is(shutdownErr, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", shutdownErr)
	}
	return nil
}

// connCaps are the socket and TCP connection caps that fit the process's file handles.
type connCaps struct {
	sockets      int    // /ws and /voice sockets in the process
	conns        int    // TCP connections in the process: the sockets and plain requests
	connsPerPeer int    // TCP connections from one peer that is not a trusted proxy
	fileHandles  uint64 // the process's limit, 0 when unknown
}

const (
	// plainConns is the TCP connections beyond the sockets kept for plain requests (pages, the
	// API, probes), in all and from one peer: a full house of sockets still leaves /healthz room.
	plainConns        = 1024
	plainConnsPerPeer = 64
	// handleReserve is the file handles kept for everything that is not a client: the store,
	// LLM and realtime upstream connections, the log.
	handleReserve = 1024
)

// connectionCaps lowers maxSockets when the process may not open that many files: a socket is a
// file handle, and a process out of them cannot accept even the health probe. Sockets are then
// refused with 503 while handles are left, and connections past the cap are closed at accept.
func connectionCaps(maxSockets, perAddress int, fileHandles uint64) connCaps {
	c := connCaps{sockets: maxSockets, conns: maxSockets + plainConns, fileHandles: fileHandles}
	if fileHandles > 0 {
		reserve := min(handleReserve, int(fileHandles/4))
		if usable := int(min(fileHandles, 1<<30)) - reserve; usable < c.conns {
			c.conns = usable
			c.sockets = min(maxSockets, usable-min(plainConns, usable/4))
		}
	}
	c.connsPerPeer = min(perAddress+plainConnsPerPeer, c.conns)
	return c
}

// newBudget applies the configured budgets. With PostgreSQL the per-session and per-address
// windows are in the database, so that every replica counts against the same ones; otherwise
// they are this process's.
func newBudget(cfg Config, st store.Store, m *metrics.Metrics) *budget.Budget {
	limits := budget.Limits{
		ChatsPerSession:    cfg.ChatsPerMinute,
		CallsPerAddress:    cfg.CallsPerAddress,
		SessionsPerAddress: cfg.SessionsPerAddress,
		ModesPerAddress:    cfg.ModesPerAddress,
		Calls:              cfg.CallsPerMinute,
		TokensPerDay:       int64(cfg.MaxTokensPerDay),
	}
	var shared budget.Windows = budget.NewMemory()
	if pg, ok := st.(*postgres.Store); ok {
		shared = pg.Windows()
	}
	return budget.New(limits, shared, m)
}

func storeKind(cfg Config) string {
	if cfg.DatabaseURL != "" {
		return "postgres"
	}
	return "sqlite"
}

func openStore(ctx context.Context, cfg Config, logger *slog.Logger) (store.Store, error) {
	if cfg.DatabaseURL != "" {
		st, err := postgres.Open(ctx, cfg.DatabaseURL, logger)
		if err != nil {
			return nil, fmt.Errorf("PRESTO_DATABASE_URL: %w", err)
		}
		return st, nil
	}
	path := filepath.Join(cfg.DataDir, "presto.db")
	if err := checkDatabaseFile(cfg.DataDir, path); err != nil {
		return nil, fmt.Errorf("PRESTO_DATA_DIR: %w", err)
	}
	st, err := sqlite.Open(ctx, path, logger)
	if err != nil {
		return nil, fmt.Errorf("PRESTO_DATA_DIR: %w", err)
	}
	return st, nil
}

// checkDatabaseFile refuses to start on a fresh database when the data directory shows there was
// one: the generated images of its modes are there (or anything else but a sign-in record, which
// `presto check` may leave before the first start, or a dotfile such as .env). Starting afresh would silently drop every
// session and mode. The way out is explicit: restore the file, or use an empty directory.
func checkDatabaseFile(dir, path string) error {
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return nil // there, or unreadable: sqlite.Open reports what is wrong with it
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // no directory yet: the first start
	}
	var others []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "azure-auth-") && !strings.HasPrefix(e.Name(), ".") {
			others = append(others, e.Name())
		}
	}
	if len(others) == 0 {
		return nil
	}
	return fmt.Errorf("the database %s is missing, but %s holds %s from an earlier run: the database was moved or deleted. "+
		"Restore it from a backup, or point PRESTO_DATA_DIR at an empty directory to start with a fresh one", path, dir, strings.Join(others, ", "))
}

// newProvider builds the configured LLM provider. Nothing signs in here: the Azure credential is
// made on the first call.
func newProvider(ctx context.Context, cfg Config, logger *slog.Logger) (llm.Provider, *azauth.Auth, error) {
	switch cfg.LLM {
	case "azure":
		auth := azauth.New(azureSettings(cfg, logger))
		client, err := auth.Client(ctx, option.WithHTTPClient(llmHTTPClient()))
		if err != nil {
			return nil, nil, fmt.Errorf("AZURE_PROJECT_ENDPOINT: %w", err)
		}
		return openaillm.New(client, cfg.AzureModelDeployment, "azure", logger), auth, nil
	case "openai":
		opts := []option.RequestOption{option.WithAPIKey(cfg.OpenAIAPIKey), option.WithHTTPClient(llmHTTPClient())}
		if cfg.OpenAIBaseURL != "" {
			opts = append(opts, option.WithBaseURL(cfg.OpenAIBaseURL))
		}
		return openaillm.New(openai.NewClient(opts...), cfg.OpenAIModel, "openai", logger), nil, nil
	default:
		return offline.New(), nil, nil
	}
}

// llmHTTPClient keeps enough idle connections to the LLM endpoint for many sessions at once: the
// default two per host would open a new TLS connection for almost every concurrent turn.
func llmHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 512
	t.MaxIdleConnsPerHost = 256
	t.IdleConnTimeout = 90 * time.Second
	return &http.Client{Transport: t}
}

func azureSettings(cfg Config, logger *slog.Logger) azauth.Settings {
	return azauth.Settings{
		Endpoint:           cfg.AzureEndpoint,
		APIKey:             cfg.AzureAPIKey,
		AuthMode:           cfg.AzureAuth,
		TenantID:           cfg.AzureTenantID,
		APIVersion:         cfg.AzureAPIVersion,
		Deployment:         cfg.AzureModelDeployment,
		ImageDeployment:    cfg.AzureImageDeployment,
		RealtimeDeployment: cfg.AzureRealtimeDeployment,
		DataDir:            cfg.DataDir,
		Logger:             logger,
	}
}
