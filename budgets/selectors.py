"""Reads of plans. `plan_document` is the one way from the database to the
plain-value document that totals, validation, export and reports work on;
its number of queries does not depend on the size of the plan.

What a plan shows from data shared with other plans (the federation's profile,
the names of categories and markings, the equity guidance) is read through
`plan_shared_data`: as it was at adoption for an adopted plan, as it is now for
a draft.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from budgets.models import (
    Activity,
    BudgetLine,
    Chapter,
    Column,
    EquityGuidanceBand,
    LineAmount,
    Meeting,
    Plan,
    StatedSubtotal,
    StatedTotal,
    printed_amount,
)
from budgets.planfile import (
    FORMAT,
    ActivityData,
    AdoptedCopyData,
    ColumnData,
    ContributionData,
    CostData,
    EquityData,
    FederationData,
    FundingData,
    Goals,
    IncomeData,
    InterventionData,
    MeetingData,
    MemberData,
    OpeningEquity,
    Participants,
    PlanDocument,
    PlanInfo,
    SectionData,
    StatedData,
    SubtotalData,
)
from budgets.table import BudgetTable, budget_table
from budgets.totals import Funding, PlanTotals, chain_columns, compute_totals, intervention_cost_per_column
from budgets.validation import Finding, GuidanceBand, band_for, validate_document
from federations.models import FederationProfile, Member
from finsam.lib.money import UNIT_FACTORS, plain
from interventions.models import Intervention, InterventionFunding, InterventionMarking, MunicipalAllocation


def _or_none(value):
    return value if value not in ("", None) else None


def plan_queryset():
    """Plans as `plan_document` and the pages read them: with their federation. The rest
    of a plan is read by `plan_documents` in plain-value queries, a fixed number of them
    whatever the size of the plan (or the number of plans)."""
    return Plan.objects.select_related("federation")


def current_plan(federation_slug: str, year: int) -> Plan:
    """The newest revision of a federation's plan for a year, ready for `plan_document`;
    raises Plan.DoesNotExist."""
    plan = plan_queryset().filter(federation__slug=federation_slug, year=year).order_by("-revision").first()
    if plan is None:
        raise Plan.DoesNotExist(f"no plan for {federation_slug} {year}")
    return plan


class SharedData:
    """What a plan shows from data it shares with other plans: the federation's
    profile, the names of the national categories and markings, and the equity
    guidance bands. Made by `plan_shared_data`."""

    def __init__(
        self,
        *,
        federation: FederationProfile,
        category_labels: dict[int, str] | None = None,
        marking_labels: dict[int, str] | None = None,
        bands: list[GuidanceBand] | None = None,
    ):
        self.federation = federation
        self._category_labels = category_labels or {}
        self._marking_labels = marking_labels or {}
        self._bands = bands

    @property
    def bands(self) -> list[GuidanceBand]:
        # Read when first asked for: the plan document alone does not need them.
        if self._bands is None:
            self._bands = guidance_bands()
        return self._bands

    def category_label(self, pk: int, name: str) -> str:
        """The name the plan shows for the category `pk`, named `name` now."""
        return self._category_labels.get(pk, name)

    def marking_label(self, pk: int, name: str) -> str:
        """The name the plan shows for the marking `pk`, named `name` now."""
        return self._marking_labels.get(pk, name)


def plan_shared_data(plan: Plan, *, live_bands: list[GuidanceBand] | None = None) -> SharedData:
    """The shared data as `plan` shows it: kept at adoption for an adopted plan
    (`Plan.adopted_copy`), as it is now for a draft. `live_bands` spares a query
    when many drafts are read at once."""
    copy = plan.adopted_copy if plan.is_adopted else None
    if not copy:
        return live_shared_data(plan, bands=live_bands)
    return SharedData(
        federation=plan.federation_profile,
        category_labels={int(pk): label for pk, label in copy["categories"].items()},
        marking_labels={int(pk): label for pk, label in copy["markings"].items()},
        bands=[_kept_band(int(year), band) for year, band in copy["guidance"].items() if band is not None],
    )


def live_shared_data(plan: Plan, *, bands: list[GuidanceBand] | None = None) -> SharedData:
    """The shared data as it is now, whatever the plan's status: for a draft, for the
    copy taken at adoption, and for what goes into a new plan or a plan file."""
    return SharedData(federation=plan.federation.profile, bands=bands)


def _kept_band(year: int, band: dict) -> GuidanceBand:
    """A band kept for one year, valid for that year only: it applied to that year's
    contributions and must not start applying to another year's."""
    return GuidanceBand(
        valid_from=datetime.date(year, 1, 1),
        valid_until=datetime.date(year, 12, 31),
        contributions_from=Decimal(band["contributions_from"]),
        contributions_to=Decimal(band["contributions_to"]) if band["contributions_to"] is not None else None,
        ceiling_percent=Decimal(band["ceiling_percent"]),
    )


