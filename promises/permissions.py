"""Who may do what with a promise. Used by views, services and templates alike."""

import rules

from organizations.models import Membership
from organizations.permissions import (
    can_coordinate_partnership,
    can_view_partnership,
    roles_by_organisation,
)


@rules.predicate
def can_view_promise(user, promise) -> bool:
    return promise is not None and can_view_partnership(user, promise.partnership)


@rules.predicate
def can_coordinate_promise(user, promise) -> bool:
    return promise is not None and can_coordinate_partnership(user, promise.partnership)


@rules.predicate
def can_edit_promise(user, promise) -> bool:
    return promise is not None and promise.is_editable and can_coordinate_promise(user, promise)


def signable_requirements(user, promise, version):
    """The signing requirements ``user`` can fulfil on ``version`` that nobody has yet."""
    if version is None or not user.is_authenticated:
        return []
    held = roles_by_organisation(user)
    signed = {s.requirement_id for s in version.signatures.all()}
    return [
        requirement
        for requirement in promise.partnership.signatory_requirements.all()
        if requirement.pk not in signed
        and Membership.Role.SIGNATORY in held.get(requirement.organisation_id, ())
    ]


@rules.predicate
def can_sign_promise(user, promise) -> bool:
    if promise is None or promise.status != promise.Status.AWAITING_SIGNATURES:
        return False
    return bool(signable_requirements(user, promise, promise.current_version()))


rules.add_perm("promises.see_promise", can_view_promise)
rules.add_perm("promises.coordinate_promise", can_coordinate_promise)
rules.add_perm("promises.edit_promise", can_edit_promise)
rules.add_perm("promises.sign_promise", can_sign_promise)
