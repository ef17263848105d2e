"""sfxgen.plots: the one spectrogram every picture uses (log Hz axis, dB colour bar, seconds)."""

from __future__ import annotations

import stat

import numpy as np
import pytest

SR = 48000


def _tone(freq_hz=1000.0, seconds=1.0, level=0.5):
    t = np.arange(int(SR * seconds)) / SR
    x = (level * np.sin(2 * np.pi * freq_hz * t)).astype(np.float32)
    return np.stack([x, x])


def test_spectrogram_level_and_peak_frequency():
    from sfxgen.plots import spectrogram_db

    t, f, db = spectrogram_db(_tone(1000.0, level=1.0), SR)
    assert t[-1] <= 1.0 and f[-1] == SR / 2
    row = db[:, db.shape[1] // 2]
    assert abs(f[row.argmax()] - 1000.0) < SR / 2048 and row.max() == pytest.approx(-3.0, abs=1.5)


def test_axes_are_labelled_in_hz_seconds_and_db(tmp_path):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from sfxgen.plots import DB_RANGE, draw_spectrogram

    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    mesh = draw_spectrogram(ax, _tone(), SR)
    assert ax.get_yscale() == "log" and ax.get_ylim() == (20.0, 20000.0)
    assert [t.get_text() for t in ax.get_yticklabels()][:3] == ["20", "50", "100"]
    assert "Hz" in ax.get_ylabel() and "(s)" in ax.get_xlabel()
    assert mesh.get_clim() == DB_RANGE and len(fig.axes) == 2 and "dB" in fig.axes[1].get_ylabel()


def test_pictures_are_readable_sized_and_0644(tmp_path):
    from PIL import Image

    from sfxgen.plots import spectrogram_png, stems_png

    one = spectrogram_png(tmp_path / "c.png", _tone(), SR, title="candidate")
    assert Image.open(one).size == (800, 380)
    rows = [("mix", _tone()), ("hero", _tone(300.0)), ("silent", np.zeros((2, SR), np.float32))]
    pic = stems_png(tmp_path / "p.png", rows, SR, title="a door")
    w, h = Image.open(pic).size
    assert w == 1400 and h >= 240 * len(rows)
    assert stat.S_IMODE(pic.stat().st_mode) == 0o644


def test_waveform_shows_peak_and_loudness():
    from matplotlib.figure import Figure

    from sfxgen.plots import draw_waveform

    ax = Figure().add_subplot(1, 1, 1)
    draw_waveform(ax, _tone(level=0.5), SR, label="mix")
    text = " ".join(t.get_text() for t in ax.texts)
    assert "peak -6.0 dBFS" in text and "LUFS" in text and ax.get_ylabel() == "mix"
