"""What changed between two versions of a federation's plan: pure functions over two
plan documents (`budgets.selectors.plan_documents`), no ORM, no request.

The older version is `base`, the newer `plan`. Lines and interventions are matched by
their id in the plan file (a line's `slug`), which revisions and roll-forward keep;
a member's contribution by the member's id. Columns are matched by year and kind
("Budget 2027" with "Budget 2027"); between plans of different years, the columns left
over are matched by year (last year's budget 2026 with this year's forecast 2026), so
that the years both plans look at compare.

Texts are compared word by word; the marked-up result is built from escaped tokens only
(`word_diff`), since a chapter's text is user data.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budgets.models import COLUMN_KIND_RANK, ColumnKind, CostGroup, IncomeKind, MunicipalKey
from budgets.planfile import ColumnData, InterventionData, PlanDocument
from budgets.totals import PlanTotals, compute_totals
from budgets.validation import column_name
from finsam.lib.formatting import format_number
from interventions.models import InterventionKind, InterventionStatus

# A text is compared in steps, each finer than the one before, within what the coarser step
# found replaced: lines, then sentences, then words (words, runs of white space and single
# other characters). Comparing a long text word by word at once costs the product of the
# two texts' lengths (a chapter may hold 50 000 characters); step by step, only the changed
# sentences are compared word by word.
_LINE_RE = re.compile(r"[^\n]*\n|[^\n]+")
_SENTENCE_RE = re.compile(r"[^.!?]*[.!?]+\s*|[^.!?]+")
_WORD_RE = re.compile(r"\w+|\s+|[^\w\s]")
_STEPS = (_LINE_RE, _SENTENCE_RE, _WORD_RE)
# Beyond this many pairs of tokens a replaced passage is shown removed and added whole.
WORD_PAIRS_MAX = 250_000

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
UNCHANGED = "unchanged"


# ---------------------------------------------------------------------------
# Text


def word_diff(old: str, new: str) -> SafeString:
    """`old` against `new` word by word as HTML: removed words in <del>, added in <ins>.
    Every piece of text is escaped; the only markup is the two tags."""
    parts: list[str] = []
    _diff_into(parts, old or "", new or "", 0)
    # Each part is escaped text or one of the two tags around escaped text.
    return mark_safe("".join(parts))


def _diff_into(parts: list[str], old: str, new: str, step: int) -> None:
    old_tokens, new_tokens = _STEPS[step].findall(old), _STEPS[step].findall(new)
    last_step = step == len(_STEPS) - 1
    if last_step and len(old_tokens) * len(new_tokens) > WORD_PAIRS_MAX:
        _replaced(parts, old, new)
        return
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed = "".join(old_tokens[old_start:old_end])
        added = "".join(new_tokens[new_start:new_end])
        if operation == "equal":
            parts.append(escape(added))
        elif operation == "replace" and not last_step:
            _diff_into(parts, removed, added, step + 1)
        else:
            _replaced(parts, removed, added)


def _replaced(parts: list[str], removed: str, added: str) -> None:
    if removed:
        parts.append(format_html("<del>{}</del>", removed))
    if added:
        parts.append(format_html("<ins>{}</ins>", added))


# ---------------------------------------------------------------------------
# Columns


@dataclass(frozen=True)
class ComparedColumn:
    """A column of the comparison: the base's and the plan's column for the same year (either may be missing)."""

    year: int
    old: ColumnData | None
    new: ColumnData | None

    @property
    def label(self) -> str:
        if self.old is not None and self.new is not None and column_name(self.old) != column_name(self.new):
            return f"{column_name(self.old)} → {column_name(self.new)}"
        return column_name(self.new or self.old)

    @property
    def key(self) -> str:
        """The plan's column id, or for a column only the base has, "base-" and its id."""
        return self.new.id if self.new is not None else f"base-{self.old.id}"

    @property
    def in_both(self) -> bool:
        return self.old is not None and self.new is not None

    @property
    def sort_key(self) -> tuple[bool, int, int]:
        # Columns the newer version no longer has come last: what is still planned first.
        column = self.new or self.old
        return (self.new is None, self.year, COLUMN_KIND_RANK[ColumnKind(column.kind)])


