# Flowbench build and test entry points. `make run` and `make test` install
# what they need on a fresh Debian/Ubuntu machine (as root), then build.
SHELL := /bin/bash
GO ?= go
DESKTOP_TAGS := desktop,production,webkit2_41
BIN := build/bin/flowbench
APT_PKGS := libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config xvfb xauth x11-utils imagemagick chromium wrk
export GOFLAGS := -buildvcs=false

.PHONY: run build test deps deps-system deps-node deps-go frontend test-go test-frontend test-e2e test-window bench clean

run: build
	./$(BIN)

build: deps frontend
	$(GO) build -tags $(DESKTOP_TAGS) -ldflags "-w -s" -o $(BIN) .

deps: deps-system deps-node deps-go

# System packages: WebKitGTK 4.1 for the window, Xvfb + ImageMagick for the
# window test, Chromium for the browser tests, wrk for load figures.
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

frontend: deps-node
	npm --prefix frontend run build

test: deps frontend
	$(MAKE) test-go test-frontend build-bin test-e2e test-window

build-bin:
	$(GO) build -tags $(DESKTOP_TAGS) -o $(BIN) .

test-go:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

test-frontend:
	npm --prefix frontend test

test-e2e:
	bash scripts/e2e.sh

test-window:
	bash scripts/window-test.sh
	bash scripts/window-close-test.sh

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./engine/ ./connectors/functions/

clean:
	rm -rf build/bin frontend/dist/assets
