// Progressive enhancement only: every page reads completely without this script.
(function () {
  "use strict";

  // Checklists: each item's text becomes the label of its box, so tapping the text ticks it
  // (a link inside the text still opens the link). Ticks stay in this browser's
  // localStorage, nothing is sent anywhere, keyed by the page's site path (the article's
  // data-ticks, e.g. "aliexpress/checklist/") and the item's text: "checklist/" and
  // "checklist/index.html", and the page in every edition, share their ticks, and an item
  // whose text is unchanged in another edition keeps its tick there.
  var list = document.querySelector("[data-ticks]");
  var boxes = document.querySelectorAll("input.task");
  if (boxes.length) {
    var key = "ticks:" + (list ? list.getAttribute("data-ticks") : location.pathname);
    var saved = null;
    try {
      saved = JSON.parse(localStorage.getItem(key) || "null");
      if (saved === null) {
        // Ticks saved before they were keyed by page: under this address's path.
        saved = JSON.parse(localStorage.getItem("checklist:" + location.pathname) || "{}");
      }
    } catch (e) { saved = null; /* storage refused (private mode, blocked cookies) */ }
    boxes.forEach(function (box, i) {
      labelTask(box, i);
      if (!saved) return;
      var id = box.getAttribute("aria-label") || String(i);
      if (Object.prototype.hasOwnProperty.call(saved, id)) box.checked = saved[id];
      box.addEventListener("change", function () {
        saved[id] = box.checked;
        try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* full or refused */ }
      });
    });
    if (saved) document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
  }

  // labelTask wraps the text after a task box, up to a nested list, in a <label> for it.
  function labelTask(box, i) {
    if (!box.id) box.id = "task-" + (i + 1);
    var label = document.createElement("label");
    label.htmlFor = box.id;
    label.className = "task-text";
    var n = box.nextSibling;
    while (n && !(n.nodeType === 1 && /^(UL|OL|DIV|P|TABLE|BLOCKQUOTE|PRE)$/.test(n.nodeName))) {
      var next = n.nextSibling;
      label.appendChild(n);
      n = next;
    }
    if (label.firstChild && label.firstChild.nodeType === 3) {
      label.firstChild.nodeValue = label.firstChild.nodeValue.replace(/^\s+/, "");
    }
    box.parentNode.insertBefore(label, n);
  }

  // A table of contents stands open beside the text where there is room for it (see
  // site.css), and starts folded above the text elsewhere.
  var tocs = document.querySelectorAll(".toc > details");
  if (tocs.length && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 80rem)");
    var place = function () { tocs.forEach(function (d) { d.open = wide.matches; }); };
    place();
    if (wide.addEventListener) wide.addEventListener("change", place);
  }

  // On a phone the program's page list is one scrolling line under the header: show the
  // page being read in it.
  var cur = document.querySelector(".sidebar a[aria-current=\"page\"]");
  var strip = cur && cur.closest(".sidebar");
  if (strip && strip.scrollWidth > strip.clientWidth) {
    strip.scrollLeft = Math.max(0, cur.offsetLeft - strip.offsetLeft - strip.clientWidth / 3);
  }
})();
