package redline

import (
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"identical", "<p>Apply within 30 days.</p>", "<p>Apply within 30 days.</p>",
			"<p>Apply within 30 days.</p>"},
		{"empty", "", "", ""},
		{"all added", "", "<p>New terms.</p>",
			"<p><ins>New terms.</ins></p>"},
		{"all removed", "<p>Old terms.</p>", "",
			"<p><del>Old terms.</del></p>"},
		{"insertion", "<p>Apply within 30 days.</p>", "<p>Apply within 30 business days.</p>",
			"<p>Apply within 30 <ins>business</ins> days.</p>"},
		{"deletion", "<p>Apply within 30 business days.</p>", "<p>Apply within 30 days.</p>",
			"<p>Apply within 30 <del>business</del> days.</p>"},
		{"replacement", "<p>We reply in 3 days.</p>", "<p>We reply in 4 days.</p>",
			"<p>We reply in <del>3</del> <ins>4</ins> days.</p>"},
		{"phrase replaced as one change", "<p>the old phrase here</p>", "<p>the new wording here</p>",
			"<p>the <del>old phrase</del> <ins>new wording</ins> here</p>"},
		{"changed link text", `<p>Read the <a href="/terms/">old terms</a> first.</p>`, `<p>Read the <a href="/terms/">program terms</a> first.</p>`,
			`<p>Read the <a href="/terms/"><del>old</del> <ins>program</ins> terms</a> first.</p>`},
		{"changed link target only", `<p>Read the <a href="/a/">terms</a>.</p>`, `<p>Read the <a href="/b/">terms</a>.</p>`,
			`<p>Read the <a href="/b/">terms</a>.</p>`},
		{"markup only", "<p>Same text.</p>", "<p>Same <strong>text</strong>.</p>",
			"<p>Same <strong>text</strong>.</p>"},
		{"white space only", "<p>x<br>y</p>", "<p>x\n  y</p>",
			"<p>x\n  y</p>"},
		{"entities", "<p>Fees &amp; charges apply.</p>", "<p>Fees &amp; costs apply.</p>",
			"<p>Fees &amp; <del>charges</del> <ins>costs</ins> apply.</p>"},
		{"entity changed", "<p>A &lt; B</p>", "<p>A &gt; B</p>",
			"<p>A <del>&lt;</del> <ins>&gt;</ins> B</p>"},
		{"entity and character alike", "<p>Tom&rsquo;s site &amp; blog</p>", "<p>Tom’s site &#38; blog</p>",
			"<p>Tom’s site &#38; blog</p>"},
		{"typographic apostrophe", "<p>Tom&rsquo;s site</p>", "<p>Tom&rsquo;s blog</p>",
			"<p>Tom&rsquo;s <del>site</del> <ins>blog</ins></p>"},
		{"number", "<p>Pay $1,000.50 now.</p>", "<p>Pay $1,500.50 now.</p>",
			"<p>Pay <del>$1,000.50</del> <ins>$1,500.50</ins> now.</p>"},
		{"code", "<p>Use <code>utm_source</code> links.</p>", "<p>Use <code>utm_campaign</code> links.</p>",
			"<p>Use <code><del>utm_source</del> <ins>utm_campaign</ins></code> links.</p>"},
		{"list item removed and added",
			"<ul>\n<li>Coupons</li>\n<li>Adult content</li>\n<li>Gambling</li>\n</ul>",
			"<ul>\n<li>Coupons</li>\n<li>Gambling</li>\n<li>Weapons</li>\n</ul>",
			"<ul>\n<li>Coupons</li>\n<li><del>Adult content</del></li>\n<li>Gambling</li>\n<li><ins>Weapons</ins></li>\n</ul>"},
		{"ordered list item inserted",
			"<ol>\n<li>Sign up.</li>\n<li>Wait.</li>\n</ol>",
			"<ol>\n<li>Sign up.</li>\n<li>Verify your email.</li>\n<li>Wait.</li>\n</ol>",
			"<ol>\n<li>Sign up.</li>\n<li><ins>Verify your email.</ins></li>\n<li>Wait.</li>\n</ol>"},
		{"list item changed", "<ul>\n<li>Own a site</li>\n</ul>", "<ul>\n<li>Own a public site</li>\n</ul>",
			"<ul>\n<li>Own a <ins>public</ins> site</li>\n</ul>"},
		{"table cell changed, row added",
			"<table>\n<tbody>\n<tr>\n<td>Site</td>\n<td>Live</td>\n</tr>\n</tbody>\n</table>",
			"<table>\n<tbody>\n<tr>\n<td>Site</td>\n<td>Live and public</td>\n</tr>\n<tr>\n<td>Posts</td>\n<td>Five</td>\n</tr>\n</tbody>\n</table>",
			"<table>\n<tbody>\n<tr>\n<td>Site</td>\n<td>Live <ins>and public</ins></td>\n</tr>\n<tr>\n<td><ins>Posts</ins></td>\n<td><ins>Five</ins></td>\n</tr>\n</tbody>\n</table>"},
		{"table row removed",
			"<table><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></table>",
			"<table><tr><td>a</td><td>3</td></tr></table>",
			"<table><tr><td>a</td><td><del>1</del> <ins>3</ins></td></tr><tr><td><del>b</del></td><td><del>2</del></td></tr></table>"},
		{"paragraph removed", "<p>First.</p>\n<p>Second.</p>\n<p>Third.</p>\n", "<p>First.</p>\n<p>Third.</p>\n",
			"<p>First.</p>\n<p><del>Second.</del></p>\n<p>Third.</p>\n"},
		{"paragraph replaced", "<p>A</p>", "<p>B</p>",
			"<p><del>A</del> <ins>B</ins></p>"},
		{"paragraph split", "<p>One. Two.</p>", "<p>One.</p>\n<p>Two.</p>",
			"<p>One.</p>\n<p>Two.</p>"},
		{"definitions", "<dl>\n<dt>How to fix</dt>\n<dd>Add a privacy page.</dd>\n<dt>When to reapply</dt>\n<dd>After 7 days.</dd>\n</dl>",
			"<dl>\n<dt>How to fix</dt>\n<dd>Add privacy and contact pages.</dd>\n<dt>When to reapply</dt>\n<dd>After 14 days.</dd>\n</dl>",
			"<dl>\n<dt>How to fix</dt>\n<dd>Add <del>a</del> privacy <del>page</del> <ins>and contact pages</ins>.</dd>\n<dt>When to reapply</dt>\n<dd>After <del>7</del> <ins>14</ins> days.</dd>\n</dl>"},
		{"deleted element keeps no duplicate id", `<h3 id="x">Old</h3><p>a</p>`, `<p>a</p><h3 id="x">Old</h3>`,
			`<h3><del>Old</del></h3><p>a</p><h3 id="x"><ins>Old</ins></h3>`},
		{"clause number not compared", `<h2><span class="clause-no">2</span> Fees</h2>`, `<h2><span class="clause-no">3</span> Fees</h2>`,
			`<h2><span class="clause-no">3</span> Fees</h2>`},
		{"reordered words", "<p>one two three four</p>", "<p>one three two four</p>",
			"<p>one <del>two</del> three <ins>two</ins> four</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Diff(tt.old, tt.new)
			if got != tt.want {
				t.Errorf("Diff(%q, %q)\n got %q\nwant %q", tt.old, tt.new, got, tt.want)
			}
			checkRedline(t, tt.old, tt.new, got)
		})
	}
}

