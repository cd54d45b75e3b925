"""The citizens' site: reads only, anonymous, and never shows what is not published.

Every view here is ``login_not_required``, GET only and cached through
``public_page``; nothing here touches the session or messages, so anonymous
visitors get no cookie. Promises are read through the published read model
(``promises.published`` and ``public.read``), never through the working copy.
"""

import logging
from collections import Counter

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core import search
from followups.selectors import latest_published_followups, published_followups_for_municipality
from organizations.models import County, Organisation, Theme
from promises.published import (
    NotPublished,
    PromiseFilter,
    PublicState,
    Unverifiable,
    party_choices,
    published_scan,
    summaries,
)
from public.caching import no_parameters, public_page
from public.forms import SearchForm, search_cache_key, sitemap_cache_key
from public.read import promise_page

logger = logging.getLogger(__name__)

NEWEST_FIRST = (F("published_at").desc(nulls_last=True), "-pk")
MAX_SLUG_LENGTH = Organisation._meta.get_field("slug").max_length


def _public(view=None, *, params=no_parameters):
    """A public page: GET only, open to anyone, cached on the parameters it reads."""
    if view is None:
        return lambda view: _public(view, params=params)
    return require_GET(login_not_required(public_page(view, params=params)))


def counts_by_municipality(promises) -> dict[str, Counter]:
    """``{kommunkod: Counter(state)}`` over the signed parties of ``promises``."""
    counts: dict[str, Counter] = {}
    for promise in promises:
        state = promise.state()
        for code in promise.municipality_codes:
            counts.setdefault(code, Counter())[state] += 1
    return counts


@_public
def home(request: HttpRequest) -> HttpResponse:
    """Start page: what medborgarlöften are, search, kommuner with active promises, figures."""
    promises = summaries()
    active = [p for p in promises if p.state() == PublicState.ACTIVE]
    active_codes = {code for p in active for code in p.municipality_codes}
    municipalities = Organisation.objects.municipalities().filter(
        municipality_code__in=active_codes
    )
    theme_counts = Counter(t for p in promises for t in p.themes)
    return render(
        request,
        "public/home.html",
        {
            "latest": summaries(order=NEWEST_FIRST, limit=5),
            "active_municipalities": municipalities.order_by("name"),
            "figures": {
                "municipalities_with_active": len(active_codes),
                "published": len(promises),
                "active": len(active),
                "commitments": sum(p.commitment_count for p in promises),
            },
            "top_themes": theme_counts.most_common(5),
            "latest_followups": latest_published_followups(limit=5),
        },
    )


@_public
def municipality_list(request: HttpRequest) -> HttpResponse:
    """All 290 kommuner grouped by län, each with the state of its signed promises."""
    counts = counts_by_municipality(summaries())
    municipalities = Organisation.objects.municipalities().select_related("county")
    counties: dict[County, list] = {}
    for municipality in municipalities.order_by("county__code", "name"):
        found = counts.get(municipality.municipality_code, Counter())
        municipality.active_count = found[PublicState.ACTIVE]
        municipality.published_count = sum(found.values())
        counties.setdefault(municipality.county, []).append(municipality)
    return render(request, "public/municipality_list.html", {"counties": counties})


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
    return render(
        request,
        "public/municipality_detail.html",
        {
            "municipality": municipality,
            "current": [p for p in promises if p.state() != PublicState.ENDED],
            "earlier": [p for p in promises if p.state() == PublicState.ENDED],
            "followups": published_followups_for_municipality(code),
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


@require_GET
@login_not_required
def promise_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """The scan of the page signed on paper, for a published promise signed that way."""
    scan = published_scan(pk)
    if scan is None:
        raise Http404
    response = HttpResponse(scan.content, content_type=scan.content_type)
    response["Content-Disposition"] = f'inline; filename="{scan.filename}"'
    return response


SEARCH_PAGE_SIZE = 20


def _search_page(request: HttpRequest, form: SearchForm, results, *, status: int = 200):
    valid = form.is_valid()
    query = form.query if valid else ""
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(
        form.cleaned_data.get("sida") if valid else 1
    )
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
        return _search_page(request, form, [], status=400)
    results = search.search(form.query, facets=form.facets) if form.query else []
    return _search_page(request, form, results)


@require_GET
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
