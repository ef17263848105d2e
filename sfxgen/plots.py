"""Every picture sfxgen draws: one spectrogram and one waveform style, readable at 100 % zoom.

* Spectrogram (:func:`draw_spectrogram`): logarithmic frequency axis from 20 Hz to 20 kHz (or
  Nyquist) labelled in Hz (20, 50, 100 ... 10k, 20k), time in seconds, colour = level in dB
  relative to full scale (a full-scale sine reads about -3 dB) from -100 to 0 dB with a colour
  bar. Fixed limits make two pictures comparable at a glance.
* Waveform (:func:`draw_waveform`): min/max envelope in [-1, 1] with the sample peak (dBFS) and the
  integrated loudness (LUFS, BS.1770) written on it.

:func:`spectrogram_png` is the UI's one-panel picture of a candidate, :func:`stems_png` the export
package's picture (waveform + spectrogram per row: mix, then each stem). Both write atomically,
mode 0644. matplotlib is imported inside the functions (Agg, no pyplot state), so this module is
cheap to import and safe to call from several threads given a lock around savefig.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np

DB_RANGE = (-100.0, 0.0)
F_MIN_HZ, F_MAX_HZ = 20.0, 20000.0
MAX_COLUMNS = 1500
"""Spectrogram time columns at most (longer sounds get a longer hop, so drawing stays quick)."""
LOG_ROWS = 256
"""Log-spaced frequency rows of the drawn spectrogram (about 26 per octave)."""
_HZ_TICKS = (20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000)


def spectrogram_db(audio, sample_rate: int, *, n_fft: int = 2048) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Power spectrogram of the channel average: ``(times_s (T,), freqs_hz (F,), level_db (F, T))``.

    Hann window of ``n_fft`` samples, hop ``n_fft / 4`` (longer for long sounds, at most
    :data:`MAX_COLUMNS` columns); level in dB re full scale (``scaling="spectrum"``)."""
    from scipy.signal import spectrogram

    x = np.asarray(audio, np.float32)
    mono = x.mean(axis=0) if x.ndim == 2 else x
    n = mono.size
    if n < 16:
        mono = np.pad(mono, (0, 16 - n))
        n = 16
    hop = max(n_fft // 4, -(-n // MAX_COLUMNS))
    nper = min(max(n_fft, hop), n)
    hop = min(hop, nper)
    f, t, s = spectrogram(mono, fs=sample_rate, window="hann", nperseg=nper, noverlap=nper - hop,
                          scaling="spectrum", mode="psd")
    return t, f, 10.0 * np.log10(s + 1e-13)


def draw_spectrogram(ax, audio, sample_rate: int, *, colorbar: bool = True, title: str | None = None):
    """Draw the spectrogram of ``audio`` ``(channels, samples)`` on matplotlib axes ``ax``
    (log frequency in Hz, time in s, dB colour bar); returns the image.

    The levels are resampled onto :data:`LOG_ROWS` log-spaced frequencies and drawn as one image
    on a log10(Hz) axis labelled in Hz: the same picture as a mesh on a log axis, drawn ~10x
    faster (a mesh of every FFT bin dominated the export's time)."""
    t, f, db = spectrogram_db(audio, sample_rate)
    top = min(F_MAX_HZ, sample_rate / 2.0)
    lo, hi = np.log10(F_MIN_HZ), np.log10(top)
    rows = 10.0 ** np.linspace(lo, hi, LOG_ROWS)
    j = np.clip(np.searchsorted(f, rows), 1, f.size - 1)
    w = np.clip((rows - f[j - 1]) / np.maximum(f[j] - f[j - 1], 1e-9), 0.0, 1.0)[:, None]
    img = db[j - 1] * (1.0 - w) + db[j] * w
    n = np.asarray(audio).shape[-1]
    dur = max(n / sample_rate, 1e-3)
    im = ax.imshow(img, origin="lower", aspect="auto", cmap="magma", vmin=DB_RANGE[0], vmax=DB_RANGE[1],
                   extent=(0.0, dur, lo, hi), interpolation="nearest")
    ticks = [h for h in _HZ_TICKS if h <= top]
    ax.set_yticks(np.log10(ticks))
    ax.set_yticklabels([f"{h // 1000}k" if h >= 1000 else str(h) for h in ticks])
    ax.set_ylim(lo, hi)
    ax.set_ylabel("frequency (Hz)")
    ax.set_xlabel("time (s)")
    ax.set_xlim(0.0, dur)
    if title:
        ax.set_title(title)
    if colorbar:
        cb = ax.figure.colorbar(im, ax=ax, pad=0.01, fraction=0.04)
        cb.set_label("level (dB re full scale)")
    return im


def draw_waveform(ax, audio, sample_rate: int, *, label: str | None = None, loudness=None) -> None:
    """Min/max waveform of ``audio`` ``(channels, samples)`` with its sample peak (dBFS) and
    integrated loudness (LUFS) written in the corner (``loudness``: its
    :class:`~sfxgen.loudness.meter.LoudnessResult` when already measured)."""
    from sfxgen.loudness.meter import measure

    x = np.atleast_2d(np.asarray(audio, np.float32))
    n = x.shape[1]
    cols = max(1, min(n, 2000))
    edges = np.linspace(0, n, cols + 1).astype(int)
    lo = np.minimum.reduceat(x.min(axis=0), edges[:-1]) if n else np.zeros(1)
    hi = np.maximum.reduceat(x.max(axis=0), edges[:-1]) if n else np.zeros(1)
    t = edges[:-1] / sample_rate
    ax.fill_between(t, lo, hi, color="#2a6f97", lw=0, step="post")
    ax.set_ylim(-1.0, 1.0)
    ax.set_xlim(0.0, max(n / sample_rate, 1e-3))
    ax.set_xlabel("time (s)")
    ax.set_ylabel(label or "amplitude")
    r = loudness if loudness is not None else (measure(x, sample_rate, true_peak=False) if n else None)
    peak = "-inf" if r is None or r.sample_peak_dbfs is None else f"{r.sample_peak_dbfs:.1f}"
    lufs = "n/a" if r is None or r.integrated_lufs is None else f"{r.integrated_lufs:.1f}"
    ax.text(0.01, 0.97, f"peak {peak} dBFS   loudness {lufs} LUFS", transform=ax.transAxes, va="top", ha="left",
            fontsize=9, bbox=dict(facecolor="white", alpha=0.8, lw=0, pad=1.5))


def _save(fig, path) -> Path:
    from sfxgen.paths import temp_beside

    path = Path(path)
    tmp = temp_beside(path, suffix=".png")
    try:
        fig.savefig(tmp, format="png")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def _figure(width_in: float, height_in: float, *, layout: str | None = "constrained"):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=100, layout=layout)
    FigureCanvasAgg(fig)
    return fig


