"""Abstract building blocks shared by the domain apps."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
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


class SearchEntry(models.Model):
    """One published, searchable text: a promise, a commitment, an activity, a follow-up.

    Domain-free: apps register providers in ``core.search`` that turn what the
    public may read into entries; nothing unpublished is ever written here, so
    search cannot leak drafts. ``facets`` carries filter values (kommun and län
    codes, themes, years, party).
    """

    kind = models.CharField(_("typ"), max_length=30)
    group_key = models.CharField(_("grupp"), max_length=60, db_index=True)
    title = models.CharField(_("rubrik"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("adress"), max_length=300)
    facets = models.JSONField(_("filtervärden"), default=dict)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    document = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="swedish")
        + SearchVector("body", weight="B", config="swedish"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("sökpost")
        verbose_name_plural = _("sökposter")
        ordering = ["pk"]
        indexes = [
            GinIndex(fields=["document"], name="searchentry_document_gin"),
            GinIndex(fields=["facets"], name="searchentry_facets_gin"),
        ]

    def __str__(self):
        return self.title
