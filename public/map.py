"""The map of Sweden's 290 kommuner, rendered on the server as SVG.

No JavaScript and no tiles: the geometry is one committed file,
``public/data/kommun_map.json``, built once by ``scripts/build_kommun_map.py``
from SCB's kommun boundaries (see ``public/data/KOMMUN_MAP_SOURCE.md``).

A page gives every kommun a state, a link and a name::

    entries = map_entries(states, links=links, labels=labels)
    svg = kommun_map_svg(states, links=links, labels=labels)
    legend = kommun_map_legend(states)

and links ``css/map.css``. ``entries`` is what the accessible table beside
the map lists, so the map and the table cannot disagree.

Each kommun is one ``<a>`` with an accessible name such as "Katrineholms
kommun – gällande löfte" (its SVG ``<title>``, which is also the tooltip) and
the class of its state. The smallest kommuner (Sundbyberg, Solna, Burlöv…)
are also drawn in three magnified insets; there, where they can be seen
focused, they get their keyboard stop and name, and their copy on the
national map is a mouse target only (``tabindex="-1"``, ``aria-hidden``).
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.db.models import TextChoices
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "kommun_map.json"


class MapState(TextChoices):
    """A kommun's state on the map; the label ends its accessible name."""

    ACTIVE = "active", _("gällande löfte")
    ENDED = "ended", _("bara avslutade")
    NONE = "none", _("inget publicerat")


INSET_LABELS = {
    "stockholm": _("Stockholmsområdet"),
    "goteborg": _("Göteborgsområdet"),
    "malmo": _("Malmöområdet"),
}


@dataclass(frozen=True)
class MapKommun:
    """One kommun as the map and its table show it."""

    code: str
    name: str
    href: str
    state: MapState

    @property
    def state_label(self) -> str:
        return self.state.label

    @property
    def accessible_name(self) -> str:
        return f"{self.name} – {self.state.label}"


@cache
def map_data() -> dict:
    """The committed geometry, read once per process."""
    with DATA_FILE.open(encoding="utf-8") as f:
        return json.load(f)


def kommun_codes() -> list[str]:
    """Every kommunkod the map draws, in order."""
    return sorted(map_data()["kommuner"])


def map_state(counts: Mapping[str, int] | None) -> MapState:
    """A kommun's map state from how many of its published promises are in each
    ``promises.published.PublicState`` (``{"active": 1, "ended": 2}``).

    A signed promise that has not started yet (``upcoming``) counts as gällande:
    the kommun and the police have a promise for the period ahead, and
    "inget publicerat" would be untrue.
    """
    counts = counts or {}
    if counts.get("active") or counts.get("upcoming"):
        return MapState.ACTIVE
    if counts.get("ended"):
        return MapState.ENDED
    return MapState.NONE


def map_entries(
    states: Mapping[str, str], *, links: Mapping[str, str], labels: Mapping[str, str]
) -> list[MapKommun]:
    """All 290 kommuner in kommunkod order, with state, link and name.

    ``states`` may leave kommuner out (they are ``MapState.NONE``); ``links``
    and ``labels`` must name every kommun, since each one is drawn as a link.
    """
    codes = kommun_codes()
    missing = [c for c in codes if c not in links or c not in labels]
    if missing:
        raise ValueError(f"Länk eller namn saknas för kommunkod {', '.join(missing[:10])}")
    unknown = set(states) - set(codes)
    if unknown:
        raise ValueError(f"Okänd kommunkod: {', '.join(sorted(unknown))}")
    return [
        MapKommun(c, labels[c], links[c], MapState(states.get(c, MapState.NONE))) for c in codes
    ]


def state_counts(entries: list[MapKommun]) -> dict[MapState, int]:
    """How many kommuner are in each state, in legend order."""
    counts = dict.fromkeys(MapState, 0)
    for entry in entries:
        counts[entry.state] += 1
    return counts


def _link(entry: MapKommun, d: str, pattern_id: str, *, primary: bool) -> SafeString:
    # Only the hatch is an attribute: CSS cannot name a pattern whose id carries
    # the page's prefix. Every colour is in css/map.css.
    fill = format_html(' fill="url(#{})"', pattern_id) if entry.state == MapState.ENDED else ""
    hidden = "" if primary else mark_safe(' tabindex="-1" aria-hidden="true"')
    return format_html(
        '<a href="{}" class="kommun state-{}" data-kommunkod="{}"{}>'
        '<title>{}</title><path d="{}"{}/></a>',
        entry.href,
        entry.state.value,
        entry.code,
        hidden,
        entry.accessible_name,
        d,
        fill,
    )


