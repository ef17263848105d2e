"""chain_rattle: a metal chain shaken, dragged or dropped.

A chain is many small steel rings knocking into each other. Each collision rings a link (a
small, stiff metal body, damped by the links it touches: a bright clink of tens of
milliseconds) with a hard contact tick; collision energies follow a power law (a few loud
clanks, many faint clinks: :mod:`sfxgen.synth.physics.crumple`) and their rate follows the
gesture: a **shake** bursts and settles, a **drag** is a steady stream of clinks over a gritty
slide, a **drop** is a cascade that piles up and settles. The links are spread across the
stereo image as panned sources.

Common slots: ``rate`` gesture speed (1.0 = a move every ~0.6 s); ``intensity`` how hard
(more, louder collisions); ``size`` heavier links (lower, fewer, longer clanks); ``pitch``
moves the link resonances; ``brightness`` tilts; ``decay`` the link ring.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, friction, modal

ACTIONS = ("shake", "drag", "drop")


def moves_of(ph: Physical) -> int:
    """Number of moves (1..4) for this patch."""
    return int(round(FAMILY.params[1].value(ph.aux[1])))


def _special(ph: Physical, duration_s: float | None):
    a = FAMILY.params[0].choice(ph.aux[0])
    words = {"shake": (["rattling", "shaken"], ["being shaken"]), "drag": (["dragged"], ["dragged across the floor"]),
             "drop": (["dropped"], ["dropped in a pile", "falling to the ground"])}[a]
    return [("action", words[0], words[1], a)]


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    action = FAMILY.params[0].choice(ph.aux[0])
    moves = moves_of(ph)
    heavy, settle, spread = (FAMILY.params[i].value(ph.aux[i]) for i in range(2, 5))
    dur = n / sr
    t = np.arange(n) / sr
    force = 0.4 + 0.8 * ph.intensity
    weight = 0.5 * heavy + 0.5 * ph.size
    # the gesture: collision rate over time (events/s)
    dens = (250.0 + 500.0 * ph.intensity) * (1.3 - 0.8 * weight)
    if action == "drag":
        length = min(0.9 / ph.rate * moves, 0.75 * dur)
        ramp = np.clip(np.minimum(t - 0.02, 0.02 + length - t) / 0.05, 0.0, 1.0)
        rate = dens * 0.5 * ramp * (1.0 + 0.6 * B.smooth_random(rng, n, sr, 6.0))
        slide_v = (rate > 0) * (0.7 + 0.3 * B.smooth_random(rng, n, sr, 3.0))
    else:
        period = 0.6 / ph.rate
        tail = (0.15 + 0.6 * settle) * (0.7 + 0.6 * weight)
        total = 0.02 + (moves - 1) * period + 0.12 + tail + 0.1
        k = crumple.fit_factor(total, dur)
        starts = 0.02 * k + np.arange(moves) * period * k * rng.uniform(0.85, 1.15, moves)
        rise = (0.12 if action == "shake" else 0.05) * k
        rate = crumple.gesture_rate(n, sr, starts, np.full(moves, 2 * rise), np.full(moves, dens))
        for t0 in starts:  # the settling tail after each move: fewer, softer collisions
            rate += dens * 0.35 * np.exp(-np.maximum(t - t0 - rise, 0.0) / max(tail * k / 3.0, 1e-3)) * (t > t0 + rise)
        slide_v = np.zeros(n)
    on = crumple.event_times(rng, n, sr, rate, cap=int(4000 * min(dur, 8.0) + 50), cluster=0.6, cluster_ms=4.0)
    if on.size == 0:
        on = np.array([int(0.02 * sr)])
    e = crumple.power_law(rng, on.size, exponent=1.7, lo=1.0, hi=300.0)
    g = force * np.sqrt(e / e.max())
    # the links: small steel rings (a heavy chain: bigger links, lower and longer)
    f1 = 2600.0 * ph.pitch_ratio * 2.0 ** (-1.6 * (weight - 0.5))
    ring = modal.ring_factor(ph.decay_s) * (0.6 + 0.8 * weight)
    link = modal.body("steel", f1, modal.chunk_ratios(rng, 9, 1.0), rng=rng, tilt=-0.3, decay_scale=0.012 * ring)
    pans = np.clip(rng.normal(0.0, 0.6 * spread + 0.05, on.size), -1, 1)

    y = modal.strikes(n, sr, link, on, g, rng=rng, hardness=0.9, contact_ms=0.4, variants=5, detune=0.25,
                      pans=pans, spread=0.55)
    y /= P.peak_abs(y) + 1e-12
    y += 0.4 * crumple.pan_buses(n, pans, lambda sel: modal.contact_clicks(
        rng, n, sr, on[sel], g[sel], tau_s=0.00025, lo_hz=2500.0), spread=0.55) / (float(np.max(g)) + 1e-9)
    y /= P.peak_abs(y) + 1e-12
    if action == "drag":  # the chain scraping over the floor under the clinks
        slide = friction.rough_contact(rng, n, sr, slide_v * force, slope=1.4, corner_hz=7000.0, lo_hz=500.0)
        y += crumple.pan(0.35 * slide / (P.peak_abs(slide) + 1e-12), 0.0)
    if action == "drop" or heavy > 0.7:  # the pile landing: a dull thud under the first clanks
        thud = B.noise_grains(rng, n, sr, on[:1], np.array([0.01 + 0.02 * weight]), np.array([1.0]))[0]
        thud = B.lowpass(thud, 300.0, sr, sparse=True)
        y += crumple.pan((0.2 + 0.5 * weight) * thud / (P.peak_abs(thud) + 1e-12), 0.0)
    y = modal.radiate(y, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=60.0)
    return B.finish(modal.fade_tail(y, sr))


FAMILY = Family(
    name="chain_rattle",
    ucs="CHAINMvmt",
    noun="chain rattle",
    kind="oneshot",
    render=render,
    params=(
        Param("action", doc="What happens to the chain: shaken (bursts that settle), dragged (a steady "
              "stream of clinks over a scrape) or dropped (a cascade into a pile)", choices=ACTIONS),
        Param("moves", doc="How many shakes/drops (1 .. 4); for a drag, how long it is dragged",
              unit="count", lo=1.0, hi=4.0),
        Param("heavy", doc="Link size: 0 a fine jewellery chain (tiny, bright clinks) .. 1 a heavy anchor "
              "chain (big, low clanks)", low_words=("fine", "light"), high_words=("heavy", "thick")),
        Param("settle", doc="How long the links keep moving after each move: 0 stops at once .. 1 a long "
              "settling rattle", high_words=("settling slowly",), where="post"),
        Param("spread", doc="How widely the links are spread across the stereo image: 0 one point .. 1 wide",
              low_words=(), high_words=()),
    ),
    default_duration_s=2.0,
    nouns=(("chain rattle", 1), ("metal chain", 1), ("rattling chain", 1), ("chains", 0)),
    scenes=("a {adj} metal chain rattling{post}", "{adj} chains clinking{post}", "a {adj} chain being moved{post}"),
    tags=("chain", "metal", "rattle", "clink"),
    keywords=("chain", "chains", "chain rattle", "rattling chains", "shackles", "clinking chain", "anchor chain"),
    rate_words=(("slow",), ("fast", "frantic")),
    rate_doc="1.0 = a move every ~0.6 s",
    intensity_words=(("gentle", "light"), ("violent", "hard")),
    special_words=_special,
    element_roles=("main", "material"),
    design_roles=("texture", "sweetener"),
    role_params={"texture": {"action": "shake", "moves": -1.0, "space": -0.6}},
    category="foley",
    presets={
        "shackles shaken": {"action": "shake", "moves": -0.33, "heavy": 0.0, "settle": -0.2},
        "chain dragged": {"action": "drag", "moves": 0.3, "heavy": 0.3, "intensity": 0.2},
        "heavy chain drop": {"action": "drop", "moves": -1.0, "heavy": 0.8, "settle": 0.5, "intensity": 0.6},
        "keychain jingle": {"action": "shake", "moves": -1.0, "heavy": -1.0, "size": -0.8, "settle": -0.6},
    },
)
