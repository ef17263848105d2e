"""Crumpling and granular contact: many small buckling, fracture or contact events.

Crumpled sheets (paper, plastic, foil), compacted snow, crushed cardboard, cracking fibres and
falling debris all sound as a superposition of short clicks whose **energies follow a power law**
(few loud pops, many faint ticks; Houle & Sethna 1996, the Sound Design Toolkit's crumpling
model, Cirio et al. 2016 "Crumpling sound synthesis") and whose **times cluster**: one
buckling event relaxes stress and triggers its neighbours within milliseconds. Each click
rings the little facet that gave way (a damped sinusoid at a frequency set by the facet size and
the material's stiffness) over a broadband contact tick.

This module draws the events (:func:`power_law`, :func:`event_times`), renders them
(:func:`clicks`) and places them in a stereo image made of panned sources
(:func:`pan_buses`: a few equal-power positions, never independent noise per channel, so the
mono fold-down stays within a decibel).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from sfxgen.synth import blocks as B


def power_law(rng: np.random.Generator, k: int, *, exponent: float = 1.5, lo: float = 1.0,
              hi: float = 1000.0) -> np.ndarray:
    """``k`` energies from p(E) ~ E**-exponent truncated to [lo, hi] (inverse CDF), shape (k,)."""
    u = rng.random(k)
    a = 1.0 - exponent
    if abs(a) < 1e-6:
        return lo * (hi / lo) ** u
    return (lo ** a + u * (hi ** a - lo ** a)) ** (1.0 / a)


def event_times(rng: np.random.Generator, n: int, sr: int, rate_hz, *, cap: int, cluster: float = 0.0,
                cluster_ms: float = 6.0) -> np.ndarray:
    """Sorted event samples: a Poisson process of (possibly time-varying) ``rate_hz`` (scalar or
    (n,)) whose events each trigger on average ``cluster`` followers within an exponential
    ``cluster_ms`` (stress relaxing into neighbouring facets), at most ``cap`` events."""
    parents = B.onsets(rng, rate_hz, n, sr, cap)
    if cluster > 0 and parents.size:
        kids = rng.poisson(cluster, parents.size)
        lag = rng.exponential(cluster_ms * 1e-3 * sr, int(kids.sum()))
        child = np.repeat(parents, kids) + lag.astype(np.int64)
        parents = np.sort(np.concatenate([parents, child[child < n]]))
        if parents.size > cap:
            parents = np.sort(rng.choice(parents, cap, replace=False))
    return parents


def pan_buses(n: int, pans: np.ndarray, render: Callable[[np.ndarray], np.ndarray], *, spread: float = 0.5,
              positions: int = 3) -> np.ndarray:
    """Stereo (2, n) from panned mono sources: events with ``pans`` in [-1, 1] are grouped into
    ``positions`` equal-power pan positions across +-``spread`` (``render(selection)`` returns the
    mono sum (n,) of the selected events), each group placed once. With ``spread`` <= 0.6 the
    mono fold-down loses under 1 dB, whatever the events."""
    pans = np.asarray(pans, np.float64)
    out = np.zeros((2, n))
    if pans.size == 0:
        return out
    grid = np.linspace(-spread, spread, positions) if positions > 1 else np.zeros(1)
    which = np.clip(np.round((np.clip(pans, -1, 1) + 1) / 2 * (positions - 1)).astype(np.int64), 0, positions - 1)
    gl, gr = B.pan_gains(grid)
    for k in range(positions):
        sel = np.flatnonzero(which == k)
        if sel.size == 0:
            continue
        y = np.asarray(render(sel), np.float64).reshape(-1)
        out[0] += gl[k] * y
        out[1] += gr[k] * y
    return out


def clicks(rng: np.random.Generator, n: int, sr: int, onsets: np.ndarray, energies: np.ndarray, *,
           f_lo: float, f_hi: float, ring_s, tick_s: float = 0.0003, tick_mix: float = 0.5,
           size_pitch: float = 0.25, pans: np.ndarray | None = None, spread: float = 0.5) -> np.ndarray:
    """Buckling/fracture clicks: (1, n) mono, or (2, n) when ``pans`` are given.

    Each event rings a facet at a log-uniform frequency in [``f_lo``, ``f_hi``] (bigger events
    lower by ``size_pitch`` octaves per decade of energy) for ``ring_s`` (time constant, scalar
    or per event), over a noise tick of time constant ``tick_s`` weighted ``tick_mix``; its
    amplitude is sqrt(energy). Both parts are one grain per event (one scatter)."""
    onsets = np.asarray(onsets, np.int64)
    k = onsets.size
    if k == 0:
        return np.zeros((1 if pans is None else 2, n))
    e = np.asarray(energies, np.float64)
    amp = np.sqrt(e / np.max(e))
    f = np.exp(rng.uniform(np.log(f_lo), np.log(f_hi), k)) * 2.0 ** (-size_pitch * np.log10(e / np.min(e)))
    f = np.clip(f, 40.0, 0.45 * sr)
    tau = np.broadcast_to(np.asarray(ring_s, np.float64), (k,)) * rng.uniform(0.6, 1.4, k)
    ttau = np.full(k, tick_s) * rng.uniform(0.5, 1.5, k)

    a_ring = (amp * (1.0 - 0.5 * tick_mix)).astype(np.float32)
    a_tick = (amp * tick_mix).astype(np.float32)
    w = (2.0 * np.pi * f).astype(np.float32)

    def make(sel, t):  # one grain per event: the facet's damped sine plus the noise tick
        t = t.astype(np.float32)
        ph = w[sel, None] * t
        np.sin(ph, out=ph)
        ph *= a_ring[sel, None]
        ph *= np.exp((-1.0 / tau[sel, None]).astype(np.float32) * t)
        if tick_mix > 0:
            tk = np.exp((-1.0 / ttau[sel, None]).astype(np.float32) * t)
            tk *= a_tick[sel, None]
            tk *= B.white(rng, (len(sel), len(t)))
            ph += tk
        return ph

    def mono(sel):
        return B.bucketed_grains(n, sr, onsets[sel], 4.0 * np.maximum(tau[sel], ttau[sel]),
                                 lambda s2, t: make(sel[s2], t), max_len_s=0.3)[0]

    if pans is None:
        return mono(np.arange(k))[None, :]
    return pan_buses(n, pans, mono, spread=spread)


def gesture_rate(n: int, sr: int, times_s, widths_s, peaks, *, floor: float = 0.0) -> np.ndarray:
    """A rate curve (n,) made of raised-cosine bumps: one per gesture at ``times_s`` (start) of
    length ``widths_s`` and height ``peaks`` (events/s), plus ``floor`` (events/s). The
    envelope of a hand's squeeze, a page turn, a step into snow."""
    t = np.arange(n) / sr
    out = np.full(n, float(floor))
    for t0, w, p in zip(np.atleast_1d(times_s), np.atleast_1d(widths_s), np.atleast_1d(peaks)):
        a, b = int(max(t0, 0) * sr), int(min(t0 + w, n / sr) * sr)
        if b <= a:
            continue
        x = (t[a:b] - t0) / w
        out[a:b] += p * np.sin(np.pi * x) ** 2
    return out