def adopted_copy_of(plan: Plan) -> dict:
    """What `plan` shows from shared data now, in the form `Plan.adopted_copy` keeps it."""
    shared = live_shared_data(plan)
    document = plan_document(plan, shared=shared)
    totals = compute_totals(document)
    factor = UNIT_FACTORS[document.plan.unit]
    guidance = {}
    # The validator looks up a year's band by the contributions in the year's most
    # informed column; the same lookup here keeps the band it found.
    for year, column in sorted(chain_columns(document.columns).items()):
        contributions = totals.column(column.id).contributions
        band = band_for(shared.bands, year, contributions * factor) if contributions else None
        guidance[str(year)] = _band_copy(band) if band is not None else None
    return {
        "federation": plan.federation.profile.as_copy(),
        "categories": {
            str(pk): name
            for pk, name in Intervention.objects.filter(plan=plan, category__isnull=False).values_list(
                "category_id", "category__name"
            )
        },
        "markings": {
            str(pk): name
            for pk, name in InterventionMarking.objects.filter(intervention__plan=plan)
            # In the order of the plan's interventions, as the copy has always been written.
            .order_by("intervention__order", "intervention__pk", "order", "pk")
            .values_list("marking_id", "marking__name")
        },
        "guidance": guidance,
    }


def _band_copy(band: GuidanceBand) -> dict:
    return {
        "ceiling_percent": str(band.ceiling_percent),
        "contributions_from": str(band.contributions_from),
        "contributions_to": str(band.contributions_to) if band.contributions_to is not None else None,
        "valid_from": band.valid_from.isoformat(),
        "valid_until": band.valid_until.isoformat() if band.valid_until is not None else None,
    }


def plan_document(plan: Plan, *, shared: SharedData | None = None, budget: bool = True) -> PlanDocument:
    """The plan as a `finsam-plan/2` document, in a fixed number of queries whatever
    the size of the plan. The shared data is the plan's own (`plan_shared_data`)
    unless `shared` says otherwise. Without `budget` the document has no contributions,
    income or costs (for a caller that brings its own, as the budget grid does)."""
    return plan_documents([plan], shared={plan.pk: shared} if shared is not None else None, budget=budget)[0]


def plan_documents(
    plans: list[Plan], *, shared: dict[int, SharedData] | None = None, budget: bool = True
) -> list[PlanDocument]:
    """The plans as `finsam-plan/2` documents, in the order given, in a fixed number of
    queries whatever the number and size of the plans. Rows are read as plain values,
    not model instances: a plan has lines x columns amounts and interventions x columns
    grants. `shared` ({plan pk: SharedData}) overrides a plan's own shared data; without
    `budget` the budget lines and their amounts are not read."""
    rows = _PlanRows([plan.pk for plan in plans], budget=budget)
    documents = []
    for plan in plans:
        plan_shared = (shared or {}).get(plan.pk) or plan_shared_data(plan)
        documents.append(rows.document(plan, plan_shared))
    return documents


def _by_plan(queryset, fields: tuple[str, ...], plan_field: str = "plan_id") -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in queryset.values(plan_field, *fields):
        grouped[row[plan_field]].append(row)
    return grouped


def _column_order(row: dict) -> tuple[int, int]:
    return (row["column__order"], row["column_id"])


