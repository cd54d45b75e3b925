"""Optimistic locking of every editable lägesbild item: two saves never silently lose one.

Sources, findings, indicators and values carry a ``lock_version`` like the report
and the commitments: the form sends the number the editor loaded, the service
compares it under a row lock and refuses an older one with a Swedish message,
and the page keeps what the user typed beside the version saved now.
"""

import re
import threading
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from core.concurrency import StaleObjectError
from situation import services
from situation.models import Finding, Indicator, IndicatorValue, Source

CONFLICT = "Någon annan har sparat ändringar sedan du öppnade sidan."


@dataclass
class Case:
    """One kind of item: how to find it, its edit URL's name, its form and one text field."""

    model: type
    url_name: str
    prefix: str
    text_field: str
    base: dict

    def item(self, report):
        if self.model is IndicatorValue:
            return IndicatorValue.objects.filter(indicator__report=report).order_by("pk").first()
        return self.model.objects.filter(report=report).order_by("pk").first()

    def update(self, user, item, version, text):
        call = {
            Source: lambda: services.source_update(
                user=user, source=item, expected_version=version, data={"title": text}
            ),
            Finding: lambda: services.finding_update(
                user=user, finding=item, expected_version=version, data={"text": text}
            ),
            Indicator: lambda: services.indicator_update(
                user=user, indicator=item, expected_version=version, data={"name": text}
            ),
            IndicatorValue: lambda: services.indicator_value_update(
                user=user, value=item, expected_version=version, data={"note": text}
            ),
        }[self.model]
        return call()

    def saved_text(self, item):
        return getattr(type(item).objects.get(pk=item.pk), self.text_field)

    def post_data(self, item, version, text):
        data = {f"{self.prefix}-{k}": v for k, v in self.base.items()}
        data[f"{self.prefix}-{self.text_field}"] = text
        data[f"{self.prefix}-lock_version"] = version
        return data


CASES = [
    Case(
        Source,
        "situation:source-update",
        "kalla",
        "title",
        {"kind": "trygghetsmatning", "year": "2018", "visibility": "offentlig"},
    ),
    Case(
        Finding,
        "situation:finding-update",
        "fynd",
        "text",
        {"priority": "2", "visibility": "offentlig"},
    ),
    Case(
        Indicator,
        "situation:indicator-update",
        "indikator",
        "name",
        {"unit": "%", "visibility": "offentlig"},
    ),
    Case(
        IndicatorValue,
        "situation:value-update",
        "varde",
        "note",
        {"period": "2017", "breakdown": "alla", "value": "5"},
    ),
]
IDS = [case.model.__name__ for case in CASES]


def lock_version_in(html: str, prefix: str) -> int:
    match = re.search(rf'name="{prefix}-lock_version" value="(\d+)"', html)
    assert match, f"no {prefix}-lock_version in the form"
    return int(match.group(1))


# --- Services --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_save_based_on_an_older_version_is_refused(case, kalmar_report, kalmar_coordinator):
    item = case.item(kalmar_report)
    loaded = item.lock_version
    case.update(kalmar_coordinator, type(item).objects.get(pk=item.pk), loaded, "Polisens")
    assert type(item).objects.get(pk=item.pk).lock_version == loaded + 1
    with pytest.raises(StaleObjectError) as refused:
        case.update(kalmar_coordinator, item, loaded, "Kommunens")
    assert str(refused.value) == CONFLICT
    assert getattr(refused.value.current, case.text_field) == "Polisens"
    assert case.saved_text(item) == "Polisens"
    # With the number now saved, replacing it is allowed.
    case.update(kalmar_coordinator, item, loaded + 1, "Kommunens")
    assert case.saved_text(item) == "Kommunens"


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_saving_an_item_someone_removed_meanwhile_is_a_message(
    case, client, kalmar_report, kalmar_coordinator
):
    item = case.item(kalmar_report)
    client.force_login(kalmar_coordinator)
    url = reverse(case.url_name, args=[item.pk])
    version = lock_version_in(client.get(url).text, case.prefix)
    type(item).objects.filter(pk=item.pk).delete()
    with pytest.raises(ValidationError) as refused:
        case.update(kalmar_coordinator, item, version, "Ändrat")
    assert refused.value.code == "deleted"
    assert client.post(url, case.post_data(item, version, "Ändrat")).status_code == 404


@pytest.mark.django_db
def test_a_refused_finding_save_changes_neither_its_areas_nor_its_sources(
    kalmar_report, kalmar_coordinator
):
    finding = Finding.objects.filter(report=kalmar_report).order_by("pk").first()
    source = kalmar_report.sources.order_by("pk").first()
    services.finding_update(
        user=kalmar_coordinator,
        finding=Finding.objects.get(pk=finding.pk),
        expected_version=finding.lock_version,
        data={"text": "Först"},
    )
    with pytest.raises(StaleObjectError):
        services.finding_update(
            user=kalmar_coordinator,
            finding=finding,
            expected_version=finding.lock_version,
            data={"text": "Sist", "sources": [source]},
        )
    assert list(finding.sources.all()) == []


