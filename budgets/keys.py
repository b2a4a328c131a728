"""The municipal key: how the municipalities split their quarter of the contributions.

Pure functions over plain values. The chief's contributions page uses them to
fill in the municipalities' amounts for one column from fixed shares, from
population or in equal parts, so that the amounts add up exactly to the total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Hashable, Mapping, TypeVar

from django.utils.translation import gettext as _

Key = TypeVar("Key", bound=Hashable)

FIXED = "fixed"
POPULATION = "population"
EQUAL = "equal"
KEYS = (FIXED, POPULATION, EQUAL)

# Plans round their amounts to whole units of their own unit: whole kronor in a
# plan in SEK, whole thousands in a plan in tkr.
UNIT_STEP = Decimal(1)


@dataclass(frozen=True)
class KeyMember:
    """What the key needs to know of a municipality."""

    id: Hashable
    name: str
    population: int | None = None
    key_share: Decimal | None = None


class KeyIncomplete(ValueError):
    """The key cannot be used: a municipality lacks its share or population, or all weights are zero."""


def key_weights(members: list[KeyMember], key: str) -> dict[Hashable, Decimal]:
    """Each municipality's weight under the key; raises KeyIncomplete naming what is missing."""
    if not members:
        raise KeyIncomplete(_("Planen har inga kommuner att fördela på."))
    if key == EQUAL:
        return {member.id: Decimal(1) for member in members}
    if key == FIXED:
        missing = [member.name for member in members if member.key_share is None]
        if missing:
            raise KeyIncomplete(
                _("Andel i fördelningsnyckeln saknas för %(names)s. Ange den under Medlemmar.")
                % {"names": ", ".join(missing)}
            )
        weights = {member.id: member.key_share for member in members}
    elif key == POPULATION:
        missing = [member.name for member in members if member.population is None]
        if missing:
            raise KeyIncomplete(
                _("Folkmängd saknas för %(names)s. Ange den under Medlemmar.") % {"names": ", ".join(missing)}
            )
        weights = {member.id: Decimal(member.population) for member in members}
    else:
        raise ValueError(f"unknown key {key!r}")
    if not sum(weights.values()):
        raise KeyIncomplete(_("Nyckelns andelar är noll för alla kommuner."))
    return weights


def split_by_weights(total: Decimal, weights: Mapping[Key, Decimal], step: Decimal = UNIT_STEP) -> dict[Key, Decimal]:
    """`total` split in proportion to `weights`, in whole multiples of `step`, adding up to `total` exactly.

    Each amount starts as its exact share rounded down; the units that rounding
    down leaves over go one each to the lines that lost most (largest remainder;
    ties to the larger weight, then to the earlier line). So every amount is
    less than one step from its exact share. Handing the whole remainder to one
    line would be simpler, but with many lines it could move that line by
    several units.

    `total` must be a non-negative multiple of `step`; weights must be
    non-negative with a positive sum.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if step <= 0:
        raise ValueError("step must be positive")
    units = Fraction(total) / Fraction(step)
    if units.denominator != 1:
        raise ValueError(f"total {total} is not a multiple of {step}")
    if any(weight < 0 for weight in weights.values()):
        raise ValueError("weights must not be negative")
    weight_sum = sum((Fraction(weight) for weight in weights.values()), Fraction(0))
    if not weight_sum:
        raise ValueError("weights must not all be zero")

    keys = list(weights)
    exact = {key: units * Fraction(weights[key]) / weight_sum for key in keys}
    whole = {key: math.floor(exact[key]) for key in keys}
    left_over = int(units) - sum(whole.values())
    by_loss = sorted(
        range(len(keys)),
        key=lambda index: (-(exact[keys[index]] - whole[keys[index]]), -Fraction(weights[keys[index]]), index),
    )
    for index in by_loss[:left_over]:
        whole[keys[index]] += 1
    return {key: Decimal(whole[key]) * step for key in keys}


def round_to_step(amount: Decimal, step: Decimal = UNIT_STEP) -> Decimal:
    """An amount rounded half up to a whole multiple of `step`."""
    return (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def municipal_total_default(others: Decimal, step: Decimal = UNIT_STEP) -> Decimal:
    """The municipalities' total that makes them a quarter of all contributions.

    The state (a half) and the regions (a quarter) pay three quarters together,
    so the municipalities' quarter is a third of what the others pay. A quarter
    of the column's present total would depend on the municipalities' own
    amounts, which are the ones being replaced.
    """
    return round_to_step(others / 3, step)


def fill_from_key(
    *, members: list[KeyMember], key: str, total: Decimal, step: Decimal = UNIT_STEP
) -> dict[Hashable, Decimal]:
    """The municipalities' amounts for one column: `total` split by the key."""
    return split_by_weights(total, key_weights(members, key), step)


def default_key(preferred: str | None, members: list[KeyMember]) -> str:
    """The key to offer: the plan's own whenever it is one the helper computes (the plan says
    how its municipalities share, and the helper should not silently pick another; if the
    members lack the data, filling says which). Otherwise the first the members have data for."""
    if preferred in KEYS:
        return preferred
    usable = {
        FIXED: bool(members) and all(member.key_share is not None for member in members),
        POPULATION: bool(members) and all(member.population is not None for member in members),
        EQUAL: True,
    }
    return next(key for key in (FIXED, POPULATION, EQUAL) if usable[key])
