"""The published read model: what the public may read of a promise, and nothing else.

Every public surface — pages, search index, feeds, sitemap, open-data API and
CSV, PDF — reads promises through this module. It is built from the *live*
version only (``Promise.published_version``: the newest version every
required party signed) and never from the working copy, so an amendment in
progress, a draft's lägesbild or an unsigned commitment cannot reach the
public. Each version is checked against its SHA-256 and its signatures'
hashes before it is presented (``promises.integrity``); one that does not
match is never shown as signed.

"Gällande", "kommande" and "avslutat" follow from the signed period and
today's date, so no cron job is needed for the public to be right.

Two shapes:

* ``PublishedPromise``: one promise in full, its content typed and validated
  (``promises.snapshot.SignedContent``);
* ``PromiseSummary``: what lists show, read with JSON paths in SQL so a list
  never loads every snapshot.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from hashlib import sha256

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import (
    Case,
    CharField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.replica import read_connection
from organizations.models import Organisation, Theme
from organizations.refs import OrgRef
from promises import owners
from promises.chain import record_sha256, signature_record, version_record
from promises.integrity import intact_version_condition, version_problems
from promises.models import PaperSigning, Promise, PromiseTransition, PromiseVersion, Signature
from promises.snapshot import SignedCommitment, SignedContent, SnapshotError, parse

# Every query here annotates the live snapshot as ``signed`` first: KT() cannot
# follow a relation, but it can read an annotation.
SNAPSHOT = "signed"
#: The live version's stored copies of its signed snapshot (``PromiseVersion.signed_*``).
LIVE = "published_version__"


class PublicState(models.TextChoices):
    UPCOMING = "upcoming", gettext_lazy("Kommande")
    ACTIVE = "active", gettext_lazy("Gällande")
    ENDED = "ended", gettext_lazy("Avslutat")


def state_on(valid_from: date, end_date: date, today: date | None = None) -> str:
    """Kommande before the signed period, gällande during it, avslutat after it."""
    today = today or timezone.localdate()
    if today < valid_from:
        return PublicState.UPCOMING
    if today > end_date:
        return PublicState.ENDED
    return PublicState.ACTIVE


def party_choices() -> list[tuple[str, str]]:
    """The API's party codes with their labels, for filters."""
    return [
        ("police", _("Polisen")),
        ("municipality", _("Kommunen")),
        ("joint", _("Tillsammans")),
        ("other", _("Annan part")),
    ]


class NotPublished(Exception):
    """No live version: the public gets a 404, as if the promise did not exist."""


class Unverifiable(Exception):
    """The live version does not match its hash: never present it as signed."""

    def __init__(self, promise_id: int, problems: list[str]):
        super().__init__(f"promise {promise_id}: {'; '.join(problems)}")
        self.promise_id = promise_id
        self.problems = problems


@dataclass(frozen=True)
class PublishedSignature:
    name: str
    title: str
    organisation: str
    method: str
    signed_at: datetime
    signed_on_date: date | None
    place: str

    @property
    def is_paper(self) -> bool:
        return self.method == Signature.Method.PAPER

    @property
    def method_label(self) -> str:
        """ "Digitalt, med lösenord och säkerhetsnyckel" …, in the active language."""
        if self.method in Signature.Method.values:
            return str(Signature.Method(self.method).label)
        return self.method

    @property
    def display_date(self) -> date | None:
        """The paper's own date (None when the document has none), or the database time."""
        return self.signed_on_date if self.is_paper else timezone.localdate(self.signed_at)


@dataclass(frozen=True)
class PaperEvidence:
    """How a paper signing reached the portal: who recorded it, who confirmed it, the scan."""

    recorded_by: str
    recorded_for: str
    recorded_at: datetime
    confirmed_by: str
    confirmed_for: str
    confirmed_at: datetime | None
    scan_sha256: str
    scan_content_type: str
    scan_size: int


@dataclass(frozen=True)
class PromiseLink:
    id: int
    title: str

    @property
    def url(self) -> str:
        return reverse("public:promise-detail", kwargs={"pk": self.id})


@dataclass
class CommitmentGroup:
    key: str
    party: str
    heading: str
    commitments: list[SignedCommitment] = field(default_factory=list)


