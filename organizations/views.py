from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from core.dashboard import Panel
from organizations.models import Membership, Organisation, Partnership


def dashboard_panel(request: HttpRequest) -> Panel:
    """The user's organisations and partnerships on "Mitt arbete"."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )
    partnerships = (
        Partnership.objects.visible_to(request.user)
        .select_related("police_area")
        .prefetch_related("municipalities")
        .order_by("name")
    )
    return Panel(
        "organizations/_dashboard_panel.html",
        {"memberships": memberships, "partnerships": partnerships},
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation the user belongs to, with its members."""
    organisation = get_object_or_404(
        Organisation.objects.visible_to(request.user).select_related("county", "police_region"),
        slug=slug,
    )
    members = organisation.memberships.select_related("user").order_by(
        "role", "user__last_name", "user__first_name"
    )
    partnerships = (
        Partnership.objects.visible_to(request.user)
        .filter(
            Q(police_area=organisation)
            | Q(municipalities=organisation)
            | Q(other_partners=organisation)
        )
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "organizations/organisation_detail.html",
        {"organisation": organisation, "members": members, "partnerships": partnerships},
    )


def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A partnership the user is party to: parties, agreement, required signatures."""
    partnership = get_object_or_404(
        Partnership.objects.visible_to(request.user)
        .select_related("police_area__police_region")
        .prefetch_related(
            "municipalities", "other_partners", "signatory_requirements__organisation"
        ),
        pk=pk,
    )
    return render(request, "organizations/partnership_detail.html", {"partnership": partnership})
