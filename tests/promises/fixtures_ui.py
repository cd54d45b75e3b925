"""Fixtures for the workspace view tests (imported by the test modules that use them).

Kept apart from ``conftest.py`` so the service tests and the view tests can
grow independently.
"""

from datetime import date

import pytest

from promises import services
from promises.models import Commitment, Promise
from tests.factories import sign

ROLES = [
    "kalmar_coordinator",
    "kalmar_police_coordinator",
    "kalmar_police_chief",
    "kalmar_municipal_signatory",
    "kalmar_reader",
    "katrineholm_coordinator",
    "anonymous",
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The users' passwords are hashed with a fast hasher: these tests are about views."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def everyone(
    kalmar_coordinator,
    kalmar_police_coordinator,
    kalmar_police_chief,
    kalmar_municipal_signatory,
    kalmar_reader,
    katrineholm_coordinator,
):
    """Every role exists, so signatories are there to notify and to sign."""
    return {
        "kalmar_coordinator": kalmar_coordinator,
        "kalmar_police_coordinator": kalmar_police_coordinator,
        "kalmar_police_chief": kalmar_police_chief,
        "kalmar_municipal_signatory": kalmar_municipal_signatory,
        "kalmar_reader": kalmar_reader,
        "katrineholm_coordinator": katrineholm_coordinator,
        "anonymous": None,
    }


@pytest.fixture
def client_for(client, everyone):
    """``client_for("kalmar_reader")``: the test client signed in as that role."""

    def make(role):
        user = everyone[role]
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def draft(everyone, kalmar_partnership, kalmar):
    coordinator = everyone["kalmar_coordinator"]
    promise = services.promise_create(
        user=coordinator,
        partnership=kalmar_partnership,
        title="Tryggare Kalmar",
        valid_from_date=date(2026, 1, 1),
        valid_to_date=date(2026, 12, 31),
        introduction="Polisen och kommunen lovar tillsammans.",
    )
    for party, text in [
        (Commitment.Party.POLICE, "Polisen patrullerar till fots i centrum."),
        (Commitment.Party.POLICE, "Polisen besöker skolorna varje termin."),
        (Commitment.Party.POLICE, "Polisen håller öppet hus i Oxhagen."),
    ]:
        services.commitment_create(user=coordinator, promise=promise, party=party, text=text)
    services.commitment_create(
        user=coordinator,
        promise=promise,
        party=Commitment.Party.MUNICIPALITY,
        municipality=kalmar,
        text="Kommunen arrangerar trygghetsvandringar.",
        target_quantity=2,
        target_unit="trygghetsvandringar",
    )
    return promise


@pytest.fixture
def awaiting(draft, everyone):
    services.promise_submit_for_signing(user=everyone["kalmar_coordinator"], promise=draft)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def published(awaiting, everyone):
    for role in ("kalmar_police_chief", "kalmar_municipal_signatory"):
        sign(everyone[role], awaiting)
    awaiting.refresh_from_db()
    assert awaiting.status == Promise.Status.PUBLISHED
    return awaiting


@pytest.fixture
def promise_in(request):
    """``promise_in("utkast")``: a Kalmar promise in that status."""

    def make(status):
        name = {
            Promise.Status.DRAFT: "draft",
            Promise.Status.AWAITING_SIGNATURES: "awaiting",
            Promise.Status.PUBLISHED: "published",
        }[status]
        return request.getfixturevalue(name)

    return make


def police_commitments(promise):
    """The promise's commitments the police alone owns, in order."""
    return [
        c
        for c in promise.commitments.prefetch_related("owners").order_by("order", "pk")
        if c.party == Commitment.Party.POLICE
    ]
