// Command bench times this generator against Hugo on one generated corpus (see
// generator/corpus), in the same run, and writes a report (make bench runs it):
//
//	go run ./generator/bench [-sizes 1000,10000] [-big 100000] [-runs 3] [-o FILE]
//
// For each size it builds the corpus cold (no output folder, no cache) with both tools,
// alternating which goes first, at least -runs times each, with highlighting and minifying
// on; then, for this generator, a rebuild with nothing changed and a rebuild after a
// one-page edit (Hugo's one-page-edit rebuild too, for comparison). It also times the
// 1,000-page corpus with 1 and with 10 editions, and the -big corpus for this generator
// alone. Times are medians of wall-clock seconds; peak RSS is the child's maximum resident
// set size as the kernel counts it (what /usr/bin/time -v prints).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"affdocs/generator/corpus"
)

func main() {
	sizes := flag.String("sizes", "1000,10000", "corpus sizes built by both tools")
	big := flag.Int("big", 100000, "corpus size built by this generator alone (0: none)")
	runs := flag.Int("runs", 3, "runs of each measurement (the median is reported)")
	report := flag.String("o", filepath.Join(os.TempDir(), "affdocs-bench.md"), "report file")
	only := flag.String("only", "", `one part alone: "reload" (save to visible), "sections" (section sizes) or "scaling" (-big against the largest of -sizes)`)
	flag.Parse()
	if err := run(*sizes, *big, *runs, *report, *only); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// sample is one timed build.
type sample struct {
	secs float64
	rss  int64 // KB
}

// series is the samples of one measurement.
type series []sample

func (s series) median() sample {
	secs := make([]float64, len(s))
	rss := make([]int64, len(s))
	for i, x := range s {
		secs[i], rss[i] = x.secs, x.rss
	}
	slices.Sort(secs)
	slices.Sort(rss)
	return sample{secs[len(s)/2], rss[len(s)/2]}
}

type bench struct {
	work, ours, hugo string
	gocache          string // Go's build cache, which a new XDG_CACHE_HOME would otherwise move
	runs             int
	out              io.Writer
	folders          int    // folders named by fresh so far
	oursOut, hugoOut string // the last cold build's output folder, for the rebuilds after it
}

// discard moves a folder the bench is done with out of the way; the files are deleted when
// the bench ends. Deleting them now would slow the next builds down, and not equally: ext4
// hands out new inodes only after checking that each candidate was not deleted in the last
// few seconds to a minute (recently_deleted), so a build that follows the deletion of
// 10,000 files spends seconds in mkdir and open (on this VM, a plain program creating
// 10,000 folders and files took 0.5 s on a quiet disk and 3-10 s right after an rm -rf).
func (b *bench) discard(dir string) {
	if _, err := os.Lstat(dir); err != nil {
		return
	}
	if err := os.Rename(dir, b.fresh("discarded")); err != nil {
		os.RemoveAll(dir)
	}
}

// fresh is a new folder name under the bench's work folder.
func (b *bench) fresh(name string) string {
	b.folders++
	return filepath.Join(b.work, fmt.Sprintf("%s-%d", name, b.folders))
}

func run(sizeList string, big, runs int, reportFile, only string) error {
	work, err := os.MkdirTemp("", "affdocs-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	f, err := os.Create(reportFile)
	if err != nil {
		return err
	}
	defer f.Close()
	b := &bench{work: work, ours: filepath.Join(work, "affdocs"), runs: max(runs, 1), out: io.MultiWriter(os.Stdout, f)}
	if msg, err := exec.Command("go", "build", "-o", b.ours, "./generator").CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./generator: %v\n%s", err, msg)
	}
	b.hugo = findHugo()
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		return fmt.Errorf("go env GOCACHE: %v", err)
	}
	b.gocache = strings.TrimSpace(string(gocache))
	b.printf("# Build benchmark: this generator and Hugo\n\n")
	b.printf("%s; %d runs of each, medians; cold builds start with no output folder and empty caches.\n", machine(b.hugo), b.runs)
	b.printf("Corpus: generator/corpus (seed 1): leaf sections of %v pages in turn, %d sections per level, code in 8 languages, tables, task lists, links.\n\n", corpus.Sizes, corpus.Fanout)

	var sizes []int
	for _, s := range strings.Split(sizeList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-sizes: %v", err)
		}
		sizes = append(sizes, n)
	}
	switch only {
	case "reload":
		dir, _, err := b.corpus(sizes[0])
		if err != nil {
			return err
		}
		return b.reloads(dir, sizes[0])
	case "sections":
		return b.sectionSizes(slices.Max(sizes))
	case "scaling":
		return b.scaling(slices.Max(sizes), big)
	case "":
	default:
		return fmt.Errorf("-only %q: want reload, sections or scaling", only)
	}
	b.printf("## Cold builds, side by side\n\n")
	b.printf("| pages | tool | median s | pages/s | peak RSS MB | ours/Hugo time | ours/Hugo RSS |\n|---:|---|---:|---:|---:|---:|---:|\n")
	var warmRows []string
	var reloadDir string // the smallest corpus, for save to visible
	var reloadN int
	for _, n := range sizes {
		dir, files, err := b.corpus(n)
		if err != nil {
			return err
		}
		var ours, hugo series
		for i := range b.runs {
			tools := []func() error{
				func() error { s, err := b.oursCold(dir, i); ours = append(ours, s); return err },
				func() error { s, err := b.hugoCold(dir, i); hugo = append(hugo, s); return err },
			}
			if i%2 == 1 {
				slices.Reverse(tools)
			}
			for _, t := range tools {
				if err := t(); err != nil {
					return err
				}
			}
		}
		o := ours.median()
		b.printf("| %d | ours | %.2f | %.0f | %.0f | | |\n", n, o.secs, float64(files)/o.secs, mb(o.rss))
		if b.hugo != "" {
			h := hugo.median()
			b.printf("| %d | Hugo | %.2f | %.0f | %.0f | **%.2f** (%.1fx throughput) | **%.2f** |\n", n, h.secs, float64(files)/h.secs, mb(h.rss),
				o.secs/h.secs, h.secs/o.secs, float64(o.rss)/float64(h.rss))
		}
		rows, err := b.rebuilds(dir, n, ours, hugo)
		if err != nil {
			return err
		}
		warmRows = append(warmRows, rows...)
		if n == sizes[0] {
			reloadDir, reloadN = dir, n
			continue // kept for the save-to-visible runs, after the tables
		}
		b.discard(dir)
	}
	if b.hugo == "" {
		b.printf("\nHugo is not installed (apt-get install hugo): no side-by-side figures.\n")
	}

	b.printf("\n## Rebuilds\n\n| pages | rebuild | tool | median s | share of the tool's cold build |\n|---:|---|---|---:|---:|\n")
	for _, r := range warmRows {
		b.printf("%s\n", r)
	}

	if err := b.reloads(reloadDir, reloadN); err != nil {
		return err
	}
	b.discard(reloadDir)
	if err := b.sectionSizes(slices.Max(sizes)); err != nil {
		return err
	}
	if err := b.editions(); err != nil {
		return err
	}

	if big > 0 {
		dropCaches()
		if err := b.scaling(slices.Max(sizes), big); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "\nreport written to %s\n", reportFile)
	return nil
}

