"""Who may do what with follow-ups. Used by views, services and templates alike.

Members of the partnership read follow-ups; its coordinators write them. Each
side approves once: a coordinator of the lokalpolisområde for the police, a
coordinator of one of the kommuner for the municipal side.
"""

import rules

from followups.models import FollowUp, FollowUpApproval
from organizations.models import Membership
from organizations.permissions import roles_by_organisation
from promises.permissions import can_coordinate_promise, can_view_promise

Side = FollowUpApproval.Side


@rules.predicate
def can_view_followup(user, followup) -> bool:
    return followup is not None and can_view_promise(user, followup.promise)


@rules.predicate
def can_edit_followup(user, followup) -> bool:
    return (
        followup is not None
        and followup.status != FollowUp.Status.PUBLISHED
        and can_coordinate_promise(user, followup.promise)
    )


def approval_sides(user, followup) -> dict[str, int]:
    """``{side: organisation_id}`` the user may approve for (superusers: none)."""
    held = roles_by_organisation(user)
    partnership = followup.promise.partnership
    sides = {}
    if Membership.Role.COORDINATOR in held.get(partnership.police_area_id, ()):
        sides[Side.POLICE] = partnership.police_area_id
    for municipality in partnership.municipalities.all():
        if Membership.Role.COORDINATOR in held.get(municipality.pk, ()):
            sides.setdefault(Side.MUNICIPALITY, municipality.pk)
    return sides


def pending_approval_sides(user, followup) -> dict[str, int]:
    """The sides the user could still approve for."""
    if followup is None or followup.status not in (FollowUp.Status.DRAFT,):
        return {}
    done = {a.side for a in followup.approvals.all()}
    return {s: org for s, org in approval_sides(user, followup).items() if s not in done}


@rules.predicate
def can_approve_followup(user, followup) -> bool:
    return bool(pending_approval_sides(user, followup))


@rules.predicate
def can_publish_followup(user, followup) -> bool:
    return (
        followup is not None
        and followup.status == FollowUp.Status.APPROVED
        and can_coordinate_promise(user, followup.promise)
    )


rules.add_perm("followups.see_followup", can_view_followup)
rules.add_perm("followups.edit_followup", can_edit_followup)
rules.add_perm("followups.approve_followup", can_approve_followup)
rules.add_perm("followups.publish_followup", can_publish_followup)
