from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from finsam.lib.limits import DESCRIPTION_MAX_CHARS, SHORT_TEXT_MAX_CHARS, refuse_beyond_plan_parts, validate_text_list
from finsam.lib.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS
from finsam.lib.partial_dates import validate_partial_date


class Category(models.Model):
    """A national follow-up category (SUS), e.g. "Förberedande insatser"."""

    name = models.CharField(_("namn"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Marking(models.Model):
    """A national marking (SUS), e.g. "Unga AE PRIO"; the list changes, so it is data."""

    name = models.CharField(_("namn"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("märkning")
        verbose_name_plural = _("märkningar")
        ordering = ["name"]

    def __str__(self):
        return self.name


class InterventionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individinriktad")
    STRUCTURAL = "structural", _("Strukturövergripande")


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    ACTIVE = "active", _("Pågående")
    ENDED = "ended", _("Avslutad")


class Intervention(models.Model):
    """An insats that a plan funds: who takes part, for whom, when, and to what end."""

    Kind = InterventionKind
    Status = InterventionStatus

    plan = models.ForeignKey(
        "budgets.Plan", on_delete=models.CASCADE, related_name="interventions", verbose_name=_("plan")
    )
    slug = models.SlugField(_("id"), max_length=80)
    name = models.CharField(_("namn"), max_length=300)
    kind = models.CharField(_("slag"), max_length=12, choices=InterventionKind.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kategori")
    )
    markings = models.ManyToManyField(
        Marking, blank=True, through="InterventionMarking", verbose_name=_("märkningar")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InterventionStatus.choices, blank=True, default=InterventionStatus.ACTIVE
    )
    long_term = models.BooleanField(
        _("långsiktig verksamhet"),
        null=True,
        blank=True,
        help_text=_("Stående verksamhet (t.ex. LIV) i stället för tidsbegränsat projekt."),
    )
    owner = models.ForeignKey(
        "federations.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_interventions",
        verbose_name=_("ägare"),
    )
    parties = models.ManyToManyField(
        "federations.Member", blank=True, related_name="interventions", verbose_name=_("parter")
    )
    start = models.CharField(
        _("start"), max_length=10, blank=True, validators=[validate_partial_date],
        help_text=_("ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD"),
    )
    end = models.CharField(
        _("slut"), max_length=10, blank=True, validators=[validate_partial_date],
        help_text=_("ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD"),
    )
    participants_total = models.PositiveIntegerField(_("deltagare totalt"), null=True, blank=True)
    participants_women = models.PositiveIntegerField(_("varav kvinnor"), null=True, blank=True)
    participants_men = models.PositiveIntegerField(_("varav män"), null=True, blank=True)
    utilization = models.DecimalField(
        _("räknad andel av beviljat belopp"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("T.ex. 0,9 när budgeten räknar med 90 % av beviljat belopp."),
    )
    target_group = models.TextField(
        _("målgrupp"), blank=True, max_length=SHORT_TEXT_MAX_CHARS, validators=[MaxLengthValidator(SHORT_TEXT_MAX_CHARS)]
    )
    description = models.TextField(
        _("beskrivning"), blank=True, max_length=DESCRIPTION_MAX_CHARS, validators=[MaxLengthValidator(DESCRIPTION_MAX_CHARS)]
    )
    goals = models.JSONField(_("mål"), default=list, blank=True, validators=[validate_text_list])
    indicators = models.JSONField(_("indikatorer"), default=list, blank=True, validators=[validate_text_list])
    order = models.PositiveIntegerField(_("ordning"), default=0)

    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="intervention_unique_slug_per_plan"),
            models.CheckConstraint(condition=Q(kind__in=InterventionKind.values), name="intervention_known_kind", violation_error_message=_("Okänt slag av insats.")),
            models.CheckConstraint(
                condition=Q(status="") | Q(status__in=InterventionStatus.values), name="intervention_known_status", violation_error_message=_("Okänd status.")
            ),
            models.CheckConstraint(
                condition=Q(utilization__isnull=True) | Q(utilization__gte=0, utilization__lte=1),
                name="intervention_utilization_fraction", violation_error_message=_("Andelen ska vara ett bråktal mellan 0 och 1."),
            ),
            models.CheckConstraint(
                condition=Q(participants_total__isnull=True)
                | Q(participants_women__isnull=True)
                | Q(participants_men__isnull=True)
                | Q(participants_total__gte=models.F("participants_women") + models.F("participants_men")),
                name="intervention_participants_add_up", violation_error_message=_("Kvinnor och män kan inte vara fler än deltagarna totalt."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        refuse_beyond_plan_parts(self)


class InterventionMarking(models.Model):
    """A marking of an intervention, in the order the plan lists them."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, verbose_name=_("insats"))
    marking = models.ForeignKey(Marking, on_delete=models.PROTECT, verbose_name=_("märkning"))
    order = models.PositiveIntegerField(_("ordning"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("insatsens märkning")
        verbose_name_plural = _("insatsernas märkningar")
        ordering = ["intervention", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "marking"], name="marking_once_per_intervention"),
        ]

    def __str__(self):
        return str(self.marking)


class MunicipalAllocation(models.Model):
    """The document's own weighting of an intervention between municipalities, in its own numbers."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("insats")
    )
    member = models.ForeignKey(
        "federations.Member", on_delete=models.CASCADE, related_name="+", verbose_name=_("medlem")
    )
    weight = models.DecimalField(_("vikt"), max_digits=17, decimal_places=4)

    class Meta:
        verbose_name = _("fördelning mellan kommuner")
        verbose_name_plural = _("fördelning mellan kommuner")
        ordering = ["intervention", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "member"], name="allocation_one_per_member"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="allocation_weight_not_negative", violation_error_message=_("Vikten kan inte vara negativ.")),
        ]

    def __str__(self):
        return f"{self.member}: {self.weight}"


class InterventionFunding(models.Model):
    """What the board grants an intervention in one budget column, and the share the budget counts.

    Interventions seldom spend their whole grant: Södra Vätterbygden budgets
    90 % of each granted maximum. The granted amount is the ceiling the board
    decides; the cost line shows what the budget counts on.
    """

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="funding", verbose_name=_("insats")
    )
    column = models.ForeignKey(
        "budgets.Column", on_delete=models.CASCADE, related_name="intervention_funding", verbose_name=_("kolumn")
    )
    granted = models.DecimalField(
        _("beviljat belopp"), max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES
    )
    utilization = models.DecimalField(
        _("räknad andel"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("T.ex. 0,9 när budgeten räknar med 90 % av det beviljade beloppet."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beviljat belopp")
        verbose_name_plural = _("beviljade belopp")
        ordering = ["intervention", "column__order", "column__pk"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "column"], name="funding_one_per_intervention_and_column"),
            models.CheckConstraint(
                condition=Q(granted__gte=0), name="funding_granted_not_negative",
                violation_error_message=_("Det beviljade beloppet kan inte vara negativt."),
            ),
            models.CheckConstraint(
                condition=Q(utilization__isnull=True) | Q(utilization__gte=0, utilization__lte=1),
                name="funding_utilization_fraction",
                violation_error_message=_("Andelen ska vara ett bråktal mellan 0 och 1."),
            ),
        ]

    def __str__(self):
        return f"{self.intervention} / {self.column}"
