"""Promises (medborgarlöften), their commitments, frozen versions and signatures.

The working copy (``Promise`` + ``Commitment``) is edited jointly; sending it
for signing freezes a ``PromiseVersion`` (canonical JSON + SHA-256). The public
only ever sees ``Promise.published_version``: a version every required role
has signed. Changing a published promise edits the working copy while the
public keeps seeing the signed version.
"""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.expressions import CombinedExpression
from django.db.models.fields.json import KT, KeyTransform
from django.db.models.functions import Cast, Coalesce, Now
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel, VersionedModel
from core.validators import date_limits
from organizations.models import (
    Area,
    Organisation,
    Partnership,
    PartnershipScopedQuerySet,
    SignatoryRequirement,
    Theme,
)


class PromiseQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"

    def published(self):
        """Promises with a live (signed, published) version.

        Public code does not start here: it reads ``promises.published``, which
        also verifies the live version against its hash.
        """
        return self.filter(published_version__isnull=False)


# Limits that keep a mistake from becoming a page nobody can read or a PDF that takes
# minutes: real promises are a page or two and run one to three years (an extension
# included). Forms and full_clean() both enforce them (a TextField's max_length alone
# reaches only the form).
LONGEST_PERIOD_YEARS = 10
INTRODUCTION_MAX_LENGTH = 20_000
EFFECT_GOAL_MAX_LENGTH = 4_000
SUMMARY_MAX_LENGTH = 4_000
COMMITMENT_MAX_LENGTH = 2_000
NOTE_MAX_LENGTH = 2_000


def _text_limit(length: int) -> dict:
    return {"max_length": length, "validators": [MaxLengthValidator(length)]}


