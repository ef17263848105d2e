"""Moving sources: a straight-line pass-by heard by a coincident stereo pair.

What a listener at the roadside hears of a source moving at constant speed ``v`` along a
straight line whose closest distance is ``d``:

* **retarded time** -- the sound heard at time ``t`` left the source at the emission time
  ``tau`` with ``c (t - tau) = r(tau)``; for straight-line motion this is a quadratic in ``tau``
  with the closed form in :func:`straight_path`. Reading a source signal (rendered on the
  source's own clock) at ``tau(t)`` gives the **Doppler shift** exactly, ``d tau / d t =
  1 / (1 - M cos theta)`` (M = v / c, theta the angle between the velocity and the direction
  to the listener): higher while approaching, lower while receding, falling fastest at the
  closest point -- the faster and nearer the pass, the steeper the fall.
* **spherical spreading** ``d / r`` (1 at the closest point) and **convective amplification**
  ``(d tau / d t) ** k`` (a moving source is louder ahead of itself).
* **ground reflection** -- an image source under the ground (source height ``h_s``, listener
  height ``h_l``) arrives ``(r2 - r1) / c`` later with pressure reflection coefficient ``R``:
  the comb filter it makes sweeps as the geometry changes, the "phasing" heard in every
  recorded fly-by and pass-by.
* **air absorption** -- ISO 9613-1 attenuation (dB/m, 20 degrees C, 70 % relative humidity)
  along the direct path: a far source loses its highs.
* **stereo** -- a coincident pair (level differences only: ``pan = width * sin(bearing)``), so
  the image moves across with the source and the mono fold-down stays within ~1 dB.

All functions are vectorised over the output samples; nothing is stateful.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Param

SPEED_OF_SOUND_MPS = 343.0
"""Speed of sound in air at 20 degrees C (m/s)."""
CONTROL_STEP = 32
"""A pass-by's geometry is evaluated every this many samples and interpolated (it is smooth)."""

_AIR_F_HZ = np.array([63.0, 125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0])
_AIR_DB_PER_KM = np.array([0.1, 0.3, 1.1, 2.8, 5.0, 9.0, 22.9, 76.6, 280.0])
# ISO 9613-1 pure-tone attenuation at 20 C, 70 % RH (the 16 kHz value continues the ~f^2 slope)


def air_absorption_db_per_m(freq_hz) -> np.ndarray:
    """Atmospheric attenuation (dB per metre) at ``freq_hz`` (any shape): ISO 9613-1 octave-band
    values at 20 degrees C and 70 % relative humidity, interpolated on log-log axes (and
    extrapolated along the end slopes)."""
    lf = np.log(np.maximum(np.asarray(freq_hz, np.float64), 1.0))
    la, ld = np.log(_AIR_F_HZ), np.log(_AIR_DB_PER_KM)
    y = np.interp(lf, la, ld)
    lo, hi = lf < la[0], lf > la[-1]
    y = np.where(lo, ld[0] + (lf - la[0]) * (ld[1] - ld[0]) / (la[1] - la[0]), y)
    y = np.where(hi, ld[-1] + (lf - la[-1]) * (ld[-1] - ld[-2]) / (la[-1] - la[-2]), y)
    return np.exp(y) * 1e-3


@dataclass(frozen=True)
class Path:
    """One propagation path sampled at every output sample (all arrays shape (n,)).

    ``emit_s``: source-clock time of the sound heard at each output sample; ``distance_m``: path
    length at emission; ``cos_theta``: cosine of the angle between the source velocity and the
    direction to the listener (+1 straight ahead, approaching; -1 behind, receding);
    ``doppler``: received / emitted frequency ratio ``d emit_s / d t``.
    """

    emit_s: np.ndarray
    distance_m: np.ndarray
    cos_theta: np.ndarray
    doppler: np.ndarray


