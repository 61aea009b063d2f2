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
  var start = WebAssembly.instantiateStreaming && location.protocol !== "file:"
    ? WebAssembly.instantiateStreaming(fetch(url), go.importObject)
    : fetch(url).then(function (r) { return r.arrayBuffer(); }).then(function (b) { return WebAssembly.instantiate(b, go.importObject); });
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

  // application is what the form holds, in the JSON the screen command reads.
  function application() {
    var app = {
      program: form.getAttribute("data-program"),
      email: value("email"),
      channels: [],
      niche: value("niche"),
      traffic_sources: all("traffic_sources"),
      geos: value("geos").split(/[\s,;]+/).filter(Boolean).map(function (g) { return g.toUpperCase(); }),
      content_types: all("content_types"),
      promotion: value("promotion"),
      practices: all("practices"),
      accepts_terms: checked("accepts_terms"),
      submitted: value("submitted")
    };
    if (form.elements.username) app.username = value("username");
    if (form.elements.paypal_email) app.paypal_email = value("paypal_email");
    if (form.elements.access_path) {
      app.access_path = form.querySelector('input[name="access_path"]:checked').value;
      app.network_profile_complete = checked("network_profile_complete");
    }
    if (value("url")) {
      app.channels.push({
        url: value("url"), kind: value("kind"), public: checked("public"), status: value("status"),
        last_post: value("last_post"), original_posts: parseInt(value("original_posts"), 10) || 0,
        copied_or_generated: checked("copied_or_generated")
      });
    }
    return app;
  }

  // fieldsOf names the fields a finding is about, so its message is tied to them.
  function fieldsOf(f, app) {
    switch (f.rule) {
      case "missing-field":
        // AliExpress's material asks for a niche, not an email; AliDropship's for the email.
        return (app.program === "aliexpress" ? ["niche", "promotion"] : ["username", "email", "paypal_email", "promotion"])
          .filter(function (n) { return n in app && !app[n]; })
          .concat(app.channels.length ? [] : ["channel"]);
      case "invalid-email": return ["email", "paypal_email"];
      case "terms-not-accepted": return ["accepts_terms"];
      case "unclear-promotion": return ["promotion"];
      case "no-visible-channel": case "thin-content": return ["channel"];
      default: return [];
    }
  }

  function update() {
    var app = application();
    var out;
    try { out = JSON.parse(globalThis.selfCheck(JSON.stringify(app), rules)); } catch (e) { out = { error: String(e) }; }
    if (out.error) { verdict.textContent = "The self-check failed: " + out.error; return; }
    // The verdict never attributes this guide's rules of thumb to a program: only a finding
    // that rests on the program's own published words can make it "at risk".
    var ax = app.program === "aliexpress";
    var words = { "ready": "Nothing found: the self-check found none of the reasons for refusal the program publishes, and nothing this guide's rules of thumb flag. Only the reviewers decide.",
      "needs-work": "Worth strengthening: see the points below before you apply. Each says whether it rests on the program's own words or on this guide's rules of thumb.",
      "likely-rejected": ax
        ? "At risk of delay or refusal: your application matches a reason AliExpress's material names among the most common for approval delays or rejection (quoted below)."
        : "At risk of refusal: your application matches a kind of applicant AliDropship lists among commonly rejected applicants (quoted below)." };
    verdict.textContent = words[out.verdict] || out.verdict;
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
      fieldsOf(f, app).forEach(function (n) { errs[n] = (errs[n] ? errs[n] + " " : "") + f.message; });
    });
    reply.textContent = out.reply_window
      ? "If you apply on " + app.submitted + ", expect a reply between " + out.reply_window.from + " and " + out.reply_window.to + " (business days)."
      : "";
    Array.prototype.forEach.call(form.querySelectorAll(".err"), function (span) {
      var name = span.id.replace(/^sc-/, "").replace(/-err$/, "");
      var show = touched[name] || (name === "channel" && (touched.url || touched.status || touched.public));
      span.textContent = show && errs[name] ? errs[name] : "";
      var input = form.elements[name];
      if (input && input.setAttribute) {
        if (show && errs[name]) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      }
    });
  }
})();
