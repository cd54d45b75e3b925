"""A follow-up as a spreadsheet: download it, fill it in, upload it back — all rows or none.

One row per assessed commitment, the same columns out and in::

    followup_id;commitment_id;commitment;promised;target;figure;status;outcome;comment;row_version

``figure``, ``status``, ``outcome`` and ``comment`` are read back;
``commitment``, ``promised`` and ``target`` are there to read while filling
in, and changes to them are not saved. ``status`` is written as the Swedish
label ("Delvis genomförd") and read as a label or a code ("delvis_genomford"),
with or without å, ä, ö. A typed figure is the coordinators' own, exactly as
in the form (``followups.services.followup_update``).

Reading is ``core.csvfiles``, as for the lägesbild import: any encoding Excel
saves in, and a file with one bad line is refused whole, every problem listed
with its row number (the row as the spreadsheet numbers it, the header being
row 1). A cell exactly as it was downloaded is always accepted, so an
unchanged file changes nothing whatever the saved texts hold.

Nothing saved by someone else is overwritten, neither after the download
nor after the preview:

- ``row_version`` is a digest of the row's figure, status and texts as they
  were saved when the sheet was downloaded. A row whose commitment has been
  saved since (in the form, by recounting, by another sheet) is compared
  with it: a row the file leaves as downloaded keeps what is saved now (the
  preview says so), a row the file changes too is refused as a conflict, with
  its line number, so an old sheet never puts back what someone else replaced.
- Between preview and confirmation the changes travel in a signed token with
  the follow-up's ``lock_version`` at preview time; confirming after someone
  else saved is refused as a conflict, never saved over their work.
"""

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field

from django.core import signing
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.csvfiles import (
    FORMULA_PREFIXES,
    SAVE_AS_UTF8,
    UnreadableFile,
    csv_cell,
    csv_response,
    decode,
    delimiter_of,
    describe_character,
    forbidden_character,
    looks_binary,
    plain,
    shown,
)
from followups.models import ASSESSMENT_MAX_LENGTH, CommitmentAssessment, FollowUp

Status = CommitmentAssessment.Status

COLUMNS = [
    "followup_id",
    "commitment_id",
    "commitment",
    "promised",
    "target",
    "figure",
    "status",
    "outcome",
    "comment",
    "row_version",
]
#: Read back into the assessment.
EDITABLE = ("figure", "status", "outcome", "comment")
#: Shown for filling in; may be left out of an uploaded file.
INFORMATIONAL = frozenset({"commitment", "promised", "target"})
#: Columns whose text may hold line breaks (a cell over several lines in Excel).
MULTILINE = frozenset({"commitment", "promised", "outcome", "comment"})

#: A hundred commitments with two full texts each fit well within this.
MAX_BYTES = 2_000_000
MAX_ROWS = 500
#: Errors listed at most; a file with more is refused with the first ones.
MAX_ERRORS = 100
#: Done so far, at most: more than any commitment of a local promise counts.
MAX_FIGURE = 1_000_000
MAX_FIGURE_LENGTH = 20
SIGNING_SALT = "followups.sheet"
TOKEN_MAX_AGE = 60 * 60

_WHOLE_NUMBER = re.compile(r"\A[0-9]+(?:[.,]0+)?\Z")
_NUMBER = re.compile(r"\A[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)\Z")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")
#: A letter first, so that no spreadsheet reads the digest as a number ("1e5…") or a date.
_ROW_VERSION = re.compile(r"\Av[0-9a-f]{12}\Z")


# --- Writing -------------------------------------------------------------------------------


def sheet_filename(followup: FollowUp) -> str:
    """``uppfoljning-14-tertial-2-2020.csv``."""
    return f"uppfoljning-{followup.pk}-{slugify(followup.title) or 'period'}.csv"


def _status_label(code: str) -> str:
    with translation.override("sv"):
        return str(Status(code).label) if code in Status.values else code


