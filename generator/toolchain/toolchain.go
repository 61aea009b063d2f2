// Package toolchain compiles the self-check WebAssembly module with the real Go toolchain
// (GOOS=js GOARCH=wasm) and finds the wasm_exec.js that matches it. Go's build cache makes a
// rebuild with unchanged sources cost only the link.
//
// The module is compiled from the generator's own source (module affdocs), wherever the
// generator runs from: $AFFDOCS_SOURCE when set, else the folder the running generator was
// compiled from (make, go build and go run record it), else the module around the current
// folder. Without one of them, or without go on PATH, SelfCheck says what it needs.
package toolchain

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/andybalholm/brotli"
)

// Package is the import path of the self-check module's main package.
const Package = "affdocs/generator/selfcheck"

// SourceEnv names the environment variable that gives the generator's source folder (a
// clone of the repository: go.mod of module affdocs) to compile the module from.
const SourceEnv = "AFFDOCS_SOURCE"

// SourceDir is the folder of the generator's module that the self-check is compiled in:
// $AFFDOCS_SOURCE when set (and then only it), else the folder this generator was compiled
// from, else the module that holds the current folder. The error says how to give one.
func SourceDir() (string, error) {
	if dir := os.Getenv(SourceEnv); dir != "" {
		if err := isSource(dir); err != nil {
			return "", fmt.Errorf("%s=%s: %w", SourceEnv, dir, err)
		}
		return filepath.Abs(dir)
	}
	var tried []string
	// This file's compile-time path, absolute unless the generator was built with -trimpath:
	// <module>/generator/toolchain/toolchain.go.
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir := filepath.Dir(filepath.Dir(filepath.Dir(file)))
		if isSource(dir) == nil {
			return dir, nil
		}
		tried = append(tried, dir+" (where this generator was compiled)")
	}
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				if isSource(dir) == nil {
					return dir, nil
				}
				break
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
		tried = append(tried, wd+" (the current folder)")
	}
	return "", fmt.Errorf("the self-check module is compiled from the generator's source (module affdocs, %s), found in none of %s: run the generator from a clone of the repository, or set %s to one",
		Package, strings.Join(tried, ", "), SourceEnv)
}

// isSource reports whether dir is the generator's module: its go.mod names module affdocs
// and it holds the self-check's package.
func isSource(dir string) error {
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return fmt.Errorf("no go.mod of module affdocs there")
	}
	first, _, _ := strings.Cut(string(mod), "\n")
	if strings.TrimSpace(first) != "module affdocs" {
		return fmt.Errorf("its go.mod is not module affdocs")
	}
	if _, err := os.Stat(filepath.Join(dir, "generator", "selfcheck")); err != nil {
		return fmt.Errorf("no generator/selfcheck there")
	}
	return nil
}

// Module is the compiled self-check: the WebAssembly module, its brotli and gzip copies (for
// hosts that serve .br and .gz; optional) and the wasm_exec.js of the toolchain that built it.
type Module struct {
	Wasm, WasmBrotli, WasmGzip, WasmExec []byte
}

// SelfCheck builds the module and returns it with its brotli and gzip copies and the
// wasm_exec.js from $(go env GOROOT)/lib/wasm. The compressed copies are kept in cacheDir by
// the module's hash: compressing 2 MB at the best level takes seconds for brotli and a
// tenth of a second for gzip, and the module rarely changes.
func SelfCheck(ctx context.Context, cacheDir string) (*Module, error) {
	module, wasmExec, err := build(ctx)
	if err != nil {
		return nil, err
	}
	return &Module{
		Wasm:       module,
		WasmExec:   wasmExec,
		WasmBrotli: compressedCached(module, cacheDir, ".br", brotliCodec{}),
		WasmGzip:   compressedCached(module, cacheDir, ".gz", gzipCodec{}),
	}, nil
}

// codec is a compression format at its best level.
type codec interface {
	compress(w io.Writer) io.WriteCloser
	decompress(r io.Reader) (io.Reader, error)
}

type brotliCodec struct{}

func (brotliCodec) compress(w io.Writer) io.WriteCloser {
	return brotli.NewWriterLevel(w, brotli.BestCompression)
}
func (brotliCodec) decompress(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }

type gzipCodec struct{}

func (gzipCodec) compress(w io.Writer) io.WriteCloser {
	z, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	return z
}
func (gzipCodec) decompress(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }

// compressedCached returns data compressed with c, from dir when a copy there decompresses
// to exactly data.
func compressedCached(data []byte, dir, ext string, c codec) []byte {
	sum := sha256.Sum256(data)
	p := filepath.Join(dir, hex.EncodeToString(sum[:])+ext)
	if cached, err := os.ReadFile(p); err == nil {
		if r, err := c.decompress(bytes.NewReader(cached)); err == nil {
			if plain, err := io.ReadAll(r); err == nil && bytes.Equal(plain, data) {
				return cached
			}
		}
	}
	var b bytes.Buffer
	w := c.compress(&b)
	w.Write(data)
	w.Close()
	if os.MkdirAll(dir, 0o755) == nil {
		tmp := p + ".tmp"
		if os.WriteFile(tmp, b.Bytes(), 0o644) == nil {
			os.Rename(tmp, p)
		}
	}
	return b.Bytes()
}

func build(ctx context.Context) (module, wasmExec []byte, err error) {
	src, err := SourceDir()
	if err != nil {
		return nil, nil, err
	}
	goroot, err := goEnv(ctx, src, "GOROOT")
	if err != nil {
		return nil, nil, err
	}
	wasmExec, err = os.ReadFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "selfcheck-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "selfcheck.wasm")
	// No inlining (-l): the module is a tenth smaller compressed (505 to 461 KB with brotli),
	// and screening one application is far below a millisecond either way.
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-gcflags=all=-l", "-ldflags=-s -w", "-o", out, Package)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, nil, fmt.Errorf("go build %s: %v\n%s", Package, err, stderr.String())
	}
	module, err = os.ReadFile(out)
	return module, wasmExec, err
}

// goEnv is `go env key` in the module's folder dir (its go.mod may select the toolchain).
func goEnv(ctx context.Context, dir, key string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "env", key)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w (the self-check module needs the Go toolchain on PATH: https://go.dev/dl/)", key, err)
	}
	return strings.TrimSpace(string(out)), nil
}