func (b *bench) printf(format string, args ...any) { fmt.Fprintf(b.out, format, args...) }

// dropCaches empties the kernel's page cache (as root; elsewhere it says it could not)
// before the scaling runs: the parts before them leave gigabytes of both tools' output and
// corpora there, and after them the 100,000-page runs took 76.8, 60.8 and 45.7 s, against
// 39.0 to 39.2 s after a drop. The scaling corpora are generated after it, so the builds
// still read their sources from memory, as after any edit.
func dropCaches() {
	syscall.Sync()
	if err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("1"), 0); err != nil {
		fmt.Fprintf(os.Stderr, "page cache not dropped before the scaling runs: %v\n", err)
	}
}

// corpus generates the corpus of n pages; files counts its Markdown files (pages built).
func (b *bench) corpus(n int) (dir string, files int, err error) {
	dir = filepath.Join(b.work, fmt.Sprintf("corpus-%d", n))
	fmt.Fprintf(os.Stderr, "generating %d pages...\n", n)
	files, err = corpus.Generate(dir, n, 1)
	return dir, files, err
}

// oursCold builds dir with this generator into a new folder, with a new cache. The compiled
// self-check module, which a site with editions publishes, is kept from run to run: it is
// the Go toolchain's work (cached like Go's own build cache), not the site's.
func (b *bench) oursCold(dir string, i int) (sample, error) {
	b.oursOut = b.fresh("out-ours")
	cache := filepath.Join(b.work, fmt.Sprintf("cache-%d", i))
	b.discard(cache)
	modules := filepath.Join(b.work, "modules")
	if err := os.MkdirAll(modules, 0o755); err != nil {
		return sample{}, err
	}
	if err := os.MkdirAll(filepath.Join(cache, "affdocs"), 0o755); err != nil {
		return sample{}, err
	}
	if err := os.Symlink(modules, filepath.Join(cache, "affdocs", "modules")); err != nil {
		return sample{}, err
	}
	return b.oursBuild(dir, i)
}

// oursBuild builds dir with this generator into the last cold build's folder and with the
// cache numbered i (the one that build used), as they are.
func (b *bench) oursBuild(dir string, i int) (sample, error) {
	out := b.oursOut
	cache := filepath.Join(b.work, fmt.Sprintf("cache-%d", i))
	return b.time(exec.Command(b.ours, "build", "-src", dir, "-o", out), "XDG_CACHE_HOME="+cache)
}

