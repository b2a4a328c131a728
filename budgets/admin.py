"""The accountants' admin of plans: a plan's page edits its members, columns,
budget lines (with one amount per column), stated totals, chapters, meetings
and activities; each kind of row also has a list of its own, with history.
"""

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from budgets.admin_forms import (
    DECIMAL_FORMFIELD_OVERRIDES,
    AmountColumnsDisplayMixin,
    BudgetLineAdminForm,
    BudgetLineInlineForm,
    BudgetLineInlineFormSet,
    HistoryAdmin,
    LineAmountAdminForm,
    ParentPlanInlineMixin,
    PlanChildAdminMixin,
    ReadOnlyWhenAdoptedMixin,
    StatedTotalAdminForm,
    amount_field_name,
    is_amount_field_name,
)
from budgets.models import (
    Activity,
    BudgetLine,
    Chapter,
    Column,
    EquityGuidanceBand,
    LineAmount,
    Meeting,
    Plan,
    StatedTotal,
)
from federations.models import Member
from finsam.lib.formatting import format_number

# Lines in the order of the budget table: contributions, other income, costs.
SECTION_ORDER = Case(
    When(section=BudgetLine.Section.CONTRIBUTION, then=Value(0)),
    When(section=BudgetLine.Section.INCOME, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def stated_total_column(field_name: str):
    """A list column showing one of a stated total's amounts the Swedish way (3 439 000)."""
    field = StatedTotal._meta.get_field(field_name)

    @admin.display(description=field.verbose_name, ordering=field_name)
    def show(self, obj):
        return format_number(getattr(obj, field_name))

    show.__name__ = f"{field_name}_shown"
    return show


# --- Inlines of the plan page ---------------------------------------------


class MemberInline(ParentPlanInlineMixin, admin.TabularInline):
    model = Member
    fields = ("name", "slug", "kind", "population", "key_share", "key_share_places", "order")
    extra = 0
    show_change_link = True


class ColumnInline(ParentPlanInlineMixin, admin.TabularInline):
    model = Column
    fields = ("label", "slug", "year", "kind", "order")
    extra = 0


class BudgetLineInline(AmountColumnsDisplayMixin, ParentPlanInlineMixin, admin.TabularInline):
    """The budget table: one row per line, one amount field per column of the plan."""

    model = BudgetLine
    form = BudgetLineInlineForm
    formset = BudgetLineInlineFormSet
    fields = ("section", "label", "member", "income_kind", "cost_group", "intervention", "slug", "order")
    plan_scoped_fields = ("member", "intervention")
    extra = 0
    show_change_link = True
    needs_saved_plan = True

    def plan_columns(self, plan) -> list[Column]:
        if plan is None:
            return []
        cached = getattr(self, "_columns", None)
        if cached is None or cached[0] != plan.pk:
            cached = (plan.pk, list(plan.columns.all()))
            self._columns = cached
        return cached[1]

    def known_column(self, column_pk):
        for column in self.plan_columns(self.parent_object):
            if column.pk == column_pk:
                return column
        return super().known_column(column_pk)

    def get_fields(self, request, obj=None):
        # The amounts right after the line's name, where an accountant reads them.
        fields = list(super().get_fields(request, obj))
        at = fields.index("member") + 1
        return fields[:at] + [amount_field_name(column) for column in self.plan_columns(obj)] + fields[at:]

    def get_formset(self, request, obj=None, **kwargs):
        # The amount fields are the form's own, not the model's: keep them out of the factory.
        fields = kwargs.pop("fields", None) or flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in fields if not is_amount_field_name(name)]
        formset = super().get_formset(request, obj, **kwargs)
        formset.columns = self.plan_columns(obj)
        if obj is not None:
            formset.unit = obj.unit
        return formset

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("member")
            .prefetch_related("amounts")
            .alias(section_order=SECTION_ORDER)
            .order_by("section_order", "order", "pk")
        )


class StatedTotalInline(ParentPlanInlineMixin, admin.TabularInline):
    model = StatedTotal
    fields = ("column", "contributions", "income", "costs", "result", "closing_equity")
    plan_scoped_fields = ("column",)
    extra = 0
    needs_saved_plan = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("column")


