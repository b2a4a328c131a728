"""crispy-forms layout objects that treat text as text.

crispy's own `HTML(...)`, the legend of its `Fieldset` and the content of its buttons
are compiled as Django templates when the form is rendered, and `escape()` leaves
`{{ }}` and `{% %}` alone: a column label such as `{{ form... }}` in one of them would
read the page's context. Forms of this project build their layouts from these
objects instead, and take crispy's `Div`, `Field` and `Layout` (which compile nothing)
as they are.
"""

from __future__ import annotations

from crispy_forms import layout as crispy
from crispy_forms.utils import TEMPLATE_PACK
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html


class Fieldset(crispy.Fieldset):
    """A fieldset whose legend is shown as text, escaped, never compiled."""

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        legend = conditional_escape(str(self.legend)) if self.legend else ""
        context.update({"fieldset": self, "legend": legend, "fields": fields})
        return render_to_string(self.get_template_name(template_pack), context.flatten())


class Text:
    """A paragraph of text in a layout: `Text(column.label, css_class="small")`.

    The text is escaped into a fixed element; it never passes through the template engine.
    """

    def __init__(self, text, *, css_class: str = ""):
        self.text = text
        self.css_class = css_class

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return format_html('<p class="{}">{}</p>', self.css_class, str(self.text))
