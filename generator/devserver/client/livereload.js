// Live reload for `generator serve`; the server adds this script to every page it serves,
// never to what `build` writes. It finds the event stream next to itself, so it works
// under any sub-path and behind a proxy, and it uses no inline code or style, so the
// site's Content-Security-Policy (script-src 'self'; style-src 'self') holds.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.EventSource) return;
  var root = new URL(".", script.src); // where the site is mounted
  var file = script.getAttribute("data-file"); // this page's output file, "a/b/index.html"
  var build = script.getAttribute("data-build"); // the build this page comes from
  var overlayID = "livereload-overlay";

  var source = new EventSource(new URL("__livereload", root));
  function on(name, f) {
    source.addEventListener(name, function (e) { f(JSON.parse(e.data)); });
  }

  on("hello", function (m) {
    if (m.build && build && m.build !== build) { // missed a rebuild while away
      location.reload();
      return;
    }
    if (m.errors && m.errors.length) showErrors(m.errors); else hideErrors();
  });
  on("reload", function (m) {
    if (m.follow && file !== m.follow + "index.html") {
      location.href = new URL(m.follow, root).href;
      return;
    }
    if (m.all || (m.files && file && m.files.indexOf(file) >= 0)) location.reload();
  });
  on("styles", function (m) { swapStyles(m.styles || {}); });
  on("errors", function (m) { showErrors(m.errors || []); });
  on("ok", function () { hideErrors(); });

  // swapStyles replaces each changed stylesheet by its new version, keeping the old one
  // until the new one has loaded, so the page never shows unstyled.
  function swapStyles(styles) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href);
      if (url.origin !== root.origin || url.pathname.indexOf(root.pathname) !== 0) return;
      var name = decodeURIComponent(url.pathname.slice(root.pathname.length));
      if (!(name in styles)) return;
      var next = link.cloneNode(false);
      next.href = new URL(styles[name], root).href;
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
