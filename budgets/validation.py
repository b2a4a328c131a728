"""The checks a plan must pass, one pure function per finding code.

The rule functions take plain values (amounts, shares, small dataclasses) and
return findings; `validate_document` feeds them from a plan document and its
totals. Nothing here reads the database: the equity guidance bands are passed
in (`budgets.selectors.guidance_bands` loads them).

Codes and severities are stable; DOMAIN.md's table is the reference.
"""

from __future__ import annotations

import datetime
from itertools import combinations
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budgets.planfile import ColumnData, CostData, PlanDocument
from budgets.totals import STATUTORY_SHARES, PlanTotals, compute_totals, party_of
from finsam.lib.formatting import format_amount, format_percent
from finsam.lib.money import UNIT_FACTORS
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
# One plain title per finding code, shown before the message.
TITLES = {
    "MEMBERS": gettext_noop("Medlemmar som saknas"),
    "SPLIT": gettext_noop("Fördelningen 50/25/25"),
    "MUNICIPAL_KEY": gettext_noop("Kommunernas fördelningsnyckel"),
    "STATED_TOTAL": gettext_noop("Summa som inte stämmer"),
    "NEGATIVE_EQUITY": gettext_noop("Eget kapital under noll"),
    "EQUITY_CEILING": gettext_noop("Eget kapital över riktlinjen"),
    "EQUITY_FLOOR": gettext_noop("Eget kapital under förbundets mål"),
    "ADMIN_SHARE": gettext_noop("Administrationens andel"),
    "INTERVENTION_SHARE": gettext_noop("Andelen till insatser och samverkan"),
    "INTERVENTION_PARTIES": gettext_noop("Insats med färre än två parter"),
    "INTERVENTION_PERIOD": gettext_noop("Kostnad utanför insatsens period"),
    "INTERVENTION_COST": gettext_noop("Insatsens kostnad stämmer inte med kostnadsraderna"),
}
# No message needs more decimals than an amount can carry to tell two numbers apart.
MOST_PLACES = 8


def distinct_texts(first: Decimal, second: Decimal, show, places: int) -> tuple[str, str]:
    """The two numbers shown with `places` decimals, or as many more as it takes for two
    different numbers not to look the same ("20,03 %" against "20 %", never "20 %" twice)."""
    while True:
        first_text, second_text = show(first, places), show(second, places)
        if first == second or first_text != second_text or places >= MOST_PLACES:
            return first_text, second_text
        places += 1


def _percents(first: Decimal, second: Decimal, places: int = 2) -> tuple[str, str]:
    return distinct_texts(first, second, format_percent, places)


def _amounts(first: Decimal, second: Decimal, unit: str, places: int = 2) -> tuple[str, str]:
    return distinct_texts(first, second, lambda value, digits: format_amount(value, unit, digits), places)


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

    @property
    def title(self) -> str:
        """What the finding is about, in plain Swedish ("Fördelningen 50/25/25"); the code is secondary."""
        title = TITLES.get(self.code)
        return _(title) if title else self.code

    def as_dict(self) -> dict:
        return {**asdict(self), "title": self.title}


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


def printed_precision(amount: Decimal, plan_precision: Decimal | None = None) -> Decimal:
    """The precision an amount is printed with: 1 for "1866" (a unit of the plan),
    0.01 for "125000.10"; the plan's own coarser rounding where it states one."""
    exponent = min(amount.as_tuple().exponent, 0)
    precision = Decimal(1).scaleb(exponent)
    if plan_precision is not None and plan_precision > precision:
        return plan_precision
    return precision


def amount_precision(amounts: Iterable[Decimal], plan_precision: Decimal | None = None) -> Decimal:
    """The finest precision among printed amounts (1 when there are none)."""
    amounts = list(amounts)
    if not amounts:
        return plan_precision if plan_precision is not None else Decimal(1)
    # An exact sum keeps the finest precision of its terms (1.5 + 2 is 3.5, 0.25 + 0.75
    # is 1.00), so one look at the sum tells what one look per amount would. The sum is
    # exact: amounts are below AMOUNT_LIMIT with at most four decimals.
    return printed_precision(sum(amounts, Decimal(0)), plan_precision)


def line_tolerance(amount: Decimal, plan_precision: Decimal | None = None) -> Decimal:
    """How far a printed line may be from the exact figure it was rounded from: half a
    unit of its own precision. A line of 0 is exact: nothing was rounded to print it."""
    if not amount:
        return Decimal(0)
    return printed_precision(amount, plan_precision) / 2


