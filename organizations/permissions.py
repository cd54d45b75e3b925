"""Who may do what, as ``rules`` predicates shared by views, services and templates.

Roles come from ``Membership``; they are read once per user object and kept on
it, so a page that asks many questions costs one query.
"""

import rules

from organizations.models import Membership

Role = Membership.Role


def roles_by_organisation(user) -> dict[int, frozenset[str]]:
    """``{organisation_id: {role, …}}`` for ``user``, memoised on the user object."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_organisation_roles", None)
    if cached is None:
        found: dict[int, set[str]] = {}
        for org_id, role in Membership.objects.filter(user=user).values_list(
            "organisation_id", "role"
        ):
            found.setdefault(org_id, set()).add(role)
        cached = {org_id: frozenset(roles) for org_id, roles in found.items()}
        user._organisation_roles = cached
    return cached


def forget_roles(user) -> None:
    """Drop the memoised roles after memberships change."""
    user.__dict__.pop("_organisation_roles", None)


def has_role_in(user, organisation_ids, *roles: str) -> bool:
    held = roles_by_organisation(user)
    return any(held.get(org_id, frozenset()) & set(roles) for org_id in organisation_ids)


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    return organisation is not None and organisation.pk in roles_by_organisation(user)


@rules.predicate
def is_organisation_coordinator(user, organisation) -> bool:
    return organisation is not None and has_role_in(user, [organisation.pk], Role.COORDINATOR)


@rules.predicate
def is_partnership_member(user, partnership) -> bool:
    return partnership is not None and has_role_in(user, partnership.party_ids(), *Role.values)


@rules.predicate
def is_partnership_coordinator(user, partnership) -> bool:
    return partnership is not None and has_role_in(user, partnership.party_ids(), Role.COORDINATOR)


@rules.predicate
def is_partnership_signatory(user, partnership) -> bool:
    return partnership is not None and has_role_in(user, partnership.party_ids(), Role.SIGNATORY)


is_admin = rules.is_superuser

can_view_organisation = is_admin | is_organisation_member
can_manage_memberships = is_admin | is_organisation_coordinator
can_view_partnership = is_admin | is_partnership_member
can_coordinate_partnership = is_admin | is_partnership_coordinator

rules.add_perm("organizations.see_organisation", can_view_organisation)
rules.add_perm("organizations.manage_memberships", can_manage_memberships)
rules.add_perm("organizations.see_partnership", can_view_partnership)
rules.add_perm("organizations.coordinate_partnership", can_coordinate_partnership)
