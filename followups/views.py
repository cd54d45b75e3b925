"""Workspace views for follow-ups: schedule, write, approve, publish.

Thin: load through a scoped queryset (404 outside your partnerships), check
the permission (403), call one service, respond.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.concurrency import StaleObjectError
from core.dashboard import Panel
from core.errors import attach_errors, flash_errors
from core.pagination import PAGE_PARAMETER, page_number, page_of
from followups import permissions as perms
from followups import services, sheet
from followups.forms import (
    STALE_FORM,
    AssessmentFormSet,
    FollowUpForm,
    IndicatorFormSet,
    LockVersionForm,
    SheetUploadForm,
)
from followups.models import CommitmentAssessment, FollowUp, FollowUpApproval
from followups.selectors import workspace_followups
from promises.models import Promise
from promises.permissions import can_coordinate_promise
from promises.published import PromiseFilter, summaries

LIST_URL = "/arbetsyta/uppfoljningar/"


def dashboard_panel(request: HttpRequest) -> Panel | None:
    """Follow-ups due within 14 days or overdue, and those waiting for my approval."""
    visible = FollowUp.objects.visible_to(request.user).unpublished()
    if not Promise.objects.visible_to(request.user).exists():
        return None
    today = timezone.localdate()
    due = list(
        visible.filter(due_date__lte=today + timedelta(days=services.REMINDER_HORIZON_DAYS))
        .select_related("promise")
        .order_by("due_date", "pk")[:10]
    )
    drafts = (
        FollowUp.objects.editable_by(request.user)
        .filter(status=FollowUp.Status.DRAFT)
        .select_related("promise__partnership")
        .prefetch_related("approvals", "promise__partnership__municipalities")
        .order_by("due_date", "pk")
    )
    awaiting = [f for f in drafts if perms.pending_approval_sides(request.user, f)]
    return Panel(
        "followups/_dashboard_panel.html",
        {"due": due, "awaiting": awaiting, "today": today},
    )


def followup_list(request: HttpRequest) -> HttpResponse:
    """Follow-ups of the user's promises, grouped by promise, with the schedule action.

    One page of promises at a time (a national administrator sees every promise in
    Sweden), each with all its follow-ups: a fixed number of queries per page.
    """
    page = page_of(request, _listed_promises(request.user))
    promises = list(page.object_list)
    by_promise = {p.pk: [] for p in promises}
    for followup in workspace_followups(request.user).filter(promise__in=promises):
        by_promise[followup.promise_id].append(followup)
    # Follow-ups assess the signed version: only live promises can be scheduled.
    planned = {
        s.id: len(services.followup_periods(s))
        for s in summaries(PromiseFilter(ids=tuple(by_promise)))
    }
    groups = [
        (
            promise,
            by_promise[promise.pk],
            can_coordinate_promise(request.user, promise)
            and len(by_promise[promise.pk]) < planned.get(promise.pk, 0),
        )
        for promise in promises
    ]
    return render(
        request,
        "followups/followup_list.html",
        {
            "groups": groups,
            "page": page,
            "today": timezone.localdate(),
            "breadcrumbs": [(_("Uppföljningar"), None)],
        },
    )


def _listed_promises(user):
    """The promises of the follow-up list, in its order; the parties are prefetched for
    the coordinate check, which asks them of every promise on the page."""
    return (
        Promise.objects.visible_to(user)
        .select_related("partnership")
        .prefetch_related("partnership__municipalities", "partnership__other_partners")
        .order_by("-valid_from_date", "title", "pk")
    )


def _list_url(user, promise) -> str:
    """The follow-up list at the page and section where ``promise`` is shown."""
    before = (
        _listed_promises(user)
        .filter(
            Q(valid_from_date__gt=promise.valid_from_date)
            | Q(valid_from_date=promise.valid_from_date, title__lt=promise.title)
            | Q(valid_from_date=promise.valid_from_date, title=promise.title, pk__lt=promise.pk)
        )
        .count()
    )
    number = page_number(before)
    query = f"?{PAGE_PARAMETER}={number}" if number > 1 else ""
    return f"{LIST_URL}{query}#lofte-{promise.pk}"


@require_POST
def followup_schedule(request: HttpRequest, promise_pk: int) -> HttpResponse:
    """Create the follow-ups the promise's plan asks for (three a year for tertial)."""
    promise = get_object_or_404(Promise.objects.visible_to(request.user), pk=promise_pk)
    if not can_coordinate_promise(request.user, promise):
        raise PermissionDenied
    try:
        created = services.followups_schedule(user=request.user, promise=promise)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(_list_url(request.user, promise))
    messages.success(
        request,
        _("%(count)s uppföljningar är schemalagda för %(title)s.")
        % {"count": len(created), "title": promise.title},
    )
    return redirect(_list_url(request.user, promise))


