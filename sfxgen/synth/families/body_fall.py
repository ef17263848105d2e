"""body_fall: a human body falling to the ground: several contacts, flesh thud, floor, clothing.

A falling body does not land at once: knees or hip first, then the torso, then an arm or the
head, within a few tenths of a second, each contact softer or harder. Each contact is a heavy,
soft strike (contact times of several milliseconds: flesh over bone, :mod:`sfxgen.synth.physics.modal`
``flesh``: a low, non-ringing thud) that also strikes the floor (a wooden floor booms, concrete
is dull and hard, earth is muffled and gritty, a metal deck rings), with a skin slap on hard
floors and the rustle of clothing around the whole fall.

Common slots: ``size`` with ``weight`` the body (deeper, heavier); ``intensity`` the height
and force of the fall (louder, harder); ``rate`` how quickly the contacts follow each other
(1.0 = spread over ~0.3 s); ``pitch`` and ``brightness`` the floor's and the thud's tuning;
``decay`` the floor's ring.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, friction, modal

SURFACES = ("wood", "concrete", "dirt", "metal")
_SURF_POST = {"wood": ["on a wooden floor"], "concrete": ["on concrete", "on a hard floor"],
              "dirt": ["on the dirt", "on soft ground"], "metal": ["on a metal deck", "on metal grating"]}


def contacts_of(ph: Physical) -> int:
    return int(round(FAMILY.params[2].value(ph.aux[2])))


def _special(ph: Physical, duration_s: float | None):
    s = FAMILY.params[0].choice(ph.aux[0])
    return [("surface", [], _SURF_POST[s], s)]


def _floor(surface: str, ph: Physical, rng: np.random.Generator) -> modal.Body:
    sc = ph.pitch_ratio
    ring = modal.ring_factor(ph.decay_s)
    if surface == "wood":
        return modal.body("wood", 85.0 * sc, modal.plate_ratios(24, 1.8), rng=rng, tilt=-0.7, detune=0.04,
                          decay_scale=0.5 * ring)
    if surface == "metal":
        return modal.body("steel", 140.0 * sc, modal.plate_ratios(30, 1.5), rng=rng, tilt=-0.5, detune=0.03,
                          decay_scale=0.04 * ring)
    if surface == "dirt":
        return modal.body("flesh", 70.0 * sc, modal.box_ratios(6), rng=rng, tilt=-1.5, decay_scale=0.6)
    return modal.body("stone", 110.0 * sc, modal.chunk_ratios(rng, 14, 2.5), rng=rng, tilt=-0.8, decay_scale=0.15 * ring)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    surface = FAMILY.params[0].choice(ph.aux[0])
    weight = FAMILY.params[1].value(ph.aux[1])
    contacts = contacts_of(ph)
    cloth, slap = (FAMILY.params[i].value(ph.aux[i]) for i in range(3, 5))
    dur = n / sr
    heavy = 0.5 * weight + 0.5 * ph.size
    force = 0.4 + 0.8 * ph.intensity
    spread = (0.3 / ph.rate) * (0.7 + 0.6 * heavy)
    lead = 0.05 + 0.1 * cloth
    total = lead + spread + 0.5
    k = crumple.fit_factor(total, dur)
    lead, spread = lead * k, spread * k
    # contact times and strengths: the torso (the biggest) is the main hit
    frac = np.sort(np.concatenate([[0.0], rng.uniform(0.15, 1.0, contacts - 1)])) if contacts > 1 else np.zeros(1)
    tc = lead + spread * frac
    main = min(1, contacts - 1)
    g = np.where(np.arange(contacts) == main, 1.0, rng.uniform(0.35, 0.7, contacts)) * force
    on = (tc * sr).astype(np.int64)
    sc = ph.pitch_ratio * 2.0 ** (-1.0 * (heavy - 0.5))
    flesh = modal.body("flesh", 115.0 * sc, modal.box_ratios(12), rng=rng, tilt=-0.6, decay_scale=1.0)
    soft_ms = 4.0 + 6.0 * heavy
    thud = modal.strikes(n, sr, flesh, on, g, rng=rng, hardness=0.35, contact_ms=soft_ms, detune=0.1)
    thud /= P.peak_abs(thud) + 1e-12
    floor = _floor(surface, ph, rng)
    fl = modal.strikes(n, sr, floor, on, g, rng=rng, hardness=0.4, contact_ms=soft_ms * 0.6, detune=0.05)
    fl /= P.peak_abs(fl) + 1e-12
    floor_mix = {"wood": 0.7, "concrete": 0.35, "dirt": 0.25, "metal": 0.6}[surface]
    y = 0.8 * thud + floor_mix * fl
    # skin/clothes slapping a hard floor: a short, bright broadband burst at each contact
    hard_floor = {"wood": 0.7, "concrete": 1.0, "dirt": 0.2, "metal": 0.9}[surface]
    sl = modal.contact_clicks(rng, n, sr, on, g, tau_s=0.003 + 0.003 * heavy, lo_hz=500.0, hi_hz=9000.0)
    y += (0.25 + 0.6 * slap) * hard_floor * sl / (P.peak_abs(sl) + 1e-12)
    if surface == "dirt":  # grit and leaves crushed under the body
        ev = crumple.event_times(rng, n, sr, crumple.gesture_rate(n, sr, tc, np.full(contacts, 0.12 * k), g * 500.0),
                                 cap=2000, cluster=0.5)
        if ev.size:
            grit = crumple.clicks(rng, n, sr, ev, crumple.power_law(rng, ev.size, exponent=1.7, hi=50.0),
                                  f_lo=1200.0, f_hi=7000.0, ring_s=0.0006, tick_mix=0.7)[0]
            y += 0.3 * grit / (P.peak_abs(grit) + 1e-12)
    out = crumple.pan(y, 0.0)
    # clothing: rustle through the fall, peaking at the contacts
    if cloth > 0.02:
        t = np.arange(n) / sr
        v = np.clip((t - 0.02 * k) / max(lead, 1e-3), 0.0, 1.0) * (t < tc[-1] + 0.15 * k)
        v = v * (0.5 + 0.5 * crumple.gesture_rate(n, sr, tc - 0.03 * k, np.full(contacts, 0.12 * k), np.ones(contacts)))
        rub = friction.rough_contact(rng, n, sr, v * force, slope=1.5, corner_hz=6000.0, lo_hz=400.0)
        out += crumple.pan(0.18 * cloth * rub / (P.peak_abs(rub) + 1e-12), 0.15)
    out = modal.radiate(out, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=45.0, order=4)
    return B.finish(modal.fade_tail(out, sr))


FAMILY = Family(
    name="body_fall",
    ucs="FGHTBf",
    noun="body fall",
    kind="oneshot",
    render=render,
    params=(
        Param("surface", doc="What the body lands on: a wooden floor (boomy), concrete (hard, dull, slappy), "
              "dirt (muffled, gritty) or a metal deck (ringing)", choices=SURFACES),
        Param("weight", doc="0 a light body .. 1 a heavy one (deeper, longer contacts)",
              low_words=("light",), high_words=("heavy",)),
        Param("contacts", doc="How many distinct contacts (knees, torso, arm, head): 1 .. 4",
              unit="count", lo=1.0, hi=4.0),
        Param("cloth", doc="Clothing rustle around the fall: 0 none .. 1 a lot (heavy coat, gear)",
              high_words=("with clothes rustling",), where="post"),
        Param("slap", doc="Skin and clothes slapping the floor: 0 a pure thud .. 1 a loud slap",
              high_words=("slapping",)),
    ),
    default_duration_s=1.5,
    nouns=(("body fall", 1), ("body falling to the ground", 1), ("bodyfall", 1), ("person collapsing", 1)),
    scenes=("a {adj} body falling to the floor{post}", "a person {adj} collapsing to the ground{post}",
            "a {adj} body hitting the ground{post}"),
    tags=("body", "fall", "bodyfall", "thud", "foley"),
    keywords=("body fall", "bodyfall", "falls to the ground", "collapse", "collapses", "falling body", "knocked down",
              "drops dead", "thud", "person falls"),
    rate_words=(("slumping", "slow"), ("sudden", "quick")),
    rate_doc="1.0 = contacts spread over ~0.3 s",
    intensity_words=(("gentle", "slumping"), ("hard", "violent")),
    special_words=_special,
    element_roles=("main",),
    design_roles=("body",),
    role_params={"body": {"surface": "concrete", "contacts": -1.0, "cloth": -1.0, "space": -1.0}},
    category="impact",
    presets={
        "on wooden floor": {"surface": "wood", "weight": 0.2, "contacts": -0.33, "cloth": 0.0, "slap": -0.2},
        "on concrete": {"surface": "concrete", "weight": 0.2, "contacts": 0.33, "cloth": 0.2, "slap": 0.4},
        "into the dirt": {"surface": "dirt", "weight": 0.4, "contacts": -0.33, "cloth": 0.4, "slap": -0.8},
        "on a metal deck": {"surface": "metal", "weight": 0.0, "contacts": 0.33, "cloth": 0.2},
        "heavy soldier": {"surface": "concrete", "weight": 0.9, "contacts": 1.0, "cloth": 0.9, "size": 0.5,
                          "intensity": 0.6},
    },
)
