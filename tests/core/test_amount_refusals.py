"""What the amount parser says when it refuses a value: the code and the whole
Swedish message, for each reason, and the minus sign typed alone."""

from decimal import Decimal

import pytest

from finsam.lib.numbers import NumberRefused, parse_amount

pytestmark = pytest.mark.core


@pytest.mark.parametrize(
    "text, decimals, code, message",
    [
        ("", 2, "empty", "Ange ett tal."),
        ("45 000\n46 000", 2, "two_numbers", "Två tal i samma cell: skriv ett tal per ruta, utan radbrytning eller tabb."),
        ("12\tkr", 2, "characters", "Bara siffror, mellanslag mellan tusental och decimalkomma, t.ex. 1 250 000,50."),
        ("+5", 2, "plus", "Skriv talet utan plustecken."),
        ("1,25 mkr", 2, "characters", "Bara siffror, mellanslag mellan tusental och decimalkomma, t.ex. 1 250 000,50."),
        ("1.250.000", 2, "decimal_marks", "Bara ett decimaltecken: skriv tusental med mellanslag, t.ex. 1 250 000,50."),
        ("12,", 2, "no_decimals", "Skriv decimalerna efter kommat, eller ta bort kommat."),
        (",5", 2, "no_whole", "Skriv en siffra före decimalkommat, t.ex. 0,5."),
        ("1 250 ,50", 2, "spacing", "Inget mellanslag vid decimalkommat, t.ex. 1 250,50."),
        ("12,5", 0, "decimals", "Ange ett heltal, utan decimaler."),
        ("12,55", 1, "decimals", "Högst 1 decimal."),
        ("12,555", 2, "decimals", "Högst 2 decimaler."),
        # A minus sign alone or before a lone mark is read like any other value.
        ("-", 2, "characters", "Bara siffror, mellanslag mellan tusental och decimalkomma, t.ex. 1 250 000,50."),
        ("\u2212", 2, "characters", "Bara siffror, mellanslag mellan tusental och decimalkomma, t.ex. 1 250 000,50."),
        ("-,", 2, "no_decimals", "Skriv decimalerna efter kommat, eller ta bort kommat."),
        ("- 200 000", 2, "spacing", "Inget mellanslag efter minustecknet, t.ex. −200 000."),
        ("1  250", 2, "spacing", "Ett mellanslag mellan tusentalen, t.ex. 1 250 000."),
        ("12 50", 2, "grouping", "Mellanslag bara mellan tusental, tre siffror i varje grupp, t.ex. 1 250 000."),
        ("1,5 0", 2, "characters", "Bara siffror, mellanslag mellan tusental och decimalkomma, t.ex. 1 250 000,50."),
    ],
)
def test_refusal_code_and_message(text, decimals, code, message):
    with pytest.raises(NumberRefused) as refused:
        parse_amount(text, decimals=decimals, allow_negative=True)

    assert (refused.value.code, str(refused.value.message), str(refused.value)) == (code, message, message)


def test_a_negative_number_where_none_is_allowed():
    # Negatives are refused unless asked for.
    for text in ("-5", "\u2212200 000"):
        with pytest.raises(NumberRefused) as refused:
            parse_amount(text, decimals=2)
        assert (refused.value.code, str(refused.value)) == ("negative", "Talet får inte vara negativt.")
    assert parse_amount("\u2212200 000", decimals=0, allow_negative=True) == Decimal(-200000)
