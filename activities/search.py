"""Search documents for the planned activities of a published promise.

Only what the public page shows: the activity's title and description, not
the reports (they can name people and places), and only activities under a
commitment of the live (signed) version: an activity under a commitment that
exists only in a draft is not public.
"""

from activities.models import Activity
from core.search import Document
from promises.search import promise_facets, published_promise_for


def documents(key: str) -> list[Document]:
    promise = published_promise_for(key)
    if promise is None:
        return []
    facets = promise_facets(promise)
    activities = (
        Activity.objects.filter(
            plan__promise_id=promise.id, commitment_id__in=promise.commitment_ids
        )
        .select_related("plan")
        .order_by("plan__year", "order", "pk")
    )
    docs = []
    for activity in activities:
        # Theme and party as signed, not as the working copy says now.
        signed = promise.content.commitment(activity.commitment_id)
        docs.append(
            Document(
                kind="activity",
                title=f"{activity.title} ({activity.plan.year})",
                body=activity.description or activity.title,
                url=f"{promise.url}#atagande-{activity.commitment_id}",
                facets={
                    **facets,
                    "tema": [signed.theme.name] if signed.theme else [],
                    "part": [signed.party],
                    "ar": [str(activity.plan.year)],
                },
                published_at=promise.published_at,
            )
        )
    return docs
