"""Cached pages compressed once and sent gzip-encoded to browsers that accept it (issue 17).

``public.caching._compress`` gives a page its gzip body when it is stored; each visitor
gets the body their ``Accept-Encoding`` takes, early or late, with its own ETag, and
``Vary: Accept-Encoding`` on both.
"""

import gzip
import os

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client

from public.caching import _compress
from tests.public.test_page_cache_scopes import get, served_early

pytestmark = pytest.mark.django_db

GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.mark.parametrize("name", ["sverige", "start", "search", "a", "kalmar"])
def test_a_browser_that_takes_gzip_gets_the_same_page_compressed(pages, name):
    url = pages[name]
    plain = Client().get(url)
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]

    client = Client()
    late = client.get(url, headers=GZIP)  # the page was built above: served by the view
    count, early = get(client, url, headers=GZIP)
    assert count == 0 and served_early(early)
    for response in (late, early):
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content)
        assert response["ETag"] == plain["ETag"][:-1] + '-gzip"'
        assert "Accept-Encoding" in response["Vary"]
        assert response["Content-Type"] == plain["Content-Type"]

    # Each body revalidates with its own ETag, early and late.
    count, again = get(client, url, headers={**GZIP, "if-none-match": early["ETag"]})
    assert again.status_code == 304 and served_early(again)
    assert again["ETag"] == early["ETag"] and "Content-Encoding" not in again
    count, other = get(client, url, headers={**GZIP, "if-none-match": plain["ETag"]})
    assert other.status_code == 200 and other["Content-Encoding"] == "gzip"
    count, plain_again = get(client, url, headers={"if-none-match": plain["ETag"]})
    assert plain_again.status_code == 304


def test_the_first_visitor_gets_a_compressed_page_and_a_304_late_too(pages):
    client = Client()
    first = client.get(pages["kommuner"], headers=GZIP)  # built now
    assert not served_early(first) and first["Content-Encoding"] == "gzip"
    plain = gzip.decompress(first.content)
    assert b"<html" in plain
    cache.clear()  # a late answer again, now with a matching ETag
    revalidated = client.get(pages["kommuner"], headers={**GZIP, "if-none-match": first["ETag"]})
    assert revalidated.status_code == 304 and not served_early(revalidated)
    assert revalidated["ETag"] == first["ETag"]
    assert "Accept-Encoding" in revalidated["Vary"]


@pytest.mark.parametrize(
    "accept", ["", "identity", "gzip;q=0", "br", "deflate, gzip;q=0"], ids=repr
)
def test_a_client_that_does_not_take_gzip_gets_the_plain_page(pages, accept):
    client = Client()
    client.get(pages["sverige"], headers=GZIP)
    for _ in range(2):  # late, then early
        response = client.get(pages["sverige"], headers={"accept-encoding": accept})
        assert "Content-Encoding" not in response
        assert b"<html" in response.content
        assert not response["ETag"].endswith('-gzip"')


def test_what_is_not_worth_compressing_is_stored_without_a_gzip_body():
    def stored(content: bytes, content_type: str, **headers) -> bool:
        response = HttpResponse(content, content_type=content_type, headers=headers)
        _compress(response)
        assert "Accept-Encoding" in response["Vary"]
        return getattr(response, "page_cache_gzip", None) is not None

    page = b"<p>" + b"Trygghetsvandring i centrum. " * 20 + b"</p>"
    assert stored(page, "text/html; charset=utf-8")
    assert stored(page, "application/json")
    assert stored(page, "application/atom+xml; charset=utf-8")
    assert not stored(page[:150], "text/html")  # too small to gain
    assert not stored(page, "application/pdf")
    assert not stored(page, "image/png")
    assert not stored(page, "text/csv", **{"Content-Encoding": "gzip"})  # encoded already
    assert not stored(os.urandom(600), "text/plain")  # would grow


def test_a_feed_is_compressed_too(pages, client):
    feed = client.get(pages["kalmar"] + "flode/", headers=GZIP)
    assert feed.status_code == 200
    assert feed["Content-Encoding"] == "gzip"
    assert gzip.decompress(feed.content).lstrip().startswith(b"<?xml")


def test_a_signed_in_visitor_is_not_sent_a_cached_compressed_page(
    pages, client, kalmar_coordinator
):
    client.force_login(kalmar_coordinator)
    response = client.get(pages["sverige"], headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert "private" in response["Cache-Control"]