// hugoCold builds dir with Hugo into a new folder, with a new cache.
func (b *bench) hugoCold(dir string, i int) (sample, error) {
	if b.hugo == "" {
		return sample{}, nil
	}
	b.hugoOut = b.fresh("out-hugo")
	cache := filepath.Join(b.work, fmt.Sprintf("hugo-cache-%d", i))
	b.discard(cache)
	b.discard(filepath.Join(dir, "resources"))
	return b.time(exec.Command(b.hugo, "--minify", "--quiet", "-s", dir, "-d", b.hugoOut, "--cacheDir", cache))
}

// rebuilds times, after a cold build of dir: ours with nothing changed, ours and Hugo's
// after a one-page edit.
func (b *bench) rebuilds(dir string, n int, cold, hugoCold series) ([]string, error) {
	if _, err := b.oursCold(dir, 0); err != nil { // the build the rebuilds start from
		return nil, err
	}
	var warm, edit, hugoEdit series
	page := filepath.Join(dir, filepath.FromSlash(corpus.PagePath(n, 1)))
	for i := range b.runs {
		s, err := b.oursBuild(dir, 0)
		if err != nil {
			return nil, err
		}
		warm = append(warm, s)
		if err := appendTo(page, fmt.Sprintf("\nEdit %d.\n", i)); err != nil {
			return nil, err
		}
		if s, err = b.oursBuild(dir, 0); err != nil {
			return nil, err
		}
		edit = append(edit, s)
		if b.hugo != "" {
			if s, err = b.time(exec.Command(b.hugo, "--minify", "--quiet", "-s", dir, "-d", b.hugoOut)); err != nil {
				return nil, err
			}
			hugoEdit = append(hugoEdit, s)
		}
	}
	row := func(what, tool string, s, cold series) string {
		m := s.median()
		return fmt.Sprintf("| %d | %s | %s | %.3f | %.1f%% |", n, what, tool, m.secs, 100*m.secs/cold.median().secs)
	}
	rows := []string{row("nothing changed", "ours", warm, cold), row("one page edited", "ours", edit, cold)}
	if b.hugo != "" {
		rows = append(rows, row("one page edited", "Hugo", hugoEdit, hugoCold))
	}
	return rows, nil
}

// sectionSizes times, for this generator and Hugo, a corpus of n pages whose leaf sections
// all hold 50 pages and one whose sections all hold 400, cold, alternating: a page's
// navigation must not cost more in a bigger section.
func (b *bench) sectionSizes(n int) error {
	b.printf("\n## Section size (%d pages, cold; every leaf section of one size)\n\n| pages per section | tool | median s | µs/page | peak RSS MB |\n|---:|---|---:|---:|---:|\n", n)
	type shape struct {
		size       int
		dir        string
		files      int
		ours, hugo series
	}
	shapes := []*shape{{size: 50}, {size: 400}}
	for _, sh := range shapes {
		sh.dir = filepath.Join(b.work, fmt.Sprintf("corpus-%d-by-%d", n, sh.size))
		fmt.Fprintf(os.Stderr, "generating %d pages in sections of %d...\n", n, sh.size)
		var err error
		if sh.files, err = corpus.GenerateShape(sh.dir, n, 1, []int{sh.size}); err != nil {
			return err
		}
	}
	for i := range b.runs {
		for _, sh := range shapes {
			s, err := b.oursCold(sh.dir, i)
			if err != nil {
				return err
			}
			sh.ours = append(sh.ours, s)
			if s, err = b.hugoCold(sh.dir, i); err != nil {
				return err
			}
			sh.hugo = append(sh.hugo, s)
		}
	}
	perPage := func(s series, files int) float64 { return s.median().secs / float64(files) * 1e6 }
	for _, sh := range shapes {
		o := sh.ours.median()
		b.printf("| %d | ours | %.2f | %.0f | %.0f |\n", sh.size, o.secs, perPage(sh.ours, sh.files), mb(o.rss))
		if b.hugo != "" {
			h := sh.hugo.median()
			b.printf("| %d | Hugo | %.2f | %.0f | %.0f |\n", sh.size, h.secs, perPage(sh.hugo, sh.files), mb(h.rss))
		}
		b.discard(sh.dir)
	}
	b.printf("\nTime per page with 400-page sections is **%.2fx** that with 50-page sections for this generator", perPage(shapes[1].ours, shapes[1].files)/perPage(shapes[0].ours, shapes[0].files))
	if b.hugo != "" {
		b.printf(", %.2fx for Hugo", perPage(shapes[1].hugo, shapes[1].files)/perPage(shapes[0].hugo, shapes[0].files))
	}
	b.printf(".\n")
	return nil
}

