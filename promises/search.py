"""Search documents for a published promise: the promise itself and each commitment.

Built from the published read model (the live, verified version), never from
the working copy.
"""

from core.search import Document
from organizations.models import Organisation
from promises.published import PublishedPromise, live_promises, try_published_promise


def group_key(promise_id: int) -> str:
    return f"promise:{promise_id}"


def promise_facets(promise: PublishedPromise) -> dict:
    """Filter values of a published promise: kommun and län codes, themes, years, all signed."""
    codes = [m.municipality_code for m in promise.municipalities if m.municipality_code]
    counties = (
        Organisation.objects.municipalities()
        .filter(municipality_code__in=codes)
        .values_list("county__code", flat=True)
        .order_by()
    )
    return {
        "kommun": codes,
        "lan": sorted(set(counties)),
        "tema": promise.content.theme_names,
        "ar": [str(year) for year in range(promise.valid_from.year, promise.end_date.year + 1)],
    }


def published_promise_for(key: str) -> PublishedPromise | None:
    """The published promise a search group key names, or None (not a promise, not public)."""
    if not key.startswith("promise:"):
        return None
    return try_published_promise(int(key.split(":", 1)[1]))


def documents(key: str) -> list[Document]:
    promise = published_promise_for(key)
    if promise is None:
        return []
    content = promise.content
    facets = promise_facets(promise)
    docs = [
        Document(
            kind="promise",
            title=content.title,
            body="\n".join(
                [", ".join(promise.party_names), content.introduction, content.effect_goal.text]
            ),
            url=promise.url,
            facets={**facets, "part": []},
            published_at=promise.published_at,
        )
    ]
    for group in promise.groups():
        for item in group.commitments:
            docs.append(
                Document(
                    kind="commitment",
                    title=f"{group.heading}: {content.title}",
                    body=item.text,
                    url=f"{promise.url}#atagande-{item.id}",
                    facets={
                        **facets,
                        "tema": [item.theme.name] if item.theme else [],
                        "part": [item.party],
                    },
                    published_at=promise.published_at,
                )
            )
    return docs


def published_group_keys() -> list[str]:
    return [group_key(pk) for pk in live_promises().order_by("pk").values_list("pk", flat=True)]