class _PlanRows:
    """Everything `plan_document` reads of some plans, as plain rows, one query per kind.

    Each query orders rows as the model's default ordering does within one plan (or one
    intervention), without its leading plan: ordering by a relation orders by the
    related model's own ordering, through joins that grouping by plan has no use for."""

    def __init__(self, plan_ids: list[int], *, budget: bool = True):
        plans = {"plan_id__in": plan_ids}
        self.members = _by_plan(
            Member.objects.filter(**plans).order_by("order", "pk"),
            ("slug", "name", "kind", "population", "key_share", "key_share_places", "key_share_in_percent"),
        )
        self.chapters = _by_plan(Chapter.objects.filter(**plans).order_by("order", "pk"), ("heading", "body"))
        self.columns = _by_plan(Column.objects.filter(**plans).order_by("order", "pk"), ("slug", "year", "kind", "label"))
        self.meetings = _by_plan(Meeting.objects.filter(**plans).order_by("order", "pk"), ("date", "body", "topic"))
        self.activities = _by_plan(
            Activity.objects.filter(**plans).order_by("order", "pk"), ("name", "when", "responsible", "follow_up")
        )
        self.lines = {}
        self.amounts: dict[int, dict[str, Decimal]] = defaultdict(dict)
        if budget:
            self.lines = _by_plan(
                BudgetLine.objects.filter(**plans).order_by("section", "order", "pk"),
                ("id", "section", "slug", "label", "income_kind", "cost_group", "member_id", "member__slug", "intervention__slug"),
            )
            for line_id, column_slug, amount, places in (
                LineAmount.objects.filter(line__plan_id__in=plan_ids)
                .order_by("column__order", "column__pk")
                .values_list("line_id", "column__slug", "amount", "places")
            ):
                self.amounts[line_id][column_slug] = printed_amount(amount, places)
        self.stated_totals = _by_plan(
            StatedTotal.objects.filter(**plans).order_by(),
            ("column_id", "column__slug", "column__order", "contributions", "income", "costs", "result", "closing_equity"),
        )
        self.stated_subtotals = _by_plan(
            StatedSubtotal.objects.filter(**plans).order_by("column__order", "order", "pk"), ("column__slug", "label", "groups", "amount")
        )
        self.interventions = _by_plan(
            Intervention.objects.filter(**plans).order_by("order", "pk"),
            (
                "id", "slug", "name", "kind", "category_id", "category__name", "status", "long_term", "owner__slug",
                "start", "end", "participants_total", "participants_women", "participants_men", "utilization",
                "target_group", "description", "goals", "indicators",
            ),
        )
        in_plans = {"intervention__plan_id__in": plan_ids}
        self.markings = _by_plan(
            InterventionMarking.objects.filter(**in_plans).order_by("order", "pk"), ("marking_id", "marking__name"), "intervention_id"
        )
        self.parties = _by_plan(
            Intervention.parties.through.objects.filter(**in_plans).order_by(),
            ("member_id", "member__slug", "member__order"),
            "intervention_id",
        )
        self.allocations = _by_plan(
            MunicipalAllocation.objects.filter(**in_plans).order_by("pk"), ("member__slug", "weight"), "intervention_id"
        )
        self.funding = _by_plan(
            InterventionFunding.objects.filter(**in_plans).order_by(),
            ("column_id", "column__slug", "column__order", "granted", "utilization"),
            "intervention_id",
        )

    def document(self, plan: Plan, shared: SharedData) -> PlanDocument:
        federation = shared.federation
        # Lines are made without a second validation (`model_construct`): a plan has
        # lines x columns amounts, and a stored amount as printed (`printed_amount`) is
        # already what the format's reader makes of it; the other fields are text the
        # reader keeps as it is. tests/test_plan_document_values.py holds the result
        # against the validated document.
        contributions, income, costs = [], [], []
        for line in self.lines.get(plan.pk, []):
            amounts = self.amounts.get(line["id"], {})
            if line["section"] == BudgetLine.Section.CONTRIBUTION:
                if line["member_id"] is None:
                    # The contributions of all members, printed only as a total.
                    contributions.append(
                        ContributionData.model_construct(id=line["slug"], label=line["label"], amounts=amounts)
                    )
                else:
                    contributions.append(ContributionData.model_construct(member=line["member__slug"], amounts=amounts))
            elif line["section"] == BudgetLine.Section.INCOME:
                income.append(
                    IncomeData.model_construct(
                        id=line["slug"], label=line["label"], kind=line["income_kind"], amounts=amounts
                    )
                )
            else:
                costs.append(
                    CostData.model_construct(
                        id=line["slug"],
                        label=line["label"],
                        group=line["cost_group"],
                        intervention=line["intervention__slug"],
                        amounts=amounts,
                    )
                )

        subtotals_by_column: dict[str, list[SubtotalData]] = {}
        for subtotal in self.stated_subtotals.get(plan.pk, []):
            subtotals_by_column.setdefault(subtotal["column__slug"], []).append(
                SubtotalData(label=subtotal["label"], groups=subtotal["groups"], amount=plain(subtotal["amount"]))
            )

        return PlanDocument(
            format=FORMAT,
            federation=FederationData(
                name=federation.name,
                short_name=_or_none(federation.short_name),
                org_number=_or_none(federation.org_number),
                founded=_or_none(federation.founded),
                vision=_or_none(federation.vision),
                website=_or_none(federation.website),
                goals=Goals(
                    equity_floor=plan.equity_floor,
                    admin_share_max=plan.admin_share_max,
                    intervention_share_min=plan.intervention_share_min,
                ),
            ),
            members=[_member_data(member) for member in self.members.get(plan.pk, [])],
            plan=PlanInfo(
                year=plan.year,
                last_year=plan.last_year,
                unit=plan.unit,
                title=_or_none(plan.title),
                reference=_or_none(plan.reference),
                status=_or_none(plan.status),
                adopted_on=plan.adopted_on,
                municipal_key=_or_none(plan.municipal_key),
                # Absent means the first revision.
                revision=plan.revision if plan.revision > 1 else None,
                revises=plan.revises,
                precision=_plain_or_none(plan.precision),
                sections=[
                    SectionData(heading=chapter["heading"], body=chapter["body"])
                    for chapter in self.chapters.get(plan.pk, [])
                ],
            ),
            columns=[
                ColumnData(id=column["slug"], year=column["year"], kind=column["kind"], label=_or_none(column["label"]))
                for column in self.columns.get(plan.pk, [])
            ],
            contributions=contributions,
            income=income,
            costs=costs,
            equity=EquityData(
                opening=(
                    OpeningEquity(year=plan.equity_opening_year, amount=plan.equity_opening_amount)
                    if plan.equity_opening_year is not None
                    else None
                )
            ),
            stated={
                stated["column__slug"]: StatedData(
                    contributions=stated["contributions"],
                    income=stated["income"],
                    costs=stated["costs"],
                    result=stated["result"],
                    closing_equity=stated["closing_equity"],
                    subtotals=subtotals_by_column.pop(stated["column__slug"], None),
                )
                for stated in sorted(self.stated_totals.get(plan.pk, []), key=_column_order)
            }
            | {column_slug: StatedData(subtotals=subtotals) for column_slug, subtotals in subtotals_by_column.items()},
            interventions=[self._intervention_data(intervention, shared) for intervention in self.interventions.get(plan.pk, [])],
            meetings=[
                MeetingData(date=meeting["date"], body=meeting["body"], topic=_or_none(meeting["topic"]))
                for meeting in self.meetings.get(plan.pk, [])
            ],
            activities=[
                ActivityData(
                    name=activity["name"],
                    when=_or_none(activity["when"]),
                    responsible=_or_none(activity["responsible"]),
                    follow_up=_or_none(activity["follow_up"]),
                )
                for activity in self.activities.get(plan.pk, [])
            ],
            adopted_copy=self._adopted_copy_data(plan, shared),
        )

    def _intervention_data(self, intervention: dict, shared: SharedData) -> InterventionData:
        pk = intervention["id"]
        counts = (intervention["participants_total"], intervention["participants_women"], intervention["participants_men"])
        participants = None
        if any(value is not None for value in counts):
            participants = Participants(total=counts[0], women=counts[1], men=counts[2])
        return InterventionData(
            id=intervention["slug"],
            name=intervention["name"],
            kind=intervention["kind"],
            sus_category=(
                shared.category_label(intervention["category_id"], intervention["category__name"])
                if intervention["category_id"] is not None
                else None
            ),
            markings=[shared.marking_label(link["marking_id"], link["marking__name"]) for link in self.markings.get(pk, [])],
            status=_or_none(intervention["status"]),
            long_term=intervention["long_term"],
            owner=intervention["owner__slug"],
            members=[
                party["member__slug"]
                for party in sorted(self.parties.get(pk, []), key=lambda party: (party["member__order"], party["member_id"]))
            ],
            start=_or_none(intervention["start"]),
            end=_or_none(intervention["end"]),
            participants=participants,
            utilization=intervention["utilization"],
            target_group=_or_none(intervention["target_group"]),
            description=_or_none(intervention["description"]),
            goals=list(intervention["goals"] or []),
            indicators=list(intervention["indicators"] or []),
            municipal_allocation={
                allocation["member__slug"]: allocation["weight"] for allocation in self.allocations.get(pk, [])
            }
            or None,
            funding={
                # As the lines' amounts: plain stored numbers are what the reader makes of them.
                funding["column__slug"]: FundingData.model_construct(
                    granted=plain(funding["granted"]), share=_plain_or_none(funding["utilization"])
                )
                for funding in sorted(self.funding.get(pk, []), key=_column_order)
            }
            or None,
        )

    def _adopted_copy_data(self, plan: Plan, shared: SharedData) -> AdoptedCopyData | None:
        """The plan's copy of shared data as a plan file carries it: categories and markings
        keyed by the name the document's interventions give them (primary keys mean nothing
        in another database), in a fixed order so that equal plans write equal files.
        None for a draft."""
        kept = plan.adopted_copy if plan.is_adopted else None
        if not kept:
            return None
        # The plan's interventions are locked since adoption: they use the categories and
        # markings the copy names, already read with them.
        interventions = self.interventions.get(plan.pk, [])
        category_names = {
            str(intervention["category_id"]): intervention["category__name"]
            for intervention in interventions
            if intervention["category_id"] is not None
        }
        marking_names = {
            str(link["marking_id"]): link["marking__name"]
            for intervention in interventions
            for link in self.markings.get(intervention["id"], [])
        }
        categories = {
            shared.category_label(int(pk), category_names[pk]): name
            for pk, name in kept["categories"].items()
            if pk in category_names
        }
        markings = {
            shared.marking_label(int(pk), marking_names[pk]): name
            for pk, name in kept["markings"].items()
            if pk in marking_names
        }
        return AdoptedCopyData(
            federation=kept["federation"],
            categories=dict(sorted(categories.items())),
            markings=dict(sorted(markings.items())),
            guidance={year: kept["guidance"][year] for year in sorted(kept["guidance"])},
        )