class ChapterInline(ParentPlanInlineMixin, admin.TabularInline):
    model = Chapter
    fields = ("heading", "body", "order")
    extra = 0
    classes = ["collapse"]


class MeetingInline(ParentPlanInlineMixin, admin.TabularInline):
    model = Meeting
    fields = ("date", "body", "topic", "order")
    extra = 0
    classes = ["collapse"]


class ActivityInline(ParentPlanInlineMixin, admin.TabularInline):
    model = Activity
    fields = ("name", "when", "responsible", "follow_up", "order")
    extra = 0
    classes = ["collapse"]


# --- Plans ------------------------------------------------------------------


@admin.register(Plan)
class PlanAdmin(ReadOnlyWhenAdoptedMixin, HistoryAdmin):
    list_display = ("federation", "year", "last_year", "unit", "status", "adopted_on", "updated_at")
    list_display_links = ("federation", "year")
    list_filter = ("federation", "year", "status", "unit")
    search_fields = ("federation__name", "federation__short_name", "title", "reference")
    list_select_related = ("federation",)
    # Adoption is the board's decision, recorded on the plan's page by the adoption
    # service, which refuses while an error remains; the admin only shows it.
    readonly_fields = ("status", "adopted_on", "rows", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("federation", "year", "last_year", "unit", "title", "reference", "status", "adopted_on")}),
        (
            _("Fördelning och eget kapital"),
            {"fields": ("municipal_key", "equity_opening_year", "equity_opening_amount")},
        ),
        (_("Förbundets egna mål"), {"fields": ("equity_floor", "admin_share_max", "intervention_share_min")}),
        (_("Planens rader"), {"fields": ("rows", "created_at", "updated_at")}),
    )
    inlines = [
        MemberInline,
        ColumnInline,
        BudgetLineInline,
        StatedTotalInline,
        ChapterInline,
        MeetingInline,
        ActivityInline,
    ]
    formfield_overrides = DECIMAL_FORMFIELD_OVERRIDES

    def get_inlines(self, request, obj):
        if obj is None:
            # Lines and totals need the plan's columns, which exist once the plan is saved.
            return [inline for inline in self.inlines if not getattr(inline, "needs_saved_plan", False)]
        return self.inlines

    @admin.display(description=_("listor"))
    def rows(self, plan):
        if plan.pk is None:
            return "–"
        links = (
            ("interventions", "intervention", _("Insatser"), plan.interventions.count()),
            ("budgets", "budgetline", _("Budgetrader"), plan.lines.count()),
            ("federations", "member", _("Medlemmar"), plan.members.count()),
        )
        return format_html_join(
            " · ",
            '<a href="{}?plan__id__exact={}">{} ({})</a>',
            (
                (reverse(f"admin:{app}_{model}_changelist"), plan.pk, label, count)
                for app, model, label, count in links
            ),
        )


@admin.register(Column)
class ColumnAdmin(PlanChildAdminMixin, HistoryAdmin):
    list_display = ("__str__", "plan", "year", "kind", "slug", "order")
    list_filter = ("kind", "plan__federation", "plan__year")
    search_fields = ("label", "slug", "plan__federation__name")
    list_select_related = ("plan__federation",)


@admin.register(BudgetLine)
class BudgetLineAdmin(AmountColumnsDisplayMixin, PlanChildAdminMixin, HistoryAdmin):
    form = BudgetLineAdminForm
    list_display = ("display_label", "plan", "section", "cost_group", "amounts_shown")
    list_filter = ("section", "cost_group", "income_kind", "plan__federation", "plan__year")
    search_fields = ("label", "slug", "member__name", "intervention__name", "plan__federation__name")
    list_select_related = ("plan__federation", "member")
    fields = ("plan", "section", "slug", "label", "member", "income_kind", "cost_group", "intervention", "order")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("amounts__column")

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None:
            fields += [amount_field_name(column) for column in obj.plan.columns.all()]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The amount fields are the form's own, not the model's: keep them out of the factory.
        fields = kwargs.pop("fields", None) or flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in fields if not is_amount_field_name(name)]
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description=_("rad"), ordering="label")
    def display_label(self, line):
        return line.display_label

    @admin.display(description=_("belopp"))
    def amounts_shown(self, line):
        amounts = sorted(line.amounts.all(), key=lambda amount: (amount.column.order, amount.column.pk))
        return format_html_join(
            mark_safe("<br>"),
            '<span class="nowrap">{}: {}</span>',
            ((amount.column, format_number(amount.amount)) for amount in amounts),
        )


