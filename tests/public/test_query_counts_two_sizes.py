"""Public pages at two data sizes: the same SQL queries, the same figures, HEAD answered.

The sets come from ``manage.py generate_national`` (the real services: versions,
signatures, activity plans and reports, published follow-ups, the search index):
one kommun over two years (2 promises), then five kommuner over the same years
and Kalmar with three years of its own (13 promises). Every page is asked with the cache
off (``DummyCache``), so what is counted is the page's own work.
"""

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from organizations.models import Organisation
from promises import services
from promises.chain import append_version
from promises.models import Promise
from promises.published import (
    PromiseFilter,
    PublicState,
    municipality_figures,
    public_figures,
    summaries,
)
from promises.snapshot import build
from public.caching import forget_canonical
from tests.factories import municipality, publish_working_copy, sign

pytestmark = pytest.mark.django_db

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

#: One kommun (0.4 % of 290) over two years; then five kommuner (the first among
#: them) over the same two years.
SMALL = {"scale": 0.004, "years": 2}
#: A search page: 7 statements around the index (savepoint, sequential scans off and
#: on, the form's lists) and at most 2 × (3 kinds + 2 counts) + 1 on it.
SEARCH_CEILING = 7 + 2 * (3 + 2) + 1
BIG = {"scale": 0.0172, "years": 2}


def _generate(scale: float, years: int) -> None:
    call_command(
        "generate_national", force=True, workers=1, scale=scale, years=years, stdout=StringIO()
    )


def _kalmar_years(partnership, coordinator, police_coordinator, signers, years) -> None:
    """Kalmar's promises, one a year, signed, with an activity plan, reports of what was
    done and the year's follow-ups published: a kommun with more than the others."""
    import random

    from activities import services as activities
    from core.management.commands import generate_national as generated

    today = timezone.localdate()
    for year in years:
        promise = services.promise_create(
            user=coordinator,
            partnership=partnership,
            title=f"Kalmar {year}",
            valid_from_date=date(year, 1, 1),
            valid_to_date=date(year, 12, 31),
        )
        for i in range(4):
            services.commitment_create(
                user=coordinator,
                promise=promise,
                party=["police", "joint"][i % 2],
                text=f"Kalmar {year}: trygghetsvandring {i}",
                target_quantity=i + 1,
                target_unit="trygghetsvandringar",
            )
        services.promise_submit_for_signing(user=coordinator, promise=promise)
        for signer in signers:
            sign(signer, promise)
        promise.refresh_from_db()
        plan = activities.activity_plan_create(
            user=coordinator, promise=promise, year=year, seed_from_commitments=True
        )
        generated._reports(random.Random(year), plan, year, today, coordinator)
        generated._followups(promise, today, coordinator, police_coordinator)


def _published_kommuner() -> list[Organisation]:
    codes = {code for p in summaries() for code in p.municipality_codes}
    return list(Organisation.objects.filter(municipality_code__in=codes).order_by("pk"))


def _urls() -> list[str]:
    """Every public page, for every published promise and every kommun with one, and a
    kommun without any."""
    kommuner = _published_kommuner()
    empty = Organisation.objects.municipalities().exclude(pk__in=[k.pk for k in kommuner])
    urls = [
        "/",
        "/kommuner/",
        "/kommuner/?lan=01",
        "/kommuner/?med=loften",
        "/kommuner/forslag/?q=sal",
        "/sverige/",
        "/sok/?q=trygghet",
        "/sok/?q=trygghet&sida=2",
        "/sok/?q=narkotika&ar=2026",
        "/flode/",
        "/sitemap.xml",
        "/robots.txt",
        "/om/",
        "/kontakt/",
        "/personuppgifter/",
        "/tillganglighet/",
        f"/kommuner/{empty.order_by('pk').first().slug}/?utan=loften",
    ]
    for kommun in kommuner:
        urls += [f"/kommuner/{kommun.slug}/", f"/kommuner/{kommun.slug}/flode/"]
    for promise in summaries(order=("pk",)):
        urls.append(promise.url)
    return urls


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _kind(url: str) -> str:
    """Pages of one kind (every promise page, every kommun page) cost the same."""
    parts = url.split("?")[0].strip("/").split("/")
    if "?utan=loften" in url:
        return "/kommuner/<slug without promises>/"
    if parts[0] == "medborgarloften":
        return "/medborgarloften/<id>/"
    if parts[0] == "kommuner" and len(parts) > 1 and parts[1] != "forslag":
        return "/kommuner/<slug>/" + ("flode/" if parts[-1] == "flode" else "")
    return url


