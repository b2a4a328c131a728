"""What the forms of the editor's pages share: Bootstrap classes for hand-laid forms,
crispy-forms helpers, and grids. Forms only parse and normalise what is typed (Swedish
numbers, partial dates, one item per line); each page's services write.

Grids (contributions, lines, meetings, activities) are one form with a set of
fields per row, named after the row's id: only the plan's current rows get
fields, so a posted value for another plan's row is never read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from budgets.editing.base import column_title
from finsam.forms import AmountField


class StyledForm(forms.Form):
    """Bootstrap classes on the widgets, and `is-invalid` on those with errors, for hand-laid grids."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        for form_field in self.fields.values():
            style_field(form_field)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def style_field(form_field: forms.Field, small: bool = False) -> None:
    widget = form_field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect, forms.HiddenInput)):
        return
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if small:
        css += f" {css}-sm"
    widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def crispy_helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


@dataclass
class GridRow:
    """One row of a grid as a template lays it out."""

    obj: Any
    label: str
    fields: dict[str, forms.BoundField] = field(default_factory=dict)
    amounts: list[forms.BoundField] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [error for bound in [*self.fields.values(), *self.amounts] for error in bound.errors]


class GridForm(StyledForm):
    """Many rows at once: fields named `r<row id>-<name>`, and `r<row id>-amount-<column id>`
    for the amount columns when `columns` are given."""

    def __init__(self, data=None, *, rows, columns=(), amounts=None, **kwargs):
        self.grid_objects = list(rows)
        self.columns = list(columns)
        self._amounts = amounts or {}
        super().__init__(data, **kwargs)
        self._row_names = {}
        for row in self.grid_objects:
            label = self.row_label(row)
            row_fields = self.row_fields(row)
            self._row_names[row.pk] = list(row_fields)
            for name, row_field in row_fields.items():
                key = self.key(row, name)
                row_field.label = f"{label}: {row_field.label}"
                style_field(row_field, small=True)
                self.fields[key] = row_field
                self.initial[key] = self.row_initial(row).get(name)
            for column in self.columns:
                key = self.key(row, f"amount-{column.pk}")
                amount_field = AmountField(
                    label=f"{label}, {column_title(column)}",
                    required=False,
                    widget=forms.TextInput(attrs={"size": 11, "class": "num-input"}),
                )
                style_field(amount_field, small=True)
                self.fields[key] = amount_field
                self.initial[key] = self._amounts.get((row.pk, column.pk))
        if self.is_bound:
            for key, grid_field in self.fields.items():
                if key.startswith("r") and key not in self.data:
                    # Not posted at all: kept as stored (see `clean`).
                    grid_field.disabled = True

    @staticmethod
    def key(row, name: str) -> str:
        return f"r{row.pk}-{name}"

    def row_label(self, row) -> str:
        return str(row)

    def row_fields(self, row) -> dict[str, forms.Field]:
        return {}

    def row_initial(self, row) -> dict:
        return {}

    def clean_row(self, row, values: dict) -> dict:
        """Cross-field checks of one row; add errors with `self.add_error(self.key(row, name), ...)`."""
        return values

    @property
    def grid_rows(self) -> list[GridRow]:
        result = []
        for row in self.grid_objects:
            names = self._row_names[row.pk]
            result.append(
                GridRow(
                    obj=row,
                    label=self.row_label(row),
                    fields={name: self[self.key(row, name)] for name in names},
                    amounts=[self[self.key(row, f"amount-{column.pk}")] for column in self.columns],
                )
            )
        return result

    def clean(self):
        cleaned_data = super().clean()
        self.cleaned_rows = {}
        # A field missing from the post altogether (not merely empty) is left as it is:
        # a browser posts every field, and a partial post must not clear the others.
        posted = self.data if self.is_bound else {}
        for row in self.grid_objects:
            values = {
                name: cleaned_data.get(self.key(row, name))
                for name in self._row_names[row.pk]
                if self.key(row, name) in posted
            }
            if self.columns:
                values["amounts"] = {
                    column.pk: cleaned_data.get(self.key(row, f"amount-{column.pk}"))
                    for column in self.columns
                    if self.key(row, f"amount-{column.pk}") in posted
                }
            self.cleaned_rows[row.pk] = self.clean_row(row, values)
        return cleaned_data


def line_amounts(lines) -> dict[tuple[int, int], Decimal]:
    """{(row id, column id): amount} of lines with prefetched amounts, keyed by line."""
    return {(line.pk, amount.column_id): amount.amount for line in lines for amount in line.amounts.all()}
