package markdown

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// testValues resolves the names the value tests use, and records what was asked.
func testValues(asked *[]string) func(string) (string, error) {
	vals := map[string]string{"days": "4", "program.name": "AliDropship", "markup": `<b>R&D</b> "x"`, "min": "3"}
	return func(name string) (string, error) {
		*asked = append(*asked, name)
		if v, ok := vals[name]; ok {
			return v, nil
		}
		return "", errors.New("no value " + fmt.Sprintf("%q", name))
	}
}

// TestValues protects {{ name }} in prose: it inserts the value's text wherever prose is
// parsed (paragraphs, emphasis, link text, next to punctuation, table cells, headings, task
// items), escaped as text, and never inside code; \{{ and a {{ left open are text.
func TestValues(t *testing.T) {
	tests := []struct {
		name, src, want string
		asked           []string // names passed to Options.Value
	}{
		{"paragraph", "Wait {{ days }} days.", "<p>Wait 4 days.</p>\n", []string{"days"}},
		{"no spaces, a dotted name", "Apply to {{program.name}}.", "<p>Apply to AliDropship.</p>\n", []string{"program.name"}},
		{"punctuation around", "({{ min }}–{{ days }}), **{{ days }}**, _{{ min }}_; {{ program.name }}'s team",
			"<p>(3–4), <strong>4</strong>, <em>3</em>; AliDropship&rsquo;s team</p>\n", []string{"min", "days", "days", "min", "program.name"}},
		{"link text", "[{{ program.name }} terms](https://example.com/)", "<p><a href=\"https://example.com/\">AliDropship terms</a></p>\n", []string{"program.name"}},
		{"escaped as text", "A {{ markup }}.", "<p>A &lt;b&gt;R&amp;D&lt;/b&gt; &quot;x&quot;.</p>\n", []string{"markup"}},
		{"code span untouched", "Type `{{ days }}` to insert it.", "<p>Type <code>{{ days }}</code> to insert it.</p>\n", nil},
		{"code block untouched", "```\n{{ days }}\n```\n\n    {{ min }}\n", "<pre><code>{{ days }}\n</code></pre>\n<pre><code>{{ min }}\n</code></pre>\n", nil},
		{"escaped braces", `Write \{{ days }} to insert a value.`, "<p>Write {{ days }} to insert a value.</p>\n", nil},
		{"escaped, then a value", `\{{{ days }}}`, "<p>{4}</p>\n", []string{"days"}},
		{"not closed on its line", "{{ days\n}} and { days }", "<p>{{ days\n}} and { days }</p>\n", nil},
		{"table cell", "| Program | Reply |\n|---|---|\n| {{ program.name }} | {{ min }} to {{ days }} days |\n",
			"<table>\n<thead>\n<tr>\n<th>Program</th>\n<th>Reply</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td data-label=\"Program\">AliDropship</td>\n<td data-label=\"Reply\">3 to 4 days</td>\n</tr>\n</tbody>\n</table>\n",
			[]string{"program.name", "min", "days"}},
		{"table header labels the cells", "| {{ program.name }} |\n|---|\n| yes |\n",
			"<table>\n<thead>\n<tr>\n<th>AliDropship</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td data-label=\"AliDropship\">yes</td>\n</tr>\n</tbody>\n</table>\n",
			[]string{"program.name"}},
		{"heading", "#### Wait {{ days }} days\n\n#### Reply in {{ days }} {#reply}\n",
			"<h4 id=\"wait--days--days\">Wait 4 days</h4>\n<h4 id=\"reply\">Reply in 4</h4>\n", []string{"days", "days"}},
	}
	conv := New(Config{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var asked []string
			doc := conv.Convert([]byte(tc.src), Options{Value: testValues(&asked)})
			if len(doc.Errors) > 0 {
				t.Errorf("errors: %v", doc.Errors)
			}
			if got := string(doc.HTML); got != tc.want {
				t.Errorf("HTML:\n%s\nwant:\n%s", got, tc.want)
			}
			if !slices.Equal(asked, tc.asked) {
				t.Errorf("Value asked for %q; want %q", asked, tc.asked)
			}
		})
	}
}

