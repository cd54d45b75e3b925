"""Everything public about one promise, assembled once for the page, the API and the PDF.

Built on the published read model (``promises.published``): the signed
content, its signatures, and what other apps attach to it *on the signed
version's terms* — activities under signed commitments only, published
follow-ups and, from them, one outcome per commitment (``latest_outcomes``),
the lägesbild frozen with the version.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from activities.progress import Progress
from activities.selectors import activity_progress, public_activities, signed_window
from followups.selectors import published_followups
from organizations.models import Organisation
from promises.published import PublishedPromise, published_promise
from promises.snapshot import SignedCommitment
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
    as_of: date | None


@dataclass
class CommitmentView:
    """A signed commitment with what was reported and its planned activities."""

    commitment: SignedCommitment
    outcome: Outcome | None = None
    activities: list = field(default_factory=list)

    def __getattr__(self, name):
        return getattr(self.commitment, name)


def latest_outcomes(followups) -> dict[int, Outcome]:
    """One rule for the figure the public sees: per commitment, the newest published
    follow-up (``followups`` newest first) that assessed it with a figure or a status
    other than planned. A commitment none has assessed has no outcome: "ingen uppgift"."""
    found: dict[int, Outcome] = {}
    for followup in followups:
        for a in followup.assessments.all():
            if a.commitment_id in found:
                continue
            if a.figure is None and a.status == a.Status.PLANNED and not a.outcome:
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
                as_of=timezone.localdate(followup.published_at) if followup.published_at else None,
            )
    return found


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
                CommitmentView(c, outcomes.get(c.id), by_commitment.get(c.id, []))
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