func TestDiffNoMarksForSameText(t *testing.T) {
	page := benchPage(300, 0)
	for _, variant := range []string{
		page,
		strings.ReplaceAll(page, "\n", "\n\n"),
		strings.ReplaceAll(page, "<p>", "<p class=\"x\">"),
	} {
		if got := Diff(page, variant); strings.Contains(got, "<ins>") || strings.Contains(got, "<del>") {
			t.Errorf("Diff of the same text has marks: %.200q", got)
		}
	}
}

func TestTokenize(t *testing.T) {
	var got []string
	for _, tok := range tokenize(`<p class="a>b">It&rsquo;s 1,000.50 &amp; don't&nbsp;x<br/>y &foo</p><!-- c --><script>a<b</script>`) {
		got = append(got, tok.raw)
	}
	want := []string{`<p class="a>b">`, "It", "&rsquo;", "s", " ", "1,000.50", " ", "&amp;", " ", "don", "'", "t", "&nbsp;", "x", "<br/>", "y", " ", "&", "foo", "</p>", "<!-- c -->", "<script>", "a<b", "</script>"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("tokenize:\n got %q\nwant %q", got, want)
	}
}

func TestAttrs(t *testing.T) {
	tag := `<section class="clause" id="who-can-apply" data-x='1'>`
	if v, _ := getAttr(tag, "id"); v != "who-can-apply" {
		t.Errorf("id = %q", v)
	}
	if got := addClass(tag, ClassChanged); got != `<section class="clause redline-changed" id="who-can-apply" data-x='1'>` {
		t.Errorf("addClass = %s", got)
	}
	if got := addClass("<div>", ClassAdded); got != `<div class="redline-added">` {
		t.Errorf("addClass = %s", got)
	}
	if got := withoutAttr(tag, "id"); got != `<section class="clause" data-x='1'>` {
		t.Errorf("withoutAttr = %s", got)
	}
}
