"""Editing a plan's parts: profile, members, columns, the budget grid, contributions, lines, chapters, meetings, activities."""

from django.urls import path

from budgets import edit_views as views
from budgets.editing import grid

app_name = "edit"

urlpatterns = [
    path("redigera/", views.profile, name="profile"),
    path("medlemmar/", views.members, name="members"),
    path("medlemmar/<int:member_pk>/", views.member_edit, name="member"),
    path("medlemmar/<int:member_pk>/ta-bort/", views.member_delete, name="member_delete"),
    path("kolumner/", views.columns, name="columns"),
    path("kolumner/<int:column_pk>/flytta/", views.column_move, name="column_move"),
    path("kolumner/<int:column_pk>/ta-bort/", views.column_delete, name="column_delete"),
    path("budget/", grid.grid, name="grid"),
    path("budget/summor/", grid.grid_live, name="grid_live"),
    path("bidrag/", views.contributions, name="contributions"),
    path("bidrag/nyckel/", views.contributions_key, name="contributions_key"),
    path("rader/", views.lines, name="lines"),
    path("rader/<slug:section_slug>/", views.lines_save, name="lines_save"),
    path("rader/<slug:section_slug>/ny/", views.line_create, name="line_create"),
    path("rad/<int:line_pk>/flytta/", views.line_move, name="line_move"),
    path("rad/<int:line_pk>/ta-bort/", views.line_delete, name="line_delete"),
    path("kapitel/", views.chapters, name="chapters"),
    path("kapitel/<int:row_pk>/", views.chapter_save, name="chapter"),
    path("kapitel/<int:row_pk>/flytta/", views.row_move, {"kind": "chapter"}, name="chapter_move"),
    path("kapitel/<int:row_pk>/ta-bort/", views.row_delete, {"kind": "chapter"}, name="chapter_delete"),
    path("moten/", views.meetings, name="meetings"),
    path("moten/ny/", views.meeting_create, name="meeting_create"),
    path("moten/<int:row_pk>/flytta/", views.row_move, {"kind": "meeting"}, name="meeting_move"),
    path("moten/<int:row_pk>/ta-bort/", views.row_delete, {"kind": "meeting"}, name="meeting_delete"),
    path("aktiviteter/", views.activities, name="activities"),
    path("aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("aktiviteter/<int:row_pk>/flytta/", views.row_move, {"kind": "activity"}, name="activity_move"),
    path("aktiviteter/<int:row_pk>/ta-bort/", views.row_delete, {"kind": "activity"}, name="activity_delete"),
]
