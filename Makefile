# make          build the site into public/
# make check    run every check, write nothing
# make serve    live preview on http://127.0.0.1:1313/
# make publish  build the site as of today (the daily rebuild that makes an upcoming edition
#               current on its date; see .ci/daily-publish.yml) and list the editions
# make test     run every test (installs the browser-test npm packages first when npm is present)
# make fuzz     every fuzz target for FUZZTIME each (their seed corpora also run in make test)
# make bench    benchmarks: against Hugo side by side, build stages, redline, reload latency, module size
#
# The targets run the generator binary, generator/.bin/affdocs (git-ignored), so its exit
# status is the documented one (0 success, 1 content errors, 2 usage errors); go run would
# turn every failure into 1.

GO ?= go
BT := generator/browsertest
BIN := generator/.bin/affdocs

.PHONY: all build check serve publish test bench fuzz clean FORCE

all: build

# go build decides whether the binary is out of date (a fifth of a second when it is not),
# so the binary is always the current sources'.
$(BIN): FORCE
	@if [ ! -x $@ ]; then echo "compiling the generator (first time: a few minutes)…"; fi
	@mkdir -p $(@D) && echo '*' > $(@D)/.gitignore
	$(GO) build -o $@ ./generator

build: $(BIN)
	$(BIN) build

check: $(BIN)
	$(BIN) check

serve: $(BIN)
	$(BIN) serve

# An edition becomes current only when the site is built on or after its effective date:
# run this every day (cron, or the CI recipe .ci/daily-publish.yml) and upload public/.
# The date is the machine's local date: set TZ to the time zone the dates are meant in.
publish: $(BIN)
	$(BIN) build -today $$(date +%F)
	$(BIN) version list

# The browser and HTML-checker tests need axe-core and vnu-jar from npm; without npm they
# skip with a message (CI sets AFFDOCS_REQUIRE_TOOLS=1 so that they fail instead).
$(BT)/node_modules/.package-lock.json: $(BT)/package-lock.json
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund --prefix $(BT); \
	else echo "npm not found: browser and HTML-checker tests will be skipped"; fi

test: $(BT)/node_modules/.package-lock.json
	$(GO) vet ./...
	$(GO) test ./...

# make bench: this generator against Hugo on generated corpora of 1,000 and 10,000 pages (and
# 100,000 for us alone), then the per-stage Go benchmarks. The side-by-side report goes to
# $TMPDIR/affdocs-bench.md (see the README's "Performance"); the Go benchmarks' output to
# $TMPDIR/affdocs-bench-go.txt, for benchstat (go run golang.org/x/perf/cmd/benchstat@latest).
# About 15 minutes on 2 cores.
bench:
	$(GO) run ./generator/bench -o $${TMPDIR:-/tmp}/affdocs-bench.md
	$(GO) test -run '^$$' -bench 'Stage|Corpus|RealSite|Editions|Diff' -benchmem -count 6 ./generator/site ./generator/markdown ./generator/output ./generator/redline | tee $${TMPDIR:-/tmp}/affdocs-bench-go.txt
	$(GO) test -run '^$$' -bench . -count 3 ./generator/devserver | tee $${TMPDIR:-/tmp}/affdocs-bench-reload.txt
	sh generator/selfcheck/size.sh

# make fuzz: each fuzz target (front matter, config, Markdown, links, screen input, redlines,
# random edits against a clean build) runs for FUZZTIME; a failure leaves its input in the
# package's testdata/fuzz/ for go test to replay.
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$t ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

clean:
	rm -rf public generator/.bin
