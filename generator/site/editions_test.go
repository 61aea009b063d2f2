package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"affdocs/generator/store"
	"affdocs/generator/versions"
	"golang.org/x/tools/txtar"
)

var editionsToday = time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)

// txtarFS loads a txtar archive of a whole site into memory.
func txtarFS(t testing.TB, file string) fstest.MapFS {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	return fsys
}

func buildEditions(t *testing.T, opt Options) map[string][]byte {
	t.Helper()
	res := buildEditionsResult(t, opt)
	if m, ok := opt.Output.(*MemOutput); ok {
		return m.Files
	}
	return res.Files
}

func buildEditionsResult(t *testing.T, opt Options) *Result {
	t.Helper()
	if opt.Today.IsZero() {
		opt.Today = editionsToday
	}
	opt.NoMinify = true
	res, err := Build(txtarFS(t, "testdata/editions.txtar"), opt)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return res
}

func page(t *testing.T, files map[string][]byte, name string) string {
	t.Helper()
	data, ok := files[name]
	if !ok {
		t.Fatalf("no output %s; have %v", name, slices.Sorted(maps.Keys(files)))
	}
	return string(data)
}

func mustContain(t *testing.T, name, doc string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(doc, w) {
			t.Errorf("%s: missing %q", name, w)
		}
	}
}

// TestEditionURLs protects the promise that URLs are stable forever: the current edition at
// the unversioned paths and at v/latest/, every edition at v/<ID>/, the draft unpublished.
func TestEditionURLs(t *testing.T) {
	files := buildEditions(t, Options{})
	for _, name := range []string{
		"index.html", "terms/index.html", "faq/index.html",
		"v/latest/terms/index.html", "v/2026-01/terms/index.html", "v/2026-01/old/index.html",
		"v/2026-06/terms/index.html", "v/2027-01/terms/index.html",
	} {
		page(t, files, name)
	}
	mustContain(t, "terms", page(t, files, "terms/index.html"), "every quarter by bank transfer")
	mustContain(t, "latest", page(t, files, "v/latest/terms/index.html"), "every quarter by bank transfer")
	if strings.Contains(page(t, files, "terms/index.html"), "Draft wording") {
		t.Error("the draft is published at the unversioned paths")
	}
	if _, ok := files["old/index.html"]; ok {
		t.Error("a page of an archived edition is published at the unversioned paths")
	}
	// Canonical links point at the current edition's unversioned path.
	for _, name := range []string{"v/2026-01/terms/index.html", "v/2027-01/terms/index.html", "v/latest/terms/index.html", "terms/index.html"} {
		mustContain(t, name, page(t, files, name), `<link rel="canonical" href="https://example.org/guide/terms/">`)
	}
	// A page that is not in the current edition is its own canonical.
	mustContain(t, "old", page(t, files, "v/2026-01/old/index.html"), `<link rel="canonical" href="https://example.org/guide/v/2026-01/old/">`)
}

