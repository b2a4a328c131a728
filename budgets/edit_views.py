"""The chief's edit pages of a draft plan.

Every page needs write access (`get_plan_for_user(..., write=True)`): board
members get 403, people outside the federation 404, and an adopted plan is
403 for everyone. A save is a POST that redirects back to its page (PRG), which
shows the plan's findings computed afresh. Every form carries the plan's
version; a save made from an older version is refused and the page is shown
again with the values now stored (409). Invalid input shows field errors and
writes nothing (400).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets import edit_services as services
from budgets import keys
from budgets.forms import (
    ActivitiesForm,
    ActivityForm,
    ChapterForm,
    ColumnForm,
    ContributionsForm,
    KeyFillForm,
    LineCreateForm,
    LinesForm,
    MeetingForm,
    MeetingsForm,
    MemberForm,
    PlanSettingsForm,
    column_title,
    line_amounts,
    unit_name,
)
from budgets.models import Activity, BudgetLine, Chapter, Meeting, Plan
from budgets.selectors import plan_overview, plan_queryset
from budgets.services import StaleEdit
from budgets.table import PARTY_LABELS
from budgets.totals import PARTIES
from federations.access import get_plan_for_user
from finsam.lib.formatting import format_amount

STALE_MESSAGE = gettext_lazy(
    "Någon annan har ändrat planen sedan du öppnade sidan. Här är de nuvarande värdena – gör om din ändring."
)


# ---------------------------------------------------------------------------
# Shared by every edit page (the interventions pages too)


def load_plan_for_edit(request, pk: int, *, queryset=None) -> Plan:
    """The plan if the user may change it: 404 for outsiders, 403 for readers and adopted plans.
    `queryset` is the Plan queryset to load it with (`plan_queryset()` by default)."""
    return get_plan_for_user(request, pk, write=True, queryset=queryset if queryset is not None else plan_queryset())


def edit_view(*methods: str, queryset=None):
    """A view of an edit page, called with the plan instead of its pk.

    Sign-in and write access are checked before the method, so that a reader
    gets 403 and an outsider 404 whatever they send; the chief gets 405 for a
    method the page does not take. `queryset`, a callable returning the Plan
    queryset to load the plan with, lets a page read no more than it needs.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, pk, *args, **kwargs):
            plan = load_plan_for_edit(request, pk, queryset=queryset() if queryset is not None else None)
            allowed = [*methods, "HEAD"] if "GET" in methods else list(methods)
            if request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            return view(request, plan, *args, **kwargs)

        return wrapped

    return decorator


def posted_version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def render_edit_page(
    request, plan: Plan, template: str, context: dict, *, section: str, status: int = 200, stale: bool = False, overview=None
) -> HttpResponse:
    """An edit page with the plan's findings, computed from what is stored now."""
    return render(
        request,
        template,
        {
            "plan": plan,
            "overview": overview or plan_overview(plan),
            "edit_section": section,
            "stale": stale,
            "stale_message": STALE_MESSAGE,
            "unit": unit_name(plan),
            **context,
        },
        status=status,
    )


def submit_edit(
    request,
    plan: Plan,
    *,
    form,
    write: Callable,
    success: str | Callable,
    redirect_to: str,
    page: Callable,
) -> HttpResponse:
    """Run a save for an edit page: check the version, validate, write, then redirect.

    `write(cleaned_data, seen_version)` calls a service; `page(plan, status=,
    stale=, form=)` shows the page again: with the bound form and its errors
    (400), or with the stored values and the stale message (409).
    """
    seen_version = posted_version(request)
    if seen_version != plan.version:
        return page(_reload(request, plan), status=409, stale=True)
    if form is not None and not form.is_valid():
        return page(plan, status=400, form=form)
    try:
        result = write(form.cleaned_data if form is not None else None, seen_version)
    except StaleEdit:
        return page(_reload(request, plan), status=409, stale=True)
    except (services.EditRefused, ValidationError) as refusal:
        text = str(refusal) if isinstance(refusal, services.EditRefused) else " ".join(refusal.messages)
        if form is None:
            messages.error(request, text)
            return redirect(redirect_to)
        if isinstance(refusal, ValidationError) and hasattr(refusal, "error_dict"):
            # A model's error on one of its fields shows at the form's field of that name.
            for name, errors in refusal.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, text)
        return page(_reload(request, plan), status=400, form=form)
    message = success(result) if callable(success) else success
    if message:
        messages.success(request, message)
    return redirect(redirect_to)


