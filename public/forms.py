"""Validation of the public site's query parameters, before anything reaches the database.

The search page reads its parameters through ``SearchForm`` only: a value
that cannot be right (a NUL byte, a län code of the wrong shape, a page number
that is not a number) is refused with a Swedish message and a 400, and what
is valid is turned into one canonical form, which is also what the page cache
keys on (``public.caching``).
"""

import unicodedata
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from core.search import clean_query
from promises.published import party_choices

YEAR_MIN, YEAR_MAX = 1900, 2200
MAX_PAGE = 10_000
MAX_QUERY_INPUT = 2_000
THEME_MAX_LENGTH = 120
# The characters a search box may hold: no control characters (NUL breaks
# PostgreSQL's text parser), no bidirectional overrides that make a query read
# differently from what it is. Tabs and line breaks are only white space.
_WHITESPACE = {"\t", "\n", "\r"}
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def has_forbidden_characters(text: str) -> bool:
    """True when ``text`` holds a control character (other than white space) or a bidi override."""
    return any(
        (unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") and c not in _WHITESPACE)
        or c in _BIDI_CONTROLS
        for c in text
    )


class SearchForm(forms.Form):
    """``/sok/?q=…&lan=…&kommun=…&tema=…&ar=…&part=…&sida=…``."""

    #: The parameters in the order of the canonical query string.
    PARAMETERS = ("q", "lan", "kommun", "tema", "ar", "part", "sida")
    FACETS = ("lan", "kommun", "tema", "ar", "part")

    # Longer queries are cut to MAX_QUERY_LENGTH (as the search box does); only an
    # absurd length is refused.
    q = forms.CharField(
        label=_("Sökord"),
        required=False,
        max_length=MAX_QUERY_INPUT,
        error_messages={
            "max_length": _("Sökordet är för långt. Skriv högst 200 tecken."),
            "null_characters_not_allowed": _(
                "Sökordet innehåller ett tecken som inte går att söka på."
            ),
        },
    )
    lan = forms.RegexField(
        label=_("Län"),
        required=False,
        regex=r"\A[0-9]{2}\Z",
        error_messages={"invalid": _("Välj ett län i listan.")},
    )
    kommun = forms.RegexField(
        label=_("Kommun"),
        required=False,
        regex=r"\A[0-9]{4}\Z",
        error_messages={"invalid": _("Välj en kommun i listan.")},
    )
    tema = forms.CharField(
        label=_("Tema"),
        required=False,
        max_length=THEME_MAX_LENGTH,
        error_messages={
            "max_length": _("Välj ett tema i listan."),
            "null_characters_not_allowed": _("Välj ett tema i listan."),
        },
    )
    ar = forms.IntegerField(
        label=_("År"),
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "invalid": _("Ange året med fyra siffror."),
            "min_value": _("Välj ett år mellan %(limit_value)s och 2200."),
            "max_value": _("Välj ett år mellan 1900 och %(limit_value)s."),
        },
    )
    part = forms.ChoiceField(
        label=_("Part"),
        required=False,
        choices=(),
        error_messages={"invalid_choice": _("Välj en part i listan.")},
    )
    sida = forms.IntegerField(
        label=_("Sida"),
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={
            "invalid": _("Sidnumret ska vara ett heltal."),
            "min_value": _("Sidnumret ska vara ett heltal från 1."),
            "max_value": _("Det finns inte så många sidor."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [("", ""), *party_choices()]

    def clean_q(self):
        text = self.cleaned_data["q"]
        if has_forbidden_characters(text):
            raise forms.ValidationError(
                _("Sökordet innehåller ett tecken som inte går att söka på."),
                code="forbidden_character",
            )
        return clean_query(text)

    def clean_tema(self):
        text = " ".join(self.cleaned_data["tema"].split())
        if has_forbidden_characters(text):
            raise forms.ValidationError(_("Välj ett tema i listan."), code="forbidden_character")
        return text

    @property
    def query(self) -> str:
        return self.cleaned_data.get("q", "")

    @property
    def facets(self) -> dict[str, str]:
        """The filters as the search index stores them (strings), empty when not given."""
        values = {key: self.cleaned_data.get(key) for key in self.FACETS}
        return {key: "" if value in (None, "") else str(value) for key, value in values.items()}

    def canonical(self, *, without: tuple[str, ...] = ()) -> str:
        """The valid parameters in a fixed order, empty ones left out: one URL per search."""
        values = {key: self.cleaned_data.get(key) for key in self.PARAMETERS if key not in without}
        if values.get("sida") == 1:
            del values["sida"]  # the first page is the page without a number
        return urlencode(
            [(key, str(value)) for key, value in values.items() if value not in (None, "")]
        )


def search_cache_key(request) -> str | None:
    """What the page cache keys ``/sok/`` on: the canonical parameters, None when invalid."""
    form = SearchForm(request.GET)
    return form.canonical() if form.is_valid() else None


def sitemap_cache_key(request) -> str | None:
    """The sitemap's page number ``p``, as a plain number; None when it is not one."""
    value = request.GET.get("p", "1")
    if not value.isascii() or not value.isdigit() or len(value) > 5:
        return None
    return f"p={int(value)}"


MUNICIPALITY_QUERY_MAX = 60


def fold(text: str) -> str:
    """Case and diacritics folded: "Malmö", "MALMO" and "malmo" compare equal."""
    decomposed = unicodedata.normalize("NFKD", " ".join((text or "").split()).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def municipality_query_text(text: str) -> str:
    """What a kommun name is matched on: folded (``fold``), with no "kommun" or "stad" at
    the end ("Katrineholms kommun" → "katrineholm"), so people type it as they say it."""
    text = fold(text)
    for ending in ("s kommun", " kommun", "s stad", " stad"):
        if text.endswith(ending) and len(text) > len(ending):
            text = text[: -len(ending)]
            break
    return text.strip()


class MunicipalityFilterForm(forms.Form):
    """``/kommuner/?q=…&lan=…&med=loften``: find your kommun, or those with promises."""

    PARAMETERS = ("q", "lan", "med")

    q = forms.CharField(
        required=False,
        max_length=MUNICIPALITY_QUERY_MAX,
        strip=True,
        label=_("Kommunens namn"),
        error_messages={
            "max_length": _("Skriv högst %(limit_value)d tecken: ingen kommun har längre namn."),
            "null_characters_not_allowed": _(
                "Namnet innehåller ett tecken som inget kommunnamn har."
            ),
        },
    )
    lan = forms.RegexField(
        required=False,
        regex=r"\A[0-9]{2}\Z",
        label=_("Län"),
        error_messages={"invalid": _("Välj ett län i listan.")},
    )
    med = forms.ChoiceField(
        required=False,
        choices=[("", _("Alla kommuner")), ("loften", _("Bara kommuner med medborgarlöften"))],
        label=_("Visa"),
        error_messages={"invalid_choice": _("Välj ett av alternativen i listan.")},
    )

    def clean_q(self):
        text = self.cleaned_data["q"]
        if has_forbidden_characters(text):
            raise forms.ValidationError(
                _("Namnet innehåller ett tecken som inget kommunnamn har."),
                code="forbidden_character",
            )
        return " ".join(text.split())

    def clean_lan(self):
        from organizations.models import County

        code = self.cleaned_data["lan"]
        if code and not County.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Välj ett län i listan."), code="invalid")
        return code

    def canonical(self) -> str:
        values = [(key, self.cleaned_data.get(key) or "") for key in self.PARAMETERS]
        return urlencode([(key, value) for key, value in values if value])


def municipality_filter_key(request) -> str | None:
    """The page cache key for ``/kommuner/`` and its suggestions; None when invalid."""
    form = MunicipalityFilterForm(request.GET)
    return form.canonical() if form.is_valid() else None
