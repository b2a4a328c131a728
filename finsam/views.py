from django.db import DatabaseError, connection
from django.db.models import Count, Min
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult


# Tasks waiting longer than this mean the PDF worker is down or cannot keep up.
TASK_QUEUE_DELAYED_SECONDS = 300


def task_queue_state() -> dict:
    """How many tasks wait for a worker and how long the oldest has waited."""
    waiting = DBTaskResult.objects.ready().aggregate(count=Count("pk"), oldest=Min("enqueued_at"))
    age = (timezone.now() - waiting["oldest"]).total_seconds() if waiting["oldest"] else 0
    return {
        "status": "delayed" if age > TASK_QUEUE_DELAYED_SECONDS else "ok",
        "waiting": waiting["count"],
        "oldest_seconds": round(age),
    }


@never_cache
@require_GET
def health(request):
    """For a load balancer and monitoring: 200 when the app can reach its database, 503
    when it cannot; and the task queue's state. A delayed queue (no worker, or too few)
    still answers 200, so that the web servers keep serving pages, and says "delayed"."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        tasks = task_queue_state()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "tasks": tasks})


def bad_request(request, exception=None):
    """The app's own 400 page, in Swedish: too many fields, too large a post, a malformed request."""
    return render(request, "400.html", status=400)
