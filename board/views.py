"""The board's side of a draft: sending it, the comments, and each person's e-mail choices.

Access first, through federations.access: an outsider (and a board member before the
draft is sent) gets 404 on every URL, a reader 403 on what only the chief does."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from board.forms import COMMENT_STATUS_FILTERS, AnswerForm, CommentForm, PreferencesForm, SendForm, meeting_date_default
from board.models import Comment, SendingKind
from board.selectors import comment_threads, plan_anchors, plan_sendings
from board.services import (
    BoardRefused,
    comment_answer,
    comment_create,
    comment_set_status,
    plan_send,
    preferences_for,
    preferences_save,
)
from budgets.services import StaleEdit
from federations.access import COMMENT, READ, WRITE, get_plan_for_comment, get_plan_for_sending, may_comment

STALE = _("Någon annan har ändrat planen medan du tittade på den. Granska den igen innan du skickar den.")


@login_required
def plan_send_view(request, pk):
    plan = get_plan_for_sending(request, pk)
    if request.method == "POST":
        form = SendForm(request.POST)
        if form.is_valid():
            try:
                sending = plan_send(
                    plan=plan,
                    kind=form.cleaned_data["kind"],
                    meeting_date=form.cleaned_data["meeting_date"],
                    acting_user=request.user,
                    seen_version=form.cleaned_data["version"],
                )
            except StaleEdit as stale:
                form = SendForm({**request.POST.dict(), "version": stale.plan.version})
                form.is_valid()
                form.add_error(None, STALE)
                plan.version = stale.plan.version
            except BoardRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                if sending.kind == SendingKind.BOARD:
                    text = _("Planen är skickad till styrelsen inför mötet %(date)s. Styrelsens ledamöter kan nu läsa och kommentera den.")
                else:
                    text = _("Planen är skickad till medlemssamråd inför mötet %(date)s. Medlemmarnas kontaktpersoner kan nu läsa och kommentera den.")
                messages.success(request, text % {"date": sending.meeting_date.isoformat()})
                return redirect("budgets:plan", pk=plan.pk)
        status = 400
    elif request.method == "GET":
        form = SendForm(initial={"version": plan.version, "meeting_date": meeting_date_default()})
        status = 200
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "board/send.html", {"plan": plan, "form": form, "sendings": plan_sendings(plan)}, status=status)


def _comment_form(plan, data=None, anchor=None):
    initial = {"anchor": anchor} if anchor else None
    return CommentForm(data, anchors=plan_anchors(plan), initial=initial)


@login_required
def comment_list(request, pk):
    """The plan's comments, open or resolved, and a new one (its board members and member contacts)."""
    if request.method == "POST":
        plan = get_plan_for_comment(request, pk, action=COMMENT)
        form = _comment_form(plan, request.POST)
        if form.is_valid():
            anchor = form.cleaned_data["anchor"]
            try:
                comment = comment_create(
                    plan=plan,
                    anchor_kind=anchor.kind,
                    anchor_id=anchor.id,
                    anchor_label=anchor.label,
                    body=form.cleaned_data["body"],
                    acting_user=request.user,
                )
            except BoardRefused as refusal:
                form.add_error("body", str(refusal))
            else:
                messages.success(request, _("Kommentaren är sparad. Förbundschefen får veta det."))
                return redirect(reverse("board:comment", args=[plan.pk, comment.pk]))
        return _list_page(request, plan, form=form, status=400)
    if request.method != "GET":
        get_plan_for_comment(request, pk)
        return HttpResponseNotAllowed(["GET", "POST"])
    plan = get_plan_for_comment(request, pk, action=READ)
    return _list_page(request, plan)


def _list_page(request, plan, *, form=None, status=200):
    chosen = request.GET.get("status", "open")
    if chosen not in dict(COMMENT_STATUS_FILTERS):
        chosen = "open"
    anchor = request.GET.get("plats") or None
    threads = comment_threads(plan, status=None if chosen == "all" else chosen, anchor=anchor)
    can_comment = may_comment(request.user, plan)
    if can_comment and form is None:
        form = _comment_form(plan, anchor=anchor)
    anchors = {item.key: item for item in plan_anchors(plan)}
    return render(
        request,
        "board/comments.html",
        {
            "plan": plan,
            "threads": threads,
            "filters": [(value, label) for value, label in COMMENT_STATUS_FILTERS],
            "chosen": chosen,
            "anchor": anchors.get(anchor) if anchor else None,
            "form": form if can_comment else None,
            "can_answer": plan.permission == WRITE and not plan.is_adopted,
        },
        status=status,
    )


def _thread(plan, comment_pk) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("author", "resolved_by", "plan"), pk=comment_pk, plan=plan, parent__isnull=True
    )


@login_required
def comment_thread(request, pk, comment_pk):
    """One comment with its answers; the chief answers here."""
    if request.method == "POST":
        plan = get_plan_for_comment(request, pk, action=WRITE)
        thread = _thread(plan, comment_pk)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                comment_answer(comment=thread, body=form.cleaned_data["body"], acting_user=request.user)
            except BoardRefused as refusal:
                form.add_error("body", str(refusal))
            else:
                messages.success(request, _("Svaret är sparat."))
                return redirect(reverse("board:comment", args=[plan.pk, thread.pk]))
        return _thread_page(request, plan, thread, form=form, status=400)
    plan = get_plan_for_comment(request, pk, action=READ)
    thread = _thread(plan, comment_pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return _thread_page(request, plan, thread)


def _thread_page(request, plan, thread, *, form=None, status=200):
    threads = [item for item in comment_threads(plan) if item.pk == thread.pk]
    can_answer = plan.permission == WRITE and not plan.is_adopted
    return render(
        request,
        "board/thread.html",
        {
            "plan": plan,
            "thread": threads[0],
            "can_answer": can_answer,
            "form": form or (AnswerForm() if can_answer else None),
        },
        status=status,
    )


def _set_status(request, pk, comment_pk, status, done):
    plan = get_plan_for_comment(request, pk, action=WRITE)
    thread = _thread(plan, comment_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        comment_set_status(comment=thread, status=status, acting_user=request.user)
    except BoardRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    # Back where the button was: the list of comments or the thread.
    if request.POST.get("from") == "list":
        return redirect("board:comments", pk=plan.pk)
    return redirect("board:comment", pk=plan.pk, comment_pk=thread.pk)


@login_required
def comment_resolve(request, pk, comment_pk):
    return _set_status(request, pk, comment_pk, Comment.Status.RESOLVED, _("Kommentaren är markerad som löst."))


@login_required
def comment_reopen(request, pk, comment_pk):
    return _set_status(request, pk, comment_pk, Comment.Status.OPEN, _("Kommentaren är öppen igen."))


@login_required
def preferences(request):
    """Which e-mails the signed-in person gets."""
    preference = preferences_for(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, instance=preference)
        if form.is_valid():
            preferences_save(user=request.user, values=form.cleaned_data)
            messages.success(request, _("Dina val av aviseringar är sparade."))
            return redirect("board:preferences")
        status = 400
    elif request.method == "GET":
        form = PreferencesForm(instance=preference)
        status = 200
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "board/preferences.html", {"form": form}, status=status)
