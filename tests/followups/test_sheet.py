"""The follow-up sheet: download, fill in a spreadsheet, upload, preview, confirm — or nothing.

Through the real views with factories: the bytes a coordinator downloads are
edited as a spreadsheet would and uploaded back.
"""

import csv
import io
import re
import threading
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import csvfiles
from core.concurrency import StaleObjectError
from followups import services, sheet
from followups.models import CommitmentAssessment, FollowUp
from promises.models import Commitment
from tests.activities.factories import (
    ActivityFactory,
    ActivityReportFactory,
    CommitmentAssessmentFactory,
    CommitmentFactory,
    FollowUpFactory,
)
from tests.factories import publish_working_copy

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.invalid";"klicka")'
BULLETS = "- fyra kvällar i centrum\r\n- två dagar i Oxhagen"


@pytest.fixture
def draft(kalmar_plan, kalmar_coordinator):
    """Tertial 1 2020 as a draft: a counted figure, no figure, and texts that look like formulas."""
    promise = kalmar_plan.promise
    raids = CommitmentFactory(
        promise=promise,
        party=Commitment.Party.POLICE,
        text="Polisen genomför riktade insatser mot narkotika.",
        target_quantity=6,
        target_unit="riktade insatser",
    )
    CommitmentFactory(
        promise=promise,
        text="Kommunen och polisen gör trygghetsvandringar i varje stadsdel.",
        target_quantity=4,
        target_unit="trygghetsvandringar",
    )
    CommitmentFactory(promise=promise, text="Kommunen informerar invånarna om läget.")
    activity = ActivityFactory(plan=kalmar_plan, commitment=raids)
    ActivityReportFactory(activity=activity, performed_date=date(2020, 2, 1), count=7)
    publish_working_copy(promise)
    followup = FollowUpFactory(
        promise=promise, title="Tertial 1 2020", period_end_date=date(2020, 4, 30)
    )
    services.followup_start_draft(user=kalmar_coordinator, followup=followup)
    raids_a, walks_a, info_a = followup.assessments.order_by("order", "pk")
    CommitmentAssessment.objects.filter(pk=raids_a.pk).update(outcome=FORMULA, comment=BULLETS)
    CommitmentAssessment.objects.filter(pk=info_a.pk).update(
        outcome="Nyhetsbrev i april.", comment="@SUM(1+1)"
    )
    followup.refresh_from_db()
    return followup


def _assessments(followup):
    return list(followup.assessments.order_by("order", "pk"))


def _state(followup):
    """Everything an import could change, to compare before and after."""
    followup.refresh_from_db()
    return (
        followup.lock_version,
        followup.status,
        sorted(followup.approvals.values_list("side", flat=True)),
        [
            (a.figure, a.figure_source, a.report_count, a.status, a.outcome, a.comment)
            for a in _assessments(followup)
        ],
    )


