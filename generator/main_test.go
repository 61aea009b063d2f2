package main

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// writeSite writes name, content pairs below dir.
func writeSite(t *testing.T, dir string, nameData ...string) {
	t.Helper()
	for i := 0; i+1 < len(nameData); i += 2 {
		p := filepath.Join(dir, filepath.FromSlash(nameData[i]))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(nameData[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot reads every file below dir: slash path -> bytes.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// copyDir copies the folder src to dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	for name, data := range snapshot(t, src) {
		writeSite(t, dst, name, data)
	}
}

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

const goodPage = "---\ntitle: A page\n---\n\nSee [b](b.md).\n"

// TestExitCodes protects the command's contract with scripts and CI: 0 on success, 1 on
// content errors, 2 on usage errors; -h prints the usage and succeeds.
func TestExitCodes(t *testing.T) {
	good := t.TempDir()
	writeSite(t, good, "content/a.md", goodPage, "content/b.md", "---\ntitle: B\n---\n\nB.\n")
	bad := t.TempDir()
	writeSite(t, bad, "content/a.md", "---\ntitle: A\ntype: nope\n---\n\n[x](gone.md)\n")
	out := filepath.Join(t.TempDir(), "public")

	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string // substring expected in stdout
		stderr     string // substring expected in stderr
		noOutputAt string // a path that must not exist afterwards
	}{
		{name: "-h", args: []string{"-h"}, code: 0, stdout: "Usage:"},
		{name: "help", args: []string{"help"}, code: 0, stdout: "generator build"},
		{name: "no command", args: nil, code: 2, stdout: "Usage:"},
		{name: "unknown command", args: []string{"publish"}, code: 2, stderr: `unknown command "publish"`},
		{name: "build -h", args: []string{"build", "-h"}, code: 0, stderr: "-src"},
		{name: "unknown flag", args: []string{"build", "-fast"}, code: 2, stderr: "flag provided but not defined: -fast"},
		{name: "bad -links", args: []string{"build", "-src", good, "-links=maybe"}, code: 2, stderr: `-links must be "warn" or "error"`},
		{name: "stray argument", args: []string{"build", good}, code: 2, stderr: good},
		{name: "check stray argument", args: []string{"check", good}, code: 2, stderr: good},
		{name: "build good", args: []string{"build", "-src", good, "-o", out}, code: 0, stdout: "built "},
		{name: "check good", args: []string{"check", "-src", good}, code: 0, stdout: "ok: 3 pages, 0 warnings", noOutputAt: filepath.Join(good, "public")},
		{
			name: "build bad", args: []string{"build", "-src", bad, "-o", filepath.Join(bad, "public")}, code: 1,
			stderr: filepath.ToSlash(bad) + `/content/a.md:3:7: unknown page type "nope"`, noOutputAt: filepath.Join(bad, "public"),
		},
		{name: "check bad", args: []string{"check", "-src", bad}, code: 1, stderr: "2 error(s); nothing was written"},
		{name: "check bad, links warn", args: []string{"check", "-src", bad, "-links=warn"}, code: 1, stderr: "1 error(s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(tt.args...)
			if code != tt.code {
				t.Errorf("run(%q) = %d; want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
			if tt.noOutputAt != "" {
				if _, err := os.Stat(tt.noOutputAt); err == nil {
					t.Errorf("%s was written", tt.noOutputAt)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(out, "a", "index.html")); err != nil {
		t.Errorf("build good wrote no a/index.html: %v", err)
	}
}

// TestErrorsPrinted protects what an author sees: every error of the build on its own
// line as path:line:col: message (the path as given on the command line), then a count.
func TestErrorsPrinted(t *testing.T) {
	src := t.TempDir()
	writeSite(t, src,
		"content/a.md", "---\ntitle: A\ntype: nope\n---\n\n[x](gone.md)\n",
		"content/b.md", "---\ntitle: B\n---\n\n[y](a.md#none)\n",
	)
	code, _, stderr := runCmd("check", "-src", src)
	if code != 1 {
		t.Fatalf("exit %d; want 1", code)
	}
	p := filepath.ToSlash(src)
	want := p + `/content/a.md:3:7: unknown page type "nope" (want one of home, overview, terms, requirements, rejections, checklist, steps, selfcheck, page)` + "\n" +
		p + `/content/a.md:6:5: broken link "gone.md": no page or file at /gone/` + "\n" +
		p + `/content/b.md:5:5: broken link "a.md#none": /a/ has no anchor #none` + "\n" +
		"3 error(s); nothing was written\n"
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
}

// TestFailedBuildKeepsPublic protects the atomic build: after a good build of the real
// content, a build of broken content exits 1 and leaves every file of public/ byte for byte.
func TestFailedBuildKeepsPublic(t *testing.T) {
	src := t.TempDir()
	copyDir(t, filepath.Join("..", "content"), filepath.Join(src, "content"))
	public := filepath.Join(src, "public")
	if code, _, stderr := runCmd("build", "-src", src, "-o", public); code != 0 {
		t.Fatalf("first build: exit %d\n%s", code, stderr)
	}
	before := snapshot(t, public)
	if len(before) < 10 {
		t.Fatalf("first build wrote only %d files", len(before))
	}

	// Break the content twice over: an unknown type and a broken link.
	terms := filepath.Join(src, "content", "alidropship", "terms.md")
	data, err := os.ReadFile(terms)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(data), "type: terms", "type: legalese", 1) + "\nSee [gone](gone.md).\n"
	if err := os.WriteFile(terms, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd("build", "-src", src, "-o", public)
	if code != 1 {
		t.Fatalf("build of broken content: exit %d; want 1\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "content/alidropship/terms.md:") || !strings.Contains(stderr, "nothing was written") {
		t.Errorf("stderr does not report the broken file:\n%s", stderr)
	}
	after := snapshot(t, public)
	if !maps.Equal(before, after) {
		for name := range before {
			if after[name] != before[name] {
				t.Errorf("%s changed or vanished", name)
			}
		}
		for name := range after {
			if _, ok := before[name]; !ok {
				t.Errorf("%s appeared", name)
			}
		}
	}
	es, _ := os.ReadDir(src)
	for _, e := range es {
		if e.Name() != "content" && e.Name() != "public" {
			t.Errorf("left beside public/: %s", e.Name())
		}
	}
}

// TestRebuild protects the warm build: with nothing changed, build writes nothing; after
// an edit it writes only the files that changed; a file of public/ edited by hand is
// written again; other options rebuild; a failed build is never taken for a good one. Each
// build's public/ equals a clean build's, byte for byte.
func TestRebuild(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	src := t.TempDir()
	writeSite(t, src, "content/a.md", goodPage, "content/b.md", "---\ntitle: B\n---\n\nB.\n")
	public := filepath.Join(src, "public")
	cache := t.TempDir()
	counts := regexp.MustCompile(`\((\d+) written, (\d+) unchanged; (\d+) pages rendered\)`)
	build := func(written, rendered int, args ...string) {
		t.Helper()
		code, stdout, stderr := runCmd(append([]string{"build", "-src", src, "-o", public}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		m := counts.FindStringSubmatch(stdout)
		if m == nil {
			t.Fatalf("build said %q", stdout)
		}
		if w, _ := strconv.Atoi(m[1]); written >= 0 && w != written {
			t.Errorf("build said %q; want %d written", stdout, written)
		}
		if r, _ := strconv.Atoi(m[3]); rendered >= 0 && r != rendered {
			t.Errorf("build said %q; want %d pages rendered", stdout, rendered)
		}
		clean := filepath.Join(t.TempDir(), "public")
		t.Setenv("XDG_CACHE_HOME", t.TempDir()) // a clean build: no store, no manifest
		if code, _, stderr := runCmd(append([]string{"build", "-src", src, "-o", clean}, args...)...); code != 0 {
			t.Fatalf("clean build: exit %d\n%s", code, stderr)
		}
		t.Setenv("XDG_CACHE_HOME", cache)
		if got, want := snapshot(t, public), snapshot(t, clean); !maps.Equal(got, want) {
			t.Errorf("public/ differs from a clean build's")
		}
	}
	t.Setenv("XDG_CACHE_HOME", cache)
	build(-1, 3)
	build(0, 0)
	first := snapshot(t, public)

	writeSite(t, src, "content/b.md", "---\ntitle: B\n---\n\nB, edited.\n")
	build(1, 1)
	if snapshot(t, public)["b/index.html"] == first["b/index.html"] {
		t.Error("the edit did not reach public/")
	}
	build(0, 0)

	writeSite(t, public, "a/index.html", "tampered")
	build(1, 1) // the store keeps hashes, not pages: the page is rendered again
	if got := snapshot(t, public)["a/index.html"]; got != first["a/index.html"] {
		t.Errorf("a/index.html was not rebuilt: %q", got)
	}
	build(-1, 3, "-minify=false")
	build(0, 0, "-minify=false")

	writeSite(t, src, "content/b.md", "---\ntitle: B\ntype: nope\n---\n")
	if code, _, _ := runCmd("build", "-src", src, "-o", public); code != 1 {
		t.Fatalf("broken content: exit %d, want 1", code)
	}
	if code, _, _ := runCmd("build", "-src", src, "-o", public); code != 1 {
		t.Fatalf("broken content, built again: exit %d, want 1", code)
	}
}

// TestMain gives the commands this package's tests run a cache folder of their own (the
// store, manifests and compressed self-check modules), so that no test reads what an
// earlier run or another checkout left in ~/.cache; tests that compare warm and cold
// builds give each build its own.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "affdocs-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestOutputRefused protects sources and other people's folders from -o: the source folder,
// a folder above it, one inside content/ or themes/, and an existing folder the generator
// did not make are refused with exit 2 and left as they were; a folder the generator made
// is rebuilt, and a staging folder a killed build left is swept.
func TestOutputRefused(t *testing.T) {
	src := t.TempDir()
	writeSite(t, src, "content/a.md", goodPage, "content/b.md", "---\ntitle: B\n---\n", "themes/default/static/x.txt", "x")
	foreign := filepath.Join(t.TempDir(), "theirs")
	writeSite(t, foreign, "keep.txt", "not ours")
	for _, out := range []string{src, filepath.Dir(src), filepath.Join(src, "content"), filepath.Join(src, "content", "out"), filepath.Join(src, "themes"), foreign} {
		before := snapshot(t, src)
		code, _, stderr := runCmd("build", "-src", src, "-o", out)
		if code != 2 || !strings.Contains(stderr, out) {
			t.Errorf("build -o %s: exit %d, %q; want 2 and a message naming it", out, code, stderr)
		}
		if after := snapshot(t, src); !maps.Equal(before, after) {
			t.Errorf("build -o %s changed the sources", out)
		}
	}
	if got := snapshot(t, foreign); !maps.Equal(got, map[string]string{"keep.txt": "not ours"}) {
		t.Errorf("a folder the generator did not make was changed: %v", got)
	}
	public := filepath.Join(src, "public")
	stale := filepath.Join(src, ".public.new-123")
	writeSite(t, stale, "index.html", "left by a killed build")
	for range 2 {
		if code, _, stderr := runCmd("build", "-src", src, "-o", public); code != 0 {
			t.Fatalf("build into public/: exit %d\n%s", code, stderr)
		}
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a staging folder left by a killed build was not swept")
	}
}

// TestSymlinkOutOfSite protects readers from a link in content/ that leads out of the
// site (to /etc/passwd, say): the build refuses it at its path instead of publishing it.
func TestSymlinkOutOfSite(t *testing.T) {
	src := t.TempDir()
	writeSite(t, src, "content/_index.md", "---\ntitle: Home\n---\n\nHi.\n")
	secret := filepath.Join(t.TempDir(), "secret.txt")
	writeSite(t, filepath.Dir(secret), "secret.txt", "password")
	if err := os.Symlink(secret, filepath.Join(src, "content", "secret.md")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	out := filepath.Join(t.TempDir(), "public")
	code, _, stderr := runCmd("build", "-src", src, "-o", out)
	if code != 1 || !strings.Contains(stderr, "content/secret.md") {
		t.Errorf("exit %d, stderr %q; want 1 and the link's path", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a build that refused a link wrote the output folder")
	}
}
