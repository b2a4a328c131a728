"""The checks a plan must pass, one pure function per finding code.

The rule functions take plain values (amounts, shares, small dataclasses) and
return findings; `validate_document` feeds them from a plan document and its
totals. Nothing here reads the database: the equity guidance bands are passed
in (`budgets.selectors.guidance_bands` loads them).

Codes and severities are stable; DOMAIN.md's table is the reference.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budgets.planfile import ColumnData, PlanDocument
from budgets.totals import STATUTORY_SHARES, PlanTotals, compute_totals, party_of
from finsam.lib.formatting import format_amount, format_percent
from finsam.lib.money import UNIT_FACTORS, plain
from finsam.lib.partial_dates import parse_partial_date

ERROR = "error"
WARNING = "warning"

CODES = (
    "MEMBERS",
    "SPLIT",
    "MUNICIPAL_KEY",
    "STATED_TOTAL",
    "NEGATIVE_EQUITY",
    "EQUITY_CEILING",
    "EQUITY_FLOOR",
    "ADMIN_SHARE",
    "INTERVENTION_SHARE",
    "INTERVENTION_PARTIES",
    "INTERVENTION_PERIOD",
    "INTERVENTION_COST",
)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    column: str | None = None
    year: int | None = None
    intervention: str | None = None
    member: str | None = None
    actual: Decimal | None = None
    expected: Decimal | None = None
    difference: Decimal | None = None
    # The budget table row the finding belongs to, e.g. "party:state", "member:mark",
    # "total:costs", "share:administration", "intervention:enter" (see budgets.table).
    row: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ColumnRef:
    """What a finding needs to know of a budget column."""

    id: str
    year: int
    name: str

    @classmethod
    def of(cls, column: ColumnData) -> "ColumnRef":
        return cls(id=column.id, year=column.year, name=column_name(column))


@dataclass(frozen=True)
class GuidanceBand:
    """A band of the national guidance on equity: for federations whose yearly
    contributions (kronor) are in [contributions_from, contributions_to), a
    reasonable equity is at most ceiling_percent of the year's contributions."""

    valid_from: datetime.date
    valid_until: datetime.date | None
    contributions_from: Decimal
    contributions_to: Decimal | None
    ceiling_percent: Decimal


COLUMN_KIND_NAMES = {"actual": gettext_noop("Utfall"), "forecast": gettext_noop("Prognos"), "budget": gettext_noop("Budget"), "plan": gettext_noop("Plan")}


def column_name(column: ColumnData) -> str:
    return column.label or f"{_(COLUMN_KIND_NAMES[column.kind])} {column.year}"


def _difference(actual: Decimal, expected: Decimal) -> Decimal:
    return actual - expected


# ---------------------------------------------------------------------------
# MEMBERS


def check_members(kinds: Iterable[str]) -> list[Finding]:
    """Försäkringskassan, Arbetsförmedlingen, a region and a municipality must be members (3 §)."""
    present = set(kinds)
    required = [
        ("forsakringskassan", _("Försäkringskassan är inte medlem i förbundet.")),
        ("arbetsformedlingen", _("Arbetsförmedlingen är inte medlem i förbundet.")),
        ("region", _("Förbundet har ingen region som medlem.")),
        ("municipality", _("Förbundet har ingen kommun som medlem.")),
    ]
    return [Finding("MEMBERS", ERROR, message) for kind, message in required if kind not in present]


# ---------------------------------------------------------------------------
# SPLIT


def amount_precision(amounts: Iterable[Decimal]) -> Decimal:
    """The smallest unit the document prints its amounts in, never coarser than one
    unit of the plan: 1 for whole kronor or whole tkr, 0.01 for öre."""
    exponent = 0
    for amount in amounts:
        exponent = min(exponent, plain(amount).as_tuple().exponent)
    return Decimal(1).scaleb(exponent)


def split_tolerance(precision: Decimal, lines: int) -> Decimal:
    """Each printed line may be off by half a unit of the document's precision."""
    return precision / 2 * lines


