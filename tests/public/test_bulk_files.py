"""Bulk open-data files: built once per publication, served as files, never stale, never
with anything unpublished; filtered and stale exports stream."""

import csv
import gzip
import io
import json

import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from demo import promises as promises_demo
from promises import services
from promises.models import Promise
from public import bulk

pytestmark = pytest.mark.django_db

URLS = {
    bulk.COMMITMENTS: "/api/v1/commitments.csv",
    bulk.FOLLOWUPS: "/api/v1/followups.csv",
}
DOWNLOADS = {
    bulk.COMMITMENTS: "/api/v1/bulk/commitments.csv.gz",
    bulk.FOLLOWUPS: "/api/v1/bulk/followups.csv.gz",
    bulk.PROMISES: "/api/v1/bulk/promises.json.gz",
}


def built_text(name: str) -> str:
    build = bulk.current_build()
    assert build is not None
    return gzip.decompress(build.files[name].path.read_bytes()).decode("utf-8")


def everything_built() -> str:
    return "\n".join(built_text(name) for name in bulk.EXPORTS)


def csv_rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


@pytest.fixture
def rebuilds_queued(settings):
    """Tasks are recorded, not run: ``rebuilds_queued()`` counts the rebuilds queued."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    bulk.cache.delete(bulk.SCHEDULED_KEY)
    backend = bulk.rebuild_bulk_files.get_backend()
    backend.clear()
    yield lambda: sum(r.task.func is bulk.rebuild_bulk_files.func for r in backend.results)
    bulk.cache.delete(bulk.SCHEDULED_KEY)


# --- Built and served ---------------------------------------------------------------------


def test_without_files_every_export_streams_and_nothing_is_written(client, demo):
    for url in [*URLS.values(), *DOWNLOADS.values()]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert isinstance(response, StreamingHttpResponse), url
        response.getvalue()
    # The request asks for a rebuild after its transaction; a test's never commits.
    assert bulk.current_build() is None


def test_a_built_file_is_served_as_it_is_with_etag_and_last_modified(client, demo):
    streamed = client.get(URLS[bulk.COMMITMENTS]).getvalue()
    bulk.build()
    response = client.get(URLS[bulk.COMMITMENTS], HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert isinstance(response, FileResponse)
    assert response["Content-Encoding"] == "gzip"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="attaganden.csv"'
    assert "Accept-Encoding" in response["Vary"]
    assert response["ETag"] and response["Last-Modified"]
    assert gzip.decompress(response.getvalue()) == streamed
    # A client that does not take gzip gets the same CSV, decompressed as it is sent.
    plain = client.get(URLS[bulk.COMMITMENTS])
    assert "Content-Encoding" not in plain
    assert plain.getvalue() == streamed
    assert plain["ETag"] != response["ETag"]
    # And a repeat download is a 304.
    again = client.get(
        URLS[bulk.COMMITMENTS], HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304
    since = client.get(
        URLS[bulk.COMMITMENTS],
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_MODIFIED_SINCE=response["Last-Modified"],
    )
    assert since.status_code == 304


def test_gz_downloads_are_the_built_files(client, demo):
    bulk.build()
    for name, url in DOWNLOADS.items():
        response = client.get(url)
        assert isinstance(response, FileResponse), url
        assert response["Content-Type"] == "application/gzip"
        assert response["Content-Disposition"].endswith('.gz"')
        assert "Content-Encoding" not in response  # the file is the representation
        assert gzip.decompress(response.getvalue()).decode() == built_text(name)


def test_the_json_dump_is_every_promise_as_its_detail(client, demo):
    bulk.build()
    (document,) = json.loads(built_text(bulk.PROMISES))
    promise = Promise.objects.get(title=promises_demo.KATRINEHOLM_TITLE)
    assert document == client.get(f"/api/v1/promises/{promise.pk}").json()


def test_the_built_csv_matches_the_streamed_one_and_keeps_formula_protection(
    client, kalmar_coordinator, publish_kalmar_promise
):
    promise = publish_kalmar_promise('=HYPERLINK("http://example.invalid","x")', 1)
    streamed = client.get(URLS[bulk.COMMITMENTS]).getvalue().decode("utf-8")
    bulk.build()
    assert built_text(bulk.COMMITMENTS) == streamed
    (row,) = csv_rows(streamed)
    assert row["promise_id"] == str(promise.pk)
    assert row["promise_title"].startswith("'=HYPERLINK")


def test_serving_a_built_file_costs_the_same_queries_at_two_sizes(client, publish_kalmar_promise):
    def cost():
        bulk.build()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URLS[bulk.FOLLOWUPS], HTTP_ACCEPT_ENCODING="gzip")
            assert isinstance(response, FileResponse)
        return len(captured)

    publish_kalmar_promise("Ett", 1)
    small = cost()
    for n in range(4):
        publish_kalmar_promise(f"Fler {n}", 3)
    assert cost() == small


# --- Filtered and stale exports stream -----------------------------------------------------


def test_filtered_csv_streams_even_when_files_exist(client, demo):
    bulk.build()
    for name, url in URLS.items():
        response = client.get(url, {"municipality": "0483"})
        assert isinstance(response, StreamingHttpResponse), name
        assert not isinstance(response, FileResponse), name
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = csv_rows(response.getvalue().decode("utf-8"))
        assert all(r["municipality_codes"] == "0483" for r in rows)
    rows = csv_rows(client.get(URLS[bulk.COMMITMENTS], {"county": "08"}).getvalue().decode())
    assert rows == []


def test_a_filtered_stream_is_read_a_chunk_at_a_time(client, publish_kalmar_promise, monkeypatch):
    from public import api

    for n in range(3):
        publish_kalmar_promise(f"Löfte {n}", 2)
    monkeypatch.setattr(api, "CSV_CHUNK_ROWS", 2)
    with CaptureQueriesContext(connection) as before:
        response = client.get(URLS[bulk.COMMITMENTS], {"county": "08"})
    # Nothing is read before the body is sent; then a few rows at a time.
    assert len(before) == 0
    with CaptureQueriesContext(connection) as during:
        pieces = list(response.streaming_content)
    assert during.captured_queries
    assert [p.count(b"\r\n") for p in pieces] == [1 + 2, 2, 2]


def test_a_stale_file_is_never_served(client, publish_kalmar_promise):
    publish_kalmar_promise("Först", 1)
    bulk.build()
    # Published without the publication hook running (a process that died after the
    # commit): the file is now stale, and the request streams what is public instead.
    publish_kalmar_promise("Sedan", 1)
    response = client.get(URLS[bulk.COMMITMENTS], HTTP_ACCEPT_ENCODING="gzip")
    assert isinstance(response, StreamingHttpResponse)
    assert "Content-Encoding" not in response
    assert "Sedan" in response.getvalue().decode()
    assert "Sedan" not in built_text(bulk.COMMITMENTS)


def test_a_download_without_a_fresh_file_queues_a_rebuild_once_it_is_sent(
    rebuilds_queued, client, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(URLS[bulk.COMMITMENTS])
        assert isinstance(response, StreamingHttpResponse)
        response.getvalue()
    assert rebuilds_queued() == 1
    # A burst of downloads while it waits in the queue queues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.get(URLS[bulk.FOLLOWUPS]).getvalue()
    assert rebuilds_queued() == 1


def test_with_the_immediate_backend_a_download_never_builds_in_the_web_worker(
    client, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.get(URLS[bulk.COMMITMENTS]).getvalue()
    assert bulk.current_build() is None


def test_english_requests_stream_in_english(client, demo):
    bulk.build()
    response = client.get("/en/api/v1/commitments.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert isinstance(response, StreamingHttpResponse)
    assert "Content-Encoding" not in response


# --- Rebuilt on publication, never with unpublished content --------------------------------


def test_files_are_rebuilt_when_something_is_published(
    publish_kalmar_promise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_kalmar_promise("Det första", 1)
    first = bulk.build()
    with django_capture_on_commit_callbacks(execute=True):
        publish_kalmar_promise("Det andra", 1)
    second = bulk.current_build()
    assert second.stamp != first.stamp
    assert second.stamp == bulk.source_stamp()
    for name in (bulk.COMMITMENTS, bulk.PROMISES):  # it has no follow-up yet
        assert "Det andra" in built_text(name), name
    # The previous build is kept for downloads still reading it; older ones go.
    directories = {p.name for p in bulk.bulk_root().iterdir() if p.is_dir()}
    assert directories == {
        first.files[bulk.PROMISES].path.parent.name,
        second.files[bulk.PROMISES].path.parent.name,
    }


def test_before_any_build_a_publication_builds_nothing(
    publish_kalmar_promise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_kalmar_promise("Ett löfte", 1)
    assert bulk.current_build() is None


def test_a_burst_of_publications_queues_one_rebuild(
    rebuilds_queued, publish_kalmar_promise, django_capture_on_commit_callbacks
):
    bulk.build()
    for title in ("Ett", "Två", "Tre"):
        with django_capture_on_commit_callbacks(execute=True):
            publish_kalmar_promise(title, 1)
    assert rebuilds_queued() == 1
    # Once the rebuild starts, the next publication queues the next one.
    bulk.rebuild_bulk_files.call()
    assert "Tre" in built_text(bulk.COMMITMENTS)
    with django_capture_on_commit_callbacks(execute=True):
        publish_kalmar_promise("Fyra", 1)
    assert rebuilds_queued() == 2


def test_a_build_of_what_is_already_built_does_nothing(publish_kalmar_promise):
    publish_kalmar_promise("Ett", 1)
    first = bulk.build()
    assert bulk.build() == first
    assert bulk.build(force=True).files[bulk.PROMISES].path != first.files[bulk.PROMISES].path


def test_bulk_files_never_contain_unpublished_content(
    client,
    demo,
    kalmar_coordinator,
    publish_kalmar_promise,
    django_capture_on_commit_callbacks,
):
    from demo import activities as activities_demo
    from demo import followups as followups_demo
    from followups.models import FollowUp

    with django_capture_on_commit_callbacks(execute=True):
        activities_demo.load()
        followups_demo.load()
    # An amendment's working copy: a new commitment and a new title, not signed.
    amended = publish_kalmar_promise("Kalmar signerat", commitments=2)
    services.promise_amend(user=kalmar_coordinator, promise=amended)
    amended.refresh_from_db()
    services.commitment_create(
        user=kalmar_coordinator, promise=amended, party="police", text="Ny osignerad insats"
    )
    bulk.build()
    text = everything_built()

    assert "Kalmar signerat" in text and promises_demo.KATRINEHOLM_TITLE in text
    assert "Ny osignerad insats" not in text
    for title in (promises_demo.KALMAR_TITLE, promises_demo.DRAFT_TITLE):  # unsigned, draft
        assert title not in text, title
    published = set(FollowUp.objects.published().values_list("pk", flat=True))
    unpublished = set(FollowUp.objects.exclude(pk__in=published).values_list("pk", flat=True))
    assert published and unpublished
    rows = csv_rows(built_text(bulk.FOLLOWUPS))
    assert {int(r["followup_id"]) for r in rows} == published
    dumped = json.loads(built_text(bulk.PROMISES))
    assert {f["id"] for d in dumped for f in d["followups"]} == published
    public_ids = set(
        Promise.objects.filter(published_version__isnull=False).values_list("pk", flat=True)
    )
    assert {d["id"] for d in dumped} == public_ids
    amended_document = next(d for d in dumped if d["id"] == amended.pk)
    assert [c["text"] for c in amended_document["commitments"]] == ["Åtagande 0", "Åtagande 1"]


def test_openapi_documents_the_downloads(client):
    document = client.get("/api/v1/openapi.json").json()
    for url in DOWNLOADS.values():
        responses = document["paths"][url]["get"]["responses"]
        assert "application/gzip" in responses["200"]["content"], url
        assert "ETag" in responses["200"]["headers"]
