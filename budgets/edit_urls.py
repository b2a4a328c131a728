"""Editing a plan's parts: profile, members, columns, the budget grid, contributions, lines, chapters, meetings, activities."""

from django.urls import path

from budgets.editing import chapters, columns, contributions, grid, lines, meetings, members, profile
from budgets.editing.base import confirm_delete

app_name = "edit"

urlpatterns = [
    path("redigera/", profile.profile, name="profile"),
    path("medlemmar/", members.members, name="members"),
    path("medlemmar/<int:member_pk>/", members.member_edit, name="member"),
    path("medlemmar/<int:member_pk>/ta-bort/", confirm_delete, {"deletion": members.DELETION}, name="member_delete"),
    path("kolumner/", columns.columns, name="columns"),
    path("kolumner/<int:column_pk>/flytta/", columns.column_move_view, name="column_move"),
    path("kolumner/<int:column_pk>/ta-bort/", confirm_delete, {"deletion": columns.DELETION}, name="column_delete"),
    path("budget/", grid.grid, name="grid"),
    path("budget/summor/", grid.grid_live, name="grid_live"),
    path("bidrag/", contributions.contributions, name="contributions"),
    path("bidrag/nyckel/", contributions.contributions_key, name="contributions_key"),
    path("rader/", lines.lines, name="lines"),
    path("rader/<slug:section_slug>/", lines.lines_save, name="lines_save"),
    path("rader/<slug:section_slug>/ny/", lines.line_create_view, name="line_create"),
    path("rad/<int:line_pk>/flytta/", lines.line_move_view, name="line_move"),
    path("rad/<int:line_pk>/ta-bort/", confirm_delete, {"deletion": lines.DELETION}, name="line_delete"),
    path("kapitel/", chapters.chapters, name="chapters"),
    path("kapitel/<int:row_pk>/", chapters.chapter_save, name="chapter"),
    path("kapitel/<int:row_pk>/flytta/", chapters.chapter_move, name="chapter_move"),
    path("kapitel/<int:row_pk>/ta-bort/", confirm_delete, {"deletion": chapters.DELETION}, name="chapter_delete"),
    path("moten/", meetings.meetings, name="meetings"),
    path("moten/ny/", meetings.meeting_create, name="meeting_create"),
    path("moten/<int:row_pk>/flytta/", meetings.meeting_move, name="meeting_move"),
    path("moten/<int:row_pk>/ta-bort/", confirm_delete, {"deletion": meetings.MEETING_DELETION}, name="meeting_delete"),
    path("aktiviteter/", meetings.activities, name="activities"),
    path("aktiviteter/ny/", meetings.activity_create, name="activity_create"),
    path("aktiviteter/<int:row_pk>/flytta/", meetings.activity_move, name="activity_move"),
    path(
        "aktiviteter/<int:row_pk>/ta-bort/", confirm_delete, {"deletion": meetings.ACTIVITY_DELETION}, name="activity_delete"
    ),
]
