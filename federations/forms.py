"""Forms of the administrator's pages: a new federation and a person's role in it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from budgets.editing.profile import OrgNumberField
from federations.models import Role
from finsam.lib.partial_dates import validate_partial_date


class FederationForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    short_name = forms.CharField(label=_("Kort namn"), max_length=100, required=False, help_text=_("Ger förbundets adress, t.ex. Höglandet."))
    org_number = OrgNumberField(label=_("Organisationsnummer"), required=False)
    founded = forms.CharField(label=_("Bildat"), max_length=10, required=False, validators=[validate_partial_date], help_text=_("ÅÅÅÅ eller ÅÅÅÅ-MM-DD"))
    website = forms.CharField(label=_("Webbplats"), max_length=200, required=False)


class RoleForm(forms.Form):
    email = forms.EmailField(label=_("E-postadress"), max_length=254)
    first_name = forms.CharField(label=_("Förnamn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150, required=False)
    kind = forms.ChoiceField(label=_("Roll"), choices=Role.Kind.choices, initial=Role.Kind.CHIEF)
    member_name = forms.CharField(
        label=_("Medlem som kontaktpersonen företräder"),
        max_length=200,
        required=False,
        help_text=_("Bara för en kontaktperson för medlem, t.ex. Jönköpings kommun."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Role.Kind.MEMBER_CONTACT and not cleaned.get("member_name", "").strip():
            self.add_error("member_name", _("Ange vilken medlem kontaktpersonen företräder."))
        elif cleaned.get("kind") != Role.Kind.MEMBER_CONTACT and cleaned.get("member_name", "").strip():
            self.add_error("member_name", _("Bara en kontaktperson för medlem företräder en medlem."))
        return cleaned