def _reload(request, plan: Plan) -> Plan:
    """The plan as stored now, after someone else's change or a rolled-back save."""
    return load_plan_for_edit(request, plan.pk)


def _direction(request) -> str:
    direction = request.POST.get("direction")
    return direction if direction in (services.UP, services.DOWN) else services.DOWN


def _moved_message(moved: bool, name: str) -> str:
    return _("%(name)s är flyttad.") % {"name": name} if moved else ""


def _confirm_page(request, plan, *, section, title, question, consequences=(), blocked=(), cancel_url, status=200, stale=False):
    return render_edit_page(
        request,
        plan,
        "budgets/edit/confirm_delete.html",
        {
            "title": title,
            "question": question,
            "consequences": consequences,
            "blocked": blocked,
            "cancel_url": cancel_url,
        },
        section=section,
        status=status,
        stale=stale,
    )


# ---------------------------------------------------------------------------
# The federation's profile and the plan's facts and goals


@edit_view("GET", "POST")
def profile(request, plan):

    def page(plan, status=200, stale=False, form=None):
        form = form or PlanSettingsForm(plan=plan, initial=PlanSettingsForm.initial_for(plan))
        return render_edit_page(
            request, plan, "budgets/edit/profile.html", {"form": form}, section="profile", status=status, stale=stale
        )

    if request.method == "POST":
        return submit_edit(
            request,
            plan,
            form=PlanSettingsForm(request.POST, plan=plan),
            write=lambda data, seen: services.plan_settings_update(
                plan=plan, values=data, acting_user=request.user, seen_version=seen
            ),
            success=_("Förbundets och planens uppgifter är sparade."),
            redirect_to=request.path,
            page=page,
        )
    return page(plan)


# ---------------------------------------------------------------------------
# Members


def _members_page(request, plan, *, status=200, stale=False, form=None):
    return render_edit_page(
        request,
        plan,
        "budgets/edit/members.html",
        {"members": plan.members.all(), "form": form or MemberForm(initial={"kind": "municipality"})},
        section="members",
        status=status,
        stale=stale,
    )


@edit_view("GET", "POST")
def members(request, plan):
    if request.method == "POST":
        return submit_edit(
            request,
            plan,
            form=MemberForm(request.POST),
            write=lambda data, seen: services.member_create(
                plan=plan, values=data, acting_user=request.user, seen_version=seen
            ),
            success=lambda member: _("%(name)s är tillagd som medlem.") % {"name": member.name},
            redirect_to=reverse("edit:members", args=[plan.pk]),
            page=lambda plan, **kwargs: _members_page(request, plan, **kwargs),
        )
    return _members_page(request, plan)


@edit_view("GET", "POST")
def member_edit(request, plan, member_pk):
    member = get_object_or_404(plan.members.all(), pk=member_pk)

    def page(plan, status=200, stale=False, form=None):
        current = get_object_or_404(plan.members.all(), pk=member_pk)
        form = form or MemberForm(initial=MemberForm.initial_for(current))
        return render_edit_page(
            request,
            plan,
            "budgets/edit/member.html",
            {"member": current, "form": form},
            section="members",
            status=status,
            stale=stale,
        )

    if request.method == "POST":
        return submit_edit(
            request,
            plan,
            form=MemberForm(request.POST),
            write=lambda data, seen: services.member_update(
                plan=plan, member=member, values=data, acting_user=request.user, seen_version=seen
            ),
            success=lambda member: _("%(name)s är sparad.") % {"name": member.name},
            redirect_to=reverse("edit:members", args=[plan.pk]),
            page=page,
        )
    return page(plan)


