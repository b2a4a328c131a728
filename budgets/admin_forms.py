"""Form fields, forms and admin mixins shared by the accountants' admin.

The forms only parse and normalise input: Swedish numbers ("3 439 000",
"12,5"), lists of lines, and a budget line's amounts, one field per column of
its plan, stored as LineAmount rows.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from budgets.models import BudgetLine, Column, LineAmount, Plan, StatedTotal
from finsam.forms import AmountField, DecimalCommaField
from finsam.lib.formatting import format_number
from finsam.lib.limits import PLAN_PARTS_MAX, plan_parts_message

AMOUNT_FIELD_PREFIX = "amount_"

# Decimal model fields in the admin take Swedish input and show no trailing zeros.
DECIMAL_FORMFIELD_OVERRIDES = {models.DecimalField: {"form_class": DecimalCommaField}}


class PlanScopedForm(forms.ModelForm):
    """A form for a row of one plan whose choices (members, columns, ...) must be that plan's own.

    `plan_scoped_fields` names the foreign keys and many-to-many fields whose
    targets have a `plan`. Once the row's plan is known, their choices are the
    plan's rows only; on an add page they offer every plan's rows, labelled with
    their plan, and `clean` refuses a mix of plans.
    """

    plan_scoped_fields: tuple[str, ...] = ()
    # Other fields whose choice has a plan (an intervention), checked but not narrowed.
    plan_linked_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan_id = self.instance_plan_id()
        for name in self.plan_scoped_fields:
            field = self.fields.get(name)
            if field is None:
                continue
            if plan_id is not None:
                field.queryset = field.queryset.filter(plan_id=plan_id)
            else:
                field.queryset = field.queryset.select_related("plan__federation")
                field.label_from_instance = _label_with_plan

    def instance_plan_id(self) -> int | None:
        """The plan of the row being edited; None on an add page."""
        return getattr(self.instance, "plan_id", None)

    def clean(self):
        cleaned_data = super().clean()
        plan_ids = set()
        own_plan_id = self.instance_plan_id()
        if own_plan_id is not None:
            plan_ids.add(own_plan_id)
        for name in ("plan", *self.plan_linked_fields, *self.plan_scoped_fields):
            value = cleaned_data.get(name) if name in self.fields else None
            if value is None:
                continue
            chosen = value if isinstance(value, (list, tuple, models.QuerySet)) else [value]
            plan_ids.update(item.pk if isinstance(item, Plan) else item.plan_id for item in chosen)
        if len(plan_ids) > 1:
            raise ValidationError(
                _("Alla val måste höra till samma verksamhetsplan."), code="mixed_plans"
            )
        return cleaned_data


def _label_with_plan(obj) -> str:
    return f"{obj} ({obj.plan})"


def amount_field_name(column: Column) -> str:
    return f"{AMOUNT_FIELD_PREFIX}{column.pk}"


def is_amount_field_name(name: str) -> bool:
    return name.startswith(AMOUNT_FIELD_PREFIX)


class AmountColumnsDisplayMixin:
    """A read-only line's amounts, one per column, for an admin whose fields include `amount_<column id>`.

    The amount fields are the form's own, so a page without change rights (an
    adopted plan) finds no model field of that name: the admin then asks for an
    attribute of this name, which shows the line's amount in that column the
    Swedish way, headed by the column's label.
    """

    def known_column(self, column_pk: int) -> Column | None:
        return Column.objects.filter(pk=column_pk).first()

    def __getattr__(self, name):
        if not name.startswith(AMOUNT_FIELD_PREFIX) or not name[len(AMOUNT_FIELD_PREFIX) :].isdigit():
            raise AttributeError(name)
        column = self.known_column(int(name[len(AMOUNT_FIELD_PREFIX) :]))
        if column is None:
            raise AttributeError(name)

        empty = self.get_empty_value_display()

        def show(line):
            for amount in line.amounts.all():
                if amount.column_id == column.pk:
                    return format_number(amount.amount)
            return empty

        show.short_description = str(column)
        return show


class LineAmountsMixin:
    """One amount field per column of the line's plan, saved as LineAmount rows.

    An empty field means no amount: its row is deleted (or never created).
    Pass `columns` (the plan's columns, in order) to the form; the line's
    `amounts` should be prefetched when many lines are edited at once.
    """

    def _add_amount_fields(self, columns, unit: str):
        self.columns = list(columns)
        self._existing_amounts = (
            {amount.column_id: amount for amount in self.instance.amounts.all()} if self.instance.pk else {}
        )
        unit_text = _("Belopp i %(unit)s.") % {"unit": "kr" if unit == Plan.Unit.SEK else unit}
        for column in self.columns:
            name = amount_field_name(column)
            self.fields[name] = AmountField(
                label=str(column), required=False, help_text=unit_text, widget=forms.TextInput(attrs={"size": 10})
            )
            existing = self._existing_amounts.get(column.pk)
            if existing is not None:
                self.initial[name] = existing.amount

    @property
    def amount_field_names(self) -> list[str]:
        return [amount_field_name(column) for column in self.columns]

    def save(self, commit=True):
        only_amounts_changed = self.instance.pk is not None and set(self.changed_data) <= set(
            self.amount_field_names
        )
        if commit and only_amounts_changed:
            # Saving the unchanged line would only add an empty entry to its history.
            line = self.instance
        else:
            line = super().save(commit=commit)
        if commit:
            self.save_amounts()
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_amounts():
                save_m2m()
                self.save_amounts()

            self.save_m2m = save_m2m_and_amounts
        return line

    def save_amounts(self):
        changed = [column for column in self.columns if amount_field_name(column) in self.changed_data]
        if not changed:
            return
        # A column deleted in the same request took its amounts with it.
        remaining = set(Column.objects.filter(pk__in=[column.pk for column in changed]).values_list("pk", flat=True))
        for column in changed:
            if column.pk not in remaining:
                continue
            amount = self.cleaned_data.get(amount_field_name(column))
            existing = self._existing_amounts.get(column.pk)
            if amount is None:
                if existing is not None:
                    existing.delete()
                    del self._existing_amounts[column.pk]
            elif existing is None:
                self._existing_amounts[column.pk] = LineAmount.objects.create(
                    line=self.instance, column=column, amount=amount
                )
            elif existing.amount != amount:
                existing.amount = amount
                existing.save(update_fields=["amount"])


class BudgetLineFieldsMixin:
    """Checks that a line carries what its section needs, with messages in Swedish.

    The database says the same in `line_section_fields`; this says it where
    the accountant can act on it. A blank id is made from the label or member.
    """

    def clean(self):
        cleaned_data = super().clean()
        section = cleaned_data.get("section")
        member = cleaned_data.get("member")
        income_kind = cleaned_data.get("income_kind")
        cost_group = cleaned_data.get("cost_group")
        intervention = cleaned_data.get("intervention")

        def refuse(name, message):
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)

        if section == BudgetLine.Section.CONTRIBUTION:
            if not member:
                refuse("member", _("Ett medlemsbidrag måste ha en medlem."))
        elif member:
            refuse("member", _("Bara medlemsbidrag har en medlem."))
        if section == BudgetLine.Section.INCOME:
            if not income_kind:
                refuse("income_kind", _("Välj slag av intäkt."))
        elif income_kind:
            refuse("income_kind", _("Bara övriga intäkter har slag av intäkt."))
        if section == BudgetLine.Section.COST:
            if not cost_group:
                refuse("cost_group", _("Välj kostnadsgrupp."))
        elif cost_group:
            refuse("cost_group", _("Bara kostnader har kostnadsgrupp."))
        if intervention and section != BudgetLine.Section.COST:
            refuse("intervention", _("Bara kostnader kan höra till en insats."))

        if "slug" in self.fields and not cleaned_data.get("slug") and "slug" not in self.errors:
            source = member.slug if member else cleaned_data.get("label", "")
            slug = slugify(source)[:80]
            if slug:
                cleaned_data["slug"] = slug
            else:
                self.add_error("slug", _("Ange ett id eller en rubrik."))
        return cleaned_data


class BudgetLineInlineForm(LineAmountsMixin, BudgetLineFieldsMixin, forms.ModelForm):
    """A row of the plan page's budget table: the line and its amount per column."""

    def __init__(self, *args, columns=(), unit=Plan.Unit.SEK, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Tomt: bildas av rubriken eller medlemmen.")
            self.fields["slug"].widget.attrs["size"] = 12
        if "label" in self.fields:
            # A row of the budget table must fit the page with all its columns.
            self.fields["label"].widget.attrs.update({"size": 24, "class": ""})
        self._add_amount_fields(columns, unit)

    class Meta:
        model = BudgetLine
        fields = "__all__"


class PlanPartsInlineFormSet(BaseInlineFormSet):
    """A plan page's rows of one kind: refused as a whole when they would be more than a plan may hold.

    Each new row's `clean` counts the rows stored; this counts the page's rows,
    so that many rows added at once cannot pass one by one.
    """

    def clean(self):
        super().clean()
        label = self.model._meta.label
        if label not in PLAN_PARTS_MAX:
            return
        kept = 0
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or (self.can_delete and self._should_delete_form(form)):
                continue
            if form.instance.pk is not None or form.has_changed():
                kept += 1
        if kept > PLAN_PARTS_MAX[label]:
            raise ValidationError(plan_parts_message(label), code="too_many")


class BudgetLineInlineFormSet(PlanPartsInlineFormSet):
    """Gives each form the plan's columns, read once by the inline (`columns`, `unit`)."""

    columns: list[Column] = []
    unit = Plan.Unit.SEK

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["columns"] = self.columns
        kwargs["unit"] = self.unit
        return kwargs


class BudgetLineAdminForm(LineAmountsMixin, BudgetLineFieldsMixin, PlanScopedForm):
    """A budget line on its own page: its plan's members and interventions, and its amounts."""

    plan_scoped_fields = ("member", "intervention")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.plan_id is not None:
            plan = self.instance.plan
            self._add_amount_fields(plan.columns.all(), plan.unit)
        else:
            self._add_amount_fields((), Plan.Unit.SEK)

    class Meta:
        model = BudgetLine
        fields = "__all__"


class LineAmountAdminForm(PlanScopedForm):
    plan_scoped_fields = ("line", "column")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "line" in self.fields:
            self.fields["line"].queryset = self.fields["line"].queryset.select_related("member")

    def instance_plan_id(self):
        return self.instance.line.plan_id if self.instance.line_id else None

    class Meta:
        model = LineAmount
        fields = "__all__"
        field_classes = {"amount": AmountField}


class StatedTotalAdminForm(PlanScopedForm):
    plan_scoped_fields = ("column",)

    class Meta:
        model = StatedTotal
        fields = "__all__"


# Some foreign keys have no verbose name in the models; their labels in Swedish.
FOREIGN_KEY_LABELS = {"plan": _("plan"), "column": _("kolumn"), "line": _("budgetrad"), "intervention": _("insats")}


def foreign_key_label(db_field, kwargs):
    """Give a foreign key without a verbose name of its own a Swedish label."""
    if db_field.name in FOREIGN_KEY_LABELS and db_field.verbose_name == db_field.name.replace("_", " "):
        kwargs.setdefault("label", FOREIGN_KEY_LABELS[db_field.name])


def _unwrap_related_widget(formfield):
    """Drop the admin's add/change/delete links around a choice widget."""
    if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
        formfield.widget = formfield.widget.widget


def plan_is_adopted(obj) -> bool:
    """Whether the plan that `obj` is or belongs to is adopted (and so read-only)."""
    from budgets.locking import is_adopted

    if obj is None:
        return False
    if isinstance(obj, Plan):
        return obj.is_adopted
    if isinstance(obj, LineAmount):
        return is_adopted(obj.line.plan_id)
    if hasattr(obj, "plan_id"):
        return is_adopted(obj.plan_id)
    if hasattr(obj, "intervention_id"):
        return is_adopted(obj.intervention.plan_id)
    return False


class ReadOnlyWhenAdoptedMixin:
    """An adopted plan and its parts show in the admin, but cannot be changed or deleted there."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not plan_is_adopted(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not plan_is_adopted(obj)

    def has_add_permission(self, request, *args):
        # Inlines are asked with the parent object: no new rows on an adopted plan's page.
        return super().has_add_permission(request, *args) and not (args and plan_is_adopted(args[0]))


class PlanChildAdminMixin(ReadOnlyWhenAdoptedMixin):
    """Admin of rows that belong to one plan: the plan is chosen when adding and fixed afterwards.

    Moving a row to another plan would leave it pointing at the old plan's
    members, columns or interventions, so the plan is read-only on a change page.
    """

    formfield_overrides = DECIMAL_FORMFIELD_OVERRIDES

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "plan") if obj is not None else readonly

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in getattr(self.form, "plan_scoped_fields", ()):
            # No "add another" pop-up: a new member or column would not know its plan.
            _unwrap_related_widget(formfield)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            # A plan's name includes its federation's; adopted plans take no new rows.
            kwargs.setdefault(
                "queryset", Plan.objects.select_related("federation").exclude(status=Plan.Status.ADOPTED)
            )
        foreign_key_label(db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def label_inline_widgets(form, index):
    """Name each visible input of an inline row for screen readers: "Belopp 2026, rad 3".

    A tabular inline shows a field's label once, in the column heading, so its
    inputs have no <label>; the row template (index None) is "ny rad".
    """
    row = _("rad %(number)s") % {"number": index + 1} if index is not None else _("ny rad")
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        label = field.label if field.label is not None else name.replace("_", " ").capitalize()
        field.widget.attrs["aria-label"] = f"{label}, {row}"


class LabelledInlineMixin:
    """An inline whose inputs are named for screen readers (see `label_inline_widgets`)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        def add_fields(formset_self, form, index):
            super(labelled, formset_self).add_fields(form, index)
            label_inline_widgets(form, index)

        labelled = type(formset.__name__, (formset,), {"add_fields": add_fields})
        return labelled


class ParentPlanInlineMixin(LabelledInlineMixin, ReadOnlyWhenAdoptedMixin):
    """An inline whose foreign keys in `plan_scoped_fields` offer the parent's plan's rows only.

    The admin makes new inline instances for every request and calls
    `get_formset` with the parent object before it builds the form fields,
    so the parent can be kept on the instance. Choices are read once per
    formset rather than once per row.
    """

    plan_scoped_fields: tuple[str, ...] = ()
    formfield_overrides = DECIMAL_FORMFIELD_OVERRIDES
    formset = PlanPartsInlineFormSet
    parent_object = None

    def get_formset(self, request, obj=None, **kwargs):
        self.parent_object = obj
        return super().get_formset(request, obj, **kwargs)

    def parent_plan(self):
        """The plan whose rows the choices come from; the parent itself on a plan's page."""
        return self.parent_object

    def plan_scoped_queryset(self, db_field, plan):
        return db_field.related_model._default_manager.filter(plan=plan)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in self.plan_scoped_fields:
            # No "add another" pop-up: it would offer every plan, and each row would repeat it.
            _unwrap_related_widget(formfield)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.plan_scoped_fields:
            plan = self.parent_plan()
            if plan is None:
                kwargs["queryset"] = db_field.related_model._default_manager.none()
            else:
                kwargs["queryset"] = self.plan_scoped_queryset(db_field, plan)
        foreign_key_label(db_field, kwargs)
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and hasattr(formfield, "queryset"):
            # iter() first: list() would ask the iterator's length, one more query.
            formfield.choices = list(iter(formfield.choices))
        return formfield


class ChangeDisplay(HistoricalRecordContextHelper):
    """A history entry's changes as an accountant reads them: 3 439 000, "Fastställd", not raw values."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if isinstance(value, list):
            return value
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, Decimal):
            return format_number(value).replace(" ", "\u00a0")
        if value is None or value == "":
            return "–"
        return value


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history page shows who changed what, field by field.

    django-simple-history 3.13 calls `select_related()` without arguments for
    models with no tracked foreign keys, which Django 6.1 deprecates.
    """

    def get_historical_record_context_helper(self, request, historical_record):
        return ChangeDisplay(self.model, historical_record)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        records = history_manager.filter(**{pk_name: object_id}).select_related("history_user")
        foreign_keys = [
            field.name for field in history_manager.model.tracked_fields if isinstance(field, models.ForeignKey)
        ]
        return records.select_related(*foreign_keys) if foreign_keys else records
