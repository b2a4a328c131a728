from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from federations.models import FederationProfile
from finsam.lib.formatting import format_number
from finsam.lib.limits import CHAPTER_BODY_MAX_CHARS, COLUMN_YEARS_BEFORE, refuse_beyond_plan_parts
from finsam.lib.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS, plain
from finsam.lib.partial_dates import validate_partial_date

def printed_amount(amount: Decimal | None, places: int | None) -> Decimal | None:
    """A stored amount as printed: with `places` decimals, else without trailing zeros."""
    if amount is None:
        return None
    if places is None:
        return plain(amount)
    return amount.quantize(Decimal(1).scaleb(-places))


def printed_places(amount: Decimal) -> int | None:
    """What `LineAmount.places` stores for a printed amount: its decimals where trailing
    zeros carry them ("125000.10": 2), else None."""
    exponent = amount.as_tuple().exponent
    if exponent >= 0 or exponent == plain(amount).as_tuple().exponent:
        return None
    return -exponent


YEAR_MIN = 1990
YEAR_MAX = 2100
# How far past its budget year a plan may look ("plan 2026-2027").
OUTLOOK_YEARS_MAX = 10


def amount_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=AMOUNT_MAX_DIGITS,
        decimal_places=AMOUNT_DECIMAL_PLACES,
        **kwargs,
    )


def percent_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=3, **kwargs)


class Unit(models.TextChoices):
    SEK = "SEK", _("kronor")
    TKR = "tkr", _("tusental kronor (tkr)")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    ADOPTED = "adopted", _("Fastställd")


class MunicipalKey(models.TextChoices):
    FIXED = "fixed", _("fasta andelar")
    POPULATION = "population", _("folkmängd")
    EQUAL = "equal", _("lika delar")
    AMOUNTS = "amounts", _("fasta belopp")