@pytest.mark.django_db
def test_replacing_a_value_through_the_add_form_bumps_its_version(
    kalmar_report, kalmar_coordinator
):
    """ "Nytt värde" for a period that has one replaces it: an editor of the old one is refused."""
    value = IndicatorValue.objects.filter(
        indicator__report=kalmar_report, breakdown=IndicatorValue.Breakdown.ALL
    ).first()
    loaded = value.lock_version
    replaced = services.indicator_value_set(
        user=kalmar_coordinator, indicator=value.indicator, period=value.period, value=Decimal(9)
    )
    assert replaced.pk == value.pk and replaced.lock_version == loaded + 1
    with pytest.raises(StaleObjectError):
        services.indicator_value_update(
            user=kalmar_coordinator, value=value, expected_version=loaded, data={"value": 1}
        )
    assert IndicatorValue.objects.get(pk=value.pk).value == 9


# --- Views: the conflict is shown, what the user typed is kept ---------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_two_editors_of_one_item_never_overwrite_each_other(
    case, client, kalmar_report, kalmar_coordinator, kalmar_police_coordinator
):
    item = case.item(kalmar_report)
    url = reverse(case.url_name, args=[item.pk])
    client.force_login(kalmar_police_coordinator)
    police_version = lock_version_in(client.get(url).text, case.prefix)
    client.force_login(kalmar_coordinator)
    municipal_version = lock_version_in(client.get(url).text, case.prefix)
    assert police_version == municipal_version == item.lock_version

    client.force_login(kalmar_police_coordinator)
    first = client.post(url, case.post_data(item, police_version, "Polisens text"))
    assert first.status_code == 302

    client.force_login(kalmar_coordinator)
    refused = client.post(url, case.post_data(item, municipal_version, "Kommunens text"))
    assert refused.status_code == 200
    assert CONFLICT in refused.text
    assert "Kommunens text" in refused.text  # what they typed is kept in the form
    assert "Polisens text" in refused.text  # and the saved version is shown beside it
    assert "Den version som är sparad nu" in refused.text
    assert case.saved_text(item) == "Polisens text"
    # The form now carries the saved number: saving again is a deliberate choice.
    assert lock_version_in(refused.text, case.prefix) == police_version + 1
    again = client.post(url, case.post_data(item, police_version + 1, "Kommunens text"))
    assert again.status_code == 302
    assert case.saved_text(item) == "Kommunens text"


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("version", ["", "abc", "0", "-1", "9" * 30, "1\x00"])
def test_a_missing_or_mangled_version_is_a_message_not_a_save(
    case, version, client, kalmar_report, kalmar_coordinator
):
    item = case.item(kalmar_report)
    client.force_login(kalmar_coordinator)
    response = client.post(
        reverse(case.url_name, args=[item.pk]), case.post_data(item, version, "Ändrat")
    )
    assert response.status_code == 200
    assert "Formuläret har ett ogiltigt versionsnummer. Ladda om sidan." in response.text
    assert case.saved_text(item) != "Ändrat"
    assert type(item).objects.get(pk=item.pk).lock_version == item.lock_version


# --- Races, with real threads ----------------------------------------------------------


def _run_together(*targets):
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def runner(index, target):
        try:
            barrier.wait()
            results[index] = ("ok", target())
        except StaleObjectError as error:
            results[index] = ("stale", error)
        except Exception as error:  # noqa: BLE001 - the outcome is what is tested
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_two_saves_at_the_same_instant_one_wins_one_is_refused(
    case, kalmar_report, kalmar_coordinator, kalmar_police_coordinator
):
    for attempt in range(5):
        item = case.item(kalmar_report)
        loaded = item.lock_version
        texts = (f"Polisens {attempt}", f"Kommunens {attempt}")

        def save(user, text, pk=item.pk, version=loaded):
            # Each thread loads the item itself, as each request would.
            return case.update(user, case.model.objects.get(pk=pk), version, text)

        results = _run_together(
            lambda: save(kalmar_police_coordinator, texts[0]),  # noqa: B023 - joined in the loop
            lambda: save(kalmar_coordinator, texts[1]),  # noqa: B023
        )
        outcomes = sorted(r[0] for r in results)
        assert outcomes == ["ok", "stale"], results
        winner = texts[[r[0] for r in results].index("ok")]
        saved = type(item).objects.get(pk=item.pk)
        assert getattr(saved, case.text_field) == winner
        assert saved.lock_version == loaded + 1
