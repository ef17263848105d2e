"""Look-ahead true-peak limiter, vectorised (no per-sample Python loop).

The side chain detects peaks on an 8x oversampled copy of the signal, taking the larger reading
of two :class:`~sfxgen.loudness.meter.TruePeakMeter` interpolators (a sharp near-ideal one and a
short leaky one such as common resamplers use), so inter-sample peaks are caught whichever kind
of meter checks the result; the gain is shared by all channels (linked, no image shift). The gain curve is built in the
dB domain from whole-signal array operations:

1. required reduction ``d[n] = max(0, 20 log10(peak_env[n] / ceiling))``;
2. hold: running maximum over the following ``hold_ms`` (the gain stays down after a peak);
3. release: exponential decay of the reduction with time constant ``release_ms``, computed
   exactly as ``e[n] = max_j d[j] a^(n-j)`` = ``a^n * cummax(d[j] a^-j)`` in log form;
4. look-ahead attack: a centred running maximum of half-width ``lookahead_ms / 2``, smoothed by
   two cascaded moving averages whose combined support fits inside that width. Averaging a
   running maximum never drops below the original at any point, so every required reduction is
   fully in place when its peak arrives, reached by a smooth S-shaped ramp over the look-ahead.

The result is verified with the same side-chain meters; if interpolation of the gain-modulated
signal leaves any overshoot (tiny, from the fast attack), the pass repeats with the ceiling
lowered by that overshoot (at most ``max_passes``). Because the whole signal is in memory the
look-ahead needs no delay line: latency is zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sfxgen.errors import ParameterError
from sfxgen.loudness.meter import TruePeakMeter

__all__ = ["LimiterResult", "TruePeakLimiter", "limit"]


@dataclass(frozen=True)
class LimiterResult:
    """audio: limited (channels, samples) float32; gain: linked gain per sample (samples,);
    max_gain_reduction_db: largest reduction applied (>= 0); true_peak_dbtp: output true peak
    as read by the limiter's own side-chain meters."""

    audio: np.ndarray
    gain: np.ndarray
    max_gain_reduction_db: float
    true_peak_dbtp: float | None


def _running_max(x: np.ndarray, before: int, after: int) -> np.ndarray:
    """y[n] = max(x[n - before : n + after + 1]) (edges clipped)."""
    from scipy.ndimage import maximum_filter1d

    size = before + after + 1
    if size <= 1:
        return x
    shift = size // 2 - before  # a centred filter covers [n - size//2, n + (size-1)//2]
    xp = np.pad(x, size, mode="edge")
    c = maximum_filter1d(xp, size=size, mode="nearest")
    return c[size + shift : size + shift + x.size]


def _moving_average(x: np.ndarray, half: int) -> np.ndarray:
    """Centred moving average over 2*half+1 samples with edge values repeated."""
    if half <= 0:
        return x
    xp = np.pad(x, half, mode="edge")
    c = np.concatenate(([0.0], np.cumsum(xp)))
    w = 2 * half + 1
    return (c[w:] - c[:-w]) / w