def _fits_some_total(by_party: dict[str, Decimal | None], tolerances: dict[str, Decimal]) -> bool:
    """Whether one total exists of which every group is its statutory share, within its tolerance.

    The printed lines are rounded from an exact split of a total the document
    does not print: a group of eight lines may have lost four units to rounding,
    which moves the printed total too. Measuring the one-line groups against the
    printed total would blame them for the other group's rounding; the split is
    correct if some total fits all groups at once.
    """
    low, high = None, None
    for party, share in STATUTORY_SHARES.items():
        actual = by_party.get(party) or Decimal(0)
        group_low = (actual - tolerances[party]) / share
        group_high = (actual + tolerances[party]) / share
        low = group_low if low is None else max(low, group_low)
        high = group_high if high is None else min(high, group_high)
    return low <= high


PARTY_NAMES = {
    "state": (gettext_noop("statens andel"), gettext_noop("statens andel")),
    "region": (gettext_noop("regionens andel"), gettext_noop("regionernas andel")),
    "municipality": (gettext_noop("kommunens andel"), gettext_noop("kommunernas andel")),
}


def check_split(
    *,
    column: ColumnRef,
    by_party: dict[str, Decimal | None],
    lines_by_party: dict[str, int],
    precision: Decimal,
    unit: str,
) -> list[Finding]:
    """The state pays half of the members' contributions, the regions together a
    quarter and the municipalities together a quarter (5 §), within rounding.

    When no total fits every group, each group further from its share of the
    printed total than its tolerance gets a finding; at least one always does.
    """
    total = sum((amount or Decimal(0) for amount in by_party.values()), Decimal(0))
    if not total:
        return []
    tolerances = {
        party: split_tolerance(precision, max(lines_by_party.get(party, 0), 1)) for party in STATUTORY_SHARES
    }
    if _fits_some_total(by_party, tolerances):
        return []
    findings = []
    for party, share in STATUTORY_SHARES.items():
        actual = by_party.get(party) or Decimal(0)
        expected = total * share
        difference = actual - expected
        lines = lines_by_party.get(party, 0)
        if abs(difference) <= tolerances[party]:
            continue
        name = _(PARTY_NAMES[party][1 if lines > 1 else 0])
        findings.append(
            Finding(
                "SPLIT",
                ERROR,
                _("%(column)s: %(party)s är %(actual_share)s (%(actual)s), ska vara %(share)s (%(expected)s).")
                % {
                    "column": column.name,
                    "party": name,
                    "actual_share": format_percent(actual / total * HUNDRED),
                    "actual": format_amount(actual, unit),
                    "share": format_percent(share * HUNDRED),
                    "expected": format_amount(expected, unit),
                },
                column=column.id,
                year=column.year,
                actual=actual,
                expected=expected,
                difference=difference,
                row=f"party:{party}",
            )
        )
    return findings


# ---------------------------------------------------------------------------
# MUNICIPAL_KEY


@dataclass(frozen=True)
class KeyedAmount:
    member: str
    name: str
    amount: Decimal
    key_share: Decimal


def key_precision(key_shares: Iterable[Decimal]) -> Decimal:
    """The precision the key is printed with, trailing zeros included: 0.01 for a key
    printed 0,16 / 0,5 / 0,04 and for one printed 0,50 / 0,30 / 0,20."""
    exponent = 0
    for share in key_shares:
        exponent = min(exponent, share.as_tuple().exponent)
    return Decimal(1).scaleb(exponent)


def check_municipal_key(
    *, column: ColumnRef, amounts: list[KeyedAmount], municipal_total: Decimal, precision: Decimal, unit: str
) -> list[Finding]:
    """Each municipality's part of the municipalities' contributions should match its
    printed key share, to within half a unit of the key's printed precision."""
    if not municipal_total:
        return []
    findings = []
    for row in amounts:
        actual_share = row.amount / municipal_total
        if abs(actual_share - row.key_share) <= precision / 2:
            continue
        expected = row.key_share * municipal_total
        findings.append(
            Finding(
                "MUNICIPAL_KEY",
                WARNING,
                _(
                    "%(column)s: %(member)s betalar %(actual)s, %(actual_share)s av kommunernas "
                    "%(total)s; enligt fördelningsnyckeln (%(key)s) ska det vara %(expected)s."
                )
                % {
                    "column": column.name,
                    "member": row.name,
                    "actual": format_amount(row.amount, unit),
                    "actual_share": format_percent(actual_share * HUNDRED),
                    "total": format_amount(municipal_total, unit),
                    "key": format_percent(row.key_share * HUNDRED),
                    "expected": format_amount(expected, unit),
                },
                column=column.id,
                year=column.year,
                member=row.member,
                actual=row.amount,
                expected=expected,
                difference=row.amount - expected,
                row=f"member:{row.member}",
            )
        )
    return findings


