"""Bytes that are not UTF-8 are refused with a Swedish message, not saved as "�"."""

from django import forms
from django.http import QueryDict

from core.forms import CrispyFormMixin


class NoteForm(CrispyFormMixin, forms.Form):
    title = forms.CharField()
    text = forms.CharField(required=False)


def test_text_posted_as_invalid_utf8_is_refused_and_the_rest_kept():
    # What a client sending raw bytes produces: Django decodes them with "replace".
    data = QueryDict("title=Trygghetsvandring&text=Giltig%20text%20%FF%FE%20ogiltig")
    assert data["text"] == "Giltig text \ufffd\ufffd ogiltig"
    form = NoteForm(data)
    assert not form.is_valid()
    assert form.errors["text"] == [
        "Texten innehåller tecken som inte gick att läsa (visas som �). Ta bort dem eller skriv "
        "in texten igen; inget har sparats."
    ]
    assert "title" not in form.errors


def test_ordinary_swedish_text_passes():
    form = NoteForm(QueryDict("title=%C3%85tg%C3%A4rder%20i%20%C3%96stra%20centrum"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "Åtgärder i Östra centrum"