def group_commitments(commitments: Iterable[SignedCommitment]) -> list[CommitmentGroup]:
    """As the documents do: the police, each kommun (or several together), other
    partners, then jointly; one heading per owner set, in the active language."""
    groups: dict[tuple, CommitmentGroup] = {}
    for item in commitments:
        owner_list = item.owner_list
        key = owners.group_key(owner_list)
        if key not in groups:
            ids = "-".join(str(o.id) for o in owner_list)
            groups[key] = CommitmentGroup(f"{item.party}-{ids}", item.party, item.heading)
        groups[key].commitments.append(item)
    return [groups[k] for k in sorted(groups)]


@dataclass(frozen=True)
class PublishedPromise:
    """One promise as it was signed, with its signatures and links to other published ones."""

    id: int
    version_number: int
    content_sha256: str
    chain_sha256: str
    published_at: datetime | None
    content: SignedContent
    signatures: tuple[PublishedSignature, ...]
    predecessor: PromiseLink | None = None
    successors: tuple[PromiseLink, ...] = ()
    paper: PaperEvidence | None = None

    # The content, for templates and callers that read one field.
    @property
    def title(self) -> str:
        return self.content.title

    @property
    def valid_from(self) -> date:
        return self.content.valid_from

    @property
    def valid_to(self) -> date:
        return self.content.valid_to

    @property
    def extended_to(self) -> date | None:
        return self.content.extended_to

    @property
    def end_date(self) -> date:
        return self.content.end_date

    @property
    def commitments(self) -> tuple[SignedCommitment, ...]:
        return self.content.commitments

    @property
    def commitment_ids(self) -> frozenset[int]:
        return self.content.commitment_ids

    @property
    def partnership(self):
        return self.content.partnership

    @property
    def municipalities(self) -> tuple[OrgRef, ...]:
        return self.content.partnership.municipalities

    def state(self, today: date | None = None) -> str:
        return state_on(self.valid_from, self.end_date, today)

    @property
    def state_label(self) -> str:
        return PublicState(self.state()).label

    @property
    def is_ended(self) -> bool:
        return self.state() == PublicState.ENDED

    @property
    def cadence(self) -> str:
        return self.content.followup.cadence

    def groups(self) -> list[CommitmentGroup]:
        return group_commitments(self.commitments)

    @property
    def party_names(self) -> list[str]:
        return [org.name for org in self.content.partnership.parties]

    @property
    def url(self) -> str:
        return reverse("public:promise-detail", kwargs={"pk": self.id})

    @property
    def pdf_url(self) -> str:
        return reverse("public:promise-pdf", kwargs={"pk": self.id})

    @property
    def scan_url(self) -> str | None:
        if self.paper is None:
            return None
        return reverse("public:promise-scan", kwargs={"pk": self.id})


def _signature(s: Signature) -> PublishedSignature:
    return PublishedSignature(
        name=s.signer_name,
        title=s.signer_title,
        organisation=s.organisation_name,
        method=s.method,
        signed_at=s.signed_at,
        signed_on_date=s.signed_on_date,
        place=s.place,
    )


def live_promises() -> QuerySet:
    """``Promise`` rows whose live version is intact (checked in SQL); the one base query.

    The live snapshot is annotated as ``signed`` for JSON lookups.
    """
    return (
        Promise.objects.filter(published_version__isnull=False)
        .filter(*intact_version_condition("published_version__"))
        .annotate(signed=F("published_version__snapshot"))
    )


