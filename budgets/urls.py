from django.urls import path

from budgets import excel_views, views

app_name = "budgets"

urlpatterns = [
    path("", views.start, name="start"),
    path("plan/<int:pk>/", views.plan_detail, name="plan"),
    path("plan/<int:pk>/faststall/", views.plan_adopt_view, name="adopt"),
    path("plan/<int:pk>/ny-revision/", views.plan_revise_view, name="revise"),
    path("plan/<int:pk>/nasta-ar/", views.plan_roll_forward_view, name="roll_forward"),
    path("plan/<int:pk>/historik/", views.plan_history, name="history"),
    path("plan/<int:pk>/angivna-summor/ta-bort/", views.plan_clear_stated_view, name="clear_stated"),
    path("plan/<int:pk>/excel/", excel_views.plan_excel, name="excel"),
    path("plan/<int:pk>/csv/", excel_views.plan_csv_view, name="csv"),
    path("plan/<int:pk>/las-in-excel/", excel_views.plan_excel_upload, name="excel_upload"),
    path("plan/<int:pk>/las-in-excel/spara/", excel_views.plan_excel_save, name="excel_save"),
]
