"""Building blocks shared by family renderers: filters with (x, freq, sr) argument order, smooth
random wander, damped modes, Poisson onsets, stereo-panned grain scattering (sine, noise and
custom grains of per-event lengths), convolution and a finishing guard.

Thin adapters over :mod:`sfxgen.synth.primitives` plus the few blocks the primitives lack. Every
family module imports from here or from ``primitives``; nothing here holds state.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P

TWO_PI = 2.0 * np.pi


# --------------------------------------------------------------------------- building blocks
# Thin adapters over sfxgen.synth.primitives (argument order x, freq, sr as used below), plus the
# few blocks the primitives lack: stereo-panned grain scattering with per-event lengths and
# chirps, rendered in rounds of non-overlapping grains.


def clamp_hz(f, sample_rate: int):
    """Clamp a frequency (scalar or array) into the safely representable band (15 Hz .. 0.45 x
    the sample rate)."""
    return np.clip(f, 15.0, 0.45 * sample_rate)


_hz = clamp_hz  # (the old private name)


white = P.white  # float32 uniform unit-variance noise, any shape (shared primitive)


def lowpass(x: np.ndarray, freq_hz: float, sample_rate: int, order: int = 2, *, sparse: bool = False) -> np.ndarray:
    """Butterworth low-pass along the last axis (:func:`primitives.lowpass`; ``sparse`` for
    inputs that are 0 over long stretches, see :func:`primitives.sosfilt`)."""
    return P.lowpass(x, sample_rate, float(freq_hz), order=order, sparse=sparse)


def highpass(x: np.ndarray, freq_hz: float, sample_rate: int, order: int = 2, *, sparse: bool = False) -> np.ndarray:
    """Butterworth high-pass along the last axis (:func:`primitives.highpass`; ``sparse`` as
    for :func:`lowpass`)."""
    return P.highpass(x, sample_rate, float(freq_hz), order=order, sparse=sparse)


def bandpass(x: np.ndarray, lo_hz: float, hi_hz: float, sample_rate: int, order: int = 2, *,
             sparse: bool = False) -> np.ndarray:
    """Butterworth band-pass between two edges (:func:`primitives.bandpass`); an upper edge near
    Nyquist makes it a high-pass."""
    return P.sosfilt(bandpass_sos(lo_hz, hi_hz, sample_rate, order), x, sparse=sparse)


def bandpass_sos(lo_hz: float, hi_hz: float, sample_rate: int, order: int = 2) -> np.ndarray:
    """The (cached, read-only) sections of :func:`bandpass`."""
    lo = float(clamp_hz(lo_hz, sample_rate))
    hi = max(float(clamp_hz(hi_hz, sample_rate)), lo * 1.05)
    if hi >= 0.449 * sample_rate:
        return P.butter_sos(order, P._nyq_clip(lo, sample_rate), "highpass", sample_rate)
    fc = 0.5 * (lo + hi)
    return P.bandpass_sos(sample_rate, fc, q=fc / (hi - lo), order=order)


def smooth_random(rng: np.random.Generator, n: int, sample_rate: int, rate_hz: float) -> np.ndarray:
    """A smooth random wander in [-1, 1], shape (n,): :func:`primitives.smooth_random` evaluated
    at a control rate well above ``rate_hz`` and interpolated (scaled to about +-1)."""
    ctrl = max(200.0, 25.0 * float(rate_hz))
    if ctrl >= sample_rate / 4:
        return np.clip(0.55 * P.smooth_random(rng, n, sample_rate, max(float(rate_hz), 1e-3)), -1.0, 1.0)
    m = int(np.ceil(n * ctrl / sample_rate)) + 2
    c = np.clip(0.55 * P.smooth_random(rng, m, int(round(ctrl)), max(float(rate_hz), 1e-3)), -1.0, 1.0)
    return P.ramp_interp(c, round(ctrl) / sample_rate, n)


def modes(freqs_hz, taus_s, amps, sample_rate: int, max_s: float = 3.0) -> np.ndarray:
    """Impulse response of damped modes with 1/e times ``taus_s`` (:func:`primitives.modal_ir`),
    as long as the slowest mode takes to fall 60 dB (at most ``max_s``)."""
    tau = np.broadcast_to(np.asarray(taus_s, float), np.shape(freqs_hz))
    L = int(min(float(np.max(tau)) * 6.9, max_s) * sample_rate) + 1
    return P.modal_ir(L, sample_rate, freqs_hz, 6.9 * tau, amps)


def onsets(rng: np.random.Generator, rate_hz, n: int, sample_rate: int, cap: int) -> np.ndarray:
    """Poisson event times in samples (:func:`primitives.poisson_onsets`; ``rate_hz`` scalar or
    (n,)), uniformly thinned to at most ``cap`` events (denser rain/babble goes to a bed)."""
    idx = P.poisson_onsets(rng, rate_hz, n, sample_rate)
    if idx.size > cap:
        idx = np.sort(rng.choice(idx, cap, replace=False))
    return idx


def pan_gains(pans: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equal-power left/right gains for pans in [-1, 1]."""
    th = (np.clip(pans, -1, 1) + 1.0) * (np.pi / 4)
    return np.cos(th), np.sin(th)


