"""Search documents for a published promise: the promise itself and each commitment.

Built from the published read model (the live, verified version), never from
the working copy. The activities' and follow-ups' providers of the same group
share the published promise and its facets (``core.search.memo``): one reindex
reads and verifies the promise once.
"""

from core.publication import Scopes, municipality_scope, promise_scope, register_scopes
from core.search import Document, memo
from organizations.models import Organisation
from promises.models import Promise, PromiseVersion
from promises.published import PublishedPromise, live_promises, try_published_promise


def group_key(promise_id: int) -> str:
    return f"promise:{promise_id}"


def promise_id_of(key: str) -> int | None:
    """The promise id a group key names, or None when it names no promise."""
    prefix, _, rest = key.partition(":")
    if prefix != "promise" or not rest.isascii() or not rest.isdigit() or len(rest) > 18:
        return None
    return int(rest)


def promise_facets(promise: PublishedPromise) -> dict:
    """Filter values of a published promise: kommun and län codes, themes, years, all signed."""
    return memo(("facets", promise.id), lambda: _facets(promise))


def _facets(promise: PublishedPromise) -> dict:
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
    promise_id = promise_id_of(key)
    if promise_id is None:
        return None
    return memo(("published", key), lambda: try_published_promise(promise_id))


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
                [
                    ", ".join(promise.party_names),
                    content.summary_easy_swedish,
                    content.introduction,
                    content.effect_goal.text,
                ]
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


def cache_scopes(key: str) -> Scopes | None:
    """The cached pages that show a promise's group (``core.publication``).

    Its own page always; when what lists show changed, also the pages of every
    kommun any of its versions was signed for, and of the promises it succeeds
    or that succeed it (their pages link to it by its signed title).
    """
    promise_id = promise_id_of(key)
    if promise_id is None:
        return None
    codes: set[str] = set()
    neighbours: set[int] = set()
    rows = PromiseVersion.objects.filter(promise_id=promise_id).values_list(
        "snapshot__predecessor_id", "snapshot__partnership__municipalities"
    )
    for predecessor_id, municipalities in rows:
        if isinstance(predecessor_id, int):
            neighbours.add(predecessor_id)
        for municipality in municipalities or []:
            if isinstance(municipality, dict) and municipality.get("municipality_code"):
                codes.add(municipality["municipality_code"])
    neighbours.update(
        Promise.objects.filter(published_version__snapshot__predecessor_id=promise_id)
        .order_by()
        .values_list("pk", flat=True)
    )
    slugs = (
        Organisation.objects.filter(municipality_code__in=codes)
        .order_by()
        .values_list("slug", flat=True)
        if codes
        else []
    )
    return Scopes(
        own=(promise_scope(promise_id),),
        lists=(
            *(municipality_scope(slug) for slug in sorted(slugs)),
            *(promise_scope(pk) for pk in sorted(neighbours - {promise_id})),
        ),
    )


register_scopes(cache_scopes)
