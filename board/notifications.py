"""The e-mails of the board's side, written by the task worker (`board.tasks`).

Each message is about one plan and goes to people with a role in that plan's federation
only, so it never carries another federation's data; each person's preferences
(`NotificationPreference`) are asked first."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from board.models import Comment, NotificationPreference, Sending, SendingKind
from budgets.models import Plan
from federations.models import Role

# Mail is written in Swedish whatever language the worker runs in.
LANGUAGE = "sv"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _wanting(users, preference: str) -> list:
    """The users with an e-mail address who have not turned this message off."""
    users = [user for user in users if user.email and user.is_active]
    turned_off = set(
        NotificationPreference.objects.filter(user__in=users, **{preference: False}).values_list("user_id", flat=True)
    )
    return [user for user in users if user.pk not in turned_off]


def _role_holders(plan: Plan, kind: str) -> list:
    return list(
        get_user_model().objects.filter(federation_roles__federation=plan.federation, federation_roles__kind=kind).order_by("pk")
    )


def _send(*, recipients, subject: str, template: str, context: dict) -> int:
    sent = 0
    for user in recipients:
        body = render_to_string(template, {**context, "name": user.get_full_name() or user.get_username()})
        sent += send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])
    return sent


def _plan_context(plan: Plan) -> dict:
    return {
        "federation": plan.federation_profile.display_name,
        "year": plan.year,
        "revision": plan.revision,
        "plan_link": absolute(reverse("budgets:plan", args=[plan.pk])),
        "comments_link": absolute(reverse("board:comments", args=[plan.pk])),
    }


def plan_sent(sending_id: int) -> int:
    sending = Sending.objects.select_related("plan__federation").filter(pk=sending_id).first()
    if sending is None:
        return 0
    plan = sending.plan
    with translation.override(LANGUAGE):
        to_board = sending.kind == SendingKind.BOARD
        kind = Role.Kind.BOARD if to_board else Role.Kind.MEMBER_CONTACT
        context = {
            **_plan_context(plan),
            "meeting_date": sending.meeting_date.isoformat(),
            "to_board": to_board,
            # What changed since the previous version; the page links the appendix as a PDF.
            "changes_link": absolute(reverse("compare:changes", args=[plan.pk])),
        }
        subject = (
            _("Förslag till styrelsen: %(federation)s verksamhetsplan %(year)s")
            if to_board
            else _("Till medlemssamråd: %(federation)s verksamhetsplan %(year)s")
        ) % context
        return _send(
            recipients=_wanting(_role_holders(plan, kind), "plan_sent"), subject=subject, template="board/email/plan_sent.txt", context=context
        )


def new_comment(comment_id: int) -> int:
    comment = Comment.objects.select_related("plan__federation", "author").filter(pk=comment_id).first()
    if comment is None:
        return 0
    plan = comment.plan
    with translation.override(LANGUAGE):
        chiefs = [user for user in _role_holders(plan, Role.Kind.CHIEF) if user.pk != comment.author_id]
        context = _comment_context(comment)
        subject = _("Ny kommentar på %(federation)s verksamhetsplan %(year)s") % context
        return _send(recipients=_wanting(chiefs, "new_comment"), subject=subject, template="board/email/new_comment.txt", context=context)


def comment_answered(answer_id: int) -> int:
    answer = Comment.objects.select_related("plan__federation", "author", "parent__author").filter(pk=answer_id).first()
    if answer is None or answer.parent is None or answer.parent.author is None:
        return 0
    commenter = answer.parent.author
    if commenter.pk == answer.author_id:
        return 0
    # Only someone who may still read the plan hears about it.
    from federations.access import plan_permission

    plan = Plan.objects.select_related("federation").prefetch_related("federation__roles", "sendings").get(pk=answer.plan_id)
    if plan_permission(commenter, plan) is None:
        return 0
    with translation.override(LANGUAGE):
        context = {**_comment_context(answer), "question": answer.parent.body}
        subject = _("Svar på din kommentar: %(federation)s verksamhetsplan %(year)s") % context
        return _send(
            recipients=_wanting([commenter], "comment_answered"), subject=subject, template="board/email/comment_answered.txt", context=context
        )


def plan_adopted(plan_id: int) -> int:
    plan = Plan.objects.select_related("federation").filter(pk=plan_id).first()
    if plan is None or not plan.is_adopted:
        return 0
    with translation.override(LANGUAGE):
        context = {**_plan_context(plan), "adopted_on": plan.adopted_on.isoformat() if plan.adopted_on else ""}
        subject = _("Fastställd: %(federation)s verksamhetsplan %(year)s") % context
        return _send(
            recipients=_wanting(_role_holders(plan, Role.Kind.BOARD), "plan_adopted"),
            subject=subject,
            template="board/email/plan_adopted.txt",
            context=context,
        )


def _comment_context(comment: Comment) -> dict:
    plan = comment.plan
    return {
        **_plan_context(plan),
        "author": (comment.author.get_full_name() or comment.author.get_username()) if comment.author else _("okänd"),
        "place": comment.anchor_label or _("Planen som helhet"),
        "body": comment.body,
        "thread_link": absolute(reverse("board:comment", args=[plan.pk, comment.parent_id or comment.pk])),
    }