@edit_view("GET", "POST")
def member_delete(request, plan, member_pk):
    member = get_object_or_404(plan.members.all(), pk=member_pk)
    members_url = reverse("edit:members", args=[plan.pk])

    def page(plan, status=200, stale=False, form=None):
        current = get_object_or_404(plan.members.all(), pk=member_pk)
        return _confirm_page(
            request,
            plan,
            section="members",
            title=_("Ta bort medlem"),
            question=_("Ta bort %(name)s ur planen?") % {"name": current.name},
            blocked=services.member_dependencies(current),
            cancel_url=members_url,
            status=status,
            stale=stale,
        )

    if request.method == "POST":
        name = member.name
        return submit_edit(
            request,
            plan,
            form=None,
            write=lambda data, seen: services.member_delete(
                plan=plan, member=member, acting_user=request.user, seen_version=seen
            ),
            success=_("%(name)s är borttagen ur planen.") % {"name": name},
            redirect_to=members_url,
            page=page,
        )
    return page(plan)


# ---------------------------------------------------------------------------
# Columns


def _columns_page(request, plan, *, status=200, stale=False, form=None):
    columns = list(plan.columns.all())
    return render_edit_page(
        request,
        plan,
        "budgets/edit/columns.html",
        {"columns": columns, "form": form or ColumnForm(plan=plan)},
        section="columns",
        status=status,
        stale=stale,
    )


@edit_view("GET", "POST")
def columns(request, plan):
    if request.method == "POST":
        return submit_edit(
            request,
            plan,
            form=ColumnForm(request.POST, plan=plan),
            write=lambda data, seen: services.column_create(
                plan=plan,
                year=data["year"],
                kind=data["kind"],
                label=data["label"],
                acting_user=request.user,
                seen_version=seen,
            ),
            success=lambda column: _("Kolumnen %(name)s är tillagd.") % {"name": column_title(column)},
            redirect_to=reverse("edit:columns", args=[plan.pk]),
            page=lambda plan, **kwargs: _columns_page(request, plan, **kwargs),
        )
    return _columns_page(request, plan)


@edit_view("POST")
def column_move(request, plan, column_pk):
    column = get_object_or_404(plan.columns.all(), pk=column_pk)
    return submit_edit(
        request,
        plan,
        form=None,
        write=lambda data, seen: services.column_move(
            plan=plan, column=column, direction=_direction(request), acting_user=request.user, seen_version=seen
        ),
        success=lambda moved: _moved_message(moved, column_title(column)),
        redirect_to=reverse("edit:columns", args=[plan.pk]),
        page=lambda plan, **kwargs: _columns_page(request, plan, **kwargs),
    )


@edit_view("GET", "POST")
def column_delete(request, plan, column_pk):
    column = get_object_or_404(plan.columns.all(), pk=column_pk)
    columns_url = reverse("edit:columns", args=[plan.pk])

    def page(plan, status=200, stale=False, form=None):
        current = get_object_or_404(plan.columns.all(), pk=column_pk)
        amounts = current.amounts.count()
        consequences = [
            _("Kolumnens %(count)s belopp tas bort med den.") % {"count": amounts},
        ]
        if current.intervention_funding.exists():
            consequences.append(_("Insatsernas beviljade belopp i kolumnen tas bort."))
        if hasattr(current, "stated"):
            consequences.append(_("De angivna summorna för kolumnen tas bort."))
        return _confirm_page(
            request,
            plan,
            section="columns",
            title=_("Ta bort kolumn"),
            question=_("Ta bort kolumnen %(name)s?") % {"name": column_title(current)},
            consequences=consequences,
            cancel_url=columns_url,
            status=status,
            stale=stale,
        )

    if request.method == "POST":
        name = column_title(column)
        return submit_edit(
            request,
            plan,
            form=None,
            write=lambda data, seen: services.column_delete(
                plan=plan, column=column, acting_user=request.user, seen_version=seen
            ),
            success=_("Kolumnen %(name)s är borttagen.") % {"name": name},
            redirect_to=columns_url,
            page=page,
        )
    return page(plan)