class TruePeakLimiter:
    """Brick-wall look-ahead true-peak limiter (pedalboard-style: ``limiter(audio, sample_rate)``).

    ceiling_dbtp: output true-peak ceiling (dBTP). lookahead_ms: attack/look-ahead, 1-5 ms.
    hold_ms: time the reduction is held after a peak. release_ms: exponential release time
    constant (dB domain). margin_db: safety margin kept under the ceiling for meters that
    interpolate differently (the output stays below ``ceiling - margin``).
    """

    def __init__(self, *, ceiling_dbtp: float = -1.0, lookahead_ms: float = 2.0, hold_ms: float = 5.0,
                 release_ms: float = 80.0, margin_db: float = 0.3, oversample: int = 8, max_passes: int = 4):
        if not -60.0 <= ceiling_dbtp <= 6.0:
            raise ParameterError(f"ceiling_dbtp must be between -60 and +6 dBTP, got {ceiling_dbtp}")
        if not 1.0 <= lookahead_ms <= 5.0:
            raise ParameterError(f"lookahead_ms must be 1-5 ms, got {lookahead_ms}")
        if hold_ms < 0 or release_ms <= 0 or margin_db < 0:
            raise ParameterError("hold_ms and margin_db must be >= 0 and release_ms > 0")
        self.ceiling_dbtp = float(ceiling_dbtp)
        self.lookahead_ms = float(lookahead_ms)
        self.hold_ms = float(hold_ms)
        self.release_ms = float(release_ms)
        self.margin_db = float(margin_db)
        self.max_passes = int(max_passes)
        # two interpolators: a sharp one (close to ideal band-limited interpolation, sees content
        # up to ~23.5 kHz) and a short, leaky one like common resamplers (reads images above
        # Nyquist); the side chain takes the larger, so meters of either kind agree with it
        self.meters = (
            TruePeakMeter(oversample=oversample, taps_per_phase=128, kaiser_beta=12.0, nfft=4096),
            TruePeakMeter(oversample=oversample, taps_per_phase=20, kaiser_beta=5.0, nfft=1024),
        )

    def gain_curve(self, peak_env: np.ndarray, sample_rate: int, ceiling: float) -> np.ndarray:
        """Linked gain (samples,) that keeps ``peak_env * gain`` under ``ceiling`` (linear)."""
        with np.errstate(divide="ignore"):
            d = np.maximum(0.0, 20.0 * np.log10(np.maximum(peak_env, 1e-30) / ceiling))
        if not np.any(d > 0):
            return np.ones_like(d)
        hold = int(round(self.hold_ms * 1e-3 * sample_rate))
        d = _running_max(d, before=hold, after=0)
        # exponential release: e[n] = max_j<=n d[j] * a^(n-j), a = exp(-1/(release samples))
        k = 1.0 / (self.release_ms * 1e-3 * sample_rate)
        n = np.arange(d.size, dtype=np.float64)
        with np.errstate(divide="ignore"):
            log_d = np.log(d)
        e = np.exp(np.maximum.accumulate(log_d + k * n) - k * n)
        e = np.maximum(e, d)
        half = max(2, int(round(self.lookahead_ms * 1e-3 * sample_rate / 2)))
        e = _running_max(e, before=half, after=half)
        e = _moving_average(_moving_average(e, half // 2), half - half // 2)
        return 10.0 ** (-e / 20.0)

    def peak(self, audio) -> float:
        """Side-chain true peak (linear): the larger reading of the two interpolators."""
        return max(m.peak(audio) for m in self.meters)

    def envelope(self, audio) -> np.ndarray:
        """Side-chain peak envelope (samples,), linked over channels. It scales linearly with
        the audio, so a caller trying several gains can compute it once (see ``envelope=``)."""
        x = np.atleast_2d(np.asarray(audio, dtype=np.float32))
        return np.maximum(*(m.envelope(x) for m in self.meters))

    def __call__(self, audio, sample_rate: int, *, envelope: np.ndarray | None = None) -> LimiterResult:
        """Limit ``audio`` (channels, samples) so its true peak stays under the ceiling.

        envelope: optional precomputed :meth:`envelope` of ``audio``.
        """
        x = np.atleast_2d(np.asarray(audio, dtype=np.float32))
        if x.shape[1] == 0:
            return LimiterResult(x, np.ones(0), 0.0, None)
        target = 10.0 ** ((self.ceiling_dbtp - self.margin_db) / 20.0)
        env = self.envelope(x) if envelope is None else np.asarray(envelope, dtype=np.float64)
        top = float(env.max())
        if top <= target:  # nothing to do: the envelope already is the side-chain true peak
            return LimiterResult(x, np.ones(x.shape[1]), 0.0, float(20.0 * np.log10(top)) if top > 0 else None)
        ceiling = target
        for _ in range(self.max_passes):
            gain = self.gain_curve(env, sample_rate, ceiling)
            y = (x * gain).astype(np.float32)
            tp = self.peak(y)
            if tp <= target:
                break
            ceiling *= target / tp * 0.999  # residual overshoot from the gain modulation
        gr = max(0.0, float(-20.0 * np.log10(gain.min())))
        return LimiterResult(y, gain, gr, float(20.0 * np.log10(tp)) if tp > 0 else None)


def limit(audio, sample_rate: int, *, ceiling_dbtp: float = -1.0, **kwargs) -> LimiterResult:
    """Convenience wrapper: ``TruePeakLimiter(ceiling_dbtp=..., **kwargs)(audio, sample_rate)``."""
    return TruePeakLimiter(ceiling_dbtp=ceiling_dbtp, **kwargs)(audio, sample_rate)
