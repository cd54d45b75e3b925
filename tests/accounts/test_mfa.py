"""Administrators need a second factor: without one they are sent to enrol first."""

import pytest
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
