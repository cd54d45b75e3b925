"""Everything public about one promise, assembled once for the page, the API and the PDF.

Built on the published read model (``promises.published``): the signed
content, its signatures, and what other apps attach to it *on the signed
version's terms* — activities under signed commitments only, progress
against the signed targets and period, published follow-ups, the lägesbild
frozen with the version.
"""

from dataclasses import dataclass, field

from activities.progress import Progress
from activities.selectors import (
    activity_progress,
    public_activities,
    published_progress,
    signed_window,
)
from followups.selectors import published_followups
from organizations.models import Organisation
from promises.published import PublishedPromise, published_promise
from promises.snapshot import SignedCommitment
from situation.frozen import SituationView, situation_view


@dataclass
class CommitmentView:
    """A signed commitment with its progress and planned activities."""

    commitment: SignedCommitment
    progress: Progress | None = None
    activities: list = field(default_factory=list)

    def __getattr__(self, name):
        return getattr(self.commitment, name)


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
    progress = published_progress(promise)
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
                CommitmentView(c, progress.get(c.id), by_commitment.get(c.id, []))
                for c in group.commitments
            ],
        )
        for group in promise.groups()
    ]
    situation = promise.content.situation
    return PromisePage(
        promise=promise,
        groups=groups,
        followups=published_followups(promise.id),
        situation=situation_view(situation) if situation else None,
        activity_progress=activity_progress(activities, window=signed_window(promise)),
        municipalities=list(
            Organisation.objects.municipalities()
            .filter(municipality_code__in=[m.municipality_code for m in promise.municipalities])
            .order_by("name")
        ),
    )
