# omeda-go: every target runs from a clean clone with Go (and, for spec-check, Node.js) installed.
SHELL := /bin/bash
GO    ?= go
NODE  ?= node
NPM   ?= npm
# The development tools are pinned in a module of their own, tools/go.mod, so that the SDK's go.mod
# lists only what its packages import and a program that imports the SDK never sees the tools.
TOOL  := $(GO) tool -modfile=tools/go.mod

.PHONY: all build run generate check-generated lint test spec-check spec-live spec-diff release-spec docs conformance-live conformance-sandbox bench fuzz bin/omeda

all: test

## build: the command-line tool, bin/omeda
build: bin/omeda

bin/omeda:
	$(GO) build -o bin/omeda ./cmd/omeda

## run: walk the five endpoints through the CLI against an in-process sandbox
run:
	$(GO) run ./cmd/omeda demo

## generate: bundle api/ into openapi.yaml and regenerate gen/ from it
generate:
	$(GO) generate ./...

## check-generated: regenerate, then fail if openapi.yaml or gen/ differ from what is committed
check-generated: generate
	@changes="$$(git status --porcelain --untracked-files=all -- openapi.yaml gen/)"; \
	if [ -n "$$changes" ]; then \
		echo "openapi.yaml or gen/ is stale; run 'make generate' and commit the result:"; \
		echo "$$changes"; git --no-pager diff --stat -- openapi.yaml gen/; exit 1; \
	fi

## lint: gofmt, go vet and staticcheck (its default checks; zero findings)
lint:
	@unformatted="$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "not gofmt-ed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(TOOL) staticcheck ./...
	@# The tools module's own code (tools/benchsummary), with its own go.mod
	$(GO) vet -C tools ./...
	$(GO) tool -C tools staticcheck ./...

## spec-tools/node_modules: the pinned Node.js toolchain of spec-check, installed exactly as locked
spec-tools/node_modules: spec-tools/package.json spec-tools/package-lock.json
	@command -v $(NPM) >/dev/null || { echo "spec-check needs Node.js (20.19+ or 22.12+) and npm"; exit 1; }
	cd spec-tools && $(NPM) ci --no-audit --no-fund --loglevel=error || { rm -rf node_modules; exit 1; }
	@touch $@

## spec-check: lint openapi.yaml, generate TypeScript types from it, type-check the sample, break-check
spec-check: spec-tools/node_modules
	@cd spec-tools && $(NODE) check.mjs

## spec-diff: fail on a breaking change of openapi.yaml against the released contract that
## CHANGELOG.md's Unreleased section does not name (oasdiff; see CHANGELOG.md), and prove that it can fail
SPECDIFF := $(GO) run ./internal/cmd/specdiff -oasdiff "$(TOOL) oasdiff" -changelog CHANGELOG.md
spec-diff:
	@$(SPECDIFF) -prove api/released/openapi.yaml openapi.yaml

## release-spec: make openapi.yaml the released contract, api/released/openapi.yaml, once its
## info.version and CHANGELOG.md section are ready (the steps are in CHANGELOG.md)
release-spec: generate
	@$(SPECDIFF) -release api/released/openapi.yaml openapi.yaml
	cp openapi.yaml api/released/openapi.yaml

## docs: render openapi.yaml as one self-contained page, spec-tools/dist/omeda-api.html
docs: spec-tools/node_modules
	@cd spec-tools && $(NODE) check.mjs docs

## conformance-live: the live conformance suite wherever OMEDA_* points (see conformance/live_test.go)
conformance-live:
	$(GO) test -count=1 -run '^TestLive$$' -v ./conformance/

# with-sandbox runs the command $(1) with OMEDA_BASE_URL, OMEDA_BRAND, OMEDA_APP_ID and
# OMEDA_INPUT_ID pointing at a fresh `omeda sandbox` on loopback that requires those credentials,
# and stops the sandbox afterwards. The sandbox prints its base URL on its first line.
define with-sandbox
@dir="$$(mktemp -d)"; \
bin/omeda sandbox --addr 127.0.0.1:0 --require-app-id sandbox-app-id --require-input-id sandbox-input-id >"$$dir/url" 2>"$$dir/log" & pid=$$!; \
trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; rm -rf "$$dir"' EXIT; \
for _ in $$(seq 1 300); do [ -s "$$dir/url" ] && break; sleep 0.1; done; \
url="$$(head -n 1 "$$dir/url")"; \
if [ -z "$$url" ]; then echo "the sandbox did not start:"; cat "$$dir/log"; exit 1; fi; \
OMEDA_BASE_URL="$$url" OMEDA_BRAND=FOO OMEDA_APP_ID=sandbox-app-id OMEDA_INPUT_ID=sandbox-input-id \
$(1)
endef

## conformance-sandbox: the live suite against `omeda sandbox` on loopback, configured as for staging
conformance-sandbox: bin/omeda
	$(call with-sandbox,OMEDA_TEST_CUSTOMER_ID=12345 OMEDA_TEST_MERGED_CUSTOMER_ID=22 OMEDA_TEST_MERGE_HISTORY_CUSTOMER_ID=99999 \
	OMEDA_TEST_CHANGES_FROM=2018-01-01 OMEDA_TEST_CHANGES_TO=2018-12-31 OMEDA_LIVE_WRITE=1 \
	$(MAKE) --no-print-directory conformance-live)

## spec-live: a TypeScript client generated from openapi.yaml (openapi-typescript types, openapi-fetch
## calls; spec-tools/live.ts) calls every operation against `omeda sandbox` on loopback and checks the answers
spec-live: spec-tools/node_modules bin/omeda
	$(call with-sandbox,$(NODE) spec-tools/check.mjs live)

## bench: the SDK next to raw net/http and the generated client; the summary comes last.
## The benchmarks run BENCHRUNS times in turn (raw, gen, wrapper, raw, ...), not each in a
## block, so that a slow minute of a shared machine weighs on every client alike; each run
## starts with another client (a multiple of 3 gives each client each turn equally often).
BENCHRUNS ?= 9
bench:
	$(GO) test -c -o bin/bench.test ./internal/bench
	@set -o pipefail; for run in $$(seq $(BENCHRUNS)); do \
		BENCH_RUN=$$run bin/bench.test -test.run '^$$' -test.bench . -test.benchmem; \
	done | $(GO) run -C tools ./benchsummary

## fuzz: each fuzz target for FUZZTIME (their seed corpora run in every make test)
FUZZTIME ?= 30s
FUZZ_TARGETS := FuzzDates FuzzParseTime FuzzSplitRange FuzzAnswers FuzzPaths FuzzDecodeAgrees \
	FuzzEchoedCredentials FuzzRetryAfter FuzzSplitRangeWallClock FuzzRequestsOnTheWire
fuzz:
	@for target in $(FUZZ_TARGETS); do \
		echo "== $$target"; \
		$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) ./wrapper/ || exit 1; \
	done

## test: everything: lint, generated code, the contract outside Go and its change gate, the Go tests with the race
## detector, and the live conformance suite against a sandbox
test: lint check-generated spec-check spec-diff
	$(GO) test -race -count=1 ./...
	$(GO) test -C tools -count=1 ./...
	$(MAKE) --no-print-directory conformance-sandbox
	$(MAKE) --no-print-directory spec-live
