// Package toolchain compiles the self-check WebAssembly module with the real Go toolchain
// (GOOS=js GOARCH=wasm) and finds the wasm_exec.js that matches it. Go's build cache makes a
// rebuild with unchanged sources cost only the link.
package toolchain

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"affdocs/generator/site"
	"github.com/andybalholm/brotli"
)

// Package is the import path of the self-check module's main package.
const Package = "affdocs/generator/selfcheck"

// SelfCheck builds the module and returns it with its brotli copy and the wasm_exec.js from
// $(go env GOROOT)/lib/wasm. The brotli copy is kept in cacheDir by the module's hash, since
// compressing at the best level takes seconds and the module rarely changes.
func SelfCheck(ctx context.Context, cacheDir string) (*site.Module, error) {
	module, wasmExec, err := build(ctx)
	if err != nil {
		return nil, err
	}
	return &site.Module{Wasm: module, WasmExec: wasmExec, WasmBrotli: brotliCached(module, cacheDir)}, nil
}

func brotliCached(data []byte, dir string) []byte {
	sum := sha256.Sum256(data)
	p := filepath.Join(dir, hex.EncodeToString(sum[:])+".br")
	if c, err := os.ReadFile(p); err == nil {
		if plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(c))); err == nil && bytes.Equal(plain, data) {
			return c
		}
	}
	var b bytes.Buffer
	w := brotli.NewWriterLevel(&b, brotli.BestCompression)
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
	goroot, err := goEnv(ctx, "GOROOT")
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
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, Package)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, nil, fmt.Errorf("go build %s: %v\n%s", Package, err, stderr.String())
	}
	module, err = os.ReadFile(out)
	return module, wasmExec, err
}

func goEnv(ctx context.Context, key string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", key).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w (is the Go toolchain on PATH?)", key, err)
	}
	return strings.TrimSpace(string(out)), nil
}
