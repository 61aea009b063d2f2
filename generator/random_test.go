package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"affdocs/generator/devserver"
	"affdocs/generator/output"
	"affdocs/generator/site"
)

// The store must be invisible: whatever the legal team edits, in whatever order, the
// incremental build (the build command with its warm store and the output's manifest),
// serve's site (its memory store and last build) and a clean build with no store at all
// publish the same bytes. TestRandomEdits applies a seeded random sequence of edits to a
// copy of the real content and compares the three after every step; FuzzRandomEdits does
// the same for seeds the fuzzer picks (go test -fuzz FuzzRandomEdits ./generator).

func TestRandomEdits(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) { randomEdits(t, seed, 25) })
	}
}

func FuzzRandomEdits(f *testing.F) {
	f.Add(uint64(1))
	f.Fuzz(func(t *testing.T, seed uint64) { randomEdits(t, seed, 12) })
}

// themeFiles override the embedded theme so that layouts reach site data through with,
// variables, partials and other pages' text: what a dependency scan of template text
// would miss, and what rendering must record.
var themeFiles = map[string]string{
	"themes/default/layouts/page.html":  `{{define "main"}}<article>{{template "header" .}}{{.Content}}{{template "random" .}}</article>{{end}}`,
	"themes/default/layouts/steps.html": `{{define "main"}}<article class="steps">{{template "header" .}}{{.Content}}{{template "random" .}}</article>{{end}}`,
}

// partials are the versions of the partial the edits switch between.
var partials = []string{
	`{{define "random"}}<ul class="all">{{with .Site}}{{range .Pages}}<li>{{.Title}}</li>{{end}}{{end}}</ul>{{end}}`,
	`{{define "random"}}{{$s := .Site}}{{$h := $s.Home}}<p class="home">{{$h.Title}}: {{range $h.Pages}}{{.LinkTitle}} {{end}}</p>{{end}}`,
	`{{define "random"}}<p class="siblings">{{with .Parent}}{{range .Pages}}{{.Description}}; {{end}}{{end}}</p>{{end}}`,
	`{{define "random"}}<p class="clauses">{{range .Site.Pages}}{{if eq .Type "terms"}}{{.Title}} has {{len .Headings}} clauses. {{end}}{{end}}</p>{{end}}`,
}

// editor makes random edits to a site folder, as an editor, a theme author and the
// version command would.
type editor struct {
	t        testing.TB
	dir      string
	rng      *rand.Rand
	today    time.Time
	n        int
	added    []string // pages the editor added, which it may delete or rename
	editions int
}

