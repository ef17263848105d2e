"""paper_handling: paper handled: rustled, crumpled, a page turned or a sheet torn.

Paper sounds are made of tiny events: a sheet that bends past a crease buckles with a click,
fibres part one by one along a tear, and sheets sliding over each other rub (a bright, airy
friction noise). Events follow a power law in energy and cluster in time
(:mod:`sfxgen.synth.physics.crumple`); sliding is rough contact read at the hand's speed
(:mod:`sfxgen.synth.physics.friction`). The actions differ in how these mix:

* ``rustle``: sheets shifted and shuffled: mostly sliding rub with sparse crinkles;
* ``crumple``: a sheet balled up: a dense, crackling burst of buckling clicks that grows, then
  tightens into fewer, louder pops;
* ``page_turn``: a page lifted (a short slide), flipped through the air (a soft swish) and
  laid down with a flap;
* ``tear``: a rip: a fast, dense train of fibre breaks whose rate follows the tearing speed.

Common slots: ``rate`` the hand's speed (1.0 = a gesture every ~0.7 s); ``intensity`` how
vigorously (more, louder events); ``size`` bigger sheets (lower, fuller); ``pitch`` and
``brightness`` the clicks' resonance and tilt.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, friction, modal

ACTIONS = ("rustle", "crumple", "page_turn", "tear")


def _special(ph: Physical, duration_s: float | None):
    a, adjectives, phrases = crumple.action_words(FAMILY.params, ph, {
        "rustle": (["rustling"], ["being shuffled"]), "crumple": (["crumpling"], ["being crumpled up"]),
        "page_turn": (["page-turning"], ["as a page is turned", "pages turning"]),
        "tear": (["tearing", "ripping"], ["being torn", "ripped apart"])})
    out = [("action", adjectives, phrases, a)]
    if crumple.hand_moves(FAMILY.params, ph) >= 3:
        out.append(("moves", ["repeated"], ["several times"], "repeated"))
    return out


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    action = FAMILY.params[0].choice(ph.aux[0])
    weight = FAMILY.params[1].value(ph.aux[1])
    moves = crumple.hand_moves(FAMILY.params, ph)
    crisp = FAMILY.params[3].value(ph.aux[3])
    dur = n / sr
    t = np.arange(n) / sr
    force = 0.4 + 0.8 * ph.intensity
    length = {"rustle": 0.5, "crumple": 0.8, "page_turn": 0.45, "tear": 0.4}[action] / ph.rate ** 0.7
    starts, k = crumple.gesture_starts(rng, moves, period_s=0.7 / ph.rate + 0.5 * length, length_s=length,
                                       dur_s=dur)
    length *= k
    sc = ph.pitch_ratio * 2.0 ** (-0.8 * (ph.size - 0.5)) * 2.0 ** (-1.2 * (weight - 0.5))
    f_lo, f_hi = 1800.0 * sc, 12000.0 * min(sc, 1.4)
    ring = 0.0003 + 0.0012 * crisp + 0.0008 * weight
    slide_v = np.zeros(n)
    rate = np.zeros(n)
    extra_on, extra_e = [], []
    for t0, x, inside in crumple.gesture_windows(t, starts, length):  # a handful of gestures, each its own event-rate and sliding-speed curve
        if action == "rustle":
            slide_v += inside * np.sin(np.pi * x) ** 0.7 * rng.uniform(0.6, 1.0)
            rate += inside * (60.0 + 160.0 * crisp) * np.sin(np.pi * x)
        elif action == "crumple":
            rate += inside * (150.0 + 350.0 * crisp) * np.sin(np.pi * x ** 0.7) ** 1.5
            slide_v += 0.3 * inside * np.sin(np.pi * x)
            pops = t0 + length * np.sort(rng.uniform(0.4, 1.0, 3 + int(4 * crisp)))
            extra_on += list(pops)
            extra_e += list(rng.uniform(200.0, 600.0, pops.size))
        elif action == "page_turn":
            lift = np.clip(x / 0.3, 0.0, 1.0) * (x < 0.3)
            slide_v += inside * (lift + 0.6 * np.exp(-((x - 0.55) / 0.18) ** 2))
            rate += inside * 40.0 * (lift + (x > 0.85))
            extra_on.append(t0 + 0.9 * length)
            extra_e.append(300.0 * (0.5 + weight))
        else:  # tear: the rip speeds up then runs out
            speed = np.sin(np.pi * x ** 0.8)
            rate += inside * (1500.0 + 3000.0 * crisp) * speed
            slide_v += 0.4 * inside * speed
    rate *= force * (1.0 + 0.4 * B.smooth_random(rng, n, sr, 15.0))
    on = crumple.event_times(rng, n, sr, np.maximum(rate, 0.0), cap=int(6000 * min(dur, 8.0)) + 50,
                             cluster=1.0 + crisp, cluster_ms=3.0)
    e = crumple.power_law(rng, on.size, exponent=1.4 + 0.5 * (action == "tear"), lo=1.0, hi=150.0)
    if extra_on:
        on = np.concatenate([on, (np.array(extra_on) * sr).astype(np.int64)])
        e = np.concatenate([e, np.array(extra_e)])
    keep = (on >= 0) & (on < n)
    on, e = on[keep], e[keep]
    y = np.zeros((2, n))
    if on.size:
        pans = np.clip(rng.normal(0.0, 0.35, on.size), -1, 1)
        y = crumple.clicks(rng, n, sr, on, e * force, f_lo=f_lo, f_hi=f_hi, ring_s=ring, tick_mix=0.55 + 0.2 * crisp,
                           size_pitch=0.35, pans=pans, spread=0.45)
        y /= P.peak_abs(y) + 1e-12
    # sliding rub (sheets over sheets, over the hand): airy, bright
    if np.any(slide_v > 0):
        rub = friction.rough_contact(rng, n, sr, slide_v * force, slope=1.2, corner_hz=9000.0 * sc ** 0.5,
                                     lo_hz=700.0 * sc ** 0.5)
        level = {"rustle": 0.45, "crumple": 0.15, "page_turn": 0.6, "tear": 0.25}[action]
        y += crumple.pan(level * rub / (P.peak_abs(rub) + 1e-12), 0.0)
    if action == "page_turn":  # the page swishing through the air
        sw = B.bandpass(B.white(rng, n), 300.0, 3000.0, sr) * slide_v ** 2
        y += crumple.pan(0.15 * sw / (P.peak_abs(sw) + 1e-12), 0.1)
    y = modal.radiate(y, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=120.0)
    return B.finish(modal.fade_tail(y, sr))


FAMILY = Family(
    name="paper_handling",
    ucs="PAPRHndl",
    noun="paper handling",
    kind="oneshot",
    render=render,
    params=(
        Param("action", doc="What the hands do: rustle (shuffle sheets), crumple (ball up a sheet), page_turn "
              "(turn a page) or tear (rip a sheet)", choices=ACTIONS),
        Param("weight", doc="Paper weight: 0 tissue (faint, high, fizzy) .. 1 card stock (louder, lower, "
              "fewer clicks)", low_words=("thin", "tissue"), high_words=("thick", "heavy")),
        Param("moves", doc="How many gestures: 1 .. 4", unit="count", lo=1.0, hi=4.0),
        Param("crisp", doc="0 soft, old paper (dull, damp) .. 1 crisp new paper (sharp, crackling)",
              low_words=("soft",), high_words=("crisp", "crackling")),
    ),
    default_duration_s=1.5,
    nouns=(("paper handling", 0), ("paper", 0), ("sheet of paper", 1), ("paper rustle", 1)),
    scenes=("{adj} paper being handled{post}", "a {adj} sheet of paper{post}", "hands moving {adj} paper{post}"),
    tags=("paper", "foley", "handling"),
    keywords=("paper", "page", "pages", "sheet", "crumple", "crumpling", "tear paper", "rip paper",
              "page turn", "newspaper", "book page", "document", "letter"),
    **crumple.hand_words(_special, gesture_s=0.7),
    element_roles=("main", "material"),
    design_roles=("texture", "sweetener"),
    role_params={"texture": {"action": "crumple", "moves": -1.0, "space": -1.0}},
    category="foley",
    presets={
        "crumple a sheet": {"action": "crumple", "weight": -0.2, "moves": -1.0, "crisp": 0.6},
        "page turn": {"action": "page_turn", "weight": -0.3, "moves": -1.0, "crisp": 0.0},
        "rip paper": {"action": "tear", "weight": 0.0, "moves": -1.0, "crisp": 0.5, "rate": 0.2},
        "shuffle documents": {"action": "rustle", "weight": 0.0, "moves": 0.4, "crisp": 0.2},
        "newspaper": {"action": "rustle", "weight": -0.5, "moves": -0.33, "crisp": -0.3, "size": 0.5},
    },
)
