package site

import (
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strings"

	"affdocs/generator/source"
	"affdocs/generator/versions"
	"affdocs/generator/versions/yamlfile"
)

// Hosting is what a web host must do for the site beyond serving its files: the headers
// every response carries, how long a browser may keep each file, the page a missing
// address is answered with, the precompressed copies of the self-check module and the
// redirects of old addresses. It is the one description each host's configuration is
// written from (hostFiles): _headers and _redirects (Netlify, Cloudflare Pages),
// _hosting/nginx.conf and .htaccess (Apache). Paths are site paths ("assets/", "old/terms/")
// below Base.
type Hosting struct {
	Base      string     // the site's path on its host, from the baseURL: "/guide/"; "/" without one
	NotFound  string     // the page answered, with status 404, for any missing path
	Headers   []Header   // sent with every response, the 404 page's included
	Caches    []Cache    // Cache-Control by path: the first whose Prefix starts the path
	Encoded   []Encoded  // files published with precompressed copies
	Redirects []Redirect // old addresses, answered with a permanent redirect (301)
	Private   []string   // files for the host, not for readers ("_hosting/": a folder): answered 404
}

// Header is one response header.
type Header struct{ Name, Value string }

// Cache is the Cache-Control of the paths starting with Prefix ("" for every path).
type Cache struct{ Prefix, Control string }

// Encoded is a file with precompressed copies beside it, best first. The page's script asks
// for the copy named Fetched (".gz") by its name, which no host decodes or compresses on its
// own, and decompresses it itself; a host that can choose answers that name, too, with a
// better copy the browser accepts (sent with its Content-Encoding, which the browser decodes).
type Encoded struct {
	Path, Type string
	Copies     []Copy
	Fetched    string
}

// Copy is a precompressed copy: the file's name plus Suffix, sent with Content-Encoding.
type Copy struct{ Encoding, Suffix string }

// Redirect sends From to To. With Tree, From and To are folders and every path below From
// goes to the same path below To (v/latest/terms/ to terms/).
type Redirect struct {
	From, To string
	Tree     bool
}

// The cache lifetimes. Every file of assets/ is linked with ?v=<hash of its bytes>, so a
// changed file has a new URL and a browser may keep one for a year without asking; every
// other file (pages, rules.json, feed.xml) is asked for again each time, and answered 304
// Not Modified while unchanged: that is also Netlify's and Cloudflare Pages' own default.
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "public, max-age=0, must-revalidate"
)

