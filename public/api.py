"""The open-data API, ``/api/v1/``: published promises as JSON and CSV, anonymous and read-only.

Everything comes from the published read model (``promises.published`` and
``public.read``): the live, verified, signed version of each promise, never
the working copy. Every endpoint runs a fixed number of queries whatever the
number of promises, commitments or signatures.
"""

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import batched
from typing import Annotated, Literal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Path, Query, Schema
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import Status
from pydantic import Field

from followups.selectors import followup_public_data, public_followups
from organizations.models import Organisation
from promises.chain import GENESIS
from promises.published import (
    LIVE,
    JsonbArrayElementsText,
    NotPublished,
    PromiseFilter,
    PromiseSummary,
    Unverifiable,
    iter_summaries,
    live_promises,
    public_chain,
    published_content,
    summaries,
    summary_count,
)
from promises.snapshot import SnapshotError
from public import bulk, schemas
from public.caching import public_page
from public.read import PromisePage, promise_page


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

SIGNATURE_METHODS = {
    "losenord": "password",
    "losenord_totp": "password+totp",
    "losenord_nyckel": "password+passkey",
    "losenord_reservkod": "password+recovery_code",
    "papper": "paper",
}
CSV_DELIMITER = ";"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- Filters -------------------------------------------------------------------------


class PromiseFilters(Schema):
    municipality: str | None = Field(
        None, description="Kommunkod, t.ex. 0483.", pattern=r"^[0-9]{4}$"
    )
    county: str | None = Field(None, description="Länskod, t.ex. 04.", pattern=r"^[0-9]{2}$")
    year: int | None = Field(
        None, ge=1900, le=2200, description="Löften som gäller någon gång under året."
    )
    status: Literal["active", "ended", "upcoming"] | None = Field(
        None,
        description=(
            "active = gällande, ended = avslutat, upcoming = kommande; "
            "räknas från den signerade perioden och dagens datum."
        ),
    )
    theme: str | None = Field(
        None,
        max_length=120,
        pattern=r"^[^\x00]*$",
        description="Tema, kortnamn eller namn, t.ex. narkotika eller Narkotika.",
    )

    def criteria(self) -> PromiseFilter:
        return PromiseFilter(
            municipality=self.municipality,
            county=self.county,
            year=self.year,
            state=self.status,
            theme=self.theme,
        )

    def given(self) -> dict:
        """The filters that were given, as validated: what page links carry on."""
        return self.model_dump(exclude_none=True)

    def any(self) -> bool:
        return bool(self.given())


DEFAULT_LIMIT = 50
MAX_LIMIT = 200
#: PostgreSQL takes a bigint; a page that far out is empty anyway.
MAX_OFFSET = 2**31 - 1


class Pagination(Schema):
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Antal per sida, 1–{MAX_LIMIT}."
    )
    offset: int = Field(
        0,
        ge=0,
        le=MAX_OFFSET,
        description="Hur många som hoppas över från början (0 = första sidan).",
    )


def paginated(
    request: HttpRequest,
    response: HttpResponse,
    page: Pagination,
    count: int,
    items: list,
    *,
    given: dict | None = None,
) -> dict:
    """The page's body (``count``, ``limit``, ``offset``, ``next``, ``previous``, ``items``),
    and on ``response`` an RFC 8288 ``Link`` header (first, prev, next, last) and
    ``X-Total-Count``. Links are absolute and carry the validated filters only."""
    limit, offset = page.limit, page.offset
    last = max(0, (count - 1) // limit * limit)

    def url(at: int) -> str:
        query = urlencode({**(given or {}), "limit": limit, "offset": at})
        return absolute(f"{request.path}?{query}")

    following = url(offset + limit) if offset + limit < count else None
    # Past the end, "previous" is the last page that has something on it.
    preceding = url(min(max(offset - limit, 0), last)) if offset > 0 else None
    links = [(url(0), "first")]
    if preceding:
        links.append((preceding, "prev"))
    if following:
        links.append((following, "next"))
    links.append((url(last), "last"))
    response["Link"] = ", ".join(f'<{target}>; rel="{rel}"' for target, rel in links)
    response["X-Total-Count"] = str(count)
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": following,
        "previous": preceding,
        "items": items,
    }