def _normal_text(text: str) -> str:
    """Text as compared: line breaks as ``\\n`` (Excel saves either), no outer whitespace."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def row_version(*, figure: int | None, status: str, outcome: str, comment: str) -> str:
    """The digest of what a row can change, as saved: ``v`` and 12 hexadecimal digits."""
    payload = json.dumps(
        [figure, status, _normal_text(outcome), _normal_text(comment)], ensure_ascii=False
    )
    return "v" + hashlib.sha256(payload.encode()).hexdigest()[:12]


def _saved_version(assessment: CommitmentAssessment) -> str:
    return row_version(**{name: getattr(assessment, name) for name in EDITABLE})


def _row(followup: FollowUp, assessment: CommitmentAssessment) -> list:
    return [
        followup.pk,
        assessment.commitment_id,
        assessment.commitment_text,
        assessment.promised,
        assessment.target_count,
        assessment.figure,
        _status_label(assessment.status),
        assessment.outcome,
        assessment.comment,
        _saved_version(assessment),
    ]


def _assessments(followup: FollowUp) -> list[CommitmentAssessment]:
    return list(followup.assessments.order_by("order", "pk"))


def sheet_response(followup: FollowUp):
    """The follow-up's sheet as a download: semicolons, UTF-8 with BOM, formulas neutralised."""
    rows = [_row(followup, a) for a in _assessments(followup)]
    return csv_response(sheet_filename(followup), COLUMNS, rows)


def _as_written(value) -> str:
    """A cell as ``csv.writer`` writes it after ``csv_cell`` (and a reader reads it back)."""
    return str(csv_cell(value))


# --- Reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: object
    new: object


@dataclass
class RowChange:
    """What one row of the file changes in one assessment (only what differs)."""

    line: int
    assessment: CommitmentAssessment
    values: dict = field(default_factory=dict)
    #: Saved since the download and left as downloaded in the file: what is saved stays.
    kept: bool = False

    def field(self, name: str) -> FieldChange | None:
        if name not in self.values:
            return None
        return FieldChange(name, getattr(self.assessment, name), self.values[name])

    @property
    def figure(self) -> FieldChange | None:
        return self.field("figure")

    @property
    def status(self) -> FieldChange | None:
        return self.field("status")

    @property
    def text_changes(self) -> list[FieldChange | None]:
        """Outcome and comment, in the preview's column order."""
        return [self.field("outcome"), self.field("comment")]

    @property
    def new_status_label(self) -> str:
        return Status(self.values["status"]).label if "status" in self.values else ""


@dataclass
class SheetResult:
    changes: list[RowChange] = field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    version: int | None = None
    #: Lines the file leaves as downloaded whose commitment was saved since: kept as saved.
    kept: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def service_values(self) -> dict[int, dict]:
        """``{assessment pk: {field: new value}}`` for ``followup_update``."""
        return {change.assessment.pk: dict(change.values) for change in self.changes}


def _status_key(text: str) -> str:
    return " ".join(plain(text).replace("_", " ").replace("-", " ").split())


def _status_lookup() -> dict[str, str]:
    """Codes and labels (Swedish, and the language in use) → code."""
    keys = {}
    for code, label in Status.choices:
        keys[_status_key(code)] = code
        keys[_status_key(str(label))] = code
    with translation.override("sv"):
        for code, label in Status.choices:
            keys[_status_key(str(label))] = code
    return keys


def _status_names() -> str:
    with translation.override("sv"):
        labels = [str(label) for _code, label in Status.choices]
    return _("%(list)s eller %(last)s") % {"list": ", ".join(labels[:-1]), "last": labels[-1]}


def _same_text(a: str, b: str) -> bool:
    return _normal_text(a) == _normal_text(b)


def _typed_text(cell: str) -> str:
    """What was typed in a text cell: the ``'`` the download put before a formula taken off."""
    rest = cell[1:]
    if cell.startswith("'") and rest.startswith(FORMULA_PREFIXES) and not _NUMBER.match(rest):
        cell = rest
    return _normal_text(cell)


