package devserver

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"affdocs/generator/source"
	"github.com/fsnotify/fsnotify"
)

// Watch watches the site's sources until ctx ends and rebuilds when they change: content/
// (which holds the site config, content/_site.yaml) and themes/, every folder below them
// including folders made after the start; or, for a bare folder of Markdown, the whole
// folder but public/ and hidden folders. Which of the two the root is is decided when the
// watch starts and kept, as SiteBuilder keeps it: a site root whose content/ goes away is
// still watched as a site root, so the folder's return is seen.
//
// The events of one save (editors write, rename and chmod) arrive within a millisecond or
// two. A rebuild starts once the sources have been quiet for Config.Start (2ms), and browsers
// hear of it once they have been quiet for Config.Quiet (10ms): a change that arrives in
// between drops the rebuild, which is never shown, and starts another. So each save makes
// one update, built while the quiet window runs, and no change is ever lost.
func (s *Server) Watch(ctx context.Context) error {
	w, err := fsnotify.NewBufferedWatcher(1024)
	if err != nil {
		return err
	}
	defer w.Close()
	root := filepath.Clean(s.cfg.Root)
	wt := &watcher{fs: w, root: root, watched: map[string]bool{}, isBare: bareRoot(root)}
	if err := w.Add(wt.root); err != nil {
		return err
	}
	wt.watched[wt.root] = true
	wt.sync()

	var (
		pending   = map[string]bool{} // changed paths not yet rebuilt
		due       bool                // pending holds a change worth a rebuild
		resync    bool                // folders came or went: check the watches after the build
		lastEvent time.Time           // of the last change worth a rebuild
		building  bool
		overtaken bool   // a change came after the running rebuild started
		ready     *built // a rebuild waiting for the quiet window to end
		done      = make(chan built)
		startT    = stoppedTimer()
		showT     = stoppedTimer()
	)
	start := func() {
		changed := make([]string, 0, len(pending))
		for p := range pending {
			changed = append(changed, p)
		}
		slices.Sort(changed)
		pending, due, building, overtaken = map[string]bool{}, false, true, false
		go func() { done <- s.build(changed) }()
	}
	drop := func(b *built) { // a rebuild overtaken by a change: its paths go with the next one
		for _, p := range b.changed {
			pending[p] = true
		}
		due = true
		startT.Reset(s.cfg.Start)
	}
	for {
		select {
		case <-ctx.Done():
			if building {
				<-done
			}
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			rel, ok := wt.relevant(ev.Name)
			if !ok {
				continue
			}
			pending[rel] = true
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
					wt.addTree(ev.Name)
					resync = true
				}
			}
			if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				wt.forget(ev.Name)
				resync = true
			}
			if source.Scratch(filepath.Base(ev.Name)) {
				continue
			}
			due, lastEvent = true, time.Now()
			overtaken = overtaken || building
			if ready != nil {
				showT.Stop()
				drop(ready)
				ready = nil
			}
			startT.Reset(s.cfg.Start)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) { // events were lost: rebuild everything
				pending["."], due, resync, lastEvent = true, true, true, time.Now()
				overtaken = overtaken || building
				startT.Reset(s.cfg.Start)
			}
			fmt.Fprintf(s.cfg.Log, "watching: %v\n", err)
		case <-startT.C:
			if due && !building && ready == nil {
				start()
			}
		case b := <-done:
			building = false
			if resync {
				resync = false
				for _, dir := range wt.sync() { // folders made before their watch: files unseen
					pending[dir], due, overtaken = true, true, true
				}
			}
			if overtaken {
				drop(&b)
				continue
			}
			if wait := time.Until(lastEvent.Add(s.cfg.Quiet)); wait > 0 {
				ready = &b
				showT.Reset(wait)
				continue
			}
			s.apply(b)
			if due {
				startT.Reset(s.cfg.Start)
			}
		case <-showT.C:
			if ready != nil {
				s.apply(*ready)
				ready = nil
				if due {
					startT.Reset(s.cfg.Start)
				}
			}
		}
	}
}

func stoppedTimer() *time.Timer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}

// watcher keeps an fsnotify watch on every folder of the sources.
type watcher struct {
	fs      *fsnotify.Watcher
	root    string
	watched map[string]bool // folders with a watch; only the Watch loop and sync touch it
	isBare  bool            // the root had no content/ when the watch started
}

// relevant turns an event's file name into a source path (slash, relative to the root)
// when it is one the site is built from.
func (wt *watcher) relevant(name string) (string, bool) {
	rel, err := filepath.Rel(wt.root, name)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	top, _, _ := strings.Cut(rel, "/")
	if wt.bare() {
		return rel, !source.Scratch(top) && top != "public"
	}
	return rel, top == "content" || top == "themes"
}

// bare reports whether the root is a folder of Markdown rather than a site root, as it was
// when the watch started: a site root whose content/ goes away is still watched as one.
func (wt *watcher) bare() bool { return wt.isBare }

// bareRoot reports whether the folder root has no content/ folder.
func bareRoot(root string) bool {
	fi, err := os.Stat(filepath.Join(root, "content"))
	return err != nil || !fi.IsDir()
}

// sync adds a watch to every source folder that lacks one (a folder made, or moved in,
// while its parent was not yet watched) and returns those folders as source paths: files
// in them may have changed unseen.
func (wt *watcher) sync() []string {
	tops := []string{"content", "themes"}
	if wt.bare() {
		tops = []string{"."}
	}
	var missed []string
	for _, top := range tops {
		dir := filepath.Join(wt.root, top)
		if _, err := os.Stat(dir); err != nil {
			continue
		}
		for _, d := range wt.addTree(dir) {
			if rel, ok := wt.relevant(d); ok {
				missed = append(missed, rel)
			}
		}
	}
	return missed
}

// addTree watches dir and every folder below it, and returns the folders newly watched.
func (wt *watcher) addTree(dir string) []string {
	var added []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != wt.root && (source.Scratch(d.Name()) || p == filepath.Join(wt.root, "public")) {
			return filepath.SkipDir
		}
		if wt.watched[p] || p == wt.root {
			return nil
		}
		if err := wt.fs.Add(p); err == nil {
			wt.watched[p] = true
			added = append(added, p)
		}
		return nil
	})
	return added
}

// forget drops the watches of a folder that was removed or moved away, and of the folders
// below it; the folder's new name, if any, arrives as a Create event.
func (wt *watcher) forget(name string) {
	for p := range wt.watched {
		if p == name || strings.HasPrefix(p, name+string(filepath.Separator)) {
			delete(wt.watched, p)
			_ = wt.fs.Remove(p)
		}
	}
}