def _download(client, followup) -> bytes:
    response = client.get(reverse("followups:followup-sheet", args=[followup.pk]))
    assert response.status_code == 200, response.content[:500]
    return response.content


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _bytes(rows, *, encoding="utf-8-sig", lineterminator="\r\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator=lineterminator).writerows(rows)
    return buffer.getvalue().encode(encoding)


def _upload(client, followup, data: bytes):
    file = SimpleUploadedFile("uppfoljning.csv", data, content_type="text/csv")
    return client.post(
        reverse("followups:followup-sheet-upload", args=[followup.pk]), {"file": file}
    )


def _token(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.text).group(1)


def _confirm(client, followup, token):
    return client.post(
        reverse("followups:followup-sheet-confirm", args=[followup.pk]), {"token": token}
    )


def _approve_both(followup, kalmar_coordinator, kalmar_police_coordinator):
    services.followup_approve(user=kalmar_coordinator, followup=followup)
    services.followup_approve(user=kalmar_police_coordinator, followup=followup)
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.APPROVED


# --- The round trip ----------------------------------------------------------------------


def test_download_is_one_row_per_commitment_for_swedish_excel(client, kalmar_coordinator, draft):
    client.force_login(kalmar_coordinator)
    response = client.get(reverse("followups:followup-sheet", args=[draft.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="uppfoljning-{draft.pk}-tertial-1-2020.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = _rows(response.content)
    assert rows[0] == sheet.COLUMNS
    raids, walks, info = _assessments(draft)
    assert rows[1][:7] == [
        str(draft.pk),
        str(raids.commitment_id),
        "Polisen genomför riktade insatser mot narkotika.",
        "minst 6 riktade insatser",
        "6",
        "7",
        "Genomförd",
    ]
    assert rows[2][4:7] == ["4", "", "Planerad"]  # no figure: an empty cell, not 0
    assert [r[1] for r in rows[1:]] == [str(a.commitment_id) for a in (raids, walks, info)]


def test_exported_cells_are_neutralised_like_the_open_data(client, kalmar_coordinator, draft):
    client.force_login(kalmar_coordinator)
    rows = _rows(_download(client, draft))
    raids, info = rows[1], rows[3]
    assert raids[7] == f"'{FORMULA}"
    assert raids[8] == f"'{BULLETS}"  # a line starting with "-" is a formula to Excel
    assert info[8] == "'@SUM(1+1)"
    for row in rows:
        for cell in row:
            assert not cell.startswith(csvfiles.FORMULA_PREFIXES) or re.fullmatch(r"-?\d+", cell)
    # One rule for every CSV the site serves.
    from public.api import csv_cell as open_data_cell

    samples = [FORMULA, BULLETS, "@SUM(1+1)", "+46 480", "-3", "+1,5", "\tx", "Vanlig text", 7]
    assert [csvfiles.csv_cell(v) for v in samples] == [open_data_cell(v) for v in samples]


def test_round_trip_saves_two_figures_and_a_status_and_withdraws_approvals(
    client, kalmar_coordinator, kalmar_police_coordinator, draft
):
    _approve_both(draft, kalmar_coordinator, kalmar_police_coordinator)
    client.force_login(kalmar_coordinator)
    rows = _rows(_download(client, draft))
    rows[1][5] = "11"  # counted 7 → typed 11
    rows[2][5] = "3"  # no figure → 3
    rows[3][6] = "delvis genomförd"  # a label in lower case
    rows[2][6] = "pagaende"  # and a code
    before = _state(draft)

    preview = _upload(client, draft, _bytes(rows))
    assert preview.status_code == 200, preview.text
    assert "3 åtaganden ändras" in preview.text
    assert "Ingenting är sparat ännu" in preview.text
    assert "båda parter godkänna den igen" in preview.text
    assert "<caption>" in preview.text and 'scope="row"' in preview.text
    assert _state(draft) == before  # the preview saves nothing

    response = _confirm(client, draft, _token(preview))
    assert response.status_code == 302
    raids, walks, info = _assessments(draft)
    assert (raids.figure, raids.figure_source, raids.report_count) == (11, "angivet", 0)
    assert raids.figure_text == "11 av minst 6"
    assert (walks.figure, walks.figure_source, walks.status) == (3, "angivet", "pagaende")
    assert info.status == CommitmentAssessment.Status.PARTLY_DONE
    assert info.figure is None and info.figure_source == ""
    # Texts the sheet did not change are exactly as before, formulas and line breaks too.
    assert (raids.outcome, raids.comment, info.comment) == (FORMULA, BULLETS, "@SUM(1+1)")
    draft.refresh_from_db()
    assert draft.status == FollowUp.Status.DRAFT and not draft.approvals.exists()
    assert draft.lock_version == before[0] + 1
    # Counting again from the reports keeps the typed figure.
    services.followup_refresh_counts(
        user=kalmar_coordinator, followup=draft, expected_version=draft.lock_version
    )
    assert _assessments(draft)[0].figure == 11


def test_edited_texts_are_previewed_and_saved(client, kalmar_coordinator, draft):
    client.force_login(kalmar_coordinator)
    rows = _rows(_download(client, draft))
    rows[2][7] = "Tre vandringar:\nOxhagen, Berga och Funkabo."
    rows[3][8] = "'=1+1"  # Excel's text marker before a formula is taken off
    rows[1][8] = ""  # a comment cleared
    preview = _upload(client, draft, _bytes(rows))
    assert preview.status_code == 200, preview.text
    assert "Oxhagen, Berga och Funkabo." in preview.text
    assert "Tidigare:" in preview.text
    _confirm(client, draft, _token(preview))
    raids, walks, info = _assessments(draft)
    assert walks.outcome == "Tre vandringar:\nOxhagen, Berga och Funkabo."
    assert (info.comment, raids.comment, raids.outcome) == ("=1+1", "", FORMULA)


@pytest.mark.parametrize(
    "encoding, lineterminator", [("utf-8-sig", "\r\n"), ("cp1252", "\n"), ("utf-16", "\r\n")]
)
def test_unchanged_round_trip_changes_nothing(
    client, kalmar_coordinator, kalmar_police_coordinator, draft, encoding, lineterminator
):
    """The bytes as downloaded, or as Excel saves them again (Windows-1252, LF in cells)."""
    _approve_both(draft, kalmar_coordinator, kalmar_police_coordinator)
    client.force_login(kalmar_coordinator)
    rows = _rows(_download(client, draft))
    if lineterminator == "\n":
        rows = [[cell.replace("\r\n", "\n") for cell in row] for row in rows]
    before = _state(draft)
    preview = _upload(client, draft, _bytes(rows, encoding=encoding, lineterminator=lineterminator))
    assert preview.status_code == 200, preview.text
    assert "Filen ändrar ingenting" in preview.text
    assert 'name="token"' not in preview.text
    assert _state(draft) == before


def test_a_sheet_previewed_before_someone_else_saved_is_refused(
    client, kalmar_coordinator, kalmar_police_coordinator, draft
):
    client.force_login(kalmar_coordinator)
    rows = _rows(_download(client, draft))
    rows[1][5] = "12"
    preview = _upload(client, draft, _bytes(rows))
    token = _token(preview)
    # Meanwhile the police coordinator saves the form.
    raids = _assessments(draft)[0]
    services.followup_update(
        user=kalmar_police_coordinator,
        followup=FollowUp.objects.get(pk=draft.pk),
        expected_version=draft.lock_version,
        narrative="Skrivet av polisen.",
        assessments={raids.pk: {"figure": 9}},
    )
    before = _state(draft)
    response = _confirm(client, draft, token)
    assert response.status_code == 409
    assert "Någon annan har sparat ändringar" in response.text
    assert "Ingenting från filen har sparats" in response.text
    assert _state(draft) == before
    assert _assessments(draft)[0].figure == 9


def _save_in_the_form(user, followup, values_by_row: dict[int, dict]):
    """Someone else saves assessments in the form (``{row index: values}``)."""
    assessments = _assessments(followup)
    current = FollowUp.objects.get(pk=followup.pk)
    services.followup_update(
        user=user,
        followup=current,
        expected_version=current.lock_version,
        narrative=current.narrative,
        assessments={assessments[i].pk: values for i, values in values_by_row.items()},
    )


def test_rows_saved_since_the_download_and_left_as_downloaded_keep_what_is_saved(
    client, kalmar_coordinator, kalmar_police_coordinator, draft
):
    """An old sheet never puts back what someone else saved after it was downloaded."""
    client.force_login(kalmar_coordinator)
    rows = _rows(_download(client, draft))
    # After the download the police coordinator types 9 for the raids and a comment on
    # the information commitment; the sheet changes only the walks.
    _save_in_the_form(
        kalmar_police_coordinator, draft, {0: {"figure": 9}, 2: {"comment": "Polisens rad."}}
    )
    rows[2][5] = "3"
    preview = _upload(client, draft, _bytes(rows))
    assert preview.status_code == 200, preview.text
    assert "1 åtagande ändras" in preview.text
    assert "Raderna 2, 4: åtagandena har sparats i portalen" in preview.text
    assert "Det som är sparat nu behålls" in preview.text
    _confirm(client, draft, _token(preview))
    raids, walks, info = _assessments(draft)
    assert (raids.figure, raids.comment) == (9, BULLETS)
    assert (info.comment, info.outcome) == ("Polisens rad.", "Nyhetsbrev i april.")
    assert walks.figure == 3


def test_a_row_changed_in_the_file_and_saved_since_the_download_is_a_conflict(
    client, kalmar_coordinator, kalmar_police_coordinator, draft
):
    client.force_login(kalmar_coordinator)
    rows = _rows(_download(client, draft))
    _save_in_the_form(kalmar_police_coordinator, draft, {0: {"figure": 9}})
    rows[1][8] = "Min kommentar."  # the raids: a comment, where the police typed a figure
    rows[2][5] = "3"
    before = _state(draft)
    response = _upload(client, draft, _bytes(rows))
    assert response.status_code == 400
    assert "Rad 2: åtagandet har sparats i portalen sedan kalkylarket laddades ner" in (
        response.text
    )
    assert "Rad 3" not in response.text
    assert 'name="token"' not in response.text
    assert _state(draft) == before


def test_a_tampered_token_is_refused(client, kalmar_coordinator, draft):
    client.force_login(kalmar_coordinator)
    before = _state(draft)
    response = _confirm(client, draft, "x" + "A" * 40)
    assert response.status_code == 400
    assert "Ladda upp filen igen" in response.text
    assert _state(draft) == before


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_the_same_instant_one_wins_one_is_refused(
    kalmar_coordinator, kalmar_police_coordinator, draft
):
    """Two previews of the same version confirmed together (two tabs, two people)."""
    raids, walks, _info = _assessments(draft)
    version = draft.lock_version
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def confirm(index, user, values):
        try:
            barrier.wait()
            services.followup_import_sheet(
                user=user,
                followup=FollowUp.objects.get(pk=draft.pk),
                expected_version=version,
                assessments=values,
            )
            outcomes[index] = "ok"
        except StaleObjectError:
            outcomes[index] = "stale"
        finally:
            connection.close()

    sheets = [{raids.pk: {"figure": 20}, walks.pk: {"figure": 1}}, {raids.pk: {"figure": 30}}]
    threads = [
        threading.Thread(target=confirm, args=(0, kalmar_coordinator, sheets[0])),
        threading.Thread(target=confirm, args=(1, kalmar_police_coordinator, sheets[1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "stale"], outcomes
    winner = sheets[outcomes.index("ok")]
    saved = {a.pk: a.figure for a in _assessments(draft)}
    # The winner's sheet whole, nothing of the loser's.
    assert saved[raids.pk] == winner[raids.pk]["figure"]
    assert saved[walks.pk] == winner.get(walks.pk, {"figure": None})["figure"]
    draft.refresh_from_db()
    assert draft.lock_version == version + 1


def test_download_preview_and_confirmation_cost_the_same_queries_for_more_commitments(
    client, kalmar_coordinator, draft, django_assert_max_num_queries
):
    """No query per row: a follow-up with 13 commitments costs what one with 3 does."""
    client.force_login(kalmar_coordinator)

    def counts():
        with CaptureQueriesContext(connection) as download:
            rows = _rows(_download(client, draft))
        for row in rows[1:]:
            row[5] = str(int(row[5] or 0) + 1)
        with CaptureQueriesContext(connection) as preview:
            token = _token(_upload(client, draft, _bytes(rows)))
        with CaptureQueriesContext(connection) as confirm:
            assert _confirm(client, draft, token).status_code == 302
        return len(download), len(preview), len(confirm)

    small = counts()
    CommitmentAssessmentFactory.create_batch(
        10,
        followup=draft,
        commitment__target_quantity=2,
        commitment__target_unit="trygghetsvandringar",
        target_count=2,
    )
    large = counts()
    assert large[:2] == small[:2]
    # Saving goes through followup_update, the form's save: per changed row the
    # assessment's full_clean and its UPDATE (measured 4 queries a row), nothing more.
    assert large[2] - small[2] <= 10 * 4
    with django_assert_max_num_queries(20):
        _download(client, draft)


# --- Bad sheets: refused whole, every problem with its row ---------------------------------


def _with(rows, line, column, value):
    """``rows`` with one cell changed; ``line`` as the spreadsheet numbers rows (header 1)."""
    rows = [list(r) for r in rows]
    rows[line - 1][sheet.COLUMNS.index(column)] = value
    return _bytes(rows)


def _bad_sheets(rows, other_followup_pk) -> dict:
    """name: (bytes, a phrase the page must show)."""
    header, *body = rows
    return {
        "unknown commitment id": (
            _with(rows, 2, "commitment_id", "999999"),
            "Rad 2: åtagande ”999999” finns inte i uppföljningen",
        ),
        "commitment missing": (
            _bytes([header, body[0], body[2]]),
            f"Åtagande {body[1][1]} (”Kommunen och polisen gör trygghets",
        ),
        "commitment repeated": (
            _bytes([header, *body, body[0]]),
            f"Rad 5: åtagande {body[0][1]} finns redan på rad 2",
        ),
        "negative figure": (
            _with(rows, 3, "figure", "-1"),
            "Rad 3: antalet ”-1” är inget heltal",
        ),
        "decimal figure": (_with(rows, 2, "figure", "11,5"), "Rad 2: antalet ”11,5” är inget"),
        "figure in words": (_with(rows, 2, "figure", "elva"), "Rad 2: antalet ”elva” är inget"),
        "absurd figure": (
            _with(rows, 4, "figure", "5000000"),
            "Rad 4: antalet 5000000 är orimligt stort",
        ),
        "unknown status": (
            _with(rows, 3, "status", "Klar"),
            "Rad 3: okänd status ”Klar” (använd Planerad, Pågående, Genomförd",
        ),
        "empty status": (_with(rows, 2, "status", ""), "Rad 2: status saknas"),
        "outcome too long": (
            _with(rows, 2, "outcome", "x" * 4_001),
            "Rad 2: texten i kolumnen outcome har 4001 tecken (högst 4000)",
        ),
        "NUL in a comment": (
            _with(rows, 3, "comment", "Bra\x00jobbat"),
            "Rad 3: kolumnen comment innehåller ett tecken som inte får finnas i en cell (NUL)",
        ),
        "escape in an outcome": (
            _with(rows, 4, "outcome", "a\x1bb"),
            "Rad 4: kolumnen outcome innehåller ett tecken som inte får finnas i en cell (U+001B)",
        ),
        "bidi override in a status": (
            _with(rows, 2, "status", "\u202eGenomförd"),
            "Rad 2: kolumnen status innehåller ett tecken som inte får finnas i en cell (U+202E)",
        ),
        "wrong encoding": (
            _bytes(rows, encoding="cp1252").replace(b"Genomf\xf6rd", b"Genomf\x81rd", 1),
            "varken i UTF-8 eller i Windows-1252",
        ),
        "too many rows": (
            _bytes([header, *body, *([body[0]] * sheet.MAX_ROWS)]),
            "Filen har för många rader (högst 500)",
        ),
        "another follow-up": (
            _bytes([header, *([str(other_followup_pk), *r[1:]] for r in body)]),
            f"Rad 2: raden hör till uppföljning {other_followup_pk}, inte till den här",
        ),
        "a renamed column": (
            _bytes([[*header[:8], "kommentar", *header[9:]], *body]),
            "Rad 1: okänd kolumn ”kommentar”; kolumnen comment saknas",
        ),
        "a row cut short": (
            _bytes([header, body[0][:5], *body[1:]]),
            "Rad 2: raden har 5 kolumner men rubrikraden har 10",
        ),
        "row version cleared": (
            _with(rows, 2, "row_version", ""),
            "Rad 2: kolumnen row_version är tom eller ändrad",
        ),
        "row version column removed": (
            _bytes([r[:9] for r in rows]),
            "Rad 1: kolumnen row_version saknas",
        ),
        "not a CSV file at all": (bytes(range(1, 32)) * 200, "ingen CSV-fil"),
        "empty file": (b"\xef\xbb\xbf", "Filen är tom"),
        "header only": (_bytes([header]), "Filen innehåller inga rader med åtaganden"),
    }


BAD = [
    "unknown commitment id",
    "commitment missing",
    "commitment repeated",
    "negative figure",
    "decimal figure",
    "figure in words",
    "absurd figure",
    "unknown status",
    "empty status",
    "outcome too long",
    "NUL in a comment",
    "escape in an outcome",
    "bidi override in a status",
    "wrong encoding",
    "too many rows",
    "another follow-up",
    "a renamed column",
    "a row cut short",
    "row version cleared",
    "row version column removed",
    "not a CSV file at all",
    "empty file",
    "header only",
]


@pytest.mark.parametrize("name", BAD)
def test_bad_sheet_is_refused_whole(name, client, kalmar_coordinator, draft):
    client.force_login(kalmar_coordinator)
    other = FollowUpFactory(
        promise=draft.promise,
        title="Tertial 2 2020",
        period_start_date=date(2020, 5, 1),
        status=FollowUp.Status.DRAFT,
    )
    rows = _rows(_download(client, draft))
    # Every sheet also changes a figure that is fine, so "refused whole" means something.
    rows[3][5] = "2"
    data, phrase = _bad_sheets(rows, other.pk)[name]
    before = _state(draft)
    response = _upload(client, draft, data)
    assert response.status_code == 400
    assert "Filen kunde inte läsas in. Ingenting har sparats." in response.text
    assert phrase in response.text.replace("&quot;", '"'), response.text[-3000:]
    assert 'name="token"' not in response.text
    assert 'href="#id_file"' in response.text  # the error summary leads to the file field
    assert _state(draft) == before


def test_errors_on_several_rows_are_all_listed(client, kalmar_coordinator, draft):
    client.force_login(kalmar_coordinator)
    rows = _rows(_download(client, draft))
    rows[1][5] = "-2"
    rows[3][6] = "Klar"
    response = _upload(client, draft, _bytes(rows))
    assert "Rad 2: antalet" in response.text and "Rad 4: okänd status" in response.text


def test_a_file_too_big_is_refused_before_it_is_read(client, kalmar_coordinator, draft):
    client.force_login(kalmar_coordinator)
    before = _state(draft)
    response = _upload(client, draft, b"x" * (sheet.MAX_BYTES + 1))
    assert response.status_code == 400
    assert "Filen är för stor (högst 2 MB)" in response.text
    assert 'href="#id_file"' in response.text
    assert _state(draft) == before


def test_no_file_gets_a_swedish_message(client, kalmar_coordinator, draft):
    client.force_login(kalmar_coordinator)
    response = client.post(reverse("followups:followup-sheet-upload", args=[draft.pk]))
    assert response.status_code == 400
    assert "Välj filen du har fyllt i." in response.text


# --- Who may ------------------------------------------------------------------------------


def _urls(followup):
    return {
        "download": ("get", reverse("followups:followup-sheet", args=[followup.pk])),
        "upload page": ("get", reverse("followups:followup-sheet-upload", args=[followup.pk])),
        "upload": ("post", reverse("followups:followup-sheet-upload", args=[followup.pk])),
        "confirm": ("post", reverse("followups:followup-sheet-confirm", args=[followup.pk])),
    }


@pytest.mark.parametrize(
    "role, expected",
    [
        ("kalmar_reader", 403),
        ("kalmar_police_chief", 403),
        ("kalmar_municipal_signatory", 403),
        ("katrineholm_coordinator", 404),
    ],
)
def test_only_the_partnerships_coordinators_may(
    role, expected, request, client, kalmar_coordinator, draft
):
    client.force_login(kalmar_coordinator)
    rows = _rows(_download(client, draft))
    rows[1][5] = "12"
    token = _token(_upload(client, draft, _bytes(rows)))
    before = _state(draft)
    client.force_login(request.getfixturevalue(role))
    for name, (method, url) in _urls(draft).items():
        data = {"token": token} if name == "confirm" else {}
        if name == "upload":
            data = {"file": SimpleUploadedFile("a.csv", _bytes(rows))}
        response = getattr(client, method)(url, data)
        assert response.status_code == expected, (name, response.status_code)
    assert _state(draft) == before


def test_a_published_followup_is_refused(
    client, kalmar_coordinator, kalmar_police_coordinator, draft
):
    client.force_login(kalmar_coordinator)
    rows = _rows(_download(client, draft))
    rows[1][5] = "12"
    token = _token(_upload(client, draft, _bytes(rows)))
    _approve_both(draft, kalmar_coordinator, kalmar_police_coordinator)
    services.followup_publish(user=kalmar_coordinator, followup=draft)
    before = _state(draft)
    for name, (method, url) in _urls(draft).items():
        data = {"token": token} if name == "confirm" else {}
        if name == "upload":
            data = {"file": SimpleUploadedFile("a.csv", _bytes(rows))}
        assert getattr(client, method)(url, data).status_code == 403, name
    assert _state(draft) == before
    detail = client.get(draft.get_absolute_url()).text
    assert "Ladda ner kalkylark" not in detail


def test_a_planned_followup_has_no_sheet_yet(client, kalmar_coordinator, kalmar_promise):
    planned = FollowUpFactory(promise=kalmar_promise)
    client.force_login(kalmar_coordinator)
    response = client.get(reverse("followups:followup-sheet", args=[planned.pk]), follow=True)
    assert "Påbörja uppföljningen först" in response.text


def test_the_detail_page_links_to_the_sheet(client, kalmar_coordinator, kalmar_reader, draft):
    client.force_login(kalmar_coordinator)
    page = client.get(draft.get_absolute_url()).text
    assert reverse("followups:followup-sheet", args=[draft.pk]) in page
    assert reverse("followups:followup-sheet-upload", args=[draft.pk]) in page
    client.force_login(kalmar_reader)
    assert "Ladda upp ifyllt kalkylark" not in client.get(draft.get_absolute_url()).text


# --- In a browser --------------------------------------------------------------------------


def _standalone(html: str) -> str:
    """The page with its stylesheets inlined and scripts left out, for set_content."""
    static = Path(settings.BASE_DIR) / "static"

    def inline(match):
        path = static / match.group(1).removeprefix(settings.STATIC_URL)
        return f"<style>{path.read_text(encoding='utf-8')}</style>"

    html = re.sub(r'<link rel="stylesheet" href="([^"]+)">', inline, html)
    return re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)


@pytest.mark.browser
def test_preview_and_error_pages_pass_axe(browser, axe, client, kalmar_coordinator, draft):
    client.force_login(kalmar_coordinator)
    rows = _rows(_download(client, draft))
    rows[1][5] = "11"
    rows[2][7] = "Tre vandringar."
    pages = {
        "preview": _upload(client, draft, _bytes(rows)).text,
        "errors": _upload(client, draft, _with(rows, 2, "figure", "-1")).text,
    }
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    try:
        for name, html in pages.items():
            page.set_content(_standalone(html))
            results = axe.run(page)
            assert results.violations_count == 0, (name, results.generate_report())
    finally:
        context.close()
