package devserver

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"affdocs/generator/site"
)

// Config is what the shell gives a Server.
type Config struct {
	// Root is the site source folder that Watch watches.
	Root string
	// Hosts are the addresses the server answers, as a request's Host header names them:
	// "host:port" for that host on that port (port 80 also answers a Host without a port),
	// or a bare host name or address for that host on any port. Host names compare without
	// regard to case and IP addresses in their canonical form. A request naming anything
	// else gets 403, on every path, the event stream and the live-reload script included: it
	// comes from a page of another site whose name was made to resolve to this machine (DNS
	// rebinding), and must not read the draft. Empty means localhost, 127.0.0.1 and [::1] on
	// any port.
	Hosts []string
	// Rebuild builds the site. changed lists the source paths (slash paths relative to Root)
	// that changed since its previous call; nil on the first call. A path may name a folder,
	// meaning everything in it, or "." for everything.
	Rebuild func(changed []string) (*site.Result, error)
	// Follow makes browsers navigate to the page that changed, not only reload it.
	Follow bool
	// Log receives build problems and warnings; nil discards them.
	Log io.Writer
	// Verbose also logs every rebuild: what changed, what it changed, how long it took.
	Verbose bool
	// Format writes one problem (usually a *site.Diagnostic) as a line of text, for the
	// terminal and the browser overlay; nil uses its Error method.
	Format func(error) string
	// Stats, when set, describes the last rebuild's work (e.g. pages re-rendered) for the
	// verbose log.
	Stats func() string
	// Quiet is how long the sources must stay unchanged before browsers are told about a
	// rebuild, so that the several events of one save make one update. Zero means 10ms.
	Quiet time.Duration
	// Start is how long the sources must stay unchanged before a rebuild starts; a
	// rebuild that a change overtakes is dropped, never shown. Zero means 2ms.
	Start time.Duration
}

// state is what the server serves; it is replaced, never modified.
type state struct {
	files  map[string][]byte // the last good build; nil before the first one
	build  string            // that build's id
	errors []string          // the latest build's problems; nil when it was good
}

// Server serves the last good build and tells browsers about new ones.
type Server struct {
	cfg   Config
	hub   *hub
	state atomic.Pointer[state]

	mu     sync.Mutex // serialises builds
	nonce  string     // distinguishes this process's build ids from an earlier one's
	builds int
	warned map[string]bool

	hosts     *hostRule
	refusedMu sync.Mutex
	refused   map[string]bool // hosts refused and logged, the first few
}

