"""People can leave: an account that signed is erased in place, its signature keeps the name."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from accounts.services import user_erase
from organizations.models import Membership
from promises import services
from promises.models import Signature
from tests.factories import PASSWORD, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(kalmar_coordinator, kalmar_partnership, kalmar_police_chief, kalmar_municipal_signatory):
    promise = services.promise_create(
        user=kalmar_coordinator,
        partnership=kalmar_partnership,
        title="Tryggare Kalmar",
        valid_from_date=date(2026, 1, 1),
        valid_to_date=date(2026, 12, 31),
    )
    services.commitment_create(
        user=kalmar_coordinator, promise=promise, party="police", text="Polisen patrullerar."
    )
    services.promise_submit_for_signing(user=kalmar_coordinator, promise=promise)
    for signer in (kalmar_police_chief, kalmar_municipal_signatory):
        sign(signer, promise)
    return promise


def test_erasure_empties_the_account_and_keeps_the_signed_record(
    client, signed, superuser, kalmar_police_chief
):
    name = kalmar_police_chief.get_full_name()
    user = user_erase(actor=superuser, user=kalmar_police_chief)
    assert user.username == f"raderad-{user.pk}"
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert not user.is_active and not user.has_usable_password() and user.erased_at
    assert str(user) == "Raderad användare"
    assert not Membership.objects.filter(user=user).exists()
    signature = Signature.objects.get(signer=user)
    assert signature.signer_name == name
    assert name in client.get(signed.get_public_url()).content.decode()
    login = client.post(
        reverse("accounts:login"), {"username": "t-kalmar-lpo-chef", "password": PASSWORD}
    )
    assert login.status_code == 200 and "_auth_user_id" not in client.session
    # Idempotent.
    user_erase(actor=superuser, user=user)


def test_only_an_administrator_erases(signed, kalmar_coordinator, kalmar_police_chief):
    with pytest.raises(PermissionDenied):
        user_erase(actor=kalmar_coordinator, user=kalmar_police_chief)


def test_the_admin_offers_erasure_and_refuses_deletion_without_an_error(
    client, signed, superuser, kalmar_police_chief
):
    client.force_login(superuser)
    changelist = reverse("admin:accounts_user_changelist")
    response = client.post(
        changelist,
        {"action": "erase_personal_data", "_selected_action": [kalmar_police_chief.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Personuppgifterna för 1 konto är raderade" in response.content.decode()
    delete = client.get(reverse("admin:accounts_user_delete", args=[kalmar_police_chief.pk]))
    assert delete.status_code == 200  # Django's "protected objects" page, not a 500
    assert get_user_model().objects.filter(pk=kalmar_police_chief.pk).exists()


def test_erase_user_command(signed, kalmar_police_chief, capsys):
    call_command("erase_user", kalmar_police_chief.username)
    kalmar_police_chief.refresh_from_db()
    assert kalmar_police_chief.erased_at is not None
    assert "raderade" in capsys.readouterr().out
