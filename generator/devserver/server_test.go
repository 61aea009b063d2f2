package devserver

import (
	"errors"
	"maps"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"affdocs/generator/site"
)

// TestEvents protects what browsers are told after each build: reload only the pages that
// changed, follow to the changed page, swap a changed stylesheet, name a changed image to
// the pages that show it (their HTML is the same, so they must reload), show a failed build's
// problems while the last good site stays served, and clear them after the next good build.
func TestEvents(t *testing.T) {
	files := maps.Clone(testFiles)
	var next func() (*site.Result, error)
	srv := New(Config{Follow: true, Rebuild: func([]string) (*site.Result, error) {
		if next == nil {
			return &site.Result{Files: files}, nil
		}
		return next()
	}})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c, hello := connect(t, hs.URL+"/")
	if hello.msg.Build == "" || hello.msg.Errors != nil {
		t.Fatalf("hello %+v", hello.msg)
	}
	good := func(edit func(m map[string][]byte)) {
		m := maps.Clone(files)
		edit(m)
		files = m
		next = func() (*site.Result, error) { return &site.Result{Files: m}, nil }
	}

	good(func(m map[string][]byte) {
		m["a/b/index.html"] = []byte("<html><head></head><body>page B</body></html>")
	})
	srv.Rebuild([]string{"content/a/b.md"})
	ev := c.next(t, time.Second)
	if ev.name != "reload" || !reflect.DeepEqual(ev.msg.Files, []string{"a/b/index.html"}) || ev.msg.Follow != "a/b/" || ev.msg.All {
		t.Errorf("after a page edit: %s %+v, want reload of a/b/index.html following a/b/", ev.name, ev.msg)
	}

	good(func(m map[string][]byte) {}) // nothing changed: nothing to say
	srv.Rebuild([]string{"content/a/b.md"})
	c.none(t, 50*time.Millisecond)

	good(func(m map[string][]byte) { m["assets/site.css"] = []byte("body{color:blue}") })
	srv.Rebuild([]string{"themes/default/static/assets/site.css"})
	ev = c.next(t, time.Second)
	if ev.name != "styles" || ev.msg.Styles["assets/site.css"] != "assets/site.css?v="+version([]byte("body{color:blue}")) {
		t.Errorf("after a CSS edit: %s %+v, want styles", ev.name, ev.msg)
	}

	good(func(m map[string][]byte) {
		m["a/index.html"] = []byte("<html><body><img src=../img/logo.svg></body></html>")
	})
	srv.Rebuild([]string{"content/a.md"})
	c.next(t, time.Second)
	good(func(m map[string][]byte) { m["img/logo.svg"] = []byte("<svg></svg>") })
	srv.Rebuild([]string{"content/img/logo.svg"})
	ev = c.next(t, time.Second)
	if ev.name != "reload" || !reflect.DeepEqual(ev.msg.Files, []string{"a/index.html"}) || !reflect.DeepEqual(ev.msg.Shown, []string{"img/logo.svg"}) {
		t.Errorf("after an image edit: %s %+v, want reload of a/index.html, which shows img/logo.svg", ev.name, ev.msg)
	}

	problem := &site.Diagnostic{File: "content/a/b.md", Line: 2, Col: 8, Msg: "front matter: did not find expected key <script>"}
	next = func() (*site.Result, error) { return &site.Result{}, errors.Join(problem) }
	served := srv.Files()
	srv.Rebuild([]string{"content/a/b.md"})
	ev = c.next(t, time.Second)
	want := []string{"content/a/b.md:2:8: front matter: did not find expected key <script>"}
	if ev.name != "errors" || !reflect.DeepEqual(ev.msg.Errors, want) {
		t.Errorf("after a broken edit: %s %+v, want errors %q", ev.name, ev.msg, want)
	}
	if !reflect.DeepEqual(srv.Files(), served) {
		t.Errorf("a failed build replaced the served site")
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/a/b/", nil))
	if !strings.Contains(rec.Body.String(), "page B") {
		t.Errorf("during a failed build, /a/b/ serves %q, want the last good page", rec.Body.String())
	}
	c2, hello2 := connect(t, hs.URL+"/") // a browser opened now sees the problems at once
	if !reflect.DeepEqual(hello2.msg.Errors, want) {
		t.Errorf("hello during a failed build: %+v", hello2.msg)
	}

	good(func(m map[string][]byte) {
		m["a/b/index.html"] = []byte("<html><head></head><body>page B fixed</body></html>")
	})
	srv.Rebuild([]string{"content/a/b.md"})
	for _, c := range []*sse{c, c2} {
		if ev := c.next(t, time.Second); ev.name != "ok" {
			t.Errorf("after the fix: %s %+v, want ok", ev.name, ev.msg)
		}
		if ev := c.next(t, time.Second); ev.name != "reload" || ev.msg.Follow != "a/b/" {
			t.Errorf("after the fix: %s %+v, want reload", ev.name, ev.msg)
		}
	}
	if hello3 := func() sseEvent { _, h := connect(t, hs.URL+"/"); return h }(); hello3.msg.Errors != nil || hello3.msg.Build == hello.msg.Build {
		t.Errorf("hello after the fix: %+v (first build %s)", hello3.msg, hello.msg.Build)
	}
}

// TestFirstBuildFails protects the start of a session with a broken site: the server
// serves a page that shows the problems and reloads once the site builds.
func TestFirstBuildFails(t *testing.T) {
	fail := true
	srv := New(Config{Rebuild: func([]string) (*site.Result, error) {
		if fail {
			return &site.Result{}, errors.New("content/_index.md:1:1: broken")
		}
		return &site.Result{Files: testFiles}, nil
	}})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/a/", nil))
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), `<script src="../__livereload.js"`) {
		t.Errorf("before any good build: %d %s", rec.Code, rec.Body.String())
	}
	c, hello := connect(t, hs.URL+"/")
	if len(hello.msg.Errors) != 1 {
		t.Errorf("hello: %+v", hello.msg)
	}
	fail = false
	srv.Rebuild([]string{"content/_index.md"})
	if ev := c.next(t, time.Second); ev.name != "ok" {
		t.Errorf("%s %+v, want ok", ev.name, ev.msg)
	}
	if ev := c.next(t, time.Second); ev.name != "reload" || !ev.msg.All {
		t.Errorf("%s %+v, want reload of all", ev.name, ev.msg)
	}
}