@pghistory.track(exclude=["updated_at"])
class Promise(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "utkast", _("Utkast")
        AWAITING_SIGNATURES = "klar_for_signering", _("Klar för signering")
        AWAITING_PAPER = "papper_bekraftas", _("Pappersunderskrifter väntar på bekräftelse")
        PUBLISHED = "publicerad", _("Publicerad")
        ENDED = "avslutad", _("Avslutad")

    class Cadence(models.TextChoices):
        TERTIAL = "tertial", _("Tre gånger per år (tertial)")
        QUARTERLY = "kvartal", _("Fyra gånger per år (kvartal)")
        HALF_YEARLY = "halvar", _("Två gånger per år (halvår)")
        YEARLY = "ar", _("En gång per år")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="promises", verbose_name=_("samverkan")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    valid_from_date = models.DateField(_("gäller från"), validators=date_limits())
    valid_to_date = models.DateField(_("gäller till"), validators=date_limits())
    extended_to_date = models.DateField(
        _("förlängt till"),
        null=True,
        blank=True,
        validators=date_limits(),
        help_text=_("Fyll i om löftet har förlängts efter den ursprungliga perioden."),
    )
    introduction = models.TextField(
        _("inledning"), blank=True, **_text_limit(INTRODUCTION_MAX_LENGTH)
    )
    # Written by the coordinators and signed with the rest: the public reads them
    # beside the full text, each marked with its language.
    summary_easy_swedish = models.TextField(
        _("lättläst sammanfattning"),
        blank=True,
        **_text_limit(SUMMARY_MAX_LENGTH),
        help_text=_(
            "Vad löftet betyder för den som bor här, på lättläst svenska: korta meningar, "
            "vanliga ord, en sak i taget."
        ),
    )
    summary_english = models.TextField(
        _("sammanfattning på engelska"),
        blank=True,
        **_text_limit(SUMMARY_MAX_LENGTH),
        help_text=_("En kort sammanfattning på engelska för den som inte läser svenska."),
    )
    effect_goal = models.TextField(
        _("effektmål"), blank=True, **_text_limit(EFFECT_GOAL_MAX_LENGTH)
    )
    effect_indicator = models.CharField(_("indikator för effektmålet"), max_length=200, blank=True)
    effect_baseline = models.CharField(_("utgångsvärde"), max_length=120, blank=True)
    effect_target = models.CharField(_("målvärde"), max_length=120, blank=True)
    effect_target_year = models.PositiveSmallIntegerField(_("målår"), null=True, blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="promises", verbose_name=_("teman")
    )
    areas = models.ManyToManyField(
        Area, blank=True, related_name="promises", verbose_name=_("områden")
    )
    followup_cadence = models.CharField(
        _("uppföljning, hur ofta"), max_length=10, choices=Cadence.choices, default=Cadence.TERTIAL
    )
    followup_channels = models.CharField(
        _("uppföljning, var den redovisas"),
        max_length=300,
        blank=True,
        help_text=_("Till exempel ”polisens och kommunens webbsidor samt Facebook”."),
    )
    decision_reference = models.CharField(
        _("beslut (diarienummer)"),
        max_length=60,
        blank=True,
        help_text=_("Till exempel ”KS 2018/1249”."),
    )
    situation_report = models.ForeignKey(
        "situation.SituationReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
        verbose_name=_("lägesbild"),
        help_text=_("Lägesbilden som löftet bygger på."),
    )
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("föregående löfte"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    # The live version: what the public reads, whatever the workflow is doing.
    # An amendment moves ``status`` back to draft and leaves this untouched
    # until a new version is signed (Wagtail's ``live_revision``).
    published_version = models.OneToOneField(
        "PromiseVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("publicerad version"),
    )
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True, editable=False)

    objects = PromiseQuerySet.as_manager()

    class Meta:
        verbose_name = _("medborgarlöfte")
        verbose_name_plural = _("medborgarlöften")
        ordering = ["-valid_from_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to_date__gte=models.F("valid_from_date")),
                name="promise_period_ordered",
                violation_error_message=_("Perioden kan inte sluta innan den börjar."),
            ),
            models.CheckConstraint(
                condition=Q(extended_to_date__isnull=True)
                | Q(extended_to_date__gt=models.F("valid_to_date")),
                name="promise_extension_after_end",
                violation_error_message=_(
                    "En förlängning måste sluta efter den ursprungliga perioden."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="publicerad") | Q(published_version__isnull=False),
                name="promise_published_has_version",
                violation_error_message=_("Ett publicerat löfte måste ha en signerad version."),
            ),
        ]
        indexes = [
            # The newest published first (the start page's five, the national feed): read
            # in this order and checked one at a time until enough are found, instead of
            # checking the signatures of every live promise and sorting them (13 ms → 0.4).
            models.Index(
                models.F("published_at").desc(nulls_last=True),
                models.F("id").desc(),
                name="promise_newest_published",
                condition=Q(published_version__isnull=False),
            ),
            # Every live promise, for the national figures, read from the index alone
            # instead of from the promises' wide rows.
            models.Index(
                fields=["published_version"],
                include=["id", "published_at"],
                name="promise_live",
                condition=Q(published_version__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        start, end = self.valid_from_date, self.end_date
        if start and end and end > start:
            try:
                latest = start.replace(year=start.year + LONGEST_PERIOD_YEARS)
            except ValueError:  # 29 February
                latest = start.replace(year=start.year + LONGEST_PERIOD_YEARS, day=28)
            if end >= latest:
                field = "extended_to_date" if self.extended_to_date else "valid_to_date"
                raise ValidationError(
                    {
                        field: _(
                            "Ett medborgarlöfte kan gälla i högst %(years)d år, förlängningen "
                            "inräknad. Skriv ett nytt löfte för perioden efter."
                        )
                        % {"years": LONGEST_PERIOD_YEARS}
                    },
                    code="period_too_long",
                )

    def get_absolute_url(self):
        return reverse("promises:promise-detail", kwargs={"pk": self.pk})

    def get_public_url(self):
        return reverse("public:promise-detail", kwargs={"pk": self.pk})

    @property
    def end_date(self):
        return self.extended_to_date or self.valid_to_date

    @property
    def is_editable(self) -> bool:
        """The working copy can be changed only while it is a draft."""
        return self.status == self.Status.DRAFT

    @property
    def is_live(self) -> bool:
        """The public reads a signed version of this promise."""
        return self.published_version_id is not None

    @property
    def has_unpublished_changes(self) -> bool:
        """A live promise whose working copy is being amended or awaits new signatures."""
        return self.is_live and self.status in (
            self.Status.DRAFT,
            self.Status.AWAITING_SIGNATURES,
            self.Status.AWAITING_PAPER,
        )

    @property
    def followups_per_year(self) -> int:
        return {"tertial": 3, "kvartal": 4, "halvar": 2, "ar": 1}[self.followup_cadence]

    def current_version(self):
        """The newest frozen version, or None."""
        return self.versions.order_by("-number").first()


class CurrentCommitmentManager(models.Manager):
    """The working copy: commitments not removed from the promise.

    A commitment removed after it was frozen into a version is archived, not
    deleted, because the signed versions, activities, reports and follow-ups
    that refer to it must stay whole. ``Commitment.all_objects`` sees both.
    """

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


# Deletions are tracked too, so the history can say when a commitment was removed.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["updated_at"],
)
class Commitment(VersionedModel):
    """One löfte / åtagande within a promise, owned by a set of the partnership's parties.

    ``party`` (police, municipality, joint, other) and the heading a document
    uses follow from the set (``promises.owners``). A commitment may hold for
    part of the promise's period, e.g. the year a promise was extended by.
    """

    class Party(models.TextChoices):
        POLICE = "police", _("Polisen")
        MUNICIPALITY = "municipality", _("Kommunen")
        JOINT = "joint", _("Tillsammans")
        OTHER = "other", _("Annan part")

    class Period(models.TextChoices):
        WHOLE = "period", _("under perioden")
        YEAR = "ar", _("per år")
        TERTIAL = "tertial", _("per tertial")
        MONTH = "manad", _("per månad")
        WEEK = "vecka", _("per vecka")

    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("löfte")
    )
    owners = models.ManyToManyField(
        Organisation,
        related_name="+",
        verbose_name=_("vem som lovar"),
        help_text=_("Polisen, en eller flera kommuner, andra parter – eller flera tillsammans."),
    )
    text = models.TextField(_("löftet"), **_text_limit(COMMITMENT_MAX_LENGTH))
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("tema"),
    )
    areas = models.ManyToManyField(
        Area, blank=True, related_name="commitments", verbose_name=_("områden")
    )
    target_quantity = models.PositiveIntegerField(_("mål, antal"), null=True, blank=True)
    target_unit = models.CharField(
        _("mål, enhet"),
        max_length=80,
        blank=True,
        help_text=_("Till exempel ”trygghetsvandringar”."),
    )
    target_period = models.CharField(
        _("mål, per"), max_length=10, choices=Period.choices, default=Period.WHOLE
    )
    target_per_area = models.BooleanField(
        _("mål per område"), default=False, help_text=_("Målet gäller i vart och ett av områdena.")
    )
    condition = models.CharField(
        _("villkor"),
        max_length=300,
        blank=True,
        help_text=_("Till exempel ”om boende efterfrågar trygghetsvandringar”."),
    )
    findings = models.ManyToManyField(
        "situation.Finding",
        blank=True,
        related_name="commitments",
        verbose_name=_("svarar mot fynd"),
        help_text=_("Fynden i lägesbilden som åtagandet svarar mot: varför vi lovar detta."),
    )
    period_start_date = models.DateField(
        _("gäller från"),
        null=True,
        blank=True,
        help_text=_("Lämna tomt om åtagandet gäller hela löftets period."),
    )
    period_end_date = models.DateField(_("gäller till"), null=True, blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    archived_at = models.DateTimeField(
        _("borttaget ur löftet"), null=True, blank=True, editable=False
    )

    objects = CurrentCommitmentManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        ordering = ["promise", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start_date__isnull=True)
                | Q(period_end_date__isnull=True)
                | Q(period_end_date__gte=models.F("period_start_date")),
                name="commitment_period_ordered",
                violation_error_message=_("Åtagandets period kan inte sluta innan den börjar."),
            ),
            models.CheckConstraint(
                condition=Q(target_quantity__isnull=True) | ~Q(target_unit=""),
                name="commitment_target_has_unit",
                violation_error_message=_(
                    "Ett mål behöver en enhet, till exempel ”trygghetsvandringar”."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="commitment_text_not_empty",
                violation_error_message=_("Skriv vad som lovas."),
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return f"{self.promise.get_absolute_url()}#atagande-{self.pk}"

    def owner_list(self) -> list:
        """The owners, sorted (uses prefetched ``owners``)."""
        return sorted(self.owners.all(), key=lambda org: (org.kind != "lokalpolisomrade", org.name))

    @property
    def party(self) -> str:
        from promises.owners import party_of

        return party_of(self.owners.all())

    @property
    def party_label(self) -> str:
        from promises.owners import label

        return label(self.owner_list())

    @property
    def heading(self) -> str:
        from promises.owners import heading

        return heading(self.owner_list())

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def target_text(self) -> str:
        """The target as a sentence in the active language ("minst 2 … per år")."""
        if self.target_quantity is None:
            return ""
        from promises.snapshot import Target

        return Target(
            quantity=self.target_quantity,
            unit=self.target_unit,
            period=self.target_period,
            per_area=self.target_per_area,
        ).text()


class ChainedRecord(models.Model):
    """A row in a promise's hash chain: versions and signatures, in the order written.

    ``chain_sha256`` = SHA-256 of ``previous_sha256`` followed by the SHA-256
    of this record's canonical content (``promises.chain``). Rewriting or
    removing a record breaks every link after it.
    """

    chain_position = models.PositiveIntegerField(_("plats i kedjan"))
    previous_sha256 = models.CharField(_("föregående länk (SHA-256)"), max_length=64)
    chain_sha256 = models.CharField(_("länk (SHA-256)"), max_length=64)

    class Meta:
        abstract = True


class JsonPath(models.Func):
    """``jsonb_path_query_array(expression, 'path')``: IMMUTABLE, so fit for a stored
    generated column. ``path`` is a constant of this module, never user input."""

    function = "jsonb_path_query_array"
    template = "%(function)s(%(expressions)s, '%(path)s')"
    output_field = models.JSONField()

    def __init__(self, expression, path: str, **extra):
        if "'" in path:
            raise ValueError("a JSON path here may not contain a single quote")
        super().__init__(expression, path=path, **extra)


class IsoDate(models.Func):
    """A snapshot's ISO date (``"2020-01-01"``) as a date, NULL when absent or invalid.

    ``medborgarlofte_iso_date`` is migration 0011's IMMUTABLE function: a plain
    cast to ``date`` is only STABLE (it reads ``DateStyle``, which cannot change
    the meaning of an ISO date).
    """

    function = "medborgarlofte_iso_date"
    output_field = models.DateField()


class DistinctTexts(models.Func):
    """A JSON array's strings as a ``text[]``, each once, sorted.

    ``medborgarlofte_distinct_texts`` is migration 0013's IMMUTABLE function. The
    national figures count each theme once per promise: unnesting a stored
    de-duplicated array is a few milliseconds cheaper per page than taking a JSON
    array apart and de-duplicating (promise, name) over every live version.
    """

    function = "medborgarlofte_distinct_texts"
    output_field = ArrayField(models.TextField())


def _theme_names():
    # Schema 2 names themes as objects, schema 1 as plain names: both, as names.
    return CombinedExpression(
        JsonPath("snapshot", '$.themes[*] ? (@.type() == "object").name'),
        "||",
        JsonPath("snapshot", '$.themes[*] ? (@.type() == "string")'),
        output_field=models.JSONField(),
    )


def _municipality_codes():
    return JsonPath("snapshot", "$.partnership.municipalities[*].municipality_code")


def _signed_column(expression, output_field, verbose_name):
    """A copy of one part of the signed snapshot, computed by PostgreSQL on INSERT.

    Lists, filters and figures read these small columns instead of taking apart
    every live snapshot (a detoast of the whole JSON per path and row). They can
    never differ from ``snapshot``: a generated column is not writable, and a row
    rewritten past the triggers recomputes it.
    """
    return models.GeneratedField(
        expression=expression,
        output_field=output_field,
        db_persist=True,
        verbose_name=verbose_name,
    )


class PromiseVersionQuerySet(models.QuerySet):
    def intact(self):
        """Versions whose stored text still hashes to the recorded SHA-256 (checked in SQL).

        Also requires the queryable copy of the content to equal the hashed
        text, and every signature to carry the version's hash.
        """
        from promises.integrity import intact_version_condition

        return self.filter(*intact_version_condition(""))


class PromiseVersion(ChainedRecord):
    """An immutable snapshot of a promise at the moment it was sent for signing.

    ``content`` is the canonical JSON exactly as hashed and signed; ``snapshot``
    is the same data as ``jsonb`` for queries. The database refuses UPDATE and
    DELETE (migration ``0004``); pages, API, PDF and ``verify_signatures``
    check the hash whenever they present a version.
    """

    promise = models.ForeignKey(
        Promise, on_delete=models.PROTECT, related_name="versions", verbose_name=_("löfte")
    )
    number = models.PositiveIntegerField(_("versionsnummer"))
    content = models.TextField(_("signerad text (kanonisk JSON)"))
    snapshot = models.JSONField(_("innehåll"))
    content_sha256 = models.CharField(_("SHA-256"), max_length=64)
    # Recomputed by PostgreSQL on every INSERT and UPDATE and never writable,
    # so a row rewritten past the triggers shows here too. Lists filter on it
    # instead of hashing every row per query; the Python checks
    # (``promises.integrity``) still recompute everything themselves.
    # ``medborgarlofte_sha256_hex`` is migration 0010's IMMUTABLE wrapper
    # around ``encode(sha256(convert_to(…)))`` (``convert_to`` is only STABLE).
    content_intact = models.GeneratedField(
        expression=Q(
            Exact(
                models.Func(
                    "content", function="medborgarlofte_sha256_hex", output_field=models.TextField()
                ),
                models.F("content_sha256"),
            )
        )
        & Q(Exact(Cast("content", models.JSONField()), models.F("snapshot"))),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("innehållet stämmer med sin SHA-256"),
    )
    signed_title = _signed_column(KT("snapshot__title"), models.TextField(), _("signerad rubrik"))
    signed_from = _signed_column(
        IsoDate(KT("snapshot__valid_from")), models.DateField(), _("signerad från")
    )
    signed_valid_to = _signed_column(
        IsoDate(KT("snapshot__valid_to")), models.DateField(), _("signerad till")
    )
    signed_extended_to = _signed_column(
        IsoDate(KT("snapshot__extended_to")), models.DateField(), _("signerad förlängning")
    )
    signed_end = _signed_column(
        Coalesce(IsoDate(KT("snapshot__extended_to")), IsoDate(KT("snapshot__valid_to"))),
        models.DateField(),
        _("signerad periods slut"),
    )
    signed_municipalities = _signed_column(
        KeyTransform("municipalities", KeyTransform("partnership", "snapshot")),
        models.JSONField(),
        _("signerade kommuner"),
    )
    signed_municipality_codes = _signed_column(
        _municipality_codes(), models.JSONField(), _("signerade kommunkoder")
    )
    #: The same codes as a ``text[]``, each once: what the national figures unnest.
    signed_municipality_code_set = _signed_column(
        DistinctTexts(_municipality_codes()),
        ArrayField(models.TextField()),
        _("signerade kommunkoder, var och en en gång"),
    )
    signed_police_area = _signed_column(
        KeyTransform("police_area", KeyTransform("partnership", "snapshot")),
        models.JSONField(),
        _("signerat lokalpolisområde"),
    )
    signed_partners = _signed_column(
        KeyTransform("other_partners", KeyTransform("partnership", "snapshot")),
        models.JSONField(),
        _("signerade andra parter"),
    )
    signed_theme_names = _signed_column(_theme_names(), models.JSONField(), _("signerade teman"))
    #: The theme names as a ``text[]``, each once (a kommun's own theme may share a
    #: shared theme's name): what the national figures count per promise.
    signed_theme_set = _signed_column(
        DistinctTexts(_theme_names()),
        ArrayField(models.TextField()),
        _("signerade teman, vart och ett en gång"),
    )
    signed_commitment_ids = _signed_column(
        JsonPath("snapshot", "$.commitments[*].id"),
        models.JSONField(),
        _("signerade åtagandens id"),
    )
    # What the successor links of a promise page look up: which live versions name it.
    signed_predecessor_id = _signed_column(
        Cast(KT("snapshot__predecessor_id"), models.IntegerField()),
        models.IntegerField(),
        _("signerat föregående löfte"),
    )
    signed_cadence = _signed_column(
        KT("snapshot__followup__cadence"), models.TextField(), _("signerad uppföljningstakt")
    )
    created_at = models.DateTimeField(_("skapad"), db_default=Now())
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )

    objects = PromiseVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("löftesversion")
        verbose_name_plural = _("löftesversioner")
        ordering = ["promise", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "number"], name="promise_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(content_sha256__regex=r"^[0-9a-f]{64}$"),
                name="promise_version_sha256_hex",
            ),
            models.UniqueConstraint(
                fields=["promise", "chain_position"], name="promise_version_chain_position_unique"
            ),
        ]
        indexes = [
            GinIndex(fields=["signed_municipality_codes"], name="promise_version_kommuner_gin"),
            models.Index(fields=["signed_predecessor_id"], name="promise_version_predecessor"),
        ]

    def __str__(self):
        return f"{self.promise} – version {self.number}"

    def is_intact(self) -> bool:
        """True when the stored text still hashes to the recorded value and matches the data."""
        from promises.integrity import version_problems

        return not version_problems(self, signatures=[])


