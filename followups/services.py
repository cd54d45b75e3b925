"""Every change of state of a follow-up: schedule, draft, edit, approve, publish, remind.

One transaction each, permission re-checked, notifications once it commits.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities.models import ActivityReport
from activities.selectors import published_progress, report_rows
from core import publication
from core.concurrency import save_versioned
from core.notify import notify
from core.services import require
from followups import permissions as perms
from followups.models import (
    CommitmentAssessment,
    FollowUp,
    FollowUpApproval,
    FollowUpIndicatorValue,
)
from organizations.models import Organisation
from promises.models import Promise
from promises.permissions import can_coordinate_promise
from promises.published import NotPublished, PublishedPromise, Unverifiable, published_promise
from promises.search import group_key
from subscriptions import publishing as subscriptions

Status = FollowUp.Status
Assessment = CommitmentAssessment.Status
Source = CommitmentAssessment.FigureSource

REMINDER_HORIZON_DAYS = 14
REMINDER_INTERVAL_DAYS = 7

# cadence: (months per period, label)
_CADENCES = {
    Promise.Cadence.TERTIAL: (4, "Tertial"),
    Promise.Cadence.QUARTERLY: (3, "Kvartal"),
    Promise.Cadence.HALF_YEARLY: (6, "Halvår"),
    Promise.Cadence.YEARLY: (12, "Helår"),
}


def _lock(followup: FollowUp) -> FollowUp:
    return (
        FollowUp.objects.select_related("promise__partnership")
        .select_for_update(of=("self",))
        .get(pk=followup.pk)
    )


def _last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# --- The schedule --------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduledPeriod:
    title: str
    start: date
    end: date
    due: date


def followup_periods(promise) -> list[ScheduledPeriod]:
    """The signed follow-up plan of a published promise (or a summary of one)."""
    return scheduled_periods(promise.cadence, promise.valid_from, promise.end_date)


def scheduled_periods(cadence: str, start: date, end: date) -> list[ScheduledPeriod]:
    """One period per tertial (quarter, half-year, year) of ``cadence`` within [start, end].

    Each is due at the end of the month after it ends (tertial 1 = January–April,
    due 31 May).
    """
    months, name = _CADENCES[cadence]
    periods = []
    for year in range(start.year, end.year + 1):
        for number, first_month in enumerate(range(1, 13, months), start=1):
            last_month = first_month + months - 1
            p_start = max(date(year, first_month, 1), start)
            p_end = min(_last_day_of_month(year, last_month), end)
            if p_start > p_end:
                continue
            due_month = last_month % 12 + 1
            due_year = year + (1 if last_month == 12 else 0)
            title = f"{name} {number} {year}" if months < 12 else f"{name} {year}"
            periods.append(
                ScheduledPeriod(title, p_start, p_end, _last_day_of_month(due_year, due_month))
            )
    return periods


def _live(promise_id: int) -> PublishedPromise:
    """The signed version a follow-up assesses; a clear refusal when there is none."""
    try:
        return published_promise(promise_id)
    except NotPublished:
        raise ValidationError(
            _(
                "Löftet är inte signerat och publicerat ännu. "
                "Uppföljningar görs av det signerade löftet."
            ),
            code="not_published",
        ) from None
    except Unverifiable:
        raise ValidationError(
            _(
                "Den publicerade versionen stämmer inte med sin kontrollsumma. "
                "Kontakta administratören innan uppföljningen görs."
            ),
            code="tampered",
        ) from None


@transaction.atomic
def followups_schedule(*, user, promise: Promise) -> list[FollowUp]:
    """Create the planned follow-ups the signed plan asks for (those missing)."""
    require(can_coordinate_promise(user, promise), _("Du samordnar inte det här löftet."))
    live = _live(promise.pk)
    existing = set(promise.followups.values_list("period_start_date", flat=True))
    created = []
    for period in followup_periods(live):
        if period.start in existing:
            continue
        followup = FollowUp(
            promise=promise,
            title=period.title,
            period_start_date=period.start,
            period_end_date=period.end,
            due_date=period.due,
        )
        followup.full_clean()
        followup.save()
        created.append(followup)
    return created


# --- Pre-filling promised vs done ------------------------------------------------------


def promised_in_swedish(commitment) -> str:
    """The signed target as the follow-up copies it: always in Swedish, the language of
    what is stored; ``CommitmentAssessment.promised_text`` shows it in the reader's."""
    with translation.override(settings.LANGUAGE_CODE):
        return commitment.target_text


