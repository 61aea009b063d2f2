package site

import (
	"bytes"
	"path"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// minifier is the one minifier for every output type; layoutMinifier is the same for the
// theme's layouts, leaving their {{actions}} as written.
var minifier, layoutMinifier = newMinifier([2]string{}), newMinifier(html.GoTemplateDelims)

func newMinifier(delims [2]string) *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, TemplateDelims: delims})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFunc("application/javascript", js.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]xml$`), xml.Minify)
	return m
}

var mediaTypes = map[string]string{
	".html": "text/html", ".css": "text/css", ".js": "application/javascript",
	".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml",
}

// minifyFile minifies HTML, CSS, JS, SVG, JSON and XML; other files pass through.
func minifyFile(name string, data []byte) ([]byte, error) {
	mt, ok := mediaTypes[path.Ext(name)]
	if !ok {
		return data, nil
	}
	// The minifiers work in their input buffer (the CSS and JS ones rewrite it): give them a
	// copy, so the caller's bytes (a memo's, a cache's) stay as they were.
	return minifier.Bytes(mt, bytes.Clone(data))
}

// compactHTML removes from Markdown's HTML the whitespace the HTML minifier removes around
// block tags (the line breaks goldmark writes between blocks), in place, outside <pre>. It
// is for HTML the converter wrote itself, with no raw HTML in it: there every < starts a
// tag and every > ends one (text and attribute values are escaped). The minifier's other
// changes (entities, runs of spaces) are left: it takes a fifth of the minifier's time
// (BenchmarkStageMinify), and the minifier makes the same page of its output as of the
// HTML it was given (TestCompactHTML).
func compactHTML(b []byte) []byte {
	w := 0
	ws := -1           // where the trailing whitespace of the text just written starts, or -1
	afterBlock := true // the text that follows starts after a block tag (or the start)
	inPre := false
	for i := 0; i < len(b); {
		if b[i] == '<' {
			n := bytes.IndexByte(b[i:], '>') + 1
			if n == 0 {
				n = len(b) - i
			}
			name, closing := tagName(b[i+1 : i+n])
			block := blockTags[string(name)]
			if block && ws >= 0 && !inPre {
				w = ws
			}
			w += copy(b[w:], b[i:i+n])
			i += n
			if string(name) == "pre" {
				inPre = !closing
			}
			ws, afterBlock = -1, block
			continue
		}
		n := bytes.IndexByte(b[i:], '<')
		if n < 0 {
			n = len(b) - i
		}
		text := b[i : i+n]
		i += n
		if inPre {
			w += copy(b[w:], text)
			ws, afterBlock = -1, false
			continue
		}
		if afterBlock {
			text = bytes.TrimLeft(text, whitespace)
		}
		trimmed := bytes.TrimRight(text, whitespace)
		w += copy(b[w:], text)
		ws, afterBlock = -1, false
		if len(trimmed) < len(text) {
			ws = w - (len(text) - len(trimmed))
		}
	}
	if ws >= 0 && !inPre {
		w = ws
	}
	return b[:w]
}

// whitespace is what the minifier counts as whitespace in text.
const whitespace = " \t\n\r\f"

// tagName is the name of the tag whose text (after the <) is t, and whether it closes.
func tagName(t []byte) (name []byte, closing bool) {
	if len(t) > 0 && t[0] == '/' {
		t, closing = t[1:], true
	}
	n := 0
	for n < len(t) && (t[n] >= 'a' && t[n] <= 'z' || t[n] >= '0' && t[n] <= '9') {
		n++
	}
	return t[:n], closing
}

// blockTags are the tags the HTML minifier removes whitespace around (its blockTag trait)
// that Markdown's HTML has.
var blockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "br": true, "caption": true,
	"dd": true, "details": true, "div": true, "dl": true, "dt": true, "figcaption": true, "figure": true,
	"footer": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"header": true, "hr": true, "li": true, "main": true, "nav": true, "ol": true, "p": true,
	"pre": true, "section": true, "summary": true, "table": true, "tbody": true, "td": true,
	"tfoot": true, "th": true, "thead": true, "tr": true, "ul": true,
}
