"""Work done by the task worker (`manage.py db_worker`), never in a web request."""

from django.tasks import task


@task()
def render_follow_up_report(follow_up_id: int, version: int) -> None:
    """Render the tertial report of that version of the follow-up and keep it."""
    from followup.reporting import render_kept_report

    render_kept_report(follow_up_id, version)