_SLICE_ADD_MIN_LEN = 512
"""Grains at least this long are added one slice each (a Python call per grain, ~1 µs) instead
of through a fancy index (a few ns per grain sample, plus an int64 index array)."""


def _scatter(n: int, batches, stereo: bool) -> np.ndarray:
    """Overlap-add batches of (starts (E,), grains (E, L), pans (E,) or None) into (1, n) or
    (2, n). Events are sorted and split into rounds in which no two grains overlap, so each round
    is one vectorised fancy-index add (no duplicates), cheaper than a scatter-add of every grain
    sample; long grains are added one slice each, in the same order. Stereo placement is
    three-position: left of centre, centre, right of centre (:data:`SIDE_PAN`, equal power), so
    the image stays whole when folded to mono (hard left/right grains would lose 3 dB)."""
    Lmax = max([g.shape[1] for _, g, _ in batches] + [1])
    m = n + Lmax
    out = np.zeros((3 if stereo else 1) * m, np.float32)  # grains are float32: so is their sum
    for starts, grains, pans in batches:
        starts = np.asarray(starts, np.int64)
        keep = np.nonzero((starts >= 0) & (starts < n))[0]
        if keep.size == 0:
            continue
        L = grains.shape[1]
        order = keep[np.argsort(starts[keep], kind="stable")]
        s = starts[order]
        base = s + (np.digitize(np.asarray(pans)[order], [-1.0 / 3.0, 1.0 / 3.0]) * m if stereo else 0)
        k = int(np.max(np.searchsorted(s, s + L) - np.arange(s.size)))
        if L >= _SLICE_ADD_MIN_LEN:  # long grains: one slice add each beats an (E, L) index array
            for r in range(k):  # same rounds, same summation order as below (bit-identical)
                for b, j in zip(base[r::k].tolist(), order[r::k].tolist()):
                    out[b: b + L] += grains[j]
            continue
        ar = np.arange(L)
        for r in range(k):  # rounds of non-overlapping grains (k = peak overlap count)
            sel = slice(r, None, k)
            out[base[sel][:, None] + ar] += grains[order[sel]]
    if not stereo:
        return out[None, :n].astype(np.float64)
    near, far = _SIDE_GAINS
    c = np.multiply(out[m: m + n], 0.70710678, dtype=np.float64)
    y = np.empty((2, n))
    left, right = out[:n].astype(np.float64), out[2 * m: 2 * m + n].astype(np.float64)
    y[0] = c + near * left + far * right
    y[1] = c + far * left + near * right
    return y


SIDE_PAN = 0.5
"""Pan position (of -1 .. 1) of the 'left' and 'right' grains and sources: equal-power gains
0.92 / 0.38, so a side source folds to mono 0.7 dB down (a hard-panned one: 3 dB)."""
_SIDE_GAINS = tuple(float(g[0]) for g in pan_gains(np.array([-SIDE_PAN])))


def place_two(x: np.ndarray, spread: float = SIDE_PAN) -> np.ndarray:
    """Two independent mono sources ``x`` (2, n) placed left and right of centre at pans
    ``-spread`` and ``+spread`` (equal power) -> (2, n), each channel as loud as before. The
    stereo image of two real sources, where two independent channels would be no image at all:
    at spread 0.5 the channels correlate ~0.7 and the mono fold-down loses 0.7 dB (3 dB for
    independent channels)."""
    gl, gr = pan_gains(np.array([-spread, spread]))
    y = np.empty(x.shape, np.result_type(x, np.float64))
    np.add(gl[0] * x[0], gl[1] * x[1], out=y[0])
    np.add(gr[0] * x[0], gr[1] * x[1], out=y[1])
    return y


