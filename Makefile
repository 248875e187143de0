# zhifa: two commands matter. `make run` starts everything; `make test` tests everything.
GO ?= go
PGDATA ?= $(or $(ZHIFA_PGDATA),.pgdata)

.PHONY: run test generate lint check-generated build db db-stop bench clean-db fuzz

## run: start the whole system on http://localhost:8080 (a local PostgreSQL with demo data unless DATABASE_URL is set)
# Quiet: one line says where the app is and how to log in (ZHIFA_LOG_LEVEL=info for the request log).
run: generate
	@ZHIFA_LOG_LEVEL=$${ZHIFA_LOG_LEVEL:-warn} $(GO) run ./cmd/zhifa serve

## test: run every test against a real, throwaway PostgreSQL
test: generate
	$(GO) test -count=1 -timeout 45m ./...

## fuzz: run every fuzz test (func FuzzX) beyond its seed corpus, FUZZTIME each (`make test` runs the seed corpora)
FUZZTIME ?= 10s
fuzz:
	@set -e; for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' internal | xargs -n1 dirname | sort -u); do \
	  for target in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go | sed 's/^func //'); do \
	    echo "== $$dir $$target"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) ./$$dir; \
	  done; \
	done

## generate: regenerate the templ components (*_templ.go are committed)
generate:
	@$(GO) tool templ generate -log-level error

## check-generated: fail if the committed templ output is stale
check-generated: generate
	git diff --exit-code -- '*_templ.go'
	@test -z "$$(git ls-files --others --exclude-standard -- '*_templ.go')" || { echo "untracked generated files"; exit 1; }

## lint: gofmt, go vet and staticcheck must all be clean
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '_templ.go$$')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

## build: the binary in bin/zhifa
build: generate
	$(GO) build -o bin/zhifa ./cmd/zhifa

## db: start the project-local PostgreSQL alone and print its URLs
db:
	$(GO) run ./cmd/zhifa db

## db-stop: stop the project-local PostgreSQL
db-stop:
	$(GO) run ./cmd/zhifa db stop

## clean-db: stop it and delete its data (the demo data is loaded again on the next run)
clean-db: db-stop
	rm -rf $(PGDATA)

## bench: benchmarks of the main pages, with figures; at 1,000,000 cases (ZHIFA_BENCH_CASES) the case pages
## side by side with a bare handler running the same list SQL (the floor), 1 and 8 clients (ZHIFA_BENCH_CLIENTS)
## for ZHIFA_BENCH_DURATION (3s) each, with the ratios and goals; and `zhifa serve`'s start to ready and idle memory
bench:
	$(GO) test -run '^$$' -bench . -benchtime 2s -timeout 60m ./internal/server/
