"""The follow-up page's form: a forecast and a comment per line, a comment per group.
It only parses: amounts through the strict Swedish parser (`finsam.forms`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.forms import AmountField, DecimalCommaField
from finsam.lib.formatting import format_number
from finsam.lib.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS
from followup.figures import FollowUpFigures
from followup.models import COMMENT_MAX_LENGTH

COMMENT_ERRORS = {"max_length": _("Skriv högst %(limit_value)d tecken (kommentaren har %(show_value)d).")}


def comment_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        error_messages=COMMENT_ERRORS,
        widget=forms.Textarea(attrs={"rows": 1, "cols": 30}),
    )


class ExplainForm(forms.Form):
    """Fields `forecast-<row anchor>` and `comment-<row anchor>` per line, `comment-group-<group>` per group."""

    def __init__(self, *args, figures: FollowUpFigures, forecasts: dict, line_comments: dict, group_comments: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.line_rows = [row for row in figures.rows if row.kind == "line"]
        self.group_rows = [row for row in figures.rows if row.kind == "group"]
        for row in self.line_rows:
            if row.key.startswith("income:"):
                # Other income may be negative (negative interest, repayments).
                field = DecimalCommaField(
                    required=False, max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES
                )
            else:
                field = AmountField(required=False)
            field.label = _("Prognos för %(line)s") % {"line": row.label}
            # Shown as the table around it shows numbers ("1 020 000"), which the parser reads back.
            field.widget.attrs["placeholder"] = format_number(row.forecast) if not row.overridden else ""
            self.fields[f"forecast-{row.anchor}"] = field
            self.initial[f"forecast-{row.anchor}"] = format_number(forecasts.get(row.key))
            comment = comment_field()
            comment.label = _("Kommentar till %(line)s") % {"line": row.label}
            self.fields[f"comment-{row.anchor}"] = comment
            self.initial[f"comment-{row.anchor}"] = line_comments.get(row.key, "")
        for row in self.group_rows:
            comment = comment_field()
            comment.label = _("Kommentar till %(group)s") % {"group": row.label}
            self.fields[f"comment-group-{row.group}"] = comment
            self.initial[f"comment-group-{row.group}"] = group_comments.get(row.group, "")

    def forecasts(self) -> dict[str, object]:
        return {row.key: self.cleaned_data[f"forecast-{row.anchor}"] for row in self.line_rows}

    def line_comments(self) -> dict[str, str]:
        return {row.key: self.cleaned_data[f"comment-{row.anchor}"] for row in self.line_rows}

    def group_comments(self) -> dict[str, str]:
        return {row.group: self.cleaned_data[f"comment-group-{row.group}"] for row in self.group_rows}
