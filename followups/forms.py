from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from activities.forms import STALE_FORM, LockVersionForm
from core.forms import CrispyFormMixin
from followups import sheet
from followups.models import CommitmentAssessment, FollowUp, FollowUpIndicatorValue

__all__ = [
    "STALE_FORM",
    "AssessmentFormSet",
    "FollowUpForm",
    "IndicatorFormSet",
    "LockVersionForm",
    "SheetUploadForm",
]

#: Indicator values one follow-up reports at most.
MAX_INDICATORS = 50


class FollowUpForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 6})}


class AssessmentForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = CommitmentAssessment
        fields = ["status", "figure", "outcome", "comment"]
        widgets = {
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "comment": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The same ceiling as the sheet, so a figure typed here always goes through it.
        figure = self.fields["figure"]
        figure.max_value = sheet.MAX_FIGURE
        figure.validators.append(MaxValueValidator(sheet.MAX_FIGURE))
        figure.widget.attrs["max"] = sheet.MAX_FIGURE


INCOMPLETE_FORM = _(
    "Formuläret kom inte fram helt och har inte sparats. Ladda om sidan och försök igen."
)


class BaseAssessmentFormSet(forms.BaseModelFormSet):
    """Every assessment of the follow-up, each once: the form always posts them all."""

    def clean(self):
        super().clean()
        expected = len(self.get_queryset())
        if self.total_form_count() != expected or self.initial_form_count() != expected:
            raise forms.ValidationError(INCOMPLETE_FORM, code="incomplete")


AssessmentFormSet = forms.modelformset_factory(
    CommitmentAssessment,
    form=AssessmentForm,
    formset=BaseAssessmentFormSet,
    extra=0,
    can_delete=False,
)


class IndicatorForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = FollowUpIndicatorValue
        fields = ["name", "value", "unit", "period", "note"]
        labels = {"name": _("Indikator")}


class BaseIndicatorFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        # A negative count would post no rows and so delete every saved value.
        if self.is_bound and self.management_form.cleaned_data.get("TOTAL_FORMS", 0) < 0:
            raise forms.ValidationError(INCOMPLETE_FORM, code="incomplete")

    def cleaned_values(self) -> list[dict]:
        """Filled-in rows not marked for deletion, in order."""
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            rows.append({k: v for k, v in data.items() if k != "DELETE"})
        return rows


IndicatorFormSet = forms.formset_factory(
    IndicatorForm,
    formset=BaseIndicatorFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_INDICATORS,
    validate_max=True,
    absolute_max=MAX_INDICATORS + 1,
)


class SheetUploadForm(CrispyFormMixin, forms.Form):
    """The follow-up's sheet, filled in (``followups.sheet``)."""

    file = forms.FileField(
        label=_("Ifyllt kalkylark (CSV)"),
        help_text=_(
            "Filen du laddade ner från uppföljningen, sparad som CSV. Semikolon eller komma, "
            "UTF-8 eller Windows-1252 går bra."
        ),
        error_messages={
            "required": _("Välj filen du har fyllt i."),
            "empty": _("Filen är tom."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > sheet.MAX_BYTES:
            raise forms.ValidationError(_("Filen är för stor (högst 2 MB)."), code="too_large")
        return file
