"""Footsteps (v2): a person walking or running on one of eight surfaces in one of four shoes.

Each step is driven by the ground-reaction force of the gait (Cook's PhOLISE; Farnell,
*Designing Sound*, "Footsteps"): a heel strike, the roll of the foot and the toe push-off
``heel_toe`` later (running lands on the forefoot: the toe carries the step). The force drives
three layers, each new for every step (no two steps alike):

* the shoe's contact: a click whose length and brightness are the sole's (bare skin: a soft
  slap; sneaker: damped rubber; boot: a hard, heavy knock; heel: a tiny, sharp, ringing tip),
  muffled by soft ground; a low body thud whose weight follows ``weight``, strong on hard floors
  and absorbed by soft ones;
* the surface's response, from the force: gravel is a granular crunch of hundreds of pebble
  collisions (damped 1.2-8 kHz resonances) spread over the loading and the push-off; snow a dense
  compressive crunch of micro-fractures with a squeak of packed crystals; grass a dry swish of
  blades and crackles; concrete a short grit of sand grains; wood the floorboards' damped modes
  and boom (and now and then a creak); metal a grating's dense inharmonic ring and rattle;
  water a splash (spray, slosh, droplet bubbles) on landing and a drip-laden lift; mud a
  squelch through moving resonances and a suction pop with bubbles as the foot pulls out;
* a scuff: the sole dragging through the roll and the lift (a rubber squeak on hard floors).

Pace is ``rate``: 1.8 steps/s at rate 1, ``1.8 x rate^0.8`` (a slow walk 1.5/s, a walk 1.8-2/s,
a run 3/s, a sprint 4.5/s); caption words follow the same pace bins. Size and pitch move every
resonance, brightness tilts the spectrum, intensity is how hard the feet land, decay lengthens
the rings (boards, grating, splash tails).
"""

from __future__ import annotations

import math

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import (
    bandpass,
    freq_scale,
    highpass,
    lowpass,
    modes,
    noise_grains,
    sine_grains,
    white,
    convolve,
    finish,
)
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics.bubbles import minnaert_hz, minnaert_tau_s

DEFAULT_DURATION_S = 4.0

SURFACE = Param(
    "surface", doc="Ground surface (eight equal ranges of u).",
    choices=("concrete", "wood", "mud", "gravel", "snow", "grass", "water", "metal"),
    choice_words=(("concrete", ("on concrete", "on a concrete floor")),
                  ("wood", ("on a wooden floor", "on wooden boards")),
                  ("mud", ("in mud", "through thick mud")),
                  ("gravel", ("on gravel", "on a gravel path")),
                  ("snow", ("in snow", "on crunchy snow")),
                  ("grass", ("on grass", "through grass")),
                  ("water", ("through shallow water", "splashing through puddles")),
                  ("metal", ("on a metal grating", "on metal"))))
SHOE = Param(
    "shoe", doc="Footwear (four equal ranges of u, softest first).",
    choices=("bare", "sneaker", "boot", "heel"),
    choice_words=(("bare", ("barefoot", "with bare feet")),
                  ("sneaker", ("in sneakers", "in trainers")),
                  ("boot", ("in heavy boots", "in boots")),
                  ("heel", ("in high heels", "in heels"))))


def pace_steps_per_s(rate: float) -> float:
    """Steps per second at the common ``rate`` multiplier: ``1.8 * rate ** 0.8``."""
    return 1.8 * float(rate) ** 0.8


# (click 1/e time s, click low-pass Hz, thud weight, heel share, tip ring Hz or 0, squeak)
_SHOES = {
    "bare": (0.0018, 2500.0, 0.55, 0.9, 0.0, 0.0),
    "sneaker": (0.0012, 4000.0, 0.7, 0.8, 0.0, 1.0),
    "boot": (0.0007, 7000.0, 1.0, 1.0, 1900.0, 0.2),
    "heel": (0.00025, 12000.0, 0.35, 1.0, 3600.0, 0.0),
}
# hardness per surface: how bright the shoe's click comes through (soft ground muffles it)
_HARD = {"concrete": 1.0, "wood": 0.8, "metal": 1.0, "gravel": 0.35, "snow": 0.1, "grass": 0.15,
         "water": 0.2, "mud": 0.05}
