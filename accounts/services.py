"""Changes to accounts: deactivation and erasure of personal data (GDPR art. 17).

An account is never deleted once it has taken part in the record (signed,
frozen a version, moved a promise, reported an activity): those rows point
at it and some of them are append-only. Erasure instead empties the account
in place — name, e-mail, username, password, memberships, login records —
and deactivates it. Signatures keep the name and title copied at signing,
as the signed record requires.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import require


@transaction.atomic
def user_deactivate(*, actor, user):
    """Stop the account from signing in; keeps its data."""
    require(actor.is_superuser, _("Bara en administratör kan stänga av konton."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_erase(*, actor, user):
    """Erase the account's personal data and deactivate it. Idempotent."""
    require(actor.is_superuser, _("Bara en administratör kan radera personuppgifter."))
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from organizations.models import Membership

    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    old_username = user.username
    user.username = f"raderad-{user.pk}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = user.erased_at or timezone.now()
    user.save()
    Membership.objects.filter(user=user).delete()
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username=old_username).delete()
    return user
