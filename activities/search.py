"""Search documents for the planned activities of a published promise.

Only what the public page shows: the activity's title and description, not
the reports (they can name people and places).
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
        Activity.objects.published()
        .filter(plan__promise=promise)
        .select_related("commitment__theme", "plan")
        .order_by("plan__year", "order", "pk")
    )
    return [
        Document(
            kind="activity",
            title=f"{activity.title} ({activity.plan.year})",
            body=activity.description or activity.title,
            url=f"{promise.get_public_url()}#atagande-{activity.commitment_id}",
            facets={
                **facets,
                "tema": [activity.commitment.theme.name] if activity.commitment.theme else [],
                "part": [activity.commitment.party],
                "ar": [str(activity.plan.year)],
            },
            published_at=promise.published_at,
        )
        for activity in activities
    ]
