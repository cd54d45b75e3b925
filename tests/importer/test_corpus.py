"""The real corpus: the extractor stays above the targets, and the commands work."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from importer.bench import CORPUS, run, totals


@pytest.fixture(scope="module")
def scores():
    return run()


def test_corpus_is_big_enough_and_cited():
    documents = sorted(CORPUS.glob("*.expected.json"))
    assert len(documents) >= 14
    for path in documents:
        name = path.name.removesuffix(".expected.json")
        source = json.loads((CORPUS / f"{name}.source.json").read_text(encoding="utf-8"))
        assert source["retrieved"] and (source["url"] or source.get("seed"))


def test_metrics_stay_above_the_targets(scores):
    result = totals(scores)
    assert result.recall >= 95
    assert result.owner >= 90
    assert result.period >= 90
    assert result.precision >= 90


def test_katrineholm_seed():
    out = StringIO()
    call_command("extract_promise", str(CORPUS / "katrineholm-2020.txt"), stdout=out)
    data = json.loads(out.getvalue())
    assert data["period"]["from"] == "2020-01-01" and data["period"]["to"] == "2020-12-31"
    assert data["kommuner"] == ["Katrineholm"]
    assert data["police_area"] == "Katrineholm"
    parties = [c["party"] for c in data["commitments"]]
    assert parties == ["police"] * 4 + ["municipality"] * 4 + ["joint"] * 4
    targets = [c["target"] for c in data["commitments"] if c["target"]]
    assert targets == [{"quantity": 2, "unit": "tillfällen", "per": None}]
    assert [c["conditional"] for c in data["commitments"]].count(True) == 1
    assert [s["name"] for s in data["signatories"]] == ["Liselotte Jergard", "Göran Dahlström"]
    for commitment in data["commitments"]:
        assert set(commitment) >= {"party", "text", "target", "conditional", "source_lines"}


def test_extract_promise_refuses_bad_files_in_swedish(tmp_path):
    path = tmp_path / "bild.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with pytest.raises(CommandError, match="Filen är en bild"):
        call_command("extract_promise", str(path))
    with pytest.raises(CommandError, match="Filen finns inte"):
        call_command("extract_promise", str(tmp_path / "saknas.txt"))


def test_bench_import_last_line():
    out = StringIO()
    call_command("bench_import", stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert last.startswith("total recall ") and " precision " in last
    assert " owner " in last and last.endswith("%") and " period " in last
