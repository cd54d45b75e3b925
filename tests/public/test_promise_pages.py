"""The public promise and kommun pages: only published content, in constant queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo import accounts as accounts_demo
from demo import promises as promises_demo
from promises import services
from promises.models import Commitment, Promise
from tests.factories import sign

pytestmark = pytest.mark.django_db


def promise_titled(title):
    return Promise.objects.get(title=title)


def test_katrineholm_public_page_carries_the_seed(client, demo):
    promise = promise_titled(promises_demo.KATRINEHOLM_TITLE)
    response = client.get(f"/medborgarloften/{promise.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "Polisen lovar",
        "Katrineholms kommun lovar",
        "Tillsammans lovar vi",
    ):
        assert heading in body
    for text in (
        "15 minuters",
        "hundsök",
        "medling",
        "sociala insatsgrupper",
        "ANDTS-coachmetoden",
        "antilångningskampanjer",
        "cykelstöldrarna",
        "vattenmätningar",
        "orosamtal",
        "minst två tillfällen",
    ):
        assert text in body, text
    assert "Liselotte Jergard" in body and "Chef lokalpolisområde Katrineholm" in body
    assert "Göran Dahlström" in body and "Kommunstyrelsens ordförande" in body
    assert "Undertecknat på papper" in body
    assert promise.published_version.content_sha256 in body
    snapshot = promise.published_version.snapshot
    parties = [c["party"] for c in snapshot["commitments"]]
    assert parties.count("police") == parties.count("municipality") == parties.count("joint") == 4


def test_kalmar_and_the_draft_are_404_to_the_public(client, demo):
    for title in (promises_demo.KALMAR_TITLE, promises_demo.DRAFT_TITLE):
        promise = promise_titled(title)
        response = client.get(f"/medborgarloften/{promise.pk}/")
        assert response.status_code == 404
        assert title not in response.content.decode()
    kalmar = client.get("/kommuner/kalmar/").content.decode()
    assert promises_demo.KALMAR_TITLE not in kalmar
    assert "Inga gällande medborgarlöften är publicerade." in kalmar


def test_kalmar_demo_waits_for_signatures_with_its_seven_measures(demo):
    promise = promise_titled(promises_demo.KALMAR_TITLE)
    assert promise.status == Promise.Status.AWAITING_SIGNATURES
    assert promise.decision_reference == "KS 2018/1249"
    assert promise.commitments.count() == 7
    walk = promise.commitments.get(target_quantity=1)
    assert walk.target_per_area and walk.target_period == Commitment.Period.YEAR
    assert sorted(a.name for a in walk.areas.all()) == [
        "Berga",
        "Funkabo",
        "Norrliden",
        "Oxhagen",
        "Smedby",
    ]


def test_demo_is_idempotent(demo):
    before = (Promise.objects.count(), Commitment.objects.count())
    accounts_demo.load()
    promises_demo.load()
    assert (Promise.objects.count(), Commitment.objects.count()) == before


def test_kommun_page_lists_published_promises(client, demo):
    body = client.get("/kommuner/katrineholm/").content.decode()
    assert promises_demo.KATRINEHOLM_TITLE in body
    assert promises_demo.DRAFT_TITLE not in body
    assert client.get("/kommuner/finns-inte/").status_code == 404


def test_every_unpublished_state_is_404_and_leaks_nothing(
    client, kalmar_coordinator, kalmar_partnership, kalmar_police_chief, kalmar_municipal_signatory
):
    promise = services.promise_create(
        user=kalmar_coordinator,
        partnership=kalmar_partnership,
        title="Hemligt utkast",
        valid_from_date=date(2026, 1, 1),
        valid_to_date=date(2026, 12, 31),
    )
    services.commitment_create(
        user=kalmar_coordinator, promise=promise, party="police", text="Hemlig insats"
    )
    url = f"/medborgarloften/{promise.pk}/"

    def assert_hidden():
        response = client.get(url)
        assert response.status_code == 404
        assert "Hemlig" not in response.content.decode()

    assert_hidden()  # draft
    services.promise_submit_for_signing(user=kalmar_coordinator, promise=promise)
    assert_hidden()  # awaiting signatures
    sign(kalmar_police_chief, promise)
    assert_hidden()  # signed by one of two
    sign(kalmar_municipal_signatory, promise)
    assert client.get(url).status_code == 200  # published

    # An amendment in progress is not shown; the signed version still is.
    services.promise_amend(user=kalmar_coordinator, promise=promise)
    promise.refresh_from_db()
    services.commitment_create(
        user=kalmar_coordinator, promise=promise, party="police", text="Ny osignerad insats"
    )
    body = client.get(url).content.decode()
    assert "Hemlig insats" in body
    assert "Ny osignerad insats" not in body


def _published_promise_with(n, coordinator, partnership, signers):
    promise = services.promise_create(
        user=coordinator,
        partnership=partnership,
        title=f"Löfte med {n} åtaganden",
        valid_from_date=date(2026, 1, 1),
        valid_to_date=date(2026, 12, 31),
    )
    for i in range(n):
        services.commitment_create(
            user=coordinator,
            promise=promise,
            party=["police", "joint"][i % 2],
            text=f"Åtagande {i}",
            target_quantity=i + 1,
            target_unit="insatser",
        )
    services.promise_submit_for_signing(user=coordinator, promise=promise)
    for signer in signers:
        sign(signer, promise)
    return promise


def test_public_page_query_count_does_not_grow_with_commitments(
    client, kalmar_coordinator, kalmar_partnership, kalmar_police_chief, kalmar_municipal_signatory
):
    signers = [kalmar_police_chief, kalmar_municipal_signatory]
    small = _published_promise_with(5, kalmar_coordinator, kalmar_partnership, signers)
    large = _published_promise_with(50, kalmar_coordinator, kalmar_partnership, signers)
    counts = []
    for promise in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/medborgarloften/{promise.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_public_pages_set_no_cookie(client, demo):
    promise = promise_titled(promises_demo.KATRINEHOLM_TITLE)
    for url in (f"/medborgarloften/{promise.pk}/", "/kommuner/katrineholm/"):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies
