"""The map of Sweden (public/map.py): geometry, links, names, states, no inline style or script."""

import csv
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.urls import reverse

from public.map import (
    DATA_FILE,
    MapState,
    kommun_map_legend,
    kommun_map_svg,
    map_data,
    map_entries,
    map_state,
)

# ``browser`` and ``axe`` are the session fixtures of tests/conftest.py.

ROOT = Path(settings.BASE_DIR)
SVG = "{http://www.w3.org/2000/svg}"
SIZE_LIMIT = 300_000


def reference() -> list[dict]:
    with (ROOT / "organizations" / "data" / "kommuner.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


REFERENCE = reference()
CODES = [row["kommunkod"] for row in REFERENCE]
LABELS = {row["kommunkod"]: row["officiellt_namn"] for row in REFERENCE}
LINKS = {code: f"/kommuner/{code}/" for code in CODES}
STATES = {"0483": "active", "0880": "active", "0183": "ended", "1231": "ended", "0980": "active"}
STATE_NAMES = {"active": "gällande löfte", "ended": "bara avslutade", "none": "inget publicerat"}


def render(states=STATES, **kwargs) -> str:
    return str(kommun_map_svg(states, links=LINKS, labels=LABELS, **kwargs))


def links_in(svg: str) -> list[ElementTree.Element]:
    return ElementTree.fromstring(svg).iter(f"{SVG}a")


def focusable(svg: str) -> dict[str, ElementTree.Element]:
    """The links a keyboard and a screen reader reach, by kommunkod."""
    found = {}
    for a in links_in(svg):
        if a.get("aria-hidden") != "true":
            code = a.get("data-kommunkod")
            assert code not in found, f"{code} has two keyboard stops"
            found[code] = a
    return found


def extent(d: str) -> int:
    """The larger side of a path's bounding box, in SVG user units."""
    xs, ys = [], []
    for start, moves in re.findall(r"M([-\d ]+)l([-\d ]*)z", d):
        x, y = (int(n) for n in re.findall(r"-?\d+", start))
        xs.append(x), ys.append(y)
        steps = [int(n) for n in re.findall(r"-?\d+", moves)]
        for dx, dy in zip(steps[::2], steps[1::2], strict=True):
            x, y = x + dx, y + dy
            xs.append(x), ys.append(y)
    return max(max(xs) - min(xs), max(ys) - min(ys))


# Geometry -------------------------------------------------------------------


def test_every_kommun_in_the_reference_data_has_a_path():
    assert len(CODES) == 290
    kommuner = map_data()["kommuner"]
    assert sorted(kommuner) == sorted(CODES)
    for row in REFERENCE:
        shape = kommuner[row["kommunkod"]]
        assert shape["name"] == row["kommun"], row["kommunkod"]
        assert re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]+z)+", shape["d"]), row["kommunkod"]


def test_data_file_stays_small():
    assert DATA_FILE.stat().st_size < SIZE_LIMIT


def test_source_and_licence_are_written_down():
    source = (DATA_FILE.parent / "KOMMUN_MAP_SOURCE.md").read_text(encoding="utf-8")
    data = map_data()
    assert data["source"]["version"] in source
    assert data["source"]["sha256"] in source
    assert "CC0" in source
    assert str(data["simplification"]["tolerance_m"]) in source


@pytest.mark.parametrize(
    "code", ["0980", "0885", "0840"], ids=["Gotland", "Borgholm (Öland)", "Mörbylånga (Öland)"]
)
def test_islands_are_drawn(code):
    assert extent(map_data()["kommuner"][code]["d"]) > 150


def test_every_kommun_is_big_enough_to_see_where_it_takes_focus():
    """The smallest kommuner are drawn magnified in an inset and take focus there.

    90 user units is 1/70 of the map's width: 4.5 px on a 320 px phone.
    """
    data = map_data()
    where = {code: data["kommuner"][code]["d"] for code in CODES}
    for inset in data["insets"]:
        for code in inset["primary"]:
            where[code] = inset["kommuner"][code]
    small = {code: extent(d) for code, d in where.items() if extent(d) < 90}
    assert not small
    for code in ["0183", "0184", "0187", "1231"]:  # Sundbyberg, Solna, Vaxholm, Burlöv
        assert any(code in inset["primary"] for inset in data["insets"])


def test_insets_sit_inside_the_map_and_apart():
    data = map_data()
    _, _, width, height = data["viewBox"]
    frames = [inset["frame"] for inset in data["insets"]]
    for x, y, w, h in frames:
        assert x >= 0 and x + w <= width and y >= 0 and y + h <= height
    for i, (x, y, w, h) in enumerate(frames):
        for ox, oy, ow, oh in frames[i + 1 :]:
            assert x + w < ox or ox + ow < x or y + h < oy or oy + oh < y


