// Live progress bars: any element with data-poll is refreshed from that URL
// until the job has finished (the partial then contains [data-done]).
(function () {
  "use strict";
  function poll(el) {
    var url = el.getAttribute("data-poll");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        el.innerHTML = html;
        if (el.querySelector("[data-done]")) { el.removeAttribute("data-poll"); return; }
        setTimeout(function () { poll(el); }, 1500);
      })
      .catch(function () { setTimeout(function () { poll(el); }, 5000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll]").forEach(function (el) {
      setTimeout(function () { poll(el); }, 1000);
    });
    // Destructive actions ask first (inline handlers are blocked by the CSP).
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
  });
})();