# ---------------------------------------------------------------------------
# STATED_TOTAL

STATED_NAMES = {
    "contributions": (gettext_noop("medlemsbidragen"), gettext_noop("raderna summerar till")),
    "income": (gettext_noop("intäkterna"), gettext_noop("raderna summerar till")),
    "costs": (gettext_noop("kostnaderna"), gettext_noop("raderna summerar till")),
    "result": (gettext_noop("resultatet"), gettext_noop("intäkter minus kostnader ger")),
    "closing_equity": (gettext_noop("eget kapital vid årets slut"), gettext_noop("ingående eget kapital plus resultatet ger")),
}


def check_stated_total(
    *,
    column: ColumnRef,
    total: str,
    stated: Decimal | None,
    computed: Decimal | None,
    also_consistent_with: Iterable[Decimal] = (),
    unit: str,
) -> list[Finding]:
    """A total printed in the document must equal the sum of its lines.

    A printed total that follows from the document's own printed figures
    (a result that is printed income minus printed costs) is not flagged
    again: the finding goes to the figure that is wrong, not to every
    figure that inherits its error.
    """
    if stated is None or computed is None:
        return []
    if stated == computed or stated in set(also_consistent_with):
        return []
    what, basis = STATED_NAMES[total]
    return [
        Finding(
            "STATED_TOTAL",
            ERROR,
            _("%(column)s: %(what)s anges till %(stated)s men %(basis)s %(computed)s (skillnad %(difference)s).")
            % {
                "column": column.name,
                "what": _(what),
                "stated": format_amount(stated, unit),
                "basis": _(basis),
                "computed": format_amount(computed, unit),
                "difference": format_amount(abs(stated - computed), unit),
            },
            column=column.id,
            year=column.year,
            actual=stated,
            expected=computed,
            difference=stated - computed,
            row=f"total:{total}",
        )
    ]


# ---------------------------------------------------------------------------
# NEGATIVE_EQUITY, EQUITY_CEILING, EQUITY_FLOOR


def check_negative_equity(*, column: ColumnRef, closing: Decimal, unit: str) -> list[Finding]:
    """A federation may not borrow: equity must never go below zero."""
    if closing >= 0:
        return []
    return [
        Finding(
            "NEGATIVE_EQUITY",
            ERROR,
            _("%(year)s: eget kapital vid årets slut blir %(closing)s; ett samordningsförbund får inte låna.")
            % {"year": column.year, "closing": format_amount(closing, unit)},
            column=column.id,
            year=column.year,
            actual=closing,
            expected=Decimal(0),
            difference=closing,
            row="total:closing_equity",
        )
    ]


def band_for(bands: Iterable[GuidanceBand], year: int, contributions_sek: Decimal) -> GuidanceBand | None:
    """The band in force for the year that covers the year's contributions (the newest, if several)."""
    first_day, last_day = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    candidates = [
        band
        for band in bands
        if band.valid_from <= last_day
        and (band.valid_until is None or band.valid_until >= first_day)
        and band.contributions_from <= contributions_sek
        and (band.contributions_to is None or contributions_sek < band.contributions_to)
    ]
    return max(candidates, key=lambda band: band.valid_from, default=None)


def check_equity_ceiling(
    *, column: ColumnRef, closing: Decimal, contributions: Decimal, ceiling_percent: Decimal, unit: str
) -> list[Finding]:
    """Equity above the national guidance's reasonable level may cost the federation
    part of the state's allocation; a warning, since the board may have reasons."""
    ceiling = contributions * ceiling_percent / HUNDRED
    if closing <= ceiling:
        return []
    return [
        Finding(
            "EQUITY_CEILING",
            WARNING,
            _(
                "%(year)s: eget kapital vid årets slut är %(closing)s, %(share)s av årets medlemsbidrag; "
                "riktlinjen är högst %(percent)s (%(ceiling)s)."
            )
            % {
                "year": column.year,
                "closing": format_amount(closing, unit),
                "share": format_percent(closing / contributions * HUNDRED),
                "percent": format_percent(ceiling_percent),
                "ceiling": format_amount(ceiling, unit),
            },
            column=column.id,
            year=column.year,
            actual=closing,
            expected=ceiling,
            difference=closing - ceiling,
            row="total:closing_equity",
        )
    ]


