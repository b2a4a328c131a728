"""Money as Decimal: field sizes and unit conversion."""

from decimal import MAX_PREC, Context, Decimal

# Amounts up to 10^13 (more than 10^12 SEK) with four decimals: enough for öre
# in SEK plans and for fractions of a thousand in tkr plans.
AMOUNT_MAX_DIGITS = 17
AMOUNT_DECIMAL_PLACES = 4
AMOUNT_LIMIT = Decimal(10) ** (AMOUNT_MAX_DIGITS - AMOUNT_DECIMAL_PLACES)

UNIT_SEK = "SEK"
UNIT_TKR = "tkr"
UNIT_FACTORS = {UNIT_SEK: Decimal(1), UNIT_TKR: Decimal(1000)}


# As many digits as a Decimal can have: nothing computed in it is rounded.
_EXACT = Context(prec=MAX_PREC)


def plain(amount: Decimal) -> Decimal:
    """The amount without trailing zeros and without an exponent (1.5000 -> 1.5, 1E+3 -> 1000)."""
    # Exact at any size: in the default context (28 digits) longer numbers would be
    # rounded, or refused with InvalidOperation.
    if amount == amount.to_integral_value():
        return amount.quantize(Decimal(1), context=_EXACT)
    return amount.normalize(context=_EXACT)
