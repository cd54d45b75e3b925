"""Lägesbilder: list, create, the report page with its sections, and editing with locking."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.concurrency import StaleObjectError
from core.dashboard import Panel
from core.errors import save_or_errors
from core.pagination import page_of
from organizations.models import Partnership
from situation import services
from situation.forms import (
    FindingForm,
    IndicatorForm,
    SituationReportCreateForm,
    SituationReportForm,
    SourceForm,
)
from situation.models import SituationReport
from situation.permissions import can_edit_report
from situation.selectors import (
    promise_links,
    report_findings,
    report_indicators,
    report_sources,
)
from situation.views.common import crumbs, get_report

DASHBOARD_REPORTS = 10


def dashboard_panel(request: HttpRequest) -> Panel | None:
    """The user's lägesbilder on "Mitt arbete"."""
    reports = (
        SituationReport.objects.visible_to(request.user)
        .select_related("partnership")
        .order_by("partnership__name", "-period_end_date", "title", "pk")
    )
    # The first few; the list behind "Alla lägesbilder" has the rest, page by page.
    return Panel("situation/_dashboard_panel.html", {"reports": reports[:DASHBOARD_REPORTS]})


# --- Reports -------------------------------------------------------------------------


def report_list(request: HttpRequest) -> HttpResponse:
    """The lägesbilder of the user's partnerships."""
    page = page_of(
        request,
        SituationReport.objects.visible_to(request.user)
        .select_related("partnership")
        .order_by("partnership__name", "partnership_id", "-period_end_date", "title", "pk"),
    )
    return render(
        request,
        "situation/report_list.html",
        {
            "page": page,
            "reports": page.object_list,
            "can_create": Partnership.objects.editable_by(request.user).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    """A new lägesbild for a partnership the user coordinates."""
    if not Partnership.objects.editable_by(request.user).exists():
        raise PermissionDenied(_("Du samordnar ingen samverkan."))
    if request.method == "POST":
        form = SituationReportCreateForm(request.POST, user=request.user)
        if form.is_valid():
            report = save_or_errors(
                form,
                lambda: services.situation_report_create(user=request.user, **form.cleaned_data),
            )
            if report is not None:
                messages.success(request, _("Lägesbilden har skapats."))
                return redirect(report)
    else:
        form = SituationReportCreateForm(
            user=request.user, initial={"partnership": request.GET.get("samverkan")}
        )
    return render(
        request,
        "situation/report_form.html",
        {"form": form, "breadcrumbs": crumbs(None, (_("Ny lägesbild"), None))},
    )


def sources_context(report, can_edit, form=None, **extra) -> dict:
    return {
        "report": report,
        "can_edit": can_edit,
        "sources": report_sources(report),
        "source_form": form or (SourceForm(report=report) if can_edit else None),
        **extra,
    }


def findings_context(report, can_edit, form=None, links=None, **extra) -> dict:
    findings = report_findings(report)
    links = links if links is not None else promise_links(report)
    for finding in findings:
        finding.linked_commitments = links.by_finding.get(finding.pk, [])
    return {
        "report": report,
        "can_edit": can_edit,
        "findings": findings,
        "finding_form": form or (FindingForm(report=report) if can_edit else None),
        **extra,
    }


def indicators_context(report, can_edit, form=None, **extra) -> dict:
    return {
        "report": report,
        "can_edit": can_edit,
        "indicators": report_indicators(report),
        "indicator_form": form or (IndicatorForm(report=report) if can_edit else None),
        **extra,
    }


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A lägesbild with its sources, findings, indicators and the promises resting on it."""
    report = get_report(request, pk)
    can_edit = can_edit_report(request.user, report)
    links = promise_links(report)
    context = {
        **sources_context(report, can_edit),
        **findings_context(report, can_edit, links=links),
        **indicators_context(report, can_edit),
        "promises": links.promises,
        "breadcrumbs": crumbs(None, (report.title, None)),
    }
    return render(request, "situation/report_detail.html", context)


@require_http_methods(["GET", "POST"])
def report_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the report's own fields; a concurrent save is refused, not overwritten."""
    report = get_report(request, pk, edit=True)
    theirs = None
    if request.method == "POST":
        form = SituationReportForm(request.POST, instance=report)
        if form.is_valid():
            try:
                saved = save_or_errors(
                    form,
                    lambda: services.situation_report_update(
                        user=request.user,
                        report=report,
                        expected_version=form.cleaned_data["lock_version"],
                        data=form.cleaned_data,
                    ),
                )
            except StaleObjectError as exc:
                current = exc.current
                theirs = [
                    (current._meta.get_field(name).verbose_name, getattr(current, name))
                    for name in services.REPORT_FIELDS
                ]
                # Keep what the user typed; saving again now is a deliberate choice.
                data = request.POST.copy()
                data["lock_version"] = current.lock_version
                form = SituationReportForm(data, instance=current)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Någon annan har sparat ändringar sedan du öppnade sidan. Din text finns "
                        "kvar i formuläret och den sparade versionen visas nedanför. Spara igen "
                        "om du vill ersätta den."
                    ),
                )
            else:
                if saved is not None:
                    messages.success(request, _("Lägesbilden har sparats."))
                    return redirect(report)
    else:
        form = SituationReportForm(instance=report)
    return render(
        request,
        "situation/report_form.html",
        {
            "form": form,
            "report": report,
            "theirs": theirs,
            "breadcrumbs": crumbs(report, (_("Ändra"), None)),
        },
    )
