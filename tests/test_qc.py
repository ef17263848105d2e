"""QC report: each check catches its defect on a constructed signal and passes clean audio."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sfxgen.loudness import normalize
from sfxgen.qc import QCReport, qc_report

FS = 48000


def clean(seconds=4.0, seed=0):
    from scipy.signal import butter, sosfilt

    rng = np.random.default_rng(seed)
    x = sosfilt(butter(4, [100, 6000], btype="band", fs=FS, output="sos"), rng.standard_normal((2, int(seconds * FS))))
    x[1] = 0.7 * x[0] + 0.3 * x[1]  # correlated pair
    return normalize((0.05 * x).astype(np.float32), FS, preset="ebu-r128").audio


def test_clean_normalised_audio_passes():
    r = qc_report(clean(), FS, preset="ebu-r128", bit_depth=24, path="x.wav")
    assert isinstance(r, QCReport)
    assert r.passed, r.to_text()
    assert r.check("integrated_loudness").status == "pass"
    assert r.check("true_peak").status == "pass"
    assert r.check("stereo_correlation").value > 0.5
    assert (r.sample_rate, r.bit_depth, r.channels) == (FS, 24, 2)
    d = json.loads(json.dumps(r.to_dict()))
    assert d["passed"] is True and d["path"] == "x.wav" and d["preset"] == "ebu-r128"
    assert d["format"] == {"sample_rate": FS, "bit_depth": 24, "channels": 2, "duration_s": 4.0}
    assert d["loudness"]["integrated_lufs"] == pytest.approx(-23, abs=0.1)
    text = r.to_text()
    assert "PASS" in text and "integrated_loudness" in text


def test_wrong_loudness_and_peak_fail_against_preset():
    x = clean() * 8  # +18 dB
    r = qc_report(x, FS, preset="ebu-r128")
    assert not r.passed
    assert r.check("integrated_loudness").status == "fail"
    assert r.check("true_peak").status == "fail"
    assert r.check("integrated_loudness").value == pytest.approx(-23 + 18.06, abs=0.2)
    # the same audio is fine for a louder preset's loudness check
    assert qc_report(clean(), FS, preset="atsc-a85").check("integrated_loudness").status == "pass"


def test_clipping_runs_are_found():
    x = clean()
    x[0, 1000:1010] = 1.0
    x[1, 5000:5004] = -1.0
    x[0, 9000] = 1.0  # a single full-scale sample is not a clipped run
    c = qc_report(x, FS).check("clipping")
    assert c.status == "fail" and c.value == 2 and "longest 10" in c.message


def test_dc_offset():
    x = clean() + np.float32(0.01)
    assert qc_report(x, FS).check("dc_offset").status == "fail"
    assert qc_report(clean(), FS).check("dc_offset").status == "pass"


def test_dropouts_and_long_silence_inside_the_sound():
    x = clean(6)
    x[:, FS : FS + int(0.02 * FS)] = 0.0  # 20 ms dropout
    x[:, 3 * FS : int(4.5 * FS)] = 0.0  # 1.5 s hole
    r = qc_report(x, FS)
    assert r.check("dropouts").status == "fail" and r.check("dropouts").value == 2
    assert r.check("long_silence").status == "warn" and r.check("long_silence").value >= 1.4
    # leading / trailing silence is information, not a dropout
    y = np.concatenate([np.zeros((2, FS // 2), np.float32), clean(), np.zeros((2, FS), np.float32)], axis=1)
    ry = qc_report(y, FS)
    assert ry.check("dropouts").status == "pass"
    assert ry.check("leading_trailing_silence").value == pytest.approx(1.5, abs=0.01)


def test_phase_inverted_stereo_fails_mono_downmix():
    x = clean()
    x[1] = -x[0]
    r = qc_report(x, FS)
    assert r.check("stereo_correlation").status == "warn"
    assert r.check("stereo_correlation").value == pytest.approx(-1.0, abs=1e-3)
    assert r.check("mono_downmix_loss").status == "fail"
    rng = np.random.default_rng(3)
    unc = (0.1 * rng.standard_normal((2, 4 * FS))).astype(np.float32)
    loss = qc_report(unc, FS).check("mono_downmix_loss")
    assert loss.value == pytest.approx(3.0, abs=0.2)


def test_nan_inf_reported_not_raised():
    x = clean()
    x[0, 100] = np.nan
    x[1, 200] = np.inf
    r = qc_report(x, FS)
    assert r.check("non_finite").status == "fail" and r.check("non_finite").value == 2
    assert r.loudness.integrated_lufs is not None


def test_silence_format_and_mono():
    r = qc_report(np.zeros((1, FS), np.float32), 44100, preset="streaming", bit_depth=16)
    assert not r.passed
    assert r.check("integrated_loudness").status == "fail"
    assert r.check("silence").status == "fail"
    assert r.check("sample_rate").status == "warn" and r.check("bit_depth").status == "warn"
    assert r.check("stereo_correlation").status == "n/a"
    json.dumps(r.to_dict())


def test_short_term_cap_check_only_for_s1():
    x = clean()
    assert any(c.name == "max_short_term" for c in qc_report(x, FS, preset="ebu-r128-s1").checks)
    assert not any(c.name == "max_short_term" for c in qc_report(x, FS, preset="ebu-r128").checks)


def _tone(freq_hz, dur_s=2.0, *, decay=0.0, sr=48000):
    t = np.arange(int(dur_s * sr)) / sr
    x = 0.3 * np.sin(2 * np.pi * freq_hz * t) * np.exp(-decay * t)
    return np.stack([x, x]).astype(np.float32)


def test_mixer_checks_subsonic_hard_stop_and_fixes():
    from sfxgen.qc import qc_report

    low = _tone(30.0, decay=3.0) + _tone(1000.0, decay=3.0) * 0.2
    r = qc_report(low, 48000, kind="oneshot")
    c = r.check("subsonic_40hz")
    assert c.status == "warn" and c.value > -6.0 and "high-pass" in c.fix
    sub = _tone(12.0, decay=3.0) + _tone(1000.0, decay=3.0) * 0.2
    assert qc_report(sub, 48000).check("subsonic_20hz").status == "fail"
    clean = _tone(1000.0, decay=6.0)
    assert qc_report(clean, 48000, kind="oneshot").check("hard_stop").status == "pass"
    cut = _tone(1000.0, decay=0.2)  # still sounding at the end
    hs = qc_report(cut, 48000, kind="oneshot").check("hard_stop")
    assert hs.status == "fail" and "fade" in hs.fix
    assert qc_report(cut, 48000, kind="texture").check("hard_stop").status == "warn"
    assert "fix:" in qc_report(cut, 48000, kind="oneshot").to_text()


def test_inter_sample_peaks_and_loudness_range_by_kind():
    from sfxgen.qc import qc_report

    n = 48000 * 4
    x = np.zeros((2, n), np.float32)
    x[:, ::2] = 0.99  # fs/2 alternating pattern with a phase: reconstructs above full scale
    x[:, 1::2] = -0.99
    x[:, 1::4] = 0.99
    r = qc_report(x, 48000)
    assert r.check("inter_sample_peaks").status == "fail"
    quiet_tail = np.concatenate([_tone(500.0, 2.0), _tone(500.0, 6.0) * 0.15], axis=1)
    lra = qc_report(quiet_tail, 48000, kind="texture").check("loudness_range")
    assert lra.status == "warn" and lra.value > 10.0
    assert qc_report(quiet_tail, 48000).checks == [c for c in qc_report(quiet_tail, 48000).checks
                                                    if c.name != "loudness_range"]


def test_one_delivery_rule_on_the_preset():
    from sfxgen.loudness import get_preset

    p = get_preset("ebu-r128")
    assert p.judge(integrated_lufs=-23.1, true_peak_dbtp=-1.0).passed
    v = p.judge(integrated_lufs=-22.5, true_peak_dbtp=-0.5)
    assert not v.passed and v.integrated_ok is False and v.true_peak_ok is False and len(v.reasons) == 2
    assert not p.judge(integrated_lufs=None, true_peak_dbtp=None).passed
    s1 = get_preset("ebu-r128-s1")
    assert not s1.judge(integrated_lufs=-23.0, true_peak_dbtp=-2.0, max_short_term_lufs=-15.0).passed
