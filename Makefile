# omeda-go: every target runs from a clean clone with Go (and, for spec-check, Node.js) installed.
SHELL := /bin/bash
GO    ?= go
NODE  ?= node
NPM   ?= npm

.PHONY: all generate check-generated lint test spec-check docs

all: test

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

## lint: gofmt and go vet
lint:
	@unformatted="$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "not gofmt-ed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## spec-tools/node_modules: the pinned Node.js toolchain of spec-check, installed exactly as locked
spec-tools/node_modules: spec-tools/package.json spec-tools/package-lock.json
	@command -v $(NPM) >/dev/null || { echo "spec-check needs Node.js (20.19+ or 22.12+) and npm"; exit 1; }
	cd spec-tools && $(NPM) ci --no-audit --no-fund --loglevel=error || { rm -rf node_modules; exit 1; }
	@touch $@

## spec-check: lint openapi.yaml, generate TypeScript types from it, type-check the sample, break-check
spec-check: spec-tools/node_modules
	@cd spec-tools && $(NODE) check.mjs

## docs: render openapi.yaml as one self-contained page, spec-tools/dist/omeda-api.html
docs: spec-tools/node_modules
	@cd spec-tools && $(NODE) check.mjs docs

## test: everything: lint, generated code, the contract outside Go, and the Go tests with the race detector
test: lint check-generated spec-check
	$(GO) test -race -count=1 ./...
