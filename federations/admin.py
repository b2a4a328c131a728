"""The accountants' admin of federations, their members and the roles people have in them.

Roles, user accounts and groups decide who may edit which federation: only
administrators change them (federations.access.is_administrator), whatever
Django permissions an accountant's group holds.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from budgets.admin_forms import HistoryAdmin, LabelledInlineMixin, PlanChildAdminMixin
from budgets.models import Plan
from federations.access import is_administrator
from federations.models import Federation, Member, Role
from finsam.lib.formatting import format_number

admin.site.index_title = _("Förbund, planer och insatser")


class PlanInline(admin.TabularInline):
    """The federation's plans, to open; a plan is edited on its own page."""

    model = Plan
    fields = ("year", "last_year", "title", "status", "adopted_on")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class AdministratorsOnlyMixin:
    """Adding, changing and deleting for administrators only; others with the view permission may look."""

    def has_add_permission(self, request, *args):
        return is_administrator(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_delete_permission(request, obj)


class RoleInline(LabelledInlineMixin, AdministratorsOnlyMixin, admin.TabularInline):
    model = Role
    fields = ("user", "kind", "member_name")
    autocomplete_fields = ("user",)
    extra = 0


@admin.register(Federation)
class FederationAdmin(HistoryAdmin):
    list_display = ("name", "short_name", "org_number", "founded", "plan_count", "latest_year")
    search_fields = ("name", "short_name", "org_number", "slug")
    prepopulated_fields = {"slug": ("short_name",)}
    fields = ("name", "short_name", "slug", "org_number", "founded", "website", "vision")
    inlines = [PlanInline, RoleInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(plan_count=Count("plans", distinct=True), latest_year=Max("plans__year"))
        )

    @admin.display(description=_("planer"), ordering="plan_count")
    def plan_count(self, federation):
        return federation.plan_count

    @admin.display(description=_("senaste budgetår"), ordering="latest_year")
    def latest_year(self, federation):
        return federation.latest_year


@admin.register(Member)
class MemberAdmin(PlanChildAdminMixin, HistoryAdmin):
    list_display = ("name", "plan", "kind", "population", "key_share_shown", "order")
    list_filter = ("kind", "plan__federation", "plan__year")
    search_fields = ("name", "slug", "plan__federation__name")
    list_select_related = ("plan__federation",)
    fields = ("plan", "name", "slug", "kind", "population", "key_share", "key_share_places", "order")

    @admin.display(description=_("andel av kommunernas fjärdedel"), ordering="key_share")
    def key_share_shown(self, member):
        return format_number(member.key_share)


@admin.register(Role)
class RoleAdmin(AdministratorsOnlyMixin, HistoryAdmin):
    list_display = ("user", "federation", "kind", "member_name")
    list_filter = ("kind", "federation")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email", "federation__name")
    list_select_related = ("user", "federation")
    autocomplete_fields = ("user", "federation")


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(AdministratorsOnlyMixin, DjangoUserAdmin):
    """Accounts: administrators manage them; only a superuser makes superusers or grants single permissions."""

    def has_change_permission(self, request, obj=None):
        # An administrator who could change a superuser's password could become one.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return (*readonly, "is_superuser", "user_permissions")


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """A group's permissions are what an accountant may do: superusers only change them."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
