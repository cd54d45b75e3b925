"""Plain text out of the documents kommuner and the police publish: text, HTML, PDF, DOCX.

Every reader returns lines that keep the document's structure the extractor
needs: headings as ``# …`` lines, list items as ``- …`` or ``1. …`` lines,
paragraphs separated by blank lines. Every failure is a :class:`DocumentError`
with a Swedish message that can be shown as it is; no reader lets a library's
exception through.

The type is decided by the content (magic bytes), never by the file name.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_CHARS = 300_000
MAX_PDF_PAGES = 200
# A DOCX is a zip: refuse one that would inflate past these before parsing it.
MAX_DOCX_UNCOMPRESSED = 40 * 1024 * 1024
MAX_DOCX_MEMBERS = 2_000
MAX_DOCX_RATIO = 200
# Fewer visible characters per page than this means a scan without a text layer.
MIN_CHARS_PER_PAGE = 40

FORMAT_LABELS = {"text": "text", "html": "HTML", "pdf": "PDF", "docx": "Word (DOCX)"}


class DocumentError(Exception):
    """A document that cannot be read; ``message`` is Swedish and safe to show."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Document:
    text: str
    format: str

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def read_document(
    data: bytes, filename: str = "", *, max_bytes: int = MAX_UPLOAD_BYTES
) -> Document:
    """Sniff ``data`` and turn it into text; raise :class:`DocumentError` otherwise.

    ``max_bytes`` lets the workspace apply its configured upload limit.
    """
    if not data:
        raise DocumentError("Filen är tom.", code="empty")
    if len(data) > max_bytes:
        raise DocumentError(too_large_message(len(data), max_bytes), code="too_large")
    kind = sniff(data)
    if kind == "pdf":
        text = read_pdf(data)
    elif kind == "docx":
        text = read_docx(data)
    elif kind == "html":
        text = read_html(decode_text(data))
    else:
        text = read_text(decode_text(data))
    text = normalise(text)
    if not text.strip():
        raise DocumentError("Dokumentet innehåller ingen text.", code="no_text")
    return Document(text=text, format=kind)


def _megabytes(size: int, *, round_up: bool = False) -> str:
    tenths = size * 10 / (1024 * 1024)
    # Rounded up, a file one byte over the limit never reads as the limit itself.
    tenths = math.ceil(tenths) if round_up else math.floor(tenths)
    whole, tenth = divmod(tenths, 10)
    return f"{whole},{tenth}" if tenth else f"{whole}"


def too_large_message(size: int | None, limit: int) -> str:
    """ "Filen är för stor (12,5 MB). Största tillåtna storlek är 10 MB." """
    actual = f" ({_megabytes(size, round_up=True)} MB)" if size else ""
    return f"Filen är för stor{actual}. Största tillåtna storlek är {_megabytes(limit)} MB."