# ---------------------------------------------------------------------------
# Contributions


@dataclass
class PartyRow:
    key: str
    label: str
    cells: list  # (column id, amount, share) per column
    kind: str = "party"


def _party_summary(overview) -> list[PartyRow]:
    """Per party and column: the subtotal and its share of the contributions."""
    columns = overview.totals.columns
    rows = [
        PartyRow(
            key=party,
            label=_(PARTY_LABELS[party]),
            cells=[(column.id, column.contributions_by_party[party], column.party_shares[party]) for column in columns],
        )
        for party in PARTIES
    ]
    rows.append(
        PartyRow(
            key="total",
            label=_("Summa medlemsbidrag"),
            cells=[(column.id, column.contributions, None) for column in columns],
            kind="total",
        )
    )
    return rows


def _contribution_amounts(plan):
    lines = [line for line in plan.lines.all() if line.section == BudgetLine.Section.CONTRIBUTION]
    amounts = {}
    for line in BudgetLine.objects.filter(pk__in=[line.pk for line in lines]).prefetch_related("amounts"):
        for amount in line.amounts.all():
            amounts[(line.member_id, amount.column_id)] = amount.amount
    return amounts


def _contributions_page(request, plan, *, status=200, stale=False, form=None, key_form=None):
    columns = list(plan.columns.all())
    members = list(plan.members.all())
    if not isinstance(form, ContributionsForm):
        form = ContributionsForm(rows=members, columns=columns, amounts=_contribution_amounts(plan))
    key_form = key_form or KeyFillForm(plan=plan, columns=columns)
    overview = plan_overview(plan)
    # The helper offers the plan's own key; say at once when the members lack its data.
    key_problem = None
    if plan.municipal_key in keys.KEYS:
        municipalities = [
            keys.KeyMember(id=member.pk, name=member.name, population=member.population, key_share=member.key_share)
            for member in members
            if member.kind == "municipality"
        ]
        try:
            keys.key_weights(municipalities, plan.municipal_key)
        except keys.KeyIncomplete as problem:
            key_problem = str(problem)
    return render_edit_page(
        request,
        plan,
        "budgets/edit/contributions.html",
        {
            "form": form,
            "key_form": key_form,
            "columns": columns,
            "column_titles": [column_title(column) for column in columns],
            "party_rows": _party_summary(overview),
            "has_municipalities": any(member.kind == "municipality" for member in members),
            "key_problem": key_problem,
            "wide": True,
            "table_on_page": True,
        },
        section="contributions",
        status=status,
        stale=stale,
        overview=overview,
    )


@edit_view("GET", "POST")
def contributions(request, plan):
    if request.method == "POST":
        form = ContributionsForm(request.POST, rows=list(plan.members.all()), columns=list(plan.columns.all()))
        return submit_edit(
            request,
            plan,
            form=form,
            write=lambda data, seen: services.contributions_update(
                plan=plan,
                amounts={member_pk: values["amounts"] for member_pk, values in form.cleaned_rows.items()},
                acting_user=request.user,
                seen_version=seen,
            ),
            success=lambda changed: _("Medlemsbidragen är sparade (%(count)s belopp ändrade).") % {"count": changed},
            redirect_to=reverse("edit:contributions", args=[plan.pk]),
            page=lambda plan, **kwargs: _contributions_page(request, plan, **kwargs),
        )
    return _contributions_page(request, plan)


