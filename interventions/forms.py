"""Forms of the interventions pages: they parse and normalise; `interventions.services` writes."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from budgets.editing.base import CountField, FractionField, column_title, unit_name
from federations.models import Member
from finsam.forms import AmountField, DecimalCommaField, LinesField
from finsam.layout import Fieldset, Text
from finsam.lib.limits import DESCRIPTION_MAX_CHARS, SHORT_TEXT_MAX_CHARS
from finsam.lib.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS
from finsam.lib.partial_dates import partial_date_bounds, validate_partial_date
from interventions.models import Category, Intervention, InterventionKind, InterventionStatus, Marking

LONG_TERM_CHOICES = [
    ("", _("Inte angivet")),
    ("true", _("Långsiktig verksamhet (t.ex. LIV)")),
    ("false", _("Tidsbegränsat projekt")),
]
PARTIAL_DATE_HELP = _("ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD")


def _long_term(value: str):
    return {"true": True, "false": False}.get(value)


class InterventionFilterForm(forms.Form):
    """The list's filter, read from the query string."""

    kind = forms.ChoiceField(label=_("Slag"), required=False, choices=[("", _("Alla slag"))] + list(InterventionKind.choices))
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alla"))] + list(InterventionStatus.choices)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class InterventionForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=300)
    kind = forms.ChoiceField(label=_("Slag"), choices=InterventionKind.choices)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Inte angiven"))] + list(InterventionStatus.choices)
    )
    # Choices are read once and matched as text, so that no posted value reaches a database query.
    category = forms.ChoiceField(label=_("Kategori (nationell uppföljning)"), required=False)
    long_term = forms.TypedChoiceField(
        label=_("Långsiktig eller projekt"), choices=LONG_TERM_CHOICES, coerce=_long_term, empty_value=None, required=False
    )
    markings = forms.MultipleChoiceField(
        label=_("Märkningar"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Märkningarna behåller ordningen de valdes i; nya läggs sist."),
    )
    owner = forms.ChoiceField(label=_("Ägare"), required=False)
    parties = forms.MultipleChoiceField(
        label=_("Parter som deltar"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("En insats ska ha minst två parter."),
    )
    start = forms.CharField(label=_("Start"), max_length=10, required=False, validators=[validate_partial_date], help_text=PARTIAL_DATE_HELP)
    end = forms.CharField(label=_("Slut"), max_length=10, required=False, validators=[validate_partial_date], help_text=PARTIAL_DATE_HELP)
    participants_women = CountField(label=_("Kvinnor"), min_value=0, max_value=10_000_000, required=False)
    participants_men = CountField(label=_("Män"), min_value=0, max_value=10_000_000, required=False)
    participants_total = CountField(
        label=_("Deltagare totalt"),
        min_value=0,
        max_value=10_000_000,
        required=False,
        help_text=_("Tomt: kvinnor plus män."),
    )
    target_group = forms.CharField(
        label=_("Målgrupp"), required=False, max_length=SHORT_TEXT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )
    description = forms.CharField(
        label=_("Beskrivning"), required=False, max_length=DESCRIPTION_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 5})
    )
    goals = LinesField(label=_("Mål"), help_text=_("Ett mål per rad."), widget=forms.Textarea(attrs={"rows": 4}))
    indicators = LinesField(
        label=_("Indikatorer"), help_text=_("Hur målen mäts, en indikator per rad."), widget=forms.Textarea(attrs={"rows": 3})
    )
    utilization = FractionField(
        label=_("Räknad andel av beviljat belopp"),
        help_text=_("För hela insatsen, t.ex. 0,9 när budgeten räknar med 90 %. Tomt: hela beloppet."),
    )

    def __init__(self, *args, plan, columns, intervention: Intervention | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.columns = list(columns)
        self.intervention = intervention
        members = list(plan.members.all())
        self.municipalities = [member for member in members if member.kind == Member.Kind.MUNICIPALITY]
        self.members_by_id = {str(member.pk): member for member in members}
        self.fields["owner"].choices = [("", _("– ingen –"))] + [(str(m.pk), m.name) for m in members]
        self.fields["parties"].choices = [(str(m.pk), m.name) for m in members]
        self.categories_by_id = {str(category.pk): category for category in Category.objects.all()}
        self.fields["category"].choices = [("", _("– ingen –"))] + [
            (pk, category.name) for pk, category in self.categories_by_id.items()
        ]

        # The markings chosen come first, in their order; the rest by name.
        chosen = list(intervention.interventionmarking_set.select_related("marking")) if intervention and intervention.pk else []
        self._chosen_marking_ids = [str(link.marking_id) for link in chosen]
        all_markings = {str(marking.pk): marking for marking in Marking.objects.all()}
        self.markings_by_id = all_markings
        ordered = self._chosen_marking_ids + [pk for pk in all_markings if pk not in self._chosen_marking_ids]
        self.fields["markings"].choices = [(pk, all_markings[pk].name) for pk in ordered if pk in all_markings]

        unit = unit_name(plan)
        for column in self.columns:
            title = column_title(column)
            self.fields[f"granted_{column.pk}"] = AmountField(
                label=format_html("{} <span class='visually-hidden'>{}</span>", _("Beviljat"), title),
                required=False,
                widget=forms.TextInput(attrs={"size": 14, "class": "num-input"}),
            )
            self.fields[f"utilization_{column.pk}"] = FractionField(
                label=format_html("{} <span class='visually-hidden'>{}</span>", _("Räknad andel"), title),
            )
        for member in self.municipalities:
            self.fields[f"allocation_{member.pk}"] = DecimalCommaField(
                label=member.name,
                required=False,
                min_value=0,
                max_digits=AMOUNT_MAX_DIGITS,
                decimal_places=AMOUNT_DECIMAL_PLACES,
                widget=forms.TextInput(attrs={"size": 10}),
            )

        funding_rows = [
            Div(
                Div(Text(column_title(column), css_class="funding-column mb-0 pt-md-4 fw-semibold"), css_class="col-md-4"),
                Div(Field(f"granted_{column.pk}"), css_class="col-md-4"),
                Div(Field(f"utilization_{column.pk}"), css_class="col-md-4"),
                css_class="row",
            )
            for column in self.columns
        ]
        allocation_rows = [
            Div(*[Div(Field(f"allocation_{member.pk}"), css_class="col-md-3") for member in self.municipalities], css_class="row")
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Insatsen"),
                "name",
                Div(Div("kind", css_class="col-md-4"), Div("status", css_class="col-md-4"), Div("long_term", css_class="col-md-4"), css_class="row"),
                Div(Div("category", css_class="col-md-8"), css_class="row"),
                "markings",
            ),
            Fieldset(
                _("Ägare och parter"),
                Div(Div("owner", css_class="col-md-6"), css_class="row"),
                "parties",
            ),
            Fieldset(
                _("Period och deltagare"),
                Div(Div("start", css_class="col-md-4"), Div("end", css_class="col-md-4"), css_class="row"),
                Div(
                    Div("participants_women", css_class="col-md-4"),
                    Div("participants_men", css_class="col-md-4"),
                    Div("participants_total", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(_("Innehåll"), "target_group", "description", "goals", "indicators"),
            Fieldset(
                _("Beviljat belopp per kolumn (%(unit)s)") % {"unit": unit},
                Text(
                    _("Det styrelsen beviljar, och hur stor del budgeten räknar med (t.ex. 0,9). Tom andel: andelen för hela insatsen nedan."),
                    css_class="small text-muted",
                ),
                *funding_rows,
                Div(Div("utilization", css_class="col-md-8"), css_class="row"),
            ),
            *(
                [
                    Fieldset(
                        _("Fördelning mellan kommunerna"),
                        Text(
                            _("Vikter i dokumentets egna tal, t.ex. procent eller platser. Tomt: ingen vikt."),
                            css_class="small text-muted",
                        ),
                        *allocation_rows,
                    )
                ]
                if self.municipalities
                else []
            ),
        )

    @classmethod
    def initial_for(cls, intervention: Intervention, columns) -> dict:
        initial = {
            "name": intervention.name,
            "kind": intervention.kind,
            "status": intervention.status,
            "category": str(intervention.category_id or ""),
            "long_term": {True: "true", False: "false"}.get(intervention.long_term, ""),
            "markings": [str(link.marking_id) for link in intervention.interventionmarking_set.all()],
            "owner": str(intervention.owner_id or ""),
            "parties": [str(member.pk) for member in intervention.parties.all()],
            "start": intervention.start,
            "end": intervention.end,
            "participants_total": intervention.participants_total,
            "participants_women": intervention.participants_women,
            "participants_men": intervention.participants_men,
            "target_group": intervention.target_group,
            "description": intervention.description,
            "goals": intervention.goals or [],
            "indicators": intervention.indicators or [],
            "utilization": intervention.utilization,
        }
        for allocation in intervention.allocations.all():
            initial[f"allocation_{allocation.member_id}"] = allocation.weight
        for funding in intervention.funding.all():
            initial[f"granted_{funding.column_id}"] = funding.granted
            initial[f"utilization_{funding.column_id}"] = funding.utilization
        return initial

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        if start and end and "start" not in self.errors and "end" not in self.errors:
            if partial_date_bounds(end)[1] < partial_date_bounds(start)[0]:
                self.add_error("end", _("Slutet kan inte ligga före starten."))

        women, men = cleaned_data.get("participants_women"), cleaned_data.get("participants_men")
        total = cleaned_data.get("participants_total")
        if "participants_total" not in self.errors:
            if women is not None and men is not None:
                if total is None:
                    cleaned_data["participants_total"] = women + men
                elif total != women + men:
                    self.add_error(
                        "participants_total",
                        _("Totalt ska vara kvinnor plus män, %(sum)s. Lämna fältet tomt så räknas det ut.")
                        % {"sum": women + men},
                    )
            elif total is not None and max(women or 0, men or 0) > total:
                self.add_error("participants_total", _("Kvinnor eller män kan inte vara fler än deltagarna totalt."))

        # Markings keep the order they were chosen in: those already chosen first, then new ones.
        chosen = set(cleaned_data.get("markings") or [])
        ordered = [pk for pk in self._chosen_marking_ids if pk in chosen]
        ordered += [pk for pk, _label in self.fields["markings"].choices if pk in chosen and pk not in ordered]
        cleaned_data["markings"] = [self.markings_by_id[pk] for pk in ordered]

        cleaned_data["category"] = self.categories_by_id.get(cleaned_data.get("category") or "")
        cleaned_data["owner"] = self.members_by_id.get(cleaned_data.get("owner") or "")
        cleaned_data["parties"] = [self.members_by_id[pk] for pk in cleaned_data.get("parties") or []]

        for name in ("status", "start", "end", "target_group", "description"):
            if cleaned_data.get(name) is None and name in cleaned_data:
                cleaned_data[name] = ""
        cleaned_data["allocations"] = {
            member: cleaned_data.get(f"allocation_{member.pk}") for member in self.municipalities
        }
        cleaned_data["funding"] = {}
        for column in self.columns:
            granted = cleaned_data.get(f"granted_{column.pk}")
            utilization = cleaned_data.get(f"utilization_{column.pk}")
            if granted is None and utilization is not None and f"granted_{column.pk}" not in self.errors:
                self.add_error(f"granted_{column.pk}", _("Ange det beviljade beloppet, eller töm andelen."))
            cleaned_data["funding"][column] = (granted, utilization)
        return cleaned_data
