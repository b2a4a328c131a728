"""Reading one figure of the budget table by its row key and column id.

The plan page and the preview mark every cell with `data-row` (the table's row key,
e.g. "party:state", "total:closing_equity", "line:kansli") and `data-col` (the
column id, e.g. "b2025"); `cell()` returns what that one cell shows. In the PDF's
text, where there are no attributes, `pdf_row()` reads a row by its label, each
column's figure apart, from the text laid out as on the page.

So a test asserts "77 000 in the closing equity of p2027", which "177 000"
elsewhere on the page cannot satisfy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class CellText:
    """A table cell: `value` is its figure alone; `share` and `stated` are the party's
    share and the differing printed figure shown beside it; `marks` the finding marks."""

    value: str = ""
    share: str = ""
    stated: str = ""
    marks: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


class _CellParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: dict[tuple[str, str], CellText] = {}
        self._current: CellText | None = None
        # The spans open inside the current cell, outermost first: their class.
        self._spans: list[str] = []
        self._parts: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "td" and "data-row" in attributes and "data-col" in attributes:
            key = (attributes["data-row"], attributes["data-col"])
            if key in self.cells:
                raise AssertionError(f"two cells for row {key[0]!r}, column {key[1]!r}")
            self._current = self.cells[key] = CellText(classes=(attributes.get("class") or "").split())
            self._spans = []
            self._parts = {"value": [], "share": [], "stated": [], "mark": []}
        elif tag == "span" and self._current is not None:
            classes = (attributes.get("class") or "").split()
            kind = next((name for name in ("share", "stated", "finding-mark", "marks") if name in classes), "other")
            self._spans.append(kind)

    def handle_endtag(self, tag):
        if self._current is None:
            return
        if tag == "span" and self._spans:
            kind = self._spans.pop()
            if kind in ("finding-mark", "marks") and not self._spans:
                self._current.marks.append(_squeeze("".join(self._parts["mark"])))
                self._parts["mark"] = []
        elif tag == "td":
            cell = self._current
            cell.value = _squeeze("".join(self._parts["value"]))
            cell.share = _squeeze("".join(self._parts["share"]))
            cell.stated = _squeeze("".join(self._parts["stated"]))
            self._current = None

    def handle_data(self, data):
        if self._current is None:
            return
        if not self._spans:
            self._parts["value"].append(data)
        elif self._spans[0] in ("finding-mark", "marks"):
            # The visible mark only ("!" or the appendix number), not the hidden message.
            if len(self._spans) == 1:
                self._parts["mark"].append(data)
        elif self._spans[0] in ("share", "stated"):
            self._parts[self._spans[0]].append(data)


def cells(html: str | bytes) -> dict[tuple[str, str], CellText]:
    """Every marked cell of the page: (row key, column id) -> CellText."""
    if isinstance(html, bytes):
        html = html.decode()
    parser = _CellParser()
    parser.feed(html)
    parser.close()
    return parser.cells


def cell(html: str | bytes, row: str, column: str) -> CellText:
    """The cell of row `row` (its key) in column `column` (its id); fails naming the
    rows and columns there are when there is no such cell."""
    found = cells(html)
    try:
        return found[(row, column)]
    except KeyError:
        rows = sorted({key[0] for key in found})
        columns = sorted({key[1] for key in found})
        raise AssertionError(f"no cell {row!r} / {column!r}; rows {rows}, columns {columns}") from None


def row_values(html: str | bytes, row: str) -> dict[str, str]:
    """The figures of one row by column id, in the page's column order."""
    return {column: text.value for (key, column), text in cells(html).items() if key == row}


# ---------------------------------------------------------------------------
# The PDF

# Columns on a laid-out line are at least two spaces apart; the spaces inside
# a figure ("1 760 500") are single.
_COLUMN_GAP = re.compile(r" {2,}")
# What a row of figures holds: digits, spaces, decimal commas, minus signs, percent.
_FIGURES = re.compile(r"[0-9 ,\u2212%]+")


def pdf_row(layout_text: str, label: str) -> list[str]:
    """The figures of the budget row labelled `label`, one string per column, from
    text extracted with pypdf's `extraction_mode="layout"`. The row must be on one
    line and appear once."""
    rows = []
    for line in layout_text.splitlines():
        line = line.strip()
        if line.startswith(label + " ") and _FIGURES.fullmatch(line[len(label):].strip()):
            rows.append(line[len(label):].strip())
    if len(rows) != 1:
        raise AssertionError(f"{len(rows)} lines have the label {label!r} followed by figures")
    return _COLUMN_GAP.split(rows[0])


def pdf_layout_text(pdf: bytes) -> str:
    """The PDF's text laid out as on its pages (figures of one row on one line)."""
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    return "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
