"""E-mail sent by the task worker (`manage.py db_worker`), never in a web request."""

from django.tasks import task


@task()
def notify_plan_sent(sending_id: int) -> None:
    """Tell the board (or the member contacts) that a draft was sent to them."""
    from board.notifications import plan_sent

    plan_sent(sending_id)


@task()
def notify_new_comment(comment_id: int) -> None:
    """Tell the chief about a new comment."""
    from board.notifications import new_comment

    new_comment(comment_id)


@task()
def notify_comment_answered(answer_id: int) -> None:
    """Tell the commenter that the chief answered."""
    from board.notifications import comment_answered

    comment_answered(answer_id)


@task()
def notify_plan_adopted(plan_id: int) -> None:
    """Tell the board that a plan was adopted."""
    from board.notifications import plan_adopted

    plan_adopted(plan_id)
