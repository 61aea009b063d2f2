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

// minifier is the one minifier for every output type.
var minifier = func() *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFunc("application/javascript", js.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]xml$`), xml.Minify)
	return m
}()

var mediaTypes = map[string]string{
	".html": "text/html", ".css": "text/css", ".js": "application/javascript",
	".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml",
}

// minifyAll minifies every HTML, CSS, JS, SVG, JSON and XML file in place, in parallel.
func minifyAll(files map[string][]byte, ds *diags) {
	var names []string
	for name := range files {
		if _, ok := mediaTypes[path.Ext(name)]; ok {
			names = append(names, name)
		}
	}
	out := make([][]byte, len(names))
	idx := make([]int, len(names))
	for i := range idx {
		idx[i] = i
	}
	parallel(idx, func(i int) {
		name := names[i]
		var b bytes.Buffer
		b.Grow(len(files[name]))
		if err := minifier.Minify(mediaTypes[path.Ext(name)], &b, bytes.NewReader(files[name])); err != nil {
			ds.add(&Diagnostic{File: name, Msg: "minify: " + err.Error()})
			return
		}
		out[i] = b.Bytes()
	})
	for i, name := range names {
		if out[i] != nil {
			files[name] = out[i]
		}
	}
}