# the body's thud as a share of a step's energy (medium walker, boots): a slab or a floor
# carries it, a grating rings instead, loose or soft ground swallows part of it
_THUD = {"concrete": 0.5, "wood": 0.55, "metal": 0.1, "gravel": 0.35, "snow": 0.3, "grass": 0.45,
         "water": 0.03, "mud": 0.15}


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Footsteps; see the module docstring. Returns the dry source (1, n)."""
    sr = sample_rate
    surface = SURFACE.choice(ph.a(0))
    shoe = SHOE.choice(ph.a(2))
    weight, scuff, heel_toe = ph.a(1), ph.a(3), ph.a(4)
    steps = _gait(ph, n, sr, rng, heel_toe)
    sc = freq_scale(ph, 1.0)
    click, thud = _contact(steps, ph, n, sr, rng, surface, shoe, weight, sc)
    y = click + _SURFACE_LAYERS[surface](steps, ph, n, sr, rng, weight, sc)
    if scuff > 0.02:
        y = y + scuff * _scuff(steps, ph, n, sr, rng, surface, shoe, sc)
    # the thud's share of the energy: the surface's, more for a heavy walker and a heavy shoe
    share = min(_THUD[surface] * (0.5 + weight) * _SHOES[shoe][2], 0.85)
    e_y, e_t = float(np.dot(y, y)), float(np.dot(thud, thud))
    if e_t > 0 and e_y > 0:
        y = y + thud * math.sqrt(share / (1.0 - share) * e_y / e_t)
    return finish(P.tilt(y[None, :], sr, 0.2 + 0.4 * ph.brightness))


class _Steps:
    """Step events of one render: heel and toe sample indices, per-step force (heel, toe) and
    the run amount (0 walking .. 1 running)."""

    def __init__(self, heel: np.ndarray, toe: np.ndarray, f_heel: np.ndarray, f_toe: np.ndarray,
                 run: float, interval_s: float):
        self.heel, self.toe, self.f_heel, self.f_toe = heel, toe, f_heel, f_toe
        self.run, self.interval_s = run, interval_s

    @property
    def k(self) -> int:
        return self.heel.size


def _gait(ph: Physical, n: int, sr: int, rng: np.random.Generator, heel_toe: float) -> _Steps:
    """Heel and toe times of every step that fits the clip (the first 5-30 ms in), the force of
    each (lognormal scatter, the two feet a little unequal), and the roll between them."""
    dur = n / sr
    pace = pace_steps_per_s(ph.rate)
    interval = 1.0 / pace
    run = float(np.clip((pace - 2.2) / 1.3, 0.0, 1.0))
    k = max(int((dur - 0.06) / interval) + 1, 1)
    t0 = min(rng.uniform(0.005, 0.03), 0.1 * dur)  # (a footstep file starts at its first step)
    t = t0 + np.arange(k) * interval * (1 + rng.normal(0, 0.025, k))
    t = np.maximum.accumulate(t)
    roll = (0.05 + 0.17 * heel_toe) * (1 - 0.6 * run) * min(1.0, interval / 0.55) ** 0.5
    t_toe = t + roll * rng.uniform(0.85, 1.15, k)
    keep = t < dur - 0.03
    if not np.any(keep):
        keep[0] = True
    t, t_toe = t[keep], t_toe[keep]
    k = t.size
    force = (0.4 + 0.9 * ph.intensity) * np.exp(rng.normal(0, 0.12, k)) * np.where(np.arange(k) % 2, 0.9, 1.0)
    f_heel = force * (1.0 - 0.65 * run)
    f_toe = force * (0.45 + 0.6 * run) * rng.uniform(0.8, 1.1, k)
    return _Steps((t * sr).astype(np.int64), (t_toe * sr).astype(np.int64), f_heel, f_toe, run, interval)


def _both(steps: _Steps, heel_gain: float = 1.0, toe_gain: float = 1.0):
    """(starts, forces) of the heel and the toe events together."""
    return (np.concatenate([steps.heel, steps.toe]),
            np.concatenate([steps.f_heel * heel_gain, steps.f_toe * toe_gain]))


def _contact(steps: _Steps, ph: Physical, n: int, sr: int, rng: np.random.Generator, surface: str,
             shoe: str, weight: float, sc: float) -> tuple[np.ndarray, np.ndarray]:
    """The shoe meeting the ground: (click, with a hard heel's ring; the body's thud)."""
    tau, lp, _, heel_share, tip_hz, _ = _SHOES[shoe]
    hard = _HARD[surface]
    starts, f = _both(steps, heel_share, 0.6)
    k2 = starts.size
    click = noise_grains(rng, n, sr, starts, tau * (1.0 + 2.0 * (1 - hard)) * rng.uniform(0.8, 1.25, k2), f)[0]
    click = lowpass(click, min(lp * (0.25 + 0.75 * hard) * (0.5 + ph.brightness), 0.45 * sr), sr, sparse=True)
    click = highpass(click, 120.0, sr, 1, sparse=True)
    y = (0.3 + 0.7 * hard) * click
    if tip_hz and hard > 0.5:  # a hard heel or boot heel is itself a small ringing body
        y = y + 0.6 * P.resonator_bank(click, sr, np.array([1.0, 2.1, 3.4]) * tip_hz * sc,
                                       np.array([0.04, 0.025, 0.015]) * (0.6 + 0.8 * ph.size),
                                       np.array([1.0, 0.5, 0.3]), sparse=True)
    # thud: the foot's and the body's mass on the ground, a low-passed noise knock (a sine would
    # ring on as a steady line), lower and longer for a heavier walker, absorbed by soft ground
    hs = steps.heel if steps.run < 0.5 else steps.toe
    fh = steps.f_heel + steps.f_toe * steps.run
    knock = noise_grains(rng, n, sr, hs, np.full(hs.size, 0.008 + 0.02 * weight), fh)[0]
    f_thud = (150.0 - 60.0 * weight) * sc
    return y, lowpass(lowpass(knock, f_thud, sr, 2, sparse=True), 2.0 * f_thud, sr, 2, sparse=True)


def _match_peak(x: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """``x`` scaled to the peak of ``ref`` (layers are balanced by their loudest moments)."""
    return x * (P.peak_abs(ref) / (P.peak_abs(x) + 1e-12))


def _lobes(rng: np.random.Generator, steps: _Steps, sr: int, per_step: np.ndarray, spread_s: float,
           toe_share: float, shape: float = 1.6, loose: bool = True,
           settle_s: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Grain times (samples) and step forces for granular contact: from each heel strike a lobe
    whose density follows the load (gamma-distributed, shape ``shape``, over ``spread_s``; on
    ``loose`` ground, which keeps giving way, over the whole roll when that is longer), then from
    the push-off a smaller one (``toe_share`` of the grains): one crunch per step, heavier at
    the heel. A grain's force falls as ``exp(-delay / settle_s)`` after its lobe starts: the
    first impact crushes the most, the ground then settles more and more quietly (real steps
    fall 20 dB in a median 0.18 s). ``per_step`` (k,) grains per step."""
    nh = np.maximum((per_step * (1 - toe_share)).astype(np.int64), 1)
    nt = np.maximum((per_step * toe_share).astype(np.int64), 1)
    roll = np.repeat((steps.toe - steps.heel) / sr, nh)
    spread = np.maximum(spread_s, 0.8 * roll) if loose else np.full(roll.shape, spread_s)
    # the ground settles within the step: a lobe ends well before the next foot lands (gamma
    # tails cut at 0.45 of the interval), so even a run keeps a gap between its steps
    spread = np.minimum(spread, 0.2 * steps.interval_s)
    end = 0.45 * steps.interval_s
    dh = np.minimum(rng.gamma(shape, spread / shape), end)
    dt = np.minimum(rng.gamma(1.3, 0.5 * min(spread_s, 0.2 * steps.interval_s) / 1.3, nt.sum()), end)
    th = np.repeat(steps.heel, nh) + (dh * sr).astype(np.int64)
    tt = np.repeat(steps.toe, nt) + (dt * sr).astype(np.int64)
    return (np.concatenate([th, tt]),
            np.concatenate([np.repeat(steps.f_heel, nh) * np.exp(-dh / settle_s),
                            np.repeat(steps.f_toe, nt) * np.exp(-dt / settle_s)]))