def _counts(client) -> dict[str, set[int]]:
    # The queries of a first request: the page cache remembers valid parameters after one.
    forget_canonical()
    found: dict[str, set[int]] = {}
    for url in _urls():
        found.setdefault(_kind(url), set()).add(_count(client, url))
    return found


def test_every_public_page_costs_the_same_queries_at_both_sizes(
    client,
    settings,
    kalmar_partnership,
    kalmar_coordinator,
    kalmar_police_coordinator,
    kalmar_police_chief,
    kalmar_municipal_signatory,
    django_capture_on_commit_callbacks,
):
    settings.CACHES = NO_CACHE
    _generate(**SMALL)
    assert Promise.objects.published().count() == 2
    small = _counts(client)

    _generate(**BIG)
    with django_capture_on_commit_callbacks(execute=True):
        _kalmar_years(
            kalmar_partnership,
            kalmar_coordinator,
            kalmar_police_coordinator,
            (kalmar_police_chief, kalmar_municipal_signatory),
            (2024, 2025, 2026),
        )
    assert Promise.objects.published().count() == 13
    big = _counts(client)

    assert small.keys() == big.keys()
    differ = {
        kind: (sorted(small[kind]), sorted(big[kind]))
        for kind in small
        if len(small[kind] | big[kind]) != 1 and not kind.startswith("/sok/")
    }
    assert not differ, f"queries per page (small set, big set): {differ}"
    # Search reads a page kind of match by kind (``core.search.Hits``: ranked, older
    # whole-word matches, matches inside words), counting a kind only to start past it,
    # plus a capped count when there is more than one page, and again the last page when
    # the one asked for is past the end: a ceiling that does not grow with the data.
    for kind in small:
        if kind.startswith("/sok/"):
            counts = small[kind] | big[kind]
            assert max(counts) <= SEARCH_CEILING, (kind, sorted(counts))
    # A page cut to a few queries stays so (the numbers when this was written).
    assert max(big["/"]) <= 8
    assert max(big["/sverige/"]) <= 8
    assert max(big["/kommuner/"]) <= 5


@pytest.fixture
def small_pages(monkeypatch, settings):
    """The small set, and search pages of five hits so that it has several."""
    from public import views

    settings.CACHES = NO_CACHE
    _generate(**SMALL)
    monkeypatch.setattr(views, "SEARCH_PAGE_SIZE", 5)


def test_search_reads_one_page_and_counts_at_most_to_the_cap(client, small_pages):
    from core import search

    total = search.search("trygghet").count()
    assert total > 5  # more than one page
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/sok/", {"q": "trygghet"}).content.decode()
    searches = [q["sql"] for q in queries.captured_queries if "core_searchentry" in q["sql"]]
    # The page (one row more than it shows): the ranked whole-word matches, and those
    # inside words ("trygghetsvandring") when they do not fill it; then the capped count.
    whole = search.search("trygghet").filter(rank__gte=search.RANKED).count()
    assert len(searches) == (2 if whole >= 6 else 3)
    assert any("LIMIT 6" in sql and "COUNT(" not in sql for sql in searches)
    assert any("COUNT(*)" in sql and "LIMIT 201" in sql for sql in searches)
    assert f"{total} träffar" in body
    assert 'href="?q=trygghet&amp;sida=2"' in body
    assert f"Sida 1 av {-(-total // 5)}" in body


def test_one_page_of_hits_needs_no_count(client, small_pages, monkeypatch):
    from core import search
    from public import views

    total = search.search("narkotika", facets={"ar": "2026"}).count()
    assert total > 0
    monkeypatch.setattr(views, "SEARCH_PAGE_SIZE", total)  # exactly one page
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/sok/", {"q": "narkotika", "ar": "2026"}).content.decode()
    searches = [q["sql"] for q in queries.captured_queries if "core_searchentry" in q["sql"]]
    # The ranked whole-word matches, then those inside words ("narkotikabrott") to fill it.
    assert len(searches) == 2 and not any("COUNT(" in sql for sql in searches)
    assert f"{total} träff" in body
    assert "sida=2" not in body and "Nästa" not in body


