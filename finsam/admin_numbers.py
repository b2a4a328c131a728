"""The admin's read-only decimals the Swedish way: 427 809 and 26,27, not 427809,0000.

Django shows a read-only decimal field (a field of an adopted plan, a list
column naming a decimal field) with `formats.number_format` and all of the
field's decimal places, and offers no setting or hook for it; the two places
that call `display_for_field` get a version that formats decimals with
`format_number`, the formatting the pages and the PDF use.
"""

from decimal import Decimal

from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.db import models

from finsam.lib.formatting import format_number

_django_display_for_field = utils.display_for_field


def display_for_field(value, field, empty_value_display, avoid_link=False):
    if isinstance(field, models.DecimalField) and isinstance(value, Decimal) and not field.choices:
        return format_number(value)
    return _django_display_for_field(value, field, empty_value_display, avoid_link=avoid_link)


def install():
    """Called once from the budgets app's `ready`."""
    helpers.display_for_field = display_for_field
    admin_list.display_for_field = display_for_field