def _bed(rng: np.random.Generator, n: int, sr: int, t: np.ndarray, f: np.ndarray, lo_hz: float, hi_hz: float,
         smooth_s: float) -> np.ndarray:
    """The body of a granular contact: band noise (``lo_hz`` .. ``hi_hz``) whose level follows
    the grain density (the grains at ``t`` with forces ``f``, smoothed over ``smooth_s``): the
    ground compacting as a whole under the grains that tick on top."""
    L = max(int(smooth_s * sr), 2)
    env = convolve(P.impulses(n, t, f * f), np.hanning(L))
    return bandpass(white(rng, n), lo_hz, hi_hz, sr, 2) * np.sqrt(np.maximum(env, 0.0))


# ----------------------------------------------------------------------------- surfaces
def _gravel(steps, ph, n, sr, rng, weight, sc):
    """Pebbles knocking together under the sole: damped resonances of random small stones."""
    per = (140 + 260 * weight) * (0.6 + 0.5 * ph.intensity) * rng.uniform(0.8, 1.2, steps.k)
    spread = (0.07 + 0.08 * weight) * (1 - 0.4 * steps.run) * min(1.0, steps.interval_s / 0.5) ** 0.5
    t, f = _lobes(rng, steps, sr, per, spread, 0.2 + 0.3 * steps.run)
    E = t.size
    amp = np.minimum(rng.pareto(2.2, E), 6.0) * f
    freq = np.exp(rng.uniform(np.log(1200.0), np.log(8000.0), E)) * sc
    pings = sine_grains(n, sr, t, freq, rng.uniform(0.0006, 0.003, E), 0.6 * amp)[0]
    ticks = noise_grains(rng, n, sr, t, rng.uniform(0.0002, 0.0009, E), amp)[0]
    crunch = bandpass(pings + 0.8 * ticks, 700.0 * sc, 11000.0 * sc, sr, 2, sparse=True)
    body = _bed(rng, n, sr, t, f, 150.0 * sc, 1200.0 * sc, 0.012)
    return 3.0 * crunch + 0.8 * _match_peak(body, crunch)