class Plan(models.Model):
    """One federation's verksamhetsplan for a budget year, with its outlook years.

    An adopted plan reads the same forever. Its own rows are locked, and what it
    shows from data shared with other plans (the federation's profile, the national
    categories and markings, the equity guidance) is copied into `adopted_copy` when
    it is adopted: a plain JSON object, decimals and dates as strings:

        {
          "federation": {"name": "...", "short_name": "...", "org_number": "...",
                         "founded": "...", "vision": "...", "website": "..."},
          "categories": {"<Category pk>": "<name>"},   # those its interventions use
          "markings": {"<Marking pk>": "<name>"},
          "guidance": {                                # each year the plan has a column for
            "2025": {"ceiling_percent": "20.000", "contributions_from": "0.00",
                     "contributions_to": null, "valid_from": "2013-01-01", "valid_until": null},
            "2026": null                               # no band applied to that year
          }
        }

    "guidance" holds the band the year's contributions fell in, in the year's most
    informed column (the one the equity chain uses). A draft has None and reads the
    shared data as it is now; `budgets.selectors.plan_shared_data` reads either.
    """

    Unit = Unit
    Status = PlanStatus
    MunicipalKey = MunicipalKey

    federation = models.ForeignKey(
        "federations.Federation",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("förbund"),
    )
    year = models.PositiveSmallIntegerField(_("budgetår"))
    # An adopted plan never changes; a change is a new revision of the same year.
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    # The revision this one was made from (empty for a first revision or when not known).
    revises = models.PositiveSmallIntegerField(_("reviderar revision"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("sista planår"))
    unit = models.CharField(_("enhet"), max_length=3, choices=Unit.choices, default=Unit.SEK)
    title = models.CharField(_("titel"), max_length=300, blank=True)
    reference = models.CharField(_("diarienummer"), max_length=100, blank=True)
    # Blank when the source document does not say; such a plan is edited as a draft.
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, blank=True, default=PlanStatus.DRAFT
    )
    adopted_on = models.DateField(_("fastställd"), null=True, blank=True)
    # See the class docstring: None for a draft.
    adopted_copy = models.JSONField(_("delade uppgifter vid fastställandet"), null=True, blank=True, editable=False)
    municipal_key = models.CharField(
        _("fördelningsnyckel"), max_length=12, choices=MunicipalKey.choices, blank=True
    )
    # How coarsely the source document rounds, in the plan's unit, where that is coarser
    # than the unit itself (100 for a document in kronor rounded to hundreds).
    precision = amount_field(_("avrundning"), null=True, blank=True)
    equity_opening_year = models.PositiveSmallIntegerField(
        _("eget kapital per 1 januari år"), null=True, blank=True
    )
    equity_opening_amount = amount_field(_("ingående eget kapital"), null=True, blank=True)
    # The federation's own goals, in the plan's unit and percent; kept with the
    # plan so that an adopted plan keeps the goals it was judged against.
    equity_floor = amount_field(_("lägsta egna kapital"), null=True, blank=True)
    admin_share_max = percent_field(_("högsta andel administration (%)"), null=True, blank=True)
    intervention_share_min = percent_field(
        _("lägsta andel till insatser och samverkan (%)"), null=True, blank=True
    )
    # Raised by every change to the plan or its parts; a save made from an older
    # version is refused, so that two editors never overwrite each other unseen.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verksamhetsplan")
        verbose_name_plural = _("verksamhetsplaner")
        ordering = ["federation__name", "-year", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "year", "revision"], name="plan_one_per_federation_year_and_revision"
            ),
            models.CheckConstraint(condition=Q(revision__gte=1), name="plan_revision_from_one", violation_error_message=_("Revisionen räknas från 1.")),
            models.CheckConstraint(
                condition=Q(revises__isnull=True) | Q(revises__gte=1, revises__lt=models.F("revision")),
                name="plan_revises_an_earlier_revision",
                violation_error_message=_("En revision kan bara revidera en tidigare revision."),
            ),
            models.CheckConstraint(
                condition=Q(precision__isnull=True) | Q(precision__gt=0),
                name="plan_precision_positive",
                violation_error_message=_("Avrundningen ska vara större än noll."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX), name="plan_valid_year", violation_error_message=_("Året ska ligga mellan 1990 och 2100.")
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("year"))
                & Q(last_year__lte=models.F("year") + OUTLOOK_YEARS_MAX),
                name="plan_valid_last_year", violation_error_message=_("Sista planåret ska vara budgetåret eller högst tio år senare."),
            ),
            models.CheckConstraint(condition=Q(unit__in=Unit.values), name="plan_known_unit", violation_error_message=_("Okänd enhet.")),
            models.CheckConstraint(
                condition=Q(status="") | Q(status__in=PlanStatus.values), name="plan_known_status", violation_error_message=_("Okänd status.")
            ),
            models.CheckConstraint(
                condition=Q(municipal_key="") | Q(municipal_key__in=MunicipalKey.values),
                name="plan_known_municipal_key", violation_error_message=_("Okänd fördelningsnyckel."),
            ),
            models.CheckConstraint(
                condition=Q(equity_opening_year__isnull=True, equity_opening_amount__isnull=True)
                | Q(
                    equity_opening_year__isnull=False,
                    equity_opening_amount__isnull=False,
                    equity_opening_year__gte=YEAR_MIN,
                    equity_opening_year__lte=YEAR_MAX,
                ),
                name="plan_opening_equity_year_and_amount", violation_error_message=_("Ange både år och belopp för ingående eget kapital, eller inget av dem."),
            ),
            models.CheckConstraint(
                condition=Q(equity_floor__isnull=True) | Q(equity_floor__gte=0),
                name="plan_equity_floor_not_negative", violation_error_message=_("Lägsta egna kapital kan inte vara negativt."),
            ),
            models.CheckConstraint(
                condition=Q(admin_share_max__isnull=True)
                | Q(admin_share_max__gte=0, admin_share_max__lte=100),
                name="plan_admin_share_max_percent", violation_error_message=_("Andelen ska vara mellan 0 och 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(intervention_share_min__isnull=True)
                | Q(intervention_share_min__gte=0, intervention_share_min__lte=100),
                name="plan_intervention_share_min_percent", violation_error_message=_("Andelen ska vara mellan 0 och 100 %."),
            ),
        ]

    def __str__(self):
        federation = self.federation_profile.display_name
        if self.revision > 1:
            return f"{federation} {self.year} (revision {self.revision})"
        return f"{federation} {self.year}"

    @property
    def is_adopted(self) -> bool:
        return self.status == PlanStatus.ADOPTED

    @property
    def federation_profile(self) -> FederationProfile:
        """The federation's name, vision and the rest as this plan shows them: as they
        were at adoption for an adopted plan, as they are now for a draft."""
        if self.is_adopted and self.adopted_copy:
            return FederationProfile.from_copy(self.adopted_copy["federation"])
        return self.federation.profile


