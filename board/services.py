"""Writes of the board's side: sending a draft, comments, answers, resolving, preferences.

Each write checks what it can and refuses with `BoardRefused` (a Swedish message) before
anything is stored; e-mail is sent by the task worker after the write is committed."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board.models import Comment, NotificationPreference, Sending
from budgets.models import Plan
from budgets.services import plan_record_change


class BoardRefused(Exception):
    """The write was refused; the message says why, in Swedish."""


def _after_commit(task, *args) -> None:
    transaction.on_commit(lambda: task.enqueue(*args))


@transaction.atomic
def plan_send(*, plan: Plan, kind: str, meeting_date: datetime.date, acting_user, seen_version: int | None) -> Sending:
    """Send a draft to the board (or the members' consultation) for the meeting on
    `meeting_date`. The plan's version is raised, so that its PDF is made again with the
    stamp "Förslag till styrelsen <date>"; `StaleEdit` when the chief's page was out of date."""
    if plan.is_adopted:
        raise BoardRefused(_("Planen är redan fastställd."))
    plan_record_change(plan=plan, seen_version=seen_version)
    sending = Sending(
        plan=plan, kind=kind, meeting_date=meeting_date, sent_at=timezone.now(), sent_by=acting_user, plan_version=plan.version
    )
    sending._history_user = acting_user
    sending.full_clean()
    sending.save()
    from board.tasks import notify_plan_sent

    _after_commit(notify_plan_sent, sending.pk)
    return sending


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise BoardRefused(_("Skriv en kommentar."))
    return body


def _save(comment: Comment, acting_user) -> Comment:
    comment._history_user = acting_user
    try:
        comment.full_clean()
    except ValidationError as error:
        raise BoardRefused(" ".join(error.messages)) from None
    comment.save()
    return comment


@transaction.atomic
def comment_create(*, plan: Plan, anchor_kind: str, anchor_id: int | None, anchor_label: str, body: str, acting_user) -> Comment:
    """A new comment on the plan or one of its rows (the place checked by the form)."""
    if plan.is_adopted:
        raise BoardRefused(_("Planen är fastställd; kommentarerna kan inte ändras."))
    comment = _save(
        Comment(
            plan=plan,
            anchor_kind=anchor_kind,
            anchor_id=anchor_id,
            anchor_label=anchor_label[:300],
            author=acting_user,
            body=_clean_body(body),
        ),
        acting_user,
    )
    from board.tasks import notify_new_comment

    _after_commit(notify_new_comment, comment.pk)
    return comment


@transaction.atomic
def comment_answer(*, comment: Comment, body: str, acting_user) -> Comment:
    """The chief's answer to a comment, shown in its thread; the commenter is told."""
    if comment.plan.is_adopted:
        raise BoardRefused(_("Planen är fastställd; kommentarerna kan inte ändras."))
    answer = _save(
        Comment(
            plan=comment.plan,
            parent=comment,
            anchor_kind=comment.anchor_kind,
            anchor_id=comment.anchor_id,
            anchor_label=comment.anchor_label,
            author=acting_user,
            body=_clean_body(body),
        ),
        acting_user,
    )
    from board.tasks import notify_comment_answered

    _after_commit(notify_comment_answered, answer.pk)
    return answer


@transaction.atomic
def comment_set_status(*, comment: Comment, status: str, acting_user) -> Comment:
    """Resolve or reopen a comment (its thread)."""
    if comment.plan.is_adopted:
        raise BoardRefused(_("Planen är fastställd; kommentarerna kan inte ändras."))
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status == status:
        return comment
    comment.status = status
    resolved = status == Comment.Status.RESOLVED
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = acting_user if resolved else None
    comment._change_reason = "Löst" if resolved else "Öppnad igen"
    return _save(comment, acting_user)


def preferences_for(user) -> NotificationPreference:
    """The user's preferences, all on when never set (not stored until changed)."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


@transaction.atomic
def preferences_save(*, user, values: dict) -> NotificationPreference:
    preference = NotificationPreference.objects.select_for_update().filter(user=user).first() or NotificationPreference(
        user=user
    )
    for name, value in values.items():
        setattr(preference, name, bool(value))
    preference._history_user = user
    preference.full_clean()
    preference.save()
    return preference