# Rendering ------------------------------------------------------------------


def test_every_kommun_is_one_link_with_its_name_and_state():
    svg = render()
    links = focusable(svg)
    assert sorted(links) == sorted(CODES)
    for code, a in links.items():
        state = STATES.get(code, "none")
        assert a.get("href") == LINKS[code]
        assert f"state-{state}" in a.get("class").split()
        assert "kommun" in a.get("class").split()
        assert a.find(f"{SVG}title").text == f"{LABELS[code]} – {STATE_NAMES[state]}"
        assert a.get("tabindex") is None
        assert a.find(f"{SVG}path") is not None


def test_katrineholm_is_named_as_the_brief_says():
    a = focusable(render())["0483"]
    assert a.find(f"{SVG}title").text == "Katrineholms kommun – gällande löfte"


def test_copies_are_mouse_targets_hidden_from_keyboard_and_screen_readers():
    svg = render()
    copies = [a for a in links_in(svg) if a.get("aria-hidden") == "true"]
    assert copies
    for a in copies:
        code = a.get("data-kommunkod")
        assert a.get("tabindex") == "-1"
        assert a.get("href") == LINKS[code]
        assert f"state-{STATES.get(code, 'none')}" in a.get("class").split()
    hidden_codes = {a.get("data-kommunkod") for a in copies}
    assert {"0183", "0184", "1231"} <= hidden_codes  # their national-map copies


def test_svg_is_a_named_group_with_title_and_description():
    root = ElementTree.fromstring(render(id_prefix="karta"))
    assert root.get("role") == "group"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == title.get("id") == "karta-title"
    assert root.get("aria-describedby") == desc.get("id") == "karta-desc"
    assert "Gällande löfte: 3 kommuner" in desc.text
    assert "bara avslutade: 2" in desc.text
    assert "inget publicerat: 285" in desc.text
    assert root.get("viewBox") == " ".join(str(n) for n in map_data()["viewBox"])


def test_ids_are_unique_and_prefixed():
    ids = re.findall(r'\bid="([^"]+)"', render(id_prefix="sverige"))
    assert len(ids) == len(set(ids))
    assert all(i.startswith("sverige-") for i in ids)


def test_no_inline_style_and_no_script():
    svg = render()
    assert not re.search(r"\sstyle\s*=", svg, re.IGNORECASE)
    assert "<style" not in svg.lower()
    assert "<script" not in svg.lower()
    assert not re.search(r"\son[a-z]+\s*=", svg, re.IGNORECASE)
    assert "javascript:" not in svg.lower()
    assert "<foreignobject" not in svg.lower()


def test_rendering_is_deterministic():
    reordered = dict(reversed(list(STATES.items())))
    assert render() == render()
    assert render(STATES) == render(reordered)
    assert str(kommun_map_legend(STATES)) == str(kommun_map_legend(reordered))


def test_names_and_links_are_escaped():
    labels = {**LABELS, "0483": 'Katrineholms <kommun> & "Co"'}
    links = {**LINKS, "0483": '/kommuner/katrineholm/?a=1&b="2"'}
    svg = str(kommun_map_svg(STATES, links=links, labels=labels))
    a = focusable(svg)["0483"]  # parses: nothing broke out of its attribute
    assert a.get("href") == links["0483"]
    assert a.find(f"{SVG}title").text.startswith('Katrineholms <kommun> & "Co"')


def test_missing_link_or_unknown_code_or_state_is_refused():
    with pytest.raises(ValueError, match="0483"):
        kommun_map_svg({}, links={k: v for k, v in LINKS.items() if k != "0483"}, labels=LABELS)
    with pytest.raises(ValueError, match="9999"):
        kommun_map_svg({"9999": "active"}, links=LINKS, labels=LABELS)
    with pytest.raises(ValueError):
        kommun_map_svg({"0483": "kommande"}, links=LINKS, labels=LABELS)


def test_entries_carry_what_the_table_needs():
    entries = map_entries(STATES, links=LINKS, labels=LABELS)
    assert [e.code for e in entries] == sorted(CODES)
    katrineholm = next(e for e in entries if e.code == "0483")
    assert katrineholm.name == "Katrineholms kommun"
    assert katrineholm.href == "/kommuner/0483/"
    assert katrineholm.state == MapState.ACTIVE
    assert katrineholm.state_label == "gällande löfte"
    assert katrineholm.accessible_name == "Katrineholms kommun – gällande löfte"


def test_legend_names_each_state_and_counts_kommuner():
    legend = str(kommun_map_legend(STATES))
    assert "Gällande löfte: 3 kommuner" in legend
    assert "Bara avslutade: 2 kommuner" in legend
    assert "Inget publicerat: 285 kommuner" in legend
    assert legend.count('aria-hidden="true"') == 3  # swatches are decoration
    assert "style=" not in legend


