"""Everything public about one promise, assembled once for the page, the API and the PDF.

Built on the published read model (``promises.published``): the signed
content, its signatures, and what other apps attach to it *on the signed
version's terms* — activities under signed commitments only, published
follow-ups and, from them, one outcome per commitment (``latest_outcomes``),
the lägesbild frozen with the version.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.utils.translation import gettext

from activities.progress import Progress
from activities.selectors import activity_progress, public_activities, signed_window
from followups.selectors import latest_public_status_counts, published_followups
from organizations.models import Organisation
from promises.published import (
    PublicFigures,
    PublishedPromise,
    live_commitment_count,
    published_promise,
)
from promises.snapshot import SignedCommitment
from public import glossary
from situation.frozen import SituationView, situation_view


@dataclass(frozen=True)
class Outcome:
    """What the latest published follow-up says about one signed commitment."""

    status: str
    status_label: str
    figure: int | None
    target: int | None
    figure_text: str
    text: str
    followup_id: int
    followup_title: str
    #: The day the follow-up reports the state of things for: the end of its period.
    as_of: date | None


@dataclass
class CommitmentView:
    """A signed commitment with what was reported and its planned activities."""

    commitment: SignedCommitment
    outcome: Outcome | None = None
    activities: list = field(default_factory=list)
    #: The days the commitment holds for: its own period, or the promise's.
    period_start: date | None = None
    period_end: date | None = None

    def __getattr__(self, name):
        return getattr(self.commitment, name)


def reports_something(status: str, figure: int | None, outcome: str) -> bool:
    """An assessment that says nothing (still "planerad", no figure, no text) is not an
    outcome: an older follow-up's word, or "ingen uppgift", stands."""
    return not (figure is None and status == "planerad" and not outcome)


def latest_outcomes(followups) -> dict[int, Outcome]:
    """One rule for the figure the public sees: per commitment, the newest published
    follow-up (``followups`` newest first) that assessed it with a figure or a status
    other than planned. A commitment none has assessed has no outcome: "ingen uppgift"."""
    found: dict[int, Outcome] = {}
    for followup in followups:
        for a in followup.assessments.all():
            if a.commitment_id in found or not reports_something(a.status, a.figure, a.outcome):
                continue
            found[a.commitment_id] = Outcome(
                status=a.status,
                status_label=str(a.get_status_display()),
                figure=a.figure,
                target=a.target_count,
                figure_text=a.figure_text,
                text=a.outcome,
                followup_id=followup.pk,
                followup_title=followup.title,
                as_of=followup.period_end_date,
            )
    return found


#: The order the summary lists statuses in: done first, then what is under way,
#: then what did not happen; "ingen uppgift" last.
STATUS_ORDER = (
    "genomford",
    "delvis_genomford",
    "pagaende",
    "planerad",
    "ej_genomford",
    "installd",
)
NO_OUTCOME = "ingen"


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class OutcomeSummary:
    """ "7 av 12 åtaganden genomförda enligt uppföljningen …": the page's first answer."""

    total: int
    done: int
    counts: tuple[StatusCount, ...]
    #: The newest published follow-up any outcome comes from, and whether every
    #: outcome comes from it (then the sentence can name just that one).
    latest_title: str = ""
    latest_date: date | None = None
    single_source: bool = True

    @property
    def segments(self) -> list[tuple[StatusCount, float, float]]:
        """Each status with its x and width on a bar 100 units long."""
        result, x = [], 0.0
        for item in self.counts:
            width = 100 * item.count / self.total if self.total else 0
            result.append((item, round(x, 3), round(width, 3)))
            x += width
        return result

    @property
    def assessed(self) -> int:
        return self.total - next((c.count for c in self.counts if c.status == NO_OUTCOME), 0)


