"""Joint editing without lost updates: two coordinators, two browsers (clients).

Both open the same form; A saves first; B's save is refused and B sees A's
saved text beside their own, with their own input kept and now based on the
new version; B's deliberate second save wins. Nothing is overwritten silently.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from promises import services
from tests.promises.fixtures_ui import *  # noqa: F403  (fixtures)
from tests.promises.fixtures_ui import police_commitments
from tests.promises.test_views import HTMX, commitment_data, promise_data

pytestmark = pytest.mark.django_db


def lock_version_in(html, prefix=""):
    name = f"{prefix}-lock_version" if prefix else "lock_version"
    return int(re.search(rf'name="{name}" value="(\d+)"', html).group(1))


@pytest.fixture
def two_clients(everyone):
    a, b = Client(), Client()
    a.force_login(everyone["kalmar_coordinator"])
    b.force_login(everyone["kalmar_police_coordinator"])
    return a, b


def test_stale_promise_save_shows_both_versions_and_second_save_wins(two_clients, draft):
    a, b = two_clients
    edit = reverse("promises:promise-update", kwargs={"pk": draft.pk})
    version_a = lock_version_in(a.get(edit).text)
    version_b = lock_version_in(b.get(edit).text)
    assert version_a == version_b == 1

    saved = a.post(
        edit,
        promise_data(
            lock_version=version_a,
            title="Tryggare Kalmar (kommunens förslag)",
            introduction="Kommunens inledning.",
        ),
    )
    assert saved.status_code == 302

    refused = b.post(
        edit,
        promise_data(
            lock_version=version_b,
            title="Tryggare Kalmar (polisens förslag)",
            introduction="Polisens inledning.",
        ),
    )

    assert refused.status_code == 200
    text = refused.text
    assert "Någon annan har sparat ändringar sedan du öppnade sidan." in text
    # A's saved text beside B's, for each changed field.
    conflict = text[text.index('class="alert alert-warning conflict"') :]
    conflict = conflict[: conflict.index("</table>")]
    assert "Tryggare Kalmar (kommunens förslag)" in conflict
    assert "Tryggare Kalmar (polisens förslag)" in conflict
    assert "Kommunens inledning." in conflict and "Polisens inledning." in conflict
    assert "Rubrik" in conflict and "Inledning" in conflict
    assert "Gäller från" not in conflict  # unchanged fields are not listed
    # Who saved: A, by name.
    assert a.session and "Senast sparat av" in conflict
    # The form keeps B's input and is now based on A's version.
    assert 'value="Tryggare Kalmar (polisens förslag)"' in text
    assert lock_version_in(text) == 2
    # Nothing of B's was written over A's.
    draft.refresh_from_db()
    assert draft.title == "Tryggare Kalmar (kommunens förslag)"
    assert draft.introduction == "Kommunens inledning."

    # B has seen A's version and saves deliberately: B wins.
    resaved = b.post(
        edit,
        promise_data(
            lock_version=lock_version_in(text),
            title="Tryggare Kalmar (gemensamt förslag)",
            introduction="Kommunens inledning. Polisens inledning.",
        ),
    )
    assert resaved.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Tryggare Kalmar (gemensamt förslag)"
    assert draft.introduction == "Kommunens inledning. Polisens inledning."
    assert draft.lock_version == 3


def test_stale_commitment_save_inline_shows_both_texts(two_clients, draft):
    a, b = two_clients
    commitment = police_commitments(draft)[0]
    prefix = f"a{commitment.pk}"
    edit = reverse(
        "promises:commitment-update", kwargs={"pk": draft.pk, "commitment_pk": commitment.pk}
    )
    version_a = lock_version_in(a.get(edit, **HTMX).text, prefix)
    version_b = lock_version_in(b.get(edit, **HTMX).text, prefix)

    a.post(
        edit,
        commitment_data(
            draft, prefix, text="Polisen patrullerar på fredagar.", lock_version=version_a
        ),
        **HTMX,
    )
    refused = b.post(
        edit,
        commitment_data(
            draft, prefix, text="Polisen patrullerar på lördagar.", lock_version=version_b
        ),
        **HTMX,
    )

    assert refused.status_code == 200
    assert refused.text.lstrip().startswith(f'<li id="atagande-{commitment.pk}"')
    assert "Polisen patrullerar på fredagar." in refused.text
    assert "Polisen patrullerar på lördagar." in refused.text
    assert lock_version_in(refused.text, prefix) == 2
    commitment.refresh_from_db()
    assert commitment.text == "Polisen patrullerar på fredagar."

    b.post(
        edit,
        commitment_data(draft, prefix, text="Polisen patrullerar på helger.", lock_version=2),
        **HTMX,
    )
    commitment.refresh_from_db()
    assert commitment.text == "Polisen patrullerar på helger."


def test_commitment_deleted_meanwhile_keeps_what_was_typed(two_clients, draft, everyone):
    a, b = two_clients
    commitment = police_commitments(draft)[0]
    prefix = f"a{commitment.pk}"
    edit = reverse(
        "promises:commitment-update", kwargs={"pk": draft.pk, "commitment_pk": commitment.pk}
    )
    b.get(edit)
    services.commitment_delete(user=everyone["kalmar_coordinator"], commitment=commitment)

    response = b.post(
        edit, commitment_data(draft, prefix, text="Min omskrivna text.", lock_version=1), **HTMX
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#ataganden"
    assert "har tagit bort åtagandet" in response.text
    assert "Min omskrivna text." in response.text
    assert 'name="ny-text"' in response.text
