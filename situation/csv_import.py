"""Reading indicator values from a CSV file: all lines valid, or nothing at all.

Columns (header row required, in any order, case-insensitive):
``indikator;period;fördelning;grupp;värde``. Semicolon or comma separated,
decimal comma or point. ``indikator`` is the indicator's number or its exact
name.

Encodings: UTF-8 (with or without BOM) or Windows-1252 as Excel writes them,
and UTF-16 or UTF-32 with a BOM (or UTF-16 without one, recognised by its
zero bytes). A file that is none of these — bytes Windows-1252 does not
define, a binary file — is refused whole with a Swedish sentence that says
what to do, and so is any cell holding a control character (NUL, a tab, a
line break inside quotes) or a bidirectional override: the preview refuses
what the database would, so confirming can never fail half-way.

Between preview and confirmation the validated rows travel in a signed token;
the confirmation step checks the signature and validates the rows again
against the database as it is then.
"""

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from situation.models import Indicator, IndicatorValue, SituationReport
from situation.services import ImportRow

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
#: Errors listed at most; a file with more is refused with the first ones.
MAX_ERRORS = 100
#: A file where more than this share of the characters are control characters is binary.
BINARY_SHARE = 0.01
MAX_VALUE_LENGTH = 40
SHOWN_LENGTH = 40
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


def _plain(text: str) -> str:
    """Lower case without diacritics: "Fördelning" → "fordelning"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class ParseResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


class UnreadableFile(Exception):
    """The bytes are not a text file this import can read; ``message`` says why, in Swedish."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


SAVE_AS_UTF8 = gettext_lazy(
    "Spara filen som ”CSV UTF-8 (kommaavgränsad)” i Excel och ladda upp den igen."
)
_BOMS = (
    # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def forbidden_character(text: str) -> str | None:
    """The first character no cell may hold: a control character, a line or paragraph
    separator, a lone surrogate or a bidirectional override. None when there is none."""
    for c in text:
        if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or c in _BIDI_CONTROLS:
            return c
    return None


def _describe(c: str) -> str:
    names = {"\x00": "NUL", "\t": _("tabb"), "\n": _("radbrytning"), "\r": _("vagnretur")}
    return names.get(c, f"U+{ord(c):04X}")


def _shown(value: str) -> str:
    """A cell as an error message may quote it: no control characters, not too long."""
    text = "".join("\ufffd" if forbidden_character(c) else c for c in value[:SHOWN_LENGTH])
    return text + ("…" if len(value) > SHOWN_LENGTH else "")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 written without a BOM: text where every other byte is zero."""
    if len(data) < 4 or len(data) % 2:
        return None
    half = len(data) // 2
    for encoding, zeros, others in (
        ("utf-16-le", data[1::2], data[0::2]),
        ("utf-16-be", data[0::2], data[1::2]),
    ):
        if zeros.count(0) >= 0.9 * half and others.count(0) <= 0.1 * half:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def decode(data: bytes) -> str:
    """The text of an uploaded file; ``UnreadableFile`` when it cannot be read as text."""
    matching = [encoding for bom, encoding in _BOMS if data.startswith(bom)]
    for encoding in matching:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue  # FF FE 00 00 is UTF-32's BOM, or UTF-16's followed by a NUL
    if matching:
        raise UnreadableFile(
            _(
                "Filen börjar som %(encoding)s men innehåller byte som inte hör dit; "
                "den kan vara skadad. %(advice)s"
            )
            % {"encoding": matching[-1].upper().removesuffix("-SIG"), "advice": SAVE_AS_UTF8}
        )
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is not None:
            return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _(
                "Filen kan inte läsas som text: byte %(byte)s (plats %(position)d i filen) finns "
                "varken i UTF-8 eller i Windows-1252. Den kan vara en annan sorts fil än CSV, "
                "eller sparad med en annan teckenkodning. %(advice)s"
            )
            % {
                "byte": f"0x{data[error.start]:02X}",
                "position": error.start + 1,
                "advice": SAVE_AS_UTF8,
            }
        ) from None


def _looks_binary(text: str) -> bool:
    controls = sum(1 for c in text if forbidden_character(c) and c not in "\t\r\n")
    return controls > max(10, BINARY_SHARE * len(text))


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
            ) % {"name": _shown(key), "numbers": ", ".join(str(i.pk) for i in matches)}
        return None, _("indikatorn ”%(name)s” finns inte i lägesbilden") % {"name": _shown(key)}

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
                "column": f"”{_shown(column)}”" if column else str(position + 1),
                "char": _describe(c),
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
    if _looks_binary(text):
        result.errors.append(
            _(
                "Filen innehåller binära data (många styrtecken) och är ingen CSV-fil. "
                "Välj CSV-filen med indikatorvärdena. %(advice)s"
            )
            % {"advice": SAVE_AS_UTF8}
        )
        return result
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        result.errors.append(_("Filen är tom."))
        return result
    problem = _cell_problem(header, header)
    if problem:
        result.errors.append(_("Rad 1: %(problem)s.") % {"problem": problem})
        return result
    names = [COLUMNS.get(_plain(h)) for h in header]
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
            breakdown = BREAKDOWNS.get(_plain(record.get("breakdown", "")))
            group = record.get("group", "")
            if breakdown is None:
                problems.append(
                    _("okänd fördelning ”%(value)s” (använd alla, kön, ålder eller område)")
                    % {"value": _shown(record.get("breakdown", ""))}
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
                        _("värdet ”%(value)s” har för många siffror") % {"value": _shown(raw_value)}
                    )
            except (InvalidOperation, ValueError):
                problems.append(
                    _("värdet ”%(value)s” är inget tal") % {"value": _shown(raw_value)}
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
