"""The budget grid: the members' contributions, other income, costs and the
interventions' funding of a plan on one page, typed like a spreadsheet and saved
with one request.

While the chief types, `grid_live` computes the totals and the findings of the
unsaved grid with the same `compute_totals` and `validate_document` as the plan
page, and stores nothing. `grid` saves everything in one transaction, or nothing:
a cell that is not a number, or a grid made from an older version of the plan,
changes nothing.

Field names: `amount-<row>-<column pk>` an amount, `label-<row>`, `kind-<row>`,
`group-<row>`, `intervention-<row>`, `section-<row>` (new lines), `delete-<row>`;
`granted-<intervention pk>-<column pk>` a granted amount, `share-...` its counted share.
A row is `m<member pk>`, `l<line pk>` or `n<number>` (a line added in the grid);
the `row` fields, in page order, give the lines' order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from budgets.editing.base import (
    EditRefused,
    FractionField,
    StaleEdit,
    column_title,
    delete_row,
    edit_view,
    load_plan_for_edit,
    posted_version,
    render_edit_page,
    save_row,
    set_amount,
    unique_slug,
    unit_name,
)
from budgets.editing.contributions import contributions_update
from budgets.models import BudgetLine, Column, LineAmount, Plan
from budgets.planfile import ContributionData, CostData, IncomeData
from budgets.selectors import PlanOverview, plan_document, plan_overview, plan_shared_data
from budgets.totals import COST_GROUPS, Funding, compute_totals, intervention_cost_per_column, unit_places
from budgets.validation import validate_document
from finsam.forms import AmountField, DecimalCommaField
from finsam.lib.formatting import format_number
from interventions.models import InterventionFunding
from interventions.services import intervention_funding_update

INCOME = BudgetLine.Section.INCOME
COST = BudgetLine.Section.COST
NEW_ROW = re.compile(r"n[0-9]{1,4}")
LINE_ROW = re.compile(r"l([0-9]{1,12})")


@dataclass
class Stored:
    """What the grid shows of a stored plan, read once per request."""

    plan: Plan
    columns: list[Column]
    members: list
    lines: dict[int, BudgetLine]
    interventions: list
    amounts: dict[tuple[int, int], Decimal]
    # (intervention pk, column pk) -> (granted, counted share): plain values, not model
    # instances, for a plan may have a hundred interventions over ten columns.
    funding: dict[tuple[int, int], tuple[Decimal, Decimal | None]]

    @classmethod
    def of(cls, plan: Plan) -> "Stored":
        lines = {line.pk: line for line in plan.lines.all()}
        return cls(
            plan=plan,
            columns=list(plan.columns.all()),
            members=list(plan.members.all()),
            lines=lines,
            interventions=list(plan.interventions.all()),
            amounts={
                (line_id, column_id): amount
                for line_id, column_id, amount in LineAmount.objects.filter(line__plan=plan).values_list(
                    "line_id", "column_id", "amount"
                )
            },
            funding={
                (intervention_id, column_id): (granted, utilization)
                for intervention_id, column_id, granted, utilization in InterventionFunding.objects.filter(
                    intervention__plan=plan
                ).values_list("intervention_id", "column_id", "granted", "utilization")
            },
        )

    def contribution_line(self, member) -> BudgetLine | None:
        return next(
            (line for line in self.lines.values() if line.section == BudgetLine.Section.CONTRIBUTION and line.member_id == member.pk),
            None,
        )

    def section_lines(self, section: str) -> list[BudgetLine]:
        lines = [line for line in self.lines.values() if line.section == section]
        if section == COST:
            # As the plan page shows them: by group, then in order.
            return sorted(lines, key=lambda line: (COST_GROUPS.index(line.cost_group), line.order, line.pk))
        return sorted(lines, key=lambda line: (line.order, line.pk))


# ---------------------------------------------------------------------------
# The form: it only parses, with the app's amount fields


class BudgetGridForm(forms.Form):
    """Every cell and line field of the grid. Lines the post does not name are left
    as they are; cells of the lines it names are all read (an empty cell is no amount)."""

    def __init__(self, data, *, stored: Stored):
        super().__init__(data)
        self.stored = stored
        plan = stored.plan
        places = unit_places(plan.unit)
        self.row_keys = []
        seen = set()
        for key in data.getlist("row"):
            if key in seen:
                continue
            line = LINE_ROW.fullmatch(key)
            if (line and int(line.group(1)) in stored.lines and stored.lines[int(line.group(1))].section != BudgetLine.Section.CONTRIBUTION) or NEW_ROW.fullmatch(key):
                self.row_keys.append(key)
                seen.add(key)

        # One field of each kind, shared by every cell that takes it: a field only parses,
        # and a plan of 100 interventions over 10 columns has thousands of cells.
        amount = AmountField(required=False, decimal_places=places)
        share = FractionField()
        label = forms.CharField(max_length=300, required=True, error_messages={"required": _("Ange radens namn.")})
        kind = forms.ChoiceField(choices=[("", "")] + list(BudgetLine.IncomeKind.choices), required=False)
        group = forms.ChoiceField(choices=[("", "")] + list(BudgetLine.CostGroup.choices), required=False)
        # The plan's interventions as read already: a ModelChoiceField would ask the database once per line.
        self.interventions = {str(intervention.pk): intervention for intervention in stored.interventions}
        intervention = forms.ChoiceField(
            choices=[("", "")] + [(pk, item.name) for pk, item in self.interventions.items()],
            required=False,
            error_messages={"invalid_choice": _("Välj en av planens insatser.")},
        )
        delete = forms.BooleanField(required=False)
        section = forms.ChoiceField(choices=[(INCOME, INCOME), (COST, COST)])

        for member in stored.members:
            for column in stored.columns:
                self.fields[f"amount-m{member.pk}-{column.pk}"] = amount
        for key in self.row_keys:
            self.fields[f"label-{key}"] = label
            self.fields[f"kind-{key}"] = kind
            self.fields[f"group-{key}"] = group
            self.fields[f"intervention-{key}"] = intervention
            self.fields[f"delete-{key}"] = delete
            if key.startswith("n"):
                self.fields[f"section-{key}"] = section
            for column in stored.columns:
                self.fields[f"amount-{key}-{column.pk}"] = amount
        for item in stored.interventions:
            for column in stored.columns:
                self.fields[f"granted-{item.pk}-{column.pk}"] = amount
                self.fields[f"share-{item.pk}-{column.pk}"] = share

    def _clean_fields(self):
        # Thousands of cells: each value is read straight from the data (as the text
        # inputs and selects would) instead of through a BoundField per cell. A number
        # field's `clean` depends only on the field and the text, and a budget repeats
        # its amounts from column to column: each text is parsed once per field.
        parsed: dict[tuple[int, str], Decimal | None] = {}
        for name, form_field in self.fields.items():
            number = isinstance(form_field, DecimalCommaField)
            if isinstance(form_field, forms.BooleanField):
                value = form_field.widget.value_from_datadict(self.data, self.files, name)
            else:
                value = self.data.get(name, "")
                if value == "" and number and not form_field.required:
                    # An empty cell is no amount: what `clean` would say, without its steps.
                    self.cleaned_data[name] = None
                    continue
                if number and (id(form_field), value) in parsed:
                    self.cleaned_data[name] = parsed[(id(form_field), value)]
                    continue
            try:
                self.cleaned_data[name] = form_field.clean(value)
            except ValidationError as error:
                self.add_error(name, error)
            else:
                if number:
                    parsed[(id(form_field), value)] = self.cleaned_data[name]

    def section_of(self, key: str) -> str:
        if key.startswith("n"):
            return self.cleaned_data.get(f"section-{key}") or self.data.get(f"section-{key}") or COST
        return self.stored.lines[int(key[1:])].section

    def clean(self):
        cleaned_data = super().clean()
        for key in self.row_keys:
            if cleaned_data.get(f"delete-{key}"):
                continue
            section = self.section_of(key)
            if section == INCOME and not cleaned_data.get(f"kind-{key}"):
                self.add_error(f"kind-{key}", _("Välj slag av intäkt."))
            if section == COST:
                group = cleaned_data.get(f"group-{key}")
                if not group:
                    self.add_error(f"group-{key}", _("Välj kostnadsgrupp."))
                elif cleaned_data.get(f"intervention-{key}") and group != BudgetLine.CostGroup.INTERVENTION:
                    self.add_error(
                        f"intervention-{key}", _("Bara kostnader i gruppen Insatser kan kopplas till en insats.")
                    )
        for intervention in self.stored.interventions:
            for column in self.stored.columns:
                granted, share = f"granted-{intervention.pk}-{column.pk}", f"share-{intervention.pk}-{column.pk}"
                if cleaned_data.get(share) is not None and cleaned_data.get(granted) is None and granted not in self.errors:
                    self.add_error(granted, _("Ange det beviljade beloppet, eller töm andelen."))
        return cleaned_data


# ---------------------------------------------------------------------------
# The grid's values, parsed: what the live totals and the save both work from


@dataclass
class LineValues:
    key: str
    section: str
    label: str
    kind: str
    group: str
    intervention: object | None
    amounts: dict[int, Decimal | None]
    delete: bool = False

    @property
    def line_id(self) -> int | None:
        return int(self.key[1:]) if self.key.startswith("l") else None


@dataclass
class GridValues:
    contributions: dict[int, dict[int, Decimal | None]] = field(default_factory=dict)
    lines: list[LineValues] = field(default_factory=list)
    funding: dict[tuple[int, int], tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)


def grid_values(form: BudgetGridForm) -> GridValues:
    """The grid's values from a validated form; a cell in error counts as empty
    (the live totals still show what the rest of the grid gives)."""
    data = form.cleaned_data
    stored = form.stored
    values = GridValues()
    for member in stored.members:
        values.contributions[member.pk] = {column.pk: data.get(f"amount-m{member.pk}-{column.pk}") for column in stored.columns}
    for key in form.row_keys:
        line = stored.lines.get(int(key[1:])) if key.startswith("l") else None
        values.lines.append(
            LineValues(
                key=key,
                section=form.section_of(key),
                label=data.get(f"label-{key}") or (line.label if line else ""),
                kind=data.get(f"kind-{key}") or (line.income_kind if line else "") or "",
                group=data.get(f"group-{key}") or (line.cost_group if line else "") or "",
                intervention=form.interventions.get(data.get(f"intervention-{key}") or ""),
                amounts={column.pk: data.get(f"amount-{key}-{column.pk}") for column in stored.columns},
                delete=bool(data.get(f"delete-{key}")),
            )
        )
    for intervention in stored.interventions:
        for column in stored.columns:
            values.funding[(intervention.pk, column.pk)] = (
                data.get(f"granted-{intervention.pk}-{column.pk}"),
                data.get(f"share-{intervention.pk}-{column.pk}"),
            )
    return values


def costs_of(stored: Stored, funding: dict[tuple[int, int], tuple[Decimal | None, Decimal | None]]) -> dict[int, dict[int, Decimal]]:
    """{intervention pk: {column pk: cost}} of the funding given, by `intervention_cost_per_column`."""
    result = {}
    for intervention in stored.interventions:
        by_column = {
            column.pk: Funding(granted=granted, utilization=share)
            for column in stored.columns
            for granted, share in [funding.get((intervention.pk, column.pk), (None, None))]
            if granted is not None
        }
        if by_column:
            result[intervention.pk] = intervention_cost_per_column(
                by_column, default_utilization=intervention.utilization, unit=stored.plan.unit
            )
    return result


def stored_funding(stored: Stored) -> dict[tuple[int, int], tuple[Decimal | None, Decimal | None]]:
    return stored.funding


def follow_intervention_costs(values: GridValues, stored: Stored) -> None:
    """A cost line linked to an intervention follows its cost: where the line is the
    intervention's only one and its cell is empty or still holds the cost of the stored
    grant, it takes the cost of the grant in the grid. Anything else the chief typed
    stays, and the validator's INTERVENTION_COST warning names the difference."""
    new_costs = costs_of(stored, values.funding)
    old_costs = costs_of(stored, stored_funding(stored))
    linked: dict[int, list[LineValues]] = {}
    for line in values.lines:
        if line.section == COST and line.intervention is not None and not line.delete:
            linked.setdefault(line.intervention.pk, []).append(line)
    for intervention_id, lines in linked.items():
        if len(lines) != 1:
            continue
        line = lines[0]
        for column_id, cost in new_costs.get(intervention_id, {}).items():
            typed = line.amounts.get(column_id)
            if typed is None or typed == old_costs.get(intervention_id, {}).get(column_id):
                line.amounts[column_id] = cost


