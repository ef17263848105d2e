"""Room tone: learned from a recording's quiet passages, matching its spectrum, never repeating."""

from __future__ import annotations

import numpy as np
import pytest

from sfxgen.errors import ParameterError

SR = 48000


def _recording(seconds=20.0, seed=1):
    """Dialogue-like bursts over a coloured, slowly swelling stereo floor with mains hum."""
    from scipy.signal import butter, sosfilt

    rng = np.random.default_rng(seed)
    n = int(seconds * SR)
    t = np.arange(n) / SR
    floor = sosfilt(butter(1, 400, fs=SR, output="sos"), rng.standard_normal((2, n))) * 0.01
    floor += 0.002 * rng.standard_normal((2, n))
    floor[1] = 0.7 * floor[0] + 0.3 * floor[1]
    floor *= 1 + 0.3 * np.sin(2 * np.pi * 0.3 * t)
    speech = np.zeros(n)
    for s0 in np.arange(0.5, seconds - 1.5, 2.5):
        i, m = int(s0 * SR), int(1.4 * SR)
        env = np.sin(np.pi * np.arange(m) / m) ** 2 * (0.5 + 0.5 * np.sin(2 * np.pi * 4 * np.arange(m) / SR))
        speech[i: i + m] += 0.3 * env * sosfilt(butter(2, [200, 3000], btype="band", fs=SR, output="sos"),
                                                rng.standard_normal(m))
    return (floor + speech).astype(np.float32), floor.astype(np.float32), speech


def test_quiet_passages_exclude_the_speech():
    from sfxgen.post.roomtone import quiet_mask

    x, _, speech = _recording()
    m = quiet_mask(x, SR)
    assert 5.0 < m.sum() / SR < 12.0
    assert np.max(np.abs(speech[m])) < 0.003  # at most the faint edge of a word, under the floor's own level


def test_room_tone_matches_the_floor_and_never_repeats():
    from sfxgen.post.roomtone import compare_bands, learn_room_tone, synthesize_room_tone

    x, floor, _ = _recording()
    prof = learn_room_tone(x, SR)
    assert prof.channels == 2 and prof.quiet_s > 5.0
    tone = synthesize_room_tone(prof, 50.0, seed=4)  # longer than one synthesis block: crosses a block join
    assert tone.shape == (2, 50 * SR) and np.all(np.isfinite(tone))
    from sfxgen.post.roomtone import quiet_mask

    quiet = floor[:, quiet_mask(x, SR)]
    for ref, tol in ((quiet, 1.0), (floor, 2.0)):  # the quiet passages it learned from; the whole floor
        diff = compare_bands(tone, ref, SR)
        mid = {int(float(k)): v for k, v in diff.items() if 100 <= float(k) <= 16000}
        assert max(abs(v) for v in mid.values()) < tol, mid
        level = 10 * np.log10(np.mean(tone.astype(np.float64) ** 2) / np.mean(ref.astype(np.float64) ** 2))
        assert abs(level) < tol
    # the stereo floor keeps its width
    assert abs(np.corrcoef(tone[0], tone[1])[0, 1] - np.corrcoef(floor[0], floor[1])[0, 1]) < 0.05
    # non-repeating: no long-lag self-similarity (a tiled loop would correlate ~1 at its period)
    mono = tone.mean(axis=0).astype(np.float64)
    seg = mono[: 2 * SR]
    for lag in (1 * SR, 3 * SR, 10 * SR, 22 * SR, 40 * SR):
        other = mono[lag: lag + 2 * SR]
        r = np.dot(seg - seg.mean(), other - other.mean()) / (np.std(seg) * np.std(other) * seg.size)
        assert abs(r) < 0.1
    # the slow swell is learned: band levels move more than stationary noise of that spectrum
    assert np.median(prof.mod_std_db[2:]) > 0.5
    # the same seed gives the same tone, another seed another
    np.testing.assert_array_equal(synthesize_room_tone(prof, 1.0, seed=4), synthesize_room_tone(prof, 1.0, seed=4))
    assert not np.allclose(synthesize_room_tone(prof, 1.0, seed=5), synthesize_room_tone(prof, 1.0, seed=4))


def test_room_tone_refuses_recordings_without_a_floor():
    from sfxgen.post.roomtone import learn_room_tone

    with pytest.raises(ParameterError, match="digital silence"):
        learn_room_tone(np.zeros((1, SR * 3), np.float32), SR)
    rng = np.random.default_rng(0)
    loud = (0.3 * rng.standard_normal((1, int(0.3 * SR)))).astype(np.float32)
    with pytest.raises(ParameterError):
        learn_room_tone(loud, SR)


def test_cli_roomtone(tmp_path, capsys):
    import json

    from sfxgen.audio import audio_info, write_audio
    from sfxgen.cli import main

    x, _, _ = _recording(12.0)
    write_audio(tmp_path / "dia.wav", x, SR, bit_depth=24)
    out = tmp_path / "tone.wav"
    rc = main(["roomtone", "--match", str(tmp_path / "dia.wav"), "--duration", "7.5", "--out", str(out), "--json"])
    assert rc == 0
    d = json.loads(capsys.readouterr().out)
    info = audio_info(out)
    assert (info.sample_rate, info.bit_depth, info.channels) == (48000, 24, 2)
    assert abs(info.duration_s - 7.5) < 1e-3 and d["profile"]["quiet_s"] > 2.0
    assert main(["roomtone", "--match", str(tmp_path / "nope.wav"), "--duration", "2"]) == 2
