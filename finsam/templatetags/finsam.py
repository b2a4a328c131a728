"""Template filters for Swedish numbers: {{ value|amount }} -> 8 054 000, {{ share|percent }} -> 9,6 %."""

from decimal import Decimal

from django import template

from finsam.lib.formatting import format_number, format_percent

register = template.Library()


@register.filter
def amount(value, places=2):
    """An amount in the plan's unit, Swedish style; empty for no amount."""
    if value is None or value == "":
        return ""
    return format_number(Decimal(value), int(places))


@register.filter
def percent(value, places=1):
    if value is None or value == "":
        return ""
    return format_percent(Decimal(value), int(places))