def straight_path(t_s: np.ndarray, *, speed_mps: float, offset_m: float, t_closest_s: float,
                  c: float = SPEED_OF_SOUND_MPS) -> Path:
    """Emission times of a source moving at ``speed_mps`` (subsonic) along a straight line whose
    closest distance to the listener is ``offset_m``, reached at source time ``t_closest_s``.

    With ``s = tau - t0`` and ``T = t - t0`` the retarded-time condition
    ``c (T - s) = sqrt(v^2 s^2 + d^2)`` gives
    ``s = (c^2 T - sqrt(c^2 v^2 T^2 + (c^2 - v^2) d^2)) / (c^2 - v^2)``. ``t_s`` (n,) are the
    listener's times.
    """
    v = float(min(abs(speed_mps), 0.95 * c))
    d = max(float(offset_m), 1e-3)
    T = np.asarray(t_s, np.float64) - t_closest_s
    c2, v2 = c * c, v * v
    root = np.sqrt(c2 * v2 * T * T + (c2 - v2) * d * d)
    s = (c2 * T - root) / (c2 - v2)
    r = c * (T - s)
    along = -v * s  # the listener's position relative to the source, along the track
    cos_t = along / np.maximum(r, 1e-9)
    dop = 1.0 / (1.0 - (v / c) * cos_t)
    return Path(emit_s=t_closest_s + s, distance_m=r, cos_theta=cos_t, doppler=dop)


def read_at(src: np.ndarray, src_start_s: float, sr: int, emit_s: np.ndarray) -> np.ndarray:
    """The source signal ``src`` (..., m), whose first sample is at source time ``src_start_s``,
    read at the emission times ``emit_s`` (n,) by linear interpolation (held at its ends)."""
    u = (np.asarray(emit_s, np.float64) - src_start_s) * sr
    if src.ndim == 1:
        return P.interp_uniform(u, src)
    return np.stack([P.interp_uniform(u, row) for row in src])


