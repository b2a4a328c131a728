"""The new-plan wizard's form: years, unit and the members, pasted as a list."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.creation import NewMember
from budgets.editing.members import MemberForm
from budgets.models import OUTLOOK_YEARS_MAX, YEAR_MAX, YEAR_MIN, Plan
from federations.models import Member

MAX_MEMBERS = 100

# What a pasted list may say for a member's kind, lower case.
KIND_WORDS = {
    "kommun": Member.Kind.MUNICIPALITY,
    "region": Member.Kind.REGION,
    "landsting": Member.Kind.REGION,
    "försäkringskassan": Member.Kind.FORSAKRINGSKASSAN,
    "fk": Member.Kind.FORSAKRINGSKASSAN,
    "arbetsförmedlingen": Member.Kind.ARBETSFORMEDLINGEN,
    "af": Member.Kind.ARBETSFORMEDLINGEN,
    "staten": Member.Kind.STATE,
    "staten (fk+af)": Member.Kind.STATE,
}


def kind_of(word: str, name: str) -> str | None:
    """The member kind a list names, or guesses from the name ("Eksjö kommun")."""
    word = word.strip().lower()
    if word:
        return KIND_WORDS.get(word)
    lowered = name.lower()
    for needle, kind in (
        ("kommun", Member.Kind.MUNICIPALITY),
        ("region", Member.Kind.REGION),
        ("försäkringskassan", Member.Kind.FORSAKRINGSKASSAN),
        ("arbetsförmedlingen", Member.Kind.ARBETSFORMEDLINGEN),
        ("staten", Member.Kind.STATE),
    ):
        if needle in lowered:
            return kind
    return None


def parse_members(text: str) -> tuple[list[NewMember], list[str]]:
    """Members from a list, one per line: name; kind; population; key share.

    Fields are separated by semicolons or tabs (as pasted from a spreadsheet);
    all but the name may be left out, the kind then read from the name. Each
    field is checked as on the members page. Returns the members and the problems,
    each naming its line.
    """
    members, problems = [], []
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_MEMBERS:
        return [], [_("Listan har fler än %(limit)s medlemmar.") % {"limit": MAX_MEMBERS}]
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields = [field.strip() for field in re.split(r"[;\t]", line)]
        fields += [""] * (4 - len(fields))
        if len(fields) > 4 and any(fields[4:]):
            problems.append(_("Rad %(number)s: högst fyra fält (namn; slag; folkmängd; andel).") % {"number": number})
            continue
        name, kind_word, population, key_share = fields[:4]
        kind = kind_of(kind_word, name)
        if kind is None:
            problems.append(
                _("Rad %(number)s: ange slag för %(name)s: kommun, region, Försäkringskassan, Arbetsförmedlingen eller staten.")
                % {"number": number, "name": name or kind_word}
            )
            continue
        form = MemberForm({"name": name, "kind": kind, "population": population, "key_share": key_share})
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                problems.append(
                    _("Rad %(number)s, %(field)s: %(message)s")
                    % {"number": number, "field": str(label).lower(), "message": " ".join(errors)}
                )
            continue
        data = form.cleaned_data
        members.append(
            NewMember(
                name=data["name"].strip(),
                kind=data["kind"],
                population=data["population"],
                key_share=data["key_share"],
                key_share_places=data["key_share_places"],
            )
        )
    return members, problems


class NewPlanForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Budgetår"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    last_year = forms.IntegerField(
        label=gettext_lazy("Sista planår"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        help_text=gettext_lazy("Budgetåret eller ett senare år; ett år per kolumn i planen."),
    )
    unit = forms.ChoiceField(label=gettext_lazy("Enhet"), choices=Plan.Unit.choices, initial=Plan.Unit.SEK)
    members = forms.CharField(
        label=gettext_lazy("Medlemmar"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "En medlem per rad: namn; slag; folkmängd; andel. Slag, folkmängd och andel kan utelämnas; "
            "slaget läses då ur namnet (”Eksjö kommun”). Rader kan klistras in från ett kalkylblad."
        ),
    )

    def clean(self):
        cleaned_data = super().clean()
        year, last_year = cleaned_data.get("year"), cleaned_data.get("last_year")
        if year is not None and last_year is not None and not year <= last_year <= year + OUTLOOK_YEARS_MAX:
            self.add_error("last_year", _("Sista planåret ska vara budgetåret eller högst tio år senare."))
        if "members" in cleaned_data:
            members, problems = parse_members(cleaned_data["members"])
            if problems:
                self.add_error("members", problems)
            elif not members:
                self.add_error("members", _("Ange minst en medlem."))
            cleaned_data["member_list"] = members
        return cleaned_data


class PlanFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Planfil (finsam-plan, .json)"))
