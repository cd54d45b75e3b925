"""Helpers shared by the apps' service functions."""

from django.core.exceptions import PermissionDenied


def require(allowed: bool, message: str) -> None:
    """Refuse with ``PermissionDenied(message)`` unless ``allowed``.

    Services re-check permissions themselves, so a view that forgets cannot
    let a change through.
    """
    if not allowed:
        raise PermissionDenied(message)