def _snow(steps, ph, n, sr, rng, weight, sc):
    """Snow packing under the foot: dense micro-fractures with a compressive envelope and the
    squeak of cold crystals sliding."""
    per = (130 + 150 * weight) * (0.6 + 0.5 * ph.intensity) * rng.uniform(0.8, 1.2, steps.k)
    spread = (0.06 + 0.05 * weight) * (1 - 0.35 * steps.run)
    t, f = _lobes(rng, steps, sr, per, spread, 0.2, shape=2.5, settle_s=0.065)  # (packing: a slower settle)
    E = t.size
    fr = noise_grains(rng, n, sr, t, rng.uniform(0.0005, 0.003, E), np.minimum(rng.pareto(1.6, E), 10.0) * f)[0]
    crunch = bandpass(fr, 250.0 * sc, 4500.0 * sc, sr, 2, sparse=True)
    crunch = P.peak_eq(crunch, sr, 900.0 * sc, gain_db=6.0, q=0.7)
    crunch = crunch + 0.7 * _match_peak(_bed(rng, n, sr, t, f, 120.0 * sc, 900.0 * sc, 0.02), crunch)
    # squeak: a few short, slightly gliding tones per step while the snow packs
    m = rng.poisson(2.0, steps.k) + 1
    ts = np.repeat(steps.heel, m) + (rng.uniform(0.02, 0.9 * spread, m.sum()) * sr).astype(np.int64)
    f0 = rng.uniform(900.0, 2400.0, ts.size) * sc
    sq = sine_grains(n, sr, ts, f0, rng.uniform(0.01, 0.03, ts.size), np.repeat(steps.f_heel, m) * 0.4,
                     rise=rng.uniform(-0.05, 0.08, ts.size))[0]
    return 3.0 * crunch + 0.6 * _match_peak(sq, crunch) * 0.25


