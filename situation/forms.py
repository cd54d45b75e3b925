"""Forms for lägesbilder: validation and layout only; saving is in services."""

from datetime import date

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyFormMixin
from core.validators import EARLIEST_DATE, LATEST_DATE
from organizations.models import Area, Partnership, Theme
from situation.csv_import import MAX_BYTES
from situation.models import (
    Finding,
    Indicator,
    IndicatorValue,
    SituationReport,
    Source,
    TargetGroup,
    Visibility,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

#: Dates the workspace accepts (core.validators, one range for every app): anything outside
#: is a typing error (0001-01-01, 9999-12-31), and date arithmetic stays far from its limits.
#: The largest ``lock_version`` a PositiveIntegerField holds.
MAX_LOCK_VERSION = 2**31 - 1


def validate_plausible_date(value: date | None) -> None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise forms.ValidationError(
            _("Ange ett datum mellan %(earliest)s och %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )


class PlausibleDatesMixin:
    """Every date field of the form takes dates from 2000 to 2100 only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.validators.append(validate_plausible_date)
                field.widget.attrs.setdefault("min", EARLIEST_DATE.isoformat())
                field.widget.attrs.setdefault("max", LATEST_DATE.isoformat())


STALE_FORM_MESSAGE = _("Formuläret har ett ogiltigt versionsnummer. Ladda om sidan.")


class LockVersionMixin:
    """A hidden ``lock_version`` on every form that changes a saved row (``core.concurrency``).

    The number the editor loaded goes back with the post, so the service can
    refuse a save based on an older one. Read as a bounded integer before
    anything is saved: a missing or mangled number is a Swedish message above
    the form, never a 500. Forms that create a row have no such field.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            return
        self.fields["lock_version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            min_value=1,
            max_value=MAX_LOCK_VERSION,
            error_messages={
                "required": STALE_FORM_MESSAGE,
                "invalid": STALE_FORM_MESSAGE,
                "min_value": STALE_FORM_MESSAGE,
                "max_value": STALE_FORM_MESSAGE,
            },
        )
        if not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version
        # The crispy layout was built before this field existed.
        self.helper.render_hidden_fields = True

    def clean(self):
        cleaned = super().clean()
        if "lock_version" in self._errors:
            # A hidden field's error would show nowhere: say it above the form.
            self.add_error(None, self._errors.pop("lock_version"))
        return cleaned


class SituationReportForm(LockVersionMixin, PlausibleDatesMixin, CrispyFormMixin, forms.ModelForm):
    """The report's own fields; ``lock_version`` guards against silent overwrites."""

    class Meta:
        model = SituationReport
        fields = [
            "title",
            "report_date",
            "period_start_date",
            "period_end_date",
            "summary",
            "method",
        ]
        widgets = {
            "report_date": DATE_WIDGET,
            "period_start_date": DATE_WIDGET,
            "period_end_date": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 6}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start_date"), cleaned.get("period_end_date")
        if start and end and end < start:
            self.add_error(
                "period_end_date",
                forms.ValidationError(_("Perioden kan inte sluta innan den börjar."), code="order"),
            )
        return cleaned


class SituationReportCreateForm(SituationReportForm):
    partnership = forms.ModelChoiceField(
        label=_("Samverkan"), queryset=Partnership.objects.none(), empty_label=None
    )

    class Meta(SituationReportForm.Meta):
        fields = ["partnership", *SituationReportForm.Meta.fields]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.editable_by(user).order_by("name")


class SourceForm(LockVersionMixin, CrispyFormMixin, forms.ModelForm):
    prefix = "kalla"

    class Meta:
        model = Source
        fields = ["kind", "year", "title", "note", "visibility"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, report: SituationReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == Source.Kind.INTELLIGENCE
            and cleaned.get("visibility") == Visibility.PUBLIC
        ):
            self.add_error(
                "visibility",
                forms.ValidationError(
                    _("Underrättelser kan aldrig vara offentliga. Välj ”Intern”."),
                    code="intelligence_public",
                ),
            )
        return cleaned

    def _post_clean(self):
        self.instance.report = self.report
        super()._post_clean()


class FindingForm(LockVersionMixin, CrispyFormMixin, forms.ModelForm):
    prefix = "fynd"
    groups = forms.MultipleChoiceField(
        label=_("Berörda grupper"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Finding
        fields = ["theme", "areas", "text", "groups", "priority", "sources", "visibility"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "areas": forms.CheckboxSelectMultiple,
            "sources": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, report: SituationReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["theme"].queryset = Theme.objects.filter(
            Q(partnership__isnull=True) | Q(partnership=report.partnership_id)
        ).order_by("name")
        self.fields["areas"].queryset = Area.objects.filter(
            municipality__in=[m.pk for m in report.partnership.municipalities.all()]
        ).order_by("name")
        self.fields["sources"].queryset = report.sources.order_by("order", "pk")

    def _post_clean(self):
        self.instance.report = self.report
        super()._post_clean()


class IndicatorForm(LockVersionMixin, CrispyFormMixin, forms.ModelForm):
    prefix = "indikator"

    class Meta:
        model = Indicator
        fields = ["name", "population", "unit", "description", "source", "visibility"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, report: SituationReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["source"].queryset = report.sources.order_by("order", "pk")

    def _post_clean(self):
        self.instance.report = self.report
        super()._post_clean()


class IndicatorValueForm(LockVersionMixin, CrispyFormMixin, forms.ModelForm):
    prefix = "varde"
    value = forms.DecimalField(label=_("Värde"), max_digits=12, decimal_places=2, localize=True)

    class Meta:
        model = IndicatorValue
        fields = ["period", "breakdown", "group", "value", "note"]

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean(self):
        cleaned = super().clean()
        breakdown, group = cleaned.get("breakdown"), (cleaned.get("group") or "").strip()
        if breakdown == IndicatorValue.Breakdown.ALL:
            cleaned["group"] = ""
        elif breakdown and not group:
            self.add_error(
                "group",
                forms.ValidationError(
                    _("Ange vilken grupp värdet gäller, till exempel ”flickor”."),
                    code="group_missing",
                ),
            )
        return cleaned

    def _post_clean(self):
        self.instance.indicator = self.indicator
        self.instance.group = self.cleaned_data.get("group", self.instance.group)
        super()._post_clean()

    def validate_unique(self):
        # A new value for an existing period and group replaces it (see indicator_value_set).
        if self.instance.pk:
            super().validate_unique()


class IndicatorCsvForm(CrispyFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "Första raden: indikator;period;fördelning;grupp;värde. Indikator är indikatorns "
            "nummer eller namn, fördelning är alla, kön, ålder eller område. Semikolon eller "
            "komma, decimalkomma går bra."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_BYTES:
            raise forms.ValidationError(_("Filen är för stor (högst 1 MB)."), code="too_large")
        return file
