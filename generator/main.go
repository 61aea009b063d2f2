// Command generator builds the affiliate-program documentation site.
//
//	generator build   [-src DIR] [-o DIR] [-today YYYY-MM-DD] [-links=warn] [-warnings=all] [-minify=false]
//	generator check   [-src DIR] [-today YYYY-MM-DD] [-links=warn] [-warnings=all]
//	generator serve   [-src DIR] [-addr HOST:PORT] [-published] [-follow] [-public [-host NAME]] [-today YYYY-MM-DD] [-links=warn] [-warnings=all] [-minify=false] [-v]
//	generator screen  [-src DIR] [-edition ID] [-format text|json] FILE...
//	generator version cut ID [-effective YYYY-MM-DD] [-label TEXT] [-src DIR]
//	generator version list [-src DIR]
//	generator version record ID [-src DIR]
//
// make builds it into generator/.bin/affdocs. Exit status: 0 success, 1 content errors,
// 2 usage errors. This file holds flags and subcommands only; the work is done by the
// packages below it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strconv"
	"strings"
	"time"

	"affdocs/generator/buildcache"
	"affdocs/generator/output"
	"affdocs/generator/site"
	"affdocs/generator/store"
	"affdocs/generator/toolchain"
	"affdocs/generator/versions"
)

const usage = `generator builds the affiliate-program documentation site.

Usage:
  generator build   [-src DIR] [-o DIR] [-today YYYY-MM-DD] [-links=warn] [-warnings=all] [-minify=false]
                                                                      build DIR into public/ (or -o)
  generator check   [-src DIR] [-today YYYY-MM-DD] [-links=warn] [-warnings=all]
                                                                      run every check, write nothing
  generator serve   [-src DIR] [-addr HOST:PORT] [-published] [-follow] [-public [-host NAME]] [-v]
                    [-today YYYY-MM-DD] [-links=warn] [-warnings=all] [-minify=false]
                                                                      live preview on 127.0.0.1:1313
  generator screen  [-src DIR] [-edition ID] [-format text|json] FILE... screen applications (- is stdin)
  generator version cut ID [-effective YYYY-MM-DD] [-label TEXT] [-src DIR]
                                                                      freeze the draft as an edition
  generator version list [-src DIR]                                    list the editions
  generator version record ID [-src DIR]                               record the hashes of an older edition

DIR is a site root (content/, themes/, content/_site.yaml) or any folder of Markdown.
The build date (-today, default the machine's date) decides which edition is current: an
upcoming edition becomes current with the first build on or after its effective date.
Warnings are summarised (the first few of each kind in each file; an edition's only where
they differ from the next newer one's); -warnings=all prints every one.
Each command's flags: generator COMMAND -h.
Exit status: 0 success, 1 content errors, 2 usage errors.
`

func main() {
	// AFFDOCS_MEMPROFILE=file writes a heap profile of the command as of its last collection
	// (what was live late in the build, for go tool pprof -sample_index=inuse_space).
	if file := os.Getenv("AFFDOCS_MEMPROFILE"); file != "" {
		code := run(os.Args[1:], os.Stdout, os.Stderr)
		if f, err := os.Create(file); err == nil {
			pprof.WriteHeapProfile(f)
			f.Close()
		}
		os.Exit(code)
	}
	// AFFDOCS_CPUPROFILE=file writes a CPU profile of the command, for go tool pprof;
	// AFFDOCS_TRACE=file an execution trace, for go tool trace (where the cores sat idle).
	for _, p := range []struct {
		env   string
		start func(io.Writer) error
		stop  func()
	}{{"AFFDOCS_CPUPROFILE", pprof.StartCPUProfile, pprof.StopCPUProfile}, {"AFFDOCS_TRACE", trace.Start, trace.Stop}} {
		if file := os.Getenv(p.env); file != "" {
			if f, err := os.Create(file); err == nil && p.start(f) == nil {
				code := run(os.Args[1:], os.Stdout, os.Stderr)
				p.stop()
				f.Close()
				os.Exit(code)
			}
		}
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks errors in the command line (exit 2) as opposed to content errors (exit 1).
var errUsage = errors.New("usage")

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmds := map[string]func([]string, io.Writer, io.Writer) error{
		"build": cmdBuild, "check": cmdCheck, "screen": cmdScreen, "serve": cmdServe, "version": cmdVersion,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "generator: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	err := cmd(args[1:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		var st exitStatus
		if errors.As(err, &st) {
			return int(st)
		}
		fmt.Fprintln(stderr, err)
		return 1
	}
}

// exitStatus is returned by a command that already reported its problems.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// flags makes a subcommand's flag set; parse errors are usage errors.
func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

// noArgs rejects arguments left after the flags: "build site/" would otherwise build "."
// without a word.
func noArgs(fs *flag.FlagSet, stderr io.Writer) error {
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q (give the site folder with -src)\n", fs.Name(), fs.Arg(0))
		return errUsage
	}
	return nil
}

