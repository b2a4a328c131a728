"""The administrator's pages: federations, and the people with roles in them.

Creating a federation and giving roles needs an administrator
(`federations.access.is_administrator`); a federation's chief sees its page
with the way to start or import a plan but not its people; board members
get 403 and everyone else 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from federations.access import get_federation_for_user, is_administrator
from federations.forms import FederationForm, RoleForm
from federations.models import Federation, Role
from federations.services import FederationRefused, federation_create, role_give, role_remove


def _require_administrator(request):
    if not is_administrator(request.user):
        raise PermissionDenied(_("Bara en administratör kan skapa förbund och ge roller."))


@login_required
def federation_list(request):
    _require_administrator(request)
    form = FederationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                federation = federation_create(values=form.cleaned_data, acting_user=request.user)
            except FederationRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Förbundet %(name)s är skapat. Ge nu förbundschefen en roll.") % {"name": federation.name})
                return redirect("federations:detail", slug=federation.slug)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(
        request,
        "federations/list.html",
        {"federations": Federation.objects.prefetch_related("plans", "roles"), "form": form},
        status=400 if form.errors else 200,
    )


def _detail_page(request, federation, *, role_form=None, status=200):
    administrator = is_administrator(request.user)
    return render(
        request,
        "federations/detail.html",
        {
            "federation": federation,
            "plans": federation.plans.order_by("-year", "-revision"),
            "roles": federation.roles.select_related("user").order_by("kind", "user__email") if administrator else [],
            "is_administrator": administrator,
            "role_form": role_form or (RoleForm() if administrator else None),
        },
        status=status,
    )


@login_required
def federation_detail(request, slug):
    federation = get_federation_for_user(request, slug)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _detail_page(request, federation)


@login_required
def role_create(request, slug):
    federation = get_federation_for_user(request, slug, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, federation, role_form=form, status=400)
    try:
        role, invited = role_give(
            federation=federation,
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            kind=form.cleaned_data["kind"],
            member_name=form.cleaned_data["member_name"].strip(),
            acting_user=request.user,
            request=request,
        )
    except FederationRefused as refusal:
        form.add_error("email", str(refusal))
        return _detail_page(request, federation, role_form=form, status=400)
    if invited:
        messages.success(
            request,
            _("%(email)s är inbjuden som %(role)s. Ett e-brev med en länk för att välja lösenord är skickat.")
            % {"email": role.user.email, "role": role.get_kind_display().lower()},
        )
    else:
        messages.success(request, _("%(email)s har nu rollen %(role)s.") % {"email": role.user.email, "role": role.get_kind_display().lower()})
    return redirect("federations:detail", slug=federation.slug)


@login_required
def role_delete(request, slug, role_pk):
    federation = get_federation_for_user(request, slug, manage=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    role = get_object_or_404(Role, pk=role_pk, federation=federation)
    role_remove(role=role, acting_user=request.user)
    messages.success(request, _("%(email)s har inte längre någon roll i förbundet.") % {"email": role.user.email or role.user.username})
    return redirect("federations:detail", slug=federation.slug)


@login_required
def national_setting(request, slug):
    """The federation's choice whether its adopted plans are shown in the national overview."""
    federation = get_federation_for_user(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    shown = request.POST.get("in_national_view") == "on"
    if federation.in_national_view != shown:
        federation.in_national_view = shown
        federation._change_reason = "national overview setting"
        federation.save(update_fields=["in_national_view"])
    if shown:
        messages.success(request, _("Förbundets fastställda planer visas i den nationella översikten."))
    else:
        messages.success(request, _("Förbundets planer visas inte i den nationella översikten."))
    return redirect("federations:detail", slug=federation.slug)
