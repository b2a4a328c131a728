// The outcome grid of a follow-up (templates/followup/outcome.html): one column of
// cells, moved through with the arrow keys and Enter, and a column pasted from Excel
// or LibreOffice lands from the cell the chief stands in downwards. The server reads
// every number strictly (finsam.lib.numbers); this only refuses a paste that would
// not fit, so that nothing lands half.
(function () {
  "use strict";

  const form = document.getElementById("outcome-grid");
  if (!form) return;
  const message = document.getElementById("grid-message");
  const places = parseInt(form.dataset.places || "2", 10);
  const NUMBER = /^(-?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[,.](\d+))?$/;

  function cells() {
    return Array.from(form.querySelectorAll("input.grid-cell"));
  }

  function say(text) {
    message.textContent = text;
  }

  function valid(text) {
    const trimmed = text.replace(/^[ \u00a0\u202f]+|[ \u00a0\u202f]+$/g, "").replace(/\u2212/g, "-");
    if (trimmed === "") return true;
    const match = NUMBER.exec(trimmed);
    return Boolean(match) && (match[3] || "").length <= places;
  }

  form.addEventListener("keydown", function (event) {
    const input = event.target;
    if (!input.classList || !input.classList.contains("grid-cell")) return;
    const all = cells();
    const index = all.indexOf(input);
    let next = null;
    if (event.key === "ArrowDown" || (event.key === "Enter" && !event.shiftKey)) next = all[index + 1];
    else if (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) next = all[index - 1];
    else return;
    event.preventDefault();
    if (next) {
      next.focus();
      next.select();
    }
  });

  form.addEventListener("paste", function (event) {
    const input = event.target;
    if (!input.classList || !input.classList.contains("grid-cell")) return;
    const text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\r\n]/.test(text.replace(/[\r\n]+$/, ""))) return; // one value: the browser pastes it
    event.preventDefault();
    const rows = text.replace(/[\r\n]+$/, "").split(/\r\n|\r|\n/).map((row) => row.split("\t").pop());
    const all = cells();
    const start = all.indexOf(input);
    if (start + rows.length > all.length) {
      say("Blocket har " + rows.length + " rader men det finns bara " + (all.length - start) + " rutor nedanför. Inget klistrades in.");
      return;
    }
    const bad = rows.findIndex((value) => !valid(value));
    if (bad >= 0) {
      say("Rad " + (bad + 1) + " i blocket, ”" + rows[bad] + "”, är inget belopp med högst " + places + " decimaler. Inget klistrades in.");
      return;
    }
    rows.forEach((value, offset) => (all[start + offset].value = value.trim()));
    say(rows.length + " rutor ifyllda. Spara för att behålla dem.");
  });
})();