// buildFlags are shared by build, check and serve.
type buildFlags struct {
	src      string
	links    string
	minify   bool
	warnings string
	today    string
}

func (b *buildFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&b.src, "src", ".", "site root: a folder with content/ (or any folder of Markdown)")
	fs.StringVar(&b.links, "links", "", `"warn" reports broken links as warnings instead of errors`)
	fs.StringVar(&b.warnings, "warnings", "summary", `"all" prints every warning; "summary" the first few of each kind in each file, and each edition's only where they differ from the next newer one's`)
	fs.StringVar(&b.today, "today", "", "build as on day `YYYY-MM-DD` (default: the machine's local date): it decides which edition is current and dates the feed")
}

func (b *buildFlags) options(stderr io.Writer) (site.Options, error) {
	if b.links != "" && b.links != "warn" && b.links != "error" {
		fmt.Fprintln(stderr, `-links must be "warn" or "error"`)
		return site.Options{}, errUsage
	}
	if b.warnings != "summary" && b.warnings != "all" {
		fmt.Fprintln(stderr, `-warnings must be "summary" or "all"`)
		return site.Options{}, errUsage
	}
	var today time.Time
	if b.today != "" {
		t, err := time.Parse(time.DateOnly, b.today)
		if err != nil {
			fmt.Fprintf(stderr, "-today must be a date written YYYY-MM-DD, not %q\n", b.today)
			return site.Options{}, errUsage
		}
		today = t
	}
	opt := site.Options{
		LinksWarn: b.links == "warn",
		NoMinify:  !b.minify,
		Today:     today,
		Salt:      buildcache.ExecutableHash(),
		SelfCheck: func() (*toolchain.Module, error) { return compileSelfCheck(stderr) },
	}
	return opt, nil
}

// compileSelfCheck compiles the self-check module (package toolchain), saying so when it
// takes more than a moment: on a cold Go cache the first build compiles the standard
// library for WebAssembly, a minute or two.
func compileSelfCheck(stderr io.Writer) (*toolchain.Module, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	type result struct {
		m   *toolchain.Module
		err error
	}
	done := make(chan result, 1)
	go func() {
		m, err := toolchain.SelfCheck(ctx, filepath.Join(buildcache.Root(), "modules"))
		done <- result{m, err}
	}()
	select {
	case r := <-done:
		return r.m, r.err
	case <-time.After(3 * time.Second):
		fmt.Fprintln(stderr, "compiling the self-check WebAssembly module (first time: a minute or two)…")
	}
	r := <-done
	return r.m, r.err
}

// report prints warnings, summarised (see site.WriteWarnings), and every error, with the
// source folder prefixed to each path, so the positions open in an editor from where the
// command ran.
func report(stderr io.Writer, src string, res *site.Result, err error) error {
	return reportWith(stderr, src, res, err, false)
}

// reportWith is report, with every warning printed when all is set (-warnings=all).
func reportWith(stderr io.Writer, src string, res *site.Result, err error, all bool) error {
	site.WriteWarnings(stderr, res.Warnings, site.WarningOptions{
		All:  all,
		Name: func(file string) string { return inSource(src, file) },
		Editions: func() []string {
			fsys, err := sourceFS(src)
			if err != nil {
				return nil
			}
			return site.EditionIDs(fsys)
		},
	})
	if err == nil {
		return nil
	}
	n := 0
	for _, d := range unjoin(err) {
		var diag *site.Diagnostic
		if errors.As(d, &diag) {
			fmt.Fprintln(stderr, prefixed(src, diag))
		} else {
			fmt.Fprintln(stderr, d)
		}
		n++
	}
	fmt.Fprintf(stderr, "%d error(s); nothing was written\n", n)
	return exitStatus(1)
}

func prefixed(src string, d *site.Diagnostic) string {
	c := *d
	c.File = inSource(src, d.File)
	return c.Error()
}

