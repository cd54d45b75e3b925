"""What happens when something becomes public: caches and the search index follow at once.

Public pages are cached per "generation"; publishing bumps the generation so
every cached page is stale immediately, without hunting for keys.
"""

from django.core.cache import cache
from django.db import transaction

from core import search

GENERATION_KEY = "public:generation"


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def invalidate_public_pages() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key expired or was never set
        cache.set(GENERATION_KEY, generation() + 1, timeout=None)


def changed(group_key: str) -> None:
    """The one "public data changed" hook for one promise's group.

    Every service that writes something a public surface shows calls it inside
    its transaction; once it commits, the group's search entries are rebuilt
    and cached public pages go stale.
    """

    def after_commit():
        search.reindex(group_key)
        invalidate_public_pages()

    transaction.on_commit(after_commit)


def changed_everywhere() -> None:
    """Something every public page may show changed (an organisation's name): drop the caches."""
    transaction.on_commit(invalidate_public_pages)
