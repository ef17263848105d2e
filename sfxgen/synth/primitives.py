"""Vectorised synthesis building blocks shared by every sound family.

Everything here works on whole numpy arrays (no per-sample Python loops): envelopes are
closed-form curves, filters are ``scipy.signal.sosfilt``/``lfilter``, modal banks are a
block-recursive matrix product, time-varying spectra are shaped in the STFT domain, and events
(grains, drops, clicks) are scattered with ``np.bincount``.

Conventions: ``n`` is a length in samples, ``sr`` the sample rate in Hz, times are seconds,
frequencies Hz, signals are 1-D float64 arrays of length ``n`` unless a shape is stated (the
renderer converts to float32 once at the end). Functions that need randomness take an explicit
``rng: np.random.Generator`` so a render is reproducible from its seed.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np
from scipy import signal

from sfxgen.audio.convert import peak_abs  # noqa: F401  (the synth modules use it from here)

LN1000 = float(np.log(1000.0))  # amplitude falls by 60 dB over one T60


TINY = 1e-30  # -600 dB: values below are flushed to 0 (subnormal floats make IIR filters crawl)


def flush(x: np.ndarray) -> np.ndarray:
    """Flush values below :data:`TINY` to exactly 0 (avoids slow subnormal arithmetic)."""
    return np.where(np.abs(x) < TINY, 0.0, x)


def _dither(n: int) -> np.ndarray:
    """The fixed -500 dB dither, first ``n`` samples (read-only view)."""
    return _dither_block(max(1 << max(int(n) - 1, 0).bit_length(), 1 << 16))[:n]


@functools.lru_cache(maxsize=4)
def _dither_block(m: int) -> np.ndarray:
    # one block per power-of-two length: every clip length reuses it (same values: a prefix)
    d = 1e-25 * np.random.default_rng(0x5F).standard_normal(m)
    d.setflags(write=False)
    return d


def ring_len(poles_r: float, sr_margin: int = 64) -> int:
    """Samples for a (cascade of) filter(s) with largest pole radius ``poles_r`` to ring down
    below -225 dB of its excitation (150 dB with a 1.5x margin for cascaded poles)."""
    if poles_r <= 0.0:
        return sr_margin
    if poles_r >= 1.0:
        return 1 << 62
    return int(1.5 * 17.27 / -np.log(poles_r)) + sr_margin


@functools.lru_cache(maxsize=512)
def _sos_ring_len(key: bytes, nsec: int) -> int:
    sos = np.frombuffer(key).reshape(nsec, 6)
    r = max((float(np.max(np.abs(np.roots(sec[3:])))) if abs(sec[5]) > 0 or abs(sec[4]) > 0 else 0.0)
            for sec in sos)
    return ring_len(r)


def active_spans(x: np.ndarray, tail: int, *, max_cover: float = 0.6):
    """Spans ``[(start, stop), ...]`` covering every non-zero sample of a 1-D ``x`` plus ``tail``
    samples after it (merged where they meet), or None when they would cover more than
    ``max_cover`` of ``x`` (then a whole-array pass is as cheap)."""
    n = x.shape[-1]
    B = 128  # found per block of B samples (a mask and a reduction: cheaper than flatnonzero)
    nb = -(-n // B)
    m = np.zeros(nb * B, bool)
    np.not_equal(x, 0, out=m[:n])
    nz = np.flatnonzero(m.reshape(nb, B).any(axis=1))
    if nz.size == 0:
        return []
    cut = np.flatnonzero(np.diff(nz) * B > tail + B)
    starts = np.concatenate([nz[:1], nz[cut + 1]]) * B
    stops = np.minimum((np.concatenate([nz[cut], nz[-1:]]) + 1) * B + tail, n)
    if int(np.sum(stops - starts)) > max_cover * n:
        return None
    return list(zip(starts.tolist(), stops.tolist()))


def sosfilt_gated(sos: np.ndarray, x: np.ndarray, gate: np.ndarray) -> np.ndarray:
    """``sosfilt(sos, x) * gate`` for 1-D ``x`` and a ``gate`` (n,) that is 0 over long
    stretches: the filter runs only over the gate's non-zero spans, each started from rest the
    filter's ring-down length (-225 dB) earlier, so the start-up differs from the full pass by
    less than that."""
    sos = np.ascontiguousarray(sos, np.float64)
    tail = _sos_ring_len(sos.tobytes(), sos.shape[0])
    spans = active_spans(gate, 0)
    n = x.shape[-1]
    if spans is None or x.ndim != 1 or sum(b - a + tail for a, b in spans) > 0.6 * n:
        return sosfilt(sos, x) * gate
    out = np.zeros(n)
    for a, b in spans:
        a0 = max(a - tail, 0)
        np.multiply(sosfilt(sos, x[a0:b])[a - a0:], gate[a:b], out=out[a:b])
    return out


def sosfilt(sos: np.ndarray, x: np.ndarray, *, sparse: bool = False) -> np.ndarray:
    """``scipy.signal.sosfilt`` along the last axis with -500 dB fixed dither added to the input.

    An IIR filter ringing out after its input stops decays into subnormal floats, which the
    CPU handles 10-100x slower; the dither keeps every state at a normal magnitude (and is far
    below anything audible or measurable). Deterministic: the dither is a fixed sequence.

    ``sparse``: a 1-D input that is exactly 0 over long stretches (grains, clicks, hits) is
    filtered over its non-zero spans only, each with the filter's ring-down to -225 dB after it;
    the output is 0 elsewhere (where the full pass gives only that ring-down's remainder).
    """
    if sparse and x.ndim == 1:
        sos = np.ascontiguousarray(sos, np.float64)
        spans = active_spans(x, max(_sos_ring_len(sos.tobytes(), sos.shape[0]), SPARSE_MIN_TAIL))
        if spans is not None:
            out = np.zeros(x.shape[-1])
            for a, b in spans:
                out[a:b] = sosfilt(sos, x[a:b])
            return out
    xd = x + _dither(x.shape[-1])
    if sos.shape[0] == 1:  # one biquad: lfilter runs the same recursion without sosfilt's input copy
        return signal.lfilter(sos[0, :3], sos[0, 3:], xd, axis=-1)
    if _sosfilt_inplace is not None and xd.dtype == np.float64 and xd.ndim <= 2:
        # xd is a fresh array: filter it in place (signal.sosfilt's own copy and checks skipped;
        # the same kernel, so the same values)
        rows = xd.reshape(-1, xd.shape[-1])
        _sosfilt_inplace(np.ascontiguousarray(sos, np.float64), rows,
                         np.zeros((rows.shape[0], sos.shape[0], 2)))
        return xd
    return signal.sosfilt(sos, xd, axis=-1)


SPARSE_MIN_TAIL = 2048
"""Shortest run-on (samples) after each non-zero stretch in :func:`sosfilt`'s sparse mode: spans
closer than this merge, so a dense scatter of short grains costs a few filter calls, not one
per grain (filtering 2048 zeros costs less than a call)."""


try:  # scipy's in-place second-order-sections kernel (what signal.sosfilt calls after copying)
    from scipy.signal._sosfilt import _sosfilt as _sosfilt_inplace
except ImportError:  # pragma: no cover - other scipy layouts fall back to signal.sosfilt
    _sosfilt_inplace = None


# ----------------------------------------------------------------------------- time and envelopes
def time_s(n: int, sr: int) -> np.ndarray:
    """Sample times in seconds, shape (n,)."""
    return np.arange(n, dtype=np.float64) / sr


ENV_FLOOR_T60S = 2.5  # envelopes are computed for 2.5 T60s (-150 dB) and exactly 0 after


def decay_env(n: int, sr: int, t60_s: float, *, start_s: float = 0.0) -> np.ndarray:
    """Exponential decay reaching -60 dB after ``t60_s``; 1 before ``start_s``; shape (n,).

    Computed up to -150 dB, exactly 0 after (cheap for short decays in long clips).
    """
    d = max(t60_s, 1e-4)
    m = min(n, int((max(start_s, 0.0) + ENV_FLOOR_T60S * d) * sr) + 1)
    out = np.zeros(n)
    t = time_s(m, sr)
    t -= start_s
    np.maximum(t, 0.0, out=t)
    t *= -LN1000
    t /= d
    np.exp(t, out=out[:m])
    return out


def ad_env(n: int, sr: int, *, attack_s: float, decay_s: float, start_s: float = 0.0,
           curve: float = 3.0) -> np.ndarray:
    """Attack-decay envelope, peak 1 at ``start_s + attack_s``; shape (n,).

    The attack rises as ``(1 - exp(-curve*x)) / (1 - exp(-curve))`` (``curve`` 0 ≈ linear,
    larger = faster start), the decay is exponential with T60 = ``decay_s`` (computed to
    -150 dB, exactly 0 after).
    """
    a = max(attack_s, 1e-5)
    d = max(decay_s, 1e-4)
    i0 = min(n, max(int(start_s * sr), 0))
    m = min(n, int((start_s + a + ENV_FLOOR_T60S * d) * sr) + 1)
    out = np.zeros(n)
    if m <= i0:
        return out
    t = np.arange(i0, m, dtype=np.float64) / sr - start_s
    # the rise is exactly 1 from t >= a on and the fall exactly 1 before: each is evaluated on
    # its own part only (same values as rise * fall over the whole span)
    j = int(np.searchsorted(t, a, side="left"))
    th = t[:j]
    x = np.clip(th / a, 0.0, 1.0)
    rise = x if curve < 1e-3 else (1.0 - np.exp(-curve * x)) / (1.0 - np.exp(-curve))
    out[i0:i0 + j] = np.where(th < 0, 0.0, rise)
    fall = np.subtract(t[j:], a, out=out[i0 + j:m])
    fall *= -LN1000
    fall /= d
    np.exp(fall, out=fall)
    return out


def ad_env_len(n: int, sr: int, *, attack_s: float, decay_s: float, start_s: float = 0.0) -> int:
    """Samples from the start of :func:`ad_env` (same arguments) after which it is exactly 0:
    ``x * ad_env(n, ...)`` only needs ``x[:m]`` (a filter's output over its first m samples)."""
    return min(n, int((start_s + max(attack_s, 1e-5) + ENV_FLOOR_T60S * max(decay_s, 1e-4)) * sr) + 1)


def adsr_env(n: int, sr: int, *, attack_s: float, decay_s: float, sustain: float,
             release_s: float, gate_s: float) -> np.ndarray:
    """ADSR envelope: exponential segments, note held for ``gate_s`` seconds; shape (n,)."""
    t = time_s(n, sr)
    a = max(attack_s, 1e-5)
    rise = np.clip(t / a, 0.0, 1.0)
    held = sustain + (1.0 - sustain) * np.exp(-LN1000 * np.maximum(t - a, 0.0) / max(decay_s, 1e-4))
    on = np.where(t < a, rise, held)
    level_at_gate = float(np.interp(gate_s, t, on)) if n else 0.0
    rel = level_at_gate * np.exp(-LN1000 * np.maximum(t - gate_s, 0.0) / max(release_s, 1e-4))
    return flush(np.where(t < gate_s, on, rel))


def breakpoints(n: int, sr: int, times_s, values, *, log: bool = False) -> np.ndarray:
    """Piecewise-linear (or log-linear when ``log``, for frequencies) curve through points."""
    t = time_s(n, sr)
    v = np.asarray(values, np.float64)
    if log:
        return np.exp(np.interp(t, np.asarray(times_s, np.float64), np.log(np.maximum(v, 1e-9))))
    return np.interp(t, np.asarray(times_s, np.float64), v)


def glide(n: int, sr: int, f_start_hz: float, f_end_hz: float, *, time_s_: float | None = None,
          curve: float = 0.0) -> np.ndarray:
    """Exponential pitch glide from ``f_start_hz`` to ``f_end_hz`` over ``time_s_`` (default: all).

    ``curve`` > 0 bends the glide to move fast early (like a falling drop), < 0 late (a riser).
    Returns the instantaneous frequency in Hz, shape (n,).
    """
    dur = (n / sr) if time_s_ is None else max(time_s_, 1e-4)
    x = np.clip(time_s(n, sr) / dur, 0.0, 1.0)
    if abs(curve) > 1e-3:
        x = (1.0 - np.exp(-curve * x)) / (1.0 - np.exp(-curve))
    return f_start_hz * np.exp2(x * np.log2(f_end_hz / f_start_hz))  # (f_end/f_start) ** x


def smooth_random(rng: np.random.Generator, n: int, sr: int, rate_hz: float,
                  *, channels: int = 0) -> np.ndarray:
    """A slowly wandering control signal, roughly N(0, 1), changing about ``rate_hz`` times a second.

    Random points at ``rate_hz`` joined by cosine interpolation (built on a 16x control grid,
    then linearly interpolated to audio rate): for gusts, drift, flutter, instability.
    Shape (n,) or (channels, n) when ``channels`` > 0.
    """
    k = max(int(np.ceil(n / sr * rate_hz)) + 2, 2)
    pts = rng.standard_normal((max(channels, 1), k))
    sub = 16
    pos = np.arange((k - 1) * sub + 1) / sub
    i = np.minimum(pos.astype(np.int64), k - 2)
    w = 0.5 - 0.5 * np.cos(np.pi * (pos - i))
    ctrl = pts[:, i] * (1.0 - w) + pts[:, i + 1] * w
    u = time_s(n, sr) * (rate_hz * sub)  # position on the control grid (pos = u / sub)
    out = np.stack([interp_uniform(u, c) for c in ctrl])
    return out if channels else out[0]


def ramp_interp(fp: np.ndarray, step: float, n: int) -> np.ndarray:
    """``interp_uniform(np.arange(n) * step, fp)``: control points ``fp`` read at audio rate,
    ``step`` grid positions per sample. When ``1 / step`` is a whole number L (a control rate
    that divides the sample rate) the curve is built as (points, L) ramps in one broadcast
    (two passes instead of interp_uniform's eight); otherwise as interp_uniform."""
    fp = np.asarray(fp, np.float64)
    inv = 1.0 / step if step > 0 else 0.0
    L = int(round(inv))
    nb = -(-int(n) // L) if L >= 2 else 0
    if L < 2 or abs(inv - L) > 1e-9 * L or nb > fp.size - 1:
        return interp_uniform(np.arange(n) * step, fp)
    d = np.diff(fp[: nb + 1])
    y = np.multiply.outer(d, np.arange(L) / L)
    y += fp[:nb, None]
    return y.reshape(-1)[:n]


def interp_uniform(u: np.ndarray, fp: np.ndarray) -> np.ndarray:
    """``np.interp(u, arange(len(fp)), fp)``: linear interpolation of samples ``fp`` on a
    uniform grid at fractional grid positions ``u`` (clamped at both ends), float64.

    An index and a weight per point instead of np.interp's binary search per point: ~3x
    cheaper for the audio-rate curves made from control-rate points."""
    fp = np.asarray(fp, np.float64)
    m = fp.size
    if m < 2:
        return np.full(np.shape(u), fp[0] if m else 0.0)
    x = np.clip(u, 0.0, m - 1.0)
    i = np.minimum(x.astype(np.intp), m - 2)
    x -= i
    d = np.diff(fp)
    y = d[i]
    y *= x
    y += fp[i]
    return y


# ----------------------------------------------------------------------------- noise and filters
def white(rng: np.random.Generator, n, *, channels: int = 0) -> np.ndarray:
    """White noise, unit variance, float32; shape (n,), (channels, n), or ``n`` when a tuple.

    Uniform, not Gaussian: several times cheaper, and indistinguishable once filtered, summed
    or enveloped (every use here)."""
    shape = (channels, n) if channels else n
    x = rng.random(shape, dtype=np.float32)
    x -= np.float32(0.5)
    x *= np.float32(3.4641016)
    return x


_PINK_B = np.array([0.049922035, -0.095993537, 0.050612699, -0.004408786])
_PINK_A = np.array([1.0, -2.494956002, 2.017265875, -0.522189400])


def pink(rng: np.random.Generator, n: int, *, channels: int = 0) -> np.ndarray:
    """Pink (-3 dB/octave) noise via a 3-pole pinking filter, about unit RMS."""
    x = signal.lfilter(_PINK_B, _PINK_A, white(rng, n, channels=channels), axis=-1)  # noise: no dither needed
    return x / 0.1046


def brown(rng: np.random.Generator, n: int, sr: int, *, corner_hz: float = 20.0,
          channels: int = 0) -> np.ndarray:
    """Brown (-6 dB/octave) noise: leaky-integrated white noise above ``corner_hz``, unit RMS."""
    a = np.exp(-2 * np.pi * corner_hz / sr)
    x = signal.lfilter([1.0 - a], [1.0, -a], white(rng, n, channels=channels), axis=-1)
    return x / (np.std(x) + 1e-12)


def brown_lowpass(rng: np.random.Generator, n: int, sr: int, *, corner_hz: float, cutoff_hz: float,
                  floor_hz: float | None = None) -> np.ndarray:
    """``lowpass(brown(rng, n, sr, corner_hz=...), sr, cutoff_hz, order=2)`` up to its level
    (unit RMS here; every use normalises the rumble afterwards): the leaky integrator and the
    low-pass run as two sections of one filter call (same noise, one pass). Under ``corner_hz``
    brown noise is flat down to DC; ``floor_hz`` adds a 2nd-order high-pass there (a rumble
    without infrasound) in the same call."""
    a = np.exp(-2 * np.pi * corner_hz / sr)
    sos = np.array([[1.0 - a, 0.0, 0.0, 1.0, -a, 0.0]])
    if cutoff_hz < 0.45 * sr:
        sos = np.concatenate([sos, butter_sos(2, _nyq_clip(cutoff_hz, sr), "lowpass", sr)])
    if floor_hz is not None:
        sos = np.concatenate([sos, butter_sos(2, _nyq_clip(floor_hz, sr), "highpass", sr)])
    y = sosfilt(sos, white(rng, n))
    y /= np.std(y) + 1e-12
    return y


def _nyq_clip(f, sr):
    return float(np.clip(f, 5.0, 0.45 * sr))


def _q(f: float) -> float:
    """Round a cutoff to 1/1000 relative precision so filter designs can be cached."""
    return float(f"{f:.3g}") if f < 1000 else float(round(f, -int(np.floor(np.log10(f))) + 3))


@functools.lru_cache(maxsize=512)
def _butter(order: int, fc, kind: str, sr: int) -> np.ndarray:
    return signal.butter(order, fc, kind, fs=sr, output="sos")  # callers must not modify it


def _butter12(order: int, fc: float, kind: str, sr: int) -> np.ndarray:
    """First/second-order Butterworth low/high-pass by the prewarped bilinear transform in
    closed form (what ``scipy.signal.butter`` returns, ~50x cheaper to design)."""
    k = np.tan(np.pi * fc / sr)
    if order == 1:
        a1 = (k - 1.0) / (k + 1.0)
        b0 = k / (1.0 + k) if kind == "lowpass" else 1.0 / (1.0 + k)
        return np.array([[b0, b0 if kind == "lowpass" else -b0, 0.0, 1.0, a1, 0.0]])
    norm = 1.0 / (1.0 + np.sqrt(2.0) * k + k * k)
    a1, a2 = 2.0 * (k * k - 1.0) * norm, (1.0 - np.sqrt(2.0) * k + k * k) * norm
    if kind == "lowpass":
        b0 = k * k * norm
        return np.array([[b0, 2.0 * b0, b0, 1.0, a1, a2]])
    return np.array([[norm, -2.0 * norm, norm, 1.0, a1, a2]])


def _butter_bp12(order: int, band: tuple, sr: int) -> np.ndarray:
    """Order-1 or 2 Butterworth band-pass (2 or 4 poles) as second-order sections by the
    prewarped bilinear transform, numpy only: the transfer function ``scipy.signal.butter``
    designs (same poles, zeros and gain), ~50x cheaper to design."""
    fs2 = 2.0 * sr
    wl, wh = (fs2 * np.tan(np.pi * f / sr) for f in band)
    bw, wo2 = wh - wl, wl * wh
    proto = np.exp(1j * np.pi * (2 * np.arange(order) + order + 1) / (2 * order))  # analog LP poles
    plp = proto * bw / 2
    root = np.sqrt(plp * plp - wo2)
    pa = np.concatenate([plp + root, plp - root])  # analog band-pass poles; `order` zeros at s = 0
    pz = (fs2 + pa) / (fs2 - pa)
    k = bw ** order * np.real(fs2 ** order / np.prod(fs2 - pa))
    sos = np.zeros((order, 6))
    sos[:, 0], sos[:, 2], sos[:, 3] = 1.0, -1.0, 1.0  # each section: zeros at z = 1 and z = -1
    if order == 1:  # two poles, a conjugate pair or (wide band) two real ones
        sos[0, 4:] = np.real(np.poly(pz))[1:]
    else:  # two conjugate pairs
        upper = pz[np.imag(pz) > 0]
        if upper.size != 2:
            return signal.butter(order, band, "bandpass", fs=sr, output="sos")
        sos[:, 4], sos[:, 5] = -2.0 * upper.real, np.abs(upper) ** 2
    sos[0, :3] *= k
    return sos


def butter_sos(order: int, cutoff_hz, kind: str, sr: int) -> np.ndarray:
    """Cached Butterworth design (second-order sections); cutoffs rounded to 0.1 %."""
    fc = tuple(_q(float(f)) for f in cutoff_hz) if np.ndim(cutoff_hz) else _q(float(cutoff_hz))
    if int(order) in (1, 2) and kind in ("lowpass", "highpass"):
        return _butter12(int(order), fc, kind, int(sr))
    if int(order) in (1, 2) and kind == "bandpass":
        return _butter_bp12(int(order), fc, int(sr))
    return _butter(int(order), fc, kind, int(sr))


def lowpass(x: np.ndarray, sr: int, cutoff_hz: float, *, order: int = 2, sparse: bool = False) -> np.ndarray:
    """Butterworth low-pass along the last axis (cutoff clipped below Nyquist)."""
    if cutoff_hz >= 0.45 * sr:
        return x
    return sosfilt(butter_sos(order, _nyq_clip(cutoff_hz, sr), "lowpass", sr), x, sparse=sparse)


def highpass(x: np.ndarray, sr: int, cutoff_hz: float, *, order: int = 2, sparse: bool = False) -> np.ndarray:
    """Butterworth high-pass along the last axis."""
    if cutoff_hz <= 5.0:
        return x
    return sosfilt(butter_sos(order, _nyq_clip(cutoff_hz, sr), "highpass", sr), x, sparse=sparse)


def bandpass(x: np.ndarray, sr: int, center_hz: float, *, q: float = 1.0, order: int = 2,
             sparse: bool = False) -> np.ndarray:
    """Butterworth band-pass centred on ``center_hz`` with quality ``q`` (bandwidth = fc / q)."""
    return sosfilt(bandpass_sos(sr, center_hz, q=q, order=order), x, sparse=sparse)


def bandpass_sos(sr: int, center_hz: float, *, q: float = 1.0, order: int = 2) -> np.ndarray:
    """The (cached, read-only) sections of :func:`bandpass`."""
    fc = _nyq_clip(center_hz, sr)
    bw = fc / max(q, 0.1)
    lo = max(fc - bw / 2, 5.0)
    hi = min(max(fc + bw / 2, lo * 1.05), 0.47 * sr)
    return butter_sos(order, (lo, hi), "bandpass", sr)


def peak_eq(x: np.ndarray, sr: int, center_hz: float, *, gain_db: float, q: float = 1.0) -> np.ndarray:
    """RBJ peaking EQ biquad (boost/cut ``gain_db`` around ``center_hz``)."""
    A = 10 ** (gain_db / 40)
    w = 2 * np.pi * _nyq_clip(center_hz, sr) / sr
    alpha = np.sin(w) / (2 * max(q, 0.05))
    b = [1 + alpha * A, -2 * np.cos(w), 1 - alpha * A]
    a = [1 + alpha / A, -2 * np.cos(w), 1 - alpha / A]
    return signal.lfilter(b, a, x + _dither(x.shape[-1]), axis=-1)


def tilt(x: np.ndarray, sr: int, brightness: float) -> np.ndarray:
    """Spectral tilt by a brightness in [0, 1]: 0 = dark (low-passed), 0.5 ≈ flat, 1 = bright.

    Implemented as a first-order shelf pair: dark side is a low-pass sweeping 800 Hz..20 kHz,
    bright side adds a high-shelf lift up to +9 dB above 3 kHz (:func:`tilt_sos`).
    """
    sos = tilt_sos(sr, brightness)
    return sosfilt(sos, x) if sos.shape[0] else x


def tilt_sos(sr: int, brightness: float) -> np.ndarray:
    """:func:`tilt` as one first-order section (1, 6), or (0, 6) where it leaves the sound as
    it is. The bright side ``x + lift * highpass(x)`` is the single section whose numerator is
    the high-pass's denominator plus ``lift`` x its numerator (same poles)."""
    b = float(np.clip(brightness, 0.0, 1.0))
    if b < 0.5:
        fc = 800.0 * (20000.0 / 800.0) ** (b / 0.5)
        if fc >= 0.45 * sr:
            return np.zeros((0, 6))
        return butter_sos(1, _nyq_clip(fc, sr), "lowpass", sr).copy()
    lift = 10 ** (9.0 * (b - 0.5) / 0.5 / 20) - 1.0
    sos = butter_sos(1, 3000.0, "highpass", sr).copy()
    sos[0, :3] = sos[0, 3:] + lift * sos[0, :3]
    return sos


def highpass_tilt(x: np.ndarray, sr: int, cutoff_hz: float, brightness: float, *, order: int = 2) -> np.ndarray:
    """``tilt(highpass(x, sr, cutoff_hz, order=order), sr, brightness)`` in one filter pass (the
    high-pass's sections and the tilt's cascaded in one call)."""
    sos = tilt_sos(sr, brightness)
    if cutoff_hz > 5.0:
        sos = np.concatenate([butter_sos(order, _nyq_clip(cutoff_hz, sr), "highpass", sr), sos])
    return sosfilt(sos, x) if sos.shape[0] else x


def stft_shape(x: np.ndarray, sr: int, gain: Callable[[np.ndarray, np.ndarray], np.ndarray],
               *, frame: int = 1024) -> np.ndarray:
    """Time-varying filter: multiply the STFT of ``x`` by ``gain(freqs_hz (F,1), times_s (1,T))``.

    ``gain`` returns magnitudes broadcastable to (F, T). Hann analysis/synthesis at 4x overlap,
    so any smooth time-varying EQ (sweeping band-pass of a whoosh, wind howl resonances,
    distance-dependent rumble) costs two FFTs per hop. ``x`` shape (n,) or (C, n).
    """
    hop = frame // 4
    x2 = np.atleast_2d(x)
    C, n = x2.shape
    T = (n + 2 * frame) // hop + 1
    pad = np.zeros((C, (T - 1) * hop + frame), np.float32)
    pad[:, frame: frame + n] = x2
    import scipy.fft as sfft

    win = np.hanning(frame + 1)[:-1].astype(np.float32)
    view = np.lib.stride_tricks.sliding_window_view(pad, frame, axis=-1)[:, ::hop][:, :T]
    spec = sfft.rfft(view * win, axis=-1)  # (C, T, F) complex64: float32 is ample for audio here
    f = np.fft.rfftfreq(frame, 1.0 / sr)[:, None]
    t = ((np.arange(T) * hop - frame / 2) / sr)[None, :]  # frame centres
    g = np.broadcast_to(np.asarray(gain(f, t), np.float32), (f.size, T)).T  # (T, F)
    spec *= g[None]
    frames = sfft.irfft(spec, n=frame, axis=-1)  # (C, T, frame)
    frames *= win / np.float32(1.5)  # synthesis window; hann^2 at 4x overlap sums to 1.5
    out = _overlap_add(frames, hop)
    y = out[:, frame: frame + n].astype(np.float64)
    return y if x.ndim == 2 else y[0]


def _overlap_add(frames: np.ndarray, hop: int) -> np.ndarray:
    """Overlap-add (C, T, L) frames with hop ``hop`` (L a multiple of hop) -> (C, (T-1)*hop + L)."""
    C, T, L = frames.shape
    k = L // hop
    out = np.zeros((C, (T + k - 1) * hop), frames.dtype)
    for j in range(k):  # k = 4 shifted adds, not a per-sample loop
        out[:, j * hop: j * hop + T * hop] += frames[:, :, j * hop:(j + 1) * hop].reshape(C, -1)
    return out


def spectral_noise(rng: np.random.Generator, n: int, sample_rate: int, magnitude, channels: int = 1,
                   nfft: int = 2048) -> np.ndarray:
    """Noise with a time-varying spectrum, (channels, n), synthesised directly in the STFT domain.

    ``magnitude(times_s (F, 1), freqs_hz (1, B)) -> (F, B)`` is the amplitude spectrum per
    frame. Independent random-phase frames are overlap-added with sqrt-Hann windows at 50 %
    overlap, which keeps the variance stationary: one inverse FFT per hop, no analysis FFT.
    Channels are independent (decorrelated)."""
    hop = nfft // 2
    F = n // hop + 2
    freqs = np.fft.rfftfreq(nfft, 1.0 / sample_rate)[None, :]
    times = (np.arange(F) * hop / sample_rate)[:, None]
    mag = np.asarray(magnitude(times, freqs), np.float32)
    shape = (channels, F, freqs.size)
    re, im = white(rng, shape), white(rng, shape)
    spec = np.empty(shape, np.complex64)  # (re + i im) * mag, float32 parts
    np.multiply(re, mag, out=spec.real)
    np.multiply(im, mag, out=spec.imag)
    import scipy.fft as sfft

    win = (np.sqrt(np.hanning(nfft + 1)[:nfft]) * np.sqrt(nfft / 2.0)).astype(np.float32)
    frames = sfft.irfft(spec, nfft, axis=-1)
    frames *= win
    y = np.zeros((channels, (F + 1) * hop), np.float32)
    y[:, : F * hop] += frames[:, :, :hop].reshape(channels, -1)
    y[:, hop:] += frames[:, :, hop:].reshape(channels, -1)
    return y[:, hop: hop + n].astype(np.float64)


def shaped_noise(rng: np.random.Generator, n: int, sr: int,
                 gain: Callable[[np.ndarray, np.ndarray], np.ndarray], *, channels: int = 0,
                 frame: int = 1024) -> np.ndarray:
    """White noise through the time-varying spectral ``gain(freqs_hz (F,1), times_s (1,T))``
    (same convention as :func:`stft_shape`), made by :func:`spectral_noise`; about unit RMS
    where the gain is 1. Shape (n,) or (channels, n)."""
    y = spectral_noise(rng, n, sr, lambda t, f: np.asarray(gain(f.T, t.T)).T, channels=max(channels, 1),
                       nfft=frame)
    return y if channels else y[0]


def band_gain(f: np.ndarray, center_hz, q) -> np.ndarray:
    """Magnitude of a smooth resonant band (log-frequency Gaussian) for :func:`stft_shape`.

    ``center_hz`` and ``q`` may be arrays over time (shape (1, T)); bandwidth in octaves ≈ 1/q.
    """
    # log2(f / c) as log2 f - log2 c: the logs on the small (per-bin, per-frame) axes only
    oct_ = np.subtract(np.log2(np.maximum(f, 1.0)), np.log2(np.maximum(center_hz, 1.0)))
    oct_ *= np.maximum(q, 0.05) * 1.2
    # the scaled distance is exact in float64; its square and exp run in float32 (relative
    # error ~1e-6 where the band matters: -120 dB), float32 result
    x = oct_.astype(np.float32)
    np.square(x, out=x)
    x *= np.float32(-0.5)
    np.maximum(x, np.float32(-80.0), out=x)  # (-700 dB: far bins stay out of exp's slow underflow path)
    return np.exp(x, out=x)


# ----------------------------------------------------------------------------- resonators
def modal_ir(n: int, sr: int, freqs_hz, t60_s, amps, *, phases=None, block: int = 1024) -> np.ndarray:
    """Impulse response of a modal bank: Σ a_m · exp(-ln1000·t/T60_m) · sin(2π f_m t + φ_m).

    Modes above 0.48·sr are dropped. Computed block-recursively as one complex matrix product
    (blocks × modes) @ (modes × block), so 50 modes × 5 s costs a few milliseconds. Shape (n,).
    """
    f = np.asarray(freqs_hz, np.float64).reshape(-1)
    d = np.broadcast_to(np.asarray(t60_s, np.float64), f.shape)
    a = np.broadcast_to(np.asarray(amps, np.float64), f.shape)
    ph = np.zeros_like(f) if phases is None else np.broadcast_to(np.asarray(phases, np.float64), f.shape)
    keep = (f > 0) & (f < 0.48 * sr) & (a != 0)
    if not np.any(keep) or n == 0:
        return np.zeros(n)
    f, d, a, ph = f[keep], d[keep], a[keep], ph[keep]
    sigma = -LN1000 / np.maximum(d, 1e-4) / sr  # per-sample log decay of each pole
    B = min(block, n)
    nb = -(-n // B)
    # pole**k = exp(sigma k) (cos + i sin)(omega k): real exps and sin/cos instead of complex powers
    k = np.arange(B, dtype=np.float64)
    # (exponents clamped at -100: e^-100 is flushed below anyway, and far smaller values would
    # take exp's slow underflow path)
    mag = np.exp(np.maximum(np.multiply.outer(sigma, k), -100.0))  # (M, B)
    mag[mag < TINY] = 0.0
    cyc = np.multiply.outer(f / sr, k)  # phase of pole**k in cycles
    b_re, b_im = mag * sin_cycles(cyc + 0.25), mag * sin_cycles(cyc)
    kb = np.arange(nb, dtype=np.float64) * B
    s_mag = a[None, :] * np.exp(np.maximum(np.multiply.outer(kb, sigma), -100.0))  # (nb, M)
    s_mag[np.abs(s_mag) < TINY] = 0.0
    s_cyc = ((ph - np.pi / 2) / (2 * np.pi))[None, :] + np.multiply.outer(kb, f / sr)
    # Re(start @ basis) with two real products (half the work of a complex one)
    y = (s_mag * sin_cycles(s_cyc + 0.25)) @ b_re - (s_mag * sin_cycles(s_cyc)) @ b_im
    return y.reshape(-1)[:n]


def excite(ir: np.ndarray, excitation: np.ndarray) -> np.ndarray:
    """Drive a resonator impulse response with an excitation (convolution, truncated to ir)."""
    if excitation.size <= 1:
        return ir * (excitation[0] if excitation.size else 0.0)
    return convolve_head(ir, excitation)


def convolve_sum(x: np.ndarray, kernels: np.ndarray) -> np.ndarray:
    """``sum_k x[k] * kernels[k]`` cut to n: x (K, C, n), kernels (K, L) -> (C, n) float64.

    Summed in the frequency domain: one float32 FFT per signal and kernel and one inverse per
    output channel (-140 dB rounding) instead of K convolutions or K filter banks."""
    import scipy.fft as sfft

    n = x.shape[-1]
    N = fast_fft_len(n + kernels.shape[-1] - 1)
    spec = sfft.rfft(np.asarray(x, np.float32), N, axis=-1)  # (K, C, F)
    spec *= sfft.rfft(np.asarray(kernels, np.float32), N, axis=-1)[:, None, :]
    return sfft.irfft(spec.sum(axis=0), N, axis=-1)[:, :n].astype(np.float64)


DIRECT_CONV_MAX = 64
"""Kernels up to this length are convolved directly (``np.convolve``: exact, and cheaper than
any FFT for them)."""


def convolve_head(x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """The first ``x.shape[-1]`` samples of the linear convolution of ``x`` ((n,) or (C, n))
    with the kernel ``h`` (L,), float64.

    Short kernels: direct convolution. Longer ones: one float32 FFT of a fast length (its
    -140 dB rounding error is far below anything audible), ~2x cheaper than float64
    overlap-add for the long resonator and envelope kernels the families use."""
    import scipy.fft as sfft

    n = x.shape[-1]
    h = np.asarray(h, np.float64)
    if h.size <= DIRECT_CONV_MAX:
        if x.ndim == 1:
            return np.convolve(x, h)[:n]
        return signal.oaconvolve(x, h[None, :], axes=-1)[:, :n]
    N = fast_fft_len(n + h.size - 1)
    spec = sfft.rfft(np.asarray(x, np.float32), N, axis=-1)
    spec *= sfft.rfft(h.astype(np.float32), N)
    return sfft.irfft(spec, N, axis=-1)[..., :n].astype(np.float64)


_FFT_ODD_PARTS = (1, 3, 5, 7)


def fast_fft_len(target: int) -> int:
    """The smallest length >= ``target`` of the form 2**a x (1, 3, 5 or 7): four lengths per
    octave (at most 25 % padding).

    pocketfft's real FFT is fastest per sample on lengths with few odd factors
    (``scipy.fft.next_fast_len`` also returns lengths like 2**8 x 3 x 5**4, ~30 % slower per
    sample), and few distinct lengths let its 16-plan cache serve most transforms: a new plan
    costs about half an FFT. Any length >= target gives the same convolution."""
    target = max(int(target), 2)
    best = None
    for odd in _FFT_ODD_PARTS:
        p = 1 << max(int(np.ceil(np.log2(target / odd))), 1)
        while odd * p < target:  # guard against log2 rounding
            p <<= 1
        if best is None or odd * p < best:
            best = odd * p
    return best


def resonator_bank(x: np.ndarray, sr: int, freqs_hz, t60_s, gains, *, sparse: bool = False) -> np.ndarray:
    """Filter a long excitation ``x`` (n,) through parallel two-pole resonators (one lfilter each).

    Use for continuously driven resonators (friction, flow); for struck objects prefer
    :func:`modal_ir` + :func:`excite`, which is faster for many modes. ``sparse``: as for
    :func:`sosfilt` (only the non-zero spans of a 1-D ``x`` and their ring-down are filtered).
    """
    f = np.asarray(freqs_hz, np.float64).reshape(-1)
    d = np.broadcast_to(np.asarray(t60_s, np.float64), f.shape)
    g = np.broadcast_to(np.asarray(gains, np.float64), f.shape)
    if sparse and x.ndim == 1 and f.size:
        tail = ring_len(float(np.exp(-LN1000 / (max(float(np.max(d)), 1e-4) * sr))))
        spans = active_spans(x, tail)
        if spans is not None:
            out = np.zeros(x.shape[-1])
            for a, b in spans:
                out[a:b] = resonator_bank(x[a:b], sr, f, d, g)
            return out
    y = None
    xd = x + _dither(x.shape[-1])
    for fm, dm, gm in zip(f, d, g):  # one C-level filter per mode
        if not 0 < fm < 0.48 * sr:
            continue
        r = np.exp(-LN1000 / (max(dm, 1e-4) * sr))
        w = 2 * np.pi * fm / sr
        ym = signal.lfilter([gm * (1 - r) * 2 * np.sin(w)], [1.0, -2 * r * np.cos(w), r * r], xd, axis=-1)
        if y is None:  # the first mode's output is the sum so far (0 + y exactly)
            y = ym
        else:
            y += ym
    return np.zeros_like(x, dtype=np.float64) if y is None else y


def resonator_ir(sr: int, freqs_hz, t60_s, gains) -> np.ndarray:
    """Impulse response of :func:`resonator_bank` (the sum of its resonators'), computed to
    -150 dB (2.5 x the longest T60): 2 g (1 - r) r**k sin((k + 1) w) per resonator. For driving
    many banks at once by FFT convolution. Shape (L,)."""
    f = np.asarray(freqs_hz, np.float64).reshape(-1)
    d = np.maximum(np.broadcast_to(np.asarray(t60_s, np.float64), f.shape), 1e-4)
    g = np.broadcast_to(np.asarray(gains, np.float64), f.shape)
    L = int(ENV_FLOOR_T60S * float(np.max(d)) * sr) + 1
    r = np.exp(-LN1000 / (d * sr))
    return modal_ir(L, sr, f, d, 2.0 * g * (1.0 - r), phases=2 * np.pi * f / sr)


def mallet(sr: int, *, hardness: float, mass_ms: float = 1.0) -> np.ndarray:
    """Contact-force pulse of a strike: a half-sine whose length falls with ``hardness`` in [0, 1].

    Hard strikes (short pulse) excite high modes; soft ones (long pulse, up to ``mass_ms`` ×
    6 ms) act as a low-pass. Normalised to unit sum so the low-mode level is independent of it.
    """
    dur = mass_ms * 1e-3 * (6.0 * (0.03 / 6.0) ** float(np.clip(hardness, 0, 1)))
    L = max(int(dur * sr), 1)
    p = np.sin(np.pi * (np.arange(L) + 0.5) / L)
    return p / p.sum()


def inharmonic_partials(f0_hz: float, count: int, *, stretch: float, rng: np.random.Generator | None = None,
                        jitter: float = 0.0) -> np.ndarray:
    """Stiff-bar/plate-like partials: f_k = f0 · k · sqrt(1 + B k²) with B = ``stretch`` (0 = harmonic)."""
    k = np.arange(1, count + 1, dtype=np.float64)
    f = f0_hz * k * np.sqrt(1.0 + stretch * k * k)
    if rng is not None and jitter > 0:
        f *= 1.0 + jitter * rng.uniform(-1, 1, count)
    return f


# ----------------------------------------------------------------------------- oscillators
def phase_of(freq_hz, n: int, sr: int, *, phase0: float = 0.0) -> np.ndarray:
    """Running phase in cycles from an instantaneous frequency (scalar or (n,)): cumsum(f)/sr."""
    f = np.broadcast_to(np.asarray(freq_hz, np.float64), (n,))
    ph = np.cumsum(f)
    ph /= sr
    ph += phase0
    return ph


def sin_cycles(cycles: np.ndarray) -> np.ndarray:
    """sin(2π x) of a phase ``x`` in cycles (any shape), float64.

    The phase is wrapped to [0, 1) in float64 (exact) and the sine evaluated in float32: its
    ~2e-7 error (-130 dB) is far below anything audible, and numpy's float32 sine is vectorised
    (~15x cheaper than its float64 one, the oscillators' main cost)."""
    return sin_cycles32(cycles).astype(np.float64)


def sin_cycles32(cycles: np.ndarray) -> np.ndarray:
    """:func:`sin_cycles` left in float32 (for products that need no float64)."""
    x = frac(cycles)
    x *= 2 * np.pi
    y = x.astype(np.float32)
    return np.sin(y, out=y)


def sine(freq_hz, n: int, sr: int, *, phase0: float = 0.0) -> np.ndarray:
    """Sine of (possibly time-varying) frequency."""
    return sin_cycles(phase_of(freq_hz, n, sr, phase0=phase0))


def fm(carrier_hz, n: int, sr: int, *, ratio: float, index) -> np.ndarray:
    """Two-operator FM: sin(2π∫fc + I(t)·sin(2π∫fc·ratio)); ``index`` scalar or (n,)."""
    pc = phase_of(carrier_hz, n, sr)
    mod = sin_cycles(pc * ratio)
    mod *= np.asarray(index) / (2 * np.pi)
    mod += pc
    return sin_cycles(mod)


def frac(x: np.ndarray) -> np.ndarray:
    """``np.mod(x, 1.0)`` (same values, bit for bit) at a sixth of its cost: fractional part in [0, 1)."""
    y = np.floor(x)
    return np.subtract(x, y, out=y)


def _sub_polyblep(y: np.ndarray, t: np.ndarray, freq_hz, sr: int) -> np.ndarray:
    """Subtract the polyBLEP residual of a unit saw with phase ``t`` (cycles in [0, 1)) and
    frequency ``freq_hz`` (scalar or (n,)), i.e. increment dt = f / sr, from ``y`` in place: the
    residual is non-zero only on the few samples next to a phase wrap, so only those are
    touched (for a varying frequency the candidates are found against the largest increment,
    then checked against their own)."""
    if np.ndim(freq_hz) == 0:
        dt = max(float(freq_hz) / sr, 1e-9)
        lo, hi = np.flatnonzero(t < dt), np.flatnonzero(t > 1.0 - dt)
        dlo = dhi = dt
    else:
        f = np.broadcast_to(np.asarray(freq_hz, np.float64), t.shape)
        dmax = max(float(np.max(f)) / sr, 1e-9) if f.size else 1e-9
        lo = np.flatnonzero(t < dmax)
        dlo = np.maximum(f[lo] / sr, 1e-9)
        keep = t[lo] < dlo
        lo, dlo = lo[keep], dlo[keep]
        hi = np.flatnonzero(t > 1.0 - dmax)
        dhi = np.maximum(f[hi] / sr, 1e-9)
        keep = t[hi] > 1.0 - dhi
        hi, dhi = hi[keep], dhi[keep]
    if lo.size and hi.size:  # dt > 0.5: where both apply the wrap-side (hi) value wins
        keep = ~np.isin(lo, hi)
        lo = lo[keep]
        dlo = dlo if np.ndim(dlo) == 0 else dlo[keep]
    if lo.size:
        x = t[lo] / dlo
        y[lo] -= x + x - x * x - 1.0
    if hi.size:
        x = (t[hi] - 1.0) / dhi
        y[hi] -= x * x + x + x + 1.0
    return y


def _blep_saw(t: np.ndarray, freq_hz, sr: int) -> np.ndarray:
    y = 2.0 * t
    y -= 1.0
    return _sub_polyblep(y, t, freq_hz, sr)


def saw(freq_hz, n: int, sr: int, *, phase0: float = 0.0) -> np.ndarray:
    """Band-limited (polyBLEP) sawtooth in [-1, 1]."""
    t = frac(phase_of(freq_hz, n, sr, phase0=phase0))
    return _blep_saw(t, freq_hz, sr)


def square(freq_hz, n: int, sr: int, *, duty: float = 0.5, phase0: float = 0.0) -> np.ndarray:
    """Band-limited (polyBLEP) pulse wave with duty cycle ``duty``."""
    ph = phase_of(freq_hz, n, sr, phase0=phase0)
    t2 = frac(ph + (1.0 - duty))
    t1 = frac(ph)
    s1 = _blep_saw(t1, freq_hz, sr)
    s1 -= _blep_saw(t2, freq_hz, sr)
    return s1


def harmonic_osc(freq_hz, n: int, sr: int, amps) -> np.ndarray:
    """Additive oscillator: Σ amps[k] · sin(2π (k+1) ∫f); partials above 0.45·sr are muted.

    Uses the Chebyshev recurrence sin(kθ) = 2cosθ·sin((k-1)θ) - sin((k-2)θ), so each partial
    costs two multiply-adds instead of a sine evaluation.
    """
    f = np.broadcast_to(np.asarray(freq_hz, np.float64), (n,))
    ph = phase_of(f, n, sr)
    # float32 partials (the sines are float32 already; a handful of recurrence steps stays
    # near -130 dB), summed in float32
    c2 = sin_cycles32(ph + 0.25)
    c2 *= np.float32(2.0)  # 2 cos
    s_prev, s_cur = np.zeros(n, np.float32), sin_cycles32(ph)
    fmax = float(np.max(f)) if n else 0.0
    y = np.zeros(n, np.float32)
    tmp = np.empty(n, np.float32)
    for k, a in enumerate(np.asarray(amps, np.float64), start=1):  # one vector op per partial
        if k > 1:
            nxt = np.multiply(c2, s_cur)
            nxt -= s_prev
            s_prev, s_cur = s_cur, nxt
        if a == 0:
            continue
        np.multiply(s_cur, np.float32(a), out=tmp)
        if k * fmax >= 0.45 * sr:
            tmp *= k * f < 0.45 * sr
        y += tmp
    return y.astype(np.float64)


# ----------------------------------------------------------------------------- events and grains
def poisson_onsets(rng: np.random.Generator, rate_hz, n: int, sr: int, *, start_s: float = 0.0,
                   end_s: float | None = None) -> np.ndarray:
    """Sample indices of a Poisson process with (possibly time-varying) rate, sorted.

    ``rate_hz`` is a scalar or an (n,) curve; events are drawn by thinning so bursts and
    fade-outs of density are exact.
    """
    end = n / sr if end_s is None else min(end_s, n / sr)
    if end <= start_s:
        return np.zeros(0, np.int64)
    r = np.broadcast_to(np.asarray(rate_hz, np.float64), (n,)) if np.ndim(rate_hz) else None
    rmax = float(np.max(r)) if r is not None else float(rate_hz)
    if rmax <= 0:
        return np.zeros(0, np.int64)
    k = rng.poisson(rmax * (end - start_s))
    idx = np.sort((rng.uniform(start_s, end, k) * sr).astype(np.int64))
    idx = idx[idx < n]
    if r is not None:
        idx = idx[rng.uniform(0, rmax, idx.size) < r[idx]]
    return idx


def place(n: int, onsets: np.ndarray, grains: np.ndarray, gains=1.0) -> np.ndarray:
    """Scatter-add grains at onsets: ``grains`` (L,) shared or (k, L) one per onset; shape (n,).

    Grains running past the end are truncated; overlapping grains add (``np.bincount``). For
    hundreds of long grains prefer :func:`impulses` + a convolution per grain type.
    """
    onsets = np.asarray(onsets, np.int64)
    if onsets.size == 0:
        return np.zeros(n)
    g = np.atleast_2d(grains)
    L = g.shape[1]
    if g.shape[0] == 1:
        g = np.broadcast_to(g, (onsets.size, L))
    g = g * np.broadcast_to(np.asarray(gains, np.float64), (onsets.size,))[:, None]
    idx = onsets[:, None] + np.arange(L)[None, :]
    ok = (idx < n) & (idx >= 0)
    return np.bincount(idx[ok], weights=g[ok], minlength=n)[:n]


def impulses(n: int, onsets: np.ndarray, gains=1.0) -> np.ndarray:
    """Unit impulses (times ``gains``) at ``onsets``; shape (n,)."""
    onsets = np.asarray(onsets, np.int64)
    ok = (onsets >= 0) & (onsets < n)
    w = np.broadcast_to(np.asarray(gains, np.float64), onsets.shape)[ok]
    return np.bincount(onsets[ok], weights=w, minlength=n)[:n].astype(np.float64)


def ping_grains(sr: int, freqs_hz: np.ndarray, t60_s, *, length_s: float,
                phases: np.ndarray | None = None) -> np.ndarray:
    """A batch of decaying sinusoid grains (k, L): droplets, tinkles, shards, clicks.

    Grains at or above 0.48·sr are silent (no aliasing at low sample rates).
    """
    L = max(int(length_s * sr), 2)
    t = np.arange(L) / sr
    f = np.asarray(freqs_hz, np.float64)[:, None]
    f = np.where(f < 0.48 * sr, f, 0.0)
    d = np.broadcast_to(np.asarray(t60_s, np.float64), f.shape[:1])[:, None]
    ph = 0.0 if phases is None else np.asarray(phases)[:, None]
    env = np.exp(np.maximum(-LN1000 * t / np.maximum(d, 1e-4), -100.0))  # (< TINY flushed anyway)
    return flush(sin_cycles(f * t + ph / (2 * np.pi)) * env)


def noise_grains(rng: np.random.Generator, k: int, sr: int, *, length_s: float, t60_s) -> np.ndarray:
    """A batch of k exponentially decaying white-noise bursts (k, L)."""
    L = max(int(length_s * sr), 2)
    t = np.arange(L) / sr
    d = np.broadcast_to(np.asarray(t60_s, np.float64), (k,))[:, None]
    env = np.exp(np.maximum(-LN1000 * t / np.maximum(d, 1e-4), -100.0))  # (< TINY flushed anyway)
    return flush(white(rng, (k, L)) * env)


# ----------------------------------------------------------------------------- friction, shaping
def stick_slip(rng: np.random.Generator, n: int, sr: int, *, velocity: np.ndarray, pressure: np.ndarray,
               base_rate_hz: float = 60.0, jitter: float = 0.2) -> np.ndarray:
    """Stick-slip friction excitation: a train of slip impulses whose rate follows velocity/pressure.

    Each slip releases stored elastic energy, so the impulse height grows with pressure and with
    the time stuck. ``velocity`` and ``pressure`` are (n,) curves ≥ 0; rate = base · v / (0.25 + p),
    with slow random ``jitter`` — the irregular ratchet of a creaking door or a bowed surface.
    Feed the result into a resonator (:func:`resonator_bank`). Shape (n,).
    """
    v = np.broadcast_to(np.asarray(velocity, np.float64), (n,))
    p = np.broadcast_to(np.asarray(pressure, np.float64), (n,))
    rate = base_rate_hz * v / (0.25 + p)
    rate = rate * np.exp(jitter * smooth_random(rng, n, sr, 8.0) + 0.5 * jitter * smooth_random(rng, n, sr, 40.0))
    ph = np.cumsum(rate) / sr
    cyc = np.floor(ph)
    slips = np.flatnonzero(np.diff(cyc, prepend=cyc[0]) > 0)
    if slips.size == 0:
        return np.zeros(n)
    stuck = np.diff(slips, prepend=0) / sr
    amp = (0.3 + p[slips]) * np.sqrt(np.minimum(stuck, 0.1) / 0.1) * (1 + 0.3 * rng.standard_normal(slips.size))
    return impulses(n, slips, amp)


def saturate(x: np.ndarray, drive: float) -> np.ndarray:
    """tanh waveshaper; ``drive`` in [0, 1] goes from clean to heavily saturated (level-matched)."""
    g = 1.0 + 20.0 * float(np.clip(drive, 0, 1)) ** 2
    peak = peak_abs(x) + 1e-12
    y = np.multiply(x, g / peak)
    np.tanh(y, out=y)
    y *= peak / np.tanh(g)
    return y


def normalize_peak(x: np.ndarray, peak: float = 1.0) -> np.ndarray:
    """Scale so that max |x| = ``peak`` (silence stays silence)."""
    m = peak_abs(x)
    return x * (peak / m) if m > 0 else x


def rms(x: np.ndarray) -> float:
    """Root-mean-square level of an array (linear)."""
    return float(np.sqrt(np.mean(np.square(x)))) if x.size else 0.0


def mix(*parts: tuple[float, np.ndarray]) -> np.ndarray:
    """Sum ``(gain, signal)`` pairs after RMS-normalising each signal (so gains are level ratios)."""
    out = None
    for g, s in parts:
        r = rms(s)
        y = s * (g / r) if r > 0 else s
        out = y if out is None else out + y
    return out
