"""Roles and titles in an organisation, and deactivation."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import require
from organizations import permissions as perms
from organizations.models import (
    Membership,
    Organisation,
)
from organizations.services.common import (
    Event,
    Role,
    checked_signing_role,
    log_event,
    name_of,
    role_label,
)


def _keep_an_admin(organisation: Organisation, *, losing: Iterable[int]) -> None:
    """An organisation always keeps a local administrator, or nobody can invite anyone."""
    if (
        Membership.objects.filter(organisation=organisation, role=Role.ADMIN)
        .exclude(pk__in=list(losing))
        .exists()
    ):
        return
    raise ValidationError(
        _("Organisationen måste ha minst en lokal administratör. Ge någon annan rollen först."),
        code="last_admin",
    )


def _lock_membership(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=membership.pk)
    )


def _describe(membership: Membership) -> str:
    text = role_label(membership.role, membership.signing_role)
    if membership.title:
        text = f"{text}, ”{membership.title}”"
    return text


def membership_grant(
    *, user, organisation: Organisation, role: str, title: str = "", signing_role: str = ""
) -> Membership:
    """Give ``user`` a role in ``organisation`` (demo and national set-up, not logged)."""
    membership, _ = Membership.objects.update_or_create(
        user=user,
        organisation=organisation,
        role=role,
        defaults={"title": title, "signing_role": signing_role},
    )
    return membership


@transaction.atomic
def membership_add(
    *,
    actor,
    organisation: Organisation,
    user,
    role: str,
    signing_role: str = "",
    title: str = "",
) -> Membership:
    """Give a member of ``organisation`` one more role there. Newcomers are invited instead."""
    require(
        perms.can_administer_organisation(actor, organisation),
        _("Du administrerar inte %(organisation)s.") % {"organisation": organisation},
    )
    if (
        not actor.is_superuser
        and not Membership.objects.filter(organisation=organisation, user=user).exists()
    ):
        raise ValidationError(
            {"user": _("Personen är inte medlem här. Bjud in hen i stället.")}, code="not_member"
        )
    membership = Membership(
        user=user,
        organisation=organisation,
        role=role,
        signing_role=checked_signing_role(organisation, role, signing_role),
        title=title.strip(),
    )
    membership.full_clean()
    membership.save()
    log_event(
        Event.MEMBERSHIP_ADDED,
        actor=actor,
        organisation=organisation,
        summary=_("Gav %(name)s rollen %(role)s.")
        % {"name": name_of(user), "role": _describe(membership)},
    )
    perms.forget_roles(user)
    return membership


@transaction.atomic
def membership_update(
    *, actor, membership: Membership, role: str, signing_role: str = "", title: str = ""
) -> Membership:
    """Change one membership's role, signing role and title."""
    membership = _lock_membership(membership)
    organisation = membership.organisation
    require(
        perms.can_administer_organisation(actor, organisation),
        _("Du administrerar inte %(organisation)s.") % {"organisation": organisation},
    )
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _keep_an_admin(organisation, losing=[membership.pk])
    before = _describe(membership)
    membership.role = role
    membership.signing_role = checked_signing_role(organisation, role, signing_role)
    membership.title = title.strip()
    membership.full_clean()
    after = _describe(membership)
    if before == after:
        return membership
    membership.save()
    log_event(
        Event.MEMBERSHIP_CHANGED,
        actor=actor,
        organisation=organisation,
        summary=_("Ändrade %(name)s från %(before)s till %(after)s.")
        % {"name": name_of(membership.user), "before": before, "after": after},
    )
    perms.forget_roles(membership.user)
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Take one role away; the person keeps any other role in the organisation."""
    membership = _lock_membership(membership)
    organisation = membership.organisation
    require(
        perms.can_administer_organisation(actor, organisation),
        _("Du administrerar inte %(organisation)s.") % {"organisation": organisation},
    )
    if membership.role == Role.ADMIN:
        _keep_an_admin(organisation, losing=[membership.pk])
    description = _describe(membership)
    membership.delete()
    log_event(
        Event.MEMBERSHIP_REMOVED,
        actor=actor,
        organisation=organisation,
        summary=_("Tog bort rollen %(role)s från %(name)s.")
        % {"role": description, "name": name_of(membership.user)},
    )
    perms.forget_roles(membership.user)


@transaction.atomic
def member_deactivate(*, actor, organisation: Organisation, user) -> bool:
    """Remove every role ``user`` has in ``organisation``.

    An account left with no organisation at all (and that is not the national
    administrator's) is switched off, so it can no longer sign in. Returns
    whether it was. Signatures and history keep the name.
    """
    require(
        perms.can_administer_organisation(actor, organisation),
        _("Du administrerar inte %(organisation)s.") % {"organisation": organisation},
    )
    memberships = list(
        Membership.objects.select_for_update().filter(organisation=organisation, user=user)
    )
    if not memberships:
        raise ValidationError(_("Personen är inte medlem i organisationen."), code="not_member")
    if user.pk == actor.pk:
        raise ValidationError(_("Du kan inte stänga av dig själv."), code="self")
    _keep_an_admin(organisation, losing=[m.pk for m in memberships])
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).delete()
    switched_off = False
    if not Membership.objects.filter(user=user).exists() and not (
        user.is_staff or user.is_superuser
    ):
        user.is_active = False
        user.save(update_fields=["is_active"])
        switched_off = True
    log_event(
        Event.MEMBER_DEACTIVATED,
        actor=actor,
        organisation=organisation,
        summary=(
            _("Stängde av %(name)s: alla roller borttagna och kontot avstängt.")
            if switched_off
            else _("Stängde av %(name)s: alla roller i organisationen borttagna.")
        )
        % {"name": name_of(user)},
    )
    perms.forget_roles(user)
    return switched_off
