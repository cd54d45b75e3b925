"""Each process's copies of cached pages, and the versions Redis pushes to it (issue 17).

A page served from this process's copy is still served only at the versions of the
scopes it shows: with the local-memory cache they are asked on every request, with
Redis they are kept until any renewal is announced on the channel, by this process or
another. These tests use the Redis on 127.0.0.1:6379 where the machine has one (as CI's
does) for what only Redis can show: an announcement from another connection, a lost
subscription.
"""

import gzip
import socket
import time

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import publication
from core.cache import VERSIONS_CHANNEL, VersionWatch
from public import caching
from public.caching import LocalPages, local_pages
from tests.activities.factories import CommitmentFactory, PromiseFactory
from tests.factories import publish_working_copy

REDIS = "redis://127.0.0.1:6379/14"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")


def _page(text: str) -> HttpResponse:
    response = HttpResponse(text)
    response.page_cache_complete = True
    return response


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _eventually(condition, what: str) -> None:
    """Wait for something another thread does; the bound only stops a hung test."""
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


# --- The copies ------------------------------------------------------------------------


def test_copies_are_bounded_by_size_and_the_least_recently_used_go_first():
    pages = LocalPages(max_bytes=40_000)
    for number in range(12):
        pages.put(f"page-{number}", (1,), _page("x" * 4_000))
        assert pages._bytes <= 40_000
    kept = [number for number in range(12) if pages.has(f"page-{number}")]
    assert 0 not in kept and 11 in kept  # the first pushed out, the last kept
    assert kept == list(range(kept[0], 12))
    pages.get(f"page-{kept[0]}", (1,))  # used: kept when the next one comes
    pages.put("page-12", (1,), _page("x" * 4_000))
    assert pages.has(f"page-{kept[0]}")
    assert not pages.has(f"page-{kept[1]}")


def test_a_copy_is_served_only_at_its_versions_and_dropped_when_they_changed():
    pages = LocalPages(max_bytes=1_000_000)
    pages.put("page", (1, 7), _page("signerad text"))
    assert pages.get("page", (1, 8)) is None
    assert not pages.has("page")


def test_every_request_gets_a_response_of_its_own():
    pages = LocalPages(max_bytes=1_000_000)
    pages.put("page", (1,), _page("signerad text"))
    first = pages.get("page", (1,))
    first["X-Added"] = "by one request"
    second = pages.get("page", (1,))
    assert first is not second
    assert "X-Added" not in second
    assert second.content == b"signerad text"


def test_a_copy_keeps_both_bodies_and_hands_them_out_without_copying():
    pages = LocalPages(max_bytes=1_000_000)
    page = _page("signerad text " * 100)
    page.page_cache_gzip = gzip.compress(page.content)
    pages.put("page", (1,), page)
    assert page.content == b"signerad text " * 100  # the stored response keeps its body
    first, second = pages.get("page", (1,)), pages.get("page", (1,))
    for copy in (first, second):
        assert copy.content == page.content
        assert copy.page_cache_gzip == page.page_cache_gzip
    assert first.content is second.content  # one bytes object, handed to each
    first.content = first.page_cache_gzip  # what serving it gzip-encoded does
    assert second.content == page.content
    # Both bodies count towards the bound.
    assert pages._bytes > len(page.content) + len(page.page_cache_gzip)


def test_a_page_too_large_for_its_share_is_not_copied():
    pages = LocalPages(max_bytes=80_000)
    pages.put("page", (1,), _page("x" * 20_000))
    assert not pages.has("page")


@pytest.mark.django_db
def test_a_feed_is_stored_in_one_piece(client):
    """A feed is written in hundreds of pieces, and the WSGI server sends each on its own."""
    url = reverse("public:feed")
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    assert len(response._container) == 1


# --- With Redis: versions pushed ----------------------------------------------------------


