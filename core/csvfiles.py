"""CSV files in and out of the workspace: reading what people upload, writing what Excel opens.

Reading: an uploaded file is decoded whatever a spreadsheet saved it as —
UTF-8 (with or without BOM) or Windows-1252 as Excel writes them, UTF-16 or
UTF-32 with a BOM, or UTF-16 without one (recognised by its zero bytes). A
file that is none of these raises ``UnreadableFile`` with a Swedish sentence
that says what to do. ``forbidden_character`` finds what no cell may hold
(control characters, line separators, lone surrogates, bidirectional
overrides), so an import can refuse in its preview what the database would.

Writing: semicolon-separated UTF-8 with a BOM, so Swedish Excel opens it as
it is, and every cell through ``csv_cell`` so that text typed by someone
cannot run as a formula on someone else's computer.

Domain-free: each import (``situation.csv_import``, ``followups.sheet``)
decides its own columns, limits and messages.
"""

import codecs
import csv
import io
import re
import unicodedata
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: A file where more than this share of the characters are control characters is binary.
BINARY_SHARE = 0.01
#: How much of a cell an error message quotes.
SHOWN_LENGTH = 40
CSV_DELIMITER = ";"

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


class UnreadableFile(Exception):
    """The bytes are not a text file an import can read; ``message`` says why, in Swedish."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def plain(text: str) -> str:
    """Lower case without diacritics: "Fördelning" → "fordelning"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def forbidden_character(text: str) -> str | None:
    """The first character no cell may hold: a control character, a line or paragraph
    separator, a lone surrogate or a bidirectional override. None when there is none."""
    for c in text:
        if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or c in _BIDI_CONTROLS:
            return c
    return None


def describe_character(c: str) -> str:
    """A character an error message can name: "NUL", "tabb", "U+202E"."""
    names = {"\x00": "NUL", "\t": _("tabb"), "\n": _("radbrytning"), "\r": _("vagnretur")}
    return names.get(c, f"U+{ord(c):04X}")


def shown(value: str) -> str:
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


def looks_binary(text: str) -> bool:
    """Many control characters (other than tabs and line breaks): not a CSV file at all."""
    controls = sum(1 for c in text if forbidden_character(c) and c not in "\t\r\n")
    return controls > max(10, BINARY_SHARE * len(text))


def delimiter_of(text: str) -> str:
    """Semicolon (Swedish Excel) or comma, whichever the first line has more of."""
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") >= first_line.count(",") else ","


# --- Writing ---------------------------------------------------------------------------

#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"\A[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)\Z")


def csv_cell(value) -> object:
    """One cell as Excel should read it: text that would start a formula gets a leading ``'``.

    Numbers stay numbers, also as text ("-3", "+1,5"): only a cell that is not a
    plain number and starts with ``= + - @``, a tab or a carriage return is
    neutralised, so ``=HYPERLINK(…)`` arrives as the text that was typed. The
    same rule as the open-data CSVs (``public.api.csv_cell``).
    """
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _NUMBER.match(text):
        return f"'{text}"
    return text


def csv_text(header: list, rows) -> str:
    """The whole file: a BOM, the header and the rows, every cell through ``csv_cell``."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([csv_cell(cell) for cell in header])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def csv_response(filename: str, header: list, rows) -> HttpResponse:
    """``csv_text`` as a download named ``filename``."""
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
