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

  function validZone(name) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: name });
      return true;
    } catch (e) {
      return false;
    }
  }

  // The message for one control (or "" when it is fine), worded by the page's own texts.
  function problemOf(form, el) {
    var msg = function (key) { return el.getAttribute("data-msg") || form.getAttribute("data-msg-" + key) || ""; };
    if (el.matches("fieldset[data-min-checked]")) {
      var needed = parseInt(el.getAttribute("data-min-checked"), 10) || 1;
      return el.querySelectorAll("input:checked").length >= needed ? "" : msg("choose");
    }
    var v = el.validity;
    if (v.valueMissing) { return msg("required"); }
    if (el.type === "number" && (v.badInput || v.rangeUnderflow || v.rangeOverflow || v.stepMismatch)) {
      return msg("number").replace("{min}", el.min || "1").replace("{max}", el.max || "∞");
    }
    if (el.type === "datetime-local" && v.badInput) { return msg("datetime"); }
    if (el.hasAttribute("data-zone") && el.value && !validZone(el.value.trim())) { return msg("zone"); }
    if (v.patternMismatch || v.typeMismatch || v.tooLong) { return msg("pattern") || msg("required"); }
    return "";
  }

  function errorList(el) {
    var id = el.id + "-js-error";
    var list = document.getElementById(id);
    if (!list) {
      list = document.createElement("ul");
      list.className = "field-errors";
      list.id = id;
      list.appendChild(document.createElement("li"));
      if (el.tagName === "FIELDSET") { el.appendChild(list); } else { el.insertAdjacentElement("afterend", list); }
    }
    return list;
  }

  function described(el, id, on) {
    var ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) { return x && x !== id; });
    if (on) { ids.push(id); }
    if (ids.length) { el.setAttribute("aria-describedby", ids.join(" ")); } else { el.removeAttribute("aria-describedby"); }
  }

  // Show or clear the control's message; true when it is fine.
  function check(form, el) {
    var problem = problemOf(form, el);
    var list = errorList(el);
    list.hidden = !problem;
    list.firstChild.textContent = problem;
    described(el, list.id, !!problem);
    if (el.tagName !== "FIELDSET") {
      if (problem) { el.setAttribute("aria-invalid", "true"); } else { el.removeAttribute("aria-invalid"); }
    }
    if (!problem) {
      // The server's message for this field no longer applies once the value changed.
      (el.getAttribute("aria-describedby") || "").split(/\s+/).forEach(function (id) {
        var old = id && document.getElementById(id);
        if (old && old !== list && old.classList.contains("field-errors")) { old.hidden = true; }
      });
    }
    return !problem;
  }

  function validation() {
    document.querySelectorAll("form[data-validate]").forEach(function (form) {
      form.noValidate = true;
      var controls = function () {
        return Array.prototype.filter.call(
          form.querySelectorAll("input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea, fieldset[data-min-checked]"),
          function (el) { return el.id; });
      };
      controls().forEach(function (el) {
        var handler = function () { check(form, el); };
        el.addEventListener("change", handler);
        if (el.tagName !== "FIELDSET") { el.addEventListener("blur", handler); }
        el.addEventListener("input", function () { if (el.getAttribute("aria-invalid") === "true") { handler(); } });
      });
      form.addEventListener("submit", function (event) {
        var bad = controls().filter(function (el) { return !check(form, el); });
        var summary = form.querySelector(".js-summary");
        if (!bad.length) { if (summary) { summary.hidden = true; } return; }
        event.preventDefault();
        if (!summary) {
          summary = document.createElement("p");
          summary.className = "problem js-summary";
          summary.setAttribute("role", "alert");
          form.insertBefore(summary, form.firstChild);
        }
        summary.hidden = false;
        summary.textContent = form.getAttribute("data-msg-summary") || "";
        var first = bad[0].tagName === "FIELDSET" ? bad[0].querySelector("input") : bad[0];
        if (first) { first.focus(); }
      });
    });
  }

  function bell() {
    var el = document.querySelector("[data-bell]");
    if (!el || !window.fetch) { return; }
    var url = el.getAttribute("data-bell");
    window.setInterval(function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || typeof data.unread !== "number") { return; }
          var count = el.querySelector(".count");
          var label = el.querySelector(".visually-hidden");
          if (count) { count.textContent = String(data.unread); count.hidden = data.unread === 0; }
          if (label && data.label) { label.textContent = data.label; }
        })
        .catch(function () { /* keep the last known count */ });
    }, 60000);
  }

  // A running job's page fetches itself again and takes over the new progress and rows
  // (focus, scroll and the live status line stay put) until the job is done.
  function refreshers() {
    var job = document.querySelector("[data-refresh-while-running]");
    if (!job || !window.fetch || !window.DOMParser) { return; }
    var timer = window.setInterval(function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          var fresh = html && new DOMParser().parseFromString(html, "text/html");
          var freshJob = fresh && fresh.getElementById(job.id);
          if (!freshJob) { return; }
          ["job-progress", "job-controls", "job-rows"].forEach(function (id) {
            var mine = document.getElementById(id);
            var theirs = fresh.getElementById(id);
            if (!mine || !theirs) { return; }
            if (id === "job-progress") { mine.textContent = theirs.textContent; } else { mine.innerHTML = theirs.innerHTML; }
          });
          var bar = document.getElementById("job-bar");
          var freshBar = fresh.getElementById("job-bar");
          if (bar && freshBar) { bar.max = freshBar.max; bar.value = freshBar.value; }
          job.setAttribute("data-job-status", freshJob.getAttribute("data-job-status") || "");
          if (!freshJob.hasAttribute("data-refresh-while-running")) {
            job.removeAttribute("data-refresh-while-running");
            window.clearInterval(timer);
          }
        })
        .catch(function () { /* keep the last known progress; the Refresh link still works */ });
    }, 2000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    countdowns(); polls(); autosubmit(); copyButtons(); validation(); bell();
    refreshers();
  });
})();