@edit_view("POST")
def contributions_key(request, plan):
    columns = {column.pk: column for column in plan.columns.all()}
    form = KeyFillForm(request.POST, plan=plan, columns=list(columns.values()))

    def filled(result: services.KeyFill) -> str:
        message = _(
            "Kommunernas bidrag i %(column)s är fördelade efter %(key)s på totalt %(total)s: %(amounts)s."
        ) % {
            "column": column_title(result.column),
            "key": dict(form.fields["key"].choices)[result.key],
            "total": format_amount(result.total, plan.unit, 0),
            "amounts": ", ".join(
                f"{member.name} {format_amount(amount, plan.unit, 0)}" for member, amount in result.amounts.items()
            ),
        }
        if result.shares_sum is not None and result.shares_sum != 1:
            message += " " + _(
                "Andelarna i nyckeln summerar till %(sum)s och inte till 1; beloppen är fördelade i proportion till dem."
            ) % {"sum": format_amount(result.shares_sum, "", 6).strip()}
        return message

    return submit_edit(
        request,
        plan,
        form=form,
        write=lambda data, seen: services.contributions_fill_from_key(
            plan=plan,
            column=columns[data["column"]],
            key=data["key"],
            total=data["total"],
            acting_user=request.user,
            seen_version=seen,
        ),
        success=filled,
        redirect_to=reverse("edit:contributions", args=[plan.pk]),
        page=lambda plan, form=None, **kwargs: _contributions_page(request, plan, key_form=form, **kwargs),
    )


# ---------------------------------------------------------------------------
# Other income and costs

SECTIONS = {"intakter": BudgetLine.Section.INCOME, "kostnader": BudgetLine.Section.COST}
SECTION_SLUGS = {section: slug for slug, section in SECTIONS.items()}


def _section(slug: str) -> str:
    if slug not in SECTIONS:
        raise Http404(_("Okänd del av budgeten."))
    return SECTIONS[slug]


def _lines_forms(plan, columns, interventions, section, data=None):
    lines = list(
        plan.lines.model.objects.filter(plan=plan, section=section).select_related("intervention").prefetch_related("amounts")
    )
    if section == BudgetLine.Section.COST:
        group_rank = {group: rank for rank, group in enumerate(BudgetLine.CostGroup.values)}
        lines.sort(key=lambda line: (group_rank.get(line.cost_group, 99), line.order, line.pk))
    # A line moves among the lines of its group (see `edit_services.line_move`).
    for index, line in enumerate(lines):
        line.is_first = index == 0 or lines[index - 1].cost_group != line.cost_group
        line.is_last = index == len(lines) - 1 or lines[index + 1].cost_group != line.cost_group
    return LinesForm(
        data, section=section, rows=lines, columns=columns, amounts=line_amounts(lines), interventions=interventions
    )


def _lines_page(request, plan, *, status=200, stale=False, form=None, section=None, create_form=None, create_section=None):
    columns = list(plan.columns.all())
    interventions = list(plan.interventions.all())
    grids, creators = {}, {}
    for each in (BudgetLine.Section.INCOME, BudgetLine.Section.COST):
        grids[each] = form if (form is not None and section == each) else _lines_forms(plan, columns, interventions, each)
        creators[each] = (
            create_form
            if (create_form is not None and create_section == each)
            else LineCreateForm(section=each, interventions=interventions, auto_id=f"id_new_{SECTION_SLUGS[each]}_%s")
        )
    return render_edit_page(
        request,
        plan,
        "budgets/edit/lines.html",
        {
            "columns": columns,
            "column_titles": [column_title(column) for column in columns],
            "income_form": grids[BudgetLine.Section.INCOME],
            "cost_form": grids[BudgetLine.Section.COST],
            "income_create_form": creators[BudgetLine.Section.INCOME],
            "cost_create_form": creators[BudgetLine.Section.COST],
            "wide": True,
            "table_on_page": True,
        },
        section="lines",
        status=status,
        stale=stale,
    )


@edit_view("GET")
def lines(request, plan):
    return _lines_page(request, plan)


