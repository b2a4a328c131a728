from django.urls import path

from board import views

app_name = "board"

urlpatterns = [
    path("plan/<int:pk>/skicka/", views.plan_send_view, name="send"),
    path("plan/<int:pk>/kommentarer/", views.comment_list, name="comments"),
    path("plan/<int:pk>/kommentarer/<int:comment_pk>/", views.comment_thread, name="comment"),
    path("plan/<int:pk>/kommentarer/<int:comment_pk>/los/", views.comment_resolve, name="comment_resolve"),
    path("plan/<int:pk>/kommentarer/<int:comment_pk>/oppna/", views.comment_reopen, name="comment_reopen"),
    path("konto/aviseringar/", views.preferences, name="preferences"),
]
