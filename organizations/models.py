"""Kommuner, lokalpolisområden, partnerships (samverkansöverenskommelser) and memberships."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class PoliceRegion(models.Model):
    """One of the seven police regions (Polisregion Syd, Öst …)."""

    name = models.CharField(_("namn"), max_length=40, unique=True)
    slug = models.SlugField(_("kortnamn"), unique=True)

    class Meta:
        verbose_name = _("polisregion")
        verbose_name_plural = _("polisregioner")
        ordering = ["name"]

    def __str__(self):
        return f"Polisregion {self.name}"


class County(models.Model):
    """A län, with the police region that covers it."""

    code = models.CharField(_("länskod"), max_length=2, unique=True)
    name = models.CharField(_("namn"), max_length=60, unique=True)
    police_region = models.ForeignKey(
        PoliceRegion,
        on_delete=models.PROTECT,
        related_name="counties",
        verbose_name=_("polisregion"),
    )

    class Meta:
        verbose_name = _("län")
        verbose_name_plural = _("län")
        ordering = ["code"]

    def __str__(self):
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def municipalities(self):
        return self.filter(kind=Organisation.Kind.MUNICIPALITY)

    def police_areas(self):
        return self.filter(kind=Organisation.Kind.POLICE_AREA)

    def visible_to(self, user):
        """Organisations the user belongs to (all of them for superusers)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(memberships__user=user).distinct()

    def editable_by(self, user):
        """Organisations whose memberships the user may manage (coordinators)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            memberships__user=user, memberships__role=Membership.Role.COORDINATOR
        ).distinct()


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        MUNICIPALITY = "kommun", _("Kommun")
        POLICE_AREA = "lokalpolisomrade", _("Lokalpolisområde")
        OTHER = "annan", _("Annan samverkanspart")

    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("namn"), max_length=120)
    full_name = models.CharField(
        _("fullständigt namn"),
        max_length=160,
        blank=True,
        help_text=_("Till exempel ”Katrineholms kommun” eller ”Lokalpolisområde Kalmar”."),
    )
    slug = models.SlugField(_("kortnamn i adresser"), max_length=80, unique=True)
    municipality_code = models.CharField(
        _("kommunkod"), max_length=4, unique=True, null=True, blank=True
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("län"),
    )
    police_region = models.ForeignKey(
        PoliceRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="police_areas",
        verbose_name=_("polisregion"),
    )
    police_district = models.CharField(
        _("polisområde"),
        max_length=60,
        blank=True,
        help_text=_(
            "Polisområdet som lokalpolisområdet hör till, till exempel ”Kalmar Kronoberg”."
        ),
    )
    covered_municipalities = models.ManyToManyField(
        "self",
        symmetrical=False,
        through="PoliceAreaCoverage",
        through_fields=("police_area", "municipality"),
        related_name="covering_police_areas",
        blank=True,
        verbose_name=_("kommuner som lokalpolisområdet täcker"),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="kommun")
                | (Q(municipality_code__isnull=False) & Q(county__isnull=False)),
                name="organisation_municipality_has_code_and_county",
                violation_error_message=_("En kommun måste ha kommunkod och län."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="lokalpolisomrade") | Q(police_region__isnull=False),
                name="organisation_police_area_has_region",
                violation_error_message=_("Ett lokalpolisområde måste höra till en polisregion."),
            ),
            models.CheckConstraint(
                condition=Q(kind="kommun") | Q(municipality_code__isnull=True),
                name="organisation_only_municipality_has_code",
                violation_error_message=_("Bara kommuner har kommunkod."),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.full_name:
            return self.full_name
        if self.kind == self.Kind.MUNICIPALITY:
            return f"{self.name} kommun"
        return self.name

    @property
    def is_police(self) -> bool:
        return self.kind == self.Kind.POLICE_AREA

    @property
    def is_municipality(self) -> bool:
        return self.kind == self.Kind.MUNICIPALITY

    def get_absolute_url(self):
        return reverse("organizations:organisation-detail", kwargs={"slug": self.slug})


class PoliceAreaCoverage(models.Model):
    """That a lokalpolisområde covers a kommun, with the public source that says so.

    Rows loaded from the reference data carry their source; rows an administrator
    adds have none, and a later reference load leaves them alone. A kommun may be
    covered by more than one lokalpolisområde (Stockholm, Göteborg and Malmö are
    split between several).
    """

    police_area = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="coverage",
        limit_choices_to={"kind": Organisation.Kind.POLICE_AREA},
        verbose_name=_("lokalpolisområde"),
    )
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="police_coverage",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
        verbose_name=_("kommun"),
    )
    source_url = models.URLField(
        _("källa"),
        max_length=500,
        blank=True,
        help_text=_("Offentlig sida som visar att lokalpolisområdet täcker kommunen."),
    )

    class Meta:
        verbose_name = _("kommun som lokalpolisområdet täcker")
        verbose_name_plural = _("kommuner som lokalpolisområden täcker")
        ordering = ["police_area", "municipality"]
        constraints = [
            models.UniqueConstraint(
                fields=["police_area", "municipality"],
                name="police_area_coverage_unique",
                violation_error_message=_("Lokalpolisområdet täcker redan den kommunen."),
            )
        ]

    def __str__(self):
        return f"{self.police_area} – {self.municipality}"


class SigningRole(models.TextChoices):
    """The office a signature is given in. A requirement names one; a membership holds one.

    A signature fills exactly the requirement whose organisation and signing
    role match the signer's own membership.
    """

    POLICE_AREA_CHIEF = "lpo_chef", _("Lokalpolisområdeschef")
    POLICE_DISTRICT_CHIEF = "polisomradeschef", _("Polisområdeschef")
    COMMUNITY_POLICE = "kommunpolis", _("Kommunpolis")
    MUNICIPAL_REPRESENTATIVE = "kommunens_foretradare", _("Kommunens företrädare")
    BOARD_CHAIR = "ks_ordforande", _("Kommunstyrelsens ordförande")
    COMMISSIONER = "kommunalrad", _("Kommunalråd")
    MUNICIPAL_CHIEF = "kommunchef", _("Kommunchef eller kommundirektör")
    PARTNER_REPRESENTATIVE = "partens_foretradare", _("Partens företrädare")


def mfa_required_by_default() -> bool:
    """Partnerships require a second factor for signing unless settings say otherwise."""
    return settings.MFA_REQUIRED_FOR_SIGNING_DEFAULT


class PartnershipQuerySet(models.QuerySet):
    def _for_member_orgs(self, org_ids):
        return self.filter(
            pk__in=Partnership.objects.filter(
                Q(police_area__in=org_ids)
                | Q(municipalities__in=org_ids)
                | Q(other_partners__in=org_ids)
            ).values("pk")
        )

    def visible_to(self, user):
        """Partnerships in which the user belongs to one of the parties."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self._for_member_orgs(Membership.objects.filter(user=user).values("organisation_id"))

    def editable_by(self, user):
        """Partnerships whose documents the user coordinates."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self._for_member_orgs(
            Membership.objects.filter(user=user, role=Membership.Role.COORDINATOR).values(
                "organisation_id"
            )
        )


class Partnership(TimeStampedModel):
    """A samverkansöverenskommelse: one lokalpolisområde with one or more kommuner."""

    name = models.CharField(_("namn"), max_length=160)
    police_area = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="police_partnerships",
        limit_choices_to={"kind": Organisation.Kind.POLICE_AREA},
        verbose_name=_("lokalpolisområde"),
    )
    municipalities = models.ManyToManyField(
        Organisation,
        related_name="municipal_partnerships",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
        verbose_name=_("kommuner"),
    )
    other_partners = models.ManyToManyField(
        Organisation,
        related_name="other_partnerships",
        blank=True,
        limit_choices_to={"kind": Organisation.Kind.OTHER},
        verbose_name=_("övriga samverkansparter"),
    )
    agreement_reference = models.CharField(
        _("överenskommelsens beteckning"),
        max_length=120,
        blank=True,
        help_text=_("Diarienummer eller annan beteckning på samverkansöverenskommelsen."),
    )
    agreement_start_date = models.DateField(
        _("överenskommelsen gäller från"), null=True, blank=True
    )
    agreement_end_date = models.DateField(_("överenskommelsen gäller till"), null=True, blank=True)
    require_mfa_for_signing = models.BooleanField(
        _("kräv tvåstegsverifiering vid underskrift"),
        default=mfa_required_by_default,
        help_text=_(
            "Undertecknarna bekräftar varje underskrift med lösenord och en andra faktor "
            "(kod från en app eller säkerhetsnyckel)."
        ),
    )
    separate_signatories = models.BooleanField(
        _("en person per underskrift"),
        default=True,
        help_text=_(
            "En person kan bara uppfylla ett krav på underskrift i samma version, "
            "även om hen har flera roller."
        ),
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("samverkan")
        verbose_name_plural = _("samverkansöverenskommelser")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement_end_date__isnull=True)
                | Q(agreement_start_date__isnull=True)
                | Q(agreement_end_date__gte=models.F("agreement_start_date")),
                name="partnership_agreement_period_ordered",
                violation_error_message=_("Överenskommelsen kan inte sluta innan den börjar."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:partnership-detail", kwargs={"pk": self.pk})

    def parties(self) -> list[Organisation]:
        """Police area first, then the municipalities, then other partners."""
        return [self.police_area, *self.municipalities.all(), *self.other_partners.all()]

    def coordinators(self):
        """Active users who coordinate for any party: who hears about workflow changes."""
        from django.contrib.auth import get_user_model

        return (
            get_user_model()
            .objects.filter(
                memberships__organisation__in=self.party_ids(),
                memberships__role=Membership.Role.COORDINATOR,
                is_active=True,
            )
            .distinct()
        )

    def signatories(self):
        """Active users whose membership matches one of the signing requirements."""
        from django.contrib.auth import get_user_model

        matches = Q(pk__in=[])
        for organisation_id, signing_role in self.signatory_requirements.values_list(
            "organisation_id", "signing_role"
        ):
            matches |= Q(
                memberships__organisation_id=organisation_id,
                memberships__signing_role=signing_role,
                memberships__role=Membership.Role.SIGNATORY,
            )
        return get_user_model().objects.filter(matches, is_active=True).distinct()

    def party_ids(self) -> set[int]:
        """Ids of every party; uses prefetched relations when the caller has them."""
        return {
            self.police_area_id,
            *(org.pk for org in self.municipalities.all()),
            *(org.pk for org in self.other_partners.all()),
        }


class PartnershipScopedQuerySet(models.QuerySet):
    """Scoping for every model that belongs to a partnership, directly or through a chain.

    Subclasses name the lookup path to the partnership; visibility is then
    decided in one place, ``PartnershipQuerySet``, for all of them.
    """

    partnership_path = "partnership"

    def visible_to(self, user):
        return self.filter(**{f"{self.partnership_path}__in": Partnership.objects.visible_to(user)})

    def editable_by(self, user):
        return self.filter(
            **{f"{self.partnership_path}__in": Partnership.objects.editable_by(user)}
        )


class SignatoryRequirement(models.Model):
    """An organisation and signing role that must sign every promise of the partnership.

    The default is the police chief of the lokalpolisområde and one
    representative per kommun; some partnerships require four signatures
    (lokalpolisområdeschef, kommunpolis, kommunchef, kommunalråd). ``title`` is
    what the signed document says under the name.
    """

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="signatory_requirements",
        verbose_name=_("samverkan"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    signing_role = models.CharField(
        _("undertecknar i egenskap av"), max_length=30, choices=SigningRole.choices
    )
    title = models.CharField(
        _("titel på dokumentet"),
        max_length=120,
        help_text=_("Till exempel ”Lokalpolisområdeschef” eller ”Kommunstyrelsens ordförande”."),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("krav på underskrift")
        verbose_name_plural = _("krav på underskrifter")
        ordering = ["partnership", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "title"],
                name="signatory_requirement_unique",
                violation_error_message=_("Det kravet finns redan."),
            )
        ]

    def __str__(self):
        return f"{self.title}, {self.organisation}"


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(organisation__in=Organisation.objects.visible_to(user))

    def editable_by(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(organisation__in=Organisation.objects.editable_by(user))


class Membership(TimeStampedModel):
    """A user's role in one organisation."""

    class Role(models.TextChoices):
        COORDINATOR = "samordnare", _("Samordnare")
        SIGNATORY = "firmatecknare", _("Undertecknare")
        READER = "lasare", _("Läsare")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("användare"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    signing_role = models.CharField(
        _("undertecknar i egenskap av"),
        max_length=30,
        choices=SigningRole.choices,
        blank=True,
        help_text=_("För undertecknare: vilket krav på underskrift personen kan uppfylla."),
    )
    title = models.CharField(
        _("titel"),
        max_length=120,
        blank=True,
        help_text=_("Till exempel ”Kommunpolis” eller ”Lokalpolisområdeschef”."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        ordering = ["organisation", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="membership_unique_role",
                violation_error_message=_("Användaren har redan den rollen i organisationen."),
            ),
            models.CheckConstraint(
                condition=Q(role="firmatecknare") | Q(signing_role=""),
                name="membership_signing_role_only_for_signatories",
                violation_error_message=_("Bara undertecknare undertecknar i en viss egenskap."),
            ),
            models.CheckConstraint(
                condition=~Q(role="firmatecknare") | ~Q(signing_role=""),
                name="membership_signatory_has_signing_role",
                violation_error_message=_("Ange i vilken egenskap undertecknaren skriver under."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.organisation}"


class Theme(models.Model):
    """A fokusområde / problemområde: narkotika, trygghet i centrum …

    Themes without a partnership are the shared national vocabulary; a
    partnership may add its own.
    """

    name = models.CharField(_("namn"), max_length=120)
    slug = models.SlugField(_("kortnamn"), max_length=120)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="themes",
        verbose_name=_("samverkan"),
        help_text=_("Tomt för teman i den gemensamma vokabulären."),
    )

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("teman")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(partnership__isnull=True),
                name="theme_shared_slug_unique",
                violation_error_message=_("Det finns redan ett gemensamt tema med det namnet."),
            ),
            models.UniqueConstraint(
                fields=["partnership", "slug"],
                name="theme_partnership_slug_unique",
                violation_error_message=_("Samverkan har redan ett tema med det namnet."),
            ),
        ]

    def __str__(self):
        return self.name


class AreaQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(municipality__in=partnership.municipalities.all())


class Area(models.Model):
    """A place within a kommun: stadsdel, tätort, plats or område (Oxhagen, centrum)."""

    class Kind(models.TextChoices):
        DISTRICT = "stadsdel", _("Stadsdel")
        TOWN = "tatort", _("Tätort")
        PLACE = "plats", _("Plats")
        AREA = "omrade", _("Område")

    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="areas",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
        verbose_name=_("kommun"),
    )
    name = models.CharField(_("namn"), max_length=120)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.AREA)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("område")
        verbose_name_plural = _("områden")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="area_unique_per_municipality",
                violation_error_message=_("Kommunen har redan ett område med det namnet."),
            )
        ]

    def __str__(self):
        return self.name
