"""The citizens' site: reads only, anonymous, and never shows what is not published.

Every view here is ``login_not_required``, GET and HEAD only and cached through
``public_page``; nothing here touches the session or messages, so anonymous
visitors get no cookie. Promises are read through the published read model
(``promises.published`` and ``public.read``), never through the working copy.
"""

import html
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import search
from followups.selectors import latest_published_followups, municipality_followups
from organizations.models import (
    County,
    Organisation,
    PoliceRegion,
    Theme,
    municipality_display_name,
)
from promises.published import (
    NotPublished,
    PromiseFilter,
    PublicState,
    Unverifiable,
    municipality_figures,
    party_choices,
    public_figures,
    published_scan,
    summaries,
)
from public import glossary
from public.caching import no_parameters, public_page
from public.forms import (
    MunicipalityFilterForm,
    SearchForm,
    fold,
    municipality_filter_key,
    municipality_query_text,
    search_cache_key,
    sitemap_cache_key,
)
from public.map import (
    MapState,
    kommun_map_legend,
    kommun_map_svg,
    map_entries,
    map_state,
    state_counts,
)
from public.read import national_outcomes, promise_page

logger = logging.getLogger(__name__)

NEWEST_FIRST = (F("published_at").desc(nulls_last=True), "-pk")
MAX_SLUG_LENGTH = Organisation._meta.get_field("slug").max_length


def _public(view=None, *, params=no_parameters):
    """A public page: GET and HEAD, open to anyone, cached on the parameters it reads."""
    if view is None:
        return lambda view: _public(view, params=params)
    return require_safe(login_not_required(public_page(view, params=params)))


@_public
def home(request: HttpRequest) -> HttpResponse:
    """Start page: what medborgarlöften are, search, kommuner with active promises, figures.

    Every figure is counted in SQL in one pass (``public_figures``), so the page costs
    the same few queries with 2 published promises or 2,300.
    """
    figures = public_figures()
    active_municipalities = _kommuner(
        Organisation.objects.municipalities()
        .filter(municipality_code__in=figures.municipality_codes(PublicState.ACTIVE))
        .order_by("name")
    )
    return render(
        request,
        "public/home.html",
        {
            "latest": summaries(order=NEWEST_FIRST, limit=5),
            "active_municipalities": active_municipalities,
            "figures": {
                "municipalities_with_active": len(active_municipalities),
                "published": figures.published,
                "active": figures.active,
                "commitments": figures.commitments,
            },
            "top_themes": figures.themes[:5],
            "latest_followups": latest_published_followups(limit=5),
        },
    )


@dataclass(frozen=True)
class CountyRow:
    """A län as the kommun lists group by it."""

    code: str
    name: str
    #: The police region's name as ``str(PoliceRegion)`` gives it.
    police_region: str


@dataclass(eq=False)
class KommunRow:
    """One kommun as a public list shows it, read as plain values: 290 ``Organisation``
    objects with their län and police region cost 5–6 ms of each list page to build."""

    municipality_code: str
    name: str
    slug: str
    full_name: str
    county: CountyRow
    #: Its page (``_kommuner``).
    path: str
    #: Set by ``_kommuner_with_counts``.
    active_count: int = 0
    published_count: int = 0
    map_state: str = ""

    @property
    def display_name(self) -> str:
        return municipality_display_name(self.name, self.full_name)


#: A slug no kommun has, to make every kommun page's path from one ``reverse()``.
_SLUG = "kommun-slug"

_KOMMUN_COLUMNS = (
    "municipality_code",
    "name",
    "slug",
    "full_name",
    "county__code",
    "county__name",
    "county__police_region__name",
)


def _kommuner(queryset) -> list[KommunRow]:
    """The kommuner of ``queryset`` as ``KommunRow``s, in its order. One query.

    Each page's path comes from one ``reverse()`` instead of one each (20 µs apiece,
    290 on a page): slugs are ASCII letters, digits and hyphens, which a path keeps as
    they are (``tests/public/test_public_site.py`` holds them to ``reverse()``)."""
    pattern = reverse("public:municipality-detail", args=[_SLUG])
    counties: dict[str, CountyRow] = {}
    rows = []
    for code, name, slug, full_name, county_code, county_name, region in queryset.values_list(
        *_KOMMUN_COLUMNS
    ):
        county = counties.get(county_code)
        if county is None:
            county = counties[county_code] = CountyRow(
                code=county_code, name=county_name, police_region=str(PoliceRegion(name=region))
            )
        rows.append(
            KommunRow(
                municipality_code=code,
                name=name,
                slug=slug,
                full_name=full_name,
                county=county,
                path=pattern.replace(_SLUG, slug),
            )
        )
    return rows


