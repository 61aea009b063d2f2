package main

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"affdocs/generator/buildcache"
	"affdocs/generator/site"
	"affdocs/generator/versions"
)

// cmdVersion is `version cut ID [-effective YYYY-MM-DD] [-label TEXT] [-src DIR]` and
// `version list [-src DIR]`.
func cmdVersion(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "cut" && args[0] != "list" && args[0] != "record") {
		fmt.Fprint(stderr, "usage: generator version cut ID [-effective YYYY-MM-DD] [-label TEXT] [-src DIR]\n       generator version list [-src DIR]\n       generator version record ID [-src DIR]\n")
		return errUsage
	}
	fs := flags("version "+args[0], stderr)
	src := fs.String("src", ".", "site root")
	var effective, label *string
	sub, rest := args[0], args[1:]
	if sub == "cut" {
		effective = fs.String("effective", time.Now().Format(time.DateOnly), "date the edition takes effect, YYYY-MM-DD: the date its pages show; until then it is upcoming, announced on the current pages")
		label = fs.String("label", "", "human name of the edition (default: the ID)")
	}
	var id string
	if sub == "cut" || sub == "record" {
		if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
			fmt.Fprintf(stderr, "version %s needs an edition ID, such as 2026-11\n", sub)
			return errUsage
		}
		id, rest = rest[0], rest[1:]
	}
	if err := parse(fs, rest); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		return errUsage
	}
	fsys, err := sourceFS(*src)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return errUsage
	}
	contentDir := site.ContentDir(fsys)
	if sub == "list" {
		eds, errs := versions.Load(fsys, contentDir, time.Now())
		for _, e := range errs {
			fmt.Fprintln(stderr, e)
		}
		if len(eds) == 0 {
			fmt.Fprintln(stdout, "no editions yet: the site is the working draft (cut one with: generator version cut ID)")
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tLABEL\tEFFECTIVE\tSTATUS\tPAGES\tSHA-256")
		for _, e := range eds {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", e.ID, e.Label, e.Effective, e.Status, len(e.Pages), e.Hash[:16])
		}
		tw.Flush()
		if len(errs) > 0 {
			return exitStatus(1)
		}
		return nil
	}
	if sub == "record" {
		// An edition cut by an older generator records no hashes: record the files as they
		// are now, so that any later change to them is refused.
		data, err := versions.Record(fsys, contentDir, id)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return exitStatus(1)
		}
		file := filepath.Join(*src, contentDir, versions.Dir, id, versions.MetaFile)
		if err := os.WriteFile(file, data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "recorded the hashes of edition %s in %s\n", id, file)
		return nil
	}
	// Only a draft that passes check may be frozen: an edition is never edited afterwards.
	res, err := check(*src, site.Options{Salt: buildcache.ExecutableHash()}, stderr)
	if err := report(stderr, *src, res, err); err != nil {
		fmt.Fprintln(stderr, "fix the draft before cutting an edition")
		return err
	}
	// The day of the cut is recorded as the edition's publication date: the feed dates the
	// edition by it, never by an effective date still to come.
	today := time.Now().Format(time.DateOnly)
	files, err := versions.Cut(fsys, contentDir, id, *label, *effective, today)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitStatus(1)
	}
	// The edition is written into a staging folder and renamed into place: a full disk or a
	// killed command leaves no half edition for the next build to trip on.
	dest := filepath.Join(*src, contentDir, versions.Dir, id)
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	stage, err := os.MkdirTemp(filepath.Dir(dest), "."+id+".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage)
	prefix := path.Join(contentDir, versions.Dir, id) + "/"
	for name, data := range files {
		p := filepath.Join(stage, filepath.FromSlash(strings.TrimPrefix(name, prefix)))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return fmt.Errorf("edition %s not cut: %w", id, err)
		}
	}
	if err := os.Chmod(stage, 0o755); err != nil {
		return err
	}
	if err := os.Rename(stage, dest); err != nil {
		return fmt.Errorf("edition %s not cut: %w", id, err)
	}
	fmt.Fprintf(stdout, "cut edition %s (effective %s): %d files frozen in %s\n", id, *effective, len(files)-1,
		filepath.Join(*src, contentDir, versions.Dir, id))
	if *effective > today {
		fmt.Fprintf(stdout, "%s takes effect on %s: until then the site announces it on the current pages; it becomes current with the first build on or after that day (build daily: make publish)\n", id, *effective)
	}
	return nil
}