func randomEdits(t *testing.T, seed uint64, steps int) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	e := &editor{t: t, dir: copyContent(t), rng: rand.New(rand.NewPCG(seed, 1)), today: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	for name, data := range themeFiles {
		writeSite(t, e.dir, name, data)
	}
	writeSite(t, e.dir, "themes/default/layouts/partials/random.html", partials[0])
	public := filepath.Join(t.TempDir(), "public")
	var serve, draft func([]string) (*site.Result, error)
	restartServe := func() { // serve's options are fixed for a session, the date with them
		serve, _ = devserver.SiteBuilder(e.dir, site.Options{Today: e.today, Salt: "random"})
		draft, _ = devserver.SiteBuilder(e.dir, site.Options{Today: e.today, Salt: "random", Draft: true})
	}
	restartServe()
	var log []string
	for step := range steps + 1 {
		what := "first build"
		if step > 0 {
			what = e.edit()
			if what == "move the date" {
				restartServe()
			}
		}
		log = append(log, what)
		fsys := os.DirFS(e.dir)
		opt := site.Options{Today: e.today, Salt: "random"}
		clean, cleanErr := site.Build(fsys, opt)
		_, err := publish(e.dir, public, opt, &bytes.Buffer{})
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("seed %d, after %s: %s", seed, strings.Join(log, ", "), fmt.Sprintf(format, args...))
		}
		if fmt.Sprint(err) != fmt.Sprint(cleanErr) {
			fail("the incremental build says %v; a clean build says %v", err, cleanErr)
		}
		served, serveErr := serve(nil)
		if fmt.Sprint(serveErr) != fmt.Sprint(cleanErr) {
			fail("serve says %v; a clean build says %v", serveErr, cleanErr)
		}
		cleanDraft, cleanDraftErr := site.Build(fsys, site.Options{Today: e.today, Draft: true})
		drafted, draftErr := draft(nil)
		if fmt.Sprint(draftErr) != fmt.Sprint(cleanDraftErr) {
			fail("serve's draft preview says %v; a clean build says %v", draftErr, cleanDraftErr)
		}
		if cleanErr != nil {
			continue // public/ keeps the last good build; serve its last good site
		}
		if diff := compareFiles(clean.Files, readTree(t, public)); diff != "" {
			fail("public/ differs from a clean build: %s", diff)
		}
		if diff := compareFiles(clean.Files, served.Files); diff != "" {
			fail("serve's site differs from a clean build: %s", diff)
		}
		if cleanDraftErr == nil {
			if diff := compareFiles(cleanDraft.Files, drafted.Files); diff != "" {
				if os.Getenv("RANDOM_DEBUG") != "" {
					for name, w := range cleanDraft.Files {
						if !bytes.Equal(w, drafted.Files[name]) {
							os.WriteFile("/tmp/want.html", w, 0o644)
							os.WriteFile("/tmp/got.html", drafted.Files[name], 0o644)
						}
					}
				}
				fail("serve's draft preview differs from a clean build: %s", diff)
			}
		}
	}
	t.Logf("seed %d: %s", seed, strings.Join(log, ", "))
}

// compareFiles describes how got differs from want, or returns "".
func compareFiles(want, got map[string][]byte) string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[name]
		switch {
		case !ok:
			out = append(out, name+" missing")
		case !bytes.Equal(g, want[name]):
			out = append(out, name+" differs")
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			out = append(out, name+" extra")
		}
	}
	slices.Sort(out)
	if len(out) > 5 {
		out = append(out[:5], fmt.Sprintf("and %d more", len(out)-5))
	}
	return strings.Join(out, "; ")
}

func readTree(t testing.TB, dir string) map[string][]byte {
	files := map[string][]byte{}
	for name, data := range snapshot(t.(*testing.T), dir) {
		if name != output.Marker {
			files[name] = []byte(data)
		}
	}
	return files
}