def match_columns(base: PlanDocument, plan: PlanDocument) -> list[ComparedColumn]:
    """The columns of both plans, paired by year and kind, and between plans of different
    years what is left paired by year; in order of year, those only the base has last."""
    new_by_key = {(column.year, column.kind): column for column in plan.columns}
    paired: list[ComparedColumn] = []
    old_left: list[ColumnData] = []
    used_new: set[str] = set()
    for column in base.columns:
        match = new_by_key.get((column.year, column.kind))
        if match is not None and match.id not in used_new:
            paired.append(ComparedColumn(column.year, column, match))
            used_new.add(match.id)
        else:
            old_left.append(column)
    new_left = [column for column in plan.columns if column.id not in used_new]
    if base.plan.year != plan.plan.year:
        for year in sorted({column.year for column in old_left} & {column.year for column in new_left}):
            olds = [column for column in old_left if column.year == year]
            news = [column for column in new_left if column.year == year]
            if len(olds) == 1 and len(news) == 1:
                paired.append(ComparedColumn(year, olds[0], news[0]))
                old_left.remove(olds[0])
                new_left.remove(news[0])
    paired += [ComparedColumn(column.year, column, None) for column in old_left]
    paired += [ComparedColumn(column.year, None, column) for column in new_left]
    return sorted(paired, key=lambda compared: compared.sort_key)


# ---------------------------------------------------------------------------
# Lines


@dataclass
class AmountCell:
    column: ComparedColumn
    old: Decimal | None
    new: Decimal | None
    # Only a column both plans have can hold a change.
    changed: bool

    @property
    def difference(self) -> Decimal | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old


@dataclass
class LineChange:
    key: str
    section: str
    label: str
    old_label: str | None
    group: str
    status: str
    cells: list[AmountCell]


def _line_rows(document: PlanDocument) -> dict[str, tuple[str, str, str, dict]]:
    """{key: (section, label, group label, amounts)} of the plan's lines."""
    members = {member.id: member.name for member in document.members}
    rows: dict[str, tuple[str, str, str, dict]] = {}
    for line in document.contributions:
        if line.member is not None:
            rows[f"contribution:{line.member}"] = ("contribution", members.get(line.member, line.member), "", line.amounts)
        else:
            rows[f"contribution-total:{line.id}"] = ("contribution", line.label or "", "", line.amounts)
    for line in document.income or []:
        rows[f"income:{line.id}"] = ("income", line.label, str(IncomeKind(line.kind).label), line.amounts)
    for line in document.costs:
        rows[f"cost:{line.id}"] = ("cost", line.label, str(CostGroup(line.group).label), line.amounts)
    return rows


def _cells(columns: list[ComparedColumn], old_amounts: dict | None, new_amounts: dict | None) -> list[AmountCell]:
    cells = []
    for column in columns:
        old = old_amounts.get(column.old.id) if old_amounts is not None and column.old is not None else None
        new = new_amounts.get(column.new.id) if new_amounts is not None and column.new is not None else None
        changed = column.in_both and old_amounts is not None and new_amounts is not None and old != new
        cells.append(AmountCell(column=column, old=old, new=new, changed=changed))
    return cells


def compare_lines(base: PlanDocument, plan: PlanDocument, columns: list[ComparedColumn]) -> list[LineChange]:
    """Every line of either plan that was added, removed or changed (an amount in a column
    both plans have, its name or its group), in the plan's order, removed lines last."""
    old_rows, new_rows = _line_rows(base), _line_rows(plan)
    changes = []
    for key, (section, label, group, amounts) in new_rows.items():
        old = old_rows.get(key)
        if old is None:
            changes.append(LineChange(key, section, label, None, group, ADDED, _cells(columns, None, amounts)))
            continue
        cells = _cells(columns, old[3], amounts)
        renamed = old[1] != label
        if renamed or old[2] != group or any(cell.changed for cell in cells):
            changes.append(
                LineChange(key, section, label, old[1] if renamed else None, group, CHANGED, cells)
            )
    for key, (section, label, group, amounts) in old_rows.items():
        if key not in new_rows:
            changes.append(LineChange(key, section, label, None, group, REMOVED, _cells(columns, amounts, None)))
    return changes