@edit_view("POST")
def lines_save(request, plan, section_slug):
    section = _section(section_slug)
    form = _lines_forms(plan, list(plan.columns.all()), list(plan.interventions.all()), section, data=request.POST)
    return submit_edit(
        request,
        plan,
        form=form,
        write=lambda data, seen: services.lines_update(
            plan=plan, section=section, rows=form.cleaned_rows, acting_user=request.user, seen_version=seen
        ),
        success=lambda changed: (
            _("Intäkterna är sparade.") if section == BudgetLine.Section.INCOME else _("Kostnaderna är sparade.")
        ),
        redirect_to=reverse("edit:lines", args=[plan.pk]) + f"#{section_slug}",
        page=lambda plan, form=None, **kwargs: _lines_page(request, plan, form=form, section=section, **kwargs),
    )


@edit_view("POST")
def line_create(request, plan, section_slug):
    section = _section(section_slug)
    form = LineCreateForm(
        request.POST, section=section, interventions=list(plan.interventions.all()), auto_id=f"id_new_{section_slug}_%s"
    )
    return submit_edit(
        request,
        plan,
        form=form,
        write=lambda data, seen: services.line_create(
            plan=plan, section=section, values=data, acting_user=request.user, seen_version=seen
        ),
        success=lambda line: _("Raden %(name)s är tillagd.") % {"name": line.label},
        redirect_to=reverse("edit:lines", args=[plan.pk]) + f"#{section_slug}",
        page=lambda plan, form=None, **kwargs: _lines_page(
            request, plan, create_form=form, create_section=section, **kwargs
        ),
    )


def _plan_line(plan, line_pk) -> BudgetLine:
    return get_object_or_404(
        BudgetLine.objects.filter(plan=plan, section__in=list(SECTIONS.values())), pk=line_pk
    )


@edit_view("POST")
def line_move(request, plan, line_pk):
    line = _plan_line(plan, line_pk)
    return submit_edit(
        request,
        plan,
        form=None,
        write=lambda data, seen: services.line_move(
            plan=plan, line=line, direction=_direction(request), acting_user=request.user, seen_version=seen
        ),
        success=lambda moved: _moved_message(moved, line.label),
        redirect_to=reverse("edit:lines", args=[plan.pk]) + f"#{SECTION_SLUGS[line.section]}",
        page=lambda plan, **kwargs: _lines_page(request, plan, **kwargs),
    )


@edit_view("GET", "POST")
def line_delete(request, plan, line_pk):
    line = _plan_line(plan, line_pk)
    lines_url = reverse("edit:lines", args=[plan.pk]) + f"#{SECTION_SLUGS[line.section]}"

    def page(plan, status=200, stale=False, form=None):
        current = _plan_line(plan, line_pk)
        count = current.amounts.count()
        return _confirm_page(
            request,
            plan,
            section="lines",
            title=_("Ta bort rad"),
            question=_("Ta bort raden %(name)s?") % {"name": current.label},
            consequences=[_("Radens %(count)s belopp tas bort med den.") % {"count": count}] if count else [],
            cancel_url=lines_url,
            status=status,
            stale=stale,
        )

    if request.method == "POST":
        name = line.label
        return submit_edit(
            request,
            plan,
            form=None,
            write=lambda data, seen: services.line_delete(
                plan=plan, line=line, acting_user=request.user, seen_version=seen
            ),
            success=_("Raden %(name)s är borttagen.") % {"name": name},
            redirect_to=lines_url,
            page=page,
        )
    return page(plan)


# ---------------------------------------------------------------------------
# Chapters, meetings and activities


@dataclass(frozen=True)
class RowKind:
    model: type
    section: str
    list_url: str
    noun: str  # "kapitlet", with the name after it
    added: str  # "Kapitlet X är tillagt": the participle agrees with the noun
    removed: str

    def name(self, row) -> str:
        if self.model is Chapter:
            return row.heading
        if self.model is Meeting:
            return f"{row.date} {row.get_body_display()}"
        return row.name


