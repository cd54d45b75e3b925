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
    """Call inside the publishing transaction; runs once it commits."""

    def after_commit():
        search.reindex(group_key)
        invalidate_public_pages()

    transaction.on_commit(after_commit)
