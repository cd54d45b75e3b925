"""The public page cache (issue 17): each page keyed on the scopes it shows, and cached pages
answered before sessions, authentication and the rest of the stack run.

A page served from the cache costs no query; one that was renewed is built again. A page
served early never reached ``SessionMiddleware``, so its request has no ``session``.
"""

from datetime import date

import pytest
from django.db import connection
from django.test import Client, modify_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities import services as activity_services
from core import publication
from followups import services as followup_services
from followups.models import FollowUp
from promises import services as promise_services
from public import caching
from tests.activities.factories import (
    CommitmentFactory,
    FollowUpFactory,
    PromiseFactory,
)
from tests.factories import publish_working_copy, sign

pytestmark = pytest.mark.django_db

EARLY = "public.caching.PageCacheMiddleware"


def get(client, url, **extra):
    """``(queries, response)`` of one GET."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return len(queries), response


def cached(client, url) -> bool:
    """Whether ``url`` comes from the cache: no query at all."""
    count, response = get(client, url)
    assert response.status_code == 200, url
    return count == 0


def served_early(response) -> bool:
    return not hasattr(response.wsgi_request, "session")


def warm(client, urls: dict) -> None:
    for url in urls.values():
        assert client.get(url).status_code == 200, url
    assert all(cached(client, url) for url in urls.values())


# --- Scoped renewal ------------------------------------------------------------------


def test_an_activity_report_renews_only_its_promise_page(
    client, pages, kalmar_a, kalmar_coordinator, run_on_commit
):
    warm(client, pages)
    with run_on_commit():
        activity_services.activity_report_create(
            user=kalmar_coordinator,
            activity=kalmar_a.activity,
            today=date(2020, 6, 1),
            performed_date=date(2020, 2, 1),
            count=3,
        )
    assert not cached(client, pages["a"])
    for name in ("b", "kalmar", "katrineholm", "start", "kommuner", "sverige", "search"):
        assert cached(client, pages[name]), name


def test_a_followup_renews_its_promise_its_kommun_and_the_lists_only(
    client, pages, kalmar_a, kalmar_coordinator, kalmar_police_coordinator, run_on_commit
):
    followup = FollowUpFactory(promise=kalmar_a, title="Tertial 1 2020")
    followup_services.followup_start_draft(user=kalmar_coordinator, followup=followup)
    followup_services.followup_approve(user=kalmar_coordinator, followup=followup)
    followup_services.followup_approve(user=kalmar_police_coordinator, followup=followup)
    warm(client, pages)
    with run_on_commit():
        followup_services.followup_publish(user=kalmar_coordinator, followup=followup)
    assert FollowUp.objects.get(pk=followup.pk).status == FollowUp.Status.PUBLISHED
    for name in ("a", "kalmar", "start"):
        assert not cached(client, pages[name]), name
    assert "Tertial 1 2020" in client.get(pages["a"]).text
    assert "Tertial 1 2020" in client.get(pages["kalmar"]).text
    for name in ("b", "katrineholm"):
        assert cached(client, pages[name]), name


def test_publishing_a_promise_renews_its_kommun_and_the_national_lists(
    client, pages, publish_kalmar_promise, run_on_commit
):
    warm(client, pages)
    with run_on_commit():
        new = publish_kalmar_promise(title="Ett nytt löfte i Kalmar")
    for name in ("kalmar", "start", "kommuner", "sverige"):
        assert not cached(client, pages[name]), name
    assert "Ett nytt löfte i Kalmar" in client.get(pages["kalmar"]).text
    assert client.get(new.get_public_url()).status_code == 200
    for name in ("a", "b", "katrineholm"):
        assert cached(client, pages[name]), name


def test_a_successor_renews_its_predecessors_page(
    client,
    kalmar_partnership,
    kalmar_coordinator,
    kalmar_police_chief,
    kalmar_municipal_signatory,
    run_on_commit,
):
    """A promise page shows its successors' signed titles: publishing one renews it."""
    first = PromiseFactory(partnership=kalmar_partnership, title="Kalmar 2020")
    CommitmentFactory(promise=first, text="Vi gör något.")
    with run_on_commit():
        publish_working_copy(first)
    url = first.get_public_url()
    client.get(url)
    assert cached(client, url)
    with run_on_commit():
        successor = promise_services.promise_copy_forward(user=kalmar_coordinator, promise=first)
        promise_services.promise_submit_for_signing(user=kalmar_coordinator, promise=successor)
        for signer in (kalmar_police_chief, kalmar_municipal_signatory):
            sign(signer, successor)
    successor.refresh_from_db()
    assert successor.published_version_id
    assert not cached(client, url)
    assert successor.title in client.get(url).text


