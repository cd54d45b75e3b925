"""The open-data API: published content only, from the signed version, in constant queries."""

import csv
import io
import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo import promises as promises_demo
from promises import services
from promises.models import Promise

pytestmark = pytest.mark.django_db


def promise_titled(title: str) -> Promise:
    return Promise.objects.get(title=title)


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def body(response) -> str:
    """The body of a response, streamed or not."""
    return response.getvalue().decode("utf-8")


def get_items(client, url, **params) -> list[dict]:
    """Every item of a paginated list, following ``next`` to the last page."""
    items, data = [], get_json(client, url, **params)
    items += data["items"]
    while data["next"]:
        data = get_json(client, data["next"].removeprefix(settings.SITE_URL))
        items += data["items"]
    assert len(items) == data["count"]
    return items


def get_csv(client, url, **params) -> list[dict]:
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = body(response)
    assert text.startswith("\ufeff"), "UTF-8 with BOM, for Excel"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


# --- Schema and documentation -----------------------------------------------------------


def test_openapi_schema_describes_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/v1/promises",
        "/api/v1/promises/{promise_id}",
        "/api/v1/municipalities",
        "/api/v1/commitments.csv",
        "/api/v1/followups.csv",
    }
    party = schema["components"]["schemas"]["CommitmentOut"]["properties"]["party"]
    assert set(party["enum"]) == {"police", "municipality", "joint", "other"}


def test_swagger_ui_is_not_served(client):
    # It would load scripts from a CDN, which the CSP forbids.
    assert client.get("/api/v1/docs").status_code == 404


def test_open_data_page_explains_endpoints_and_licence(client):
    response = client.get("/oppna-data/")
    body = response.content.decode()
    assert response.status_code == 200
    assert not response.cookies
    for text in (
        "/api/v1/promises",
        "/api/v1/municipalities",
        "/api/v1/commitments.csv",
        "/api/v1/followups.csv",
        "/api/v1/openapi.json",
        "/api/v1/bulk/promises.json.gz",
        "/api/v1/bulk/commitments.csv.gz",
        "X-Total-Count",
        "limit",
        "CC0",
        "9 §",
        "semikolon",
        'type="application/atom+xml"',
    ):
        assert text in body, text
    assert "style=" not in body and "<script>" not in body


# --- Content -----------------------------------------------------------------------------


def test_municipalities_lists_all_290_with_published_counts(client, demo):
    data = get_items(client, "/api/v1/municipalities", limit=200)
    assert len(data) == 290
    by_code = {m["code"]: m for m in data}
    katrineholm = by_code["0483"]
    assert katrineholm["published_promises"] == 1
    assert katrineholm["county"]["code"] == "04"
    assert katrineholm["url"].endswith("/kommuner/katrineholm/")
    # Kalmar's promise waits for signatures: not counted.
    assert by_code["0880"]["published_promises"] == 0


def test_katrineholm_detail_is_the_signed_version(client, demo, settings):
    promise = promise_titled(promises_demo.KATRINEHOLM_TITLE)
    data = get_json(client, f"/api/v1/promises/{promise.pk}")
    assert data["title"] == promises_demo.KATRINEHOLM_TITLE
    assert re.fullmatch(r"[0-9a-f]{64}", data["content_sha256"])
    assert data["content_sha256"] == promise.published_version.content_sha256
    assert data["version"] == promise.published_version.number
    assert data["status"] == "ended"  # 2020 is over; ended promises stay public
    assert data["url"] == f"{settings.SITE_URL}/medborgarloften/{promise.pk}/"
    parties = [c["party"] for c in data["commitments"]]
    assert parties.count("police") == 4
    assert parties.count("municipality") == 4
    assert parties.count("joint") == 4
    municipal = next(c for c in data["commitments"] if c["party"] == "municipality")
    assert municipal["municipality"]["municipality_code"] == "0483"
    assert [s["name"] for s in data["signatures"]] == ["Liselotte Jergard", "Göran Dahlström"]
    assert {s["method"] for s in data["signatures"]} == {"paper"}
    assert data["signatures"][0]["title"] == "Chef lokalpolisområde Katrineholm"
    assert data["partnership"]["municipalities"][0]["municipality_code"] == "0483"
    assert isinstance(data["followups"], list)


def test_list_item_shape(client, demo, settings):
    promise = promise_titled(promises_demo.KATRINEHOLM_TITLE)
    (item,) = get_json(client, "/api/v1/promises")["items"]
    assert item["id"] == promise.pk
    assert item["municipalities"] == [{"code": "0483", "name": "Katrineholms kommun"}]
    assert item["valid_from"] == "2020-01-01" and item["valid_to"] == "2020-12-31"
    assert item["status"] == "ended"
    assert item["police_area"]
    assert item["url"] == f"{settings.SITE_URL}/medborgarloften/{promise.pk}/"


def test_unpublished_promises_are_404_and_absent_everywhere(client, demo):
    for title in (promises_demo.KALMAR_TITLE, promises_demo.DRAFT_TITLE):
        promise = promise_titled(title)
        response = client.get(f"/api/v1/promises/{promise.pk}")
        assert response.status_code == 404
        assert title not in response.content.decode()
        listed = client.get("/api/v1/promises").content.decode()
        assert title not in listed
        for url in ("/api/v1/commitments.csv", "/api/v1/followups.csv"):
            assert title not in body(client.get(url))
    assert client.get("/api/v1/promises/999999").status_code == 404