def split_tolerance(amounts: Iterable[Decimal], plan_precision: Decimal | None = None) -> Decimal:
    """A group's tolerance: the sum of its lines' tolerances."""
    return sum((line_tolerance(amount, plan_precision) for amount in amounts), Decimal(0))


def _totals_that_fit(groups: dict[str, Decimal], tolerances: dict[str, Decimal]) -> tuple[Decimal, Decimal] | None:
    """The totals of which every given group is its statutory share within its tolerance,
    as (lowest, highest), or None when there is none."""
    low = max((groups[party] - tolerances[party]) / STATUTORY_SHARES[party] for party in groups)
    high = min((groups[party] + tolerances[party]) / STATUTORY_SHARES[party] for party in groups)
    return (low, high) if low <= high else None


def blamed_groups(groups: dict[str, Decimal], tolerances: dict[str, Decimal]) -> list[str]:
    """The groups that rounding cannot explain, when no total fits all three.

    The printed lines are rounded from an exact split of a total the document
    does not print. Where exactly one way of leaving out one group lets the other
    two (paying something) agree on a total, the group left out is in error:
    twelve municipalities 10 kr off are blamed, not the one-line state that agrees
    with the region. Failing that, where only one group pays anything, the others
    are. Where the evidence points nowhere in particular, every group further from
    its share of the printed total than its tolerance is named.
    """
    parties = list(STATUTORY_SHARES)
    for size in (2, 1):
        agreeing = [
            kept
            for kept in combinations(parties, size)
            if sum(groups[party] for party in kept)
            and _totals_that_fit({party: groups[party] for party in kept}, tolerances) is not None
        ]
        if len(agreeing) == 1:
            return [party for party in parties if party not in agreeing[0]]
        if agreeing:
            break
    total = sum(groups.values(), Decimal(0))
    outside = [
        party
        for party, share in STATUTORY_SHARES.items()
        if abs(groups[party] - total * share) > tolerances[party]
    ]
    return outside or parties


PARTY_NAMES = {
    "state": (gettext_noop("statens andel"), gettext_noop("statens andel")),
    "region": (gettext_noop("regionens andel"), gettext_noop("regionernas andel")),
    "municipality": (gettext_noop("kommunens andel"), gettext_noop("kommunernas andel")),
}


def _round_to(amount: Decimal, precision: Decimal) -> Decimal:
    return (amount / precision).quantize(Decimal(1), rounding=ROUND_HALF_UP) * precision