// hosting is the site's description, for the tree published at the unversioned paths.
func (r *renderer) hosting(aliases []Redirect) *Hosting {
	h := &Hosting{
		Base:     basePath(r.site.Config.BaseURL),
		NotFound: "404.html",
		Headers: []Header{
			{"Content-Security-Policy", CSP + "; frame-ancestors 'none'"},
			{"X-Frame-Options", "DENY"}, // frame-ancestors for browsers that lack it
			{"X-Content-Type-Options", "nosniff"},
			{"Referrer-Policy", "no-referrer"},
			{"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
			{"Cross-Origin-Opener-Policy", "same-origin"},
		},
		Caches:    []Cache{{"assets/", cacheImmutable}, {"", cacheRevalidate}},
		Redirects: aliases,
		Private:   []string{"_headers", "_redirects", ".htaccess", "_hosting/", ".affdocs-output"},
	}
	if m := r.b.moduleCopies(); m != nil {
		h.Encoded = append(h.Encoded, *m)
	}
	if r.ed != nil && r.ed.Status == versions.Current { // v/latest/ is a copy of these paths
		h.Redirects = append(h.Redirects, Redirect{From: "v/latest/", To: "", Tree: true})
	}
	return h
}

// moduleCopies describes the self-check module's precompressed copies, nil without them.
func (b *builder) moduleCopies() *Encoded {
	const name = "assets/selfcheck.wasm"
	m := &Encoded{Path: name, Type: "application/wasm"}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.files[name] == nil {
		return nil
	}
	for _, c := range []Copy{{"br", ".br"}, {"gzip", ".gz"}} {
		if b.files[name+c.Suffix] != nil {
			m.Copies = append(m.Copies, c)
			if c.Encoding == "gzip" {
				m.Fetched = c.Suffix // themes/default/static/assets/selfcheck.js asks for it
			}
		}
	}
	if len(m.Copies) == 0 {
		return nil
	}
	return m
}

// basePath is the path of a baseURL, "/" without one.
func basePath(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Path == "" || baseURL == "" {
		return "/"
	}
	return u.Path
}

// hostFiles are the files written from the description, each for the hosts that read it.
var hostFiles = []struct {
	name  string
	write func(*Hosting) string
}{
	{"_headers", (*Hosting).netlifyHeaders},
	{"_redirects", (*Hosting).netlifyRedirects},
	{".htaccess", (*Hosting).htaccess},
	{"_hosting/nginx.conf", (*Hosting).nginx},
}

// url is the URL path of a site path, escaped: "/guide/old%20terms/".
func (h *Hosting) url(sitePath string) string {
	return (&url.URL{Path: h.Base}).EscapedPath() + urlPath(sitePath)
}

// local is the decoded path of a site path, as nginx and Apache match it: "/guide/old terms/".
func (h *Hosting) local(sitePath string) string { return h.Base + sitePath }

// cacheOf is the Cache-Control of a site path.
func (h *Hosting) cacheOf(sitePath string) string {
	for _, c := range h.Caches {
		if strings.HasPrefix(sitePath, c.Prefix) {
			return c.Control
		}
	}
	return ""
}

// froms is the addresses a redirect answers: a folder's and its index.html's.
func (r Redirect) froms() []string {
	if strings.HasSuffix(r.From, "/") && !r.Tree {
		return []string{r.From, r.From + "index.html"}
	}
	return []string{r.From}
}

const generatedBy = "Generated by affdocs from the site's hosting rules (generator/site/hosting.go);\n# edit those, not this file. "

// netlifyHeaders is _headers, read by Netlify and Cloudflare Pages at the root of what
// they publish. Its paths start at the host's root, so under a sub-path the file works
// once moved to that root. Both hosts give every response of two matching rules the
// headers of both (Cloudflare joins two values of one header with a comma), so
// Cache-Control is given only where it differs from their default.
func (h *Hosting) netlifyHeaders() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %sFor Netlify and Cloudflare Pages:\n# paths are from the host's root (this site is at %s). Files not named below keep\n# the host's default Cache-Control, %q.\n", generatedBy, h.Base, cacheRevalidate)
	fmt.Fprintf(&b, "%s*\n", h.url(""))
	for _, hd := range h.Headers {
		fmt.Fprintf(&b, "  %s: %s\n", hd.Name, hd.Value)
	}
	for _, c := range h.Caches {
		if c.Prefix != "" && c.Control != cacheRevalidate {
			fmt.Fprintf(&b, "%s*\n  Cache-Control: %s\n", h.url(c.Prefix), c.Control)
		}
	}
	for _, e := range h.Encoded {
		fmt.Fprintf(&b, "%s\n  Content-Type: %s\n", h.url(e.Path), e.Type)
	}
	return b.String()
}

// netlifyRedirects is _redirects (Netlify, Cloudflare Pages). Each old address also has a
// redirect page, which Netlify serves instead of the rule (a file shadows a rule there).
func (h *Hosting) netlifyRedirects() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %sFor Netlify and Cloudflare Pages:\n# paths are from the host's root (this site is at %s). A missing page is answered\n# with %s%s by both hosts, when this folder is what they publish.\n", generatedBy, h.Base, h.Base, h.NotFound)
	for _, r := range h.Redirects {
		if r.Tree {
			fmt.Fprintf(&b, "%s* %s:splat 301\n", h.url(r.From), h.url(r.To))
			continue
		}
		for _, from := range r.froms() {
			fmt.Fprintf(&b, "%s %s 301\n", h.url(from), h.url(r.To))
		}
	}
	return b.String()
}

