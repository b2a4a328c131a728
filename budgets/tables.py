import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class PlanTable(tables.Table):
    """The start page's list of plans, sortable by every column."""

    federation = tables.Column(verbose_name=_("Förbund"))
    year = tables.Column(verbose_name=_("År"), attrs={"td": {"class": "num"}})
    revision = tables.Column(verbose_name=_("Revision"), attrs={"td": {"class": "num"}})
    status = tables.Column(verbose_name=_("Status"))
    updated_at = tables.DateTimeColumn(verbose_name=_("Senast ändrad"), format="Y-m-d H:i")
    errors = tables.Column(verbose_name=_("Fel"), attrs={"td": {"class": "num"}})
    warnings = tables.Column(verbose_name=_("Varningar"), attrs={"td": {"class": "num"}})

    class Meta:
        attrs = {"class": "table table-hover align-middle bg-white"}
        order_by = ("federation", "-year")
        orderable = True

    def render_federation(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("budgets:plan", args=[record["pk"]]), value)

    def render_status(self, value, record):
        css = "status-adopted" if record["adopted"] else "status-draft"
        return format_html('<span class="badge {}">{}</span>', css, value)

    def render_errors(self, value):
        if not value:
            return "0"
        return format_html('<span class="badge badge-error">{}</span>', value)

    def render_warnings(self, value):
        if not value:
            return "0"
        return format_html('<span class="badge badge-warning">{}</span>', value)
