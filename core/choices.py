"""Choice labels as plain strings, translated once per language.

``get_FOO_display()`` rebuilds the field's choices into a dict on every call, hashing
each lazy label (a translation lookup apiece): 45 calls on a promise page with its
follow-ups and activities cost more than the rest of their rows.
"""

from functools import cache

from django.db import models
from django.utils.translation import get_language


@cache
def _labels(choices: type[models.Choices], language: str | None) -> dict:
    return {member.value: str(member.label) for member in choices}


def choice_label(choices: type[models.Choices], value) -> str:
    """The label of ``value`` in ``choices``, in the active language; the value itself
    when it is not one of them, as ``get_FOO_display()`` does."""
    return _labels(choices, get_language()).get(value, value)
