// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";

  function relative(ms) {
    var fmt = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    var s = Math.round(ms / 1000);
    var units = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(s) >= units[i][1] || units[i][0] === "second") {
        return fmt.format(Math.round(s / units[i][1]), units[i][0]);
      }
    }
    return "";
  }

  function countdowns() {
    var items = document.querySelectorAll("[data-countdown]");
    if (!items.length) { return; }
    var tick = function () {
      var now = Date.now();
      items.forEach(function (el) {
        var target = Date.parse(el.getAttribute("data-countdown"));
        if (isNaN(target)) { return; }
        if (!el.title) { el.title = el.textContent; }
        if (target - now <= 0 && !el.dataset.done) {
          el.dataset.done = "1";
          window.location.reload();
          return;
        }
        el.textContent = relative(target - now);
      });
    };
    tick();
    window.setInterval(tick, 1000);
  }

  function polls() {
    document.querySelectorAll("[data-poll]").forEach(function (el) {
      var url = el.getAttribute("data-poll");
      el.setAttribute("aria-live", "polite");
      window.setInterval(function () {
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (!data) { return; }
            if (data.status !== "waitlisted") { window.location.reload(); return; }
            el.textContent = String(data.waitlist_position);
          })
          .catch(function () { /* keep the last known position */ });
      }, 5000);
    });
  }

  function autosubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
  }

  function copyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field || !navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () { navigator.clipboard.writeText(field.value); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    countdowns(); polls(); autosubmit(); copyButtons();
  });
})();