@admin.register(LineAmount)
class LineAmountAdmin(ReadOnlyWhenAdoptedMixin, HistoryAdmin):
    form = LineAmountAdminForm
    list_display = ("line_shown", "column_shown", "amount_shown", "plan")
    list_filter = ("column__kind", "line__section", "line__plan__federation", "line__plan__year")
    search_fields = ("line__label", "line__member__name", "column__label", "line__plan__federation__name")
    list_select_related = ("line__plan__federation", "line__member", "column")

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "line", "column") if obj is not None else readonly

    @admin.display(description=_("budgetrad"), ordering="line__label")
    def line_shown(self, amount):
        return amount.line

    @admin.display(description=_("kolumn"), ordering="column__order")
    def column_shown(self, amount):
        return amount.column

    @admin.display(description=_("belopp"), ordering="amount")
    def amount_shown(self, amount):
        return format_number(amount.amount)

    @admin.display(description=_("plan"), ordering="line__plan")
    def plan(self, amount):
        return amount.line.plan


@admin.register(StatedTotal)
class StatedTotalAdmin(PlanChildAdminMixin, HistoryAdmin):
    form = StatedTotalAdminForm
    list_display = (
        "column_shown",
        "plan",
        "contributions_shown",
        "income_shown",
        "costs_shown",
        "result_shown",
        "closing_equity_shown",
    )
    list_filter = ("plan__federation", "plan__year")
    search_fields = ("column__label", "plan__federation__name")
    list_select_related = ("plan__federation", "column")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "column":
            kwargs.setdefault("queryset", Column.objects.order_by("plan", "order", "pk"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("kolumn"), ordering="column__order")
    def column_shown(self, total):
        return total.column

    contributions_shown = stated_total_column("contributions")
    income_shown = stated_total_column("income")
    costs_shown = stated_total_column("costs")
    result_shown = stated_total_column("result")
    closing_equity_shown = stated_total_column("closing_equity")


@admin.register(Chapter)
class ChapterAdmin(PlanChildAdminMixin, HistoryAdmin):
    list_display = ("heading", "plan", "order")
    list_filter = ("plan__federation", "plan__year")
    search_fields = ("heading", "body", "plan__federation__name")
    list_select_related = ("plan__federation",)


@admin.register(Meeting)
class MeetingAdmin(PlanChildAdminMixin, admin.ModelAdmin):
    list_display = ("date", "body", "topic", "plan")
    list_filter = ("body", "plan__federation", "plan__year")
    search_fields = ("topic", "date", "plan__federation__name")
    list_select_related = ("plan__federation",)


@admin.register(Activity)
class ActivityAdmin(PlanChildAdminMixin, admin.ModelAdmin):
    list_display = ("name", "when", "responsible", "follow_up", "plan")
    list_filter = ("plan__federation", "plan__year")
    search_fields = ("name", "responsible", "follow_up", "plan__federation__name")
    list_select_related = ("plan__federation",)


@admin.register(EquityGuidanceBand)
class EquityGuidanceBandAdmin(HistoryAdmin):
    list_display = (
        "band",
        "valid_from",
        "valid_until",
        "contributions_from",
        "contributions_to",
        "ceiling_percent",
        "note",
    )
    list_display_links = ("band",)
    list_editable = ("valid_from", "valid_until", "contributions_from", "contributions_to", "ceiling_percent", "note")
    list_filter = ("valid_from",)
    search_fields = ("note",)
    formfield_overrides = DECIMAL_FORMFIELD_OVERRIDES

    @admin.display(description=_("riktlinje"))
    def band(self, band):
        upper = format_number(band.contributions_to) if band.contributions_to is not None else "…"
        return f"{format_number(band.contributions_from)}–{upper} kr"

