#!/bin/sh
# size.sh: the size benchmark of the self-check WebAssembly module.
#
# Run from the repository root: sh generator/selfcheck/size.sh
#
# Builds generator/selfcheck and an empty Go program (package main;
# func main(){}) for js/wasm with the same toolchain and flags as the site
# build, compresses both with brotli -q 11, and prints raw and brotli sizes
# and the ratio of the brotli sizes. Exits 1 when the ratio is above
# MAX_RATIO (default 1.2, the budget of issue 4), 2 on a build problem.
set -eu

MAX_RATIO=${MAX_RATIO:-1.2}
GO=${GO:-go}
FLAGS="-trimpath -gcflags=all=-l"
LDFLAGS="-s -w"

command -v brotli >/dev/null 2>&1 || { echo "size.sh: brotli is not installed (apt-get install brotli)" >&2; exit 2; }
[ -f generator/selfcheck/main.go ] || { echo "size.sh: run from the repository root" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

mkdir "$tmp/empty"
printf 'package main\n\nfunc main() {}\n' >"$tmp/empty/main.go"

GOOS=js GOARCH=wasm "$GO" build $FLAGS -ldflags="$LDFLAGS" -o "$tmp/selfcheck.wasm" ./generator/selfcheck || exit 2
GOOS=js GOARCH=wasm "$GO" build $FLAGS -ldflags="$LDFLAGS" -o "$tmp/empty.wasm" "$tmp/empty/main.go" || exit 2
brotli -q 11 -c "$tmp/selfcheck.wasm" >"$tmp/selfcheck.wasm.br"
brotli -q 11 -c "$tmp/empty.wasm" >"$tmp/empty.wasm.br"

size() { wc -c <"$1" | tr -d ' '; }
raw=$(size "$tmp/selfcheck.wasm")
br=$(size "$tmp/selfcheck.wasm.br")
empty_raw=$(size "$tmp/empty.wasm")
empty_br=$(size "$tmp/empty.wasm.br")

ratio=$(awk -v a="$br" -v b="$empty_br" 'BEGIN { printf "%.3f", a / b }')
printf 'selfcheck.wasm  raw=%s br=%s  empty raw=%s br=%s  ratio=%s (max %s)  %s\n' \
	"$raw" "$br" "$empty_raw" "$empty_br" "$ratio" "$MAX_RATIO" "$("$GO" version | cut -d' ' -f3)"

if awk -v r="$ratio" -v m="$MAX_RATIO" 'BEGIN { exit !(r > m) }'; then
	echo "size.sh: selfcheck.wasm is more than ${MAX_RATIO}x an empty program (brotli)" >&2
	exit 1
fi
