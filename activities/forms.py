from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import NOTE_MAX_LENGTH, Activity, ActivityReport, Measure
from core.forms import CrispyFormMixin
from organizations.models import Area, Organisation
from promises.models import Promise
from situation.forms import MAX_LOCK_VERSION, PlausibleDatesMixin

STALE_FORM = _(
    "Formuläret saknar ett giltigt versionsnummer och har inte sparats. "
    "Ladda om sidan och gör ändringen igen."
)


class LockVersionForm(forms.Form):
    """The ``lock_version`` a POST was based on (``core.concurrency``): a number, or refused.

    Read before anything is saved, so ``lock_version=abc`` gets a Swedish message
    instead of a 500.
    """

    lock_version = forms.IntegerField(
        min_value=0,
        max_value=MAX_LOCK_VERSION,
        error_messages={
            "required": STALE_FORM,
            "invalid": STALE_FORM,
            "min_value": STALE_FORM,
            "max_value": STALE_FORM,
        },
    )

    @classmethod
    def read(cls, data) -> int | None:
        """The version in ``data``, or None when it is missing or not a number."""
        form = cls(data)
        return form.cleaned_data["lock_version"] if form.is_valid() else None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActivityPlanForm(CrispyFormMixin, forms.Form):
    promise = forms.ModelChoiceField(
        label=_("Medborgarlöfte"), queryset=Promise.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    seed_from_commitments = forms.BooleanField(
        label=_("Föreslå en aktivitet per åtagande"),
        required=False,
        initial=True,
        help_text=_("Med åtagandets mål som aktivitetens mål. Du kan ändra dem efteråt."),
    )

    def __init__(self, *args, promises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["promise"].queryset = promises
        self.fields["year"].initial = timezone.localdate().year


class ActivityForm(PlausibleDatesMixin, CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "commitment",
            "title",
            "description",
            "responsible_organisation",
            "responsible_person",
            "planned_start_date",
            "planned_end_date",
            "target_count",
            "target_unit",
            "target_per_area",
            "areas",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "planned_start_date": DateInput(),
            "planned_end_date": DateInput(),
            "areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        promise = plan.promise
        self.fields["commitment"].queryset = promise.commitments.order_by("order", "pk")
        self.fields["commitment"].empty_label = None
        self.fields["responsible_organisation"].queryset = Organisation.objects.filter(
            pk__in=promise.partnership.party_ids()
        ).order_by("kind", "name")
        self.fields["areas"].queryset = Area.objects.for_partnership(promise.partnership).order_by(
            "name"
        )
        self.fields["areas"].required = False
        if self.instance.pk:
            self.fields["commitment"].disabled = True
        else:
            # Left empty, these come from the commitment (see activity_defaults).
            for name in ("title", "planned_start_date", "planned_end_date"):
                self.fields[name].required = False
            del self.fields["status"]
            # The helper's layout was built with every field; without this crispy logs a
            # "Could not resolve form field 'status'" traceback on every new activity.
            self.helper.layout = Layout(*self.fields)


class ActivityReportForm(PlausibleDatesMixin, CrispyFormMixin, forms.ModelForm):
    """The quick form, made for a phone: few fields, native date and number inputs."""

    class Meta:
        model = ActivityReport
        fields = [
            "performed_date",
            "area",
            "count",
            "participants",
            "participant_count",
            "description",
            "findings",
        ]
        widgets = {
            "performed_date": DateInput(),
            "count": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "participant_count": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        areas = activity.areas.all()
        if not areas:
            areas = Area.objects.for_partnership(activity.plan.promise.partnership)
        self.fields["area"].queryset = areas.order_by("name")
        self.fields["area"].empty_label = _("Inget särskilt område")
        today = timezone.localdate()
        if today.year == activity.plan.year:
            self.fields["performed_date"].initial = today


class MeasureForm(PlausibleDatesMixin, CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["description", "owner", "due_date"]
        widgets = {"due_date": DateInput()}


class MeasureStatusForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["status"]
