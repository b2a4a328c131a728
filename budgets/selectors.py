"""Reads of plans. `plan_document` is the one way from the database to the
plain-value document that totals, validation, export and reports work on;
its number of queries does not depend on the size of the plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from budgets.models import BudgetLine, EquityGuidanceBand, LineAmount, Plan, StatedSubtotal, printed_amount
from budgets.planfile import (
    FORMAT,
    ActivityData,
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
from budgets.totals import PlanTotals, compute_totals
from budgets.validation import Finding, GuidanceBand, validate_document
from finsam.lib.money import plain
from interventions.models import Intervention


def _or_none(value):
    return value if value not in ("", None) else None


def plan_queryset():
    """Plans with everything `plan_document` reads, in a fixed number of queries."""
    return Plan.objects.select_related("federation").prefetch_related(
        "members",
        "chapters",
        "columns",
        "meetings",
        "activities",
        Prefetch("lines", queryset=BudgetLine.objects.select_related("member", "intervention")),
        Prefetch("stated_totals__column"),
        Prefetch("stated_subtotals", queryset=StatedSubtotal.objects.select_related("column")),
        Prefetch(
            "interventions",
            queryset=Intervention.objects.select_related("category", "owner").prefetch_related(
                "interventionmarking_set__marking", "parties", "allocations__member", "funding__column"
            ),
        ),
    )


def current_plan(federation_slug: str, year: int) -> Plan:
    """The newest revision of a federation's plan for a year, ready for `plan_document`;
    raises Plan.DoesNotExist."""
    plan = plan_queryset().filter(federation__slug=federation_slug, year=year).order_by("-revision").first()
    if plan is None:
        raise Plan.DoesNotExist(f"no plan for {federation_slug} {year}")
    return plan


def plan_document(plan: Plan) -> PlanDocument:
    """The plan as a `finsam-plan/2` document. Pass a plan from `plan_queryset()`
    to keep the query count fixed; any plan works."""
    federation = plan.federation
    amounts_by_line: dict[int, dict[str, object]] = defaultdict(dict)
    # Plain rows, not model instances: a plan has lines x columns amounts.
    for line_id, column_slug, amount, places in (
        LineAmount.objects.filter(line__plan=plan)
        .order_by("column__order", "column__pk")
        .values_list("line_id", "column__slug", "amount", "places")
    ):
        amounts_by_line[line_id][column_slug] = printed_amount(amount, places)

    contributions, income, costs = [], [], []
    for line in plan.lines.all():
        amounts = amounts_by_line.get(line.pk, {})
        if line.section == BudgetLine.Section.CONTRIBUTION:
            if line.member is None:
                # The contributions of all members, printed only as a total.
                contributions.append(ContributionData(id=line.slug, label=line.label, amounts=amounts))
            else:
                contributions.append(ContributionData(member=line.member.slug, amounts=amounts))
        elif line.section == BudgetLine.Section.INCOME:
            income.append(IncomeData(id=line.slug, label=line.label, kind=line.income_kind, amounts=amounts))
        else:
            costs.append(
                CostData(
                    id=line.slug,
                    label=line.label,
                    group=line.cost_group,
                    intervention=line.intervention.slug if line.intervention else None,
                    amounts=amounts,
                )
            )

    interventions = []
    for intervention in plan.interventions.all():
        participants = None
        if any(
            value is not None
            for value in (
                intervention.participants_total,
                intervention.participants_women,
                intervention.participants_men,
            )
        ):
            participants = Participants(
                total=intervention.participants_total,
                women=intervention.participants_women,
                men=intervention.participants_men,
            )
        interventions.append(
            InterventionData(
                id=intervention.slug,
                name=intervention.name,
                kind=intervention.kind,
                sus_category=intervention.category.name if intervention.category else None,
                markings=[link.marking.name for link in intervention.interventionmarking_set.all()],
                status=_or_none(intervention.status),
                long_term=intervention.long_term,
                owner=intervention.owner.slug if intervention.owner else None,
                members=[member.slug for member in sorted(intervention.parties.all(), key=_member_order)],
                start=_or_none(intervention.start),
                end=_or_none(intervention.end),
                participants=participants,
                utilization=intervention.utilization,
                target_group=_or_none(intervention.target_group),
                description=_or_none(intervention.description),
                goals=list(intervention.goals or []),
                indicators=list(intervention.indicators or []),
                municipal_allocation={
                    allocation.member.slug: allocation.weight for allocation in intervention.allocations.all()
                }
                or None,
                funding={
                    funding.column.slug: FundingData(granted=plain(funding.granted), share=_plain_or_none(funding.utilization))
                    for funding in sorted(intervention.funding.all(), key=lambda row: (row.column.order, row.column.pk))
                }
                or None,
            )
        )

    subtotals_by_column: dict[str, list[SubtotalData]] = {}
    for subtotal in plan.stated_subtotals.all():
        subtotals_by_column.setdefault(subtotal.column.slug, []).append(
            SubtotalData(label=subtotal.label, groups=subtotal.groups, amount=plain(subtotal.amount))
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
        members=[_member_data(member) for member in plan.members.all()],
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
            sections=[SectionData(heading=chapter.heading, body=chapter.body) for chapter in plan.chapters.all()],
        ),
        columns=[
            ColumnData(id=column.slug, year=column.year, kind=column.kind, label=_or_none(column.label))
            for column in plan.columns.all()
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
            stated.column.slug: StatedData(
                contributions=stated.contributions,
                income=stated.income,
                costs=stated.costs,
                result=stated.result,
                closing_equity=stated.closing_equity,
                subtotals=subtotals_by_column.pop(stated.column.slug, None),
            )
            for stated in sorted(plan.stated_totals.all(), key=lambda stated: (stated.column.order, stated.column.pk))
        }
        | {column_slug: StatedData(subtotals=subtotals) for column_slug, subtotals in subtotals_by_column.items()},
        interventions=interventions,
        meetings=[
            MeetingData(date=meeting.date, body=meeting.body, topic=_or_none(meeting.topic))
            for meeting in plan.meetings.all()
        ],
        activities=[
            ActivityData(
                name=activity.name,
                when=_or_none(activity.when),
                responsible=_or_none(activity.responsible),
                follow_up=_or_none(activity.follow_up),
            )
            for activity in plan.activities.all()
        ],
    )


def _member_data(member) -> MemberData:
    data = MemberData(
        id=member.slug,
        name=member.name,
        kind=member.kind,
        population=member.population,
        key_share=_as_printed(member.key_share, member.key_share_places),
    )
    data._key_share_in_percent = member.key_share_in_percent
    return data


def _plain_or_none(value: Decimal | None) -> Decimal | None:
    return plain(value) if value is not None else None


def _as_printed(value: Decimal | None, places: int | None) -> Decimal | None:
    """A stored number with the decimals it was printed with (0.160000 printed "0.16" -> 0.16)."""
    if value is None or places is None:
        return value
    return value.quantize(Decimal(1).scaleb(-places))


def _member_order(member):
    return (member.order, member.pk)


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


def plan_totals(plan: Plan) -> PlanTotals:
    """Totals per column and the equity chain of a stored plan."""
    return compute_totals(plan_document(plan))


def plan_findings(plan: Plan, *, bands: list[GuidanceBand] | None = None) -> list[Finding]:
    """The validator's findings on a stored plan."""
    document = plan_document(plan)
    return validate_document(document, bands=guidance_bands() if bands is None else bands)


@dataclass
class PlanOverview:
    """Everything a page or a report shows of a plan, computed once."""

    plan: Plan
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


def plan_overview(plan: Plan, *, bands: list[GuidanceBand] | None = None) -> PlanOverview:
    """The plan's document, totals, findings and budget table; the query count is fixed."""
    document = plan_document(plan)
    totals = compute_totals(document)
    findings = validate_document(document, bands=guidance_bands() if bands is None else bands, totals=totals)
    return PlanOverview(
        plan=plan,
        document=document,
        totals=totals,
        findings=findings,
        table=budget_table(document, totals, findings),
    )