def sniff(data: bytes) -> str:
    """The document's real type from its first bytes: pdf, docx, html or text."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            raise DocumentError(
                "Filen ser ut som ett Word-dokument men är skadad och kan inte läsas.",
                code="broken_docx",
            ) from None
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names:
            raise DocumentError(
                "OpenDocument-filer (.odt) stöds inte. Spara dokumentet som .docx eller PDF.",
                code="unsupported_type",
            )
        raise DocumentError(
            "Filen är ett zip-arkiv, inte ett Word-dokument. Ladda upp dokumentet självt.",
            code="unsupported_type",
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(
            "Det äldre Word-formatet (.doc) stöds inte. Spara dokumentet som .docx eller PDF.",
            code="unsupported_type",
        )
    for magic, label in (
        (b"\x89PNG", "en bild (PNG)"),
        (b"\xff\xd8\xff", "en bild (JPEG)"),
        (b"GIF8", "en bild (GIF)"),
        (b"II*\x00", "en bild (TIFF)"),
        (b"MM\x00*", "en bild (TIFF)"),
        (b"{\\rtf", "ett RTF-dokument"),
    ):
        if head.startswith(magic):
            raise DocumentError(
                f"Filen är {label}. Ladda upp texten som PDF med text, Word (DOCX), "
                "HTML eller vanlig text; bilder och skannade sidor kan inte läsas.",
                code="unsupported_type",
            )
    if b"\x00" in head:
        raise DocumentError(
            "Filtypen stöds inte. Ladda upp PDF, Word (DOCX), HTML eller vanlig text.",
            code="unsupported_type",
        )
    sample = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n").lower()
    if sample.startswith(("<!doctype html", "<html", "<?xml")) or re.search(
        r"<(html|body|head|div|p|h[1-6]|ul|ol|article|main)[\s>]", sample
    ):
        return "html"
    return "text"


def decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Windows exports from kommuner are cp1252; it decodes any byte.
        return data.decode("cp1252", errors="replace")


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    if len(text) > MAX_CHARS:
        raise DocumentError(
            f"Dokumentet innehåller för mycket text (mer än {MAX_CHARS:,} tecken). "
            "Klistra in bara medborgarlöftet.".replace(",", " "),
            code="too_much_text",
        )
    return text


def read_text(text: str) -> str:
    return text


# --- HTML ------------------------------------------------------------------------------

SKIPPED_TAGS = {
    "script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside",
    "form", "button", "select", "iframe", "object", "canvas", "head", "title",
}  # fmt: skip
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "br", "tr", "table", "blockquote", "dl", "dt",
    "dd", "figure", "figcaption", "address", "pre", "hr", "ul", "ol",
}  # fmt: skip
VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr", "source"}


class _TextExtractor(HTMLParser):
    """Collects visible text as lines; headings and list items keep their markers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.main_lines: list[str] = []
        self.current: list[str] = []
        self.prefix = ""
        self.skip_depth = 0
        self.stack: list[str] = []
        self.lists: list[list] = []  # [tag, counter]
        self.main_depth = 0
        self.chars = 0

    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        self.current = []
        if text:
            line = f"{self.prefix}{text}"
            self.lines.append(line)
            if self.main_depth:
                self.main_lines.append(line)
            self.chars += len(line)
            if self.chars > MAX_CHARS:
                raise DocumentError(
                    "Sidan innehåller för mycket text. Klistra in bara medborgarlöftet.",
                    code="too_much_text",
                )
        self.prefix = ""

    def _blank(self):
        for target in (self.lines, self.main_lines) if self.main_depth else (self.lines,):
            if target and target[-1] != "":
                target.append("")

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        hidden = "hidden" in attributes or attributes.get("aria-hidden") == "true"
        role = (attributes.get("role") or "").lower()
        if self.skip_depth or tag in SKIPPED_TAGS or hidden or role in {"navigation", "banner"}:
            if tag not in VOID_TAGS:
                self.skip_depth += 1
            return
        if tag not in VOID_TAGS:
            self.stack.append(tag)
        if tag == "main" or role == "main":
            self.main_depth += 1
        if re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self._blank()
            self.prefix = "#" * int(tag[1]) + " "
        elif tag in {"ul", "ol"}:
            self._flush()
            self.lists.append([tag, 0])
        elif tag == "li":
            self._flush()
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                self.prefix = f"{self.lists[-1][1]}. "
            else:
                self.prefix = "- "
        elif tag in BLOCK_TAGS:
            self._flush()
            if tag in {"p", "table", "blockquote"}:
                self._blank()

    def handle_endtag(self, tag):
        if self.skip_depth:
            if tag not in VOID_TAGS:
                self.skip_depth -= 1
            return
        if tag in self.stack:
            while self.stack:
                top = self.stack.pop()
                if top == tag:
                    break
        if re.fullmatch(r"h[1-6]", tag) or tag in {"li", "p"} or tag in BLOCK_TAGS:
            self._flush()
            if re.fullmatch(r"h[1-6]", tag) or tag == "p":
                self._blank()
        if tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
            self._blank()
        if tag == "main" and self.main_depth:
            self.main_depth -= 1

    def handle_data(self, data):
        if not self.skip_depth:
            self.current.append(data)


