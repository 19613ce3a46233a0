# Aftersales Scorecard — every task the project has, one target each.
# Needs Go (and, for the local servers and CDK from later targets, Node/npm
# and Java). Everything else is installed on demand under .local/.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
# The Go toolchain every target builds and tests with, whatever Go is
# installed (the go command fetches it from the module proxy once): the
# release with the standard library's current security fixes, which
# scripts/vulncheck.sh checks. go.mod names the same one.
export GOTOOLCHAIN := go1.26.10
MONTH     ?= 2026-08
DEMO_MONTHS = 2026-08 2026-09 2026-10
DEMO_DIR  ?= out/demo
DEMO_TICKETS ?= 5000
# Tickets of the month before the live ones, imported on day one from
# local fakes of the Zendesk, Jira and Freshdesk APIs (0: no history month).
DEMO_HISTORY ?= $(DEMO_TICKETS)
FUZZTIME  ?= 30s
FUZZTIME_TEST ?= 2s
LOAD_DURATION ?= 60s
BENCH_TICKETS ?= 100000
STATICCHECK_VERSION := v0.8.2
# The AWS CDK CLI from npm, pinned; run at the repo root it reads cdk.json
# (the app, `cd infra && go run .`, and its context). CDK_FLAGS passes more,
# e.g. CDK_FLAGS='-c mailFrom=scorecard@corp.example --profile prod'.
CDK_VERSION := 2.1148.1
CDK       = npx --yes aws-cdk@$(CDK_VERSION)
CDK_FLAGS ?=
DYNAMODB_PORT ?= 8000
SES_PORT  ?= 8005
export DYNAMODB_PORT SES_PORT
# What the tests (and anything else on the local servers) are given: the
# letters-only dummy access key is what DynamoDB Local accepts.
LOCAL_ENV = DYNAMODB_ENDPOINT=http://127.0.0.1:$(DYNAMODB_PORT) SES_ENDPOINT=http://127.0.0.1:$(SES_PORT) \
  AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=dummykey AWS_SECRET_ACCESS_KEY=dummysecret
