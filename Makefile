# Ledgerline — the two commands a newcomer needs are `make demo` (or
# `make run`) and `make test`; both install what is missing first.

GO        ?= go
# Fyne can't parse the locale C: a machine without one gets C.UTF-8. A real
# locale (sv_SE.UTF-8) stays, so `make demo` opens in the owner's language.
ifeq ($(filter-out C POSIX,$(LANG)),)
export LANG := C.UTF-8
endif
# The tests assert English words and en-US formats, whatever the machine's
# locale; the Swedish ones switch the catalog themselves.
TEST_LOCALE := env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8
# The first cgo build of Fyne takes minutes; later builds reuse Go's cache.
FUZZTIME  ?= 5s
BIN       := bin
KEYRING_PASSWORD ?= ledgerline-test-keyring

.PHONY: all run demo test test-broker test-postgres test-windows bench-postgres unit fuzz lint bench build deps deps-test screenshots package crossvet clean

all: build

deps:
	@.ci/deps.sh build

deps-test:
	@.ci/deps.sh test

build: deps
	$(GO) build -o $(BIN)/ledgerline ./cmd/ledgerline
	$(GO) build -o $(BIN)/ledgerline-broker ./cmd/ledgerline-broker
	$(GO) build -o $(BIN)/stripe-sandbox ./cmd/stripe-sandbox

## run: open Ledgerline on your real data folder.
run: deps
	$(GO) run ./cmd/ledgerline $(ARGS)

## demo: open Ledgerline against the built-in Stripe sandbox (offline).
demo: deps
	$(GO) run ./cmd/ledgerline --sandbox $(ARGS)

## test: every test with the race detector, against a real keychain
## (gnome-keyring on a private D-Bus session), then short fuzz runs.
## The keychain lives in a throwaway folder (XDG_DATA_HOME), so tests never
## touch your own login keyring, and gnome-keyring creates it unlocked.
test: deps-test lint
	@keyrings=$$(mktemp -d) && trap 'rm -rf "$$keyrings"' EXIT && \
	XDG_DATA_HOME="$$keyrings" LEDGERLINE_KEYCHAIN_PASSWORD=$(KEYRING_PASSWORD) \
	LEDGERLINE_KEYCHAIN_TESTS=1 LEDGERLINE_E2E=1 LEDGERLINE_CONTRACT_TESTS=1 \
	$(TEST_LOCALE) dbus-run-session -- sh -c 'echo -n "$$LEDGERLINE_KEYCHAIN_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
		$(GO) test -race -count=1 -timeout 25m ./...'
	@$(MAKE) --no-print-directory fuzz

## test-broker: the token broker's tests that `make test` skips: three
## broker processes behind a real HAProxy completing 100 sign-ins while one
## is restarted, and a load test (vegeta) of /oauth/authorize and
## /oauth/token against the sandbox. .ci/run runs it after `make test`.
test-broker: deps-test
	LEDGERLINE_BROKER_TESTS=1 $(TEST_LOCALE) $(GO) test -race -count=1 -v -run 'TestSignInsSurviveAReplicaRestartBehindHAProxy|TestBrokerLoad' ./internal/brokertest