def check_equity_floor(*, column: ColumnRef, closing: Decimal, floor: Decimal, unit: str) -> list[Finding]:
    """The federation's own minimum equity (for the unforeseen)."""
    if closing >= floor:
        return []
    return [
        Finding(
            "EQUITY_FLOOR",
            WARNING,
            _("%(year)s: eget kapital vid årets slut är %(closing)s, under förbundets mål på minst %(floor)s.")
            % {"year": column.year, "closing": format_amount(closing, unit), "floor": format_amount(floor, unit)},
            column=column.id,
            year=column.year,
            actual=closing,
            expected=floor,
            difference=closing - floor,
            row="total:closing_equity",
        )
    ]


# ---------------------------------------------------------------------------
# ADMIN_SHARE, INTERVENTION_SHARE


def check_admin_share(*, column: ColumnRef, share: Decimal, goal: Decimal) -> list[Finding]:
    """Administration's share of the costs above the federation's own ceiling."""
    if share <= goal:
        return []
    return [
        Finding(
            "ADMIN_SHARE",
            WARNING,
            _("%(column)s: administrationen är %(share)s av kostnaderna, målet är högst %(goal)s.")
            % {"column": column.name, "share": format_percent(share, 1), "goal": format_percent(goal, 1)},
            column=column.id,
            year=column.year,
            actual=share,
            expected=goal,
            difference=share - goal,
            row="share:administration",
        )
    ]


def check_intervention_share(*, column: ColumnRef, share: Decimal, goal: Decimal) -> list[Finding]:
    """The share of costs going to interventions and collaboration (all but
    administration) below the federation's own goal."""
    if share >= goal:
        return []
    return [
        Finding(
            "INTERVENTION_SHARE",
            WARNING,
            _(
                "%(column)s: insatser och samverkan får %(share)s av kostnaderna, målet är minst %(goal)s."
            )
            % {"column": column.name, "share": format_percent(share, 1), "goal": format_percent(goal, 1)},
            column=column.id,
            year=column.year,
            actual=share,
            expected=goal,
            difference=share - goal,
            row="share:non_administration",
        )
    ]


# ---------------------------------------------------------------------------
# INTERVENTION_PARTIES, INTERVENTION_PERIOD


def check_intervention_parties(*, intervention: str, name: str, parties: list[str]) -> list[Finding]:
    """Finsam funds joint work: at least two members take part. An intervention that
    names no parties carries no data for this check and is left alone."""
    distinct = set(parties)
    if len(distinct) != 1:
        return []
    return [
        Finding(
            "INTERVENTION_PARTIES",
            WARNING,
            _("Insatsen %(name)s har bara en part; minst två av förbundets medlemmar ska delta.")
            % {"name": name},
            intervention=intervention,
            actual=Decimal(len(distinct)),
            expected=Decimal(2),
            difference=Decimal(len(distinct) - 2),
        )
    ]


def check_intervention_period(
    *,
    intervention: str,
    name: str,
    start: str | None,
    end: str | None,
    costs: list[tuple[ColumnRef, Decimal]],
    unit: str,
) -> list[Finding]:
    """A cost in a year before the intervention starts or after it ends."""
    first_year = parse_partial_date(start)[0] if start else None
    last_year = parse_partial_date(end)[0] if end else None
    if first_year is None and last_year is None:
        return []
    period = f"{start or '…'} – {end or '…'}"
    findings = []
    for column, amount in costs:
        if not amount:
            continue
        if (first_year is not None and column.year < first_year) or (
            last_year is not None and column.year > last_year
        ):
            findings.append(
                Finding(
                    "INTERVENTION_PERIOD",
                    WARNING,
                    _("%(column)s: insatsen %(name)s har kostnader (%(amount)s) utanför sin period %(period)s.")
                    % {"column": column.name, "name": name, "amount": format_amount(amount, unit), "period": period},
                    column=column.id,
                    year=column.year,
                    intervention=intervention,
                    actual=amount,
                    expected=Decimal(0),
                    difference=amount,
                    row=f"intervention:{intervention}",
                )
            )
    return findings


# ---------------------------------------------------------------------------
# INTERVENTION_COST


