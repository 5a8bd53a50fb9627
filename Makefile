# Flowbench build and test entry points. `make run` and `make test` install
# what they need on a fresh Debian/Ubuntu machine (as root), then build.
SHELL := /bin/bash
GO ?= go
DESKTOP_TAGS := desktop,production,webkit2_41
BIN := build/bin/flowbench
TOOLS := build/bin/tools
APT_PKGS := libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config xvfb xauth x11-utils imagemagick chromium wrk \
	gnome-keyring dbus-daemon rpm
VERSION := $(shell sed -n 's/^var Version = "\(.*\)"$$/\1/p' app/app.go)
COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
LDFLAGS_X := -X github.com/flowbench/flowbench/app.Version=$(VERSION) -X github.com/flowbench/flowbench/app.Commit=$(COMMIT)
export GOFLAGS := -buildvcs=false

.PHONY: test-flows test-fuzz fuzz-long run build test deps deps-system deps-node deps-go temporal-cli frontend test-go test-frontend test-e2e test-window bench clean \
	package dist test-package tools dev wails-build

run: build
	./$(BIN)

build: deps frontend
	$(GO) build -tags $(DESKTOP_TAGS) -ldflags "-w -s $(LDFLAGS_X)" -o $(BIN) .

deps: deps-system deps-node deps-go temporal-cli

# System packages: WebKitGTK 4.1 for the window, Xvfb + ImageMagick for the
# window test, Chromium for the browser tests, wrk for load figures,
# GNOME Keyring + D-Bus for the keyring test, rpm to inspect the .rpm.
deps-system:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "missing system packages:$$missing (run as root or: sudo apt-get install$$missing)"; exit 1; fi; \
	fi

deps-node:
	@if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then \
	  npm --prefix frontend ci --no-audit --no-fund; fi

deps-go:
	$(GO) mod download

# The Temporal CLI (its `server start-dev` backs the Temporal integration
# tests, app/temporal_test.go), built once from the Go module proxy into
# .cache/bin and kept there (a few minutes on 2 cores the first time).
TEMPORAL_CLI := .cache/bin/temporal
temporal-cli: $(TEMPORAL_CLI)
$(TEMPORAL_CLI):
	GOBIN=$(CURDIR)/.cache/bin $(GO) install github.com/temporalio/cli/cmd/temporal@v1.5.1

frontend: deps-node
	npm --prefix frontend run build

test: deps frontend
	$(MAKE) test-go test-fuzz test-frontend build-bin test-flows test-e2e test-window dist test-package

build-bin:
	$(GO) build -tags $(DESKTOP_TAGS) -ldflags "$(LDFLAGS_X)" -o $(BIN) .

# flow tests (*.test.json) beside the example flows: recorded responses
# replayed, no network; `flowbench test` exits 1 when one fails
test-flows:
	$(BIN) test examples

test-go:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

# every fuzz target for a bounded number of executions (FUZZ_EXECS each, or
# the count after a target's second colon). A count, not a duration: with a
# duration Go's fuzz coordinator (go1.26, golang/go#75804) can report its own
# deadline as "context deadline exceeded" and fail a target that found
# nothing; a count has no deadline to race. Each takes ~7-11 s here.
# Long runs: make fuzz-long FUZZ=FuzzParseFile PKG=./engine FUZZ_TIME=1h
FUZZ_EXECS ?= 20000x
FUZZ_TIME ?= 10m
FUZZ_TARGETS := ./engine:FuzzParseFile ./engine/flopack:FuzzImport:8000x ./engine/trigger:FuzzEndpointInput \
	./connectors/okta:FuzzParseHook ./engine:FuzzCoerce ./engine:FuzzTransform ./engine:FuzzAppendValue \
	./engine:FuzzAppendText ./engine:FuzzFastSchemaAgrees ./connectors/functions:FuzzFormula
test-fuzz:
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; n=$(FUZZ_EXECS); \
	  case $$rest in *:*) n=$${rest#*:};; esac; echo "fuzz $$name in $$pkg for $$n"; \
	  $(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $$n $$pkg || exit 1; done

fuzz-long:
	$(GO) test -timeout 0 -run '^$$' -fuzz '^$(FUZZ)$$' -fuzztime $(FUZZ_TIME) $(PKG)

test-frontend:
	npm --prefix frontend test

test-e2e:
	bash scripts/e2e.sh

test-window:
	bash scripts/window-test.sh
	bash scripts/window-close-test.sh
	bash scripts/window-helper-test.sh

# build/dist/: .deb and .rpm (nfpm), tarball, Windows flowbench.exe
package: deps frontend
	$(MAKE) dist

dist:
	VERSION=$(VERSION) COMMIT=$(COMMIT) bash scripts/package.sh

# installs the .deb (dpkg -i), runs it, opens its window under Xvfb, removes it
test-package:
	bash scripts/package-test.sh

# the pinned Wails CLI (v2.9.2) and nfpm, from build/tools/go.sum
tools: $(TOOLS)/wails $(TOOLS)/nfpm
$(TOOLS)/wails $(TOOLS)/nfpm: build/tools/go.mod build/tools/go.sum
	cd build/tools && $(GO) build -o ../bin/tools/$(notdir $@) $(if $(filter wails,$(notdir $@)),github.com/wailsapp/wails/v2/cmd/wails,github.com/goreleaser/nfpm/v2/cmd/nfpm)

# `wails dev`: the window on Vite's dev server, live reload of the frontend
dev: deps tools
	$(TOOLS)/wails dev -m -nosyncgomod -skipbindings -tags "desktop webkit2_41"

# `wails build`: the same binary as `make build`, through the Wails CLI
wails-build: deps tools
	$(TOOLS)/wails build -m -nosyncgomod -skipbindings -tags webkit2_41 -ldflags "$(LDFLAGS_X)"

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./engine/ ./connectors/functions/

clean:
	rm -rf build/bin build/dist frontend/dist/assets
