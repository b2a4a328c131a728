"""What every page of the chief's editor shares: write access to the plan (outsiders
404, readers and adopted plans 403, through `federations.access.get_plan_for_user`),
the version the page was made from, and the refusal of a save made from an older one.
"""

from budgets.edit_views import (  # noqa: F401  (the editor's shared machinery, re-exported)
    STALE_MESSAGE,
    edit_view,
    load_plan_for_edit,
    posted_version,
    render_edit_page,
)
from budgets.services import StaleEdit, plan_record_change  # noqa: F401
