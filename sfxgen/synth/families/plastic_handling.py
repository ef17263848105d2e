"""plastic_handling: plastic handled: a bag rustled, a wrapper crinkled, a bottle crushed, a case
clattered.

Thin plastic film buckles in sharp clicks that ring a little longer than paper's (the film is
stiffer and less damped: :mod:`sfxgen.synth.physics.crumple`, power-law energies, clustered);
a crisp wrapper (cellophane, a crisp packet) crackles brightest; a bag is softer, with the
film sliding and flapping. A thin-walled bottle being crushed gives way in a few big
buckling pops, its wall and the air inside ringing at a few hundred hertz
(:mod:`sfxgen.synth.physics.modal`); a rigid case knocks and rattles as hard plastic bodies.

Common slots: ``rate`` the hand's speed (1.0 = a gesture every ~0.7 s); ``intensity`` how
vigorously; ``size`` bigger objects (lower, fuller); ``pitch`` and ``brightness`` the clicks'
resonance and tilt; ``decay`` the ring of bottles and cases.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, friction, modal

ACTIONS = ("bag", "wrapper", "bottle", "case")


def _special(ph: Physical, duration_s: float | None):
    a, adjectives, phrases = crumple.action_words(FAMILY.params, ph, {
        "bag": (["rustling"], ["from a plastic bag"]),
        "wrapper": (["crinkling", "crackling"], ["from a crinkly wrapper"]),
        "bottle": (["crushed", "crunching"], ["from a bottle being crushed"]),
        "case": (["clattering"], ["from a plastic case"])})
    return [("action", adjectives, phrases, a)]


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    action = FAMILY.params[0].choice(ph.aux[0])
    stiff = FAMILY.params[1].value(ph.aux[1])
    moves = crumple.hand_moves(FAMILY.params, ph)
    dur = n / sr
    t = np.arange(n) / sr
    force = 0.4 + 0.8 * ph.intensity
    ring = modal.ring_factor(ph.decay_s)
    sc = ph.pitch_ratio * 2.0 ** (-0.8 * (ph.size - 0.5))
    length = {"bag": 0.55, "wrapper": 0.6, "bottle": 0.7, "case": 0.35}[action] / ph.rate ** 0.7
    starts, k = crumple.gesture_starts(rng, moves, period_s=0.7 / ph.rate + 0.5 * length, length_s=length,
                                       dur_s=dur, tail_s=0.3)
    length *= k
    rate = np.zeros(n)
    slide_v = np.zeros(n)
    for t0, x, inside in crumple.gesture_windows(t, starts, length):  # a handful of gestures
        bump = inside * np.sin(np.pi * x)
        base = {"bag": 120.0, "wrapper": 500.0, "bottle": 60.0, "case": 0.0}[action]
        rate += base * (0.5 + stiff) * bump ** 1.3
        slide_v += bump * (0.8 if action == "bag" else 0.3 if action == "wrapper" else 0.15)
    rate *= force * (1.0 + 0.5 * B.smooth_random(rng, n, sr, 12.0))
    y = np.zeros((2, n))
    if action != "case":
        on = crumple.event_times(rng, n, sr, np.maximum(rate, 0.0), cap=int(5000 * min(dur, 8.0)) + 50,
                                 cluster=1.5 if action == "wrapper" else 0.8, cluster_ms=3.0)
        if on.size:
            e = crumple.power_law(rng, on.size, exponent=1.4, lo=1.0, hi=300.0)
            stiff_k = 2.0 ** (stiff - 0.5)  # a stiffer film buckles in smaller, higher facets
            f_lo = (2500.0 if action == "wrapper" else 1500.0) * sc * stiff_k
            f_hi = (14000.0 if action == "wrapper" else 9000.0) * min(sc * stiff_k, 1.5)
            film_ring = (0.0015 + 0.003 * stiff) * (1.4 if action == "wrapper" else 1.0)
            y = crumple.clicks(rng, n, sr, on, e * force, f_lo=f_lo, f_hi=f_hi, ring_s=film_ring,
                               tick_mix=0.1 + 0.5 * stiff, size_pitch=0.3, pans=np.clip(rng.normal(0, 0.35, on.size), -1, 1),
                               spread=0.45)
            y /= P.peak_abs(y) + 1e-12
    if action == "bottle":  # the wall buckling in a few loud pops; wall and air ring
        pops = np.concatenate([t0 + length * np.sort(rng.uniform(0.05, 0.9, 3 + int(3 * stiff))) for t0 in starts])
        wall = modal.body("plastic", 420.0 * sc, modal.plate_ratios(14, 1.8), rng=rng, tilt=-0.4,
                          decay_scale=0.6 * ring)
        air = modal.Body(np.array([260.0 * sc]), np.array([0.08 * ring]), np.array([1.5]))
        gp = force * rng.uniform(0.5, 1.0, pops.size)
        on_p = (pops * sr).astype(np.int64)
        pop = (modal.strikes(n, sr, wall, on_p, gp, rng=rng, hardness=0.9, detune=0.1)
               + 0.5 * modal.strikes(n, sr, air, on_p, gp, rng=rng, hardness=0.5))
        pop += 0.6 * modal.contact_clicks(rng, n, sr, on_p, gp, tau_s=0.0008, lo_hz=1200.0) * float(P.peak_abs(pop))
        y += crumple.pan(1.2 * pop / (P.peak_abs(pop) + 1e-12), 0.0)
    if action == "case":  # a rigid case: knocks and a rattle of its lid/contents
        hits = np.concatenate([t0 + length * np.concatenate([[0.0], np.sort(rng.uniform(0.2, 1.0, 2 + int(2 * stiff)))])
                               for t0 in starts])
        shell = modal.body("plastic", 650.0 * sc, modal.box_ratios(12), rng=rng, tilt=-0.3, decay_scale=0.4 * ring)
        gh = force * rng.uniform(0.3, 1.0, hits.size)
        on_h = (hits * sr).astype(np.int64)
        knock = modal.strikes(n, sr, shell, on_h, gh, rng=rng, hardness=0.8, detune=0.08)
        knock += 0.5 * modal.contact_clicks(rng, n, sr, on_h, gh, tau_s=0.0005, lo_hz=1500.0) * float(P.peak_abs(knock))
        y += crumple.pan(knock / (P.peak_abs(knock) + 1e-12), 0.1)
    if np.any(slide_v > 0):  # film sliding over itself and the hand
        # (a soft, thin film slides smoothly and dully; a stiff one hisses)
        rub = friction.rough_contact(rng, n, sr, slide_v * force, slope=1.3, corner_hz=2500.0 + 6000.0 * stiff,
                                     lo_hz=600.0)
        y += crumple.pan((0.2 + 0.25 * stiff) * rub / (P.peak_abs(rub) + 1e-12), 0.0)
    y = modal.radiate(y, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=80.0)
    return B.finish(modal.fade_tail(y, sr))


FAMILY = Family(
    name="plastic_handling",
    ucs="PLASHndl",
    noun="plastic handling",
    kind="oneshot",
    render=render,
    params=(
        Param("action", doc="What is handled: a bag (soft rustle and crinkle), a wrapper (crisp, bright "
              "crackle), a bottle (crushed: loud buckling pops) or a case (rigid knocks and rattle)",
              choices=ACTIONS),
        Param("stiffness", doc="0 soft, thin plastic (quiet, dull) .. 1 stiff, crisp plastic (loud, sharp)",
              low_words=("soft",), high_words=("crinkly", "crisp", "stiff")),
        Param("moves", doc="How many gestures: 1 .. 4", unit="count", lo=1.0, hi=4.0),
    ),
    default_duration_s=1.5,
    nouns=(("plastic handling", 0), ("plastic", 0), ("plastic packaging", 0)),
    scenes=("{adj} plastic being handled{post}", "hands handling {adj} plastic{post}", "a {adj} plastic rustle{post}"),
    tags=("plastic", "foley", "handling", "crinkle"),
    keywords=("plastic", "plastic bag", "wrapper", "crisp packet", "chip bag", "cellophane", "crinkle",
              "plastic bottle", "bottle crush", "plastic case", "packaging"),
    **crumple.hand_words(_special, gesture_s=0.7),
    element_roles=("main", "material"),
    design_roles=("texture", "sweetener"),
    role_params={"texture": {"action": "wrapper", "moves": -1.0, "space": -1.0}},
    category="foley",
    presets={
        "plastic bag": {"action": "bag", "stiffness": -0.2, "moves": -0.33},
        "crisp packet": {"action": "wrapper", "stiffness": 0.7, "moves": -1.0},
        "bottle crush": {"action": "bottle", "stiffness": 0.4, "moves": -1.0, "intensity": 0.5},
        "plastic case": {"action": "case", "stiffness": 0.5, "moves": -1.0},
        "candy wrapper in a theatre": {"action": "wrapper", "stiffness": 0.9, "moves": 0.3, "rate": -0.5,
                                       "intensity": -0.4, "space": 0.4},
    },
)
