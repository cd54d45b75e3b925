"""Kommuner, lokalpolisområden, partnerships (samverkansöverenskommelser) and memberships."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Now
from django.urls import reverse
from django.utils import timezone
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


def municipality_display_name(name: str, full_name: str = "") -> str:
    """A kommun's name as pages show it: its full name, else "<name> kommun"."""
    return full_name or f"{name} kommun"


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
        """Organisations whose memberships the user may manage (their local administrators)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            memberships__user=user, memberships__role=Membership.Role.ADMIN
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
        if self.kind == self.Kind.MUNICIPALITY:
            return municipality_display_name(self.name, self.full_name)
        return self.full_name or self.name

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


SIGNING_ROLES_BY_KIND = {
    Organisation.Kind.POLICE_AREA: [
        SigningRole.POLICE_AREA_CHIEF,
        SigningRole.COMMUNITY_POLICE,
        SigningRole.POLICE_DISTRICT_CHIEF,
    ],
    Organisation.Kind.MUNICIPALITY: [
        SigningRole.MUNICIPAL_REPRESENTATIVE,
        SigningRole.BOARD_CHAIR,
        SigningRole.COMMISSIONER,
        SigningRole.MUNICIPAL_CHIEF,
    ],
    Organisation.Kind.OTHER: [SigningRole.PARTNER_REPRESENTATIVE],
}


def signing_roles_for(organisation: Organisation) -> list[SigningRole]:
    """The offices someone can sign in for this kind of organisation."""
    return SIGNING_ROLES_BY_KIND.get(organisation.kind, [])


def check_signing_role(organisation: Organisation | None, signing_role: str, field: str) -> None:
    """A kommunpolis signs for a lokalpolisområde, a kommunalråd for a kommun."""
    if organisation is None or not signing_role:
        return
    if signing_role not in signing_roles_for(organisation):
        raise ValidationError(
            {
                field: _("%(role)s skriver inte under för %(organisation)s.")
                % {"role": SigningRole(signing_role).label, "organisation": organisation}
            },
            code="signing_role_for_kind",
        )


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

    def active(self):
        """Partnerships every party has agreed to: the only ones promises can be written in."""
        return self.filter(status=Partnership.Status.ACTIVE)

    def editable_by(self, user):
        """Agreed partnerships whose documents the user coordinates."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.active()
        return self._for_member_orgs(
            Membership.objects.filter(user=user, role=Membership.Role.COORDINATOR).values(
                "organisation_id"
            )
        ).active()

    def of_organisation(self, organisation):
        """Partnerships in which ``organisation`` is a party."""
        return self._for_member_orgs([organisation.pk])

    def of_organisations(self, organisation_ids):
        """Partnerships in which any of ``organisation_ids`` is a party."""
        return self._for_member_orgs(organisation_ids)


class Partnership(TimeStampedModel):
    """A samverkansöverenskommelse: one lokalpolisområde with one or more kommuner.

    One party's administrator proposes it; it is usable for promises once every
    other party's administrator has accepted (``PartnershipProposal``). One
    created by the national administrator (admin, demo) is agreed from the start.
    """

    class Status(models.TextChoices):
        PROPOSED = "foreslagen", _("Föreslagen, väntar på parterna")
        ACTIVE = "overenskommen", _("Överenskommen")
        NOT_AGREED = "ej_overenskommen", _("Inte överenskommen")

    name = models.CharField(_("namn"), max_length=160)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    proposed_by = models.ForeignKey(
        "Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("föreslagen av"),
    )
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

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

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
        """Ids of every party; uses prefetched relations when the caller has them, else one
        query over both link tables (every permission check asks this)."""
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        if "municipalities" in prefetched and "other_partners" in prefetched:
            return {
                self.police_area_id,
                *(org.pk for org in self.municipalities.all()),
                *(org.pk for org in self.other_partners.all()),
            }
        municipal = Partnership.municipalities.through.objects.filter(partnership_id=self.pk)
        others = Partnership.other_partners.through.objects.filter(partnership_id=self.pk)
        linked = municipal.values_list("organisation_id", flat=True).union(
            others.values_list("organisation_id", flat=True)
        )
        return {self.police_area_id, *linked}


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


