from django.http import HttpRequest

from core.dashboard import Panel
from promises.models import Promise


def dashboard_panel(request: HttpRequest) -> Panel:
    """Promises of the user's partnerships, and versions waiting for their signature."""
    promises = (
        Promise.objects.visible_to(request.user)
        .select_related("partnership")
        .order_by("-valid_from_date", "title")
    )
    return Panel("promises/_dashboard_panel.html", {"promises": promises})


def promise_detail(request: HttpRequest, pk: int):
    """Placeholder until the workspace views land."""
    from django.shortcuts import get_object_or_404, render

    promise = get_object_or_404(Promise.objects.visible_to(request.user), pk=pk)
    return render(request, "promises/promise_detail.html", {"promise": promise})