def _char_problem(column: str, cell: str) -> str | None:
    allowed = "\n\r" if column in MULTILINE else ""
    c = forbidden_character("".join(ch for ch in cell if ch not in allowed))
    if c is None:
        return None
    return _(
        "kolumnen %(column)s innehåller ett tecken som inte får finnas i en cell (%(char)s)"
    ) % {"column": column, "char": describe_character(c)}


def _parse_figure(raw: str) -> int | None:
    """A whole number ≥ 0 ("11", "1 200", "11,0"), None for an empty cell; ValueError otherwise."""
    text = raw.strip().translate(_SPACES)
    if not text:
        return None
    if len(text) > MAX_FIGURE_LENGTH or not _WHOLE_NUMBER.match(text):
        raise ValueError(raw)
    return int(re.split(r"[.,]", text, maxsplit=1)[0])


def _header(cells: list[str]) -> tuple[list[str | None], list[str]]:
    """Column names by position, and what is wrong with the header row."""
    problems = []
    names: list[str | None] = []
    for position, cell in enumerate(cells):
        text = cell.lstrip("\ufeff")
        c = forbidden_character(text)
        if c is not None:
            problems.append(
                _("kolumn %(position)d har ett tecken som inte får finnas i en cell (%(char)s)")
                % {"position": position + 1, "char": describe_character(c)}
            )
            names.append(None)
            continue
        name = plain(text)
        if not name:
            names.append(None)
            continue
        if name not in COLUMNS:
            problems.append(_("okänd kolumn ”%(name)s”") % {"name": shown(text.strip())})
        elif name in names:
            problems.append(_("kolumnen %(name)s finns två gånger") % {"name": name})
        names.append(name if name in COLUMNS else None)
    missing = [c for c in COLUMNS if c not in names and c not in INFORMATIONAL]
    if missing:
        problems.append(
            ngettext(
                "kolumnen %(missing)s saknas",
                "kolumnerna %(missing)s saknas",
                len(missing),
            )
            % {"missing": ", ".join(missing)}
        )
    return names, problems


def parse_sheet(*, followup: FollowUp, data: bytes) -> SheetResult:
    """Compare the uploaded sheet with the follow-up as it is; errors for every bad row."""
    result = SheetResult(version=followup.lock_version)
    if len(data) > MAX_BYTES:
        result.errors.append(_("Filen är för stor (högst 2 MB)."))
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
                "Välj kalkylarket du laddade ner och fyllde i. %(advice)s"
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
    names, problems = _header(header)
    if problems:
        result.errors.append(
            _("Rad 1: %(problems)s. Första raden ska vara: %(expected)s.")
            % {"problems": "; ".join(problems), "expected": ";".join(COLUMNS)}
        )
        return result

    assessments = _assessments(followup)
    by_commitment = {str(a.commitment_id): a for a in assessments}
    statuses = _status_lookup()
    # Every row read first: a file with too many is refused before any is checked.
    records = []
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(records) == MAX_ROWS:
                result.errors.append(_("Filen har för många rader (högst %d).") % MAX_ROWS)
                return result
            records.append((line, cells))
    except csv.Error as exc:
        result.errors.append(
            _("Rad %(line)d: filen kan inte läsas som CSV (%(error)s).")
            % {"line": reader.line_num, "error": exc}
        )
        return result
    seen: dict[str, int] = {}
    for line, cells in records:
        if len(result.errors) >= MAX_ERRORS:
            result.errors.append(
                _("Filen har fler fel än de %d som visas. Rätta dem och ladda upp filen igen.")
                % MAX_ERRORS
            )
            break
        try:
            change = _read_row(followup, line, cells, names, by_commitment, seen, statuses)
        except _Refused as refused:
            result.errors.append(
                _("Rad %(line)d: %(problem)s.") % {"line": line, "problem": refused}
            )
            continue
        if change.values:
            result.changes.append(change)
        else:
            result.unchanged += 1
            if change.kept:
                result.kept.append(line)
    if not result.errors:
        if not records:
            result.errors.append(_("Filen innehåller inga rader med åtaganden."))
        for assessment in assessments:
            if str(assessment.commitment_id) not in seen:
                result.errors.append(
                    _(
                        "Åtagande %(id)d (”%(text)s”) saknas i filen. "
                        "Varje åtagande i uppföljningen ska ha en rad; har det kommit till "
                        "sedan du laddade ner kalkylarket, ladda ner det igen."
                    )
                    % {"id": assessment.commitment_id, "text": shown(assessment.commitment_text)}
                )
    if result.errors:
        result.changes, result.unchanged, result.kept = [], 0, []
    return result