// TestValueTask protects a task item with a value: the item reads with the value, however
// the task's box and label are rendered.
func TestValueTask(t *testing.T) {
	var asked []string
	doc := New(Config{}).Convert([]byte("- [ ] I allow {{ min }} to {{ days }} days.\n"), Options{Value: testValues(&asked)})
	html := string(doc.HTML)
	if !strings.Contains(html, `type="checkbox"`) || !strings.Contains(html, "> I allow 3 to 4 days.</") || strings.Contains(html, "{{") {
		t.Errorf("task item:\n%s", html)
	}
	if len(doc.Errors) > 0 || !slices.Equal(asked, []string{"min", "days"}) {
		t.Errorf("errors %v, asked for %q", doc.Errors, asked)
	}
}

// TestValueHeadingText protects what a table of contents shows of a heading with a value:
// the value, and an anchor made from the name, which stays when the value changes (a
// heading that others link to is better given its own {#id}).
func TestValueHeadingText(t *testing.T) {
	var asked []string
	doc := New(Config{}).Convert([]byte("## Wait {{ days }} business days\n"), Options{Value: testValues(&asked)})
	want := []Heading{{Level: 2, ID: "wait--days--business-days", Text: "Wait 4 business days", Offset: 3}}
	if !slices.Equal(doc.Headings, want) {
		t.Errorf("headings %+v; want %+v", doc.Headings, want)
	}
}

// TestValueErrors protects the positions and words of a reference that names no value, or
// that is not a name: each is an Error at its {{, with the resolver's words or the fix.
func TestValueErrors(t *testing.T) {
	src := "Intro.\n\n- Wait {{ dayz }} days.\n\n| a |\n|---|\n| {{ reply days }} |\n"
	var asked []string
	doc := New(Config{}).Convert([]byte(src), Options{Value: testValues(&asked)})
	var got []string
	for _, e := range doc.Errors {
		l, c := at(src, e.Offset)
		got = append(got, fmt.Sprintf("%d:%d: %s", l, c, e.Msg))
	}
	want := []string{
		`3:8: no value "dayz"`,
		`7:3: "{{ reply days }}" is not a value reference: a value's name is letters, digits, _ and -, with dots between parts ({{ alidropship.reply_days_max }}); write \{{ for braces that are text`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if html := string(doc.HTML); !strings.Contains(html, "Wait {{ dayz }} days.") {
		t.Errorf("a reference in error is not shown as written:\n%s", html)
	}
}

// TestValuesOff protects callers that give no Value function (and every page converted
// before values existed): braces are text.
func TestValuesOff(t *testing.T) {
	doc := New(Config{}).Convert([]byte("Wait {{ days }} and {{ not a name }}.\n"), Options{})
	if got, want := string(doc.HTML), "<p>Wait {{ days }} and {{ not a name }}.</p>\n"; got != want || len(doc.Errors) > 0 {
		t.Errorf("HTML %q, errors %v; want %q and none", got, doc.Errors, want)
	}
}

// TestValueRef protects the one reader of the reference syntax, which plain strings of
// front matter share with prose (the site's expandValues).
func TestValueRef(t *testing.T) {
	for _, tc := range []struct {
		in   string
		name string
		size int
		bad  bool
	}{
		{"{{ a }} rest", "a", 7, false},
		{"{{a.b-c_d}}", "a.b-c_d", 11, false},
		{"{{\tgebühr }}", "gebühr", 13, false},
		{"{{ a b }}", "", 9, true},
		{"{{ a. }}", "", 8, true},
		{"{{ .a }}", "", 8, true},
		{"{{ a..b }}", "", 10, true},
		{"{{}}", "", 4, true},
		{"{{ a }", "", 0, false},
		{"{{ a\n}}", "", 0, false},
		{"{ a }}", "", 0, false},
	} {
		name, size, err := ValueRef(tc.in)
		if name != tc.name || size != tc.size || (err != nil) != tc.bad {
			t.Errorf("ValueRef(%q) = %q, %d, %v; want %q, %d, error %v", tc.in, name, size, err, tc.name, tc.size, tc.bad)
		}
	}
}
