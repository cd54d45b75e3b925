"""The citizens' site: reads only, anonymous, and never shows what is not published."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from organizations.models import Organisation
from promises.models import Promise
from promises.selectors import group_commitments, published_promise, published_promises


@require_GET
@login_not_required
def municipality_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A kommun's page: its published promises, current and earlier."""
    municipality = get_object_or_404(
        Organisation.objects.municipalities().select_related("county__police_region"), slug=slug
    )
    promises = list(published_promises().filter(partnership__municipalities=municipality))
    return render(
        request,
        "public/municipality_detail.html",
        {
            "municipality": municipality,
            "current": [p for p in promises if p.status == Promise.Status.PUBLISHED],
            "earlier": [p for p in promises if p.status != Promise.Status.PUBLISHED],
        },
    )


@require_GET
@login_not_required
def promise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published promise as it was signed: parties, period, signatories, commitments."""
    try:
        promise = published_promise(pk)
    except Promise.DoesNotExist:
        raise Http404 from None
    version = promise.published_version
    snapshot = version.snapshot
    return render(
        request,
        "public/promise_detail.html",
        {
            "promise": promise,
            "version": version,
            "snapshot": snapshot,
            "groups": group_commitments(snapshot),
            "signatures": version.signatures.all(),
        },
    )
