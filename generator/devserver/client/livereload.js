// Live reload for `generator serve`; the server adds this script to every page it serves,
// never to what `build` writes. It finds the event stream next to itself, so it works
// under any sub-path and behind a proxy, and it uses no inline code or style, so the
// site's Content-Security-Policy (script-src 'self'; style-src 'self') holds.
//
// Reload in place. When the open page's HTML changes, the page is patched, not reloaded:
// the script keeps the page as it was served (fetched once, as the page starts), fetches
// the new version, and applies to the live document only what differs between the two
// (text, attributes, elements added, removed or replaced). So wherever the HTML did not
// change, everything stays as it was: scroll position, focus, typed text, ticked boxes,
// what the page's scripts built or opened, their event listeners; and no script runs
// twice. A form control that had to be replaced gets the live value of the control it
// replaces (same id or name). The page reloads instead when
//   - its <head> changed beyond its title, description, canonical link and stylesheet
//     versions (a stylesheet or script added, another CSP);
//   - its scripts changed;
//   - a changed element carries a data-* attribute (data-label aside, which only CSS
//     reads): the page's scripts find what they set up by those when they start
//     (checklist ticks, the self-check's rules), so a patch would leave them stale;
//   - where the HTML changed, the live page no longer has the shape it was served with
//     (a script rebuilt that part);
//   - it loaded a file that changed (an image, a script), or missed a rebuild while
//     disconnected;
//   - the page now answers another status or redirects, or anything fails.
// A changed stylesheet is swapped for its new version (cache-busted) without reloading.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.EventSource) return;
  var root = new URL(".", script.src); // where the site is mounted
  var file = script.getAttribute("data-file"); // this page's output file, "a/b/index.html"
  var build = script.getAttribute("data-build"); // the build this page comes from
  var overlayID = "livereload-overlay";

  // served is the page as served, parsed: what the live document was made from, or null
  // when that is not known (it was rebuilt before the copy was fetched).
  var served = (file ? fetchPage() : Promise.resolve(null)).then(function (doc) {
    return doc && buildOf(doc) === build ? doc : null;
  }, function () { return null; });
  var updates = Promise.resolve(); // updates run one after the other
  var leaving = false;

  var source = new EventSource(new URL("__livereload", root));
  function on(name, f) {
    source.addEventListener(name, function (e) { f(JSON.parse(e.data)); });
  }

  on("hello", function (m) {
    if (m.build && build && m.build !== build) { // missed a rebuild while away
      reload("it missed a rebuild");
      return;
    }
    if (m.errors && m.errors.length) showErrors(m.errors); else hideErrors();
  });
  on("reload", function (m) {
    if (m.follow && file !== m.follow + "index.html") {
      location.href = new URL(m.follow, root).href;
      return;
    }
    if (m.all || (m.files && file && m.files.indexOf(file) >= 0)) update(m.shown || []);
  });
  on("styles", function (m) {
    var urls = {};
    for (var name in m.styles) urls[name] = new URL(m.styles[name], root).href;
    swapStyles(urls);
  });
  on("errors", function (m) { showErrors(m.errors || []); });
  on("ok", function () { hideErrors(); });

  // update brings the page up to date: patched in place, or reloaded when it cannot be or
  // when it loaded one of the changed files (site paths of images, scripts...).
  function update(changed) {
    updates = updates.then(function () {
      if (leaving) return;
      if (loaded(changed)) return reload("a file it shows changed");
      return Promise.all([served, fetchPage()]).then(function (docs) {
        var why = !docs[0] ? "the page it was served as is not known" :
          !docs[1] ? "its address now answers something else" : patchPage(docs[0], docs[1]);
        if (why) return reload(why);
        served = Promise.resolve(docs[1]);
        build = buildOf(docs[1]) || build;
      });
    }).catch(function (e) { reload((e && e.message) || String(e)); });
  }

  function loaded(names) {
    return names.length > 0 && performance.getEntriesByType("resource").some(function (e) {
      return names.indexOf(siteName(new URL(e.name))) >= 0;
    });
  }

  function reload(why) {
    leaving = true;
    console.info("live reload: reloading the page: " + why);
    location.reload();
  }

  // fetchPage is the page's current HTML, parsed, or null when its address now redirects
  // or answers another status than it was served with.
  function fetchPage() {
    return fetch(location.href, { cache: "no-store" }).then(function (res) {
      if (res.redirected || res.status !== (file === "404.html" ? 404 : 200)) return null;
      return res.text().then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
    });
  }

  function buildOf(doc) {
    var s = doc.querySelector("script[data-build]");
    return s && s.getAttribute("data-build");
  }

  // isOurs reports whether el is this script or its overlay, which no patch compares.
  function isOurs(el) {
    return el.id === overlayID ||
      el.tagName === "SCRIPT" && /__livereload\.js$/.test(el.getAttribute("src") || "");
  }

  // patchPage applies to the live document what changed between old and next, two
  // versions of the page as served. It returns why the page must reload instead, or ""; it
  // throws when the patch cannot be made (the page then reloads too).
  function patchPage(old, next) {
    if (headKey(old) !== headKey(next)) return "its <head> changed";
    if (scriptsKey(old) !== scriptsKey(next)) return "its scripts changed";
    var x = window.scrollX, y = window.scrollY;
    var st = { saved: {}, focus: null, added: [] };
    syncAttributes(document.documentElement, old.documentElement, next.documentElement);
    morph(document.body, old.body, next.body, st);
    restore(st);
    document.title = next.title;
    headExtras.forEach(function (sel) { syncOne(document.head, sel, next.head.querySelector(sel)); });
    var urls = {};
    Array.prototype.forEach.call(next.querySelectorAll(stylesheets), function (link) {
      var url = new URL(link.getAttribute("href"), location.href);
      urls[siteName(url)] = url.href;
    });
    swapStyles(urls);
    window.scrollTo(x, y); // scroll anchoring may have moved it
    return "";
  }

  var stylesheets = 'link[rel~="stylesheet"]';
  var headExtras = ['meta[name="description"]', 'link[rel="canonical"]']; // patched, not reloaded

  // headKey is what of a page's <head> a patch cannot change: all but the title, the
  // extras, this script (whose build changes every time) and stylesheet versions.
  function headKey(doc) {
    return Array.prototype.map.call(doc.head.children, function (el) {
      if (isOurs(el) || el.matches("title, " + headExtras.join())) return "";
      return el.matches(stylesheets) ? el.outerHTML.replace(/\.css\?v=[0-9a-f]+/, ".css") : el.outerHTML;
    }).join("");
  }

  function scriptsKey(doc) {
    return Array.prototype.map.call(doc.scripts, function (s) { return isOurs(s) ? "" : s.outerHTML; }).join("");
  }

  // syncOne makes the live element of parent that sel finds a copy of want (none if null).
  function syncOne(parent, sel, want) {
    var have = parent.querySelector(sel);
    if (have && want) syncAttributes(have, have, want);
    else if (want) parent.appendChild(document.importNode(want, true));
    else if (have) have.remove();
  }

  // morph makes live, which was served as base, show next: it changes only what differs
  // between base and next. base and next are of the same kind (see sameKind).
  function morph(live, base, next, st) {
    if (base.isEqualNode(next)) return;
    if (base.nodeType !== Node.ELEMENT_NODE) {
      live.nodeValue = next.nodeValue;
      return;
    }
    syncAttributes(live, base, next);
    var L = Array.prototype.filter.call(live.childNodes, function (n) { return n.id !== overlayID; });
    var B = base.childNodes, N = next.childNodes;
    var lined = L.length === B.length && Array.prototype.every.call(B, function (b, i) { return sameKind(L[i], b); });
    if (!lined) {
      throw new Error("a script changed <" + live.nodeName.toLowerCase() + "> where the page changed");
    }
    // Equal children at both ends stay; between them, each new child takes an old one (see
    // match), and the old ones passed over go.
    var start = 0, bEnd = B.length, nEnd = N.length;
    while (start < bEnd && start < nEnd && B[start].isEqualNode(N[start])) start++;
    while (bEnd > start && nEnd > start && B[bEnd - 1].isEqualNode(N[nEnd - 1])) { bEnd--; nEnd--; }
    var b = start;
    for (var n = start; n < nEnd; n++) {
      var m = match(B, b, bEnd, N, n, nEnd);
      if (m < 0) {
        add(live, N[n], b < L.length ? L[b] : L.length ? L[L.length - 1].nextSibling : null, st);
        continue;
      }
      for (; b < m; b++) remove(L[b], st);
      morph(L[m], B[m], N[n], st);
      b = m + 1;
    }
    for (; b < bEnd; b++) remove(L[b], st);
  }

  // match is the index of the old child (of B[b:bEnd]) that the new child N[n] takes, or -1
  // when N[n] is added: the next old child if it is equal to N[n]; none if it is equal to a
  // later new child (N[n] was added before it); else the first old child of N[n]'s kind.
  function match(B, b, bEnd, N, n, nEnd) {
    if (b === bEnd) return -1;
    if (B[b].isEqualNode(N[n])) return b;
    for (var k = n + 1; k < nEnd; k++) if (N[k].isEqualNode(B[b])) return -1;
    for (var m = b; m < bEnd; m++) if (sameKind(B[m], N[n])) return m;
    return -1;
  }

  function sameKind(a, b) {
    return a.nodeType === b.nodeType && a.nodeName === b.nodeName &&
      (a.nodeType !== Node.ELEMENT_NODE || a.id === b.id && a.getAttribute("name") === b.getAttribute("name"));
  }

  // syncAttributes sets on live the attributes that differ between base and next (base
  // may be live itself).
  function syncAttributes(live, base, next) {
    Array.prototype.slice.call(base.attributes).forEach(function (a) {
      if (!next.hasAttributeNS(a.namespaceURI, a.localName)) {
        hook(a.name);
        live.removeAttributeNS(a.namespaceURI, a.localName);
      }
    });
    Array.prototype.forEach.call(next.attributes, function (a) {
      if (base.getAttributeNS(a.namespaceURI, a.localName) !== a.value) {
        hook(a.name);
        live.setAttributeNS(a.namespaceURI, a.name, a.value);
      }
    });
  }

  // hook refuses a change to an attribute the page's scripts may have read as they started.
  function hook(name) {
    if (name.indexOf("data-") === 0 && name !== "data-label") throw new Error("its " + name + " attributes changed");
  }

  function hooks(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches("script") || node.querySelector("script")) throw new Error("a script moved");
    [node].concat(Array.prototype.slice.call(node.querySelectorAll("*"))).forEach(function (el) {
      Array.prototype.forEach.call(el.attributes, function (a) { hook(a.name); });
    });
  }

  // remove takes a live node out, keeping its form controls' values and focus for add.
  function remove(node, st) {
    hooks(node);
    controls(node).forEach(function (el) {
      st.saved[key(el)] = { value: el.value, checked: el.checked };
      if (el === document.activeElement) st.focus = { key: key(el), start: el.selectionStart, end: el.selectionEnd };
    });
    node.remove();
  }

  function add(parent, node, before, st) {
    hooks(node);
    var copy = document.importNode(node, true);
    parent.insertBefore(copy, before);
    st.added.push(copy);
  }

  // restore gives the controls added the values of the controls they replace, and focus.
  function restore(st) {
    st.added.forEach(function (node) {
      controls(node).forEach(function (el) {
        var s = st.saved[key(el)];
        if (!s) return;
        if (el.type === "checkbox" || el.type === "radio") el.checked = s.checked;
        else if (el.type !== "file") el.value = s.value;
        if (st.focus && st.focus.key === key(el)) {
          el.focus({ preventScroll: true });
          try { el.setSelectionRange(st.focus.start, st.focus.end); } catch (e) { /* not a text field */ }
        }
      });
    });
  }

  function controls(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) return [];
    var all = Array.prototype.slice.call(node.querySelectorAll("input, textarea, select"));
    return node.matches("input, textarea, select") ? [node].concat(all) : all;
  }

  function key(el) {
    var k = el.id || el.name;
    return el.type === "checkbox" || el.type === "radio" ? k + "=" + el.value : k;
  }

  // siteName is a URL's path relative to the site's root ("assets/site.css"), or "" for
  // one from elsewhere.
  function siteName(url) {
    if (url.origin !== root.origin || url.pathname.indexOf(root.pathname) !== 0) return "";
    return decodeURIComponent(url.pathname.slice(root.pathname.length));
  }

  // swapStyles replaces each stylesheet named in urls (name -> new URL) by its new
  // version, keeping the old one until the new one has loaded, so the page never shows
  // unstyled.
  function swapStyles(urls) {
    var links = Array.prototype.slice.call(document.querySelectorAll(stylesheets));
    var have = links.map(function (link) { return link.href; });
    links.forEach(function (link) {
      var url = urls[siteName(new URL(link.href))];
      if (!url || have.indexOf(url) >= 0) return; // not named, or already there (or loading)
      var next = link.cloneNode(false);
      next.href = url;
      next.addEventListener("load", function () { link.remove(); });
      next.addEventListener("error", function () { next.remove(); });
      link.after(next);
    });
  }

  function showErrors(lines) {
    var box = document.getElementById(overlayID);
    if (!box) {
      if (!document.querySelector('link[href$="__livereload.css"]')) {
        var css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = new URL("__livereload.css", root).href;
        document.head.appendChild(css);
      }
      box = document.createElement("section");
      box.id = overlayID;
      box.setAttribute("role", "alert");
      box.setAttribute("aria-labelledby", overlayID + "-title");
      document.body.appendChild(box);
    }
    box.textContent = "";
    var h = document.createElement("h2");
    h.id = overlayID + "-title";
    h.textContent = "The site did not build";
    var p = document.createElement("p");
    p.textContent = "This page shows the last good build. Fix these problems and save: the page updates by itself.";
    var ul = document.createElement("ul");
    lines.forEach(function (line) {
      var li = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = line;
      li.appendChild(code);
      ul.appendChild(li);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.addEventListener("click", hideErrors);
    box.append(h, p, ul, close);
  }

  function hideErrors() {
    var box = document.getElementById(overlayID);
    if (box) box.remove();
  }
})();