def kommun_map_svg(
    states: Mapping[str, str],
    *,
    links: Mapping[str, str],
    labels: Mapping[str, str],
    title: str | None = None,
    description: str | None = None,
    id_prefix: str = "kommun-map",
) -> SafeString:
    """The SVG map: ``<svg role="group">`` with one link per kommun.

    ``states``: ``{kommunkod: MapState}``; ``links``: ``{kommunkod: href}``;
    ``labels``: ``{kommunkod: "Katrineholms kommun"}``. ``id_prefix`` keeps the
    ids unique when a page shows more than one map.

    The same arguments in the same language give the same map (the boundaries are
    fixed data): the last few are kept, so ``/sverige/`` draws its 240 kB again only
    when a kommun's state, name or address changed.
    """
    return _draw_cached(
        get_language(),
        tuple(sorted(states.items())),
        tuple(sorted(links.items())),
        tuple(sorted(labels.items())),
        title,
        description,
        id_prefix,
    )


@lru_cache(maxsize=8)
def _draw_cached(language, states, links, labels, title, description, id_prefix) -> SafeString:
    return _draw_map(
        dict(states),
        links=dict(links),
        labels=dict(labels),
        title=title,
        description=description,
        id_prefix=id_prefix,
    )


def _draw_map(states, *, links, labels, title, description, id_prefix) -> SafeString:
    data = map_data()
    entries = {e.code: e for e in map_entries(states, links=links, labels=labels)}
    counts = state_counts(list(entries.values()))
    if title is None:
        title = gettext("Karta över Sveriges kommuner och deras medborgarlöften")
    if description is None:
        description = gettext(
            "Varje kommun är en länk till kommunens sida. Gällande löfte: %(active)d "
            "kommuner, bara avslutade: %(ended)d, inget publicerat: %(none)d."
        ) % {state.value: count for state, count in counts.items()}
    pattern_id = f"{id_prefix}-hatch"
    in_inset = {code for inset in data["insets"] for code in inset["primary"]}

    national = format_html_join(
        "",
        "{}",
        (
            (_link(entries[code], shape["d"], pattern_id, primary=code not in in_inset),)
            for code, shape in sorted(data["kommuner"].items())
        ),
    )
    insets = []
    for inset in data["insets"]:
        label_id = f"{id_prefix}-inset-{inset['id']}"
        fx, fy, fw, fh = inset["frame"]
        wx, wy, ww, wh = inset["window"]
        primary = set(inset["primary"])
        paths = format_html_join(
            "",
            "{}",
            (
                (_link(entries[code], d, pattern_id, primary=code in primary),)
                for code, d in sorted(inset["kommuner"].items())
            ),
        )
        insets.append(
            format_html(
                '<rect class="kommun-map__window" x="{}" y="{}" width="{}" height="{}"/>'
                '<g class="kommun-map__inset" role="group" aria-labelledby="{}">'
                '<rect class="kommun-map__frame" x="{}" y="{}" width="{}" height="{}"/>'
                '<text class="kommun-map__inset-label" id="{}" x="{}" y="{}">{}</text>'
                "{}</g>",
                wx,
                wy,
                ww,
                wh,
                label_id,
                fx,
                fy,
                fw,
                fh,
                label_id,
                fx + fw,
                fy - 40,
                INSET_LABELS[inset["id"]],
                paths,
            )
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="kommun-map__svg" viewBox="{}" '
        'role="group" aria-labelledby="{}-title" aria-describedby="{}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<defs><pattern id="{}" patternUnits="userSpaceOnUse" width="80" height="80" '
        'patternTransform="rotate(45)">'
        '<rect class="kommun-map__hatch-ground" width="80" height="80"/>'
        '<rect class="kommun-map__hatch-line" width="22" height="80"/></pattern></defs>'
        '<g class="kommun-map__national">{}</g>{}</svg>',
        " ".join(str(n) for n in data["viewBox"]),
        id_prefix,
        id_prefix,
        id_prefix,
        title,
        id_prefix,
        description,
        pattern_id,
        national,
        mark_safe("".join(insets)),
    )


def kommun_map_legend(states: Mapping[str, str]) -> SafeString:
    """The legend as an HTML list: each state's swatch, name and number of kommuner."""
    counts = dict.fromkeys(MapState, 0)
    for code in kommun_codes():
        counts[MapState(states.get(code, MapState.NONE))] += 1
    items = format_html_join(
        "",
        '<li><span class="kommun-map-legend__swatch state-{}" aria-hidden="true"></span>'
        "{}: {}</li>",
        (
            (
                state.value,
                capfirst(state.label),
                ngettext("%(count)d kommun", "%(count)d kommuner", count) % {"count": count},
            )
            for state, count in counts.items()
        ),
    )
    return format_html(
        '<ul class="kommun-map-legend" aria-label="{}">{}</ul>', gettext("Teckenförklaring"), items
    )
