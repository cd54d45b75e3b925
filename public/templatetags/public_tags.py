"""Filters for the public pages: plain-Swedish lists and explained abbreviations."""

from django import template
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext

from public import glossary

register = template.Library()


@register.filter
def and_list(items) -> str:
    """["A", "B", "C"] → "A, B och C" (in English: "A, B and C")."""
    return get_text_list([str(i) for i in items], gettext("och"))


@register.filter
def explain(text):
    """The text with its abbreviations (EST, SIG, ANDTS…) explained in ``<abbr>``."""
    return glossary.explain(str(text or ""))


@register.simple_tag
def date_range(start, end, extended=None) -> str:
    """One date format everywhere: "1 januari – 31 december 2020", "1 juli 2018 – 30 juni
    2020"; "(förlängt)" when the end is an extension."""
    if not start or not end:
        return date_format(start or end, "j F Y") if (start or end) else ""
    if start.year == end.year:
        text = f"{date_format(start, 'j F')} – {date_format(end, 'j F Y')}"
    else:
        text = f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"
    if extended:
        text = gettext("%(period)s (förlängt)") % {"period": text}
    return text


@register.filter
def in_reader_language(url: str) -> str:
    """A stored public address (the search index keeps the Swedish one) in the language
    of the page: on the English site, /medborgarloften/1/ becomes /en/medborgarloften/1/."""
    from django.conf import settings
    from django.urls import translate_url
    from django.utils.translation import get_language, override

    language = get_language()
    if not url or language == settings.LANGUAGE_CODE:
        return url
    with override(settings.LANGUAGE_CODE):  # resolved as stored, reversed in the reader's
        return translate_url(url, language)