def check_intervention_cost(
    *, intervention: str, name: str, column: ColumnRef, cost: Decimal, lines_total: Decimal | None, tolerance: Decimal, unit: str
) -> list[Finding]:
    """The cost lines linked to an intervention against its granted amount times its counted
    share in a column. A warning, not an error: the chief may budget less than the grant on
    purpose, but never without seeing it."""
    budgeted = lines_total or Decimal(0)
    if abs(budgeted - cost) <= tolerance:
        return []
    return [
        Finding(
            "INTERVENTION_COST",
            WARNING,
            _(
                "%(column)s: insatsen %(name)s kostar %(cost)s enligt beviljat belopp och räknad andel, "
                "men kostnadsraderna för den är %(budgeted)s."
            )
            % {
                "column": column.name,
                "name": name,
                "cost": format_amount(cost, unit),
                "budgeted": format_amount(budgeted, unit),
            },
            column=column.id,
            year=column.year,
            intervention=intervention,
            actual=budgeted,
            expected=cost,
            difference=budgeted - cost,
            row=f"intervention:{intervention}",
        )
    ]


def _intervention_cost_findings(
    document: PlanDocument, intervention_costs: dict[str, dict[str, Decimal]], refs: dict[str, ColumnRef]
) -> list[Finding]:
    names = {intervention.id: intervention.name for intervention in document.interventions or []}
    findings = []
    for intervention, costs in intervention_costs.items():
        linked = [line for line in document.costs if line.intervention == intervention]
        # Half a unit of the precision the linked lines are written with: a line
        # in whole tkr follows a cost of 949,5 tkr when it says 950.
        tolerance = amount_precision(amount for line in linked for amount in line.amounts.values()) / 2
        for column in document.columns:
            if column.id not in costs:
                continue
            findings += check_intervention_cost(
                intervention=intervention,
                name=names.get(intervention, intervention),
                column=refs[column.id],
                cost=costs[column.id],
                lines_total=_sum_present(line.amounts.get(column.id) for line in linked),
                tolerance=tolerance,
                unit=document.plan.unit,
            )
    return findings


def _sum_present(values) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


# ---------------------------------------------------------------------------
# The whole plan


def validate_document(
    document: PlanDocument,
    *,
    bands: Iterable[GuidanceBand] = (),
    totals: PlanTotals | None = None,
    intervention_costs: dict[str, dict[str, Decimal]] | None = None,
) -> list[Finding]:
    """Every check on a plan document, in the order of the codes, column by column.

    `intervention_costs` ({intervention id: {column id: cost}}, from
    `budgets.totals.intervention_cost_per_column`) is what the granted amounts
    make each intervention cost; the plan file does not carry them."""
    totals = totals or compute_totals(document)
    unit = document.plan.unit
    bands = list(bands)
    goals = document.federation.goals
    refs = {column.id: ColumnRef.of(column) for column in document.columns}
    member_by_id = {member.id: member for member in document.members}
    findings: list[Finding] = []

    findings += check_members(member.kind for member in document.members)

    precision = amount_precision(
        amount for line in document.contributions for amount in line.amounts.values()
    )
    for column_totals in totals.columns:
        lines_by_party: dict[str, int] = {}
        for member in column_totals.contributions_by_member:
            party = party_of(member_by_id[member].kind)
            lines_by_party[party] = lines_by_party.get(party, 0) + 1
        findings += check_split(
            column=refs[column_totals.id],
            by_party=column_totals.contributions_by_party,
            lines_by_party=lines_by_party,
            precision=precision,
            unit=unit,
        )

    keyed_members = [
        member for member in document.members if member.kind == "municipality" and member.key_share is not None
    ]
    if keyed_members:
        share_precision = key_precision(member.key_share for member in keyed_members)
        for column_totals in totals.columns:
            by_member = column_totals.contributions_by_member
            findings += check_municipal_key(
                column=refs[column_totals.id],
                amounts=[
                    KeyedAmount(member.id, member.name, by_member[member.id], member.key_share)
                    for member in keyed_members
                    if member.id in by_member
                ],
                municipal_total=column_totals.contributions_by_party["municipality"] or Decimal(0),
                precision=share_precision,
                unit=unit,
            )

    findings += _stated_total_findings(document, totals, refs)

    for link in totals.chain:
        findings += check_negative_equity(column=refs[link.column], closing=link.closing, unit=unit)
    for link in totals.chain:
        if not link.contributions:
            continue
        band = band_for(bands, link.year, link.contributions * UNIT_FACTORS[unit])
        if band is not None:
            findings += check_equity_ceiling(
                column=refs[link.column],
                closing=link.closing,
                contributions=link.contributions,
                ceiling_percent=band.ceiling_percent,
                unit=unit,
            )
    if goals is not None and goals.equity_floor is not None:
        for link in totals.chain:
            findings += check_equity_floor(
                column=refs[link.column], closing=link.closing, floor=goals.equity_floor, unit=unit
            )

    if goals is not None and goals.admin_share_max is not None:
        for column_totals in totals.columns:
            if column_totals.admin_share is not None:
                findings += check_admin_share(
                    column=refs[column_totals.id], share=column_totals.admin_share, goal=goals.admin_share_max
                )
    if goals is not None and goals.intervention_share_min is not None:
        for column_totals in totals.columns:
            if column_totals.non_admin_share is not None:
                findings += check_intervention_share(
                    column=refs[column_totals.id],
                    share=column_totals.non_admin_share,
                    goal=goals.intervention_share_min,
                )

    interventions = document.interventions or []
    for intervention in interventions:
        findings += check_intervention_parties(
            intervention=intervention.id, name=intervention.name, parties=intervention.members or []
        )
    for intervention in interventions:
        costs = []
        for column in document.columns:
            amounts = [
                line.amounts[column.id]
                for line in document.costs
                if line.intervention == intervention.id and column.id in line.amounts
            ]
            if amounts:
                costs.append((refs[column.id], sum(amounts, Decimal(0))))
        findings += check_intervention_period(
            intervention=intervention.id,
            name=intervention.name,
            start=intervention.start,
            end=intervention.end,
            costs=costs,
            unit=unit,
        )
    findings += _intervention_cost_findings(document, intervention_costs or {}, refs)
    return findings


