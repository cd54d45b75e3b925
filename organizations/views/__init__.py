"""Workspace pages for organisations, partnerships and their local administration.

Thin views: load (scoped to the user) → check a ``permissions`` predicate →
one service call → respond. Every action is a plain form POST, so all of it
works without JavaScript.
"""

from organizations.views.members import (
    invitation_create,
    invitation_resend,
    invitation_revoke,
    member_deactivate,
    membership_create,
    membership_delete,
    membership_update,
)
from organizations.views.pages import (
    dashboard_panel,
    first_run_panel,
    organisation_detail,
    organisation_history,
    organisation_list,
    partnership_detail,
)
from organizations.views.partnerships import (
    partnership_propose,
    proposal_accept,
    proposal_decline,
    proposal_withdraw,
    requirements_update,
)
from organizations.views.vocabulary import (
    area_delete,
    area_update,
    theme_delete,
    theme_update,
    vocabulary,
)

__all__ = [
    "area_delete",
    "area_update",
    "dashboard_panel",
    "first_run_panel",
    "invitation_create",
    "invitation_resend",
    "invitation_revoke",
    "member_deactivate",
    "membership_create",
    "membership_delete",
    "membership_update",
    "organisation_detail",
    "organisation_history",
    "organisation_list",
    "partnership_detail",
    "partnership_propose",
    "proposal_accept",
    "proposal_decline",
    "proposal_withdraw",
    "requirements_update",
    "theme_delete",
    "theme_update",
    "vocabulary",
]