@pytest.mark.parametrize(
    ("counts", "state"),
    [
        (None, MapState.NONE),
        ({}, MapState.NONE),
        ({"ended": 2}, MapState.ENDED),
        ({"ended": 2, "active": 1}, MapState.ACTIVE),
        ({"upcoming": 1}, MapState.ACTIVE),
    ],
)
def test_map_state_from_published_states(counts, state):
    assert map_state(counts) == state


@pytest.mark.django_db
def test_renders_from_the_reference_organisations():
    """How a page calls it: names and slugs from the 290 kommuner in the database."""
    from organizations.models import Organisation

    kommuner = Organisation.objects.municipalities().order_by("municipality_code")
    links = {
        k.municipality_code: reverse("public:municipality-detail", kwargs={"slug": k.slug})
        for k in kommuner
    }
    labels = {k.municipality_code: k.full_name or k.name for k in kommuner}
    links_by_code = focusable(str(kommun_map_svg({}, links=links, labels=labels)))
    assert len(links_by_code) == 290
    assert links_by_code["0483"].get("href") == "/kommuner/katrineholm/"
    assert (
        links_by_code["0483"].find(f"{SVG}title").text == "Katrineholms kommun – inget publicerat"
    )


# Colours ----------------------------------------------------------------------


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def css_colour(css: str, selector: str, prop: str) -> str:
    block = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert block, selector
    return re.search(prop + r":\s*(#[0-9a-f]{6})", block.group(1)).group(1)


def test_state_colours_meet_non_text_contrast():
    """WCAG 1.4.11: 3:1 between neighbouring states and against the white page; the
    lightest state, which cannot also be 3:1 from white, is carried by its border."""
    css = (ROOT / "static" / "css" / "map.css").read_text(encoding="utf-8")
    active = css_colour(css, ".kommun.state-active path", "fill")
    ended = css_colour(css, ".kommun-map__hatch-ground", "fill")
    none = css_colour(css, ".kommun.state-none path", "fill")
    border = css_colour(css, ".kommun.state-none path", "stroke")
    white = "#ffffff"
    assert contrast(active, ended) >= 3
    assert contrast(ended, none) >= 3
    assert contrast(active, none) >= 3
    assert contrast(active, white) >= 3
    assert contrast(ended, white) >= 3
    assert contrast(border, white) >= 3
    assert contrast(border, none) >= 3
    assert ":focus-visible path" in css


# In a browser -----------------------------------------------------------------


def page_html(svg: str, legend: str) -> str:
    css = (ROOT / "static" / "css" / "map.css").read_text(encoding="utf-8")
    # A test page, not the site: the stylesheet is inlined so set_content needs no server.
    return (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Karta</title><style>{css}</style></head><body><main><h1>Sverige</h1>"
        f"{svg}{legend}</main></body></html>"
    )


@pytest.fixture
def map_page(browser):  # noqa: F811
    def open_page(width: int):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="sv-SE")
        page = context.new_page()
        page.set_content(page_html(render(), str(kommun_map_legend(STATES))))
        return page

    return open_page


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 320])
def test_map_passes_axe_and_fits_the_screen(map_page, axe, width):  # noqa: F811
    page = map_page(width)
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    name = "Katrineholms kommun – gällande löfte"
    assert page.get_by_role("link", name=name).count() == 1
    assert page.get_by_role("link", name=re.compile(" – ")).count() == 290
    page.context.close()


@pytest.mark.browser
def test_keyboard_focus_on_a_kommun_is_visible(map_page):
    page = map_page(1280)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.dataset.kommunkod")
    assert focused == "0114"  # Upplands Väsby, first in kommunkod order
    path = page.locator('a[data-kommunkod="0114"]:focus path')
    assert path.evaluate("p => getComputedStyle(p).strokeWidth") == "4px"
    assert path.evaluate("p => getComputedStyle(p).stroke") == "rgb(0, 0, 0)"
    tabbable = page.locator('a[href]:not([tabindex="-1"])')
    assert tabbable.count() == 290
    # Sundbyberg takes focus in the Stockholm inset, where it is large enough to see.
    # (Focus moved by script after a Tab still counts as keyboard focus.)
    tabbable.and_(page.locator('[data-kommunkod="0183"]')).focus()
    focused = page.locator("a:focus-visible")
    assert focused.get_attribute("data-kommunkod") == "0183"
    assert focused.evaluate("a => a.closest('.kommun-map__inset') !== null")
    box = focused.bounding_box()
    assert box["width"] >= 8 and box["height"] >= 8
    assert focused.locator("path").evaluate("p => getComputedStyle(p).strokeWidth") == "4px"
    page.context.close()
