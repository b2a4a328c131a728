/* Finsam Plan: where focus goes. Loaded on every page; without it every page still works.

   - After a save that failed, focus goes to the error summary at the top of the form, so
     that a screen reader reads what is wrong and a keyboard user starts from there.
   - A link inside the page (an error summary's item, a finding) moves focus to what it
     names, not only the scroll position: the field with the error, or the budget cell of
     a finding. On an edit page whose grid has an input for that cell, the input gets it.
   - A table that scrolls sideways (on a narrow screen) can be scrolled with the keyboard.
*/
(function () {
  "use strict";

  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";

  // The input of an edit grid that holds the amount a budget cell shows, if the page has one.
  // A cell is `#cell-<row>-<column>` in row `#row-<row>`; a grid row says which budget row it
  // edits with `data-anchor="<row>"` and has one `td.num` per column, in the same order.
  function gridInputFor(cell) {
    var row = cell.parentElement;
    if (!row || !row.id || row.id.indexOf("row-") !== 0) {
      return null;
    }
    var anchor = row.id.slice(4);
    var gridRows = document.querySelectorAll("tr[data-anchor]");
    for (var index = 0; index < gridRows.length; index++) {
      if (gridRows[index].getAttribute("data-anchor") !== anchor) {
        continue;
      }
      var amounts = gridRows[index].querySelectorAll("td.num");
      var column = Array.prototype.indexOf.call(row.querySelectorAll("td"), cell);
      var input = column >= 0 && amounts[column] ? amounts[column].querySelector("input, select, textarea") : null;
      if (input) {
        return input;
      }
    }
    return null;
  }

  function focusTarget(target) {
    if (target.tagName === "TD" && target.id.indexOf("cell-") === 0) {
      target = gridInputFor(target) || target;
    }
    // A group of radios or checkboxes is named by its first box.
    if (!target.matches(FOCUSABLE)) {
      target.setAttribute("tabindex", "-1");
    }
    // A field inside a closed <details> (a form to add a line) is opened first.
    var details = target.closest("details");
    if (details && !details.open) {
      details.open = true;
    }
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    return target;
  }

  function targetOf(link) {
    var href = link.getAttribute("href") || "";
    var hash = href.indexOf("#");
    if (hash < 0 || hash === href.length - 1) {
      return null;
    }
    var path = href.slice(0, hash);
    if (path && path !== window.location.pathname) {
      return null;
    }
    return document.getElementById(decodeURIComponent(href.slice(hash + 1)));
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href*='#']") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var target = targetOf(link);
    if (!target || link.classList.contains("skip-link")) {
      return;
    }
    event.preventDefault();
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#" + target.id);
    }
    focusTarget(target);
  });

  // Scrollable boxes without anything focusable in them get a tab stop of their own.
  function makeScrollablesFocusable() {
    var boxes = document.querySelectorAll(".table-wrap, .findings-panel");
    for (var index = 0; index < boxes.length; index++) {
      var box = boxes[index];
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.querySelector(FOCUSABLE) && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("role")) {
          var caption = box.querySelector("caption, h2");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
        }
      }
    }
  }

  function focusSummary(summary) {
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    // At once, not smoothly: the error is where the reader looks next.
    summary.scrollIntoView({ block: "start", behavior: "instant" });
    summary.focus({ preventScroll: true });
  }

  function onLoad() {
    var summary = document.querySelector(".error-summary, #stale-message");
    if (summary) {
      focusSummary(summary);
      // The browser's own jump to the page's #fragment (a form that comes back at itself,
      // action="…#key") happens after this and takes focus away: focus the summary again.
      if (window.location.hash) {
        window.addEventListener("load", function () {
          window.setTimeout(function () {
            if (document.activeElement === document.body) {
              focusSummary(summary);
            }
          }, 0);
        });
      }
    } else if (window.location.hash.indexOf("#cell-") === 0) {
      // A finding's link from another page: its cell gets focus here.
      var cell = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      if (cell) {
        focusTarget(cell);
      }
    }
    makeScrollablesFocusable();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onLoad);
  } else {
    onLoad();
  }
  window.addEventListener("resize", makeScrollablesFocusable);
})();
