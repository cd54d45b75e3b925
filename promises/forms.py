"""Forms for the promise workspace: validation and layout only, never side effects.

Views hand ``cleaned_data`` to ``promises.services``; nothing here saves.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyFormMixin
from core.validators import EARLIEST_DATE, LATEST_DATE, date_limits
from organizations.models import Area, Organisation, Partnership, SignatoryRequirement, Theme
from promises.models import Commitment, Promise
from situation.models import Finding, SituationReport

PROMISE_FORM_FIELDS = [
    "title",
    "valid_from_date",
    "valid_to_date",
    "extended_to_date",
    "introduction",
    "summary_easy_swedish",
    "summary_english",
    "effect_goal",
    "effect_indicator",
    "effect_baseline",
    "effect_target",
    "effect_target_year",
    "themes",
    "areas",
    "followup_cadence",
    "followup_channels",
    "decision_reference",
    "situation_report",
    "predecessor",
]
COMMITMENT_FORM_FIELDS = [
    "owners",
    "text",
    "theme",
    "areas",
    "target_quantity",
    "target_unit",
    "target_period",
    "target_per_area",
    "condition",
    "period_start_date",
    "period_end_date",
    "findings",
]
#: Fields that are many-to-many: the services take them as separate arguments.
M2M_FIELDS = {"themes", "areas", "findings"}


class ConstraintErrorsMixin:
    """Show a model CheckConstraint's Swedish message next to the field it is about.

    Django puts every CheckConstraint violation among the non-field errors;
    ``constraint_fields`` names the field each constraint should point at so
    the error summary can link to it.
    """

    constraint_fields: dict[str, str] = {}

    def validate_constraints(self):
        exclude = self._get_validation_exclusions()
        for constraint in self.instance._meta.constraints:
            try:
                constraint.validate(type(self.instance), self.instance, exclude=exclude)
            except ValidationError as error:
                field = self.constraint_fields.get(constraint.name)
                if field not in self.fields or field in self.errors:
                    field = None
                self.add_error(field, error)


class LockVersionMixin(forms.Form):
    """The optimistic-locking number the editor started from, sent back on save."""

    lock_version = forms.IntegerField(label=_("Version"), widget=forms.HiddenInput, min_value=1)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def themes_for(partnership: Partnership):
    """The shared vocabulary plus the partnership's own themes."""
    return Theme.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership)).order_by(
        "name"
    )


