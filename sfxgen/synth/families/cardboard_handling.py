"""cardboard_handling: a cardboard box handled: set down, flaps folded, crushed, tape ripped off.

Cardboard is a heavily damped, hollow structure: a box struck or set down gives a dull, boxy
thump (a low air/panel mode and damped panel modes, :mod:`sfxgen.synth.physics.modal`
``cardboard``), corners scrape as it slides. Crushing it buckles the walls in loud creases and
a dense, lower crackle than paper (:mod:`sfxgen.synth.physics.crumple`). Folding flaps bends
them with a soft creak and slaps them down with a puff of air. Packing tape peels off in a
fast stick-slip rip (:mod:`sfxgen.synth.physics.friction`) that the box amplifies.

Common slots: ``size`` the box (lower, boomier); ``intensity`` how roughly it is handled;
``rate`` the speed of the gestures (1.0 = one every ~0.8 s); ``pitch`` and ``brightness`` the
box's resonances and tilt; ``decay`` its (short) ring.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, friction, modal

ACTIONS = ("set_down", "flaps", "crush", "tape")


def _special(ph: Physical, duration_s: float | None):
    a, adjectives, phrases = crumple.action_words(FAMILY.params, ph, {
        "set_down": ([], ["being set down", "placed on a table"]),
        "flaps": ([], ["with its flaps being folded", "being opened"]),
        "crush": (["crushed", "crumpling"], ["being crushed"]),
        "tape": ([], ["with packing tape being ripped off", "being taped"])})
    return [("action", adjectives, phrases, a.split("_")[0])]


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    action = FAMILY.params[0].choice(ph.aux[0])
    thick = FAMILY.params[1].value(ph.aux[1])
    moves = crumple.hand_moves(FAMILY.params, ph)
    dur = n / sr
    t = np.arange(n) / sr
    force = 0.4 + 0.8 * ph.intensity
    ring = modal.ring_factor(ph.decay_s)
    sc = ph.pitch_ratio * 2.0 ** (-1.3 * (ph.size - 0.5))
    length = {"set_down": 0.3, "flaps": 0.5, "crush": 0.8, "tape": 0.6}[action] / ph.rate ** 0.7
    starts, k = crumple.gesture_starts(rng, moves, period_s=0.8 / ph.rate + 0.4 * length, length_s=length,
                                       dur_s=dur, tail_s=0.3)
    length *= k
    box = modal.body("cardboard", 150.0 * sc, modal.box_ratios(16), rng=rng, tilt=-0.6 + 0.4 * ph.brightness,
                     detune=0.05, decay_scale=(0.8 + 0.6 * thick) * ring)
    hits, gains, hard = [], [], []
    slide_v = np.zeros(n)
    rate = np.zeros(n)
    peel = np.zeros(n)
    for t0, x, inside in crumple.gesture_windows(t, starts, length):  # a handful of gestures
        if action == "set_down":  # lowered, touches down on a corner then flat, slides a little
            hits += [t0 + 0.6 * length, t0 + 0.6 * length + rng.uniform(0.008, 0.03)]
            gains += [0.5, 1.0]
            hard += [0.4, 0.35]
            slide_v += inside * (x > 0.65) * np.sin(np.pi * (x - 0.65) / 0.35) * 0.6
        elif action == "flaps":
            rate += inside * 25.0 * np.sin(np.pi * x)
            hits += [t0 + 0.85 * length]
            gains += [0.7]
            hard += [0.3]
            slide_v += inside * 0.3 * np.sin(np.pi * x)
        elif action == "crush":
            rate += inside * (120.0 + 150.0 * (1 - thick)) * np.sin(np.pi * x ** 0.8) ** 1.2
            pops = t0 + length * np.sort(rng.uniform(0.1, 0.9, 3 + int(3 * thick)))
            hits += list(pops)
            gains += list(rng.uniform(0.5, 1.0, pops.size))
            hard += [0.7] * pops.size
        else:  # tape: a fast, accelerating peel
            speed = np.sin(np.pi * x ** 0.7)
            peel += inside * speed
            hits += [t0 + length]
            gains += [0.3]
            hard += [0.6]
    y = np.zeros((2, n))
    if hits:
        on = (np.asarray(hits) * sr).astype(np.int64)
        g = np.asarray(gains) * force
        th = modal.strikes(n, sr, box, on, g, rng=rng, hardness=np.asarray(hard), contact_ms=2.0, detune=0.05)
        th += 0.4 * modal.contact_clicks(rng, n, sr, on, g, tau_s=0.0015, lo_hz=400.0, hi_hz=8000.0) * float(P.peak_abs(th))
        y += crumple.pan(th / (P.peak_abs(th) + 1e-12), 0.0)
    if np.any(rate > 0):
        rate *= force * (1.0 + 0.4 * B.smooth_random(rng, n, sr, 10.0))
        on = crumple.event_times(rng, n, sr, rate, cap=int(3000 * min(dur, 8.0)) + 50, cluster=0.8, cluster_ms=4.0)
        if on.size:
            e = crumple.power_law(rng, on.size, exponent=1.5, lo=1.0, hi=200.0)
            cr = crumple.clicks(rng, n, sr, on, e * force, f_lo=500.0 * sc, f_hi=5000.0 * sc, ring_s=0.002 + 0.002 * thick,
                                tick_mix=0.5, pans=np.clip(rng.normal(0, 0.3, on.size), -1, 1), spread=0.4)
            y += 0.8 * cr / (P.peak_abs(cr) + 1e-12)
    if np.any(peel > 0):  # packing tape: adhesive stick-slip at a few hundred slips a second
        f = friction.creak(rng, n, sr, peel, pressure=0.2, rust=0.5, base_hz=900.0, threshold=0.05)
        rip = B.convolve(f, box.ir(box.ring_len(sr, cap_s=0.3), sr, rng=rng, hardness=0.9))
        rip = rip / (P.peak_abs(rip) + 1e-12) + 0.6 * B.highpass(f, 800.0, sr) / (P.peak_abs(f) + 1e-12)
        y += crumple.pan(force * rip / (P.peak_abs(rip) + 1e-12), 0.15)
    if np.any(slide_v > 0):
        rub = friction.rough_contact(rng, n, sr, slide_v * force, slope=1.6, corner_hz=5000.0, lo_hz=300.0)
        y += crumple.pan(0.3 * rub / (P.peak_abs(rub) + 1e-12), 0.0)
    if action == "flaps":  # the flap slapping down pushes a puff of air
        kern = np.sin(np.pi * np.arange(int(0.05 * sr)) / int(0.05 * sr)) ** 2
        env = B.convolve(P.impulses(n, (np.asarray(hits) * sr).astype(np.int64) - int(0.035 * sr)), kern)
        puff = B.bandpass(B.white(rng, n), 150.0, 1200.0, sr) * env
        y += crumple.pan(0.2 * puff / (P.peak_abs(puff) + 1e-12), 0.0)
    y = modal.radiate(y, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=50.0, order=4)
    return B.finish(modal.fade_tail(y, sr))


FAMILY = Family(
    name="cardboard_handling",
    ucs="PAPRHndl",
    noun="cardboard box",
    kind="oneshot",
    render=render,
    params=(
        Param("action", doc="What happens to the box: set_down (placed on a surface: a boxy thump and a "
              "slide), flaps (folded open/shut), crush (stamped flat) or tape (packing tape ripped off)",
              choices=ACTIONS),
        Param("thickness", doc="0 thin card (lighter, more crackle) .. 1 thick corrugated board (duller, "
              "boomier)", low_words=("thin",), high_words=("corrugated", "heavy")),
        Param("moves", doc="How many gestures: 1 .. 4", unit="count", lo=1.0, hi=4.0),
    ),
    default_duration_s=1.5,
    nouns=(("cardboard box", 1), ("cardboard", 0), ("carton", 1)),
    scenes=("a {adj} cardboard box{post}", "someone handling a {adj} cardboard box{post}",
            "a {adj} carton{post}"),
    tags=("cardboard", "box", "foley", "handling", "package"),
    keywords=("cardboard", "box", "carton", "package", "parcel", "packing tape", "box flaps", "crush box",
              "moving box", "delivery box"),
    rate_words=crumple.HAND_RATE_WORDS,
    rate_doc="1.0 = a gesture every ~0.8 s",
    intensity_words=(("gentle", "careful"), ("rough", "forceful")),
    special_words=_special,
    element_roles=("main", "material"),
    design_roles=("body",),
    role_params={"body": {"action": "set_down", "moves": -1.0, "space": -1.0}},
    category="foley",
    presets={
        "box set down": {"action": "set_down", "thickness": 0.2, "moves": -1.0},
        "open the flaps": {"action": "flaps", "thickness": 0.0, "moves": -0.33},
        "crush a box": {"action": "crush", "thickness": 0.3, "moves": -1.0, "intensity": 0.5},
        "rip packing tape": {"action": "tape", "thickness": 0.2, "moves": -1.0, "rate": 0.3},
        "big moving box": {"action": "set_down", "thickness": 0.8, "moves": -1.0, "size": 0.7, "intensity": 0.4},
    },
)