class Chapter(models.Model):
    """A narrative chapter of the plan document (a "section" in the plan file)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("plan"))
    heading = models.CharField(_("rubrik"), max_length=300)
    body = models.TextField(
        _("text"),
        blank=True,
        max_length=CHAPTER_BODY_MAX_CHARS,
        validators=[MaxLengthValidator(CHAPTER_BODY_MAX_CHARS)],
        help_text=_("Tomma rader skiljer stycken; rader som börjar med ”- ” blir punkter."),
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kapitel")
        verbose_name_plural = _("kapitel")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.heading

    def clean(self):
        super().clean()
        refuse_beyond_plan_parts(self)


class ColumnKind(models.TextChoices):
    ACTUAL = "actual", _("Utfall")
    FORECAST = "forecast", _("Prognos")
    BUDGET = "budget", _("Budget")
    PLAN = "plan", _("Plan")


# The equity chain uses, per year, the most informed column: lower is better.
COLUMN_KIND_RANK = {
    ColumnKind.ACTUAL: 0,
    ColumnKind.FORECAST: 1,
    ColumnKind.BUDGET: 2,
    ColumnKind.PLAN: 3,
}


class Column(models.Model):
    """A column of the budget table: one year seen as actual, forecast, budget or plan."""

    Kind = ColumnKind

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="columns", verbose_name=_("plan"))
    slug = models.SlugField(_("id"), max_length=40)
    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("slag"), max_length=10, choices=ColumnKind.choices)
    label = models.CharField(_("rubrik"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetkolumn")
        verbose_name_plural = _("budgetkolumner")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="column_unique_slug_per_plan"),
            models.CheckConstraint(condition=Q(kind__in=ColumnKind.values), name="column_known_kind", violation_error_message=_("Okänt slag av kolumn.")),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX), name="column_valid_year", violation_error_message=_("Året ska ligga mellan 1990 och 2100.")
            ),
        ]

    def __str__(self):
        return self.label or f"{self.get_kind_display()} {self.year}"

    def clean(self):
        super().clean()
        refuse_beyond_plan_parts(self)
        plan = Plan.objects.filter(pk=self.plan_id).only("year", "last_year").first() if self.plan_id else None
        if plan is not None and self.year is not None:
            first = plan.year - COLUMN_YEARS_BEFORE
            if not first <= self.year <= plan.last_year:
                raise ValidationError(
                    {
                        "year": _("Kolumnens år ska ligga mellan %(first)s och planens sista år %(last)s.")
                        % {"first": first, "last": plan.last_year}
                    }
                )


class LineSection(models.TextChoices):
    CONTRIBUTION = "contribution", _("Medlemsbidrag")
    INCOME = "income", _("Övriga intäkter")
    COST = "cost", _("Kostnader")


class IncomeKind(models.TextChoices):
    EXTERNAL = "external", _("Externa medel (ESF m.m.)")
    OTHER = "other", _("Övrigt (ränta, ersättningar)")


class CostGroup(models.TextChoices):
    INTERVENTION = "intervention", _("Insatser")
    RESERVE = "reserve", _("Reserv för nya insatser")
    OPERATIONS = "operations", _("Gemensam verksamhet")
    ADMINISTRATION = "administration", _("Administration")
    UNSPECIFIED = "unspecified", _("Ej uppdelat")


class BudgetLine(models.Model):
    """A row of the budget table: a member's contribution, other income or a cost."""

    Section = LineSection
    IncomeKind = IncomeKind
    CostGroup = CostGroup

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("plan"))
    section = models.CharField(_("del"), max_length=12, choices=LineSection.choices)
    slug = models.SlugField(_("id"), max_length=80)
    label = models.CharField(_("rad"), max_length=300, blank=True)
    member = models.ForeignKey(
        "federations.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("medlem"),
    )
    income_kind = models.CharField(
        _("slag av intäkt"), max_length=10, choices=IncomeKind.choices, blank=True
    )
    cost_group = models.CharField(_("kostnadsgrupp"), max_length=15, choices=CostGroup.choices, blank=True)
    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cost_lines",
        verbose_name=_("insats"),
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")
        ordering = ["plan", "section", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "section", "slug"], name="line_unique_slug_per_section"),
            models.CheckConstraint(
                # A contribution line without a member is the contributions of all members,
                # printed only as a total.
                condition=(
                    Q(section=LineSection.CONTRIBUTION, member__isnull=False, income_kind="", cost_group="")
                    | (Q(section=LineSection.CONTRIBUTION, member__isnull=True, income_kind="", cost_group="") & ~Q(label=""))
                    | Q(section=LineSection.INCOME, member__isnull=True, income_kind__in=IncomeKind.values, cost_group="")
                    | Q(section=LineSection.COST, member__isnull=True, income_kind="", cost_group__in=CostGroup.values)
                ),
                name="line_section_fields", violation_error_message=_("Ett medlemsbidrag har en medlem (eller är en summa med rubrik), en intäkt ett slag av intäkt och en kostnad en kostnadsgrupp."),
            ),
            models.CheckConstraint(
                condition=Q(intervention__isnull=True) | Q(section=LineSection.COST),
                name="line_intervention_only_on_costs", violation_error_message=_("Bara kostnader kan kopplas till en insats."),
            ),
        ]

    def __str__(self):
        return self.display_label

    def clean(self):
        super().clean()
        refuse_beyond_plan_parts(self)
        # The plan file links only lines of the group "intervention" to an intervention
        # (budgets.planfile), so a line elsewhere that named one could not be exported
        # and read back.
        if self.intervention_id is not None and self.cost_group != CostGroup.INTERVENTION:
            raise ValidationError(
                _("Raden %(label)s kan inte kopplas till en insats: det kan bara kostnader i gruppen Insatser.")
                % {"label": self.label},
                code="intervention_outside_group",
            )

    @property
    def display_label(self) -> str:
        if self.section == LineSection.CONTRIBUTION and self.member_id:
            return self.member.name
        return self.label


