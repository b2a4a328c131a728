"""The English interface: a browser that asks for English gets the catalogue in
locale/en, and everyone else keeps Swedish, the language of the source strings."""

import ast
import gettext
import html
import re
from pathlib import Path

import pytest
from django.urls import reverse

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def visible_text(response) -> str:
    """The page's text as a reader sees it: no tags, entities decoded, spaces collapsed."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page)).strip()


def element_text(response, element_id: str) -> str:
    """The visible text of the element with `element_id` (an element without nested namesakes)."""
    page = response.content.decode()
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', page, flags=re.S)
    assert match, f"no element #{element_id}"
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", match.group(2)))).strip()


# ---------------------------------------------------------------------------
# Pages


def test_login_page_is_english_for_a_browser_that_asks_for_english(client):
    response = client.get(reverse("login"), **ENGLISH)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
    text = visible_text(response)
    assert "Log in" in text
    assert "Username" in text
    assert "Password" in text
    assert "Logga in" not in text and "Lösenord" not in text


def test_login_page_is_swedish_by_default(client):
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "sv"
    text = visible_text(response)
    assert "Logga in" in text
    assert "Användarnamn" in text
    assert "Lösenord" in text
    assert "Username" not in text


def test_plan_page_in_english(client_for, personas):
    client = client_for("chief_a")
    response = client.get(reverse("budgets:plan", args=[personas["plan_a"].pk]), **ENGLISH)
    assert response.status_code == 200
    assert element_text(response, "findings-heading") == "Checks 0 errors 0 warnings"
    assert element_text(response, "lifecycle-heading") == "Decision and next steps"
    text = visible_text(response)
    assert "Södra Vätterbygden: activity plan 2025" in text
    assert "Adopted 2024-11-20" in text
    assert "No errors or warnings: the totals add up and the plan follows the rules." in text
    for label in (
        "The state (Försäkringskassan and Arbetsförmedlingen)",
        "Municipalities",
        "Total member contributions",
        "Total income",
        "Reserve for new interventions",
        "Total interventions",
        "Total costs",
        "Result for the year",
        "Equity at start of year",
        "Equity at end of year",
        "Administration's share of costs",
        "Interventions and collaboration, share of costs",
    ):
        assert label in text, label
    for swedish in ("Kontroller", "Summa medlemsbidrag", "Årets resultat", "Fastställd", "verksamhetsplan"):
        assert swedish not in text, swedish


def test_plan_page_is_swedish_by_default(client_for, personas):
    client = client_for("chief_a")
    response = client.get(reverse("budgets:plan", args=[personas["plan_a"].pk]))
    assert element_text(response, "findings-heading") == "Kontroller 0 fel 0 varningar"
    text = visible_text(response)
    assert "Södra Vätterbygden: verksamhetsplan 2025" in text
    assert "Summa medlemsbidrag" in text
    assert "Eget kapital vid årets slut" in text
    assert "Total member contributions" not in text


def test_edit_page_in_english(client_for, personas):
    client = client_for("chief_b")
    response = client.get(reverse("edit:contributions", args=[personas["plan_b"].pk]), **ENGLISH)
    assert response.status_code == 200
    text = visible_text(response)
    assert "Member contributions by column" in text
    assert "Höglandet, activity plan 2023 · Revision 1 · Draft · amounts in kronor" in text
    assert (
        "Overview Federation and plan Members Columns Budget Member contributions Income and costs "
        "Interventions Chapters Meetings Activities"
    ) in text
    assert "Amounts in kr, written as 1 250 000 or 1 250 000,50. Empty box: no amount." in text
    assert "Save the member contributions" in text
    assert "Split between the parties" in text
    assert "Fill in the municipalities' contributions from the municipal key" in text
    # Form labels and choices come from Python, not the template.
    assert "Allocate by" in text
    assert "fixed shares (each municipality's share in the key)" in text
    assert "Municipalities' total amount" in text
    assert "Spara" not in text and "Medlemsbidrag per kolumn" not in text


def test_validator_messages_in_english(client_for, seed_plans):
    client = client_for("superuser")
    response = client.get(reverse("budgets:plan", args=[seed_plans["sjuharad"].pk]), **ENGLISH)
    assert response.status_code == 200
    assert element_text(response, "findings-heading") == "Checks 2 errors 3 warnings"
    text = visible_text(response)
    assert (
        "The 50/25/25 split (error) SPLIT 2021: the state's share is 47,46 % (9 032 tkr), should be 50 % (10 000 tkr), "
        "reckoned on the region's share 26,27 % (5 000 tkr) and the municipalities' share 26,27 % (5 000 tkr). "
        "Rounding does not explain the difference."
    ) in text
    assert (
        "A total that does not add up (error) STATED_TOTAL 2022: the result for the year is stated as −573 tkr "
        "but income minus costs gives 395 tkr (difference 968 tkr)."
    ) in text
    assert (
        "Municipal key (warning) MUNICIPAL_KEY 2021: Mark pays 770 tkr, 15,4 % of the municipalities' 5 000 tkr; "
        "by the municipal key (16 %) it should be 800 tkr."
    ) in text
    assert "The plan has 2 errors and cannot be adopted until they have been corrected." in text
    assert "Adopted by the board on" in text
    assert "statens andel" not in text


def test_validator_messages_are_swedish_by_default(client_for, seed_plans):
    client = client_for("superuser")
    response = client.get(reverse("budgets:plan", args=[seed_plans["sjuharad"].pk]))
    text = visible_text(response)
    assert (
        "Fördelningen 50/25/25 (fel) SPLIT 2021: statens andel är 47,46 % (9 032 tkr), ska vara 50 % (10 000 tkr), "
        "räknat på regionens andel 26,27 % (5 000 tkr) och kommunernas andel 26,27 % (5 000 tkr). "
        "Avrundning förklarar inte skillnaden."
    ) in text
    assert "the state's share" not in text


# ---------------------------------------------------------------------------
# The catalogue


def _po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr (or msgstr[n]) and flags."""
    entries, entry, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    return [entry for entry in _po_entries(LOCALE_DIR / "django.po") if entry.get("msgid")]


def test_every_message_is_translated(catalogue):
    assert len(catalogue) > 600
    untranslated = [
        entry["msgid"]
        for entry in catalogue
        if not all(value for key, value in entry.items() if key.startswith("msgstr"))
    ]
    fuzzy = [entry["msgid"] for entry in catalogue if "fuzzy" in entry.get("flags", ())]
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_their_placeholders(catalogue):
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in catalogue:
        source = entry.get("msgid_plural", entry["msgid"])
        target = entry.get("msgstr[1]", entry.get("msgstr"))
        assert sorted(placeholder.findall(source)) == sorted(placeholder.findall(target)), entry["msgid"]


def test_compiled_catalogue_matches_the_po_file(catalogue):
    with open(LOCALE_DIR / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    stale = []
    for entry in catalogue:
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            def plural(n, entry=entry, context=context):
                if context is None:
                    return translations.ngettext(entry["msgid"], entry["msgid_plural"], n)
                return translations.npgettext(context, entry["msgid"], entry["msgid_plural"], n)

            pairs = [(plural(1), entry["msgstr[0]"]), (plural(2), entry["msgstr[1]"])]
        elif context is None:
            pairs = [(translations.gettext(entry["msgid"]), entry["msgstr"])]
        else:
            pairs = [(translations.pgettext(context, entry["msgid"]), entry["msgstr"])]
        if any(compiled_text != po_text for compiled_text, po_text in pairs):
            stale.append(entry["msgid"])
    assert stale == [], "run compilemessages: django.mo is older than django.po"
