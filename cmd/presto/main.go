// Command presto serves Presto-Change-O: the dashboard that becomes any industry on command.
//
//	presto            run the server (same as presto serve)
//	presto check      sign in and send one tiny prompt to each configured deployment
//	presto version    print the version
//	presto healthcheck [URL]  exit 0 when URL (default: this server's /healthz) answers 200
//	presto modes prune [-unused-for 30d]  delete generated modes no session used for that long
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "presto:", err)
		os.Exit(1)
	}
}

// run is the whole program; tests call it with their own arguments, environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && (args[0] == "serve" || args[0] == "check" || args[0] == "version" || args[0] == "healthcheck" || args[0] == "modes" || args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, "presto", version())
		return nil
	case "check":
		return runCheck(ctx, args, getenv, stdout, stderr)
	case "healthcheck":
		return runHealthcheck(ctx, args, getenv, stdout)
	case "modes":
		return runModes(ctx, args, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return serve(ctx, args, getenv, stdout, stderr)
	}
}

const usage = `Usage:
  presto [serve] [-addr host:port] [-data-dir dir] [-llm azure|openai|offline]
  presto check     sign in and send one tiny prompt to each configured deployment
  presto version   print the version
  presto healthcheck [URL]
                   exit 0 when URL answers 200 (default http://127.0.0.1:8000/healthz,
                   the port taken from PRESTO_ADDR)
  presto modes prune [-unused-for 30d] [-data-dir dir]
                   delete the generated modes no session has used for that long
                   (default PRESTO_MODE_TTL); prebuilt modes are never deleted

Configuration comes from the environment and a .env file in the working directory;
see .env.example for every variable.
`

// version is the module version, or the VCS revision for a source build.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "dev-" + rev
}
