"""Sources, findings, indicators and values: add (plain post or htmx), change, remove."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import save_or_errors
from situation import services
from situation.charts import indicator_charts
from situation.forms import (
    FindingForm,
    IndicatorForm,
    IndicatorValueForm,
    SourceForm,
)
from situation.models import Finding, Indicator, Source
from situation.permissions import can_edit_report
from situation.views.common import (
    create_part,
    crumbs,
    delete_part,
    get_item,
    get_report,
    get_value,
    item_form_page,
    update_part,
)
from situation.views.reports import findings_context, indicators_context, sources_context


@require_http_methods(["GET", "POST"])
def source_create(request: HttpRequest, report_pk: int) -> HttpResponse:
    """Add a source (htmx: the sources section comes back with the new row)."""
    report = get_report(request, report_pk, edit=True)
    return create_part(
        request,
        report=report,
        form_class=SourceForm,
        build_form_kwargs={"report": report},
        section="sources",
        context_fn=sources_context,
        create=lambda data: services.source_create(user=request.user, report=report, **data),
        heading=_("Ny källa"),
        anchor="kalla",
    )


@require_http_methods(["GET", "POST"])
def source_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a source."""
    source = get_item(request, Source, pk, edit=True)
    form = SourceForm(request.POST or None, instance=source, report=source.report)
    return update_part(
        request,
        item=source,
        report=source.report,
        form=form,
        save=lambda version: services.source_update(
            user=request.user, source=source, expected_version=version, data=form.cleaned_data
        ),
        heading=_("Ändra källa"),
    )


@require_http_methods(["GET", "POST"])
def source_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a source (asks first)."""
    source = get_item(request, Source, pk, edit=True)
    return delete_part(
        request,
        item=source,
        report=source.report,
        delete=lambda: services.source_delete(user=request.user, source=source),
        heading=_("Ta bort källa"),
        back=f"{source.report.get_absolute_url()}#kallor",
    )


@require_http_methods(["GET", "POST"])
def finding_create(request: HttpRequest, report_pk: int) -> HttpResponse:
    """Add a finding (htmx: the findings section comes back with the new row)."""
    report = get_report(request, report_pk, edit=True)
    return create_part(
        request,
        report=report,
        form_class=FindingForm,
        build_form_kwargs={"report": report},
        section="findings",
        context_fn=findings_context,
        create=lambda data: services.finding_create(user=request.user, report=report, **data),
        heading=_("Nytt fynd"),
        anchor="fynd",
    )


@require_http_methods(["GET", "POST"])
def finding_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a finding."""
    finding = get_item(request, Finding, pk, edit=True)
    form = FindingForm(request.POST or None, instance=finding, report=finding.report)
    return update_part(
        request,
        item=finding,
        report=finding.report,
        form=form,
        save=lambda version: services.finding_update(
            user=request.user, finding=finding, expected_version=version, data=form.cleaned_data
        ),
        heading=_("Ändra fynd"),
    )


@require_http_methods(["GET", "POST"])
def finding_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a finding (asks first)."""
    finding = get_item(request, Finding, pk, edit=True)
    return delete_part(
        request,
        item=finding,
        report=finding.report,
        delete=lambda: services.finding_delete(user=request.user, finding=finding),
        heading=_("Ta bort fynd"),
        back=f"{finding.report.get_absolute_url()}#fynd",
    )


@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, report_pk: int) -> HttpResponse:
    """Add an indicator (htmx: the indicators section comes back with it)."""
    report = get_report(request, report_pk, edit=True)
    return create_part(
        request,
        report=report,
        form_class=IndicatorForm,
        build_form_kwargs={"report": report},
        section="indicators",
        context_fn=indicators_context,
        create=lambda data: services.indicator_create(user=request.user, report=report, **data),
        heading=_("Ny indikator"),
        anchor="indikator",
    )


def _values_context(indicator: Indicator, can_edit: bool, form=None, **extra) -> dict:
    indicator.charts = indicator_charts(indicator)
    return {
        "indicator": indicator,
        "report": indicator.report,
        "can_edit": can_edit,
        "values": list(indicator.values.all()),
        "value_form": form or (IndicatorValueForm(indicator=indicator) if can_edit else None),
        **extra,
    }


def _indicator_with_values(request: HttpRequest, pk: int, *, edit: bool = False) -> Indicator:
    indicator = get_object_or_404(
        Indicator.objects.visible_to(request.user)
        .select_related("report__partnership__police_area", "source")
        .prefetch_related("values"),
        pk=pk,
    )
    if edit and not can_edit_report(request.user, indicator.report):
        raise PermissionDenied(_("Du får inte ändra den här lägesbilden."))
    return indicator


def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An indicator: its chart, its values and a form to add more."""
    indicator = _indicator_with_values(request, pk)
    can_edit = can_edit_report(request.user, indicator.report)
    context = _values_context(indicator, can_edit)
    context["breadcrumbs"] = crumbs(indicator.report, (indicator.name, None))
    return render(request, "situation/indicator_detail.html", context)