def outcome_summary(commitments: list["CommitmentView"], followups) -> OutcomeSummary:
    from followups.selectors import assessment_status_labels

    labels = assessment_status_labels()
    found: dict[str, int] = {}
    sources: set[int] = set()
    for view in commitments:
        status = view.outcome.status if view.outcome else NO_OUTCOME
        found[status] = found.get(status, 0) + 1
        if view.outcome:
            sources.add(view.outcome.followup_id)
    counts = [
        StatusCount(status, str(labels[status]), found[status])
        for status in STATUS_ORDER
        if found.get(status)
    ]
    if found.get(NO_OUTCOME):
        counts.append(StatusCount(NO_OUTCOME, gettext("Ingen uppgift"), found[NO_OUTCOME]))
    # ``followups`` are newest first: the first that gave an outcome is the latest.
    latest = next((f for f in followups if f.pk in sources), None)
    return OutcomeSummary(
        total=len(commitments),
        done=found.get("genomford", 0),
        counts=tuple(counts),
        latest_title=latest.title if latest else "",
        latest_date=latest.period_end_date if latest else None,
        single_source=len(sources) <= 1,
    )


@dataclass
class GroupView:
    key: str
    party: str
    heading: str
    commitments: list[CommitmentView]


@dataclass
class PromisePage:
    promise: PublishedPromise
    groups: list[GroupView]
    followups: list
    situation: SituationView | None
    activity_progress: dict[int, Progress]
    #: The signed kommuner as they are in the reference data now, for links and feeds.
    municipalities: list

    @property
    def content(self):
        return self.promise.content

    @property
    def commitments(self) -> list[CommitmentView]:
        return [c for group in self.groups for c in group.commitments]

    @cached_property
    def terms(self) -> list[glossary.Term]:
        """The words this page uses that the glossary explains."""
        content = self.content
        return glossary.terms_in(
            content.introduction,
            content.effect_goal.text,
            " ".join(content.theme_names),
            *(c.text for c in content.commitments),
            *(c.condition for c in content.commitments),
            content.followup.cadence_label,
            self.situation.report.summary if self.situation else "",
            "lägesbild kontrollsumma" if self.situation else "kontrollsumma",
        )

    @cached_property
    def summary(self) -> OutcomeSummary:
        return outcome_summary(self.commitments, self.followups)


def promise_page(pk: int) -> PromisePage:
    """``promises.published.NotPublished`` → 404, ``Unverifiable`` → a notice."""
    promise = published_promise(pk)
    followups = published_followups(promise.id)
    outcomes = latest_outcomes(followups)
    activities = public_activities(promise)
    by_commitment: dict[int, list] = {}
    for activity in activities:
        by_commitment.setdefault(activity.commitment_id, []).append(activity)
    groups = [
        GroupView(
            group.key,
            group.party,
            group.heading,
            [
                CommitmentView(
                    c,
                    outcomes.get(c.id),
                    by_commitment.get(c.id, []),
                    period_start=(c.period and c.period.start) or promise.valid_from,
                    period_end=(c.period and c.period.end) or promise.end_date,
                )
                for c in group.commitments
            ],
        )
        for group in promise.groups()
    ]
    situation = promise.content.situation
    return PromisePage(
        promise=promise,
        groups=groups,
        followups=followups,
        situation=situation_view(situation) if situation else None,
        activity_progress=activity_progress(activities, window=signed_window(promise)),
        municipalities=list(
            Organisation.objects.municipalities()
            .filter(municipality_code__in=[m.municipality_code for m in promise.municipalities])
            .order_by("name")
        ),
    )


@dataclass(frozen=True)
class NationalOutcomes:
    """Across every live promise: how many signed commitments the published follow-ups
    report done, by the same rule as each promise page."""

    commitments: int
    statuses: dict[str, int]

    @property
    def done(self) -> int:
        return self.statuses.get("genomford", 0)

    @property
    def assessed(self) -> int:
        return sum(self.statuses.values())

    @property
    def done_percent(self) -> int | None:
        return round(100 * self.done / self.commitments) if self.commitments else None


def national_outcomes(figures: PublicFigures | None = None) -> NationalOutcomes:
    """Two queries, whatever the number of promises, both counted in SQL; one when the
    caller has the national ``PublicFigures`` already (its commitments are the same sum,
    its ids the same live promises)."""
    if figures is None:
        return NationalOutcomes(
            commitments=live_commitment_count(), statuses=latest_public_status_counts()
        )
    return NationalOutcomes(
        commitments=figures.commitments,
        statuses=latest_public_status_counts(figures.promise_ids),
    )