// nginx is _hosting/nginx.conf, the site's part of an nginx server block. nginx sends the
// add_header lines of the innermost location that has any, so each location that sets a
// header repeats them all.
func (h *Hosting) nginx() string {
	var b strings.Builder
	fmt.Fprintf(&b, `# %sFor nginx:
# include it in a server { } block whose root holds this folder at %s
# (root /srv/www; with the site in /srv/www%s), then nginx -t && nginx -s reload,
# and again after each build that changes this file.
`, generatedBy, h.Base, h.Base)
	headers := func(indent, cache string, extra ...Header) {
		for _, hd := range append(append(h.Headers[:len(h.Headers):len(h.Headers)], Header{"Cache-Control", cache}), extra...) {
			fmt.Fprintf(&b, "%sadd_header %s %s always;\n", indent, hd.Name, nginxQuote(hd.Value))
		}
	}
	fmt.Fprintf(&b, "location ^~ %s {\n", nginxQuote(h.Base))
	fmt.Fprintf(&b, "    index index.html;\n    absolute_redirect off;\n")
	fmt.Fprintf(&b, "    error_page 404 %s;\n    error_page 403 =404 %s; # a folder without index.html\n", nginxQuote(h.url(h.NotFound)), nginxQuote(h.url(h.NotFound)))
	fmt.Fprintf(&b, "    gzip on;\n    gzip_vary on;\n    gzip_types text/css application/javascript text/javascript application/json application/xml application/atom+xml image/svg+xml text/plain;\n")
	headers("    ", h.cacheOf(""))
	for _, c := range h.Caches {
		if c.Prefix != "" {
			fmt.Fprintf(&b, "\n    location %s {\n", nginxQuote(h.local(c.Prefix)))
			headers("        ", c.Control)
			b.WriteString("    }\n")
		}
	}
	for _, e := range h.Encoded {
		// A copy better than gzip (brotli), for which nginx has no module built in: an
		// internal location sends it, for the file's name and for the fetched copy's.
		better := func(upTo string) {
			for _, c := range e.Copies {
				if c.Suffix == upTo {
					return
				}
				fmt.Fprintf(&b, "        if ($http_accept_encoding ~ %s) {\n            rewrite ^ %s last;\n        }\n", nginxQuote(`\b`+c.Encoding+`\b`), nginxQuote(h.url(e.Path+c.Suffix)))
			}
		}
		fmt.Fprintf(&b, "\n    # %s: a precompressed copy for a browser that accepts it\n    location = %s {\n", e.Path, nginxQuote(h.local(e.Path)))
		fmt.Fprintf(&b, "        types { }\n        default_type %s;\n", e.Type)
		better(".gz")
		b.WriteString("        gzip_static on;\n")
		headers("        ", h.cacheOf(e.Path))
		b.WriteString("    }\n")
		if e.Fetched != "" {
			fmt.Fprintf(&b, "    location = %s {\n", nginxQuote(h.local(e.Path+e.Fetched)))
			better(e.Fetched)
			headers("        ", h.cacheOf(e.Path), Header{"Vary", "Accept-Encoding"})
			b.WriteString("    }\n")
		}
		for _, c := range e.Copies {
			if c.Encoding == "gzip" {
				continue
			}
			fmt.Fprintf(&b, "    location = %s {\n        internal;\n        types { }\n        default_type %s;\n", nginxQuote(h.local(e.Path+c.Suffix)), e.Type)
			headers("        ", h.cacheOf(e.Path), Header{"Content-Encoding", c.Encoding}, Header{"Vary", "Accept-Encoding"})
			b.WriteString("    }\n")
		}
	}
	if len(h.Redirects) > 0 {
		b.WriteString("\n    # old addresses\n")
	}
	for _, r := range h.Redirects {
		if r.Tree {
			fmt.Fprintf(&b, "    location %s {\n        rewrite %s %s permanent;\n    }\n",
				nginxQuote(h.local(r.From)), nginxQuote("^"+regexp.QuoteMeta(h.local(r.From))+"(.*)$"), nginxQuote(nginxLiteral(h.url(r.To))+"$1"))
			continue
		}
		for _, from := range r.froms() {
			fmt.Fprintf(&b, "    location = %s { return 301 %s; }\n", nginxQuote(h.local(from)), nginxQuote(nginxLiteral(h.url(r.To))))
		}
	}
	b.WriteString("\n    # files for the host, not for readers\n")
	for _, p := range h.Private {
		op := "="
		if strings.HasSuffix(p, "/") {
			op = "^~"
		}
		fmt.Fprintf(&b, "    location %s %s { return 404; }\n", op, nginxQuote(h.local(p)))
	}
	b.WriteString("}\n")
	return b.String()
}

// nginxQuote is s as one quoted nginx argument.
func nginxQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// nginxLiteral keeps nginx from reading a variable in an escaped URL path: its $ is %24.
func nginxLiteral(u string) string { return strings.ReplaceAll(u, "$", "%24") }