LOCAL_SH  := $(CURDIR)/scripts/local.sh
FUNCTIONS := $(notdir $(patsubst %/,%,$(dir $(wildcard functions/*/main.go))))

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# The tests run on the local servers: those not already running are started
# and only those are stopped afterwards, whatever the tests' result (the exit
# status stays the tests').
.PHONY: test
test: ## run every test (unit, property, each function under the Lambda Runtime Interface Emulator, the functions' size budgets, every fuzz target for 2 s, faults, load, hostile input, the demo in small, end to end on the local servers, headless Chromium, CDK app)
	@trap '{ status=$$?; set +x; } 2>/dev/null; "$(LOCAL_SH)" down --tag test; exit $$status' EXIT; \
	"$(LOCAL_SH)" up --tag test; \
	scripts/chromium.sh; \
	unset AWS_PROFILE AWS_SESSION_TOKEN; \
	export $(LOCAL_ENV); \
	export REPORT_ARTIFACTS=$(CURDIR)/out/artifacts SURVEY_ARTIFACTS=$(CURDIR)/out/artifacts ASSESSMENT_ARTIFACTS=$(CURDIR)/out/artifacts; \
	mkdir -p out/artifacts; \
	set -x; \
	$(GO) mod download; \
	$(GO) vet ./...; \
	$(GO) test -count=1 ./...; \
	scripts/sizes.sh; \
	scripts/fuzz.sh $(FUZZTIME_TEST); \
	cd infra && $(GO) vet ./... && $(GO) test -count=1 ./...

.PHONY: up
up: ## start the local servers in the background (DynamoDB :8000, SES :8005)
	scripts/local.sh up

.PHONY: down
down: ## stop the local servers
	scripts/local.sh down

.PHONY: dev
dev: up ## the local servers plus the API on http://127.0.0.1:8080 (foreground; dev secrets)
	@mkdir -p .local/bin
	$(GO) build -o .local/bin/scorecard ./cmd/scorecard
	.local/bin/scorecard serve --local --addr 127.0.0.1:8080

.PHONY: demo
demo: ## the whole product on the local stack: a month of history imported from fakes of the vendors' APIs, then three generated months through signed webhooks, surveys, assessments and monthly runs; reports, mails, screenshots and a summary (KEEP=1 leaves the servers up)
	@mkdir -p .local/bin
	$(GO) build -o .local/bin/scorecard ./cmd/scorecard
	@if [ -z "$(KEEP)" ]; then trap '"$(LOCAL_SH)" down --tag demo' EXIT; fi; \
	"$(LOCAL_SH)" up --tag demo; \
	scripts/chromium.sh || echo "demo: no Chromium, so no screenshots"; \
	export $(LOCAL_ENV); \
	.local/bin/scorecard demo --out $(DEMO_DIR) --start $(MONTH) --tickets $(DEMO_TICKETS) --history-tickets $(DEMO_HISTORY)

.PHONY: demo-offline
demo-offline: ## the same three months scored offline from the generated files (no servers): score-file with history
	@mkdir -p .local/bin
	$(GO) build -o .local/bin/scorecard ./cmd/scorecard
	.local/bin/scorecard generate --out $(DEMO_DIR)-offline --start $(MONTH) --months 3 --tickets $(DEMO_TICKETS)
	@history=""; \
	for m in $(DEMO_MONTHS); do \
	  echo; \
	  .local/bin/scorecard score-file $(DEMO_DIR)-offline/events.jsonl --month $$m --engineers $(DEMO_DIR)-offline/engineers.csv $$history; \
	  .local/bin/scorecard score-file $(DEMO_DIR)-offline/events.jsonl --month $$m --engineers $(DEMO_DIR)-offline/engineers.csv $$history --json > $(DEMO_DIR)-offline/scores-$$m.json; \
	  history="$$history --history $(DEMO_DIR)-offline/scores-$$m.json"; \
	done

.PHONY: lint
lint: ## gofmt, go vet, staticcheck, go mod tidy, govulncheck, cfn-lint over the synthesized template (where cfn-lint is installed)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
	$(GO) mod tidy -diff
	cd infra && $(GO) vet ./... && $(GO) mod tidy -diff
	cd bench && $(GO) vet ./... && $(GO) mod tidy -diff
	scripts/vulncheck.sh
	@# cfn-lint: an independent check of the template CloudFormation will
	@# get; its errors fail, its warnings (W3005: CDK's redundant DependsOn
	@# beside a GetAtt) are shown by `cfn-lint cdk.out/*.template.json`.
	@if command -v cfn-lint >/dev/null; then \
	  $(MAKE) --no-print-directory synth >/dev/null 2>&1 || $(MAKE) --no-print-directory synth; \
	  cfn-lint --ignore-checks W I -- cdk.out/*.template.json && echo "cfn-lint $$(cfn-lint --version | cut -d' ' -f2): no errors in $$(ls cdk.out/*.template.json)"; \
	else echo "cfn-lint is not installed: the template was not linted (pip install cfn-lint)"; fi

.PHONY: bench
bench: ## every benchmark, then one table: handler and engine, ingest load (mixed signed webhooks), monthly run on DynamoDB Local, the engine vs DuckDB, cold starts (scripts/bench.sh)
	@trap '"$(LOCAL_SH)" down --tag bench' EXIT; \
	"$(LOCAL_SH)" up --tag bench; \
	export $(LOCAL_ENV) LOAD_DURATION=$(LOAD_DURATION) BENCH_TICKETS=$(BENCH_TICKETS) GO=$(GO); \
	scripts/bench.sh

.PHONY: fuzz
fuzz: ## run every fuzz target for FUZZTIME each
	scripts/fuzz.sh $(FUZZTIME)

.PHONY: cover
cover: ## coverage of the domain packages
	$(GO) test -count=1 -cover ./shared/...

.PHONY: build
build: ## build every function as build/<name>/bootstrap (linux/arm64, static)
	@for f in $(FUNCTIONS); do \
	  echo "build/$$f/bootstrap"; \
	  CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -trimpath -tags lambda.norpc -ldflags '-s -w' -o build/$$f/bootstrap ./functions/$$f; \
	done

.PHONY: sizes
sizes: ## each function's binary as deployed (linux/arm64, stripped) against its size budget
	scripts/sizes.sh

.PHONY: synth
synth: build ## synthesize the CDK app into cdk.out/, checked by cdk-nag (no AWS credentials needed; the example sender allowed, for synthesis only)
	cd infra && CDK_CONTEXT_JSON='{"allowExampleSender":true}' $(GO) run .

.PHONY: diff
diff: build ## what make deploy would change in the AWS account of your credentials
	$(CDK) diff $(CDK_FLAGS)

.PHONY: deploy
deploy: build ## deploy the whole system with CDK (AWS credentials; see the README)
	$(CDK) deploy $(CDK_FLAGS)

.PHONY: destroy
destroy: build ## delete the stack; the table and the log groups are kept
	$(CDK) destroy $(CDK_FLAGS)

.PHONY: clean
clean: ## remove build output
	rm -rf build out cdk.out
