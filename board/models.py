"""The board's side of a draft plan: sending it to the board (or to the members'
consultation), the comments of those who read it, and who wants to hear about what by e-mail.

A comment belongs to the plan it was written on: a new revision or next year's plan starts
without comments, and an adopted plan keeps its comments read-only.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# A comment is a few paragraphs at most; a longer text belongs in a chapter.
COMMENT_MAX_CHARS = 4000


class SendingKind(models.TextChoices):
    BOARD = "board", _("Till styrelsen")
    CONSULTATION = "consultation", _("Till medlemssamråd")


class Sending(models.Model):
    """A draft plan sent to the board (or the members' consultation) for a meeting.

    `plan_version` is the plan's version once sent: the plan was raised to it by the
    sending (so the PDF kept for it carries the stamp), and a plan whose version is
    higher has changed since."""

    Kind = SendingKind

    plan = models.ForeignKey("budgets.Plan", on_delete=models.CASCADE, related_name="sendings", verbose_name=_("plan"))
    kind = models.CharField(_("till"), max_length=12, choices=SendingKind.choices)
    meeting_date = models.DateField(_("mötesdatum"))
    sent_at = models.DateTimeField(_("skickad"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("skickad av")
    )
    plan_version = models.PositiveIntegerField(_("planens version när den skickades"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utskick")
        verbose_name_plural = _("utskick")
        ordering = ["plan", "-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SendingKind.values), name="sending_known_kind", violation_error_message=_("Okänt slag av utskick.")
            ),
        ]

    def __str__(self):
        return f"{self.plan} – {self.get_kind_display()} {self.meeting_date.isoformat()}"


class AnchorKind(models.TextChoices):
    PLAN = "plan", _("Planen som helhet")
    CHAPTER = "chapter", _("Kapitel")
    LINE = "line", _("Budgetrad")
    INTERVENTION = "intervention", _("Insats")


class CommentStatus(models.TextChoices):
    OPEN = "open", _("Öppen")
    RESOLVED = "resolved", _("Löst")


class Comment(models.Model):
    """A comment on a plan, on one of its chapters, budget lines or interventions, or an
    answer to one (`parent`). Only a first comment is open or resolved; its answers follow it.

    The place is kept by the row's id (`anchor_id`) and its name when the comment was
    written (`anchor_label`), so a comment still says where it belonged after the row is
    renamed or removed."""

    Anchor = AnchorKind
    Status = CommentStatus

    plan = models.ForeignKey("budgets.Plan", on_delete=models.CASCADE, related_name="comments", verbose_name=_("plan"))
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("svar på")
    )
    anchor_kind = models.CharField(_("gäller"), max_length=12, choices=AnchorKind.choices, default=AnchorKind.PLAN)
    anchor_id = models.PositiveBigIntegerField(_("id"), null=True, blank=True)
    anchor_label = models.CharField(_("plats"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("skriven av")
    )
    body = models.TextField(_("kommentar"), max_length=COMMENT_MAX_CHARS, validators=[MaxLengthValidator(COMMENT_MAX_CHARS)])
    status = models.CharField(_("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.OPEN)
    created_at = models.DateTimeField(_("skriven"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("löst"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("löst av")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        ordering = ["plan", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anchor_kind__in=AnchorKind.values), name="comment_known_anchor", violation_error_message=_("Okänd plats.")
            ),
            models.CheckConstraint(
                condition=Q(anchor_kind=AnchorKind.PLAN, anchor_id__isnull=True)
                | (~Q(anchor_kind=AnchorKind.PLAN) & Q(anchor_id__isnull=False)),
                name="comment_anchor_id_unless_plan",
                violation_error_message=_("En kommentar på en rad, ett kapitel eller en insats anger vilken."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values), name="comment_known_status", violation_error_message=_("Okänd status.")
            ),
        ]

    def __str__(self):
        return f"{self.plan}: {self.body[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status == CommentStatus.OPEN

    @property
    def anchor_key(self) -> str:
        """The place as one string, "line-12" or "plan", as forms and addresses carry it."""
        return AnchorKind.PLAN if self.anchor_kind == AnchorKind.PLAN else f"{self.anchor_kind}-{self.anchor_id}"


class NotificationPreference(models.Model):
    """Which e-mails a person wants; everything is on until turned off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference", verbose_name=_("användare")
    )
    plan_sent = models.BooleanField(_("En plan skickas till styrelsen eller till medlemssamråd"), default=True)
    new_comment = models.BooleanField(_("Någon kommenterar en plan jag är förbundschef för"), default=True)
    comment_answered = models.BooleanField(_("Förbundschefen svarar på min kommentar"), default=True)
    plan_adopted = models.BooleanField(_("En plan fastställs"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aviseringar")
        verbose_name_plural = _("aviseringar")

    def __str__(self):
        return str(self.user)
