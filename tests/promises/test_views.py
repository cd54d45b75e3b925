"""The promise workspace through its real views: editing, validation, commitments,
reordering, htmx fragments, workflow buttons, signing, the diff and the dashboard."""

import re
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Area, Theme
from promises import services
from promises.models import Commitment, Promise, PromiseTransition, Signature
from promises.owners import owners_for
from tests.factories import PASSWORD, sign
from tests.promises.fixtures_ui import *  # noqa: F403  (fixtures)
from tests.promises.fixtures_ui import police_commitments

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, promise, commitment=None, **kwargs):
    if commitment is not None:
        kwargs["commitment_pk"] = commitment.pk
    return reverse(f"promises:{name}", kwargs={"pk": promise.pk, **kwargs})


def promise_data(promise=None, **changes):
    data = {
        "title": "Tryggare Kalmar",
        "valid_from_date": "2026-01-01",
        "valid_to_date": "2026-12-31",
        "extended_to_date": "",
        "introduction": "",
        "effect_goal": "",
        "effect_indicator": "",
        "effect_baseline": "",
        "effect_target": "",
        "effect_target_year": "",
        "followup_cadence": Promise.Cadence.TERTIAL,
        "followup_channels": "",
        "decision_reference": "",
        "predecessor": "",
    }
    if promise is not None:
        data["lock_version"] = promise.lock_version
    data.update(changes)
    return data


