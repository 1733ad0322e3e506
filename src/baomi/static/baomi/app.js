// baomi: small progressive enhancements, no third-party code.
(function () {
  "use strict";
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
  // Filters that apply on change: <select data-autosubmit> submits its form (no inline
  // handlers: the Content-Security-Policy allows only this file's script, issue 11 §6).
  document.addEventListener("change", function (e) {
    var el = e.target.closest("[data-autosubmit]");
    if (el && el.form) { el.form.submit(); }
  });
  // Long uploads: <form data-busy-form> shows its [data-busy] notice while it is sent.
  document.addEventListener("submit", function (e) {
    if (!e.target.matches || !e.target.matches("[data-busy-form]")) { return; }
    var busy = e.target.querySelector("[data-busy]");
    if (busy) { busy.hidden = false; }
  });
  // Confirm dangerous actions: <button data-confirm="...">.
  document.addEventListener("click", function (e) {
    var el = e.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) { e.preventDefault(); }
  });
})();
