"""Loading what a view shows, scoped to the user, and the one way a view refuses.

Outside your organisations: 404 (the lookups go through ``visible_to``).
Visible but not allowed: 403 (``forbid_unless`` with a ``permissions`` predicate).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from organizations.models import Organisation, Partnership


def organisation_for(request: HttpRequest, slug: str) -> Organisation:
    return get_object_or_404(
        Organisation.objects.visible_to(request.user).select_related("county", "police_region"),
        slug=slug,
    )


def partnership_for(request: HttpRequest, pk: int) -> Partnership:
    return get_object_or_404(
        Partnership.objects.visible_to(request.user)
        .select_related("police_area__police_region", "proposed_by")
        .prefetch_related("municipalities", "other_partners"),
        pk=pk,
    )


def forbid_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