def place_grains(n: int, starts: np.ndarray, grains: np.ndarray, pans: np.ndarray | None = None) -> np.ndarray:
    """Overlap-add grains (E, L) at sample ``starts`` (E,) into (1, n), or (2, n) when ``pans``
    (E,) in [-1, 1] are given; grains past the end are cut (see :func:`_scatter`)."""
    return _scatter(n, [(starts, grains, pans)], pans is not None)


def bucketed_grains(n: int, sample_rate: int, starts: np.ndarray, lengths_s: np.ndarray, make,
                    pans: np.ndarray | None = None, max_len_s: float = 1.0) -> np.ndarray:
    """Render events of different lengths efficiently: events are grouped by their length rounded
    up to a quarter-octave class, ``make(sel, t)`` returns the grains (len(sel), len(t)) of the
    events ``sel`` on the time axis ``t`` (seconds), and all are scattered in one pass.
    Returns (1, n) or (2, n) like :func:`place_grains`."""
    starts = np.asarray(starts, np.int64)
    if len(starts) == 0:
        return np.zeros((1 if pans is None else 2, n))
    L = np.clip(np.asarray(lengths_s) * sample_rate, 32, max_len_s * sample_rate)
    Lb = (2 ** (np.ceil(4 * np.log2(L)) / 4)).astype(np.int64)
    batches = []
    for lb in np.unique(Lb):
        sel = np.nonzero(Lb == lb)[0]
        t = np.arange(lb) / sample_rate
        batches.append((starts[sel], make(sel, t), None if pans is None else np.asarray(pans)[sel]))
    return _scatter(n, batches, pans is not None)


def sine_grains(n: int, sample_rate: int, starts: np.ndarray, freq_hz: np.ndarray, tau_s: np.ndarray,
                amp: np.ndarray, pans: np.ndarray | None = None, rise: float | np.ndarray = 0.0,
                max_len_s: float = 1.0) -> np.ndarray:
    """Damped sines ``amp * exp(-t/tau) * sin(2 pi int f)`` with ``f(t) = f0 (1 + rise * t / tau)``
    (``rise`` > 0: the upward chirp of a Minnaert bubble settling). One event per start."""
    f0 = clamp_hz(np.asarray(freq_hz, float), sample_rate)
    tau = np.maximum(np.asarray(tau_s, float), 2e-4)
    rise = np.broadcast_to(np.asarray(rise, float), f0.shape)
    f0 = np.minimum(f0, 0.45 * sample_rate / np.maximum(1 + 5 * rise, 1.0))

    def make(sel, t):  # amp * exp(-t/tau) * sin(2 pi f0 t (1 + rise t / (2 tau))), float32, two (E, L) buffers
        t = t.astype(np.float32)
        k = TWO_PI * f0[sel, None]
        ph = (k * rise[sel, None] / (2.0 * tau[sel, None])).astype(np.float32) * t
        ph += k.astype(np.float32)
        ph *= t
        np.sin(ph, out=ph)
        a = amp[sel, None]
        env = (-1.0 / tau[sel, None]).astype(np.float32) * t
        if np.all(a > 0):  # amp * exp(x) as exp(x + ln amp): one pass fewer
            env += np.log(a).astype(np.float32)
            np.exp(env, out=env)
        else:
            np.exp(env, out=env)
            env *= a.astype(np.float32)
        env *= ph
        return env

    return bucketed_grains(n, sample_rate, starts, 4.0 * tau, make, pans, max_len_s)


def noise_grains(rng: np.random.Generator, n: int, sample_rate: int, starts: np.ndarray, tau_s: np.ndarray,
                 amp: np.ndarray, pans: np.ndarray | None = None, max_len_s: float = 0.5) -> np.ndarray:
    """Exponentially decaying white-noise bursts (clicks, crackles, grit), one per start."""
    tau = np.maximum(np.asarray(tau_s, float), 5e-5)

    def make(sel, t):
        t = t.astype(np.float32)
        env = (-1.0 / tau[sel, None]).astype(np.float32) * t
        np.exp(env, out=env)
        env *= amp[sel, None].astype(np.float32)
        env *= white(rng, (len(sel), len(t)))
        return env

    return bucketed_grains(n, sample_rate, starts, 4.0 * tau, make, pans, max_len_s)


spectral_noise = P.spectral_noise  # random-phase STFT noise synthesis (shared primitive)


