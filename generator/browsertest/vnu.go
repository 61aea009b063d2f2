package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// VNUJar is the path of vnu.jar inside node_modules.
const VNUJar = "vnu-jar/build/dist/vnu.jar"

// Message is one error the Nu HTML Checker reported.
type Message struct {
	File    string `json:"file"`    // local path of the checked file ("" if not a file)
	URL     string `json:"url"`     // as vnu reports it, e.g. file:/abs/path/index.html
	Type    string `json:"type"`    // "error", or "non-document-error" (I/O, internal)
	SubType string `json:"subType"` // e.g. "fatal", "io"
	Line    int    `json:"line"`    // last line of the problem (1-based; 0 if unknown)
	Column  int    `json:"column"`  // first column of the problem (1-based; 0 if unknown)
	Message string `json:"message"`
	Extract string `json:"extract"` // the source around the problem
}

// String formats the message as path:line:col: message, followed by the
// extract of the source on an indented line.
func (m Message) String() string {
	loc := m.File
	if loc == "" {
		loc = m.URL
	}
	s := fmt.Sprintf("%s:%d:%d: %s", loc, m.Line, m.Column, m.Message)
	if m.Type != "error" {
		s += " [" + m.Type + "]"
	}
	if m.Extract != "" {
		s += "\n    " + strings.ReplaceAll(m.Extract, "\n", "⏎")
	}
	return s
}

// FormatMessages formats messages for a test failure, one per line (plus
// extract), or "" when there are none.
func FormatMessages(ms []Message) string {
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("  ")
		b.WriteString(m.String())
	}
	return b.String()
}

// VNUOptions choose what [VNUWith] checks besides HTML.
type VNUOptions struct {
	CSS bool // also check *.css files (--also-check-css)
	SVG bool // also check *.svg files (--also-check-svg)
	// Filter, if set, is a Java regular expression: messages it matches
	// are dropped (--filterpattern).
	Filter string
}

// VNU runs the Nu HTML Checker (vnu.jar, errors only) on the given HTML
// files and folders (folders are searched recursively; files that are not
// *.html, *.htm, *.xhtml or *.xht are skipped) and returns its errors; none
// means every document is valid. The test fails if the checker cannot run;
// it is skipped (or fails under AFFDOCS_REQUIRE_TOOLS=1) when java or
// vnu.jar is missing.
//
// Typical use:
//
//	if ms := browsertest.VNU(t, publicDir); len(ms) > 0 {
//		t.Errorf("%d HTML errors:\n%s", len(ms), browsertest.FormatMessages(ms))
//	}
func VNU(t testing.TB, paths ...string) []Message {
	t.Helper()
	return VNUWith(t, VNUOptions{}, paths...)
}

// VNUWith is [VNU] with options, e.g. to check CSS and SVG files too.
func VNUWith(t testing.TB, opts VNUOptions, paths ...string) []Message {
	t.Helper()
	if _, err := JavaPath(); err != nil {
		missing(t, "HTML check skipped: java not found (apt-get install openjdk-17-jre-headless)")
	}
	if _, err := nodeModule(VNUJar); err != nil {
		missing(t, "HTML check skipped: %v", err)
	}
	ms, err := RunVNU(context.Background(), opts, paths...)
	if err != nil {
		t.Fatalf("vnu: %v", err)
	}
	return ms
}

// JavaPath returns $JAVA_HOME/bin/java if it exists, else java on PATH.
func JavaPath() (string, error) {
	if h := os.Getenv("JAVA_HOME"); h != "" {
		p := filepath.Join(h, "bin", "java")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return exec.LookPath("java")
}

// RunVNU is [VNUWith] without a testing.TB: it returns an error instead of
// failing or skipping.
func RunVNU(ctx context.Context, opts VNUOptions, paths ...string) ([]Message, error) {
	if len(paths) == 0 {
		return nil, errors.New("no files to check")
	}
	java, err := JavaPath()
	if err != nil {
		return nil, errors.New("java not found")
	}
	jar, err := nodeModule(VNUJar)
	if err != nil {
		return nil, err
	}
	// --skip-non-html skips what is not HTML, except the .css and .svg
	// files that --also-check-css and --also-check-svg ask for.
	args := []string{"-jar", jar, "--format", "json", "--errors-only", "--exit-zero-always", "--skip-non-html"}
	if opts.CSS {
		args = append(args, "--also-check-css")
	}
	if opts.SVG {
		args = append(args, "--also-check-svg")
	}
	if opts.Filter != "" {
		args = append(args, "--filterpattern", opts.Filter)
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(abs); err != nil {
			return nil, err
		}
		args = append(args, abs)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, java, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	// vnu writes its JSON report to stderr.
	var report struct {
		Messages []struct {
			Type        string `json:"type"`
			SubType     string `json:"subType"`
			URL         string `json:"url"`
			FirstLine   int    `json:"firstLine"`
			LastLine    int    `json:"lastLine"`
			FirstColumn int    `json:"firstColumn"`
			LastColumn  int    `json:"lastColumn"`
			Message     string `json:"message"`
			Extract     string `json:"extract"`
		} `json:"messages"`
	}
	out := bytes.TrimSpace(stderr.Bytes())
	if i := bytes.IndexByte(out, '{'); i >= 0 {
		out = out[i:]
	}
	if err := json.Unmarshal(out, &report); err != nil {
		if runErr != nil {
			return nil, fmt.Errorf("%s: %v\n%s%s", java, runErr, stdout.Bytes(), stderr.Bytes())
		}
		return nil, fmt.Errorf("reading vnu's JSON report: %v\n%s", err, stderr.Bytes())
	}
	if runErr != nil {
		return nil, fmt.Errorf("%s: %v\n%s", java, runErr, stdout.Bytes())
	}
	ms := make([]Message, 0, len(report.Messages))
	for _, r := range report.Messages {
		if r.Type != "error" && r.Type != "non-document-error" {
			continue
		}
		m := Message{
			URL: r.URL, Type: r.Type, SubType: r.SubType,
			Line: r.LastLine, Column: r.FirstColumn,
			Message: r.Message, Extract: r.Extract,
		}
		if u, err := url.Parse(r.URL); err == nil && u.Scheme == "file" {
			m.File = filepath.FromSlash(u.Path)
		}
		ms = append(ms, m)
	}
	return ms, nil
}
