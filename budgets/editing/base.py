"""What every page of the chief's editor shares (the interventions pages too).

Access: every page needs write access (`get_plan_for_user(..., write=True)`): board
members get 403, people outside the federation 404, and an adopted plan is 403 for
everyone. A save is a POST that redirects back to its page (PRG), which shows the
plan's findings computed afresh. Every form carries the plan's version; a save made
from an older version is refused and the page is shown again with the values now
stored (409). Invalid input shows field errors and writes nothing (400).

Writes: the services of every page take keyword arguments only, run in one
transaction, count the change on the plan with `plan_record_change` (which refuses
a save made from an older version of the plan, `StaleEdit`, and so rolls everything
back) and clean each row with `full_clean()` before saving it (`save_row`). Rows are
saved one by one so that their history records who changed them.

Deleting: `confirm_delete` is the one view that asks before anything is removed and
then removes it; each page describes what it deletes with a `Deletion`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from typing import Callable, Iterable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.models import BudgetLine, Column, LineAmount, Plan
from budgets.selectors import plan_overview, plan_queryset
from budgets.services import StaleEdit, plan_record_change  # noqa: F401  (every page's services use them)
from federations.access import get_plan_for_user
from finsam.forms import DecimalCommaField, parse_field_number

STALE_MESSAGE = gettext_lazy(
    "Någon annan har ändrat planen sedan du öppnade sidan. Här är de nuvarande värdena – gör om din ändring."
)
UNIT_NAMES = {Plan.Unit.SEK: "kr", Plan.Unit.TKR: "tkr"}
UP = "up"
DOWN = "down"


class EditRefused(Exception):
    """A change the plan's data does not allow; the message says why, in Swedish."""


# ---------------------------------------------------------------------------
# Access and the pages


def load_plan_for_edit(request, pk: int, *, queryset: Callable | None = None) -> Plan:
    """The plan if the user may change it: 404 for outsiders, 403 for readers and adopted plans.

    `queryset` returns the Plan queryset to load it with; by default `plan_queryset()`,
    everything a page's overview reads."""
    return get_plan_for_user(request, pk, write=True, queryset=(queryset or plan_queryset)())


def edit_view(*methods: str, queryset: Callable | None = None):
    """A view of an edit page, called with the plan instead of its pk.

    Sign-in and write access are checked before the method, so that a reader
    gets 403 and an outsider 404 whatever they send; the chief gets 405 for a
    method the page does not take. `queryset` (see `load_plan_for_edit`) lets a
    view that needs only the plan's row load less.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, pk, *args, **kwargs):
            plan = load_plan_for_edit(request, pk, queryset=queryset)
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


def unit_name(plan: Plan) -> str:
    return UNIT_NAMES.get(plan.unit, plan.unit)


def column_default_label(*, year: int, kind: str) -> str:
    return f"{Column.Kind(kind).label} {year}"


def column_title(column: Column) -> str:
    return column.label or column_default_label(year=column.year, kind=column.kind)


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
        return page(reload_plan(request, plan), status=409, stale=True)
    if form is not None and not form.is_valid():
        return page(plan, status=400, form=form)
    try:
        result = write(form.cleaned_data if form is not None else None, seen_version)
    except StaleEdit:
        return page(reload_plan(request, plan), status=409, stale=True)
    except (EditRefused, ValidationError) as refusal:
        text = str(refusal) if isinstance(refusal, EditRefused) else " ".join(refusal.messages)
        if form is None:
            messages.error(request, text)
            return redirect(redirect_to)
        if isinstance(refusal, ValidationError) and hasattr(refusal, "error_dict"):
            # A model's error on one of its fields shows at the form's field of that name.
            for name, errors in refusal.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, text)
        return page(reload_plan(request, plan), status=400, form=form)
    message = success(result) if callable(success) else success
    if message:
        messages.success(request, message)
    return redirect(redirect_to)


def reload_plan(request, plan: Plan) -> Plan:
    """The plan as stored now, after someone else's change or a rolled-back save."""
    return load_plan_for_edit(request, plan.pk)


def posted_direction(request) -> str:
    direction = request.POST.get("direction")
    return direction if direction in (UP, DOWN) else DOWN


def moved_message(moved: bool, name: str) -> str:
    return _("%(name)s är flyttad.") % {"name": name} if moved else ""


# ---------------------------------------------------------------------------
# Confirm, then delete


def _nothing(obj) -> list[str]:
    return []


@dataclass(frozen=True)
class Deletion:
    """What one page's "Ta bort" asks and does; `confirm_delete` shows and runs it."""

    section: str  # the edit page it belongs to
    pk_url_kwarg: str  # the URL's name for the object's pk
    find: Callable[[Plan, int], models.Model]  # the plan's object, or 404
    name: Callable[[models.Model], str]
    title: str
    question: Callable[[models.Model], str]
    # A service: delete(plan=, obj=, acting_user=, seen_version=); EditRefused says why not.
    delete: Callable[..., None]
    done: str  # the message after, with %(name)s
    back: Callable[[Plan, models.Model], str]  # where the page goes after
    cancel: Callable[[Plan, models.Model], str] | None = None  # where "Avbryt" goes; `back` by default
    consequences: Callable[[models.Model], list[str]] = _nothing  # what goes with it
    blocked: Callable[[models.Model], list[str]] = _nothing  # why it cannot go as things stand