def read_html(markup: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
        parser._flush()
    except DocumentError:
        raise
    except Exception:  # html.parser is lenient; anything it still rejects is broken markup
        raise DocumentError("HTML-sidan kunde inte tolkas.", code="broken_html") from None
    # A page saved from a kommun's site: the article is in <main>; the rest is chrome.
    lines = parser.main_lines if any(parser.main_lines) else parser.lines
    return "\n".join(lines).strip("\n")


# --- PDF -------------------------------------------------------------------------------


def read_pdf(data: bytes) -> str:
    # pypdf: pure Python, no system libraries, maintained, reads the text layer
    # page by page in reading order; enough for documents of a few pages.
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(
                "PDF:en är lösenordsskyddad. Spara en version utan lösenord och försök igen.",
                code="encrypted_pdf",
            )
        pages = reader.pages
        count = len(pages)
        if count > MAX_PDF_PAGES:
            raise DocumentError(
                f"PDF:en har {count} sidor; högst {MAX_PDF_PAGES} kan läsas. "
                "Ladda upp bara medborgarlöftet.",
                code="too_many_pages",
            )
        texts = []
        total = 0
        for page in pages:
            text = _pdf_page_text(page)
            total += len(text)
            if total > MAX_CHARS:
                raise DocumentError(
                    "PDF:en innehåller för mycket text. Ladda upp bara medborgarlöftet.",
                    code="too_much_text",
                )
            texts.append(text)
    except DocumentError:
        raise
    except Exception:  # pypdf raises many kinds on damaged files; all mean the same here
        raise DocumentError(
            "PDF:en är skadad och kan inte läsas. Spara den på nytt eller klistra in texten.",
            code="broken_pdf",
        ) from None
    visible = sum(len(re.sub(r"\s", "", text)) for text in texts)
    if count == 0 or visible < MIN_CHARS_PER_PAGE * max(count, 1) / 2:
        raise DocumentError(
            "PDF:en saknar text – den verkar vara skannad som bild. Skanna inte: öppna "
            "originalet, kopiera texten och klistra in den här, eller ladda upp dokumentet "
            "som Word (DOCX).",
            code="scanned_pdf",
        )
    return "\n\n".join(_pdf_page_lines(text) for text in texts)


# A line with a gap this wide between two words is two columns side by side.
COLUMN_GAP = re.compile(r"\S {6,}\S")


def _pdf_page_text(page) -> str:
    """The page's text in reading order, with list items and their indentation kept.

    pypdf's layout mode places text where it stands on the page: a list item's
    wrapped lines keep their indentation (the extractor joins them to the item),
    bullets stay in front of their items even where the PDF draws them apart,
    and vertical gaps become blank lines. A page set in columns would come out
    with the columns side by side on each line, so such a page is read in the
    content order instead.
    """
    try:
        text = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode is newer and stricter; the plain mode still reads
        return page.extract_text() or ""
    lines = [line for line in text.split("\n") if line.strip()]
    columns = sum(1 for line in lines if COLUMN_GAP.search(line.strip()))
    if lines and columns > max(3, len(lines) * 0.3):
        return page.extract_text() or ""
    return text


def _pdf_page_lines(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        # The bullet glyph of Word's symbol font comes out as a private-use character.
        line = re.sub(r"^\s*[\uf0b7\uf0a7\u25aa\u25cf\u2022\u25e6]\s*", "- ", line)
        lines.append(line)
    return "\n".join(lines)


# --- DOCX ------------------------------------------------------------------------------


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DocumentError(
            "Word-dokumentet är skadat och kan inte läsas.", code="broken_docx"
        ) from None
    if len(members) > MAX_DOCX_MEMBERS:
        raise DocumentError("Word-dokumentet innehåller för många delar.", code="zip_bomb")
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if total > MAX_DOCX_UNCOMPRESSED or total / packed > MAX_DOCX_RATIO and total > 1_000_000:
        raise DocumentError(
            "Word-dokumentet packas upp till orimligt mycket data och öppnas inte "
            "(skydd mot så kallade zip-bomber).",
            code="zip_bomb",
        )


def read_docx(data: bytes) -> str:
    # python-docx: the maintained reader of Word's own XML, gives paragraph
    # styles (headings) and numbering properties (lists) directly.
    _check_zip(data)
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
        formats = _numbering_formats(document)
        lines: list[str] = []
        counters: dict[tuple[str, str], int] = {}
        body = document.element.body
        for block in body.iterchildren():
            if block.tag == qn("w:p"):
                lines.extend(_docx_paragraph(block, document, formats, counters))
            elif block.tag == qn("w:tbl"):
                for cell_text in _docx_table(block):
                    lines.extend([cell_text, ""])
    except DocumentError:
        raise
    except Exception:
        raise DocumentError(
            "Word-dokumentet är skadat och kan inte läsas.", code="broken_docx"
        ) from None
    return "\n".join(lines).strip("\n")


def _numbering_formats(document) -> dict[tuple[str, str], str]:
    """(numId, ilvl) → numFmt ("bullet", "decimal" …) from the numbering part."""
    from docx.oxml.ns import qn

    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {}
    for node in numbering.findall(qn("w:abstractNum")):
        levels = {}
        for level in node.findall(qn("w:lvl")):
            fmt = level.find(qn("w:numFmt"))
            levels[level.get(qn("w:ilvl"))] = fmt.get(qn("w:val")) if fmt is not None else ""
        abstract[node.get(qn("w:abstractNumId"))] = levels
    formats = {}
    for num in numbering.findall(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        if ref is None:
            continue
        for ilvl, fmt in abstract.get(ref.get(qn("w:val")), {}).items():
            formats[(num.get(qn("w:numId")), ilvl)] = fmt
    return formats


def _docx_paragraph(element, document, formats, counters) -> list[str]:
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    paragraph = Paragraph(element, document)
    text = re.sub(r"\s+", " ", paragraph.text).strip()
    if not text:
        return []
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    heading = re.match(r"(?:Heading|Rubrik)\s*(\d)", style)
    if heading or style in {"Title", "Rubrik"}:
        level = int(heading.group(1)) if heading else 1
        return ["#" * min(level, 6) + " " + text, ""]
    num_pr = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if num_pr is not None or style.startswith(("List", "Liststycke")):
        num_id = ilvl = "0"
        if num_pr is not None:
            num_node, ilvl_node = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
            num_id = num_node.get(qn("w:val")) if num_node is not None else "0"
            ilvl = ilvl_node.get(qn("w:val")) if ilvl_node is not None else "0"
        fmt = formats.get((num_id, ilvl), "decimal" if "Number" in style else "bullet")
        if fmt in {"bullet", "none", ""}:
            return [f"- {text}"]
        counters[(num_id, ilvl)] = counters.get((num_id, ilvl), 0) + 1
        return [f"{counters[(num_id, ilvl)]}. {text}"]
    return [text, ""]


def _docx_table(element) -> list[str]:
    from docx.oxml.ns import qn

    texts = []
    for cell in element.iter(qn("w:tc")):
        parts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in cell.iter(qn("w:p"))]
        text = "\n".join(part.strip() for part in parts if part.strip())
        if text:
            texts.append(text)
    return texts