// TestSwitcherAndBanners protects the reader's way between editions without JavaScript.
func TestSwitcherAndBanners(t *testing.T) {
	files := buildEditions(t, Options{})
	terms := page(t, files, "v/2026-06/terms/index.html")
	mustContain(t, "switcher on terms", terms,
		`<a href="../../../v/2027-01/terms/index.html">January 2027</a>`,
		`<a href="../../../v/2026-06/terms/index.html" aria-current="page">June 2026</a>`,
		`<a href="../../../v/2026-01/terms/index.html">January 2026</a>`)
	// FAQ does not exist in January 2026: the switcher falls back to that edition's home.
	mustContain(t, "switcher on faq", page(t, files, "faq/index.html"),
		`<a href="../v/2026-01/index.html">January 2026</a> <span class="status">(archived; this page is not in it)</span>`)

	archived := page(t, files, "v/2026-01/terms/index.html")
	mustContain(t, "archived banner", archived, `class="banner archived"`, `<a href="../../../terms/index.html">Read the current edition of this page</a>`)
	mustContain(t, "archived-only page banner", page(t, files, "v/2026-01/old/index.html"), `<a href="../../../index.html">Read the current edition of this page</a>`)

	upcoming := page(t, files, "v/2027-01/terms/index.html")
	mustContain(t, "upcoming banner", upcoming, `class="banner upcoming"`, `takes effect on <time datetime="2027-01-01">1 January 2027</time>`,
		`<a href="../../../v/2027-01/changes/terms/index.html">See what changes</a>`)
	// The current edition has no banner of its own; it announces the upcoming one, linking
	// to what changes on this page.
	current := page(t, files, "terms/index.html")
	if strings.Contains(current, `class="banner archived"`) || strings.Contains(current, `class="banner upcoming"`) {
		t.Error("the current edition shows an archived or upcoming banner")
	}
	mustContain(t, "upcoming notice", current, `class="banner notice"`, `takes effect on <time datetime="2027-01-01">1 January 2027</time>`,
		`<a href="../v/2027-01/changes/terms/index.html">see what changes on this page</a>`)
}

// TestRedline protects the exact words marked in a redline and the clause summary.
func TestRedline(t *testing.T) {
	files := buildEditions(t, Options{})
	june := page(t, files, "v/2026-06/changes/terms/index.html")
	mustContain(t, "june redline", june,
		"<del>month</del> <ins>quarter</ins>",
		"Changed: <a href=\"#payments\">",
		"Added: <a href=\"#cookies\">",
		"Removed: ",
	)
	jan27 := page(t, files, "v/2027-01/changes/terms/index.html")
	mustContain(t, "2027 redline", jan27, "<del>bank transfer</del> <ins>PayPal</ins>")
	if strings.Contains(jan27, "<del>Cookies") || strings.Contains(jan27, "<ins>Cookies") {
		t.Error("an unchanged clause is marked as changed")
	}
	// The change list of June 2026: terms changed, faq added, old removed.
	list := page(t, files, "v/2026-06/changes/index.html")
	mustContain(t, "change list", list,
		`<a href="../../../v/2026-06/changes/terms/index.html">Terms</a>`,
		`<h2 id="added">Pages added</h2><ul><li><a href="../../../v/2026-06/faq/index.html">FAQ</a>`,
		`<h2 id="removed">Pages removed</h2><ul><li><a href="../../../v/2026-01/old/index.html">Old page</a>`)
	if _, ok := files["v/2026-06/changes/faq/index.html"]; ok {
		t.Error("an added page has a redline")
	}
	// Consecutive pairs are the editions' own change lists; on 2027-02-01, when January 2027
	// is current, January 2026 against it is pre-generated too.
	mustContain(t, "compare", page(t, files, "v/compare/index.html"),
		`v/2026-06/changes/index.html`, `v/2027-01/changes/index.html`)
	if _, ok := files["v/compare/2026-01..2026-06/index.html"]; ok {
		t.Error("a consecutive pair is generated twice")
	}
	later := buildEditions(t, Options{Today: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)})
	mustContain(t, "compare with current", page(t, later, "v/compare/2026-01..2027-01/terms/index.html"),
		"<del>month</del> <ins>quarter</ins>", "<del>bank transfer</del> <ins>PayPal</ins>")
	mustContain(t, "compare index", page(t, later, "v/compare/index.html"), `v/compare/2026-01..2027-01/index.html`)
}