def _member_data(member: dict) -> MemberData:
    data = MemberData(
        id=member["slug"],
        name=member["name"],
        kind=member["kind"],
        population=member["population"],
        key_share=_as_printed(member["key_share"], member["key_share_places"]),
    )
    data._key_share_in_percent = member["key_share_in_percent"]
    return data


def _plain_or_none(value: Decimal | None) -> Decimal | None:
    return plain(value) if value is not None else None


def _as_printed(value: Decimal | None, places: int | None) -> Decimal | None:
    """A stored number with the decimals it was printed with (0.160000 printed "0.16" -> 0.16)."""
    if value is None or places is None:
        return value
    return value.quantize(Decimal(1).scaleb(-places))


def guidance_bands() -> list[GuidanceBand]:
    """The equity guidance bands from the database, as plain values for the validator."""
    return [
        GuidanceBand(
            valid_from=band.valid_from,
            valid_until=band.valid_until,
            contributions_from=band.contributions_from,
            contributions_to=band.contributions_to,
            ceiling_percent=band.ceiling_percent,
        )
        for band in EquityGuidanceBand.objects.all()
    ]


def intervention_costs(plan: Plan) -> dict[str, dict[str, Decimal]]:
    """{intervention id: {column id: granted × counted share}} of a stored plan, in one query."""
    funding: dict[str, dict[str, Funding]] = defaultdict(dict)
    default_utilization: dict[str, Decimal | None] = {}
    for intervention, own_share, column, granted, utilization in InterventionFunding.objects.filter(
        intervention__plan=plan
    ).values_list("intervention__slug", "intervention__utilization", "column__slug", "granted", "utilization"):
        funding[intervention][column] = Funding(granted=granted, utilization=utilization)
        default_utilization[intervention] = own_share
    return {
        intervention: intervention_cost_per_column(
            by_column, default_utilization=default_utilization[intervention], unit=plan.unit
        )
        for intervention, by_column in funding.items()
    }