# The sums compared per column: (key, attribute of budgets.totals.ColumnTotals, label).
TOTALS = (
    ("contributions", "contributions", gettext_noop("Medlemsbidrag totalt")),
    ("income", "income", gettext_noop("Intäkter totalt")),
    ("costs", "costs", gettext_noop("Kostnader totalt")),
    ("result", "result", gettext_noop("Årets resultat")),
    ("closing_equity", "closing_equity", gettext_noop("Eget kapital vid årets slut")),
)


def compare_totals(
    base_totals: PlanTotals, totals: PlanTotals, columns: list[ComparedColumn]
) -> list[LineChange]:
    """The sums whose amount changed in a column both plans have."""
    changes = []
    for key, attribute, label in TOTALS:
        old = {column.id: getattr(column, attribute) for column in base_totals.columns}
        new = {column.id: getattr(column, attribute) for column in totals.columns}
        cells = _cells(columns, old, new)
        if any(cell.changed for cell in cells):
            changes.append(LineChange(f"total:{key}", "total", _(label), None, "", CHANGED, cells))
    return changes


# ---------------------------------------------------------------------------
# Chapters


@dataclass
class ChapterChange:
    heading: str
    old_heading: str | None
    status: str
    # The text with removed and added words marked, escaped (see `word_diff`).
    marked: SafeString


# Chapters left over after matching by heading are taken for the same chapter renamed
# when their texts are at least this alike.
RENAMED_CHAPTER_LIKENESS = 0.6


def compare_chapters(base: PlanDocument, plan: PlanDocument) -> list[ChapterChange]:
    """Chapters added, removed or changed. A chapter is the same chapter when its heading is
    the same, or when left over on both sides with a text much alike (renamed)."""
    old_sections = list(base.plan.sections or [])
    new_sections = list(plan.plan.sections or [])
    old_by_heading: dict[str, list] = {}
    for section in old_sections:
        old_by_heading.setdefault(section.heading, []).append(section)
    pairs: list[tuple] = []
    new_left = []
    for section in new_sections:
        candidates = old_by_heading.get(section.heading)
        if candidates:
            pairs.append((candidates.pop(0), section))
        else:
            new_left.append(section)
    old_left = [section for sections in old_by_heading.values() for section in sections]
    for section in list(new_left):
        best, likeness = None, 0.0
        for old in old_left:
            ratio = difflib.SequenceMatcher(None, old.body, section.body, autojunk=False).quick_ratio()
            if ratio > likeness:
                best, likeness = old, ratio
        if best is not None and likeness >= RENAMED_CHAPTER_LIKENESS:
            pairs.append((best, section))
            old_left.remove(best)
            new_left.remove(section)
    order = {id(section): index for index, section in enumerate(new_sections)}
    changes: list[tuple[int, ChapterChange]] = []
    for old, new in pairs:
        if old.heading == new.heading and old.body == new.body:
            continue
        changes.append(
            (
                order[id(new)],
                ChapterChange(
                    heading=new.heading,
                    old_heading=old.heading if old.heading != new.heading else None,
                    status=CHANGED,
                    marked=word_diff(old.body, new.body),
                ),
            )
        )
    for new in new_left:
        changes.append((order[id(new)], ChapterChange(new.heading, None, ADDED, word_diff("", new.body))))
    ordered = [change for _index, change in sorted(changes, key=lambda item: item[0])]
    ordered += [ChapterChange(old.heading, None, REMOVED, word_diff(old.body, "")) for old in old_left]
    return ordered


# ---------------------------------------------------------------------------
# Interventions and plan-level fields


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    # Long texts get their words marked; short values show old → new.
    marked: SafeString | None = None


@dataclass
class FundingCell:
    column: ComparedColumn
    old_granted: Decimal | None
    new_granted: Decimal | None
    old_share: Decimal | None
    new_share: Decimal | None
    changed: bool

    @property
    def old_share_text(self) -> str:
        return _percent(self.old_share)

    @property
    def new_share_text(self) -> str:
        return _percent(self.new_share)


