"""Forms of the import: the document, then the reviewed promise and its commitments.

Validation only; nothing here saves. Choices come from the partnership's own
parties, themes and areas (``importer.review.Vocabulary``), loaded once per
page rather than once per commitment.
"""

from __future__ import annotations

import os
import re

from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import CrispyFormMixin
from importer.readers import MAX_CHARS, DocumentError, read_document, too_large_message
from importer.review import Vocabulary
from promises.models import Commitment, Promise
from situation.forms import PlausibleDatesMixin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: Blank commitment forms under the extracted ones, for what the extractor missed.
EXTRA_COMMITMENTS = 2
MAX_FILENAME = 255


def clean_filename(name: str) -> str:
    """The base name of an uploaded file, without control characters, at most 255 characters."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    if len(name) > MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        name = (
            f"{stem[: MAX_FILENAME - len(extension) - 1]}.{extension}"
            if dot and len(extension) < 10
            else name[:MAX_FILENAME]
        )
    return name


class ImportForm(CrispyFormMixin, forms.Form):
    """Paste the text, or upload the document; it is read here and kept by the view."""

    text = forms.CharField(
        label=_("Klistra in texten"),
        required=False,
        strip=False,
        max_length=MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=_("Kopiera hela medborgarlöftet från webbsidan eller dokumentet."),
    )
    file = forms.FileField(
        label=_("Eller ladda upp dokumentet"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,.html,.htm,.txt,application/pdf,text/html,text/plain,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )

    def __init__(self, *args, oversized: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = oversized
        self.max_bytes = settings.IMPORT_MAX_UPLOAD_BYTES
        self.fields["file"].help_text = _(
            "PDF med text (inte skannad), Word (DOCX), en sparad webbsida (HTML) eller "
            "vanlig text, högst %(size)s MB."
        ) % {"size": self.max_bytes // (1024 * 1024)}
        self.document = None
        self.data_bytes = b""

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("text") or ""
        upload = cleaned.get("file")
        if self.oversized:
            self.add_error("file", forms.ValidationError(
                too_large_message(None, self.max_bytes), code="too_large"
            ))  # fmt: skip
            return cleaned
        if self.errors:
            return cleaned
        if upload and text.strip():
            raise forms.ValidationError(
                _("Klistra in texten eller ladda upp en fil, inte båda."), code="both"
            )
        if not upload and not text.strip():
            self.add_error(
                "text",
                forms.ValidationError(
                    _("Klistra in texten eller välj en fil att ladda upp."), code="required"
                ),
            )
            return cleaned
        if upload:
            field = "file"
            if upload.size is not None and upload.size > self.max_bytes:
                self.add_error(
                    field,
                    forms.ValidationError(
                        too_large_message(upload.size, self.max_bytes), code="too_large"
                    ),
                )
                return cleaned
            data = upload.read(self.max_bytes + 1)
            cleaned["filename"] = clean_filename(upload.name)
        else:
            field = "text"
            data = text.encode("utf-8")
            cleaned["filename"] = ""
        try:
            self.document = read_document(data, cleaned["filename"], max_bytes=self.max_bytes)
        except DocumentError as error:
            self.add_error(field, forms.ValidationError(error.message, code=error.code))
            return cleaned
        self.data_bytes = data
        return cleaned


class PromiseReviewForm(PlausibleDatesMixin, CrispyFormMixin, forms.Form):
    """The promise's own fields as extracted, to correct before the draft is made."""

    title = forms.CharField(label=_("Rubrik"), max_length=200)
    valid_from_date = forms.DateField(label=_("Gäller från"), widget=DATE_WIDGET)
    valid_to_date = forms.DateField(label=_("Gäller till"), widget=DATE_WIDGET)
    extended_to_date = forms.DateField(
        label=_("Förlängt till"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Fyll i om löftet har förlängts efter den ursprungliga perioden."),
    )
    introduction = forms.CharField(
        label=_("Inledning"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    effect_goal = forms.CharField(
        label=_("Effektmål"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    followup_cadence = forms.ChoiceField(
        label=_("Uppföljning, hur ofta"),
        choices=Promise.Cadence.choices,
        initial=Promise.Cadence.TERTIAL,
    )
    themes = forms.TypedMultipleChoiceField(
        label=_("Teman"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.TypedMultipleChoiceField(
        label=_("Områden"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, vocabulary: Vocabulary, **kwargs):
        kwargs.setdefault("prefix", "lofte")
        super().__init__(*args, **kwargs)
        self.vocabulary = vocabulary
        self.fields["title"].error_messages["required"] = _("Skriv löftets rubrik.")
        self.fields["valid_from_date"].error_messages["required"] = _(
            "Ange när löftet börjar gälla."
        )
        self.fields["valid_to_date"].error_messages["required"] = _("Ange när löftet slutar gälla.")
        self.fields["themes"].choices = [(t.pk, t.name) for t in vocabulary.themes]
        if vocabulary.areas:
            self.fields["areas"].choices = [(a.pk, a.name) for a in vocabulary.areas]
        else:
            del self.fields["areas"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from_date"), cleaned.get("valid_to_date")
        extended = cleaned.get("extended_to_date")
        if start and end and end < start:
            self.add_error(
                "valid_to_date",
                forms.ValidationError(
                    _("Perioden kan inte sluta innan den börjar."), code="period_order"
                ),
            )
        if extended and end and extended <= end:
            self.add_error(
                "extended_to_date",
                forms.ValidationError(
                    _("En förlängning måste sluta efter den ursprungliga perioden."),
                    code="extension_order",
                ),
            )
        return cleaned

    def service_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in (
                "title",
                "valid_from_date",
                "valid_to_date",
                "extended_to_date",
                "introduction",
                "effect_goal",
                "followup_cadence",
            )
        }

    def chosen_themes(self):
        ids = set(self.cleaned_data.get("themes") or [])
        return [t for t in self.vocabulary.themes if t.pk in ids]

    def chosen_areas(self):
        ids = set(self.cleaned_data.get("areas") or [])
        return [a for a in self.vocabulary.areas if a.pk in ids]


class CommitmentReviewForm(CrispyFormMixin, forms.Form):
    """One proposed commitment: keep it or leave it out, and correct what was read."""

    include = forms.BooleanField(
        label=_("Ta med åtagandet i utkastet"), required=False, initial=True
    )
    text = forms.CharField(
        label=_("Löftet"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owners = forms.TypedMultipleChoiceField(
        label=_("Vem lovar"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kryssa i en part, flera kommuner eller alla som lovar tillsammans."),
    )
    target_quantity = forms.IntegerField(
        label=_("Mål, antal"), required=False, min_value=0, max_value=1_000_000
    )
    target_unit = forms.CharField(
        label=_("Mål, enhet"),
        required=False,
        max_length=80,
        help_text=_("Till exempel ”trygghetsvandringar”."),
    )
    target_period = forms.ChoiceField(
        label=_("Mål, per"), choices=Commitment.Period.choices, initial=Commitment.Period.WHOLE
    )
    condition = forms.CharField(
        label=_("Villkor"),
        required=False,
        max_length=300,
        help_text=_("Till exempel ”om boende efterfrågar trygghetsvandringar”."),
    )
    theme = forms.TypedChoiceField(label=_("Tema"), coerce=int, required=False, empty_value=None)
    areas = forms.TypedMultipleChoiceField(
        label=_("Områden"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, vocabulary: Vocabulary, **kwargs):
        super().__init__(*args, **kwargs)
        self.vocabulary = vocabulary
        self.fields["owners"].choices = [
            (org.pk, org.display_name)
            for org in sorted(vocabulary.parties, key=lambda o: (o.kind, o.name))
        ]
        self.fields["theme"].choices = [("", "---------")] + [
            (t.pk, t.name) for t in vocabulary.themes
        ]
        if vocabulary.areas:
            self.fields["areas"].choices = [(a.pk, a.name) for a in vocabulary.areas]
        else:
            del self.fields["areas"]

    @property
    def is_included(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("include"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("include"):
            return cleaned
        if not (cleaned.get("text") or "").strip():
            self.add_error(
                "text", forms.ValidationError(_("Skriv vad som lovas."), code="required")
            )
        if not cleaned.get("owners") and "owners" not in self.errors:
            self.add_error(
                "owners", forms.ValidationError(_("Kryssa i vem som lovar."), code="required")
            )
        if cleaned.get("target_quantity") is not None and not cleaned.get("target_unit"):
            self.add_error(
                "target_unit",
                forms.ValidationError(
                    _("Ett mål behöver en enhet, till exempel ”trygghetsvandringar”."),
                    code="target_unit",
                ),
            )
        return cleaned

    def service_data(self) -> dict:
        """Keyword arguments for ``promises.services.commitment_create``."""
        data = self.cleaned_data
        parties = {org.pk: org for org in self.vocabulary.parties}
        themes = {t.pk: t for t in self.vocabulary.themes}
        area_ids = set(data.get("areas") or [])
        return {
            "text": data["text"].strip(),
            "owners": [parties[pk] for pk in data["owners"]],
            "target_quantity": data.get("target_quantity"),
            "target_unit": data.get("target_unit") or "",
            "target_period": data.get("target_period") or Commitment.Period.WHOLE,
            "condition": data.get("condition") or "",
            "theme": themes.get(data.get("theme")),
            "areas": [a for a in self.vocabulary.areas if a.pk in area_ids],
        }


class BaseCommitmentReviewFormSet(forms.BaseFormSet):
    def included(self) -> list[CommitmentReviewForm]:
        """The forms to turn into commitments, in their order on the page."""
        # A blank form left untouched is skipped by the formset: its cleaned_data is empty.
        return [form for form in self.forms if form.cleaned_data.get("include")]


def commitment_formset(count: int):
    """A formset class for ``count`` proposals and a few blank forms; no more may be posted."""
    total = count + EXTRA_COMMITMENTS
    return formset_factory(
        CommitmentReviewForm,
        formset=BaseCommitmentReviewFormSet,
        extra=EXTRA_COMMITMENTS,
        max_num=total,
        absolute_max=total,
        validate_max=True,
    )
