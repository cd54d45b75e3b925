"""Workspace views for activity plans, activities, reports and measures.

Thin: load through a scoped queryset (404 outside your partnerships), check
the permission (403), call one service, respond. htmx requests get the
page's partial; every form also works as a plain POST.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import permissions as perms
from activities import services
from activities.forms import (
    STALE_FORM,
    ActivityForm,
    ActivityPlanForm,
    ActivityReportForm,
    LockVersionForm,
    MeasureForm,
    MeasureStatusForm,
)
from activities.models import Activity, ActivityPlan, ActivityReport, Measure
from activities.selectors import activities_with_relations, activity_progress, commitment_progress
from core.concurrency import StaleObjectError
from core.dashboard import Panel
from core.errors import attach_errors, flash_errors
from core.pagination import page_of
from organizations.models import Area
from promises.models import Promise


def _month_bounds(today: date) -> tuple[date, date]:
    start = today.replace(day=1)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, following - timedelta(days=1)


def dashboard_panel(request: HttpRequest) -> Panel | None:
    """Activities planned this month and overdue activities, on "Mitt arbete"."""
    activities = Activity.objects.visible_to(request.user)
    if not ActivityPlan.objects.visible_to(request.user).exists():
        return None
    today = timezone.localdate()
    first, last = _month_bounds(today)
    base = activities.open().select_related("plan__promise", "responsible_organisation")
    this_month = base.filter(planned_start_date__lte=last, planned_end_date__gte=first).order_by(
        "planned_end_date", "pk"
    )
    overdue = base.filter(planned_end_date__lt=today).order_by("planned_end_date", "pk")
    return Panel(
        "activities/_dashboard_panel.html",
        {
            "this_month": this_month[:10],
            "this_month_count": this_month.count(),
            "overdue": overdue[:10],
            "overdue_count": overdue.count(),
        },
    )


def plan_list(request: HttpRequest) -> HttpResponse:
    """The activity plans of the user's partnerships, and a form to start one."""
    page = page_of(
        request,
        ActivityPlan.objects.visible_to(request.user)
        .select_related("promise")
        .annotate(activity_count=Count("activities"))
        .order_by("promise__title", "-year", "pk"),
    )
    editable = Promise.objects.editable_by(request.user).order_by("-valid_from_date", "title")
    form = ActivityPlanForm(promises=editable) if editable.exists() else None
    return render(
        request,
        "activities/plan_list.html",
        {
            "page": page,
            "plans": page.object_list,
            "form": form,
            "breadcrumbs": [(_("Aktivitetsplaner"), None)],
        },
    )


