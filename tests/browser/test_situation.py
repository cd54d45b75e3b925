"""The lägesbild pages in a real browser: no axe violations, htmx adds rows in place."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_kalmar_report_is_accessible_and_rows_are_added_with_htmx(page, assert_accessible):
    from situation.models import SituationReport

    report = SituationReport.objects.get(partnership__name__startswith="Samverkan Kalmar")
    login(page, "kalmar-samordnare")
    page.goto(report.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text().startswith("Lägesbild Kalmar 2018")
    chart = page.get_by_role(
        "img", name="Har någon gång använt narkotika, elever i årskurs 9, 2017, per grupp"
    )
    assert chart.is_visible()
    assert_accessible(page)

    page.get_by_text("Lägg till källa", exact=True).first.click()
    page.get_by_label("Typ av källa").select_option("brottsstatistik")
    page.get_by_label("Titel").first.fill("Anmälda brott 2018")
    page.get_by_role("button", name="Lägg till källa").click()
    page.get_by_role("status").filter(has_text="Anmälda brott 2018").wait_for()
    assert page.url.endswith(report.get_absolute_url())  # swapped in place, no navigation
    assert page.get_by_role("rowheader", name="Anmälda brott 2018").is_visible()
    assert_accessible(page)


def test_indicator_and_import_pages_are_accessible(page, assert_accessible):
    from situation.models import Indicator

    indicator = Indicator.objects.get(
        name="Har någon gång använt narkotika", population="elever i gymnasiets år 2"
    )
    login(page, "kalmar-kommunpolis")
    page.goto(indicator.get_absolute_url())
    assert page.get_by_role("cell", name="20 %").first.is_visible()
    assert_accessible(page)
    page.goto(f"/arbetsyta/lagesbilder/{indicator.report_id}/importera/")
    assert_accessible(page)
    page.get_by_label("CSV-fil").set_input_files(
        files=[
            {
                "name": "varden.csv",
                "mimeType": "text/csv",
                "buffer": (
                    f"indikator;period;fördelning;grupp;värde\n{indicator.pk};2019;alla;;17\n"
                ).encode(),
            }
        ]
    )
    page.get_by_role("button", name="Förhandsgranska").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Förhandsgranska import"
    assert_accessible(page)
    page.get_by_role("button", name="Spara 1 värde").click()
    page.wait_for_load_state()
    assert indicator.values.filter(period="2019").exists()


def test_charts_keep_readable_text_on_a_320_px_phone(page, assert_accessible):
    """The page reflows; a chart keeps its text at 11 px or more and scrolls in its own
    keyboard-reachable box instead of shrinking to 6 px (WCAG 1.4.4, 1.4.10)."""
    from situation.models import SituationReport

    report = SituationReport.objects.get(partnership__name__startswith="Samverkan Kalmar")
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, "kalmar-samordnare")
    page.goto(report.get_absolute_url())
    assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 0
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('svg.situation-chart')].map(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return scale * parseFloat(svg.getAttribute('font-size'));
        })"""
    )
    assert sizes and min(sizes) >= 11, sizes
    box = page.locator(".chart-scroll").first
    box.focus()
    assert page.evaluate("document.activeElement.classList.contains('chart-scroll')")
    assert_accessible(page)
