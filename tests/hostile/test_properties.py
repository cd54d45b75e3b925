"""Property-based tests (hypothesis): the CSV import, search query parsing, date bounds.

Fixed seeds and bounded examples, so the suite stays fast and a failure
repeats; hypothesis shrinks any counter-example to the smallest input.
"""

import html
import re
from decimal import Decimal

import pytest
from django import forms
from hypothesis import HealthCheck, assume, given, seed, settings
from hypothesis import strategies as st

from core.search import MAX_QUERY_LENGTH, _terms, clean_query, highlight
from public.forms import SearchForm
from situation.csv_import import (
    MAX_ERRORS,
    UnreadableFile,
    decode,
    forbidden_character,
    parse_indicator_csv,
)
from situation.forms import EARLIEST_DATE, LATEST_DATE, validate_plausible_date
from situation.models import IndicatorValue
from tests.situation.factories import IndicatorFactory

SEED = 20260611
FAST = settings(max_examples=60, deadline=None, database=None)
WITH_DB = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADER = "indikator;period;fördelning;grupp;värde"
#: Text a cell may hold: any character but the forbidden ones, and not the delimiter or quote.
cell_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters=';"\u202a\u202e'
    ),
    max_size=15,
).map(str.strip)


# --- Search query parsing ------------------------------------------------------------


@seed(SEED)
@FAST
@given(st.text(max_size=400))
def test_clean_query_is_trimmed_collapsed_bounded_and_idempotent(text):
    query = clean_query(text)
    assert len(query) <= MAX_QUERY_LENGTH
    assert query == query.strip()
    assert not re.search(r"\s\s", query)
    assert clean_query(query) == query


@seed(SEED)
@FAST
@given(st.text(max_size=400))
def test_terms_are_few_long_enough_lower_case_words(text):
    terms = _terms(clean_query(text))
    assert len(terms) <= 8
    for term in terms:
        assert len(term) >= 3
        assert term == term.lower()
        assert re.fullmatch(r"\w+", term)


@seed(SEED)
@FAST
@given(st.text(max_size=600), st.text(max_size=60))
def test_highlight_escapes_everything_but_its_own_marks(text, query):
    snippet = highlight(text, query)
    without_marks = re.sub(r"</?mark>", "", snippet)
    assert "<" not in without_marks and ">" not in without_marks
    core = html.unescape(without_marks)
    core = core.removeprefix("…").removesuffix("…")
    assert core in text


@seed(SEED)
@FAST
@given(
    st.dictionaries(
        st.sampled_from([*SearchForm.PARAMETERS, "utm_source"]), st.text(max_size=80), max_size=6
    )
)
def test_search_form_accepts_only_what_is_safe_and_is_canonical(params):
    form = SearchForm(params)
    if not form.is_valid():
        return
    assert "\x00" not in form.query
    assert all("\x00" not in value for value in form.facets.values())
    # The canonical form means the same search and is its own canonical form.
    from django.http import QueryDict

    again = SearchForm(QueryDict(form.canonical()))
    assert again.is_valid()
    assert again.canonical() == form.canonical()


@seed(SEED)
@FAST
@given(st.text(max_size=50), st.integers(min_value=0, max_value=49))
def test_a_nul_anywhere_in_the_query_is_refused(text, position):
    position = min(position, len(text))
    form = SearchForm({"q": text[:position] + "\x00" + text[position:]})
    assert not form.is_valid()


# --- Date bounds -------------------------------------------------------------------------


@seed(SEED)
@FAST
@given(st.dates())
def test_dates_outside_2000_2100_are_refused_with_a_code(value):
    inside = EARLIEST_DATE <= value <= LATEST_DATE
    try:
        validate_plausible_date(value)
    except forms.ValidationError as error:
        assert not inside
        assert error.code == "date_out_of_range"
    else:
        assert inside


# --- CSV import ------------------------------------------------------------------------------


@seed(SEED)
@FAST
@given(st.binary(max_size=2000))
def test_decode_reads_any_bytes_or_says_why(data):
    try:
        text = decode(data)
    except UnreadableFile as error:
        assert error.message
    else:
        assert isinstance(text, str)


@seed(SEED)
@FAST
@given(st.text(max_size=300), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_decode_reads_text_in_every_encoding_with_a_bom(text, encoding):
    # Without a BOM, NUL bytes make UTF-8 look like UTF-16; real CSV text has none.
    assume(encoding != "utf-8" or "\x00" not in text)
    # UTF-16's BOM and a NUL read as UTF-32's BOM; no CSV file starts with NUL.
    assume(not text.startswith("\x00"))
    assert decode(text.encode(encoding)).lstrip("\ufeff") == text.lstrip("\ufeff")


@pytest.fixture
def indicator(kalmar_report):
    return IndicatorFactory(report=kalmar_report, name="Otrygghet kvällstid")


@pytest.mark.django_db
@seed(SEED)
@WITH_DB
@given(data=st.binary(max_size=3000))
def test_any_bytes_give_rows_or_messages_never_an_exception(kalmar_report, data):
    result = parse_indicator_csv(report=kalmar_report, data=data)
    assert result.ok or result.errors
    assert len(result.errors) <= MAX_ERRORS + 1
    for row in result.rows:
        assert forbidden_character(row.period + row.group) is None
        assert 0 < len(row.period) <= 20 and len(row.group) <= 80


rows = st.lists(
    st.tuples(
        cell_text.filter(lambda p: 0 < len(p) <= 20),
        st.sampled_from(["alla", "kön", "ålder", "område"]),
        cell_text.filter(lambda g: 0 < len(g) <= 80),
        st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda r: (r[0], r[1], r[2] if r[1] != "alla" else ""),
)


def _csv(indicator, lines) -> str:
    out = [HEADER]
    for period, breakdown, group, value in lines:
        group = "" if breakdown == "alla" else group
        out.append(f"{indicator.pk};{period};{breakdown};{group};{str(value).replace('.', ',')}")
    return "\n".join(out) + "\n"


@pytest.mark.django_db
@seed(SEED)
@WITH_DB
@given(lines=rows, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le"]))
def test_valid_files_round_trip_in_any_encoding(indicator, lines, encoding):
    text = _csv(indicator, lines)
    # UTF-16 without a BOM is recognised by its zero bytes: text in the Latin-1 range.
    assume(encoding != "utf-16-le" or all(ord(c) < 0x100 for c in text))
    result = parse_indicator_csv(report=indicator.report, data=text.encode(encoding))
    assert result.ok, result.errors
    assert [(r.period, r.value) for r in result.rows] == [(p, Decimal(v)) for p, _, _, v in lines]
    assert all(r.breakdown in IndicatorValue.Breakdown.values for r in result.rows)


@pytest.mark.django_db
@seed(SEED)
@WITH_DB
@given(
    lines=rows,
    line=st.integers(min_value=0, max_value=7),
    column=st.integers(min_value=0, max_value=4),
    bad=st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\u2028", "\u202e", "\x85"]),
)
def test_a_control_character_in_any_cell_is_refused_in_the_preview(
    indicator, lines, line, column, bad
):
    text = _csv(indicator, lines).splitlines()
    number = 1 + min(line, len(lines) - 1)
    cells = text[number].split(";")
    # Inside the cell: white space at its ends is stripped, never saved.
    cells[column] = f"{cells[column]}{bad}x"
    text[number] = ";".join(cells)
    result = parse_indicator_csv(report=indicator.report, data="\n".join(text).encode("utf-8"))
    assert not result.ok
    assert not result.rows
    assert any(f"Rad {number + 1}:" in error for error in result.errors), result.errors
