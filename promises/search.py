"""Search documents for a published promise: the promise itself and each commitment.

Built from the signed snapshot, never from the working copy.
"""

from core.search import Document
from promises.models import Promise
from promises.selectors import group_commitments


def group_key(promise_id: int) -> str:
    return f"promise:{promise_id}"


def promise_facets(promise: Promise) -> dict:
    snapshot = promise.published_version.snapshot
    start, end = (
        int(snapshot["valid_from"][:4]),
        int((snapshot["extended_to"] or snapshot["valid_to"])[:4]),
    )
    municipalities = list(promise.partnership.municipalities.all())
    return {
        "kommun": [m.municipality_code for m in municipalities],
        "lan": sorted({m.county.code for m in municipalities}),
        "tema": snapshot["themes"],
        "ar": [str(year) for year in range(start, end + 1)],
    }


def published_promise_for(key: str) -> Promise | None:
    """The published promise a search group key names, or None (not a promise, not public)."""
    if not key.startswith("promise:"):
        return None
    return (
        Promise.objects.published()
        .select_related("published_version")
        .prefetch_related("partnership__municipalities__county")
        .filter(pk=int(key.split(":", 1)[1]))
        .first()
    )


def documents(key: str) -> list[Document]:
    promise = published_promise_for(key)
    if promise is None:
        return []
    snapshot = promise.published_version.snapshot
    facets = promise_facets(promise)
    url = promise.get_public_url()
    parties = [snapshot["partnership"]["police_area"]["name"]] + [
        m["name"] for m in snapshot["partnership"]["municipalities"]
    ]
    docs = [
        Document(
            kind="promise",
            title=snapshot["title"],
            body="\n".join(
                [", ".join(parties), snapshot["introduction"], snapshot["effect_goal"]["text"]]
            ),
            url=url,
            facets={**facets, "part": []},
            published_at=promise.published_at,
        )
    ]
    for group in group_commitments(snapshot):
        for item in group.commitments:
            docs.append(
                Document(
                    kind="commitment",
                    title=f"{group.heading}: {snapshot['title']}",
                    body=item["text"],
                    url=f"{url}#atagande-{item['id']}",
                    facets={
                        **facets,
                        "tema": [item["theme"]] if item["theme"] else [],
                        "part": [item["party"]],
                    },
                    published_at=promise.published_at,
                )
            )
    return docs


def published_group_keys() -> list[str]:
    return [group_key(pk) for pk in Promise.objects.published().values_list("pk", flat=True)]
