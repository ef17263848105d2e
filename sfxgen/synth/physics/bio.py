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


def _shape_oct(x: np.ndarray, shape: np.ndarray, d: np.ndarray, cycles: np.ndarray,
               present: np.ndarray) -> np.ndarray:
    """Frequency offset (octaves) of each sample at fraction ``x`` of its syllable (``present``:
    the shape indices that occur)."""
    out = np.zeros_like(x)
    for k, name in enumerate(SHAPES):
        if k not in present:
            continue
        if present.size == 1:  # one shape throughout: no masks
            m, xs, ds = slice(None), x, d
        else:
            m = shape == k
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
    f = syl.freq_hz[w] * np.exp2(_shape_oct(x, syl.shape[w], syl.depth_oct[w], syl.cycles[w], np.unique(syl.shape)))
    a = syl.attack[w].astype(np.float32)
    x = x.astype(np.float32)
    env = np.where(x < a, np.float32(0.5) - np.float32(0.5) * np.cos(np.float32(np.pi) * x / np.maximum(a, 1e-3)),
                   np.cos(np.float32(0.5 * np.pi) * (x - a) / np.maximum(1.0 - a, 1e-3)) ** 2)
    env *= syl.amp[w].astype(np.float32)
    # only the covered samples are synthesised: the phase runs on across syllables (each starts
    # and ends at zero amplitude, so the jumps between them are inaudible); partials under
    # -34 dB are left out
    ph = np.cumsum(f) / sr
    y = np.zeros(idx.size, np.float32)
    for k, h in enumerate(harmonics, start=1):
        if abs(h) < 0.02:
            continue
        part = P.sin_cycles32(k * ph) * np.float32(h)
        if k > 1:
            part *= k * f < 0.45 * sr
        y += part
    out[idx] = y * env
    return out


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
                modes_hz, t60_ms: float = 2.0, noise: float = 0.3, spread: float = 0.08) -> np.ndarray:
    """Resonant clicks at ``times_s`` (E,) with levels ``amps`` (E,): each click rings the
    ``modes_hz`` (K,) (every click's modes scattered by +-``spread`` relative, decaying to -60 dB
    in ``t60_ms``) plus a noise burst of relative level ``noise`` decaying 3x faster. Mono (n,):
    the caller places it (:func:`sfxgen.synth.physics.ambience.pan`)."""
    t = np.asarray(times_s, np.float64)
    ok = (t >= 0) & (t < n / sr)
    t, a = t[ok], np.asarray(amps, np.float64)[ok]
    if t.size == 0:
        return np.zeros(n)
    modes = np.asarray(modes_hz, np.float64).reshape(-1)
    K = modes.size
    E = t.size
    starts = np.repeat((t * sr).astype(np.int64), K)
    freqs = (modes[None, :] * (1.0 + spread * rng.uniform(-1, 1, (E, K)))).reshape(-1)
    tau = np.full(E * K, t60_ms * 1e-3 / 6.9)
    mode_amp = (a[:, None] * rng.uniform(0.5, 1.0, (E, K)) / np.sqrt(K)).reshape(-1)
    y = sine_grains(n, sr, starts, freqs, tau, mode_amp)[0]
    if noise > 0:
        tau_n = t60_ms * 1e-3 / 6.9 / 3.0
        s0 = (t * sr).astype(np.int64)

        def make(sel, tt):
            g = P.white(rng, (len(sel), len(tt))).astype(np.float64)
            g *= np.exp(-tt[None, :] / tau_n) * (noise * 2.0 * a[sel, None])
            return g

        y = y + bucketed_grains(n, sr, s0, np.full(E, 5 * tau_n), make)[0]
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
               stroke_s: float, band_hz: tuple[float, float], thump: float = 0.3, rustle: float = 0.3) -> np.ndarray:
    """Wing flaps at ``times_s`` (E,) with levels ``amps``: each downstroke is a noise puff
    ``stroke_s`` long (gamma-shaped: soft onset, peak at a quarter of it) band-passed to
    ``band_hz``, with a low ``thump`` (air pushed by a big wing, a low-passed copy) and feather
    ``rustle`` (a spray of tiny high clicks during the stroke). Mono (n,)."""
    t = np.asarray(times_s, np.float64)
    ok = (t >= 0) & (t < n / sr)
    t, a = t[ok], np.asarray(amps, np.float64)[ok]
    if t.size == 0:
        return np.zeros(n)
    E = t.size
    lens = stroke_s * rng.uniform(0.8, 1.2, E)
    s0 = (t * sr).astype(np.int64)

    def make(sel, tt):
        k = 3.0
        tp = 0.25 * lens[sel, None]
        env = (tt[None, :] / tp) ** k * np.exp(k * (1.0 - tt[None, :] / tp))
        env = env * (tt[None, :] < 2.5 * lens[sel, None])
        return P.white(rng, (len(sel), len(tt))) * env * a[sel, None]

    puffs = bucketed_grains(n, sr, s0, 2.5 * lens, make)[0]
    lo, hi = band_hz
    y = P.sosfilt(P.butter_sos(2, (max(lo, 30.0), min(hi, 0.45 * sr)), "bandpass", sr), puffs)
    if thump > 0:
        y = y + thump * 4.0 * P.lowpass(puffs, sr, max(2.0 * lo, 120.0), order=2)
    if rustle > 0:
        # feather rustle: a few hundred tiny clicks per second during each stroke
        per = np.maximum((lens * 300.0 * rustle).astype(np.int64), 1)
        ev = np.repeat(np.arange(E), per)
        u = rng.uniform(0, 1, ev.size) ** 1.5
        tc = t[ev] + u * lens[ev] * 1.5
        ac = a[ev] * (1.0 - u) * rng.uniform(0.2, 1.0, ev.size)
        y = y + rustle * click_train(rng, tc, ac * 0.5, n=n, sr=sr, modes_hz=(4500.0, 7000.0, 9500.0),
                                     t60_ms=0.6, noise=1.0, spread=0.3)
    return y


