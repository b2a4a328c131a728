"""Forms of the chief's edit pages. They only parse and normalise what is typed
(Swedish numbers, partial dates, one item per line); the services in
`budgets.edit_services` write.

Grids (contributions, lines, meetings, activities) are one form with a set of
fields per row, named after the row's id: only the plan's current rows get
fields, so a posted value for another plan's row is never read.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from budgets import keys
from budgets.models import (
    OUTLOOK_YEARS_MAX,
    YEAR_MAX,
    YEAR_MIN,
    BudgetLine,
    Column,
    Meeting,
    MunicipalKey,
    Plan,
)
from budgets.planfile import address_name
from federations.models import Member
from finsam.forms import AmountField, DecimalCommaField, format_decimal, parse_field_number
from finsam.layout import Fieldset
from finsam.lib.limits import CHAPTER_BODY_MAX_CHARS, COLUMN_YEARS_BEFORE, SHORT_TEXT_MAX_CHARS
from finsam.lib.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS
from finsam.lib.partial_dates import parse_partial_date, validate_partial_date

UNIT_NAMES = {Plan.Unit.SEK: "kr", Plan.Unit.TKR: "tkr"}


def unit_name(plan: Plan) -> str:
    return UNIT_NAMES.get(plan.unit, plan.unit)


def column_title(column: Column) -> str:
    return column.label or f"{column.get_kind_display()} {column.year}"


def format_as_typed(value: Decimal | None, places: int | None) -> str:
    """A key share as it was typed: 0,50 keeps its two decimals."""
    if value is None:
        return ""
    if places is None:
        return format_decimal(value)
    return format(value.quantize(Decimal(1).scaleb(-places)), "f").replace(".", ",")


class PercentField(DecimalCommaField):
    """A percentage, typed with or without the sign: "10", "9,5 %"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", Decimal(100))
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 3)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("%")
        return super().to_python(value)


class FractionField(DecimalCommaField):
    """A share as a fraction between 0 and 1, typed with a decimal comma: "0,9"."""

    def __init__(self, *, places: int = 4, **kwargs):
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", Decimal(1))
        # No max_digits: the range check says all there is to say about the whole part.
        kwargs.setdefault("decimal_places", places)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        message = _("Ange ett bråktal mellan 0 och 1 med decimalkomma, t.ex. 0,9.")
        for code in ("invalid", "max_value", "min_value"):
            self.error_messages[code] = message


def validate_meeting_date(value: str) -> None:
    """A meeting has at least a month: YYYY-MM or YYYY-MM-DD."""
    try:
        parse_partial_date(value)
    except ValueError:
        valid = False
    else:
        valid = len(value) >= 7
    if not valid:
        raise ValidationError(_("Ange datum som ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM."), code="invalid")


class StyledForm(forms.Form):
    """Bootstrap classes on the widgets, and `is-invalid` on those with errors, for hand-laid grids."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        for form_field in self.fields.values():
            _style(form_field)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def _style(form_field: forms.Field, small: bool = False) -> None:
    widget = form_field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect, forms.HiddenInput)):
        return
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if small:
        css += f" {css}-sm"
    widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def _crispy_helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


# ---------------------------------------------------------------------------
# The federation's profile and the plan's facts and goals


class CountField(forms.IntegerField):
    """A whole number such as a population, typed with or without spaces between
    thousands ("12 500"), read as strictly as an amount (`finsam.lib.numbers`)."""

    widget = forms.TextInput

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "numeric"
        return attrs

    def to_python(self, value):
        if isinstance(value, str):
            number = parse_field_number(self, value, decimals=0)
            return None if number is None else int(number)
        return super().to_python(value)


class OrgNumberField(forms.CharField):
    """NNNNNN-NNNN; ten digits typed without the dash get one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 13)
        super().__init__(**kwargs)
        self.validators.append(
            RegexValidator(r"^[0-9]{6}-[0-9]{4}$", message=_("Skriv organisationsnumret som NNNNNN-NNNN, t.ex. 222000-1234."))
        )

    def to_python(self, value):
        value = re.sub(r"\s", "", super().to_python(value))
        if re.fullmatch(r"[0-9]{10}", value):
            value = f"{value[:6]}-{value[6:]}"
        return value


