from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.dashboard import panels_for


@require_GET
@never_cache
@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers: 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse(
            {"status": "error", "reason": f"database: {exc.__class__.__name__}"}, status=503
        )
    return JsonResponse({"status": "ok"})


def dashboard(request: HttpRequest) -> HttpResponse:
    """ "Mitt arbete": what the signed-in user works on, one panel per app."""
    return render(request, "core/dashboard.html", {"panels": panels_for(request)})


@login_not_required
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """Tillgänglighetsredogörelse, linked from every footer."""
    return render(request, "core/accessibility.html")


@login_not_required
def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


@login_not_required
def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may be in one of them.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
