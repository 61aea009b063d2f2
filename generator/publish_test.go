package main

import (
	"encoding/xml"
	"maps"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestPublishingStory is issue 13's publishing story, run with the real commands on a copy
// of the real content: an editor cuts an edition, changes a clause, cuts an upcoming
// edition and builds a month before it takes effect: the home page and the current pages
// announce it with its date and a link to what it changes (not to themselves), its own
// terms page shows one date, and the feed has no date after the build's day. Built again on
// its date, it is current and nothing announces it any more. Each build's public/ equals a
// clean build's.
func TestPublishingStory(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	dir := copyContent(t)
	public := filepath.Join(t.TempDir(), "public")
	cmd := func(args ...string) string {
		t.Helper()
		code, stdout, stderr := runCmd(args...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", strings.Join(args, " "), code, stderr)
		}
		return stdout
	}
	build := func(today string) (map[string]string, string) {
		t.Helper()
		said := cmd("build", "-src", dir, "-o", public, "-today", today, "-minify=false")
		clean := filepath.Join(t.TempDir(), "public")
		t.Setenv("XDG_CACHE_HOME", t.TempDir()) // a clean build: no store, no manifest
		cmd("build", "-src", dir, "-o", clean, "-today", today, "-minify=false")
		t.Setenv("XDG_CACHE_HOME", cache)
		got := snapshot(t, public)
		if !maps.Equal(got, snapshot(t, clean)) {
			t.Errorf("built on %s: public/ differs from a clean build's", today)
		}
		return got, said
	}

	cmd("version", "cut", "2026-11", "-effective", "2026-11-01", "-label", "November 2026", "-src", dir)
	writeOutReplyTime(t, dir)
	cmd("version", "cut", "2027-01", "-effective", "2027-01-01", "-label", "January 2027", "-src", dir)

	// A month before: 2026-11 is current, 2027-01 upcoming.
	site, said := build("2026-12-02")
	if !strings.Contains(said, "edition 2027-01 (January 2027) takes effect on 2027-01-01: the site shows 2026-11 as current until it is built on or after that day") {
		t.Errorf("build does not say when to build again:\n%s", said)
	}
	notice := regexp.MustCompile(`<div class="banner notice" role="note"><p>A new edition of this guide, <strong>January 2027</strong>, takes effect on <time datetime="2027-01-01">1 January 2027</time>\. [^<]*<a href="([^"]+)">`)
	for page, target := range map[string]string{
		"index.html":                             "v/2027-01/changes/index.html",
		"alidropship/terms/index.html":           "v/2027-01/changes/alidropship/terms/index.html",
		"aliexpress/terms/index.html":            "v/2027-01/changes/index.html", // unchanged: the change list
		"alidropship/requirements/index.html":    "v/2027-01/changes/index.html",
		"v/latest/alidropship/terms/index.html":  "v/2027-01/changes/alidropship/terms/index.html",
		"v/2026-11/alidropship/terms/index.html": "v/2027-01/changes/alidropship/terms/index.html",
	} {
		m := notice.FindStringSubmatch(site[page])
		if m == nil {
			t.Errorf("%s does not announce the January 2027 edition", page)
			continue
		}
		link := path.Join(path.Dir(page), m[1])
		if link != target || link == page {
			t.Errorf("%s: the notice links to %s, want %s", page, link, target)
		}
		if _, ok := site[link]; !ok {
			t.Errorf("%s: the notice links to %s, which was not built", page, link)
		}
	}
	upcoming := site["v/2027-01/alidropship/terms/index.html"]
	for _, m := range regexp.MustCompile(`<time datetime="([^"]+)">`).FindAllStringSubmatch(upcoming, -1) {
		if m[1] != "2027-01-01" {
			t.Errorf("the upcoming edition's terms show the date %s besides 2027-01-01", m[1])
		}
	}
	if !strings.Contains(upcoming, `This guide's edition of <time datetime="2027-01-01">1 January 2027</time>.`) {
		t.Error("the upcoming edition's terms do not show their edition's date as this guide's edition")
	}
	for _, name := range []string{"v/2027-01/index.html", "v/2027-01/alidropship/terms/index.html", "v/2027-01/changes/index.html"} {
		if strings.Contains(site[name], `class="banner notice"`) {
			t.Errorf("%s, a page of the upcoming edition, announces itself as upcoming", name)
		}
	}
	// Both editions were cut today (published:), so a build dated after today is updated today.
	cutDay := min(time.Now().Format(time.DateOnly), "2026-12-02")
	if updated := feedNotAfter(t, site["feed.xml"], "2026-12-02"); updated != cutDay+"T00:00:00Z" {
		t.Errorf("built on 2026-12-02, after both editions were cut on %s, the feed is updated %s", cutDay, updated)
	}

	// On its date: 2027-01 is current, 2026-11 archived, and nothing announces anything.
	site, said = build("2027-01-01")
	if strings.Contains(said, "takes effect") {
		t.Errorf("build on the edition's date still announces it:\n%s", said)
	}
	if !strings.Contains(site["alidropship/terms/index.html"], "three to four business days") {
		t.Error("on its date, the unversioned terms are not the January 2027 edition's")
	}
	if !strings.Contains(site["v/2026-11/alidropship/terms/index.html"], `class="banner archived"`) {
		t.Error("on its date, the November 2026 edition is not archived")
	}
	for name, doc := range site {
		if strings.Contains(doc, `class="banner notice"`) {
			t.Errorf("on its date, %s still announces an upcoming edition", name)
		}
	}
	if updated := feedNotAfter(t, site["feed.xml"], "2027-01-01"); updated != "2027-01-01T00:00:00Z" {
		t.Errorf("built on the day January 2027 took effect, the feed is updated %s", updated)
	}
}

// feedNotAfter fails the test when a date of the Atom feed is after day, and returns the
// feed's updated date.
func feedNotAfter(t *testing.T, feed, day string) string {
	t.Helper()
	var f struct {
		Updated string `xml:"updated"`
		Entries []struct {
			Published string `xml:"published"`
			Updated   string `xml:"updated"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(feed), &f); err != nil {
		t.Fatalf("feed.xml: %v", err)
	}
	dates := []string{f.Updated}
	for _, e := range f.Entries {
		dates = append(dates, e.Published, e.Updated)
	}
	for _, d := range dates {
		if d == "" || d > day+"T23:59:59Z" {
			t.Errorf("built on %s, the feed has the date %q", day, d)
		}
	}
	return f.Updated
}
