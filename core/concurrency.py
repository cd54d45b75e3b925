"""Optimistic locking: no save may silently overwrite another person's save."""

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaleObjectError(Exception):
    """Raised when the row changed after the editor loaded it."""

    message = _("Någon annan har sparat ändringar sedan du öppnade sidan.")

    def __init__(self, current):
        super().__init__(str(self.message))
        #: The row as it is saved now, to show beside what the user typed.
        self.current = current


def save_versioned(instance: models.Model, *, expected_version: int, fields: list[str]) -> None:
    """Save ``fields`` of ``instance`` only if nobody saved since ``expected_version``.

    The compare-and-set is a single UPDATE ... WHERE lock_version = %s, so two
    concurrent requests cannot both win. On success ``instance.lock_version``
    is the new number; on failure ``StaleObjectError`` carries the saved row.
    """
    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    updated = model._base_manager.filter(pk=instance.pk, lock_version=expected_version).update(
        lock_version=F("lock_version") + 1, **values
    )
    if updated != 1:
        raise StaleObjectError(current=model._base_manager.get(pk=instance.pk))
    instance.lock_version = expected_version + 1
