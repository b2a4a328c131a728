"""A large made-up plan for the PDF's tests and benchmark: many interventions, many
columns, every field filled in. Its numbers follow the statutory split so that the
only findings are the ones the size provokes."""

from __future__ import annotations

from budgets.planfile import PlanDocument, read_plan_data

MUNICIPALITIES = ["Älvby", "Norrköping-Åsen", "Sjöstad", "Bergslagen", "Ådalen", "Östbacka"]
KINDS = ["individual", "structural"]
CATEGORIES = ["Förberedande", "Rehabilitering till arbete eller utbildning", "Utbildning", "Dialog och kommunikation"]
MARKINGS = ["LTS PRIO", "Unga AE PRIO", "Unga FUNK PRIO", "ESF ÄG", "ESF MF"]
COLUMN_KINDS = ["actual", "actual", "forecast", "budget"] + ["plan"] * 6


def synthetic_plan_data(*, interventions: int = 100, columns: int = 10, year: int = 2025) -> dict:
    """Plan-file data (`finsam-plan/2`) with `interventions` interventions and `columns`
    budget columns, one per year, ending in plan years after the budget year."""
    kinds = (COLUMN_KINDS * (columns // len(COLUMN_KINDS) + 1))[:columns]
    first_year = year - kinds.index("budget") if "budget" in kinds else year
    column_data = [
        {"id": f"c{index}", "year": first_year + index, "kind": kind}
        for index, kind in enumerate(kinds)
    ]
    column_ids = [column["id"] for column in column_data]
    last_year = max(year, column_data[-1]["year"])

    members = [
        {"id": "fk", "name": "Försäkringskassan", "kind": "forsakringskassan"},
        {"id": "af", "name": "Arbetsförmedlingen", "kind": "arbetsformedlingen"},
        {"id": "region", "name": "Region Mellanlänet", "kind": "region"},
    ] + [
        {"id": f"kommun-{index}", "name": f"{name} kommun", "kind": "municipality"}
        for index, name in enumerate(MUNICIPALITIES, start=1)
    ]
    # Whole-krona contributions that split exactly 50/25/25, growing a little each year.
    contributions = []
    municipal_each, municipal_growth = 600_000, 1_000
    quarter, quarter_growth = municipal_each * len(MUNICIPALITIES), municipal_growth * len(MUNICIPALITIES)
    for member in members:
        base, growth = {
            "forsakringskassan": (2 * quarter, 2 * quarter_growth),
            "arbetsformedlingen": (0, 0),
            "region": (quarter, quarter_growth),
        }.get(member["kind"], (municipal_each, municipal_growth))
        contributions.append(
            {"member": member["id"], "amounts": {column: base + step * growth for step, column in enumerate(column_ids)}}
        )
    contributions = [line for line in contributions if any(line["amounts"].values())]

    intervention_data = []
    costs = []
    per_intervention = (4 * quarter * 90 // 100) // interventions if interventions else 0
    for index in range(1, interventions + 1):
        slug = f"insats-{index}"
        parties = ["fk", "af", "region", f"kommun-{index % len(MUNICIPALITIES) + 1}"][: 2 + index % 3]
        intervention_data.append(
            {
                "id": slug,
                "name": f"Insats {index}: {['Steget vidare', 'Arbetsnära stöd', 'Samverkansteam', 'Unga till arbete'][index % 4]}",
                "kind": KINDS[index % 2],
                "sus_category": CATEGORIES[index % len(CATEGORIES)],
                "markings": [MARKINGS[index % len(MARKINGS)], MARKINGS[(index + 2) % len(MARKINGS)]],
                "status": "active",
                "long_term": index % 5 == 0,
                "owner": parties[-1],
                "members": parties,
                "start": f"{first_year}-01",
                "end": f"{last_year}-12-31",
                "participants": {"total": 18 + index % 12 + index % 10, "women": 10 + index % 12, "men": 8 + index % 10},
                "utilization": "0.9",
                "target_group": "Personer 18–64 år som behöver samordnat stöd från minst två parter för att komma "
                "närmare arbete eller studier.",
                "description": (
                    f"Insatsen ger stöd till deltagare i {MUNICIPALITIES[index % len(MUNICIPALITIES)]} med handledare "
                    "från flera parter. Deltagarna får ett gemensamt kartläggningssamtal, en plan och stöd på vägen.\n\n"
                    "Insatsen följs upp varje tertial i styrelsen.\n- Kartläggning\n- Praktik hos arbetsgivare\n"
                    "- Uppföljning efter avslut"
                ),
                "goals": [
                    "Minst 40 procent av deltagarna går vidare till arbete eller studier",
                    "Deltagarna upplever ökad livskvalitet",
                    "Samverkan mellan parterna blir en del av ordinarie verksamhet",
                ],
                "indicators": ["Andel till arbete eller studier", "Stegförflyttning mätt med SKAPA"],
            }
        )
        costs.append(
            {
                "id": slug,
                "label": f"Insats {index}",
                "group": "intervention",
                "intervention": slug,
                "amounts": {column: per_intervention + 1_000 * (step % 3) for step, column in enumerate(column_ids)},
            }
        )
    costs.append(
        {"id": "reserv", "label": "Reserv för nya insatser", "group": "reserve", "amounts": {c: 150_000 for c in column_ids}}
    )
    for slug, label, amount in [
        ("utbildning", "Utbildning och konferenser", 60_000),
        ("uppfoljning", "Uppföljning och utvärdering", 90_000),
    ]:
        costs.append({"id": slug, "label": label, "group": "operations", "amounts": {c: amount for c in column_ids}})
    for slug, label, amount in [
        ("kansli", "Kansli", 700_000),
        ("styrelse", "Styrelse", 60_000),
        ("revision", "Revision", 50_000),
        ("ekonomi", "Ekonomitjänster", 90_000),
    ]:
        costs.append({"id": slug, "label": label, "group": "administration", "amounts": {c: amount for c in column_ids}})

    sections = [
        {
            "heading": f"{number}. {heading}",
            "body": "Förbundet arbetar för att personer i behov av samordnat stöd ska komma närmare arbete. "
            "Parterna planerar insatserna tillsammans och följer upp dem varje tertial.\n\n"
            "Arbetet under året inriktas på följande:\n- Uppföljning med deltagarnas röst\n"
            "- Gemensam kompetensutveckling\n- Långsiktiga verksamheter i stället för korta projekt",
        }
        for number, heading in enumerate(
            ["Inledning", "Uppdrag", "Vision och mål", "Målgrupper", "Organisation", "Uppföljning", "Ekonomi"],
            start=1,
        )
    ]
    return {
        "format": "finsam-plan/2",
        "federation": {
            "name": "Samordningsförbundet Mellanlänet",
            "short_name": "Mellanlänet",
            "vision": "Alla som kan arbeta ska få stöd att göra det",
            "goals": {"equity_floor": 1_000_000, "admin_share_max": 15, "intervention_share_min": 80},
        },
        "members": members,
        "plan": {
            "year": year,
            "last_year": last_year,
            "unit": "SEK",
            "status": "draft",
            "reference": "2024/17",
            "sections": sections,
        },
        "columns": column_data,
        "contributions": contributions,
        "income": [{"id": "ranta", "label": "Ränteintäkter", "kind": "other", "amounts": {c: 12_000 for c in column_ids}}],
        "costs": costs,
        "equity": {"opening": {"year": column_data[0]["year"], "amount": 1_500_000}},
        "interventions": intervention_data,
        "meetings": [
            {"date": f"{year}-{month:02d}-15", "body": body, "topic": topic}
            for month, body, topic in [
                (2, "board", "Årsredovisning och verksamhetsberättelse"),
                (3, "members", "Medlemssamråd"),
                (4, "preparatory", "Behovsanalys"),
                (5, "board", "Tertialrapport 1"),
                (6, "presidium", "Beredning inför hösten"),
                (9, "board", "Tertialrapport 2"),
                (10, "preparatory", "Nya insatser"),
                (11, "board", "Verksamhetsplan och budget"),
            ]
        ],
        "activities": [
            {"name": "Utbildningsdag för styrelse och beredningsgrupp", "when": "Våren", "responsible": "Förbundschef", "follow_up": "Styrelsemöte"},
            {"name": "Gemensam konferens", "when": "Hösten", "responsible": "Beredningsgruppen", "follow_up": "Utvärdering"},
        ],
    }


def synthetic_plan_document(**options) -> PlanDocument:
    return read_plan_data(synthetic_plan_data(**options))