# ----------------------------------------------------------------------------- bird song
def song_repertoire(rng: np.random.Generator, style: str, f0: float, k: int) -> list[dict]:
    """``k`` syllable types of a bird song style (see :func:`songbird`): centre Hz, shape,
    depth (octaves), length s, attack."""
    out = []
    for _ in range(k):
        if style == "whistler":
            out.append(dict(f=f0 * 2 ** rng.uniform(-0.7, 0.5), shape=rng.choice([0, 1, 2, 3]),
                            depth=rng.uniform(0.1, 0.6), d=rng.uniform(0.15, 0.4), att=rng.uniform(0.1, 0.3)))
        elif style == "chirper":
            out.append(dict(f=f0 * 2 ** rng.uniform(-0.2, 0.3), shape=rng.choice([2, 4]),
                            depth=rng.uniform(0.5, 1.2), d=rng.uniform(0.05, 0.12), att=0.1))
        elif style == "warbler":
            out.append(dict(f=f0 * 2 ** rng.uniform(-0.5, 0.8), shape=rng.integers(0, 6),
                            depth=rng.uniform(0.2, 1.0), d=rng.uniform(0.03, 0.1), att=rng.uniform(0.1, 0.4)))
        elif style == "trill":
            out.append(dict(f=f0 * 2 ** rng.uniform(-0.3, 0.6), shape=rng.choice([1, 2, 3, 5]),
                            depth=rng.uniform(0.2, 0.8), d=rng.uniform(0.02, 0.045), att=0.25))
        else:  # dove
            out.append(dict(f=f0 * 2 ** rng.uniform(-0.15, 0.15), shape=rng.choice([0, 3]),
                            depth=rng.uniform(0.05, 0.2), d=rng.uniform(0.25, 0.55), att=0.35))
    return out


def song_phrase(rng: np.random.Generator, style: str, rep: list[dict], t: float, phrase_s: float, pace: float,
            variety: float):
    """Syllables (start, dur, f, shape, depth, attack) of one phrase starting at ``t``."""
    rows = []
    motif = rng.integers(0, len(rep), max(2, 1 + int(rng.integers(1, 4))))
    if style == "trill":
        s = rep[int(motif[0])]
        rate = rng.uniform(12.0, 25.0) * pace
        k = max(int(phrase_s * rate), 3)
        for j in range(k):
            if j == k // 2 and variety > 0.5:
                s = rep[int(motif[-1])]
            rows.append((t + j / rate, s["d"], s["f"] * (1 + 0.01 * rng.standard_normal()), s["shape"], s["depth"], s["att"]))
        return rows
    gap = {"whistler": 0.08, "chirper": 0.18, "warbler": 0.02, "dove": 0.15}[style] / pace
    end = t + phrase_s
    j = 0
    while t < end:
        idx = int(motif[j % motif.size]) if rng.uniform() > variety * 0.6 else int(rng.integers(0, len(rep)))
        s = rep[idx]
        d = s["d"] * rng.uniform(0.9, 1.1) / pace ** 0.5
        rows.append((t, d, s["f"] * 2 ** (0.05 * rng.standard_normal()), s["shape"], s["depth"], s["att"]))
        t += d + gap * rng.uniform(0.6, 1.5)
        j += 1
    return rows


