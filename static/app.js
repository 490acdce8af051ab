// Small enhancements; every page works without this file.
(function () {
  "use strict";

  function csrfOf(form) {
    var field = form.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  // Eye buttons (rule A5): reveal one masked value in place. The POST is the same one the
  // button makes without JavaScript, so the reveal is audited either way.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("reveal-form")) return;
    event.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrfOf(form) },
      body: body,
      credentials: "same-origin"
    }).then(function (res) {
      if (!res.ok) throw new Error(res.status);
      return res.json();
    }).then(function (data) {
      var holder = form.closest(".masked");
      holder.querySelector(".masked-value").textContent = data.value;
      form.remove();
    }).catch(function () { form.submit(); });
  });

  // Copy buttons: <button data-copy="text">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button || !navigator.clipboard) return;
    event.preventDefault();
    navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
      var done = button.getAttribute("data-copied");
      if (done) button.textContent = done;
    });
  });

  // Forms that need a second thought: <form data-confirm="question">.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);

  // Prevent double submits: disable the submit buttons once a form is on its way.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.classList.contains("reveal-form")) return;
    setTimeout(function () {
      form.querySelectorAll('button[type="submit"]').forEach(function (b) { b.disabled = true; });
    }, 0);
  });
})();
