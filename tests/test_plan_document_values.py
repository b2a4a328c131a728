"""`plan_document` reads a plan as plain values. Here it is held against the way it
read plans before, through model instances (kept below as the reference), on every
seed plan and on the plan file that uses every key: the documents must be the same
down to each number's printed decimals."""

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from budgets.models import BudgetLine, LineAmount, Plan, StatedSubtotal, printed_amount
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
    PlanInfo,
    PlanDocument,
    SectionData,
    StatedData,
    SubtotalData,
    read_plan_file,
)
from budgets.selectors import _as_printed, _or_none, _plain_or_none, plan_document, plan_documents, plan_shared_data
from budgets.services import plan_import, plan_new_revision
from budgets.synthetic import synthetic_plan_document
from finsam.lib.money import plain
from interventions.models import Category, Intervention, InterventionMarking, Marking

EVERY_KEY_PLAN = Path(__file__).resolve().parent / "plans" / "every-key.json"


def instance_queryset():
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


def _member_order(member):
    return (member.order, member.pk)


# ---------------------------------------------------------------------------
# The reference: the document as it was read from model instances.


def instance_document(plan, *, shared):
    federation = shared.federation
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
                sus_category=shared.category_label(intervention.category.pk, intervention.category.name) if intervention.category else None,
                markings=[shared.marking_label(link.marking.pk, link.marking.name) for link in intervention.interventionmarking_set.all()],
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
        adopted_copy=_adopted_copy_data(plan, shared),
    )


def _adopted_copy_data(plan, shared):
    """The plan's copy of shared data as a plan file carries it: categories and markings
    keyed by the name the document's interventions give them (primary keys mean nothing
    in another database), in a fixed order so that equal plans write equal files.
    None for a draft."""
    kept = plan.adopted_copy if plan.is_adopted else None
    if not kept:
        return None
    # The plan's interventions are locked since adoption: they use the categories and
    # markings the copy names, already read with them.
    interventions = plan.interventions.all()
    category_by_pk = {
        str(intervention.category.pk): intervention.category
        for intervention in interventions
        if intervention.category is not None
    }
    marking_by_pk = {
        str(link.marking.pk): link.marking
        for intervention in interventions
        for link in intervention.interventionmarking_set.all()
    }
    categories = {
        shared.category_label(category_by_pk[pk].pk, category_by_pk[pk].name): name
        for pk, name in kept["categories"].items()
        if pk in category_by_pk
    }
    markings = {
        shared.marking_label(marking_by_pk[pk].pk, marking_by_pk[pk].name): name for pk, name in kept["markings"].items() if pk in marking_by_pk
    }
    return AdoptedCopyData(
        federation=kept["federation"],
        categories=dict(sorted(categories.items())),
        markings=dict(sorted(markings.items())),
        guidance={year: kept["guidance"][year] for year in sorted(kept["guidance"])},
    )


def _member_data(member):
    data = MemberData(
        id=member.slug,
        name=member.name,
        kind=member.kind,
        population=member.population,
        key_share=_as_printed(member.key_share, member.key_share_places),
    )
    data._key_share_in_percent = member.key_share_in_percent
    return data




# ---------------------------------------------------------------------------


def exact(document: PlanDocument):
    """Everything the document says, numbers with their exponent (1.50 is not 1.5)."""
    return repr(document.model_dump()), [member.key_share_in_percent for member in document.members]


def assert_same_document(plan):
    plan = Plan.objects.get(pk=plan.pk)
    reference = instance_queryset().get(pk=plan.pk)
    expected = instance_document(reference, shared=plan_shared_data(reference))
    actual = plan_document(plan)
    # Section by section first, so that a difference is named where it is.
    for name in PlanDocument.model_fields:
        assert repr(getattr(actual, name)) == repr(getattr(expected, name)), name
    assert exact(actual) == exact(expected)


def test_every_seed_plan_reads_the_same_as_from_model_instances(seed_plans):
    for plan in seed_plans.values():
        assert_same_document(plan)


def test_the_plan_with_every_key_reads_the_same_adopted_and_as_a_draft(db, django_user_model):
    adopted = plan_import(document=read_plan_file(EVERY_KEY_PLAN.read_bytes()))
    assert adopted.is_adopted and adopted.adopted_copy
    assert_same_document(adopted)
    user = django_user_model.objects.create_user("someone")
    draft = plan_new_revision(plan=adopted, acting_user=user)
    assert_same_document(draft)
    # Shared names changed since adoption: the adopted plan shows its copy, the draft today's names.
    for category in Category.objects.all():
        Category.objects.filter(pk=category.pk).update(name=f"Ny kategori {category.pk}")
    for marking in Marking.objects.all():
        Marking.objects.filter(pk=marking.pk).update(name=f"Ny märkning {marking.pk}")
    assert_same_document(adopted)
    assert_same_document(draft)


def test_interventions_reordered_read_the_same(seed_plans):
    plan = seed_plans["sodra-vatterbygden"]
    interventions = list(Intervention.objects.filter(plan=plan))
    assert len(interventions) > 1
    for position, intervention in enumerate(reversed(interventions)):
        Intervention.objects.filter(pk=intervention.pk).update(order=position)
    for link in InterventionMarking.objects.filter(intervention__plan=plan):
        InterventionMarking.objects.filter(pk=link.pk).update(order=1000 - link.pk)
    assert_same_document(plan)


def test_many_plans_read_at_once_read_as_each_alone(seed_plans):
    plans = list(Plan.objects.filter(pk__in=[plan.pk for plan in seed_plans.values()]))
    together = plan_documents(plans)
    assert [exact(document) for document in together] == [exact(plan_document(plan)) for plan in plans]


def test_a_document_read_without_its_budget_is_the_rest_of_the_document(seed_plans):
    # The budget grid brings its own contributions, income and costs.
    for plan in seed_plans.values():
        whole = plan_document(plan)
        assert whole.contributions and whole.costs
        expected = whole.model_copy(update={"contributions": [], "income": [], "costs": []})
        assert exact(plan_document(plan, budget=False)) == exact(expected)


def queries_for_document(plan) -> int:
    plan = Plan.objects.select_related("federation").get(pk=plan.pk)
    with CaptureQueriesContext(connection) as queries:
        plan_document(plan)
    return len(queries.captured_queries)


def test_the_query_count_does_not_depend_on_the_number_of_interventions(db):
    small = plan_import(document=synthetic_plan_document(interventions=3, columns=2, year=2024))
    large = plan_import(document=synthetic_plan_document(interventions=60, columns=10))
    assert Intervention.objects.filter(plan=large).count() == 20 * Intervention.objects.filter(plan=small).count()
    assert queries_for_document(small) == queries_for_document(large)


def test_the_query_count_does_not_depend_on_the_number_of_plans(seed_plans):
    plans = list(Plan.objects.select_related("federation").filter(pk__in=[plan.pk for plan in seed_plans.values()]))
    with CaptureQueriesContext(connection) as many:
        plan_documents(plans)
    with CaptureQueriesContext(connection) as one:
        plan_documents(plans[:1])
    assert len(many.captured_queries) == len(one.captured_queries)
