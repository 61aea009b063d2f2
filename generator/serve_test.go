package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServeAddr protects the default: serve binds to loopback, and refuses an address
// other machines can reach unless -public says so.
func TestServeAddr(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		public bool
		ok     bool
	}{
		{"127.0.0.1:1313", false, true},
		{"127.0.0.2:0", false, true},
		{"[::1]:1313", false, true},
		{"localhost:1313", false, true},
		{":1313", false, false},
		{"0.0.0.0:1313", false, false},
		{"[::]:1313", false, false},
		{"192.168.1.10:1313", false, false},
		{"example.com:1313", false, false},
		{":1313", true, true},
		{"0.0.0.0:1313", true, true},
		{"192.168.1.10:1313", true, true},
		{"no-port", false, false},
	} {
		if err := checkAddr(tc.addr, tc.public); (err == nil) != tc.ok {
			t.Errorf("checkAddr(%q, public=%v) = %v, want ok=%v", tc.addr, tc.public, err, tc.ok)
		}
	}
	for _, addr := range []string{"0.0.0.0:0", ":0"} {
		code, _, stderr := runCmd("serve", "-addr", addr)
		if code != 2 || !strings.Contains(stderr, "-public") {
			t.Errorf("serve -addr %s: exit %d, stderr %q; want 2 and a word about -public", addr, code, stderr)
		}
	}
	_, _, stderr := runCmd("serve", "-h")
	if !strings.Contains(stderr, `(default "127.0.0.1:1313")`) {
		t.Errorf("serve -h does not show the loopback default:\n%s", stderr)
	}
}

// TestServe runs the command on a site: it prints the URL, serves the draft from memory
// with the live-reload script, shows a save, never writes public/, and stops with its
// context.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir,
		"content/_site.yaml", "title: Served\n",
		"content/_index.md", "---\ntitle: Home\n---\n\nHome page.\n",
		"content/a.md", "---\ntitle: A\n---\n\nFirst text.\n",
	)
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- serve(ctx, []string{"-src", dir, "-addr", "127.0.0.1:0", "-v"}, out, out) }()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("serve did not stop with its context")
		}
	}()
	var base string
	url := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+/)`)
	for deadline := time.Now().Add(20 * time.Second); base == ""; time.Sleep(10 * time.Millisecond) {
		if m := url.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no URL:\n%s", out.String())
		}
	}
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	if page := get("a/"); !strings.Contains(page, "First text.") || !strings.Contains(page, `<script src="../__livereload.js"`) {
		t.Fatalf("GET a/:\n%s", page)
	}
	writeSite(t, dir, "content/a.md", "---\ntitle: A\n---\n\nSecond text.\n")
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(get("a/"), "Second text."); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the save was not served:\n%s", out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("serve wrote public/ (%v)", err)
	}
}

// syncBuffer is a bytes.Buffer for one writer goroutine and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