def published_promise(pk: int) -> PublishedPromise:
    """One promise as signed. ``NotPublished`` (→ 404) or ``Unverifiable`` (→ a notice).

    Three queries: the promise with its live version, the signatures, the links.
    """
    promise = (
        Promise.objects.filter(pk=pk, published_version__isnull=False)
        .select_related("published_version")
        .first()
    )
    if promise is None:
        raise NotPublished(pk)
    version = promise.published_version
    signatures = list(
        Signature.objects.filter(version=version).order_by("requirement__order", "chain_position")
    )
    problems = version_problems(version, signatures=signatures)
    paper = _confirmed_paper(version)
    evidence = {s.evidence_sha256 for s in signatures if s.method == Signature.Method.PAPER}
    if evidence and (paper is None or evidence != {paper.scan_sha256}):
        problems.append("pappersunderskrifterna hänvisar till en annan skanning")
    if problems:
        raise Unverifiable(pk, problems)
    content = parse(version.snapshot)
    links = _links(pk, content.predecessor_id)
    return PublishedPromise(
        id=pk,
        version_number=version.number,
        content_sha256=version.content_sha256,
        chain_sha256=version.chain_sha256,
        published_at=promise.published_at,
        content=content,
        signatures=tuple(_signature(s) for s in signatures),
        predecessor=links.get(content.predecessor_id) if content.predecessor_id else None,
        successors=tuple(link for key, link in links.items() if key != content.predecessor_id),
        paper=_evidence(paper) if paper else None,
    )


def _confirmed_paper(version) -> PaperSigning | None:
    return (
        PaperSigning.objects.filter(version=version, status=PaperSigning.Status.CONFIRMED)
        .select_related("recorded_for", "decided_for")
        .first()
    )


def _evidence(paper: PaperSigning) -> PaperEvidence:
    return PaperEvidence(
        recorded_by=paper.recorded_by_name,
        recorded_for=paper.recorded_for.display_name if paper.recorded_for else "",
        recorded_at=paper.created_at,
        confirmed_by=paper.decided_by_name,
        confirmed_for=paper.decided_for.display_name if paper.decided_for else "",
        confirmed_at=paper.decided_at,
        scan_sha256=paper.scan_sha256,
        scan_content_type=paper.scan_content_type,
        scan_size=paper.scan_size,
    )


@dataclass(frozen=True)
class PublishedScan:
    content: bytes
    content_type: str
    filename: str


def published_scan(pk: int, number: int | None = None) -> PublishedScan | None:
    """The scan behind a version's paper signatures, if its bytes still hash right.

    Without ``number``, the live version's; with it, that version's, if it was once
    published: a promise amended since keeps the evidence of what was signed before
    (its signatures, with the scan's SHA-256, stay in the chain).
    """
    if number is None:
        try:
            promise = published_promise(pk)
        except (NotPublished, Unverifiable):
            return None
        if promise.paper is None:
            return None
        number = promise.version_number
    elif published_content(pk, number) is None:
        return None
    paper = PaperSigning.objects.filter(
        version__number=number, promise_id=pk, status=PaperSigning.Status.CONFIRMED
    ).first()
    if paper is None:
        return None
    with paper.scan.open("rb") as handle:
        content = handle.read()
    if sha256(content).hexdigest() != paper.scan_sha256:
        return None
    extension = paper.scan.name.rsplit(".", 1)[-1]
    return PublishedScan(
        content, paper.scan_content_type, f"underskrifter-{pk}-v{number}.{extension}"
    )


def _links(pk: int, predecessor_id: int | None) -> dict[int, PromiseLink]:
    """The signed predecessor and every promise whose signed version names this one as its
    predecessor, each only if published; titles from their live versions. One query."""
    # Promise ids through the indexes (the stored predecessor, the primary key) in one
    # subquery: an OR across the joined tables would make PostgreSQL join every row.
    linked = PromiseVersion.objects.filter(signed_predecessor_id=pk).values("promise_id")
    if predecessor_id:
        linked = linked.union(Promise.objects.filter(pk=predecessor_id).values("pk"))
    exact = Q(**{f"{LIVE}signed_predecessor_id": pk})  # the live version, not an older one
    if predecessor_id:
        exact |= Q(pk=predecessor_id)
    rows = (
        live_promises()
        .filter(exact, pk__in=linked)
        .exclude(pk=pk)
        .order_by(f"{LIVE}signed_from", "pk")
        .values_list("pk", f"{LIVE}signed_title")
    )
    return {row_pk: PromiseLink(row_pk, title) for row_pk, title in rows}


def try_published_promise(pk: int) -> PublishedPromise | None:
    """The promise as signed, or None when it is not published or cannot be verified."""
    try:
        return published_promise(pk)
    except (NotPublished, Unverifiable, SnapshotError):
        return None


