package devserver

import (
	"bufio"
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"affdocs/generator/site"
)

// repoRoot is the repository's top folder, which holds the real site.
func repoRoot(t testing.TB) string {
	t.Helper()
	abs, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(abs, "content", "_site.yaml")); err != nil {
		t.Fatalf("the real site is not at %s: %v", abs, err)
	}
	return abs
}

// copySite copies the real site (content/ and themes/, the theme included, so that edits
// to its CSS and layouts show) into a temporary folder and returns it.
func copySite(t testing.TB) string {
	t.Helper()
	root := repoRoot(t)
	dir := t.TempDir()
	for _, top := range []string{"content", "themes"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			dst := filepath.Join(dir, rel)
			if d.IsDir() {
				return os.MkdirAll(dst, 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// write writes a file of the site in dir, making its folder.
func write(t testing.TB, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t testing.TB, dir, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// siteRebuild is SiteBuilder's rebuild function.
func siteRebuild(dir string, opt site.Options) func([]string) (*site.Result, error) {
	rebuild, _ := SiteBuilder(dir, opt)
	return rebuild
}

// testOptions are the options the tests build with: the draft preview, without the
// self-check module (it needs the Go toolchain and is not what these tests are about).
func testOptions() site.Options { return site.Options{Draft: true} }

// watched starts a server for the site in dir with its watcher and an HTTP server, all
// stopped when the test ends. rebuilds receives the changed paths of every rebuild.
type watched struct {
	*Server
	URL      string
	rebuilds chan []string
}

// prefix, when not "", mounts the site under that sub-path ("/preview/"), as a proxy would.
func startWatched(t testing.TB, dir string, rebuild func([]string) (*site.Result, error), follow bool, prefix string) *watched {
	t.Helper()
	w := &watched{rebuilds: make(chan []string, 1000)}
	cfg := Config{Root: dir, Follow: follow, Log: testLog{t}, Verbose: testing.Verbose()}
	cfg.Rebuild = func(changed []string) (*site.Result, error) {
		res, err := rebuild(changed)
		if changed != nil {
			defer func() { w.rebuilds <- changed }()
		}
		return res, err
	}
	w.Server = New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	watching := make(chan struct{})
	ready := make(chan struct{})
	go func() {
		defer close(watching)
		close(ready)
		if err := w.Watch(ctx); err != nil {
			t.Errorf("Watch: %v", err)
		}
	}()
	<-ready
	var h http.Handler = w.Server
	if prefix != "" {
		mux := http.NewServeMux()
		mux.Handle(prefix, http.StripPrefix(strings.TrimSuffix(prefix, "/"), w.Server))
		h = mux
	}
	hs := httptest.NewServer(h)
	w.URL = hs.URL + "/"
	if prefix != "" {
		w.URL = hs.URL + prefix
	}
	t.Cleanup(func() {
		w.Close()
		hs.Close()
		cancel()
		<-watching
	})
	// Watch adds its watches as it starts: give it a moment before the test edits files.
	time.Sleep(50 * time.Millisecond)
	return w
}

// waitFor waits until a rebuild has seen every path in want, and returns the paths seen.
func (w *watched) waitFor(t testing.TB, want ...string) []string {
	t.Helper()
	seen := map[string]bool{}
	var all []string
	deadline := time.After(10 * time.Second)
	for {
		missing := false
		for _, p := range want {
			if !seen[p] && !seen["."] {
				missing = true
			}
		}
		if !missing {
			return all
		}
		select {
		case changed := <-w.rebuilds:
			all = append(all, changed...)
			for _, p := range changed {
				seen[p] = true
				for d := p; d != "." && d != "/"; d = filepath.ToSlash(filepath.Dir(d)) {
					seen[d] = true // a folder event covers what is in it
				}
			}
			for _, p := range want { // a path inside a changed folder was rebuilt too
				for _, c := range changed {
					if strings.HasPrefix(p, c+"/") {
						seen[p] = true
					}
				}
			}
		case <-deadline:
			t.Fatalf("no rebuild saw %v within 10s (saw %v)", want, all)
		}
	}
}

// testLog sends the server's log to the test's.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// sse is a client of the event stream, as a browser's EventSource is.
type sse struct {
	events chan sseEvent
}

type sseEvent struct {
	name string
	msg  message
	at   time.Time
}

// connect opens the event stream at url (the site's root URL) and returns once the hello
// has arrived.
func connect(t testing.TB, url string) (*sse, sseEvent) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"__livereload", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("event stream Content-Type %q", ct)
	}
	c := &sse{events: make(chan sseEvent, 1000)}
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { cancel(); resp.Body.Close() }) })
	go func() {
		defer close(c.events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				var m message
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &m); err != nil {
					t.Errorf("event %s: bad data %q: %v", name, line, err)
				}
				c.events <- sseEvent{name, m, time.Now()}
			}
		}
	}()
	hello := c.next(t, 5*time.Second)
	if hello.name != "hello" {
		t.Fatalf("first event %q, want hello", hello.name)
	}
	return c, hello
}

// next is the next event, failing the test after timeout.
func (c *sse) next(t testing.TB, timeout time.Duration) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-c.events:
		if !ok {
			t.Fatal("event stream closed")
		}
		return ev
	case <-time.After(timeout):
		t.Fatalf("no event within %v", timeout)
	}
	return sseEvent{}
}

// none checks that no event arrives within d.
func (c *sse) none(t testing.TB, d time.Duration) {
	t.Helper()
	select {
	case ev := <-c.events:
		t.Errorf("unexpected event %s %+v", ev.name, ev.msg)
	case <-time.After(d):
	}
}
