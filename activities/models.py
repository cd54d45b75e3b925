"""Annual activity plans, the activities under each commitment, and what was actually done.

An ``ActivityPlan`` belongs to one promise and one calendar year. Its
``Activity`` rows carry the plan (who, when, how many); ``ActivityReport``
rows record what was done and are the only thing progress is computed from.
A report's findings (a safety walk's, typically) can become ``Measure`` rows
(åtgärder) with an owner and a status.

Rows invented for the demo carry ``is_example`` so every page can mark them
"Exempeldata" and nobody mistakes them for what a kommun really did.
"""

import pghistory
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import choice_label
from core.models import TimeStampedModel, VersionedModel
from organizations.models import Area, Organisation, PartnershipScopedQuerySet
from promises.models import Commitment, Promise

# Longest texts, in characters: a few paragraphs, not a megabyte pasted by mistake.
# Forms and full_clean() both enforce them (a TextField's max_length alone reaches only
# the form).
DESCRIPTION_MAX_LENGTH = 4_000
NOTE_MAX_LENGTH = 2_000


def _text_limit(length: int) -> dict:
    return {"max_length": length, "validators": [MaxLengthValidator(length)]}


class ActivityPlanQuerySet(PartnershipScopedQuerySet):
    partnership_path = "promise__partnership"

    def published(self):
        """Plans of promises the public may read."""
        return self.filter(promise__published_version__isnull=False)


@pghistory.track(exclude=["updated_at"])
class ActivityPlan(VersionedModel):
    """The activity plan (aktivitetsplan) of one promise for one calendar year."""

    promise = models.ForeignKey(
        Promise, on_delete=models.PROTECT, related_name="activity_plans", verbose_name=_("löfte")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    note = models.TextField(_("kommentar"), blank=True, **_text_limit(NOTE_MAX_LENGTH))
    is_example = models.BooleanField(
        _("exempeldata"),
        default=False,
        help_text=_("Påhittat innehåll för demonstration, inte vad parterna faktiskt gjort."),
    )

    objects = ActivityPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("aktivitetsplan")
        verbose_name_plural = _("aktivitetsplaner")
        ordering = ["promise", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "year"],
                name="activity_plan_one_per_year",
                violation_error_message=_("Löftet har redan en aktivitetsplan för det året."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="activity_plan_year_sane",
                violation_error_message=_("Ange ett år mellan 2000 och 2100."),
            ),
        ]

    def __str__(self):
        return _("Aktivitetsplan %(year)s – %(promise)s") % {
            "year": self.year,
            "promise": self.promise,
        }

    def get_absolute_url(self):
        return reverse("activities:plan-detail", kwargs={"pk": self.pk})


class ActivityQuerySet(PartnershipScopedQuerySet):
    partnership_path = "plan__promise__partnership"

    def published(self):
        return self.filter(plan__promise__published_version__isnull=False)

    def open(self):
        """Activities still to be carried out."""
        return self.filter(status__in=[Activity.Status.PLANNED, Activity.Status.ONGOING])


