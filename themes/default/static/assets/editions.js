// Editions, progressive enhancement only: every page reads completely without this script.
(function () {
  "use strict";

  // The compare page: two lists to pick the editions from, over the links to every pair
  // (which the page lists for readers without JavaScript).
  var form = document.querySelector("form.pick-pair");
  if (form) {
    var links = document.querySelectorAll("a[data-from][data-to]");
    var from = form.querySelector("#pick-from"), to = form.querySelector("#pick-to");
    var note = form.querySelector(".pick-note");
    var pairs = {}, order = [], labels = {};
    links.forEach(function (a) {
      var f = a.getAttribute("data-from"), t = a.getAttribute("data-to");
      pairs[f + ".." + t] = a.href;
      [[f, a.getAttribute("data-from-label")], [t, a.getAttribute("data-to-label")]].forEach(function (e) {
        if (!(e[0] in labels)) { labels[e[0]] = e[1]; order.push(e[0]); }
      });
    });
    // The links come older edition first, so the editions are met oldest first.
    var rank = function (id) { return order.indexOf(id); };
    order.forEach(function (id, i) {
      from.add(new Option(labels[id], id, false, i === order.length - 2));
      to.add(new Option(labels[id], id, false, i === order.length - 1));
    });
    form.querySelector("button").addEventListener("click", function () {
      var f = from.value, t = to.value;
      if (f === t) { note.textContent = "Pick two different editions."; return; }
      if (rank(f) > rank(t)) { var x = f; f = t; t = x; }
      var url = pairs[f + ".." + t];
      if (url) { location.href = url; } else { note.textContent = "This comparison is not published."; }
    });
    form.hidden = false;
  }

  // A redline: a link to a clause folded away as unchanged opens its fold (browsers that
  // do not open it themselves).
  var open = function () {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    for (; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
  };
  if (document.querySelector("details.redline-fold")) {
    window.addEventListener("hashchange", open);
    open();
  }
})();
