// Package devserver is the live-editing server behind `generator serve`: it serves a built
// site from memory, watches the sources, rebuilds when they change and tells connected
// browsers what to do about it over Server-Sent Events.
//
// The pieces, from pure to effectful:
//
//   - [Diff] compares two builds' files and decides, per page, whether browsers update it
//     (in place, or by reloading it), swap a stylesheet in place, or do nothing.
//   - [Inject] adds the live-reload script to a page as it is served (never to what
//     `build` writes). The script is external, so the site's strict Content-Security-Policy
//     holds, and every URL it uses is relative, so the site may be served under any sub-path
//     or behind a proxy.
//   - [Server] holds the last good build and serves it: only files of the built site, with
//     the site's 404 page for anything else. A failed build keeps the last good site
//     served and shows its problems (path:line:col: message) in an overlay in every
//     connected browser until a good build clears it. It answers only requests whose Host
//     header names its own address ([Config.Hosts]); any other gets 403 on every path, the
//     event stream and the script included, so that a page of another site whose name
//     resolves to this machine (DNS rebinding) cannot read the draft.
//   - [Server.Watch] watches the sources with fsnotify, folders made later included. A
//     rebuild starts after 2ms without events and browsers hear of it after 10ms without
//     events; a change that overtakes a rebuild drops it and starts another. So one save
//     makes one update, and no change is lost.
//   - [SiteBuilder] is the rebuild function `serve` uses: site.Build with a store in
//     memory and the last good build's files, so that a rebuild reads only the files that
//     changed and renders only the pages they affect, and its output is still byte for byte
//     a full build's. It reads the sources through an os.Root, so a symlink leading out of
//     the site is refused, not followed. Whether the folder is a site root (it has content/)
//     or bare Markdown is decided once, at the start, by SiteBuilder and Watch alike: while
//     content/ is gone (a branch switch) a rebuild fails with a problem on content/ and the
//     last good site stays served; the rest of the folder (go.mod, Go sources) never is.
//
// The browser side (client/livereload.js) understands these events:
//
//	hello   the current build and its problems, on (re)connection
//	reload  pages whose HTML changed, or the page to follow to (-follow)
//	styles  stylesheets to swap without reloading
//	errors  the problems of a failed build, for the overlay
//	ok      the build is good again: clear the overlay
//
// A page whose HTML changed is reloaded in place: the script fetches the page again and
// applies to the live document only what differs between the version it was served and
// the new one, so scroll position, focus, form values and whatever the page's own scripts
// set up stay, and no script runs twice. It reloads the page when a patch cannot do that:
// the <head> changed (beyond the title, description and canonical link), the page's
// scripts changed, a changed element carries a data-* attribute that scripts read as they
// start, the page's scripts reshaped the part that changed, or the patch fails. The
// script's header comment has the details.
package devserver