class SignatureQuerySet(models.QuerySet):
    def for_hash(self, version):
        return self.filter(version=version, content_sha256=version.content_sha256)


class Signature(ChainedRecord):
    """An append-only record that someone signed one exact version.

    Who, in which role and organisation, are copied at signing time so later
    changes to users or organisations do not rewrite history, and an account
    can be erased while the signature keeps the name. A database trigger
    refuses UPDATE and DELETE (migration ``0004``).
    """

    class Method(models.TextChoices):
        PASSWORD = "losenord", _("Digitalt, med lösenord")
        PASSWORD_TOTP = "losenord_totp", _("Digitalt, med lösenord och kod från app")
        PASSWORD_PASSKEY = "losenord_nyckel", _("Digitalt, med lösenord och säkerhetsnyckel")
        PASSWORD_RECOVERY = "losenord_reservkod", _("Digitalt, med lösenord och reservkod")
        PAPER = "papper", _("På papper")

    version = models.ForeignKey(
        PromiseVersion,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("version"),
    )
    # PROTECT, not SET_NULL: the row can never be updated, so the database
    # would refuse SET_NULL anyway; PROTECT says why before it gets there.
    requirement = models.ForeignKey(
        SignatoryRequirement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("krav"),
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("undertecknare"),
    )
    signer_name = models.CharField(_("namn"), max_length=200)
    signer_title = models.CharField(_("roll"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(_("organisationens namn"), max_length=200)
    content_sha256 = models.CharField(_("signerad SHA-256"), max_length=64)
    method = models.CharField(_("metod"), max_length=20, choices=Method.choices)
    signed_at = models.DateTimeField(_("signerad (databastid)"), db_default=Now())
    signed_on_date = models.DateField(_("datum på papperet"), null=True, blank=True)
    place = models.CharField(_("ort"), max_length=120, blank=True)
    #: For a paper signature: the SHA-256 of the scanned signed page it was recorded from.
    evidence_sha256 = models.CharField(_("skanningens SHA-256"), max_length=64, blank=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        ordering = ["version", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "requirement"],
                condition=Q(requirement__isnull=False),
                name="signature_one_per_requirement",
                violation_error_message=_("Den rollen har redan signerat versionen."),
            ),
            models.CheckConstraint(
                condition=Q(method="papper") | Q(signer__isnull=False),
                name="signature_digital_has_signer",
            ),
        ]
        indexes = [
            # Every public read checks that each signature of the live version carries its
            # hash: from the index alone, not the signature rows.
            models.Index(fields=["version", "content_sha256"], name="signature_version_hash"),
        ]

    def __str__(self):
        return f"{self.signer_name}, {self.signer_title}"

    @property
    def display_date(self):
        """The date to show: the paper's own date, or the database time of a digital signature.

        None for a paper signature whose document carries no date.
        """
        if self.method == self.Method.PAPER:
            return self.signed_on_date
        return self.signed_at.date()


class PromiseTransition(models.Model):
    """The transition log: who moved the promise from one state to another, and when.

    Append-only: a database trigger refuses UPDATE and DELETE (migration ``0004``).
    """

    class Kind(models.TextChoices):
        CREATED = "skapat", _("Skapat")
        SUBMITTED = "skickat", _("Skickat för signering")
        RETURNED = "atertaget", _("Återtaget till utkast")
        SIGNED = "signerat", _("Signerat")
        PUBLISHED = "publicerat", _("Publicerat")
        AMENDED = "andras", _("Ändring påbörjad")
        ENDED = "avslutat", _("Avslutat")
        PAPER = "papper", _("Pappersunderskrifter registrerade")
        PAPER_CONFIRMED = "papper_bekraftat", _("Pappersunderskrifter bekräftade")

    promise = models.ForeignKey(
        Promise, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("löfte")
    )
    version = models.ForeignKey(
        PromiseVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transitions",
        verbose_name=_("version"),
    )
    kind = models.CharField(_("händelse"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(_("från"), max_length=20, blank=True)
    to_status = models.CharField(_("till"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utförd av"),
    )
    note = models.TextField(_("kommentar"), blank=True)
    at = models.DateTimeField(_("tidpunkt"), db_default=Now())

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["promise", "at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.promise}"


def paper_scan_path(instance, filename: str) -> str:
    """Scans are stored under their own hash: nothing can be swapped in under the same name."""
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
        instance.scan_content_type, "bin"
    )
    return f"pappersunderskrifter/{instance.promise_id}/{instance.scan_sha256}.{extension}"


@pghistory.track(exclude=["updated_at"])
class PaperSigning(TimeStampedModel):
    """A document signed on paper, recorded by one party and confirmed by the other.

    One coordinator records who signed (names, titles, date and place), uploads
    the scan or photo of the signed page and freezes the draft as a version; a
    coordinator of the other party checks the scan against the version and
    confirms. Only then are the signatures recorded and the promise published.
    """

    class Status(models.TextChoices):
        PENDING = "vantar", _("Väntar på bekräftelse")
        CONFIRMED = "bekraftad", _("Bekräftad")
        REJECTED = "avvisad", _("Avvisad")

    promise = models.ForeignKey(
        Promise, on_delete=models.PROTECT, related_name="paper_signings", verbose_name=_("löfte")
    )
    version = models.OneToOneField(
        PromiseVersion,
        on_delete=models.PROTECT,
        related_name="paper_signing",
        verbose_name=_("version"),
    )
    #: ``[{"requirement_id", "name", "title", "date", "place"}]`` as the recorder typed them.
    signatures = models.JSONField(_("underskrifter"))
    scan = models.FileField(_("skanning"), upload_to=paper_scan_path, max_length=200)
    scan_sha256 = models.CharField(_("skanningens SHA-256"), max_length=64)
    scan_content_type = models.CharField(_("filtyp"), max_length=40)
    scan_size = models.PositiveIntegerField(_("storlek (byte)"))
    note = models.TextField(_("kommentar"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    recorded_by_name = models.CharField(_("registrerad av (namn)"), max_length=200)
    recorded_for = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerad för"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bekräftad eller avvisad av"),
    )
    decided_by_name = models.CharField(
        _("bekräftad eller avvisad av (namn)"), max_length=200, blank=True
    )
    decided_for = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("för organisationen"),
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    decision_note = models.TextField(_("motivering"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("pappersunderskrift")
        verbose_name_plural = _("pappersunderskrifter")
        ordering = ["promise", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise"],
                condition=Q(status="vantar"),
                name="paper_signing_one_pending_per_promise",
            ),
            models.CheckConstraint(
                condition=Q(scan_sha256__regex=r"^[0-9a-f]{64}$"),
                name="paper_signing_scan_sha256_hex",
            ),
        ]

    def __str__(self):
        return f"{self.promise} – version {self.version.number} ({self.get_status_display()})"