def followup_prefill(followup: FollowUp) -> list[dict]:
    """Per signed commitment: the target and what the reports say was done so far.

    Reads the live (signed) version, never the working copy: a follow-up
    started while an amendment is drafted assesses what was signed. A
    commitment with reports gets a figure counted from them ("räknat från N
    rapporter"); one without any has no figure ("ingen uppgift") until the
    coordinators type one. ``{"commitment_id", "commitment_text", "party",
    "promised", "done_count", "target_count", "figure", "figure_source",
    "report_count", "progress_label", "status", "order"}`` in the signed
    order. A fixed number of queries.
    """
    live = _live(followup.promise_id)
    rows = report_rows(
        ActivityReport.objects.filter(
            activity__plan__promise_id=live.id,
            performed_date__gte=followup.period_start_date,
            performed_date__lte=followup.period_end_date,
        ),
        "activity__commitment_id",
    )
    # So far: from the start of the target's window (the period's year, or the
    # whole promise) up to the end of the follow-up's period. Its labels are stored, so
    # in Swedish, like ``promised``.
    with translation.override(settings.LANGUAGE_CODE):
        to_date = published_progress(
            live, year=followup.period_end_date.year, until=followup.period_end_date
        )
    result = []
    for commitment in live.commitments:
        done = sum(r.count for r in rows.get(commitment.id, []))
        progress = to_date[commitment.id]
        counted = progress.reports > 0
        figure = progress.done if counted else None
        target = progress.target if commitment.target else None
        result.append(
            {
                "commitment_id": commitment.id,
                "commitment_text": commitment.text,
                "party": commitment.party,
                # Stored in Swedish whatever language the coordinator works in: shown
                # in the reader's (CommitmentAssessment.promised_text).
                "promised": promised_in_swedish(commitment),
                "done_count": done,
                "target_count": target,
                "figure": figure,
                "figure_source": Source.REPORTS if counted else Source.NONE,
                "report_count": progress.reports,
                "progress_label": progress.label if counted and target is not None else "",
                "status": _suggested_status(figure, target),
                "order": commitment.order,
            }
        )
    return result


def _suggested_status(figure: int | None, target: int | None) -> str:
    if figure is not None and target is not None and figure >= target:
        return Assessment.DONE
    if figure:
        return Assessment.ONGOING
    return Assessment.PLANNED


def _withdraw_approvals(followup: FollowUp) -> None:
    """A changed follow-up must be approved again: what was approved is no longer there."""
    if followup.approvals.exists():
        followup.approvals.all().delete()
    if followup.status == Status.APPROVED:
        followup.status = Status.DRAFT
        followup.save(update_fields=["status", "updated_at"])


@transaction.atomic
def followup_start_draft(*, user, followup: FollowUp) -> FollowUp:
    """Turn a planned follow-up into a draft pre-filled from the period's reports."""
    followup = _lock(followup)
    require(can_coordinate_promise(user, followup.promise), _("Du får inte skriva uppföljningen."))
    if followup.status != Status.PLANNED:
        raise ValidationError(_("Uppföljningen är redan påbörjad."), code="wrong_status")
    for item in followup_prefill(followup):
        assessment = CommitmentAssessment(followup=followup, **item)
        assessment.full_clean()
        assessment.save()
    followup.status = Status.DRAFT
    followup.save(update_fields=["status", "updated_at"])
    return followup


