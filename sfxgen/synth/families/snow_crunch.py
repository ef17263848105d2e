"""snow_crunch: snow compressed underfoot, squeezed in a hand or pushed by a shovel.

Compressing snow breaks the bonds between grains one after another: a dense train of tiny
fracture clicks (:mod:`sfxgen.synth.physics.crumple`: clustered, power-law energies) whose rate
rises as the load builds and stops when the snow is packed, over a soft, low "whumph" of air
pushed out of the pack. Very cold, dry snow squeaks: grains sliding past each other stick and
slip at a high rate (:mod:`sfxgen.synth.physics.friction`), a tonal squeal around 1-2 kHz on
top of the crunch; wet snow is duller, lower and softer. A step has a heel phase and a roll;
a squeeze is one long compression; a shovel scrapes as it pushes in.

Common slots: ``rate`` the pace (1.0 = a crunch every ~0.6 s); ``intensity`` the load (more,
louder fractures, a deeper pack); ``size`` bigger feet/hands/shovels (lower, longer);
``pitch`` and ``brightness`` tune and tilt the grains.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, friction, modal

ACTIONS = ("step", "squeeze", "shovel")


def crunches_of(ph: Physical) -> int:
    return int(round(FAMILY.params[1].value(ph.aux[1])))


def _special(ph: Physical, duration_s: float | None):
    a = FAMILY.params[0].choice(ph.aux[0])
    words = {"step": ([], ["underfoot", "as someone steps in snow"]), "squeeze": ([], ["as a snowball is packed"]),
             "shovel": ([], ["as a shovel pushes into snow"])}[a]
    out = [("action", words[0], words[1], a)]
    k = crunches_of(ph)
    if k >= 2 and a == "step":
        out.append(("crunches", [], [f"{k} steps"], "steps"))
    return out


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    action = FAMILY.params[0].choice(ph.aux[0])
    crunches = crunches_of(ph)
    cold, depth = (FAMILY.params[i].value(ph.aux[i]) for i in range(2, 4))
    dur = n / sr
    t = np.arange(n) / sr
    force = 0.4 + 0.8 * ph.intensity
    length = {"step": 0.28, "squeeze": 0.6, "shovel": 0.5}[action] * (0.7 + 0.6 * depth) * (0.8 + 0.4 * ph.size)
    starts, k = crumple.gesture_starts(rng, crunches, period_s=0.6 / ph.rate + 0.3 * length, length_s=length,
                                       dur_s=dur, tail_s=0.25)
    length *= k
    rate = np.zeros(n)
    load = np.zeros(n)
    for _, x, inside in crumple.gesture_windows(t, starts, length):  # a handful of crunches
        if action == "step":  # heel strike, then the roll onto the forefoot
            shape = np.exp(-((x - 0.15) / 0.12) ** 2) + 0.7 * np.exp(-((x - 0.6) / 0.2) ** 2)
        elif action == "squeeze":
            shape = np.sin(0.5 * np.pi * x) ** 2 * (1.0 - x ** 6)
        else:
            shape = np.minimum(x / 0.1, 1.0) * (1.0 - x) ** 0.5
        g = rng.uniform(0.8, 1.1)
        rate += inside * shape * g
        load += inside * np.sin(np.pi * x) * g
    sc = ph.pitch_ratio * 2.0 ** (-0.8 * (ph.size - 0.5))
    dens = (1500.0 + 2000.0 * cold) * force
    on = crumple.event_times(rng, n, sr, rate * dens, cap=int(8000 * min(dur, 8.0)) + 50, cluster=1.2, cluster_ms=2.0)
    y = np.zeros((2, n))
    if on.size:
        e = crumple.power_law(rng, on.size, exponent=1.5, lo=1.0, hi=200.0)
        y = crumple.clicks(rng, n, sr, on, e * force, f_lo=(300.0 + 1300.0 * cold) * sc,
                           f_hi=(2500.0 + 8000.0 * cold) * min(sc, 1.4), ring_s=0.0004 + 0.0004 * cold,
                           tick_mix=0.7, pans=np.clip(rng.normal(0, 0.25, on.size), -1, 1), spread=0.35)
        y /= P.peak_abs(y) + 1e-12
    # the pack settling: air pushed out, a soft low whumph under each crunch
    whumph = B.bandpass(B.white(rng, n), 70.0 * sc, 400.0 * sc, sr) * load ** 2
    y += crumple.pan((0.6 + 0.5 * depth) * (1.2 - cold) * whumph / (P.peak_abs(whumph) + 1e-12), 0.0)
    # cold, dry snow squeaks: grains stick and slip at a high rate
    if cold > 0.45:
        sq = friction.creak(rng, n, sr, load, pressure=0.3, rust=0.5, base_hz=1400.0 * sc, threshold=0.2)
        sq = B.bandpass(sq, 800.0 * sc, 6000.0, sr)
        y += crumple.pan(0.35 * (cold - 0.45) / 0.55 * sq / (P.peak_abs(sq) + 1e-12), 0.05)
    if action == "shovel":  # the blade scraping in
        scr = friction.rough_contact(rng, n, sr, load * force, slope=1.5, corner_hz=6000.0, lo_hz=400.0)
        y += crumple.pan(0.3 * scr / (P.peak_abs(scr) + 1e-12), 0.1)
    y = modal.radiate(y, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=60.0, order=4)
    return B.finish(modal.fade_tail(y, sr))


FAMILY = Family(
    name="snow_crunch",
    ucs="SNOWMvmt",
    noun="snow crunch",
    kind="oneshot",
    render=render,
    params=(
        Param("action", doc="What compresses the snow: a step (heel, then the roll), a hand squeezing a "
              "snowball, or a shovel pushing in", choices=ACTIONS),
        Param("crunches", doc="How many crunches (steps, squeezes, shovel pushes): 1 .. 4",
              unit="count", lo=1.0, hi=4.0),
        Param("cold", doc="0 wet, soft snow (dull, low, muffled) .. 1 very cold, dry snow (crisp and "
              "squeaky)", low_words=("wet", "slushy"), high_words=("squeaky", "crisp", "powdery")),
        Param("depth", doc="How deep the snow is compressed: 0 a light crust .. 1 deep snow (longer, with a "
              "heavier whumph)", low_words=("light",), high_words=("deep",)),
    ),
    default_duration_s=1.0,
    nouns=(("snow crunch", 1), ("crunching snow", 0), ("footstep in snow", 1)),
    scenes=("{adj} snow crunching{post}", "a {adj} crunch of snow{post}", "{adj} snow being compressed{post}"),
    tags=("snow", "crunch", "winter", "foley"),
    keywords=("snow", "snow crunch", "crunch", "snowball", "footsteps in snow", "snow step", "shovel snow",
              "winter", "powder"),
    rate_words=(("slow",), ("fast", "hurried")),
    rate_doc="1.0 = a crunch every ~0.6 s",
    intensity_words=(("light", "soft"), ("heavy", "hard")),
    special_words=_special,
    element_roles=("main", "material"),
    design_roles=("texture",),
    role_params={"texture": {"action": "step", "crunches": -1.0, "space": -1.0}},
    category="footstep",
    presets={
        "step in fresh snow": {"action": "step", "crunches": -1.0, "cold": 0.0, "depth": 0.2},
        "walking in snow": {"action": "step", "crunches": 1.0, "cold": 0.0, "depth": 0.0, "rate": 0.2},
        "squeaky cold snow": {"action": "step", "crunches": -0.33, "cold": 0.9, "depth": -0.3},
        "snowball packed": {"action": "squeeze", "crunches": -0.33, "cold": -0.2, "depth": 0.4},
        "shovelling": {"action": "shovel", "crunches": -0.33, "cold": -0.4, "depth": 0.6, "size": 0.4},
        "wet slush": {"action": "step", "crunches": -1.0, "cold": -1.0, "depth": 0.5},
    },
)
