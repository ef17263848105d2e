"""Source-filter voices: glottal pulse trains through a moving vocal tract.

The model every vocalising family here (barks, howls, moos, meows, whinnies, screeches, purrs)
shares, after the source-filter theory of speech and its use for animal calls (Fant; Klatt;
Wilkinson & Reiss 2016, "A synthesis model for mammalian vocalisation sound effects"):

* **source** -- the vocal folds close once per period: a train of band-limited impulses at the
  glottal closure instants of an f0 contour (:func:`pulse_train`), with the irregularities that
  make a voice alive or harsh: *jitter* (cycle-to-cycle period noise), *shimmer* (cycle-to-cycle
  amplitude noise) and *subharmonics* (period doubling: every other cycle weaker and late, the
  rough "growl" of an aroused animal), plus aspiration *noise* pulsed with the glottal cycle
  (:func:`aspiration`). The glottal pulse's spectrum (a spectral peak near f0 and a fall above
  the tilt corner ``tilt_hz``: pressed voices are bright, lax ones dull) is applied with the tract.
* **filter** -- the vocal tract is a lossy tube of length ``tract_m`` closed at the glottis:
  resonances at odd multiples of ``c / 4L`` (long tract -> low, dense formants: a cow; short ->
  high, sparse: a cat), whose first three formants move with the articulation of each call:
  ``open`` (jaw opening raises F1), ``front`` (tongue/lip shape moves F2) and ``closed`` (mouth
  shut: the nasal murmur of an "m", highs damped). The tract is applied as a time-varying
  spectral envelope in the STFT domain (:func:`vocal_tract`), so formants glide smoothly
  with no per-sample loops.

A call is described by :class:`Call` (start, length, f0 / level / articulation breakpoints and
voice quality); :func:`render_calls` renders any number of non-overlapping calls of one animal
in one pass. Everything is vectorised: pulse instants come from the running phase of the f0
contour, impulses are placed with a short windowed-sinc kernel (alias-free at any pitch).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from sfxgen.synth import primitives as P

SPEED_OF_SOUND_M_S = 350.0
"""Speed of sound in the warm, humid air of a vocal tract (m/s)."""

_SINC_TAPS = 8


@dataclass(frozen=True)
class Call:
    """One vocalisation of one animal.

    Breakpoint tuples are ``((fraction of the call, value), ...)`` with fractions in [0, 1],
    interpolated linearly (``f0_hz`` log-linearly). ``amp`` is the call's level envelope
    (linear, peak about 1); ``open``, ``front`` and ``closed`` are the articulation in [0, 1]
    (see the module docstring). Voice quality: ``voiced`` (level of the glottal pulses: 0 makes
    an unvoiced breath, snort or hiss of ``noise`` only), ``noise`` (aspiration relative to the voiced
    source), ``jitter`` (period noise, fraction of a period, e.g. 0.01), ``shimmer`` (amplitude
    noise, fraction), ``subharmonic`` (0 none .. 1 strong period doubling), ``tilt_hz`` (glottal
    spectral-tilt corner: 1500 dull .. 8000 pressed and bright), ``peak_ratio`` (the glottal
    spectrum's peak in multiples of f0: ~1 lax, a strong fundamental .. 5 pressed, a weak
    fundamental under flat harmonics), ``vibrato_hz`` / ``vibrato_st``
    (periodic f0 modulation) and ``wobble_st`` (slow random f0 drift, semitones).
    """

    start_s: float
    dur_s: float
    f0_hz: tuple
    amp: tuple = ((0.0, 0.0), (0.1, 1.0), (0.8, 0.8), (1.0, 0.0))
    open: tuple = ((0.0, 0.5),)
    front: tuple = ((0.0, 0.5),)
    closed: tuple = ((0.0, 0.0),)
    level: float = 1.0
    voiced: float = 1.0
    noise: float = 0.1
    jitter: float = 0.01
    shimmer: float = 0.05
    subharmonic: float = 0.0
    tilt_hz: float = 3000.0
    peak_ratio: float = 1.2
    vibrato_hz: float = 0.0
    vibrato_st: float = 0.0
    wobble_st: float = 0.0


def breakpoint_curve(frac: np.ndarray, points, *, log: bool = False) -> np.ndarray:
    """Values of breakpoints ``((x, y), ...)`` at positions ``frac`` (linear, or log-linear when
    ``log`` for frequencies)."""
    pts = np.asarray(points, np.float64).reshape(-1, 2)
    if log:
        return np.exp(np.interp(frac, pts[:, 0], np.log(np.maximum(pts[:, 1], 1e-6))))
    return np.interp(frac, pts[:, 0], pts[:, 1])


def tube_formants_hz(tract_m: float, count: int = 3) -> np.ndarray:
    """Resonances (count,) of a uniform tube of length ``tract_m`` closed at one end:
    ``(2k - 1) c / 4L`` (a 17 cm human tract: 515, 1544, 2574 Hz)."""
    k = np.arange(1, count + 1)
    return (2 * k - 1) * SPEED_OF_SOUND_M_S / (4.0 * tract_m)


def articulated_formants_hz(tract_m: float, open_: np.ndarray, front: np.ndarray) -> np.ndarray:
    """The first three formants (3, T) of a tract of length ``tract_m`` for articulation tracks
    ``open_`` and ``front`` (T,) in [0, 1]: jaw opening raises F1 (0.6x closed .. 1.5x wide
    open) and lowers F2 a little, ``front`` moves F2 (0.8x back/rounded .. 1.3x front) and F3."""
    f = tube_formants_hz(tract_m, 3)[:, None]
    o = np.clip(open_, 0, 1)[None, :]
    fr = np.clip(front, 0, 1)[None, :]
    scale = np.concatenate([
        0.6 + 0.9 * o,
        (0.8 + 0.5 * fr) * (1.0 - 0.08 * o),
        1.0 + 0.15 * (fr - 0.5),
    ])
    return f * scale


def pulse_train(f0_hz: np.ndarray, amp: np.ndarray, sr: int, rng: np.random.Generator, *,
                jitter: np.ndarray | float = 0.0, shimmer: np.ndarray | float = 0.0,
                subharmonic: np.ndarray | float = 0.0, phase0: float = 0.0,
                hop: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Band-limited glottal excitation: one impulse per period of ``f0_hz`` (n,), scaled by
    ``amp`` at its instant, with per-cycle ``jitter`` (timing noise, fraction of a period),
    ``shimmer`` (log-amplitude noise) and ``subharmonic`` (every other pulse weaker and later:
    period doubling). ``amp``/``jitter``/``shimmer``/``subharmonic`` are scalars or curves with
    one value every ``hop`` samples (``hop`` 1: audio rate (n,)), read at each pulse.

    Each impulse is an 8-tap Hann-windowed sinc at its fractional position (no aliasing and no
    timing quantisation even at 2 kHz). Returns (excitation (n,), running phase in cycles (n,)).
    """
    n = f0_hz.shape[-1]
    ph = P.phase_of(f0_hz, n, sr, phase0=phase0)
    if n < 2:
        return np.zeros(n), ph
    k = np.arange(int(np.ceil(ph[0])), int(np.floor(ph[-1])) + 1)
    if k.size == 0:
        return np.zeros(n), ph
    i = np.clip(np.searchsorted(ph, k), 1, n - 1)
    frac = (k - ph[i - 1]) / np.maximum(ph[i] - ph[i - 1], 1e-12)
    t = (i - 1) + np.clip(frac, 0.0, 1.0)
    ci = np.minimum(i // hop, int(np.ceil(n / hop)) + 1)

    def at(v):
        if not np.ndim(v):
            return float(v)
        v = np.asarray(v, np.float64)
        return v[np.minimum(ci, v.size - 1)]

    a = at(amp) * np.ones(i.size)
    keep = a > 1e-5
    if not np.any(keep):
        return np.zeros(n), ph
    t, a, i, k, ci = t[keep], a[keep], i[keep], k[keep], ci[keep]
    period = sr / np.maximum(f0_hz[i], 1.0)
    j, s, sub = at(jitter), at(shimmer), at(subharmonic)
    odd = (k % 2).astype(np.float64)
    t = t + period * (np.clip(j * rng.standard_normal(t.size), -0.3, 0.3) + 0.12 * sub * odd)
    a = a * np.exp(s * rng.standard_normal(t.size)) * (1.0 - 0.75 * sub * odd)
    base = np.floor(t).astype(np.int64)
    fr = t - base
    taps = np.arange(-_SINC_TAPS // 2 + 1, _SINC_TAPS // 2 + 1)
    d = taps[None, :] - fr[:, None]
    h = np.sinc(0.9 * d) * 0.9 * (0.5 + 0.5 * np.cos(np.pi * d / (_SINC_TAPS / 2 + 0.5)))
    idx = base[:, None] + taps[None, :]
    ok = (idx >= 0) & (idx < n)
    out = np.bincount(idx[ok], weights=(a[:, None] * h)[ok], minlength=n)[:n].astype(np.float64, copy=False)
    return out, ph


def aspiration(rng: np.random.Generator, phase: np.ndarray, level: np.ndarray, f0_hz: np.ndarray,
               sr: int, *, pulsed: float = 0.6) -> np.ndarray:
    """Turbulent noise at the glottis (n,): white noise whose level follows ``level`` (n,)
    relative to a pulse train of the same amplitude (``noise`` = 1: equal power), pulsed with the
    glottal cycle (``pulsed`` 0 steady .. 1 fully in the open phase)."""
    n = phase.shape[-1]
    cyc = P.sin_cycles(phase + 0.25)  # cos of the cycle: the open phase is around the middle
    mod = 1.0 - pulsed * 0.5 * (1.0 + cyc)
    x = P.white(rng, n).astype(np.float64)
    x *= level * np.sqrt(np.maximum(f0_hz, 1.0) / sr) * mod
    return x


def tract_gain(f: np.ndarray, *, tract_m: float, f123: np.ndarray, closed: np.ndarray, f0: np.ndarray,
               tilt_hz: np.ndarray, peak_ratio: np.ndarray | float = 1.2, bandwidth: float = 1.0) -> np.ndarray:
    """Magnitude response (F, T) of glottal source spectrum x vocal tract x radiation.

    ``f`` (F, 1) Hz; per-frame tracks (T,): ``f123`` (3, T) the articulated first formants,
    ``closed`` mouth closure, ``f0``, ``tilt_hz`` and ``peak_ratio``. The tract is a lossy quarter-wave tube
    ``1 / |cos(th) + j d sin(th)|``, th = 2 pi f L / c (resonances at odd multiples of c / 4L with
    bandwidths of (60 + 0.08 f) Hz times ``bandwidth``), whose first three resonances are
    moved to ``f123`` by the ratio of two-pole resonators. The source is the glottal flow
    derivative: +6 dB/oct up to a peak at ``peak_ratio`` x f0, -6 dB/oct above, -18 dB/oct above
    ``tilt_hz`` (the return phase of the glottal pulse, second order).
    A closed mouth (``closed`` 1) damps everything above ~400 Hz by up to 25 dB (nasal murmur).
    """
    fq = np.maximum(f, 1.0).astype(np.float64)
    tube, d_old = _tube(fq[:, 0], tract_m, bandwidth)  # (F,), (F,)
    # the ratio of the moved to the resting resonators as one square root of products, in kHz
    # (float32 range)
    f2 = (fq * fq * 1e-6).astype(np.float32)  # (F, 1)
    new = np.asarray(f123, np.float32)[:, None, :] * np.float32(1e-3)  # (3, 1, T)
    fn2 = new * new
    bw = (0.06 + 0.08 * new) * np.float32(bandwidth)
    d_new = np.prod((fn2 - f2) ** 2 + f2 * bw * bw, axis=0)  # (F, T)
    gain = np.prod(fn2, axis=0) / np.float32(np.prod((tube_formants_hz(tract_m, 3) * 1e-3) ** 2))  # (1, T)
    move = np.sqrt(d_old[:, None] / d_new) * gain
    g0 = (np.maximum(f0, 20.0) * peak_ratio).astype(np.float32)[None, :]
    x = f.astype(np.float32) / g0
    src = 2.0 * x / (1.0 + x * x) / (1.0 + (f.astype(np.float32) / np.maximum(tilt_hz, 200.0).astype(np.float32)[None, :]) ** 2)
    fr = (fq / 400.0).astype(np.float32) ** 2 / (1.0 + (fq / 4000.0).astype(np.float32) ** 2)
    nasal = 1.0 + np.asarray(closed, np.float32)[None, :] * 12.0 * fr
    out = move * src
    out *= tube[:, None].astype(np.float32)
    out /= np.sqrt(nasal)
    return out


@functools.lru_cache(maxsize=64)
def _tube_cached(key: bytes, tract_m: float, bandwidth: float) -> tuple[np.ndarray, np.ndarray]:
    fq = np.frombuffer(key)
    th = 2 * np.pi * fq * tract_m / SPEED_OF_SOUND_M_S
    # losses: a resonance of the tube at f has a bandwidth of d c / (pi L); d is set so that it is
    # the two-pole resonators' (60 + 0.08 f) Hz below (the same formant shape either way)
    d = np.minimum(bandwidth * np.pi * tract_m * (60.0 + 0.08 * fq) / SPEED_OF_SOUND_M_S, 1.0)
    tube = 1.0 / np.sqrt(np.cos(th) ** 2 + (d * np.sin(th)) ** 2)
    f2 = fq * fq * 1e-6
    base = tube_formants_hz(tract_m, 3)[:, None] * 1e-3
    bw = (0.06 + 0.08 * base) * bandwidth
    d_old = np.prod((base * base - f2) ** 2 + f2 * bw * bw, axis=0)
    for a in (tube, d_old):
        a.setflags(write=False)
    return tube, d_old.astype(np.float32)


def _tube(fq: np.ndarray, tract_m: float, bandwidth: float) -> tuple[np.ndarray, np.ndarray]:
    """(lossy quarter-wave tube magnitude (F,), product of the resting resonators' squared
    denominators (F,)) for the bin frequencies ``fq`` (cached: one design per tract)."""
    return _tube_cached(np.ascontiguousarray(fq, np.float64).tobytes(), float(tract_m), float(bandwidth))


def vocal_tract(x: np.ndarray, sr: int, *, times_s: np.ndarray, tract_m: float, f123: np.ndarray,
                closed: np.ndarray, f0: np.ndarray, tilt_hz: np.ndarray, peak_ratio: np.ndarray | float = 1.2,
                bandwidth: float = 1.0, frame: int = 1024, active: np.ndarray | None = None) -> np.ndarray:
    """Filter a source ``x`` (n,) or (C, n) through :func:`tract_gain` whose per-frame tracks are given at
    ``times_s`` (T,) and interpolated to the STFT frames (Hann, 4x overlap,
    :func:`primitives.stft_shape`). ``active`` (T,) > 0 marks where the source sounds: frames
    farther than a frame from it get no gain computed (their input is silent). Returns the shape
    of ``x``."""
    ts = np.asarray(times_s, np.float64)
    pr = np.broadcast_to(np.asarray(peak_ratio, np.float64), ts.shape)
    if active is not None:
        from scipy.ndimage import maximum_filter1d

        step = max(float(ts[1] - ts[0]), 1e-6) if ts.size > 1 else 1.0
        act = maximum_filter1d((np.asarray(active) > 0).astype(np.float64), size=2 * int(frame / sr / step) + 3)
    else:
        act = None

    def gain(f, t):
        tt = t[0]
        cols = np.arange(tt.size) if act is None else np.flatnonzero(np.interp(tt, ts, act) > 0)
        out = np.zeros((f.shape[0], tt.size), np.float32)
        if cols.size:
            tc = tt[cols]
            tr = lambda v: np.interp(tc, ts, v)  # noqa: E731
            out[:, cols] = tract_gain(f, tract_m=tract_m, f123=np.stack([tr(v) for v in f123]), closed=tr(closed),
                                      f0=tr(f0), tilt_hz=tr(tilt_hz), peak_ratio=tr(pr), bandwidth=bandwidth)
        return out

    return P.stft_shape(x, sr, gain, frame=frame)


@dataclass(frozen=True)
class Controls:
    """Control curves of a set of calls: ``f0_hz`` at audio rate (n,), the rest at the control
    rate (one value every :data:`CTRL_HOP` samples) on ``times_s`` (m,): the level ``ampc``,
    articulation ``open``/``front``/``closed``, ``tilt_hz``, ``peak_ratio``, f0 ``f0c_hz``, and
    voice quality ``voiced``/``noise``/``jitter``/``shimmer``/``subharmonic``."""

    f0_hz: np.ndarray
    ampc: np.ndarray
    times_s: np.ndarray
    f0c_hz: np.ndarray
    open: np.ndarray
    front: np.ndarray
    closed: np.ndarray
    tilt_hz: np.ndarray
    peak_ratio: np.ndarray
    voiced: np.ndarray
    noise: np.ndarray
    jitter: np.ndarray
    shimmer: np.ndarray
    subharmonic: np.ndarray


CTRL_HOP = 64
"""Samples per control-rate step (1.3 ms at 48 kHz)."""


def controls(calls: list[Call], *, n: int, sr: int, rng: np.random.Generator) -> Controls | None:
    """The control curves (:class:`Controls`) of the non-overlapping ``calls`` of one voice, or
    None when no call falls inside the ``n`` samples. Between calls f0 and articulation hold
    their last values (no glides through the gaps) and the level is 0."""
    m = n // CTRL_HOP + 2
    tc = np.arange(m) * CTRL_HOP / sr
    f0c = np.full(m, np.nan)
    ampc = np.zeros(m)
    keys = ("open", "front", "closed")
    art = {k: np.full(m, np.nan) for k in keys}
    qual = {k: np.zeros(m) for k in ("voiced", "noise", "jitter", "shimmer", "subharmonic")}
    tiltc = np.full(m, np.nan)
    peakc = np.full(m, np.nan)
    for c in sorted(calls, key=lambda c: c.start_s):
        a = max(int(np.floor(c.start_s * sr / CTRL_HOP)), 0)
        b = min(int(np.ceil((c.start_s + c.dur_s) * sr / CTRL_HOP)) + 1, m)
        if b <= a:
            continue
        fr = np.clip((tc[a:b] - c.start_s) / max(c.dur_s, 1e-4), 0.0, 1.0)
        f0 = breakpoint_curve(fr, c.f0_hz, log=True)
        if c.vibrato_st:
            f0 = f0 * 2.0 ** (c.vibrato_st / 12 * P.sin_cycles(c.vibrato_hz * (tc[a:b] - c.start_s)))
        if c.wobble_st:
            f0 = f0 * 2.0 ** (c.wobble_st / 12 * P.smooth_random(rng, b - a, sr // CTRL_HOP, 6.0))
        f0c[a:b] = f0
        ampc[a:b] = np.maximum(ampc[a:b], c.level * np.clip(breakpoint_curve(fr, c.amp), 0.0, None))
        for k in keys:
            art[k][a:b] = breakpoint_curve(fr, getattr(c, k))
        for k in qual:
            qual[k][a:b] = getattr(c, k)
        tiltc[a:b] = c.tilt_hz
        peakc[a:b] = c.peak_ratio
    if np.all(np.isnan(f0c)):
        return None
    for arr, fill in ((f0c, 100.0), (tiltc, 3000.0), (peakc, 1.2), *((art[k], 0.5 if k != "closed" else 0.0) for k in keys)):
        _hold(arr, fill)
    u = np.arange(n) / CTRL_HOP
    return Controls(f0_hz=P.interp_uniform(u, f0c), ampc=ampc, times_s=tc, f0c_hz=f0c,
                    open=art["open"], front=art["front"], closed=art["closed"], tilt_hz=tiltc, peak_ratio=peakc,
                    **qual)


def excitation(ctl: Controls, *, sr: int, rng: np.random.Generator) -> np.ndarray:
    """Glottal pulses plus aspiration noise (n,) for :class:`Controls` (the source of
    :func:`render_calls` before the tract). Two excitations summed before one tract make a
    biphonic voice (two independent oscillators in one larynx, as in a horse's whinny)."""
    exc, ph = pulse_train(ctl.f0_hz, ctl.ampc * ctl.voiced, sr, rng, jitter=ctl.jitter, shimmer=ctl.shimmer,
                          subharmonic=ctl.subharmonic, hop=CTRL_HOP)
    if np.any(ctl.noise > 0):
        # first difference: +6 dB/oct, so the breath stays flat where the glottal spectrum falls
        n = ctl.f0_hz.shape[-1]
        level = P.ramp_interp(ctl.ampc * ctl.noise, 1.0 / CTRL_HOP, n)
        asp = aspiration(rng, ph, level, ctl.f0_hz, sr)
        exc[1:] += 2.0 * np.diff(asp)
    return exc


def apply_tract(x: np.ndarray, ctl: Controls, *, sr: int, tract_m: float, bandwidth: float = 1.0,
                frame: int = 1024, active: np.ndarray | None = None) -> np.ndarray:
    """:func:`vocal_tract` with the articulation tracks of ``ctl``; ``x`` (n,) or (C, n) (e.g.
    several similar voices panned, sharing one tract pass); ``active`` (control rate) marks where
    anything sounds (default: where ``ctl`` does)."""
    f123 = articulated_formants_hz(tract_m, ctl.open, ctl.front)
    return vocal_tract(x, sr, times_s=ctl.times_s, tract_m=tract_m, f123=f123, closed=ctl.closed,
                       f0=ctl.f0c_hz, tilt_hz=ctl.tilt_hz, peak_ratio=ctl.peak_ratio, bandwidth=bandwidth,
                       frame=frame, active=ctl.ampc if active is None else active)


def render_calls(calls: list[Call], *, n: int, sr: int, rng: np.random.Generator, tract_m: float,
                 bandwidth: float = 1.0, frame: int = 1024) -> np.ndarray:
    """Render the non-overlapping ``calls`` of one animal with a vocal tract of ``tract_m``
    metres into a mono (n,) signal (silence between calls; each call fades in and out with its
    ``amp`` breakpoints). Returns float64 (n,), any level.
    """
    ctl = controls(calls, n=n, sr=sr, rng=rng)
    if ctl is None:
        return np.zeros(n)
    return apply_tract(excitation(ctl, sr=sr, rng=rng), ctl, sr=sr, tract_m=tract_m, bandwidth=bandwidth,
                       frame=frame)


def _hold(arr: np.ndarray, fill: float) -> None:
    """Fill NaNs in place with the previous defined value (the next one before the first)."""
    ok = ~np.isnan(arr)
    if not ok.any():
        arr[:] = fill
        return
    idx = np.where(ok, np.arange(arr.size), 0)
    np.maximum.accumulate(idx, out=idx)
    first = int(np.argmax(ok))
    arr[:] = arr[idx]
    arr[:first] = arr[first]


def fitted_count(count: int, *, interval_s: float, call_s: float, tail_s: float, duration_s: float) -> int:
    """How many of ``count`` calls spaced ``interval_s`` apart, each ``call_s`` long and ringing
    ``tail_s`` after, fit in ``duration_s`` (at least 1): a one-shot never ends mid-call. The
    renderer and the caption words both read it, so a caption's count is the rendered count."""
    room = room_s(duration_s, tail_s) - call_s
    return int(max(1, min(count, np.floor(room / max(interval_s, 1e-3) + 1e-9) + 1)))


def room_s(duration_s: float, tail_s: float) -> float:
    """Seconds a one-shot's calls may use in a clip of ``duration_s``: all but the lead-in and
    ``tail_s`` of ring-out, or (very short clips) 60 % of the clip."""
    return max(duration_s - tail_s - LEAD_S, 0.6 * duration_s - LEAD_S, 0.01)


LEAD_S = 0.02
"""Silence before the first call (s)."""


def call_starts(rng: np.random.Generator, count: int, *, interval_s: float, jitter: float = 0.12) -> np.ndarray:
    """Start times (count,) of a series of calls ``interval_s`` apart with +-``jitter`` relative
    timing irregularity (never earlier than the nominal grid minus jitter, so a series that
    :func:`fitted_count` fitted still ends in time)."""
    k = np.arange(count)
    dev = rng.uniform(-jitter, 0.0, count) * interval_s
    dev[0] = 0.0
    return LEAD_S + k * interval_s + dev


_TIMES = {1: "once", 2: "twice", 3: "three times", 4: "four times", 5: "five times", 6: "six times"}
_NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


def times_word(count: int) -> str:
    """"once", "twice", "three times", ... ("repeatedly" past six): for counted captions."""
    return _TIMES.get(int(count), "repeatedly")


def number_word(count: int) -> str:
    """"one" .. "eight" (digits past that)."""
    return _NUMBERS.get(int(count), str(int(count)))


def series_layout(ph_count: float, *, call_s: float, gap_s: float, tail_s: float,
                  duration_s: float) -> tuple[int, float, float]:
    """A series of ``round(ph_count)`` calls ``call_s`` long with ``gap_s`` between them, fitted
    to the clip: (calls that fit, interval s, call length s). Renderer and caption words both
    call it, so the words count what is rendered."""
    call_s = min(call_s, room_s(duration_s, tail_s))
    interval = call_s + gap_s
    return (fitted_count(int(round(ph_count)), interval_s=interval, call_s=call_s, tail_s=tail_s,
                         duration_s=duration_s), interval, call_s)


def count_words(key: str, count: int, *, verb: str, plural: str) -> list[tuple[str, list[str], list[str], str]]:
    """Caption words (:attr:`sfxgen.synth.family.Family.special_words` form) for ``count``
    calls: ("meowing once") or ("meowing twice", "with two meows")."""
    if count == 1:
        return [(key, ["single"], [f"{verb} once"], "single")]
    return [(key, [], [f"{verb} {times_word(count)}", f"with {number_word(count)} {plural}"],
             times_word(count).split()[0])]


def series_words(layout, key: str, *, verb: str, plural: str, default_duration_s: float):
    """A family's ``special_words`` for a counted series: ``layout(ph, duration_s)`` returns
    (count, ...) as the renderer fits it; the words are :func:`count_words` of that count."""

    def words(ph, duration_s: float | None):
        dur = default_duration_s if duration_s is None else duration_s
        return count_words(key, layout(ph, dur)[0], verb=verb, plural=plural)

    return words


def chorus(voices, *, n: int, sr: int, rng: np.random.Generator, tract_m: float, bandwidth: float = 1.0,
           frame: int = 1024, place=None) -> np.ndarray | None:
    """Several voices through one shared tract pass (2, n): ``voices`` is a list of
    (calls, pan, level); each voice's excitation is panned (equal power) and the stereo pair is
    shaped once with the first sounding voice's articulation -- a pack or a crowd costs one
    tract pass. ``place(x (n,)) -> (n,)`` may treat each excitation first (e.g. distance). None
    when no call sounds."""
    from sfxgen.synth.physics.ambience import pan

    exc = np.zeros((2, n))
    lead = None
    active = None
    for calls, where, level in voices:
        ctl = controls(calls, n=n, sr=sr, rng=rng)
        if ctl is None:
            continue
        lead = lead or ctl
        active = ctl.ampc if active is None else np.maximum(active, ctl.ampc)
        x = excitation(ctl, sr=sr, rng=rng) * level
        exc += pan(place(x) if place is not None else x, where)
    if lead is None:
        return None
    return apply_tract(exc, lead, sr=sr, tract_m=tract_m, bandwidth=bandwidth, frame=frame, active=active)
