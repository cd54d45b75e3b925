"""The open-data JSON and the feeds go through the page cache too (issue 17).

Before, every request to ``/api/v1/promises`` or ``/flode/`` ran its queries: 2–6
requests a second at national size. Now a second request costs no query, keeps the
headers the first one had (``Link``, ``X-Total-Count``), and a publication renews it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.activities.factories import CommitmentFactory, PromiseFactory
from tests.factories import publish_working_copy

pytestmark = pytest.mark.django_db

CACHED = [
    "/api/v1/promises",
    "/api/v1/promises?limit=1",
    "/api/v1/municipalities?limit=5",
    "/flode/",
]


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), response


@pytest.fixture
def published(kalmar_partnership, django_capture_on_commit_callbacks):
    def publish(title):
        promise = PromiseFactory(partnership=kalmar_partnership, title=title)
        CommitmentFactory(promise=promise, text="Polisen patrullerar i centrum.")
        with django_capture_on_commit_callbacks(execute=True):
            publish_working_copy(promise)
        return promise

    return publish


@pytest.mark.parametrize("url", CACHED)
def test_a_second_request_costs_no_query_and_keeps_its_headers(client, published, url):
    published("Trygg i Kalmar")
    first_queries, first = get(client, url)
    assert first.status_code == 200 and first_queries > 0
    queries, second = get(client, url)
    assert queries == 0
    assert second.content == first.content
    for header in ("Content-Type", "Link", "X-Total-Count"):
        assert second.get(header) == first.get(header)


def test_the_promise_document_and_its_chain_are_cached_on_the_promise(client, published):
    promise = published("Trygg i Kalmar")
    for url in (f"/api/v1/promises/{promise.pk}", f"/api/v1/promises/{promise.pk}/kedja"):
        assert get(client, url)[1].status_code == 200
        assert get(client, url)[0] == 0, url


def test_a_publication_renews_the_list_and_the_feed(client, published):
    published("Trygg i Kalmar")
    for url in ("/api/v1/promises", "/flode/"):
        get(client, url)
    published("Nattvandring i Kalmar")
    _, listing = get(client, "/api/v1/promises")
    assert listing.json()["count"] == 2
    _, feed = get(client, "/flode/")
    assert "Nattvandring i Kalmar" in feed.content.decode()


def test_refused_parameters_are_answered_every_time_and_never_cached(client, published):
    published("Trygg i Kalmar")
    for _ in range(2):
        assert client.get("/api/v1/promises?limit=0").status_code == 422
    for path in ("/api/v1/promises/abc", "/api/v1/promises/" + "9" * 40):
        assert client.get(path).status_code in (404, 422), path


def test_a_signed_in_visitor_gets_the_api_fresh(client, published, kalmar_coordinator):
    published("Trygg i Kalmar")
    get(client, "/api/v1/promises")
    client.force_login(kalmar_coordinator)
    queries, response = get(client, "/api/v1/promises")
    assert response.status_code == 200 and queries > 0
    assert "private" in response["Cache-Control"]


def test_the_pdf_stays_cached_when_another_promise_changes_and_renews_with_its_own(
    client, published, django_capture_on_commit_callbacks, monkeypatch
):
    """The PDF view verifies the live version on every request; the rendering is cached."""
    from core import publication
    from public import pdf

    rendered = []
    render = pdf.render_promise_pdf
    monkeypatch.setattr(pdf, "render_promise_pdf", lambda page: rendered.append(1) or render(page))
    promise = published("Trygg i Kalmar")
    other = published("Nattvandring i Kalmar")
    url = f"/medborgarloften/{promise.pk}/pdf/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        publication.changed(f"promise:{other.pk}")
    assert client.get(url).status_code == 200
    assert len(rendered) == 1  # another promise's change: still cached
    with django_capture_on_commit_callbacks(execute=True):
        publication.changed(f"promise:{promise.pk}")
    assert client.get(url).status_code == 200
    assert len(rendered) == 2  # its own change renders it again
