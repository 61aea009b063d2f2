package site

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

// TestUpcomingNotice protects the announcement of an edition before it takes effect: every
// page of the current edition (and v/latest/, v/<ID>/) names the upcoming edition and its
// date and links to what it changes (this page's redline when the page changes, else the
// change list), never to itself; no other edition's page does, and on the edition's own
// date the notice is gone.
func TestUpcomingNotice(t *testing.T) {
	files := buildEditions(t, Options{}) // 1 July 2026: 2026-06 current, 2027-01 upcoming
	const date = `takes effect on <time datetime="2027-01-01">1 January 2027</time>`
	for name, link := range map[string]string{
		"index.html":                 `<a href="v/2027-01/changes/index.html">See what changes</a>`,
		"terms/index.html":           `<a href="../v/2027-01/changes/terms/index.html">see what changes on this page</a>`,
		"faq/index.html":             `This page stays as it is: <a href="../v/2027-01/changes/index.html">see what changes elsewhere</a>`,
		"v/latest/terms/index.html":  `<a href="../../../v/2027-01/changes/terms/index.html">see what changes on this page</a>`,
		"v/2026-06/index.html":       `<a href="../../v/2027-01/changes/index.html">See what changes</a>`,
		"v/2026-06/terms/index.html": `<a href="../../../v/2027-01/changes/terms/index.html">see what changes on this page</a>`,
	} {
		mustContain(t, name, page(t, files, name), `class="banner notice"`, "<strong>January 2027</strong>, "+date, link)
	}
	for _, name := range []string{"v/2026-01/terms/index.html", "v/2027-01/terms/index.html", "v/2027-01/changes/index.html", "v/compare/index.html", "404.html"} {
		if strings.Contains(page(t, files, name), `class="banner notice"`) {
			t.Errorf("%s announces the upcoming edition; only the current edition's pages do", name)
		}
	}

	onTheDay := buildEditions(t, Options{Today: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)})
	for name, doc := range onTheDay {
		if strings.HasSuffix(name, ".html") && strings.Contains(string(doc), `class="banner notice"`) {
			t.Errorf("%s still announces an edition on the day it took effect", name)
		}
	}
	mustContain(t, "terms on the day", page(t, onTheDay, "terms/index.html"), "every quarter by PayPal")
}

// TestEditionDate protects the one source of an edition's date: a terms page shows its
// edition's date (edition.yaml), as this guide's edition, whatever its front matter says;
// the working draft of a site without editions shows its front matter's.
func TestEditionDate(t *testing.T) {
	files := buildEditions(t, Options{})
	for name, day := range map[string]string{
		"terms/index.html":           `<time datetime="2026-06-01">1 June 2026</time>`,
		"v/2026-01/terms/index.html": `<time datetime="2026-01-01">1 January 2026</time>`,
		"v/2027-01/terms/index.html": `<time datetime="2027-01-01">1 January 2027</time>`,
	} {
		doc := page(t, files, name)
		mustContain(t, name, doc, `<p class="meta">This guide's edition of `+day+".")
		if strings.Contains(doc, "Effective ") {
			t.Errorf("%s shows a date as the programs' effective date", name)
		}
	}
	fsys := txtarFS(t, "testdata/editions.txtar")
	fsys["content/faq.md"] = fsys["content/_editions/2027-01/faq.md"] // the editions link to it
	draft, err := Build(fsys, Options{Today: editionsToday, Draft: true, NoMinify: true})
	if err != nil {
		t.Fatal(err)
	}
	doc := page(t, draft.Files, "terms/index.html")
	mustContain(t, "draft terms", doc, "Working draft: it takes the date of the edition it is cut as.")
	if strings.Contains(doc, "2027-01-01") {
		t.Error("the draft preview shows its front matter's date as an edition's")
	}
}

// TestFeedDates protects the feed from dates in the future: an edition is dated by the day
// it was cut (published:), or by its effective date capped at the build's day when that was
// not recorded, and updated on the day it takes effect; the same Today gives the same feed.
func TestFeedDates(t *testing.T) {
	type entry struct {
		Title     string `xml:"title"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
	}
	type atom struct {
		Updated string  `xml:"updated"`
		Entries []entry `xml:"entry"`
	}
	fsys := txtarFS(t, "testdata/editions.txtar")
	meta := fsys["content/_editions/2027-01/edition.yaml"]
	meta.Data = append(meta.Data, "published: 2026-06-20\n"...)
	for _, tc := range []struct {
		today, updated string
		entries        []string // newest first: title published updated
	}{
		{"2026-06-10", "2026-06-10", []string{
			"January 2027 2026-06-10 2026-06-10", // cut on 20 June, but built before: capped at today
			"June 2026 2026-06-01 2026-06-01",
			"January 2026 2026-01-01 2026-01-01",
		}},
		{"2026-07-01", "2026-06-20", []string{"January 2027 2026-06-20 2026-06-20", "June 2026 2026-06-01 2026-06-01", "January 2026 2026-01-01 2026-01-01"}},
		{"2027-01-01", "2027-01-01", []string{"January 2027 2026-06-20 2027-01-01", "June 2026 2026-06-01 2026-06-01", "January 2026 2026-01-01 2026-01-01"}},
	} {
		today, _ := time.Parse(time.DateOnly, tc.today)
		var docs [2][]byte
		for i := range docs {
			res, err := Build(fsys, Options{Today: today, NoMinify: true})
			if err != nil {
				t.Fatal(err)
			}
			docs[i] = res.Files["feed.xml"]
		}
		if string(docs[0]) != string(docs[1]) {
			t.Errorf("%s: two builds give two feeds", tc.today)
		}
		var feed atom
		if err := xml.Unmarshal(docs[0], &feed); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range feed.Entries {
			title, _, _ := strings.Cut(e.Title, " (")
			got = append(got, title+" "+strings.TrimSuffix(e.Published, "T00:00:00Z")+" "+strings.TrimSuffix(e.Updated, "T00:00:00Z"))
		}
		if strings.Join(got, "\n") != strings.Join(tc.entries, "\n") || feed.Updated != tc.updated+"T00:00:00Z" {
			t.Errorf("built on %s: updated %s, entries\n%s\nwant updated %s, entries\n%s", tc.today, feed.Updated, strings.Join(got, "\n"), tc.updated, strings.Join(tc.entries, "\n"))
		}
	}
}
