"""Which groups SPLIT names when the evidence points nowhere in particular: every group
further from its share of the printed total than its tolerance, and none at its edge."""

from decimal import Decimal

import pytest

from budgets.validation import blamed_groups

pytestmark = pytest.mark.core
D = Decimal
KRONA = {"state": D("0.5"), "region": D("0.5"), "municipality": D("0.5")}


@pytest.mark.parametrize(
    "state, region, municipality, blamed",
    [
        # No two groups agree on a total and all three pay. The total is 999: the state's
        # 499 is half a krona from its half (499.5), exactly its tolerance, so it is not named.
        (499, 300, 200, ["region", "municipality"]),
        # 500 of 1 001 is the same half krona below.
        (500, 301, 200, ["region", "municipality"]),
        # One krona off: named.
        (498, 300, 200, ["state", "region", "municipality"]),
    ],
)
def test_the_fallback_names_the_groups_beyond_their_tolerance(state, region, municipality, blamed):
    groups = {"state": D(state), "region": D(region), "municipality": D(municipality)}

    assert blamed_groups(groups, KRONA) == blamed
