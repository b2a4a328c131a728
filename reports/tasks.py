"""Work done by the task worker (`manage.py db_worker`), never in a web request."""

from django.tasks import task


@task()
def render_plan_pdf(rendered_id: int) -> None:
    """Render the PDF asked for by a `RenderedPlan` row and keep it in storage."""
    from reports.services import render_kept_pdf

    render_kept_pdf(rendered_id)