@transaction.atomic
def followup_refresh_counts(*, user, followup: FollowUp, expected_version: int) -> FollowUp:
    """Recount done from the reports; keeps the assessments' status and comments."""
    followup = _lock(followup)
    require(perms.can_edit_followup(user, followup), _("Du får inte ändra uppföljningen."))
    if followup.status == Status.PLANNED:
        raise ValidationError(_("Påbörja uppföljningen först."), code="wrong_status")
    save_versioned(followup, expected_version=expected_version, fields=[])
    existing = {a.commitment_id: a for a in followup.assessments.all()}
    for item in followup_prefill(followup):
        assessment = existing.get(item["commitment_id"])
        if assessment is None:
            CommitmentAssessment.objects.create(followup=followup, **item)
            continue
        names = ["done_count", "target_count", "progress_label", "promised"]
        if assessment.figure_source != Source.TYPED:
            # A figure the coordinators typed, and every text they wrote, stays as it is.
            names += ["figure", "figure_source", "report_count"]
        for name in names:
            setattr(assessment, name, item[name])
        assessment.save()
    _withdraw_approvals(followup)
    return followup


@transaction.atomic
def followup_update(
    *,
    user,
    followup: FollowUp,
    expected_version: int,
    narrative: str,
    assessments: dict[int, dict],
    indicators: list[dict] | None = None,
) -> FollowUp:
    """Save the narrative, the assessments (``{pk: {status, outcome, comment}}``) and,
    when given, replace the indicator values (``[{name, unit, period, value, note}]``).

    Refuses a save based on a stale version; any change withdraws approvals.
    """
    require(perms.can_edit_followup(user, followup), _("Du får inte ändra uppföljningen."))
    if followup.status not in (Status.DRAFT, Status.APPROVED):
        raise ValidationError(_("Bara ett utkast kan ändras."), code="wrong_status")
    followup.narrative = narrative
    followup.full_clean()
    save_versioned(followup, expected_version=expected_version, fields=["narrative"])
    by_pk = {a.pk: a for a in followup.assessments.all()}
    for pk, values in assessments.items():
        assessment = by_pk.get(pk)
        if assessment is None:
            raise ValidationError(_("Bedömningen hör inte till uppföljningen."), code="foreign")
        for name in ("status", "outcome", "comment"):
            if name in values:
                setattr(assessment, name, values[name])
        if "figure" in values and values["figure"] != assessment.figure:
            # A figure typed (or cleared) by the coordinators is theirs from now on.
            assessment.figure = values["figure"]
            assessment.figure_source = Source.TYPED if values["figure"] is not None else Source.NONE
            assessment.report_count = 0
        assessment.full_clean()
        assessment.save()
    if indicators is not None:
        followup.indicator_values.all().delete()
        for position, values in enumerate(indicators, start=1):
            indicator = FollowUpIndicatorValue(followup=followup, order=position, **values)
            indicator.full_clean()
            indicator.save()
    _withdraw_approvals(followup)
    return followup


@transaction.atomic
def followup_import_sheet(
    *, user, followup: FollowUp, expected_version: int, assessments: dict[int, dict]
) -> FollowUp:
    """Save what an uploaded sheet changes (``{pk: {figure, status, outcome, comment}}``).

    The same save as the form (``followup_update``), the narrative kept as it
    is: all rows or none, a typed figure the coordinators' own, approvals
    withdrawn, and a sheet previewed before someone else saved is refused.
    """
    require(perms.can_edit_followup(user, followup), _("Du får inte ändra uppföljningen."))
    if not assessments:
        raise ValidationError(_("Filen ändrar ingenting i uppföljningen."), code="unchanged")
    current = FollowUp.objects.select_related("promise__partnership").get(pk=followup.pk)
    return followup_update(
        user=user,
        followup=current,
        expected_version=expected_version,
        narrative=current.narrative,
        assessments=assessments,
    )


# --- Approval and publication ------------------------------------------------------


def _approvals_complete(followup: FollowUp) -> bool:
    return set(followup.approvals.values_list("side", flat=True)) >= set(
        FollowUpApproval.Side.values
    )


