"""Work done by the task worker (`manage.py db_worker`), never in a web request."""

from django.tasks import task


@task()
def render_changes_pdf(rendered_id: int) -> None:
    """Render the appendix asked for by a `RenderedChanges` row and keep it in storage."""
    from compare.services import render_kept_changes

    render_kept_changes(rendered_id)