def log_bump(freqs: np.ndarray, centre_hz, width_oct: float) -> np.ndarray:
    """Gaussian bump on a log-frequency axis, standard deviation ``width_oct`` octaves
    (:func:`primitives.band_gain`)."""
    return P.band_gain(freqs, centre_hz, 1.0 / (1.2 * width_oct))


def convolve(x: np.ndarray, ir: np.ndarray) -> np.ndarray:
    """Linear convolution along the last axis, cut to the input length. A sparse mono input
    (a few impulses) is rendered by placing scaled copies of ``ir``, which is much cheaper."""
    n = x.shape[-1]
    if x.ndim == 1:
        nz = np.flatnonzero(x)
        if nz.size * ir.size < 4_000_000:
            return place_grains(n, nz, x[nz, None] * ir[None, :])[0]
    return P.convolve_head(x, ir)


def finish(x: np.ndarray) -> np.ndarray:
    """(channels, n) float32 with any NaN/inf scrubbed (never expected; a cheap guard)."""
    y = np.atleast_2d(np.asarray(x)).astype(np.float32)
    if not np.isfinite(y).all():  # the float32 cast of a finite float64 is finite here (|x| << 3e38)
        y = np.nan_to_num(np.atleast_2d(np.asarray(x, np.float64)), nan=0.0, posinf=0.0, neginf=0.0).astype(np.float32)
    return y


# --------------------------------------------------------------------------- small shared helpers


def norm_peak(x: np.ndarray) -> np.ndarray:
    """``x`` scaled to peak 1 (a tiny epsilon keeps silence silent): layers are mixed by peak."""
    return x / (P.peak_abs(x) + 1e-12)


def freq_scale(ph, size_oct: float = 1.5) -> float:
    """Frequency multiplier from a patch's pitch and size: ``pitch_ratio * 2 ** (-size_oct *
    (size - 0.5))`` (size 0.5 neutral; a bigger body sounds lower)."""
    return ph.pitch_ratio * 2.0 ** (-size_oct * (ph.size - 0.5))


def count_of(u: float, lo: int, hi: int) -> int:
    """A whole count from ``lo`` to ``hi`` for u in [0, 1] (rounded: each count gets an equal
    share of u except the two ends, which get half)."""
    return lo + int(round((hi - lo) * float(u)))


def knock(rng: np.random.Generator, n: int, sr: int, start: int, cutoff_hz: float, tau_s: float, *,
          floor_hz: float | None = None) -> np.ndarray:
    """A dull body knock (n,): low-passed noise burst (1/e time ``tau_s``) at sample ``start``,
    peak 1. Used instead of a sine thump for small mechanisms: a pure tone would ring on in the
    room as a steady line; a noise knock stays a thud. Low-passed noise is flat down to DC:
    ``floor_hz`` high-passes it there, so that a small body thuds instead of booming."""
    L = min(int(6 * tau_s * sr) + 1, max(n - start, 1))
    g = white(rng, L) * np.exp(-np.arange(L) / (tau_s * sr))
    g = lowpass(lowpass(g, cutoff_hz, sr, 2), cutoff_hz, sr, 2)
    if floor_hz is not None:
        g = highpass(g, floor_hz, sr, 2)
    out = np.zeros(n)
    out[start:start + L] = g[: n - start] / (P.peak_abs(g) + 1e-12)
    return out


def morph_wave(freq_hz, n: int, sr: int, shape: float) -> np.ndarray:
    """Oscillator (n,) morphing sine (shape 0) -> triangle (1/3) -> square (2/3) -> saw (1),
    band-limited square and saw (polyBLEP from primitives); ``freq_hz`` scalar or (n,)."""
    f = np.broadcast_to(np.asarray(freq_hz, float), (n,))
    ph = P.frac(P.phase_of(f, n, sr))  # np.mod(., 1.0), bit for bit
    x = float(np.clip(shape, 0, 1)) * 3
    seg = min(int(x), 2)
    fr = x - seg
    sine = np.sin((TWO_PI * ph).astype(np.float32)).astype(float)
    if seg == 0:
        tri = 1.0 - 4.0 * np.abs(ph - 0.5)
        return (1 - fr) * sine + fr * tri
    sq = P.square(f, n, sr)
    if seg == 1:
        tri = 1.0 - 4.0 * np.abs(ph - 0.5)
        return (1 - fr) * tri + fr * sq
    return (1 - fr) * sq + fr * P.saw(f, n, sr)