# --- Serialisation -------------------------------------------------------------------


def _org(org) -> dict:
    return {
        "id": org.id,
        "kind": org.kind,
        "name": org.name,
        "municipality_code": org.municipality_code,
    }


def promise_item(promise: PromiseSummary) -> dict:
    """A list row, from the live version's summary (no queries)."""
    return {
        "id": promise.id,
        "title": promise.title,
        "municipalities": [
            {"code": m.municipality_code, "name": m.name} for m in promise.municipalities
        ],
        "police_area": promise.police_area.name,
        "valid_from": promise.valid_from,
        "valid_to": promise.valid_to,
        "extended_to": promise.extended_to,
        "status": promise.state(),
        "themes": list(promise.themes),
        "url": absolute(promise.url),
        "api_url": absolute(reverse("public:open-data:promise-detail", args=[promise.id])),
        "published_at": promise.published_at,
    }


def _activity(activity, progress) -> dict:
    done = progress.get(activity.pk)
    return {
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


def _outcome(outcome) -> dict | None:
    """The one figure the public sees: from the newest published follow-up that assessed it."""
    if outcome is None:
        return None
    return {
        "status": outcome.status,
        "status_label": outcome.status_label,
        "figure": outcome.figure,
        "target": outcome.target,
        "label": outcome.figure_text,
        "text": outcome.text,
        "followup_id": outcome.followup_id,
        "followup_title": outcome.followup_title,
        "as_of": outcome.as_of,
    }


def _commitment(view, page: PromisePage) -> dict:
    c = view.commitment
    return {
        "id": c.id,
        "order": c.order,
        "party": c.party,
        "party_label": c.party_label,
        "owners": [_org(o) for o in c.owners],
        "municipality": _org(c.municipality) if c.municipality else None,
        "partner": _org(c.partner) if c.partner else None,
        "text": c.text,
        "theme": c.theme.name if c.theme else None,
        "areas": c.area_names,
        "target": (
            {
                "quantity": c.target.quantity,
                "unit": c.target.unit,
                "period": c.target.period,
                "per_area": c.target.per_area,
                "text": c.target_text,
            }
            if c.target
            else None
        ),
        "condition": c.condition,
        "period": {
            "start": c.period.start if c.period else None,
            "end": c.period.end if c.period else None,
        },
        "outcome": _outcome(view.outcome),
        "activities": [_activity(a, page.activity_progress) for a in view.activities],
    }


def _situation(page: PromisePage) -> dict | None:
    situation = page.content.situation
    return situation.model_dump(mode="json") if situation else None


def promise_document(page: PromisePage) -> dict:
    """Everything public about one published promise, as signed."""
    promise, content = page.promise, page.content
    partnership = content.partnership
    return {
        "id": promise.id,
        "version": promise.version_number,
        "content_sha256": promise.content_sha256,
        "chain_sha256": promise.chain_sha256,
        "status": promise.state(),
        "published_at": promise.published_at,
        "url": absolute(promise.url),
        "pdf_url": absolute(promise.pdf_url),
        "chain_url": absolute(reverse("public:open-data:promise-chain", args=[promise.id])),
        "title": content.title,
        "valid_from": content.valid_from,
        "valid_to": content.valid_to,
        "extended_to": content.extended_to,
        "introduction": content.introduction,
        "summaries": {
            "easy_swedish": content.summary_easy_swedish,
            "english": content.summary_english,
        },
        "effect_goal": content.effect_goal.model_dump(),
        "themes": content.theme_names,
        "areas": content.area_names,
        "followup_plan": {
            "cadence": content.followup.cadence,
            "cadence_label": content.followup.cadence_label,
            "channels": content.followup.channels,
        },
        "decision_reference": content.decision_reference,
        "partnership": {
            "name": partnership.name,
            "agreement_reference": partnership.agreement_reference,
            "police_area": _org(partnership.police_area),
            "municipalities": [_org(m) for m in partnership.municipalities],
            "other_partners": [_org(o) for o in partnership.other_partners],
        },
        "predecessor_id": promise.predecessor.id if promise.predecessor else None,
        "successor_ids": [s.id for s in promise.successors],
        "commitments": [
            _commitment(view, page) for group in page.groups for view in group.commitments
        ],
        "signatures": [
            {
                "name": s.name,
                "title": s.title,
                "organisation": s.organisation,
                "method": SIGNATURE_METHODS[s.method],
                "date": s.display_date,
                "signed_at": None if s.is_paper else s.signed_at,
                "place": s.place,
            }
            for s in promise.signatures
        ],
        "followups": [followup_public_data(f) for f in page.followups],
        "situation_summary": _situation(page),
    }


def published_counts() -> dict[str, int]:
    """Published promises (gällande, kommande and avslutade) per signed kommunkod: one query,
    one short row per kommun and promise, from the live versions' stored kommunkoder."""
    codes = (
        live_promises()
        .annotate(code=JsonbArrayElementsText(F(f"{LIVE}signed_municipality_codes")))
        .values_list("code", flat=True)
        .order_by()
    )
    return Counter(code for code in codes if code)


# --- CSV -----------------------------------------------------------------------------


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"\A[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)\Z")


