// Propose form: show only the fields of the chosen duration form (CLS-3), and let a guide
// entry SUGGEST level and duration (CLS-11). A suggestion fills only empty fields and never
// the legal maximum (R-DUR-4): the entry's own suggested period is used, or nothing.
(function () {
  "use strict";
  var form = document.getElementById("propose-form") || document.getElementById("change-form");
  if (!form) return;
  function q(name) { return form.querySelector("[name=" + name + "]"); }
  var kind = q("duration_kind");
  function toggle() {
    var k = kind ? kind.value : "";
    form.querySelectorAll("[data-kind]").forEach(function (el) {
      el.style.display = el.getAttribute("data-kind") === k ? "contents" : "none";
    });
    var origin = q("origin");
    form.querySelectorAll("[data-origin]").forEach(function (el) {
      var show = origin && el.getAttribute("data-origin").split(" ").indexOf(origin.value) >= 0;
      el.style.display = show ? "contents" : "none";
    });
  }
  if (kind) kind.addEventListener("change", toggle);
  if (q("origin")) q("origin").addEventListener("change", toggle);
  toggle();
  var guide = q("guide_entry");
  var box = document.getElementById("suggest");
  if (!guide || !box) return;
  guide.addEventListener("change", function () {
    if (!guide.value) { box.style.display = "none"; return; }
    var url = form.getAttribute("data-suggest-url").replace(/0\/suggestion\/$/, guide.value + "/suggestion/");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) return;
        if (!q("level").value) q("level").value = s.level;
        if (!kind.value && s.duration_kind) kind.value = s.duration_kind;
        if (s.duration_value && !q("duration_value").value) {
          q("duration_value").value = s.duration_value;
          q("duration_unit").value = s.duration_unit || "year";
        }
        var parts = [];
        var lvl = q("level").querySelector("option[value='" + s.level + "']");
        parts.push((box.getAttribute("data-label-level") || "建议密级") + ": " + (lvl ? lvl.textContent : s.level));
        if (s.duration_value) parts.push((box.getAttribute("data-label-duration") || "建议期限") + ": " + s.duration_value + (s.duration_unit === "month" ? "个月" : "年"));
        if (s.basis_ref) parts.push(s.basis_ref);
        if (s.scope_note) parts.push((box.getAttribute("data-label-scope") || "通常知悉范围") + ": " + s.scope_note);
        box.textContent = parts.join(" · ");
        box.style.display = "block";
        toggle();
      });
  });
})();