class _Refused(Exception):
    """One row cannot be read; the message says why."""


def _read_row(followup, line, cells, names, by_commitment, seen, statuses) -> RowChange:
    """What one row of the file changes; ``_Refused`` when it cannot be read."""
    width = len(names)
    if len(cells) < width or any(cell.strip() for cell in cells[width:]):
        raise _Refused(
            _(
                "raden har %(cells)d kolumner men rubrikraden har %(header)d; "
                "ta inte bort eller lägg till kolumner"
            )
            % {"cells": len(cells), "header": width}
        )
    record = {name: cells[i] for i, name in enumerate(names) if name}

    raw_followup = record["followup_id"].strip()
    if raw_followup != str(followup.pk):
        if not raw_followup.isascii() or not raw_followup.isdigit():
            raise _Refused(
                _("”%(value)s” i kolumnen followup_id är inget uppföljningsnummer")
                % {"value": shown(raw_followup)}
            )
        raise _Refused(
            _(
                "raden hör till uppföljning %(other)s, inte till den här (nummer %(this)d). "
                "Ladda ner kalkylarket för den här uppföljningen och fyll i det"
            )
            % {"other": raw_followup, "this": followup.pk}
        )

    raw_commitment = record["commitment_id"].strip()
    assessment = by_commitment.get(raw_commitment)
    if assessment is None:
        if not raw_commitment:
            raise _Refused(_("kolumnen commitment_id är tom"))
        raise _Refused(
            _("åtagande ”%(value)s” finns inte i uppföljningen") % {"value": shown(raw_commitment)}
        )
    if raw_commitment in seen:
        raise _Refused(
            _("åtagande %(id)s finns redan på rad %(line)d")
            % {"id": raw_commitment, "line": seen[raw_commitment]}
        )
    seen[raw_commitment] = line

    written = dict(zip(COLUMNS, (_as_written(v) for v in _row(followup, assessment)), strict=True))
    problems = [
        problem
        for name, cell in record.items()
        if cell != written[name] and (problem := _char_problem(name, cell))
    ]
    if problems:
        raise _Refused("; ".join(problems))

    change = RowChange(line=line, assessment=assessment)
    # A cell exactly as downloaded is unchanged, whatever it holds; anything else is read.
    if record["figure"] != written["figure"]:
        raw = record["figure"]
        try:
            figure = _parse_figure(raw)
        except ValueError:
            problems.append(
                _("antalet ”%(value)s” är inget heltal (0, 1, 2 …); lämna tomt om uppgift saknas")
                % {"value": shown(raw.strip())}
            )
        else:
            if figure is not None and figure > MAX_FIGURE:
                problems.append(
                    _("antalet %(value)d är orimligt stort (högst %(max)s)")
                    % {"value": figure, "max": f"{MAX_FIGURE:,}".replace(",", "\u00a0")}
                )
            elif figure != assessment.figure:
                change.values["figure"] = figure
    if record["status"] != written["status"]:
        raw = record["status"].strip()
        code = statuses.get(_status_key(raw))
        if not raw:
            problems.append(_("status saknas (använd %(names)s)") % {"names": _status_names()})
        elif code is None:
            problems.append(
                _("okänd status ”%(value)s” (använd %(names)s)")
                % {"value": shown(raw), "names": _status_names()}
            )
        elif code != assessment.status:
            change.values["status"] = code
    for name in ("outcome", "comment"):
        if record[name] == written[name]:
            continue
        typed = _typed_text(record[name])
        if len(typed) > ASSESSMENT_MAX_LENGTH:
            problems.append(
                _("texten i kolumnen %(column)s har %(length)d tecken (högst %(max)d)")
                % {"column": name, "length": len(typed), "max": ASSESSMENT_MAX_LENGTH}
            )
        elif not _same_text(typed, getattr(assessment, name)):
            change.values[name] = typed
    if problems:
        raise _Refused("; ".join(problems))
    return _against_download(change, record["row_version"].strip())


