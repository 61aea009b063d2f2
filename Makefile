# make        build the site into public/
# make test   run every test (installs the browser-test npm packages first when npm is present)
# make serve  live preview on http://127.0.0.1:1313/
# make fuzz   every fuzz target for FUZZTIME each (their seed corpora also run in make test)
# make bench  benchmarks: against Hugo side by side, build stages, redline, reload latency, module size

GO ?= go
BT := generator/browsertest

.PHONY: all build check serve test bench fuzz clean

all: build

build:
	$(GO) run ./generator build

check:
	$(GO) run ./generator check

serve:
	$(GO) run ./generator serve

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
	rm -rf public
