"""Reads of the board's side, used by the plan page, the comment pages, the PDF and the mail."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from board.models import AnchorKind, Comment, Sending, SendingKind
from budgets.models import BudgetLine, Plan


def plan_sendings(plan: Plan) -> list[Sending]:
    """The plan's sendings, newest first (from the prefetch when there is one)."""
    return sorted(plan.sendings.all(), key=lambda sending: (sending.sent_at, sending.pk), reverse=True)


def latest_sending(plan: Plan, kind: str | None = None) -> Sending | None:
    for sending in plan_sendings(plan):
        if kind is None or sending.kind == kind:
            return sending
    return None


def sending_stamp(plan: Plan) -> str | None:
    """What a sent draft's PDF says on its cover: "Förslag till styrelsen 2026-11-20" (the
    meeting), or the consultation's when only that was sent; None for an adopted plan."""
    if plan.is_adopted:
        return None
    board = latest_sending(plan, SendingKind.BOARD)
    if board is not None:
        return _("Förslag till styrelsen %(date)s") % {"date": board.meeting_date.isoformat()}
    consultation = latest_sending(plan, SendingKind.CONSULTATION)
    if consultation is not None:
        return _("Förslag till medlemssamråd %(date)s") % {"date": consultation.meeting_date.isoformat()}
    return None


def changed_since_sending(plan: Plan) -> Sending | None:
    """The newest sending of a draft that has changed since, or None."""
    sending = latest_sending(plan)
    if sending is None or plan.is_adopted or plan.version <= sending.plan_version:
        return None
    return sending


def sent_date(sending: Sending) -> str:
    return timezone.localtime(sending.sent_at).date().isoformat()


@dataclass(frozen=True)
class Anchor:
    key: str  # "plan", "line-12", "chapter-3", "intervention-7"
    kind: str
    id: int | None
    label: str
    group: str


def plan_anchors(plan: Plan) -> list[Anchor]:
    """The places of a plan a comment can be about: the plan, its chapters, its budget lines
    and its interventions, by their ids (which stay the same while the plan is edited)."""
    anchors = [Anchor(AnchorKind.PLAN, AnchorKind.PLAN, None, _("Planen som helhet"), _("Planen"))]
    for chapter in plan.chapters.order_by("order", "pk"):
        anchors.append(Anchor(f"chapter-{chapter.pk}", AnchorKind.CHAPTER, chapter.pk, chapter.heading, _("Kapitel")))
    section_order = {BudgetLine.Section.CONTRIBUTION: 0, BudgetLine.Section.INCOME: 1, BudgetLine.Section.COST: 2}
    lines = sorted(plan.lines.select_related("member"), key=lambda line: (section_order.get(line.section, 9), line.order, line.pk))
    for line in lines:
        anchors.append(Anchor(f"line-{line.pk}", AnchorKind.LINE, line.pk, line.display_label, _("Budgetrader")))
    for intervention in plan.interventions.order_by("name", "pk"):
        anchors.append(Anchor(f"intervention-{intervention.pk}", AnchorKind.INTERVENTION, intervention.pk, intervention.name, _("Insatser")))
    return anchors


def comment_threads(plan: Plan, *, status: str | None = None, anchor: str | None = None) -> list[Comment]:
    """The plan's first comments, each with its answers (`thread_answers`), oldest first."""
    threads = Comment.objects.filter(plan=plan, parent__isnull=True).select_related("author", "resolved_by")
    if status:
        threads = threads.filter(status=status)
    threads = list(threads.order_by("created_at", "pk"))
    if anchor:
        threads = [thread for thread in threads if thread.anchor_key == anchor]
    answers: dict[int, list[Comment]] = {}
    for answer in Comment.objects.filter(parent__in=[thread.pk for thread in threads]).select_related("author").order_by("created_at", "pk"):
        answers.setdefault(answer.parent_id, []).append(answer)
    for thread in threads:
        thread.thread_answers = answers.get(thread.pk, [])
    return threads


def comment_counts(plan: Plan) -> dict[str, dict]:
    """Per place ("line-12"): the number of first comments, of open ones, and the first one."""
    counts: dict[str, dict] = {}
    for comment in Comment.objects.filter(plan=plan, parent__isnull=True).order_by("created_at", "pk"):
        entry = counts.setdefault(comment.anchor_key, {"count": 0, "open": 0, "first": comment.pk})
        entry["count"] += 1
        entry["open"] += comment.is_open
    return counts


def row_key_of_line(line: BudgetLine) -> str:
    """The key of a budget line's row in the budget table (budgets.table)."""
    if line.section == BudgetLine.Section.CONTRIBUTION and line.member_id:
        return f"member:{line.member.slug}"
    if line.section == BudgetLine.Section.INCOME:
        return f"income:{line.slug}"
    return f"line:{line.slug}"


def row_comment_markers(plan: Plan, counts: dict[str, dict]) -> dict[str, dict]:
    """The comment markers of the budget table: row key -> the counts and the place of the
    line's comments, or (for a line of an intervention without comments of its own) the
    intervention's, since the table shows an intervention through its cost lines."""
    line_ids = [int(key.removeprefix("line-")) for key in counts if key.startswith("line-")]
    intervention_ids = [int(key.removeprefix("intervention-")) for key in counts if key.startswith("intervention-")]
    markers = {}
    for line in BudgetLine.objects.filter(plan=plan, intervention_id__in=intervention_ids).select_related("member"):
        anchor = f"intervention-{line.intervention_id}"
        markers[row_key_of_line(line)] = {**counts[anchor], "anchor": anchor}
    for line in BudgetLine.objects.filter(plan=plan, pk__in=line_ids).select_related("member"):
        markers[row_key_of_line(line)] = {**counts[f"line-{line.pk}"], "anchor": f"line-{line.pk}"}
    return markers


def plan_page_board(user, plan: Plan) -> dict:
    """What the plan page shows of the board's side: where the draft was sent, whether it
    changed since, the comment threads and the markers of the budget table's rows."""
    from federations.access import may_comment

    sending = latest_sending(plan)
    counts = comment_counts(plan)
    return {
        "sending": sending if not plan.is_adopted else None,
        "sending_sent_on": sent_date(sending) if sending is not None else None,
        "changed_since": changed_since_sending(plan),
        "comment_threads": comment_threads(plan) if counts else [],
        "comment_markers": {
            key: {**marker, "url": reverse("board:comments", args=[plan.pk])}
            for key, marker in row_comment_markers(plan, counts).items()
        },
        "may_comment": may_comment(user, plan),
    }
