// Progressive enhancement only: every page reads completely without this script.
// Checklists remember ticks in this browser's localStorage; nothing is sent anywhere.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("input.task");
  if (!boxes.length) return;
  var key = "checklist:" + location.pathname;
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { return; }
  boxes.forEach(function (box, i) {
    var id = box.getAttribute("aria-label") || String(i);
    if (id in saved) box.checked = saved[id];
    box.addEventListener("change", function () {
      saved[id] = box.checked;
      try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* private mode */ }
    });
  });
  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
})();