def _grass(steps, ph, n, sr, rng, weight, sc):
    """Blades bending and rubbing (a dry swish) with crackles of dry stems and leaves."""
    per = (90 + 120 * weight) * rng.uniform(0.8, 1.2, steps.k)
    spread = (0.1 + 0.08 * weight) * (1 - 0.3 * steps.run)
    t, f = _lobes(rng, steps, sr, per, spread, 0.45)
    E = t.size
    cr = noise_grains(rng, n, sr, t, rng.uniform(0.00008, 0.0005, E), np.minimum(rng.pareto(2.0, E), 6.0) * f)[0]
    cr = bandpass(cr, 800.0 * sc, 6000.0 * sc, sr, 2, sparse=True)
    # the blades flatten at once and spring back more and more slowly: a 10 ms rise and a
    # decay over ~0.4 x the spread (a swell over the whole roll held each step near its peak)
    tt = np.arange(int((spread * 2.5 + 0.05) * sr)) / sr
    shape = (1 - np.exp(-tt / 0.01)) * np.exp(-tt / (0.4 * spread))
    env = convolve(P.impulses(n, np.concatenate([steps.heel, steps.toe]),
                              np.concatenate([steps.f_heel, 0.5 * steps.f_toe])), shape)
    swish = bandpass(white(rng, n), 500.0 * sc, 5000.0 * sc, sr, 2) * env
    return 1.2 * cr + _match_peak(swish, cr) * 0.45


def _concrete(steps, ph, n, sr, rng, weight, sc):
    """Grit: sand grains on the slab crushed and dragged under the sole for a few tens of ms."""
    per = (25 + 40 * weight) * rng.uniform(0.8, 1.2, steps.k)
    t, f = _lobes(rng, steps, sr, per, 0.005 + 0.004 * weight, 0.4, shape=2.0, loose=False)
    E = t.size
    g = noise_grains(rng, n, sr, t, rng.uniform(0.0001, 0.0006, E), np.minimum(rng.pareto(3.0, E), 1.5) * f)[0]
    return 0.15 * bandpass(g, 1000.0 * sc, 7000.0 * sc, sr, 2, sparse=True)


def _panel(rng: np.random.Generator, sr: int, sc: float, count: int, lo_hz: float, hi_hz: float, tau_s: float,
           damp: float, tilt: float, amp_lo: float, max_s: float) -> np.ndarray:
    """Impulse response (peak 1) of a walked-on panel: ``count`` modes at random log-spaced
    frequencies between ``lo_hz`` and ``hi_hz`` (a new tuning per render), the lowest with a 1/e
    time ``tau_s``, higher ones ``(f / f0) ** -damp`` shorter, amplitudes tilted by ``tilt``."""
    fm = np.sort(np.exp(rng.uniform(np.log(lo_hz), np.log(hi_hz), count))) * sc
    ir = modes(fm, tau_s * (fm / fm[0]) ** -damp, (fm / fm[0]) ** -tilt * rng.uniform(amp_lo, 1.0, count), sr, max_s)
    return ir / (P.peak_abs(ir) + 1e-12)


