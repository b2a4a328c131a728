"""The chief's writes on the follow-up page: the forecasts that override the default and
the comments on variances (one save for the whole page), and the tertial report marked
sent to the board, after which its PDF is kept as it was sent.

The outcome itself is written by `followup.services` (imports and typing)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from budgets.models import BudgetLine
from followup.models import FollowUp, Forecast, VarianceComment

STALE_MESSAGE = _(
    "Någon annan har ändrat uppföljningen sedan du öppnade sidan. Här är de nuvarande värdena – gör om din ändring."
)


class StaleFollowUp(Exception):
    """The page was made from an older version of the follow-up than the stored one."""


def _lock(follow_up: FollowUp, seen_version: int | None) -> FollowUp:
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if seen_version is None or locked.version != seen_version:
        raise StaleFollowUp()
    return locked


@transaction.atomic
def follow_up_explain(
    *,
    follow_up: FollowUp,
    forecasts: dict[BudgetLine, Decimal | None],
    line_comments: dict[BudgetLine, str],
    group_comments: dict[str, str],
    seen_version: int | None,
    acting_user,
) -> FollowUp:
    """Store the chief's forecasts (None: back to the default) and comments (blank: none),
    refused with StaleFollowUp when the follow-up changed since `seen_version`."""
    locked = _lock(follow_up, seen_version)
    for line, amount in forecasts.items():
        if amount is None:
            Forecast.objects.filter(follow_up=locked, line=line).delete()
        else:
            forecast = Forecast.objects.filter(follow_up=locked, line=line).first() or Forecast(follow_up=locked, line=line)
            forecast.amount = amount
            forecast.full_clean()
            forecast.save()
    for line, text in line_comments.items():
        _store_comment(VarianceComment.objects.filter(follow_up=locked, line=line), locked, text, line=line)
    for group, text in group_comments.items():
        _store_comment(
            VarianceComment.objects.filter(follow_up=locked, line__isnull=True, group=group), locked, text, group=group
        )
    locked.version += 1
    locked.save(update_fields=["version", "updated"])
    return locked


def _store_comment(existing, follow_up, text: str, *, line=None, group: str = "") -> None:
    text = text.strip()
    comment = existing.first()
    if not text:
        if comment is not None:
            comment.delete()
        return
    comment = comment or VarianceComment(follow_up=follow_up, line=line, group=group)
    comment.text = text
    comment.full_clean()
    comment.save()


@transaction.atomic
def follow_up_mark_sent(*, follow_up: FollowUp, pdf: bytes, sent_on: datetime.date, acting_user) -> FollowUp:
    """Keep the tertial report as sent to the board on `sent_on`; from then on the
    report is this PDF, whatever changes later."""
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    locked.report_pdf.save(
        f"delarsrapport-{locked.plan_id}-{locked.period_end.isoformat()}.pdf", ContentFile(pdf), save=False
    )
    locked.sent_to_board_on = sent_on
    locked.version += 1
    locked.full_clean()
    locked.save()
    return locked