@transaction.atomic
def followup_approve(*, user, followup: FollowUp) -> FollowUpApproval:
    """Approve for the user's side (police or municipality). Both sides → approved."""
    followup = _lock(followup)
    if followup.status != Status.DRAFT:
        raise ValidationError(
            _("Bara ett utkast kan godkännas."),
            code="wrong_status",
        )
    pending = perms.pending_approval_sides(user, followup)
    if not pending:
        require(
            bool(perms.approval_sides(user, followup)),
            _("Du kan inte godkänna uppföljningen för någon av parterna."),
        )
        raise ValidationError(_("Din part har redan godkänt uppföljningen."), code="already")
    side, organisation_id = next(iter(pending.items()))
    approval = FollowUpApproval(
        followup=followup,
        side=side,
        user=user,
        user_name=user.get_full_name() or user.username,
        organisation=Organisation.objects.get(pk=organisation_id),
    )
    approval.full_clean()
    approval.save()
    if _approvals_complete(followup):
        followup.status = Status.APPROVED
        followup.save(update_fields=["status", "updated_at"])
        notify(
            followup.promise.partnership.coordinators(),
            subject=_("Uppföljningen är godkänd av båda parter: %(title)s")
            % {"title": followup.title},
            template_name="followups/email/approved.txt",
            context={"followup": followup, "approval": approval, "complete": True},
        )
    else:
        notify(
            followup.promise.partnership.coordinators().exclude(pk=user.pk),
            subject=_("Uppföljningen väntar på ert godkännande: %(title)s")
            % {"title": followup.title},
            template_name="followups/email/approved.txt",
            context={"followup": followup, "approval": approval, "complete": False},
        )
    return approval


@transaction.atomic
def followup_publish(*, user, followup: FollowUp) -> FollowUp:
    """Publish a follow-up both parties have approved."""
    followup = _lock(followup)
    require(
        can_coordinate_promise(user, followup.promise), _("Du får inte publicera uppföljningen.")
    )
    if followup.status == Status.PUBLISHED:
        raise ValidationError(_("Uppföljningen är redan publicerad."), code="wrong_status")
    if not _approvals_complete(followup):
        raise ValidationError(
            _("Både polisen och kommunen måste godkänna uppföljningen innan den publiceras."),
            code="not_approved",
        )
    followup.status = Status.PUBLISHED
    followup.published_at = timezone.now()
    followup.save(update_fields=["status", "published_at", "updated_at"])
    publication.changed(group_key(followup.promise_id))
    subscriptions.followup_published(followup)
    notify(
        followup.promise.partnership.coordinators(),
        subject=_("Uppföljningen är publicerad: %(title)s") % {"title": followup.title},
        template_name="followups/email/published.txt",
        context={"followup": followup},
    )
    return followup


# --- Reminders ----------------------------------------------------------------------


def followups_due_for_reminder(*, today: date):
    """Unpublished follow-ups due within 14 days or overdue, not reminded in the last week."""
    return (
        FollowUp.objects.unpublished()
        .filter(due_date__lte=today + timedelta(days=REMINDER_HORIZON_DAYS))
        .exclude(reminder_sent_date__gt=today - timedelta(days=REMINDER_INTERVAL_DAYS))
        .select_related("promise__partnership")
        .order_by("due_date", "pk")
    )


def followup_send_reminder(*, followup: FollowUp, today: date) -> int:
    """E-mail the partnership's coordinators about one follow-up; returns the recipients."""
    recipients = list(followup.promise.partnership.coordinators())
    with transaction.atomic():
        FollowUp.objects.filter(pk=followup.pk).update(reminder_sent_date=today)
        overdue = followup.due_date < today
        subject = (
            _("Försenad uppföljning: %(title)s, %(promise)s")
            if overdue
            else _("Uppföljning snart: %(title)s, %(promise)s")
        ) % {"title": followup.title, "promise": followup.promise.title}
        notify(
            recipients,
            subject=subject,
            template_name="followups/email/reminder.txt",
            context={
                "followup": followup,
                "overdue": overdue,
                "days": abs((followup.due_date - today).days),
            },
        )
    return len([u for u in recipients if u.email])
