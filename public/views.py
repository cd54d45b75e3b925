"""The citizens' site: reads only, anonymous, and never shows what is not published.

Every view here is ``login_not_required``, GET only and cached through
``public_page``; nothing here touches the session or messages, so anonymous
visitors get no cookie.
"""

from collections import Counter

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from activities.selectors import commitment_progress, public_activities
from core import search
from followups.selectors import (
    latest_published_followups,
    published_followups,
    published_followups_for_municipality,
)
from organizations.models import County, Organisation, Theme
from promises.models import Commitment, Promise
from promises.selectors import group_commitments, published_promise, published_promises
from public.caching import public_page
from situation.selectors import public_summary

ACTIVE = Promise.Status.PUBLISHED


def _public(view):
    return require_GET(login_not_required(public_page(view)))


@_public
def home(request: HttpRequest) -> HttpResponse:
    """Start page: what medborgarlöften are, search, kommuner with active promises, figures."""
    promises = list(published_promises())
    active = [p for p in promises if p.status == ACTIVE]
    municipalities = sorted(
        {m for p in active for m in p.partnership.municipalities.all()},
        key=lambda m: m.name,
    )
    theme_counts = Counter(t for p in promises for t in p.published_version.snapshot["themes"])
    return render(
        request,
        "public/home.html",
        {
            "latest": promises[:5],
            "active_municipalities": municipalities,
            "figures": {
                "municipalities_with_active": len(municipalities),
                "published": len(promises),
                "active": len(active),
                "commitments": sum(
                    len(p.published_version.snapshot["commitments"]) for p in promises
                ),
            },
            "top_themes": theme_counts.most_common(5),
            "latest_followups": latest_published_followups(limit=5),
        },
    )


@_public
def municipality_list(request: HttpRequest) -> HttpResponse:
    """All 290 kommuner grouped by län, each with the state of its promises."""
    municipalities = (
        Organisation.objects.municipalities()
        .select_related("county")
        .annotate(
            active_count=Count(
                "municipal_partnerships__promises",
                filter=Q(municipal_partnerships__promises__status=ACTIVE),
                distinct=True,
            ),
            published_count=Count(
                "municipal_partnerships__promises",
                filter=Q(municipal_partnerships__promises__published_version__isnull=False),
                distinct=True,
            ),
        )
        .order_by("county__code", "name")
    )
    counties: dict[County, list] = {}
    for municipality in municipalities:
        counties.setdefault(municipality.county, []).append(municipality)
    return render(request, "public/municipality_list.html", {"counties": counties})


@_public
def municipality_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A kommun's page: current and earlier promises, follow-ups, feed link."""
    municipality = get_object_or_404(
        Organisation.objects.municipalities().select_related("county__police_region"), slug=slug
    )
    promises = list(published_promises().filter(partnership__municipalities=municipality))
    return render(
        request,
        "public/municipality_detail.html",
        {
            "municipality": municipality,
            "current": [p for p in promises if p.status == ACTIVE],
            "earlier": [p for p in promises if p.status != ACTIVE],
            "followups": published_followups_for_municipality(municipality),
        },
    )


@_public
def promise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published promise as it was signed, with its lägesbild, progress and follow-ups."""
    try:
        promise = published_promise(pk)
    except Promise.DoesNotExist:
        raise Http404 from None
    version = promise.published_version
    snapshot = version.snapshot
    groups = group_commitments(snapshot)
    progress = commitment_progress(promise)
    activities: dict[int, list] = {}
    for activity in public_activities(promise):
        activities.setdefault(activity.commitment_id, []).append(activity)
    for group in groups:
        for item in group.commitments:
            item["progress"] = progress.get(item["id"])
            item["activities"] = activities.get(item["id"], [])
    report = promise.situation_report
    return render(
        request,
        "public/promise_detail.html",
        {
            "promise": promise,
            "version": version,
            "snapshot": snapshot,
            "groups": groups,
            "signatures": version.signatures.all(),
            "situation": public_summary(report) if report else None,
            "followups": published_followups(promise),
            "predecessor": (
                promise.predecessor
                if promise.predecessor and promise.predecessor.published_version_id
                else None
            ),
            "successors": [s for s in promise.successors.all() if s.published_version_id],
        },
    )


SEARCH_PAGE_SIZE = 20


@_public
def search_view(request: HttpRequest) -> HttpResponse:
    """/sok/: Swedish full-text search with filters (län, kommun, tema, år, part)."""
    query = search.clean_query(request.GET.get("q", ""))
    facets = {
        key: request.GET.get(key, "").strip()[:60]
        for key in ("lan", "kommun", "tema", "ar", "part")
    }
    results = search.search(query, facets=facets) if query else []
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("sida"))
    for entry in page.object_list:
        entry.snippet = search.highlight(entry.body or entry.title, query)
    querystring = request.GET.copy()
    querystring.pop("sida", None)
    return render(
        request,
        "public/search.html",
        {
            "query": query,
            "facets": facets,
            "page": page,
            "querystring": querystring.urlencode(),
            "counties": County.objects.order_by("code"),
            "municipalities": Organisation.objects.municipalities().order_by("name"),
            "themes": Theme.objects.filter(partnership__isnull=True).order_by("name"),
            "parties": Commitment.Party.choices,
            "years": range(2016, 2031),
        },
    )


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


sitemap = require_GET(login_not_required(public_page(sitemap_view)))
