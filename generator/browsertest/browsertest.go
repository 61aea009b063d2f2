// Package browsertest holds the helpers that other packages' tests use to
// check the built site with real tools:
//
//   - [Browser] starts Debian's headless chromium through chromedp;
//   - [Axe] runs axe-core (WCAG 2.x A/AA and best practices) on a page;
//   - [PageErrors] loads a page and reports failed requests, script
//     errors, console errors and Content-Security-Policy violations;
//   - [VNU] runs the Nu HTML Checker (vnu.jar) on files and folders;
//   - [Serve] serves a folder under a URL sub-path, honouring its _headers
//     file, so the site is tested as a static host would serve it;
//   - [Viewport], [ColorScheme] and [EmulateMedia] set a phone or desktop
//     size, dark or light scheme, or print media for the pages loaded next.
//
// axe-core and vnu-jar are npm packages pinned in this folder's
// package.json; install them with
//
//	npm ci --ignore-scripts --prefix generator/browsertest
//
// A test whose tool (chromium, java, or an npm package) is missing is
// skipped, unless the environment sets AFFDOCS_REQUIRE_TOOLS=1 (CI does):
// then it fails, so nothing passes silently.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// RequireToolsEnv is the environment variable that turns a missing tool
// from a skipped test into a failed one when it is "1".
const RequireToolsEnv = "AFFDOCS_REQUIRE_TOOLS"

// ChromiumEnv names an environment variable that may point at the chromium
// (or Chrome) binary to use instead of /usr/bin/chromium.
const ChromiumEnv = "AFFDOCS_CHROMIUM"

// missing skips the test, or fails it when RequireToolsEnv is set.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(RequireToolsEnv) == "1" {
		t.Fatalf("%s [%s=1]", msg, RequireToolsEnv)
	}
	t.Skip(msg)
}

// Dir returns the folder that holds this package's source, package.json and
// node_modules. It is found from this file's compile-time path, so it works
// from any package's test; if the binary was built with -trimpath, it is
// found by walking up from the working directory to go.mod.
func Dir() string {
	dirOnce.Do(func() { dir = findDir() })
	return dir
}

var (
	dirOnce sync.Once
	dir     string
)

func findDir() string {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		d := filepath.Dir(file)
		if _, err := os.Stat(filepath.Join(d, "package.json")); err == nil {
			return d
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "generator", "browsertest")
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// nodeModule returns the path of a file inside node_modules, or an error
// that says how to install it.
func nodeModule(rel string) (string, error) {
	p := filepath.Join(Dir(), "node_modules", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s not found (run: npm ci --ignore-scripts --prefix generator/browsertest)", p)
	}
	return p, nil
}

// ChromiumPath returns the chromium binary to use: $AFFDOCS_CHROMIUM,
// /usr/bin/chromium, or chromium (then chromium-browser) on PATH.
func ChromiumPath() (string, error) {
	if p := os.Getenv(ChromiumEnv); p != "" {
		return exec.LookPath(p)
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("chromium not found")
}

// Browser starts a fresh headless chromium (its own empty profile) and
// returns a chromedp context for one tab in it. The browser is closed and
// its profile removed when the test ends. Tabs for parallel work can be
// made with chromedp.NewContext(ctx).
//
// Without chromium the test is skipped (or fails under
// AFFDOCS_REQUIRE_TOOLS=1).
func Browser(t testing.TB) context.Context {
	t.Helper()
	exe, err := ChromiumPath()
	if err != nil {
		missing(t, "browser test skipped: chromium not found (apt-get install chromium)")
	}
	var out strings.Builder
	var outMu sync.Mutex
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // needed as root, and in most containers
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// No UserDataDir: chromedp makes a fresh empty profile in a temp
		// dir and removes it (retrying while helpers exit) on close.
		chromedp.WindowSize(1280, 800),
		// No network beyond what the test asks for: this sandbox (and CI)
		// refuses outside connections.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("safebrowsing-disable-auto-update", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.CombinedOutput(writerFunc(func(p []byte) (int, error) {
			outMu.Lock()
			defer outMu.Unlock()
			if out.Len() < 64<<10 {
				out.Write(p)
			}
			return len(p), nil
		})),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	// t.Logf must not run after the test ends: guard it.
	var logMu sync.Mutex
	ended := false
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithErrorf(func(format string, args ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		if !ended {
			t.Logf("chromedp: "+format, args...)
		}
	}))
	t.Cleanup(func() {
		logMu.Lock()
		ended = true
		logMu.Unlock()
		cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
		defer ccancel()
		_ = chromedp.Cancel(cctx)
		cancel()
		cancelAlloc()
	})
	// Start the browser now, so a broken install fails here with its output.
	if err := chromedp.Do(ctx); err != nil {
		outMu.Lock()
		log := out.String()
		outMu.Unlock()
		t.Fatalf("starting %s: %v\nbrowser output:\n%s", exe, err, log)
	}
	return ctx
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