// inSource is a path of the site source as seen from where the command ran.
func inSource(src, file string) string {
	if src != "." && src != "" && !strings.HasPrefix(file, "(") { // "(embedded default theme)/..." has no folder
		return filepath.ToSlash(filepath.Join(src, file))
	}
	return file
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// buildWith parses the flags build and check share, plus the command's own (extra), and
// runs do with the options they give, reporting every problem.
func buildWith(name string, args []string, stderr io.Writer, extra func(*flag.FlagSet, *buildFlags), do func(site.Options, *buildFlags) (*site.Result, error)) (*site.Result, error) {
	fs := flags(name, stderr)
	var b buildFlags
	b.register(fs)
	if extra != nil {
		extra(fs, &b)
	}
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if err := noArgs(fs, stderr); err != nil {
		return nil, err
	}
	opt, err := b.options(stderr)
	if err != nil {
		return nil, err
	}
	res, err := do(opt, &b)
	if res == nil { // not a content problem: the output could not be opened or committed
		return nil, err
	}
	if err := reportWith(stderr, b.src, res, err, b.warnings == "all"); err != nil {
		return nil, err
	}
	return res, nil
}

// build runs the one pipeline on the site in src, with the site's store in the user's
// cache folder when the generator can be identified (else a store for this run only:
// another generator's results must never be reused). The store is saved whether or not
// the build succeeded: its entries are keyed by their inputs, so none is ever stale.
func build(src string, opt site.Options, stderr io.Writer) (*site.Result, error) {
	if opt.Store == nil && opt.Salt != "" {
		st, err := store.Open(buildcache.SiteDir(src))
		if err != nil {
			fmt.Fprintf(stderr, "warning: build store not used: %v\n", err)
		}
		opt.Store = st
	}
	fsys, err := sourceFS(src)
	if err != nil {
		return nil, err
	}
	res, err := site.Build(fsys, opt)
	if opt.Store != nil {
		if err := opt.Store.Save(); err != nil {
			fmt.Fprintf(stderr, "warning: build store not saved: %v\n", err)
		}
	}
	return res, err
}

// sourceFS is the site folder src, read through an os.Root: a symbolic link that leads out
// of the folder is an error where it is read, never followed (a link to /etc/passwd in
// content/ is not published).
func sourceFS(src string) (fs.FS, error) {
	root, err := os.OpenRoot(src)
	if err != nil {
		return nil, fmt.Errorf("-src %s: %w", src, err)
	}
	return root.FS(), nil
}

// publish builds the site in src into the folder out, which changes only when the build
// succeeds, and then only in the files whose bytes changed (see package output).
func publish(src, out string, opt site.Options, stderr io.Writer) (*site.Result, error) {
	if err := checkOut(src, out); err != nil {
		fmt.Fprintln(stderr, err)
		return nil, errUsage
	}
	dir, err := output.Open(out, buildcache.Manifest(src, out))
	var notOurs *output.NotOurs
	if errors.As(err, &notOurs) {
		fmt.Fprintln(stderr, err)
		return nil, errUsage
	}
	if err != nil {
		return nil, err
	}
	defer dir.Discard() // a failed build leaves the folder as it was
	opt.Output = dir
	var moduleErr error
	if compile := opt.SelfCheck; compile != nil {
		opt.SelfCheck = func() (*toolchain.Module, error) {
			m, err := compile()
			moduleErr = err
			return m, err
		}
	}
	res, err := build(src, opt, stderr)
	if err != nil {
		return res, err
	}
	if moduleErr != nil {
		// The build published self-check pages without their module (serve's preview may):
		// every applicant would be told the check is unavailable. Publish nothing.
		return res, moduleMissing(res, moduleErr)
	}
	if err := dir.Commit(); err != nil {
		var left *output.Leftover
		if !errors.As(err, &left) {
			return nil, err
		}
		fmt.Fprintf(stderr, "warning: %v\n", err)
	}
	return res, nil
}

// moduleMissing is the error of a build whose self-check pages have no module: the build's
// warning about it (at assets/selfcheck.wasm) becomes this error, which says what the
// module needs.
func moduleMissing(res *site.Result, err error) error {
	res.Warnings = slices.DeleteFunc(res.Warnings, func(w *site.Diagnostic) bool { return w.File == "assets/selfcheck.wasm" })
	return fmt.Errorf("self-check pages: their WebAssembly module could not be built: %w", err)
}

// checkOut refuses an output folder that a build would destroy sources with: the source
// folder itself, a folder above it, or one inside what the build reads (content/ and
// themes/ of a site root; all of a bare folder of Markdown but its public/).
func checkOut(src, out string) error {
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			return filepath.Clean(p)
		}
		if r, err := filepath.EvalSymlinks(a); err == nil {
			return r
		}
		if r, err := filepath.EvalSymlinks(filepath.Dir(a)); err == nil { // out need not exist yet
			return filepath.Join(r, filepath.Base(a))
		}
		return a
	}
	s, o := abs(src), abs(out)
	within := func(dir, p string) bool { // p is dir or inside it
		rel, err := filepath.Rel(dir, p)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	refuse := func(why string) error {
		return fmt.Errorf("-o %s: %s; a build replaces its output folder whole. Choose a folder outside the sources, such as %s", out, why, filepath.Join(src, "public"))
	}
	switch {
	case within(o, s):
		return refuse("it is the source folder or a folder above it")
	case site.ContentDir(os.DirFS(src)) == "content":
		for _, dir := range []string{"content", "themes"} {
			if within(filepath.Join(s, dir), o) {
				return refuse("it is inside " + dir + "/, which the build reads")
			}
		}
	case within(s, o) && !within(filepath.Join(s, "public"), o):
		return refuse("the source is a folder of Markdown, read whole but for public/")
	}
	return nil
}

