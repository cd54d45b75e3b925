"""The private storage: files that only members of a partnership may read.

``STORAGES["private"]`` in the settings (a folder outside ``MEDIA_ROOT`` by
default, any storage backend in production). No URL serves it: views stream a
file after checking who asks, so a source document can never leak through a
guessed address.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

ALIAS = "private"


class PrivateStorage(LazyObject):
    """The storage configured as ``STORAGES["private"]``, looked up on first use."""

    def _setup(self):
        self._wrapped = storages[ALIAS]


private_storage = PrivateStorage()


def get_private_storage():
    """For ``FileField(storage=…)``: a callable keeps the alias, not a path, in migrations."""
    return private_storage


@receiver(setting_changed)
def _forget_storage(*, setting, **kwargs):
    # Django resets its own storages when STORAGES changes (tests); this one follows.
    if setting == "STORAGES":
        private_storage._wrapped = empty
