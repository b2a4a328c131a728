"""The accountants' admin of interventions and the national categories and markings."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from budgets.admin_forms import (
    ReadOnlyWhenAdoptedMixin,
    DECIMAL_FORMFIELD_OVERRIDES,
    HistoryAdmin,
    ParentPlanInlineMixin,
    PlanChildAdminMixin,
    PlanScopedForm,
)
from federations.models import Member
from finsam.forms import LinesField
from finsam.lib.formatting import format_number
from interventions.models import (
    Category,
    Intervention,
    InterventionMarking,
    Marking,
    MunicipalAllocation,
)


class InterventionAdminForm(PlanScopedForm):
    """Owner and parties from the intervention's own plan; goals and indicators one per line."""

    plan_scoped_fields = ("owner", "parties")

    goals = LinesField(label=_("Mål"), help_text=_("Ett mål per rad."))
    indicators = LinesField(label=_("Indikatorer"), help_text=_("En indikator per rad."))

    class Meta:
        model = Intervention
        fields = "__all__"


class InterventionMarkingInline(ParentPlanInlineMixin, admin.TabularInline):
    model = InterventionMarking
    fields = ("marking", "order")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("marking")


class MunicipalAllocationInline(ParentPlanInlineMixin, admin.TabularInline):
    """The document's own weighting between the plan's municipalities."""

    model = MunicipalAllocation
    fields = ("member", "weight")
    plan_scoped_fields = ("member",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")

    def parent_plan(self):
        return self.parent_object.plan if self.parent_object is not None else None

    def plan_scoped_queryset(self, db_field, plan):
        return plan.members.filter(kind=Member.Kind.MUNICIPALITY)


@admin.register(Intervention)
class InterventionAdmin(PlanChildAdminMixin, HistoryAdmin):
    form = InterventionAdminForm
    list_display = ("name", "federation", "plan_year", "kind", "status", "category", "long_term")
    list_filter = ("kind", "status", "category", "long_term", "plan__federation", "plan__year")
    search_fields = ("name", "description", "target_group", "slug")
    list_select_related = ("plan__federation", "category")
    filter_horizontal = ("parties",)
    fieldsets = (
        (None, {"fields": ("plan", "name", "slug", "kind", "category", "status", "long_term", "order")}),
        (_("Parter"), {"fields": ("owner", "parties")}),
        (
            _("Period och deltagare"),
            {
                "fields": (
                    ("start", "end"),
                    ("participants_total", "participants_women", "participants_men"),
                    "utilization",
                )
            },
        ),
        (_("Innehåll"), {"fields": ("target_group", "description", "goals", "indicators")}),
    )
    inlines = [InterventionMarkingInline, MunicipalAllocationInline]

    def get_inlines(self, request, obj):
        if obj is None:
            # The weighting is between the plan's municipalities: known once the plan is chosen.
            return [InterventionMarkingInline]
        return self.inlines

    @admin.display(description=_("förbund"), ordering="plan__federation__name")
    def federation(self, intervention):
        return intervention.plan.federation

    @admin.display(description=_("budgetår"), ordering="plan__year")
    def plan_year(self, intervention):
        return intervention.plan.year


@admin.register(InterventionMarking)
class InterventionMarkingAdmin(ReadOnlyWhenAdoptedMixin, HistoryAdmin):
    list_display = ("marking", "intervention_shown", "plan", "order")
    list_filter = ("marking", "intervention__plan__federation", "intervention__plan__year")
    search_fields = ("marking__name", "intervention__name")
    list_select_related = ("marking", "intervention__plan__federation")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "intervention":
            kwargs.setdefault("queryset", Intervention.objects.select_related("plan__federation"))
            kwargs.setdefault("label", _("insats"))
            formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
            formfield.label_from_instance = lambda intervention: f"{intervention} ({intervention.plan})"
            return formfield
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("insats"), ordering="intervention__name")
    def intervention_shown(self, marking):
        return marking.intervention

    @admin.display(description=_("plan"), ordering="intervention__plan")
    def plan(self, marking):
        return marking.intervention.plan


class MunicipalAllocationAdminForm(PlanScopedForm):
    plan_scoped_fields = ("member",)
    plan_linked_fields = ("intervention",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "member" in self.fields:
            self.fields["member"].queryset = self.fields["member"].queryset.filter(kind=Member.Kind.MUNICIPALITY)
        if "intervention" in self.fields:
            field = self.fields["intervention"]
            field.queryset = field.queryset.select_related("plan__federation")
            field.label_from_instance = lambda intervention: f"{intervention} ({intervention.plan})"

    def instance_plan_id(self):
        return self.instance.intervention.plan_id if self.instance.intervention_id else None

    class Meta:
        model = MunicipalAllocation
        fields = "__all__"


@admin.register(MunicipalAllocation)
class MunicipalAllocationAdmin(ReadOnlyWhenAdoptedMixin, admin.ModelAdmin):
    form = MunicipalAllocationAdminForm
    list_display = ("intervention", "member", "weight_shown", "plan")
    list_filter = ("intervention__plan__federation", "intervention__plan__year")
    search_fields = ("intervention__name", "member__name")
    list_select_related = ("intervention__plan__federation", "member")
    formfield_overrides = DECIMAL_FORMFIELD_OVERRIDES

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "intervention") if obj is not None else readonly

    @admin.display(description=_("vikt"), ordering="weight")
    def weight_shown(self, allocation):
        return format_number(allocation.weight)

    @admin.display(description=_("plan"), ordering="intervention__plan")
    def plan(self, allocation):
        return allocation.intervention.plan


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "intervention_count")
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(intervention_count=Count("intervention"))

    @admin.display(description=_("insatser"), ordering="intervention_count")
    def intervention_count(self, category):
        return category.intervention_count


@admin.register(Marking)
class MarkingAdmin(admin.ModelAdmin):
    list_display = ("name", "intervention_count")
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(intervention_count=Count("interventionmarking"))

    @admin.display(description=_("insatser"), ordering="intervention_count")
    def intervention_count(self, marking):
        return marking.intervention_count
