"""Local administrators beside the role fixtures of tests/conftest.py."""

import re

import pytest
from django.core import mail

from organizations.models import Membership
from tests.factories import UserFactory

Role = Membership.Role


def administrator(username, organisation):
    user = UserFactory(username=username)
    Membership.objects.create(user=user, organisation=organisation, role=Role.ADMIN)
    return user


@pytest.fixture
def kalmar_admin(kalmar_partnership, kalmar):
    return administrator("t-kalmar-admin", kalmar)


@pytest.fixture
def lpo_kalmar_admin(kalmar_partnership, lpo_kalmar):
    return administrator("t-lpo-kalmar-admin", lpo_kalmar)


@pytest.fixture
def katrineholm_admin(katrineholm_partnership, katrineholm):
    return administrator("t-katrineholm-admin", katrineholm)


INVITATION_LINK = re.compile(r"/konto/inbjudan/([A-Za-z0-9_-]+)/")


def link_tokens() -> list[str]:
    """The invitation tokens in the e-mail sent so far, oldest first."""
    return [m for message in mail.outbox for m in INVITATION_LINK.findall(message.body)]


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch):
    """Send what the services queue for commit at once.

    These tests run inside one transaction that never commits, so
    ``on_commit`` callbacks (the e-mail with the invitation link) would
    never run; the tests read the links from the outbox.
    """
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
