"""Render a :class:`~sfxgen.synth.patch.Patch` to audio: family source + shared stages.

``render(patch, *, duration_s, sample_rate=48000, seed=0)`` returns a ``(2, n)`` float32 array
with ``n = round(duration_s * sample_rate)``. Output is **always stereo** (downstream layering,
loudness and export then never branch on channel count); a mono source becomes stereo through
the width stage and the stereo room.

Signal chain (one pass, no per-sample Python loops):

1. **source** -- the family renderer (``sfxgen.synth.families``) makes the dry sound from the
   patch's :class:`~sfxgen.synth.patch.Physical` values with ``rng = default_rng([seed,
   Family.seed_key])``, so every render is reproducible and different seeds give different audio.
2. **sub-sonic** -- a 6th-order high-pass at 24 Hz (DC and infrasound out).
3. **attack** -- a raised-cosine fade-in over ``attack_s`` (1 ms .. 2 s; at most half the clip and
   at most until the source has delivered 60 % of its energy, so it never erases a short hit).
   Families do not apply ``attack_s`` themselves, so the knob means the same everywhere.
4. **distance** -- air absorption (a low-pass falling from 20 kHz close up to ~2.2 kHz far away)
   and a direct-level drop of up to -15.6 dB; the reverberant field does not fall with
   distance, so the direct-to-reverb ratio falls as the source moves away.
5. **width** -- mono sources gain two side-wall reflections (6.1 ms on the left, 9.7 ms on the
   right, ``0.6 * width`` each, 150 Hz .. 8 kHz); stereo sources have their side scaled by
   ``2 * width``.
6. **space** -- convolution with a room IR from :func:`sfxgen.dsp.reverb.synth_ir` (early
   reflections + diffuse tail, its stereo image a near-coincident pair's) of RT60 = ``rt60_s``
   (0.1 .. 8 s, cached per 1/8 octave); the wet level rises with ``space`` and ``distance``, the
   pre-delay with ``space``; a small, close patch stays dry (no convolution at all).
7. **end** -- exact length ``n``; a render that has decayed by its end gets a 10 ms fade-out, one
   still sounding fades out over 12 % of the clip (0.2 .. 2 s): no hard stops.
8. **hygiene** -- energy under 20 Hz held at least 33 dB under the total (further high-passes
   when needed) and the mono fold-down loss capped at 0.8 dB (the side scaled down when needed):
   see :mod:`sfxgen.synth.space`; checked again after the level stage when it limited.
9. **level** -- normalised to :data:`TARGET_LUFS` integrated loudness (BS.1770) and held
   under :data:`PEAK_CEILING_DBFS` sample peak by a look-ahead peak limiter of at most
   :data:`MAX_LIMIT_DB` gain reduction. Very peaky sources whose crest factor would need more
   limiting than that are turned down instead (never below ``MIN_LUFS``), so the
   documented loudness range is ``LOUDNESS_RANGE_LUFS`` = (``MIN_LUFS``, ``TARGET_LUFS``): every
   render's integrated loudness lies inside it (almost all within 1 dB of the target), and no
   sample exceeds -1 dBFS. Loudness is BS.1770 integrated loudness as
   :func:`sfxgen.loudness.meter.measure` reads it (the level stage uses that meter itself).
"""

from __future__ import annotations

import numbers

import numpy as np

from sfxgen.errors import ParameterError
from sfxgen.loudness.meter import integrated_lufs
from sfxgen.synth.patch import Patch
from sfxgen.synth.space import chain, limit_side, subsonic_guard

TARGET_LUFS = -20.0
"""Integrated loudness every render aims for (LUFS)."""
MAX_LIMIT_DB = 8.0
"""Largest peak-limiter gain reduction the level stage applies to reach the target (dB)."""
PEAK_CEILING_DBFS = -1.0
"""No output sample exceeds this (dBFS)."""
MIN_LUFS = -30.0
"""Quietest integrated loudness a render may have (extremely peaky one-shots; dB)."""
LOUDNESS_RANGE_LUFS = (MIN_LUFS, TARGET_LUFS)
MIN_DURATION_S, MAX_DURATION_S = 0.05, 30.0
MIN_RATE, MAX_RATE = 8000, 192000


