"""Ambience beds: many sources placed around the listener over a coherent background.

A real ambience recording is a sum of sources at different bearings and distances -- a bird
here, a car there, leaves over the whole field -- picked up by a stereo pair: each source is
*correlated* between the channels (it reaches both microphones, louder in one), and the
background is the sum of many such sources, not two independent noises. Building beds the same
way keeps the mono fold-down honest (a few tenths of a dB of loss, like a real stereo
recording) and gives the image depth:

* :func:`pan` places mono sources (equal-power) with time-varying bearings;
* :func:`air` is distance: 1/r level and air absorption (a low-pass falling with distance);
* :func:`field` is the coherent background: ``k`` mono noise sources sharing one spectrum and
  one slow swell (wind, traffic, surf, room air), each with a little independent wander, spread
  across the stereo field;
* :func:`swell` is the shared slow modulation of a bed; :func:`event_times` scatters events
  (Poisson, optionally clustered into bouts, as birds, cars and voices come and go).

Nothing loops: every bed is synthesised for its full length from the seed.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import pan_gains
from sfxgen.synth.blocks import smooth_random as wander


def pan(x: np.ndarray, pans) -> np.ndarray:
    """Mono ``x`` (n,) or k sources (k, n) with pans (scalar, (k,), or per-sample (k, n)/(n,)) in
    [-1, 1] -> (2, n) by equal-power panning (the sources summed)."""
    p = np.asarray(pans, np.float64)
    if x.ndim == 1 and p.ndim == 0:  # the common case: one source at one bearing
        gl, gr = pan_gains(p)
        out = np.empty((2, x.shape[-1]))
        np.multiply(x, float(gl), out=out[0])
        np.multiply(x, float(gr), out=out[1])
        return out
    x2 = np.atleast_2d(x)
    if p.ndim == 0:
        p = np.full(x2.shape[0], float(p))
    if p.ndim == 1 and p.shape[0] == x2.shape[-1] and x2.shape[0] == 1 and x2.shape[-1] > 1:
        p = p[None, :]
    gl, gr = pan_gains(p)
    if gl.ndim == 1 and gl.shape[0] == x2.shape[0]:  # one bearing per source: a (2, k) mix
        return np.stack([gl, gr]) @ x2
    if gl.ndim == 1:
        gl, gr = gl[:, None], gr[:, None]
    out = np.empty((2, x2.shape[-1]))
    np.sum(gl * x2, axis=0, out=out[0])
    np.sum(gr * x2, axis=0, out=out[1])
    return out


def air(x: np.ndarray, sr: int, distance_m: float, *, ref_m: float = 1.0) -> np.ndarray:
    """A source heard from ``distance_m``: level ``ref_m / distance`` and air absorption, a
    low-pass at 20 kHz x (ref / distance) ** 0.7 (a bird 10 m away keeps ~4 kHz of sparkle,
    100 m away ~1 kHz)."""
    d = max(float(distance_m), 1e-3) / ref_m
    fc = 20000.0 / d ** 0.7
    if d <= 1.05 or fc >= 0.45 * sr:
        return x / d if d >= 1.0 else x
    # the 1/r level rides in the low-pass's coefficients; a source that is silent most of the
    # time (a bird's bouts in a long bed) is filtered over its sounding spans only
    sos = P.butter_sos(1, fc, "lowpass", sr).copy()
    sos[0, :3] /= d
    return P.sosfilt(sos, x, sparse=True)


def swell(rng: np.random.Generator, n: int, sr: int, *, rate_hz: float, depth: float) -> np.ndarray:
    """A slow, shared level modulation (n,) >= 0: ``exp(depth * wander)``, wandering about
    ``rate_hz`` times a second (the breathing of wind, traffic, surf)."""
    return np.exp(depth * wander(rng, n, sr, rate_hz))


def field(rng: np.random.Generator, n: int, sr: int, magnitude: Callable, *, k: int = 2, spread: float = 0.5,
          mod: np.ndarray | None = None, wander_depth: float = 0.3, wander_hz: float = 0.3) -> np.ndarray:
    """A coherent, spatial background (2, n): ``k`` mono noise sources with the amplitude
    spectrum ``magnitude(times_s (F, 1), freqs_hz (1, B))`` (:func:`primitives.spectral_noise`),
    all following the shared swell ``mod`` (n,) and each its own small level wander, placed at
    evenly spread bearings in [-``spread``, ``spread``]. Unit RMS per source where the magnitude
    is 1. Independent sources lose some level in a mono fold-down (they do not add coherently);
    with spreads up to 0.7 (0.5 for two sources) that loss stays under 1 dB, as in real stereo
    ambience recordings."""
    src = P.spectral_noise(rng, n, sr, magnitude, channels=k)
    if wander_depth > 0:
        m = max(int(n / sr * 50) + 2, 2)
        for i in range(k):
            src[i] *= P.ramp_interp(np.exp(wander_depth * wander(rng, m, 50, wander_hz)), 50.0 / sr, n)
    if mod is not None:
        src *= mod[None, :]
    pans = np.linspace(-spread, spread, k) if k > 1 else np.zeros(1)
    return pan(src, pans) * np.sqrt(2.0 / k)


def event_times(rng: np.random.Generator, duration_s: float, rate_hz: float, *, bout_s: float = 0.0,
                bout_gap_s: float = 0.0) -> np.ndarray:
    """Event times (s): Poisson at ``rate_hz``; with ``bout_s`` > 0 the events come in bouts
    about ``bout_s`` long separated by gaps about ``bout_gap_s`` long (a bird sings, then is
    quiet). Sorted."""
    if rate_hz <= 0 or duration_s <= 0:
        return np.zeros(0)
    k = rng.poisson(rate_hz * duration_s)
    t = np.sort(rng.uniform(0.0, duration_s, k))
    if bout_s > 0 and t.size:
        period = bout_s + bout_gap_s
        phase = rng.uniform(0, period)
        t = t[((t + phase) % period) < bout_s]
    return t
