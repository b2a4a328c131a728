"""Reads of follow-ups: from the database to the plain values `followup.figures` works on.
The page, the tertial report, the export and the roll-forward all read here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from budgets.models import BudgetLine, Plan
from budgets.planfile import PlanDocument
from budgets.selectors import plan_document, plan_queryset, plan_shared_data
from followup.figures import FollowUpFigures, follow_up_figures
from followup.models import FollowUp, Forecast, Outcome, ParticipantOutcome, VarianceComment


def line_key(line: BudgetLine) -> str:
    """The key `followup.figures` names a stored line by."""
    if line.section == BudgetLine.Section.CONTRIBUTION:
        return f"member:{line.member.slug}" if line.member_id else f"contribution:{line.slug}"
    if line.section == BudgetLine.Section.INCOME:
        return f"income:{line.slug}"
    return f"cost:{line.slug}"


def lines_by_key(plan: Plan) -> dict[str, BudgetLine]:
    return {line_key(line): line for line in plan.lines.select_related("member")}


@dataclass
class FollowUpOverview:
    """Everything the page and the report show of a follow-up, computed once."""

    plan: Plan
    follow_up: FollowUp
    document: PlanDocument
    figures: FollowUpFigures
    lines: dict[str, BudgetLine]
    line_comments: dict[str, str]
    group_comments: dict[str, str]


def follow_up_overview(follow_up: FollowUp) -> FollowUpOverview:
    plan = plan_queryset().get(pk=follow_up.plan_id)
    shared = plan_shared_data(plan)
    document = plan_document(plan, shared=shared)
    lines = lines_by_key(plan)
    key_of = {line.pk: key for key, line in lines.items()}
    # Rows of the plan's own lines only: a line of another plan is no figure of this one.
    outcomes = {
        key_of[line]: amount
        for line, amount in Outcome.objects.filter(follow_up=follow_up, line__plan=plan).values_list("line_id", "amount")
    }
    forecasts = {
        key_of[line]: amount
        for line, amount in Forecast.objects.filter(follow_up=follow_up, line__plan=plan).values_list("line_id", "amount")
    }
    participants = {
        slug: (women, men)
        for slug, women, men in ParticipantOutcome.objects.filter(follow_up=follow_up).values_list(
            "intervention__slug", "women", "men"
        )
    }
    line_comments, group_comments = {}, {}
    for comment in VarianceComment.objects.filter(follow_up=follow_up):
        if comment.line_id is not None and comment.line_id in key_of:
            line_comments[key_of[comment.line_id]] = comment.text
        elif comment.line_id is None:
            group_comments[comment.group] = comment.text
    figures = follow_up_figures(
        document,
        period_end=follow_up.period_end,
        outcomes=outcomes,
        forecasts=forecasts,
        participants=participants,
        bands=shared.bands,
    )
    return FollowUpOverview(
        plan=plan,
        follow_up=follow_up,
        document=document,
        figures=figures,
        lines=lines,
        line_comments=line_comments,
        group_comments=group_comments,
    )


def year_end_outcome(plan: Plan) -> dict[str, Decimal] | None:
    """The whole year's outcome of a plan's budget year by line key: the follow-up to
    31 December (of the newest revision of the year that has one), when there is one with
    outcome recorded; else None. Line keys name lines by their ids, which revisions keep."""
    follow_up = (
        FollowUp.objects.filter(
            plan__federation_id=plan.federation_id, plan__year=plan.year, period_end=datetime.date(plan.year, 12, 31)
        )
        .order_by("-plan__revision")
        .first()
    )
    if follow_up is None:
        return None
    rows = list(Outcome.objects.filter(follow_up=follow_up).select_related("line", "line__member"))
    if not rows:
        return None
    return {line_key(row.line): row.amount for row in rows}
