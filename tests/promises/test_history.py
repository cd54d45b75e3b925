"""The history page: pghistory events (who changed which field, old → new) and the
transition log, read in a constant number of queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from promises import services
from tests.promises.fixtures_ui import *  # noqa: F403  (fixtures)
from tests.promises.fixtures_ui import police_commitments
from tests.promises.test_views import HTMX, commitment_data, promise_data

pytestmark = pytest.mark.django_db


def history(client, promise):
    response = client.get(reverse("promises:promise-history", kwargs={"pk": promise.pk}))
    assert response.status_code == 200
    return response.text


def test_history_names_who_changed_what(everyone, draft):
    police = Client()
    police.force_login(everyone["kalmar_police_coordinator"])
    police.post(
        reverse("promises:promise-update", kwargs={"pk": draft.pk}),
        promise_data(draft, title="Tryggare Kalmar 2026"),
    )
    commitment = police_commitments(draft)[0]
    police.post(
        reverse(
            "promises:commitment-update",
            kwargs={"pk": draft.pk, "commitment_pk": commitment.pk},
        ),
        commitment_data(
            draft, f"a{commitment.pk}", text="Polisen patrullerar på kvällen.", lock_version=1
        ),
        **HTMX,
    )
    police.post(
        reverse(
            "promises:commitment-move",
            kwargs={"pk": draft.pk, "commitment_pk": commitment.pk},
        ),
        {"direction": "down"},
    )
    police.post(
        reverse(
            "promises:commitment-delete",
            kwargs={
                "pk": draft.pk,
                "commitment_pk": draft.commitments.get(text__contains="hus").pk,
            },
        )
    )
    police.post(reverse("promises:promise-submit", kwargs={"pk": draft.pk}))

    text = history(police, draft)

    name = everyone["kalmar_police_coordinator"].get_full_name()
    assert "Ändrade löftet" in text
    assert "Tryggare Kalmar" in text and "2026" in text
    assert "Ändrade ett åtagande" in text
    assert "kvällen." in text and "fots i centrum." in text  # old and new, as a diff
    assert "Flyttade ett åtagande" in text
    assert text.count(name) >= 4  # each of the police coordinator's changes
    assert "Borttagna åtaganden" in text and "Polisen håller öppet hus i Oxhagen." in text
    # The transition log.
    assert "Skickat för signering" in text
    assert "Skapat" in text


def test_history_reads_in_constant_queries(client, everyone, draft):
    client.force_login(everyone["kalmar_reader"])
    with CaptureQueriesContext(connection) as before:
        history(client, draft)
    coordinator = everyone["kalmar_coordinator"]
    for n in range(5):
        services.commitment_create(user=coordinator, promise=draft, party="joint", text=f"Nr {n}")
    with CaptureQueriesContext(connection) as after:
        history(client, draft)
    assert len(after) == len(before)