def plan_findings(plan: Plan, *, shared: SharedData | None = None) -> list[Finding]:
    """The validator's findings on a stored plan, against the plan's own shared data
    (`plan_shared_data`) unless `shared` says otherwise."""
    shared = shared or plan_shared_data(plan)
    return validate_document(
        plan_document(plan, shared=shared), bands=shared.bands, intervention_costs=intervention_costs(plan)
    )


@dataclass
class PlanOverview:
    """Everything a page or a report shows of a plan, computed once."""

    plan: Plan
    shared: SharedData
    document: PlanDocument
    totals: PlanTotals
    findings: list[Finding]
    table: BudgetTable

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.is_error]

    @property
    def findings_errors_first(self) -> list[Finding]:
        return self.errors + self.warnings


def plan_overview(plan: Plan) -> PlanOverview:
    """The plan's document, totals, findings and budget table, with the plan's own
    shared data; the query count is fixed."""
    shared = plan_shared_data(plan)
    document = plan_document(plan, shared=shared)
    totals = compute_totals(document)
    findings = validate_document(
        document, bands=shared.bands, totals=totals, intervention_costs=intervention_costs(plan)
    )
    return PlanOverview(
        plan=plan,
        shared=shared,
        document=document,
        totals=totals,
        findings=findings,
        table=budget_table(document, totals, findings),
    )
