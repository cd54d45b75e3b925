"""Response schemas of the open-data API (``/api/v1/``).

Field names are English and stable; free text is Swedish as written by the
partners. Codes (``party``, ``status``, ``target.period``) are documented on
``/oppna-data/``. Follow-ups and lägesbilder are passed through as the owning
apps publish them (``followup_public_data``, ``situation.selectors.public_data``),
so their shape is described there and typed loosely here.
"""

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

Status = Literal["active", "ended", "upcoming"]
PartyCode = Literal["police", "municipality", "joint", "other"]


class MunicipalityRef(Schema):
    code: str | None = Field(description="Kommunkod, fyra siffror, t.ex. 0483.")
    name: str


class OrganisationRef(Schema):
    id: int
    kind: str = Field(description="kommun, lokalpolisomrade eller annan.")
    name: str
    municipality_code: str | None = None


class PromiseListItem(Schema):
    id: int
    title: str
    municipalities: list[MunicipalityRef]
    police_area: str
    valid_from: dt.date
    valid_to: dt.date
    extended_to: dt.date | None = None
    status: Status = Field(
        description="active = gällande, ended = avslutat, upcoming = kommande (från den "
        "signerade perioden och dagens datum)."
    )
    themes: list[str]
    url: str = Field(description="Löftets sida på webbplatsen.")
    api_url: str
    published_at: dt.datetime | None = None


class Target(Schema):
    quantity: int
    unit: str
    period: str = Field(description="period, ar, tertial, manad eller vecka.")
    per_area: bool
    text: str


class AreaProgress(Schema):
    name: str
    done: int
    target: int


class Progress(Schema):
    done: int
    target: int | None
    unit: str
    label: str
    reported: int = 0
    target_source: str = ""
    per_area: list[AreaProgress] = []
    is_example: bool = False


class Activity(Schema):
    id: int
    year: int
    title: str
    description: str
    responsible_organisation: str | None
    planned_start: dt.date
    planned_end: dt.date
    target_count: int | None
    target_unit: str
    target_per_area: bool
    areas: list[str]
    status: str
    status_label: str
    is_example: bool
    progress: Progress | None = None


class Outcome(Schema):
    status: str = Field(
        description="planerad, pagaende, genomford, delvis_genomford, ej_genomford, installd."
    )
    status_label: str
    figure: int | None = Field(description="Genomfört hittills, som uppföljningen anger.")
    target: int | None = Field(description="Målet för samma tid, enligt den signerade versionen.")
    label: str = Field(description='Till exempel "11 av minst 6".')
    text: str
    followup_id: int
    followup_title: str
    as_of: dt.date | None = Field(
        description="Dagen uppföljningen redovisar läget för: slutet av dess period."
    )


class CommitmentPeriod(Schema):
    start: dt.date | None = None
    end: dt.date | None = None


class CommitmentOut(Schema):
    id: int
    order: int
    party: PartyCode
    party_label: str
    owners: list[OrganisationRef] = Field(
        description="Parterna som lovar: polisen, en eller flera kommuner, andra parter."
    )
    municipality: OrganisationRef | None = None
    partner: OrganisationRef | None = None
    text: str
    theme: str | None = None
    areas: list[str]
    target: Target | None = None
    condition: str
    period: CommitmentPeriod = Field(
        description="Åtagandets egen period inom löftets; tomma datum = löftets period."
    )
    outcome: Outcome | None = Field(
        None,
        description=(
            "Det senaste som en publicerad uppföljning säger om åtagandet; null = ingen uppgift."
        ),
    )
    activities: list[Activity] = []


class SignatureOut(Schema):
    name: str
    title: str
    organisation: str
    method: Literal[
        "password", "password+totp", "password+passkey", "password+recovery_code", "paper"
    ] = Field(
        description=(
            "Hur undertecknaren styrkte sin identitet: password = lösenord; "
            "password+totp, password+passkey, password+recovery_code = lösenord och en andra "
            "faktor (kod från app, säkerhetsnyckel, reservkod); paper = på papper."
        )
    )
    date: dt.date | None = Field(description="Datum för underskriften (kan saknas för papper).")
    signed_at: dt.datetime | None = Field(description="Databastid för digitala underskrifter.")
    place: str


class Summaries(Schema):
    easy_swedish: str = Field(description="Lättläst svenska (språkkod sv).")
    english: str = Field(description="Engelska (språkkod en).")


class EffectGoal(Schema):
    text: str
    indicator: str
    baseline: str
    target: str
    target_year: int | None = None


