"""Reading indicator values from a CSV file: all lines valid, or nothing at all.

Columns (header row required, in any order, case-insensitive):
``indikator;period;fördelning;grupp;värde``. Semicolon or comma separated,
decimal comma or point. ``indikator`` is the indicator's number or its exact
name.

Encodings: UTF-8 (with or without BOM) or Windows-1252 as Excel writes them,
and UTF-16 or UTF-32 with a BOM (or UTF-16 without one, recognised by its
zero bytes), read by ``core.csvfiles`` as the follow-up sheet is. A file
that is none of these — bytes Windows-1252 does not define, a binary
file — is refused whole with a Swedish sentence that says
what to do, and so is any cell holding a control character (NUL, a tab, a
line break inside quotes) or a bidirectional override: the preview refuses
what the database would, so confirming can never fail half-way.

Between preview and confirmation the validated rows travel in a signed token;
the confirmation step checks the signature and validates the rows again
against the database as it is then.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.utils.translation import gettext as _

from core.csvfiles import (
    SAVE_AS_UTF8,
    UnreadableFile,
    decode,
    delimiter_of,
    describe_character,
    forbidden_character,
    looks_binary,
    plain,
    shown,
)
from situation.models import Indicator, IndicatorValue, SituationReport
from situation.services import ImportRow

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
#: Errors listed at most; a file with more is refused with the first ones.
MAX_ERRORS = 100
MAX_VALUE_LENGTH = 40
SIGNING_SALT = "situation.indicator-import"
TOKEN_MAX_AGE = 60 * 60

COLUMNS = {
    "indikator": "indicator",
    "period": "period",
    "fordelning": "breakdown",
    "grupp": "group",
    "varde": "value",
}
BREAKDOWNS = {
    "alla": IndicatorValue.Breakdown.ALL,
    "totalt": IndicatorValue.Breakdown.ALL,
    "": IndicatorValue.Breakdown.ALL,
    "kon": IndicatorValue.Breakdown.GENDER,
    "alder": IndicatorValue.Breakdown.AGE,
    "aldersgrupp": IndicatorValue.Breakdown.AGE,
    "omrade": IndicatorValue.Breakdown.AREA,
}


@dataclass
class ParseResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _parse_value(raw: str) -> Decimal:
    text = raw.strip().removesuffix("%").strip().replace("\u00a0", "").replace(" ", "")
    text = text.replace("−", "-").replace(",", ".")
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


def _indicator_lookup(report: SituationReport):
    indicators = list(report.indicators.order_by("pk"))
    by_id = {str(i.pk): i for i in indicators}
    by_name: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_name.setdefault(indicator.name.strip().casefold(), []).append(indicator)

    def find(key: str) -> tuple[Indicator | None, str | None]:
        key = key.strip()
        if key in by_id:
            return by_id[key], None
        matches = by_name.get(key.casefold(), [])
        if len(matches) == 1:
            return matches[0], None
        if matches:
            return None, _(
                "flera indikatorer heter ”%(name)s”; ange indikatorns nummer (%(numbers)s)"
            ) % {"name": shown(key), "numbers": ", ".join(str(i.pk) for i in matches)}
        return None, _("indikatorn ”%(name)s” finns inte i lägesbilden") % {"name": shown(key)}

    return find


def _cell_problem(cells: list[str], header: list[str]) -> str | None:
    """Why a line cannot be imported as it is: a cell with a character no cell may hold."""
    for position, cell in enumerate(cells):
        c = forbidden_character(cell.strip())
        if c is not None:
            column = header[position].strip() if position < len(header) else ""
            return _(
                "kolumn %(column)s innehåller ett tecken som inte får finnas i en cell (%(char)s)"
            ) % {
                "column": f"”{shown(column)}”" if column else str(position + 1),
                "char": describe_character(c),
            }
    return None


def parse_indicator_csv(*, report: SituationReport, data: bytes) -> ParseResult:
    """Validate every line; the result has rows only when no line failed."""
    result = ParseResult()
    if len(data) > MAX_BYTES:
        result.errors.append(_("Filen är för stor (högst 1 MB)."))
        return result
    try:
        text = decode(data)
    except UnreadableFile as error:
        result.errors.append(error.message)
        return result
    if looks_binary(text):
        result.errors.append(
            _(
                "Filen innehåller binära data (många styrtecken) och är ingen CSV-fil. "
                "Välj CSV-filen med indikatorvärdena. %(advice)s"
            )
            % {"advice": SAVE_AS_UTF8}
        )
        return result
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        result.errors.append(_("Filen är tom."))
        return result
    problem = _cell_problem(header, header)
    if problem:
        result.errors.append(_("Rad 1: %(problem)s.") % {"problem": problem})
        return result
    names = [COLUMNS.get(plain(h)) for h in header]
    missing = [col for col, key in COLUMNS.items() if key not in names and key != "group"]
    if missing:
        result.errors.append(
            _("Rad 1: kolumnerna %(missing)s saknas. Första raden ska vara: %(expected)s.")
            % {
                "missing": ", ".join(missing),
                "expected": "indikator;period;fördelning;grupp;värde",
            }
        )
        return result
    find_indicator = _indicator_lookup(report)
    existing = {
        (v.indicator_id, v.period, v.breakdown, v.group): v.value
        for v in IndicatorValue.objects.filter(indicator__report=report)
    }
    seen: dict[tuple, int] = {}
    rows: list[ImportRow] = []
    try:
        for line_no, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) + len(result.errors) >= MAX_ROWS:
                result.errors.append(_("Filen har för många rader (högst %d).") % MAX_ROWS)
                break
            if len(result.errors) >= MAX_ERRORS:
                result.errors.append(
                    _("Filen har fler fel än de %d som visas. Rätta dem och ladda upp filen igen.")
                    % MAX_ERRORS
                )
                break
            problem = _cell_problem(cells, header)
            if problem:
                result.errors.append(
                    _("Rad %(line)d: %(problem)s.") % {"line": line_no, "problem": problem}
                )
                continue
            record = {
                key: (cells[i].strip() if i < len(cells) else "")
                for i, key in enumerate(names)
                if key
            }
            problems = []
            indicator, problem = find_indicator(record.get("indicator", ""))
            if problem:
                problems.append(problem)
            period = record.get("period", "")
            if not period:
                problems.append(_("perioden saknas"))
            elif len(period) > 20:
                problems.append(_("perioden är längre än 20 tecken"))
            breakdown = BREAKDOWNS.get(plain(record.get("breakdown", "")))
            group = record.get("group", "")
            if breakdown is None:
                problems.append(
                    _("okänd fördelning ”%(value)s” (använd alla, kön, ålder eller område)")
                    % {"value": shown(record.get("breakdown", ""))}
                )
            elif breakdown == IndicatorValue.Breakdown.ALL and group:
                problems.append(_("grupp ska vara tom när fördelningen är alla"))
            elif breakdown != IndicatorValue.Breakdown.ALL and not group:
                problems.append(_("grupp saknas"))
            elif len(group) > 80:
                problems.append(_("gruppen är längre än 80 tecken"))
            value = None
            raw_value = record.get("value", "")
            try:
                if len(raw_value) > MAX_VALUE_LENGTH:
                    raise InvalidOperation
                value = _parse_value(raw_value)
                if abs(value) >= Decimal("1e10") or value != value.quantize(Decimal("0.01")):
                    problems.append(
                        _("värdet ”%(value)s” har för många siffror") % {"value": shown(raw_value)}
                    )
            except (InvalidOperation, ValueError):
                problems.append(
                    _("värdet ”%(value)s” är inget tal") % {"value": shown(raw_value)}
                    if raw_value
                    else _("värde saknas")
                )
            if not problems:
                key = (indicator.pk, period, breakdown, group)
                if key in seen:
                    problems.append(
                        _("samma indikator, period och grupp som på rad %d") % seen[key]
                    )
                seen[key] = line_no
            if problems:
                result.errors.append(
                    _("Rad %(line)d: %(problems)s.")
                    % {"line": line_no, "problems": "; ".join(problems)}
                )
                continue
            rows.append(
                ImportRow(
                    line=line_no,
                    indicator=indicator,
                    period=period,
                    breakdown=breakdown,
                    group=group,
                    value=value,
                    previous=existing.get((indicator.pk, period, breakdown, group)),
                )
            )
    except csv.Error as exc:
        result.errors.append(
            _("Rad %(line)d: filen kan inte läsas som CSV (%(error)s).")
            % {"line": reader.line_num, "error": exc}
        )
    if not result.errors and not rows:
        result.errors.append(_("Filen innehåller inga värden."))
    if not result.errors:
        result.rows = rows
    return result


def rows_to_token(report: SituationReport, rows: list[ImportRow]) -> str:
    """Sign the validated rows so the confirmation cannot be tampered with."""
    payload = {
        "report": report.pk,
        "rows": [
            [r.line, r.indicator.pk, r.period, r.breakdown, r.group, str(r.value)] for r in rows
        ],
    }
    return signing.dumps(payload, salt=SIGNING_SALT, compress=True)


def rows_from_token(report: SituationReport, token: str) -> ParseResult:
    """Rows from a signed token, checked again against the report as it is now."""
    result = ParseResult()
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        result.errors.append(
            _("Förhandsgranskningen är för gammal eller ogiltig. Ladda upp filen igen.")
        )
        return result
    if payload.get("report") != report.pk:
        result.errors.append(_("Filen hör till en annan lägesbild. Ladda upp den igen."))
        return result
    indicators = {i.pk: i for i in report.indicators.all()}
    try:
        lines = [
            (int(line), int(indicator_id), str(period), str(breakdown), str(group), Decimal(value))
            for line, indicator_id, period, breakdown, group, value in payload["rows"]
        ]
    except (KeyError, TypeError, ValueError, InvalidOperation):
        result.errors.append(_("Förhandsgranskningen är ogiltig. Ladda upp filen igen."))
        return result
    for line, indicator_id, period, breakdown, group, value in lines:
        indicator = indicators.get(indicator_id)
        if indicator is None:
            result.errors.append(
                _("Rad %(line)d: indikatorn har tagits bort sedan filen lästes in.")
                % {"line": line}
            )
            continue
        # Checked in the preview already; checked again so that nothing the database
        # would refuse can reach it from a token, whatever made the token.
        if (
            breakdown not in IndicatorValue.Breakdown.values
            or not 0 < len(period) <= 20
            or len(group) > 80
            or forbidden_character(period + group)
        ):
            result.errors.append(
                _("Rad %(line)d: raden kan inte sparas. Ladda upp filen igen.") % {"line": line}
            )
            continue
        result.rows.append(
            ImportRow(
                line=line,
                indicator=indicator,
                period=period,
                breakdown=breakdown,
                group=group,
                value=value,
            )
        )
    if result.errors:
        result.rows = []
    return result
