"""What the parts of the demo share: who acts, and how the history records it."""

from contextlib import contextmanager

import pghistory
from django.contrib.auth import get_user_model

from demo.data import kalmar_2019_2020, katrineholm_2020
from organizations.models import Partnership

#: The two seed documents, in the order the demo enters them.
SEEDS = (kalmar_2019_2020, katrineholm_2020)

#: Per partnership: the kommun's coordinator, who writes, and the kommunpolis, who
#: confirms and reports for the police.
COORDINATORS = {
    kalmar_2019_2020.PARTNERSHIP: ("kalmar-samordnare", "kalmar-kommunpolis"),
    katrineholm_2020.PARTNERSHIP: ("katrineholm-samordnare", "katrineholm-kommunpolis"),
}


def person(username: str):
    """A demo account, read fresh: services memoise roles on the user object."""
    return get_user_model().objects.get(username=username)


@contextmanager
def acting_as(user):
    """Do what the block does as ``user``, and let the history say so.

    Gives the database the same context ``pghistory``'s middleware gives a
    request (``metadata["user"]``), so the history pages name the demo's
    people as they name anyone. Blocks must follow one another, not nest: a
    nested context would relabel the outer one.
    """
    with pghistory.context(user=user.pk):
        yield user


def partnership_of(seed) -> Partnership:
    return Partnership.objects.get(name=seed.PARTNERSHIP)


def municipal_coordinator(seed):
    return person(COORDINATORS[seed.PARTNERSHIP][0])


def police_coordinator(seed):
    return person(COORDINATORS[seed.PARTNERSHIP][1])


def say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)