def _kommuner_with_counts(counts: Mapping[str, Mapping[str, int]]) -> list[KommunRow]:
    """All 290 kommuner in län order, each with ``active_count``, ``published_count`` and
    ``map_state`` from ``counts`` (``PublicFigures.by_municipality``). One query."""
    municipalities = _kommuner(
        Organisation.objects.municipalities().order_by("county__code", "name")
    )
    for municipality in municipalities:
        found = Counter(counts.get(municipality.municipality_code, {}))
        municipality.active_count = found[PublicState.ACTIVE] + found[PublicState.UPCOMING]
        municipality.published_count = sum(found.values())
        municipality.map_state = map_state(found)
    return municipalities


def _matching(municipalities, query: str) -> list[KommunRow]:
    """Kommuner whose name starts with ``query`` first, then those that contain it
    ("hol" finds Katrineholm), ignoring case and a trailing "kommun"."""
    needle = municipality_query_text(query)
    if not needle:
        return list(municipalities)
    starts = [m for m in municipalities if fold(m.name).startswith(needle)]
    contains = [m for m in municipalities if needle in fold(m.name) and m not in starts]
    return sorted(starts, key=lambda m: m.name) + sorted(contains, key=lambda m: m.name)


@_public(params=municipality_filter_key)
def municipality_list(request: HttpRequest) -> HttpResponse:
    """All 290 kommuner grouped by län, each with the state of its signed promises;
    filtered by name (``q``), län (``lan``) and to those with promises (``med=loften``).

    The search field on every page sends its words here: one kommun that matches
    goes straight to its page, so finding your kommun is one step without JavaScript.
    """
    form = MunicipalityFilterForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "public/municipality_list.html",
            {"form": form, "counties": {}, "shown": 0},
            status=400,
        )
    municipalities = _kommuner_with_counts(municipality_figures())
    filters = form.cleaned_data
    if filters["lan"]:
        municipalities = [m for m in municipalities if m.county.code == filters["lan"]]
    if filters["med"] == "loften":
        municipalities = [m for m in municipalities if m.published_count]
    if filters["q"]:
        municipalities = _matching(municipalities, filters["q"])
        if len(municipalities) == 1 and not filters["lan"] and not filters["med"]:
            return redirect("public:municipality-detail", slug=municipalities[0].slug)
    counties: dict[CountyRow, list] = {}
    for municipality in sorted(municipalities, key=lambda m: (m.county.code, m.name)):
        counties.setdefault(municipality.county, []).append(municipality)
    return render(
        request,
        "public/municipality_list.html",
        {
            "form": form,
            "counties": counties,
            "shown": len(municipalities),
            "filtered": any(filters.values()),
            "all_counties": County.objects.order_by("code"),
        },
    )


SUGGESTIONS = 8


@_public(params=municipality_filter_key)
def municipality_suggest(request: HttpRequest) -> HttpResponse:
    """The kommuner matching what has been typed, as links: htmx swaps them in under
    the field. Without JavaScript the same field submits to ``municipality_list``."""
    form = MunicipalityFilterForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found: list[KommunRow] = []
    if query:
        found = _matching(_kommuner_with_counts(municipality_figures()), query)
    return render(
        request,
        "public/_municipality_suggestions.html",
        {"suggestions": found[:SUGGESTIONS], "more": max(0, len(found) - SUGGESTIONS), "q": query},
    )


def _figures_by(municipalities, key) -> list[dict]:
    """Per län or police region: kommuner, how many have a gällande löfte, and published."""
    rows: dict = {}
    for m in municipalities:
        group = key(m)
        row = rows.setdefault(
            group, {"name": group, "kommuner": 0, "active": 0, "with_promises": 0}
        )
        row["kommuner"] += 1
        row["active"] += 1 if m.active_count else 0
        row["with_promises"] += 1 if m.published_count else 0
    return list(rows.values())


