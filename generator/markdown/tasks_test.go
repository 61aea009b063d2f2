package markdown

import (
	"regexp"
	"testing"
)

var taskKeyAttr = regexp.MustCompile(`data-task="([0-9a-f]{16})"`)

// TestTaskLabels protects checklist items as the theme uses them: each item's box and its
// text, links and emphasis included, are one <label>, with a nested list outside it, and a
// box's data-task key is the same for the same wording (white space and case aside) and
// differs when the wording changes.
func TestTaskLabels(t *testing.T) {
	conv := New(Config{})
	html := string(conv.Convert([]byte("- [ ] My **site** is live. ([Why](#why))\n  - [x] Nested\n\n- [ ] Loose\n"), Options{}).HTML)
	box := `<label class="task"><input type="checkbox" class="task" data-task="[0-9a-f]{16}"`
	for _, want := range []string{
		`<li>\n<p>` + box + `> My <strong>site</strong> is live. \(<a href="#why">Why</a>\)</label></p>\n<ul>\n`,
		`<li>` + box + ` checked> Nested</label></li>`,
		`<li>\n<p>` + box + `> Loose</label></p>\n</li>`,
	} {
		if !regexp.MustCompile(want).MatchString(html) {
			t.Errorf("HTML does not match %s:\n%s", want, html)
		}
	}

	key := func(src string) string {
		t.Helper()
		m := taskKeyAttr.FindStringSubmatch(string(conv.Convert([]byte(src), Options{}).HTML))
		if m == nil {
			t.Fatalf("%q: no data-task key", src)
		}
		return m[1]
	}
	same := key("- [ ] My email, checked for typos. ([Email](a.md))\n")
	if k := key("* [x] My  email,\n  checked for TYPOS. ([Email](b.md))\n"); k != same {
		t.Errorf("the same wording, ticked, rewrapped and linked elsewhere, has key %s; want %s", k, same)
	}
	if k := key("- [ ] My email address, checked for typos. ([Email](a.md))\n"); k == same {
		t.Errorf("a reworded item has the old wording's key %s", k)
	}
}