def spectrogram_png(path, audio, sample_rate: int, *, title: str) -> Path:
    """One labelled spectrogram, 800 x 380 px (the UI's candidate picture)."""
    fig = _figure(8.0, 3.8)
    draw_spectrogram(fig.add_subplot(1, 1, 1), audio, sample_rate, title=title)
    return _save(fig, path)


def stems_png(path, rows: Sequence[tuple], sample_rate: int, *, title: str) -> Path:
    """The export picture: one row per ``(label, audio)`` or ``(label, audio, loudness)`` --
    waveform with peak and loudness, then spectrogram -- 1400 px wide, 240 px per row, one dB
    colour bar for all spectrograms (they share :data:`DB_RANGE`).

    The axes sit at fixed pixel positions instead of a layout engine: every row has the same
    labels, so there is nothing to solve, and constrained layout was half the drawing time."""
    n = len(rows)
    width_px, row_px, head_px = 1400, 240, 50
    height_px = row_px * n + head_px
    fig = _figure(width_px / 100.0, height_px / 100.0, layout=None)

    def rect(x0_px, x1_px, i):  # axes of row i between two x positions, in figure fractions
        bottom = height_px - head_px - (i + 1) * row_px + 48
        return (x0_px / width_px, bottom / height_px, (x1_px - x0_px) / width_px, (row_px - 48 - 34) / height_px)

    image = None
    for i, (label, audio, *loud) in enumerate(rows):
        draw_waveform(fig.add_axes(rect(70, 560, i)), audio, sample_rate, label=label, loudness=(loud or [None])[0])
        image = draw_spectrogram(fig.add_axes(rect(660, 1290, i)), audio, sample_rate, colorbar=False, title=label)
    if image is not None:
        top = rect(0, 1, 0)
        low = rect(0, 1, n - 1)
        cax = fig.add_axes((1305 / width_px, low[1], 14 / width_px, top[1] + top[3] - low[1]))
        fig.colorbar(image, cax=cax).set_label("level (dB re full scale)")
    fig.suptitle(title, fontsize=12, y=1.0 - 12 / height_px, va="top")
    return _save(fig, path)


__all__ = ["DB_RANGE", "draw_spectrogram", "draw_waveform", "spectrogram_db", "spectrogram_png", "stems_png"]
