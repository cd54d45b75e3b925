"""Shared helpers of the promise workspace views (loading, permissions), and the dashboard panel."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import reswap, retarget

from core.dashboard import Panel
from promises.forms import (
    CommitmentForm,
)
from promises.models import Commitment, Promise, PromiseVersion
from promises.permissions import signable_requirements
from promises.presentation import (
    commitment_groups,
)

COMMITMENTS = "promises/_commitments.html"


def dashboard_panel(request: HttpRequest) -> Panel:
    """Promises of the user's partnerships, and versions waiting for their signature.

    A fixed number of queries however many promises: the awaiting ones come with their
    versions, signatures and signing requirements prefetched, and the
    ``signable_requirements`` rule (the one behind ``can_sign_promise``) runs
    on those prefetched rows.
    """
    visible = Promise.objects.visible_to(request.user)
    promises = visible.select_related("partnership").order_by("-valid_from_date", "title")
    awaiting = (
        visible.filter(status=Promise.Status.AWAITING_SIGNATURES)
        .select_related("partnership")
        .prefetch_related(
            "partnership__signatory_requirements",
            Prefetch(
                "versions",
                queryset=PromiseVersion.objects.order_by("-number").prefetch_related("signatures"),
                to_attr="newest_first",
            ),
        )
        .order_by("title")
    )
    to_sign = [
        promise
        for promise in awaiting
        if promise.newest_first
        and signable_requirements(request.user, promise, promise.newest_first[0])
    ]
    return Panel(
        "promises/_dashboard_panel.html",
        {"promises": promises, "to_sign": to_sign, "list_url": reverse("promises:promise-list")},
    )


# --- Loading and checking --------------------------------------------------------


def _promise(request: HttpRequest, pk: int) -> Promise:
    return get_object_or_404(
        Promise.objects.visible_to(request.user).select_related(
            "partnership__police_area", "published_version", "predecessor"
        ),
        pk=pk,
    )


def _commitment(request: HttpRequest, pk: int, commitment_pk: int) -> Commitment:
    return get_object_or_404(
        Commitment.objects.filter(promise__in=Promise.objects.visible_to(request.user))
        .select_related("promise__partnership")
        .prefetch_related("areas"),
        pk=commitment_pk,
        promise_id=pk,
    )


def _require(request: HttpRequest, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _breadcrumbs(*crumbs):
    return [(_("Medborgarlöften"), reverse("promises:promise-list")), *crumbs]


def _section_context(request: HttpRequest, promise: Promise, **extra) -> dict:
    can_edit = request.user.has_perm("promises.edit_promise", promise)
    context = {
        "promise": promise,
        "groups": commitment_groups(promise),
        "can_edit": can_edit,
        "add_form": CommitmentForm(promise=promise, prefix="ny") if can_edit else None,
    }
    return context | extra


def _section(request: HttpRequest, promise: Promise, **extra) -> HttpResponse:
    """The whole commitments section, swapped in place of the old one."""
    response = render(
        request, f"{COMMITMENTS}#section", _section_context(request, promise, **extra)
    )
    return reswap(retarget(response, "#ataganden"), "outerHTML")