// pages lists the draft's Markdown files, slash paths relative to the site.
func (e *editor) pages() []string {
	var out []string
	root := filepath.Join(e.dir, "content")
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == "_editions" {
			return filepath.SkipDir
		}
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(e.dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

func (e *editor) pick(list []string) string { return list[e.rng.IntN(len(list))] }

func (e *editor) read(name string) string {
	data, err := os.ReadFile(filepath.Join(e.dir, filepath.FromSlash(name)))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(data)
}

func (e *editor) write(name, data string) { writeSite(e.t.(*testing.T), e.dir, name, data) }

// setField sets a front matter field of a page, adding it after the opening line.
func (e *editor) setField(name, key, value string) {
	src := e.read(name)
	re := regexp.MustCompile(`(?m)^` + key + `:.*$`)
	end := strings.Index(src[4:], "\n---") + 4
	if loc := re.FindStringIndex(src[:end]); loc != nil {
		src = src[:loc[0]] + key + ": " + value + src[loc[1]:]
	} else {
		src = "---\n" + key + ": " + value + "\n" + src[4:]
	}
	e.write(name, src)
}

// edit makes one random edit and says what it was.
func (e *editor) edit() string {
	e.n++
	n := e.n
	sections := []string{"content/", "content/alidropship/", "content/aliexpress/"}
	switch e.rng.IntN(14) {
	case 0, 1:
		p := e.pick(e.pages())
		e.write(p, e.read(p)+fmt.Sprintf("\nA sentence added by edit %d.\n", n))
		return "edit the text of " + p
	case 2:
		p := e.pick(e.pages())
		e.setField(p, "title", fmt.Sprintf("Retitled %d", n))
		return "retitle " + p
	case 3:
		p := e.pick(e.pages())
		if e.rng.IntN(2) == 0 {
			e.setField(p, "weight", fmt.Sprint(e.rng.IntN(20)))
			return "reorder " + p
		}
		e.setField(p, "description", fmt.Sprintf("Described by edit %d.", n))
		return "describe " + p
	case 4:
		e.write("themes/default/layouts/partials/random.html", e.pick(partials))
		return "change a partial"
	case 5:
		e.write("themes/default/static/assets/extra.css", fmt.Sprintf("p{margin:%dpx}\n", n))
		return "change a theme asset"
	case 6:
		cfg := e.read("content/_site.yaml")
		e.write("content/_site.yaml", regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(cfg, fmt.Sprintf("title: Guide %d", n)))
		return "retitle the site"
	case 7:
		p := fmt.Sprintf("%sextra-%d.md", e.pick(sections), n)
		e.write(p, fmt.Sprintf("---\ntitle: Extra %d\n---\n\nAn added page.\n\n## Part {#part}\n\nText.\n", n))
		e.added = append(e.added, p)
		return "add " + p
	case 8:
		if len(e.added) == 0 {
			return "nothing"
		}
		i := e.rng.IntN(len(e.added))
		p := e.added[i]
		os.Remove(filepath.Join(e.dir, filepath.FromSlash(p)))
		e.added = slices.Delete(e.added, i, i+1)
		return "delete " + p
	case 9:
		if len(e.added) == 0 {
			return "nothing"
		}
		i := e.rng.IntN(len(e.added))
		to := fmt.Sprintf("%srenamed-%d.md", e.pick(sections), n)
		if err := os.Rename(filepath.Join(e.dir, filepath.FromSlash(e.added[i])), filepath.Join(e.dir, filepath.FromSlash(to))); err != nil {
			e.t.Fatal(err)
		}
		from := e.added[i]
		e.added[i] = to
		return "rename " + from + " to " + to
	case 10:
		if e.editions >= 3 {
			e.today = e.today.AddDate(0, 0, 1+e.rng.IntN(40))
			return "move the date"
		}
		e.editions++
		id := fmt.Sprintf("e%d", e.editions)
		eff := e.today.AddDate(0, 0, e.rng.IntN(50)-10).Format(time.DateOnly)
		if code, _, stderr := runCmd("version", "cut", id, "-effective", eff, "-src", e.dir); code != 0 {
			e.t.Fatalf("version cut: exit %d\n%s", code, stderr)
		}
		return "cut " + id + " effective " + eff
	case 11:
		v := values[e.rng.IntN(len(values))]
		src := e.read(v.file)
		re := regexp.MustCompile(`(?m)^(  ` + v.name + `: ).*$`)
		if !re.MatchString(src) {
			e.t.Fatalf("%s has no value %s to edit", v.file, v.name)
		}
		e.write(v.file, re.ReplaceAllString(src, fmt.Sprintf("${1}%d", n)))
		return fmt.Sprintf("set %s to %d in %s", v.name, n, v.file)
	case 12:
		p, v := e.pick(e.pages()), values[e.rng.IntN(len(values))]
		e.write(p, e.read(p)+fmt.Sprintf("\nEdit %d says {{ %s.%s }}.\n", n, strings.TrimSuffix(strings.TrimPrefix(v.file, "content/"), "/_index.md"), v.name))
		return "insert " + v.name + " into " + p
	default:
		e.today = e.today.AddDate(0, 0, 1+e.rng.IntN(40))
		return "move the date"
	}
}

// values are values of the real content the edits change and insert into pages.
var values = []struct{ file, name string }{
	{"content/alidropship/_index.md", "reply_days_max"},
	{"content/aliexpress/_index.md", "min_promotion_words"},
}