def _wood(steps, ph, n, sr, rng, weight, sc):
    """Floorboards: many damped board modes and the boom of the floor cavity, struck by heel
    and toe; now and then a board creaks under the rolling weight."""
    ring = (ph.decay_s / 0.5) ** 0.3 * (0.6 + ph.size)
    ir = _panel(rng, sr, sc, 16, 85.0, 1600.0, 0.07 * ring, 0.8, 0.4, 0.5, 1.0)
    starts, f = _both(steps, 1.0, 0.6)
    y = convolve(P.impulses(n, starts, f), ir)
    boom = noise_grains(rng, n, sr, starts, np.full(starts.size, 0.06 * ring), f)[0]
    y = y + 0.6 * _match_peak(lowpass(boom, 220.0 * sc, sr, 2, sparse=True), y)
    creaks = rng.uniform(0, 1, steps.k) < 0.15 + 0.3 * weight
    if np.any(creaks):
        c = steps.heel[creaks] + ((steps.toe[creaks] - steps.heel[creaks]) * 0.5).astype(np.int64)
        sq = sine_grains(n, sr, c, rng.uniform(350.0, 900.0, c.size) * sc, rng.uniform(0.02, 0.05, c.size),
                         0.15 * steps.f_heel[creaks], rise=rng.uniform(-0.1, 0.1, c.size))[0]
        y = y + _match_peak(sq, y) * 0.12
    return 0.7 * y


def _metal(steps, ph, n, sr, rng, weight, sc):
    """A grating or plate: a dense set of inharmonic modes (a new tuning per panel), the high
    ones dying faster, and a rattle of the loose panel after the heel."""
    ring = (ph.decay_s / 0.5) ** 0.3 * (0.5 + ph.size)
    ir = _panel(rng, sr, sc, 28, 170.0, 4500.0, 0.12 * ring, 0.55, 0.3, 0.3, 2.0)
    starts, f = _both(steps, 1.0, 0.6)
    r = rng.poisson(4, steps.k) + 1
    rt = np.repeat(steps.heel, r) + (rng.uniform(0.008, 0.08, r.sum()) * sr).astype(np.int64)
    exc = P.impulses(n, starts, f) + P.impulses(n, rt, np.repeat(steps.f_heel, r) * rng.uniform(0.05, 0.25, r.sum()))
    return 0.5 * convolve(exc, ir)


def _water(steps, ph, n, sr, rng, weight, sc):
    """Shallow water: each landing throws spray and sloshes, droplets fall back as bubbles;
    lifting the foot out drips."""
    tail = (0.08 + 0.06 * weight) * (ph.decay_s / 0.5) ** 0.25  # (real splashes: -20 dB in ~0.2 s)
    hs = steps.heel if steps.run < 0.5 else steps.toe
    f = steps.f_heel + steps.run * steps.f_toe
    # spray and slosh as enveloped noise, one burst per landing
    Ls = int(min(3.0 * tail, 1.0) * sr)
    tt = np.arange(Ls) / sr
    env = (1 - np.exp(-tt / 0.008)) * np.exp(-tt / tail)
    spray_env = convolve(P.impulses(n, hs, f), env)
    slosh_env = convolve(P.impulses(n, hs + int(0.01 * sr), f), (1 - np.exp(-tt / 0.008)) * np.exp(-tt / (0.7 * tail)))
    lift_env = convolve(P.impulses(n, steps.toe, 0.35 * steps.f_toe), env)
    spatter = np.abs(lowpass(white(rng, n), 250.0, sr, 1)) * 6.0  # the sheet breaking into drops
    spray = bandpass(white(rng, n), 500.0 * sc, 7000.0 * sc, sr, 2) * spatter * (spray_env + lift_env)
    slosh = bandpass(white(rng, n), 180.0 * sc, 900.0 * sc, sr, 2) * slosh_env
    # droplets and bubbles falling back over the tail
    m = rng.poisson(120 + 100 * weight, steps.k)
    dd = rng.gamma(1.2, 1.5 * tail / 1.2, m.sum())
    td = np.repeat(hs, m) + (dd * sr).astype(np.int64)
    f0 = _drop_bubble_hz(rng, td.size) * sc
    da = np.repeat(f, m) * rng.uniform(0.1, 0.5, td.size) * np.exp(-dd / (2.5 * tail))
    drops = sine_grains(n, sr, td, f0, minnaert_tau_s(f0), da, rise=0.3)[0]
    y = 0.6 * spray + 0.8 * _match_peak(slosh, spray) + 1.2 * _match_peak(drops, spray)
    return 1.1 * y