class CurrentRequirementManager(models.Manager):
    """Requirements in force; archived ones stay for the signatures that filled them."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


class SignatoryRequirement(models.Model):
    """An organisation and signing role that must sign every promise of the partnership.

    The default is the police chief of the lokalpolisområde and one
    representative per kommun; some partnerships require four signatures
    (lokalpolisområdeschef, kommunpolis, kommunchef, kommunalråd). ``title`` is
    what the signed document says under the name.

    A requirement that is no longer wanted is archived, not deleted: signatures
    of earlier versions point at it. ``objects`` (and so
    ``partnership.signatory_requirements``) sees only those in force;
    ``all_objects`` sees both.
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
    archived_at = models.DateTimeField(
        _("gäller inte längre sedan"), null=True, blank=True, editable=False
    )

    objects = CurrentRequirementManager()
    all_objects = models.Manager()  # noqa: DJ012 – beside the manager it complements

    class Meta:
        verbose_name = _("krav på underskrift")
        verbose_name_plural = _("krav på underskrifter")
        ordering = ["partnership", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "title"],
                condition=Q(archived_at__isnull=True),
                name="signatory_requirement_unique_current",
                violation_error_message=_("Det kravet finns redan."),
            )
        ]

    def __str__(self):
        return f"{self.title}, {self.organisation}"

    def clean(self):
        if self.organisation_id:
            check_signing_role(self.organisation, self.signing_role, "signing_role")


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
        #: Invites people, gives roles, agrees partnerships and signing requirements.
        ADMIN = "administrator", _("Lokal administratör")

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

    def clean(self):
        if self.organisation_id:
            check_signing_role(self.organisation, self.signing_role, "signing_role")


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


class Invitation(TimeStampedModel):
    """An e-mailed, one-time link to join an organisation in a given role.

    Only the SHA-256 of the link's token is stored, so the table cannot be
    used to accept anyone's invitation. Sending it again issues a new token
    (the old link stops working); accepting it or revoking it ends it.
    """

    class Status(models.TextChoices):
        OPEN = "skickad", _("Skickad")
        ACCEPTED = "accepterad", _("Accepterad")
        REVOKED = "aterkallad", _("Återkallad")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-postadress"))
    first_name = models.CharField(_("förnamn"), max_length=150, blank=True)
    last_name = models.CharField(_("efternamn"), max_length=150, blank=True)
    role = models.CharField(_("roll"), max_length=20, choices=Membership.Role.choices)
    signing_role = models.CharField(
        _("undertecknar i egenskap av"),
        max_length=30,
        choices=SigningRole.choices,
        blank=True,
        help_text=_("För undertecknare: vilket krav på underskrift personen kan uppfylla."),
    )
    title = models.CharField(_("titel"), max_length=120, blank=True)
    token_sha256 = models.CharField(
        _("länkens SHA-256"), max_length=64, unique=True, editable=False
    )
    expires_at = models.DateTimeField(_("gäller till"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inbjuden av"),
    )
    sent_count = models.PositiveSmallIntegerField(_("antal utskick"), default=1)
    accepted_at = models.DateTimeField(_("accepterad"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accepted_invitations",
        verbose_name=_("konto"),
    )
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        ordering = ["organisation", "-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                "role",
                condition=Q(status="skickad"),
                name="invitation_one_open_per_address_and_role",
                violation_error_message=_(
                    "Den e-postadressen har redan en inbjudan till den rollen. "
                    "Skicka den igen i stället."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role="firmatecknare") | Q(signing_role=""),
                name="invitation_signing_role_only_for_signatories",
                violation_error_message=_("Bara undertecknare undertecknar i en viss egenskap."),
            ),
            models.CheckConstraint(
                condition=~Q(role="firmatecknare") | ~Q(signing_role=""),
                name="invitation_signatory_has_signing_role",
                violation_error_message=_("Ange i vilken egenskap undertecknaren skriver under."),
            ),
        ]

    def __str__(self):
        return f"{self.email} – {self.get_role_display()}, {self.organisation}"

    def clean(self):
        if self.organisation_id:
            check_signing_role(self.organisation, self.signing_role, "signing_role")

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.OPEN and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.OPEN and not self.is_expired

    @property
    def state_label(self) -> str:
        if self.is_expired:
            return str(_("Har gått ut"))
        return self.get_status_display()

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PartnershipProposal(TimeStampedModel):
    """One party's proposal that every other party's administrator must accept.

    Either the partnership itself (with the signing requirements it starts
    with), or a new set of signing requirements for an agreed partnership.
    ``requirements`` holds that set as ``[{"organisation_id", "signing_role",
    "title"}]``, in signing order.
    """

    class Kind(models.TextChoices):
        AGREEMENT = "overenskommelse", _("Samverkan")
        REQUIREMENTS = "underskrifter", _("Nya krav på underskrifter")

    class Status(models.TextChoices):
        OPEN = "oppet", _("Väntar på svar")
        ACCEPTED = "godtaget", _("Godtaget av alla parter")
        DECLINED = "avbojt", _("Avböjt")
        WITHDRAWN = "atertaget", _("Återtaget")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("samverkan"),
    )
    kind = models.CharField(_("förslag om"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    proposed_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("föreslaget av")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skrivet av"),
    )
    requirements = models.JSONField(_("föreslagna krav"), default=list, blank=True)
    decided_at = models.DateTimeField(_("avgjort"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avgjort av"),
    )
    note = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("förslag")
        verbose_name_plural = _("förslag")
        ordering = ["partnership", "-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kind"],
                condition=Q(status="oppet"),
                name="proposal_one_open_per_kind",
                violation_error_message=_(
                    "Det finns redan ett förslag som väntar på svar. Godta, avböj eller återta "
                    "det först."
                ),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.partnership}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ProposalAcceptance(models.Model):
    """That one party's administrator accepted a proposal."""

    proposal = models.ForeignKey(
        PartnershipProposal,
        on_delete=models.CASCADE,
        related_name="acceptances",
        verbose_name=_("förslag"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godtaget av"),
    )
    accepted_at = models.DateTimeField(_("godtaget"), db_default=Now())

    class Meta:
        verbose_name = _("godkännande")
        verbose_name_plural = _("godkännanden")
        ordering = ["proposal", "accepted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"],
                name="proposal_acceptance_once_per_party",
                violation_error_message=_("Parten har redan godtagit förslaget."),
            )
        ]

    def __str__(self):
        return f"{self.organisation} – {self.proposal}"


class OrganisationEventQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        """What happened in the organisation and in the partnerships it is a party to."""
        return self.filter(
            Q(organisation=organisation)
            | Q(partnership__in=Partnership.objects.of_organisation(organisation))
        )


class OrganisationEvent(models.Model):
    """An append-only record of one administrative change: who, what, when.

    ``summary`` is written in Swedish at the time, with the names as they were
    then. A database trigger refuses UPDATE and DELETE (migration ``0008``).
    """

    class Kind(models.TextChoices):
        INVITATION_SENT = "inbjudan_skickad", _("Inbjudan skickad")
        INVITATION_RESENT = "inbjudan_skickad_igen", _("Inbjudan skickad igen")
        INVITATION_REVOKED = "inbjudan_aterkallad", _("Inbjudan återkallad")
        INVITATION_ACCEPTED = "inbjudan_accepterad", _("Inbjudan accepterad")
        MEMBERSHIP_ADDED = "roll_tillagd", _("Roll tillagd")
        MEMBERSHIP_CHANGED = "roll_andrad", _("Roll ändrad")
        MEMBERSHIP_REMOVED = "roll_borttagen", _("Roll borttagen")
        MEMBER_DEACTIVATED = "medlem_avstangd", _("Medlem avstängd")
        PARTNERSHIP_PROPOSED = "samverkan_foreslagen", _("Samverkan föreslagen")
        REQUIREMENTS_EDITED = "krav_andrade_i_forslaget", _("Krav ändrade i förslaget")
        REQUIREMENTS_PROPOSED = "krav_foreslagna", _("Nya krav föreslagna")
        PROPOSAL_ACCEPTED = "forslag_godtaget", _("Förslag godtaget")
        PROPOSAL_DECLINED = "forslag_avbojt", _("Förslag avböjt")
        PROPOSAL_WITHDRAWN = "forslag_atertaget", _("Förslag återtaget")
        PARTNERSHIP_AGREED = "samverkan_overenskommen", _("Samverkan överenskommen")
        REQUIREMENTS_CHANGED = "krav_andrade", _("Krav på underskrifter ändrade")
        THEME_CHANGED = "tema", _("Tema")
        AREA_CHANGED = "omrade", _("Område")
        ADMIN_CHANGE = "administration", _("Ändrat av den nationella administratören")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organisation"),
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("samverkan"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vem"),
    )
    kind = models.CharField(_("vad"), max_length=30, choices=Kind.choices)
    summary = models.CharField(_("beskrivning"), max_length=500)
    at = models.DateTimeField(_("när"), db_default=Now())

    objects = OrganisationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("händelse i administrationen")
        verbose_name_plural = _("händelser i administrationen")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(partnership__isnull=False),
                name="organisation_event_has_subject",
                violation_error_message=_("En händelse gäller en organisation eller en samverkan."),
            )
        ]

    def __str__(self):
        return self.summary
