"""Lägesbilder: the picture of the problem a promise answers.

A ``SituationReport`` belongs to one partnership and holds the sources it rests
on, the findings drawn from them (per theme and area) and indicators with
values per period and breakdown. Every source, finding and indicator is either
public or internal; only ``public()`` querysets feed the citizens' pages and
the open data, and intelligence (underrättelser) can never be public.
"""

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import VersionedModel
from organizations.models import Area, Partnership, PartnershipScopedQuerySet, Theme


class Visibility(models.TextChoices):
    PUBLIC = "offentlig", _("Offentlig")
    INTERNAL = "intern", _("Intern")


VISIBILITY_HELP = _("Interna uppgifter visas aldrig för allmänheten eller i öppna data.")

# Longest texts, in characters: room for what real lägesbilder hold (a summary is
# a page or two), not for a megabyte pasted by mistake. Forms and full_clean() both
# enforce them (a TextField's max_length alone reaches only the form).
SUMMARY_MAX_LENGTH = 10_000
FINDING_MAX_LENGTH = 4_000
NOTE_MAX_LENGTH = 2_000


def _text_limit(length: int) -> dict:
    return {"max_length": length, "validators": [MaxLengthValidator(length)]}


class SituationReportQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


@pghistory.track(exclude=["updated_at"])
class SituationReport(VersionedModel):
    """A lägesbild: what the partnership knows about safety and crime, and from where."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="situation_reports",
        verbose_name=_("samverkan"),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    report_date = models.DateField(
        _("datum"),
        null=True,
        blank=True,
        help_text=_("När lägesbilden fastställdes, till exempel datum på tjänsteskrivelsen."),
    )
    period_start_date = models.DateField(_("avser perioden från"), null=True, blank=True)
    period_end_date = models.DateField(_("avser perioden till"), null=True, blank=True)
    summary = models.TextField(
        _("sammanfattning"),
        blank=True,
        **_text_limit(SUMMARY_MAX_LENGTH),
        help_text=_("Visas för allmänheten tillsammans med det publicerade medborgarlöftet."),
    )
    method = models.CharField(
        _("metod"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel ”EST (Effektiv samordning för trygghet)”."),
    )

    objects = SituationReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("lägesbild")
        verbose_name_plural = _("lägesbilder")
        ordering = ["-period_end_date", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end_date__isnull=True)
                | Q(period_start_date__isnull=True)
                | Q(period_end_date__gte=models.F("period_start_date")),
                name="situation_report_period_ordered",
                violation_error_message=_("Perioden kan inte sluta innan den börjar."),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="situation_report_title_not_empty",
                violation_error_message=_("Ge lägesbilden en rubrik."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("situation:report-detail", kwargs={"pk": self.pk})

    @property
    def period_label(self) -> str:
        """ "2018" for a calendar year, otherwise "2019-07-01 – 2020-06-30"."""
        start, end = self.period_start_date, self.period_end_date
        if start and end:
            if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
                return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
            return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
        if start:
            return f"{start:%Y-%m-%d} –"
        if end:
            return f"– {end:%Y-%m-%d}"
        return ""


class ItemQuerySet(models.QuerySet):
    """Shared scoping for the parts of a report."""

    def visible_to(self, user):
        return self.filter(report__in=SituationReport.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(report__in=SituationReport.objects.editable_by(user))

    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)


class SourceQuerySet(ItemQuerySet):
    def public(self):
        # Belt and braces: the check constraint already keeps intelligence internal.
        return super().public().exclude(kind=Source.Kind.INTELLIGENCE)


@pghistory.track(exclude=["updated_at"])
class Source(VersionedModel):
    """Where the knowledge comes from: a survey, a dialogue, statistics …"""

    class Kind(models.TextChoices):
        SAFETY_SURVEY = "trygghetsmatning", _("Trygghetsmätning")
        CITIZEN_DIALOGUE = "medborgardialog", _("Medborgardialog")
        STAFF_DIALOGUE = "medarbetardialog", _("Medarbetardialog")
        SAFETY_WALK = "trygghetsvandring", _("Trygghetsvandring")
        DRUG_SURVEY = "can", _("CAN / drogvaneundersökning")
        CRIME_STATISTICS = "brottsstatistik", _("Brottsstatistik")
        EST = "est", _("EST-analys")
        INTELLIGENCE = "underrattelser", _("Underrättelser")
        OTHER = "annan", _("Annan källa")

    report = models.ForeignKey(
        SituationReport,
        on_delete=models.CASCADE,
        related_name="sources",
        verbose_name=_("lägesbild"),
    )
    kind = models.CharField(_("typ av källa"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    title = models.CharField(_("titel"), max_length=200)
    note = models.TextField(_("anteckning"), blank=True, **_text_limit(NOTE_MAX_LENGTH))
    visibility = models.CharField(
        _("synlighet"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
        help_text=VISIBILITY_HELP,
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("källa")
        verbose_name_plural = _("källor")
        ordering = ["report", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="underrattelser") | Q(visibility="intern"),
                name="situation_source_intelligence_internal",
                violation_error_message=_("Underrättelser kan aldrig vara offentliga."),
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1900, year__lte=2200),
                name="situation_source_year_plausible",
                violation_error_message=_("Ange ett årtal med fyra siffror."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    def get_absolute_url(self):
        return f"{self.report.get_absolute_url()}#kalla-{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC and self.kind != self.Kind.INTELLIGENCE


class TargetGroup(models.TextChoices):
    WOMEN = "kvinnor", _("Kvinnor")
    MEN = "man", _("Män")
    GIRLS = "flickor", _("Flickor")
    BOYS = "pojkar", _("Pojkar")
    YOUNG = "unga", _("Unga")
    CHILDREN = "barn", _("Barn")
    PUPILS = "elever", _("Elever")
    OLDER = "aldre", _("Äldre")
    PARENTS = "foraldrar", _("Föräldrar")
    RESIDENTS = "boende", _("Boende")
    BUSINESSES = "naringsidkare", _("Näringsidkare")


@pghistory.track(exclude=["updated_at"])
class Finding(VersionedModel):
    """What the sources show, for a theme and (optionally) some areas."""

    class Priority(models.IntegerChoices):
        HIGH = 1, _("Hög")
        MEDIUM = 2, _("Medel")
        LOW = 3, _("Låg")

    report = models.ForeignKey(
        SituationReport,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("lägesbild"),
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="situation_findings",
        verbose_name=_("tema"),
    )
    areas = models.ManyToManyField(
        Area,
        blank=True,
        related_name="situation_findings",
        verbose_name=_("områden"),
        help_text=_("Lämna tomt om fyndet gäller hela kommunen."),
    )
    sources = models.ManyToManyField(
        Source, blank=True, related_name="findings", verbose_name=_("källor")
    )
    text = models.TextField(_("fynd"), **_text_limit(FINDING_MAX_LENGTH))
    groups = ArrayField(
        models.CharField(max_length=20, choices=TargetGroup.choices),
        blank=True,
        default=list,
        verbose_name=_("berörda grupper"),
    )
    priority = models.PositiveSmallIntegerField(
        _("prioritet"), choices=Priority.choices, default=Priority.MEDIUM
    )
    visibility = models.CharField(
        _("synlighet"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
        help_text=VISIBILITY_HELP,
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("fynd")
        verbose_name_plural = _("fynd")
        ordering = ["report", "priority", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="situation_finding_text_not_empty",
                violation_error_message=_("Skriv vad lägesbilden visar."),
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return f"{self.report.get_absolute_url()}#fynd-{self.pk}"

    def group_labels(self) -> list[str]:
        return [str(TargetGroup(g).label) for g in self.groups if g in TargetGroup.values]


@pghistory.track(exclude=["updated_at"])
class Indicator(VersionedModel):
    """Something measured, e.g. the share of year-9 pupils who have used narcotics."""

    report = models.ForeignKey(
        SituationReport,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("lägesbild"),
    )
    name = models.CharField(_("namn"), max_length=200)
    unit = models.CharField(
        _("enhet"),
        max_length=40,
        default="%",
        help_text=_("Till exempel ”%”, ”antal” eller ”per 1 000 invånare”."),
    )
    population = models.CharField(
        _("population"),
        max_length=200,
        blank=True,
        help_text=_("Vilka som mäts, till exempel ”elever i årskurs 9”."),
    )
    description = models.TextField(_("beskrivning"), blank=True, **_text_limit(NOTE_MAX_LENGTH))
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("källa"),
    )
    visibility = models.CharField(
        _("synlighet"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
        help_text=VISIBILITY_HELP,
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["report", "order", "pk"]

    def __str__(self):
        return f"{self.name} ({self.population})" if self.population else self.name

    def get_absolute_url(self):
        return reverse("situation:indicator-detail", kwargs={"pk": self.pk})

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.source_id and self.report_id and self.source.report_id != self.report_id:
            raise ValidationError(
                {"source": _("Källan hör till en annan lägesbild.")}, code="other_report"
            )
        if self.visibility == Visibility.PUBLIC and self.source_id and not self.source.is_public:
            raise ValidationError(
                {"source": _("En offentlig indikator kan inte bygga på en intern källa.")},
                code="internal_source",
            )


@pghistory.track(exclude=["updated_at"])
class IndicatorValue(VersionedModel):
    """One number: an indicator for one period, for everyone or one group."""

    class Breakdown(models.TextChoices):
        ALL = "alla", _("Alla")
        GENDER = "kon", _("Kön")
        AGE = "alder", _("Åldersgrupp")
        AREA = "omrade", _("Område")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indikator")
    )
    period = models.CharField(
        _("period"), max_length=20, help_text=_("Till exempel ”2017” eller ”2019 T1”.")
    )
    breakdown = models.CharField(
        _("fördelning"), max_length=10, choices=Breakdown.choices, default=Breakdown.ALL
    )
    group = models.CharField(
        _("grupp"),
        max_length=80,
        blank=True,
        help_text=_("Till exempel ”pojkar”, ”16–24 år” eller ”Oxhagen”. Tomt för alla."),
    )
    value = models.DecimalField(_("värde"), max_digits=12, decimal_places=2)
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("indikatorvärde")
        verbose_name_plural = _("indikatorvärden")
        ordering = ["indicator", "period", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "breakdown", "group"],
                name="situation_value_unique",
                violation_error_message=_(
                    "Det finns redan ett värde för den perioden och gruppen."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(breakdown="alla") & Q(group=""))
                | (~Q(breakdown="alla") & ~Q(group="")),
                name="situation_value_group_matches_breakdown",
                violation_error_message=_(
                    "Ange en grupp när värdet är fördelat, och ingen grupp för alla."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(period=""),
                name="situation_value_period_not_empty",
                violation_error_message=_("Ange en period."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator.name}, {self.period}, {self.group_label}: {self.value}"

    def get_absolute_url(self):
        return f"{self.indicator.get_absolute_url()}#varde-{self.pk}"

    @property
    def group_label(self) -> str:
        return self.group if self.breakdown != self.Breakdown.ALL else str(_("Alla"))
