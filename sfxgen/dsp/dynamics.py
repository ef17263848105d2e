"""Dynamics: feed-forward compressor, noise gate and plain gain.

The compressor follows Giannoulis, Massberg & Reiss, "Digital Dynamic Range Compressor Design"
(JAES 2012): level detection in dB, a static gain computer with a quadratic soft knee, then a
"smooth decoupled" peak detector on the gain reduction (GR) in dB::

    y1[n] = max(x[n], a_R * y1[n-1] + (1 - a_R) * x[n])     # instant attack, release to x
    y[n]  = a_A * y[n-1] + (1 - a_A) * y1[n]                # attack smoothing

The second line is linear (``scipy.signal.lfilter``). The first is computed exactly without a
per-sample loop: with L the linear release filter of x started from zero and d = x - L,
``y1[n] = L[n] + max_{k<=n} a_R**(n-k) * d[k]``, a running maximum of exponentially weighted
values, evaluated in blocks short enough that ``a_R**-k`` stays finite (a loop over blocks only).

Time constants: ``attack_ms``/``release_ms`` are the times to cover 1 - 1/e (63%) of a GR step.
Because a release passes through the attack smoother too, the release pole is solved so that the
cascade of both poles reaches 63% at ``release_ms`` (releases shorter than the attack come out
equal to the attack time).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sfxgen.dsp._util import SettingsMixin, as_2d, check_range, check_rate
from sfxgen.errors import ParameterError

__all__ = ["gain_db", "Compressor", "Gate", "static_curve_db", "smooth_gain_db"]


def gain_db(audio, gain_db: float) -> np.ndarray:
    """Scale audio by ``gain_db`` decibels; returns float32 of the same shape."""
    x = as_2d(audio, allow_empty=True)
    g = check_range("gain_db", gain_db, -200.0, 100.0)
    return (x.astype(np.float64) * 10.0 ** (g / 20.0)).astype(np.float32)


def _coef(time_ms: float, sr: int) -> float:
    """One-pole coefficient reaching 63% of a step after ``time_ms`` (0 ms: instantaneous)."""
    n = time_ms * 1e-3 * sr
    return float(np.exp(-1.0 / n)) if n > 0 else 0.0


def _t63(t1: float, t2: float) -> float:
    """Time (same unit) at which two cascaded one-poles (time constants t1, t2) reach 1 - 1/e."""
    if min(t1, t2) <= 0:
        return max(t1, t2)
    if abs(t1 - t2) < 1e-9 * max(t1, t2):
        t1 = t2 * (1 + 1e-6)
    target = np.exp(-1.0)
    lo, hi = 0.0, 10.0 * (t1 + t2)
    for _ in range(60):
        t = 0.5 * (lo + hi)
        rest = (t1 * np.exp(-t / t1) - t2 * np.exp(-t / t2)) / (t1 - t2)
        lo, hi = (t, hi) if rest > target else (lo, t)
    return 0.5 * (lo + hi)


def _release_pole_ms(release_ms: float, attack_ms: float) -> float:
    """Release pole time constant that makes release-then-attack smoothing reach 63% at release_ms.

    Releases shorter than the attack cannot be reached (the attack smoother also acts on falls);
    they come out equal to the attack time.
    """
    if attack_ms <= 0 or release_ms <= 0:
        return release_ms
    if release_ms <= attack_ms * 1.0001:
        return 0.0
    lo, hi = 0.0, release_ms
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _t63(mid, attack_ms) < release_ms else (lo, mid)
    return 0.5 * (lo + hi)


def _decaying_running_max(d: np.ndarray, a: float) -> np.ndarray:
    """m[n] = max_{k<=n} a**(n-k) * d[k] along the last axis (exact; loop over blocks only)."""
    if a <= 0.0:
        return d.copy()
    lna = np.log(a)
    block = int(max(1, min(d.shape[-1], np.floor(600.0 / -lna))))
    out = np.empty_like(d)
    carry = np.full(d.shape[:-1], -np.inf)
    for s in range(0, d.shape[-1], block):
        seg = d[..., s : s + block]
        k = np.arange(seg.shape[-1])
        up = np.exp(-lna * k)  # a**-k, at most e**600
        m = np.maximum.accumulate(seg * up, axis=-1)
        m = np.maximum(m, carry[..., None])
        out[..., s : s + block] = m / up
        # carry in the next block's frame: value at the next index = a * last value
        carry = out[..., s + seg.shape[-1] - 1] * a
    return out


def smooth_gain_db(target_db: np.ndarray, sample_rate: int, *, attack_ms: float, release_ms: float) -> np.ndarray:
    """Smooth a gain trajectory (dB) with separate rise (attack) and fall (release) times.

    Rises of ``target_db`` are followed with the attack time, falls with the release time
    (smooth decoupled peak detector, see module docstring). Works along the last axis.
    """
    from scipy.signal import lfilter

    sr = check_rate(sample_rate)
    att = check_range("attack_ms", attack_ms, 0.0, 5000.0)
    rel = check_range("release_ms", release_ms, 0.0, 20000.0)
    x = np.asarray(target_db, dtype=np.float64)
    a_r = _coef(_release_pole_ms(rel, att), sr)
    a_a = _coef(att, sr)
    # Start from the first target value (no artificial onset transient).
    x0 = x[..., :1]
    xs = x - x0
    lin = lfilter([1.0 - a_r], [1.0, -a_r], xs, axis=-1)
    y1 = lin + _decaying_running_max(xs - lin, a_r)
    if a_a > 0.0:
        y1 = lfilter([1.0 - a_a], [1.0, -a_a], y1, axis=-1)
    return y1 + x0


def static_curve_db(level_db, *, threshold_db: float, ratio: float, knee_db: float = 0.0) -> np.ndarray:
    """Compressor gain computer: output level (dB) for input level (dB), quadratic soft knee."""
    x = np.asarray(level_db, dtype=np.float64)
    t, r, w = threshold_db, ratio, knee_db
    over = x - t
    y = np.where(over > 0, t + over / r, x)
    if w > 0:
        inknee = np.abs(over) <= w / 2
        y = np.where(inknee, x + (1.0 / r - 1.0) * (over + w / 2) ** 2 / (2 * w), y)
    return y


def _detect_db(x: np.ndarray, sr: int, detector: str, rms_window_ms: float, link: bool) -> np.ndarray:
    """Detector level in dB, shape (1 or C, n)."""
    if detector == "peak":
        lvl = np.abs(x).astype(np.float64)
        lvl = lvl.max(axis=0, keepdims=True) if link else lvl
        return 20.0 * np.log10(np.maximum(lvl, 1e-10))
    if detector == "rms":
        from scipy.ndimage import uniform_filter1d

        p = x.astype(np.float64) ** 2
        p = p.mean(axis=0, keepdims=True) if link else p
        win = max(1, int(round(rms_window_ms * 1e-3 * sr)))
        p = uniform_filter1d(p, size=win, axis=-1, mode="nearest")
        return 10.0 * np.log10(np.maximum(p, 1e-20)) + 3.0103  # sine RMS reads as its peak
    raise ParameterError(f"detector must be 'peak' or 'rms'; got {detector!r}")


def _lookahead_max(x: np.ndarray, n: int) -> np.ndarray:
    """max(x[i .. i+n]) along the last axis."""
    if n <= 0:
        return x
    from scipy.ndimage import maximum_filter1d

    return maximum_filter1d(x, size=n + 1, axis=-1, origin=-((n + 1) // 2), mode="nearest")


@dataclass
class Compressor(SettingsMixin):
    """Feed-forward compressor, ``Compressor(threshold_db=-20, ratio=4)(audio, sample_rate)``.

    Args:
        threshold_db: level (dBFS, detector scale: a sine reads its peak) where compression starts.
        ratio: input dB over threshold per output dB (>= 1; 1000 acts as a brick wall).
        attack_ms / release_ms: 63% times of gain-reduction increase / decrease.
        knee_db: width of the quadratic soft knee centred on the threshold (0 = hard knee).
        makeup_db: gain after compression.
        detector: ``"peak"`` (sample magnitude) or ``"rms"`` (moving RMS over ``rms_window_ms``).
        stereo_link: one gain for all channels from the loudest channel (peak) or the mean
            power (rms); otherwise each channel is compressed on its own.
        lookahead_ms: the gain computer sees this far ahead (sliding maximum), so the gain is
            already down when a transient arrives; no latency is added (offline processing).
    """

    threshold_db: float = -18.0
    ratio: float = 4.0
    attack_ms: float = 10.0
    release_ms: float = 100.0
    knee_db: float = 6.0
    makeup_db: float = 0.0
    detector: str = "peak"
    rms_window_ms: float = 10.0
    stereo_link: bool = True
    lookahead_ms: float = 0.0

    def _check(self):
        check_range("threshold_db", self.threshold_db, -120.0, 24.0)
        check_range("ratio", self.ratio, 1.0, 1000.0)
        check_range("knee_db", self.knee_db, 0.0, 48.0)
        check_range("makeup_db", self.makeup_db, -60.0, 60.0)
        check_range("rms_window_ms", self.rms_window_ms, 0.0, 1000.0, lo_open=True)
        check_range("lookahead_ms", self.lookahead_ms, 0.0, 100.0)

    def gain_reduction_db(self, audio, sample_rate: int) -> np.ndarray:
        """Smoothed gain reduction (dB, >= 0), shape (1, n) when linked else (C, n)."""
        self._check()
        sr = check_rate(sample_rate)
        x = as_2d(audio)
        lvl = _detect_db(x, sr, self.detector, self.rms_window_ms, self.stereo_link)
        gr = lvl - static_curve_db(lvl, threshold_db=self.threshold_db, ratio=self.ratio, knee_db=self.knee_db)
        gr = _lookahead_max(gr, int(round(self.lookahead_ms * 1e-3 * sr)))
        return np.maximum(smooth_gain_db(gr, sr, attack_ms=self.attack_ms, release_ms=self.release_ms), 0.0)

    def __call__(self, audio, sample_rate: int) -> np.ndarray:
        """Compress (channels, n) audio; returns float32 of the same shape."""
        x = as_2d(audio)
        gr = self.gain_reduction_db(x, sample_rate)
        g = 10.0 ** ((self.makeup_db - gr) / 20.0)
        return (x.astype(np.float64) * g).astype(np.float32)


@dataclass
class Gate(SettingsMixin):
    """Noise gate/downward expander: below ``threshold_db`` the gain falls by up to ``range_db``.

    ``ratio`` is the expansion ratio below threshold (large = hard gate); ``attack_ms`` opens,
    ``hold_ms`` keeps it open after the level drops, ``release_ms`` closes. Peak detector,
    channels linked.
    """

    threshold_db: float = -50.0
    range_db: float = 60.0
    ratio: float = 10.0
    attack_ms: float = 1.0
    hold_ms: float = 20.0
    release_ms: float = 100.0

    def gain_db(self, audio, sample_rate: int) -> np.ndarray:
        """Gate gain (dB, between -range_db and 0), shape (1, n)."""
        from scipy.ndimage import maximum_filter1d

        sr = check_rate(sample_rate)
        check_range("threshold_db", self.threshold_db, -160.0, 24.0)
        rng = check_range("range_db", self.range_db, 0.0, 200.0)
        ratio = check_range("ratio", self.ratio, 1.0, 1000.0)
        hold = int(round(check_range("hold_ms", self.hold_ms, 0.0, 10000.0) * 1e-3 * sr))
        x = as_2d(audio)
        lvl = _detect_db(x, sr, "peak", 0.0, True)
        under = np.minimum(lvl - self.threshold_db, 0.0)
        g = np.maximum(under * (ratio - 1.0), -rng)
        if hold > 0:  # hold the opening: gain can only fall after `hold` samples
            g = maximum_filter1d(g, size=hold + 1, axis=-1, origin=hold // 2, mode="nearest")
        return smooth_gain_db(g, sr, attack_ms=self.attack_ms, release_ms=self.release_ms)

    def __call__(self, audio, sample_rate: int) -> np.ndarray:
        x = as_2d(audio)
        g = 10.0 ** (self.gain_db(x, sample_rate) / 20.0)
        return (x.astype(np.float64) * g).astype(np.float32)
