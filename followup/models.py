"""The follow-up of an adopted plan's budget year: outcome to a date, the chief's
forecast for the whole year, comments on the variances, and participants.

The adopted plan is never touched: a follow-up refers to its lines and interventions
and holds only what happened and what the chief expects.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from budgets.models import BudgetLine, Plan, amount_field
from federations.models import Federation
from interventions.models import Intervention


class FollowUp(models.Model):
    """The outcome of a plan's budget year from 1 January to `period_end` (a tertial:
    April 30 or August 31; the year: December 31; or any date within the year)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("plan"))
    period_end = models.DateField(_("utfall till och med"))
    # Where the outcome came from last: "sie", "file" (CSV or Excel) or "typed".
    source = models.CharField(_("källa"), max_length=10, blank=True)
    source_name = models.CharField(_("filnamn"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("inläst"), null=True, blank=True)
    # From the day the chief marks the tertial report sent to the board its PDF is kept.
    sent_to_board_on = models.DateField(_("skickad till styrelsen"), null=True, blank=True)
    report_pdf = models.FileField(_("rapport (PDF)"), upload_to="followup/", blank=True)
    # Raised by every change, as a plan's version: a form posted over a newer state is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["plan", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period_end"], name="followup_one_per_period_end"),
        ]

    def __str__(self):
        return f"{self.plan} – {self.period_end.isoformat()}"


class Outcome(models.Model):
    """A line's outcome from 1 January to the follow-up's end, in the plan's unit
    (member contributions are lines too). No row: no outcome recorded (shown empty)."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("uppföljning"))
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("rad"))
    amount = amount_field(_("utfall"))

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        constraints = [models.UniqueConstraint(fields=["follow_up", "line"], name="outcome_one_per_line")]


class Forecast(models.Model):
    """The chief's forecast of a line's whole-year amount, where it differs from the
    default (outcome to date plus the rest of the year's budget pro rata)."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="forecasts", verbose_name=_("uppföljning"))
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="forecasts", verbose_name=_("rad"))
    amount = amount_field(_("prognos"))

    class Meta:
        verbose_name = _("prognos")
        verbose_name_plural = _("prognoser")
        constraints = [models.UniqueConstraint(fields=["follow_up", "line"], name="forecast_one_per_line")]


COMMENT_MAX_LENGTH = 2000


class VarianceComment(models.Model):
    """The chief's explanation of a variance: on a line, or on a group of lines (a
    section or a cost group, named by its key as in the plan document)."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="comments", verbose_name=_("uppföljning"))
    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, null=True, blank=True, related_name="variance_comments", verbose_name=_("rad")
    )
    group = models.CharField(_("grupp"), max_length=20, blank=True)
    text = models.TextField(_("kommentar"), max_length=COMMENT_MAX_LENGTH)

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        constraints = [
            models.CheckConstraint(
                condition=(Q(line__isnull=False) & Q(group="")) | (Q(line__isnull=True) & ~Q(group="")),
                name="variance_comment_on_a_line_or_a_group",
                violation_error_message=_("En kommentar gäller en rad eller en grupp."),
            ),
            models.UniqueConstraint(
                fields=["follow_up", "line"], condition=Q(line__isnull=False), name="variance_comment_one_per_line"
            ),
            models.UniqueConstraint(
                fields=["follow_up", "group"], condition=Q(line__isnull=True), name="variance_comment_one_per_group"
            ),
        ]


class ParticipantOutcome(models.Model):
    """How many women and men an intervention has had as participants this year, to the follow-up's end."""

    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="participants", verbose_name=_("uppföljning")
    )
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="participant_outcomes", verbose_name=_("insats")
    )
    women = models.PositiveIntegerField(_("kvinnor"), null=True, blank=True)
    men = models.PositiveIntegerField(_("män"), null=True, blank=True)

    class Meta:
        verbose_name = _("deltagarutfall")
        verbose_name_plural = _("deltagarutfall")
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "intervention"], name="participant_outcome_one_per_intervention")
        ]


class AccountMapping(models.Model):
    """Which plan line an account of the federation's books feeds, remembered from one
    import and one year to the next. The line is named by its section and id (slug),
    which a plan rolled forward keeps. `account` is an account number ("5410") or an
    accounting object, `objekt:<dimension>:<id>` ("objekt:1:100", a cost centre)."""

    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, related_name="account_mappings", verbose_name=_("förbund")
    )
    account = models.CharField(_("konto"), max_length=60)
    line_section = models.CharField(_("del"), max_length=12, choices=BudgetLine.Section.choices)
    line_slug = models.SlugField(_("rad"), max_length=80)

    class Meta:
        verbose_name = _("kontokoppling")
        verbose_name_plural = _("kontokopplingar")
        ordering = ["federation", "account"]
        constraints = [models.UniqueConstraint(fields=["federation", "account"], name="account_mapping_one_per_account")]
