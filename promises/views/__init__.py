"""The promise workspace under /arbetsyta/loften/.

Every view: load through ``Promise.objects.visible_to(user)`` (other
organisations' promises are 404) → check the permission (visible but not
allowed is 403) → one service call → respond. Each htmx request gets a
template partial; the same URL without htmx serves a whole page or redirects,
so everything works without JavaScript.
"""

from promises.views.commitments import (
    commitment_create,
    commitment_delete,
    commitment_detail,
    commitment_move,
    commitment_update,
)
from promises.views.common import dashboard_panel
from promises.views.pages import (
    promise_create,
    promise_detail,
    promise_list,
    promise_update,
)
from promises.views.paper import (
    promise_paper_confirm,
    promise_paper_reject,
    promise_paper_scan,
    promise_paper_signatures,
)
from promises.views.workflow import (
    promise_amend,
    promise_copy_forward,
    promise_diff,
    promise_history_view,
    promise_return,
    promise_sign,
    promise_submit,
)

__all__ = [
    "commitment_create",
    "commitment_delete",
    "commitment_detail",
    "commitment_move",
    "commitment_update",
    "dashboard_panel",
    "promise_amend",
    "promise_copy_forward",
    "promise_create",
    "promise_detail",
    "promise_diff",
    "promise_history_view",
    "promise_list",
    "promise_paper_confirm",
    "promise_paper_reject",
    "promise_paper_scan",
    "promise_paper_signatures",
    "promise_return",
    "promise_sign",
    "promise_submit",
    "promise_update",
]
