"""State changes for organisations and partnerships, each written to the organisation's history.

Every function here is keyword-only, runs in one transaction, checks the
actor's permission itself (views ask the same ``organizations.permissions``
predicates first, so a button and its service never disagree), calls
``full_clean()`` before saving, writes an ``OrganisationEvent``, and sends
e-mail only once the transaction has committed.
"""

from organizations.services.common import (
    DEFAULT_MUNICIPAL_SIGNATORY,
    DEFAULT_POLICE_SIGNATORY,
    INVITATION_VALIDITY,
    RequirementSpec,
    record_admin_change,
)
from organizations.services.invitations import (
    invitation_accept,
    invitation_check,
    invitation_create,
    invitation_for_token,
    invitation_resend,
    invitation_revoke,
    invitation_url,
    token_hash,
)
from organizations.services.members import (
    member_deactivate,
    membership_add,
    membership_grant,
    membership_remove,
    membership_update,
)
from organizations.services.partnerships import (
    default_requirements,
    partnership_add_default_requirements,
    partnership_create,
    partnership_propose,
    promises_awaiting_signatures,
    proposal_accept,
    proposal_decline,
    proposal_withdraw,
    requirements_edit_proposed,
    requirements_propose,
)
from organizations.services.vocabulary import (
    area_create,
    area_delete,
    area_update,
    theme_create,
    theme_delete,
    theme_update,
)

__all__ = [
    "DEFAULT_MUNICIPAL_SIGNATORY",
    "DEFAULT_POLICE_SIGNATORY",
    "INVITATION_VALIDITY",
    "RequirementSpec",
    "area_create",
    "area_delete",
    "area_update",
    "default_requirements",
    "invitation_accept",
    "invitation_check",
    "invitation_create",
    "invitation_for_token",
    "invitation_resend",
    "invitation_revoke",
    "invitation_url",
    "member_deactivate",
    "membership_add",
    "membership_grant",
    "membership_remove",
    "membership_update",
    "partnership_add_default_requirements",
    "partnership_create",
    "partnership_propose",
    "promises_awaiting_signatures",
    "proposal_accept",
    "proposal_decline",
    "proposal_withdraw",
    "record_admin_change",
    "requirements_edit_proposed",
    "requirements_propose",
    "theme_create",
    "theme_delete",
    "theme_update",
    "token_hash",
]
