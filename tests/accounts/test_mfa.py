"""Administrators need a second factor: without one they are sent to enrol first."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_without_a_second_factor_is_sent_to_enrol(client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    admin = UserFactory(username="admin-utan-faktor", is_staff=True)
    client.force_login(admin)
    for path in (reverse("core:dashboard"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == reverse("accounts:security"), path
    # The enrolment pages themselves stay reachable, so there is no redirect loop.
    assert client.get(reverse("accounts:security")).status_code == 200
    assert client.get(reverse("accounts:totp-add")).status_code == 200


def test_without_the_requirement_an_administrator_may_work_without_one(client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    client.force_login(UserFactory(username="admin-utan-krav", is_staff=True))
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_others_are_not_asked_to_enrol(client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client.force_login(UserFactory(username="vanlig"))
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_the_password_alone_cannot_manage_the_second_factors(client):
    """Half logged in (password given, second factor not): no new app, no new recovery codes,
    no removal — found by an adversarial review, where the password alone made recovery codes,
    used one as the second factor and signed a promise with another."""
    from django.test import RequestFactory
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import mfa, views
    from tests.factories import PASSWORD

    user = UserFactory(username="lpo-chef-med-app")
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    mfa.recovery_codes_generate(user)
    tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert (
        client.post(
            reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    step = reverse("accounts:second-factor")
    attempts = [
        ("get", reverse("accounts:security"), {}),
        ("get", reverse("accounts:totp-add"), {}),
        ("post", reverse("accounts:recovery-codes"), {}),
        ("get", reverse("accounts:passkey-add"), {}),
        (
            "post",
            reverse("accounts:device-remove", args=["app", device.pk]),
            {"password": PASSWORD},
        ),
    ]
    for method, path, data in attempts:
        response = getattr(client, method)(path, data)
        assert response.status_code == 302 and response.url.startswith(step), path
    assert (
        set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == tokens
    )
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    # The views refuse it themselves too, whatever the middleware does.
    request = RequestFactory().post(reverse("accounts:recovery-codes"))
    request.user = user
    user.is_verified = lambda: False
    with pytest.raises(PermissionDenied):
        views.recovery_codes(request)


def test_a_throttled_second_factor_says_wait_not_wrong_code():
    """After wrong codes django-otp pauses the device; the right code then waited silently and
    the person was told the code was wrong and to check the phone's clock."""
    from django.core.exceptions import ValidationError
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import mfa
    from tests.factories import totp_code

    user = UserFactory(username="signerar-snabbt")
    TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    for wrong in ("000001", "000002", "000003"):
        with pytest.raises(ValidationError) as error:
            mfa.verify(user, mfa.SecondFactor(code=wrong), purpose="login")
    with pytest.raises(ValidationError) as error:
        mfa.verify(user, mfa.SecondFactor(code=totp_code(user)), purpose="login")
    assert error.value.code == "second_factor_throttled"
    assert "Vänta" in error.value.messages[0] and "sekunder" in error.value.messages[0]