# --- Lists ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PromiseSummary:
    """A published promise as lists show it: from its live version, read in SQL."""

    id: int
    title: str
    valid_from: date
    valid_to: date
    extended_to: date | None
    municipalities: tuple[OrgRef, ...]
    police_area: OrgRef
    other_partners: tuple[OrgRef, ...]
    themes: tuple[str, ...]
    commitment_count: int
    version_number: int
    published_at: datetime | None
    cadence: str = "tertial"

    @property
    def end_date(self) -> date:
        return self.extended_to or self.valid_to

    def state(self, today: date | None = None) -> str:
        return state_on(self.valid_from, self.end_date, today)

    @property
    def state_label(self) -> str:
        return PublicState(self.state()).label

    @property
    def municipality_codes(self) -> list[str]:
        return [m.municipality_code for m in self.municipalities if m.municipality_code]

    @property
    def party_names(self) -> list[str]:
        return [self.police_area.name, *(m.name for m in self.municipalities)] + [
            o.name for o in self.other_partners
        ]

    @property
    def url(self) -> str:
        return reverse("public:promise-detail", kwargs={"pk": self.id})


class JsonbArrayLength(Func):
    function = "jsonb_array_length"
    output_field = IntegerField()


class JsonbArrayElementsText(Func):
    """One row per element of a JSON array, as text (a set-returning function)."""

    function = "jsonb_array_elements_text"
    output_field = models.TextField()