@edit_view("GET", "POST")
def confirm_delete(request, plan, *, deletion: Deletion, **kwargs):
    """GET asks (naming what goes with the object, or why it cannot go yet); POST deletes
    and returns to the page's list. The URL gives the `deletion`."""
    pk = kwargs[deletion.pk_url_kwarg]
    obj = deletion.find(plan, pk)
    back = deletion.back(plan, obj)

    def page(plan, status=200, stale=False, form=None):
        current = deletion.find(plan, pk)
        return render_edit_page(
            request,
            plan,
            "budgets/edit/confirm_delete.html",
            {
                "title": deletion.title,
                "question": deletion.question(current),
                "consequences": deletion.consequences(current),
                "blocked": deletion.blocked(current),
                "cancel_url": (deletion.cancel or deletion.back)(plan, current),
            },
            section=deletion.section,
            status=status,
            stale=stale,
        )

    if request.method == "POST":
        name = deletion.name(obj)
        return submit_edit(
            request,
            plan,
            form=None,
            write=lambda data, seen: deletion.delete(plan=plan, obj=obj, acting_user=request.user, seen_version=seen),
            success=deletion.done % {"name": name},
            redirect_to=back,
            page=page,
        )
    return page(plan)


# ---------------------------------------------------------------------------
# Writing rows


def save_row(obj: models.Model, acting_user) -> None:
    # Set here as well as by simple-history's middleware, so that a service
    # called outside a request (a command, a test) records its user too.
    obj._history_user = acting_user
    obj.full_clean()
    obj.save()


def delete_row(obj: models.Model, acting_user) -> None:
    obj._history_user = acting_user
    obj.delete()


def unique_slug(text: str, taken: Iterable[str], *, fallback: str, max_length: int = 80) -> str:
    """A slug made from `text`, not among `taken`: "enter", "enter-2", ..."""
    base = slugify(text.replace("/", " "))[: max_length - 4].strip("-") or fallback
    taken = set(taken)
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def next_order(queryset) -> int:
    highest = queryset.aggregate(highest=Max("order"))["highest"]
    return 0 if highest is None else highest + 1


def renumber(rows: list, acting_user) -> None:
    """Give rows the orders 0, 1, 2, ... in the order given, saving only those that change."""
    for position, row in enumerate(rows):
        if row.order != position:
            row.order = position
            row._history_user = acting_user
            row.save(update_fields=["order"])


def move_row(siblings, row, direction: str, acting_user) -> bool:
    """Move `row` one place up or down among `siblings` (a queryset in display order).

    Returns False when it is first (up) or last (down) already. Orders are
    renumbered first: imported rows may share an order and sort by id.
    """
    rows = list(siblings)
    index = next(position for position, sibling in enumerate(rows) if sibling.pk == row.pk)
    target = index - 1 if direction == UP else index + 1
    if target < 0 or target >= len(rows):
        return False
    rows[index], rows[target] = rows[target], rows[index]
    renumber(rows, acting_user)
    return True


def set_amount(*, line: BudgetLine, column: Column, amount: Decimal | None, existing: LineAmount | None, acting_user) -> bool:
    """Store one cell; an empty amount removes it. Returns whether anything changed."""
    if amount is None:
        if existing is None:
            return False
        delete_row(existing, acting_user)
        return True
    if existing is None:
        save_row(LineAmount(line=line, column=column, amount=amount), acting_user)
        return True
    if existing.amount == amount:
        return False
    existing.amount = amount
    save_row(existing, acting_user)
    return True


# ---------------------------------------------------------------------------
# Form fields more than one page types into (amounts: `finsam.forms`)


class CountField(forms.IntegerField):
    """A whole number such as a population, typed with or without spaces between
    thousands ("12 500"), read as strictly as an amount (`finsam.lib.numbers`)."""

    widget = forms.TextInput

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "numeric"
        return attrs

    def to_python(self, value):
        if isinstance(value, str):
            number = parse_field_number(self, value, decimals=0)
            return None if number is None else int(number)
        return super().to_python(value)


class FractionField(DecimalCommaField):
    """A share as a fraction between 0 and 1, typed with a decimal comma: "0,9"."""

    def __init__(self, *, places: int = 4, **kwargs):
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", Decimal(1))
        # No max_digits: the range check says all there is to say about the whole part.
        kwargs.setdefault("decimal_places", places)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        message = gettext_lazy("Ange ett bråktal mellan 0 och 1 med decimalkomma, t.ex. 0,9.")
        for code in ("invalid", "max_value", "min_value"):
            self.error_messages[code] = message
