"""``sfxgen loudness | normalize | qc | presets`` in-process through sfxgen.cli.main, plus one
subprocess smoke test of the installed entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from sfxgen.cli import main

FS = 48000
KEYS = ["path", "integrated_lufs", "lra_lu", "true_peak_dbtp", "sample_peak_dbfs", "max_momentary_lufs",
        "max_short_term_lufs", "duration_s", "sample_rate", "channels"]


def _noise(seconds=3.0, fs=FS, ch=2, level=0.05, seed=0):
    rng = np.random.default_rng(seed)
    from scipy.signal import butter, sosfilt

    x = sosfilt(butter(4, [100, 0.4 * fs], btype="band", fs=fs, output="sos"), rng.standard_normal((ch, int(seconds * fs))))
    return (level * x).astype(np.float32)


@pytest.fixture()
def files(tmp_path):
    good = tmp_path / "good.wav"
    sf.write(good, _noise().T, FS, subtype="PCM_24")
    rate44 = tmp_path / "rate44.flac"
    sf.write(rate44, _noise(2.0, fs=44100, ch=1, seed=1).T, 44100, subtype="PCM_16")
    silent = tmp_path / "silent.wav"
    sf.write(silent, np.zeros((FS, 2), np.float32), FS, subtype="PCM_24")
    short = tmp_path / "short.wav"
    sf.write(short, _noise(0.08, seed=2).T, FS, subtype="PCM_24")
    text = tmp_path / "notes.wav"
    text.write_text("this is not audio\n" * 20)
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    trunc = tmp_path / "trunc.wav"
    trunc.write_bytes(good.read_bytes()[:2000])
    nan = tmp_path / "nan.wav"
    bad = _noise(1.0)
    bad[0, 100] = np.nan
    sf.write(nan, bad.T, FS, subtype="FLOAT")
    return {"good": good, "rate44": rate44, "silent": silent, "short": short, "text": text, "empty": empty,
            "trunc": trunc, "nan": nan, "missing": tmp_path / "missing.wav"}


def test_loudness_json_lines_with_bad_files_in_the_batch(files, capsys):
    order = ["good", "text", "rate44", "empty", "silent", "trunc", "short", "nan", "missing"]
    code = main(["loudness", "--json", *[str(files[k]) for k in order]])
    out, err = capsys.readouterr()
    assert code == 1
    rows = [json.loads(line) for line in out.strip().splitlines()]
    assert [Path(r["path"]).name for r in rows] == ["good.wav", "rate44.flac", "silent.wav", "short.wav"]
    for r in rows:
        assert list(r) == KEYS
    good, r44, silent, short = rows
    from sfxgen.audio import read_audio
    from sfxgen.loudness import measure

    ref = measure(*read_audio(files["good"]))
    assert good["integrated_lufs"] == pytest.approx(ref.integrated_lufs, abs=1e-9)
    assert good["sample_rate"] == FS and good["channels"] == 2 and good["duration_s"] == pytest.approx(3.0)
    assert r44["sample_rate"] == 44100 and r44["channels"] == 1
    assert silent["integrated_lufs"] is None and silent["true_peak_dbtp"] is None  # JSON null
    assert short["integrated_lufs"] is not None and short["lra_lu"] is None
    lines = err.strip().splitlines()
    assert len(lines) == 5
    for name in ("notes.wav", "empty.wav", "trunc.wav", "nan.wav", "missing.wav"):
        assert sum(name in line for line in lines) == 1
    assert all(line.startswith("error: ") for line in lines)


def test_loudness_text_output(files, capsys):
    assert main(["loudness", str(files["good"]), str(files["silent"])]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "LUFS" in out[0] and "dBTP" in out[0]
    assert "I n/a" in out[1]


@pytest.mark.parametrize("preset,target,ceiling", [("ebu-r128", -23.0, -1.0), ("atsc-a85", -24.0, -2.0)])
def test_normalize_writes_48k_24bit_bwf_on_target(files, tmp_path, capsys, preset, target, ceiling):
    from sfxgen.audio import audio_info, read_audio, read_bext
    from sfxgen.loudness import measure

    out = tmp_path / f"out_{preset}.wav"
    code = main(["normalize", str(files["rate44"]), "-o", str(out), "--preset", preset])
    assert code == 0, capsys.readouterr().err
    info = audio_info(out)
    assert (info.sample_rate, info.bit_depth, info.channels) == (48000, 24, 1)
    r = measure(*read_audio(out))
    assert r.integrated_lufs == pytest.approx(target, abs=0.1)
    assert r.true_peak_dbtp <= ceiling
    bext = read_bext(out)
    assert bext.loudness_value == pytest.approx(target, abs=0.1)
    assert bext.max_true_peak_level <= ceiling
    assert "F=48000,W=24" in bext.coding_history


def test_normalize_custom_and_json(files, tmp_path, capsys):
    out = tmp_path / "custom.wav"
    code = main(["normalize", str(files["good"]), "-o", str(out), "--preset", "custom",
                 "--target-lufs", "-18", "--ceiling-dbtp", "-3", "--json"])
    assert code == 0
    d = json.loads(capsys.readouterr().out)
    assert d["preset"] == "custom" and d["met_target"] is True
    assert d["after"]["integrated_lufs"] == pytest.approx(-18, abs=0.1)
    assert d["after"]["true_peak_dbtp"] <= -3


def test_normalize_errors(files, tmp_path, capsys):
    out = tmp_path / "x.wav"
    assert main(["normalize", str(files["silent"]), "-o", str(out), "--preset", "ebu-r128"]) == 2
    err = capsys.readouterr().err
    assert "silent.wav" in err and "no measurable loudness" in err
    assert not out.exists()
    assert main(["normalize", str(files["good"]), "-o", str(out), "--preset", "nope"]) == 2
    assert "known presets" in capsys.readouterr().err
    assert main(["normalize", str(files["good"]), "-o", str(out), "--preset", "custom"]) == 2
    assert main(["normalize", str(files["good"]), "-o", str(out), "--target-lufs", "-10"]) == 2
    assert main(["normalize", str(files["trunc"]), "-o", str(out)]) == 2
    assert "trunc.wav" in capsys.readouterr().err


def test_normalize_reports_unmet_target(tmp_path, capsys):
    clicks = np.zeros((FS * 2, 1), np.float32)
    clicks[:: FS // 2] = 0.9
    src = tmp_path / "clicks.wav"
    sf.write(src, clicks, FS, subtype="PCM_24")
    out = tmp_path / "clicks_out.wav"
    assert main(["normalize", str(src), "-o", str(out), "--preset", "streaming"]) == 1
    assert out.exists()
    assert "target not met" in capsys.readouterr().err


def test_qc_json_and_text(files, tmp_path, capsys):
    out = tmp_path / "n.wav"
    assert main(["normalize", str(files["good"]), "-o", str(out), "--preset", "ebu-r128"]) == 0
    capsys.readouterr()
    assert main(["qc", str(out), "--preset", "ebu-r128", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["passed"] is True and d["format"]["bit_depth"] == 24
    assert main(["qc", str(files["good"]), str(files["text"]), "--preset", "ebu-r128"]) == 1
    captured = capsys.readouterr()
    assert "FAIL" in captured.out and "integrated_loudness" in captured.out
    assert "notes.wav" in captured.err


def test_presets_listing(capsys):
    assert main(["presets"]) == 0
    text = capsys.readouterr().out
    for name in ("ebu-r128", "ebu-r128-s1", "atsc-a85", "streaming", "apple-podcasts", "game-console", "game-mobile",
                 "custom"):
        assert name in text
    assert main(["presets", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    r128 = next(r for r in rows if r["name"] == "ebu-r128")
    assert r128["target_lufs"] == -23.0 and r128["true_peak_ceiling_dbtp"] == -1.0
    assert set(r128) == {"name", "target_lufs", "tolerance_lu", "true_peak_ceiling_dbtp", "max_short_term_lufs", "notes"}


def test_subprocess_smoke(files):
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]), OMP_NUM_THREADS="1")
    p = subprocess.run([sys.executable, "-m", "sfxgen", "loudness", "--json", str(files["good"]), str(files["empty"])],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 1
    row = json.loads(p.stdout.strip())
    assert row["integrated_lufs"] < -20 and row["channels"] == 2
    assert "empty.wav" in p.stderr and p.stderr.count("\n") == 1
