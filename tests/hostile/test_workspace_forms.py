"""Hostile input to every workspace form outside ``promises/``: never a 500, nothing half-saved.

One table: each form with a valid submission and the kind of each field. Every
field in turn gets every hostile value of its kind (NUL, overlong text, wrong
types, impossible dates, versions that are not numbers, bytes that are not
UTF-8); a value that cannot be right must be refused without a row written,
and nothing may answer 500. Formula text is ordinary text: it may be saved
(the CSV exports neutralise it), but it must not break anything either.

Each request runs in a savepoint that is rolled back, so the cases do not see
each other's changes.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.urls import reverse

from activities.models import Measure
from followups import services as followup_services
from situation.models import IndicatorValue
from tests.activities.factories import (
    ActivityFactory,
    ActivityReportFactory,
    CommitmentFactory,
    FollowUpFactory,
    MeasureFactory,
    PromiseFactory,
)
from tests.factories import publish_working_copy
from tests.hostile.conftest import server_error

pytestmark = pytest.mark.django_db

NUL = "\x00"
#: Values that must be refused, by the kind of field.
REFUSED = {
    "text": {"NUL": f"Trygg{NUL}het", "overlong": "x" * 100_000},
    "short": {"NUL": f"Trygg{NUL}het", "overlong": "x" * 5_000},
    "int": {"NUL": NUL, "not a number": "abc", "beyond bigint": "9" * 30, "negative": "-1"},
    "year": {"NUL": NUL, "not a number": "abc", "year 0": "0", "year 10000": "10000"},
    "date": {
        "NUL": NUL,
        "not a date": "abc",
        "year 1": "0001-01-01",
        "year 9999": "9999-12-31",
        "30 February": "2020-02-30",
        "overlong": "2020-01-01" * 500,
    },
    "choice": {"NUL": NUL, "unknown": "abc", "beyond bigint": "9" * 30},
    "decimal": {
        "NUL": NUL,
        "not a number": "abc",
        "infinite": "Infinity",
        "NaN": "NaN",
        "huge": "9" * 30,
    },
    "version": {
        "NUL": NUL,
        "not a number": "abc",
        "beyond bigint": "9" * 30,
        "negative": "-1",
        "missing": None,
    },
}
#: Values that may be accepted but must never crash.
HARMLESS = {
    "text": {
        "formula": '=HYPERLINK("http://example.invalid";"klicka")',
        "plus formula": "+cmd|' /C calc'!A0",
        "at formula": "@SUM(1+1)*cmd|' /C calc'!A0",
        "bidi override": "\u202eexe.txt",
        "control character": "a\x07b",
    },
}
HARMLESS["short"] = HARMLESS["text"]


@dataclass
class World:
    report: object
    source: object
    finding: object
    indicator: object
    value: object
    plan: object
    commitment: object
    activity: object
    activity_report: object
    measure: object
    followup: object
    draft: object
    next_year: object


@pytest.fixture
def world(client, kalmar_coordinator, kalmar_report, kalmar_plan, districts):
    promise = kalmar_plan.promise
    commitment = CommitmentFactory(
        promise=promise,
        text="Polisen genomför insatser.",
        target_quantity=4,
        target_unit="insatser",
    )
    publish_working_copy(promise)
    activity = ActivityFactory(plan=kalmar_plan, commitment=commitment)
    activity_report = ActivityReportFactory(
        activity=activity, performed_date=date(2020, 3, 1), findings="Mörk gångtunnel."
    )
    measure = MeasureFactory(report=activity_report)
    planned = FollowUpFactory(promise=promise, period_start_date=date(2020, 9, 1))
    draft = FollowUpFactory(promise=promise, period_start_date=date(2020, 1, 1))
    followup_services.followup_start_draft(user=kalmar_coordinator, followup=draft)
    draft.refresh_from_db()
    next_year = PromiseFactory(
        partnership=promise.partnership,
        valid_from_date=date(2021, 1, 1),
        valid_to_date=date(2021, 12, 31),
        published=True,
    )
    client.force_login(kalmar_coordinator)
    return World(
        report=kalmar_report,
        source=kalmar_report.sources.order_by("pk").first(),
        finding=kalmar_report.findings.order_by("pk").first(),
        indicator=kalmar_report.indicators.order_by("pk").first(),
        value=IndicatorValue.objects.filter(indicator__report=kalmar_report).order_by("pk").first(),
        plan=kalmar_plan,
        commitment=commitment,
        activity=activity,
        activity_report=activity_report,
        measure=measure,
        followup=planned,
        draft=draft,
        next_year=next_year,
    )


@dataclass
class FormCase:
    name: str
    url: object  # World -> str
    data: object  # World -> dict, a submission that is valid
    fields: dict[str, str] = field(default_factory=dict)
    #: A valid submission writes (False for forms that only preview or redirect).
    writes: bool = True


def _report_data(w):
    return {
        "partnership": w.report.partnership_id,
        "title": "Lägesbild 2021",
        "report_date": "2021-03-01",
        "period_start_date": "2021-01-01",
        "period_end_date": "2021-12-31",
        "summary": "Sammanfattning",
        "method": "EST",
    }


REPORT_FIELDS = {
    "title": "short",
    "report_date": "date",
    "period_start_date": "date",
    "period_end_date": "date",
    "summary": "text",
    "method": "short",
}


def _draft_data(w):
    data = {
        "narrative": "Under perioden har vi genomfört det vi lovade.",
        "lock_version": w.draft.lock_version,
        "bedomning-TOTAL_FORMS": "0",
        "bedomning-INITIAL_FORMS": "0",
        "indikator-TOTAL_FORMS": "1",
        "indikator-INITIAL_FORMS": "0",
        "indikator-0-name": "Anmälda cykelstölder",
        "indikator-0-value": "112",
        "indikator-0-unit": "st",
        "indikator-0-period": "jan–apr 2020",
        "indikator-0-note": "",
    }
    assessments = list(w.draft.assessments.order_by("order", "pk"))
    data["bedomning-TOTAL_FORMS"] = data["bedomning-INITIAL_FORMS"] = str(len(assessments))
    for i, a in enumerate(assessments):
        data |= {
            f"bedomning-{i}-id": a.pk,
            f"bedomning-{i}-status": "pagaende",
            f"bedomning-{i}-outcome": "Fyra insatser.",
            f"bedomning-{i}-comment": "",
        }
    return data


FORMS = [
    # --- Lägesbilder -----------------------------------------------------------------
    FormCase(
        "situation:report-create",
        lambda w: reverse("situation:report-create"),
        _report_data,
        {**REPORT_FIELDS, "partnership": "choice"},
    ),
    FormCase(
        "situation:report-update",
        lambda w: reverse("situation:report-update", args=[w.report.pk]),
        lambda w: {**_report_data(w), "lock_version": w.report.lock_version},
        {**REPORT_FIELDS, "lock_version": "version"},
    ),
    FormCase(
        "situation:source-create",
        lambda w: reverse("situation:source-create", args=[w.report.pk]),
        lambda w: {
            "kalla-kind": "trygghetsmatning",
            "kalla-year": "2020",
            "kalla-title": "Trygghetsmätning 2020",
            "kalla-note": "Enkät till alla hushåll.",
            "kalla-visibility": "offentlig",
        },
        {
            "kalla-kind": "choice",
            "kalla-year": "year",
            "kalla-title": "short",
            "kalla-note": "text",
            "kalla-visibility": "choice",
        },
    ),
    FormCase(
        "situation:source-update",
        lambda w: reverse("situation:source-update", args=[w.source.pk]),
        lambda w: {
            "kalla-kind": "trygghetsmatning",
            "kalla-year": "2019",
            "kalla-title": "Trygghetsmätning 2019",
            "kalla-note": "",
            "kalla-visibility": "offentlig",
            "kalla-lock_version": w.source.lock_version,
        },
        {
            "kalla-year": "year",
            "kalla-title": "short",
            "kalla-note": "text",
            "kalla-lock_version": "version",
        },
    ),
    FormCase(
        "situation:finding-create",
        lambda w: reverse("situation:finding-create", args=[w.report.pk]),
        lambda w: {
            "fynd-text": "Otryggt vid resecentrum.",
            "fynd-groups": ["unga"],
            "fynd-priority": "1",
            "fynd-visibility": "offentlig",
        },
        {
            "fynd-theme": "choice",
            "fynd-text": "text",
            "fynd-groups": "choice",
            "fynd-priority": "choice",
            "fynd-areas": "choice",
            "fynd-sources": "choice",
        },
    ),
    FormCase(
        "situation:finding-update",
        lambda w: reverse("situation:finding-update", args=[w.finding.pk]),
        lambda w: {
            "fynd-text": "Ändrat fynd.",
            "fynd-priority": "2",
            "fynd-visibility": "offentlig",
            "fynd-lock_version": w.finding.lock_version,
        },
        {"fynd-text": "text", "fynd-priority": "choice", "fynd-lock_version": "version"},
    ),
    FormCase(
        "situation:indicator-create",
        lambda w: reverse("situation:indicator-create", args=[w.report.pk]),
        lambda w: {
            "indikator-name": "Otrygghet kvällstid",
            "indikator-population": "boende 16–84 år",
            "indikator-unit": "%",
            "indikator-description": "Andel som känner sig otrygga.",
            "indikator-visibility": "offentlig",
        },
        {
            "indikator-name": "short",
            "indikator-population": "short",
            "indikator-unit": "short",
            "indikator-description": "text",
            "indikator-source": "choice",
            "indikator-visibility": "choice",
        },
    ),
    FormCase(
        "situation:indicator-update",
        lambda w: reverse("situation:indicator-update", args=[w.indicator.pk]),
        lambda w: {
            "indikator-name": "Använt narkotika",
            "indikator-unit": "%",
            "indikator-visibility": "offentlig",
            "indikator-lock_version": w.indicator.lock_version,
        },
        {
            "indikator-name": "short",
            "indikator-description": "text",
            "indikator-lock_version": "version",
        },
    ),
    FormCase(
        "situation:value-create",
        lambda w: reverse("situation:value-create", args=[w.indicator.pk]),
        lambda w: {
            "varde-period": "2021",
            "varde-breakdown": "kon",
            "varde-group": "flickor",
            "varde-value": "4,5",
            "varde-note": "",
        },
        {
            "varde-period": "short",
            "varde-breakdown": "choice",
            "varde-group": "short",
            "varde-value": "decimal",
            "varde-note": "short",
        },
    ),
    FormCase(
        "situation:value-update",
        lambda w: reverse("situation:value-update", args=[w.value.pk]),
        lambda w: {
            "varde-period": "2017",
            "varde-breakdown": "alla",
            "varde-value": "6",
            "varde-lock_version": w.value.lock_version,
        },
        {"varde-period": "short", "varde-value": "decimal", "varde-lock_version": "version"},
    ),
    # --- Aktiviteter -------------------------------------------------------------------
    FormCase(
        "activities:plan-create",
        lambda w: reverse("activities:plan-create"),
        lambda w: {"promise": w.next_year.pk, "year": "2021", "note": "Plan för 2021."},
        {"promise": "choice", "year": "year", "note": "text"},
    ),
    FormCase(
        "activities:activity-create",
        lambda w: reverse("activities:activity-create", args=[w.plan.pk]),
        lambda w: {
            "commitment": w.commitment.pk,
            "title": "Trygghetsvandring",
            "description": "Med bostadsbolaget.",
            "planned_start_date": "2020-03-01",
            "planned_end_date": "2020-05-31",
            "target_count": "2",
            "target_unit": "vandringar",
        },
        {
            "commitment": "choice",
            "title": "short",
            "description": "text",
            "responsible_organisation": "choice",
            "responsible_person": "short",
            "planned_start_date": "date",
            "planned_end_date": "date",
            "target_count": "int",
            "target_unit": "short",
            "areas": "choice",
        },
    ),
    FormCase(
        "activities:activity-update",
        lambda w: reverse("activities:activity-update", args=[w.activity.pk]),
        lambda w: {
            "title": "Ändrad aktivitet",
            "planned_start_date": "2020-01-01",
            "planned_end_date": "2020-12-31",
            "status": "pagaende",
            "lock_version": w.activity.lock_version,
        },
        {
            "title": "short",
            "description": "text",
            "planned_start_date": "date",
            "planned_end_date": "date",
            "target_count": "int",
            "status": "choice",
            "lock_version": "version",
        },
    ),
    FormCase(
        "activities:report-create",
        lambda w: reverse("activities:report-create", args=[w.activity.pk]),
        lambda w: {
            "performed_date": "2020-04-02",
            "count": "1",
            "participants": "polisen, kommunen",
            "participant_count": "12",
            "description": "Trygghetsvandring i Oxhagen.",
            "findings": "Trasig belysning.",
        },
        {
            "performed_date": "date",
            "area": "choice",
            "count": "int",
            "participants": "short",
            "participant_count": "int",
            "description": "text",
            "findings": "text",
        },
    ),
    FormCase(
        "activities:measure-create",
        lambda w: reverse("activities:measure-create", args=[w.activity_report.pk]),
        lambda w: {
            f"atgard-{w.activity_report.pk}-description": "Byt belysning",
            f"atgard-{w.activity_report.pk}-owner": "Gatuenheten",
            f"atgard-{w.activity_report.pk}-due_date": "2020-06-30",
        },
        {"-description": "short", "-owner": "short", "-due_date": "date"},
    ),
    FormCase(
        "activities:measure-status",
        lambda w: reverse("activities:measure-status", args=[w.measure.pk]),
        lambda w: {"status": Measure.Status.ONGOING},
        {"status": "choice"},
    ),
    # --- Uppföljningar -----------------------------------------------------------------
    FormCase(
        "followups:followup-edit",
        lambda w: reverse("followups:followup-edit", args=[w.draft.pk]),
        _draft_data,
        {
            "narrative": "text",
            "lock_version": "version",
            "bedomning-0-id": "choice",
            "bedomning-0-status": "choice",
            "bedomning-0-outcome": "text",
            "bedomning-0-comment": "text",
            "bedomning-TOTAL_FORMS": "int",
            "indikator-TOTAL_FORMS": "int",
            "indikator-0-name": "short",
            "indikator-0-value": "decimal",
            "indikator-0-unit": "short",
            "indikator-0-period": "short",
            "indikator-0-note": "short",
        },
    ),
    FormCase(
        "followups:followup-refresh",
        lambda w: reverse("followups:followup-refresh", args=[w.draft.pk]),
        lambda w: {"lock_version": w.draft.lock_version},
        {"lock_version": "version"},
    ),
]


def _field_name(case: FormCase, name: str, data: dict) -> str:
    """Prefixed fields (``-description``) take the prefix of the valid submission."""
    if name.startswith("-"):
        return next(key for key in data if key.endswith(name))
    return name


@pytest.mark.parametrize("case", FORMS, ids=[case.name for case in FORMS])
def test_hostile_values_are_refused_and_save_nothing(case, world, probe):
    url, valid = case.url(world), case.data(world)
    status, wrote = probe("post", url, data=valid)
    assert not server_error(status), status
    assert wrote == case.writes, f"the valid submission should {'' if case.writes else 'not '}save"
    failures = []
    for name, kind in case.fields.items():
        key = _field_name(case, name, valid)
        for label, value in REFUSED[kind].items():
            data = {k: v for k, v in valid.items() if k != key}
            if value is not None:
                data[key] = value
            status, wrote = probe("post", url, data=data)
            if server_error(status) or wrote:
                failures.append((key, label, status, "wrote" if wrote else ""))
        for label, value in HARMLESS.get(kind, {}).items():
            status, _ = probe("post", url, data={**valid, key: value})
            if server_error(status):
                failures.append((key, label, status, ""))
    assert not failures, failures


@pytest.mark.parametrize("case", FORMS, ids=[case.name for case in FORMS])
def test_bytes_that_are_not_utf8_never_crash(case, world, probe):
    """A body in Latin-1 (or garbage) instead of UTF-8: decoded with replacement, never a 500."""
    url, valid = case.url(world), case.data(world)
    from urllib.parse import urlencode

    body = urlencode({k: v for k, v in valid.items() if not isinstance(v, list)}).encode()
    for garbage in (b"&title=%FF%FE%00", b"&title=\xe5\xe4\xf6", b"&%ED%A0%80=1", b"\xff\xfe"):
        status, _ = probe(
            "post", url, data=body + garbage, content_type="application/x-www-form-urlencoded"
        )
        assert not server_error(status), (garbage, status)


@pytest.mark.parametrize(
    ("name", "url", "params"),
    [
        ("report-create", lambda w: reverse("situation:report-create"), "samverkan"),
        (
            "activity-create",
            lambda w: reverse("activities:activity-create", args=[w.plan.pk]),
            "commitment",
        ),
        ("report-list", lambda w: reverse("situation:report-list"), "x"),
        ("plan-list", lambda w: reverse("activities:plan-list"), "x"),
        ("followup-list", lambda w: reverse("followups:followup-list"), "x"),
        ("followup-detail", lambda w: reverse("followups:followup-detail", args=[w.draft.pk]), "x"),
        ("dashboard", lambda w: reverse("core:dashboard"), "x"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_hostile_query_parameters_on_workspace_pages(name, url, params, world, probe):
    failures = []
    for value in (NUL, "abc", "9" * 30, "-1", "x" * 5000):
        status, wrote = probe("get", url(world), data={params: value})
        if server_error(status) or wrote:
            failures.append((value[:10], status, wrote))
    assert not failures


@pytest.mark.parametrize(
    "path",
    [
        "/arbetsyta/lagesbilder/{n}/",
        "/arbetsyta/lagesbilder/{n}/andra/",
        "/arbetsyta/lagesbilder/kallor/{n}/andra/",
        "/arbetsyta/lagesbilder/indikatorer/{n}/",
        "/arbetsyta/lagesbilder/varden/{n}/andra/",
        "/arbetsyta/lagesbilder/{n}/importera/",
        "/arbetsyta/aktiviteter/{n}/",
        "/arbetsyta/aktiviteter/aktivitet/{n}/",
        "/arbetsyta/aktiviteter/aktivitet/{n}/rapportera/",
        "/arbetsyta/uppfoljningar/{n}/",
        "/arbetsyta/uppfoljningar/{n}/skriv/",
    ],
)
def test_ids_beyond_the_database_are_404(path, world, probe):
    for n in ("9" * 30, str(2**63), "0"):
        for method in ("get", "post"):
            status, wrote = probe(method, path.format(n=n))
            assert status in (404, 405), (path, n, method, status)
            assert not wrote


def test_actions_without_a_form_are_safe_with_junk(world, probe):
    """Buttons that post no data (schedule, start, approve, publish) ignore what is posted."""
    junk = {"x": NUL, "lock_version": "abc", "pk": "9" * 30}
    for url in (
        reverse("followups:followup-schedule", args=[world.plan.promise_id]),
        reverse("followups:followup-start", args=[world.followup.pk]),
        reverse("followups:followup-approve", args=[world.draft.pk]),
        reverse("followups:followup-publish", args=[world.draft.pk]),
        reverse("activities:report-delete", args=[world.activity_report.pk]),
        reverse("situation:source-delete", args=[world.source.pk]),
    ):
        status, _ = probe("post", url, data=junk)
        assert not server_error(status), (url, status)
