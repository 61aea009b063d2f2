// Package toolchain compiles the self-check WebAssembly module with the real Go toolchain
// (GOOS=js GOARCH=wasm) and finds the wasm_exec.js that matches it. Go's build cache makes a
// rebuild with unchanged sources cost only the link.
package toolchain

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Package is the import path of the self-check module's main package.
const Package = "affdocs/generator/selfcheck"

// SelfCheck builds the module and returns it with wasm_exec.js from $(go env GOROOT)/lib/wasm.
func SelfCheck(ctx context.Context) (module, wasmExec []byte, err error) {
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
