// Usage import progress (rule B2): while an import runs, its page asks for the figures every
// second and shows them; when it ends, the page reloads to show the report link. Without this
// file the page shows the figures of when it was loaded.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) return;
  var url = box.getAttribute("data-progress-url");
  function show(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (!el) return;
    if (el.tagName === "PROGRESS") el.value = value; else el.textContent = value;
  }
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (res) { if (!res.ok) throw new Error(res.status); return res.json(); })
      .then(function (p) {
        ["state_label", "rows_read", "rows_imported", "rows_already", "rows_rejected"].forEach(function (k) { show(k, p[k]); });
        show("percent", p.percent);
        show("percent_text", p.percent + "%");
        if (p.running) setTimeout(poll, 1000); else window.location.reload();
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
