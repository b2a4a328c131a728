from django import template

register = template.Library()


@register.filter
def marker_for(markers, key):
    """The comment marker of a budget table row (board.selectors.row_comment_markers), or None."""
    if not markers:
        return None
    return markers.get(key)
