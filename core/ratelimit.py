"""A fixed-window counter in the cache, for forms anyone can post (subscribe, password reset)."""

from django.core.cache import cache


def allowed(key: str, limit: int, seconds: int) -> bool:
    """Count one more use of ``key``; False once more than ``limit`` in ``seconds``."""
    if cache.add(key, 1, timeout=seconds):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return True
