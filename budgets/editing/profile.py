"""The federation's profile and the plan's facts, goals and opening equity: one page, one form."""

from __future__ import annotations

import re
from decimal import Decimal

from crispy_forms.layout import Div
from django import forms
from django.core.validators import RegexValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.editing.base import (
    edit_view,
    plan_record_change,
    render_edit_page,
    save_row,
    submit_edit,
    unit_name,
)
from budgets.editing.forms import crispy_helper
from budgets.models import OUTLOOK_YEARS_MAX, YEAR_MAX, YEAR_MIN, MunicipalKey, Plan
from budgets.planfile import address_name
from finsam.forms import AmountField, DecimalCommaField
from finsam.layout import Fieldset
from finsam.lib.limits import SHORT_TEXT_MAX_CHARS
from finsam.lib.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS
from finsam.lib.partial_dates import validate_partial_date

# ---------------------------------------------------------------------------
# The form

FEDERATION_FIELDS = ("name", "short_name", "org_number", "founded", "vision", "website")
PLAN_FIELDS = (
    "title",
    "reference",
    "last_year",
    "municipal_key",
    "equity_floor",
    "admin_share_max",
    "intervention_share_min",
    "equity_opening_year",
    "equity_opening_amount",
)


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


class OrgNumberField(forms.CharField):
    """NNNNNN-NNNN; ten digits typed without the dash get one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 13)
        super().__init__(**kwargs)
        self.validators.append(
            RegexValidator(r"^[0-9]{6}-[0-9]{4}$", message=gettext_lazy("Skriv organisationsnumret som NNNNNN-NNNN, t.ex. 222000-1234."))
        )

    def to_python(self, value):
        value = re.sub(r"\s", "", super().to_python(value))
        if re.fullmatch(r"[0-9]{10}", value):
            value = f"{value[:6]}-{value[6:]}"
        return value


class PlanSettingsForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Förbundets namn"), max_length=200)
    short_name = forms.CharField(label=gettext_lazy("Kort namn"), max_length=100, required=False)
    org_number = OrgNumberField(label=gettext_lazy("Organisationsnummer"), required=False, help_text=gettext_lazy("NNNNNN-NNNN"))
    founded = forms.CharField(
        label=gettext_lazy("Bildat"), max_length=10, required=False, validators=[validate_partial_date],
        help_text=gettext_lazy("ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD"),
    )
    vision = forms.CharField(
        label=gettext_lazy("Vision"), required=False, max_length=SHORT_TEXT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )
    website = forms.CharField(label=gettext_lazy("Webbplats"), max_length=200, required=False)

    title = forms.CharField(label=gettext_lazy("Titel"), max_length=300, required=False)
    reference = forms.CharField(label=gettext_lazy("Diarienummer"), max_length=100, required=False)
    last_year = forms.IntegerField(label=gettext_lazy("Sista planår"))
    municipal_key = forms.ChoiceField(
        label=gettext_lazy("Kommunernas fördelningsnyckel"),
        choices=[("", gettext_lazy("Inte angiven"))] + list(MunicipalKey.choices),
        required=False,
    )

    equity_floor = AmountField(label=gettext_lazy("Lägsta egna kapital"), required=False)
    admin_share_max = PercentField(label=gettext_lazy("Högsta andel administration (%)"), required=False)
    intervention_share_min = PercentField(label=gettext_lazy("Lägsta andel till insatser och samverkan (%)"), required=False)

    equity_opening_year = forms.IntegerField(
        label=gettext_lazy("Eget kapital den 1 januari år"), min_value=YEAR_MIN, max_value=YEAR_MAX, required=False
    )
    equity_opening_amount = DecimalCommaField(
        label=gettext_lazy("Ingående eget kapital"),
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
            help_text=gettext_lazy("Budgetåret %(year)s eller högst tio år senare.") % {"year": plan.year},
        )
        self.fields["equity_floor"].help_text = gettext_lazy("I %(unit)s. Tomt: inget eget golv.") % {"unit": unit}
        self.fields["equity_opening_amount"].help_text = gettext_lazy("I %(unit)s.") % {"unit": unit}
        self.fields["admin_share_max"].help_text = gettext_lazy("T.ex. 10 eller 9,5. Tomt: inget mål.")
        self.fields["intervention_share_min"].help_text = gettext_lazy("T.ex. 80. Tomt: inget mål.")
        self.helper = crispy_helper(
            Fieldset(
                gettext_lazy("Förbundet"),
                Div(Div("name", css_class="col-md-8"), Div("short_name", css_class="col-md-4"), css_class="row"),
                Div(Div("org_number", css_class="col-md-4"), Div("founded", css_class="col-md-3"),
                    Div("website", css_class="col-md-5"), css_class="row"),
                "vision",
            ),
            Fieldset(
                gettext_lazy("Planen"),
                Div(Div("title", css_class="col-md-8"), Div("reference", css_class="col-md-4"), css_class="row"),
                Div(Div("last_year", css_class="col-md-4"), Div("municipal_key", css_class="col-md-8"), css_class="row"),
            ),
            Fieldset(
                gettext_lazy("Förbundets mål"),
                Div(Div("equity_floor", css_class="col-md-4"), Div("admin_share_max", css_class="col-md-4"),
                    Div("intervention_share_min", css_class="col-md-4"), css_class="row"),
            ),
            Fieldset(
                gettext_lazy("Ingående eget kapital"),
                Div(Div("equity_opening_year", css_class="col-md-4"), Div("equity_opening_amount", css_class="col-md-8"),
                    css_class="row"),
            ),
        )

    @classmethod
    def initial_for(cls, plan: Plan) -> dict:
        return {
            **{name: getattr(plan.federation, name) for name in FEDERATION_FIELDS},
            **{name: getattr(plan, name) for name in PLAN_FIELDS},
        }

    def clean(self):
        cleaned_data = super().clean()
        # A plan file names its federation by an address name made from these, so one
        # without a letter or digit could be exported but never read back.
        named_by = "short_name" if cleaned_data.get("short_name") else "name"
        if cleaned_data.get(named_by) and not address_name(cleaned_data[named_by]):
            self.add_error(named_by, gettext_lazy("Skriv namnet med minst en bokstav eller siffra."))
        year = cleaned_data.get("equity_opening_year")
        amount = cleaned_data.get("equity_opening_amount")
        if "equity_opening_year" not in self.errors and "equity_opening_amount" not in self.errors:
            if year is None and amount is not None:
                self.add_error("equity_opening_year", gettext_lazy("Ange året för det ingående egna kapitalet."))
            elif year is not None and amount is None:
                self.add_error("equity_opening_amount", gettext_lazy("Ange beloppet för det ingående egna kapitalet."))
        for name in ("short_name", "org_number", "founded", "vision", "website", "title", "reference", "municipal_key"):
            if cleaned_data.get(name) is None and name in cleaned_data:
                cleaned_data[name] = ""
        return cleaned_data


# ---------------------------------------------------------------------------
# The service


@transaction.atomic
def plan_settings_update(*, plan: Plan, values: dict, acting_user, seen_version: int | None) -> Plan:
    """The federation's profile and the plan's facts, goals and opening equity.

    The profile belongs to the federation and so shows on all its plans; the
    goals belong to the plan, so that an adopted plan keeps the goals it was
    judged against.
    """
    plan_record_change(plan=plan, seen_version=seen_version)
    federation = plan.federation
    if any(getattr(federation, name) != values[name] for name in FEDERATION_FIELDS):
        for name in FEDERATION_FIELDS:
            setattr(federation, name, values[name])
        save_row(federation, acting_user)
    for name in PLAN_FIELDS:
        setattr(plan, name, values[name])
    save_row(plan, acting_user)
    return plan


# ---------------------------------------------------------------------------
# The page


@edit_view("GET", "POST")
def profile(request, plan):

    def page(plan, status=200, stale=False, form=None):
        form = form or PlanSettingsForm(plan=plan, initial=PlanSettingsForm.initial_for(plan))
        return render_edit_page(
            request, plan, "budgets/edit/profile.html", {"form": form}, section="profile", status=status, stale=stale
        )

    if request.method == "POST":
        return submit_edit(
            request,
            plan,
            form=PlanSettingsForm(request.POST, plan=plan),
            write=lambda data, seen: plan_settings_update(
                plan=plan, values=data, acting_user=request.user, seen_version=seen
            ),
            success=_("Förbundets och planens uppgifter är sparade."),
            redirect_to=request.path,
            page=page,
        )
    return page(plan)
