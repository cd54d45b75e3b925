"""The human documentation of the open data, ``/oppna-data/``."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_not_required
def open_data(request: HttpRequest) -> HttpResponse:
    """Explains every endpoint with an example, the formats and the licence (CC0)."""
    return render(request, "public/open_data.html", {"site_url": settings.SITE_URL})
