"""Plans for the core suite with what the seed plans lack: an actual and a forecast
column for the same year beside a budget for it, other income, reserve lines, öre
amounts, and goals.

`rich_plan()` is a SEK plan for 2024-2026 whose figures are worked out by hand in
RICH below; tests compare the code's totals with those, never with the code itself.
"""

import copy
from decimal import Decimal

D = Decimal

# Columns deliberately not in rank order: the budget and the forecast for 2024 come
# before the actual, so "the first column of a year wins" is a visible mistake.
RICH_COLUMNS = [
    {"id": "b2024", "year": 2024, "kind": "budget", "label": "Budget 2024"},
    {"id": "f2024", "year": 2024, "kind": "forecast", "label": "Prognos 2024"},
    {"id": "u2024", "year": 2024, "kind": "actual", "label": "Utfall 2024"},
    {"id": "b2025", "year": 2025, "kind": "budget"},
    {"id": "p2026", "year": 2026, "kind": "plan"},
]
ALL = ["b2024", "f2024", "u2024", "b2025", "p2026"]


def _each(value, columns=ALL):
    return {column: value for column in columns}


# Hand-worked figures of rich_plan(), column by column.
#   contributions: FK 2 000 000, region 1 000 000, Norrby 600 000, Söderby 400 000 = 4 000 000
#   other income (ESF): u2024 100 000,50; f2024 50 000; b2025 200 000; none elsewhere
#   costs: insats, reserv, drift, kansli (administration) as in the table below
RICH = {
    #          income          costs           result       admin
    "b2024": (D("4000000"), D("4100000"), D("-100000"), D("400000")),
    "f2024": (D("4050000"), D("3800000"), D("250000"), D("400000")),
    "u2024": (D("4100000.50"), D("3400000.25"), D("700000.25"), D("400000")),
    "b2025": (D("4200000"), D("4100000"), D("100000"), D("400000")),
    "p2026": (D("4000000"), D("4100000"), D("-100000"), D("400000")),
}
RICH_RESERVE = {"b2024": D(500000), "f2024": D(400000), "u2024": D("300000.25"), "b2025": D(500000), "p2026": D(500000)}
OPENING_2024 = D(1000000)
# The chain runs through the actual for 2024, then the budget 2025 and the plan 2026.
RICH_CHAIN = [
    (2024, "u2024", D("1000000"), D("700000.25"), D("1700000.25")),
    (2025, "b2025", D("1700000.25"), D("100000"), D("1800000.25")),
    (2026, "p2026", D("1800000.25"), D("-100000"), D("1700000.25")),
]
# Closing equity in each column: the comparison columns for 2024 keep their own,
# from the same opening.
RICH_CLOSING = {
    "b2024": D("900000"),
    "f2024": D("1250000"),
    "u2024": D("1700000.25"),
    "b2025": D("1800000.25"),
    "p2026": D("1700000.25"),
}


def rich_plan(**changes) -> dict:
    data = {
        "format": "finsam-plan/1",
        "federation": {"name": "Samordningsförbundet Kärnan", "goals": None},
        "members": [
            {"id": "fk", "name": "Försäkringskassan", "kind": "forsakringskassan"},
            {"id": "af", "name": "Arbetsförmedlingen", "kind": "arbetsformedlingen"},
            {"id": "region", "name": "Region Kärnan", "kind": "region"},
            {"id": "norr", "name": "Norrby kommun", "kind": "municipality", "population": 6000, "key_share": "0.60"},
            {"id": "soder", "name": "Söderby kommun", "kind": "municipality", "population": 4000, "key_share": "0.40"},
        ],
        "plan": {"year": 2025, "last_year": 2026, "unit": "SEK"},
        "columns": copy.deepcopy(RICH_COLUMNS),
        "contributions": [
            {"member": "fk", "amounts": _each(2000000)},
            {"member": "region", "amounts": _each(1000000)},
            {"member": "norr", "amounts": _each(600000)},
            {"member": "soder", "amounts": _each(400000)},
        ],
        "income": [
            {
                "id": "esf",
                "label": "ESF-medel",
                "kind": "other",
                "amounts": {"u2024": "100000.50", "f2024": 50000, "b2025": 200000},
            }
        ],
        "costs": [
            {
                "id": "insats",
                "label": "Insats Steget",
                "group": "intervention",
                "intervention": "steget",
                "amounts": {"b2024": 3000000, "f2024": 2800000, "u2024": 2500000, "b2025": 3000000, "p2026": 3000000},
            },
            {
                "id": "reserv",
                "label": "Reserv för nya insatser",
                "group": "reserve",
                "amounts": {"b2024": 500000, "f2024": 400000, "u2024": "300000.25", "b2025": 500000, "p2026": 500000},
            },
            {"id": "drift", "label": "Gemensam verksamhet", "group": "operations", "amounts": _each(200000)},
            {"id": "kansli", "label": "Kansli", "group": "administration", "amounts": _each(400000)},
        ],
        "equity": {"opening": {"year": 2024, "amount": 1000000}},
        "interventions": [
            {"id": "steget", "name": "Steget", "kind": "individual", "members": ["fk", "norr"], "start": "2024-03"}
        ],
    }
    data["federation"].pop("goals")
    data.update(copy.deepcopy(changes))
    return data
