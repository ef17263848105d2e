"""Small-animal sound sources: FM tone syllables (bird song, cricket stridulation), resonant click
trains (insect and creature chitter), insect wing-beat buzz and bird wing flaps.

* **Syllables** (:class:`Syllables`, :func:`render_syllables`): a bird's syrinx and a cricket's
  wing both make nearly pure tones whose frequency is swept within each syllable (a chirp: up,
  down, arched, hooked, warbled or flat; Farnell, *Designing Sound*, "Birds"; Fletcher's syrinx
  model), with weak harmonics. All syllables of one animal are rendered at once: each sample
  knows its syllable and its place in it, so the frequency track, the amplitude envelope and the
  phase come out of a few array operations, however many syllables there are.
* **Clicks** (:func:`click_train`): an exoskeleton or mandible snap is a very short impulse
  ringing a few stiff, heavily damped modes (3-12 kHz) plus a burst of noise; chitter is a fast
  train of them grouped in bursts (:func:`burst_times`).
* **Wing-beat buzz** (:func:`wingbeat`): a flying insect's wings push the air once per stroke:
  a pulse train at the wing-beat rate (mosquito ~550 Hz, bee ~230 Hz, bumblebee ~150 Hz), the
  downstroke stronger than the upstroke, whose harmonics fall off above a few kHz.
* **Wing flaps** (:func:`wing_flaps`): each downstroke of a bird or bat is a puff of air -- a
  noise burst with a soft onset, band-limited by the wing's size -- with feather rustle on top;
  the upstroke is weaker.

Pure functions of arrays, ``sr`` and ``rng``; no per-sample Python loops.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import bucketed_grains, sine_grains
from sfxgen.synth.physics.voice import pulse_train

# syllable shapes: frequency offset in octaves over the syllable, x in [0, 1], depth d octaves
SHAPES = ("flat", "up", "down", "arch", "hook", "warble")


@dataclass(frozen=True)
class Syllables:
    """Non-overlapping tone syllables of one animal, one entry per syllable (arrays of equal
    length E): ``start_s``, ``dur_s``, ``freq_hz`` (the syllable's centre frequency), ``shape``
    (index into :data:`SHAPES`), ``depth_oct`` (sweep depth in octaves), ``amp`` (peak level),
    ``attack`` (fraction of the syllable to its peak, 0.05 .. 0.9) and ``cycles`` (warble cycles
    per syllable)."""

    start_s: np.ndarray
    dur_s: np.ndarray
    freq_hz: np.ndarray
    shape: np.ndarray
    depth_oct: np.ndarray
    amp: np.ndarray
    attack: np.ndarray
    cycles: np.ndarray

    @classmethod
    def build(cls, start_s, dur_s, freq_hz, shape, depth_oct, amp, attack=0.2, cycles=3.0) -> "Syllables":
        """Broadcast the fields to E syllables (E = len(start_s))."""
        e = np.asarray(start_s, np.float64).reshape(-1)
        b = [np.broadcast_to(np.asarray(v, np.float64), e.shape).copy()
             for v in (dur_s, freq_hz, shape, depth_oct, amp, attack, cycles)]
        return cls(e, *b)


def _shape_oct(x: np.ndarray, shape: np.ndarray, d: np.ndarray, cycles: np.ndarray) -> np.ndarray:
    """Frequency offset (octaves) of each sample at fraction ``x`` of its syllable."""
    out = np.zeros_like(x)
    for k, name in enumerate(SHAPES):
        m = shape == k
        if not np.any(m):
            continue
        xs, ds = x[m], d[m]
        if name == "up":
            out[m] = ds * (xs ** 0.7 - 0.5)
        elif name == "down":
            out[m] = ds * (0.5 - xs ** 0.7)
        elif name == "arch":
            out[m] = ds * (np.sin(np.pi * xs) - 0.5)
        elif name == "hook":
            out[m] = ds * ((2.0 * xs - 0.8) ** 2 - 0.3)
        elif name == "warble":
            out[m] = 0.5 * ds * P.sin_cycles(cycles[m] * xs)
        else:
            out[m] = 0.03 * ds * (xs - 0.5)
    return out


def syllable_index(n: int, sr: int, start_s: np.ndarray, dur_s: np.ndarray):
    """For syllables (sorted; each cut where the next begins, or dropped when that leaves less
    than half of it): the sample indices they cover (M,), which syllable each belongs to (M,)
    and its fraction through it (M,)."""
    s = np.clip(np.round(np.asarray(start_s) * sr).astype(np.int64), 0, n)
    L = np.maximum(np.round(np.asarray(dur_s) * sr).astype(np.int64), 1)
    order = np.argsort(s, kind="stable")
    s, L = s[order], L[order]
    nxt = np.r_[s[1:], n]
    cut = np.clip(np.minimum(L, nxt - s), 0, None)
    # a syllable cut to less than half its length by the next one is dropped (no clicks)
    L = np.where(cut * 2 >= L, cut, 0)
    tot = int(L.sum())
    which = np.repeat(order, L)
    local = np.arange(tot) - np.repeat(np.cumsum(L) - L, L)
    idx = np.repeat(s, L) + local
    frac = local / np.repeat(np.maximum(L, 1), L)
    return idx, which, frac


def render_syllables(syl: Syllables, *, n: int, sr: int, harmonics=(1.0, 0.08, 0.02)) -> np.ndarray:
    """Mono (n,) tone of all ``syl`` (see :class:`Syllables`): each syllable's frequency sweeps
    by its shape around ``freq_hz``; its amplitude rises (raised cosine) over ``attack`` of it and
    falls (cosine squared) over the rest; ``harmonics`` are the levels of partials 1, 2, 3, ...
    (partials above 0.45 sr are muted)."""
    out = np.zeros(n)
    if syl.start_s.size == 0 or n == 0:
        return out
    idx, w, x = syllable_index(n, sr, syl.start_s, syl.dur_s)
    if idx.size == 0:
        return out
    f = syl.freq_hz[w] * np.exp2(_shape_oct(x, syl.shape[w], syl.depth_oct[w], syl.cycles[w]))
    a = syl.attack[w]
    rise = x < a
    env = np.where(rise, 0.5 - 0.5 * np.cos(np.pi * x / np.maximum(a, 1e-3)),
                   np.cos(0.5 * np.pi * (x - a) / np.maximum(1.0 - a, 1e-3)) ** 2)
    env *= syl.amp[w]
    freq = np.zeros(n)
    freq[idx] = f
    amp = np.zeros(n)
    amp[idx] = env
    ph = P.phase_of(freq, n, sr)
    y = np.zeros(n)
    for k, h in enumerate(harmonics, start=1):
        if h == 0:
            continue
        part = P.sin_cycles(k * ph) * h
        if k > 1:
            part *= k * freq < 0.45 * sr
        y += part
    return y * amp


def burst_times(rng: np.random.Generator, *, duration_s: float, rate_hz: float, burst_s: float,
                gap_s: float, jitter: float = 0.15, accel: float = 0.0, start_s: float = 0.02) -> np.ndarray:
    """Click times (s) of a chitter: bursts about ``burst_s`` long of clicks at ``rate_hz``
    (+-``jitter`` relative timing noise; ``accel`` > 0 speeds a burst up towards its end, < 0
    slows it), separated by gaps about ``gap_s`` long; everything ends before ``duration_s``."""
    times = []
    t = start_s
    while t < duration_s:
        ln = burst_s * rng.uniform(0.6, 1.4)
        k = max(int(ln * rate_hz), 1)
        x = np.arange(k) / max(k, 1)
        period = (1.0 / rate_hz) * (1.0 - accel * (x - 0.5))
        tt = t + np.cumsum(period * (1.0 + jitter * rng.standard_normal(k)).clip(0.3, None))
        times.append(tt[tt < duration_s])
        t = tt[-1] + gap_s * rng.uniform(0.5, 1.6)
    return np.concatenate(times) if times else np.zeros(0)


def click_train(rng: np.random.Generator, times_s: np.ndarray, amps: np.ndarray, *, n: int, sr: int,
                modes_hz, t60_ms: float = 2.0, noise: float = 0.3, spread: float = 0.08,
                pans: np.ndarray | None = None) -> np.ndarray:
    """Resonant clicks at ``times_s`` (E,) with levels ``amps`` (E,): each click rings the
    ``modes_hz`` (K,) (every click's modes scattered by +-``spread`` relative, decaying to -60 dB
    in ``t60_ms``) plus a noise burst of relative level ``noise`` decaying 3x faster. Returns
    (1, n), or (2, n) when ``pans`` (E,) in [-1, 1] are given."""
    t = np.asarray(times_s, np.float64)
    ok = (t >= 0) & (t < n / sr)
    t, a = t[ok], np.asarray(amps, np.float64)[ok]
    pn = None if pans is None else np.asarray(pans)[ok]
    chans = 1 if pans is None else 2
    if t.size == 0:
        return np.zeros((chans, n))
    modes = np.asarray(modes_hz, np.float64).reshape(-1)
    K = modes.size
    E = t.size
    starts = np.repeat((t * sr).astype(np.int64), K)
    freqs = (modes[None, :] * (1.0 + spread * rng.uniform(-1, 1, (E, K)))).reshape(-1)
    tau = np.full(E * K, t60_ms * 1e-3 / 6.9)
    mode_amp = (a[:, None] * rng.uniform(0.5, 1.0, (E, K)) / np.sqrt(K)).reshape(-1)
    y = sine_grains(n, sr, starts, freqs, tau, mode_amp, None if pn is None else np.repeat(pn, K))
    if noise > 0:
        tau_n = t60_ms * 1e-3 / 6.9 / 3.0
        s0 = (t * sr).astype(np.int64)

        def make(sel, tt):
            g = P.white(rng, (len(sel), len(tt))).astype(np.float64)
            g *= np.exp(-tt[None, :] / tau_n) * (noise * 2.0 * a[sel, None])
            return g

        y = y + bucketed_grains(n, sr, s0, np.full(E, 5 * tau_n), make, pn)
    return y


def wingbeat_source(rng: np.random.Generator, f0_hz: np.ndarray, amp: np.ndarray, *, sr: int,
                    upstroke: float = 0.5, noise: float = 0.1) -> np.ndarray:
    """Unfiltered insect flight excitation (n,): a pulse per downstroke at the wing-beat
    frequency ``f0_hz`` (n,) with level ``amp`` (n,), the upstroke half a period later at
    ``upstroke`` of its level and opposite sign, plus air turbulence noise pulsed with the
    strokes. Sum several insects' sources (panned) and filter once with :func:`wingbeat_filter`."""
    n = f0_hz.shape[-1]
    x, ph = pulse_train(f0_hz, amp, sr, rng, jitter=0.01, shimmer=0.08)
    half = int(round(0.5 * sr / max(float(np.median(f0_hz[::64])), 1.0)))
    if 0 < half < n:
        x[half:] -= upstroke * x[:-half]
    if noise > 0:
        puff = 0.5 + 0.5 * P.sin_cycles(2.0 * ph + 0.25)
        x += noise * P.white(rng, n) * amp * puff * np.sqrt(np.maximum(f0_hz, 1.0) / sr)
    return x


def wingbeat_filter(x: np.ndarray, sr: int, *, f0_hz: float, cutoff_hz: float) -> np.ndarray:
    """Spectral shape of a flight tone ((n,) or (C, n)): the harmonics fall off at -6 dB/oct above
    the second (a first-order low-pass at 2.5 x ``f0_hz``) and at -18 dB/oct above ``cutoff_hz``
    (second order), as in real buzzes; high-passed under the wing-beat."""
    sos = np.concatenate([P.butter_sos(1, min(2.5 * f0_hz, 0.4 * sr), "lowpass", sr),
                          P.butter_sos(2, min(cutoff_hz, 0.45 * sr), "lowpass", sr),
                          P.butter_sos(2, 0.6 * f0_hz, "highpass", sr)])
    return P.sosfilt(sos, x) * (cutoff_hz / (2.5 * f0_hz)) ** 0.5


def wingbeat(rng: np.random.Generator, f0_hz: np.ndarray, amp: np.ndarray, *, sr: int, upstroke: float = 0.5,
             cutoff_hz: float = 3000.0, noise: float = 0.1) -> np.ndarray:
    """One insect's flight tone (n,): :func:`wingbeat_source` through :func:`wingbeat_filter`."""
    x = wingbeat_source(rng, f0_hz, amp, sr=sr, upstroke=upstroke, noise=noise)
    return wingbeat_filter(x, sr, f0_hz=float(np.median(f0_hz[::64])), cutoff_hz=cutoff_hz)


def wing_flaps(rng: np.random.Generator, times_s: np.ndarray, amps: np.ndarray, *, n: int, sr: int,
               stroke_s: float, band_hz: tuple[float, float], thump: float = 0.3, rustle: float = 0.3,
               pans: np.ndarray | None = None) -> np.ndarray:
    """Wing flaps at ``times_s`` (E,) with levels ``amps``: each downstroke is a noise puff
    ``stroke_s`` long (gamma-shaped: soft onset, peak at a quarter of it) band-passed to
    ``band_hz``, with a low ``thump`` (air pushed by a big wing, a low-passed copy) and feather
    ``rustle`` (a spray of tiny high clicks during the stroke). Returns (1, n) or (2, n) with
    ``pans``."""
    t = np.asarray(times_s, np.float64)
    ok = (t >= 0) & (t < n / sr)
    t, a = t[ok], np.asarray(amps, np.float64)[ok]
    pn = None if pans is None else np.asarray(pans)[ok]
    chans = 1 if pn is None else 2
    if t.size == 0:
        return np.zeros((chans, n))
    E = t.size
    lens = stroke_s * rng.uniform(0.8, 1.2, E)
    s0 = (t * sr).astype(np.int64)

    def make(sel, tt):
        k = 3.0
        tp = 0.25 * lens[sel, None]
        env = (tt[None, :] / tp) ** k * np.exp(k * (1.0 - tt[None, :] / tp))
        env = env * (tt[None, :] < 2.5 * lens[sel, None])
        return P.white(rng, (len(sel), len(tt))) * env * a[sel, None]

    puffs = bucketed_grains(n, sr, s0, 2.5 * lens, make, pn)
    lo, hi = band_hz
    y = P.sosfilt(P.butter_sos(2, (max(lo, 30.0), min(hi, 0.45 * sr)), "bandpass", sr), puffs)
    if thump > 0:
        th = P.lowpass(puffs, sr, max(2.0 * lo, 120.0), order=2)
        y = y + thump * 4.0 * th
    if rustle > 0:
        # feather rustle: a few hundred tiny clicks per second during each stroke
        per = np.maximum((lens * 300.0 * rustle).astype(np.int64), 1)
        ev = np.repeat(np.arange(E), per)
        u = rng.uniform(0, 1, ev.size) ** 1.5
        tc = t[ev] + u * lens[ev] * 1.5
        ac = a[ev] * (1.0 - u) * rng.uniform(0.2, 1.0, ev.size)
        cl = click_train(rng, tc, ac * 0.5, n=n, sr=sr, modes_hz=(4500.0, 7000.0, 9500.0), t60_ms=0.6,
                         noise=1.0, spread=0.3, pans=None if pn is None else pn[ev])
        y = y + rustle * cl
    return y
