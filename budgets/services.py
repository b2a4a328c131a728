"""Writes to plans. Each service is atomic and takes keyword arguments only."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from budgets.models import (
    Activity,
    BudgetLine,
    Chapter,
    Column,
    LineAmount,
    Meeting,
    Plan,
    StatedTotal,
)
from budgets.planfile import PlanDocument
from federations.models import Federation, Member
from interventions.models import (
    Category,
    Intervention,
    InterventionMarking,
    Marking,
    MunicipalAllocation,
)

IMPORT_REASON = "Importerad från planfil"


class PlanExists(Exception):
    """A plan for the federation and year is stored already and may not be replaced."""

    def __init__(self, slug: str, year: int):
        self.slug = slug
        self.year = year
        super().__init__(f"a plan for {slug} {year} exists already (use --replace to replace it)")


def federation_slug(document: PlanDocument) -> str:
    """The federation's address name, from its short name ("Härnösand/Timrå" -> "harnosand-timra")."""
    name = document.federation.short_name or document.federation.name
    return slugify(name.replace("/", " "))


def _text(value: str | None) -> str:
    return value or ""


@transaction.atomic
def plan_import(*, document: PlanDocument, replace: bool = False, acting_user=None) -> Plan:
    """Store a plan document, creating or updating its federation's profile.

    An existing plan for the same federation and year is refused unless
    `replace` is true, in which case it is deleted first, with all its revisions.
    """
    slug = federation_slug(document)
    info = document.federation
    federation, _created = Federation.objects.get_or_create(slug=slug, defaults={"name": info.name})
    federation.name = info.name
    federation.short_name = _text(info.short_name)
    federation.org_number = _text(info.org_number)
    federation.founded = _text(info.founded)
    federation.vision = _text(info.vision)
    federation.website = _text(info.website)
    federation.full_clean()
    federation.save()

    existing = Plan.objects.filter(federation=federation, year=document.plan.year)
    if existing.exists():
        if not replace:
            raise PlanExists(slug, document.plan.year)
        # Every revision of the year goes: the file is the plan from now on.
        for plan in existing:
            plan.delete()

    goals = info.goals
    opening = document.equity.opening if document.equity else None
    plan = Plan(
        federation=federation,
        year=document.plan.year,
        last_year=document.plan.last_year,
        unit=document.plan.unit,
        title=_text(document.plan.title),
        reference=_text(document.plan.reference),
        status=_text(document.plan.status),
        adopted_on=document.plan.adopted_on,
        municipal_key=_text(document.plan.municipal_key),
        equity_opening_year=opening.year if opening else None,
        equity_opening_amount=opening.amount if opening else None,
        equity_floor=goals.equity_floor if goals else None,
        admin_share_max=goals.admin_share_max if goals else None,
        intervention_share_min=goals.intervention_share_min if goals else None,
    )
    plan._change_reason = IMPORT_REASON
    plan.full_clean()
    plan.save()

    def create(objects, model):
        return bulk_create_with_history(
            objects, model, default_user=acting_user, default_change_reason=IMPORT_REASON
        )

    members = create(
        [
            Member(
                plan=plan,
                slug=member.id,
                name=member.name,
                kind=member.kind,
                population=member.population,
                key_share=member.key_share,
                key_share_places=(
                    max(0, -member.key_share.as_tuple().exponent) if member.key_share is not None else None
                ),
                order=position,
            )
            for position, member in enumerate(document.members)
        ],
        Member,
    )
    member_by_id = {member.slug: member for member in members}

    create(
        [
            Chapter(plan=plan, heading=section.heading, body=section.body, order=position)
            for position, section in enumerate(document.plan.sections or [])
        ],
        Chapter,
    )

    columns = create(
        [
            Column(
                plan=plan,
                slug=column.id,
                year=column.year,
                kind=column.kind,
                label=_text(column.label),
                order=position,
            )
            for position, column in enumerate(document.columns)
        ],
        Column,
    )
    column_by_id = {column.slug: column for column in columns}

    intervention_by_id = _import_interventions(
        plan=plan, document=document, member_by_id=member_by_id, acting_user=acting_user
    )

    lines: list[BudgetLine] = []
    line_amounts: list[tuple[BudgetLine, dict]] = []
    for position, contribution in enumerate(document.contributions):
        line = BudgetLine(
            plan=plan,
            section=BudgetLine.Section.CONTRIBUTION,
            slug=contribution.member,
            member=member_by_id[contribution.member],
            order=position,
        )
        lines.append(line)
        line_amounts.append((line, contribution.amounts))
    for position, income in enumerate(document.income or []):
        line = BudgetLine(
            plan=plan,
            section=BudgetLine.Section.INCOME,
            slug=income.id,
            label=income.label,
            income_kind=income.kind,
            order=position,
        )
        lines.append(line)
        line_amounts.append((line, income.amounts))
    for position, cost in enumerate(document.costs):
        line = BudgetLine(
            plan=plan,
            section=BudgetLine.Section.COST,
            slug=cost.id,
            label=cost.label,
            cost_group=cost.group,
            intervention=intervention_by_id.get(cost.intervention) if cost.intervention else None,
            order=position,
        )
        lines.append(line)
        line_amounts.append((line, cost.amounts))
    create(lines, BudgetLine)
    create(
        [
            LineAmount(line=line, column=column_by_id[column_id], amount=amount)
            for line, amounts in line_amounts
            for column_id, amount in amounts.items()
        ],
        LineAmount,
    )

    create(
        [
            StatedTotal(
                plan=plan,
                column=column_by_id[column_id],
                contributions=stated.contributions,
                income=stated.income,
                costs=stated.costs,
                result=stated.result,
                closing_equity=stated.closing_equity,
            )
            for column_id, stated in (document.stated or {}).items()
        ],
        StatedTotal,
    )

    Meeting.objects.bulk_create(
        Meeting(plan=plan, date=meeting.date, body=meeting.body, topic=_text(meeting.topic), order=position)
        for position, meeting in enumerate(document.meetings or [])
    )
    Activity.objects.bulk_create(
        Activity(
            plan=plan,
            name=activity.name,
            when=_text(activity.when),
            responsible=_text(activity.responsible),
            follow_up=_text(activity.follow_up),
            order=position,
        )
        for position, activity in enumerate(document.activities or [])
    )
    return plan