def _drop_bubble_hz(rng: np.random.Generator, k: int) -> np.ndarray:
    """Pitches (Hz) of the bubbles of ``k`` droplets (radii lognormal around 1.3 mm)."""
    return minnaert_hz(np.exp(rng.normal(np.log(1.3e-3), 0.45, k)))


def _mud(steps, ph, n, sr, rng, weight, sc):
    """Mud: the squelch of wet mud pressed out around the sole (noise through two moving
    resonances, like a vowel), then the suction pop as the foot pulls free and a few low
    bubbles bursting."""
    k = steps.k
    L = int(0.22 * sr)
    tt = np.arange(L) / sr
    y = np.zeros(n)
    noise = white(rng, n)
    env = convolve(P.impulses(n, steps.heel, steps.f_heel), (1 - np.exp(-tt / 0.02)) * np.exp(-tt / 0.07))
    # the squelch's resonances glide with the pressure: two formant bands per step, new each step
    for lo, hi in ((300.0, 700.0), (900.0, 1900.0)):
        fc = np.exp(rng.uniform(np.log(lo), np.log(hi), k)) * sc
        band = np.zeros(n)
        for i in range(k):  # one band-pass per step (a few steps per clip)
            a = int(steps.heel[i])
            b = min(n, a + L)
            if b > a:
                band[a:b] = bandpass(noise[a:b], fc[i] / 1.7, fc[i] * 1.7, sr, 2)
        y += band
    y *= env
    # suction pop on the lift: a burst whose resonance falls, plus bubbles
    pop_t = steps.toe + (rng.uniform(0.03, 0.09, k) * sr).astype(np.int64)
    pops = sine_grains(n, sr, pop_t, rng.uniform(450.0, 900.0, k) * sc, rng.uniform(0.012, 0.03, k),
                       steps.f_toe, rise=-0.35)[0]
    m = rng.poisson(4 + 6 * weight, k)
    tb = np.repeat(pop_t, m) + (rng.uniform(0.0, 0.25, m.sum()) * sr).astype(np.int64)
    fb = rng.uniform(180.0, 700.0, tb.size) * sc
    bub = sine_grains(n, sr, tb, fb, 0.5 * minnaert_tau_s(fb), np.repeat(steps.f_toe, m) * rng.uniform(0.1, 0.4, tb.size),
                      rise=0.05)[0]  # (viscous: short, barely rising)
    return 2.0 * y + _match_peak(pops, y) * 0.35 + _match_peak(bub, y) * 0.2


_SURFACE_LAYERS = {"gravel": _gravel, "snow": _snow, "grass": _grass, "concrete": _concrete, "wood": _wood,
                   "metal": _metal, "water": _water, "mud": _mud}