class LineAmount(models.Model):
    """A line's amount in one column, in the plan's unit. No row means no amount (shown empty)."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="amounts", verbose_name=_("rad"))
    column = models.ForeignKey(Column, on_delete=models.CASCADE, related_name="amounts", verbose_name=_("kolumn"))
    amount = amount_field(_("belopp"))
    # The decimals the amount is printed with, where its trailing zeros say so
    # ("125000.10": 2); empty when the amount as stored says it (1866.5, 1866).
    places = models.PositiveSmallIntegerField(_("decimaler"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("belopp")
        verbose_name_plural = _("belopp")
        constraints = [
            models.UniqueConstraint(fields=["line", "column"], name="amount_one_per_line_and_column"),
            models.CheckConstraint(
                condition=Q(places__isnull=True) | Q(places__lte=AMOUNT_DECIMAL_PLACES),
                name="amount_places_stored",
                violation_error_message=_("Beloppet kan ha högst fyra decimaler."),
            ),
        ]

    def clean(self):
        super().clean()
        # Costs carry their sign in the section and contributions are never negative;
        # other income may be (negative interest, repayments). The rule spans two
        # tables, so it is checked here and by the plan file's reader, not by SQL.
        if self.amount is not None and self.amount < 0 and self.line.section != LineSection.INCOME:
            raise ValidationError({"amount": _("Beloppet kan inte vara negativt.")}, code="negative")

    @property
    def printed(self) -> Decimal:
        """The amount with the decimals it was printed with."""
        return printed_amount(self.amount, self.places)

    def __str__(self):
        return f"{self.line} / {self.column}: {format_number(self.amount)}"


class StatedTotal(models.Model):
    """Totals as printed in the source document for one column, to check its arithmetic."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="stated_totals", verbose_name=_("plan"))
    column = models.OneToOneField(Column, on_delete=models.CASCADE, related_name="stated", verbose_name=_("kolumn"))
    contributions = amount_field(_("medlemsbidrag"), null=True, blank=True)
    income = amount_field(_("intäkter"), null=True, blank=True)
    costs = amount_field(_("kostnader"), null=True, blank=True)
    result = amount_field(_("resultat"), null=True, blank=True)
    closing_equity = amount_field(_("utgående eget kapital"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("angiven summa")
        verbose_name_plural = _("angivna summor")

    def __str__(self):
        return str(self.column)


class StatedSubtotal(models.Model):
    """A subtotal of one or more cost groups as printed in the source document
    ("Delsumma administration"), for one column, to check its arithmetic."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="stated_subtotals", verbose_name=_("plan"))
    column = models.ForeignKey(Column, on_delete=models.CASCADE, related_name="stated_subtotals", verbose_name=_("kolumn"))
    label = models.CharField(_("rubrik"), max_length=300)
    # The cost groups it sums, in the order the file lists them.
    groups = models.JSONField(_("kostnadsgrupper"), default=list)
    amount = amount_field(_("belopp"))
    order = models.PositiveIntegerField(_("ordning"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("angiven delsumma")
        verbose_name_plural = _("angivna delsummor")
        ordering = ["plan", "column__order", "order", "pk"]

    def __str__(self):
        return f"{self.column}: {self.label}"


class MeetingBody(models.TextChoices):
    BOARD = "board", _("Styrelse")
    PREPARATORY = "preparatory", _("Beredningsgrupp")
    PRESIDIUM = "presidium", _("Presidium")
    MEMBERS = "members", _("Medlemssamråd")


class Meeting(models.Model):
    Body = MeetingBody

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("plan"))
    date = models.CharField(
        _("datum"), max_length=10, validators=[validate_partial_date], help_text=_("ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM")
    )
    body = models.CharField(_("organ"), max_length=12, choices=MeetingBody.choices)
    topic = models.CharField(_("ämne"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(body__in=MeetingBody.values), name="meeting_known_body", violation_error_message=_("Okänt organ.")),
        ]

    def __str__(self):
        return f"{self.date} {self.get_body_display()}"

    def clean(self):
        super().clean()
        refuse_beyond_plan_parts(self)


class Activity(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan"))
    name = models.CharField(_("aktivitet"), max_length=300)
    when = models.CharField(_("när"), max_length=200, blank=True)
    responsible = models.CharField(_("ansvarig"), max_length=200, blank=True)
    follow_up = models.CharField(_("uppföljning"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        refuse_beyond_plan_parts(self)


class EquityGuidanceBand(models.Model):
    """The national guidance on reasonable equity, as editable data.

    A band covers federations whose total yearly contributions fall in
    [contributions_from, contributions_to) (kronor) and is in force from
    valid_from until valid_until (inclusive, open when empty).
    """

    valid_from = models.DateField(_("gäller från"))
    valid_until = models.DateField(_("gäller till och med"), null=True, blank=True)
    contributions_from = models.DecimalField(
        _("medlemsbidrag från (kr)"), max_digits=AMOUNT_MAX_DIGITS, decimal_places=2, default=Decimal(0)
    )
    contributions_to = models.DecimalField(
        _("medlemsbidrag under (kr)"), max_digits=AMOUNT_MAX_DIGITS, decimal_places=2, null=True, blank=True
    )
    ceiling_percent = percent_field(_("tak för eget kapital (% av årets bidrag)"))
    note = models.CharField(_("källa eller kommentar"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("riktlinje för eget kapital")
        verbose_name_plural = _("riktlinjer för eget kapital")
        ordering = ["-valid_from", "contributions_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ceiling_percent__gte=0, ceiling_percent__lte=100), name="band_ceiling_percent_range", violation_error_message=_("Taket ska vara mellan 0 och 100 % av årets medlemsbidrag.")
            ),
            models.CheckConstraint(
                condition=Q(contributions_to__isnull=True) | Q(contributions_to__gt=models.F("contributions_from")),
                name="band_contributions_range", violation_error_message=_("Övre gränsen ska vara större än den nedre."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="band_validity_range", violation_error_message=_("Slutdatum kan inte vara före startdatum."),
            ),
            models.CheckConstraint(condition=Q(contributions_from__gte=0), name="band_contributions_from_not_negative", violation_error_message=_("Nedre gränsen kan inte vara negativ.")),
        ]

    def __str__(self):
        upper = f"{self.contributions_to}" if self.contributions_to is not None else "…"
        return f"{self.ceiling_percent} % ({self.contributions_from}–{upper} kr, från {self.valid_from})"
