// The budget grid (templates/budgets/edit/grid.html): moving like a spreadsheet,
// pasting blocks from Excel or LibreOffice, adding, moving and removing lines, and
// the fill helpers. The totals are htmx's job: the form posts the unsaved grid to
// the server on every change and shows what it answers. The server re-checks every
// number; the rule here is the same so that a paste can be refused before it lands.
(function () {
  "use strict";

  const form = document.getElementById("budget-grid");
  if (!form) return;
  const table = document.getElementById("budget-grid-table");
  const message = document.getElementById("grid-message");
  const places = parseInt(form.dataset.places || "2", 10);
  const SHARE_PLACES = 4;
  let lastCell = null;

  // --- Numbers -------------------------------------------------------------

  // A Swedish or plain number: digits with one kind of group separator (a space
  // between groups of three), a decimal comma or point. Nothing else: no tabs or
  // line breaks inside, no two numbers, no sign (amounts carry theirs in the section).
  const NUMBER = /^(-?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[,.](\d+))?$/;

  function isShare(input) {
    return input.name.startsWith("share-");
  }

  function parseNumber(text, decimals, share) {
    const trimmed = text.replace(/^[ \u00a0\u202f]+|[ \u00a0\u202f]+$/g, "").replace(/\u2212/g, "-");
    if (trimmed === "") return { ok: true, value: null };
    if (/[\t\r\n]/.test(trimmed)) return { ok: false, reason: "innehåller en tabb eller radbrytning" };
    const match = NUMBER.exec(trimmed);
    if (!match) return { ok: false, reason: "är inte ett tal (skriv t.ex. 1 250 000 eller 1 250 000,50)" };
    if (match[1]) return { ok: false, reason: "är negativt; beloppen skrivs utan minustecken" };
    const fraction = match[3] || "";
    if (fraction.length > decimals) return { ok: false, reason: "har fler än " + decimals + " decimaler" };
    const whole = match[2].replace(/\D/g, "").replace(/^0+(?=\d)/, "");
    if (share && (whole.length > 1 || parseInt(whole, 10) > 1 || (whole === "1" && /[1-9]/.test(fraction)))) {
      return { ok: false, reason: "är ingen andel mellan 0 och 1 (skriv t.ex. 0,9)" };
    }
    return { ok: true, value: fraction ? whole + "." + fraction : whole };
  }

  function formatNumber(plain) {
    if (plain === null) return "";
    const parts = plain.split(".");
    const whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, " ");
    const fraction = (parts[1] || "").replace(/0+$/, "");
    return fraction ? whole + "," + fraction : whole;
  }

  function scaled(plain, decimals) {
    const parts = plain.split(".");
    const fraction = (parts[1] || "").padEnd(decimals, "0").slice(0, decimals);
    return BigInt(parts[0] + fraction);
  }

  function unscaled(value, decimals) {
    const text = value.toString().padStart(decimals + 1, "0");
    if (!decimals) return text;
    return text.slice(0, -decimals) + "." + text.slice(-decimals);
  }

  function decimalsOf(input) {
    return isShare(input) ? SHARE_PLACES : places;
  }

  // --- Where the cells are --------------------------------------------------

  function cellsOf(row) {
    return Array.from(row.querySelectorAll("input.grid-cell"));
  }

  function cellRows() {
    return Array.from(table.querySelectorAll("tbody tr")).filter((row) => row.querySelector("input.grid-cell"));
  }

  function position(input) {
    const rows = cellRows();
    const row = input.closest("tr");
    return { rows: rows, row: rows.indexOf(row), column: cellsOf(row).indexOf(input) };
  }

  function focusCell(rowIndex, columnIndex) {
    const rows = cellRows();
    if (rowIndex < 0 || rowIndex >= rows.length) return false;
    const cells = cellsOf(rows[rowIndex]);
    if (columnIndex < 0 || columnIndex >= cells.length) return false;
    cells[columnIndex].focus();
    cells[columnIndex].select();
    return true;
  }

  function nameOf(input) {
    return input.getAttribute("aria-label");
  }

  function say(text, ok) {
    message.textContent = text;
    message.classList.toggle("ok", Boolean(ok));
  }

  // The interventions whose granted amount or share changed here: the live answer
  // sends their cost back (a plan may have a hundred, most of them untouched).
  const touchedInput = document.getElementById("grid-touched");
  const touched = new Set();
  function touch(cell) {
    const match = /^(?:granted|share)-(\d+)-/.exec(cell.name);
    if (match && !touched.has(match[1])) {
      touched.add(match[1]);
      touchedInput.value = Array.from(touched).join(" ");
    }
  }

  // The live request leaves out the empty cells: the server reads a cell that is not
  // posted as an empty one, and most of a large plan's funding cells are empty. The
  // save posts the whole form.
  const CELL = /^(?:amount|granted|share)-/;
  form.addEventListener("htmx:configRequest", (event) => {
    const data = event.detail.formData;
    if (!data) return;
    const empty = [];
    for (const [name, value] of data.entries()) {
      if (value === "" && CELL.test(name)) empty.push(name);
    }
    empty.forEach((name) => data.delete(name));
  });

  function setCell(cell, value) {
    cell.value = value;
    cell.removeAttribute("aria-invalid");
    cell.classList.remove("is-invalid");
    touch(cell);
  }

  function changed() {
    form.dispatchEvent(new CustomEvent("grid-changed", { bubbles: true }));
  }

  // --- Moving like a spreadsheet -------------------------------------------

  table.addEventListener("keydown", function (event) {
    const target = event.target;
    if (target.matches("textarea.grid-label") && event.key === "Enter") {
      event.preventDefault(); // a line's name is one line
      return;
    }
    if (!target.matches("input.grid-cell") || event.altKey || event.ctrlKey || event.metaKey) return;
    const here = position(target);
    const length = target.value.length;
    const allSelected = target.selectionStart === 0 && target.selectionEnd === length;
    let moved = null;
    switch (event.key) {
      case "ArrowUp":
        moved = focusCell(here.row - 1, here.column);
        break;
      case "ArrowDown":
        moved = focusCell(here.row + 1, here.column);
        break;
      case "Enter":
        moved = focusCell(here.row + (event.shiftKey ? -1 : 1), here.column);
        event.preventDefault(); // Enter moves; saving is the button's job
        break;
      case "ArrowLeft":
        if (allSelected || (target.selectionStart === 0 && target.selectionEnd === 0)) {
          moved = focusCell(here.row, here.column - 1);
        }
        break;
      case "ArrowRight":
        if (allSelected || (target.selectionStart === length && target.selectionEnd === length)) {
          moved = focusCell(here.row, here.column + 1);
        }
        break;
      case "Tab":
        if (event.shiftKey) {
          moved = focusCell(here.row, here.column - 1) ||
            (here.row > 0 && focusCell(here.row - 1, cellsOf(here.rows[here.row - 1]).length - 1));
        } else {
          moved = focusCell(here.row, here.column + 1) || focusCell(here.row + 1, 0);
        }
        break;
      default:
        return;
    }
    if (moved) event.preventDefault();
  });

  table.addEventListener("focusin", function (event) {
    if (event.target.matches("input.grid-cell")) {
      lastCell = event.target;
      event.target.select();
    }
  });

  // A typed number is shown the Swedish way once the cell is left.
  table.addEventListener("change", function (event) {
    const input = event.target;
    if (!input.matches("input.grid-cell")) return;
    const parsed = parseNumber(input.value, decimalsOf(input), isShare(input));
    if (parsed.ok) {
      input.value = formatNumber(parsed.value);
      input.removeAttribute("aria-invalid");
      input.classList.remove("is-invalid");
    } else {
      input.setAttribute("aria-invalid", "true");
      input.classList.add("is-invalid");
      say(nameOf(input) + ": ”" + input.value + "” " + parsed.reason + ".");
    }
  });

  // --- Pasting a block from Excel or LibreOffice -----------------------------

  table.addEventListener("paste", function (event) {
    const input = event.target;
    if (!input.matches("input.grid-cell")) return;
    const text = (event.clipboardData || window.clipboardData).getData("text/plain");
    const block = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
    if (!/[\t\n]/.test(block)) return; // one value: the browser pastes it into the cell
    event.preventDefault();
    const values = block.split("\n").map((line) => line.split("\t"));
    const height = values.length;
    const width = Math.max.apply(null, values.map((line) => line.length));
    const here = position(input);
    const roomDown = here.rows.length - here.row;
    const roomRight = cellsOf(here.rows[here.row]).length - here.column;
    if (height > roomDown || width > roomRight) {
      say(
        "Blocket är " + height + " rader × " + width + " kolumner, men från " + nameOf(input) +
        " finns bara plats för " + roomDown + " rader × " + roomRight + " kolumner. Inget är ändrat."
      );
      return;
    }
    const writes = [];
    for (let i = 0; i < height; i++) {
      const cells = cellsOf(here.rows[here.row + i]);
      for (let j = 0; j < values[i].length; j++) {
        const cell = cells[here.column + j];
        if (!cell) {
          say("Rad " + (i + 1) + " i blocket får inte plats: raden " + nameOf(cells[0]).split(" ").slice(0, -1).join(" ") +
            " har för få kolumner. Inget är ändrat.");
          return;
        }
        const parsed = parseNumber(values[i][j], decimalsOf(cell), isShare(cell));
        if (!parsed.ok) {
          say(
            "Rad " + (i + 1) + ", kolumn " + (j + 1) + " i blocket, ”" + values[i][j].trim() + "”, " + parsed.reason +
            " (den skulle hamna i " + nameOf(cell) + "). Inget är ändrat."
          );
          return;
        }
        writes.push([cell, formatNumber(parsed.value)]);
      }
    }
    writes.forEach(function (write) {
      setCell(write[0], write[1]);
    });
    say("Inklistrat: " + height + " rader × " + width + " kolumner från " + nameOf(input) + ".", true);
    changed();
  });

  // --- Lines: names, moving, removing, adding ---------------------------------

  function columnTitles() {
    return Array.from(table.querySelectorAll("thead th[data-column]")).map((th) => th.textContent.trim());
  }

  function nameCells(row) {
    const label = row.querySelector("textarea.grid-label");
    if (!label) return;
    const name = label.value.trim() || "Ny rad";
    const titles = columnTitles();
    cellsOf(row).forEach(function (cell, index) {
      cell.setAttribute("aria-label", name + " " + titles[index]);
    });
    row.querySelectorAll("[data-move=up] .visually-hidden").forEach((span) => (span.textContent = "Flytta upp " + name));
    row.querySelectorAll("[data-move=down] .visually-hidden").forEach((span) => (span.textContent = "Flytta ned " + name));
  }

  table.addEventListener("input", function (event) {
    if (event.target.matches("textarea.grid-label")) nameCells(event.target.closest("tr"));
    if (event.target.matches("input.grid-cell")) touch(event.target);
  });

  table.addEventListener("change", function (event) {
    const target = event.target;
    if (target.name && target.name.startsWith("delete-")) {
      target.closest("tr").classList.toggle("grid-deleted", target.checked);
    }
    if (target.name && target.name.startsWith("intervention-") && target.value) {
      const group = target.closest("tr").querySelector("select[name^=group-]");
      if (group) group.value = "intervention";
    }
  });

  table.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-move]");
    if (!button) return;
    const row = button.closest("tr");
    const up = button.dataset.move === "up";
    const sibling = up ? row.previousElementSibling : row.nextElementSibling;
    const label = row.querySelector("textarea.grid-label").value.trim();
    if (!sibling || !sibling.classList.contains("grid-line")) {
      say(label + " är redan " + (up ? "först" : "sist") + ".", true);
      return;
    }
    row.parentNode.insertBefore(row, up ? sibling : sibling.nextElementSibling);
    button.focus();
    say(label + " är flyttad " + (up ? "upp" : "ned") + ".", true);
    changed();
  });

  const addSection = document.getElementById("add-section");
  const addGroup = document.getElementById("add-group");
  const addIntervention = document.getElementById("add-intervention");
  const addLabel = document.getElementById("add-label");

  function showGroups() {
    let first = null;
    Array.from(addGroup.options).forEach(function (option) {
      const fits = option.dataset.section === addSection.value;
      option.hidden = !fits;
      option.disabled = !fits;
      if (fits && !first) first = option;
    });
    if (addGroup.selectedOptions[0] && addGroup.selectedOptions[0].disabled) addGroup.value = first.value;
    addIntervention.disabled = addSection.value !== "cost";
  }
  addSection.addEventListener("change", showGroups);
  addIntervention.addEventListener("change", function () {
    if (addIntervention.value) addGroup.value = "intervention";
  });
  showGroups();

  let added = 0;
  form.querySelectorAll("input[name=row]").forEach(function (input) {
    const match = /^n(\d+)$/.exec(input.value);
    if (match) added = Math.max(added, parseInt(match[1], 10));
  });

  function addLine() {
    const label = addLabel.value.trim();
    if (!label) {
      say("Skriv radens namn först.");
      addLabel.focus();
      return;
    }
    const section = addSection.value;
    added += 1;
    const key = "n" + added;
    const template = document.getElementById("grid-line-template-" + section);
    const holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.split("__key__").join(key);
    const row = holder.querySelector("tr");
    row.querySelector("textarea.grid-label").value = label;
    const kind = row.querySelector("select[name^=kind-]");
    if (kind) kind.value = addGroup.value;
    const group = row.querySelector("select[name^=group-]");
    if (group) group.value = addGroup.value;
    const intervention = row.querySelector("select[name^=intervention-]");
    if (intervention) intervention.value = addIntervention.value;
    table.querySelector("tbody[data-section=" + section + "]").appendChild(row);
    nameCells(row);
    addLabel.value = "";
    say(label + " är tillagd sist bland " + (section === "cost" ? "kostnaderna" : "intäkterna") + ".", true);
    cellsOf(row)[0].focus();
    changed();
  }

  document.getElementById("add-line").addEventListener("click", addLine);
  addLabel.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      addLine();
    }
  });

  // --- Fill helpers ----------------------------------------------------------

  document.getElementById("copy-column").addEventListener("click", function () {
    const from = parseInt(document.getElementById("copy-from").value, 10);
    const to = parseInt(document.getElementById("copy-to").value, 10);
    if (from === to) {
      say("Välj två olika kolumner.");
      return;
    }
    cellRows().forEach(function (row) {
      const cells = cellsOf(row);
      if (cells[from] && cells[to]) setCell(cells[to], cells[from].value);
    });
    const titles = columnTitles();
    say("Kolumnen " + titles[from] + " är kopierad till " + titles[to] + ".", true);
    changed();
  });

  document.getElementById("grow-apply").addEventListener("click", function () {
    const percent = parseNumber(document.getElementById("grow-percent").value, 4, false);
    if (!percent.ok || percent.value === null) {
      say("Procent per år: skriv ett tal, t.ex. 2 eller 2,5.");
      return;
    }
    const from = parseInt(document.getElementById("grow-from").value, 10);
    const scope = document.getElementById("grow-scope").value;
    let rows;
    if (scope === "all") {
      rows = cellRows();
    } else if (!lastCell) {
      say("Ställ dig först i en ruta på den rad eller i den grupp som ska räknas upp.");
      return;
    } else if (scope === "row") {
      rows = [lastCell.closest("tr")];
    } else {
      rows = cellRows().filter((row) => row.parentNode === lastCell.closest("tbody"));
    }
    // Amount × (1 + p/100) per year, exactly, rounded half up to whole units of the plan.
    const factor = 1000000n + scaled(percent.value, 4);
    let count = 0;
    rows.forEach(function (row) {
      const cells = cellsOf(row);
      if (!cells[from] || isShare(cells[from])) return;
      const start = parseNumber(cells[from].value, places, false);
      if (!start.ok || start.value === null) return;
      let amount = scaled(start.value, places);
      const unit = 10n ** BigInt(places);
      for (let index = from + 1; index < cells.length; index++) {
        amount = (amount * factor + 500000n) / 1000000n;
        amount = ((amount + unit / 2n) / unit) * unit;
        setCell(cells[index], formatNumber(unscaled(amount, places)));
      }
      count += 1;
    });
    say("Uppräknat med " + formatNumber(percent.value) + " % per år: " + count + (count === 1 ? " rad." : " rader."), true);
    changed();
  });

  // After a refused save, the list of what to correct is where the reader starts.
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