def plan_create(request: HttpRequest) -> HttpResponse:
    """Start an activity plan for one of the promises the user coordinates."""
    editable = Promise.objects.editable_by(request.user).order_by("-valid_from_date", "title")
    if not editable.exists():
        raise PermissionDenied
    form = ActivityPlanForm(request.POST or None, promises=editable)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.activity_plan_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Aktivitetsplanen är skapad."))
            return redirect(plan)
    return render(
        request,
        "activities/plan_form.html",
        {
            "form": form,
            "breadcrumbs": [
                (_("Aktivitetsplaner"), "/arbetsyta/aktiviteter/"),
                (_("Ny aktivitetsplan"), None),
            ],
        },
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One year's plan: commitments with their progress, activities with theirs."""
    plan = get_object_or_404(
        ActivityPlan.objects.visible_to(request.user).select_related("promise__partnership"),
        pk=pk,
    )
    promise = plan.promise
    commitments = list(
        promise.commitments.prefetch_related(
            "owners", Prefetch("areas", queryset=Area.objects.order_by("name"))
        ).order_by("order", "pk")
    )
    activities = list(
        activities_with_relations(plan.activities.all()).order_by("commitment__order", "order")
    )
    progress = activity_progress(activities)
    by_commitment = {c.pk: [] for c in commitments}
    for activity in activities:
        activity.progress = progress[activity.pk]
        by_commitment.setdefault(activity.commitment_id, []).append(activity)
    totals = commitment_progress(promise, year=plan.year, commitments=commitments)
    rows = [(c, totals[c.pk], by_commitment[c.pk]) for c in commitments]
    return render(
        request,
        "activities/plan_detail.html",
        {
            "plan": plan,
            "promise": promise,
            "rows": rows,
            "can_edit": perms.can_edit_plan(request.user, plan),
            "breadcrumbs": [
                (_("Aktivitetsplaner"), "/arbetsyta/aktiviteter/"),
                (str(plan), None),
            ],
        },
    )


def activity_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """Add an activity to a plan; the commitment's target is the default target."""
    plan = get_object_or_404(
        ActivityPlan.objects.visible_to(request.user).select_related("promise__partnership"),
        pk=plan_pk,
    )
    if not perms.can_edit_plan(request.user, plan):
        raise PermissionDenied
    initial = {}
    # ?commitment= preselects one; anything but a plain number preselects nothing.
    wanted = request.GET.get("commitment", "")
    commitment = (
        plan.promise.commitments.filter(pk=int(wanted)).first()
        if wanted.isascii() and wanted.isdigit() and len(wanted) <= 18
        else None
    )
    if commitment:
        defaults = services.activity_defaults(plan=plan, commitment=commitment)
        initial = {**defaults, "commitment": commitment}
    form = ActivityForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        areas = list(data.pop("areas"))
        commitment = data.pop("commitment")
        try:
            activity = services.activity_create(
                user=request.user, plan=plan, commitment=commitment, areas=areas, **data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Aktiviteten är tillagd."))
            return redirect(activity)
    return render(
        request,
        "activities/activity_form.html",
        {
            "form": form,
            "plan": plan,
            "breadcrumbs": [
                (_("Aktivitetsplaner"), "/arbetsyta/aktiviteter/"),
                (str(plan), plan.get_absolute_url()),
                (_("Ny aktivitet"), None),
            ],
        },
    )


def _load_activity(request, pk):
    return get_object_or_404(
        activities_with_relations(Activity.objects.visible_to(request.user)).select_related(
            "plan__promise__partnership__police_area"
        ),
        pk=pk,
    )


def activity_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an activity; a save based on an older version is refused, not lost."""
    activity = _load_activity(request, pk)
    if not perms.can_edit_plan(request.user, activity.plan):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, instance=activity, plan=activity.plan)
    conflict = None
    expected = activity.lock_version
    if request.method == "POST":
        posted = LockVersionForm.read(request.POST)
        if posted is None:
            form.add_error(None, STALE_FORM)
        else:
            expected = posted
        if posted is not None and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("areas", "commitment")}
            try:
                services.activity_update(
                    user=request.user,
                    activity=activity,
                    expected_version=expected,
                    data=data,
                    areas=list(form.cleaned_data["areas"]),
                )
            except StaleObjectError as exc:
                conflict = exc.current
                expected = conflict.lock_version
                form.add_error(None, str(StaleObjectError.message))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("Aktiviteten är sparad."))
                return redirect(activity)
    return render(
        request,
        "activities/activity_form.html",
        {
            "form": form,
            "plan": activity.plan,
            "activity": activity,
            "lock_version": expected,
            "conflict": conflict,
            "breadcrumbs": [
                (_("Aktivitetsplaner"), "/arbetsyta/aktiviteter/"),
                (str(activity.plan), activity.plan.get_absolute_url()),
                (activity.title, activity.get_absolute_url()),
                (_("Ändra"), None),
            ],
        },
    )


def _activity_context(request, activity, form=None) -> dict:
    reports = list(
        activity.reports.select_related("area", "reported_by")
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.order_by("pk")))
        .order_by("-performed_date", "-pk")
    )
    can_report = perms.can_report_activity(request.user, activity)
    if can_report:
        for report in reports:
            report.measure_form = MeasureForm(prefix=f"atgard-{report.pk}")
    return {
        "activity": activity,
        "plan": activity.plan,
        "progress": activity_progress([activity])[activity.pk],
        "reports": reports,
        "can_report": can_report,
        "form": form
        if form is not None
        else (ActivityReportForm(activity=activity) if can_report else None),
        "measure_statuses": Measure.Status.choices,
        "breadcrumbs": [
            (_("Aktivitetsplaner"), "/arbetsyta/aktiviteter/"),
            (str(activity.plan), activity.plan.get_absolute_url()),
            (activity.title, None),
        ],
    }


def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity: its progress, the quick report form, reports and their measures."""
    activity = _load_activity(request, pk)
    return render(request, "activities/activity_detail.html", _activity_context(request, activity))


def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what was done. htmx gets the refreshed progress and report list."""
    activity = _load_activity(request, pk)
    if not perms.can_report_activity(request.user, activity):
        raise PermissionDenied
    form = ActivityReportForm(request.POST or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.activity_report_create(
                user=request.user, activity=activity, **form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            message = _("Rapporten är sparad.")
            if request.htmx:
                context = _activity_context(request, activity)
                context["saved_message"] = message
                context["saved_report"] = report
                return render(request, "activities/activity_detail.html#report-section", context)
            messages.success(request, message)
            return redirect(activity)
    if request.htmx:
        return render(
            request,
            "activities/activity_detail.html#report-section",
            _activity_context(request, activity, form=form),
        )
    context = _activity_context(request, activity, form=form)
    context["breadcrumbs"] = [
        *context["breadcrumbs"][:-1],
        (activity.title, activity.get_absolute_url()),
        (_("Rapportera"), None),
    ]
    return render(request, "activities/report_form.html", context)


@require_POST
def report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a report recorded by mistake.

    The page asks first: the button sits inside a ``<details>`` that says what
    removing means, so a single stray click (or Enter) removes nothing.
    """
    report = get_object_or_404(
        ActivityReport.objects.visible_to(request.user).select_related("activity__plan__promise"),
        pk=pk,
    )
    if not perms.can_report_activity(request.user, report.activity):
        raise PermissionDenied
    activity = report.activity
    services.activity_report_delete(user=request.user, report=report)
    messages.success(request, _("Rapporten är borttagen."))
    return redirect(activity)


@require_POST
def measure_create(request: HttpRequest, report_pk: int) -> HttpResponse:
    """Turn a finding of a report into an åtgärd."""
    report = get_object_or_404(
        ActivityReport.objects.visible_to(request.user).select_related("activity__plan__promise"),
        pk=report_pk,
    )
    if not perms.can_report_activity(request.user, report.activity):
        raise PermissionDenied
    form = MeasureForm(request.POST, prefix=f"atgard-{report.pk}")
    if form.is_valid():
        try:
            services.measure_create(user=request.user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Åtgärden är tillagd."))
    else:
        messages.error(
            request, _("Åtgärden sparades inte: beskriv den och ange vem som är ansvarig.")
        )
    return redirect(f"{report.activity.get_absolute_url()}#rapport-{report.pk}")


@require_POST
def measure_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an åtgärd along: föreslagen → pågående → åtgärdad (or not)."""
    measure = get_object_or_404(
        Measure.objects.filter(
            report__in=ActivityReport.objects.visible_to(request.user)
        ).select_related("report__activity__plan__promise"),
        pk=pk,
    )
    if not perms.can_report_activity(request.user, measure.report.activity):
        raise PermissionDenied
    form = MeasureStatusForm(request.POST, instance=Measure(status=measure.status))
    if form.is_valid():
        services.measure_set_status(
            user=request.user, measure=measure, status=form.cleaned_data["status"]
        )
        messages.success(request, _("Åtgärdens status är ändrad."))
    return redirect(f"{measure.report.activity.get_absolute_url()}#rapport-{measure.report_id}")