def _join(parts: list[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return _("%(first)s och %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def check_split(
    *,
    column: ColumnRef,
    lines: dict[str, list[Decimal]],
    unit: str,
    plan_precision: Decimal | None = None,
) -> list[Finding]:
    """The state pays half of the members' contributions, the regions together a
    quarter and the municipalities together a quarter (5 §), within rounding.

    `lines` holds each party's printed contribution lines. The column passes when
    some total exists of which every group is its share within the group's
    tolerance (half a unit of each line's printed precision). Otherwise one
    finding names the groups rounding cannot explain and the amounts that would
    fit, worked out from the total the other groups agree on and rounded to the
    precision the column is printed with.
    """
    groups = {party: sum(lines.get(party, []), Decimal(0)) for party in STATUTORY_SHARES}
    total = sum(groups.values(), Decimal(0))
    if not total:
        return []
    tolerances = {party: split_tolerance(lines.get(party, []), plan_precision) for party in STATUTORY_SHARES}
    if _totals_that_fit(groups, tolerances) is not None:
        return []
    blamed = blamed_groups(groups, tolerances)
    others = [party for party in STATUTORY_SHARES if party not in blamed]
    fitting_totals = _totals_that_fit({party: groups[party] for party in others}, tolerances) if others else None
    basis_total = sum(fitting_totals) / 2 if fitting_totals is not None else total
    precision = amount_precision(
        [amount for amounts in lines.values() for amount in amounts if amount], plan_precision
    )
    fits = {party: _round_to(basis_total * STATUTORY_SHARES[party], precision) for party in blamed}

    def many(party: str) -> int:
        return 1 if len(lines.get(party, [])) > 1 else 0

    parts = []
    for party in blamed:
        actual_share, statutory = _percents(groups[party] / total * HUNDRED, STATUTORY_SHARES[party] * HUNDRED)
        actual_amount, fitting_amount = _amounts(groups[party], fits[party], unit, places=4)
        parts.append(
            _("%(party)s är %(actual_share)s (%(actual)s), ska vara %(share)s (%(expected)s)")
            % {
                "party": _(PARTY_NAMES[party][many(party)]),
                "actual_share": actual_share,
                "actual": actual_amount,
                "share": statutory,
                "expected": fitting_amount,
            }
        )
    message = "; ".join(parts)
    if others:
        basis = _join(
            [
                _("%(party)s %(share)s (%(amount)s)")
                % {
                    "party": _(PARTY_NAMES[party][many(party)]),
                    "share": format_percent(groups[party] / total * HUNDRED),
                    "amount": format_amount(groups[party], unit, 4),
                }
                for party in others
            ]
        )
        message = _("%(parts)s, räknat på %(basis)s") % {"parts": message, "basis": basis}
    message = _("%(column)s: %(message)s. Avrundning förklarar inte skillnaden.") % {
        "column": column.name,
        "message": message,
    }
    first = blamed[0]
    return [
        Finding(
            "SPLIT",
            ERROR,
            message,
            column=column.id,
            year=column.year,
            actual=groups[first],
            expected=fits[first],
            difference=groups[first] - fits[first],
            row=f"party:{first}",
        )
    ]


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
    *,
    column: ColumnRef,
    amounts: list[KeyedAmount],
    municipal_total: Decimal,
    precision: Decimal,
    unit: str,
    plan_precision: Decimal | None = None,
) -> list[Finding]:
    """Each municipality's part of the municipalities' contributions should match its
    printed key share, to within half a unit of the key's printed precision, allowing
    also for the rounding of the amount itself (a key of 0,0737 on 1 000 tkr printed
    as 74 tkr is correct)."""
    if not municipal_total:
        return []
    findings = []
    for row in amounts:
        expected = row.key_share * municipal_total
        tolerance = municipal_total * precision / 2 + line_tolerance(row.amount, plan_precision)
        if abs(row.amount - expected) <= tolerance:
            continue
        actual_share = row.amount / municipal_total
        share_text, key_text = _percents(actual_share * HUNDRED, row.key_share * HUNDRED, places=1)
        amount_text, expected_text = _amounts(
            row.amount, _round_to(expected, printed_precision(row.amount, plan_precision)), unit
        )
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
                    "actual": amount_text,
                    "actual_share": share_text,
                    "total": format_amount(municipal_total, unit, 4),
                    "key": key_text,
                    "expected": expected_text,
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
    # A printed subtotal of cost groups; the finding names it by its printed label.
    "subtotal": (gettext_noop("delsumman"), gettext_noop("raderna summerar till")),
}