def csv_cell(value) -> object:
    """One cell as Excel should read it: text that would start a formula gets a leading ``'``.

    Numbers stay numbers, also as text ("-3", "+1,5"): only a cell that is not a
    plain number and starts with ``= + - @``, a tab or a carriage return is
    neutralised, so ``=HYPERLINK(…)`` arrives as the text that was typed.
    """
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _NUMBER.match(text):
        return f"'{text}"
    return text


#: Rows written per chunk of a streamed or built CSV.
CSV_CHUNK_ROWS = 500
#: Promises read per round trip when an export walks every published promise.
EXPORT_CHUNK = 100


def csv_chunks(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """Semicolon-separated UTF-8 with a byte order mark, so Swedish Excel opens it as it is.

    Every CSV the site serves is written here, every cell through ``csv_cell``,
    a few hundred rows at a time: a response streams these chunks and a bulk file
    is written from them, so no export is ever held whole in memory.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([csv_cell(cell) for cell in header])
    for chunk in batched(rows, CSV_CHUNK_ROWS):
        writer.writerows([csv_cell(cell) for cell in row] for row in chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _promise_columns(promise: PromiseSummary) -> list:
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


# --- Errors --------------------------------------------------------------------------

NOT_FOUND = "Det finns inget publicerat medborgarlöfte (eller ingen publicerad version) här."
UNVERIFIABLE = (
    "Den publicerade versionen stämmer inte med den kontrollsumma som parterna signerade "
    "och lämnas därför inte ut som signerad."
)
PARAMETER_NAMES = {
    "municipality": "municipality (kommunkod)",
    "county": "county (länskod)",
    "year": "year (år)",
    "status": "status",
    "theme": "theme (tema)",
    "promise_id": "löftets id",
    "number": "versionens nummer",
    "limit": "limit (antal per sida)",
    "offset": "offset (antal att hoppa över)",
}
PATTERN_MESSAGES = {
    "municipality": "ska vara en kommunkod med fyra siffror, t.ex. 0483",
    "county": "ska vara en länskod med två siffror, t.ex. 04",
    "theme": "får inte innehålla NUL-tecken",
}


def _swedish(error: dict) -> str:
    """One of pydantic's errors as a Swedish sentence a user of the API can act on."""
    name = str(error.get("loc", ["?"])[-1])
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind in ("int_parsing", "int_from_float", "int_type"):
        problem = "ska vara ett heltal"
    elif kind in ("greater_than_equal", "greater_than"):
        problem = f"ska vara minst {ctx.get('ge', ctx.get('gt'))}"
    elif kind in ("less_than_equal", "less_than"):
        problem = f"får vara högst {ctx.get('le', ctx.get('lt'))}"
    elif kind == "string_pattern_mismatch":
        problem = PATTERN_MESSAGES.get(name, "har fel form")
    elif kind == "string_too_long":
        problem = f"får vara högst {ctx.get('max_length')} tecken"
    elif kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", " eller ")
        problem = f"ska vara ett av {expected}".strip()
    elif kind == "missing":
        problem = "saknas"
    else:
        problem = "har ett värde som inte går att använda"
    return f"{PARAMETER_NAMES.get(name, name)} {problem}."


@api.exception_handler(ValidationError)
def _invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 with ninja's shape (``detail``: a list with ``loc`` and ``type``), in Swedish."""
    detail = [
        {"loc": list(e.get("loc", [])), "type": e.get("type", ""), "msg": _swedish(e)}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


def _page(promise_id: int) -> PromisePage:
    try:
        return promise_page(promise_id)
    except NotPublished:
        raise Http404 from None


# --- Endpoints -----------------------------------------------------------------------

#: Ids are PostgreSQL bigints and version numbers integers: anything larger is refused (422)
#: before a query is made.
PromiseId = Annotated[int, Path(ge=1, le=2**63 - 1, description="Löftets id.")]
VersionNumber = Annotated[int, Path(ge=1, le=2**31 - 1, description="Versionens nummer, från 1.")]

INVALID = {422: schemas.ValidationErrorOut}
NOT_FOUND_RESPONSE = {404: schemas.Message}
CSV_RESPONSE = {
    "responses": {
        200: {
            "description": (
                "Semikolonseparerad CSV, UTF-8 med BOM. Text som ett kalkylprogram skulle läsa "
                "som en formel (börjar med = + - @, tabb eller vagnretur) har en inledande '."
            ),
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


#: What every page of a list says in its headers (RFC 8288 and the total).
PAGE_HEADERS = {
    "headers": {
        "Link": {
            "description": (
                'RFC 8288: <adress>; rel="first", "prev", "next" och "last" – samma sidor '
                "som next och previous i svaret, och den första och den sista."
            ),
            "required": True,
            "schema": {"type": "string"},
        },
        "X-Total-Count": {
            "description": "Antal träffar totalt, på alla sidor (samma som count).",
            "required": True,
            "schema": {"type": "integer", "minimum": 0},
        },
    }
}


@api.get(
    "/promises",
    response={200: schemas.PromisePage, **INVALID},
    url_name="promise-list",
    summary="Publicerade medborgarlöften, en sida i taget",
    openapi_extra={"responses": {200: PAGE_HEADERS}},
)
def promise_list(
    request: HttpRequest,
    response: HttpResponse,
    filters: Query[PromiseFilters],
    page: Query[Pagination],
):
    """Published promises, newest signed period first, optionally filtered, ``limit`` at a time.

    Two queries whatever the number of promises: the total (``COUNT``) and the
    page (``LIMIT``/``OFFSET``). A page past the end is empty, not an error.
    """
    criteria = filters.criteria()
    count = summary_count(criteria)
    listed = (
        summaries(criteria, limit=page.limit, offset=page.offset) if page.offset < count else []
    )
    items = [promise_item(p) for p in listed]
    return paginated(request, response, page, count, items, given=filters.given())


@api.get(
    "/promises/{promise_id}",
    response={200: schemas.PromiseDetail, 409: schemas.Message, **NOT_FOUND_RESPONSE, **INVALID},
    url_name="promise-detail",
    summary="Ett medborgarlöfte med allt som är publicerat",
)
def promise_detail(request: HttpRequest, promise_id: PromiseId):
    """One published promise as signed, with progress, follow-ups and signatures.

    404 when it is not published; 409 when its live version no longer matches
    the hash that was signed (it is then never presented as signed).
    """
    try:
        return Status(200, promise_document(_page(promise_id)))
    except Unverifiable:
        return Status(409, {"detail": UNVERIFIABLE})


@api.get(
    "/promises/{promise_id}/kedja",
    response={200: schemas.Chain, **NOT_FOUND_RESPONSE, **INVALID},
    url_name="promise-chain",
    summary="Löftets hashkedja: versioner och underskrifter",
)
def promise_chain(request: HttpRequest, promise_id: PromiseId):
    """Every version and signature of a published promise, in order, with its chain link.

    Records of versions that were published carry their content (what was
    hashed); versions that never were published show only their hashes, so
    nothing unsigned is revealed while the chain can still be recomputed.
    """
    records = public_chain(promise_id)
    if records is None:
        raise Http404
    return {
        "promise_id": promise_id,
        "genesis": GENESIS,
        "records": [
            {
                **vars(r),
                "content_url": (
                    absolute(
                        reverse("public:open-data:promise-version", args=[promise_id, r.version])
                    )
                    if r.published and r.kind == "version"
                    else None
                ),
                "evidence_url": (
                    absolute(reverse("public:promise-version-scan", args=[promise_id, r.version]))
                    if r.published and r.record and r.record.get("evidence_sha256")
                    else None
                ),
            }
            for r in records
        ],
    }


@api.get(
    "/promises/{promise_id}/versioner/{number}",
    response={**NOT_FOUND_RESPONSE, **INVALID},
    url_name="promise-version",
    summary="Exakt den text som signerades",
    openapi_extra={
        "responses": {
            200: {
                "description": "Den kanoniska JSON som hashades och signerades, byte för byte.",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
        }
    },
)
def promise_version(
    request: HttpRequest, promise_id: PromiseId, number: VersionNumber
) -> HttpResponse:
    """The canonical JSON of a version that was published: SHA-256 of the body = content_sha256."""
    content = published_content(promise_id, number)
    if content is None:
        raise Http404
    return HttpResponse(content.encode("utf-8"), content_type="application/json")


@api.get(
    "/municipalities",
    response={200: schemas.MunicipalityPage, **INVALID},
    url_name="municipality-list",
    summary="Kommuner med antal publicerade löften, en sida i taget",
    openapi_extra={"responses": {200: PAGE_HEADERS}},
)
def municipality_list(request: HttpRequest, response: HttpResponse, page: Query[Pagination]):
    """All 290 kommuner by kommunkod, with län and the number of published promises.

    Three queries: the total, the page of kommuner and the counts.
    """
    municipalities = Organisation.objects.municipalities()
    count = municipalities.count()
    rows = list(
        municipalities.select_related("county").order_by("municipality_code")[
            page.offset : page.offset + page.limit
        ]
    )
    counts = published_counts() if rows else {}
    items = [
        {
            "code": m.municipality_code,
            "name": m.display_name,
            "slug": m.slug,
            "county": {"code": m.county.code, "name": m.county.name},
            "published_promises": counts.get(m.municipality_code, 0),
            "url": absolute(reverse("public:municipality-detail", args=[m.slug])),
        }
        for m in rows
    ]
    return paginated(request, response, page, count, items)


# --- Exports: every row of every published promise, streamed or from a built file ------

COMMITMENT_HEADER = [
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
FOLLOWUP_HEADER = [
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


def commitment_rows(criteria: PromiseFilter | None = None) -> Iterator[list]:
    """One row per commitment of every published promise, as signed, newest period first.

    The promises come from a server-side cursor, a hundred at a time, each with its
    live snapshot: memory stays flat however many there are.
    """
    for promise, content in iter_summaries(criteria, content=True, chunk_size=EXPORT_CHUNK):
        columns = _promise_columns(promise)
        for c in content.commitments:
            target = c.target
            yield [
                *columns,
                c.id,
                c.order,
                c.party,
                c.party_label,
                c.text,
                c.theme.name if c.theme else "",
                ", ".join(c.area_names),
                _csv_text(target.quantity if target else None),
                target.unit if target else "",
                target.period if target else "",
                ("ja" if target.per_area else "nej") if target else "",
                c.target_text,
                c.condition,
            ]


def followup_rows(criteria: PromiseFilter | None = None) -> Iterator[list]:
    """One row per assessed commitment in every published follow-up, by promise and period.

    A hundred promises at a time, each batch's follow-ups and assessments in two queries.
    """
    promises = iter_summaries(criteria, order=("pk",), chunk_size=EXPORT_CHUNK)
    for batch in batched(promises, EXPORT_CHUNK):
        by_id = {p.id: p for p in batch}
        followups = (
            public_followups()
            .filter(promise_id__in=list(by_id))
            .prefetch_related("assessments")
            .order_by("promise_id", "period_start_date", "pk")
        )
        for followup in followups:
            columns = _promise_columns(by_id[followup.promise_id])
            for a in sorted(followup.assessments.all(), key=lambda a: (a.order, a.pk)):
                yield [
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


def promise_documents() -> Iterator[dict]:
    """``GET /promises/{id}`` of every published promise, oldest id first, one at a time.

    A promise whose live version cannot be verified is left out, as its detail is
    refused (409): the dump only ever holds what was signed.
    """
    for promise in iter_summaries(order=("pk",), chunk_size=EXPORT_CHUNK):
        try:
            document = promise_document(promise_page(promise.id))
        except (NotPublished, Unverifiable, SnapshotError):
            continue
        # Through the response schema, as the detail endpoint answers.
        yield schemas.PromiseDetail.model_validate(document).model_dump()


def _export(request: HttpRequest, name: str, filters: PromiseFilters):
    """The whole export from its built file; a filtered one, or one whose file is
    missing or stale, streamed."""
    if filters.any():
        return bulk.stream(name, filters.criteria())
    return bulk.serve(request, name)


@api.get(
    "/commitments.csv",
    response=INVALID,
    url_name="commitment-csv",
    summary="Åtaganden som CSV",
    openapi_extra=CSV_RESPONSE,
)
def commitments_csv(request: HttpRequest, filters: Query[PromiseFilters]):
    """One row per commitment of every published promise, as signed."""
    return _export(request, bulk.COMMITMENTS, filters)


@api.get(
    "/followups.csv",
    response=INVALID,
    url_name="followup-csv",
    summary="Uppföljningar som CSV",
    openapi_extra=CSV_RESPONSE,
)
def followups_csv(request: HttpRequest, filters: Query[PromiseFilters]):
    """One row per assessed commitment in every published follow-up."""
    return _export(request, bulk.FOLLOWUPS, filters)


def _download(name: str) -> dict:
    export = bulk.EXPORTS[name]
    return {
        "responses": {
            200: {
                "description": (
                    f"{export.description} Hela filen, gzip-komprimerad "
                    f"({export.filename}.gz); byggs om när något publiceras."
                ),
                "content": {"application/gzip": {"schema": {"type": "string"}}},
                "headers": {
                    "ETag": {"schema": {"type": "string"}},
                    "Last-Modified": {"schema": {"type": "string"}},
                },
            },
            304: {"description": "Filen har inte ändrats sedan If-None-Match/If-Modified-Since."},
        }
    }


@api.get(
    "/bulk/commitments.csv.gz",
    url_name="bulk-commitments",
    summary="Alla åtaganden som CSV, gzip",
    openapi_extra=_download(bulk.COMMITMENTS),
)
def bulk_commitments(request: HttpRequest):
    """``commitments.csv`` for every published promise, gzip-compressed, built once per
    publication."""
    return bulk.serve(request, bulk.COMMITMENTS, download=True)


@api.get(
    "/bulk/followups.csv.gz",
    url_name="bulk-followups",
    summary="Alla uppföljningar som CSV, gzip",
    openapi_extra=_download(bulk.FOLLOWUPS),
)
def bulk_followups(request: HttpRequest):
    """``followups.csv`` for every published promise, gzip-compressed."""
    return bulk.serve(request, bulk.FOLLOWUPS, download=True)


@api.get(
    "/bulk/promises.json.gz",
    url_name="bulk-promises",
    summary="Alla publicerade medborgarlöften i sin helhet, JSON, gzip",
    openapi_extra=_download(bulk.PROMISES),
)
def bulk_promises(request: HttpRequest):
    """Every published promise as ``GET /promises/{id}`` gives it, in one JSON array."""
    return bulk.serve(request, bulk.PROMISES, download=True)


def urls():
    """``api.urls`` with every view open to anonymous visitors.

    The site runs ``LoginRequiredMiddleware``; open data is public by definition,
    and ninja builds its views itself, so they are marked here.
    """
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        login_not_required(pattern.callback)
        if pattern.name in CACHED_VIEWS:
            # Answered from the page cache like the public pages (public/caching.py):
            # only 200s of GET and HEAD for visitors who are not signed in are kept.
            pattern.callback = public_page(pattern.callback)
    return patterns, app_name, namespace


#: The JSON documents, cached on every query parameter in a fixed order (the CSVs and the
#: bulk files stream and are not cached).
CACHED_VIEWS = frozenset(
    {"promise-list", "promise-detail", "promise-chain", "promise-version", "municipality-list"}
)
