package sitetest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// repoRoot is the repository, the real site's root, seen from this package's folder.
const repoRoot = "../.."

var (
	builtOnce sync.Once
	builtDir  string // the real site, built by the generator command
	builtLog  string // what the command printed
	builtErr  error
	tmpRoot   string
)

func TestMain(m *testing.M) {
	var err error
	tmpRoot, err = os.MkdirTemp("", "sitetest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(tmpRoot)
	os.Exit(code)
}

// realSite builds the repository's content/ once per test binary with the generator
// command, as `make` does (go build ./generator, then generator build), and returns the
// output folder and everything the command printed.
func realSite(t *testing.T) (dir, log string) {
	t.Helper()
	builtOnce.Do(func() {
		exe := filepath.Join(tmpRoot, "generator")
		build := exec.Command("go", "build", "-o", exe, "./generator")
		build.Dir = repoRoot
		if out, err := build.CombinedOutput(); err != nil {
			builtErr = fmt.Errorf("go build ./generator: %v\n%s", err, out)
			return
		}
		builtDir = filepath.Join(tmpRoot, "public")
		src, _ := filepath.Abs(repoRoot)
		run := exec.Command(exe, "build", "-src", src, "-o", builtDir)
		out, err := run.CombinedOutput()
		builtLog = string(out)
		if err != nil {
			builtErr = fmt.Errorf("generator build: %v\n%s", err, out)
		}
	})
	if builtErr != nil {
		t.Fatal(builtErr)
	}
	return builtDir, builtLog
}
