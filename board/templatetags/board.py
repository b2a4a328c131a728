from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def with_comment_markers(table, markers):
    """The budget table's rows (`BudgetTable.rows_html`) with a link to a row's comments
    after its label, where it has any (board.selectors.row_comment_markers)."""
    markers = markers or {}
    labels = {row.key: row.label for row in table.rows if row.key in markers}
    return table.rows_html({key: _marker(markers[key], label) for key, label in labels.items()})


def _marker(marker: dict, label: str):
    count = ngettext("%(count)s kommentar", "%(count)s kommentarer", marker["count"]) % {"count": marker["count"]}
    still_open = ""
    if marker["open"]:
        still_open = format_html(
            '<span class="visually-hidden">, {}</span>',
            ngettext("%(count)s öppen", "%(count)s öppna", marker["open"]) % {"count": marker["open"]},
        )
    return format_html(
        ' <a class="comment-marker" href="{}?status=all&amp;plats={}" id="marker-{}">{}{}'
        '<span class="visually-hidden"> {} {}</span></a>',
        marker["url"],
        marker["anchor"],
        marker["anchor"],
        count,
        still_open,
        _("om"),
        label,
    )