def _stated_total_findings(document: PlanDocument, totals: PlanTotals, refs: dict) -> list[Finding]:
    unit = document.plan.unit
    stated_by_column = document.stated or {}
    chain_by_year = totals.chain_by_year
    findings = []
    for column_totals in totals.columns:
        stated = stated_by_column.get(column_totals.id)
        if stated is None:
            continue
        column = refs[column_totals.id]
        other_income = column_totals.other_income or Decimal(0)
        findings += check_stated_total(
            column=column,
            total="contributions",
            stated=stated.contributions,
            computed=column_totals.contributions or Decimal(0),
            unit=unit,
        )
        findings += check_stated_total(
            column=column,
            total="income",
            stated=stated.income,
            computed=column_totals.income or Decimal(0),
            also_consistent_with=[stated.contributions + other_income] if stated.contributions is not None else [],
            unit=unit,
        )
        findings += check_stated_total(
            column=column, total="costs", stated=stated.costs, computed=column_totals.costs or Decimal(0), unit=unit
        )

        # What the document's own printed figures give, besides what its lines give.
        incomes = {column_totals.income or Decimal(0)}
        if stated.income is not None:
            incomes.add(stated.income)
        if stated.contributions is not None:
            incomes.add(stated.contributions + other_income)
        costs = {column_totals.costs or Decimal(0)}
        if stated.costs is not None:
            costs.add(stated.costs)
        results = {income - cost for income in incomes for cost in costs}
        if column_totals.result is not None:
            findings += check_stated_total(
                column=column,
                total="result",
                stated=stated.result,
                computed=column_totals.result,
                also_consistent_with=results,
                unit=unit,
            )

        if column_totals.opening_equity is not None and column_totals.closing_equity is not None:
            openings = {column_totals.opening_equity}
            previous = chain_by_year.get(column_totals.year - 1)
            previous_stated = stated_by_column.get(previous.column) if previous else None
            if previous_stated is not None and previous_stated.closing_equity is not None:
                openings.add(previous_stated.closing_equity)
            if stated.result is not None:
                results.add(stated.result)
            findings += check_stated_total(
                column=column,
                total="closing_equity",
                stated=stated.closing_equity,
                computed=column_totals.closing_equity,
                also_consistent_with={opening + result for opening in openings for result in results},
                unit=unit,
            )
    return findings
