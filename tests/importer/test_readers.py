"""Each reader end to end, and hostile files: one clear Swedish message, never a traceback."""

import io
import zipfile

import pytest

from importer.extract import extract
from importer.readers import MAX_UPLOAD_BYTES, DocumentError, read_document

PROMISE_HTML = """<!doctype html><html lang="sv"><head><title>Medborgarlöfte</title>
<script>var tracking = "Polisen lovar att spåra";</script><style>p{color:red}</style></head>
<body><nav><ul><li>Startsida</li><li>Kontakt</li></ul></nav>
<main><h1>Vingåker – medborgarlöften</h1><h2>Medborgarlöften 2019</h2>
<p>Polisen lovar att:</p><ul><li>genomföra minst 100 trafikkontroller</li>
<li>genomföra minst två riktade insatser</li></ul>
<p>Kommunen lovar att:</p><ol><li>mäta hastigheter</li><li>utreda trafiken vid ICA</li></ol>
</main><footer>Vingåkers kommun, 0151-190 00</footer></body></html>"""


def test_plain_text_keeps_lines():
    document = read_document(b"Polisen lovar att:\r\n\r\n- patrullera\r\n")
    assert document.format == "text"
    assert document.lines[:3] == ["Polisen lovar att:", "", "- patrullera"]


def test_text_in_windows_encoding():
    document = read_document("Medborgarlöfte för Vingåker".encode("cp1252"))
    assert document.text == "Medborgarlöfte för Vingåker"


def test_html_drops_chrome_and_keeps_structure():
    document = read_document(PROMISE_HTML.encode(), "sida.txt")
    assert document.format == "html"
    assert "tracking" not in document.text and "Startsida" not in document.text
    assert "0151" not in document.text
    lines = [line for line in document.lines if line]
    assert lines[:3] == [
        "# Vingåker – medborgarlöften",
        "## Medborgarlöften 2019",
        "Polisen lovar att:",
    ]
    assert "- genomföra minst 100 trafikkontroller" in lines
    assert "1. mäta hastigheter" in lines and "2. utreda trafiken vid ICA" in lines
    result = extract(document.text)
    assert [c.party for c in result.commitments] == [
        "police",
        "police",
        "municipality",
        "municipality",
    ]
    assert result.commitments[0].target.quantity == 100


def make_pdf(html: str) -> bytes:
    weasyprint = pytest.importorskip("weasyprint")
    return weasyprint.HTML(string=html).write_pdf()


def test_pdf_text_layer():
    pdf = make_pdf(
        "<h1>Medborgarlöfte 2020</h1><p>Polisen lovar att:</p>"
        "<ul><li>genomföra minst 100 trafikkontroller i centrum</li></ul>"
        "<p>Medborgarlöftet gäller från 1 januari 2020 till 31 december 2020.</p>"
    )
    document = read_document(pdf, "lofte.docx")  # the name lies; the content decides
    assert document.format == "pdf"
    result = extract(document.text)
    assert result.period.from_date.isoformat() == "2020-01-01"
    assert [(c.party, c.target.quantity) for c in result.commitments] == [("police", 100)]


def test_scanned_pdf_without_text_gets_a_clear_message():
    pdf = make_pdf('<div style="width:10cm;height:10cm;background:#888"></div>')
    with pytest.raises(DocumentError) as error:
        read_document(pdf, "skannad.pdf")
    assert error.value.code == "scanned_pdf"
    assert "PDF:en saknar text" in error.value.message
    assert "Skanna inte" in error.value.message and "kopiera texten" in error.value.message