def _with_signed_period(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(signed_from=F(f"{LIVE}signed_from"), signed_end=F(f"{LIVE}signed_end"))


def _contains_municipality(codes: Iterable[str]) -> Q:
    """Signed by one of the kommuner ``codes``: the GIN-indexed array of kommunkoder."""
    codes = list(codes)
    if not codes:
        return Q(pk__in=[])
    return Q(**{f"{LIVE}signed_municipality_codes__has_any_keys": codes})


@dataclass(frozen=True)
class PromiseFilter:
    """What public lists and the API can ask for; every value validated by the caller."""

    municipality: str | None = None
    county: str | None = None
    year: int | None = None
    state: str | None = None
    theme: str | None = None
    ids: tuple[int, ...] | None = None


def filtered(criteria: PromiseFilter | None = None, *, today: date | None = None) -> QuerySet:
    """Live promises narrowed by ``criteria``, on the signed content only."""
    criteria = criteria or PromiseFilter()
    today = today or timezone.localdate()
    queryset = _with_signed_period(live_promises())
    if criteria.ids is not None:
        queryset = queryset.filter(pk__in=criteria.ids)
    if criteria.municipality:
        queryset = queryset.filter(_contains_municipality([criteria.municipality]))
    if criteria.county:
        codes = Organisation.objects.municipalities().filter(county__code=criteria.county)
        queryset = queryset.filter(
            _contains_municipality(codes.values_list("municipality_code", flat=True))
        )
    if criteria.year is not None:
        queryset = queryset.filter(
            signed_from__lte=date(criteria.year, 12, 31),
            signed_end__gte=date(criteria.year, 1, 1),
        )
    if criteria.state == PublicState.ENDED:
        queryset = queryset.filter(signed_end__lt=today)
    elif criteria.state == PublicState.ACTIVE:
        queryset = queryset.filter(signed_from__lte=today, signed_end__gte=today)
    elif criteria.state == PublicState.UPCOMING:
        queryset = queryset.filter(signed_from__gt=today)
    if criteria.theme:
        names = {criteria.theme} | set(
            Theme.objects.filter(Q(slug=criteria.theme) | Q(name__iexact=criteria.theme))
            .values_list("name", flat=True)
            .order_by()
        )
        matches = Q(**{f"{SNAPSHOT}__themes__contains": [{"slug": criteria.theme}]})
        for name in names:
            # Schema 2 names themes as objects, schema 1 as plain names.
            matches |= Q(**{f"{SNAPSHOT}__themes__contains": [{"name": name}]})
            matches |= Q(**{f"{SNAPSHOT}__themes__contains": [name]})
            matches |= Q(**{f"{SNAPSHOT}__commitments__contains": [{"theme": {"name": name}}]})
            matches |= Q(**{f"{SNAPSHOT}__commitments__contains": [{"theme": name}]})
        queryset = queryset.filter(matches)
    return queryset


def _theme_name(value) -> str:
    return value["name"] if isinstance(value, dict) else str(value)


def _summary_values(criteria: PromiseFilter | None, *, order: tuple, today: date | None):
    """The list columns of the live versions, read with JSON paths in SQL."""
    return (
        filtered(criteria, today=today)
        .annotate(
            signed_title=F(f"{LIVE}signed_title"),
            signed_valid_to=F(f"{LIVE}signed_valid_to"),
            signed_extended_to=F(f"{LIVE}signed_extended_to"),
            signed_municipalities=F(f"{LIVE}signed_municipalities"),
            signed_police_area=F(f"{LIVE}signed_police_area"),
            signed_partners=F(f"{LIVE}signed_partners"),
            signed_themes=F(f"{LIVE}signed_theme_names"),
            signed_commitments=JsonbArrayLength(F(f"{LIVE}signed_commitment_ids")),
            signed_cadence=F(f"{LIVE}signed_cadence"),
            version_number=F(f"{LIVE}number"),
        )
        .order_by(*order)
    )


SUMMARY_COLUMNS = (
    "pk",
    "published_at",
    "signed_title",
    "signed_from",
    "signed_valid_to",
    "signed_extended_to",
    "signed_municipalities",
    "signed_police_area",
    "signed_partners",
    "signed_themes",
    "signed_commitments",
    "signed_cadence",
    "version_number",
)
NEWEST_PERIOD_FIRST = ("-signed_from", "signed_title", "pk")


def _summary(row: dict) -> PromiseSummary:
    return PromiseSummary(
        id=row["pk"],
        title=row["signed_title"],
        valid_from=row["signed_from"],
        valid_to=row["signed_valid_to"],
        extended_to=row["signed_extended_to"],
        municipalities=tuple(OrgRef(**m) for m in row["signed_municipalities"] or []),
        police_area=OrgRef(**row["signed_police_area"]),
        other_partners=tuple(OrgRef(**o) for o in row["signed_partners"] or []),
        themes=tuple(_theme_name(t) for t in row["signed_themes"] or []),
        commitment_count=row["signed_commitments"] or 0,
        version_number=row["version_number"],
        published_at=row["published_at"],
        cadence=row["signed_cadence"] or "tertial",
    )


def summaries(
    criteria: PromiseFilter | None = None,
    *,
    order: tuple = NEWEST_PERIOD_FIRST,
    limit: int | None = None,
    offset: int = 0,
    today: date | None = None,
) -> list[PromiseSummary]:
    """Published promises as lists show them, newest signed period first. One query, or
    two for a page.

    ``limit`` and ``offset`` page in SQL (``LIMIT``/``OFFSET``), so a page never
    reads the other promises' list columns.
    """
    queryset = _summary_values(criteria, order=order, today=today)
    if limit is None:
        rows = queryset.values(*SUMMARY_COLUMNS)
        return [_summary(row) for row in (rows[offset:] if offset else rows)]
    # A page in two steps: the page's ids sorted on the order's keys alone, then the list
    # columns of those rows only. In one statement PostgreSQL builds every column of every
    # live promise before it sorts and keeps the page (140 ms at national size for five).
    ids = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
    if not ids:
        return []
    found = {row["pk"]: row for row in queryset.filter(pk__in=ids).values(*SUMMARY_COLUMNS)}
    return [_summary(found[pk]) for pk in ids if pk in found]


def summary_count(criteria: PromiseFilter | None = None, *, today: date | None = None) -> int:
    """How many promises ``summaries(criteria)`` lists: one ``COUNT``."""
    return filtered(criteria, today=today).order_by().count()


def iter_summaries(
    criteria: PromiseFilter | None = None,
    *,
    order: tuple = NEWEST_PERIOD_FIRST,
    content: bool = False,
    chunk_size: int = 200,
    today: date | None = None,
) -> Iterator:
    """``summaries()`` one at a time from a server-side cursor, for exports that stream.

    With ``content``, each item is ``(summary, SignedContent)``: the live version's
    whole signed content, parsed one promise at a time.
    """
    columns = (*SUMMARY_COLUMNS, SNAPSHOT) if content else SUMMARY_COLUMNS
    rows = _summary_values(criteria, order=order, today=today).values(*columns)
    for row in rows.iterator(chunk_size=chunk_size):
        yield (_summary(row), parse(row[SNAPSHOT])) if content else _summary(row)


# --- Figures: counted in SQL, never by loading every promise ---------------------------


def _public_state(today: date) -> Case:
    """``state_on`` in SQL, on the signed period ``_with_signed_period`` annotates."""
    return Case(
        When(signed_from__gt=today, then=Value(PublicState.UPCOMING.value)),
        When(signed_end__lt=today, then=Value(PublicState.ENDED.value)),
        default=Value(PublicState.ACTIVE.value),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class PublicFigures:
    """What the start page, /kommuner/ and /sverige/ count over the live promises."""

    #: ``{state: number of promises}`` (``PublicState`` values; states with none left out).
    promises: dict[str, int]
    #: Signed commitments in all of them.
    commitments: int
    #: ``{kommunkod: {state: number of promises}}`` over the signed kommuner.
    by_municipality: dict[str, dict[str, int]]
    #: ``[(theme name, number of promises naming it)]``, most common first, then by name.
    themes: list[tuple[str, int]]
    #: The ids of the live promises counted, for figures over them from other apps
    #: (``followups.selectors.latest_public_status_counts``) without checking them again.
    promise_ids: tuple[int, ...] = ()

    @property
    def published(self) -> int:
        return sum(self.promises.values())

    @property
    def active(self) -> int:
        """Gällande today (not those still to come)."""
        return self.promises.get(PublicState.ACTIVE, 0)

    @property
    def current(self) -> int:
        """Not ended: gällande or kommande."""
        return self.published - self.promises.get(PublicState.ENDED, 0)

    def municipality_codes(self, state: str) -> set[str]:
        """The kommuner with a live promise in ``state``."""
        return {code for code, states in self.by_municipality.items() if states.get(state)}


_BY_MUNICIPALITY_SQL = """
SELECT COALESCE(jsonb_agg(jsonb_build_array(code, public_state, promises)), '[]')
  FROM (SELECT code, public_state, COUNT(*) AS promises
          FROM live, unnest(live.signed_codes) AS code
         GROUP BY 1, 2) AS s
"""

_FIGURES_SQL = """
WITH live AS MATERIALIZED ({live})
SELECT
  (SELECT COALESCE(jsonb_object_agg(public_state, promises), '{{}}')
     FROM (SELECT public_state, COUNT(*) AS promises FROM live GROUP BY 1) AS s),
  (SELECT COALESCE(SUM(signed_count), 0) FROM live),
  ({by_municipality}),
  (SELECT COALESCE(jsonb_agg(jsonb_build_array(name, promises) ORDER BY promises DESC, name),
                   '[]')
     FROM (SELECT name, COUNT(*) AS promises
             FROM live, unnest(live.signed_themes) AS name
            GROUP BY 1) AS s),
  (SELECT COALESCE(array_agg(id ORDER BY id), '{{}}') FROM live)
""".replace("{by_municipality}", _BY_MUNICIPALITY_SQL.strip())

_MUNICIPALITY_FIGURES_SQL = "WITH live AS ({live})\n" + _BY_MUNICIPALITY_SQL


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def _figures_row(template: str, criteria: PromiseFilter | None, today: date | None):
    """The one row of ``template`` counted around the live versions' figure columns
    (``filtered()``, so the same integrity check and filters as every list), or None
    when no promise can match. Read where the page's other reads go (a replica)."""
    today = today or timezone.localdate()
    empty = Value([], ArrayField(models.TextField()))
    live = (
        filtered(criteria, today=today)
        .annotate(
            public_state=_public_state(today),
            signed_count=Coalesce(JsonbArrayLength(F(f"{LIVE}signed_commitment_ids")), 0),
            signed_codes=Coalesce(F(f"{LIVE}signed_municipality_code_set"), empty),
            signed_themes=Coalesce(F(f"{LIVE}signed_theme_set"), empty),
        )
        .order_by()
        .values("id", "public_state", "signed_count", "signed_codes", "signed_themes")
    )
    try:
        sql, params = live.query.sql_with_params()
    except EmptyResultSet:
        return None
    with read_connection(Promise).cursor() as cursor:
        cursor.execute(template.format(live=sql), params)
        return cursor.fetchone()


def _by_municipality(rows) -> dict[str, dict[str, int]]:
    by_municipality: dict[str, dict[str, int]] = {}
    for code, state, number in _json(rows):
        if code:
            by_municipality.setdefault(code, {})[state] = number
    return by_municipality


def public_figures(
    criteria: PromiseFilter | None = None, *, today: date | None = None
) -> PublicFigures:
    """Live promises per public state, their commitments, per kommun and per theme, as a
    loop over ``summaries()`` would count them, and their ids. One query, one pass over the live
    versions whatever their number: the rows come from ``filtered()``, the counting is
    done in SQL around it, over the de-duplicated ``text[]`` columns of migration 0013.
    """
    row = _figures_row(_FIGURES_SQL, criteria, today)
    if row is None:
        return PublicFigures(promises={}, commitments=0, by_municipality={}, themes=[])
    states, commitments, parties, themes, promise_ids = row
    return PublicFigures(
        promises=_json(states),
        commitments=int(commitments),
        by_municipality=_by_municipality(parties),
        themes=[(name, number) for name, number in _json(themes)],
        promise_ids=tuple(promise_ids),
    )


def municipality_figures(
    criteria: PromiseFilter | None = None, *, today: date | None = None
) -> dict[str, dict[str, int]]:
    """``public_figures(…).by_municipality`` alone, for the pages that show nothing
    else (/kommuner/): the same rows, without the states, themes and ids."""
    row = _figures_row(_MUNICIPALITY_FIGURES_SQL, criteria, today)
    return _by_municipality(row[0]) if row else {}


def live_ids() -> QuerySet:
    """Ids of live, intact promises, as a subquery for other apps' public queries."""
    return live_promises().values("pk")


def live_commitment_count() -> int:
    """How many commitments the live versions hold: one ``SUM`` over their stored ids."""
    total = live_promises().aggregate(
        total=Sum(JsonbArrayLength(F(f"{LIVE}signed_commitment_ids")))
    )["total"]
    return total or 0


# --- The hash chain, as the public may see it -----------------------------------------


@dataclass(frozen=True)
class ChainEntry:
    position: int
    kind: str
    version: int
    #: The version was published at some time: its record and content are public.
    published: bool
    record: dict | None
    record_sha256: str
    previous_sha256: str
    chain_sha256: str


def _published_version_ids(promise_id: int) -> set[int]:
    return set(
        PromiseTransition.objects.filter(
            promise_id=promise_id, kind=PromiseTransition.Kind.PUBLISHED
        ).values_list("version_id", flat=True)
    )


def public_chain(promise_id: int) -> list[ChainEntry] | None:
    """The promise's chain; None unless the promise is live and intact. Four queries.

    Records of versions never published (returned drafts, versions awaiting
    signatures) and their signatures show only hashes: enough to recompute
    every link, nothing of what was not signed.
    """
    if not live_promises().filter(pk=promise_id).exists():
        return None
    versions = {v.pk: v for v in PromiseVersion.objects.filter(promise_id=promise_id)}
    published = _published_version_ids(promise_id)
    rows = [(v, version_record(v), v.pk in published) for v in versions.values()]
    for s in Signature.objects.filter(version__promise_id=promise_id):
        version = versions[s.version_id]
        record = signature_record(s, promise_id=promise_id, version_number=version.number)
        rows.append((s, record, version.pk in published))
    rows.sort(key=lambda row: row[0].chain_position)
    return [
        ChainEntry(
            position=row.chain_position,
            kind=record["kind"],
            version=record["number"] if record["kind"] == "version" else record["version"],
            published=public,
            record=record if public else None,
            record_sha256=record_sha256(record),
            previous_sha256=row.previous_sha256,
            chain_sha256=row.chain_sha256,
        )
        for row, record, public in rows
    ]


def published_content(promise_id: int, number: int) -> str | None:
    """The exact signed text of a version that was once published, or None."""
    version = (
        PromiseVersion.objects.filter(
            promise_id=promise_id, number=number, pk__in=_published_version_ids(promise_id)
        )
        .filter(promise__in=live_ids())
        .first()
    )
    return version.content if version else None
