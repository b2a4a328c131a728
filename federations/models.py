from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from finsam.lib.limits import SHORT_TEXT_MAX_CHARS, refuse_beyond_plan_parts
from finsam.lib.partial_dates import validate_partial_date


# The federation's profile fields that its plans show (the page, the PDF); an adopted
# plan keeps its own copy of them (`budgets.models.Plan.adopted_copy`).
PROFILE_FIELDS = ("name", "short_name", "org_number", "founded", "vision", "website")


@dataclass(frozen=True)
class FederationProfile:
    """A federation's profile as a plan shows it: the live one for a draft, the one
    kept at adoption for an adopted plan (`budgets.models.Plan.federation_profile`)."""

    name: str
    short_name: str = ""
    org_number: str = ""
    founded: str = ""
    vision: str = ""
    website: str = ""

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def __str__(self):
        return self.display_name

    def as_copy(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in PROFILE_FIELDS}

    @classmethod
    def from_copy(cls, data: dict) -> "FederationProfile":
        return cls(**{name: data.get(name) or "" for name in PROFILE_FIELDS})


class Federation(models.Model):
    """A samordningsförbund: its profile. Plans, members and goals hang off its plans."""

    slug = models.SlugField(_("kortnamn i adresser"), max_length=80, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("kort namn"), max_length=100, blank=True)
    org_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        blank=True,
        help_text=_("NNNNNN-NNNN"),
    )
    founded = models.CharField(
        _("bildat"),
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text=_("ÅÅÅÅ eller ÅÅÅÅ-MM-DD"),
    )
    vision = models.TextField(
        _("vision"), blank=True, max_length=SHORT_TEXT_MAX_CHARS, validators=[MaxLengthValidator(SHORT_TEXT_MAX_CHARS)]
    )
    website = models.CharField(_("webbplats"), max_length=200, blank=True)
    # The federation's choice: whether its adopted plans' key figures are shown in the
    # national overview, beside every other federation that has said yes.
    in_national_view = models.BooleanField(
        _("visas i den nationella översikten"),
        default=False,
        help_text=_("Förbundets fastställda planers nyckeltal visas för den nationella nivån."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("samordningsförbund")
        verbose_name_plural = _("samordningsförbund")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(org_number="") | Q(org_number__regex=r"^[0-9]{6}-[0-9]{4}$"),
                name="federation_org_number_format", violation_error_message=_("Organisationsnumret ska skrivas NNNNNN-NNNN."),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def profile(self) -> FederationProfile:
        """The live profile; a plan reads it through `Plan.federation_profile`."""
        return FederationProfile(**{name: getattr(self, name) for name in PROFILE_FIELDS})


class MemberKind(models.TextChoices):
    FORSAKRINGSKASSAN = "forsakringskassan", _("Försäkringskassan")
    ARBETSFORMEDLINGEN = "arbetsformedlingen", _("Arbetsförmedlingen")
    STATE = "state", _("Staten (FK+AF)")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Kommun")


class Member(models.Model):
    """A member (förbundsmedlem) as a plan lists it, with its share of the municipal key.

    Members belong to a plan rather than to the federation: populations and key
    shares change from year to year, and an adopted plan must keep the ones it
    was adopted with.
    """

    Kind = MemberKind

    plan = models.ForeignKey(
        "budgets.Plan", on_delete=models.CASCADE, related_name="members", verbose_name=_("plan")
    )
    slug = models.SlugField(_("id"), max_length=60)
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    population = models.PositiveIntegerField(_("folkmängd"), null=True, blank=True)
    key_share = models.DecimalField(
        _("andel av kommunernas fjärdedel"),
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Som bråktal, t.ex. 0,16 för 16 %."),
    )
    # How many decimals the key share is printed with ("0,50" has two): the key is
    # checked to the precision it is printed with.
    key_share_places = models.PositiveSmallIntegerField(_("decimaler i andelen"), null=True, blank=True)
    # Whether the document prints the key in percent ("16 %") rather than as a fraction.
    key_share_in_percent = models.BooleanField(_("andelen i procent"), default=False)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmar")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="member_unique_slug_per_plan"),
            models.CheckConstraint(
                condition=Q(kind__in=MemberKind.values), name="member_known_kind", violation_error_message=_("Okänt slag av medlem.")
            ),
            models.CheckConstraint(
                condition=Q(key_share__isnull=True) | Q(key_share__gte=0, key_share__lte=1),
                name="member_key_share_fraction", violation_error_message=_("Andelen ska vara ett bråktal mellan 0 och 1."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        refuse_beyond_plan_parts(self)

    @property
    def party(self) -> str:
        """The statutory party the member pays for: state, region or municipality."""
        return party_of_kind(self.kind)


def party_of_kind(kind: str) -> str:
    if kind in (MemberKind.FORSAKRINGSKASSAN, MemberKind.ARBETSFORMEDLINGEN, MemberKind.STATE):
        return "state"
    return kind


class RoleKind(models.TextChoices):
    CHIEF = "chief", _("Förbundschef (redigerar)")
    BOARD = "board", _("Styrelseledamot (läser)")
    MEMBER_CONTACT = "member", _("Kontaktperson för medlem (läser och kommenterar vid samråd)")


class Role(models.Model):
    """What a person may do with one federation's plans."""

    Kind = RoleKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="federation_roles",
        verbose_name=_("användare"),
    )
    federation = models.ForeignKey(
        Federation, on_delete=models.CASCADE, related_name="roles", verbose_name=_("förbund")
    )
    kind = models.CharField(_("roll"), max_length=10, choices=Kind.choices)
    # The member a member contact speaks for, by name ("Jönköpings kommun"): members belong
    # to a plan (each year's plan has its own rows), so a role names the member, not a row.
    member_name = models.CharField(
        _("medlem som kontaktpersonen företräder"), max_length=200, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
        ordering = ["federation", "kind", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "federation"], name="role_one_per_user_and_federation"),
            models.CheckConstraint(
                condition=Q(kind__in=RoleKind.values), name="role_known_kind", violation_error_message=_("Okänd roll.")
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.federation} ({self.get_kind_display()})"

    def clean(self):
        super().clean()
        if self.kind == RoleKind.MEMBER_CONTACT and not self.member_name.strip():
            raise ValidationError(
                {"member_name": _("Ange vilken medlem kontaktpersonen företräder.")}, code="member_name_required"
            )
        if self.kind != RoleKind.MEMBER_CONTACT and self.member_name:
            raise ValidationError(
                {"member_name": _("Bara en kontaktperson för medlem företräder en medlem.")}, code="member_name_for_contact_only"
            )
