"""Follow-ups (uppföljningar): one per period of the promise's follow-up plan.

A follow-up is scheduled (``planerad``) from the promise's cadence, becomes a
draft pre-filled per commitment with promised vs done from the period's
reports, is assessed and written by the coordinators, approved by one
coordinator on the police side and one on the municipal side, and then
published. The public sees only published follow-ups of published promises.
"""

import pghistory
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import choice_label
from core.models import TimeStampedModel, VersionedModel
from organizations.models import Organisation, PartnershipScopedQuerySet
from promises.models import Commitment, Promise

# Longest texts, in characters: a follow-up's narrative is a page or two written for
# residents, an assessment a paragraph. Forms and full_clean() both enforce them.
NARRATIVE_MAX_LENGTH = 10_000
ASSESSMENT_MAX_LENGTH = 4_000


def _text_limit(length: int) -> dict:
    return {"max_length": length, "validators": [MaxLengthValidator(length)]}


class FollowUpQuerySet(PartnershipScopedQuerySet):
    partnership_path = "promise__partnership"

    def published(self):
        """What the public may read: published follow-ups of published promises."""
        return self.filter(
            status=FollowUp.Status.PUBLISHED, promise__published_version__isnull=False
        )

    def unpublished(self):
        return self.exclude(status=FollowUp.Status.PUBLISHED)


@pghistory.track(exclude=["updated_at"])
class FollowUp(VersionedModel):
    class Status(models.TextChoices):
        PLANNED = "planerad", _("Planerad")
        DRAFT = "utkast", _("Utkast")
        APPROVED = "godkand", _("Godkänd av båda parter")
        PUBLISHED = "publicerad", _("Publicerad")

    promise = models.ForeignKey(
        Promise, on_delete=models.PROTECT, related_name="followups", verbose_name=_("löfte")
    )
    title = models.CharField(_("period"), max_length=120, help_text=_("Till exempel ”Tertial 1”."))
    period_start_date = models.DateField(_("perioden börjar"))
    period_end_date = models.DateField(_("perioden slutar"))
    due_date = models.DateField(_("ska vara klar"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, editable=False
    )
    narrative = models.TextField(
        _("sammanfattning"),
        blank=True,
        help_text=_("Vad som har hänt under perioden, skrivet för invånarna."),
        **_text_limit(NARRATIVE_MAX_LENGTH),
    )
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True, editable=False)
    reminder_sent_date = models.DateField(
        _("senaste påminnelse"), null=True, blank=True, editable=False
    )
    is_example = models.BooleanField(
        _("exempeldata"),
        default=False,
        help_text=_("Påhittat innehåll för demonstration, inte vad parterna faktiskt gjort."),
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["promise", "period_start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "period_start_date"],
                name="followup_one_per_period",
                violation_error_message=_("Det finns redan en uppföljning för den perioden."),
            ),
            models.CheckConstraint(
                condition=Q(period_end_date__gte=models.F("period_start_date")),
                name="followup_period_ordered",
                violation_error_message=_("Perioden kan inte sluta innan den börjar."),
            ),
            models.CheckConstraint(
                condition=~Q(status="publicerad") | Q(published_at__isnull=False),
                name="followup_published_has_time",
            ),
        ]
        indexes = [
            # The newest published follow-ups (the start page, the feeds): read in this
            # order, a LIMIT stops after the few it needs instead of sorting them all.
            models.Index(
                models.F("published_at").desc(nulls_last=True),
                models.F("id").desc(),
                condition=Q(status="publicerad"),
                name="followup_published_newest",
            ),
        ]

    def __str__(self):
        return f"{self.title} – {self.promise}"

    def get_absolute_url(self):
        return reverse("followups:followup-detail", kwargs={"pk": self.pk})

    @property
    def public_anchor(self) -> str:
        return f"uppfoljning-{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.APPROVED)


