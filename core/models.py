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

    Two indexed vectors: ``document``, Swedish full text (stemming, so
    inflections match), and ``parts``, every ending of every word (``simple``
    configuration, no stemming), so that a term searched as a prefix of an
    ending finds it anywhere inside a word: "löfte" finds "medborgarlöfte",
    "brott" finds "ungdomsbrottslighet". Both are GIN indexes of core
    PostgreSQL, so the embedded server (no contrib extensions) uses them too.
    ``digest`` lets a reindex leave unchanged entries alone.
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
    parts = SearchVectorField(_("ordens delar"), null=True, editable=False)
    digest = models.CharField(_("kontrollsumma"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("sökpost")
        verbose_name_plural = _("sökposter")
        ordering = ["pk"]
        indexes = [
            GinIndex(fields=["document"], name="searchentry_document_gin"),
            GinIndex(fields=["parts"], name="searchentry_parts_gin"),
            GinIndex(fields=["facets"], name="searchentry_facets_gin"),
            # The order of the matches found only inside words (``core.search.Hits``).
            models.Index(fields=["-published_at", "id"], name="searchentry_newest"),
        ]

    def __str__(self):
        return self.title


class SearchPending(models.Model):
    """A group whose public data changed and whose search entries may not be rebuilt yet.

    Written in the same transaction as the change (``core.publication``) and
    removed once the group is reindexed, so a process that dies between the
    commit and the reindex leaves this row behind for ``core.search.repair``.
    """

    group_key = models.CharField(_("grupp"), max_length=60, unique=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("sökgrupp att indexera")
        verbose_name_plural = _("sökgrupper att indexera")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.group_key
