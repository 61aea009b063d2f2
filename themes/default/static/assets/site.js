// Progressive enhancement only: every page reads completely without this script.
(function () {
  "use strict";

  // Checklists: each item is a <label> around its box, so tapping the text ticks it. Ticks
  // stay in this browser's localStorage, nothing is sent anywhere: one record per program
  // and page type (the article's data-ticks, e.g. "aliexpress/checklist"), holding each
  // item's state under its box's data-task, a hash of the item's wording. So the page at
  // "checklist/" and at "checklist/index.html", and in every edition, shows the same ticks
  // for the same wording; an item reworded in another edition starts unticked there.
  var list = document.querySelector("[data-ticks]");
  var key = list && "affdocs:ticks:" + list.getAttribute("data-ticks");
  var ticks = list && load(key);
  if (ticks) {
    list.querySelectorAll("input.task[data-task]").forEach(function (box) {
      var id = box.getAttribute("data-task");
      if (Object.prototype.hasOwnProperty.call(ticks, id)) box.checked = ticks[id] === true;
      box.addEventListener("change", function () {
        var now = load(key) || {}; // another tab may have ticked others meanwhile
        now[id] = box.checked;
        try { localStorage.setItem(key, JSON.stringify(now)); } catch (e) { /* full or refused */ }
      });
    });
    list.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
  }

  // load is the record stored under key ({} when none), or null when storage is refused
  // (private mode, blocked cookies).
  function load(key) {
    try {
      var v = JSON.parse(localStorage.getItem(key) || "{}");
      return v && typeof v === "object" ? v : {};
    } catch (e) {
      return e instanceof SyntaxError ? {} : null;
    }
  }

  // A table of contents stands open beside the text where there is room for it (see
  // site.css), and starts folded above the text elsewhere.
  var tocs = document.querySelectorAll(".toc > details");
  if (tocs.length && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 68.75rem)");
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
