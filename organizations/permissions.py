"""Who may do what, as ``rules`` predicates shared by views, services and templates.

Roles come from ``Membership``; they are read once per user object and kept on
it, so a page that asks many questions costs one query.

Local administration: the local administrators of an organisation (and the
national administrator, a superuser) invite people to it, give them roles,
and speak for it in its partnerships: propose, accept, change the signing
requirements, extend themes and areas. Views load what they show through
``visible_to`` (outside your organisations: 404) and then ask these
predicates (visible but not allowed: 403); services ask them again.
"""

import rules

from organizations.models import Membership, Organisation, Partnership, PartnershipProposal

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


def administered_ids(user, organisation_ids) -> set[int]:
    """Those of ``organisation_ids`` that ``user`` is a local administrator of."""
    held = roles_by_organisation(user)
    return {org_id for org_id in organisation_ids if Role.ADMIN in held.get(org_id, ())}


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    return organisation is not None and organisation.pk in roles_by_organisation(user)


@rules.predicate
def is_organisation_coordinator(user, organisation) -> bool:
    return organisation is not None and has_role_in(user, [organisation.pk], Role.COORDINATOR)


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    return organisation is not None and has_role_in(user, [organisation.pk], Role.ADMIN)


@rules.predicate
def is_proposing_kind(user, organisation) -> bool:
    return organisation is not None and organisation.kind in (
        Organisation.Kind.MUNICIPALITY,
        Organisation.Kind.POLICE_AREA,
    )


@rules.predicate
def is_partnership_member(user, partnership) -> bool:
    return partnership is not None and has_role_in(user, partnership.party_ids(), *Role.values)


@rules.predicate
def is_partnership_coordinator(user, partnership) -> bool:
    return partnership is not None and has_role_in(user, partnership.party_ids(), Role.COORDINATOR)


@rules.predicate
def is_partnership_signatory(user, partnership) -> bool:
    return partnership is not None and has_role_in(user, partnership.party_ids(), Role.SIGNATORY)


@rules.predicate
def is_partnership_admin(user, partnership) -> bool:
    return partnership is not None and has_role_in(user, partnership.party_ids(), Role.ADMIN)


@rules.predicate
def is_active_partnership(user, partnership) -> bool:
    return partnership is not None and partnership.status == Partnership.Status.ACTIVE


@rules.predicate
def is_proposed_partnership(user, partnership) -> bool:
    return partnership is not None and partnership.status == Partnership.Status.PROPOSED


@rules.predicate
def is_proposer_admin(user, partnership) -> bool:
    """Administers the party that proposed the partnership (it may still shape the proposal)."""
    return (
        partnership is not None
        and partnership.proposed_by_id is not None
        and has_role_in(user, [partnership.proposed_by_id], Role.ADMIN)
    )


@rules.predicate
def can_answer_proposal(user, proposal) -> bool:
    """Administers a party that has still to accept the open ``proposal``."""
    if proposal is None or proposal.status != PartnershipProposal.Status.OPEN:
        return False
    if user.is_superuser:
        return True
    accepted = {a.organisation_id for a in proposal.acceptances.all()}
    waiting = proposal.partnership.party_ids() - accepted - {proposal.proposed_by_id}
    return bool(administered_ids(user, waiting))


@rules.predicate
def can_withdraw_proposal(user, proposal) -> bool:
    if proposal is None or proposal.status != PartnershipProposal.Status.OPEN:
        return False
    return user.is_superuser or has_role_in(user, [proposal.proposed_by_id], Role.ADMIN)


is_admin = rules.is_superuser

can_view_organisation = is_admin | is_organisation_member
can_administer_organisation = is_admin | is_organisation_admin
can_manage_memberships = can_administer_organisation
can_view_history = is_admin | is_organisation_admin | is_organisation_coordinator
# Only kommuner and lokalpolisområden propose; other partners are invited into a proposal.
can_propose_partnership = is_proposing_kind & can_administer_organisation
can_view_partnership = is_admin | is_partnership_member
# Promises and lägesbilder are written only in a partnership every party agreed to.
can_coordinate_partnership = is_active_partnership & (is_admin | is_partnership_coordinator)
can_administer_partnership = is_admin | is_partnership_admin
# While proposed, the proposing side shapes the requirements (the others accept them with
# the partnership); once agreed, any side proposes a new set that the others must accept.
can_edit_proposed_requirements = is_proposed_partnership & (is_admin | is_proposer_admin)
can_propose_requirements = is_active_partnership & can_administer_partnership
can_change_requirements = can_edit_proposed_requirements | can_propose_requirements
can_manage_vocabulary = is_active_partnership & can_administer_partnership

rules.add_perm("organizations.see_organisation", can_view_organisation)
rules.add_perm("organizations.manage_memberships", can_manage_memberships)
rules.add_perm("organizations.administer_organisation", can_administer_organisation)
rules.add_perm("organizations.see_history", can_view_history)
rules.add_perm("organizations.propose_partnership", can_propose_partnership)
rules.add_perm("organizations.see_partnership", can_view_partnership)
rules.add_perm("organizations.coordinate_partnership", can_coordinate_partnership)
rules.add_perm("organizations.administer_partnership", can_administer_partnership)
rules.add_perm("organizations.change_requirements", can_change_requirements)
rules.add_perm("organizations.manage_vocabulary", can_manage_vocabulary)
rules.add_perm("organizations.answer_proposal", can_answer_proposal)
rules.add_perm("organizations.withdraw_proposal", can_withdraw_proposal)