def check_stated_total(
    *,
    column: ColumnRef,
    total: str,
    stated: Decimal | None,
    computed: Decimal | None,
    also_consistent_with: Iterable[Decimal] = (),
    unit: str,
    label: str | None = None,
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
    stated_text, computed_text = _amounts(stated, computed, unit)
    return [
        Finding(
            "STATED_TOTAL",
            ERROR,
            _("%(column)s: %(what)s anges till %(stated)s men %(basis)s %(computed)s (skillnad %(difference)s).")
            % {
                "column": column.name,
                "what": label if label is not None else _(what),
                "stated": stated_text,
                "basis": _(basis),
                "computed": computed_text,
                "difference": format_amount(abs(stated - computed), unit, MOST_PLACES),
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
            % {"year": column.year, "closing": _amounts(closing, Decimal(0), unit)[0]},
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
                "closing": _amounts(closing, ceiling, unit)[0],
                "share": _percents(closing / contributions * HUNDRED, ceiling_percent)[0],
                "percent": _percents(closing / contributions * HUNDRED, ceiling_percent)[1],
                "ceiling": _amounts(closing, ceiling, unit)[1],
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
            % dict(zip(("closing", "floor"), _amounts(closing, floor, unit)), year=column.year),
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
            % dict(zip(("share", "goal"), _percents(share, goal, places=1)), column=column.name),
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
            % dict(zip(("share", "goal"), _percents(share, goal, places=1)), column=column.name),
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


# The parties of 3 §: several municipalities are one party, several regions one, and a
# combined state line stands for both agencies.
PARTIES_OF_KIND = {
    "forsakringskassan": ("forsakringskassan",),
    "arbetsformedlingen": ("arbetsformedlingen",),
    "state": ("forsakringskassan", "arbetsformedlingen"),
    "region": ("region",),
    "municipality": ("municipality",),
}
PARTY_TITLES = {
    "forsakringskassan": gettext_noop("Försäkringskassan"),
    "arbetsformedlingen": gettext_noop("Arbetsförmedlingen"),
    "region": gettext_noop("regionerna"),
    "municipality": gettext_noop("kommunerna"),
}


def intervention_parties(member_kinds: Iterable[str]) -> set[str]:
    """The statutory parties that the members taking part make up."""
    return {party for kind in member_kinds for party in PARTIES_OF_KIND[kind]}


def check_intervention_parties(*, intervention: str, name: str, member_kinds: list[str]) -> list[Finding]:
    """Finsam funds joint work: at least two parties take part. Two municipalities are
    one party. An intervention that names no members carries no data for this check."""
    parties = intervention_parties(member_kinds)
    if not member_kinds or len(parties) >= 2:
        return []
    [party] = parties
    return [
        Finding(
            "INTERVENTION_PARTIES",
            WARNING,
            _("Insatsen %(name)s har bara en part (%(party)s); minst två av förbundets parter ska delta.")
            % {"name": name, "party": _(PARTY_TITLES[party])},
            intervention=intervention,
            actual=Decimal(len(parties)),
            expected=Decimal(2),
            difference=Decimal(len(parties) - 2),
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
    document: PlanDocument,
    totals: PlanTotals,
    intervention_costs: dict[str, dict[str, Decimal]],
    refs: dict[str, ColumnRef],
) -> list[Finding]:
    names = {intervention.id: intervention.name for intervention in document.interventions or []}
    lines_by_intervention = cost_lines_by_intervention(document)
    # Each column with what its linked lines add up to per intervention, looked up once.
    columns = [(refs[column.id], totals.column(column.id).costs_by_intervention) for column in document.columns]
    unit = document.plan.unit
    findings = []
    for intervention, costs in intervention_costs.items():
        linked = lines_by_intervention.get(intervention, [])
        # Half a unit of the precision the linked lines are written with: a line
        # in whole tkr follows a cost of 949,5 tkr when it says 950.
        tolerance = amount_precision(amount for line in linked for amount in line.amounts.values()) / 2
        name = names.get(intervention, intervention)
        for column, lines_totals in columns:
            if column.id not in costs:
                continue
            findings += check_intervention_cost(
                intervention=intervention,
                name=name,
                column=column,
                cost=costs[column.id],
                lines_total=lines_totals.get(intervention),
                tolerance=tolerance,
                unit=unit,
            )
    return findings


def cost_lines_by_intervention(document: PlanDocument) -> dict[str, list[CostData]]:
    """{intervention id: the cost lines that name it, in the document's order}: read once,
    so that what is checked or shown per intervention stays linear in the plan's size."""
    lines: dict[str, list[CostData]] = {}
    for line in document.costs:
        if line.intervention is not None:
            lines.setdefault(line.intervention, []).append(line)
    return lines


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

    plan_precision = document.plan.precision
    for column_totals in totals.columns:
        if column_totals.contributions_unattributed is not None:
            # Printed only as a total: the document does not say who pays what.
            continue
        lines: dict[str, list[Decimal]] = {}
        for member, amount in column_totals.contributions_by_member.items():
            lines.setdefault(party_of(member_by_id[member].kind), []).append(amount)
        findings += check_split(column=refs[column_totals.id], lines=lines, unit=unit, plan_precision=plan_precision)

    keyed_members = [
        member for member in document.members if member.kind == "municipality" and member.key_share is not None
    ]
    if keyed_members:
        share_precision = key_precision(member.key_share for member in keyed_members)
        for column_totals in totals.columns:
            if column_totals.contributions_unattributed is not None:
                continue
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
                plan_precision=plan_precision,
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
            intervention=intervention.id,
            name=intervention.name,
            member_kinds=[member_by_id[member].kind for member in intervention.members or []],
        )
    # Each column with what its linked lines add up to per intervention, looked up once.
    column_costs = [(refs[column_totals.id], column_totals.costs_by_intervention) for column_totals in totals.columns]
    for intervention in interventions:
        costs = [
            (column, by_intervention[intervention.id])
            for column, by_intervention in column_costs
            if intervention.id in by_intervention
        ]
        findings += check_intervention_period(
            intervention=intervention.id,
            name=intervention.name,
            start=intervention.start,
            end=intervention.end,
            costs=costs,
            unit=unit,
        )
    findings += _intervention_cost_findings(document, totals, intervention_costs or {}, refs)
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
        for subtotal in stated.subtotals or []:
            findings += check_stated_total(
                column=column,
                total="subtotal",
                stated=subtotal.amount,
                computed=sum(
                    (column_totals.costs_by_group[group] or Decimal(0) for group in subtotal.groups), Decimal(0)
                ),
                unit=unit,
                label=subtotal.label,
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
