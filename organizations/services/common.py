"""What every service here shares: the history entry, the names in it, the role fields."""

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from organizations.models import (
    Membership,
    Organisation,
    OrganisationEvent,
    SigningRole,
    check_signing_role,
)

Role = Membership.Role
Event = OrganisationEvent.Kind

DEFAULT_POLICE_SIGNATORY = (SigningRole.POLICE_AREA_CHIEF, "Lokalpolisområdeschef")
DEFAULT_MUNICIPAL_SIGNATORY = (SigningRole.MUNICIPAL_REPRESENTATIVE, "Kommunens företrädare")
#: How long an invitation link works. Sending it again starts a new period.
INVITATION_VALIDITY = timedelta(days=7)

#: ``(organisation, signing role, title on the document)``
RequirementSpec = tuple[Organisation, str, str]


def log_event(kind: str, *, actor, summary: str, organisation=None, partnership=None) -> None:
    OrganisationEvent.objects.create(
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        partnership=partnership,
        summary=summary[:500],
    )


def name_of(user) -> str:
    return str(user) if user is not None else ""


def role_label(role: str, signing_role: str = "") -> str:
    label = str(Role(role).label).lower()
    if signing_role:
        label = f"{label} ({str(SigningRole(signing_role).label).lower()})"
    return label


def names_of(organisations: Iterable[Organisation]) -> str:
    return ", ".join(o.display_name for o in organisations)


def checked_signing_role(organisation: Organisation, role: str, signing_role: str) -> str:
    """The signing role to store: required for signatories, fitting the organisation."""
    if role != Role.SIGNATORY:
        return ""
    if not signing_role:
        raise ValidationError(
            {"signing_role": _("Ange i vilken egenskap undertecknaren skriver under.")},
            code="signing_role_missing",
        )
    check_signing_role(organisation, signing_role, "signing_role")
    return signing_role


def record_admin_change(*, actor, summary: str, organisation=None, partnership=None) -> None:
    """Put a change made in the Django admin in the organisation's history too."""
    if organisation is None and partnership is None:
        return
    log_event(
        Event.ADMIN_CHANGE,
        actor=actor,
        organisation=organisation,
        partnership=partnership,
        summary=summary,
    )
