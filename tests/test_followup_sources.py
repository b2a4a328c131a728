"""Outcome into a follow-up from each source: SIE 4 (with and without accounting
objects), CSV (semicolon and comma), Excel and typing, through the services and the
`import_outcome` command; the account mapping file; hostile files."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from budgets.models import BudgetLine
from followup import services
from followup.models import AccountMapping, FollowUp, Outcome
from followup.outcome_files import (
    MAPPING_HEADER,
    OUTCOME_HEADER,
    FileRefused,
    mapping_csv,
    outcome_from_sie,
    outcome_from_table,
    read_mapping_rows,
    read_table,
)
from followup.sie import SieRefused, read_sie

pytestmark = pytest.mark.django_db

YEAR_START = date(2025, 1, 1)
TERTIAL_1 = date(2025, 4, 30)

BOOKS = """#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#RAR 0 20250101 20251231
#KONTO 3911 "Bidrag Habo kommun"
#KONTO 4010 "Insatskostnader"
#KONTO 5410 "Förbrukningsinventarier \\"små\\" åäö"
#KONTO 1930 "Företagskonto"
#OBJEKT 1 "100" "Enter"
#VER A 1 20250115 "Bidrag"
{
#TRANS 1930 {} 100000.00
#TRANS 3911 {} -100000.00
}
#VER A 2 20250220 "Kontor"
{
#TRANS 5410 {} 25000.50 20250220 "Stol"
#TRANS 1930 {} -25000.50
}
#VER A 3 20250310 "Enter"
{
#TRANS 4010 {1 "100"} 12000.00
#TRANS 4010 {} 500.00
#TRANS 1930 {} -12500.00
}
#VER A 4 20250505 "Efter tertialet"
{
#TRANS 5410 {} 999.00
#TRANS 1930 {} -999.00
}
#VER A 5 20250506 "Sent bokförd, daterad i april"
{
#TRANS 5410 {} 4000.00 20250425
#TRANS 1930 {} -4000.00 20250425
}
"""


def sie(text: str) -> bytes:
    return text.encode("cp437")


def line(plan, slug, section=None):
    lines = plan.lines.filter(slug=slug)
    if section:
        lines = lines.filter(section=section)
    return lines.get()


def map_accounts(plan, mapping: dict[str, str]):
    for account, slug in mapping.items():
        target = line(plan, slug)
        AccountMapping.objects.create(
            federation=plan.federation, account=account, line_section=target.section, line_slug=target.slug
        )


def stored(follow_up) -> dict[str, Decimal]:
    return {row.line.slug: row.amount for row in Outcome.objects.filter(follow_up=follow_up).select_related("line")}


@pytest.fixture
def plan(seed_plans):
    return seed_plans["sodra-vatterbygden"]


@pytest.fixture
def follow_up(plan):
    return services.open_follow_up(plan=plan, period_end=TERTIAL_1)


# ---------------------------------------------------------------------------
# Opening a period


def test_it_opens_a_period_of_an_adopted_plan(plan):
    follow_up = services.open_follow_up(plan=plan, period_end=date(2025, 8, 31))
    assert FollowUp.objects.get(pk=follow_up.pk).period_end == date(2025, 8, 31)
    assert follow_up.version == 1


def test_it_refuses_a_draft_a_date_outside_the_year_and_a_second_period_with_the_same_end(seed_plans, plan, follow_up):
    with pytest.raises(services.FollowUpRefused) as draft:
        services.open_follow_up(plan=seed_plans["hoglandet"], period_end=date(2023, 4, 30))
    assert draft.value.message == "Bara en fastställd plan kan följas upp."
    with pytest.raises(services.FollowUpRefused) as outside:
        services.open_follow_up(plan=plan, period_end=date(2026, 4, 30))
    assert outside.value.message == "Slutdatumet ska ligga i planens budgetår 2025."
    with pytest.raises(services.FollowUpRefused) as twice:
        services.open_follow_up(plan=plan, period_end=TERTIAL_1)
    assert twice.value.message == "Det finns redan en uppföljning till och med 2025-04-30."
    assert FollowUp.objects.filter(plan=plan).count() == 1


# ---------------------------------------------------------------------------
# SIE


def test_sie_sums_per_account_over_the_period_by_transaction_date():
    books = read_sie(sie(BOOKS), period_start=YEAR_START, period_end=TERTIAL_1)
    sums = books.account_sums()
    # 5410: 25 000,50 in February and 4 000 dated in April on a voucher of May; not the 999 of May.
    assert sums == {"3911": Decimal("-100000.00"), "5410": Decimal("29000.50"), "4010": Decimal("12500.00")}
    assert books.balance_accounts == {"1930"}
    assert books.accounts["5410"] == 'Förbrukningsinventarier "små" åäö'
    assert books.objects == {"objekt:1:100": "Enter"}


def test_sie_without_objects_gives_costs_and_contributions_as_positive_amounts(plan, follow_up):
    map_accounts(plan, {"3911": "habo", "5410": "kansli", "4010": "kansli"})
    books = read_sie(sie(BOOKS), period_start=YEAR_START, period_end=TERTIAL_1)
    result = outcome_from_sie(plan, books, services.account_mappings(plan.federation))
    assert result.unmapped == []
    services.outcome_replace(follow_up=follow_up, amounts=result.amounts, source="sie", seen_version=1)
    assert stored(follow_up) == {"habo": Decimal("100000.00"), "kansli": Decimal("41500.50")}


def test_sie_objects_send_their_transactions_to_the_objects_line(plan, follow_up):
    map_accounts(plan, {"3911": "habo", "5410": "kansli", "4010": "kansli", "objekt:1:100": "enter"})
    books = read_sie(sie(BOOKS), period_start=YEAR_START, period_end=TERTIAL_1)
    result = outcome_from_sie(plan, books, services.account_mappings(plan.federation))
    amounts = {BudgetLine.objects.get(pk=pk).slug: amount for pk, amount in result.amounts.items()}
    assert amounts == {"habo": Decimal("100000.00"), "kansli": Decimal("29500.50"), "enter": Decimal("12000.00")}


def test_sie_accounts_without_a_mapping_are_listed_with_their_names_and_sums(plan):
    map_accounts(plan, {"3911": "habo"})
    books = read_sie(sie(BOOKS), period_start=YEAR_START, period_end=TERTIAL_1)
    result = outcome_from_sie(plan, books, services.account_mappings(plan.federation))
    assert result.unmapped == [
        ("4010", "Insatskostnader", Decimal("12500.00")),
        ("5410", 'Förbrukningsinventarier "små" åäö', Decimal("29000.50")),
    ]


def test_a_tkr_plan_gets_thousands_and_is_told_what_was_rounded(seed_plans):
    plan = seed_plans["harnosand-timra"]
    map_accounts(plan, {"5410": "lokalkostnader"})
    text = '#KONTO 5410 "Lokal"\n#VER A 1 20170110 ""\n{\n#TRANS 5410 {} 1234.56\n}\n'
    books = read_sie(sie(text), period_start=date(2017, 1, 1), period_end=date(2017, 4, 30))
    result = outcome_from_sie(plan, books, services.account_mappings(plan.federation))
    assert list(result.amounts.values()) == [Decimal("1.235")]
    assert result.notes == ["1 belopp avrundades till 3 decimaler i tkr, t.ex. Lokalkostnader: 1,23456 blev 1,235."]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('#VER A 1 20250110 ""\n{\n#TRANS 5410 {} 12,50\n}\n', "Rad 3: beloppet ”12,50” är inget belopp (t.ex. -1250.50)."),
        ('#VER A 1 20250110 ""\n{\n#TRANS 5410 {} abc\n}\n', "Rad 3: beloppet ”abc” är inget belopp (t.ex. -1250.50)."),
        ('#VER A 1 2025-01-10 ""\n{\n}\n', "Rad 1: verifikationsdatumet ”2025-01-10” är inget datum (ÅÅÅÅMMDD)."),
        ('#VER A 1 20250110 ""\n{\n#TRANS 5410 {1} 10.00\n}\n', "Rad 3: objektlistan ska ha par av dimension och objekt."),
        ('#KONTO 5410 "Hyra\n', "Rad 1: ett citattecken stängs aldrig."),
        ('#TRANS 5410 {} 10.00\n', "Rad 1: #TRANS utanför en verifikation (#VER)."),
        ('#VER A 1 20250110 ""\n{\n#TRANS 5410 {} 10.00\n', "Filen slutar mitt i en verifikation: en { stängs aldrig."),
        ("hello world\n", "Rad 1: raden börjar inte med en etikett som #TRANS."),
        ("\n\n", "Filen är ingen SIE-fil: den har inga rader som #KONTO eller #VER."),
    ],
)
def test_a_sie_file_that_cannot_be_read_is_refused_naming_the_line(text, message):
    with pytest.raises(SieRefused) as refusal:
        read_sie(sie(text), period_start=YEAR_START, period_end=TERTIAL_1)
    assert refusal.value.message == message


def test_binary_utf8_and_huge_sie_files_are_refused(monkeypatch):
    with pytest.raises(SieRefused) as binary:
        read_sie(b"PK\x03\x04\x00\x00garbage", period_start=YEAR_START, period_end=TERTIAL_1)
    assert binary.value.message == "Filen är ingen SIE-fil (den innehåller binära data)."
    with pytest.raises(SieRefused) as utf8:
        read_sie("\ufeff#KONTO 5410 \"Hyra\"\n".encode("utf-8"), period_start=YEAR_START, period_end=TERTIAL_1)
    assert utf8.value.message == "Filen är sparad som UTF-8; en SIE-fil ska vara i teckenkodningen PC8 (CP437)."
    with pytest.raises(SieRefused) as without_mark:
        read_sie('#KONTO 5410 "Förbrukning"\n'.encode("utf-8"), period_start=YEAR_START, period_end=TERTIAL_1)
    assert without_mark.value.message == utf8.value.message
    monkeypatch.setattr("followup.sie.SIE_MAX_BYTES", 1000)
    with pytest.raises(SieRefused) as huge:
        read_sie(b"#KONTO 5410 x\n" * 100, period_start=YEAR_START, period_end=TERTIAL_1)
    assert huge.value.message == "Filen är för stor: högst 0 MB för en SIE-fil."


def test_a_file_without_vouchers_gives_the_years_result_balances():
    books = read_sie(sie("#RES 0 5410 800.00\n#RES -1 5410 700.00\n#RES 0 2099 -5.00\n"), period_start=YEAR_START, period_end=TERTIAL_1)
    assert books.from_year_results
    assert books.account_sums() == {"5410": Decimal("800.00")}


def test_a_large_sie_file_is_summed_exactly(plan):
    # 5 000 vouchers of two transactions, the benchmark's shape at a tenth of its size.
    parts = ['#KONTO 5410 "Hyra"\n#OBJEKT 1 "100" "Enter"\n']
    for number in range(5000):
        day = 1 + number % 28
        parts.append(f'#VER A {number} 202503{day:02d} "v{number}"\n{{\n#TRANS 5410 {{1 "100"}} 10.01\n#TRANS 1930 {{}} -10.01\n}}\n')
    books = read_sie(sie("".join(parts)), period_start=YEAR_START, period_end=TERTIAL_1)
    assert books.transactions == 10000
    assert books.account_sums()["5410"] == Decimal("50050.00")


# ---------------------------------------------------------------------------
# CSV and Excel


def test_csv_with_semicolons_and_decimal_commas_names_lines_by_id_or_label(plan, follow_up):
    raw = "rad;belopp\nkansli;12 500,50\nJönköpings kommun;1 000 000\n".encode("utf-8")
    result = outcome_from_table(plan, read_table(raw, "utfall.csv", header=OUTCOME_HEADER, max_rows=100), "utfall.csv")
    services.outcome_replace(follow_up=follow_up, amounts=result.amounts, source="file", seen_version=1)
    assert stored(follow_up) == {"kansli": Decimal("12500.50"), "jonkoping": Decimal("1000000")}


def test_comma_separated_csv_in_windows_1252_is_read(plan):
    raw = 'rad,belopp\nstyrelse,"1 250,5"\nMullsjö kommun,300\n'.encode("cp1252")
    result = outcome_from_table(plan, read_table(raw, "u.csv", header=OUTCOME_HEADER, max_rows=100), "u.csv")
    assert {BudgetLine.objects.get(pk=pk).slug: amount for pk, amount in result.amounts.items()} == {
        "styrelse": Decimal("1250.5"),
        "mullsjo": Decimal("300"),
    }


def test_excel_outcome_is_read_with_number_and_text_cells(plan):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["rad", "belopp"])
    sheet.append(["kansli", 12500.5])
    sheet.append(["Enter", "3 000"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = outcome_from_table(plan, read_table(buffer.getvalue(), "u.xlsx", header=OUTCOME_HEADER, max_rows=100), "u.xlsx")
    assert {BudgetLine.objects.get(pk=pk).slug: amount for pk, amount in result.amounts.items()} == {
        "kansli": Decimal("12500.5"),
        "enter": Decimal("3000"),
    }


def test_table_problems_are_all_named_by_file_row_and_column(plan):
    raw = "rad;belopp\nkansli;12.500,50\nfinns-inte;10\nkansli;5\n".encode("utf-8")
    with pytest.raises(FileRefused) as refusal:
        outcome_from_table(plan, read_table(raw, "u.csv", header=OUTCOME_HEADER, max_rows=100), "u.csv")
    assert refusal.value.problems == [
        "u.csv rad 2, kolumn belopp: ”12.500,50”: Bara ett decimaltecken: skriv tusental med mellanslag, t.ex. 1 250 000,50.",
        "u.csv rad 3, kolumn rad: planen har ingen rad ”finns-inte”.",
        "u.csv rad 4, kolumn rad: raden ”kansli” finns redan på rad 2.",
    ]


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"konto;belopp\nx;1\n", "u.csv rad 1: rubrikraden ska vara rad;belopp."),
        (b"", "u.csv: filen är tom."),
        (b"rad;belopp\nkansli;1;2\n", "u.csv rad 2: raden ska ha två kolumner, rad;belopp."),
        (b"rad;belopp\n" + b"kansli;1\n" * 101, "u.csv: filen har fler än 100 rader."),
        (b"PK\x03\x04garbage", "u.csv: Filen är ingen Excel-fil (.xlsx). Spara den som Excel-arbetsbok och försök igen."),
    ],
)
def test_unusable_tables_are_refused(raw, problem):
    with pytest.raises(FileRefused) as refusal:
        read_table(raw, "u.csv", header=OUTCOME_HEADER, max_rows=100)
    assert refusal.value.problems == [problem]


# ---------------------------------------------------------------------------
# Replacing and versions


def test_reimporting_replaces_the_periods_outcome(plan, follow_up):
    first = {line(plan, "kansli").pk: Decimal("100"), line(plan, "enter").pk: Decimal("200")}
    services.outcome_replace(follow_up=follow_up, amounts=first, source="file", seen_version=1)
    services.outcome_replace(follow_up=follow_up, amounts=first, source="file", seen_version=2)
    assert stored(follow_up) == {"kansli": Decimal("100"), "enter": Decimal("200")}
    services.outcome_replace(follow_up=follow_up, amounts={line(plan, "enter").pk: Decimal("250")}, source="sie", seen_version=3)
    assert stored(follow_up) == {"enter": Decimal("250")}
    assert FollowUp.objects.get(pk=follow_up.pk).version == 4


def test_a_write_from_an_older_version_changes_nothing(plan, follow_up):
    services.outcome_replace(follow_up=follow_up, amounts={line(plan, "kansli").pk: Decimal("1")}, source="typed", seen_version=1)
    with pytest.raises(services.StaleFollowUp):
        services.outcome_replace(follow_up=follow_up, amounts={}, source="typed", seen_version=1)
    assert stored(follow_up) == {"kansli": Decimal("1")}


# ---------------------------------------------------------------------------
# The mapping file


def test_the_mapping_file_is_read_and_written_back_the_same(plan):
    raw = "konto;rad\n5410;kansli\nobjekt:1:100;Enter\n3911;Habo kommun\n".encode("utf-8")
    changes = read_mapping_rows(plan, read_table(raw, "k.csv", header=MAPPING_HEADER, max_rows=100), "k.csv")
    services.account_mappings_update(federation=plan.federation, changes=changes)
    assert sorted(AccountMapping.objects.values_list("account", "line_section", "line_slug")) == [
        ("3911", "contribution", "habo"),
        ("5410", "cost", "kansli"),
        ("objekt:1:100", "cost", "enter"),
    ]
    assert mapping_csv(plan, services.account_mappings(plan.federation)) == (
        "konto;rad\r\n3911;habo\r\n5410;kansli\r\nobjekt:1:100;enter\r\n"
    )


def test_a_mapping_file_with_problems_changes_nothing(plan):
    map_accounts(plan, {"5410": "kansli"})
    raw = "konto;rad\n5410;styrelse\nhyra;kansli\n6000;ingen-sadan\n".encode("utf-8")
    with pytest.raises(FileRefused) as refusal:
        read_mapping_rows(plan, read_table(raw, "k.csv", header=MAPPING_HEADER, max_rows=100), "k.csv")
    assert refusal.value.problems == [
        "k.csv rad 3, kolumn konto: ”hyra” är inget kontonummer eller objekt:<dimension>:<id>.",
        "k.csv rad 4, kolumn rad: planen har ingen rad ”ingen-sadan”.",
    ]
    assert list(AccountMapping.objects.values_list("account", "line_slug")) == [("5410", "kansli")]


# ---------------------------------------------------------------------------
# The command


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_outcome", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    except Exception as error:  # CommandError carries its exit status
        code = getattr(error, "returncode", None)
        err.write(str(error))
    return code, out.getvalue(), err.getvalue()


def test_the_command_imports_sie_with_a_mapping_file_and_exits_0(plan, tmp_path):
    books = tmp_path / "bok.se"
    books.write_bytes(sie(BOOKS))
    mapping = tmp_path / "konton.csv"
    mapping.write_text("konto;rad\n3911;habo\n5410;kansli\n4010;kansli\nobjekt:1:100;enter\n", encoding="utf-8")
    code, out, _err = run("sodra-vatterbygden", "2025", str(books), "--to", "2025-04-30", "--mapping", str(mapping))
    assert code == 0
    assert "outcome of 3 lines stored from bok.se" in out
    follow_up = FollowUp.objects.get(plan=plan, period_end=TERTIAL_1)
    assert stored(follow_up) == {"habo": Decimal("100000.00"), "kansli": Decimal("29500.50"), "enter": Decimal("12000.00")}
    assert follow_up.source == "sie"


def test_the_command_exits_1_naming_unmapped_accounts_and_stores_nothing(plan, tmp_path):
    books = tmp_path / "bok.se"
    books.write_bytes(sie(BOOKS))
    mapping = tmp_path / "konton.csv"
    mapping.write_text("konto;rad\n3911;habo\n", encoding="utf-8")
    code, _out, err = run("sodra-vatterbygden", "2025", str(books), "--to", "2025-04-30", "--mapping", str(mapping))
    assert code == 1
    assert "4010 Insatskostnader 12500.00" in err
    assert "5410" in err
    assert not FollowUp.objects.filter(plan=plan).exists()
    assert not AccountMapping.objects.exists()


def test_the_command_exits_2_for_unusable_input(plan, tmp_path):
    table = tmp_path / "u.csv"
    table.write_text("rad;belopp\nkansli;100\n", encoding="utf-8")
    assert run("hoglandet", "2023", str(table), "--to", "2023-04-30")[0] == 2
    assert run("sodra-vatterbygden", "2025", str(table), "--to", "30/4")[0] == 2
    assert run("sodra-vatterbygden", "2025", str(table), "--to", "2026-04-30")[0] == 2
    assert run("sodra-vatterbygden", "2025", str(tmp_path / "missing.csv"), "--to", "2025-04-30")[0] == 2
    broken = tmp_path / "bok.se"
    broken.write_bytes(b'#VER A 1 20250110 ""\n{\n#TRANS 5410 {} 1,5\n}\n')
    code, _out, err = run("sodra-vatterbygden", "2025", str(broken), "--to", "2025-04-30")
    assert code == 2
    assert "bok.se: Rad 3: beloppet ”1,5” är inget belopp (t.ex. -1250.50)." in err
    assert not Outcome.objects.exists()


def test_the_command_imports_a_table_and_exits_1_for_a_bad_amount(plan, tmp_path):
    table = tmp_path / "u.csv"
    table.write_text("rad;belopp\nkansli;100\n", encoding="utf-8")
    assert run("sodra-vatterbygden", "2025", str(table), "--to", "2025-04-30")[0] == 0
    follow_up = FollowUp.objects.get(plan=plan)
    assert stored(follow_up) == {"kansli": Decimal("100")}
    table.write_text("rad;belopp\nkansli;100 kr\n", encoding="utf-8")
    code, _out, err = run("sodra-vatterbygden", "2025", str(table), "--to", "2025-04-30")
    assert code == 1
    assert "u.csv rad 2, kolumn belopp: ”100 kr”" in err
    assert stored(follow_up) == {"kansli": Decimal("100")}
