// Live progress bars: any element with data-poll is refreshed from that URL
// until the job has finished (the partial then contains [data-done]); with
// data-reload the page is then loaded again (a cause list's page becomes its review).
(function () {
  "use strict";
  function poll(el) {
    var url = el.getAttribute("data-poll");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        el.innerHTML = html;
        if (el.querySelector("[data-done]")) {
          el.removeAttribute("data-poll");
          if (el.closest("[data-reload]")) { window.location.reload(); }
          return;
        }
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

// Library: copy a citation to the clipboard, and find words within a long judgment.
(function () {
  "use strict";
  function copyText(button) {
    var text = button.getAttribute("data-copy");
    var done = function () {
      var old = button.textContent;
      button.textContent = button.getAttribute("data-copied") || old;
      setTimeout(function () { button.textContent = old; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
      return;
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); done(); } finally { document.body.removeChild(area); }
  }
  function clearMarks(root) {
    root.querySelectorAll("mark.find").forEach(function (m) {
      var parent = m.parentNode;
      parent.replaceChild(document.createTextNode(m.textContent), m);
      parent.normalize();
    });
  }
  function markAll(root, needle) {
    var lower = needle.toLowerCase();
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, null);
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    var marks = [];
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      var at = text.toLowerCase().indexOf(lower);
      if (at < 0) { return; }
      var frag = document.createDocumentFragment();
      var pos = 0;
      while (at >= 0) {
        frag.appendChild(document.createTextNode(text.slice(pos, at)));
        var mark = document.createElement("mark");
        mark.className = "find";
        mark.textContent = text.slice(at, at + needle.length);
        frag.appendChild(mark);
        marks.push(mark);
        pos = at + needle.length;
        at = text.toLowerCase().indexOf(lower, pos);
      }
      frag.appendChild(document.createTextNode(text.slice(pos)));
      node.parentNode.replaceChild(frag, node);
    });
    return marks;
  }
  function setupFind(form) {
    var root = document.querySelector(form.getAttribute("data-find-in"));
    var input = form.querySelector("input");
    var out = form.querySelector("output");
    if (!root || !input) { return; }
    var marks = [], current = -1, last = "";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var needle = input.value.trim();
      if (needle !== last) {
        clearMarks(root);
        marks = needle.length > 1 ? markAll(root, needle) : [];
        current = -1;
        last = needle;
      }
      if (!marks.length) { if (out) { out.textContent = needle ? out.getAttribute("data-none") : ""; } return; }
      if (current >= 0) { marks[current].classList.remove("current"); }
      current = (current + 1) % marks.length;
      marks[current].classList.add("current");
      marks[current].scrollIntoView({ block: "center" });
      if (out) { out.textContent = (current + 1) + " " + out.getAttribute("data-of") + " " + marks.length; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () { copyText(button); });
    });
    document.querySelectorAll("form[data-find-in]").forEach(setupFind);
  });
})();

// Quiz time limit: counts down from the seconds the server said were left (so a wrong
// clock on the phone does not matter); at zero it says to submit now.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var end = Date.now() + parseInt(el.getAttribute("data-countdown"), 10) * 1000;
      var label = el.getAttribute("data-label");
      function tick() {
        var left = Math.max(Math.round((end - Date.now()) / 1000), 0);
        if (left === 0) {
          el.textContent = el.getAttribute("data-over");
          el.classList.add("over");
          el.setAttribute("role", "alert");
          return;
        }
        var m = Math.floor(left / 60), s = left % 60;
        el.textContent = label + ": " + m + ":" + (s < 10 ? "0" : "") + s;
        setTimeout(tick, 1000);
      }
      tick();
    });
  });
})();

// Learning: the lesson reader reports reading time (a minute at a time, only while the
// page is in view) to the URL in data-heartbeat.
(function () {
  "use strict";
  var BEAT = 60;
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.querySelector("[data-heartbeat]");
    if (!el) { return; }
    setInterval(function () {
      if (document.visibilityState !== "visible") { return; }
      var body = new FormData();
      body.append("seconds", String(BEAT));
      body.append("csrf_token", el.getAttribute("data-csrf") || "");
      fetch(el.getAttribute("data-heartbeat"), { method: "POST", body: body, credentials: "same-origin" })
        .catch(function () { /* a lost beat is only a minute of reading time */ });
    }, BEAT * 1000);
  });
})();