def _load(request, pk) -> FollowUp:
    return get_object_or_404(
        FollowUp.objects.visible_to(request.user)
        .select_related("promise__partnership__police_area")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=CommitmentAssessment.objects.order_by("order", "pk"),
            ),
            "indicator_values",
            Prefetch(
                "approvals",
                queryset=FollowUpApproval.objects.select_related("organisation", "user"),
            ),
            "promise__partnership__municipalities",
        ),
        pk=pk,
    )


def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One follow-up: assessments, indicator values, approvals and the next step."""
    followup = _load(request, pk)
    user = request.user
    return render(
        request,
        "followups/followup_detail.html",
        {
            "followup": followup,
            "can_coordinate": can_coordinate_promise(user, followup.promise),
            "can_edit": perms.can_edit_followup(user, followup),
            "can_approve": perms.can_approve_followup(user, followup),
            "can_publish": perms.can_publish_followup(user, followup),
            "approved_sides": {a.side for a in followup.approvals.all()},
            "sides": FollowUpApproval.Side.choices,
            "breadcrumbs": [(_("Uppföljningar"), LIST_URL), (str(followup.title), None)],
        },
    )


def _run(request, action, followup, success: str, **kwargs) -> HttpResponse:
    try:
        action(user=request.user, followup=followup, **kwargs)
    except ValidationError as exc:
        flash_errors(request, exc)
    except StaleObjectError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return redirect(followup)


@require_POST
def followup_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the draft, pre-filled per commitment from the period's reports."""
    followup = _load(request, pk)
    if not can_coordinate_promise(request.user, followup.promise):
        raise PermissionDenied
    return _run(
        request,
        services.followup_start_draft,
        followup,
        _("Utkastet är skapat med det som rapporterats under perioden."),
    )


@require_POST
def followup_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """Recount what was done from the reports (keeps assessments and comments)."""
    followup = _load(request, pk)
    if not perms.can_edit_followup(request.user, followup):
        raise PermissionDenied
    expected = LockVersionForm.read(request.POST)
    if expected is None:
        messages.error(request, str(STALE_FORM))
        return redirect(followup)
    return _run(
        request,
        services.followup_refresh_counts,
        followup,
        _("Antalen är uppdaterade från rapporterna."),
        expected_version=expected,
    )


@require_POST
def followup_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve for your side; publication needs both the police and the municipality."""
    followup = _load(request, pk)
    if not perms.approval_sides(request.user, followup):
        raise PermissionDenied
    return _run(request, services.followup_approve, followup, _("Du har godkänt uppföljningen."))


@require_POST
def followup_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a follow-up both parties have approved."""
    followup = _load(request, pk)
    if not can_coordinate_promise(request.user, followup.promise):
        raise PermissionDenied
    return _run(
        request,
        services.followup_publish,
        followup,
        _("Uppföljningen är publicerad och syns nu för alla."),
    )


