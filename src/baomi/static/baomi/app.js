// baomi: small progressive enhancements, no third-party code.
(function () {
  "use strict";
  // One language for every message: the server's, in Chinese. The browser's own validation
  // bubbles (English in an en-US browser, "Please fill out this field") never show.
  var quiet = function (root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("form"), function (f) { f.noValidate = true; });
  };
  quiet(document);
  document.addEventListener("invalid", function (e) { e.preventDefault(); }, true);
  // Idle logout on the client mirrors the server's (SEC-1): reload to the login page.
  var idle = parseInt(document.body.dataset.idleSeconds || "0", 10);
  if (idle > 0) {
    var timer;
    var reset = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { window.location.reload(); }, (idle + 5) * 1000);
    };
    ["click", "keydown"].forEach(function (ev) { document.addEventListener(ev, reset, { passive: true }); });
    reset();
  }
  // Navigation sections: one menu open at a time; a click elsewhere or Escape closes it.
  var menus = Array.prototype.slice.call(document.querySelectorAll("details.navsec"));
  menus.forEach(function (d) {
    d.addEventListener("toggle", function () {
      if (d.open) { menus.forEach(function (o) { if (o !== d) { o.open = false; } }); }
    });
  });
  document.addEventListener("click", function (e) {
    menus.forEach(function (d) { if (d.open && !d.contains(e.target)) { d.open = false; } });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { menus.forEach(function (d) { d.open = false; }); }
  });
  // The inbox count in the header, fetched after the page so no page pays for it.
  var inbox = document.querySelector("[data-count-url]");
  if (inbox && window.fetch) {
    fetch(inbox.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json", "X-Baomi-Background": "1" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        var badge = inbox.querySelector("[data-inbox-count]");
        if (d && badge && d.count > 0) { badge.textContent = d.count > 99 ? "99+" : String(d.count); badge.hidden = false; }
      })
      .catch(function () {});
  }
  // Bulk forms: a header checkbox <input data-check-all="name"> ticks every box of that name.
  document.addEventListener("change", function (e) {
    var all = e.target.closest && e.target.closest("[data-check-all]");
    if (!all) { return; }
    var form = all.closest("form") || document;
    Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox][name='" + all.dataset.checkAll + "']"), function (b) { b.checked = all.checked; });
  });
  // The picker (kit/pickers.py): after a person is added to a multiple choice, empty the search
  // box for the next name.
  document.addEventListener("change", function (e) {
    var sel = e.target;
    if (sel.tagName === "SELECT" && sel.multiple && sel.closest && sel.closest("autocomplete-select")) {
      var box = sel.closest("autocomplete-select").querySelector("input.picker-input");
      if (box) { box.value = ""; }
    }
  });
  // Confirm dangerous actions: <button data-confirm="...">.
  document.addEventListener("click", function (e) {
    var el = e.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) { e.preventDefault(); }
  });
})();
