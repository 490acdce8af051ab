// Small enhancements; every page works without this file.
(function () {
  "use strict";

  function csrfOf(form) {
    var field = form.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  // Eye buttons (rule A5): each masked value's eye submits the page's one reveal form to that
  // value's own action. Here the same POST is made in the background and the value shown in
  // place; without this file the browser submits it and shows the reveal page. Either way the
  // reveal is audited.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var eye = event.submitter;
    if (!form.classList || !form.classList.contains("reveal-form") || !eye) return;
    if (form.getAttribute("data-plain")) return;
    event.preventDefault();
    var body = new URLSearchParams();
    body.append("csrf_token", csrfOf(form));
    body.append("field", eye.value);
    fetch(eye.formAction, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrfOf(form) },
      body: body,
      credentials: "same-origin"
    }).then(function (res) {
      if (!res.ok) throw new Error(res.status);
      return res.json();
    }).then(function (data) {
      eye.closest(".masked").querySelector(".masked-value").textContent = data.value;
      eye.remove();
    }).catch(function () {
      form.setAttribute("data-plain", "1");
      form.requestSubmit(eye);
    });
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