def check_inputs(patch, duration_s, sample_rate, seed) -> tuple[int, int, int]:
    """Validate render arguments; returns (n_samples, sample_rate, seed) or raises ParameterError."""
    if not isinstance(patch, Patch):
        raise ParameterError(f"render needs a sfxgen.synth.Patch, got {type(patch).__name__}")
    if isinstance(duration_s, bool) or not isinstance(duration_s, numbers.Real) or not np.isfinite(duration_s):
        raise ParameterError(f"duration_s must be a number of seconds, got {duration_s!r}")
    if not MIN_DURATION_S <= float(duration_s) <= MAX_DURATION_S:
        raise ParameterError(
            f"duration_s must be between {MIN_DURATION_S} and {MAX_DURATION_S} seconds, got {duration_s}"
        )
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, numbers.Integral):
        raise ParameterError(f"sample_rate must be a whole number of Hz, got {sample_rate!r}")
    if not MIN_RATE <= int(sample_rate) <= MAX_RATE:
        raise ParameterError(f"sample_rate must be between {MIN_RATE} and {MAX_RATE} Hz, got {sample_rate}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or int(seed) < 0:
        raise ParameterError(f"seed must be a non-negative whole number, got {seed!r}")
    sr = int(sample_rate)
    return int(round(float(duration_s) * sr)), sr, int(seed)


def render(patch: Patch, *, duration_s: float, sample_rate: int = 48000, seed: int = 0) -> np.ndarray:
    """Render ``patch`` to a ``(2, round(duration_s * sample_rate))`` float32 array.

    Deterministic per ``seed``; loudness within :data:`LOUDNESS_RANGE_LUFS`, sample peak at most
    -1 dBFS. Raises ParameterError for a bad patch, duration (0.05..30 s), sample rate
    (8..192 kHz) or seed (non-negative int).
    """
    from sfxgen.synth.families import renderers

    n, sr, seed = check_inputs(patch, duration_s, sample_rate, seed)
    ph = patch.physical()
    rng = np.random.default_rng([seed, patch.info.seed_key])
    renderer = renderers().get(patch.family)
    if renderer is None:
        raise ParameterError(f"the sound family {patch.family!r} has no renderer yet")
    dry = np.asarray(renderer(ph, n=n, sample_rate=sr, rng=rng))
    if dry.dtype not in (np.float32, np.float64):  # (float32 sources go to float64 in the DC block)
        dry = dry.astype(np.float64)
    if dry.ndim == 1:
        dry = dry[None, :]
    if dry.shape[-1] != n or dry.shape[0] not in (1, 2):
        raise RuntimeError(f"{patch.family} renderer returned shape {dry.shape}, expected (1|2, {n})")
    # (no subnormal flush needed: every filter below adds a -500 dB dither, see primitives.sosfilt)
    # max and min propagate NaN and +-inf, so both finite means every sample is (no isfinite pass)
    hi, lo = float(np.max(dry)), float(np.min(dry))
    if np.isfinite(hi) and np.isfinite(lo):
        peak = max(hi, -lo)
    else:
        dry = np.nan_to_num(dry, nan=0.0, posinf=0.0, neginf=0.0)
        peak = _peak(dry)
    if peak <= 0:
        raise RuntimeError(f"{patch.family} renderer returned silence")
    # sub-sonic filter, attack, distance, width, space and end (see space.chain); the sub-sonic
    # guard and the stereo-image cap; the level stage (a pure gain keeps both shares, so only a
    # limited render is checked again)
    st = subsonic_guard(chain(dry, sr, ph, gain=1.0 / peak), sr)
    _, lufs = limit_side(st, sr, target_lufs=TARGET_LUFS)
    y, limited = _level(st, sr, lufs)
    return hygiene(y, sr) if limited else y


def hygiene(y: np.ndarray, sr: int) -> np.ndarray:
    """The checks on a levelled render (2, n) that the level stage's limiter can upset: limiting
    a peaky transient (mostly mid, mostly high frequencies) raises the side's and the sub-20 Hz
    share. The stereo image is capped (:func:`sfxgen.synth.space.limit_side`, the loudness it
    takes made up under the peak ceiling) and the sub-sonic guard runs again
    (:func:`sfxgen.synth.space.subsonic_guard`; the K-weighted loudness does not move)."""
    ceiling = 10 ** (PEAK_CEILING_DBFS / 20)
    z = y  # (the level stage's own output: changed in place)
    for _ in range(3):  # (BS.1770's gates move with the level: checked again after the make-up)
        before, after = limit_side(z, sr, target_lufs=TARGET_LUFS)
        if before is None or after >= before:
            break
        z *= np.float32(min(10 ** ((before - after) / 20), ceiling / max(_peak(z), 1e-30)))
    w = subsonic_guard(z, sr)
    if w is z:
        return z
    top = _peak(w)
    if top > ceiling:
        w *= ceiling / top
    limit_side(w, sr, target_lufs=TARGET_LUFS)
    return w.astype(np.float32)


def _peak(x: np.ndarray) -> float:
    """max |x| without an |x| temporary (same value)."""
    return float(max(np.max(x), -np.min(x)))


# ----------------------------------------------------------------------------- level
def limit_peaks(x: np.ndarray, sr: int, ceiling: float) -> np.ndarray:
    """Look-ahead peak limiter, linked stereo, vectorised.

    Required gain ``min(1, ceiling/|x|)`` → running minimum over ±4 ms → two ±2 ms moving
    averages (a triangular smoothing). Because the averaging span never exceeds the minimum's
    span, the smoothed gain is never above the required gain: no sample ends above ``ceiling``,
    and the gain dips start before the peak (look-ahead) without clicks.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    mag = np.max(np.abs(x), axis=0)
    if mag.max() <= ceiling:
        return x
    h = max(int(0.002 * sr), 1)
    need = np.minimum(1.0, ceiling / np.maximum(mag, 1e-12))
    g = minimum_filter1d(need, size=4 * h + 1, mode="nearest")
    g = uniform_filter1d(g, size=2 * h + 1, mode="nearest")
    g = uniform_filter1d(g, size=2 * h + 1, mode="nearest")
    return x * np.minimum(g, need)


def level(x: np.ndarray, sr: int) -> np.ndarray:
    """Normalise to :data:`TARGET_LUFS` under the -1 dBFS ceiling (see module docstring).

    Meters at most three times, usually once or twice: once for the gain; when that gain
    needs peak limiting, once more after limiting, whose loudness loss is then made up (within
    the limiter's budget) by limiting the source again at a gain raised by that loss; a third
    reading only checks (and trims) the rare case that is still more than 0.5 dB off. A source
    so peaky that even the full budget leaves it near :data:`MIN_LUFS` is limited harder.
    """
    return _level(x, sr)[0]


def _level(x: np.ndarray, sr: int, lufs: float | None = None) -> tuple[np.ndarray, bool]:
    """:func:`level` and whether it limited (False: a pure gain); ``lufs``: the integrated
    loudness of ``x`` when already measured."""
    ceiling = 10 ** (PEAK_CEILING_DBFS / 20)
    max_gain_over_peak = ceiling * 10 ** (MAX_LIMIT_DB / 20)
    if lufs is None:
        lufs = integrated_lufs(x, sr)
    peak = _peak(x)
    if lufs is None or peak <= 0:
        raise RuntimeError("render produced silence")
    gain = 10 ** ((TARGET_LUFS - lufs) / 20)
    if gain * peak <= ceiling:  # no limiting needed: the loudness is exactly on target
        return np.multiply(x, gain, out=np.empty(x.shape, np.float32), casting="same_kind"), False
    g_max = max_gain_over_peak / peak
    g = min(gain, g_max)
    y = limit_peaks(x * g, sr, ceiling)
    got = integrated_lufs(y, sr)
    if TARGET_LUFS - got > 0.05 and g < g_max:  # limiting lost loudness: make it up within the budget
        g = min(g * 10 ** ((TARGET_LUFS - got) / 20), g_max)
        y = limit_peaks(x * g, sr, ceiling)
        got = integrated_lufs(y, sr)
        if abs(TARGET_LUFS - got) > 0.5 and g < g_max:
            y = limit_peaks(y * min(10 ** ((TARGET_LUFS - got) / 20), g_max / g), sr, ceiling)
            got = integrated_lufs(y, sr)
    for _ in range(4):  # extreme crest factor (rare): limit harder rather than leave the range
        if got >= MIN_LUFS + 0.5:
            break
        g *= 10 ** ((MIN_LUFS + 1.0 - got) / 20)
        y = limit_peaks(x * g, sr, ceiling)
        got = integrated_lufs(y, sr)
    peak = _peak(y)
    if peak > ceiling:
        y = y * (ceiling / peak)
    return y.astype(np.float32), True
