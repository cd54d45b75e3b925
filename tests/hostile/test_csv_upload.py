"""Hostile files to the indicator import: each refused (or previewed) with a message, none saved.

The preview never writes; the confirmation writes all rows or none, and only
rows the preview accepted can reach it (they travel signed).
"""

import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from situation.csv_import import MAX_BYTES, MAX_ROWS
from situation.models import IndicatorValue
from tests.hostile.conftest import server_error
from tests.situation.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

HEADER = "indikator;period;fördelning;grupp;värde\n"


def _rows(pk, count, group="flickor"):
    return "".join(
        f"{pk};{2000 + i % 50} T{i % 3 + 1};kön;{group} {i};{i},5\n" for i in range(count)
    )


def files(pk) -> dict[str, tuple[bytes, int, str]]:
    """name: (bytes, expected status, a phrase the page must show)."""
    good = HEADER + _rows(pk, 3)
    noise = random.Random(20260611)
    return {
        "NUL in a period": ((HEADER + f"{pk};20\x0017;alla;;5\n").encode(), 400, "NUL"),
        "NUL in a group": ((HEADER + f"{pk};2017;kön;poj\x00kar;5\n").encode(), 400, "NUL"),
        "escape in a group": ((HEADER + f"{pk};2017;kön;a\x1bb;5\n").encode(), 400, "U+001B"),
        "bidi override in a period": (
            (HEADER + f"{pk};\u202e7102;alla;;5\n").encode(),
            400,
            "U+202E",
        ),
        "line break inside quotes": (
            (HEADER + f'{pk};"20\n17";alla;;5\n').encode(),
            400,
            "radbrytning",
        ),
        "bytes undefined in Windows-1252": (
            HEADER.encode("cp1252") + b"1;2017;alla;;5\x81\n",
            400,
            "Windows-1252",
        ),
        "binary file": (bytes(noise.randrange(256) for _ in range(4000)), 400, "CSV"),
        "PNG image": (
            b"\x89PNG\r\n\x1a\n" + bytes(noise.randrange(256) for _ in range(500)),
            400,
            "CSV",
        ),
        "UTF-16 with BOM": (good.encode("utf-16"), 200, "3 värden kommer att sparas"),
        "UTF-16 without BOM": (good.encode("utf-16-le"), 200, "3 värden kommer att sparas"),
        "UTF-16 big-endian with BOM": (b"\xfe\xff" + good.encode("utf-16-be"), 200, "3 värden"),
        "UTF-32 with BOM": (good.encode("utf-32"), 200, "3 värden kommer att sparas"),
        "UTF-8 with BOM": (good.encode("utf-8-sig"), 200, "3 värden kommer att sparas"),
        "Windows-1252": (good.encode("cp1252"), 200, "3 värden kommer att sparas"),
        "broken UTF-16": (b"\xff\xfe" + good.encode("utf-16-le")[:-1] + b"\x00\xd8", 400, "UTF-16"),
        "header only": (HEADER.encode(), 400, "inga värden"),
        "empty lines only": (b"\n\n\n", 400, "kolumnerna"),
        "larger than 1 MB": ((HEADER + "x" * MAX_BYTES).encode(), 400, "1 MB"),
        "too many rows": (
            (HEADER + _rows(pk, MAX_ROWS + 1, group="g")).encode(),
            400,
            "för många rader",
        ),
        "a cell beyond the CSV field limit": (
            (HEADER + f"{pk};2017;kön;{'x' * 200_000};5\n").encode(),
            400,
            "CSV",
        ),
        "a huge number": ((HEADER + f"{pk};2017;alla;;{'9' * 5000}\n").encode(), 400, "inget tal"),
        "many bad lines": (
            (HEADER + f"{pk};2017;planet;mars;1\n" * 3000).encode(),
            400,
            "fler fel",
        ),
        "formula in a group": (
            (HEADER + f'{pk};2017;kön;"=HYPERLINK(""http://x"")";5\n').encode(),
            200,
            "1 värde",
        ),
    }


@pytest.fixture
def indicator(kalmar_report):
    return IndicatorFactory(report=kalmar_report, name="Otrygghet")


def test_every_hostile_file_gets_a_message_and_saves_nothing(
    client, kalmar_coordinator, indicator, probe
):
    client.force_login(kalmar_coordinator)
    url = reverse("situation:indicator-import", args=[indicator.report_id])
    failures = []
    for name, (data, expected, phrase) in files(indicator.pk).items():
        upload = SimpleUploadedFile("varden.csv", data, content_type="text/csv")
        response = client.post(url, {"file": upload})
        status = response.status_code
        if server_error(status) or status != expected or phrase not in response.text:
            failures.append(
                (name, status, re.findall(r"Rad \d+:[^<]*|Filen[^<]*", response.text)[:2])
            )
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()
    assert not failures, failures


def test_confirm_with_tampered_tokens_saves_nothing(client, kalmar_coordinator, indicator, probe):
    client.force_login(kalmar_coordinator)
    url = reverse("situation:indicator-import-confirm", args=[indicator.report_id])
    for token in ("", "\x00", "abc", "x" * 100_000, "a:b:c", "\xff\xfe"):
        status, wrote = probe("post", url, data={"token": token})
        assert status == 400, (token[:10], status)
        assert not wrote


def test_a_good_file_in_utf16_is_saved_whole(client, kalmar_coordinator, indicator):
    client.force_login(kalmar_coordinator)
    data = (HEADER + _rows(indicator.pk, 3)).encode("utf-16")
    preview = client.post(
        reverse("situation:indicator-import", args=[indicator.report_id]),
        {"file": SimpleUploadedFile("v.csv", data, content_type="text/csv")},
    )
    token = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    response = client.post(
        reverse("situation:indicator-import-confirm", args=[indicator.report_id]), {"token": token}
    )
    assert response.status_code == 302
    assert indicator.values.count() == 3
