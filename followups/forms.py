from django import forms
from django.utils.translation import gettext_lazy as _

from activities.forms import STALE_FORM, LockVersionForm
from core.forms import CrispyFormMixin
from followups.models import CommitmentAssessment, FollowUp, FollowUpIndicatorValue

__all__ = [
    "STALE_FORM",
    "AssessmentFormSet",
    "FollowUpForm",
    "IndicatorFormSet",
    "LockVersionForm",
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
