// The self-check form: runs the screening rules, compiled to WebAssembly from the same Go
// code reviewers run, on what the applicant types. Nothing typed leaves the browser: there
// is no request but the one that loads the module, and the form cannot be submitted.
(function () {
  "use strict";
  var form = document.getElementById("selfcheck");
  var status = document.getElementById("sc-status");
  if (!form || !status) return;
  var rules = form.getAttribute("data-rules");
  var root = form.getAttribute("data-root") || "";
  var result = document.getElementById("sc-result");
  var verdict = document.getElementById("sc-verdict");
  var findings = document.getElementById("sc-findings");
  var reply = document.getElementById("sc-reply");
  var touched = {};
  var timer = 0;

  function say(msg) {
    status.textContent = "";
    var p = document.createElement("p");
    p.textContent = msg.text;
    if (msg.link) {
      p.appendChild(document.createTextNode(" "));
      var a = document.createElement("a");
      a.href = msg.link.href;
      a.textContent = msg.link.text;
      p.appendChild(a);
      p.appendChild(document.createTextNode("."));
    }
    status.appendChild(p);
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

  function ready() {
    status.textContent = "";
    status.hidden = true;
    form.hidden = false;
    result.hidden = false;
    var submitted = form.elements.submitted;
    if (submitted && !submitted.value) submitted.value = new Date().toISOString().slice(0, 10);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("input", schedule);
    form.addEventListener("change", function (e) { touch(e); schedule(); });
    form.addEventListener("focusout", touch);
    document.getElementById("sc-print").addEventListener("click", function () { window.print(); });
    update();
  }

  function touch(e) { if (e.target && e.target.name) touched[e.target.name] = true; }
  function schedule() { clearTimeout(timer); timer = setTimeout(update, 150); }

  function value(name) { var el = form.elements[name]; return el ? el.value.trim() : ""; }
  function checked(name) { var el = form.elements[name]; return !!(el && el.checked); }
  function all(name) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name="' + name + '"]'), function (el) { return el.checked; })
      .map(function (el) { return el.value; });
  }

  // application is what the form holds, in the JSON the screen command reads. Each field
  // of the form says its schema name (data-field) and kind (data-kind); a channel field
  // goes to the one channel, which is given when its address is (or the form has none).
  function application() {
    var app = { program: form.getAttribute("data-program") };
    var channel = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-field]"), function (el) {
      var name = el.getAttribute("data-field"), v;
      switch (el.getAttribute("data-kind")) {
        case "bool": v = checked(name); break;
        case "choices": v = all(name); break;
        case "choice": v = el.tagName === "FIELDSET" ? (all(name)[0] || "") : value(name); break;
        case "count": v = parseInt(value(name), 10) || 0; break;
        case "list": v = value(name).split(/[\s,;]+/).filter(Boolean).map(function (g) { return g.toUpperCase(); }); break;
        default: v = value(name);
      }
      if (name.indexOf("channels.") === 0) channel[name.slice(9)] = v; else app[name] = v;
    });
    app.channels = form.elements["channels.url"] && !channel.url ? [] : [channel];
    return app;
  }

  var texts = (function () { try { return JSON.parse(rules).verdicts || {}; } catch (e) { return {}; } })();

  function update() {
    var app = application();
    var out;
    try { out = JSON.parse(globalThis.selfCheck(JSON.stringify(app), rules)); } catch (e) { out = { error: String(e) }; }
    if (out.error) { verdict.textContent = "The self-check failed: " + out.error; return; }
    // The verdict's words are the content's (the rules' verdicts); only a finding that rests
    // on the program's own published words can make it "likely-rejected".
    verdict.textContent = texts[out.verdict] || out.verdict;
    verdict.className = "verdict verdict-" + out.verdict;

    var errs = {};
    findings.textContent = "";
    (out.findings || []).forEach(function (f) {
      var li = document.createElement("li");
      var sev = document.createElement("span");
      sev.className = "sev";
      sev.textContent = f.severity === "reject" ? "A reason the program names: "
        : f.basis === "guide" ? "This guide suggests: " : "To fix: ";
      var a = document.createElement("a");
      a.href = root + f.link.replace(/\/#/, "/index.html#");
      a.textContent = f.title;
      var msg = document.createElement("p");
      msg.textContent = f.message;
      var basis = document.createElement("p");
      basis.className = "basis";
      basis.textContent = (f.basis === "guide" ? "Basis: " : "Source: ") + (f.cite || "");
      var fix = document.createElement("p");
      fix.textContent = "How to fix: " + f.fix;
      li.appendChild(sev); li.appendChild(a); li.appendChild(msg); li.appendChild(basis); li.appendChild(fix);
      findings.appendChild(li);
      (f.fields || []).forEach(function (n) { errs[n] = (errs[n] ? errs[n] + " " : "") + f.message; });
    });
    reply.textContent = out.reply_window
      ? "If you apply on " + app.submitted + ", expect a reply between " + out.reply_window.from + " and " + out.reply_window.to + " (business days)."
      : "";
    // A finding about the channels as a whole is shown at the channel's address.
    if (errs.channels) errs["channels.url"] = (errs["channels.url"] ? errs["channels.url"] + " " : "") + errs.channels;
    Array.prototype.forEach.call(form.querySelectorAll("[data-field]"), function (el) {
      var name = el.getAttribute("data-field");
      var span = el.querySelector(".err");
      var show = touched[name] && errs[name];
      if (span) span.textContent = show ? errs[name] : "";
      var input = form.elements[name];
      if (input && input.setAttribute) {
        if (show) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      }
    });
  }
})();
