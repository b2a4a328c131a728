"""A large, valid plan for benchmarks: many interventions and columns, a correct split."""

from budgets.planfile import PlanDocument, read_plan_data

MUNICIPALITIES = 8


def synthetic_plan(*, interventions: int = 100, columns: int = 10, name: str = "Syntet") -> PlanDocument:
    """A SEK plan with `columns` yearly columns from 2020 and one cost line per
    intervention, plus reserve, operations and administration lines."""
    years = list(range(2020, 2020 + columns))
    column_data = [
        {"id": f"c{year}", "year": year, "kind": "actual" if year < 2023 else "budget" if year == 2023 else "plan",
         "label": f"{'Utfall' if year < 2023 else 'Budget' if year == 2023 else 'Plan'} {year}"}
        for year in years
    ]
    municipalities = [f"kommun-{index}" for index in range(MUNICIPALITIES)]
    members = [
        {"id": "fk", "name": "Försäkringskassan", "kind": "forsakringskassan"},
        {"id": "af", "name": "Arbetsförmedlingen", "kind": "arbetsformedlingen"},
        {"id": "region", "name": f"Region {name}", "kind": "region"},
    ] + [{"id": municipality, "name": f"{municipality.title()} kommun", "kind": "municipality",
          "key_share": "0.125"} for municipality in municipalities]
    every_year = lambda amount: {column["id"]: amount for column in column_data}  # noqa: E731
    contributions = [
        {"member": "fk", "amounts": every_year(20_000_000)},
        {"member": "region", "amounts": every_year(10_000_000)},
    ] + [{"member": municipality, "amounts": every_year(1_250_000)} for municipality in municipalities]
    costs = [
        {"id": f"insats-{index}", "label": f"Insats {index}", "group": "intervention",
         "intervention": f"insats-{index}", "amounts": every_year(300_000 + 1_000 * index)}
        for index in range(interventions)
    ] + [
        {"id": "reserv", "label": "Tillgängligt nya insatser", "group": "reserve", "amounts": every_year(500_000)},
        {"id": "utvardering", "label": "Utvärdering", "group": "operations", "amounts": every_year(250_000)},
        {"id": "kansli", "label": "Kansli", "group": "administration", "amounts": every_year(1_400_000)},
        {"id": "revision", "label": "Revision", "group": "administration", "amounts": every_year(80_000)},
    ]
    intervention_data = [
        {"id": f"insats-{index}", "name": f"Insats {index}", "kind": "individual" if index % 3 else "structural",
         "sus_category": "Förberedande insatser", "markings": ["Unga AE PRIO"], "status": "active",
         "long_term": index % 5 == 0, "owner": municipalities[index % MUNICIPALITIES],
         "members": ["fk", "af", municipalities[index % MUNICIPALITIES]], "start": "2019-01", "end": None,
         "participants": {"total": 40, "women": 22, "men": 18},
         "target_group": "Unga vuxna 18–29 år som behöver samordnat stöd för att nå arbete eller studier.",
         "description": "En insats där parterna arbetar tillsammans med stöd mot arbete och studier. " * 3,
         "goals": ["Fler i arbete eller studier", "Ökad livskvalitet"],
         "indicators": ["Andel deltagare som går till arbete eller studier"]}
        for index in range(interventions)
    ]
    return read_plan_data({
        "format": "finsam-plan/1",
        "federation": {"name": f"Samordningsförbundet {name}", "short_name": name,
                       "goals": {"admin_share_max": 10, "intervention_share_min": 80}},
        "members": members,
        "plan": {"year": 2023, "last_year": 2020 + columns - 1, "unit": "SEK", "status": "draft",
                 "sections": [{"heading": f"{index}. Kapitel", "body": "Text om förbundets arbete.\n\n- en punkt\n- en till"}
                              for index in range(1, 6)]},
        "columns": column_data,
        "contributions": contributions,
        "costs": costs,
        "equity": {"opening": {"year": 2020, "amount": 3_000_000}},
        "interventions": intervention_data,
    })