def test_amendment_in_progress_is_not_shown(client, kalmar_coordinator, publish_kalmar_promise):
    promise = publish_kalmar_promise("Kalmar 2026", commitments=2)
    services.promise_amend(user=kalmar_coordinator, promise=promise)
    promise.refresh_from_db()
    services.commitment_create(
        user=kalmar_coordinator, promise=promise, party="police", text="Ny osignerad insats"
    )
    data = get_json(client, f"/api/v1/promises/{promise.pk}")
    assert [c["text"] for c in data["commitments"]] == ["Åtagande 0", "Åtagande 1"]
    assert data["status"] == "active"
    assert "Ny osignerad insats" not in body(client.get("/api/v1/commitments.csv"))


FILTER_CASES = [
    ({}, True),
    ({"municipality": "0483"}, True),
    ({"municipality": "0880"}, False),
    ({"county": "04"}, True),
    ({"county": "08"}, False),
    ({"year": 2020}, True),
    ({"year": 2021}, False),
    ({"status": "active"}, False),
    ({"status": "ended"}, True),
    ({"theme": "narkotika"}, True),
    ({"theme": "Trygghet i centrum"}, True),
    ({"theme": "trafik"}, False),
]


def test_list_and_csv_filters(client, demo):
    for params, found in FILTER_CASES:
        titles = [p["title"] for p in get_items(client, "/api/v1/promises", **params)]
        assert (promises_demo.KATRINEHOLM_TITLE in titles) is found, params
        rows = get_csv(client, "/api/v1/commitments.csv", **params)
        assert bool(rows) is found, params


def test_invalid_filter_is_a_clear_error(client):
    assert client.get("/api/v1/promises", {"status": "utkast"}).status_code == 422
    assert client.get("/api/v1/promises", {"year": "tjugo"}).status_code == 422


# --- CSV ---------------------------------------------------------------------------------


def test_commitments_csv_has_every_commitment_of_the_signed_version(client, demo):
    promise = promise_titled(promises_demo.KATRINEHOLM_TITLE)
    rows = get_csv(client, "/api/v1/commitments.csv")
    assert len(rows) == 12
    assert {r["promise_id"] for r in rows} == {str(promise.pk)}
    assert [r["party"] for r in rows].count("municipality") == 4
    assert any("15 minuters" in r["text"] for r in rows)
    assert rows[0]["municipality_codes"] == "0483"
    assert rows[0]["municipalities"] == "Katrineholms kommun"
    targeted = [r for r in rows if r["target_quantity"]]
    assert all(r["target_unit"] for r in targeted)


def test_followups_csv_parses(client, demo):
    rows = get_csv(client, "/api/v1/followups.csv")
    assert isinstance(rows, list)


def test_full_demo_exposes_progress_and_published_followups_only(client, demo, tmp_path_factory):
    from demo import activities as activities_demo
    from demo import followups as followups_demo

    activities_demo.load()
    followups_demo.load()
    from followups.models import FollowUp

    promise = promise_titled(promises_demo.KATRINEHOLM_TITLE)
    published = FollowUp.objects.published().filter(promise=promise)
    unpublished = FollowUp.objects.filter(promise=promise).exclude(pk__in=published)
    assert published.exists() and unpublished.exists()
    data = get_json(client, f"/api/v1/promises/{promise.pk}")
    assert {f["id"] for f in data["followups"]} == set(published.values_list("pk", flat=True))
    # The published tertials' figures, one per commitment that a follow-up assessed.
    assert any(c["outcome"] and c["outcome"]["figure"] is not None for c in data["commitments"])
    rows = get_csv(client, "/api/v1/followups.csv")
    assert {int(r["followup_id"]) for r in rows} == set(published.values_list("pk", flat=True))
    hidden = {str(pk) for pk in unpublished.values_list("pk", flat=True)}
    assert not hidden & {r["followup_id"] for r in rows}
    dump = tmp_path_factory.getbasetemp() / "katrineholm.json"
    dump.write_text(json.dumps(data, ensure_ascii=False, indent=2))


# --- Anonymous, cookie-free, constant queries --------------------------------------------


def test_api_is_anonymous_and_sets_no_cookie(client, demo):
    promise = promise_titled(promises_demo.KATRINEHOLM_TITLE)
    for url in (
        "/api/v1/promises",
        f"/api/v1/promises/{promise.pk}",
        "/api/v1/municipalities",
        "/api/v1/commitments.csv",
        "/api/v1/followups.csv",
        "/api/v1/openapi.json",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url


def count_queries(client, url) -> int:
    """Queries of one request, a streamed body included."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        response.getvalue()
    return len(queries)


@pytest.mark.usefixtures("no_page_cache")
def test_list_csv_and_municipality_queries_do_not_grow_with_promises(
    client, publish_kalmar_promise
):
    urls = [
        "/api/v1/promises",
        "/api/v1/promises?county=08&year=2026&theme=narkotika",
        "/api/v1/municipalities",
        "/api/v1/commitments.csv",
        "/api/v1/followups.csv",
    ]
    publish_kalmar_promise("Första", commitments=2)
    one = [count_queries(client, url) for url in urls]
    for n in range(3):
        publish_kalmar_promise(f"Löfte {n}", commitments=4)
    several = [count_queries(client, url) for url in urls]
    assert one == several
    assert get_json(client, "/api/v1/promises")["count"] == 4


@pytest.mark.usefixtures("no_page_cache")
def test_detail_queries_do_not_grow_with_commitments(client, publish_kalmar_promise):
    small = publish_kalmar_promise("Litet", commitments=2)
    large = publish_kalmar_promise("Stort", commitments=30)
    counts = [count_queries(client, f"/api/v1/promises/{p.pk}") for p in (small, large)]
    assert counts[0] == counts[1]