# ---------------------------------------------------------------------------
# Live totals: the unsaved grid through the plan page's totals and validator


def grid_overview(stored: Stored, values: GridValues) -> PlanOverview:
    """Totals and findings of the plan as the grid would make it, storing nothing."""
    plan = stored.plan
    shared = plan_shared_data(plan)
    named = {line.key for line in values.lines}
    # The stored budget is read only for lines the grid did not post (it posts them all).
    unposted = any(
        f"l{line.pk}" not in named for line in stored.lines.values() if line.section != BudgetLine.Section.CONTRIBUTION
    )
    document = plan_document(plan, shared=shared, budget=unposted)
    columns = {column.pk: column.slug for column in stored.columns}

    def amounts(by_column):
        return {columns[column_id]: amount for column_id, amount in by_column.items() if amount is not None}

    contributions = [
        ContributionData.model_construct(member=member.slug, amounts=amounts(values.contributions.get(member.pk, {})))
        for member in stored.members
        if any(amount is not None for amount in values.contributions.get(member.pk, {}).values())
    ]
    income, costs = [], []
    for line in values.lines:
        if line.delete:
            continue
        slug = stored.lines[line.line_id].slug if line.line_id else f"ny-{line.key}"
        if line.section == INCOME:
            income.append(IncomeData.model_construct(id=slug, label=line.label, kind=line.kind, amounts=amounts(line.amounts)))
        else:
            costs.append(
                CostData.model_construct(
                    id=slug,
                    label=line.label,
                    group=line.group or "unspecified",
                    intervention=line.intervention.slug if line.intervention is not None else None,
                    amounts=amounts(line.amounts),
                )
            )
    # Lines the grid did not post stay as stored.
    keys = {(line.section, line.slug): f"l{line.pk}" for line in stored.lines.values()}
    income += [line for line in document.income or [] if keys.get((INCOME, line.id)) not in named]
    costs += [line for line in document.costs if keys.get((COST, line.id)) not in named]
    document = document.model_copy(update={"contributions": contributions, "income": income, "costs": costs})
    slugs = {intervention.pk: intervention.slug for intervention in stored.interventions}
    costs_by_intervention = {
        slugs[intervention_id]: {columns[column_id]: cost for column_id, cost in by_column.items()}
        for intervention_id, by_column in costs_of(stored, values.funding).items()
    }
    totals = compute_totals(document)
    findings = validate_document(document, bands=shared.bands, totals=totals, intervention_costs=costs_by_intervention)
    return PlanOverview(plan=plan, shared=shared, document=document, totals=totals, findings=findings, table=None)


# ---------------------------------------------------------------------------
# Saving: one transaction, one version


@transaction.atomic
def budget_grid_save(*, plan: Plan, stored: Stored, values: GridValues, acting_user, seen_version: int | None) -> int:
    """Store the grid: contributions, lines (new, changed, removed, reordered) and
    funding. Refuses a grid made from an older version (`StaleEdit`) and rolls back
    everything on any refusal. Returns how many rows changed."""
    changed = contributions_update(
        plan=plan, amounts=values.contributions, acting_user=acting_user, seen_version=seen_version
    )
    columns = {column.pk: column for column in stored.columns}
    existing_amounts = {
        (amount.line_id, amount.column_id): amount for amount in LineAmount.objects.filter(line__plan=plan)
    }
    taken = {section: {line.slug for line in stored.lines.values() if line.section == section} for section in (INCOME, COST)}
    position = {INCOME: 0, COST: 0}
    for values_of_line in values.lines:
        line = stored.lines.get(values_of_line.line_id) if values_of_line.line_id else None
        if values_of_line.delete:
            if line is not None:
                delete_row(line, acting_user)
                changed += 1
            continue
        section = values_of_line.section
        fields = {
            "label": values_of_line.label,
            "income_kind": values_of_line.kind if section == INCOME else "",
            "cost_group": values_of_line.group if section == COST else "",
            "intervention": values_of_line.intervention if section == COST else None,
            "order": position[section],
        }
        position[section] += 1
        if line is None:
            slug = unique_slug(values_of_line.label, taken[section], fallback="rad")
            taken[section].add(slug)
            line = BudgetLine(plan=plan, section=section, slug=slug, **fields)
            save_row(line, acting_user)
            changed += 1
        elif any(getattr(line, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(line, name, value)
            save_row(line, acting_user)
            changed += 1
        for column_id, amount in values_of_line.amounts.items():
            changed += set_amount(
                line=line,
                column=columns[column_id],
                amount=amount,
                existing=existing_amounts.get((line.pk, column_id)),
                acting_user=acting_user,
            )
    changed += intervention_funding_update(
        interventions={intervention.pk: intervention for intervention in stored.interventions},
        columns=columns,
        funding=values.funding,
        acting_user=acting_user,
    )
    return changed


# ---------------------------------------------------------------------------
# What the page shows


@dataclass
class Cell:
    name: str
    value: str
    label: str
    error: str = ""
    placeholder: str = ""


@dataclass
class Row:
    key: str
    kind: str  # member, line, granted, share, cost
    label: str
    cells: list[Cell]
    section: str = ""
    income_kind: str = ""
    group: str = ""
    intervention: str = ""
    delete: bool = False
    errors: dict[str, str] = field(default_factory=dict)


def _shown(value: Decimal | None) -> str:
    return format_number(value) if value is not None else ""


def build_rows(stored: Stored, *, data=None, errors=None) -> dict[str, list[Row]]:
    """The grid's rows by section, with the values stored, or those posted when the
    page is shown again after a refused save."""
    errors = errors or {}
    columns = [(column, column_title(column)) for column in stored.columns]

    def text(name: str, stored_value: str) -> str:
        return data.get(name, "") if data is not None else stored_value

    def cells(key: str, label: str, amount_of) -> list[Cell]:
        return [
            Cell(
                name=f"amount-{key}-{column.pk}",
                value=text(f"amount-{key}-{column.pk}", _shown(amount_of(column))),
                label=f"{label} {title}",
                error=" ".join(errors.get(f"amount-{key}-{column.pk}", [])),
            )
            for column, title in columns
        ]

    def row_errors(key: str) -> dict[str, str]:
        return {
            name: " ".join(errors[f"{name}-{key}"]) for name in ("label", "kind", "group", "intervention") if f"{name}-{key}" in errors
        }

    sections = {"contributions": [], INCOME: [], COST: [], "interventions": []}
    for member in stored.members:
        line = stored.contribution_line(member)
        sections["contributions"].append(
            Row(
                key=f"m{member.pk}",
                kind="member",
                label=member.name,
                cells=cells(f"m{member.pk}", member.name, lambda column, line=line: stored.amounts.get((line.pk, column.pk)) if line else None),
            )
        )
    if data is not None:
        keys = []
        for key in data.getlist("row"):
            line_match = LINE_ROW.fullmatch(key)
            if key not in keys and (NEW_ROW.fullmatch(key) or (line_match and int(line_match.group(1)) in stored.lines)):
                keys.append(key)
    else:
        keys = [f"l{line.pk}" for section in (INCOME, COST) for line in stored.section_lines(section)]
    for key in keys:
        line = stored.lines.get(int(key[1:])) if key.startswith("l") else None
        if line is not None and line.section == BudgetLine.Section.CONTRIBUTION:
            continue
        section = line.section if line is not None else (data.get(f"section-{key}") if data is not None else COST)
        section = section if section in (INCOME, COST) else COST
        label = text(f"label-{key}", line.label if line else "")
        sections[section].append(
            Row(
                key=key,
                kind="line",
                label=label,
                section=section,
                income_kind=text(f"kind-{key}", line.income_kind if line else ""),
                group=text(f"group-{key}", line.cost_group if line else ""),
                intervention=text(f"intervention-{key}", str(line.intervention_id or "") if line else ""),
                delete=bool(data.get(f"delete-{key}")) if data is not None else False,
                cells=cells(key, label, lambda column, line=line: stored.amounts.get((line.pk, column.pk)) if line else None),
                errors=row_errors(key),
            )
        )
    costs = costs_of(stored, stored_funding(stored))
    for intervention in stored.interventions:
        granted_label = _("%(name)s beviljat") % {"name": intervention.name}
        share_label = _("%(name)s räknad andel") % {"name": intervention.name}
        cost_label = _("%(name)s kostnad") % {"name": intervention.name}

        def funding_cells(prefix, label, position, shown, intervention=intervention):
            return [
                Cell(
                    name=f"{prefix}-{intervention.pk}-{column.pk}",
                    value=text(
                        f"{prefix}-{intervention.pk}-{column.pk}",
                        shown(stored.funding[(intervention.pk, column.pk)][position])
                        if (intervention.pk, column.pk) in stored.funding
                        else "",
                    ),
                    label=f"{label} {title}",
                    error=" ".join(errors.get(f"{prefix}-{intervention.pk}-{column.pk}", [])),
                    placeholder=_shown(intervention.utilization) if prefix == "share" else "",
                )
                for column, title in columns
            ]

        sections["interventions"] += [
            Row(key=f"g{intervention.pk}", kind="granted", label=granted_label, cells=funding_cells("granted", granted_label, 0, _shown)),
            Row(key=f"u{intervention.pk}", kind="share", label=share_label, cells=funding_cells("share", share_label, 1, _shown)),
            Row(
                key=f"c{intervention.pk}",
                kind="cost",
                label=cost_label,
                cells=[
                    Cell(name=f"cost-{intervention.pk}-{column.pk}", value=_shown(costs.get(intervention.pk, {}).get(column.pk)), label=f"{cost_label} {title}")
                    for column, title in columns
                ],
            ),
        ]
    return sections


def summary_rows(overview: PlanOverview) -> list[tuple[str, str, list[str]]]:
    """(key, label, amounts per column) of the totals shown under the grid."""
    totals = overview.totals.columns
    rows = [
        ("contributions", _("Medlemsbidrag"), [_shown(column.contributions) for column in totals]),
        ("other_income", _("Övriga intäkter"), [_shown(column.other_income) for column in totals]),
        ("income", _("Summa intäkter"), [_shown(column.income) for column in totals]),
    ]
    for group, name in BudgetLine.CostGroup.choices:
        if any(column.costs_by_group[group] is not None for column in totals):
            rows.append((f"group-{group}", str(name), [_shown(column.costs_by_group[group]) for column in totals]))
    rows += [
        ("costs", _("Summa kostnader"), [_shown(column.costs) for column in totals]),
        ("result", _("Resultat"), [_shown(column.result) for column in totals]),
        ("closing_equity", _("Eget kapital vid årets slut"), [_shown(column.closing_equity) for column in totals]),
    ]
    return rows


def _error_list(form: BudgetGridForm, stored: Stored) -> list[tuple[str, str]]:
    """(field id, "where: what") of every error, for the summary at the top of the page."""
    titles = {str(column.pk): column_title(column) for column in stored.columns}
    names = {f"m{member.pk}": member.name for member in stored.members}
    names.update({f"g{intervention.pk}": _("%(name)s beviljat") % {"name": intervention.name} for intervention in stored.interventions})
    names.update({f"u{intervention.pk}": _("%(name)s räknad andel") % {"name": intervention.name} for intervention in stored.interventions})
    result = []
    for name, problems in form.errors.items():
        if name == "__all__":
            result += [("", problem) for problem in problems]
            continue
        prefix, _sep, rest = name.partition("-")
        if prefix in ("amount", "granted", "share"):
            row, _sep, column = rest.rpartition("-")
            row = row if prefix == "amount" else f"{prefix[0]}{row}"
            label = names.get(row) or form.data.get(f"label-{row}") or _("Ny rad")
            where = f"{label} {titles.get(column, '')}"
        else:
            where = form.data.get(f"label-{rest}") or _("Ny rad")
        result.append((f"id_{name}", f"{where}: {' '.join(problems)}"))
    return result


def _new_row(stored: Stored, section: str) -> Row:
    """The row the grid's script copies for a line added on the page (`__key__` becomes n1, n2, ...)."""
    return Row(
        key="__key__",
        kind="line",
        label="",
        section=section,
        cells=[Cell(name=f"amount-__key__-{column.pk}", value="", label=column_title(column)) for column in stored.columns],
    )


def _page(request, plan: Plan, *, status=200, stale=False, form=None, overview=None):
    stored = Stored.of(plan)
    data = form.data if form is not None else None
    sections = build_rows(stored, data=data, errors=form.errors if form is not None else None)
    if overview is None:
        # The page after a refused save counts what was typed; a fresh page what is stored.
        overview = grid_overview(stored, grid_values(form)) if form is not None else plan_overview(plan)
    return render_edit_page(
        request,
        plan,
        "budgets/edit/grid.html",
        {
            "wide": True,
            "columns": [(column, column_title(column)) for column in stored.columns],
            "sections": sections,
            "summary": summary_rows(overview),
            "error_list": _error_list(form, stored) if form is not None and not stale else [],
            "income_kinds": BudgetLine.IncomeKind.choices,
            "cost_groups": BudgetLine.CostGroup.choices,
            "interventions": stored.interventions,
            "places": unit_places(plan.unit),
            "unit_label": unit_name(plan),
            "findings_live_url": reverse("edit:grid_live", args=[plan.pk]),
            "new_cost_row": _new_row(stored, COST),
            "new_income_row": _new_row(stored, INCOME),
        },
        section="grid",
        status=status,
        stale=stale,
        overview=overview,
    )


def plan_row():
    """The plan row and its federation: the grid reads the rest itself, as plain values
    where it can (`Stored.of`, `plan_document`)."""
    return Plan.objects.select_related("federation")


@edit_view("GET", "POST", queryset=plan_row)
def grid(request, plan):
    """The grid; a POST saves it, all or nothing, and returns to the plan page."""
    if request.method != "POST":
        return _page(request, plan)
    seen_version = posted_version(request)
    if seen_version != plan.version:
        return _page(request, load_plan_for_edit(request, plan.pk), status=409, stale=True)
    stored = Stored.of(plan)
    form = BudgetGridForm(request.POST, stored=stored)
    if not form.is_valid():
        return _page(request, plan, status=400, form=form)
    values = grid_values(form)
    follow_intervention_costs(values, stored)
    try:
        budget_grid_save(plan=plan, stored=stored, values=values, acting_user=request.user, seen_version=seen_version)
    except StaleEdit:
        return _page(request, load_plan_for_edit(request, plan.pk), status=409, stale=True)
    except EditRefused as refusal:
        form.add_error(None, str(refusal))
        return _page(request, load_plan_for_edit(request, plan.pk), status=400, form=form)
    messages.success(request, _("Budgeten är sparad."))
    return redirect("budgets:plan", plan.pk)


@edit_view("POST", queryset=plan_row)
def grid_live(request, plan):
    """The totals and findings of the unsaved grid, as an htmx fragment; stores nothing."""
    stored = Stored.of(plan)
    form = BudgetGridForm(request.POST, stored=stored)
    form.is_valid()
    values = grid_values(form)
    follow_intervention_costs(values, stored)
    overview = grid_overview(stored, values)
    costs = costs_of(stored, values.funding)
    touched = set(request.POST.get("touched", "").split())
    return render(
        request,
        "budgets/edit/_grid_live.html",
        {
            "plan": plan,
            "overview": overview,
            "columns": [(column, column_title(column)) for column in stored.columns],
            "summary": summary_rows(overview),
            "error_list": _error_list(form, stored),
            # Only the interventions whose funding the chief has touched on this page: the
            # others still show the cost the page came with (a plan may have a hundred).
            "intervention_costs": [
                (f"cost-{intervention.pk}-{column.pk}", _shown(costs.get(intervention.pk, {}).get(column.pk)))
                for intervention in stored.interventions
                if str(intervention.pk) in touched
                for column in stored.columns
            ],
        },
    )
