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
  // Confirm dangerous actions: <button data-confirm="...">.
  document.addEventListener("click", function (e) {
    var el = e.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) { e.preventDefault(); }
  });
})();