def _scuff(steps, ph, n, sr, rng, surface, shoe, sc):
    """The sole dragging through the roll and the lift: surface-coloured friction noise (grainy
    on loose ground), and on hard floors a sneaker's rubber squeak."""
    L = int(0.16 * sr)
    shape = np.sin(np.linspace(0, np.pi, L)) ** 2
    env = convolve(P.impulses(n, steps.heel + ((steps.toe - steps.heel) // 3), steps.f_toe), shape)
    lo, hi = (400.0, 5000.0) if _HARD[surface] > 0.5 else (900.0, 9000.0)
    drag = P.sosfilt_gated(P.bandpass_sos(sr, math.sqrt(lo * hi) * sc, q=0.7), white(rng, n), env)
    if _HARD[surface] < 0.5:  # loose ground: the drag is itself grainy
        drag = drag * (1 + 3 * np.abs(lowpass(white(rng, n), 80.0, sr, 1)) * 10)
    y = 0.3 * drag
    squeak = _SHOES[shoe][5]
    if squeak and surface in ("concrete", "wood"):
        sel = rng.uniform(0, 1, steps.k) < 0.5 * squeak
        if np.any(sel):
            ts = steps.toe[sel] - (0.02 * sr)
            sq = sine_grains(n, sr, ts.astype(np.int64), rng.uniform(1500.0, 3200.0, ts.size) * sc,
                             rng.uniform(0.02, 0.05, ts.size), steps.f_toe[sel], rise=rng.uniform(0.0, 0.2, ts.size))[0]
            y = y + 0.2 * _match_peak(sq, y)
    return y


# ----------------------------------------------------------------------------- words
def _words(ph: Physical, duration_s: float | None) -> list:
    """Pace words from steps per second, read as the renderer paces the steps."""
    pace = pace_steps_per_s(ph.rate)
    if pace <= 1.0:
        return [("rate", ["very slow", "plodding"], ["walking very slowly"], "slow")]
    if pace <= 1.6:
        return [("rate", ["slow", "slow-walking"], ["at a slow walk", "walking slowly"], "slow")]
    if 2.6 <= pace < 4.0:
        return [("rate", ["running", "fast"], ["running", "at a run"], "running")]
    if pace >= 4.0:
        return [("rate", ["sprinting"], ["sprinting", "at a sprint"], "sprinting")]
    return []


def _x_of_pace(steps_per_s: float) -> float:
    """Normalised rate slot value for a pace (steps/s)."""
    return round(math.log((steps_per_s / 1.8) ** 1.25, 4), 3)


FAMILY = Family(
    name="footsteps", ucs="FEETHmn", noun="footsteps", kind="texture",
    render=render,
    params=(
        SURFACE,
        Param("weight", unit="%", lo=0.0, hi=100.0,
              doc=("Walker weight: light (a child) .. heavy (a lower, longer thud, more and longer "
                   "crunch, more creaks)."),
              low_words=("light-footed",), high_words=("heavy-set", "lumbering")),
        SHOE,
        Param("scuff", unit="%", lo=0.0, hi=100.0,
              doc="Dragging of the sole through the roll and the lift (a sneaker squeaks on hard floors).",
              high_words=("with scuffs", "scuffing"), where="post"),
        Param("heel_toe", unit="ms", lo=50.0, hi=220.0,
              doc="Time from heel strike to toe push-off when walking (running shortens it by up to 60 %).",
              high_words=("with a slow heel-to-toe roll",), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("footsteps", 0), ("steps", 0), ("footfalls", 0)),
    scenes=(
        "{adj} footsteps walking{post}",
        "someone walking with {adj} steps{post}",
        "a person's {adj} footsteps{post}",
    ),
    tags=("footsteps", "walking", "steps", "foley"),
    keywords=("footsteps", "steps", "walking", "walk", "footstep", "running", "run", "jogging", "sprint",
              "stomping", "boots", "high heels", "barefoot", "sneakers", "foley steps", "walking on gravel"),
    rate_doc="1.8 steps/s at rate 1 (1.8 x rate^0.8): a slow walk 1.5/s, a walk 1.8-2/s, a run 3/s, a sprint 4.5/s",
    intensity_words=(("light", "soft", "quiet"), ("heavy", "stomping", "hard")),
    special_words=_words,
    element_roles=("main",),
    design_roles=(),
    sharp_onset=True, category="footstep",
    presets={
        "gravel_slow_walk": {"surface": "gravel", "shoe": "boot", "rate": _x_of_pace(1.5)},
        "heels_on_concrete": {"surface": "concrete", "shoe": "heel", "rate": _x_of_pace(2.0), "weight": -0.6},
        "running_on_grass": {"surface": "grass", "shoe": "sneaker", "rate": _x_of_pace(3.0)},
        "snow_trudge": {"surface": "snow", "shoe": "boot", "rate": _x_of_pace(1.3), "weight": 0.5},
        "wading_through_puddles": {"surface": "water", "shoe": "boot", "rate": _x_of_pace(1.5)},
        "barefoot_on_wood": {"surface": "wood", "shoe": "bare", "rate": _x_of_pace(1.8), "weight": -0.3},
        "mud_squelch": {"surface": "mud", "shoe": "boot", "rate": _x_of_pace(1.3), "weight": 0.4},
        "metal_catwalk": {"surface": "metal", "shoe": "boot", "rate": _x_of_pace(2.0)},
    },
)
