package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"affdocs/generator/screening"
	"affdocs/generator/site"
)

// cmdScreen screens applications for reviewers with the same rules the self-check form
// runs: the rules.json the build publishes for the chosen edition (default: the one at the
// unversioned paths, the current edition).
//
// Each FILE (- is standard input) is read as [screening.DecodeAll] decides: if the whole
// file is one JSON value, it is one application however it is laid out (a pretty-printed
// one.json); otherwise it is JSON Lines, where an application ends at its line's end, so a
// truncated line cannot swallow the next one. Blank lines are skipped; an application whose
// first line is a lone "{" may run over several lines (pretty-printed objects one after
// another, as jq prints them). Each bad application is reported on stderr as
// FILE:LINE:COL: message and every good one is still screened; an unreadable or empty file
// is reported too, and any report makes the exit status 2.
//
// The JSON output (-format json) is byte for byte what the browser's selfCheck returns.
// The text table and the messages on stderr pass applicant text through
// [screening.Printable]: control characters, line breaks and bidirectional formatting
// characters are shown as Go escapes (\x1b, \n, \u202e), so the terminal shows one row
// per application and runs nothing.
func cmdScreen(args []string, stdout, stderr io.Writer) error {
	fs := flags("screen", stderr)
	src := fs.String("src", ".", "site root")
	edition := fs.String("edition", "", "edition ID whose rules apply (default: the current edition)")
	format := fs.String("format", "text", "text (a table) or json (one result per line)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintln(stderr, "-format must be text or json")
		return errUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: generator screen [-src DIR] [-edition ID] [-format text|json] FILE... (- is standard input)")
		return errUsage
	}
	rules, err := loadRules(*src, *edition, stderr)
	if err != nil {
		return err
	}
	bad := false
	var rows []screening.Row
	for _, name := range fs.Args() {
		var data []byte
		var err error
		if name == "-" {
			data, err = io.ReadAll(os.Stdin)
		} else {
			data, err = os.ReadFile(name)
		}
		if err != nil {
			fmt.Fprintln(stderr, screening.Printable(err.Error()))
			bad = true
			continue
		}
		items := screening.DecodeAll(data)
		if len(items) == 0 {
			fmt.Fprintf(stderr, "%s: no applications: the file is empty or only white space\n", screening.Printable(name))
			bad = true
		}
		for _, it := range items {
			if it.Err != nil {
				fmt.Fprintf(stderr, "%s:%s\n", screening.Printable(name), screening.Printable(it.Err.Error()))
				bad = true
				continue
			}
			r, ok := rules[it.App.Program]
			if !ok {
				fmt.Fprintf(stderr, "%s:%d:1: the site has no screening rules for program %q\n", screening.Printable(name), it.Line, it.App.Program)
				bad = true
				continue
			}
			if err := r.CheckChoices(&it.App); err != nil {
				fmt.Fprintf(stderr, "%s:%s\n", screening.Printable(name), screening.Printable(err.Error()))
				bad = true
				continue
			}
			res := screening.Screen(r, it.App)
			if *format == "json" {
				stdout.Write(append(screening.EncodeJSON(res), '\n'))
				continue
			}
			rows = append(rows, screening.Row{Source: fmt.Sprintf("%s:%d", name, it.Line), Applicant: cmp.Or(it.App.Username, it.App.Email), Result: res})
		}
	}
	if *format == "text" {
		if err := screening.WriteText(stdout, rows); err != nil {
			return err
		}
	}
	if bad {
		return exitStatus(2)
	}
	return nil
}

// loadRules builds the site (checks included, nothing written) and reads each program's
// rules.json for the edition.
func loadRules(src, edition string, stderr io.Writer) (map[string]screening.Rules, error) {
	res, err := site.Build(os.DirFS(src), site.Options{NoMinify: true})
	res.Warnings = nil // the site's warnings are build's and check's to say: screening reads only its rules
	if err := report(stderr, src, res, err); err != nil {
		return nil, err
	}
	prefix := ""
	if edition != "" {
		prefix = "v/" + edition + "/"
		if _, ok := res.Files[prefix+"index.html"]; !ok {
			fmt.Fprintf(stderr, "no edition %q (see: generator version list)\n", edition)
			return nil, errUsage
		}
	}
	rules := map[string]screening.Rules{}
	for name, data := range res.Files {
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok || path.Base(rest) != "rules.json" || strings.HasPrefix(rest, "v/") {
			continue
		}
		r, err := screening.ParseRules(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		rules[r.Program] = r
	}
	if len(rules) == 0 {
		return nil, fmt.Errorf("%s: the site has no rejection-reasons page with screening rules", src)
	}
	return rules, nil
}
