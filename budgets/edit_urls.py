"""Editing a plan's parts: profile, members, columns, contributions, lines, chapters, meetings, activities."""

app_name = "edit"

urlpatterns = []
