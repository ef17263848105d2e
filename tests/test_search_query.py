"""Search v2 pieces that need no index: query reading, lexical words, relevance models."""

from __future__ import annotations

import numpy as np
import pytest

from sfxgen.errors import ParameterError
from sfxgen.library import lexical
from sfxgen.library.query import parse_query
from sfxgen.library.relevance import (MODEL_FEATURES, combine_negation, fit_logistic, load_relevance, relevance,
                                      standardise, text_audio_relevance)


@pytest.mark.parametrize("text, positive, negative", [
    ("explosion, not metallic", "explosion", ["metallic"]),
    ("door slam without reverb", "door slam", ["reverb"]),
    ("rain -thunder", "rain", ["thunder"]),
    ("no voices, wind", "wind", ["voices"]),
    ("heavy wooden door slam", "heavy wooden door slam", []),
])
def test_negation(text, positive, negative):
    q = parse_query(text)
    assert (q.positive, q.negative) == (positive, negative)


@pytest.mark.parametrize("text, lo, hi, loud", [
    ("short whoosh", None, 2.0, None),
    ("very short click", None, 0.5, None),
    ("long loop rain", 5.0, None, None),
    ("under 3 s impact", None, 3.0, None),
    ("glass smash 2-5 s", 2.0, 5.0, None),
    ("over 500 ms hum", 0.5, None, None),
    ("quiet footsteps", None, None, "quiet"),
    ("loud gunshot", None, None, "loud"),
])
def test_duration_and_loudness_words(text, lo, hi, loud):
    q = parse_query(text)
    assert (q.min_duration_s, q.max_duration_s, q.loudness) == (lo, hi, loud)
    assert q.notes


def test_several_concepts_and_bad_queries():
    assert parse_query("rain and thunder").parts == ["rain", "thunder"]
    assert parse_query("long loop").positive == "loop"
    for bad in ("", "   ", "not metal", "short, quiet"):
        with pytest.raises(ParameterError):
            parse_query(bad)


def test_language_check():
    with pytest.raises(ParameterError, match="German"):
        parse_query("Tür knarrt")
    with pytest.raises(ParameterError, match="Spanish"):
        parse_query("puerta que chirría")
    for english in ("door creak", "sfx ui click", "amb forest day", "laser zap", "wvulfire"):
        parse_query(english)


def test_words_split_names_like_libraries_write_them():
    assert lexical.words("DoorWoodCreak3") == ["door", "wood", "creak"]
    assert lexical.words("door_03") == lexical.words("Door3") == ["door"]
    f = lexical.document_fields(path="/lib/Amb/AMB_Forest_Day_ftsteps_02.wav")
    assert f["name"].split()[:4] == ["amb", "forest", "day", "ftsteps"]
    assert {"ambience", "footsteps"} <= set(f["name"].split()) and f["folders"].startswith("lib amb")
    ucs = lexical.document_fields(path="/x/DOORWood_Creaky Door_ACME_LIB_01.wav", ucs_catid="DOORWood",
                                  category="DOORS", subcategory="WOOD")
    assert ucs["ucs"].split() == ["doorwood", "doors", "wood", "door"] and "creaky" in ucs["name"]


def test_concepts_expand_abbreviations_and_ucs():
    (c,) = lexical.concepts("the sound of footsteps")
    assert c.word == "footsteps" and "feethmn" in c.expansions and "footfall" in c.expansions
    (a,) = lexical.concepts("amb")
    assert "ambience" in a.terms and "ambforst" in a.expansions
    (h,) = lexical.concepts("human")  # a subcategory-like word does not drag in FOOTSTEPS words
    assert "footfall" not in h.expansions
    assert lexical.fts_match(['say "hi"', "x"]) == '"say ""hi""" OR "x"'


def test_fit_logistic_learns_and_stays_calibrated():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4000, 2))
    p_true = 1 / (1 + np.exp(-(-2.0 + 1.5 * x[:, 0])))
    y = (rng.random(4000) < p_true).astype(float)
    m = fit_logistic(x, y, ("audio_z", "meta_z"))
    p = m.predict(x)
    base = np.full_like(p, y.mean())

    def logloss(q):
        q = np.clip(q, 1e-7, 1 - 1e-7)
        return -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))

    assert logloss(p) < logloss(base) - 0.05
    assert abs(p.mean() - y.mean()) < 0.01 and m.weights[0] == pytest.approx(1.5, abs=0.2) and abs(m.weights[1]) < 0.15
    with pytest.raises(ParameterError):
        fit_logistic(x, np.zeros(4000), ("audio_z", "meta_z"))


def test_shipped_relevance_models():
    rs = load_relevance()
    assert set(rs.models) == set(MODEL_FEATURES)
    for name, m in rs.models.items():
        assert m.features == MODEL_FEATURES[name]
    assert rs.report["leave_one_package_out"]["hybrid"]["p_at_10"] > 0
    z = np.linspace(-2, 6, 9, dtype=np.float32)
    p = relevance(model="hybrid", audio_z=z, meta_z=z, lexical=np.zeros(9), coverage=np.zeros(9))
    assert np.all((p >= 0) & (p <= 1)) and np.all(np.diff(p) > 0)
    assert relevance(model="hybrid", audio_z=z, meta_z=z, lexical=np.ones(9), coverage=np.ones(9))[0] > p[0]
    t = text_audio_relevance([0.1, 0.4])
    assert t.shape == (2,) and t[1] > t[0]
    with pytest.raises(ParameterError):
        relevance(model="audio", audio_zz=z)
    neg = combine_negation(np.array([0.8, 0.8]), [np.array([0.0, 0.5])])
    assert neg.tolist() == pytest.approx([0.8, 0.4])
    assert standardise(np.array([1.0, 3.0]), np.array([1.0, 2.0, 3.0])).tolist() == pytest.approx([-1.2247, 1.2247], abs=1e-3)


def test_retrain_tool_plans_the_whole_chain(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    (tmp_path / "extracorpus").mkdir()
    (tmp_path / "extracorpus" / "manifest.csv").write_text("path,package,caption,category\n")
    out = subprocess.run([sys.executable, str(root / "tools" / "retrain_clap.py"), "--dry-run", "--cache", str(tmp_path),
                          "--out", str(tmp_path / "model")], capture_output=True, text=True, check=True).stdout
    cmds = [line for line in out.splitlines() if line.startswith("$ ")]
    assert len(cmds) == 5
    assert [c.split(" -m sfxgen ")[1].split()[:2] for c in cmds] == [
        ["corpus", "build"]] * 2 + [["train", "clap"], ["eval", "retrieval"], ["train", "relevance"]]
    assert "--extra-manifest" in cmds[2] and str(tmp_path / "model") in cmds[4]
