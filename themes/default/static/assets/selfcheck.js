// The self-check form: runs the screening rules, compiled to WebAssembly from the same Go
// code reviewers run, on what the applicant types. Nothing typed leaves the browser: there
// is no request but the one that loads the module, and the form cannot be submitted.
//
// Nothing is judged before the applicant types or changes something. From then on a compact
// summary (#sc-brief: the verdict in a few words and how many points) stays in view while
// they type, on a phone as a bar at the top of the screen, on a wide screen beside the form;
// it is a polite live region whose text changes only when the result does. The full list
// (#sc-result) follows the form. Dates are the reader's: the default "date you plan to
// apply" is their local date, and every date shown is in words in their locale.
(function () {
  "use strict";
  var form = document.getElementById("selfcheck");
  var status = document.getElementById("sc-status");
  if (!form || !status) return;
  var rules = form.getAttribute("data-rules");
  var root = form.getAttribute("data-root") || "";
  var $ = function (id) { return document.getElementById(id); };
  var summary = $("sc-summary"), brief = $("sc-brief"), points = $("sc-points");
  var result = $("sc-result"), verdict = $("sc-verdict"), findings = $("sc-findings"), reply = $("sc-reply");
  var touched = {};
  var started = false;
  var timer = 0;

  function say(msg) {
    status.textContent = "";
    var p = document.createElement("p");
    p.textContent = msg.text;
    if (msg.link) {
      p.appendChild(document.createTextNode(" "));
      p.appendChild(el("a", msg.link.text, { href: msg.link.href }));
      p.appendChild(document.createTextNode("."));
    }
    status.appendChild(p);
  }

  // el makes an element with text and attributes.
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  }

  var checklist = status.querySelector("a");
  var fallback = checklist ? { href: checklist.getAttribute("href"), text: "use the application checklist instead" } : null;
  if (typeof WebAssembly !== "object" || typeof Go !== "function" || !rules) {
    say({ text: "This browser cannot run the self-check (WebAssembly is not available).", link: fallback });
    return;
  }
  say({ text: "Loading the self-check…" });

  var go = new Go();
  var url = form.getAttribute("data-wasm");
  var start = load(url.replace(/\.wasm(?=\?|$)/, ".wasm.gz")).catch(function () { return load(url); });

  // load instantiates the module at u. The gzip copy (selfcheck.wasm.gz), a quarter of the
  // module's size, is asked for by its own name, which no host compresses or decodes on its
  // own, and is decompressed here: so the module travels compressed from any static host,
  // including those that serve no .br or .gz copies. A host that sends it with a
  // Content-Encoding has had the browser decode it already. Without DecompressionStream (or
  // from file://, where every fetch fails) the .gz load fails and the module itself is loaded.
  function load(u) {
    var gz = /\.gz(\?|$)/.test(u);
    if (gz && typeof DecompressionStream !== "function") return Promise.reject(new Error("no DecompressionStream"));
    return fetch(u).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status + " for " + u);
      var enc = r.headers.get("Content-Encoding");
      var body = gz && (!enc || enc === "identity") ? r.body.pipeThrough(new DecompressionStream("gzip")) : r.body;
      var wasm = new Response(body, { headers: { "Content-Type": "application/wasm" } });
      return WebAssembly.instantiateStreaming && location.protocol !== "file:"
        ? WebAssembly.instantiateStreaming(wasm, go.importObject)
        : wasm.arrayBuffer().then(function (b) { return WebAssembly.instantiate(b, go.importObject); });
    });
  }
  start.then(function (res) {
    go.run(res.instance);
    ready();
  }).catch(function (err) {
    var why = location.protocol === "file:"
      ? "Your browser does not load WebAssembly from a file opened on disk. Open the site from a web server (any static host, or run a local one in the site's folder), or"
      : "The self-check could not start (" + err + "). Reload the page, or";
    say({ text: why, link: fallback });
  });

  var program = (function () { try { return JSON.parse(rules); } catch (e) { return {}; } })();
  var texts = program.verdicts || {};

  function ready() {
    status.textContent = "";
    status.hidden = true;
    form.hidden = false;
    summary.hidden = false;
    result.hidden = false;
    // A form the browser restored (going back to the page) has been filled in already.
    started = edited();
    var submitted = form.elements.submitted;
    if (submitted && !submitted.value) submitted.value = isoDate(new Date());
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("input", function () { started = true; schedule(); });
    form.addEventListener("change", function (e) { started = true; touch(e); schedule(); });
    form.addEventListener("focusout", touch);
    form.addEventListener("focusin", unhide);
    $("sc-jump").addEventListener("click", function () { setTimeout(function () { $("sc-result-title").focus({ preventScroll: true }); }, 0); });
    $("sc-print").addEventListener("click", function () { window.print(); });
    if (started) update();
  }

  // edited reports whether any field but the date differs from the page's defaults.
  function edited() {
    return Array.prototype.some.call(form.elements, function (e) {
      if (e.name === "submitted") return false;
      if (e.type === "checkbox" || e.type === "radio") return e.checked !== e.defaultChecked;
      if (e.tagName === "SELECT") return Array.prototype.some.call(e.options, function (o) { return o.selected !== o.defaultSelected; });
      return "defaultValue" in e && e.value !== e.defaultValue;
    });
  }

  function touch(e) { if (e.target && e.target.name) touched[e.target.name] = true; }
  function schedule() { clearTimeout(timer); timer = setTimeout(update, 150); }

  // unhide scrolls the focused field wholly into view, below the summary when the summary is
  // a bar at the top of the screen over the form: a browser scrolls a focused field only
  // until part of it shows, and knows nothing of the bar.
  function unhide(e) {
    requestAnimationFrame(function () {
      if (document.activeElement !== e.target) return; // the focus moved on meanwhile
      var f = e.target.getBoundingClientRect(), b = summary.getBoundingClientRect();
      var top = b.left < f.right && f.left < b.right && b.top <= 1 ? b.bottom : 0;
      var dy = f.top < top ? f.top - top - 8 : f.bottom > innerHeight ? Math.min(f.bottom - innerHeight + 8, f.top - top - 8) : 0;
      if (dy) window.scrollBy(0, dy);
    });
  }

  // Dates: a YYYY-MM-DD date is a calendar day, shown in words in the reader's locale (the
  // first of their languages in the page's language, so the sentence stays in one language).
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function isoDate(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  var dateWords = (function () {
    var lang = (document.documentElement.lang || "en").toLowerCase();
    var mine = (navigator.languages || [navigator.language]).filter(function (l) { return l && l.toLowerCase().split("-")[0] === lang.split("-")[0]; });
    try { return new Intl.DateTimeFormat(mine.concat(lang), { weekday: "long", day: "numeric", month: "long", year: "numeric" }); } catch (e) { return null; }
  })();
  var isoPattern = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
  function inWords(y, m, d) {
    var day = new Date(+y, +m - 1, +d);
    return dateWords ? dateWords.format(day) : day.toDateString();
  }
  // words replaces every YYYY-MM-DD date in text with its words.
  function words(text) { return String(text || "").replace(isoPattern, function (_, y, m, d) { return inWords(y, m, d); }); }
  function timeEl(iso) { return el("time", words(iso), { datetime: iso }); }

  function value(name) { var e = form.elements[name]; return e ? e.value.trim() : ""; }
  function checked(name) { var e = form.elements[name]; return !!(e && e.checked); }
  function controls(name) { return form.querySelectorAll('[name="' + name + '"]'); }
  function all(name) {
    return Array.prototype.filter.call(controls(name), function (e) { return e.checked; }).map(function (e) { return e.value; });
  }

  // application is what the form holds, in the JSON the screen command reads. Each field
  // of the form says its schema name (data-field) and kind (data-kind); a channel field
  // goes to the one channel, which is given when its address is (or the form has none).
  function application() {
    var app = { program: form.getAttribute("data-program") };
    var channel = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-field]"), function (e) {
      var name = e.getAttribute("data-field"), v;
      switch (e.getAttribute("data-kind")) {
        case "bool": v = checked(name); break;
        case "choices": v = all(name); break;
        case "choice": v = e.tagName === "FIELDSET" ? (all(name)[0] || "") : value(name); break;
        case "count": v = parseInt(value(name), 10) || 0; break;
        case "list": v = value(name).split(/[\s,;]+/).filter(Boolean).map(function (g) { return g.toUpperCase(); }); break;
        default: v = value(name);
      }
      if (name.indexOf("channels.") === 0) channel[name.slice(9)] = v; else app[name] = v;
    });
    app.channels = form.elements["channels.url"] && !channel.url ? [] : [channel];
    return app;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // sevText is what a finding is, in words: a reason the program itself names, a point to
  // fix, or this guide's suggestion.
  function sevText(f) {
    return f.severity === "reject" ? "A reason " + (program.name || "the program") + " names"
      : f.basis === "guide" ? "This guide suggests" : "To fix";
  }

  function update() {
    if (!started) return;
    var app = application();
    var out;
    try { out = JSON.parse(globalThis.selfCheck(JSON.stringify(app), rules)); } catch (e) { out = { error: String(e) }; }
    if (out.error) {
      verdict.textContent = "The self-check failed: " + out.error;
      setBrief("The self-check failed", "see the full list.");
      return;
    }
    var list = out.findings || [];
    // The verdict's words are the content's (the rules' verdicts); only a finding that rests
    // on the program's own published words can make it "likely-rejected". The summary says
    // the words before the verdict's colon ("Worth strengthening") and counts the points.
    var full = texts[out.verdict] || out.verdict;
    verdict.textContent = full;
    verdict.className = "verdict verdict-" + out.verdict;
    var rejects = list.filter(function (f) { return f.severity === "reject"; }).length;
    var counts = [];
    if (list.length > rejects) counts.push(plural(list.length - rejects, "point to fix", "points to fix"));
    if (rejects) counts.push(plural(rejects, "reason " + (program.name || "the program") + " names", "reasons " + (program.name || "the program") + " names"));
    setBrief(full.split(": ")[0], counts.join(", ") || "nothing to fix", "verdict-" + out.verdict);

    var errs = {};
    findings.textContent = "";
    points.textContent = "";
    list.forEach(function (f, i) {
      var id = "sc-f-" + (i + 1);
      var li = el("li", "", { id: id });
      li.appendChild(el("span", sevText(f) + ": ", { "class": "sev" }));
      li.appendChild(el("a", f.title, { href: root + f.link.replace(/\/#/, "/index.html#") }));
      li.appendChild(el("p", words(f.message)));
      li.appendChild(el("p", (f.basis === "guide" ? "Basis: " : "Source: ") + words(f.cite), { "class": "basis" }));
      li.appendChild(el("p", "How to fix: " + words(f.fix)));
      var fields = fieldsOf(f);
      if (fields.length) {
        var p = el("p", "Go to the field: ", { "class": "sc-goto" });
        fields.forEach(function (name, j) {
          if (j) p.appendChild(document.createTextNode(", "));
          var b = el("button", label(name), { type: "button", "class": "sc-link", "data-goto": name });
          p.appendChild(b);
        });
        li.appendChild(p);
      }
      findings.appendChild(li);
      var item = el("li");
      item.appendChild(el("span", sevText(f) + ": ", { "class": "sev" }));
      item.appendChild(el("a", f.title, { href: "#" + id }));
      points.appendChild(item);
      fields.forEach(function (n) { errs[n] = (errs[n] ? errs[n] + " " : "") + words(f.message); });
    });
    showReply(app, out.reply_window);
    Array.prototype.forEach.call(form.querySelectorAll("[data-field]"), function (e) {
      var name = e.getAttribute("data-field");
      var span = e.querySelector(".err");
      var show = !!(touched[name] && errs[name]);
      if (span) span.textContent = show ? errs[name] : "";
      e.classList.toggle("sc-invalid", show);
      Array.prototype.forEach.call(controls(name), function (c) {
        if (show) c.setAttribute("aria-invalid", "true"); else c.removeAttribute("aria-invalid");
      });
    });
    // A message that appeared above the focused field may have pushed it out of view.
    if (form.contains(document.activeElement)) unhide({ target: document.activeElement });
  }

  // setBrief shows the verdict in a few words and the counts. It changes the summary only
  // when its words change, so a screen reader hears the result when it changes, not on every
  // keystroke.
  function setBrief(words, counts, cls) {
    if (brief.textContent === words + ": " + counts) return;
    brief.textContent = "";
    brief.appendChild(el("strong", words, cls ? { "class": cls } : {}));
    brief.appendChild(document.createTextNode(": " + counts));
  }

  // fieldsOf is the form's fields a finding is about; one about the channels as a whole is
  // shown at the channel's address.
  function fieldsOf(f) {
    var out = [];
    (f.fields || []).forEach(function (n) {
      if (n === "channels") n = "channels.url";
      if (out.indexOf(n) < 0 && form.querySelector('[data-field="' + n + '"]')) out.push(n);
    });
    return out;
  }

  function label(name) { return ((program.fields || {})[name] || {}).label || name; }

  function showReply(app, w) {
    reply.textContent = "";
    if (!w) return;
    var days = program.reply_days;
    reply.appendChild(document.createTextNode("If you apply on "));
    reply.appendChild(timeEl(app.submitted));
    reply.appendChild(document.createTextNode(", expect a reply between "));
    reply.appendChild(timeEl(w.from));
    reply.appendChild(document.createTextNode(" and "));
    reply.appendChild(timeEl(w.to));
    reply.appendChild(document.createTextNode(days && days.length === 2
      ? " (" + days[0] + " to " + days[1] + " business days later, counting Monday to Friday; public holidays are not skipped)."
      : " (counting Monday to Friday; public holidays are not skipped)."));
  }

  // A finding's "Go to the field" buttons take the applicant to the field.
  findings.addEventListener("click", function (e) {
    var name = e.target.getAttribute && e.target.getAttribute("data-goto");
    if (!name) return;
    var c = controls(name)[0];
    if (c) c.focus();
  });
})();
