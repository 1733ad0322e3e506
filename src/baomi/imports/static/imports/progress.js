// Progress of a background ledger import (issue 19 §4): poll the run's small JSON status every
// two seconds; show the phase and the rows written; reload the page when the run has ended (the
// page then shows the result). No websocket, nothing from outside the server.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-import-text]");
  var source = document.getElementById("import-phases");
  var phases = source ? JSON.parse(source.textContent) : {};
  function show(d) {
    if (d.finished) { window.location.reload(); return; }
    var label = phases[d.phase || d.status] || phases[d.status] || "";
    if (d.total) {
      bar.max = d.total;
      bar.value = d.done || 0;
      label += " " + (d.done || 0) + " / " + d.total;
    } else {
      bar.removeAttribute("value");
    }
    text.textContent = label;
  }
  function poll() {
    fetch(box.dataset.importStatus, { credentials: "same-origin", headers: { Accept: "application/json", "X-Baomi-Background": "1" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d) { show(d); } if (!d || !d.finished) { window.setTimeout(poll, 2000); } })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
}());