func cmdBuild(args []string, stdout, stderr io.Writer) error {
	// A build allocates about 400 KB per page and keeps about 5 KB of it (the page index,
	// the links to check, the cache entries to save). At Go's default pace the collector runs
	// every ~150 pages of a large site; half that pace (GOGC 200) halves its work. A slower
	// pace costs more than it saves: memory the process has not touched before is slow to
	// get (a page fault per 4 KB; in a VM whose host backs memory lazily, much slower), and
	// at 10,000 pages GOGC 400 took 150 MB more and 1.5 to 5 s more system time than GOGC
	// 200 for 0.4 s less collector time. A soft limit stops the headroom growing with the
	// index: an eighth of the machine's memory, between 1 and 4 GiB (at 100,000 pages about
	// 500 MB stays live; under a 1 GiB limit the collector ran every 1,000 pages and the build
	// took 104 s instead of 65). GOGC and GOMEMLIMIT override both.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(min(max(memTotal()/8, 1<<30), 4<<30))
	}
	var out, src string
	var today time.Time
	start := time.Now()
	res, err := buildWith("build", args, stderr, func(fs *flag.FlagSet, b *buildFlags) {
		fs.StringVar(&out, "o", "public", "output folder: only changed files are written, and only after a successful build")
		fs.BoolVar(&b.minify, "minify", true, "minify HTML, CSS, JS, SVG, JSON and XML (false for debugging)")
	}, func(opt site.Options, b *buildFlags) (*site.Result, error) {
		src, today = b.src, opt.Today
		return publish(b.src, out, opt, stderr)
	})
	if err != nil {
		return err
	}
	st := res.Stats
	fmt.Fprintf(stdout, "built %d pages, %d files into %s in %v (%d written, %d unchanged; %d pages rendered)\n",
		st.Pages, st.Files, out, time.Since(start).Round(time.Millisecond), st.Written, st.Kept, st.Rendered)
	sayUpcoming(stdout, src, today)
	return nil
}

// sayUpcoming tells whoever published the site when it must be built again: an upcoming
// edition becomes current only with a build on or after its effective date.
func sayUpcoming(stdout io.Writer, src string, today time.Time) {
	fsys, err := sourceFS(src)
	if err != nil {
		return
	}
	if today.IsZero() {
		today = time.Now()
	}
	eds := versions.Schedule(fsys, site.ContentDir(fsys), today)
	cur := versions.CurrentOf(eds)
	for _, e := range eds {
		if e.Status == versions.Upcoming && cur != nil {
			fmt.Fprintf(stdout, "edition %s (%s) takes effect on %s: the site shows %s as current until it is built on or after that day (build daily: make publish)\n", e.ID, e.Label, e.Effective, cur.ID)
			return
		}
	}
}

func cmdCheck(args []string, stdout, stderr io.Writer) error {
	res, err := buildWith("check", args, stderr, nil, func(opt site.Options, b *buildFlags) (*site.Result, error) {
		return check(b.src, opt, stderr)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: %d pages, %d warnings\n", res.Stats.Pages, len(res.Warnings))
	return nil
}

// check is the check command's build: every check of build, nothing written, no
// self-check module compiled (it checks content, not the toolchain). version cut freezes
// only a draft that passes it.
func check(src string, opt site.Options, stderr io.Writer) (*site.Result, error) {
	opt.SelfCheck = nil
	opt.NoMinify = true
	return build(src, opt, stderr)
}

// memTotal is the machine's memory in bytes as Linux reports it, or 0 when unknown.
func memTotal() int64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