_KOMMUN_ROW = (
    '<tr class="map-row" data-code="{code}"><th scope="row" data-label="{kommun}">'
    '<a href="{href}">{name}</a></th><td data-label="{lan}">{county}</td>'
    '<td data-label="{state}">{state_label}</td>'
    '<td data-label="{published}" class="text-end">{count}</td></tr>'
)


def _kommun_rows(rows) -> SafeString:
    """The 290 rows of /sverige/'s table. Joined here, each value escaped (with the
    standard library's ``html.escape``, which Django's ``escape`` wraps in a lazy-string
    check that costs more than the escaping), the labels and the states' names once: in
    the template language the rows cost 20 ms of the page's 57 (ten variables each,
    looked up and escaped one by one)."""
    labels = {
        "kommun": html.escape(_("Kommun")),
        "lan": html.escape(_("Län")),
        "state": html.escape(_("Läge")),
        "published": html.escape(_("Publicerade löften")),
    }
    state_labels = {state: html.escape(str(state.label)) for state in MapState}
    return mark_safe(  # noqa: S308 - every value is escaped above or here
        "\n".join(
            _KOMMUN_ROW.format(
                code=html.escape(entry.code),
                href=html.escape(entry.href),
                name=html.escape(entry.name),
                county=html.escape(m.county.name),
                state_label=state_labels[entry.state],
                count=int(m.published_count),
                **labels,
            )
            for entry, m in rows
        )
    )


@_public
def sweden(request: HttpRequest) -> HttpResponse:
    """/sverige/: the map of all 290 kommuner, the same as a table, national figures."""
    figures = public_figures()
    municipalities = _kommuner_with_counts(figures.by_municipality)
    states = {m.municipality_code: m.map_state for m in municipalities}
    links = {m.municipality_code: m.path for m in municipalities}
    labels = {m.municipality_code: m.display_name for m in municipalities}
    entries = map_entries(states, links=links, labels=labels)
    by_code = {m.municipality_code: m for m in municipalities}
    return render(
        request,
        "public/sweden.html",
        {
            "map_svg": kommun_map_svg(states, links=links, labels=labels),
            "map_legend": kommun_map_legend(states),
            "kommun_rows": _kommun_rows((entry, by_code[entry.code]) for entry in entries),
            "state_counts": state_counts(entries),
            "by_county": _figures_by(municipalities, lambda m: m.county.name),
            "by_region": sorted(
                _figures_by(municipalities, lambda m: m.county.police_region),
                key=lambda r: r["name"],
            ),
            "top_themes": figures.themes[:10],
            "outcomes": national_outcomes(figures),
            "figures": {
                "published": figures.published,
                "active": figures.current,
                "commitments": figures.commitments,
            },
        },
    )


@_public
def about(request: HttpRequest) -> HttpResponse:
    """Om webbplatsen: who runs it, where the content comes from, the glossary."""
    return render(request, "public/about.html", {"terms": glossary.TERMS})


@_public
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "public/contact.html")


@_public
def privacy(request: HttpRequest) -> HttpResponse:
    """Personuppgifter: what the service keeps about whom, why, for how long."""
    return render(request, "public/privacy.html")


@_public
def municipality_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A kommun's page: current (and coming) and earlier promises, follow-ups, feed link."""
    if len(slug) > MAX_SLUG_LENGTH:
        raise Http404  # no kommun has a name that long: not worth a query
    municipality = get_object_or_404(
        Organisation.objects.municipalities().select_related("county__police_region"), slug=slug
    )
    code = municipality.municipality_code
    promises = summaries(PromiseFilter(municipality=code))
    followups, older_followups = municipality_followups(code)
    return render(
        request,
        "public/municipality_detail.html",
        {
            "municipality": municipality,
            "current": [p for p in promises if p.state() != PublicState.ENDED],
            "earlier": [p for p in promises if p.state() == PublicState.ENDED],
            "followups": followups,
            "older_followups": older_followups,
        },
    )