// htaccess is .htaccess, read by Apache 2.4 in the folder it is in (AllowOverride
// FileInfo), with mod_headers, mod_mime, mod_rewrite and mod_alias.
func (h *Hosting) htaccess() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %sFor Apache 2.4\n# (AllowOverride FileInfo; mod_headers, mod_rewrite). This folder is served at %s.\n", generatedBy, h.Base)
	fmt.Fprintf(&b, "ErrorDocument 404 %s\n\n", h.url(h.NotFound)) // unquoted: quoted, it would be the text sent
	b.WriteString("<IfModule mod_headers.c>\n")
	for _, hd := range h.Headers {
		fmt.Fprintf(&b, "    Header always set %s %s\n", hd.Name, apacheQuote(hd.Value))
	}
	fmt.Fprintf(&b, "    Header always set Cache-Control %s\n", apacheQuote(h.cacheOf("")))
	for _, c := range h.Caches {
		if c.Prefix != "" {
			fmt.Fprintf(&b, "    <If \"%%{REQUEST_URI} =~ m#^%s#\">\n        Header always set Cache-Control %s\n    </If>\n",
				strings.ReplaceAll(regexp.QuoteMeta(h.local(c.Prefix)), "#", `\#`), apacheQuote(c.Control))
		}
	}
	b.WriteString("</IfModule>\n\n<IfModule mod_mime.c>\n")
	for _, e := range h.Encoded {
		fmt.Fprintf(&b, "    AddType %s %s\n", e.Type, path.Ext(e.Path))
		for _, c := range e.Copies {
			fmt.Fprintf(&b, "    AddEncoding %s %s\n", c.Encoding, c.Suffix)
		}
	}
	b.WriteString("</IfModule>\n\n<IfModule mod_rewrite.c>\n    RewriteEngine On\n")
	fmt.Fprintf(&b, "    RewriteBase %s\n", h.url(""))
	b.WriteString("    # a folder without index.html is missing, not forbidden\n    RewriteCond %{REQUEST_FILENAME} -d\n    RewriteCond %{REQUEST_FILENAME}/index.html !-f\n    RewriteRule ^ - [R=404,L]\n")
	for _, e := range h.Encoded {
		for _, c := range e.Copies {
			names := []string{e.Path}
			if e.Fetched != "" && c.Suffix != e.Fetched {
				names = append(names, e.Path+e.Fetched)
			}
			for _, name := range names {
				fmt.Fprintf(&b, "    # %s%s for %s, to a browser that accepts %s\n", e.Path, c.Suffix, name, c.Encoding)
				fmt.Fprintf(&b, "    RewriteCond %%{HTTP:Accept-Encoding} \\b%s\\b\n", c.Encoding)
				fmt.Fprintf(&b, "    RewriteRule ^%s$ %s [L]\n", regexp.QuoteMeta(name), e.Path+c.Suffix)
			}
		}
	}
	for _, p := range h.Private {
		switch {
		case strings.HasPrefix(p, ".ht"): // Apache refuses these itself
		case strings.HasSuffix(p, "/"):
			fmt.Fprintf(&b, "    RewriteRule ^%s - [R=404,L]\n", regexp.QuoteMeta(p))
		default:
			fmt.Fprintf(&b, "    RewriteRule ^%s$ - [R=404,L]\n", regexp.QuoteMeta(p))
		}
	}
	b.WriteString("</IfModule>\n")
	for _, e := range h.Encoded {
		fmt.Fprintf(&b, "\n<FilesMatch %s>\n    <IfModule mod_headers.c>\n        Header append Vary Accept-Encoding\n    </IfModule>\n</FilesMatch>\n",
			apacheQuote("^"+regexp.QuoteMeta(path.Base(e.Path))+"(\\.[a-z]+)?$"))
	}
	if len(h.Redirects) > 0 {
		b.WriteString("\n# old addresses\n")
	}
	for _, r := range h.Redirects {
		from, to := "^"+regexp.QuoteMeta(h.local(r.From)), h.url(r.To)
		switch {
		case r.Tree:
			from, to = from+"(.*)$", to+"$1"
		case strings.HasSuffix(r.From, "/"):
			from += `(index\.html)?$`
		default:
			from += "$"
		}
		fmt.Fprintf(&b, "RedirectMatch 301 %s %s\n", apacheQuote(from), apacheQuote(to))
	}
	return b.String()
}

// apacheQuote is s as one quoted Apache argument.
func apacheQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// placeholderBaseURL warns, at the baseURL in _site.yaml, while the baseURL names a host
// reserved for examples (example.org, example.com, example.net, *.example; RFC 2606): the
// canonical links, the sitemap, robots.txt, the feed and the 404 page's links are built
// from it. It is a warning, so a site can be tried before it has an address.
func (b *builder) placeholderBaseURL() {
	u, err := url.Parse(b.cfg.BaseURL)
	if err != nil || !isPlaceholderHost(u.Hostname()) {
		return
	}
	file := path.Join(b.contentDir, ConfigFile)
	line, col := configValuePos(b.fsys, file, "baseURL")
	b.ds.add(&Diagnostic{File: file, Line: line, Col: col, Warning: true, Msg: fmt.Sprintf(
		"baseURL %s is a placeholder: canonical links, the sitemap, robots.txt, the feed and the 404 page's links point there; set it to the address the site is published at", b.cfg.BaseURL)})
}

func isPlaceholderHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, d := range []string{"example.org", "example.com", "example.net", "example"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// configValuePos is the line and column of key's value in the settings file, 0, 0 when it
// cannot be read (the settings were read once already, and their errors reported then).
func configValuePos(fsys fs.FS, file, key string) (line, col int) {
	data, err := source.ReadFile(fsys, file, MaxConfigSize)
	if err != nil {
		return 0, 0
	}
	doc, problems := yamlfile.Parse(data, 1)
	if len(problems) > 0 || doc.Root == nil {
		return 0, 0
	}
	pairs, _ := yamlfile.Mapping(doc.Root)
	for _, kv := range pairs {
		if kv.Key == key {
			return doc.Pos(kv.Value)
		}
	}
	return 0, 0
}
