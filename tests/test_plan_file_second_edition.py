"""Reading `finsam-plan/2`: what the second edition adds, and what it refuses (pure, no database)."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from budgets.planfile import PlanFileError, plan_file_data, read_plan_data

pytestmark = pytest.mark.core

EVERY_KEY_PLAN = Path(__file__).resolve().parent / "plans" / "every-key.json"


def every_key() -> dict:
    return json.loads(EVERY_KEY_PLAN.read_text(encoding="utf-8"))


def problems_of(data: dict) -> list[str]:
    with pytest.raises(PlanFileError) as refusal:
        read_plan_data(data)
    return refusal.value.problems


def test_the_fixture_uses_every_key_of_the_format():
    document = read_plan_data(every_key())
    # Every optional key of every object is set somewhere in the fixture, except the
    # alternatives (a total contribution line).
    unset = set()

    def visit(model, path):
        for name in type(model).model_fields:
            value = getattr(model, name)
            if value is None:
                unset.add(f"{path}.{name}")
            for item in value if isinstance(value, list) else value.values() if isinstance(value, dict) else [value]:
                if hasattr(type(item), "model_fields"):
                    visit(item, f"{path}.{name}")

    visit(document, "")
    assert unset - {".contributions.id", ".contributions.label", ".contributions.member"} <= {
        ".costs.intervention",
        ".members.population",
        ".members.key_share",
        ".columns.label",
        ".meetings.topic",
        ".interventions.funding.share",
        ".stated.contributions",
        ".stated.income",
        ".stated.result",
        ".stated.closing_equity",
        ".adopted_copy.guidance.contributions_to",
        ".adopted_copy.guidance.valid_until",
    }


@pytest.mark.parametrize(
    "written, fraction, places, in_percent",
    [("16 %", "0.16", 2, True), ("16%", "0.16", 2, True), ("7.37 %", "0.0737", 4, True), ("16,5 %", "0.165", 3, True), ("0.16", "0.16", 2, False), ("0.50", "0.50", 2, False)],
)
def test_a_key_share_in_percent_is_read_as_a_fraction_printed_to_its_decimals(written, fraction, places, in_percent):
    data = every_key()
    data["members"][3]["key_share"] = written
    member = read_plan_data(data).members[3]

    assert member.key_share == Decimal(fraction)
    assert -member.key_share.as_tuple().exponent == places
    assert member.key_share_in_percent is in_percent


def test_a_key_share_in_percent_is_written_back_in_percent():
    data = plan_file_data(read_plan_data(every_key()))
    assert [member.get("key_share") for member in data["members"]][3:] == ["60 %", "0.40"]


def test_a_first_edition_file_is_read_as_a_second_edition_document():
    data = every_key()
    data["format"] = "finsam-plan/1"
    assert read_plan_data(data).format == "finsam-plan/2"


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda data: data["contributions"][0]["amounts"].update(b2026=-1), "contributions[0].amounts.b2026: -1 is negative; amounts are positive and the section gives the sign"),
        (lambda data: data["costs"][0]["amounts"].update(b2026="-0.01"), 'costs[0].amounts.b2026: "-0.01" is negative; amounts are positive and the section gives the sign'),
        (lambda data: data["contributions"].append({"id": "summa", "label": "Medlemsbidrag", "amounts": {}}), "contributions: lines per member and a total of all members cannot be mixed"),
        (lambda data: data["contributions"].append({"label": "Medlemsbidrag", "amounts": {}}), "contributions[5]: names a member, or gives an id and a label for a total of all members"),
        (lambda data: data["contributions"][0].update(label="FK"), "contributions[0].label: a member's contribution has no label; its member names it"),
        (lambda data: data["plan"].update(revises=2), "plan.revises: revision 2 is not before this plan's revision 2"),
        (lambda data: data["plan"].update(precision=0), "plan.precision: 0 is not above zero"),
        (lambda data: data["stated"]["b2026"]["subtotals"][0].update(groups=["intervention", "intervention"]), "stated.b2026.subtotals[0].groups: a group is listed twice"),
        (lambda data: data["stated"]["b2026"]["subtotals"][0].update(groups=["kansli"]), "stated.b2026.subtotals[0].groups[0]: \"kansli\" is not one of 'intervention', 'reserve', 'operations', 'administration' or 'unspecified'"),
        (lambda data: data["interventions"][0]["funding"].update(b2030={"granted": 1}), 'interventions[0].funding.b2030: "b2030" is not a column id'),
        (lambda data: data["interventions"][0]["funding"]["b2026"].update(share="1.5"), 'interventions[0].funding.b2026.share: "1.5" is not a fraction between 0 and 1'),
        (lambda data: data["members"][3].update(key_share="160 %"), 'members[3].key_share: "160 %" is not a percentage between 0 and 100'),
        (lambda data: data.update(adopted_copy=[1]), "adopted_copy: expected an object, got [1]"),
        (lambda data: data["plan"].update(status="draft"), 'adopted_copy: only an adopted plan keeps a copy of shared data; plan.status is "draft"'),
        (lambda data: data["plan"].pop("status"), "adopted_copy: only an adopted plan keeps a copy of shared data; plan.status is null"),
        (lambda data: data["adopted_copy"]["federation"].pop("website"), "adopted_copy.federation.website: is required"),
        (lambda data: data["adopted_copy"]["federation"].update(vision=None), "adopted_copy.federation.vision: expected text, got null"),
        (lambda data: data["adopted_copy"]["federation"].update(org_number="2220001234"), 'adopted_copy.federation.org_number: "2220001234" is not empty or NNNNNN-NNNN'),
        (lambda data: data["adopted_copy"].update(colour="blå"), "adopted_copy.colour: is not a known key"),
        (lambda data: data["adopted_copy"].pop("markings"), "adopted_copy.markings: is required"),
        (lambda data: data["adopted_copy"]["categories"].update({"Förberedande insatser": 5}), 'adopted_copy.categories["Förberedande insatser"]: expected text, got 5'),
        (lambda data: data["adopted_copy"]["categories"].update(Arbetsträning="Arbetsträning"), 'adopted_copy.categories["Arbetsträning"]: "Arbetsträning" is not the sus_category of an intervention'),
        (lambda data: data["adopted_copy"]["markings"].update(ESF="ESF"), 'adopted_copy.markings.ESF: "ESF" is not a marking of an intervention'),
        (lambda data: data["adopted_copy"]["guidance"].update({"2030": None}), 'adopted_copy.guidance.2030: "2030" is not the year of a column'),
        (lambda data: data["adopted_copy"]["guidance"]["2024"].update(ceiling_percent=20), 'adopted_copy.guidance.2024.ceiling_percent: 20 is not a number written as text ("20.000")'),
        (lambda data: data["adopted_copy"]["guidance"]["2024"].update(valid_from="2013-13-01"), 'adopted_copy.guidance.2024.valid_from: "2013-13-01" is not a date (YYYY-MM-DD)'),
        (lambda data: data["adopted_copy"]["guidance"]["2024"].pop("contributions_to"), "adopted_copy.guidance.2024.contributions_to: is required"),
        (lambda data: data["adopted_copy"]["guidance"].update({"2025": "20 %"}), 'adopted_copy.guidance.2025: expected an object, got "20 %"'),
    ],
)
def test_second_edition_refusals(change, problem):
    data = copy.deepcopy(every_key())
    change(data)
    assert problem in problems_of(data)


def test_an_adopted_plan_s_copy_is_read_and_written_back_as_it_is():
    data = every_key()
    document = read_plan_data(data)

    assert document.adopted_copy.markings == {"LTS PRIO": "Långtidssjukskrivna PRIO", "Unga AE PRIO": "Unga AE PRIO"}
    assert document.adopted_copy.guidance["2027"] is None
    assert plan_file_data(document)["adopted_copy"] == data["adopted_copy"]


def test_negative_other_income_is_read():
    document = read_plan_data(every_key())
    assert document.income[1].amounts["u2024"] == Decimal("-1250.50")
