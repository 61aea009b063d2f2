package devserver

import (
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"affdocs/generator/site"
	"affdocs/generator/store"
)

// SiteBuilder returns the rebuild function for the site source folder root: site.Build with
// opt, the one pipeline every command runs, with a store in memory that lives as long as
// the server and the last good build's files as the output to keep unchanged files from.
// The pipeline itself decides what to redo; the paths the watcher saw are only logged. The
// second function describes the last rebuild's work, for the verbose log.
//
// The sources are read through an os.Root opened on root now, so a symlink that leads out
// of the folder is refused (the build reports it), never followed. Whether root is a site
// root (it has content/) or a bare folder of Markdown is decided now too, and kept: if
// content/ goes away (a branch switch, a deleted folder) the rebuild fails with a problem
// on content/, so the last good build stays served, and the site never turns into the whole
// folder (go.mod, the Go sources) published as bare Markdown: the build of a site root
// sees content/ and themes/ only. Likewise a content/ that appears in a bare folder is a
// problem until serve restarts.
func SiteBuilder(root string, opt site.Options) (rebuild func(changed []string) (*site.Result, error), stats func() string) {
	r, openErr := os.OpenRoot(root)
	var fsys fs.FS
	siteRoot := false
	if openErr == nil {
		fsys = r.FS()
		if siteRoot = site.ContentDir(fsys) == "content"; siteRoot {
			fsys = siteFS{fsys}
		}
	}
	opt.Store = store.Memory()
	last, good := site.Stats{}, &site.MemOutput{}
	return func(changed []string) (*site.Result, error) {
			if openErr != nil {
				return &site.Result{}, &site.Diagnostic{File: ".", Msg: fmt.Sprintf("cannot read the site folder: %v", openErr)}
			}
			if err := sameRoot(fsys, siteRoot); err != nil {
				return &site.Result{}, err
			}
			out := good.Next()
			o := opt
			o.Output = out
			res, err := site.Build(fsys, o)
			opt.Store.Prune()
			last = res.Stats
			if err := sameRoot(fsys, siteRoot); err != nil { // content/ came or went during the build
				return &site.Result{Warnings: res.Warnings, Stats: res.Stats}, err
			}
			if err == nil {
				good, res.Files = out, out.Files
			}
			return res, err
		}, func() string {
			return fmt.Sprintf("of %d pages: %d converted, %d rendered; %d files written, %d kept", last.Pages, last.Converted, last.Rendered, last.Written, last.Kept)
		}
}

// sameRoot reports a problem on content/ when the folder is no longer what it was when
// serve started: a site root that lost content/, or a bare folder that gained one.
func sameRoot(fsys fs.FS, siteRoot bool) error {
	if (site.ContentDir(fsys) == "content") == siteRoot {
		return nil
	}
	return rootProblem(siteRoot)
}

func rootProblem(siteRoot bool) error {
	if siteRoot {
		return &site.Diagnostic{File: "content/", Msg: "the folder is gone; restore it (serve was started on a site root, and serves nothing else of the folder)"}
	}
	return &site.Diagnostic{File: "content/", Msg: "this folder appeared after serve started on a bare folder of Markdown; remove it, or restart serve to serve the folder as a site root"}
}

// siteFS is a site root's sources as its build sees them: content/ and themes/, nothing
// else of the folder, so that not even a build that finds content/ gone halfway through
// can read the rest.
type siteFS struct{ fsys fs.FS }

// inside reports whether name is the root or lies in content/ or themes/.
func (s siteFS) inside(name string) bool {
	top, _, _ := strings.Cut(name, "/")
	return name == "." || top == "content" || top == "themes"
}

func notExist(op, name string) error { return &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist} }

func (s siteFS) Open(name string) (fs.File, error) {
	if name == "." || !s.inside(name) { // the root is listed through ReadDir only
		return nil, notExist("open", name)
	}
	return s.fsys.Open(name)
}

func (s siteFS) Stat(name string) (fs.FileInfo, error) {
	if !s.inside(name) {
		return nil, notExist("stat", name)
	}
	return fs.Stat(s.fsys, name)
}

func (s siteFS) ReadFile(name string) ([]byte, error) {
	if name == "." || !s.inside(name) {
		return nil, notExist("open", name)
	}
	return fs.ReadFile(s.fsys, name)
}

func (s siteFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !s.inside(name) {
		return nil, notExist("readdir", name)
	}
	ds, err := fs.ReadDir(s.fsys, name)
	if name == "." {
		ds = slices.DeleteFunc(ds, func(d fs.DirEntry) bool { return !s.inside(d.Name()) })
	}
	return ds, err
}

func (s siteFS) ReadLink(name string) (string, error) {
	if !s.inside(name) {
		return "", notExist("readlink", name)
	}
	return fs.ReadLink(s.fsys, name)
}

func (s siteFS) Lstat(name string) (fs.FileInfo, error) {
	if !s.inside(name) {
		return nil, notExist("lstat", name)
	}
	return fs.Lstat(s.fsys, name)
}