@pytest.fixture
def redis_cache(settings, worker_id):
    """The page cache on Redis (the production backend), in a key space of this worker's."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"test-local-{worker_id}",
        }
    }
    cache = caches["default"]
    cache.clear()
    local_pages.clear()
    watch = cache.version_watch
    watch.get([])  # starts its thread
    _eventually(watch._live, "the subscription never came up")
    yield cache
    cache.clear()
    local_pages.clear()


@pytest.fixture
def published(db, kalmar_partnership, django_capture_on_commit_callbacks):
    promise = PromiseFactory(partnership=kalmar_partnership, title="Löfte om trygg skolväg")
    CommitmentFactory(promise=promise, text="Polisen finns vid skolan på morgonen.")
    with django_capture_on_commit_callbacks(execute=True):
        publish_working_copy(promise)
    return promise


def _counting_round_trips(cache, monkeypatch) -> list:
    calls = []
    get_many = cache.get_many

    def counted(keys, *args, **kwargs):
        calls.append(list(keys))
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted)
    return calls


@needs_redis
@pytest.mark.django_db
def test_a_page_copied_here_costs_no_query_and_no_round_trip_to_redis(
    redis_cache, published, monkeypatch
):
    client = Client()
    url = published.get_public_url()
    assert _queries(client, url) > 0  # built
    assert _queries(client, url) == 0  # from Redis, copied here
    calls = _counting_round_trips(redis_cache, monkeypatch)
    assert _queries(client, url) == 0
    assert calls == []


@needs_redis
@pytest.mark.django_db
def test_a_renewal_announced_by_another_process_makes_the_page_miss_here(
    redis_cache, published, monkeypatch
):
    """What another gunicorn worker does when it publishes: new versions, then the
    announcement, on connections of its own. This process's copy is not served again."""
    client = Client()
    url = published.get_public_url()
    client.get(url)
    client.get(url)
    watch = redis_cache.version_watch
    scope = publication.SCOPE_PREFIX + publication.promise_scope(published.pk)
    other = redis.Redis.from_url(REDIS)
    key = redis_cache.make_key(scope)
    generation = watch.generation
    other.set(key, redis_cache._cache._serializer.dumps(123456789))
    other.publish(VERSIONS_CHANNEL, b"renewed")
    _eventually(lambda: watch.generation != generation, "the announcement never arrived")
    assert _queries(client, url) > 0  # built again at the new versions
    assert _queries(client, url) == 0


@needs_redis
@pytest.mark.django_db
def test_this_process_drops_its_versions_at_once_when_it_publishes(redis_cache, published):
    """No wait for its own announcement to come back: the next page is current."""
    client = Client()
    url = published.get_public_url()
    client.get(url)
    client.get(url)
    publication.renew(publication.promise_scope(published.pk))
    assert _queries(client, url) > 0


@needs_redis
def test_a_version_read_while_an_announcement_came_is_not_kept(redis_cache):
    watch = redis_cache.version_watch
    generation = watch.generation
    watch.forget()  # an announcement arrives between the read and the keeping
    watch.remember({"public:epoch": 1}, generation)
    assert watch.get(["public:epoch"]) is None
    watch.remember({"public:epoch": 1}, watch.generation)
    assert watch.get(["public:epoch"]) == (1,)


@needs_redis
def test_versions_are_trusted_no_longer_than_their_limit(redis_cache, monkeypatch):
    watch = redis_cache.version_watch
    watch.remember({"public:epoch": 1}, watch.generation)
    assert watch.get(["public:epoch"]) == (1,)
    monkeypatch.setattr(watch, "TRUST_SECONDS", 0.0)
    assert watch.get(["public:epoch"]) is None


def test_without_a_subscription_nothing_is_trusted():
    """Redis unreachable (the port has no server): every request asks for the versions."""
    watch = VersionWatch(lambda: redis.Redis.from_url("redis://127.0.0.1:1/0"))
    try:
        assert watch.get([]) is None  # starts the thread, which cannot subscribe
        watch.remember({"public:epoch": 1}, watch.generation)
        assert watch.get(["public:epoch"]) is None
    finally:
        watch.stop()


def test_a_cache_without_versions_never_serves_a_copy(settings, db):
    """DummyCache (the bench's uncached phase) finds no versions: no copy is ever served."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    key = caching.PageKey(entry="public-page:x", scopes=(publication.NATIONAL,))
    local_pages.put(key.entry, (0, 0), _page("gammal"))
    try:
        assert key.lookup()[0] is None
    finally:
        local_pages.clear()
