"""Fades and trimming.

Fade-in gain g(u) for u = i / n over the fade's n samples (sample 0 gets exactly 0; the first
sample after the fade has gain 1). Fade-outs mirror it so the last sample is exactly 0.
Curves (midpoint gain in brackets):

* ``linear``: g = u (0.5, -6 dB; sums to unity in a crossfade of correlated material)
* ``equal_power``: g = sin(pi/2 u) (0.707, -3 dB; constant power in a crossfade)
* ``exponential``: g = (1000**u - 1) / 999, linear in dB over the last 60 dB (0.031); natural
  sounding fade-out tails
* ``s_curve``: g = (1 - cos(pi u)) / 2 (0.5; gentle at both ends)
"""

from __future__ import annotations

import numpy as np

from sfxgen.dsp._util import as_2d, check_range, check_rate
from sfxgen.errors import ParameterError

__all__ = ["fade", "fade_curve", "trim", "CURVES"]

CURVES = ("linear", "equal_power", "exponential", "s_curve")


def fade_curve(curve: str, u) -> np.ndarray:
    """Fade-in gain for positions ``u`` in [0, 1] (array-like)."""
    u = np.clip(np.asarray(u, dtype=np.float64), 0.0, 1.0)
    if curve == "linear":
        return u
    if curve == "equal_power":
        return np.sin(0.5 * np.pi * u)
    if curve == "exponential":
        return (1000.0**u - 1.0) / 999.0
    if curve == "s_curve":
        return 0.5 - 0.5 * np.cos(np.pi * u)
    raise ParameterError(f"fade curve must be one of {', '.join(CURVES)}; got {curve!r}")


def fade(audio, sample_rate: int, *, in_ms: float = 0.0, out_ms: float = 0.0, curve: str = "linear") -> np.ndarray:
    """Apply a fade-in of ``in_ms`` and a fade-out of ``out_ms`` (each at most the clip length)."""
    sr = check_rate(sample_rate)
    x = as_2d(audio)
    n = x.shape[1]
    dur_ms = 1000.0 * n / sr
    n_in = int(round(check_range("in_ms", in_ms, 0.0) * 1e-3 * sr))
    n_out = int(round(check_range("out_ms", out_ms, 0.0) * 1e-3 * sr))
    for name, k, ms in (("in_ms", n_in, in_ms), ("out_ms", n_out, out_ms)):
        if k > n:
            raise ParameterError(f"{name}={ms:g} is longer than the clip ({dur_ms:.1f} ms)")
    fade_curve(curve, 0.0)
    g = np.ones(n)
    if n_in:
        g[:n_in] *= fade_curve(curve, np.arange(n_in) / n_in)
    if n_out:
        g[n - n_out :] *= fade_curve(curve, np.arange(n_out)[::-1] / n_out)
    return (x * g).astype(np.float32)


def trim(audio, sample_rate: int, *, start_s: float = 0.0, end_s: float | None = None) -> np.ndarray:
    """Samples from ``start_s`` up to (not including) ``end_s`` (default: the end), a copy."""
    sr = check_rate(sample_rate)
    x = as_2d(audio)
    dur = x.shape[1] / sr
    a = int(round(check_range("start_s", start_s, 0.0) * sr))
    b = x.shape[1] if end_s is None else int(round(check_range("end_s", end_s, 0.0) * sr))
    if b > x.shape[1] + 1 or a >= b:
        raise ParameterError(
            f"trim range {start_s:g}..{end_s if end_s is not None else dur:g} s is empty or outside the clip ({dur:.3f} s)"
        )
    return x[:, a : min(b, x.shape[1])].copy()