@dataclass
class InterventionChange:
    key: str
    name: str
    status: str
    fields: list[FieldChange] = field(default_factory=list)
    funding: list[FundingCell] = field(default_factory=list)

    @property
    def funding_changed(self) -> bool:
        return any(cell.changed for cell in self.funding)


def _text_list(values) -> str:
    return "\n".join(values or [])


def _percent(value: Decimal | None) -> str:
    return f"{format_number(value * 100, 1)} %" if value is not None else ""


def _intervention_values(intervention: InterventionData, members: dict[str, str]) -> list[tuple[str, str, bool]]:
    """(label, shown value, long text) of each field an intervention shows."""
    participants = intervention.participants
    counts = ""
    if participants is not None:
        counts = _("%(total)s totalt, %(women)s kvinnor, %(men)s män") % {
            "total": participants.total if participants.total is not None else "–",
            "women": participants.women if participants.women is not None else "–",
            "men": participants.men if participants.men is not None else "–",
        }
    allocation = ", ".join(
        f"{members.get(member, member)} {format_number(weight)}"
        for member, weight in (intervention.municipal_allocation or {}).items()
    )
    return [
        (_("Namn"), intervention.name, False),
        (_("Slag"), str(InterventionKind(intervention.kind).label), False),
        (_("Långsiktig verksamhet"), _("ja") if intervention.long_term else _("nej"), False),
        (_("Kategori"), intervention.sus_category or "", False),
        (_("Märkningar"), ", ".join(intervention.markings or []), False),
        (_("Status"), str(InterventionStatus(intervention.status).label) if intervention.status else "", False),
        (_("Ägare"), members.get(intervention.owner, intervention.owner or ""), False),
        (_("Parter"), ", ".join(members.get(member, member) for member in intervention.members or []), False),
        (_("Start"), intervention.start or "", False),
        (_("Slut"), intervention.end or "", False),
        (_("Deltagare"), counts, False),
        (_("Beräknat utnyttjande"), _percent(intervention.utilization), False),
        (_("Kommunernas fördelning"), allocation, False),
        (_("Målgrupp"), intervention.target_group or "", True),
        (_("Beskrivning"), intervention.description or "", True),
        (_("Mål"), _text_list(intervention.goals), True),
        (_("Indikatorer"), _text_list(intervention.indicators), True),
    ]


def _field_changes(old_values, new_values) -> list[FieldChange]:
    changes = []
    for (label, old, long_text), (_label, new, _long) in zip(old_values, new_values):
        if old != new:
            changes.append(FieldChange(label, old, new, word_diff(old, new) if long_text else None))
    return changes


def _funding(columns: list[ComparedColumn], old: InterventionData | None, new: InterventionData | None):
    cells = []
    for column in columns:
        old_funding = (old.funding or {}).get(column.old.id) if old is not None and column.old is not None else None
        new_funding = (new.funding or {}).get(column.new.id) if new is not None and column.new is not None else None
        old_values = (old_funding.granted, old_funding.share) if old_funding is not None else (None, None)
        new_values = (new_funding.granted, new_funding.share) if new_funding is not None else (None, None)
        cells.append(
            FundingCell(
                column=column,
                old_granted=old_values[0],
                new_granted=new_values[0],
                old_share=old_values[1],
                new_share=new_values[1],
                changed=column.in_both and old is not None and new is not None and old_values != new_values,
            )
        )
    return cells


def compare_interventions(
    base: PlanDocument, plan: PlanDocument, columns: list[ComparedColumn]
) -> list[InterventionChange]:
    """Interventions added, removed or changed field by field, and their grants per column."""
    old_members = {member.id: member.name for member in base.members}
    new_members = {member.id: member.name for member in plan.members}
    old_by_id = {intervention.id: intervention for intervention in base.interventions or []}
    new_ids = set()
    changes = []
    for intervention in plan.interventions or []:
        new_ids.add(intervention.id)
        old = old_by_id.get(intervention.id)
        new_values = _intervention_values(intervention, new_members)
        if old is None:
            changes.append(
                InterventionChange(
                    intervention.id,
                    intervention.name,
                    ADDED,
                    [FieldChange(label, "", value) for label, value, _long in new_values if value],
                    _funding(columns, None, intervention),
                )
            )
            continue
        fields = _field_changes(_intervention_values(old, old_members), new_values)
        funding = _funding(columns, old, intervention)
        change = InterventionChange(intervention.id, intervention.name, CHANGED, fields, funding)
        if fields or change.funding_changed:
            changes.append(change)
    for old in base.interventions or []:
        if old.id not in new_ids:
            changes.append(InterventionChange(old.id, old.name, REMOVED, [], _funding(columns, old, None)))
    return changes


