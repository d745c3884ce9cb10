# Presto-Change-O. `make run` starts the app on its offline default; `make test` runs every test.
.PHONY: run build test lint test-go test-web test-e2e web web-deps check-dist fuzz bench

GO ?= go

run:
	$(GO) run ./cmd/presto

build:
	CGO_ENABLED=0 $(GO) build -o bin/presto ./cmd/presto

# Every test: lint, Go tests (with the race detector), front-end unit tests and browser end-to-end
# tests against the real binary.
test: lint test-go test-web test-e2e

lint:
	@test -z "$$(gofmt -l cmd internal web/*.go)" || { gofmt -l cmd internal web/*.go; echo "gofmt: the files above need formatting"; exit 1; }
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

test-go:
	$(GO) test -race -count=1 ./...

web-deps:
	@test -d web/node_modules || (cd web && npm ci)

test-web: web-deps
	cd web && npm test

test-e2e: web-deps build
	@command -v chromium >/dev/null || { echo "test-e2e needs Chromium: apt-get install -y chromium"; exit 1; }
	cd web && PRESTO_BIN=$(CURDIR)/bin/presto npm run e2e

# Rebuild the front end into web/dist (committed, embedded in the binary).
web: web-deps
	cd web && npm run build

# CI: the committed web/dist must be what the sources build.
check-dist: web
	@git diff --exit-code --stat -- web/dist || { echo "web/dist differs from a fresh build: run make web and commit web/dist"; exit 1; }
	@test -z "$$(git status --porcelain -- web/dist)" || { git status --porcelain -- web/dist; echo "web/dist has files a fresh build does not commit"; exit 1; }

# Short fuzzing runs of the decoders (longer: FUZZTIME=5m make fuzz).
FUZZTIME ?= 30s
fuzz:
	$(GO) test ./internal/protocol -run '^$$' -fuzz FuzzDecode -fuzztime $(FUZZTIME)
	$(GO) test ./internal/llm -run '^$$' -fuzz FuzzValidateToolCall -fuzztime $(FUZZTIME)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
