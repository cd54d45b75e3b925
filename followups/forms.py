from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyFormMixin
from followups.models import CommitmentAssessment, FollowUp, FollowUpIndicatorValue


class FollowUpForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 6})}


class AssessmentForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = CommitmentAssessment
        fields = ["status", "outcome", "comment"]
        widgets = {
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "comment": forms.Textarea(attrs={"rows": 2}),
        }


AssessmentFormSet = forms.modelformset_factory(
    CommitmentAssessment, form=AssessmentForm, extra=0, can_delete=False
)


class IndicatorForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = FollowUpIndicatorValue
        fields = ["name", "value", "unit", "period", "note"]
        labels = {"name": _("Indikator")}


class BaseIndicatorFormSet(forms.BaseFormSet):
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
    IndicatorForm, formset=BaseIndicatorFormSet, extra=1, can_delete=True
)