def test_search_beyond_the_cap_says_more_than_and_still_pages(client, small_pages, monkeypatch):
    from core import search

    total = search.search("trygghet").count()
    monkeypatch.setattr(search, "COUNT_CAP", 5)
    body = client.get("/sok/", {"q": "trygghet"}).content.decode()
    assert "Fler än 5 träffar" in body
    assert "Sida 1<" in body and "Sida 1 av" not in body
    assert "Nästa" in body
    last = -(-total // 5)
    body = client.get("/sok/", {"q": "trygghet", "sida": last}).content.decode()
    assert "Föregående" in body and "Nästa" not in body
    beyond = client.get("/sok/", {"q": "trygghet", "sida": last + 5})
    assert beyond.status_code == 200
    assert "Det finns inte så många träffar." in beyond.content.decode()


def test_search_past_the_last_page_shows_the_last_page(client, small_pages):
    from core import search

    total = search.search("trygghet").count()
    last = -(-total // 5)
    body = client.get("/sok/", {"q": "trygghet", "sida": last + 3}).content.decode()
    assert f"Sida {last} av {last}" in body
    assert f"{total} träffar" in body


def test_head_is_answered_wherever_get_is(client, settings):
    settings.CACHES = NO_CACHE
    _generate(**SMALL)
    promise = summaries(order=("pk",))[0]
    urls = [*_urls(), f"{promise.url}pdf/", "/healthz"]
    for url in urls:
        get = client.get(url)
        head = client.head(url)
        assert head.status_code == 200, (url, head.status_code)
        assert head.content == b"", url
        assert head["Content-Type"] == get["Content-Type"], url


def test_post_is_still_refused_on_public_pages(client):
    for url in ["/", "/kommuner/", "/sverige/", "/sok/?q=x", "/flode/", "/robots.txt"]:
        assert client.post(url).status_code == 405, url


# --- The figures from SQL are the figures the Python loop gave ------------------------


def _publish(partnership, coordinator, title, start, end, *, themes=(), schema_1=False):
    promise = services.promise_create(
        user=coordinator,
        partnership=partnership,
        title=title,
        valid_from_date=start,
        valid_to_date=end,
        themes=list(themes),
    )
    for i in range(3):
        services.commitment_create(
            user=coordinator, promise=promise, party="joint", text=f"{title}: åtagande {i}"
        )
    if not schema_1:
        return publish_working_copy(promise)
    # A version signed in the first wave: themes as plain names (schema 1).
    snapshot = build(promise)
    snapshot["schema"] = 1
    snapshot["themes"] = [t["name"] for t in snapshot["themes"]]
    version = append_version(promise=promise, snapshot=snapshot)
    Promise.objects.filter(pk=promise.pk).update(
        published_version=version, status=Promise.Status.PUBLISHED, published_at=version.created_at
    )
    return version


@pytest.fixture
def mixed(kalmar_partnership, kalmar_coordinator, lpo_kalmar):
    """Eight generated years of one kommun (seven ended, one gällande), and in Kalmar: one
    to come, one ending today, one starting today, one in schema 1, and one Kalmar signed
    together with Nybro."""
    from organizations.models import Theme
    from organizations.services import partnership_create

    _generate(scale=0.004, years=8)
    today = timezone.localdate()
    themes = {t.slug: t for t in Theme.objects.filter(partnership__isnull=True)}
    narkotika, trafik = themes["narkotika"], themes["trafik"]
    year = timedelta(days=365)
    _publish(kalmar_partnership, kalmar_coordinator, "Kommande", today + timedelta(1), today + year)
    _publish(kalmar_partnership, kalmar_coordinator, "Slutar i dag", today - year, today)
    _publish(kalmar_partnership, kalmar_coordinator, "Börjar i dag", today, today + year)
    _publish(
        kalmar_partnership,
        kalmar_coordinator,
        "Första vågen",
        today - 2 * year,
        today - year,
        themes=[narkotika, trafik],
        schema_1=True,
    )
    both = partnership_create(
        name="Samverkan Kalmar och Nybro",
        police_area=lpo_kalmar,
        municipalities=[municipality("0880"), municipality("0881")],
    )
    _publish(both, kalmar_coordinator, "Tillsammans", today - year, today + year, themes=[trafik])


def _python_figures(today: date) -> dict:
    """What the views computed before, by a loop over every published promise."""
    promises = summaries(today=today)
    by_kommun: dict[str, Counter] = {}
    for p in promises:
        for code in p.municipality_codes:
            by_kommun.setdefault(code, Counter())[p.state(today)] += 1
    return {
        "states": Counter(p.state(today) for p in promises),
        "commitments": sum(p.commitment_count for p in promises),
        "by_kommun": {code: dict(counts) for code, counts in by_kommun.items()},
        "themes": Counter(t for p in promises for t in set(p.themes)),
        "active_codes": {
            code
            for p in promises
            if p.state(today) == PublicState.ACTIVE
            for code in p.municipality_codes
        },
    }


@pytest.mark.parametrize("offset", [0, -400, -1, 1, 200, -2000])
def test_sql_figures_match_the_python_loop(mixed, offset):
    today = timezone.localdate() + timedelta(days=offset)
    expected = _python_figures(today)
    assert sum(expected["states"].values()) == 13
    assert len(expected["states"]) >= 2  # a mixed set on every day asked

    figures = public_figures(today=today)
    assert figures.promises == dict(expected["states"])
    assert figures.published == 13
    assert figures.active == expected["states"][PublicState.ACTIVE]
    assert figures.current == 13 - expected["states"][PublicState.ENDED]
    assert figures.commitments == expected["commitments"]
    assert figures.by_municipality == expected["by_kommun"]
    assert municipality_figures(today=today) == expected["by_kommun"]
    assert figures.municipality_codes(PublicState.ACTIVE) == expected["active_codes"]
    assert dict(figures.themes) == dict(expected["themes"])
    counts = [n for _name, n in figures.themes]
    assert counts == sorted(counts, reverse=True)


def test_figures_of_nothing_are_zero(db):
    figures = public_figures()
    assert (figures.published, figures.commitments, figures.themes) == (0, 0, [])
    assert public_figures(PromiseFilter(ids=())).by_municipality == {}
    assert municipality_figures() == municipality_figures(PromiseFilter(ids=())) == {}


def test_the_mixed_set_covers_what_the_sql_must_handle(mixed):
    today = timezone.localdate()
    states = {p.title: p.state(today) for p in summaries(today=today)}
    assert states["Kommande"] == PublicState.UPCOMING
    assert states["Slutar i dag"] == PublicState.ACTIVE  # the last day still counts
    assert states["Börjar i dag"] == PublicState.ACTIVE
    assert states["Första vågen"] == PublicState.ENDED
    figures = public_figures(today=today)
    assert figures.by_municipality["0881"] == {PublicState.ACTIVE: 1}
    nybro = public_figures(PromiseFilter(municipality="0881"), today=today)
    assert (nybro.published, nybro.themes) == (1, [("Trafik", 1)])
    assert nybro.by_municipality["0881"] == {PublicState.ACTIVE: 1}
    assert (
        municipality_figures(PromiseFilter(municipality="0881"), today=today)
        == nybro.by_municipality
    )
    assert nybro.commitments == 3


def test_pages_show_the_sql_figures(client, mixed):
    expected = _python_figures(timezone.localdate())
    states = expected["states"]
    body = client.get("/").content.decode()
    assert (
        f"<strong>{len(expected['active_codes'])}</strong> av 290 kommuner har ett gällande" in body
    )
    assert f"<strong>13</strong> publicerade medborgarlöften, {states['active']} gällande" in body
    assert f"<strong>{expected['commitments']}</strong> åtaganden" in body
    top = expected["themes"].most_common(1)[0]
    assert f'<span lang="sv">{top[0]}</span> ({top[1]} löften)' in body
    sweden = client.get("/sverige/").content.decode()
    assert "<strong>13</strong> publicerade medborgarlöften" in sweden
    kommuner = client.get("/kommuner/", {"q": "ny"}).content.decode()
    nybro = kommuner[kommuner.index('href="/kommuner/nybro/"') :]
    assert nybro[: nybro.index("</li>")].count("gällande löfte</span>") == 1