@pghistory.track(exclude=["updated_at"])
class CommitmentAssessment(TimeStampedModel):
    """How one commitment went during the follow-up's period: promised vs done, and a status."""

    class Status(models.TextChoices):
        PLANNED = "planerad", _("Planerad")
        ONGOING = "pagaende", _("Pågående")
        DONE = "genomford", _("Genomförd")
        PARTLY_DONE = "delvis_genomford", _("Delvis genomförd")
        NOT_DONE = "ej_genomford", _("Ej genomförd")
        CANCELLED = "installd", _("Inställd")

    followup = models.ForeignKey(
        FollowUp,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("uppföljning"),
    )
    # A commitment of the live version the follow-up assesses. PROTECT: one
    # removed in a later amendment is archived, and published follow-ups keep
    # every row.
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("åtagande"),
    )
    # Copied from the live (signed) version when the draft is made, so neither
    # an amendment nor a later version rewrites what was followed up.
    commitment_text = models.TextField(_("åtagandet"))
    party = models.CharField(_("part"), max_length=20, choices=Commitment.Party.choices)
    status = models.CharField(
        _("bedömning"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    promised = models.CharField(_("utlovat"), max_length=300, blank=True)
    outcome = models.TextField(_("genomfört"), blank=True, **_text_limit(ASSESSMENT_MAX_LENGTH))
    done_count = models.PositiveIntegerField(_("genomfört, antal"), null=True, blank=True)
    target_count = models.PositiveIntegerField(_("mål, antal"), null=True, blank=True)

    class FigureSource(models.TextChoices):
        NONE = "", _("Ingen uppgift")
        TYPED = "angivet", _("Angivet av samordnarna")
        REPORTS = "rapporter", _("Räknat från rapporterna")

    #: What the public sees for the commitment: done so far against the signed target.
    figure = models.PositiveIntegerField(
        _("genomfört hittills"),
        null=True,
        blank=True,
        help_text=_(
            "Hur många som är gjorda hittills, mot målet. Lämna tomt om ni inte har en uppgift."
        ),
    )
    figure_source = models.CharField(
        _("uppgiften kommer från"),
        max_length=10,
        choices=FigureSource.choices,
        default=FigureSource.NONE,
        blank=True,
    )
    #: How many activity reports a counted figure came from.
    report_count = models.PositiveIntegerField(_("antal rapporter"), default=0)
    progress_label = models.CharField(_("hittills"), max_length=200, blank=True)
    comment = models.TextField(_("kommentar"), blank=True, **_text_limit(ASSESSMENT_MAX_LENGTH))
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("bedömning av åtagande")
        verbose_name_plural = _("bedömningar av åtaganden")
        ordering = ["followup", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "commitment"],
                name="assessment_one_per_commitment",
                violation_error_message=_("Åtagandet är redan bedömt i uppföljningen."),
            )
        ]

    def __str__(self):
        return f"{self.commitment_text[:60]} – {self.get_status_display()}"

    @property
    def status_label(self) -> str:
        """``get_status_display()``, from labels made once per language."""
        return choice_label(self.Status, self.status)

    @property
    def promised_text(self) -> str:
        """What was promised, in the reader's language: ``promised`` is copied in Swedish
        from the signed target when the draft is made."""
        from promises.snapshot import target_in_reader_language

        return target_in_reader_language(self.promised)

    @property
    def figure_text(self) -> str:
        """ "11 av minst 6", "11", or "" when there is no figure."""
        if self.figure is None:
            return ""
        if self.target_count is None:
            return str(self.figure)
        return _("%(done)s av minst %(target)s") % {
            "done": self.figure,
            "target": self.target_count,
        }


@pghistory.track(exclude=["updated_at"])
class FollowUpIndicatorValue(TimeStampedModel):
    """A measured value reported with the follow-up (e.g. "anmälda cykelstölder: 112")."""

    followup = models.ForeignKey(
        FollowUp,
        on_delete=models.CASCADE,
        related_name="indicator_values",
        verbose_name=_("uppföljning"),
    )
    name = models.CharField(_("indikator"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=60, blank=True)
    period = models.CharField(
        _("avser"), max_length=60, blank=True, help_text=_("Till exempel ”jan–apr 2020”.")
    )
    value = models.DecimalField(_("värde"), max_digits=12, decimal_places=2)
    note = models.CharField(_("kommentar"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("indikatorvärde")
        verbose_name_plural = _("indikatorvärden")
        ordering = ["followup", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="indicator_value_name_not_empty",
                violation_error_message=_("Ange indikatorns namn."),
            )
        ]

    def __str__(self):
        return f"{self.name}: {self.value} {self.unit}".strip()


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class FollowUpApproval(models.Model):
    """One party's approval of a follow-up: who, for which organisation, when (database time)."""

    class Side(models.TextChoices):
        POLICE = "police", _("Polisen")
        MUNICIPALITY = "municipality", _("Kommunen")

    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("uppföljning")
    )
    side = models.CharField(_("part"), max_length=20, choices=Side.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("godkänd av"),
    )
    user_name = models.CharField(_("namn"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    approved_at = models.DateTimeField(_("godkänd"), db_default=Now())

    class Meta:
        verbose_name = _("godkännande")
        verbose_name_plural = _("godkännanden")
        ordering = ["followup", "approved_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "side"],
                name="followup_approval_one_per_side",
                violation_error_message=_("Den parten har redan godkänt uppföljningen."),
            )
        ]

    def __str__(self):
        return f"{self.user_name}, {self.organisation}"


class PromiseStatusCounts(models.Model):
    """How many of a published promise's live commitments have each status, by their
    newest published follow-up that reports something:
    ``followups.selectors.computed_public_status_counts`` for one promise, stored.

    The national figures then add some 2,300 small rows instead of sorting every
    assessment in Sweden (67,000 at national size, 120 ms) on every ``/sverige/``.
    Rewritten with the promise's search entries, in their transaction
    (``core.search.register_refresher``), so it is exactly as current as the index
    and repaired with it; read only for live, verified promises, so a version that
    stops verifying drops out at once, whatever is stored.
    """

    promise = models.OneToOneField(
        Promise, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("statusräkning för ett löfte")
        verbose_name_plural = _("statusräkningar för löften")

    def __str__(self):
        return f"{self.promise_id}: {self.counts}"