class FollowUpPlan(Schema):
    cadence: str
    cadence_label: str
    channels: str


class PartnershipOut(Schema):
    name: str
    agreement_reference: str
    police_area: OrganisationRef
    municipalities: list[OrganisationRef]
    other_partners: list[OrganisationRef]


class PromiseDetail(Schema):
    id: int
    version: int = Field(description="Numret på den signerade versionen.")
    content_sha256: str = Field(description="SHA-256 av den signerade versionens innehåll.")
    chain_sha256: str = Field(description="Den signerade versionens länk i löftets hashkedja.")
    status: Status
    published_at: dt.datetime | None = None
    url: str
    pdf_url: str
    chain_url: str = Field(description="Löftets hashkedja: versioner och underskrifter.")
    title: str
    valid_from: dt.date
    valid_to: dt.date
    extended_to: dt.date | None = None
    introduction: str
    summaries: Summaries = Field(
        description="Sammanfattningar som samordnarna skrev och parterna signerade: "
        "på lättläst svenska (sv) och på engelska (en). Tom text när ingen skrevs."
    )
    effect_goal: EffectGoal
    themes: list[str]
    areas: list[str]
    followup_plan: FollowUpPlan
    decision_reference: str
    partnership: PartnershipOut
    predecessor_id: int | None = Field(
        None, description="Det publicerade löfte som det signerade löftet bygger vidare på."
    )
    successor_ids: list[int] = Field(
        description="Publicerade löften som har signerats som efterföljare till det här."
    )
    commitments: list[CommitmentOut]
    signatures: list[SignatureOut]
    followups: list[dict[str, Any]] = Field(
        description="Publicerade uppföljningar, nyaste perioden först."
    )
    situation_summary: dict[str, Any] | None = Field(
        description="Den publika delen av lägesbilden som löftet bygger på, om den finns."
    )


class County(Schema):
    code: str
    name: str


class MunicipalityOut(Schema):
    code: str
    name: str
    slug: str
    county: County
    published_promises: int = Field(
        description="Antal publicerade löften (gällande och avslutade)."
    )
    url: str


class ChainRecord(Schema):
    position: int = Field(description="Platsen i kedjan, från 1.")
    kind: Literal["version", "signature"]
    version: int = Field(description="Versionen som posten gäller.")
    published: bool = Field(description="Versionen har publicerats; då är posten öppen.")
    record: dict[str, Any] | None = Field(
        description="Postens innehåll, det som hashas (bara för publicerade versioner)."
    )
    record_sha256: str = Field(description="SHA-256 av postens kanoniska JSON.")
    previous_sha256: str = Field(description="Föregående posts länk (64 nollor först).")
    chain_sha256: str = Field(description="SHA-256 av previous_sha256 följt av record_sha256.")
    content_url: str | None = Field(
        description="Den signerade texten, byte för byte, för publicerade versioner."
    )
    evidence_url: str | None = Field(
        None,
        description="Skanningen av en underskrift på papper (SHA-256 i record.evidence_sha256), "
        "för publicerade versioner.",
    )


class Chain(Schema):
    promise_id: int
    genesis: str
    records: list[ChainRecord]


class _Page(Schema):
    count: int = Field(description="Antal träffar totalt, på alla sidor.")
    limit: int = Field(description="Antal per sida (parametern limit).")
    offset: int = Field(description="Hur många som hoppades över (parametern offset).")
    next: str | None = Field(description="Nästa sida, som fullständig adress; null på den sista.")
    previous: str | None = Field(
        description="Föregående sida, som fullständig adress; null på den första."
    )


class PromisePage(_Page):
    """A page of ``GET /promises``: the total and ``limit`` promises from ``offset``."""

    items: list[PromiseListItem]


class MunicipalityPage(_Page):
    """A page of ``GET /municipalities``."""

    items: list[MunicipalityOut]


class Message(Schema):
    detail: str = Field(description="Vad som gick fel, på svenska.")


class ValidationProblem(Schema):
    loc: list[str | int] = Field(
        description='Var felet finns, t.ex. ["query", "year"] eller ["path", "promise_id"].'
    )
    type: str = Field(description="Felets kod, t.ex. greater_than_equal eller int_parsing.")
    msg: str = Field(description="Vad som är fel, på svenska.")


class ValidationErrorOut(Schema):
    """422: a parameter has a value that cannot be used; nothing was looked up."""

    detail: list[ValidationProblem]