// TestVersionsJSON protects the published evidence of which text was published.
func TestVersionsJSON(t *testing.T) {
	files := buildEditions(t, Options{})
	var doc struct {
		Current  string
		Editions []versions.Edition
	}
	if err := json.Unmarshal(files["versions.json"], &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Current != "2026-06" {
		t.Errorf("current = %q", doc.Current)
	}
	var got []string
	for _, e := range doc.Editions {
		got = append(got, e.ID+" "+e.Status+" "+e.Path+" "+e.Effective+" "+e.Label)
	}
	want := []string{"2026-01 archived v/2026-01/ 2026-01-01 January 2026", "2026-06 current v/2026-06/ 2026-06-01 June 2026", "2027-01 upcoming v/2027-01/ 2027-01-01 January 2027"}
	if !slices.Equal(got, want) {
		t.Errorf("editions:\n got %q\nwant %q", got, want)
	}
	// Hashes are recomputable from the sources: each file's SHA-256, and the edition's over
	// "path NUL hash" lines.
	fsys := txtarFS(t, "testdata/editions.txtar")
	e := doc.Editions[1]
	all := sha256.New()
	for _, f := range e.Pages {
		sum := sha256.Sum256(fsys["content/_editions/2026-06/"+f.Source].Data)
		if hex.EncodeToString(sum[:]) != f.Hash {
			t.Errorf("%s: hash %s does not match the source", f.Source, f.Hash)
		}
		fmt.Fprintf(all, "%s\x00%s\n", f.Source, f.Hash)
	}
	if hex.EncodeToString(all.Sum(nil)) != e.Hash || len(e.Pages) != 3 {
		t.Errorf("edition hash %s does not match its %d files", e.Hash, len(e.Pages))
	}
}

// TestFeed protects the Atom feed affiliates subscribe to: valid XML, one entry per edition,
// newest first, with the change summary.
func TestFeed(t *testing.T) {
	files := buildEditions(t, Options{})
	type entry struct {
		Title   string `xml:"title"`
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content string `xml:"content"`
	}
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Entries []entry  `xml:"entry"`
	}
	if err := xml.Unmarshal(files["feed.xml"], &feed); err != nil {
		t.Fatalf("feed.xml is not Atom: %v", err)
	}
	if len(feed.Entries) != 3 || feed.Entries[0].ID != "https://example.org/guide/v/2027-01/" {
		t.Fatalf("entries: %+v", feed.Entries)
	}
	for _, e := range append(feed.Entries, entry{Updated: feed.Updated}) {
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("updated %q is not RFC 3339", e.Updated)
		}
	}
	june := feed.Entries[1]
	if june.Link.Href != "https://example.org/guide/v/2026-06/changes/" {
		t.Errorf("june link %q", june.Link.Href)
	}
	mustContain(t, "june entry", june.Content, "Pages changed", "Terms", "Pages added", "FAQ", "Pages removed", "Old page")
}

// TestEditionsWarmStore protects the store on a versioned site: a warm build renders
// nothing and equals a cold one byte for byte, and so does a build after a draft edit
// (which renders no edition's page); a damaged store or another generator's entries are
// never trusted.
func TestEditionsWarmStore(t *testing.T) {
	cold := buildEditions(t, Options{})
	st := store.Memory()
	first := buildEditions(t, Options{Store: st, Salt: "test"})
	out := &MemOutput{Prev: first}
	res := buildEditionsResult(t, Options{Store: st, Salt: "test", Output: out})
	if res.Stats.Rendered != 0 || res.Stats.Written != 0 {
		t.Errorf("warm build: %+v; want nothing rendered or written", res.Stats)
	}
	for name, files := range map[string]map[string][]byte{"first": first, "warm": out.Files} {
		if !maps.EqualFunc(cold, files, bytes.Equal) {
			t.Errorf("%s build differs from a build without a store", name)
		}
	}
	// Another generator never uses these entries: everything is rendered again.
	res = buildEditionsResult(t, Options{Store: st, Salt: "other", Output: &MemOutput{Prev: first}})
	if res.Stats.Rendered != res.Stats.Pages {
		t.Errorf("another generator: %d of %d pages rendered", res.Stats.Rendered, res.Stats.Pages)
	}
}