def apply_air_absorption(x: np.ndarray, sr: int, distance_m: np.ndarray) -> np.ndarray:
    """Time-varying air absorption of ``x`` ((n,) or (C, n)) along a path whose length is
    ``distance_m`` (n,) at each sample (STFT-domain gain ``10 ** (-alpha(f) r(t) / 20)``)."""
    n = x.shape[-1]
    step = max(n // 512, 1)
    tt = np.arange(0, n, step) / sr
    rr = np.asarray(distance_m, np.float64)[::step]
    alpha = air_absorption_db_per_m  # (a local name: the gain below runs once)

    def gain(f, t):
        r = np.interp(t, tt, rr)
        return np.power(10.0, -alpha(f) * r / 20.0)

    return P.stft_shape(x, sr, gain)


@dataclass(frozen=True)
class PassBy:
    """A straight-line pass-by: geometry, ground and the listening pair.

    ``speed_mps`` along the track, ``closest_m`` horizontal distance at the closest point,
    reached at ``t_closest_s`` on the listener's clock; ``source_height_m`` /
    ``listener_height_m`` above a ground with pressure reflection coefficient
    ``ground_reflection`` (0 none .. ~0.95 asphalt or water); ``convective`` the exponent of
    the convective amplification (1 for a monopole-like source, 2 for dipoles); ``width`` the
    largest pan of the coincident pair (0 mono .. 1 hard left/right; 0.6 keeps the mono
    fold-down within ~1 dB); ``direction`` +1 left to right, -1 right to left.
    """

    speed_mps: float
    closest_m: float
    t_closest_s: float
    source_height_m: float = 0.5
    listener_height_m: float = 1.6
    ground_reflection: float = 0.6
    convective: float = 1.0
    width: float = 0.6
    direction: float = 1.0
    c: float = SPEED_OF_SOUND_MPS

    def _offsets(self) -> tuple[float, float]:
        dz = self.source_height_m - self.listener_height_m
        hz = self.source_height_m + self.listener_height_m
        return float(np.hypot(self.closest_m, dz)), float(np.hypot(self.closest_m, hz))

    def _t_emit_closest(self) -> float:
        """Source-clock time of the closest point (heard at ``t_closest_s``)."""
        return self.t_closest_s - self._offsets()[0] / self.c

    def paths(self, n: int, sr: int, *, step: int = 1) -> tuple[Path, Path]:
        """The direct and the ground-reflected paths at every ``step``-th output sample (and
        the last one): ``ceil((n - 1) / step) + 1`` points."""
        t = np.minimum(np.arange(0, n - 1 + step, step), n - 1) / sr
        t0 = self._t_emit_closest()
        d1, d2 = self._offsets()
        kw = dict(speed_mps=self.speed_mps, t_closest_s=t0, c=self.c)
        return straight_path(t, offset_m=d1, **kw), straight_path(t, offset_m=d2, **kw)

    def emission_span_s(self, n: int, sr: int) -> tuple[float, float]:
        """Source-clock interval the paths read (render the source over it, plus a margin)."""
        t = np.array([0.0, (n - 1) / sr])
        t0 = self._t_emit_closest()
        d1, d2 = self._offsets()
        a = straight_path(t, speed_mps=self.speed_mps, offset_m=d1, t_closest_s=t0, c=self.c).emit_s
        b = straight_path(t, speed_mps=self.speed_mps, offset_m=d2, t_closest_s=t0, c=self.c).emit_s
        return float(min(a[0], b[0])), float(max(a[1], b[1]))

    def source_span(self, n: int, sr: int) -> tuple[float, int]:
        """(source-clock start time, sample count) of the source signal :meth:`render` needs
        for ``n`` output samples."""
        lo, hi = self.emission_span_s(n, sr)
        return lo, int(np.ceil((hi - lo) * sr)) + 4

    def render(self, src: np.ndarray, src_start_s: float, sr: int, n: int, *,
               directivity=None, air: bool = True) -> np.ndarray:
        """What the pair hears of ``src`` (m,) on the source clock from ``src_start_s``: the
        direct and ground paths (Doppler, spreading, convective gain, optional
        ``directivity(cos_theta) -> gain``), air absorption along the direct path, panned by
        bearing. Returns (2, n); 1.0 at the closest point for a unit source."""
        return self.render_sources([(src, directivity)], src_start_s, sr, n, air=air)

    def render_sources(self, sources, src_start_s: float, sr: int, n: int, *, air: bool = True) -> np.ndarray:
        """:meth:`render` for several co-located sources ``[(src (m,), directivity or None), ...]``
        of different radiation patterns (an inlet radiating forwards, an exhaust backwards):
        the paths and the air absorption are computed once. Returns (2, n)."""
        # the geometry is smooth: computed every CONTROL_STEP samples, interpolated to audio rate
        # (emission-time error ~1e-2 samples)
        direct, ground = self.paths(n, sr, step=CONTROL_STEP)
        d1, _ = self._offsets()
        u = np.arange(n) / CONTROL_STEP
        mono = np.zeros(n)
        for path, coef in ((direct, 1.0), (ground, self.ground_reflection)):
            if coef == 0.0:
                continue
            g = (coef * d1) / np.maximum(path.distance_m, 1e-3)
            g *= path.doppler ** self.convective
            emit = P.interp_uniform(u, path.emit_s)
            for src, directivity in sources:
                gs = g if directivity is None else g * directivity(path.cos_theta)
                # (gains held for CONTROL_STEP samples: they change by << 0.1 dB per step)
                mono += np.repeat(gs, CONTROL_STEP)[:n] * read_at(src, src_start_s, sr, emit)
        if air:
            mono = apply_air_absorption(mono, sr, P.interp_uniform(u, direct.distance_m))
        bearing = -self.direction * P.interp_uniform(u, direct.cos_theta)  # sin of the angle off the front
        return pan_stereo(mono, self.width * bearing)


DIRECTION = Param("direction", "Which way the source crosses the image (left to right, or right to left).",
                  choices=("left_to_right", "right_to_left"),
                  choice_words=(("left_to_right", ("from left to right",)), ("right_to_left", ("from right to left",))))
"""The pass direction parameter shared by every pass-by family (a ``Param``: the choice words
are the same everywhere)."""


def direction_sign(u: float) -> float:
    """+1 (left to right) or -1 (right to left) for the :data:`DIRECTION` slot value ``u``."""
    return 1.0 if DIRECTION.choice(u) == "left_to_right" else -1.0


def earshot_fades(n: int, sr: int, *, in_s: float, out_s: float) -> np.ndarray:
    """Gain (n,) rising from 0 over the first ``in_s`` and falling to 0 over the last ``out_s``
    seconds (squared raised-cosine ramps, ~-50 dB at 15 % of the ramp from the end): a source
    that comes from and goes beyond earshot inside the clip."""
    t = P.time_s(n, sr)
    edge = np.minimum(t / max(in_s, 1e-4), (n / sr - t) / max(out_s, 1e-4))
    return np.sin(0.5 * np.pi * np.clip(edge, 0.0, 1.0)) ** 4


def pan_stereo(x: np.ndarray, pan) -> np.ndarray:
    """Equal-power pan of mono ``x`` (n,) to (2, n); ``pan`` in [-1, 1] (scalar or (n,)):
    -1 left, 0 centre, +1 right."""
    th = (np.clip(np.asarray(pan, np.float64), -1.0, 1.0) + 1.0) * (np.pi / 4.0)
    return np.stack([x * np.cos(th), x * np.sin(th)])
