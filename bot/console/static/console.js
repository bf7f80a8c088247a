// E-Klinik console: progressive enhancements only (every page works without this file).
(function () {
  "use strict";
  var POLL_MS = 5000;

  function updateBadge(data) {
    var badge = document.getElementById("inbox-badge");
    if (!badge) return;
    var waiting = data.waiting || 0;
    var previous = badge.getAttribute("data-latest");
    badge.hidden = waiting === 0;
    badge.textContent = String(waiting);
    badge.setAttribute("aria-label", waiting + " chat menunggu petugas");
    if (previous !== null && Number(previous) < data.latest) {
      badge.classList.remove("pulse");
      void badge.offsetWidth; // restart the animation
      badge.classList.add("pulse");
      if (document.title.indexOf("(baru) ") !== 0) document.title = "(baru) " + document.title;
    }
    badge.setAttribute("data-latest", String(data.latest));
  }

  function poll() {
    var url = document.body.getAttribute("data-status-url");
    if (!url) return;
    var signature = null;
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          updateBadge(data);
          var now = [data.waiting, data.latest, data.unread].join(":");
          // the inbox list refreshes itself when something changed (no typing happens there)
          if (signature !== null && now !== signature) {
            if (document.querySelector("[data-auto-refresh]")) {
              window.location.reload();
              return;
            }
            // on a chat the admin may be typing: say so instead of reloading
            var news = document.querySelector("[data-chat-watch]");
            if (news) news.hidden = false;
          }
          signature = now;
        })
        .catch(function () { /* offline for a moment: try again at the next tick */ })
        .then(function () { window.setTimeout(tick, POLL_MS); });
    }
    tick();
  }

  function cannedReplies() {
    document.querySelectorAll("select[data-canned-target]").forEach(function (select) {
      select.addEventListener("change", function () {
        var target = document.getElementById(select.getAttribute("data-canned-target"));
        if (!target || !select.value) return;
        target.value = target.value ? target.value + "\n" + select.value : select.value;
        target.dispatchEvent(new Event("input"));
        target.focus();
        select.value = "";
      });
    });
  }

  function counters() {
    document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
      var out = document.getElementById(area.getAttribute("data-counter"));
      if (!out) return;
      function show() { out.textContent = area.value.length + " / " + area.maxLength + " karakter"; }
      area.addEventListener("input", show);
      show();
    });
  }

  function confirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  }

  function noDoubleSubmit() {
    document.querySelectorAll("form[method='post']").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) return;
        if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
        form.setAttribute("data-sent", "1");
      });
    });
  }

  function scrollHistories() {
    // a chat reads from the bottom: show the newest messages first
    document.querySelectorAll(".history").forEach(function (list) { list.scrollTop = list.scrollHeight; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    scrollHistories();
    cannedReplies();
    counters();
    confirmations();
    noDoubleSubmit();
    poll();
  });
})();
