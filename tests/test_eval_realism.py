"""sfxgen eval realism: the yardstick's parts on small labelled sets built here."""

import csv
import dataclasses

import numpy as np
import pytest

from sfxgen.audio import write_audio
from sfxgen.eval import realism
from sfxgen.synth import Patch, render
from sfxgen.synth import patch as patch_mod


def test_kid_is_near_zero_for_one_distribution_and_grows_with_shift():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(200, 8)), rng.normal(size=(200, 8))
    same = realism.kid(a, b)
    shifted = realism.kid(a, b + 1.0)
    assert abs(same) < 0.05 and shifted > 10 * max(abs(same), 1e-3)


def _corpus(tmp_path):
    """Two kinds of real-looking clips (wind beds, UI blips) in three packages each."""
    rows = []
    for k, (fam, cat) in enumerate((("wind", "weather"), ("ui_blip", "ui"))):
        for pkg in range(3):
            for i in range(6):
                rng = np.random.default_rng([k, pkg, i])
                p = Patch.random(fam, rng).with_params(distance=-1.0, space=-1.0)
                audio = render(p, duration_s=1.0, seed=int(rng.integers(1 << 30)))
                rel = f"pkg{pkg}/{fam}_{i}.wav"
                (tmp_path / f"pkg{pkg}").mkdir(exist_ok=True)
                write_audio(tmp_path / rel, audio, 48000)
                rows.append({"path": rel, "package": f"pkg{pkg}", "category": cat, "duplicate_of": "", "decode_error": ""})
    rows.append({"path": "pkg0/missing.wav", "package": "pkg0", "category": "ui", "duplicate_of": "", "decode_error": ""})
    man = tmp_path / "manifest.csv"
    with man.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return man


@pytest.fixture()
def small_real(tmp_path, monkeypatch):
    monkeypatch.setattr(realism, "MIN_CLIPS", 10)
    for fam, cat in (("wind", "weather"), ("ui_blip", "ui"), ("impact_metal", None)):
        monkeypatch.setitem(patch_mod.FAMILIES, fam, dataclasses.replace(patch_mod.FAMILIES[fam], category=cat))
    return _corpus(tmp_path)


def test_real_set_is_cached_and_skips_unreadable_rows(small_real, tmp_path):
    real = realism.load_real(small_real, tmp_path, cache_dir=tmp_path / "cache")
    assert real.X.shape[0] == 36 and set(real.categories) == {"weather", "ui"}
    again = realism.load_real(small_real, tmp_path, cache_dir=tmp_path / "cache")
    assert np.array_equal(real.X, again.X) and len(list((tmp_path / "cache").glob("real_*.npz"))) == 1


def test_families_are_recognised_as_their_category(small_real, tmp_path, monkeypatch):
    monkeypatch.setattr(realism, "load_real", lambda *a, **k: realism._load_one(small_real, tmp_path, cache_dir=tmp_path / "c"))
    rep = realism.evaluate(small_real, tmp_path, families=["wind", "ui_blip", "impact_metal"], n_renders=6)
    assert rep.classes == ["ui", "weather"] and rep.unmapped == ["impact_metal"]
    rows = {r.family: r for r in rep.rows}
    assert rows["wind"].recognised >= 0.8 and rows["ui_blip"].recognised >= 0.8
    assert rep.real_lopo_recall["_mean"] >= 0.8
    # renders made like the "real" clips are about as far from them as one package is from another
    assert rows["wind"].kid_real_real is not None
    assert abs(rows["wind"].kid_render_real) < abs(rows["wind"].kid_real_real) + 1.0
    assert "wind" in rep.format()


def test_unknown_family_is_refused(small_real, tmp_path):
    with pytest.raises(realism.ParameterError, match="unknown sound families"):
        realism.evaluate(small_real, tmp_path, families=["no_such_family"], n_renders=2)


def test_real_durations_come_from_the_category_and_steer_the_renders(tmp_path, monkeypatch):
    man = tmp_path / "m.csv"
    with man.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["path", "category", "duration_s", "duplicate_of", "decode_error"])
        w.writeheader()
        w.writerows([{"path": "a", "category": "footstep", "duration_s": "0.4", "duplicate_of": "", "decode_error": ""},
                     {"path": "b", "category": "footstep", "duration_s": "0.6", "duplicate_of": "a", "decode_error": ""},
                     {"path": "c", "category": "water", "duration_s": "3.0", "duplicate_of": "", "decode_error": ""}])
    assert realism.category_durations([man], "footstep").tolist() == [0.4]
    seen = []
    monkeypatch.setattr(realism, "clip_features", lambda audio, sr: seen.append(audio.shape[-1] / sr) or np.zeros(3))
    realism.render_family("ui_blip", n=2, seed=0, durations_s=[0.4])
    assert seen == [0.4, 0.4]
    with pytest.raises(realism.ParameterError, match="durations"):
        realism.evaluate(man, tmp_path, durations="sometimes")


def test_features_do_not_depend_on_the_recording_level():
    """A clip and the same clip 12 dB quieter (another package's mastering) are one sound."""
    p = Patch.random("wind", np.random.default_rng(3)).with_params(distance=-1.0, space=-1.0)
    audio = render(p, duration_s=1.5, seed=5)
    loud = realism.clip_features(audio, 48000)
    quiet = realism.clip_features(audio * np.float32(10 ** (-12 / 20)), 48000)
    np.testing.assert_allclose(quiet, loud, rtol=1e-4, atol=1e-4)
    silent = realism.clip_features(np.zeros((2, 48000), np.float32), 48000)
    assert np.all(np.isfinite(silent))