def _against_download(change: RowChange, downloaded: str) -> RowChange:
    """The row's changes, unless they would overwrite what was saved after the download."""
    assessment = change.assessment
    if not _ROW_VERSION.match(downloaded):
        raise _Refused(
            _(
                "kolumnen row_version är tom eller ändrad; den ska stå kvar som i kalkylarket "
                "du laddade ner"
            )
        )
    if downloaded == _saved_version(assessment) or not change.values:
        return change
    # Saved since the download. What the file says, for every field, against the digest of
    # what was downloaded: equal means the row was left as it was, so what is saved stays.
    in_file = {name: change.values.get(name, getattr(assessment, name)) for name in EDITABLE}
    if row_version(**in_file) == downloaded:
        return RowChange(line=change.line, assessment=assessment, kept=True)
    raise _Refused(
        _(
            "åtagandet har sparats i portalen sedan kalkylarket laddades ner, och raden ändrar "
            "det också. Ingenting skrivs över: ladda ner kalkylarket igen och för in "
            "ändringarna för den här raden i det"
        )
    )


# --- Between preview and confirmation --------------------------------------------------------


def changes_to_token(followup: FollowUp, result: SheetResult) -> str:
    """Sign the previewed changes, with the version they were compared against."""
    payload = {
        "followup": followup.pk,
        "version": result.version,
        "changes": [[c.line, c.assessment.pk, c.values] for c in result.changes],
    }
    return signing.dumps(payload, salt=SIGNING_SALT, compress=True)


def _valid_value(name: str, value) -> bool:
    if name == "figure":
        return value is None or (
            isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_FIGURE
        )
    if name == "status":
        return value in Status.values
    return (
        isinstance(value, str)
        and len(value) <= ASSESSMENT_MAX_LENGTH
        and forbidden_character(value.replace("\n", "")) is None
    )


def changes_from_token(followup: FollowUp, token: str) -> SheetResult:
    """The changes of a signed token, checked again against the follow-up as it is now."""
    result = SheetResult()
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        result.errors.append(
            _("Förhandsgranskningen är för gammal eller ogiltig. Ladda upp filen igen.")
        )
        return result
    if not isinstance(payload, dict) or payload.get("followup") != followup.pk:
        result.errors.append(_("Filen hör till en annan uppföljning. Ladda upp den igen."))
        return result
    by_pk = {a.pk: a for a in _assessments(followup)}
    try:
        result.version = int(payload["version"])
        for line, pk, values in payload["changes"]:
            assessment = by_pk.get(pk)
            # Checked in the preview already; checked again so that nothing the database
            # would refuse can reach it from a token, whatever made the token.
            if (
                assessment is None
                or not isinstance(values, dict)
                or not values
                or not set(values) <= set(EDITABLE)
                or not all(_valid_value(k, v) for k, v in values.items())
            ):
                result.errors.append(
                    _("Rad %(line)s: raden kan inte sparas. Ladda upp filen igen.") % {"line": line}
                )
                continue
            result.changes.append(RowChange(line=int(line), assessment=assessment, values=values))
    except (KeyError, TypeError, ValueError):
        result.errors.append(_("Förhandsgranskningen är ogiltig. Ladda upp filen igen."))
    if result.errors:
        result.changes = []
    return result