def commitment_data(promise, prefix, party=Commitment.Party.POLICE, **fields):
    """The commitment form's fields; ``party`` ticks the owners that code names."""
    owners = [o.pk for o in owners_for(promise.partnership, party)]
    data = {"owners": owners, "text": "", "target_period": "period"}
    data.update(fields)
    return {f"{prefix}-{name}": value for name, value in data.items()}


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def field_error(response, field_id):
    """The error text Django/crispy render next to the field with ``field_id``."""
    match = re.search(rf'id="{field_id}_error"[^>]*>(.*?)</div>', response.text, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip() if match else None


# --- Creating and editing the promise -----------------------------------------------


def test_coordinator_creates_a_promise_with_everything(client, everyone, kalmar_partnership):
    theme = Theme.objects.create(name="Trygghet i centrum", slug="trygghet-i-centrum-test")
    area = Area.objects.create(municipality=kalmar_partnership.municipalities.get(), name="Oxhagen")
    client.force_login(everyone["kalmar_police_coordinator"])
    create = reverse("promises:promise-create", kwargs={"partnership_pk": kalmar_partnership.pk})

    response = client.post(
        create,
        promise_data(
            title="Medborgarlöfte Kalmar 2027",
            valid_from_date="2027-07-01",
            valid_to_date="2028-06-30",
            extended_to_date="2028-12-31",
            introduction="Inledningen.",
            effect_goal="Ökad trygghet.",
            effect_indicator="Andel trygga i mätningen",
            effect_baseline="60 %",
            effect_target="70 %",
            effect_target_year="2028",
            themes=[theme.pk],
            areas=[area.pk],
            followup_cadence=Promise.Cadence.HALF_YEARLY,
            followup_channels="Kommunens webbplats",
            decision_reference="KS 2027/1",
        ),
    )

    promise = Promise.objects.get(title="Medborgarlöfte Kalmar 2027")
    assert response.status_code == 302
    assert response["Location"] == promise.get_absolute_url()
    assert promise.status == Promise.Status.DRAFT
    assert promise.valid_from_date == date(2027, 7, 1)
    assert promise.extended_to_date == date(2028, 12, 31)
    assert promise.effect_target_year == 2028
    assert list(promise.themes.all()) == [theme]
    assert list(promise.areas.all()) == [area]
    assert promise.transitions.get().kind == PromiseTransition.Kind.CREATED
    assert "Medborgarlöftet är skapat" in messages_of(response)[0]


def test_period_ending_before_it_starts_is_refused_next_to_the_field(
    client, everyone, kalmar_partnership
):
    client.force_login(everyone["kalmar_coordinator"])
    create = reverse("promises:promise-create", kwargs={"partnership_pk": kalmar_partnership.pk})

    response = client.post(
        create, promise_data(valid_from_date="2026-12-31", valid_to_date="2026-01-01")
    )

    assert response.status_code == 200
    assert field_error(response, "id_valid_to_date") == "Perioden kan inte sluta innan den börjar."
    # The error summary links to the field.
    assert 'href="#id_valid_to_date"' in response.text
    assert not Promise.objects.exists()


def test_edit_saves_every_field_and_bumps_the_lock_version(client, everyone, draft):
    predecessor = services.promise_create(
        user=everyone["kalmar_coordinator"],
        partnership=draft.partnership,
        title="Medborgarlöfte 2025",
        valid_from_date=date(2025, 1, 1),
        valid_to_date=date(2025, 12, 31),
    )
    client.force_login(everyone["kalmar_police_coordinator"])
    page = client.get(url("promise-update", draft))
    assert f'name="lock_version" value="{draft.lock_version}"' in page.text

    response = client.post(
        url("promise-update", draft),
        promise_data(
            draft,
            title="Tryggare Kalmar 2026",
            introduction="Ny inledning.",
            decision_reference="KS 2026/12",
            predecessor=predecessor.pk,
            valid_to_date="2027-06-30",
        ),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Tryggare Kalmar 2026"
    assert draft.valid_to_date == date(2027, 6, 30)
    assert draft.predecessor == predecessor
    assert draft.lock_version == 2
    assert messages_of(response) == ["Ändringarna är sparade."]


def test_extension_before_the_end_is_refused_and_nothing_is_saved(client, everyone, draft):
    client.force_login(everyone["kalmar_coordinator"])

    response = client.post(
        url("promise-update", draft),
        promise_data(draft, title="Ändrad rubrik", extended_to_date="2026-06-30"),
    )

    assert response.status_code == 200
    assert (
        field_error(response, "id_extended_to_date")
        == "En förlängning måste sluta efter den ursprungliga perioden."
    )
    draft.refresh_from_db()
    assert (draft.title, draft.lock_version) == ("Tryggare Kalmar", 1)


def test_a_promise_awaiting_signatures_cannot_be_edited(client, everyone, awaiting):
    client.force_login(everyone["kalmar_coordinator"])

    page = client.get(url("promise-update", awaiting))
    assert page.status_code == 302
    assert "Bara utkast kan ändras" in messages_of(page)[0]

    # A save posted anyway is refused by the service and keeps what was typed.
    response = client.post(url("promise-update", awaiting), promise_data(awaiting, title="Ny"))
    assert response.status_code == 200
    assert "Bara utkast kan ändras" in response.text
    assert 'value="Ny"' in response.text
    awaiting.refresh_from_db()
    assert awaiting.title == "Tryggare Kalmar"


# --- Commitments ---------------------------------------------------------------------


def test_detail_groups_commitments_by_party(client, everyone, draft):
    services.commitment_create(
        user=everyone["kalmar_coordinator"],
        promise=draft,
        party=Commitment.Party.JOINT,
        text="Vi genomför trygghetsvandringar tillsammans.",
    )
    client.force_login(everyone["kalmar_reader"])

    response = client.get(url("promise-detail", draft))

    text = response.text
    police = text.index("Polisen lovar")
    kalmar = text.index("Kalmar kommun lovar")
    joint = text.index("Tillsammans lovar vi")
    assert police < text.index("Polisen patrullerar") < kalmar
    assert kalmar < text.index("Kommunen arrangerar") < joint
    assert joint < text.index("Vi genomför trygghetsvandringar")
    assert "minst 2 trygghetsvandringar" in text
    # A reader sees no editing controls.
    assert "Lägg till ett åtagande" not in text
    assert "Flytta upp" not in text


def test_add_commitment_without_javascript(client, everyone, draft):
    client.force_login(everyone["kalmar_coordinator"])

    response = client.post(
        url("commitment-create", draft),
        commitment_data(
            draft,
            "ny",
            party=Commitment.Party.MUNICIPALITY,
            text="Kommunen lagar belysningen i parken.",
            target_quantity="3",
            target_unit="lampor",
            target_period="ar",
        ),
    )

    commitment = draft.commitments.get(text="Kommunen lagar belysningen i parken.")
    assert response.status_code == 302
    assert response["Location"] == commitment.get_absolute_url()
    assert list(commitment.owners.all()) == [draft.partnership.municipalities.get()]
    assert commitment.target_text() == "minst 3 lampor per år"


def test_add_commitment_with_htmx_returns_the_commitments_fragment(client, everyone, draft):
    client.force_login(everyone["kalmar_coordinator"])

    response = client.post(
        url("commitment-create", draft),
        commitment_data(draft, "ny", text="Polisen ordnar en öppen dialog."),
        **HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#ataganden"
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="ataganden"')
    assert "Polisen ordnar en öppen dialog." in response.text
    assert "Åtagandet är tillagt." in response.text


@pytest.mark.parametrize("htmx", [False, True])
def test_empty_commitment_is_refused(client, everyone, draft, htmx):
    client.force_login(everyone["kalmar_coordinator"])
    count = draft.commitments.count()

    response = client.post(
        url("commitment-create", draft),
        commitment_data(draft, "ny", text="   "),
        **(HTMX if htmx else {}),
    )

    assert response.status_code == 200
    assert field_error(response, "id_ny-text") == "Skriv vad som lovas."
    assert draft.commitments.count() == count
    if htmx:
        assert response.text.lstrip().startswith('<div id="nytt-atagande"')


def test_target_without_unit_is_refused_next_to_the_unit(client, everyone, draft):
    client.force_login(everyone["kalmar_coordinator"])
    count = draft.commitments.count()

    response = client.post(
        url("commitment-create", draft),
        commitment_data(draft, "ny", text="Polisen gör kontroller.", target_quantity="100"),
    )

    assert response.status_code == 200
    assert (
        field_error(response, "id_ny-target_unit")
        == "Ett mål behöver en enhet, till exempel ”trygghetsvandringar”."
    )
    assert 'href="#id_ny-target_unit"' in response.text
    assert draft.commitments.count() == count


def test_inline_edit_swaps_only_that_commitment(client, everyone, draft):
    commitment = police_commitments(draft)[0]
    client.force_login(everyone["kalmar_police_coordinator"])
    prefix = f"a{commitment.pk}"

    form = client.get(url("commitment-update", draft, commitment), **HTMX)
    assert form.text.lstrip().startswith(f'<li id="atagande-{commitment.pk}"')
    assert f'name="{prefix}-lock_version" value="1"' in form.text

    response = client.post(
        url("commitment-update", draft, commitment),
        commitment_data(
            draft, prefix, text="Polisen patrullerar i centrum varje fredag.", lock_version=1
        ),
        **HTMX,
    )

    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert response.text.lstrip().startswith(f'<li id="atagande-{commitment.pk}"')
    assert "Polisen patrullerar i centrum varje fredag." in response.text
    commitment.refresh_from_db()
    assert commitment.text == "Polisen patrullerar i centrum varje fredag."
    assert commitment.lock_version == 2


def test_changing_party_redraws_the_whole_list(client, everyone, draft):
    commitment = police_commitments(draft)[0]
    client.force_login(everyone["kalmar_coordinator"])

    response = client.post(
        url("commitment-update", draft, commitment),
        commitment_data(
            draft, f"a{commitment.pk}", party="joint", text=commitment.text, lock_version=1
        ),
        **HTMX,
    )

    assert response["HX-Retarget"] == "#ataganden"
    commitment.refresh_from_db()
    assert commitment.party == Commitment.Party.JOINT
    assert commitment.heading == "Tillsammans lovar vi"


def test_inline_edit_validation_keeps_the_form(client, everyone, draft):
    commitment = police_commitments(draft)[0]
    client.force_login(everyone["kalmar_coordinator"])
    prefix = f"a{commitment.pk}"

    response = client.post(
        url("commitment-update", draft, commitment),
        commitment_data(draft, prefix, text="", lock_version=1),
        **HTMX,
    )

    assert field_error(response, f"id_{prefix}-text") == "Skriv vad som lovas."
    commitment.refresh_from_db()
    assert commitment.lock_version == 1


def test_cancel_inline_edit_returns_the_commitment(client, everyone, draft):
    commitment = draft.commitments.first()
    client.force_login(everyone["kalmar_coordinator"])

    response = client.get(url("commitment-detail", draft, commitment), **HTMX)
    assert response.text.lstrip().startswith(f'<li id="atagande-{commitment.pk}"')

    plain = client.get(url("commitment-detail", draft, commitment))
    assert plain["Location"] == commitment.get_absolute_url()


def police_texts(promise):
    return [c.text for c in police_commitments(promise)]


def test_reorder_up_and_down(client, everyone, draft):
    client.force_login(everyone["kalmar_coordinator"])
    first, second, third = police_texts(draft)
    last = draft.commitments.get(text=third)

    response = client.post(url("commitment-move", draft, last), {"direction": "up"})
    assert response.status_code == 302
    assert police_texts(draft) == [first, third, second]

    response = client.post(url("commitment-move", draft, last), {"direction": "up"}, **HTMX)
    assert response["HX-Retarget"] == "#ataganden"
    assert police_texts(draft) == [third, first, second]
    # The first commitment's "up" button is disabled in the redrawn list.
    assert re.search(rf'id="flytta-upp-{last.pk}"[^>]*disabled', response.text)

    client.post(url("commitment-move", draft, last), {"direction": "down"})
    assert police_texts(draft) == [first, third, second]


def test_reorder_needs_a_direction(client, everyone, draft):
    client.force_login(everyone["kalmar_coordinator"])
    commitment = draft.commitments.first()
    before = police_texts(draft)
    response = client.post(url("commitment-move", draft, commitment), {"direction": "sideways"})
    assert response.status_code == 302
    assert police_texts(draft) == before


def test_delete_commitment_with_confirmation_page(client, everyone, draft):
    commitment = draft.commitments.first()
    client.force_login(everyone["kalmar_coordinator"])

    page = client.get(url("commitment-delete", draft, commitment))
    assert "Ta bort åtagandet?" in page.text
    assert Commitment.objects.filter(pk=commitment.pk).exists()

    response = client.post(url("commitment-delete", draft, commitment))
    assert response.status_code == 302
    assert not Commitment.objects.filter(pk=commitment.pk).exists()


def test_commitment_of_another_promise_is_404(client, everyone, draft):
    other = services.promise_create(
        user=everyone["kalmar_coordinator"],
        partnership=draft.partnership,
        title="Annat löfte",
        valid_from_date=date(2026, 1, 1),
        valid_to_date=date(2026, 12, 31),
    )
    client.force_login(everyone["kalmar_coordinator"])
    response = client.get(url("commitment-update", other, draft.commitments.first()))
    assert response.status_code == 404


# --- Workflow ------------------------------------------------------------------------


def test_submit_without_commitments_shows_the_swedish_reason(client, everyone, kalmar_partnership):
    empty = services.promise_create(
        user=everyone["kalmar_coordinator"],
        partnership=kalmar_partnership,
        title="Tomt",
        valid_from_date=date(2026, 1, 1),
        valid_to_date=date(2026, 12, 31),
    )
    client.force_login(everyone["kalmar_coordinator"])

    response = client.post(url("promise-submit", empty), follow=True)

    assert "Löftet har inga åtaganden ännu." in response.text
    empty.refresh_from_db()
    assert empty.status == Promise.Status.DRAFT


def test_full_workflow_through_the_buttons(client, everyone, draft):
    coordinator = everyone["kalmar_coordinator"]
    client.force_login(coordinator)

    response = client.post(url("promise-submit", draft), follow=True)
    assert "Version 1 är skickad för signering." in response.text
    draft.refresh_from_db()
    assert draft.status == Promise.Status.AWAITING_SIGNATURES
    assert "Underskrifter som saknas" in response.text

    response = client.post(url("promise-return", draft), {"note": "Fel datum"}, follow=True)
    assert "återtaget till utkast" in response.text
    assert draft.transitions.order_by("pk").last().note == "Fel datum"

    client.post(url("promise-submit", draft))
    draft.refresh_from_db()
    version = draft.current_version()
    assert version.number == 2

    chief = everyone["kalmar_police_chief"]
    client.force_login(chief)
    page = client.get(url("promise-sign", draft))
    assert version.content_sha256 in page.text
    assert "Polisen patrullerar till fots i centrum." in page.text

    read = {"version_id": version.pk, "content_sha256": version.content_sha256}
    wrong = client.post(url("promise-sign", draft), {**read, "password": "fel"})
    assert field_error(wrong, "id_password") == "Fel lösenord. Underskriften sparades inte."
    assert not Signature.objects.exists()

    response = client.post(url("promise-sign", draft), {**read, "password": PASSWORD}, follow=True)
    assert "Du har signerat version 2." in response.text
    assert "Lokalpolisområdeschef" in response.text  # the recorded signature
    assert "Kommunens företrädare" in response.text  # the role still missing

    signatory = everyone["kalmar_municipal_signatory"]
    client.force_login(signatory)
    response = client.post(url("promise-sign", draft), {**read, "password": PASSWORD}, follow=True)
    assert "Löftet är nu publicerat." in response.text
    draft.refresh_from_db()
    assert draft.status == Promise.Status.PUBLISHED
    assert draft.published_version == version

    client.force_login(coordinator)
    response = client.post(url("promise-amend", draft), follow=True)
    assert "Ett nytt utkast är påbörjat." in response.text
    draft.refresh_from_db()
    assert draft.status == Promise.Status.DRAFT


def test_signing_a_version_that_changed_meanwhile_is_refused(client, everyone, awaiting):
    old = awaiting.current_version()
    coordinator = everyone["kalmar_coordinator"]
    services.promise_return_to_draft(user=coordinator, promise=awaiting)
    awaiting.refresh_from_db()
    services.promise_update(
        user=coordinator,
        promise=awaiting,
        expected_version=awaiting.lock_version,
        data={"title": "Ny rubrik"},
    )
    services.promise_submit_for_signing(user=coordinator, promise=awaiting)
    client.force_login(everyone["kalmar_police_chief"])

    response = client.post(
        url("promise-sign", awaiting),
        {"password": PASSWORD, "version_id": old.pk, "content_sha256": old.content_sha256},
    )

    assert response.status_code == 200
    assert "Versionen har ändrats sedan du öppnade sidan." in response.text
    assert awaiting.current_version().content_sha256 in response.text
    assert not Signature.objects.exists()


def test_wrong_status_actions_show_swedish_errors(client, everyone, draft):
    client.force_login(everyone["kalmar_coordinator"])
    response = client.post(url("promise-return", draft), follow=True)
    assert "Bara ett löfte som väntar på signering kan återtas." in response.text
    response = client.post(url("promise-amend", draft), follow=True)
    assert "Bara ett publicerat löfte kan ändras." in response.text


def test_workflow_buttons_follow_the_permissions(client, everyone, awaiting):
    client.force_login(everyone["kalmar_police_chief"])
    page = client.get(url("promise-detail", awaiting)).text
    assert url("promise-sign", awaiting) in page
    assert url("promise-return", awaiting) not in page

    client.force_login(everyone["kalmar_coordinator"])
    page = client.get(url("promise-detail", awaiting)).text
    assert url("promise-sign", awaiting) not in page
    assert url("promise-return", awaiting) in page


# --- The diff against the signed version ------------------------------------------------


def test_diff_shows_changed_fields_and_commitments(client, everyone, published):
    coordinator = everyone["kalmar_coordinator"]
    services.promise_amend(user=coordinator, promise=published)
    published.refresh_from_db()
    services.promise_update(
        user=coordinator,
        promise=published,
        expected_version=published.lock_version,
        data={"title": "Tryggare Kalmar, reviderad"},
    )
    changed = published.commitments.get(text="Polisen besöker skolorna varje termin.")
    services.commitment_update(
        user=coordinator,
        commitment=changed,
        expected_version=changed.lock_version,
        data={"text": "Polisen besöker skolorna varje månad."},
    )
    services.commitment_delete(
        user=coordinator, commitment=published.commitments.get(text__contains="öppet hus")
    )
    services.commitment_create(
        user=coordinator, promise=published, party="joint", text="Vi möts på torget."
    )
    client.force_login(everyone["kalmar_reader"])

    response = client.get(url("promise-diff", published))

    text = response.text
    assert '<del><span class="visually-hidden">[borttaget:] </span>termin.</del>' in text
    assert '<ins><span class="visually-hidden">[tillagt:] </span>månad.</ins>' in text
    assert "reviderad" in text
    assert "Nytt åtagande" in text and "Vi möts på torget." in text
    assert "Borttaget åtagande" in text and "Polisen håller öppet hus i Oxhagen." in text
    assert "2 åtaganden är oförändrade." in text


def test_diff_without_a_signed_version(client, everyone, draft):
    client.force_login(everyone["kalmar_coordinator"])
    response = client.get(url("promise-diff", draft))
    assert "ingen signerad version" in response.text


# --- The dashboard panel --------------------------------------------------------------


def _dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    return response, len(queries)


def test_dashboard_lists_versions_awaiting_my_signature_in_constant_queries(
    client, everyone, awaiting, kalmar_partnership
):
    chief = everyone["kalmar_police_chief"]
    client.force_login(chief)
    response, one = _dashboard_queries(client)
    assert "Väntar på din underskrift" in response.text
    assert url("promise-sign", awaiting) in response.text

    coordinator = everyone["kalmar_coordinator"]
    for n in range(3):
        extra = services.promise_create(
            user=coordinator,
            partnership=kalmar_partnership,
            title=f"Extra {n}",
            valid_from_date=date(2026, 1, 1),
            valid_to_date=date(2026, 12, 31),
        )
        services.commitment_create(user=coordinator, promise=extra, party="police", text="Text")
        services.promise_submit_for_signing(user=coordinator, promise=extra)
    response, four = _dashboard_queries(client)
    assert response.text.count("/signera/") == 4
    assert four == one

    # Once signed, it is no longer waiting for this signatory.
    sign(chief, awaiting)
    response, _ = _dashboard_queries(client)
    assert url("promise-sign", awaiting) not in response.text


def test_dashboard_shows_nothing_to_sign_for_a_coordinator(client, everyone, awaiting):
    client.force_login(everyone["kalmar_coordinator"])
    response = client.get(reverse("core:dashboard"))
    assert "Väntar på din underskrift" not in response.text
    assert awaiting.title in response.text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"valid_from_date": "0001-01-01", "valid_to_date": "9999-12-31"},
            "id_valid_from_date",
            "Ange ett datum mellan 2000-01-01 och 2100-12-31.",
        ),
        (
            {"valid_from_date": "2026-01-01", "valid_to_date": "2127-01-01"},
            "id_valid_to_date",
            "Ange ett datum mellan 2000-01-01 och 2100-12-31.",
        ),
        (
            {"valid_from_date": "2026-01-01", "valid_to_date": "2036-01-01"},
            "id_valid_to_date",
            "Ett medborgarlöfte kan gälla i högst 10 år, förlängningen inräknad.",
        ),
        (
            {
                "valid_from_date": "2026-01-01",
                "valid_to_date": "2027-12-31",
                "extended_to_date": "2040-12-31",
            },
            "id_extended_to_date",
            "Ett medborgarlöfte kan gälla i högst 10 år, förlängningen inräknad.",
        ),
        (
            {"introduction": "x" * 1_000_000},
            "id_introduction",
            "Säkerställ att detta värde har som mest 20000 tecken (den har 1000000).",
        ),
    ],
)
def test_impossible_periods_and_huge_texts_are_refused_and_nothing_is_saved(
    client, everyone, kalmar_partnership, data, field, message
):
    client.force_login(everyone["kalmar_coordinator"])
    create = reverse("promises:promise-create", kwargs={"partnership_pk": kalmar_partnership.pk})

    response = client.post(create, promise_data(**data))

    assert response.status_code == 200
    assert (field_error(response, field) or "").startswith(message)
    assert not Promise.objects.exists()


def test_a_ten_year_promise_is_still_accepted(client, everyone, kalmar_partnership):
    client.force_login(everyone["kalmar_coordinator"])
    create = reverse("promises:promise-create", kwargs={"partnership_pk": kalmar_partnership.pk})
    response = client.post(
        create, promise_data(valid_from_date="2026-01-01", valid_to_date="2035-12-31")
    )
    assert response.status_code == 302
    assert Promise.objects.get().end_date == date(2035, 12, 31)
