"""The API's lists page in SQL: limit/offset, totals, Link headers, Swedish refusals."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def links(response) -> dict[str, str]:
    """RFC 8288 ``Link``: ``{rel: url}``."""
    found = re.findall(r'<([^>]+)>; rel="([a-z]+)"', response["Link"])
    assert ", ".join(f'<{u}>; rel="{r}"' for u, r in found) == response["Link"]
    return {rel: url for url, rel in found}


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response, response.json()


@pytest.fixture
def promises(publish_kalmar_promise):
    """``promises(n)``: publish n more Kalmar promises (one commitment each)."""

    def publish(n: int, start: int = 0) -> list:
        return [publish_kalmar_promise(f"Löfte {start + i:02}", commitments=1) for i in range(n)]

    return publish


# --- Refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "0"}, "limit (antal per sida) ska vara minst 1."),
        ({"limit": "201"}, "limit (antal per sida) får vara högst 200."),
        ({"limit": "-1"}, "limit (antal per sida) ska vara minst 1."),
        ({"limit": "abc"}, "limit (antal per sida) ska vara ett heltal."),
        ({"limit": "1.5"}, "limit (antal per sida) ska vara ett heltal."),
        ({"offset": "-1"}, "offset (antal att hoppa över) ska vara minst 0."),
        ({"offset": "abc"}, "offset (antal att hoppa över) ska vara ett heltal."),
        ({"offset": "9" * 30}, "offset (antal att hoppa över) får vara högst 2147483647."),
    ],
)
def test_bad_limit_or_offset_is_a_422_in_swedish_before_any_query(
    client, params, message, django_assert_num_queries
):
    for url in ("/api/v1/promises", "/api/v1/municipalities"):
        with django_assert_num_queries(0):
            response = client.get(url, params)
        assert response.status_code == 422
        (problem,) = response.json()["detail"]
        assert problem["msg"] == message
        assert problem["loc"] == ["query", next(iter(params))]


def test_an_offset_past_the_end_is_an_empty_page_not_an_error(client, promises, settings):
    promises(3)
    response, data = page(client, "/api/v1/promises", limit=2, offset=1000)
    assert data["items"] == []
    assert data["count"] == 3 and response["X-Total-Count"] == "3"
    assert data["next"] is None
    # "previous" leads back to the last page that has something on it.
    assert data["previous"] == f"{settings.SITE_URL}/api/v1/promises?limit=2&offset=2"
    assert links(response)["last"] == data["previous"]


def test_an_empty_list_has_first_and_last_and_a_zero_total(client, db):
    response, data = page(client, "/api/v1/promises")
    assert data == {
        "count": 0,
        "limit": 50,
        "offset": 0,
        "next": None,
        "previous": None,
        "items": [],
    }
    assert response["X-Total-Count"] == "0"
    assert set(links(response)) == {"first", "last"}


# --- Totals and links at two sizes -------------------------------------------------------


def walk(client, url, **params) -> tuple[list[dict], list]:
    """Every page from the first by ``next``, checking each page's Link header against its
    body; the items and the responses."""
    items, responses = [], []
    response, data = page(client, url, **params)
    while True:
        responses.append(response)
        rels = links(response)
        assert rels.get("next") == data["next"]
        assert rels.get("prev") == data["previous"]
        assert response["X-Total-Count"] == str(data["count"])
        items += data["items"]
        if not data["next"]:
            break
        assert data["next"].startswith("http")  # absolute
        response = client.get(data["next"])
        data = response.json()
    return items, responses


@pytest.mark.parametrize("size", [3, 7])
def test_pages_cover_every_promise_once_with_correct_links(client, promises, settings, size):
    published = promises(size)
    items, responses = walk(client, "/api/v1/promises", limit=2)
    assert sorted(i["id"] for i in items) == sorted(p.pk for p in published)
    assert len(responses) == (size + 1) // 2
    last_offset = (size - 1) // 2 * 2
    base = f"{settings.SITE_URL}/api/v1/promises"
    for n, response in enumerate(responses):
        rels = links(response)
        assert rels["first"] == f"{base}?limit=2&offset=0"
        assert rels["last"] == f"{base}?limit=2&offset={last_offset}"
        assert response.json()["offset"] == 2 * n
    assert "prev" not in links(responses[0])
    assert "next" not in links(responses[-1])


def test_page_links_keep_the_filters_and_drop_unknown_parameters(client, promises, settings):
    promises(3)
    response, data = page(
        client, "/api/v1/promises", county="08", year=2026, limit=1, offset=1, utm_source="x"
    )
    assert data["count"] == 3
    assert data["next"] == (
        f"{settings.SITE_URL}/api/v1/promises?county=08&year=2026&limit=1&offset=2"
    )
    assert data["previous"] == (
        f"{settings.SITE_URL}/api/v1/promises?county=08&year=2026&limit=1&offset=0"
    )
    assert "utm_source" not in response["Link"]
    _, other = page(client, "/api/v1/promises", county="01", limit=1)
    assert other["count"] == 0


def test_the_default_page_is_50_and_the_largest_200(client, db):
    _, data = page(client, "/api/v1/municipalities")
    assert data["count"] == 290 and data["limit"] == 50 and len(data["items"]) == 50
    _, data = page(client, "/api/v1/municipalities", limit=200, offset=200)
    assert len(data["items"]) == 90
    assert data["next"] is None


def test_municipality_pages_are_in_kommunkod_order_with_headers(client, db, settings):
    items, responses = walk(client, "/api/v1/municipalities", limit=100)
    codes = [m["code"] for m in items]
    assert len(codes) == 290 and codes == sorted(codes) and len(set(codes)) == 290
    assert len(responses) == 3
    assert links(responses[0])["last"] == (
        f"{settings.SITE_URL}/api/v1/municipalities?limit=100&offset=200"
    )
    assert all(r["X-Total-Count"] == "290" for r in responses)


def test_municipality_counts_on_a_page(client, promises):
    promises(2)
    _, data = page(client, "/api/v1/municipalities", limit=200)
    counts = {m["code"]: m["published_promises"] for m in data["items"]}
    assert counts["0880"] == 2  # Kalmar
    assert counts["0483"] == 0


# --- Queries do not grow ------------------------------------------------------------------


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.usefixtures("no_page_cache")
def test_a_list_page_costs_the_same_queries_with_3_and_with_30_promises(client, promises):
    urls = [
        "/api/v1/promises",
        "/api/v1/promises?limit=200",
        "/api/v1/promises?limit=5&offset=1",
        "/api/v1/promises?county=08&year=2026&theme=narkotika&limit=10",
        "/api/v1/municipalities",
        "/api/v1/municipalities?limit=200&offset=100",
    ]
    promises(3)
    small = [queries(client, url) for url in urls]
    promises(27, start=3)
    large = [queries(client, url) for url in urls]
    assert small == large
    # A total, the page's ids and the page's rows: the promise list reads nothing else.
    assert small[0] == 3
    assert page(client, "/api/v1/promises", limit=200)[1]["count"] == 30


def test_the_page_is_limited_in_sql(client, promises):
    promises(5)
    with CaptureQueriesContext(connection) as captured:
        _, data = page(client, "/api/v1/promises", limit=2, offset=3)
    assert len(data["items"]) == 2
    # The page's ids are chosen in SQL; then only those rows are read.
    listing = captured.captured_queries[-2]["sql"]
    assert "LIMIT 2" in listing and "OFFSET 3" in listing
    assert "OFFSET" not in captured.captured_queries[-1]["sql"]
    assert "COUNT(" in captured.captured_queries[0]["sql"]


# --- Documented ----------------------------------------------------------------------------


def test_openapi_documents_the_page_parameters_headers_and_refusals(client):
    document = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/promises", "/api/v1/municipalities"):
        operation = document["paths"][path]["get"]
        parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
        assert parameters["limit"]["maximum"] == 200 and parameters["limit"]["minimum"] == 1
        assert parameters["limit"]["default"] == 50
        assert parameters["offset"]["minimum"] == 0
        responses = operation["responses"]
        assert {"200", "422"} <= set(responses)
        assert {"Link", "X-Total-Count"} <= set(responses["200"]["headers"])
    page_schema = document["components"]["schemas"]["PromisePage"]
    assert {"count", "limit", "offset", "next", "previous", "items"} <= set(
        page_schema["properties"]
    )
