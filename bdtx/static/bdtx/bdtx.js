/* BDTX behaviour that pages declare with data-attributes, so no page needs an inline script or an
   inline event handler (the Content-Security-Policy forbids both: script-src 'self').

   data-confirm="Question?"   on a <form>: asks before it is submitted; on a submit button: asks
                              before that button submits its form (other buttons submit freely).
   data-autosubmit            on a <select> (or any field): submits its form when it changes.
   data-bar-width="42"        sets the element's width to 42 % (a progress bar), as an inline
                              style="width: …" would, which the policy's style-src forbids.
   data-grid                  on a table of inputs (the score sheet): Enter in an input with
                              data-col="…" moves to the same column on the next row (Tab moves
                              along the row); on the last row it submits the input's form.
   data-unread-url="/…"       on the navbar's bell: asks that address for the unread count after the
                              page has loaded and every minute while the page is shown, and
                              writes it into the bell's [data-unread-count] badge (hidden at 0).
   .table-responsive          a table that may scroll sideways: without a link or field inside,
                              the region itself takes the keyboard focus (tabindex="0"), so the
                              arrow keys can scroll it (WCAG 2.1.1).

   Listeners sit on the document, so content htmx swaps in later behaves the same. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.form && field.hasAttribute && field.hasAttribute("data-autosubmit")) {
      if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
    }
  });

  function setBarWidths(root) {
    var bars = root.querySelectorAll ? root.querySelectorAll("[data-bar-width]") : [];
    for (var i = 0; i < bars.length; i++) {
      var pct = parseFloat(bars[i].getAttribute("data-bar-width"));
      if (!isNaN(pct)) { bars[i].style.width = Math.max(0, Math.min(100, pct)) + "%"; }
    }
  }

  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";

  function focusableScrollRegions(root) {
    var regions = root.querySelectorAll ? Array.prototype.slice.call(root.querySelectorAll(".table-responsive")) : [];
    if (root.matches && root.matches(".table-responsive")) { regions.push(root); }
    for (var i = 0; i < regions.length; i++) {
      if (!regions[i].hasAttribute("tabindex") && !regions[i].querySelector(FOCUSABLE)) {
        regions[i].setAttribute("tabindex", "0");
      }
    }
  }

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !field.closest || !field.hasAttribute("data-col")) { return; }
    var grid = field.closest("[data-grid]");
    if (!grid) { return; }
    event.preventDefault();
    var column = grid.querySelectorAll("input[data-col='" + field.getAttribute("data-col") + "']");
    for (var i = 0; i < column.length; i++) {
      if (column[i] === field) {
        if (i + 1 < column.length) {
          column[i + 1].focus();
          column[i + 1].select();
        } else if (field.form) {
          if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
        }
        return;
      }
    }
  });

  function refreshBell() {
    var bell = document.querySelector("[data-unread-url]");
    if (!bell || !window.fetch || document.hidden) { return; }
    var badge = bell.querySelector("[data-unread-count]");
    window.fetch(bell.getAttribute("data-unread-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !badge) { return; }
        var n = parseInt(data.unread, 10) || 0;
        badge.textContent = n > 99 ? "99+" : String(n);
        badge.hidden = n === 0;
      })
      .catch(function () { /* offline, or signed out: the bell keeps its last count */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setBarWidths(document);
    focusableScrollRegions(document);
    if (document.querySelector("[data-unread-url]")) {
      refreshBell();
      window.setInterval(refreshBell, 60000);
    }
  });
  document.addEventListener("htmx:load", function (event) {
    setBarWidths(event.target);
    focusableScrollRegions(event.target.closest ? (event.target.closest(".table-responsive") || event.target) : event.target);
  });
})();
