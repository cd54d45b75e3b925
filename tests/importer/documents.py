"""The Katrineholm seed as the documents a kommun really publishes: HTML, DOCX, PDF, text.

Built in the test from tests/data/import/katrineholm-2020.txt, so no binary is
committed: the seed marks headings with ``#``, bold with ``**``, the group
intros in italics (``*Polisen lovar att:*``) and list items with ``- ``.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "data" / "import" / "katrineholm-2020.txt"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def _blocks(text: str):
    """("heading", level, text) | ("item", text) | ("para", text, emphasis)."""
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        heading = re.fullmatch(r"(#{1,6})\s+\**(.+?)\**", line)
        if heading:
            yield ("heading", len(heading.group(1)), heading.group(2))
        elif line.startswith("- "):
            yield ("item", line[2:])
        elif re.fullmatch(r"\*\*(.+)\*\*", line):
            yield ("para", line.strip("*"), "bold")
        elif re.fullmatch(r"\*(.+)\*", line):
            yield ("para", line.strip("*"), "italic")
        else:
            yield ("para", line, "")


def seed_html() -> str:
    """A page as saved from the kommun's site: navigation and footer around <main>."""
    parts, in_list = [], False
    for block in _blocks(seed_text()):
        if block[0] == "item":
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{html.escape(block[1])}</li>")
            continue
        if in_list:
            parts.append("</ul>")
            in_list = False
        if block[0] == "heading":
            level = min(block[1] - 1, 6) or 1
            parts.append(f"<h{level}>{html.escape(block[2])}</h{level}>")
        else:
            text = html.escape(block[1])
            tag = {"bold": "strong", "italic": "em"}.get(block[2])
            parts.append(f"<p><{tag}>{text}</{tag}></p>" if tag else f"<p>{text}</p>")
    if in_list:
        parts.append("</ul>")
    body = "\n".join(parts)
    return (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
        "<title>Medborgarlöfte – Katrineholms kommun</title></head><body>"
        "<nav><ul><li>Startsida</li><li>Trygghet</li></ul></nav>"
        f"<main>{body}</main>"
        "<footer>Katrineholms kommun, 641 80 Katrineholm</footer></body></html>"
    )


def seed_docx() -> bytes:
    import docx

    document = docx.Document()
    for block in _blocks(seed_text()):
        if block[0] == "heading":
            document.add_heading(block[2], level=max(block[1] - 1, 1))
        elif block[0] == "item":
            document.add_paragraph(block[1], style="List Bullet")
        else:
            run = document.add_paragraph().add_run(block[1])
            run.bold = block[2] == "bold"
            run.italic = block[2] == "italic"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_pdf() -> bytes:
    import weasyprint

    return weasyprint.HTML(string=seed_html()).write_pdf()


def scanned_pdf() -> bytes:
    """A page with only a picture on it, as a scanner makes: no text layer."""
    import weasyprint

    return weasyprint.HTML(
        string='<div style="width:12cm;height:16cm;background:#777"></div>'
    ).write_pdf()