def followup_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the narrative, assess each commitment and add indicator values."""
    followup = _load(request, pk)
    if not perms.can_edit_followup(request.user, followup):
        raise PermissionDenied
    if followup.status == FollowUp.Status.PLANNED:
        return redirect(followup)
    assessments = followup.assessments.order_by("order", "pk")
    initial_indicators = [
        {"name": i.name, "value": i.value, "unit": i.unit, "period": i.period, "note": i.note}
        for i in followup.indicator_values.all()
    ]
    data = request.POST if request.method == "POST" else None
    form = FollowUpForm(data, instance=followup)
    formset = AssessmentFormSet(data, queryset=assessments, prefix="bedomning")
    indicators = IndicatorFormSet(data, initial=initial_indicators, prefix="indikator")
    expected = followup.lock_version
    conflict = None
    if request.method == "POST":
        posted = LockVersionForm.read(request.POST)
        if posted is None:
            form.add_error(None, STALE_FORM)
        else:
            expected = posted
        # Every part validated, so every message shows at once; the formsets' own
        # (a tampered management form) go above the form, where the template shows them.
        valid = all([form.is_valid(), formset.is_valid(), indicators.is_valid()])
        for error in [*formset.non_form_errors(), *indicators.non_form_errors()]:
            form.add_error(None, error)
        if posted is not None and valid:
            values = {
                f.instance.pk: {
                    k: f.cleaned_data[k] for k in ("status", "figure", "outcome", "comment")
                }
                for f in formset.forms
            }
            try:
                services.followup_update(
                    user=request.user,
                    followup=FollowUp.objects.get(pk=followup.pk),
                    expected_version=expected,
                    narrative=form.cleaned_data["narrative"],
                    assessments=values,
                    indicators=indicators.cleaned_values(),
                )
            except StaleObjectError as exc:
                conflict = exc.current
                expected = conflict.lock_version
                form.add_error(None, str(StaleObjectError.message))
            except ValidationError as exc:
                attach_errors(form, exc, above=True)
            else:
                messages.success(request, _("Uppföljningen är sparad."))
                return redirect(followup)
    return render(
        request,
        "followups/followup_form.html",
        {
            "followup": followup,
            "form": form,
            "formset": formset,
            "indicators": indicators,
            "lock_version": expected,
            "conflict": conflict,
            "breadcrumbs": [
                (_("Uppföljningar"), LIST_URL),
                (str(followup.title), followup.get_absolute_url()),
                (_("Skriv"), None),
            ],
        },
    )


# --- The sheet: download, fill in, upload ------------------------------------------------


def _load_for_sheet(request, pk) -> FollowUp:
    """A follow-up the user may write (404 outside, 403 when reading only or published)."""
    followup = _load(request, pk)
    if not perms.can_edit_followup(request.user, followup):
        raise PermissionDenied
    return followup


def _not_started(request, followup) -> HttpResponse:
    messages.error(request, _("Påbörja uppföljningen först."))
    return redirect(followup)


def _sheet_crumbs(followup, label):
    return [
        (_("Uppföljningar"), LIST_URL),
        (str(followup.title), followup.get_absolute_url()),
        (label, None),
    ]


def _upload_page(request, followup, form, errors=(), *, conflict=False, status=200):
    return render(
        request,
        "followups/sheet_upload.html",
        {
            "followup": followup,
            "form": form,
            "errors": list(errors),
            "conflict": conflict,
            "columns": sheet.COLUMNS,
            "statuses": CommitmentAssessment.Status.choices,
            "max_figure": sheet.MAX_FIGURE,
            "breadcrumbs": _sheet_crumbs(followup, _("Ladda upp kalkylark")),
        },
        status=status,
    )


@require_GET
def followup_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the follow-up as a sheet: one row per commitment, to fill in a spreadsheet."""
    followup = _load_for_sheet(request, pk)
    if followup.status == FollowUp.Status.PLANNED:
        return _not_started(request, followup)
    return sheet.sheet_response(followup)


@require_http_methods(["GET", "POST"])
def followup_sheet_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the filled-in sheet and see what it would change; nothing is saved yet."""
    followup = _load_for_sheet(request, pk)
    if followup.status == FollowUp.Status.PLANNED:
        return _not_started(request, followup)
    if request.method != "POST":
        return _upload_page(request, followup, SheetUploadForm())
    form = SheetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, followup, form, status=400)
    data = form.cleaned_data["file"].read(sheet.MAX_BYTES + 1)
    result = sheet.parse_sheet(followup=followup, data=data)
    if not result.ok:
        return _upload_page(request, followup, SheetUploadForm(), result.errors, status=400)
    return render(
        request,
        "followups/sheet_preview.html",
        {
            "followup": followup,
            "result": result,
            "token": sheet.changes_to_token(followup, result) if result.changes else "",
            "breadcrumbs": _sheet_crumbs(followup, _("Förhandsgranska kalkylark")),
        },
    )


@require_POST
def followup_sheet_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Save every previewed change in one transaction, or none when someone saved meanwhile."""
    followup = _load_for_sheet(request, pk)
    result = sheet.changes_from_token(followup, request.POST.get("token", ""))
    if not result.ok:
        return _upload_page(request, followup, SheetUploadForm(), result.errors, status=400)
    try:
        services.followup_import_sheet(
            user=request.user,
            followup=followup,
            expected_version=result.version,
            assessments=result.service_values(),
        )
    except StaleObjectError:
        return _upload_page(
            request,
            followup,
            SheetUploadForm(),
            [
                str(StaleObjectError.message),
                _(
                    "Ingenting från filen har sparats. Ladda upp filen igen för att se "
                    "vad den ändrar i det som är sparat nu."
                ),
            ],
            conflict=True,
            status=409,
        )
    except ValidationError as exc:
        return _upload_page(request, followup, SheetUploadForm(), exc.messages, status=400)
    messages.success(
        request,
        ngettext(
            "Kalkylarket är inläst: %(count)d åtagande har ändrats.",
            "Kalkylarket är inläst: %(count)d åtaganden har ändrats.",
            len(result.changes),
        )
        % {"count": len(result.changes)},
    )
    return redirect(followup)
