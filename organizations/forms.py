"""Forms for local administration: validation and layout only, never side effects.

Views hand ``cleaned_data`` to ``organizations.services``; nothing here saves.
Choices are limited to what makes sense for the organisation or partnership
at hand: its parties, the signing roles that fit each kind of organisation,
the lokalpolisområden that cover a kommun.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyFormMixin
from core.validators import date_limits
from organizations.models import (
    Area,
    Membership,
    Organisation,
    Partnership,
    SigningRole,
    signing_roles_for,
)

Role = Membership.Role
BLANK = [("", _("Välj …"))]


class RoleFieldsMixin(forms.Form):
    """Role, the signing role a signatory signs in, and the title shown beside the name."""

    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices, widget=forms.RadioSelect)
    signing_role = forms.ChoiceField(
        label=_("Undertecknar i egenskap av"),
        required=False,
        help_text=_("Bara för undertecknare: det krav på underskrift personen kan uppfylla."),
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=120,
        required=False,
        help_text=_("Till exempel ”Kommunpolis” eller ”Säkerhetsstrateg”."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["signing_role"].choices = BLANK + [
            (role.value, role.label) for role in signing_roles_for(organisation)
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.SIGNATORY:
            if not cleaned.get("signing_role"):
                self.add_error(
                    "signing_role", _("Ange i vilken egenskap undertecknaren skriver under.")
                )
        else:
            cleaned["signing_role"] = ""
        return cleaned


class InvitationForm(CrispyFormMixin, RoleFieldsMixin):
    first_name = forms.CharField(label=_("Förnamn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-postadress"),
        max_length=254,
        help_text=_("Inbjudan skickas hit. Länken fungerar en gång, i sju dagar."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    field_order = ["first_name", "last_name", "email", "role", "signing_role", "title"]


class MembershipForm(CrispyFormMixin, RoleFieldsMixin):
    """One role of one member."""


class MembershipAddForm(CrispyFormMixin, RoleFieldsMixin):
    """One more role for someone who is already a member."""

    user = forms.ModelChoiceField(label=_("Person"), queryset=None)

    field_order = ["user", "role", "signing_role", "title"]

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__organisation=organisation)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )


def police_area_choices(organisation: Organisation):
    """The lokalpolisområden a partnership of ``organisation`` can have."""
    police_areas = Organisation.objects.police_areas().order_by("name")
    if organisation.is_police:
        return police_areas.filter(pk=organisation.pk)
    covering = police_areas.filter(coverage__municipality=organisation)
    if covering.exists():
        return covering
    if organisation.county_id:
        return police_areas.filter(police_region=organisation.county.police_region_id)
    return police_areas


def municipality_choices(organisation: Organisation):
    """The kommuner a partnership of ``organisation`` can have: those in the same police areas."""
    municipalities = Organisation.objects.municipalities().order_by("name")
    if organisation.is_police:
        covered = municipalities.filter(police_coverage__police_area=organisation)
        if covered.exists():
            return covered
        return municipalities.filter(county__police_region=organisation.police_region_id)
    neighbours = municipalities.filter(
        police_coverage__police_area__coverage__municipality=organisation
    )
    return municipalities.filter(pk__in=[organisation.pk, *neighbours.values_list("pk", flat=True)])


class PartnershipProposalForm(CrispyFormMixin, forms.Form):
    name = forms.CharField(label=_("Namn på samverkan"), max_length=160)
    police_area = forms.ModelChoiceField(label=_("Lokalpolisområde"), queryset=None)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    other_partners = forms.ModelMultipleChoiceField(
        label=_("Övriga samverkansparter"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.OTHER).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Till exempel ett bostadsbolag. Varje part godtar samverkan för sig."),
    )
    agreement_reference = forms.CharField(
        label=_("Överenskommelsens beteckning"),
        max_length=120,
        required=False,
        help_text=_("Diarienummer eller annan beteckning på samverkansöverenskommelsen."),
    )
    agreement_start_date = forms.DateField(
        label=_("Överenskommelsen gäller från"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=date_limits(),
    )
    agreement_end_date = forms.DateField(
        label=_("Överenskommelsen gäller till"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=date_limits(),
    )
    require_mfa_for_signing = forms.BooleanField(
        label=_("Kräv tvåstegsverifiering vid underskrift"),
        required=False,
        help_text=_(
            "Undertecknarna bekräftar varje underskrift med lösenord och en andra faktor. "
            "De som bjuds in som undertecknare lägger till en kodapp när de tackar ja."
        ),
    )

    def __init__(self, *args, proposer: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_area"].queryset = police_area_choices(proposer)
        self.fields["municipalities"].queryset = municipality_choices(proposer)
        if not self.fields["other_partners"].queryset.exists():
            del self.fields["other_partners"]
            # The helper laid the fields out already; without this crispy logs a miss.
            self.helper.layout = self.helper.build_default_layout(self)
        if not self.is_bound:
            self.fields[
                "require_mfa_for_signing"
            ].initial = settings.MFA_REQUIRED_FOR_SIGNING_DEFAULT
        for name in ("agreement_start_date", "agreement_end_date"):
            self.fields[name].widget.attrs.update({"min": "2000-01-01", "max": "2100-12-31"})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("agreement_start_date"), cleaned.get("agreement_end_date")
        if start and end and end < start:
            self.add_error(
                "agreement_end_date", _("Överenskommelsen kan inte sluta innan den börjar.")
            )
        return cleaned


def requirement_choices(partnership: Partnership) -> list[tuple[str, str]]:
    """Every party with every signing role that fits it, as ``"<org id>:<role>"``."""
    return [
        (f"{party.pk}:{role.value}", f"{role.label} – {party.display_name}")
        for party in partnership.parties()
        for role in signing_roles_for(party)
    ]


class RequirementForm(forms.Form):
    """One signature the partnership requires; an empty row is left out."""

    holder = forms.ChoiceField(label=_("Vem skriver under"), required=False)
    title = forms.CharField(
        label=_("Titel på dokumentet"),
        max_length=120,
        required=False,
        help_text=_("Tomt: rollens namn."),
    )

    def __init__(self, *args, choices, parties: dict[int, Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].choices = BLANK + choices
        self.parties = parties

    def spec(self):
        """``(organisation, signing role, title)``, or ``None`` for an empty row."""
        holder = self.cleaned_data.get("holder")
        if not holder:
            return None
        org_id, role = holder.split(":", 1)
        return self.parties[int(org_id)], SigningRole(role), self.cleaned_data.get("title", "")


RequirementFormSet = forms.formset_factory(RequirementForm, extra=2, max_num=20, absolute_max=20)


def requirement_formset(partnership: Partnership, data=None) -> forms.BaseFormSet:
    parties = {party.pk: party for party in partnership.parties()}
    initial = [
        {"holder": f"{r.organisation_id}:{r.signing_role}", "title": r.title}
        for r in partnership.signatory_requirements.order_by("order", "pk")
    ]
    return RequirementFormSet(
        data,
        initial=initial,
        prefix="krav",
        form_kwargs={"choices": requirement_choices(partnership), "parties": parties},
    )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Varför? (valfritt)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ThemeForm(CrispyFormMixin, forms.Form):
    name = forms.CharField(label=_("Tema"), max_length=120)


class AreaForm(CrispyFormMixin, forms.Form):
    municipality = forms.ModelChoiceField(label=_("Kommun"), queryset=None)
    name = forms.CharField(label=_("Namn"), max_length=120)
    kind = forms.ChoiceField(label=_("Typ"), choices=Area.Kind.choices, initial=Area.Kind.AREA)

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = partnership.municipalities.order_by("name")
        self.fields["municipality"].queryset = municipalities
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0]
            self.fields["municipality"].empty_label = None
