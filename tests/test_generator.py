"""The sample generator writes pages in the benchmark corpus format, and the benchmark reads them."""
import json
import sys

import pytest

from samples.generate import write_corpus

from .conftest import run

CORPUS_KEYS = {"fields", "header", "footer", "level", "degradation", "font", "dpi", "image"}
DAMAGE_KEYS = {"angle", "noise", "blur", "jpeg", "shade", "flip180", "seal", "rot90", "dpi"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    return out, write_corpus(out, pages_per_level=1, seed=7)


def test_generator_writes_the_corpus_format(generated):
    out, images = generated
    assert [p.name for p in images] == ["gen000-L0.png", "gen001-L1.jpg", "gen002-L2.jpg", "gen003-L3.jpg"]
    for image in images:
        meta = json.loads(image.with_suffix(".json").read_text(encoding="utf-8"))
        assert set(meta) == CORPUS_KEYS and set(meta["degradation"]) == DAMAGE_KEYS
        assert meta["image"] == image.name
        assert set(meta["fields"]) == {"agency", "number", "place", "date", "doc_type", "signer"}
        body = image.with_suffix(".txt").read_text(encoding="utf-8").splitlines()
        assert len(body) >= 8 and all(line.strip() for line in body)
    l3 = json.loads((out / "gen003-L3.json").read_text(encoding="utf-8"))
    assert l3["dpi"] == 200 and l3["degradation"]["seal"] and 4 <= abs(l3["degradation"]["angle"]) <= 12


def test_bench_reads_generated_pages_and_ocr_is_accurate_at_every_level(generated):
    out, _ = generated
    res = run(sys.executable, "-m", "digitize", "bench", "ocr", str(out), "--no-baseline", "--json")
    assert res.returncode == 0, res.stderr
    levels = json.loads(res.stdout)["levels"]
    assert set(levels) == {"L0", "L1", "L2", "L3", "all"}
    for name, level in levels.items():
        assert level["worst_cer"] <= 0.02, (name, level)
        assert level["orientation_acc"] == 1.0, (name, level)
        assert level["deskew_median_err"] <= 0.2, (name, level)


def test_throughput_is_measured_in_alternating_rounds(generated):
    from bench.ocr_bench import measure_scaling

    _, images = generated
    scaling = measure_scaling(images[:1], rounds=2, round_pages=2)  # the one page cycled to two
    assert scaling["pages"] == 2 and scaling["rounds"] == 2
    assert scaling["one_process_ppm"] > 0 and scaling["two_processes_ppm"] > 0
    assert scaling["ratio_low"] <= scaling["ratio"] <= scaling["ratio_high"]
    assert scaling["steady_ratio_low"] <= scaling["steady_ratio"] <= scaling["steady_ratio_high"]


def test_field_papers_of_every_kind_and_the_cards_carry_a_real_qr_payload(tmp_path):
    import json

    import numpy as np
    import zxingcpp
    from PIL import Image

    from samples.generate import PAPERS, write_fields

    written = write_fields(tmp_path, 1, seed=5)
    assert len(written) == 4 * len(PAPERS)
    metas = [json.loads(p.with_suffix(".json").read_text(encoding="utf-8")) for p in written]
    assert {m["kind"] for m in metas} == {"admin", "cccd", "birth", "other"}
    assert {m["level"] for m in metas} == {0, 1, 2, 3}
    cards = [(p, m) for p, m in zip(written, metas) if m["kind"] == "cccd" and m["level"] == 0]
    for path, meta in cards:
        payloads = [r.text for r in zxingcpp.read_barcodes(np.asarray(Image.open(path).convert("L")))]
        if meta["qr_covered"]:
            assert payloads == []
        else:
            fields = meta["fields"]
            parts = payloads[0].split("|")
            assert parts[0] == fields["id"] and parts[2].upper() == fields["full_name"] and parts[5] == fields["residence"]
