"""Retrieval metrics and `sfxgen eval retrieval` on a tiny synthetic manifest."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
import soundfile as sf

from sfxgen.errors import ParameterError
from sfxgen.eval.retrieval import (CATEGORY_QUERIES, average_precision, caption_recall, category_metrics,
                                   precision_at_k, zero_shot_top1)


def test_precision_and_average_precision_known_values():
    rel = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], bool)
    assert precision_at_k(rel, 10) == pytest.approx(0.2)
    assert average_precision(rel) == pytest.approx((1 / 1 + 2 / 3 + 3 / 11) / 3)
    assert average_precision(np.zeros(5, bool)) == 0.0


def test_category_metrics_perfect_and_inverted_rankings():
    labels = ["door"] * 12 + ["fire"] * 12
    good = np.array([[1.0] * 12 + [0.0] * 12, [0.0] * 12 + [1.0] * 12])
    m = category_metrics(good, labels, ["door", "fire"])
    assert m["door"] == {"n": 12, "p_at_10": 1.0, "ap": 1.0}
    assert zero_shot_top1(good, labels, ["door", "fire"]) == 1.0
    assert zero_shot_top1(-good, labels, ["door", "fire"]) == 0.0
    assert category_metrics(-good, labels, ["door", "fire"])["fire"]["p_at_10"] == 0.0


def test_caption_recall_counts_identical_captions_as_hits():
    sims = np.array([[0.1, 0.9, 0.0], [0.5, 0.1, 0.2], [0.0, 0.1, 0.9]])
    caps = ["door slam", "door slam", "rain"]
    r = caption_recall(sims, caps, caps, ks=(1, 2))
    assert r[1] == pytest.approx(1.0)  # query 0 hits clip 1 which has the same caption
    assert r[2] == pytest.approx(1.0)
    r = caption_recall(sims, ["rain", "rain", "door slam"], caps, ks=(1,))
    assert r[1] == pytest.approx(0.0)


def test_every_manifest_category_has_a_query():
    cats = {"alarm", "ambience", "animal", "creature", "destruction", "door", "explosion", "fire", "foley",
            "footstep", "impact", "magic", "movement", "music", "pickup", "scifi", "tools", "ui", "vehicle",
            "voice", "water", "weapon", "weather"}
    assert cats <= set(CATEGORY_QUERIES)


def _write_manifest(root, rows):
    with open(root / "manifest.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["path", "package", "caption", "category", "duplicate_of", "decode_error"])
        w.writeheader()
        for r in rows:
            w.writerow({"duplicate_of": "", "decode_error": "", **r})
    return root / "manifest.csv"


@pytest.fixture()
def tiny_corpus(tmp_path):
    rng = np.random.default_rng(0)
    rows = []
    for pkg in ("pkg-a", "pkg-b"):
        for i in range(4):
            for cat, sig in (("water", rng.normal(0, 0.2, 16000)), ("alarm", np.sin(np.arange(16000) * 0.3))):
                rel = f"{pkg}/{cat}_{i}.wav"
                (tmp_path / pkg).mkdir(exist_ok=True)
                sf.write(tmp_path / rel, sig.astype(np.float32), 16000)
                rows.append({"path": rel, "package": pkg, "caption": f"{cat} {i}", "category": cat})
    (tmp_path / "pkg-b" / "broken.wav").write_bytes(b"RIFF0000WAVEjunk")
    rows.append({"path": "pkg-b/broken.wav", "package": "pkg-b", "caption": "broken", "category": "water"})
    return tmp_path, _write_manifest(tmp_path, rows)


def test_evaluate_end_to_end_reports_and_refuses_training_packages(tiny_corpus, tmp_path):
    import torch
    from sfxgen.cli import main
    from sfxgen.embed import get_embedder
    from sfxgen.embed.clap_small import ClapSmall, ClapSmallConfig, save_pretrained
    from sfxgen.eval.retrieval import evaluate

    root, manifest = tiny_corpus
    torch.manual_seed(0)
    model = ClapSmall(ClapSmallConfig(channels=(8, 16, 16, 16), blocks_per_stage=1, head_dim=32)).eval()
    save_pretrained(model, tmp_path / "m", extra={"training": {"real_clips_per_package": {"pkg-a": 8}}})
    emb = get_embedder(str(tmp_path / "m"))
    rep = evaluate(emb, manifest, root, show_progress=False)
    assert rep.packages == ["pkg-b"]  # pkg-a was trained on
    assert rep.n_clips == 8 and rep.n_labelled == 8 and len(rep.failed) == 1 and "broken.wav" in rep.failed[0]
    assert set(rep.per_category) == {"water", "alarm"} and rep.zero_shot_chance == 0.5
    for m in rep.per_category.values():
        assert m["n"] == 4 and 0.0 <= m["p_at_10"] <= 0.4 and 0.0 < m["ap"] <= 1.0
    assert 0.0 <= rep.zero_shot_top1 <= 1.0 and 0.0 < rep.r_at_10 <= 1.0
    with pytest.raises(ParameterError, match="trained on pkg-a"):
        evaluate(emb, manifest, root, packages=["pkg-a"], show_progress=False)
    out = tmp_path / "report.json"
    rc = main(["eval", "retrieval", "--corpus", str(root), "--manifest", str(manifest), "--model", str(tmp_path / "m"),
               "--json", str(out), "--quiet", "--threads", "1"])
    assert rc == 1  # one clip failed to load; the rest was evaluated
    assert json.loads(out.read_text())["n_clips"] == 8