@require_http_methods(["GET", "POST"])
def indicator_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an indicator's name, unit, population, source or visibility."""
    indicator = get_item(request, Indicator, pk, edit=True)
    form = IndicatorForm(request.POST or None, instance=indicator, report=indicator.report)
    return update_part(
        request,
        item=indicator,
        report=indicator.report,
        form=form,
        save=lambda version: services.indicator_update(
            user=request.user, indicator=indicator, expected_version=version, data=form.cleaned_data
        ),
        heading=_("Ändra indikator"),
    )


@require_http_methods(["GET", "POST"])
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an indicator and its values (asks first)."""
    indicator = get_item(request, Indicator, pk, edit=True)
    return delete_part(
        request,
        item=indicator,
        report=indicator.report,
        delete=lambda: services.indicator_delete(user=request.user, indicator=indicator),
        heading=_("Ta bort indikator"),
        back=f"{indicator.report.get_absolute_url()}#indikatorer",
    )


@require_http_methods(["GET", "POST"])
def value_create(request: HttpRequest, indicator_pk: int) -> HttpResponse:
    """Add a value (htmx: the values section comes back with the new row)."""
    indicator = _indicator_with_values(request, indicator_pk, edit=True)
    heading = _("Nytt värde")
    if request.method != "POST":
        return item_form_page(
            request,
            report=indicator.report,
            form=IndicatorValueForm(indicator=indicator),
            heading=heading,
            action=request.path,
        )
    form = IndicatorValueForm(request.POST, indicator=indicator)
    created = None
    if form.is_valid():
        data = form.cleaned_data
        created = save_or_errors(
            form,
            lambda: services.indicator_value_set(
                user=request.user,
                indicator=indicator,
                period=data["period"],
                breakdown=data["breakdown"],
                group=data["group"],
                value=data["value"],
                note=data["note"],
            ),
        )
    if request.htmx:
        indicator = _indicator_with_values(request, indicator_pk)
        context = _values_context(indicator, True, form=None if created else form, created=created)
        return render(request, "situation/indicator_detail.html#values", context)
    if created is None:
        return item_form_page(
            request, report=indicator.report, form=form, heading=heading, action=request.path
        )
    messages.success(request, _("Värdet har sparats."))
    return redirect(created)


@require_http_methods(["GET", "POST"])
def value_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one value."""
    value = get_value(request, pk, edit=True)
    form = IndicatorValueForm(request.POST or None, instance=value, indicator=value.indicator)
    return update_part(
        request,
        item=value,
        report=value.indicator.report,
        form=form,
        save=lambda version: services.indicator_value_update(
            user=request.user, value=value, expected_version=version, data=form.cleaned_data
        ),
        heading=_("Ändra värde"),
    )


@require_http_methods(["GET", "POST"])
def value_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one value (asks first)."""
    value = get_value(request, pk, edit=True)
    return delete_part(
        request,
        item=value,
        report=value.indicator.report,
        delete=lambda: services.indicator_value_delete(user=request.user, value=value),
        heading=_("Ta bort värde"),
        back=f"{value.indicator.get_absolute_url()}#varden",
    )