def test_an_organisation_renamed_renews_every_page(client, pages, kalmar, run_on_commit):
    warm(client, pages)
    with run_on_commit():
        # What organizations.admin does on saving an organisation.
        type(kalmar).objects.filter(pk=kalmar.pk).update(name="Kalmar kommun (nytt namn)")
        publication.changed_everywhere()
    for name, url in pages.items():
        assert not cached(client, url), name


# --- Served early ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "kalmar", "start", "search"])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_served_early_with_the_headers_of_the_late_path(pages, name, prefix):
    url = prefix + pages[name]
    with modify_settings(MIDDLEWARE={"remove": [EARLY]}):
        late_client = Client()
        late = late_client.get(url)
        assert not served_early(late)
        late_304 = late_client.get(url, headers={"if-none-match": late["ETag"]})
    assert late.status_code == 200 and late_304.status_code == 304

    from django.core.cache import cache

    cache.clear()
    client = Client()
    first = client.get(url)
    assert not served_early(first)
    count, early = get(client, url)
    assert count == 0 and served_early(early)
    count, early_304 = get(client, url, headers={"if-none-match": early["ETag"]})
    assert count == 0 and served_early(early_304) and early_304.status_code == 304

    assert early.content == late.content
    assert dict(early.headers) == dict(late.headers)
    assert dict(early_304.headers) == dict(late_304.headers)
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Vary",
        "Content-Language",
        "Cache-Control",
        "ETag",
        "X-Content-Type-Options",
    ):
        assert early[header], header
    assert early["Content-Language"] == ("en" if prefix else "sv")
    assert not early.cookies


def test_unknown_parameters_are_served_early_from_the_canonical_entry(client, pages):
    client.get(pages["kommuner"])
    count, response = get(client, pages["kommuner"] + "?utm_source=nyhetsbrev&x=1")
    assert count == 0 and served_early(response)
    client.get(reverse("public:search") + "?lan=08&q=patrullerar")
    count, response = get(client, reverse("public:search") + "?q=++patrullerar&lan=08&sida=1")
    assert count == 0 and served_early(response)


def test_invalid_parameters_are_never_served_from_the_cache(client, pages):
    url = reverse("public:search") + "?sida=abc"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 400 and not served_early(response)
        assert "Sidnumret ska vara ett heltal." in response.text


def test_a_bogus_cookie_is_served_early_and_told_to_go_away_as_late(settings, pages):
    url = pages["kalmar"]
    with modify_settings(MIDDLEWARE={"remove": [EARLY]}):
        late_client = Client()
        late_client.get(url)
        late_client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session-key"
        late = late_client.get(url)
    from django.core.cache import cache

    cache.clear()
    client = Client()
    client.get(url)
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session-key"
    count, early = get(client, url)
    assert count == 0 and served_early(early)
    assert dict(early.headers) == dict(late.headers)
    assert early.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 0
    assert str(early.cookies) == str(late.cookies)


def test_a_signed_in_user_never_gets_the_cached_page(client, pages, kalmar_coordinator):
    for url in (pages["a"], pages["start"]):
        client.get(url)
        assert cached(client, url)
    client.force_login(kalmar_coordinator)
    for url in (pages["a"], pages["start"]):
        response = client.get(url)
        assert not served_early(response)
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
        assert "Logga ut" in response.text
    # And what the signed-in user saw is kept from everyone else.
    anonymous = Client()
    for url in (pages["a"], pages["start"]):
        count, response = get(anonymous, url)
        assert count == 0 and served_early(response)
        assert "Logga ut" not in response.text


def test_an_english_page_never_serves_a_swedish_entry(client, pages):
    url = pages["a"]
    client.get(url)
    assert cached(client, url)
    english = client.get(f"/en{url}")
    assert not served_early(english)
    assert '<html lang="en">' in english.text and english["Content-Language"] == "en"
    count, again = get(client, f"/en{url}")
    assert count == 0 and served_early(again) and '<html lang="en">' in again.text
    # A Swedish address is Swedish whatever the browser asks for.
    client.cookies["django_language"] = "en"
    count, swedish = get(client, url, headers={"accept-language": "en"})
    assert count == 0 and served_early(swedish)
    assert '<html lang="sv">' in swedish.text and swedish["Content-Language"] == "sv"


