"""Importing indicator values from CSV: upload and preview, then confirm and save all."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from situation import services
from situation.csv_import import parse_indicator_csv, rows_from_token, rows_to_token
from situation.forms import (
    IndicatorCsvForm,
)
from situation.views.common import crumbs, get_report

# --- CSV import ------------------------------------------------------------------------


def _import_page(request, report, form, errors=(), status=200) -> HttpResponse:
    return render(
        request,
        "situation/import_form.html",
        {
            "report": report,
            "form": form,
            "errors": list(errors),
            "indicators": report.indicators.order_by("order", "pk"),
            "breadcrumbs": crumbs(report, (_("Importera indikatorvärden"), None)),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def indicator_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a CSV file of indicator values and see what would be saved."""
    report = get_report(request, pk, edit=True)
    if request.method != "POST":
        return _import_page(request, report, IndicatorCsvForm())
    form = IndicatorCsvForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, report, form, status=400)
    result = parse_indicator_csv(report=report, data=form.cleaned_data["file"].read())
    if not result.ok:
        return _import_page(request, report, IndicatorCsvForm(), result.errors, status=400)
    return render(
        request,
        "situation/import_preview.html",
        {
            "report": report,
            "rows": result.rows,
            "token": rows_to_token(report, result.rows),
            "breadcrumbs": crumbs(report, (_("Förhandsgranska import"), None)),
        },
    )


@require_POST
def indicator_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the previewed values, all in one transaction."""
    report = get_report(request, pk, edit=True)
    result = rows_from_token(report, request.POST.get("token", ""))
    if not result.ok:
        return _import_page(request, report, IndicatorCsvForm(), result.errors, status=400)
    try:
        count = services.indicator_values_import(user=request.user, report=report, rows=result.rows)
    except ValidationError as exc:
        return _import_page(request, report, IndicatorCsvForm(), exc.messages, status=400)
    messages.success(request, _("%(count)d indikatorvärden har sparats.") % {"count": count})
    return redirect(f"{report.get_absolute_url()}#indikatorer")
