"""Who may do what with a promise. Used by views, services and templates alike."""

import rules

from organizations.models import Membership
from organizations.permissions import can_coordinate_partnership, can_view_partnership


@rules.predicate
def can_view_promise(user, promise) -> bool:
    return promise is not None and can_view_partnership(user, promise.partnership)


@rules.predicate
def can_coordinate_promise(user, promise) -> bool:
    return promise is not None and can_coordinate_partnership(user, promise.partnership)


@rules.predicate
def can_edit_promise(user, promise) -> bool:
    return promise is not None and promise.is_editable and can_coordinate_promise(user, promise)


def signing_roles(user) -> set[tuple[int, str]]:
    """``{(organisation_id, signing_role)}`` the user may sign in, memoised on the user."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_signing_roles", None)
    if cached is None:
        cached = set(
            Membership.objects.filter(user=user, role=Membership.Role.SIGNATORY).values_list(
                "organisation_id", "signing_role"
            )
        )
        user._signing_roles = cached
    return cached


def signable_requirements(user, promise, version):
    """The requirements of ``version`` that ``user`` may fill now.

    A requirement matches when the user signs for its organisation in its
    signing role; one already signed is taken. With separate signatories (the
    default) a user who signed the version has nothing left to fill, however
    many roles they hold.
    """
    if version is None or not user.is_authenticated:
        return []
    signatures = list(version.signatures.all())
    partnership = promise.partnership
    if partnership.separate_signatories and any(s.signer_id == user.pk for s in signatures):
        return []
    held = signing_roles(user)
    signed = {s.requirement_id for s in signatures}
    return [
        requirement
        for requirement in partnership.signatory_requirements.all()
        if requirement.pk not in signed
        and (requirement.organisation_id, requirement.signing_role) in held
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