ROW_KINDS = {
    "chapter": RowKind(
        Chapter, "chapters", "edit:chapters", gettext_lazy("kapitlet"),
        gettext_lazy("Kapitlet %(name)s är tillagt."), gettext_lazy("Kapitlet %(name)s är borttaget."),
    ),
    "meeting": RowKind(
        Meeting, "meetings", "edit:meetings", gettext_lazy("mötet"),
        gettext_lazy("Mötet %(name)s är tillagt."), gettext_lazy("Mötet %(name)s är borttaget."),
    ),
    "activity": RowKind(
        Activity, "activities", "edit:activities", gettext_lazy("aktiviteten"),
        gettext_lazy("Aktiviteten %(name)s är tillagd."), gettext_lazy("Aktiviteten %(name)s är borttagen."),
    ),
}


def _chapters_page(request, plan, *, status=200, stale=False, form=None, chapter_pk=None):
    chapters = list(plan.chapters.all())
    chapter_forms = []
    for chapter in chapters:
        if form is not None and chapter_pk == chapter.pk:
            chapter_forms.append((chapter, form))
        else:
            chapter_forms.append(
                (chapter, ChapterForm(initial={"heading": chapter.heading, "body": chapter.body}, prefix=f"c{chapter.pk}"))
            )
    create_form = form if (form is not None and chapter_pk is None) else ChapterForm(prefix="new")
    return render_edit_page(
        request,
        plan,
        "budgets/edit/chapters.html",
        {"chapter_forms": chapter_forms, "create_form": create_form},
        section="chapters",
        status=status,
        stale=stale,
    )


@edit_view("GET", "POST")
def chapters(request, plan):
    if request.method == "POST":
        return submit_edit(
            request,
            plan,
            form=ChapterForm(request.POST, prefix="new"),
            write=lambda data, seen: services.plan_row_create(
                plan=plan, model=Chapter, values=data, acting_user=request.user, seen_version=seen
            ),
            success=lambda chapter: ROW_KINDS["chapter"].added % {"name": chapter.heading},
            redirect_to=reverse("edit:chapters", args=[plan.pk]),
            page=lambda plan, **kwargs: _chapters_page(request, plan, **kwargs),
        )
    return _chapters_page(request, plan)


@edit_view("POST")
def chapter_save(request, plan, row_pk):
    chapter = get_object_or_404(plan.chapters.all(), pk=row_pk)
    return submit_edit(
        request,
        plan,
        form=ChapterForm(request.POST, prefix=f"c{chapter.pk}"),
        write=lambda data, seen: services.plan_rows_update(
            plan=plan, model=Chapter, rows={chapter.pk: data}, acting_user=request.user, seen_version=seen
        ),
        success=_("Kapitlet är sparat."),
        redirect_to=reverse("edit:chapters", args=[plan.pk]) + f"#chapter-{chapter.pk}",
        page=lambda plan, **kwargs: _chapters_page(request, plan, chapter_pk=chapter.pk, **kwargs),
    )


def _rows_page(request, plan, kind: str, *, status=200, stale=False, form=None, create_form=None):
    row_kind = ROW_KINDS[kind]
    rows = list(row_kind.model.objects.filter(plan=plan).order_by("order", "pk"))
    grid_class, create_class, template = {
        "meeting": (MeetingsForm, MeetingForm, "budgets/edit/meetings.html"),
        "activity": (ActivitiesForm, ActivityForm, "budgets/edit/activities.html"),
    }[kind]
    if not isinstance(form, grid_class):
        form = grid_class(rows=rows)
    create_form = create_form or create_class(prefix="new")
    headings = [field.label for field in create_class.base_fields.values()]
    return render_edit_page(
        request,
        plan,
        template,
        {"form": form, "create_form": create_form, "headings": headings, "wide": True},
        section=row_kind.section,
        status=status,
        stale=stale,
    )