lint:
	@test -z "$$(gofmt -l cmd internal assets)" || { gofmt -l cmd internal assets; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzCallbackHandler$$' -fuzztime $(FUZZTIME) ./internal/authflow
	$(GO) test -run '^$$' -fuzz '^FuzzAuthorizeParams$$' -fuzztime $(FUZZTIME) ./internal/broker
	$(GO) test -run '^$$' -fuzz '^FuzzOpenSealed$$' -fuzztime $(FUZZTIME) ./internal/broker

## test-postgres: the PostgreSQL destination's tests against a real
## PostgreSQL 15 that each test starts in a temporary folder (as the postgres
## user when run as root) and removes: the initial copy, updates and deletes
## row for row, kill -9 mid-COPY, a server restart and a reset mid-copy, two
## data folders on one schema, and the command's errors. A few minutes.
## (make test runs the quick ones; LEDGERLINE_POSTGRES_TESTS=1 adds the slow.)
test-postgres: deps-test
	LEDGERLINE_POSTGRES_TESTS=1 $(TEST_LOCALE) $(GO) test -race -count=1 -timeout 10m ./internal/destination ./internal/cli -run 'Destination|Replication|KillNine|ServerRestart|TwoDataFolders|PGMigration'

## bench-postgres: the destination's figures (initial copy rows/s, a
## change's way to PostgreSQL, the sync's objects/s with and without a
## destination) on a sandbox of DEST_SCALE objects, three runs each (medians).
DEST_SCALE ?= 20000
bench-postgres: deps-test
	LEDGERLINE_DEST_BENCH_SCALE=$(DEST_SCALE) $(GO) test -run '^$$' -bench . -benchtime 3x -timeout 60m ./internal/destination

## bench: the sync's figures against its targets, measured with the real
## programs on a 1,000,000-object sandbox (SCALE=, RUNS= to change), the
## start-up times with that database against an empty one, then
## the Go benchmarks of the hot paths, five runs each (compare medians).
SCALE ?= 1000000
RUNS  ?= 3
bench: deps-test build
	@keyrings=$$(mktemp -d) && trap 'rm -rf "$$keyrings"' EXIT && \
	XDG_DATA_HOME="$$keyrings" dbus-run-session -- sh -c 'echo -n $(KEYRING_PASSWORD) | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
		$(GO) run ./internal/tools/syncbench -bin $(BIN) -scale $(SCALE) -runs $(RUNS) && \
		$(GO) run ./internal/tools/startbench -bin $(BIN) -scale $(SCALE) -runs 5'
	$(GO) test -run '^$$' -bench . -count 5 ./internal/browse ./internal/reports ./internal/warehouse ./internal/syncer ./internal/sandbox ./internal/store ./internal/cli ./internal/ui ./internal/status ./internal/credentials ./internal/broker
	LEDGERLINE_BROKER_TESTS=1 BROKER_LOAD_SECONDS=5 $(GO) test -count=1 -v -run '^TestBrokerLoad$$' ./internal/brokertest | grep 'broker load'

## screenshots: runs the real app under Xvfb (a private D-Bus session and an
## unlocked throwaway keychain) in sandbox mode on a freshly seeded data folder
## and saves the README's pictures in docs/screenshots: in English, then with
## a Swedish system locale in docs/screenshots/sv.
screenshots: deps-test build
	$(GO) run ./internal/tools/screenshots -bin $(BIN)/ledgerline -out docs/screenshots -locale en_US.UTF-8
	$(GO) run ./internal/tools/screenshots -bin $(BIN)/ledgerline -out docs/screenshots/sv -locale sv_SE.UTF-8

## package: the Linux bundle (dist/Ledgerline.tar.xz) and the Windows program
## (dist/Ledgerline.exe, cross-built with mingw-w64), made by `fyne package`
## from fyne.io/tools, which this installs first; see .ci/package.sh.
## BROKER_URL=https://… builds in the sign-in service the app connects
## through (docs/broker.md); LEDGERLINE_BROKER_URL still overrides it.
BROKER_URL ?=
package:
	@.ci/deps.sh package
	BROKER_URL="$(BROKER_URL)" .ci/package.sh

## crossvet: vet and compile, for windows/amd64, darwin/arm64 and
## darwin/amd64 without cgo, every package that builds without the system's
## C toolchain (all but cmd/ledgerline, Fyne's window; see .ci/crossvet.sh).
crossvet:
	.ci/crossvet.sh

## test-windows: the Windows build, proven under Wine (internal/tools/wintest):
## cross-builds dist/Ledgerline.exe and dist/Ledgerline-Setup.exe, then in a
## throwaway Wine prefix for the user "Ölands Bageri": the command line
## against bin/stripe-sandbox, the key in Credential Manager, the sync lock,
## cmd.exe, the installer and the window under Xvfb beside the Linux one
## (its screenshots go to dist/wintest). Runs crossvet first.
test-windows:
	@.ci/deps.sh windows
	.ci/crossvet.sh
	.ci/package.sh windows
	$(GO) build -o $(BIN)/ledgerline ./cmd/ledgerline
	$(GO) build -o $(BIN)/stripe-sandbox ./cmd/stripe-sandbox
	LEDGERLINE_WINE_TESTS=1 WINTEST_EXE=$(CURDIR)/dist/Ledgerline.exe WINTEST_SETUP=$(CURDIR)/dist/Ledgerline-Setup.exe \
	WINTEST_SANDBOX=$(CURDIR)/$(BIN)/stripe-sandbox WINTEST_LINUX=$(CURDIR)/$(BIN)/ledgerline WINTEST_OUT=$(CURDIR)/dist/wintest \
	$(TEST_LOCALE) dbus-run-session -- $(GO) test -race -count=1 -v -timeout 20m ./internal/tools/wintest

clean:
	rm -rf $(BIN)