def _plan_values(document: PlanDocument) -> list[tuple[str, str]]:
    info = document.plan
    goals = document.federation.goals
    opening = document.equity.opening if document.equity is not None else None
    return [
        (_("Förbundets namn"), document.federation.name),
        (_("Titel"), info.title or ""),
        (_("Budgetår"), str(info.year)),
        (_("Sista planår"), str(info.last_year)),
        (_("Enhet"), _("tkr") if info.unit == "tkr" else _("kronor")),
        (_("Fördelningsnyckel"), str(MunicipalKey(info.municipal_key).label) if info.municipal_key else ""),
        (
            _("Ingående eget kapital"),
            f"{format_number(opening.amount)} ({opening.year})" if opening is not None else "",
        ),
        (_("Lägsta egna kapital"), format_number(goals.equity_floor) if goals is not None else ""),
        (
            _("Högsta andel administration"),
            f"{format_number(goals.admin_share_max)} %" if goals and goals.admin_share_max is not None else "",
        ),
        (
            _("Lägsta andel till insatser och samverkan"),
            f"{format_number(goals.intervention_share_min)} %" if goals and goals.intervention_share_min is not None else "",
        ),
    ]


def _member_summary(member) -> str:
    parts = [member.name]
    if member.population is not None:
        parts.append(_("folkmängd %(population)s") % {"population": format_number(member.population)})
    if member.key_share is not None:
        parts.append(_("andel %(share)s") % {"share": format_number(member.key_share)})
    return ", ".join(parts)


@dataclass
class MemberChange:
    name: str
    status: str
    old: str
    new: str


def compare_plan_fields(base: PlanDocument, plan: PlanDocument) -> tuple[list[FieldChange], list[MemberChange]]:
    fields = [
        FieldChange(label, old, new)
        for (label, old), (_label, new) in zip(_plan_values(base), _plan_values(plan))
        if old != new
    ]
    old_members = {member.id: member for member in base.members}
    members = []
    for member in plan.members:
        old = old_members.pop(member.id, None)
        if old is None:
            members.append(MemberChange(member.name, ADDED, "", _member_summary(member)))
        elif _member_summary(old) != _member_summary(member):
            members.append(MemberChange(member.name, CHANGED, _member_summary(old), _member_summary(member)))
    members += [MemberChange(old.name, REMOVED, _member_summary(old), "") for old in old_members.values()]
    return fields, members


# ---------------------------------------------------------------------------
# All of it


@dataclass
class PlanComparison:
    columns: list[ComparedColumn]
    lines: list[LineChange]
    totals: list[LineChange]
    chapters: list[ChapterChange]
    interventions: list[InterventionChange]
    plan_fields: list[FieldChange]
    members: list[MemberChange]

    @property
    def has_changes(self) -> bool:
        return bool(self.lines or self.chapters or self.interventions or self.plan_fields or self.members)

    @property
    def contribution_lines(self) -> list[LineChange]:
        return [line for line in self.lines if line.section == "contribution"]

    @property
    def other_lines(self) -> list[LineChange]:
        return [line for line in self.lines if line.section != "contribution"]


def compare_documents(base: PlanDocument, plan: PlanDocument) -> PlanComparison:
    """What changed from `base` (the older version) to `plan`."""
    columns = match_columns(base, plan)
    plan_fields, members = compare_plan_fields(base, plan)
    return PlanComparison(
        columns=columns,
        lines=compare_lines(base, plan, columns),
        totals=compare_totals(compute_totals(base), compute_totals(plan), columns),
        chapters=compare_chapters(base, plan),
        interventions=compare_interventions(base, plan, columns),
        plan_fields=plan_fields,
        members=members,
    )
