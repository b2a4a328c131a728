"""The plan's chapters: the text of the document, each chapter with its own form."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.editing.base import edit_view, render_edit_page, submit_edit
from budgets.editing.forms import crispy_helper
from budgets.editing.rows import RowKind, deletion, move_view, plan_row_create, plan_rows_update
from budgets.models import Chapter
from finsam.lib.limits import CHAPTER_BODY_MAX_CHARS

CHAPTER = RowKind(
    model=Chapter,
    section="chapters",
    list_url="edit:chapters",
    noun=gettext_lazy("kapitlet"),
    added=gettext_lazy("Kapitlet %(name)s är tillagt."),
    removed=gettext_lazy("Kapitlet %(name)s är borttaget."),
    name=lambda chapter: chapter.heading,
)


class ChapterForm(forms.Form):
    heading = forms.CharField(label=gettext_lazy("Rubrik"), max_length=300)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=CHAPTER_BODY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Tomma rader skiljer stycken; rader som börjar med ”- ” blir punkter."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("heading", "body")


def _chapters_page(request, plan, *, status=200, stale=False, form=None, chapter_pk=None):
    chapters = list(plan.chapters.all())
    chapter_forms = []
    for chapter in chapters:
        if form is not None and chapter_pk == chapter.pk:
            chapter_forms.append((chapter, form))
        else:
            chapter_forms.append(
                (chapter, ChapterForm(initial={"heading": chapter.heading, "body": chapter.body}, prefix=f"c{chapter.pk}"))
            )
    create_form = form if (form is not None and chapter_pk is None) else ChapterForm(prefix="new")
    return render_edit_page(
        request,
        plan,
        "budgets/edit/chapters.html",
        {"chapter_forms": chapter_forms, "create_form": create_form},
        section="chapters",
        status=status,
        stale=stale,
    )


@edit_view("GET", "POST")
def chapters(request, plan):
    if request.method == "POST":
        return submit_edit(
            request,
            plan,
            form=ChapterForm(request.POST, prefix="new"),
            write=lambda data, seen: plan_row_create(
                plan=plan, model=Chapter, values=data, acting_user=request.user, seen_version=seen
            ),
            success=lambda chapter: CHAPTER.added % {"name": chapter.heading},
            redirect_to=reverse("edit:chapters", args=[plan.pk]),
            page=lambda plan, **kwargs: _chapters_page(request, plan, **kwargs),
        )
    return _chapters_page(request, plan)


@edit_view("POST")
def chapter_save(request, plan, row_pk):
    chapter = get_object_or_404(plan.chapters.all(), pk=row_pk)
    return submit_edit(
        request,
        plan,
        form=ChapterForm(request.POST, prefix=f"c{chapter.pk}"),
        write=lambda data, seen: plan_rows_update(
            plan=plan, model=Chapter, rows={chapter.pk: data}, acting_user=request.user, seen_version=seen
        ),
        success=_("Kapitlet är sparat."),
        redirect_to=reverse("edit:chapters", args=[plan.pk]) + f"#chapter-{chapter.pk}",
        page=lambda plan, **kwargs: _chapters_page(request, plan, chapter_pk=chapter.pk, **kwargs),
    )


chapter_move = move_view(CHAPTER, _chapters_page)
DELETION = deletion(CHAPTER)