def place(sources) -> np.ndarray:
    """Mix mono sources ``[(signal (n,), position in [-1, 1]), ...]`` into stereo (2, n) with
    equal-power gains (one stacked matrix product)."""
    sig = np.stack([np.asarray(s, np.float64) for s, _ in sources])
    gl, gr = B.pan_gains(np.array([p for _, p in sources], np.float64))
    return np.stack([gl, gr]) @ sig


def pan(y: np.ndarray, position: float) -> np.ndarray:
    """A mono source (n,) placed at ``position`` in [-1, 1] with equal-power gains: (2, n)."""
    gl, gr = B.pan_gains(np.array([float(position)]))
    return np.stack([gl[0] * y, gr[0] * y])


FIT = 0.8
"""Share of a clip a gesture (its events and their decay margin) may take: the rest is left
for the decay to finish before :func:`sfxgen.synth.physics.modal.fade_tail`'s safety fade."""


def fit_factor(total_s: float, dur_s: float) -> float:
    """How much a gesture of ``total_s`` (events plus decay margin) must be compressed (<= 1) to
    fit a clip of ``dur_s``: a short clip still holds the whole gesture, faster."""
    return min(1.0, FIT * dur_s / max(total_s, 1e-6))


def gesture_starts(rng: np.random.Generator, moves: int, *, period_s: float, length_s: float, dur_s: float,
                   lead_s: float = 0.02, tail_s: float = 0.2) -> tuple[np.ndarray, float]:
    """Start times (s) of ``moves`` hand gestures of ``length_s`` each, ``period_s`` apart (+-15 %
    human spread), fitted into a clip of ``dur_s``: returns (starts, k) where ``k`` <= 1 is the
    factor every time was compressed by (so a short clip still holds every gesture, faster)."""
    total = lead_s + (moves - 1) * period_s + length_s + tail_s
    k = fit_factor(total, dur_s)
    jit = rng.uniform(0.85, 1.15, moves) if moves > 1 else np.ones(1)
    starts = (lead_s + np.arange(moves) * period_s * jit) * k
    return starts, k


def gesture_windows(t: np.ndarray, starts: np.ndarray, length_s: float):
    """For each gesture starting at ``starts`` (s) and lasting ``length_s``: ``(t0, x, inside)``
    over the time axis ``t`` (s): its start, the progress 0..1 through it and where it is under
    way."""
    for t0 in np.atleast_1d(starts):
        yield float(t0), np.clip((t - t0) / length_s, 0.0, 1.0), (t >= t0) & (t < t0 + length_s)


HAND_RATE_WORDS = (("slow", "careful"), ("quick", "hasty"))
"""Rate words of hand-handling families (paper, plastic, cardboard)."""
HAND_INTENSITY_WORDS = (("gentle", "soft"), ("vigorous", "rough"))
"""Intensity words of hand-handling families."""


def hand_moves(params, ph) -> int:
    """Gestures of a handling family's render (paper, plastic, cardboard): its third parameter
    (``moves``) of ``params`` at ``ph``, rounded."""
    return int(round(params[2].value(ph.aux[2])))


def action_words(params, ph, words: dict) -> tuple[str, list[str], list[str]]:
    """(action, adjectives, phrases) of a handling family: the action is its first parameter
    (a choice) of ``params`` at ``ph``, the words ``words[action]`` (adjectives, phrases)."""
    a = params[0].choice(ph.aux[0])
    adjectives, phrases = words[a]
    return a, adjectives, phrases


def hand_words(special, *, gesture_s: float) -> dict:
    """:class:`~sfxgen.synth.family.Family` keywords of a handling family's caption words:
    pace and force words of hands at work, the rate documented as one gesture every
    ``gesture_s`` at rate 1, and its ``special`` words (the action)."""
    return {"rate_words": HAND_RATE_WORDS, "rate_doc": f"1.0 = a gesture every ~{gesture_s:g} s",
            "intensity_words": HAND_INTENSITY_WORDS, "special_words": special}

