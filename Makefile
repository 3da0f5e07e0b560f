# omeda-go: every target runs from a clean clone with Go (and, for spec-check, Node.js) installed.
SHELL := /bin/bash
GO    ?= go

.PHONY: all generate check-generated lint test

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

## test: everything: lint, generated code, and the Go tests with the race detector
test: lint check-generated
	$(GO) test -race -count=1 ./...
