"""Forms of the follow-up pages: they parse, with the app's strict number fields."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from budgets.editing.base import CountField
from budgets.totals import unit_places
from finsam.forms import DecimalCommaField
from finsam.lib.money import AMOUNT_MAX_DIGITS

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
OTHER = "other"


class OpenFollowUpForm(forms.Form):
    """A period end: one of the year's usual ones, or any date typed as ÅÅÅÅ-MM-DD."""

    period = forms.ChoiceField(label=_("Period"), widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    other_date = forms.CharField(label=_("Annat slutdatum"), required=False, max_length=10, help_text=_("ÅÅÅÅ-MM-DD"))

    def __init__(self, *args, presets: list[tuple[str, date]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            *((end.isoformat(), f"{label}: {end.isoformat()}") for label, end in presets),
            (OTHER, _("Annat datum")),
        ]

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        if period == OTHER:
            text = (cleaned.get("other_date") or "").strip()
            if not text:
                self.add_error("other_date", _("Skriv slutdatumet som ÅÅÅÅ-MM-DD."))
                return cleaned
            cleaned["period_end"] = parse_iso_date(text, field=self, name="other_date")
        elif period:
            cleaned["period_end"] = date.fromisoformat(period)
        return cleaned


def parse_iso_date(text: str, *, field: forms.Form, name: str) -> date | None:
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        field.add_error(name, _("”%(value)s” är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-04-30.") % {"value": text})
        return None


def outcome_field_name(line) -> str:
    return f"outcome-{line.pk}"


class OutcomeGridForm(forms.Form):
    """One outcome cell per line of the plan; an empty cell is no outcome.
    Outcome may be negative (a cost account credited more than debited)."""

    def __init__(self, *args, lines, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[outcome_field_name(line)] = DecimalCommaField(
                label=line.display_label,
                required=False,
                max_digits=AMOUNT_MAX_DIGITS,
                decimal_places=unit_places(plan.unit),
            )

    def amounts(self) -> dict:
        return {
            line.pk: self.cleaned_data[outcome_field_name(line)]
            for line in self.lines
            if self.cleaned_data.get(outcome_field_name(line)) is not None
        }


class ParticipantsForm(forms.Form):
    """Women and men per intervention, to date."""

    def __init__(self, *args, interventions, **kwargs):
        super().__init__(*args, **kwargs)
        self.interventions = interventions
        for intervention in interventions:
            for kind, label in (("women", _("Kvinnor")), ("men", _("Män"))):
                self.fields[f"{kind}-{intervention.pk}"] = CountField(
                    label=f"{label}, {intervention.name}", min_value=0, max_value=10_000_000, required=False
                )

    def counts(self) -> dict:
        return {
            intervention.pk: (self.cleaned_data.get(f"women-{intervention.pk}"), self.cleaned_data.get(f"men-{intervention.pk}"))
            for intervention in self.interventions
        }


UPLOAD_KINDS = [("sie", _("SIE 4-fil från bokföringen")), ("table", _("CSV eller Excel med rad;belopp"))]


class OutcomeUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Slag av fil"), choices=UPLOAD_KINDS, widget=forms.RadioSelect(attrs={"class": "form-check-input"}), initial="sie"
    )
    file = forms.FileField(label=_("Fil"))


class MappingUploadForm(forms.Form):
    file = forms.FileField(label=_("Kopplingsfil (CSV, konto;rad)"))

