"""A stand-in for the follow-up's detail page until it is built: it sends the reader
to the outcome page of the period. (Dropped when the real `followup:detail` arrives.)"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from federations.access import get_plan_for_follow_up
from followup.views import _follow_up


@login_required
def detail(request, pk, period):
    plan = get_plan_for_follow_up(request, pk)
    follow_up = _follow_up(plan, period)
    return redirect("followup:outcome", pk=plan.pk, period=follow_up.period_end.isoformat())