class PromiseForm(ConstraintErrorsMixin, CrispyFormMixin, forms.ModelForm):
    """The promise's own fields (commitments are edited one at a time)."""

    constraint_fields = {
        "promise_period_ordered": "valid_to_date",
        "promise_extension_after_end": "extended_to_date",
    }

    class Meta:
        model = Promise
        fields = PROMISE_FORM_FIELDS
        widgets = {
            "valid_from_date": _date_widget(),
            "valid_to_date": _date_widget(),
            "extended_to_date": _date_widget(),
            "introduction": forms.Textarea(attrs={"rows": 6}),
            "summary_easy_swedish": forms.Textarea(attrs={"rows": 5}),
            "summary_english": forms.Textarea(attrs={"rows": 5, "lang": "en"}),
            "effect_goal": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.CheckboxSelectMultiple,
            "areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, partnership: Partnership, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes_for(partnership)
        self.fields["areas"].queryset = (
            Area.objects.for_partnership(partnership)
            .select_related("municipality")
            .order_by("name")
        )
        predecessors = Promise.objects.visible_to(user).filter(partnership=partnership)
        if self.instance.pk:
            predecessors = predecessors.exclude(pk=self.instance.pk)
        self.fields["predecessor"].queryset = predecessors.order_by("-valid_from_date", "title")
        self.fields["situation_report"].queryset = SituationReport.objects.visible_to(user).filter(
            partnership=partnership
        )
        # The model takes any small number; the form holds the year to the promise's range.
        year = self.fields["effect_target_year"]
        year.widget.attrs.update({"min": EARLIEST_DATE.year, "max": LATEST_DATE.year})
        year_message = _("Ange ett år mellan 2000 och 2100.")
        year.validators += [
            MinValueValidator(EARLIEST_DATE.year, message=year_message),
            MaxValueValidator(LATEST_DATE.year, message=year_message),
        ]
        self.helper.layout = Layout(
            *(["lock_version"] if "lock_version" in self.fields else []),
            Fieldset(
                _("Rubrik och period"),
                "title",
                "valid_from_date",
                "valid_to_date",
                "extended_to_date",
            ),
            Fieldset(_("Inledning"), "introduction"),
            Fieldset(
                _("Sammanfattningar för invånarna"), "summary_easy_swedish", "summary_english"
            ),
            Fieldset(
                _("Effektmål"),
                "effect_goal",
                "effect_indicator",
                "effect_baseline",
                "effect_target",
                "effect_target_year",
            ),
            Fieldset(_("Teman och områden"), "themes", "areas"),
            Fieldset(_("Uppföljning"), "followup_cadence", "followup_channels"),
            Fieldset(
                _("Beslut, lägesbild och föregående löfte"),
                "decision_reference",
                "situation_report",
                "predecessor",
            ),
        )

    def service_data(self) -> dict:
        """The plain fields, for ``promise_create`` / ``promise_update``."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in PROMISE_FORM_FIELDS and name not in M2M_FIELDS
        }


class PromiseUpdateForm(LockVersionMixin, PromiseForm):
    pass


class CommitmentForm(ConstraintErrorsMixin, CrispyFormMixin, forms.ModelForm):
    """One commitment: who promises what, with an optional measurable target and period."""

    constraint_fields = {
        "commitment_target_has_unit": "target_unit",
        "commitment_text_not_empty": "text",
        "commitment_period_ordered": "period_end_date",
    }

    class Meta:
        model = Commitment
        fields = COMMITMENT_FORM_FIELDS
        widgets = {
            "owners": forms.CheckboxSelectMultiple,
            "text": forms.Textarea(attrs={"rows": 3}),
            "areas": forms.CheckboxSelectMultiple,
            "findings": forms.CheckboxSelectMultiple,
            "period_start_date": _date_widget(),
            "period_end_date": _date_widget(),
        }

    def __init__(self, *args, promise: Promise, **kwargs):
        super().__init__(*args, **kwargs)
        partnership = promise.partnership
        parties = Organisation.objects.filter(pk__in=partnership.party_ids())
        self.fields["owners"].queryset = parties.order_by("kind", "name")
        self.fields["owners"].label_from_instance = lambda org: org.display_name
        self.fields["owners"].error_messages["required"] = _("Kryssa i vem som lovar.")
        self.fields["owners"].help_text = _(
            "Kryssa i en part, flera kommuner eller alla som lovar tillsammans."
        )
        self.fields["theme"].queryset = themes_for(partnership)
        self.fields["areas"].queryset = Area.objects.for_partnership(partnership).order_by("name")
        if not self.fields["areas"].queryset.exists():
            # An empty group of checkboxes under its label reads as broken; say why.
            self.fields["areas"].help_text = _(
                "Samverkan har inga områden ännu. De läggs till under ”Teman och områden” "
                "på samverkans sida."
            )
        self.fields["text"].error_messages["required"] = _("Skriv vad som lovas.")
        if promise.situation_report_id:
            self.fields["findings"].queryset = Finding.objects.filter(
                report_id=promise.situation_report_id
            ).order_by("pk")
        else:
            # Findings come from the promise's lägesbild; without one there is nothing to link.
            del self.fields["findings"]
        # The default layout was built before fields were removed above.
        self.helper.layout = Layout(*self.fields)

    def service_data(self) -> dict:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in COMMITMENT_FORM_FIELDS and name not in M2M_FIELDS
        }


class CommitmentUpdateForm(LockVersionMixin, CommitmentForm):
    pass


class SignForm(CrispyFormMixin, forms.Form):
    """Signing: the exact version read, the role signed in, the password and a second factor.

    ``version_id`` and ``content_sha256`` are what the signer was shown; the
    service refuses them if another version is awaiting signatures by then.
    """

    version_id = forms.IntegerField(widget=forms.HiddenInput)
    content_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    requirement = forms.TypedChoiceField(
        label=_("Du signerar som"), coerce=int, widget=forms.RadioSelect, required=False
    )
    password = forms.CharField(
        label=_("Ditt lösenord"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Skriv ditt lösenord igen för att bekräfta att det är du som signerar."),
    )
    code = forms.CharField(
        label=_("Kod från appen eller reservkod"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Den andra faktorn. Har du en säkerhetsnyckel kan du använda den i stället."),
    )
    passkey = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20000)

    def __init__(self, *args, requirements=(), second_factor=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [
            (r.pk, f"{r.title}, {r.organisation.display_name}") for r in requirements
        ]
        if len(requirements) <= 1:
            self.fields["requirement"].widget = forms.HiddenInput()
        if not second_factor:
            del self.fields["code"]
            del self.fields["passkey"]
            self.helper = FormHelper(self)
            self.helper.form_tag = False
            self.helper.disable_csrf = True


class NoteForm(forms.Form):
    """An optional comment on a workflow step (return to draft, amend)."""

    note = forms.CharField(label=_("Kommentar (frivillig)"), required=False, max_length=1000)


class PaperSignatureForm(CrispyFormMixin, forms.Form):
    """One signature on a paper document, for one of the partnership's signing requirements.

    Prefixed per requirement, so a page holds one of these for every role that signs.
    """

    name = forms.CharField(label=_("Namn"), max_length=200)
    title = forms.CharField(label=_("Roll"), max_length=120, required=False)
    date = forms.DateField(
        label=_("Datum (om det står i dokumentet)"),
        required=False,
        widget=_date_widget(),
        validators=date_limits(),
    )
    place = forms.CharField(label=_("Ort"), max_length=120, required=False)

    def __init__(self, *args, requirement: SignatoryRequirement, **kwargs):
        kwargs.setdefault("prefix", f"underskrift-{requirement.pk}")
        super().__init__(*args, **kwargs)
        self.requirement = requirement
        self.legend = str(requirement)
        self.fields["title"].initial = requirement.title
        # The labels repeat for every role, so the error names the role it is about.
        self.fields["name"].error_messages["required"] = _(
            "Skriv namnet på den som skrev under som %(role)s."
        ) % {"role": self.legend}
        self.helper.layout = Layout(Fieldset(self.legend, "name", "title", "date", "place"))

    def signature(self) -> dict:
        """The cleaned signature in the shape ``promise_record_paper_signatures`` takes."""
        return {"requirement": self.requirement, **self.cleaned_data}


class PaperSignaturesNoteForm(CrispyFormMixin, forms.Form):
    """The scan of the signed page, a comment, and the content the coordinator was shown."""

    scan = forms.FileField(
        label=_("Skanning eller foto av den undertecknade sidan"),
        help_text=_("PDF, PNG eller JPEG, högst 10 MB. Den visas för allmänheten med löftet."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    note = forms.CharField(
        label=_("Kommentar (frivillig)"),
        required=False,
        max_length=1000,
        help_text=_("Till exempel var originalet förvaras eller vilket diarienummer det har."),
    )
    #: The hash of the draft as shown; refused if the draft changed meanwhile.
    content_sha256 = forms.CharField(widget=forms.HiddenInput)
