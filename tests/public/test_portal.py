"""Start page, kommun list, search, sitemap, robots and the cache behaviour of public pages."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo import promises as promises_demo
from promises import services
from promises.models import Promise
from tests.factories import sign

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/kommuner/",
    "/kommuner/katrineholm/",
    "/sok/?q=narkotika",
    "/tillganglighet/",
]


@pytest.fixture
def katrineholm_2020(demo):
    return Promise.objects.get(title=promises_demo.KATRINEHOLM_TITLE)


def hits(client, query, **filters):
    body = client.get("/sok/", {"q": query, **filters}).content.decode()
    count = re.search(r'id="traffar"[^>]*>(\d+) träff', body)
    return int(count.group(1)) if count else 0, body


def test_start_page_explains_and_shows_figures(client, demo):
    body = client.get("/").content.decode()
    assert "Ett medborgarlöfte är ett gemensamt löfte" in body
    assert 'role="search"' in body
    assert "Katrineholms kommun" in body
    # Katrineholm 2020 has ended: no kommun has an active promise.
    assert "<strong>0</strong> av 290 kommuner har ett gällande medborgarlöfte" in body
    assert "<strong>1</strong> publicerat medborgarlöfte, 0 gällande" in body
    assert "Narkotika" in body  # most common themes


def test_kommun_list_has_all_290_grouped_by_lan(client, demo):
    body = client.get("/kommuner/").content.decode()
    assert len(re.findall(r'href="/kommuner/[a-z0-9-]+/"', body)) == 290
    assert body.count('<h2 id="lan-') == 21
    assert "1 avslutat" in body  # Katrineholm's ended promise
    assert body.count("gällande löfte</span>") == 0


def test_kommun_list_filters_by_name_and_lan_without_javascript(client, demo):
    response = client.get("/kommuner/", {"q": "katrineholms kommun"})
    assert response.status_code == 302
    assert response["Location"] == "/kommuner/katrineholm/"
    body = client.get("/kommuner/", {"q": "kal"}).content.decode()
    assert 'href="/kommuner/kalmar/"' in body and 'href="/kommuner/katrineholm/"' not in body
    sodermanland = client.get("/kommuner/", {"lan": "04"}).content.decode()
    assert len(re.findall(r'href="/kommuner/[a-z0-9-]+/"', sodermanland)) == 9
    assert client.get("/kommuner/", {"lan": "99"}).status_code == 400
    assert client.get("/kommuner/", {"q": "x\x00"}).status_code in (200, 400)


def test_kommun_suggestions_for_htmx_name_the_kommun(client, demo):
    body = client.get("/kommuner/forslag/", {"q": "katrine"}).content.decode()
    assert 'href="/kommuner/katrineholm/"' in body
    assert "Katrineholms kommun" in body
    assert "<html" not in body


@pytest.mark.parametrize(
    "query", ["narkotika", "hundsök", "trygghetsvandringar", "trygghetsvandring", "löfte"]
)
def test_search_finds_katrineholm(client, katrineholm_2020, query):
    count, body = hits(client, query)
    assert count >= 1, query
    assert katrineholm_2020.get_public_url() in body


def test_search_marks_matches_and_escapes_everything_else(client, katrineholm_2020):
    _, body = hits(client, "hundsök")
    assert "<mark>hundsök</mark>" in body


def test_search_filters(client, katrineholm_2020):
    assert hits(client, "narkotika", part="police")[0] == 1
    assert hits(client, "narkotika", part="municipality")[0] == 1
    assert hits(client, "narkotika", kommun="0483")[0] >= 2
    assert hits(client, "narkotika", kommun="0880")[0] == 0
    assert hits(client, "narkotika", lan="04")[0] >= 2
    assert hits(client, "narkotika", lan="08")[0] == 0
    assert hits(client, "narkotika", ar="2020")[0] >= 2
    assert hits(client, "narkotika", ar="2019")[0] == 0
    assert hits(client, "hundsök", tema="Narkotika")[0] == 1


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "'; DROP TABLE core_searchentry; --",
        "<script>alert(1)</script>",
        "&|!():*",
        "ö" * 500,
    ],
)
def test_empty_and_hostile_queries_are_harmless(client, katrineholm_2020, query):
    response = client.get("/sok/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert hits(client, "narkotika")[0] >= 1  # the index is still there


def test_search_never_finds_unpublished_text(client, demo):
    # Kalmar waits for signatures and the 2021 draft is a draft: neither is indexed.
    assert hits(client, "KS 2018/1249")[0] == 0
    assert hits(client, "stadsdel")[0] == 0
    assert hits(client, "Utkast under arbete")[0] == 0


def test_search_paginates(client, katrineholm_2020):
    count, body = hits(client, "löfte")
    assert count > 10
    # 20 per page: with 13 entries there is a single page and no pagination links
    assert ("sida=2" in body) is (count > 20)


def test_sitemap_lists_published_only(client, katrineholm_2020):
    body = client.get("/sitemap.xml").content.decode()
    assert katrineholm_2020.get_public_url() in body
    for title in (promises_demo.KALMAR_TITLE, promises_demo.DRAFT_TITLE):
        assert Promise.objects.get(title=title).get_public_url() not in body
    assert body.count("/kommuner/") >= 290


def test_robots_keeps_crawlers_out_of_the_workspace(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /arbetsyta/" in body
    assert "Sitemap: " in body


def test_accessibility_statement_has_what_digg_requires(client):
    body = client.get("/tillganglighet/").content.decode()
    assert "delvis förenlig med lagen om tillgänglighet till digital offentlig service" in body
    assert 'href="https://www.digg.se/tdosanmalan"' in body
    assert "mailto:" in body
    assert "Senaste bedömningen gjordes den" in body
    assert "Innehåll som inte är tillgängligt" in body


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_are_cacheable_cookie_free_and_csp_clean(client, katrineholm_2020, url):
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert not response.cookies
    assert "public" in response.get("Cache-Control", "") or url == "/tillganglighet/"
    assert "<script>" not in body and re.search(r"<script(?![^>]*\bsrc=)", body) is None
    assert "<style" not in body and " style=" not in body
    assert re.search(r"\son[a-z]+=", body) is None


def test_promise_page_is_cacheable_and_revalidates(client, katrineholm_2020):
    url = katrineholm_2020.get_public_url()
    first = client.get(url)
    assert "public" in first["Cache-Control"] and first["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert len(queries) == 0


def test_publishing_shows_up_at_once(
    client,
    kalmar_coordinator,
    kalmar_partnership,
    kalmar_police_chief,
    kalmar_municipal_signatory,
    django_capture_on_commit_callbacks,
):
    assert "Nytt för Kalmar" not in client.get("/kommuner/kalmar/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        promise = services.promise_create(
            user=kalmar_coordinator,
            partnership=kalmar_partnership,
            title="Nytt för Kalmar",
            valid_from_date=date(2026, 1, 1),
            valid_to_date=date(2026, 12, 31),
        )
        services.commitment_create(
            user=kalmar_coordinator, promise=promise, party="joint", text="Vi gör det ihop."
        )
        services.promise_submit_for_signing(user=kalmar_coordinator, promise=promise)
        sign(kalmar_police_chief, promise)
        sign(kalmar_municipal_signatory, promise)
    assert "Nytt för Kalmar" in client.get("/kommuner/kalmar/").content.decode()
    assert hits(client, "ihop")[0] == 1


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/", "/kommuner/", "/kommuner/kalmar/", "/sok/?q=insats"])
def test_public_page_queries_do_not_grow_with_data(
    client,
    url,
    kalmar_coordinator,
    kalmar_partnership,
    kalmar_police_chief,
    kalmar_municipal_signatory,
    django_capture_on_commit_callbacks,
):
    from django.core.cache import cache

    def publish(n):
        with django_capture_on_commit_callbacks(execute=True):
            for i in range(n):
                promise = services.promise_create(
                    user=kalmar_coordinator,
                    partnership=kalmar_partnership,
                    title=f"Löfte {n}-{i}",
                    valid_from_date=date(2026, 1, 1),
                    valid_to_date=date(2026, 12, 31),
                )
                services.commitment_create(
                    user=kalmar_coordinator, promise=promise, party="joint", text="En insats."
                )
                services.promise_submit_for_signing(user=kalmar_coordinator, promise=promise)
                for signer in (kalmar_police_chief, kalmar_municipal_signatory):
                    sign(signer, promise)

    publish(1)
    cache.clear()
    few = _count_queries(client, url)
    publish(4)
    cache.clear()
    assert _count_queries(client, url) == few


def test_search_covers_activities_and_published_followups_only(client, demo):
    from core import search
    from demo import activities as activities_demo
    from demo import followups as followups_demo
    from followups.models import FollowUp

    activities_demo.load()
    followups_demo.load()
    search.rebuild()
    kinds = set(search.search("trygghetsvandring").values_list("kind", flat=True))
    assert {"commitment", "activity", "followup"} <= kinds
    draft = FollowUp.objects.exclude(status=FollowUp.Status.PUBLISHED).first()
    assert draft is not None
    urls = set(search.search("tertial").values_list("url", flat=True))
    assert not any(url.endswith(f"#{draft.public_anchor}") for url in urls)
    assert hits(client, "trygghetsvandring", part="joint")[0] >= 1


# Found by a resident's review of the public pages (December 2026).


def test_kommun_suggestions_are_announced(client, demo):
    """The list appeared silently for a screen reader; app.js reads data-announce aloud."""
    body = client.get("/kommuner/forslag/", {"q": "kal"}).content.decode()
    assert re.search(r'<p class="visually-hidden" data-announce>\d+ kommuner? matchar\.</p>', body)
    none = client.get("/kommuner/forslag/", {"q": "qqq"}).content.decode()
    assert "data-announce>Ingen kommun heter något med ”qqq”." in none


def test_english_search_links_stay_on_the_english_site(client, katrineholm_2020):
    body = client.get("/en/sok/", {"q": "narkotika"}).content.decode()
    links = re.findall(r'<a class="fs-5" href="([^"]+)"', body)
    assert links and all(link.startswith("/en/") for link in links), links
    swedish = client.get("/sok/", {"q": "narkotika"}).content.decode()
    assert all(
        not link.startswith("/en/")
        for link in re.findall(r'<a class="fs-5" href="([^"]+)"', swedish)
    )


def test_the_emergency_numbers_can_be_called_from_a_phone(client):
    body = client.get("/kontakt/").content.decode()
    assert 'href="tel:11414"' in body and 'href="tel:112"' in body


def test_the_map_can_be_skipped_by_keyboard(client, demo):
    body = client.get("/sverige/").content.decode()
    skip = body.index('href="#nationellt"')
    assert skip < body.index("<svg") and 'id="nationellt"' in body


def test_follow_up_figures_say_they_are_totals_so_far(client, full_demo):
    """The column said "done during the period" over year-to-date totals (a resident added
    the tertials up); it now names the day the total runs to."""
    from promises.models import Promise

    katrineholm = Promise.objects.get(title="Medborgarlöfte Katrineholms kommun 2020")
    body = client.get(katrineholm.get_public_url()).content.decode()
    assert re.search(r"Genomfört t\.o\.m\. \d{1,2} (april|augusti|december) 2020", body)
    assert "Genomfört under perioden" not in body


def test_an_ended_promise_says_when_it_ended_and_what_was_last_followed_up(client, full_demo):
    """Katrineholm 2020 opened with '0 av 12 genomförda' and 'Pågående: 12', read as work
    still going on; the summary now says the promise ended and the follow-up stops short."""
    from promises.models import Promise

    katrineholm = Promise.objects.get(title="Medborgarlöfte Katrineholms kommun 2020")
    body = client.get(katrineholm.get_public_url()).content.decode()
    assert re.search(
        r"Löftet gällde till 31 december 2020\. Den senaste publicerade uppföljningen visar "
        r"läget den \d{1,2} \w+ 2020; ingen uppföljning av resten av perioden är publicerad\.",
        body,
    )


def test_english_promise_pages_say_the_promise_is_in_swedish(client, demo):
    from promises.models import Promise

    katrineholm = Promise.objects.get(title="Medborgarlöfte Katrineholms kommun 2020")
    english = client.get(f"/en{katrineholm.get_public_url()}").content.decode()
    assert "This promise is published in Swedish, the language it was signed in" in english
    swedish = client.get(katrineholm.get_public_url()).content.decode()
    assert "Löftet publiceras på svenska" not in swedish


def test_the_start_pages_latest_follow_ups_name_their_promise(client, full_demo):
    body = client.get("/").content.decode()
    assert re.search(r'lang="sv">Medborgarlöfte Katrineholms kommun 2020: [^<]+2020</a>', body)