def _rows_view(kind: str):
    row_kind = ROW_KINDS[kind]
    grid_class = {"meeting": MeetingsForm, "activity": ActivitiesForm}[kind]

    @edit_view("GET", "POST")
    def view(request, plan):
        if request.method == "POST":
            form = grid_class(request.POST, rows=list(row_kind.model.objects.filter(plan=plan).order_by("order", "pk")))
            return submit_edit(
                request,
                plan,
                form=form,
                write=lambda data, seen: services.plan_rows_update(
                    plan=plan, model=row_kind.model, rows=form.cleaned_rows, acting_user=request.user, seen_version=seen
                ),
                success=_("Ändringarna är sparade."),
                redirect_to=reverse(row_kind.list_url, args=[plan.pk]),
                page=lambda plan, **kwargs: _rows_page(request, plan, kind, **kwargs),
            )
        return _rows_page(request, plan, kind)

    return view


def _row_create_view(kind: str):
    row_kind = ROW_KINDS[kind]
    create_class = {"meeting": MeetingForm, "activity": ActivityForm}[kind]

    @edit_view("POST")
    def view(request, plan):
        return submit_edit(
            request,
            plan,
            form=create_class(request.POST, prefix="new"),
            write=lambda data, seen: services.plan_row_create(
                plan=plan, model=row_kind.model, values=data, acting_user=request.user, seen_version=seen
            ),
            success=lambda row: row_kind.added % {"name": row_kind.name(row)},
            redirect_to=reverse(row_kind.list_url, args=[plan.pk]),
            page=lambda plan, form=None, **kwargs: _rows_page(request, plan, kind, create_form=form, **kwargs),
        )

    return view


meetings = _rows_view("meeting")
activities = _rows_view("activity")
meeting_create = _row_create_view("meeting")
activity_create = _row_create_view("activity")


def _list_page(request, plan, kind, **kwargs):
    if kind == "chapter":
        return _chapters_page(request, plan, **kwargs)
    return _rows_page(request, plan, kind, **kwargs)


@edit_view("POST")
def row_move(request, plan, row_pk, kind):
    row_kind = ROW_KINDS[kind]
    row = get_object_or_404(row_kind.model.objects.filter(plan=plan), pk=row_pk)
    return submit_edit(
        request,
        plan,
        form=None,
        write=lambda data, seen: services.plan_row_move(
            plan=plan, row=row, direction=_direction(request), acting_user=request.user, seen_version=seen
        ),
        success=lambda moved: _moved_message(moved, row_kind.name(row)),
        redirect_to=reverse(row_kind.list_url, args=[plan.pk]),
        page=lambda plan, **kwargs: _list_page(request, plan, kind, **kwargs),
    )


@edit_view("GET", "POST")
def row_delete(request, plan, row_pk, kind):
    row_kind = ROW_KINDS[kind]
    row = get_object_or_404(row_kind.model.objects.filter(plan=plan), pk=row_pk)
    list_url = reverse(row_kind.list_url, args=[plan.pk])

    def page(plan, status=200, stale=False, form=None):
        current = get_object_or_404(row_kind.model.objects.filter(plan=plan), pk=row_pk)
        return _confirm_page(
            request,
            plan,
            section=row_kind.section,
            title=_("Ta bort"),
            question=_("Ta bort %(noun)s %(name)s?") % {"noun": row_kind.noun, "name": row_kind.name(current)},
            cancel_url=list_url,
            status=status,
            stale=stale,
        )

    if request.method == "POST":
        name = row_kind.name(row)
        return submit_edit(
            request,
            plan,
            form=None,
            write=lambda data, seen: services.plan_row_delete(
                plan=plan, row=row, acting_user=request.user, seen_version=seen
            ),
            success=row_kind.removed % {"name": name},
            redirect_to=list_url,
            page=page,
        )
    return page(plan)
