"""The open-data API, ``/api/v1/``: published promises as JSON and CSV, anonymous and read-only.

Everything comes from ``promises.selectors.published_promises`` (the one door
to what is public) and, for a promise's content, from its *signed* snapshot,
never the working copy. Every endpoint runs a fixed number of queries whatever
the number of promises, commitments or signatures.

Activities, progress, follow-ups and lägesbilder belong to other apps; they are
read through those apps' selectors when they are installed, so this module
still imports (and serves empty lists) while one of them is missing.
"""

import csv
import io
from datetime import date
from typing import Literal

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import (
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Query, Schema
from ninja.renderers import JSONRenderer
from pydantic import Field

from activities.selectors import activity_progress, commitment_progress, public_activities
from followups.models import CommitmentAssessment, FollowUp
from followups.selectors import followup_public_data, published_followups
from organizations.models import Organisation, Theme
from promises.models import Promise, Signature
from promises.selectors import published_promise, published_promises
from public import schemas
from situation.selectors import public_data as situation_public_data


class _Utf8JSONRenderer(JSONRenderer):
    """Plain UTF-8 (å, ä, ö as they are) instead of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Medborgarlöfte – öppna data",
    version="1",
    description=(
        "Publicerade medborgarlöften med åtaganden, aktiviteter, uppföljningar och "
        "underskrifter. Strukturerade data: CC0. Se /oppna-data/ för beskrivning och exempel."
    ),
    urls_namespace="public:open-data",
    # Swagger UI would load scripts from a CDN, which the CSP forbids; /oppna-data/
    # documents the API instead and the schema stays at /api/v1/openapi.json.
    docs_url=None,
    auth=None,
    renderer=_Utf8JSONRenderer(),
)

STATUS_CODES = {Promise.Status.ENDED: "ended"}
SIGNATURE_METHODS = {Signature.Method.PASSWORD: "password", Signature.Method.PAPER: "paper"}
CSV_DELIMITER = ";"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def status_code(promise: Promise) -> str:
    """``ended`` once the promise is avslutat, otherwise ``active`` (gällande).

    A published promise whose amendment is being drafted is still ``active``:
    the public keeps seeing the signed version.
    """
    return STATUS_CODES.get(promise.status, "active")


# --- Filters -------------------------------------------------------------------------


class PromiseFilters(Schema):
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 0483.")
    county: str | None = Field(None, description="Länskod, t.ex. 04.")
    year: int | None = Field(None, description="Löften som gäller någon gång under året.")
    status: Literal["active", "ended"] | None = Field(
        None, description="active = gällande, ended = avslutat."
    )
    theme: str | None = Field(
        None, description="Tema, kortnamn eller namn, t.ex. narkotika eller Narkotika."
    )


def filter_promises(queryset: QuerySet, filters: PromiseFilters) -> QuerySet:
    """Narrow published promises; dates and themes are those of the signed version."""
    if filters.municipality:
        queryset = queryset.filter(
            pk__in=Promise.objects.filter(
                partnership__municipalities__municipality_code=filters.municipality
            ).values("pk")
        )
    if filters.county:
        queryset = queryset.filter(
            pk__in=Promise.objects.filter(
                partnership__municipalities__county__code=filters.county
            ).values("pk")
        )
    if filters.year is not None:
        # KT() cannot follow a relation, so name the signed snapshot first.
        queryset = queryset.annotate(signed=F("published_version__snapshot")).annotate(
            signed_from=Cast(KT("signed__valid_from"), DateField()),
            signed_to=Coalesce(
                Cast(KT("signed__extended_to"), DateField()),
                Cast(KT("signed__valid_to"), DateField()),
            ),
        )
        queryset = queryset.filter(
            signed_from__lte=date(filters.year, 12, 31), signed_to__gte=date(filters.year, 1, 1)
        )
    if filters.status == "ended":
        queryset = queryset.filter(status=Promise.Status.ENDED)
    elif filters.status == "active":
        queryset = queryset.exclude(status=Promise.Status.ENDED)
    if filters.theme:
        names = {filters.theme} | set(
            Theme.objects.filter(Q(slug=filters.theme) | Q(name__iexact=filters.theme)).values_list(
                "name", flat=True
            )
        )
        matches = Q()
        for name in names:
            matches |= Q(published_version__snapshot__themes__contains=[name])
            matches |= Q(published_version__snapshot__commitments__contains=[{"theme": name}])
        queryset = queryset.filter(matches)
    return queryset


# --- Serialisation -------------------------------------------------------------------


def promise_item(promise: Promise) -> dict:
    """A list row, from the signed snapshot only (no queries)."""
    snapshot = promise.published_version.snapshot
    partnership = snapshot["partnership"]
    return {
        "id": promise.pk,
        "title": snapshot["title"],
        "municipalities": [
            {"code": m["municipality_code"], "name": m["name"]}
            for m in partnership["municipalities"]
        ],
        "police_area": partnership["police_area"]["name"],
        "valid_from": snapshot["valid_from"],
        "valid_to": snapshot["valid_to"],
        "extended_to": snapshot["extended_to"],
        "status": status_code(promise),
        "themes": snapshot["themes"],
        "url": absolute(promise.get_public_url()),
        "api_url": absolute(reverse("public:open-data:promise-detail", args=[promise.pk])),
        "published_at": promise.published_at,
    }


def _activities_by_commitment(promise: Promise) -> dict[int, list[dict]]:
    activities = public_activities(promise)
    progress = activity_progress(activities)
    result: dict[int, list[dict]] = {}
    for activity in activities:
        done = progress.get(activity.pk)
        result.setdefault(activity.commitment_id, []).append(
            {
                "id": activity.pk,
                "year": activity.plan.year,
                "title": activity.title,
                "description": activity.description,
                # The responsible person is left out on purpose: it may name an employee.
                "responsible_organisation": (
                    activity.responsible_organisation.display_name
                    if activity.responsible_organisation
                    else None
                ),
                "planned_start": activity.planned_start_date,
                "planned_end": activity.planned_end_date,
                "target_count": activity.target_count,
                "target_unit": activity.target_unit,
                "target_per_area": activity.target_per_area,
                "areas": [a.name for a in activity.areas.all()],
                "status": activity.status,
                "status_label": str(activity.get_status_display()),
                "is_example": activity.is_example,
                "progress": done.as_dict() if done else None,
            }
        )
    return result


def _situation_summary(promise: Promise) -> dict | None:
    report = promise.situation_report
    return situation_public_data(report) if report else None


def promise_document(promise: Promise) -> dict:
    """Everything public about one published promise; content from the signed snapshot."""
    version = promise.published_version
    snapshot = version.snapshot
    progress = commitment_progress(promise)
    activities = _activities_by_commitment(promise)
    followups = [followup_public_data(f) for f in published_followups(promise)]
    commitments = []
    for item in snapshot["commitments"]:
        done = progress.get(item["id"])
        commitments.append(
            {
                **item,
                "progress": done.as_dict() if done else None,
                "activities": activities.get(item["id"], []),
            }
        )
    return {
        "id": promise.pk,
        "version": version.number,
        "content_sha256": version.content_sha256,
        "status": status_code(promise),
        "published_at": promise.published_at,
        "url": absolute(promise.get_public_url()),
        "pdf_url": absolute(reverse("public:promise-pdf", args=[promise.pk])),
        "title": snapshot["title"],
        "valid_from": snapshot["valid_from"],
        "valid_to": snapshot["valid_to"],
        "extended_to": snapshot["extended_to"],
        "introduction": snapshot["introduction"],
        "effect_goal": snapshot["effect_goal"],
        "themes": snapshot["themes"],
        "areas": snapshot["areas"],
        "followup_plan": snapshot["followup"],
        "decision_reference": snapshot["decision_reference"],
        "partnership": snapshot["partnership"],
        "commitments": commitments,
        "signatures": [
            {
                "name": s.signer_name,
                "title": s.signer_title,
                "organisation": s.organisation_name,
                "method": SIGNATURE_METHODS[s.method],
                "date": s.display_date,
                "signed_at": s.signed_at if s.method == Signature.Method.PASSWORD else None,
                "place": s.place,
            }
            for s in version.signatures.all()
        ],
        "followups": followups,
        "situation_summary": _situation_summary(promise),
    }


def municipalities_with_counts() -> QuerySet:
    """All kommuner with their number of published promises: one query."""
    published_count = (
        Promise.objects.published()
        .filter(partnership__municipalities=OuterRef("pk"))
        .order_by()
        .values("partnership__municipalities")
        .annotate(total=Count("pk", distinct=True))
        .values("total")
    )
    return (
        Organisation.objects.municipalities()
        .select_related("county")
        .annotate(
            published_promises=Coalesce(Subquery(published_count, output_field=IntegerField()), 0)
        )
        .order_by("municipality_code")
    )


# --- CSV -----------------------------------------------------------------------------


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """Semicolon-separated UTF-8 with a byte order mark, so Swedish Excel opens it as it is."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _promise_columns(promise: Promise) -> list:
    item = promise_item(promise)
    return [
        item["id"],
        item["title"],
        ", ".join(m["code"] or "" for m in item["municipalities"]),
        ", ".join(m["name"] for m in item["municipalities"]),
        item["police_area"],
        item["valid_from"],
        item["extended_to"] or item["valid_to"],
        item["status"],
    ]


PROMISE_COLUMNS = [
    "promise_id",
    "promise_title",
    "municipality_codes",
    "municipalities",
    "police_area",
    "valid_from",
    "valid_to",
    "promise_status",
]


def _csv_text(value) -> str:
    return "" if value is None else str(value)


# --- Endpoints -----------------------------------------------------------------------

CSV_RESPONSE = {
    "responses": {
        200: {
            "description": "Semikolonseparerad CSV, UTF-8 med BOM.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@api.get(
    "/promises",
    response=list[schemas.PromiseListItem],
    url_name="promise-list",
    summary="Publicerade medborgarlöften",
)
def promise_list(request: HttpRequest, filters: Query[PromiseFilters]):
    """Published promises, newest period first, optionally filtered."""
    return [promise_item(p) for p in filter_promises(published_promises(), filters)]


@api.get(
    "/promises/{promise_id}",
    response=schemas.PromiseDetail,
    url_name="promise-detail",
    summary="Ett medborgarlöfte med allt som är publicerat",
)
def promise_detail(request: HttpRequest, promise_id: int):
    """One published promise as signed, with progress, follow-ups and signatures; else 404."""
    try:
        promise = published_promise(promise_id)
    except Promise.DoesNotExist:
        raise Http404 from None
    return promise_document(promise)


@api.get(
    "/municipalities",
    response=list[schemas.MunicipalityOut],
    url_name="municipality-list",
    summary="Alla kommuner med antal publicerade löften",
)
def municipality_list(request: HttpRequest):
    """All 290 kommuner with kommunkod, län and the number of published promises."""
    return [
        {
            "code": m.municipality_code,
            "name": m.display_name,
            "slug": m.slug,
            "county": {"code": m.county.code, "name": m.county.name},
            "published_promises": m.published_promises,
            "url": absolute(reverse("public:municipality-detail", args=[m.slug])),
        }
        for m in municipalities_with_counts()
    ]


@api.get(
    "/commitments.csv",
    url_name="commitment-csv",
    summary="Åtaganden som CSV",
    openapi_extra=CSV_RESPONSE,
)
def commitments_csv(request: HttpRequest, filters: Query[PromiseFilters]) -> HttpResponse:
    """One row per commitment of every published promise, as signed."""
    rows = []
    for promise in filter_promises(published_promises(), filters):
        columns = _promise_columns(promise)
        for c in promise.published_version.snapshot["commitments"]:
            target = c["target"] or {}
            rows.append(
                [
                    *columns,
                    c["id"],
                    c["order"],
                    c["party"],
                    c["party_label"],
                    c["text"],
                    _csv_text(c["theme"]),
                    ", ".join(c["areas"]),
                    _csv_text(target.get("quantity")),
                    target.get("unit", ""),
                    target.get("period", ""),
                    "ja" if target.get("per_area") else ("nej" if target else ""),
                    target.get("text", ""),
                    c["condition"],
                ]
            )
    header = [
        *PROMISE_COLUMNS,
        "commitment_id",
        "order",
        "party",
        "party_label",
        "text",
        "theme",
        "areas",
        "target_quantity",
        "target_unit",
        "target_period",
        "target_per_area",
        "target_text",
        "condition",
    ]
    return csv_response("attaganden.csv", header, rows)


def _published_followups_of(promises: QuerySet) -> list:
    """Published follow-ups of the given promises with their assessments: two queries."""
    return list(
        FollowUp.objects.published()
        .filter(promise__in=promises.values("pk"))
        .prefetch_related(
            Prefetch("assessments", queryset=CommitmentAssessment.objects.order_by("order", "pk"))
        )
        .order_by("promise_id", "period_start_date", "pk")
    )


@api.get(
    "/followups.csv",
    url_name="followup-csv",
    summary="Uppföljningar som CSV",
    openapi_extra=CSV_RESPONSE,
)
def followups_csv(request: HttpRequest, filters: Query[PromiseFilters]) -> HttpResponse:
    """One row per assessed commitment in every published follow-up."""
    promises = {p.pk: p for p in filter_promises(published_promises(), filters)}
    rows = []
    for followup in _published_followups_of(Promise.objects.filter(pk__in=list(promises))):
        columns = _promise_columns(promises[followup.promise_id])
        for a in followup.assessments.all():
            rows.append(
                [
                    *columns,
                    followup.pk,
                    followup.title,
                    followup.period_start_date.isoformat(),
                    followup.period_end_date.isoformat(),
                    followup.published_at.isoformat() if followup.published_at else "",
                    _csv_text(a.commitment_id),
                    a.party,
                    a.commitment_text,
                    a.status,
                    str(a.get_status_display()),
                    a.promised,
                    a.outcome,
                    _csv_text(a.done_count),
                    _csv_text(a.target_count),
                    a.progress_label,
                    a.comment,
                    "ja" if followup.is_example else "nej",
                ]
            )
    header = [
        *PROMISE_COLUMNS,
        "followup_id",
        "followup_title",
        "period_start",
        "period_end",
        "published_at",
        "commitment_id",
        "party",
        "commitment",
        "assessment_status",
        "status_label",
        "promised",
        "outcome",
        "done",
        "target",
        "progress",
        "comment",
        "is_example",
    ]
    return csv_response("uppfoljningar.csv", header, rows)


def urls():
    """``api.urls`` with every view open to anonymous visitors.

    The site runs ``LoginRequiredMiddleware``; open data is public by definition,
    and ninja builds its views itself, so they are marked here.
    """
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        login_not_required(pattern.callback)
    return patterns, app_name, namespace