// New builds the site a first time and returns the server. A failed first build is not an
// error: the server then shows the problems until a rebuild succeeds.
func New(cfg Config) *Server {
	if cfg.Format == nil {
		cfg.Format = func(err error) string { return err.Error() }
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	if cfg.Quiet == 0 {
		cfg.Quiet = 10 * time.Millisecond
	}
	if cfg.Start == 0 {
		cfg.Start = 2 * time.Millisecond
	}
	b := make([]byte, 4)
	rand.Read(b)
	s := &Server{cfg: cfg, hub: newHub(), nonce: hex.EncodeToString(b), warned: map[string]bool{},
		hosts: newHostRule(cfg.Hosts), refused: map[string]bool{}}
	s.state.Store(&state{})
	s.Rebuild(nil)
	return s
}

// Close ends the browsers' event streams (they reconnect to the next server), so that an
// http.Server serving s can shut down.
func (s *Server) Close() { s.hub.close() }

// Files is the last good build's files; nil before the first good build.
func (s *Server) Files() map[string][]byte { return s.state.Load().files }

// Problems is the latest build's problems, one line each; nil when it was good.
func (s *Server) Problems() []string { return s.state.Load().errors }

// Rebuild rebuilds the site after the source paths changed, then tells browsers. Watch
// does the same in two steps; Rebuild is for tests and for shells without a watcher.
func (s *Server) Rebuild(changed []string) { s.apply(s.build(changed)) }

// built is a finished rebuild, not yet served.
type built struct {
	changed []string
	res     *site.Result
	err     error
	took    time.Duration
}

// build runs the shell's Rebuild.
func (s *Server) build(changed []string) built {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	res, err := s.cfg.Rebuild(changed)
	return built{changed, res, err, time.Since(start)}
}

// apply serves a rebuild's site (or keeps the last good one when it failed) and tells
// browsers what changed.
func (s *Server) apply(b built) {
	s.mu.Lock()
	defer s.mu.Unlock()
	changed, res, err, took := b.changed, b.res, b.err, b.took
	old := s.state.Load()

	if res != nil {
		s.warn(res.Warnings)
	}
	if err != nil {
		var lines []string
		for _, e := range unjoin(err) {
			lines = append(lines, s.cfg.Format(e))
		}
		s.state.Store(&state{files: old.files, build: old.build, errors: lines})
		fmt.Fprintf(s.cfg.Log, "build failed (%d problem(s)); still serving the last good build:\n", len(lines))
		for _, l := range lines {
			fmt.Fprintf(s.cfg.Log, "  %s\n", l)
		}
		s.hub.publish(event("errors", message{Errors: lines}))
		return
	}

	c := Diff(old.files, res.Files)
	st := &state{files: res.Files, build: old.build}
	if !c.Empty() || old.files == nil {
		s.builds++
		st.build = s.nonce + "-" + strconv.Itoa(s.builds)
	}
	s.state.Store(st)
	if old.errors != nil {
		fmt.Fprintln(s.cfg.Log, "build ok again")
		s.hub.publish(event("ok", message{}))
	}
	follow := ""
	if s.cfg.Follow {
		follow = followTarget(res, changed, c.Reload)
	}
	if len(c.Reload) > 0 {
		m := message{Files: c.Reload, All: c.All, Follow: follow, Shown: c.Shown}
		if c.All {
			m.Files = nil
		}
		s.hub.publish(event("reload", m))
	}
	if len(c.Styles) > 0 {
		s.hub.publish(event("styles", message{Styles: c.Styles}))
	}
	if s.cfg.Verbose && changed != nil {
		s.logRebuild(changed, c, len(res.Files), took)
	}
}

// logRebuild writes the -v line: what changed, what that changed, how long it took.
func (s *Server) logRebuild(changed []string, c Change, total int, took time.Duration) {
	var b strings.Builder
	fmt.Fprintf(&b, "rebuilt in %v: %s changed; %d of %d outputs changed", took.Round(100*time.Microsecond), list(changed, 3), len(c.Files), total)
	if len(c.Files) > 0 {
		fmt.Fprintf(&b, " (%s)", list(c.Files, 3))
	}
	switch {
	case c.All:
		b.WriteString("; updating every page")
	case len(c.Reload) > 0:
		fmt.Fprintf(&b, "; updating %d page(s)", len(c.Reload))
	}
	if len(c.Styles) > 0 {
		fmt.Fprintf(&b, "; swapping %d stylesheet(s)", len(c.Styles))
	}
	if s.cfg.Stats != nil {
		if st := s.cfg.Stats(); st != "" {
			b.WriteString("; " + st)
		}
	}
	fmt.Fprintf(&b, "; %d browser(s) connected\n", s.hub.count())
	io.WriteString(s.cfg.Log, b.String())
}

// warn prints the warnings not printed before.
func (s *Server) warn(ws []*site.Diagnostic) {
	for _, w := range ws {
		line := s.cfg.Format(w)
		if !s.warned[line] {
			s.warned[line] = true
			fmt.Fprintf(s.cfg.Log, "warning: %s\n", line)
		}
	}
}

// followTarget is the site path browsers go to with -follow: the page of the first changed
// source that has one, else the one page that changed, else none.
func followTarget(res *site.Result, changed, reload []string) string {
	if res.Site != nil {
		for _, p := range res.Site.Pages {
			if p.Source != "" && slices.Contains(changed, p.Source) && slices.Contains(reload, p.Path+"index.html") {
				return p.Path
			}
		}
	}
	if len(reload) == 1 && path.Base(reload[0]) == "index.html" && reload[0] != "404.html" {
		return strings.TrimSuffix(reload[0], "index.html")
	}
	return ""
}

// list is up to n items, then how many more.
func list(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

func unjoin(err error) []error {
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) {
		return j.Unwrap()
	}
	return []error{err}
}
