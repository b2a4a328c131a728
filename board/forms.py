"""Forms of the board's side: they only parse and check input."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from board.models import COMMENT_MAX_CHARS, NotificationPreference, SendingKind

COMMENT_TOO_LONG = _("Kommentaren får vara högst %(limit)s tecken; den är %(length)s tecken.")


class SendForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Skicka"), choices=SendingKind.choices, initial=SendingKind.BOARD, widget=forms.RadioSelect
    )
    meeting_date = forms.DateField(
        label=_("Mötesdatum"),
        # Typed as text, as every date in the app (see budgets.views.AdoptForm).
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(format="%Y-%m-%d"),
        error_messages={"invalid": _("Ange datum som ÅÅÅÅ-MM-DD."), "required": _("Ange mötets datum.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_meeting_date(self):
        meeting_date = self.cleaned_data["meeting_date"]
        if meeting_date.year < 1990 or meeting_date.year > 2100:
            raise forms.ValidationError(_("Året ska ligga mellan 1990 och 2100."))
        return meeting_date


def _check_length(body: str) -> str:
    body = (body or "").strip()
    if len(body) > COMMENT_MAX_CHARS:
        raise forms.ValidationError(COMMENT_TOO_LONG % {"limit": COMMENT_MAX_CHARS, "length": len(body)})
    return body


class CommentForm(forms.Form):
    """A new comment; `anchors` are the places of the plan (board.selectors.plan_anchors)."""

    anchor = forms.ChoiceField(label=_("Gäller"))
    # No max_length on the field: the check below says how long the text was.
    body = forms.CharField(
        label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": _("Skriv en kommentar.")}
    )

    def __init__(self, *args, anchors, **kwargs):
        super().__init__(*args, **kwargs)
        self.anchors = {anchor.key: anchor for anchor in anchors}
        groups: dict[str, list] = {}
        for anchor in anchors:
            groups.setdefault(anchor.group, []).append((anchor.key, anchor.label))
        self.fields["anchor"].choices = list(groups.items())
        self.fields["anchor"].error_messages["invalid_choice"] = _("Välj en plats i planen.")

    def clean_anchor(self):
        return self.anchors[self.cleaned_data["anchor"]]

    def clean_body(self):
        return _check_length(self.cleaned_data.get("body"))


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Svar"), widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": _("Skriv ett svar.")}
    )

    def clean_body(self):
        return _check_length(self.cleaned_data.get("body"))


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["plan_sent", "new_comment", "comment_answered", "plan_adopted"]
        widgets = {name: forms.CheckboxInput(attrs={"class": "form-check-input"}) for name in fields}


COMMENT_STATUS_FILTERS = (("open", _("Öppna")), ("resolved", _("Lösta")), ("all", _("Alla")))


def meeting_date_default() -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=14)