@_public
def promise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published promise as it was signed, with its lägesbild, progress and follow-ups.

    A live version that no longer matches its hash is never shown as signed:
    the page says so instead (409), with nothing of its content.
    """
    try:
        page = promise_page(pk)
    except NotPublished:
        raise Http404 from None
    except Unverifiable as error:
        logger.error("Publicerad version visas inte: %s", error)
        return render(request, "public/promise_unverifiable.html", {"pk": pk}, status=409)
    return render(
        request,
        "public/promise_detail.html",
        {"page": page, "promise": page.promise, "content": page.content},
    )


@require_safe
@login_not_required
def promise_scan(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    """The scan of the page signed on paper: the live version's, or an earlier published
    version's (``number``), so the evidence of what was signed is never withdrawn."""
    scan = published_scan(pk, number)
    if scan is None:
        raise Http404
    response = HttpResponse(scan.content, content_type=scan.content_type)
    response["Content-Disposition"] = f'inline; filename="{scan.filename}"'
    return response


SEARCH_PAGE_SIZE = 20


@dataclass
class SearchPage:
    """One page of hits, found without counting every match.

    The page reads one row more than it shows, to know whether there is a next
    page. ``total`` is exact up to ``search.COUNT_CAP`` and ``None`` beyond it
    ("fler än 200 träffar"): an exact count of every match would cost a pass
    over all of them on every request.
    """

    object_list: list
    number: int
    has_next: bool
    total: int | None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def num_pages(self) -> int | None:
        """The number of pages when the total is known."""
        if self.total is None:
            return None
        return max(1, -(-self.total // SEARCH_PAGE_SIZE))

    @property
    def count_cap(self) -> int:
        return search.COUNT_CAP


def search_page(results: search.Hits | None, number: int) -> SearchPage:
    """Page ``number`` of ``results``: the page in one or two queries (``search.Hits``),
    one capped count when there is more than one page. Past the last page: the last
    page, as before."""
    if not results:
        return SearchPage([], 1, has_next=False, total=0)
    with search.through_the_indexes(results.db):
        return _search_page_of(results, number)


def _search_page_of(results: search.Hits, number: int) -> SearchPage:
    start = (number - 1) * SEARCH_PAGE_SIZE
    rows = list(results[start : start + SEARCH_PAGE_SIZE + 1])
    has_next = len(rows) > SEARCH_PAGE_SIZE
    if number == 1 and not has_next:
        return SearchPage(rows, 1, has_next=False, total=len(rows))
    total = results.count_upto()
    if total > search.COUNT_CAP:
        total = None
    if not rows and number > 1 and total is not None:
        # An old link past the end: the last page, like Django's Paginator.get_page.
        last = max(1, -(-total // SEARCH_PAGE_SIZE))
        start = (last - 1) * SEARCH_PAGE_SIZE
        return SearchPage(list(results[start : start + SEARCH_PAGE_SIZE]), last, False, total)
    return SearchPage(rows[:SEARCH_PAGE_SIZE], number, has_next=has_next, total=total)


def _search_page(request: HttpRequest, form: SearchForm, results, *, status: int = 200):
    valid = form.is_valid()
    query = form.query if valid else ""
    page = search_page(results, (form.cleaned_data.get("sida") or 1) if valid else 1)
    for entry in page.object_list:
        entry.snippet = search.highlight(entry.body or entry.title, query)
    return render(
        request,
        "public/search.html",
        {
            "form": form,
            "query": query,
            "facets": form.facets if valid else dict.fromkeys(SearchForm.FACETS, ""),
            "page": page,
            "querystring": form.canonical(without=("sida",)) if valid else "",
            "counties": County.objects.order_by("code"),
            "municipalities": Organisation.objects.municipalities().order_by("name"),
            "themes": Theme.objects.filter(partnership__isnull=True).order_by("name"),
            "parties": party_choices(),
            "years": range(2016, 2031),
        },
        status=status,
    )


@_public(params=search_cache_key)
def search_view(request: HttpRequest) -> HttpResponse:
    """/sok/: Swedish full-text search with filters (län, kommun, tema, år, part).

    Every parameter is validated before the index is asked: a value that cannot
    be right gets the form back with a Swedish message and status 400.
    """
    form = SearchForm(request.GET)
    if not form.is_valid():
        return _search_page(request, form, None, status=400)
    results = search.hits(form.query, facets=form.facets) if form.query else None
    return _search_page(request, form, results)


@require_safe
@login_not_required
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Keep crawlers out of the workspace; point them at the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /arbetsyta/",
        "Disallow: /konto/",
        "Disallow: /admin/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


sitemap = _public(sitemap_view, params=sitemap_cache_key)