def songbird(rng: np.random.Generator, style: str, *, n: int, sr: int, f0: float, pace: float = 1.0,
             phrase_s: float = 1.3, pause_s: float = 0.8, variety: float = 0.5, brightness: float = 0.5,
             start_s: float | None = None) -> np.ndarray:
    """One songbird (n,) singing phrases of ``style`` (whistler, chirper, warbler, trill, dove)
    around ``f0`` Hz: phrases about ``phrase_s`` long at ``pace``, ``pause_s`` apart, from a
    repertoire of 3-8 syllable types that is renewed more often with ``variety``; weak harmonics
    growing with ``brightness``; sharp-onset styles get a faint broadband tick on some syllables."""
    dur = n / sr
    if style == "dove":
        phrase_s = max(phrase_s, 1.2)
    rep = song_repertoire(rng, style, f0, 3 + int(5 * variety))
    rows = []
    t = rng.uniform(0.02, 0.4) if start_s is None else start_s
    while t < dur - 0.1:
        ln = phrase_s * rng.uniform(0.7, 1.2)
        rows += song_phrase(rng, style, rep, t, ln, pace, variety)
        t += ln + pause_s * rng.uniform(0.6, 1.6) / pace ** 0.5
        if variety > 0.3 and rng.uniform() < variety * 0.5:
            rep = song_repertoire(rng, style, f0, 3 + int(5 * variety))
    rows = [r for r in rows if r[0] + r[1] < dur - 0.01]
    if not rows:  # a very short clip: one syllable that fits
        rows = [(0.005, 0.8 * dur, f0, 3, 0.3, 0.2)]
    a = np.array(rows, np.float64)
    amp = rng.uniform(0.6, 1.0, len(rows))
    syl = Syllables.build(a[:, 0], a[:, 1], a[:, 2], a[:, 3], a[:, 4], amp, attack=a[:, 5])
    h2 = (0.04 if style != "dove" else 0.15) * (0.5 + 2.0 * brightness)
    y = render_syllables(syl, n=n, sr=sr, harmonics=(1.0, h2, 0.3 * h2))
    if style in ("chirper", "warbler"):
        ticks = a[rng.uniform(0, 1, len(rows)) < 0.5, 0]
        y = y + click_train(rng, ticks, np.full(ticks.size, 0.15), n=n, sr=sr, modes_hz=(f0 * 1.4,),
                            t60_ms=1.0, noise=1.0)
    return y


# ----------------------------------------------------------------------------- crickets
CRICKET_CHIRPS_HZ = 2.2
"""Field-cricket chirps per second at rate 1 (a mild night)."""


def cricket_song(rng: np.random.Generator, dur: float, *, fc: float, rate: float = 1.0, song: str = "chirp",
                 syllables: int = 4, regularity: float = 0.5, attack: float = 0.2) -> Syllables:
    """Syllables of one cricket over ``dur`` seconds: ``song`` "chirp" (groups of ``syllables``
    ~20 ms tone pulses at ~32/s, :data:`CRICKET_CHIRPS_HZ` x ``rate`` groups a second, each pulse
    sinking slightly in pitch), "trill" (a continuous ~45/s pulse train in bursts of seconds) or
    "katydid" (faster, wider-swept pulses at half the chirp rate); carrier ``fc``; timing noise
    falls with ``regularity``."""
    regular = regularity
    jit = 0.02 + 0.25 * (1.0 - regular)
    if song == "trill":
        syl_hz = 45.0 * rate ** 0.3 * rng.uniform(0.9, 1.1)
        # a trill of a few seconds, then a short pause, repeated
        starts = []
        t = rng.uniform(0.0, 0.3)
        while t < dur:
            ln = rng.uniform(1.5, 4.0) * (0.5 + regular)
            k = int(ln * syl_hz)
            starts.append(t + np.cumsum(np.full(k, 1.0 / syl_hz) * (1.0 + 0.03 * rng.standard_normal(k))))
            t += ln + rng.uniform(0.2, 0.8) * (1.5 - regular)
        st = np.concatenate(starts) if starts else np.zeros(0)
        d = 0.6 / syl_hz
        shape, depth = 1.0, 0.02  # up: the barely rising pulse of a tree cricket
    else:
        syl_hz = (32.0 if song == "chirp" else 60.0) * rng.uniform(0.9, 1.1)
        chirp_hz = CRICKET_CHIRPS_HZ * rate * rng.uniform(0.85, 1.15) * (1.0 if song == "chirp" else 0.5)
        k = int(dur * chirp_hz) + 2
        gaps = (1.0 / chirp_hz) * (1.0 + jit * rng.standard_normal(k)).clip(0.4, None)
        t0 = rng.uniform(0.0, 1.0 / chirp_hz) + np.cumsum(gaps) - gaps[0]
        n_syl = np.clip(np.full(k, syllables) + (rng.integers(-1, 2, k) if regular < 0.7 else 0), 1, None)
        idx = np.repeat(np.arange(k), n_syl)
        within = np.arange(idx.size) - np.repeat(np.cumsum(n_syl) - n_syl, n_syl)
        st = t0[idx] + within / syl_hz * (1.0 + 0.01 * rng.standard_normal(idx.size))
        d = (0.65 if song == "chirp" else 0.5) / syl_hz
        shape, depth = 2.0, (0.05 if song == "chirp" else 0.3)  # down: the escapement slows
    st = st[(st >= 0) & (st < dur - d - 0.01)]
    if st.size == 0:  # a clip shorter than the first chirp: one syllable that fits
        d = min(d, 0.5 * dur)
        st = np.array([0.1 * dur])
    amp = rng.uniform(0.8, 1.0, st.size)
    if song == "chirp":  # the first syllable of a chirp is softer, the middle ones loudest
        amp *= 1.0 - 0.3 * (np.diff(st, prepend=-1.0) > 0.08)
    return Syllables.build(st, d * rng.uniform(0.9, 1.1, st.size), fc * (1 + 0.01 * rng.standard_normal(st.size)),
                             shape, depth, amp, attack)