@pghistory.track(exclude=["updated_at"])
class Activity(VersionedModel):
    """Planned work (aktivitet / insats) under one commitment in an annual plan."""

    class Status(models.TextChoices):
        PLANNED = "planerad", _("Planerad")
        ONGOING = "pagaende", _("Pågående")
        DONE = "genomford", _("Genomförd")
        CANCELLED = "installd", _("Inställd")

    plan = models.ForeignKey(
        ActivityPlan,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("aktivitetsplan"),
    )
    # PROTECT: a commitment removed from a promise is archived, and its
    # activities and reports stay (they count towards what was published).
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("åtagande"),
    )
    title = models.CharField(_("aktivitet"), max_length=200)
    description = models.TextField(
        _("beskrivning"), blank=True, **_text_limit(DESCRIPTION_MAX_LENGTH)
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig organisation"),
    )
    responsible_person = models.CharField(
        _("ansvarig person"),
        max_length=200,
        blank=True,
        help_text=_("Namn eller funktion, till exempel ”Kommunpolis”."),
    )
    planned_start_date = models.DateField(_("planerad start"))
    planned_end_date = models.DateField(_("planerat slut"))
    target_count = models.PositiveIntegerField(
        _("mål, antal"),
        null=True,
        blank=True,
        help_text=_("Hämtas från åtagandets mål om du lämnar fältet tomt."),
    )
    target_unit = models.CharField(
        _("mål, enhet"),
        max_length=80,
        blank=True,
        help_text=_("Till exempel ”trygghetsvandringar”."),
    )
    target_per_area = models.BooleanField(
        _("mål per område"), default=False, help_text=_("Målet gäller i vart och ett av områdena.")
    )
    areas = models.ManyToManyField(
        Area, blank=True, related_name="activities", verbose_name=_("områden")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    is_example = models.BooleanField(_("exempeldata"), default=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["plan", "commitment__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_date__gte=models.F("planned_start_date")),
                name="activity_period_ordered",
                violation_error_message=_("Aktiviteten kan inte sluta innan den börjar."),
            ),
            models.CheckConstraint(
                condition=Q(target_count__isnull=True) | ~Q(target_unit=""),
                name="activity_target_has_unit",
                violation_error_message=_("Ett mål behöver en enhet, till exempel ”insatser”."),
            ),
        ]

    @property
    def status_label(self) -> str:
        """``get_status_display()``, from labels made once per language."""
        return choice_label(self.Status, self.status)

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:activity-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.ONGOING)


class ActivityReportQuerySet(PartnershipScopedQuerySet):
    partnership_path = "activity__plan__promise__partnership"


@pghistory.track(exclude=["updated_at"])
class ActivityReport(TimeStampedModel):
    """What was actually done (genomförd aktivitet). Counts towards the targets."""

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="reports", verbose_name=_("aktivitet")
    )
    performed_date = models.DateField(_("datum"))
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_reports",
        verbose_name=_("område"),
    )
    description = models.TextField(
        _("vad gjordes"), blank=True, **_text_limit(DESCRIPTION_MAX_LENGTH)
    )
    count = models.PositiveIntegerField(
        _("antal"),
        default=1,
        help_text=_("Hur många gånger, till exempel två trygghetsvandringar samma kväll."),
    )
    participants = models.CharField(
        _("deltagare"),
        max_length=300,
        blank=True,
        help_text=_("Vilka som deltog, till exempel ”polisen, kommunen, bostadsbolaget”."),
    )
    participant_count = models.PositiveIntegerField(_("antal deltagare"), null=True, blank=True)
    findings = models.TextField(
        _("iakttagelser"),
        blank=True,
        help_text=_("Vad ni såg eller fick höra, till exempel brister i belysningen."),
        **_text_limit(DESCRIPTION_MAX_LENGTH),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rapporterad av"),
    )
    is_example = models.BooleanField(_("exempeldata"), default=False)

    objects = ActivityReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("aktivitetsrapport")
        verbose_name_plural = _("aktivitetsrapporter")
        ordering = ["activity", "-performed_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1),
                name="activity_report_count_positive",
                violation_error_message=_("Antalet måste vara minst 1."),
            )
        ]

    def __str__(self):
        return f"{self.activity} – {self.performed_date:%Y-%m-%d}"

    def get_absolute_url(self):
        return f"{self.activity.get_absolute_url()}#rapport-{self.pk}"


@pghistory.track(exclude=["updated_at"])
class Measure(TimeStampedModel):
    """An åtgärd that came out of a report's findings, with an owner and a status."""

    class Status(models.TextChoices):
        PROPOSED = "foreslagen", _("Föreslagen")
        ONGOING = "pagaende", _("Pågående")
        DONE = "atgardad", _("Åtgärdad")
        REJECTED = "ej_atgardad", _("Åtgärdas inte")

    report = models.ForeignKey(
        ActivityReport,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("aktivitetsrapport"),
    )
    description = models.CharField(_("åtgärd"), max_length=300)
    owner = models.CharField(
        _("ansvarig"),
        max_length=200,
        help_text=_("Vem som ska åtgärda, till exempel ”Tekniska förvaltningen”."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    due_date = models.DateField(_("klart senast"), null=True, blank=True)

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["report", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(description=""),
                name="measure_description_not_empty",
                violation_error_message=_("Beskriv åtgärden."),
            )
        ]

    def __str__(self):
        return self.description