class PlanSettingsForm(forms.Form):
    name = forms.CharField(label=_("Förbundets namn"), max_length=200)
    short_name = forms.CharField(label=_("Kort namn"), max_length=100, required=False)
    org_number = OrgNumberField(label=_("Organisationsnummer"), required=False, help_text=_("NNNNNN-NNNN"))
    founded = forms.CharField(
        label=_("Bildat"), max_length=10, required=False, validators=[validate_partial_date],
        help_text=_("ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD"),
    )
    vision = forms.CharField(
        label=_("Vision"), required=False, max_length=SHORT_TEXT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )
    website = forms.CharField(label=_("Webbplats"), max_length=200, required=False)

    title = forms.CharField(label=_("Titel"), max_length=300, required=False)
    reference = forms.CharField(label=_("Diarienummer"), max_length=100, required=False)
    last_year = forms.IntegerField(label=_("Sista planår"))
    municipal_key = forms.ChoiceField(
        label=_("Kommunernas fördelningsnyckel"),
        choices=[("", _("Inte angiven"))] + list(MunicipalKey.choices),
        required=False,
    )

    equity_floor = AmountField(label=_("Lägsta egna kapital"), required=False)
    admin_share_max = PercentField(label=_("Högsta andel administration (%)"), required=False)
    intervention_share_min = PercentField(label=_("Lägsta andel till insatser och samverkan (%)"), required=False)

    equity_opening_year = forms.IntegerField(
        label=_("Eget kapital den 1 januari år"), min_value=YEAR_MIN, max_value=YEAR_MAX, required=False
    )
    equity_opening_amount = DecimalCommaField(
        label=_("Ingående eget kapital"),
        max_digits=AMOUNT_MAX_DIGITS,
        decimal_places=AMOUNT_DECIMAL_PLACES,
        required=False,
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        unit = unit_name(plan)
        self.fields["last_year"] = forms.IntegerField(
            label=self.fields["last_year"].label,
            min_value=plan.year,
            max_value=plan.year + OUTLOOK_YEARS_MAX,
            help_text=_("Budgetåret %(year)s eller högst tio år senare.") % {"year": plan.year},
        )
        self.fields["equity_floor"].help_text = _("I %(unit)s. Tomt: inget eget golv.") % {"unit": unit}
        self.fields["equity_opening_amount"].help_text = _("I %(unit)s.") % {"unit": unit}
        self.fields["admin_share_max"].help_text = _("T.ex. 10 eller 9,5. Tomt: inget mål.")
        self.fields["intervention_share_min"].help_text = _("T.ex. 80. Tomt: inget mål.")
        self.helper = _crispy_helper(
            Fieldset(
                _("Förbundet"),
                Div(Div("name", css_class="col-md-8"), Div("short_name", css_class="col-md-4"), css_class="row"),
                Div(Div("org_number", css_class="col-md-4"), Div("founded", css_class="col-md-3"),
                    Div("website", css_class="col-md-5"), css_class="row"),
                "vision",
            ),
            Fieldset(
                _("Planen"),
                Div(Div("title", css_class="col-md-8"), Div("reference", css_class="col-md-4"), css_class="row"),
                Div(Div("last_year", css_class="col-md-4"), Div("municipal_key", css_class="col-md-8"), css_class="row"),
            ),
            Fieldset(
                _("Förbundets mål"),
                Div(Div("equity_floor", css_class="col-md-4"), Div("admin_share_max", css_class="col-md-4"),
                    Div("intervention_share_min", css_class="col-md-4"), css_class="row"),
            ),
            Fieldset(
                _("Ingående eget kapital"),
                Div(Div("equity_opening_year", css_class="col-md-4"), Div("equity_opening_amount", css_class="col-md-8"),
                    css_class="row"),
            ),
        )

    @classmethod
    def initial_for(cls, plan: Plan) -> dict:
        federation = plan.federation
        return {
            **{name: getattr(federation, name) for name in ("name", "short_name", "org_number", "founded", "vision", "website")},
            **{
                name: getattr(plan, name)
                for name in (
                    "title", "reference", "last_year", "municipal_key", "equity_floor", "admin_share_max",
                    "intervention_share_min", "equity_opening_year", "equity_opening_amount",
                )
            },
        }

    def clean(self):
        cleaned_data = super().clean()
        # A plan file names its federation by an address name made from these, so one
        # without a letter or digit could be exported but never read back.
        named_by = "short_name" if cleaned_data.get("short_name") else "name"
        if cleaned_data.get(named_by) and not address_name(cleaned_data[named_by]):
            self.add_error(named_by, _("Skriv namnet med minst en bokstav eller siffra."))
        year = cleaned_data.get("equity_opening_year")
        amount = cleaned_data.get("equity_opening_amount")
        if "equity_opening_year" not in self.errors and "equity_opening_amount" not in self.errors:
            if year is None and amount is not None:
                self.add_error("equity_opening_year", _("Ange året för det ingående egna kapitalet."))
            elif year is not None and amount is None:
                self.add_error("equity_opening_amount", _("Ange beloppet för det ingående egna kapitalet."))
        for name in ("short_name", "org_number", "founded", "vision", "website", "title", "reference", "municipal_key"):
            if cleaned_data.get(name) is None and name in cleaned_data:
                cleaned_data[name] = ""
        return cleaned_data


# ---------------------------------------------------------------------------
# Members


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = forms.ChoiceField(label=_("Slag"), choices=Member.Kind.choices)
    population = CountField(
        label=_("Folkmängd"), min_value=0, max_value=10_000_000, required=False,
        help_text=_("Används när kommunerna fördelar efter folkmängd."),
        error_messages={"invalid": _("Ange folkmängden som ett heltal, t.ex. 12 500.")},
    )
    key_share = FractionField(
        label=_("Andel av kommunernas fjärdedel"),
        places=6,
        help_text=_("Som bråktal med decimalkomma, t.ex. 0,16 för 16 %. Bara för kommuner."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_share"].error_messages["invalid"] = _("Ange andelen som bråktal med decimalkomma, t.ex. 0,16.")
        self.helper = _crispy_helper(
            Div(Div("name", css_class="col-md-6"), Div("kind", css_class="col-md-6"), css_class="row"),
            Div(Div("population", css_class="col-md-6"), Div("key_share", css_class="col-md-6"), css_class="row"),
        )

    @classmethod
    def initial_for(cls, member: Member) -> dict:
        return {
            "name": member.name,
            "kind": member.kind,
            "population": member.population,
            "key_share": format_as_typed(member.key_share, member.key_share_places),
        }

    def clean(self):
        cleaned_data = super().clean()
        share = cleaned_data.get("key_share")
        if share is not None and cleaned_data.get("kind") not in (None, Member.Kind.MUNICIPALITY):
            self.add_error("key_share", _("Bara kommuner har en andel i kommunernas fördelningsnyckel."))
        # The key is checked to the precision it is typed with: "0,50" has two decimals.
        cleaned_data["key_share_places"] = max(0, -share.as_tuple().exponent) if share is not None else None
        return cleaned_data


# ---------------------------------------------------------------------------
# Columns


class ColumnForm(forms.Form):
    kind = forms.ChoiceField(label=_("Slag"), choices=Column.Kind.choices, initial=Column.Kind.PLAN)
    year = forms.IntegerField(label=_("År"))
    label = forms.CharField(label=_("Rubrik"), max_length=100, required=False)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.IntegerField(
            label=self.fields["year"].label,
            min_value=plan.year - COLUMN_YEARS_BEFORE,
            max_value=plan.last_year,
            help_text=_("Högst planens sista år, %(year)s.") % {"year": plan.last_year},
        )
        self.fields["year"].error_messages["min_value"] = _(
            "En kolumn ser högst %(years)s år bakåt: tidigast %(first)s."
        ) % {"years": COLUMN_YEARS_BEFORE, "first": plan.year - COLUMN_YEARS_BEFORE}
        self.fields["year"].error_messages["max_value"] = _(
            "Planen sträcker sig till %(year)s. Ändra sista planår under Förbund och plan för att lägga till senare år."
        ) % {"year": plan.last_year}
        self.fields["label"].help_text = _("Tomt: slag och år, t.ex. ”Budget %(year)s”.") % {"year": plan.year}
        self.helper = _crispy_helper(
            Div(Div("kind", css_class="col-sm-4"), Div("year", css_class="col-sm-3"), Div("label", css_class="col-sm-5"),
                css_class="row"),
        )


# ---------------------------------------------------------------------------
# Grids


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
                _style(row_field, small=True)
                self.fields[key] = row_field
                self.initial[key] = self.row_initial(row).get(name)
            for column in self.columns:
                key = self.key(row, f"amount-{column.pk}")
                amount_field = AmountField(
                    label=f"{label}, {column_title(column)}",
                    required=False,
                    widget=forms.TextInput(attrs={"size": 11, "class": "num-input"}),
                )
                _style(amount_field, small=True)
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


class ContributionsForm(GridForm):
    """One row per member, one amount per column."""

    def row_label(self, member: Member) -> str:
        return member.name


class KeyFillForm(StyledForm):
    column = forms.TypedChoiceField(label=_("Kolumn"), coerce=int)
    key = forms.ChoiceField(
        label=_("Fördela efter"),
        widget=forms.RadioSelect,
        choices=[
            (keys.FIXED, _("fasta andelar (kommunernas andel i nyckeln)")),
            (keys.POPULATION, _("folkmängd")),
            (keys.EQUAL, _("lika delar")),
        ],
    )
    total = AmountField(
        label=_("Kommunernas totala belopp"),
        required=False,
        widget=forms.TextInput(attrs={"size": 14}),
    )

    def __init__(self, *args, plan: Plan, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [(column.pk, column_title(column)) for column in columns]
        self.fields["total"].help_text = _(
            "I hela %(unit)s. Tomt: det belopp som gör kommunerna till en fjärdedel av bidragen, "
            "dvs. en tredjedel av vad staten och regionen betalar."
        ) % {"unit": _("kronor") if plan.unit == Plan.Unit.SEK else "tkr"}
        self.unit = plan.unit
        if not self.is_bound:
            municipalities = [
                keys.KeyMember(id=member.pk, name=member.name, population=member.population, key_share=member.key_share)
                for member in plan.members.all()
                if member.kind == Member.Kind.MUNICIPALITY
            ]
            self.initial.setdefault("key", keys.default_key(plan.municipal_key, municipalities))
            budget = next((column for column in columns if column.year == plan.year and column.kind == Column.Kind.BUDGET), None)
            if budget is not None:
                self.initial.setdefault("column", budget.pk)

    def clean_total(self):
        total = self.cleaned_data["total"]
        if total is not None and total != total.to_integral_value():
            raise ValidationError(
                _("Ange totalen i hela %(unit)s; beloppen avrundas till hela %(unit)s.")
                % {"unit": _("kronor") if self.unit == Plan.Unit.SEK else "tkr"}
            )
        return total


# ---------------------------------------------------------------------------
# Other income and costs


def _intervention_choices(interventions) -> list[tuple[str, str]]:
    return [("", _("– ingen –"))] + [(str(intervention.pk), intervention.name) for intervention in interventions]


class LineCreateForm(StyledForm):
    label = forms.CharField(label=_("Rubrik"), max_length=300)
    group = forms.ChoiceField(label=_("Grupp"))
    intervention = forms.ChoiceField(label=_("Insats"), required=False)

    def __init__(self, *args, section: str, interventions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        self.interventions = {str(intervention.pk): intervention for intervention in interventions}
        if section == BudgetLine.Section.INCOME:
            self.fields["group"].label = _("Slag av intäkt")
            self.fields["group"].choices = BudgetLine.IncomeKind.choices
            del self.fields["intervention"]
        else:
            self.fields["group"].label = _("Kostnadsgrupp")
            self.fields["group"].choices = BudgetLine.CostGroup.choices
            self.fields["intervention"].choices = _intervention_choices(interventions)
            self.fields["intervention"].help_text = _("För en kostnad som är en insats.")

    def clean(self):
        cleaned_data = super().clean()
        group = cleaned_data.get("group")
        if self.section == BudgetLine.Section.INCOME:
            cleaned_data["income_kind"] = group
        else:
            cleaned_data["cost_group"] = group
            cleaned_data["intervention"] = self.interventions.get(cleaned_data.get("intervention") or "")
        return cleaned_data


class LinesForm(GridForm):
    """Income or cost lines: label, kind or group, the intervention of a cost, amounts per column."""

    def __init__(self, data=None, *, section: str, interventions=(), **kwargs):
        self.section = section
        self.interventions = {str(intervention.pk): intervention for intervention in interventions}
        self._intervention_choices = _intervention_choices(interventions)
        super().__init__(data, **kwargs)

    def row_label(self, line: BudgetLine) -> str:
        return line.label or line.slug

    def row_fields(self, line: BudgetLine) -> dict[str, forms.Field]:
        fields = {"label": forms.CharField(label=_("rubrik"), max_length=300)}
        if self.section == BudgetLine.Section.INCOME:
            fields["income_kind"] = forms.ChoiceField(label=_("slag"), choices=BudgetLine.IncomeKind.choices)
        else:
            fields["cost_group"] = forms.ChoiceField(label=_("grupp"), choices=BudgetLine.CostGroup.choices)
            fields["intervention"] = forms.ChoiceField(label=_("insats"), choices=self._intervention_choices, required=False)
        fields["label"].widget.attrs["size"] = 22
        return fields

    def row_initial(self, line: BudgetLine) -> dict:
        return {
            "label": line.label,
            "income_kind": line.income_kind,
            "cost_group": line.cost_group,
            "intervention": str(line.intervention_id) if line.intervention_id else "",
        }

    def clean_row(self, line, values):
        if "intervention" in values:
            values["intervention"] = self.interventions.get(values["intervention"] or "")
        return values


# ---------------------------------------------------------------------------
# Chapters, meetings and activities


class ChapterForm(forms.Form):
    heading = forms.CharField(label=_("Rubrik"), max_length=300)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=CHAPTER_BODY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Tomma rader skiljer stycken; rader som börjar med ”- ” blir punkter."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _crispy_helper("heading", "body")


class MeetingForm(StyledForm):
    date = forms.CharField(
        label=_("Datum"), max_length=10, validators=[validate_meeting_date], help_text=_("ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM")
    )
    body = forms.ChoiceField(label=_("Organ"), choices=Meeting.Body.choices)
    topic = forms.CharField(label=_("Ämne"), max_length=300, required=False)


class ActivityForm(StyledForm):
    name = forms.CharField(label=_("Aktivitet"), max_length=300)
    when = forms.CharField(label=_("När"), max_length=200, required=False)
    responsible = forms.CharField(label=_("Ansvarig"), max_length=200, required=False)
    follow_up = forms.CharField(label=_("Uppföljning"), max_length=200, required=False)


class RowsForm(GridForm):
    """Meetings or activities: the fields of `row_form_class` once per row."""

    row_form_class: type[forms.Form]

    def row_fields(self, row) -> dict[str, forms.Field]:
        fields = copy.deepcopy(self.row_form_class.base_fields)
        for row_field in fields.values():
            row_field.help_text = ""
        return fields

    def row_initial(self, row) -> dict:
        return {name: getattr(row, name) for name in self.row_form_class.base_fields}


class MeetingsForm(RowsForm):
    row_form_class = MeetingForm

    def row_label(self, meeting) -> str:
        return f"{meeting.date} {meeting.get_body_display()}"


class ActivitiesForm(RowsForm):
    row_form_class = ActivityForm

    def row_label(self, activity) -> str:
        return activity.name
