"""The public site as a resident meets it: the first answer on a promise page, the map
of Sweden, who runs the site, share metadata, print, summaries in easy Swedish and
English, and one language per address."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from pypdf import PdfReader

from demo import promises as promises_demo
from promises import services
from promises.models import Promise
from promises.published import public_figures
from public.map import map_state
from tests.factories import sign

pytestmark = pytest.mark.django_db

EASY = "Polisen och kommunen lovar att göra Kalmar tryggare. Polisen går mer i centrum."
ENGLISH = "The police and the municipality promise to make Kalmar safer at night."


def katrineholm(demo) -> Promise:
    return Promise.objects.get(title=promises_demo.KATRINEHOLM_TITLE)


def position(body: str, text: str) -> int:
    at = body.find(text)
    assert at >= 0, text
    return at


def test_promise_page_answers_what_was_promised_and_done_first(client, full_demo):
    promise = katrineholm(full_demo)
    body = client.get(f"/medborgarloften/{promise.pk}/").content.decode()
    # Parties and period in one line, with the dates written the same way.
    assert "1 januari – 31 december 2020" in body
    assert "2020-01-01" not in body.split("<main", 1)[1].split("</main>", 1)[0]
    # The summary, then the commitments, then follow-ups, lägesbild, signatures.
    summary = position(body, "Så långt har det gått")
    commitments = position(body, "Det här lovar vi")
    followups = position(body, 'id="uppfoljning-rubrik"')
    situation = position(body, "Varför just de här löftena")
    signatures = position(body, 'id="underskrifter"')
    assert summary < commitments < followups < situation < signatures
    assert re.search(r"<strong>\d+ av 12</strong> åtaganden genomförda enligt uppföljningen", body)
    assert "läget den 31 augusti 2020" in body
    # Each commitment shows its status.
    promised = body[commitments : position(body, 'id="uppfoljning-rubrik"')]
    assert len(re.findall(r'<span class="status status-[a-z_]+">', promised)) == 12
    # The hash is explained in plain Swedish, after everything else.
    assert "kontrollsumma" in body[signatures:].lower()


def test_no_follow_up_says_so_instead_of_nothing_done(
    client, publish_kalmar_promise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        promise = publish_kalmar_promise(commitments=3)
    body = client.get(f"/medborgarloften/{promise.pk}/").content.decode()
    assert "3 åtaganden. Ingen uppföljning är publicerad ännu" in body
    assert "0 av 3" not in body
    assert "Ingen uppgift" in body


def test_map_of_sweden_links_every_kommun_and_repeats_it_as_a_table(client, demo):
    body = client.get("/sverige/").content.decode()
    svg = body.split("<svg", 1)[1].split("</svg>", 1)[0]
    links = set(re.findall(r'<a [^>]*href="(/kommuner/[a-z0-9-]+/)"', svg))
    assert len(links) == 290
    assert "Katrineholms kommun" in svg  # accessible names
    table = body.split("samma uppgifter som kartan", 1)[1].split("</table>", 1)[0]
    assert table.count('class="map-row"') == 290
    assert 'data-label="Kommun"' in table  # reflows to cards at 320 px
    assert "Per polisregion" in body and "Per län" in body
    assert "Narkotika" in body  # most common themes
    assert re.search(r"<strong>1</strong> publicerat medborgarlöfte", body)


def test_the_site_names_who_runs_it_and_where_to_write(client, settings):
    settings.SERVICE_OWNER = "Katrineholms kommun och Lokalpolisområde Katrineholm"
    settings.CONTACT_EMAIL = "medborgarlofte@katrineholm.se"
    settings.ACCESSIBILITY_EMAIL = "tillganglighet@katrineholm.se"
    settings.PRIVACY_EMAIL = "dataskydd@katrineholm.se"
    home = client.get("/").content.decode()
    assert settings.SERVICE_OWNER in home
    for path in ("/om/", "/kontakt/", "/personuppgifter/"):
        assert f'href="{path}"' in home  # in the footer of every page
    assert "medborgarlofte@katrineholm.se" in client.get("/kontakt/").content.decode()
    assert "tillganglighet@katrineholm.se" in client.get("/tillganglighet/").content.decode()
    assert "dataskydd@katrineholm.se" in client.get("/personuppgifter/").content.decode()
    about = client.get("/om/").content.decode()
    assert 'id="ordlista"' in about
    for term in ("Lägesbild", "Tertial", "EST"):
        assert term in about


def test_share_metadata_and_print_stylesheet(client, demo):
    promise = katrineholm(demo)
    body = client.get(f"/medborgarloften/{promise.pk}/").content.decode()
    assert f'<meta property="og:title" content="{promise.title}">' in body
    assert re.search(r'<meta name="description" content="[^"]{40,}"', body)
    assert re.search(r'<meta property="og:image" content="https?://[^"]+/static/og-image', body)
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in body
    assert re.search(rf'hreflang="en" href="https?://[^"]+/en/medborgarloften/{promise.pk}/"', body)


def test_jargon_is_explained_where_it_is_used(client, demo):
    body = client.get(f"/medborgarloften/{katrineholm(demo).pk}/").content.decode()
    assert re.search(r'<abbr title="[^"]+">(EST|LPO|SSPF|ANDTS|Brå)</abbr>', body) or (
        "Ord som används på sidan" in body
    )


def test_swedish_is_the_plain_address_and_english_lives_under_en(client, demo):
    promise = katrineholm(demo)
    english = client.get(f"/en/medborgarloften/{promise.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert "1 January" in english.content.decode()
    # An English visitor first, or a browser asking for English, never turns the
    # Swedish address English for the next reader: not even through the page cache.
    for accept in ("en", "sv"):
        swedish = client.get(f"/medborgarloften/{promise.pk}/", HTTP_ACCEPT_LANGUAGE=accept)
        body = swedish.content.decode()
        assert '<html lang="sv">' in body
        assert "1 januari" in body and "1 January" not in body


@pytest.fixture
def kalmar_with_summaries(
    kalmar_coordinator,
    kalmar_partnership,
    kalmar_police_chief,
    kalmar_municipal_signatory,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        promise = services.promise_create(
            user=kalmar_coordinator,
            partnership=kalmar_partnership,
            title="Medborgarlöfte Kalmar 2026",
            valid_from_date=date(2026, 1, 1),
            valid_to_date=date(2026, 12, 31),
            summary_easy_swedish=EASY,
            summary_english=ENGLISH,
        )
        services.commitment_create(
            user=kalmar_coordinator, promise=promise, party="police", text="Öka närvaron."
        )
        services.promise_submit_for_signing(user=kalmar_coordinator, promise=promise)
        for signer in (kalmar_police_chief, kalmar_municipal_signatory):
            sign(signer, promise)
    promise.refresh_from_db()
    return promise


def test_summaries_are_signed_and_shown_in_their_own_language(client, kalmar_with_summaries):
    promise = kalmar_with_summaries
    body = client.get(f"/medborgarloften/{promise.pk}/").content.decode()
    assert re.search(r'<section [^>]*id="lattlast" lang="sv"', body)
    assert re.search(r'<section [^>]*id="in-english" lang="en"', body)
    assert EASY in body and ENGLISH in body
    data = client.get(f"/api/v1/promises/{promise.pk}").json()
    assert data["summaries"] == {"easy_swedish": EASY, "english": ENGLISH}
    # Part of what was signed: the version's content carries them.
    assert promise.published_version.snapshot["summary_english"] == ENGLISH


def test_summaries_are_in_the_pdf(client, kalmar_with_summaries):
    response = client.get(f"/medborgarloften/{kalmar_with_summaries.pk}/pdf/")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Lättläst sammanfattning" in text
    assert "make Kalmar safer" in text


def test_an_unsigned_summary_never_reaches_the_public(
    client, kalmar_with_summaries, kalmar_coordinator, django_capture_on_commit_callbacks
):
    promise = kalmar_with_summaries
    with django_capture_on_commit_callbacks(execute=True):
        services.promise_amend(user=kalmar_coordinator, promise=promise)
        promise.refresh_from_db()
        services.promise_update(
            user=kalmar_coordinator,
            promise=promise,
            expected_version=promise.lock_version,
            data={"summary_english": "Unsigned words."},
        )
    body = client.get(f"/medborgarloften/{promise.pk}/").content.decode()
    assert ENGLISH in body and "Unsigned words." not in body
    assert client.get(f"/api/v1/promises/{promise.pk}").json()["summaries"]["english"] == ENGLISH


def test_the_table_of_all_kommuner_says_what_the_map_says(client, demo):
    """/sverige/'s 290 rows (joined in ``public.views._kommun_rows``): each kommun's
    path as ``reverse()`` makes it, in Swedish and in English, its län, state and count,
    every value escaped."""
    from organizations.models import Organisation

    kalmar = Organisation.objects.municipalities().get(name="Kalmar")
    Organisation.objects.filter(pk=kalmar.pk).update(full_name='Kalmar <b>"&"</b> kommun')
    kommuner = list(Organisation.objects.municipalities().select_related("county"))
    for prefix in ("", "/en"):
        body = client.get(f"{prefix}/sverige/").content.decode()
        rows = dict(re.findall(r'<tr class="map-row" data-code="(\d{4})">(.*?)</tr>', body))
        assert len(rows) == 290
        for m in kommuner:
            with translation.override("en" if prefix else "sv"):
                path = reverse("public:municipality-detail", args=[m.slug])
            assert f'<a href="{path}">' in rows[m.municipality_code]
            assert f">{escape(m.county.name)}</td>" in rows[m.municipality_code]
        katrineholm = next(m for m in kommuner if m.name == "Katrineholm")
        row = rows[katrineholm.municipality_code]
        assert row.endswith('class="text-end">1</td>')
        counts = public_figures().by_municipality[katrineholm.municipality_code]
        with translation.override("en" if prefix else "sv"):
            state = str(map_state(counts).label)
        assert f">{escape(state)}</td>" in row
        assert (
            "Kalmar &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt; kommun" in rows[kalmar.municipality_code]
        )
        label = 'data-label="Kommun"' if not prefix else 'data-label="Municipality"'
        assert label in rows[kalmar.municipality_code]


def test_the_list_of_kommuner_links_each_kommun_as_reverse_does(client, demo):
    from organizations.models import Organisation

    kommuner = list(Organisation.objects.municipalities())
    for prefix, language in (("", "sv"), ("/en", "en")):
        body = client.get(f"{prefix}/kommuner/").content.decode()
        with translation.override(language):
            paths = {reverse("public:municipality-detail", args=[m.slug]) for m in kommuner}
        links = set(re.findall(r'<li><a href="([^"]+)">', body))
        assert paths <= links, sorted(paths - links)[:5]
        suggestions = client.get(f"{prefix}/kommuner/forslag/", {"q": "kat"}).content.decode()
        with translation.override(language):
            katrineholm = reverse("public:municipality-detail", args=["katrineholm"])
        assert f'<a href="{katrineholm}">Katrineholms kommun</a>' in suggestions
