"""Abstract building blocks shared by the domain apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A row that several people may edit at once.

    ``lock_version`` is bumped on every save through ``core.concurrency``; a save
    based on an older number is refused instead of overwriting someone else.
    """

    lock_version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True
