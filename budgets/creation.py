"""A new plan from nothing: the plan, its members and the columns its years call for."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from budgets.editing.base import EditRefused, column_default_label, save_row, unique_slug
from budgets.editing.columns import COLUMN_SLUG_PREFIX
from budgets.models import Column, Plan
from federations.models import Federation, Member


@dataclass
class NewMember:
    name: str
    kind: str
    population: int | None = None
    key_share: Decimal | None = None
    key_share_places: int | None = None


def columns_for_years(year: int, last_year: int) -> list[tuple[int, str]]:
    """(year, kind) of a new plan's columns: last year's forecast, the budget year and each outlook year."""
    return [(year - 1, Column.Kind.FORECAST), (year, Column.Kind.BUDGET)] + [
        (outlook, Column.Kind.PLAN) for outlook in range(year + 1, last_year + 1)
    ]


@transaction.atomic
def plan_create_blank(
    *, federation: Federation, year: int, last_year: int, unit: str, members: list[NewMember], acting_user
) -> Plan:
    """A draft plan for the year with the members given and its columns; refused
    (EditRefused) when the federation has a plan for the year already."""
    if Plan.objects.filter(federation=federation, year=year).exists():
        raise EditRefused(_("Förbundet har redan en plan för %(year)s.") % {"year": year})
    names = [member.name.strip().lower() for member in members]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise EditRefused(_("Medlemmen %(name)s finns två gånger i listan.") % {"name": duplicates[0]})
    plan = Plan(federation=federation, year=year, last_year=last_year, unit=unit, status=Plan.Status.DRAFT)
    save_row(plan, acting_user)
    slugs: list[str] = []
    for order, member in enumerate(members):
        slug = unique_slug(member.name, slugs, fallback="medlem", max_length=60)
        slugs.append(slug)
        save_row(
            Member(
                plan=plan,
                slug=slug,
                order=order,
                name=member.name,
                kind=member.kind,
                population=member.population,
                key_share=member.key_share,
                key_share_places=member.key_share_places,
            ),
            acting_user,
        )
    for order, (column_year, kind) in enumerate(columns_for_years(year, last_year)):
        save_row(
            Column(
                plan=plan,
                slug=f"{COLUMN_SLUG_PREFIX[kind]}{column_year}",
                year=column_year,
                kind=kind,
                label=column_default_label(year=column_year, kind=kind),
                order=order,
            ),
            acting_user,
        )
    return plan