// editions times the 1,000-page corpus with 1 and 10 editions: cold, then after a draft
// edit (the frozen editions come from the cache).
func (b *bench) editions() error {
	b.printf("\n## Editions (this generator; 1,000-page corpus)\n\n| editions | pages built | cold median s | after a draft edit, median s |\n|---:|---:|---:|---:|\n")
	for _, k := range []int{1, 10} {
		dir, files, err := b.corpus(1000)
		if err != nil {
			return err
		}
		if err := corpus.Editions(dir, k); err != nil {
			return err
		}
		if k == 1 { // untimed: compiles and compresses the self-check module once
			if _, err := b.oursCold(dir, 0); err != nil {
				return err
			}
		}
		var cold, edit series
		for i := range b.runs {
			s, err := b.oursCold(dir, i)
			if err != nil {
				return err
			}
			cold = append(cold, s)
			if err := appendTo(filepath.Join(dir, filepath.FromSlash(corpus.PagePath(1000, 1))), fmt.Sprintf("\nEdit %d.\n", i)); err != nil {
				return err
			}
			if s, err = b.oursBuild(dir, i); err != nil {
				return err
			}
			edit = append(edit, s)
		}
		b.printf("| %d | %d | %.2f | %.2f |\n", k, files*(k+1), cold.median().secs, edit.median().secs)
		b.discard(dir)
	}
	return nil
}

// time runs cmd with extra environment variables and measures it.
func (b *bench) time(cmd *exec.Cmd, env ...string) (sample, error) {
	cmd.Env = append(append(os.Environ(), "GOCACHE="+b.gocache), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	syscall.Sync() // the last run's files go to disk now, not while this one runs
	start := time.Now()
	err := cmd.Run()
	secs := time.Since(start).Seconds()
	if err != nil {
		return sample{}, fmt.Errorf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, stderr.String())
	}
	s := sample{secs: secs}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.rss = ru.Maxrss
	}
	fmt.Fprintf(os.Stderr, "  %-60.60s %6.2fs %6.0f MB\n", strings.Join(cmd.Args, " "), s.secs, mb(s.rss))
	return s, nil
}

func appendTo(file, text string) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	return errors.Join(err, f.Close())
}

func mb(kb int64) float64 { return float64(kb) / 1024 }

// findHugo returns Hugo's path, installing Debian's package when it is missing and apt-get
// can run; "" when there is no Hugo.
func findHugo() string {
	if p, err := exec.LookPath("hugo"); err == nil {
		return p
	}
	if os.Geteuid() == 0 {
		fmt.Fprintln(os.Stderr, "hugo not found: apt-get install hugo")
		_ = exec.Command("apt-get", "update", "-qq").Run()
		_ = exec.Command("apt-get", "install", "-y", "-qq", "hugo").Run()
	}
	p, _ := exec.LookPath("hugo")
	return p
}

// machine describes the machine and the tools' versions.
func machine(hugo string) string {
	h := "Hugo: not installed"
	if hugo != "" {
		if v, err := exec.Command(hugo, "version").Output(); err == nil {
			h = strings.TrimSpace(strings.SplitN(string(v), " ", 3)[1])
			h = "Hugo " + h
		}
	}
	gov, _ := exec.Command("go", "env", "GOVERSION").Output()
	return fmt.Sprintf("%d CPUs, %s, %s (Debian package)", runtime.NumCPU(), strings.TrimSpace(string(gov)), h)
}

// scaling times this generator alone on the corpus of big pages and on that of ref pages,
// runs of the two alternating, so that the two times per page come from the same minutes of
// a shared machine.
func (b *bench) scaling(ref, big int) error {
	refDir, refFiles, err := b.corpus(ref)
	if err != nil {
		return err
	}
	dir, files, err := b.corpus(big)
	if err != nil {
		return err
	}
	var ours, small series
	for i := range b.runs {
		s, err := b.oursCold(dir, i)
		if err != nil {
			return err
		}
		ours = append(ours, s)
		if s, err = b.oursCold(refDir, i); err != nil {
			return err
		}
		small = append(small, s)
	}
	o, r := ours.median(), small.median()
	b.printf("\n## Scaling (this generator alone, runs of both sizes alternating)\n\n| pages | median s | µs/page | peak RSS MB |\n|---:|---:|---:|---:|\n")
	b.printf("| %d | %.2f | %.0f | %.0f |\n", ref, r.secs, r.secs/float64(refFiles)*1e6, mb(r.rss))
	b.printf("| %d | %.2f | %.0f | %.0f |\n", big, o.secs, o.secs/float64(files)*1e6, mb(o.rss))
	b.printf("\nTime per page at %d pages is **%.2fx** that at %d pages.\n", big, (o.secs/float64(files))/(r.secs/float64(refFiles)), ref)
	b.discard(dir)
	b.discard(refDir)
	return nil
}