def _import_interventions(*, plan, document, member_by_id, acting_user) -> dict[str, Intervention]:
    intervention_by_id = {}
    for position, data in enumerate(document.interventions or []):
        participants = data.participants
        intervention = Intervention(
            plan=plan,
            slug=data.id,
            name=data.name,
            kind=data.kind,
            category=(
                Category.objects.get_or_create(name=data.sus_category)[0] if data.sus_category else None
            ),
            status=_text(data.status),
            long_term=data.long_term,
            owner=member_by_id[data.owner] if data.owner else None,
            start=_text(data.start),
            end=_text(data.end),
            participants_total=participants.total if participants else None,
            participants_women=participants.women if participants else None,
            participants_men=participants.men if participants else None,
            utilization=data.utilization,
            target_group=_text(data.target_group),
            description=_text(data.description),
            goals=list(data.goals or []),
            indicators=list(data.indicators or []),
            order=position,
        )
        intervention._change_reason = IMPORT_REASON
        intervention._history_user = acting_user
        intervention.full_clean(exclude=["plan"])
        intervention.save()
        intervention.parties.set([member_by_id[member] for member in data.members or []])
        InterventionMarking.objects.bulk_create(
            InterventionMarking(
                intervention=intervention,
                marking=Marking.objects.get_or_create(name=name)[0],
                order=position,
            )
            for position, name in enumerate(data.markings or [])
        )
        MunicipalAllocation.objects.bulk_create(
            MunicipalAllocation(intervention=intervention, member=member_by_id[member], weight=weight)
            for member, weight in (data.municipal_allocation or {}).items()
        )
        intervention_by_id[data.id] = intervention
    return intervention_by_id
