"""Invitations by e-mail: a one-time link, valid for seven days, of which only a hash is kept."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import mfa
from core.services import require
from core.tasks import send_email
from organizations import permissions as perms
from organizations.models import (
    Invitation,
    Membership,
    Organisation,
)
from organizations.services.common import (
    INVITATION_VALIDITY,
    Event,
    checked_signing_role,
    log_event,
    name_of,
    role_label,
)


def _invitee(invitation: Invitation) -> str:
    """Who, in the history: the name when there is one, so that few addresses are kept there."""
    return invitation.name or invitation.email


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:invitation-accept", kwargs={"token": token})


def _send_invitation(invitation: Invitation, token: str) -> None:
    """E-mail the link once the transaction commits; the token exists nowhere else."""
    subject = _("Inbjudan till Medborgarlöfte: %(organisation)s") % {
        "organisation": invitation.organisation
    }
    body = render_to_string(
        "organizations/email/invitation.txt",
        {
            "invitation": invitation,
            "role": role_label(invitation.role, invitation.signing_role),
            "url": invitation_url(token),
        },
    )
    address = invitation.email
    transaction.on_commit(lambda: send_email.enqueue(str(subject), body, [address]))


@transaction.atomic
def invitation_create(
    *,
    actor,
    organisation: Organisation,
    email: str,
    role: str,
    signing_role: str = "",
    title: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Invite someone by e-mail to ``organisation`` in ``role``; the link works for 7 days.

    The returned object carries the link's token as ``token`` (for the caller
    only: the database keeps its hash).
    """
    require(
        perms.can_administer_organisation(actor, organisation),
        _("Du administrerar inte %(organisation)s.") % {"organisation": organisation},
    )
    email = email.strip()
    signing_role = checked_signing_role(organisation, role, signing_role)
    if Membership.objects.filter(
        organisation=organisation, role=role, user__email__iexact=email
    ).exists():
        raise ValidationError(
            {"email": _("Personen har redan den rollen i organisationen.")},
            code="already_member",
        )
    token, digest = _new_token()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        signing_role=signing_role,
        title=title.strip(),
        token_sha256=digest,
        expires_at=timezone.now() + INVITATION_VALIDITY,
        invited_by=actor,
    )
    invitation.full_clean()
    invitation.save()
    _send_invitation(invitation, token)
    log_event(
        Event.INVITATION_SENT,
        actor=actor,
        organisation=organisation,
        summary=_("Bjöd in %(who)s som %(role)s.")
        % {
            "who": _invitee(invitation),
            "role": role_label(role, signing_role),
        },
    )
    invitation.token = token
    return invitation


def _lock_invitation(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> Invitation:
    """Send a new link with a new period; the old link stops working."""
    invitation = _lock_invitation(invitation)
    require(
        perms.can_administer_organisation(actor, invitation.organisation),
        _("Du administrerar inte %(organisation)s.") % {"organisation": invitation.organisation},
    )
    if invitation.status != Invitation.Status.OPEN:
        raise ValidationError(_("Inbjudan är redan accepterad eller återkallad."), code="closed")
    token, digest = _new_token()
    invitation.token_sha256 = digest
    invitation.expires_at = timezone.now() + INVITATION_VALIDITY
    invitation.sent_count += 1
    invitation.full_clean()
    invitation.save()
    _send_invitation(invitation, token)
    log_event(
        Event.INVITATION_RESENT,
        actor=actor,
        organisation=invitation.organisation,
        summary=_("Skickade inbjudan till %(who)s igen.") % {"who": _invitee(invitation)},
    )
    invitation.token = token
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    invitation = _lock_invitation(invitation)
    require(
        perms.can_administer_organisation(actor, invitation.organisation),
        _("Du administrerar inte %(organisation)s.") % {"organisation": invitation.organisation},
    )
    if invitation.status != Invitation.Status.OPEN:
        raise ValidationError(_("Inbjudan är redan accepterad eller återkallad."), code="closed")
    invitation.status = Invitation.Status.REVOKED
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["status", "revoked_at", "updated_at"])
    log_event(
        Event.INVITATION_REVOKED,
        actor=actor,
        organisation=invitation.organisation,
        summary=_("Återkallade inbjudan till %(who)s.") % {"who": _invitee(invitation)},
    )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link names, whatever its state; ``None`` for an unknown link."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_sha256=token_hash(token))
        .first()
    )


def invitation_check(invitation: Invitation | None) -> None:
    """Refuse a link that is unknown, used, revoked or out of date, saying which."""
    if invitation is None or invitation.status != Invitation.Status.OPEN:
        raise ValidationError(
            _(
                "Länken fungerar inte längre. Inbjudan kan redan ha använts eller ha återkallats. "
                "Be administratören om en ny."
            ),
            code="invalid",
        )
    if invitation.is_expired:
        raise ValidationError(
            _("Inbjudan har gått ut. Be administratören skicka den igen."), code="expired"
        )


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user=None,
    username: str = "",
    password: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Join the organisation the link invites to, once.

    A signed-in ``user`` whose e-mail address the invitation names gets the
    role; otherwise a new account is made with ``username`` and ``password``
    (Django's password validators) and the invited address.
    """
    digest = token_hash(token) if token and len(token) <= 100 else ""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(token_sha256=digest)
        .first()
    )
    invitation_check(invitation)
    User = get_user_model()
    if user is not None and user.is_authenticated:
        if user.email.casefold() != invitation.email.casefold():
            raise ValidationError(
                _(
                    "Inbjudan gäller %(email)s, men du är inloggad med ett annat konto. "
                    "Logga ut och öppna länken igen."
                )
                % {"email": invitation.email},
                code="wrong_account",
            )
        # The role may be a signing role: someone who has a second factor takes it
        # only in a session that has used it (django-otp's ``is_verified``).
        verified = getattr(user, "is_verified", None)
        if mfa.has_second_factor(user) and not (callable(verified) and verified()):
            raise ValidationError(
                _("Bekräfta först att det är du med din andra faktor och öppna länken igen."),
                code="second_factor",
            )
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _(
                    "Det finns redan ett konto med e-postadressen %(email)s. Logga in med det "
                    "och öppna länken igen."
                )
                % {"email": invitation.email},
                code="account_exists",
            )
        if User.objects.filter(username__iexact=username.strip()).exists():
            raise ValidationError(
                {"username": _("Användarnamnet är upptaget. Välj ett annat.")},
                code="username_taken",
            )
        user = User(
            username=username.strip(),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=invitation.email,
        )
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password1": error.messages}) from None
        user.set_password(password)
        user.full_clean()
        user.save()
    organisation = invitation.organisation
    membership = Membership.objects.filter(
        user=user, organisation=organisation, role=invitation.role
    ).first() or Membership(user=user, organisation=organisation, role=invitation.role)
    membership.signing_role = invitation.signing_role
    membership.title = invitation.title or membership.title
    membership.full_clean()
    membership.save()
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["status", "accepted_at", "accepted_by", "updated_at"])
    log_event(
        Event.INVITATION_ACCEPTED,
        actor=user,
        organisation=organisation,
        summary=_("%(name)s tackade ja till inbjudan och är nu %(role)s.")
        % {"name": name_of(user), "role": role_label(invitation.role, invitation.signing_role)},
    )
    perms.forget_roles(user)
    return membership
