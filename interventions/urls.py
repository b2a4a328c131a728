"""The chief's pages for a plan's interventions (insatser)."""

from django.urls import path

from budgets.editing.base import confirm_delete
from interventions import views

app_name = "interventions"

urlpatterns = [
    path("", views.intervention_list, name="list"),
    path("ny/", views.intervention_create, name="create"),
    path("<int:intervention_pk>/", views.intervention_edit, name="edit"),
    path("<int:intervention_pk>/ta-bort/", confirm_delete, {"deletion": views.DELETION}, name="delete"),
]