def test_broken_pdf():
    with pytest.raises(DocumentError) as error:
        read_document(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ntrasig", "x.pdf")
    assert error.value.code in {"broken_pdf", "scanned_pdf"}
    assert "PDF" in error.value.message


def make_docx() -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Medborgarlöfte Katrineholms kommun 2020", level=1)
    document.add_paragraph("Polisen lovar att:")
    document.add_paragraph("öka närvaron i centrum", style="List Bullet")
    document.add_paragraph("genomföra hundsök i skolor", style="List Bullet")
    document.add_paragraph("Katrineholms kommun lovar att:")
    document.add_paragraph(
        "vid minst två tillfällen genomföra trygghetsvandringar", style="List Number"
    )
    document.add_paragraph("Liselotte Jergard")
    document.add_paragraph("Chef lokalpolisområde Katrineholm")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_keeps_headings_and_lists():
    document = read_document(make_docx(), "lofte.pdf")
    assert document.format == "docx"
    lines = [line for line in document.lines if line]
    assert lines[0] == "# Medborgarlöfte Katrineholms kommun 2020"
    assert "- öka närvaron i centrum" in lines
    assert "1. vid minst två tillfällen genomföra trygghetsvandringar" in lines
    result = extract(document.text)
    assert [c.party for c in result.commitments] == ["police", "police", "municipality"]
    assert result.commitments[2].target.quantity == 2
    assert [(s.name, s.title) for s in result.signatories] == [
        ("Liselotte Jergard", "Chef lokalpolisområde Katrineholm")
    ]


def test_zip_bomb_docx_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    with pytest.raises(DocumentError) as error:
        read_document(data, "bomb.docx")
    assert error.value.code == "zip_bomb"
    assert "zip-bomb" in error.value.message


def test_broken_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<inte xml")
    with pytest.raises(DocumentError) as error:
        read_document(buffer.getvalue(), "trasig.docx")
    assert error.value.code == "broken_docx"


def test_huge_file():
    with pytest.raises(DocumentError) as error:
        read_document(b"a" * (MAX_UPLOAD_BYTES + 1), "stor.txt")
    assert error.value.code == "too_large"
    assert "för stor" in error.value.message


def test_too_much_text():
    with pytest.raises(DocumentError) as error:
        read_document(("Polisen lovar att patrullera. " * 20_000).encode(), "lång.txt")
    assert error.value.code == "too_much_text"


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "bild"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".doc"),
        (b"\x7fELF\x02\x01\x01\0\0\0", "Filtypen stöds inte"),
    ],
)
def test_wrong_type_is_sniffed_not_trusted(data, needle):
    with pytest.raises(DocumentError) as error:
        read_document(data, "lofte.pdf")
    assert error.value.code == "unsupported_type"
    assert needle in error.value.message


def test_zip_that_is_not_word():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bilder/1.png", b"x")
    with pytest.raises(DocumentError) as error:
        read_document(buffer.getvalue(), "lofte.docx")
    assert error.value.code == "unsupported_type"


def test_empty_file():
    with pytest.raises(DocumentError) as error:
        read_document(b"", "tom.txt")
    assert error.value.message == "Filen är tom."


def test_too_large_message_rounds_the_size_up_and_names_the_limit():
    from importer.readers import too_large_message

    limit = 10 * 1024 * 1024
    assert too_large_message(limit + 1, limit) == (
        "Filen är för stor (10,1 MB). Största tillåtna storlek är 10 MB."
    )
    assert too_large_message(None, 2 * 1024 * 1024 + 512 * 1024) == (
        "Filen är för stor. Största tillåtna storlek är 2,5 MB."
    )


def test_a_smaller_configured_limit_applies():
    with pytest.raises(DocumentError) as error:
        read_document(b"a" * 2048, "liten.txt", max_bytes=1024)
    assert error.value.code == "too_large"


def test_pdf_list_items_keep_their_owner_headings():
    pdf = make_pdf(
        "<h1>Medborgarlöfte 2021</h1><p>Polisen lovar att:</p><ul>"
        "<li>genomföra minst tio trafikkontroller per månad på de vägar där boende "
        "upplever att det körs för fort, med fokus på skolornas närhet</li>"
        "<li>delta i trygghetsvandringar</li></ul>"
        "<p>Kommunen lovar att:</p><ul><li>ordna belysning i parken</li></ul>"
    )
    result = extract(read_document(pdf).text)
    assert [c.party for c in result.commitments] == ["police", "police", "municipality"]
    assert result.commitments[0].text.endswith("skolornas närhet")