// sitePolicyDates are the snapshots of the site-policy corpus, oldest first.
var sitePolicyDates = []string{"2023-01-01", "2024-07-01", "2025-07-01"}

// sitePolicy is the site-policy corpus (../shared/corpora/site-policy: three dated
// snapshots of GitHub's policies, real legal Markdown) as a site of three editions, and
// each snapshot's files by path; the test is skipped without the corpus.
func sitePolicy(t testing.TB) (fstest.MapFS, map[string]map[string][]byte) {
	t.Helper()
	corpus := filepath.Join("..", "..", "..", "shared", "corpora", "site-policy")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("site-policy corpus not found at %s: %v", corpus, err)
	}
	fsys := fstest.MapFS{}
	sources := map[string]map[string][]byte{}
	for _, d := range sitePolicyDates {
		sources[d] = map[string][]byte{}
		root := filepath.Join(corpus, d)
		err := filepath.WalkDir(root, func(p string, de os.DirEntry, err error) error {
			if err != nil || de.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			data, err := os.ReadFile(p)
			sources[d][filepath.ToSlash(rel)] = data
			fsys["content/_editions/"+d+"/"+filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		fsys["content/_editions/"+d+"/edition.yaml"] = &fstest.MapFile{Data: []byte("effective: " + d + "\n")}
	}
	return fsys, sources
}

// sitePolicyToday is a day on which the newest snapshot is the current edition.
var sitePolicyToday = time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)

// TestSitePolicyEditions cuts the three dated snapshots of real legal Markdown as three
// editions: every changed file has a redline, unchanged files have none, the added file is
// listed as added.
func TestSitePolicyEditions(t *testing.T) {
	fsys, sources := sitePolicy(t)
	dates := sitePolicyDates
	res, err := Build(fsys, Options{LinksWarn: true, Today: sitePolicyToday})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	var added int
	for i := 1; i < len(dates); i++ {
		prev, cur := sources[dates[i-1]], sources[dates[i]]
		list := string(res.Files["v/"+dates[i]+"/changes/index.html"])
		for name, data := range cur {
			if !strings.HasSuffix(name, ".md") {
				continue
			}
			redline := "v/" + dates[i] + "/changes/" + sitePath(name) + "index.html"
			_, has := res.Files[redline]
			old, existed := prev[name]
			switch {
			case !existed:
				added++
				if has || !strings.Contains(list, `href="../../../v/`+dates[i]+"/"+sitePath(name)+`index.html"`) {
					t.Errorf("%s: added file %s not listed as added (redline %v)", dates[i], name, has)
				}
			case !bytes.Equal(old, data) && !has:
				t.Errorf("%s: changed file %s has no redline", dates[i], name)
			case bytes.Equal(old, data) && has:
				t.Errorf("%s: unchanged file %s has a redline", dates[i], name)
			}
			if has && !regexp.MustCompile(`<(ins|del)>`).Match(res.Files[redline]) && !bytes.Equal(old, data) {
				// A change outside the rendered text (front matter only) shows no marks; say so.
				t.Logf("%s: %s changed only outside the rendered text", dates[i], name)
			}
		}
	}
	if added == 0 {
		t.Error("the corpus has an added file between snapshots; none was found")
	}
}

// TestRealSiteWarmStore protects the real site's rebuild, whose editions have several
// redlines each: a second build with the same store renders no page (generated pages
// included, though they share a renderer and its navigation fragments) and writes nothing.
func TestRealSiteWarmStore(t *testing.T) {
	fsys := os.DirFS("../..")
	st := store.Memory()
	first := &MemOutput{}
	if _, err := Build(fsys, Options{Store: st, Output: first, Salt: "test"}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		out := first.Next()
		res, err := Build(fsys, Options{Store: st, Output: out, Salt: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stats.Rendered != 0 || res.Stats.Written != 0 {
			t.Errorf("warm build: %+v; want nothing rendered or written", res.Stats)
		}
		first = out
	}
}
