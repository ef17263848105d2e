"""Pitch shifting, time stretching and reversal.

* :func:`pitch_shift` without ``preserve_duration`` is varispeed (tape-style): the clip is
  resampled with soxr (very-high-quality band-limited resampling), so pitch and duration change
  together, transients stay intact. +12 semitones = twice the pitch, half the length.
* With ``preserve_duration`` the clip is first time-stretched by the same ratio with a phase
  vocoder (:func:`time_stretch`, identity phase locking) and then varispeeded back to its
  length. Transients soften a little (inherent to phase vocoders); prefer varispeed for hits.
"""

from __future__ import annotations

import numpy as np

from sfxgen.dsp._util import as_2d, check_range, check_rate

__all__ = ["pitch_shift", "time_stretch", "varispeed", "reverse"]


def reverse(audio) -> np.ndarray:
    """Time-reversed copy, (channels, samples) float32."""
    return np.ascontiguousarray(as_2d(audio, allow_empty=True)[:, ::-1])


def varispeed(audio, sample_rate: int, *, speed: float) -> np.ndarray:
    """Play ``speed`` times faster (pitch x speed, length / speed) using soxr VHQ resampling."""
    import soxr

    sr = check_rate(sample_rate)
    r = check_range("speed", speed, 1.0 / 64, 64.0)
    x = as_2d(audio)
    if r == 1.0:
        return x.copy()
    y = soxr.resample(np.ascontiguousarray(x.T.astype(np.float32)), sr * r, sr, quality="VHQ")
    y = np.asarray(y, dtype=np.float32)
    if y.ndim == 1:
        y = y[:, None]
    return np.ascontiguousarray(y.T)


def _stft_params(sr: int) -> tuple[int, int]:
    n_fft = int(2 ** np.round(np.log2(0.043 * sr)))  # ~43 ms: 2048 at 48 kHz
    return n_fft, n_fft // 4


def time_stretch(audio, sample_rate: int, *, factor: float) -> np.ndarray:
    """Make the clip ``factor`` times longer (``factor`` < 1 shortens) at the same pitch.

    Phase vocoder: ~43 ms Hann frames, 75% overlap, magnitudes interpolated between input frames,
    phases advanced by each bin's measured instantaneous frequency (a cumulative sum over output
    frames) with identity phase locking to the nearest spectral peak. Output length is
    ``round(n * factor)``.
    """
    from numpy.lib.stride_tricks import sliding_window_view
    import scipy.fft as sfft
    from scipy.ndimage import maximum_filter1d

    sr = check_rate(sample_rate)
    f = check_range("factor", factor, 1.0 / 16, 16.0)
    x = as_2d(audio).astype(np.float64)
    n = x.shape[1]
    n_out = int(round(n * f))
    if f == 1.0:
        return x.astype(np.float32)
    n_fft, hop = _stft_params(sr)
    win = np.hanning(n_fft + 1)[:-1]  # periodic Hann: 4x-overlap sum of squares is 1.5
    pad = np.pad(x, ((0, 0), (n_fft, n_fft + hop)))
    frames = sliding_window_view(pad, n_fft, axis=-1)[:, ::hop]
    spec = sfft.rfft(frames * win, axis=-1)  # (C, T, F)
    n_frames = spec.shape[1]
    mag, ph = np.abs(spec), np.angle(spec)
    omega = 2 * np.pi * np.arange(spec.shape[-1]) * hop / n_fft  # expected advance per hop

    pos = np.arange(0.0, n_frames - 1, 1.0 / f)
    i0 = pos.astype(int)
    frac = (pos - i0)[None, :, None]
    out_mag = (1 - frac) * mag[:, i0] + frac * mag[:, i0 + 1]
    dphi = ph[:, i0 + 1] - ph[:, i0] - omega
    dphi = omega + (dphi - 2 * np.pi * np.round(dphi / (2 * np.pi)))
    phase = np.concatenate([ph[:, :1], ph[:, :1] + np.cumsum(dphi[:, :-1], axis=1)], axis=1)
    # Identity phase locking: bins keep their phase offset relative to the nearest peak.
    is_peak = out_mag >= maximum_filter1d(out_mag, size=5, axis=-1, mode="nearest")
    k = np.arange(out_mag.shape[-1])
    peak_idx = np.where(is_peak, k, -1)
    left = np.maximum.accumulate(peak_idx, axis=-1)
    right_src = np.where(is_peak, k, out_mag.shape[-1] * 2)[..., ::-1]
    right = np.minimum.accumulate(right_src, axis=-1)[..., ::-1]
    left = np.where(left < 0, right, left)
    right = np.where(right >= out_mag.shape[-1], left, right)
    nearest = np.where(k - left <= right - k, left, right)
    src = ph[:, i0]
    pk_out = np.take_along_axis(phase, nearest, axis=-1)
    pk_src = np.take_along_axis(src, nearest, axis=-1)
    phase = np.where(is_peak, phase, pk_out + (src - pk_src))

    y_frames = sfft.irfft(out_mag * np.exp(1j * phase), n_fft, axis=-1) * win  # (C, J, n_fft)
    n_j = y_frames.shape[1]
    total = (n_j + 3) * hop + n_fft
    y = np.zeros((x.shape[0], total))
    for g in range(4):  # 4x overlap: each quarter of the frames tiles without overlap
        sel = y_frames[:, g::4]
        if sel.shape[1] == 0:
            continue
        flat = sel.reshape(x.shape[0], -1)
        y[:, g * hop : g * hop + flat.shape[1]] += flat
    y /= 1.5
    start = int(round(n_fft * f))
    y = y[:, start : start + n_out]
    if y.shape[1] < n_out:
        y = np.pad(y, ((0, 0), (0, n_out - y.shape[1])))
    return y.astype(np.float32)


def pitch_shift(audio, sample_rate: int, *, semitones: float, preserve_duration: bool = False) -> np.ndarray:
    """Shift pitch by ``semitones`` (fractional allowed, -48..48).

    ``preserve_duration=False``: varispeed, length becomes ``n / 2**(semitones/12)``.
    ``preserve_duration=True``: phase-vocoder stretch then varispeed; length stays ``n``.
    """
    sr = check_rate(sample_rate)
    st = check_range("semitones", semitones, -48.0, 48.0)
    x = as_2d(audio)
    if st == 0.0:
        return x.copy()
    ratio = 2.0 ** (st / 12.0)
    if not preserve_duration:
        return varispeed(x, sr, speed=ratio)
    y = varispeed(time_stretch(x, sr, factor=ratio), sr, speed=ratio)
    n = x.shape[1]
    if y.shape[1] < n:
        y = np.pad(y, ((0, 0), (0, n - y.shape[1])))
    return np.ascontiguousarray(y[:, :n])

