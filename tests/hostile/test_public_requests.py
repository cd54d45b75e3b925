"""Hostile requests over every public URL: never a 500, never a row written.

The URLs are read from the URLconf (everything outside ``/arbetsyta/``,
``/konto/`` and ``/admin/``), so a new public page is probed without anyone
remembering to add it. Each gets every hostile value in each query parameter
it reads and in one it does not; path parameters get the same treatment.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from promises.models import Promise
from tests.hostile.conftest import server_error

pytestmark = pytest.mark.django_db

NUL = "\x00"
HOSTILE_VALUES = {
    "NUL": NUL,
    "NUL inside": f"2020{NUL}",
    "overlong": "x" * 5000,
    "negative": "-1",
    "zero": "0",
    "year 10000": "10000",
    "beyond bigint": "9" * 30,
    "not a number": "abc",
    "formula": '=HYPERLINK("http://example.invalid","klicka")',
    "bidi override": "\u202etxt.exe",
    "control character": "a\x07b",
}
#: Bytes that are not UTF-8, sent raw in the query string.
RAW_QUERIES = ["%FF%FE%00", "%C3%28", "%ED%A0%80"]

#: The query parameters each public view reads (by URL name); every URL also gets one it
#: does not read.
PARAMETERS = {
    "public:search": ["q", "lan", "kommun", "tema", "ar", "part", "sida"],
    "public:sitemap": ["p"],
    "public:open-data:promise-list": [
        "municipality",
        "county",
        "year",
        "status",
        "theme",
        "limit",
        "offset",
    ],
    "public:open-data:municipality-list": ["limit", "offset"],
    "public:open-data:commitment-csv": ["municipality", "county", "year", "status", "theme"],
    "public:open-data:followup-csv": ["municipality", "county", "year", "status", "theme"],
}
UNKNOWN_PARAMETER = "utm_source"
WORKSPACE = ("arbetsyta/", "konto/", "admin/")
#: Static files and the like: not pages.
SKIPPED = re.compile(r"^(static|media)/")


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, route, space)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else route, route


def public_routes() -> list[tuple[str, str]]:
    return sorted(
        {
            (name, route)
            for name, route in _patterns()
            if not route.startswith(WORKSPACE) and not SKIPPED.match(route)
        }
    )


def _fill(route: str, values: dict[str, str]) -> str:
    """A concrete path from a route: ``<int:pk>`` and ``<slug:slug>`` from ``values``."""

    def replace(match):
        name = match.group(2)
        return values.get(name, values["*"])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", replace, route.lstrip("^").rstrip("$"))


def _path_values(promise: Promise) -> dict[str, str]:
    return {
        "pk": str(promise.pk),
        "promise_id": str(promise.pk),
        "number": "1",
        "slug": "katrineholm",
        "*": "1",
    }


HOSTILE_PATH_VALUES = {
    "beyond bigint": "9" * 30,
    "negative": "-1",
    "NUL": "%00",
    "overlong": "a" * 3000,
    "not a number": "abc",
}


@pytest.fixture
def published(demo):
    return Promise.objects.filter(published_version__isnull=False).order_by("pk").first()


ROUTES = public_routes()


def test_every_public_page_is_probed():
    names = {name for name, _ in ROUTES}
    assert {"public:home", "public:search", "public:municipality-detail"} <= names
    assert "public:open-data:commitment-csv" in names
    assert not [route for _, route in ROUTES if route.startswith(WORKSPACE)]


# One test per kind of hostility, each over every public URL: the demo is loaded once
# per test rather than once per URL, and a failure lists every URL that failed.


def test_hostile_query_parameters(published, probe):
    failures = []
    for name, route in ROUTES:
        url = _fill(route, _path_values(published))
        parameters = [*PARAMETERS.get(name, []), UNKNOWN_PARAMETER]
        for parameter in parameters:
            for label, value in HOSTILE_VALUES.items():
                status, wrote = probe("get", url, data={parameter: value})
                if server_error(status) or wrote:
                    failures.append((url, parameter, label, status, wrote))
            for raw in RAW_QUERIES:
                status, wrote = probe("get", f"{url}?{parameter}={raw}")
                if server_error(status) or wrote:
                    failures.append((url, parameter, raw, status, wrote))
    assert not failures


def test_hostile_path_parameters(probe, demo):
    failures = []
    for _name, route in ROUTES:
        if "<" not in route:
            continue
        for label, value in HOSTILE_PATH_VALUES.items():
            url = _fill(route, {"*": value})
            status, wrote = probe("get", url)
            if server_error(status) or wrote:
                failures.append((url[:80], label, status, wrote))
    assert not failures


def test_bogus_session_cookie(published, probe, client, settings):
    """A cookie named like the session cookie that belongs to no session: served like anyone."""
    failures = []
    for _name, route in ROUTES:
        url = _fill(route, _path_values(published))
        for value in ("x" * 32, "a" * 32, NUL, "ä" * 40, "1" * 5000):
            client.cookies[settings.SESSION_COOKIE_NAME] = value
            status, wrote = probe("get", url)
            if server_error(status) or wrote:
                failures.append((url, value[:10], status, wrote))
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    assert not failures