def test_workspace_paths_are_never_served_early(client, pages):
    for path in ("/arbetsyta/", "/en/arbetsyta/"):
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 302 and not served_early(response)
            assert caching._route(path) is None


def test_a_remembered_route_is_the_one_the_late_path_finds(client, pages):
    """``_route`` remembers each path's language and view: they are the ones
    ``LocaleMiddleware`` and the resolver give the request that goes the whole way."""
    paths = [pages["start"], pages["a"], pages["kalmar"], "/en/kommuner/", "/api/v1/promises"]
    for path in paths:
        response = client.get(path)
        request = response.wsgi_request
        for _ in range(2):  # worked out, then remembered
            language, match, spec = caching._route(path)
            assert language == request.LANGUAGE_CODE == response["Content-Language"]
            assert match.view_name == request.resolver_match.view_name
            assert match.kwargs == request.resolver_match.kwargs
            assert spec is match.func.page_cache
    for path in ("/finns-inte/", "/en/arbetsyta/", "/konto/logga-in/"):
        assert caching._route(path) is None


def test_random_paths_do_not_grow_the_route_memo(client, pages):
    for number in range(caching._ROUTE_MEMO_SIZE + 10):
        caching._route(f"/medborgarloften/{number}/")
    assert len(caching._routes) <= caching._ROUTE_MEMO_SIZE
    assert caching._route(pages["a"]) is not None


def test_a_post_is_never_answered_from_the_cache(client, pages):
    client.get(pages["start"])
    response = client.post(pages["start"])
    assert response.status_code == 405 and not served_early(response)


def test_head_is_answered_early_only_where_the_view_answers_it(client, pages):
    """A view behind ``require_GET`` keeps its 405; one that takes HEAD is served early."""
    url = pages["kalmar"]
    client.get(url)
    first = client.head(url)
    assert not served_early(first)
    with CaptureQueriesContext(connection) as queries:
        second = client.head(url)
    assert second.status_code == first.status_code
    if first.status_code == 200:
        assert len(queries) == 0 and served_early(second)
        assert second["ETag"] == client.get(url)["ETag"]
    else:
        assert first.status_code == 405 and not served_early(second)


def test_a_host_not_allowed_is_refused_even_when_the_page_is_cached(client, pages):
    client.get(pages["start"])
    for _ in range(2):
        response = client.get(pages["start"], headers={"host": "evil.example"})
        assert response.status_code == 400 and not served_early(response)


def test_an_overlong_kommun_slug_makes_no_version_key(client):
    from django.core.cache import cache

    response = client.get(reverse("public:municipality-detail", args=["a" * 400]))
    assert response.status_code == 404
    assert not [key for key in cache._cache if "public:scope:kommun:" in key]
    client.get(reverse("public:municipality-detail", args=["ingen-sadan-kommun"]))
    assert [key for key in cache._cache if "public:scope:kommun:ingen-sadan-kommun" in key]


@pytest.mark.parametrize("name", ["a", "kalmar", "start"])
def test_a_cached_page_costs_one_cache_round_trip(client, pages, name):
    """The entry and the versions it must have been built at come in one ``get_many``."""
    from unittest import mock

    from django.core.cache import cache

    client.get(pages[name])
    with (
        mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
        mock.patch.object(cache, "get", wraps=cache.get) as get_one,
    ):
        count, response = get(client, pages[name])
    assert count == 0 and served_early(response)
    assert get_many.call_count == 1
    # The local-memory cache answers get_many with one get per key: nothing else is read.
    (keys,) = get_many.call_args.args
    assert [call.args[0] for call in get_one.call_args_list] in ([], list(keys))


def test_an_entry_built_at_older_versions_is_never_served(client, pages, kalmar_a):
    """The entry stays where it was; a renewed scope makes its versions differ, so it misses."""
    client.get(pages["a"])
    assert cached(client, pages["a"])
    publication.renew(f"promise:{kalmar_a.pk}")
    assert not cached(client, pages["a"])
    assert cached(client, pages["a"])
    publication.invalidate_public_pages()
    assert not cached(client, pages["start"]) and not cached(client, pages["a"])
