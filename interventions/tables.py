"""The interventions list of a plan: sortable by its columns, filtered by the view."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from finsam.lib.formatting import format_number


class InterventionTable(tables.Table):
    name = tables.Column(verbose_name=_("Namn"))
    kind = tables.Column(verbose_name=_("Slag"))
    category = tables.Column(verbose_name=_("Kategori"), order_by=("category__name",), default="–")
    status = tables.Column(verbose_name=_("Status"), default="–")
    long_term = tables.Column(verbose_name=_("Långsiktig"), default="–")
    owner = tables.Column(verbose_name=_("Ägare"), order_by=("owner__name",), default="–")
    parties = tables.Column(
        verbose_name=_("Parter"), orderable=False, empty_values=(), attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )
    period = tables.Column(verbose_name=_("Period"), accessor="start", order_by=("start", "end"), empty_values=())
    participants_total = tables.Column(
        verbose_name=_("Deltagare"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}, empty_values=()
    )
    budget_cost = tables.Column(
        verbose_name=_("Kostnad i budgeten"), attrs={"td": {"class": "num"}, "th": {"class": "num"}}, empty_values=()
    )

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle edit-table", "id": "interventions-table"}
        order_by = ("name",)
        orderable = True
        empty_text = _("Inga insatser matchar urvalet.")

    def __init__(self, *args, plan, budget_title: str | None = None, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)
        if budget_title:
            self.columns["budget_cost"].column.verbose_name = _("Kostnad %(column)s") % {"column": budget_title}

    def render_name(self, value, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("interventions:edit", args=[self.plan.pk, record.pk]), value
        )

    def render_kind(self, record):
        return record.get_kind_display()

    def render_status(self, record):
        return record.get_status_display() or "–"

    def render_long_term(self, value):
        return _("Ja") if value else _("Nej, projekt")

    def render_parties(self, record):
        # A count keeps the row short; the names are on the intervention's page.
        count = len(record.parties.all())
        if not count:
            return "–"
        return ngettext("%(count)s part", "%(count)s parter", count) % {"count": count}

    def render_period(self, record):
        if not record.start and not record.end:
            return "–"
        return f"{record.start or '…'} – {record.end or '…'}"

    def render_participants_total(self, record):
        if record.participants_total is None:
            return "–"
        if record.participants_women is not None or record.participants_men is not None:
            return format_html(
                "{}<span class='share'>{} {} / {} {}</span>",
                format_number(record.participants_total),
                format_number(record.participants_women) or "–",
                _("kvinnor"),
                format_number(record.participants_men) or "–",
                _("män"),
            )
        return format_number(record.participants_total)

    def render_budget_cost(self, record):
        value = getattr(record, "budget_cost", None)
        return format_number(value, 2) if value is not None else "–"
