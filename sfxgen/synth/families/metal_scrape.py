"""metal_scrape: something dragged or scraped across metal, in strokes.

Rough sliding contact (:func:`sfxgen.synth.physics.friction.rough_contact`: the surface's
roughness read at the sliding speed, so faster strokes are louder and brighter) drives the
modes of the scraped metal body: a large sheet (dense plate modes, long ring), a pipe or
beam (sparser bar modes, clangorous) or a blade (thin, high, singing). Under pressure and at
low speed the contact can lock into stick-slip and screech (a tonal squeal riding on the
scrape). Each stroke is a speed bump: pushed off, dragged, stopped; the body rings on after
each stroke, panned slightly apart from the contact point.

Common slots: ``rate`` the stroke speed (1.0 = a 0.6 s stroke); ``intensity`` the force
(louder, rougher); ``size`` the body (lower, longer ring); ``pitch`` moves the body's modes;
``brightness`` tilts the contact noise and the modes; ``decay`` the body's ring.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, friction, modal

BODIES = ("sheet", "pipe", "blade")


def strokes_of(ph: Physical) -> int:
    """Number of strokes (1..4) for this patch."""
    return int(round(FAMILY.params[1].value(ph.aux[1])))


def _special(ph: Physical, duration_s: float | None):
    out = []
    k = strokes_of(ph)
    if k >= 2:
        out.append(("strokes", ["repeated"], [f"in {k} strokes", "back and forth"], "repeated"))
    b = FAMILY.params[0].choice(ph.aux[0])
    out.append(("body", [], {"sheet": ["across a metal sheet"], "pipe": ["along a metal pipe"],
                             "blade": ["along a blade"]}[b], b))
    return out


def _body(kind: str, ph: Physical, rng: np.random.Generator, ring_mix: float) -> modal.Body:
    sc = ph.pitch_ratio * 2.0 ** (-1.2 * (ph.size - 0.5))
    ring = float(np.clip((ph.decay_s / 0.5) ** 0.5, 0.3, 3.0)) * (0.25 + 0.75 * ring_mix)
    tilt = -0.9 + 0.8 * ph.brightness
    if kind == "pipe":
        return modal.body("steel", 240.0 * sc, modal.BAR_RATIOS, rng=rng, tilt=tilt + 0.3, detune=0.01,
                          decay_scale=0.15 * ring)
    if kind == "blade":
        return modal.body("steel", 900.0 * sc, modal.BAR_RATIOS[:8], rng=rng, tilt=tilt + 0.4, detune=0.01,
                          decay_scale=0.25 * ring)
    return modal.body("steel", 110.0 * sc, modal.plate_ratios(36, 1.4), rng=rng, tilt=tilt, detune=0.03,
                      decay_scale=0.12 * ring)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    kind = FAMILY.params[0].choice(ph.aux[0])
    strokes = strokes_of(ph)
    rough, screech, ring_mix = (FAMILY.params[i].value(ph.aux[i]) for i in range(2, 5))
    length = 0.6 / ph.rate ** 0.8 * rng.uniform(0.8, 1.2, strokes)
    gap = 0.25 / ph.rate * rng.uniform(0.7, 1.3, strokes)
    v = friction.strokes(rng, n, sr, length, gap, shape="push", tail_s=0.3, wobble=0.25, wobble_hz=12.0)
    force = 0.4 + 0.8 * ph.intensity
    contact = friction.rough_contact(rng, n, sr, v * force, slope=2.6 - 1.6 * rough,
                                     corner_hz=5000.0 + 9000.0 * ph.brightness)
    body = _body(kind, ph, rng, ring_mix)
    ir = body.ir(body.ring_len(sr, cap_s=2.0), sr, rng=rng, hardness=0.8)
    drive = contact
    if screech > 0.02:  # stick-slip screech: slow, pressed strokes lock into a squeal
        slow = np.clip(1.2 - 1.5 * v, 0.0, 1.0) * (v > 0.08)
        sq = friction.creak(rng, n, sr, v, pressure=0.5 + 0.5 * ph.intensity, rust=0.25, base_hz=2200.0 * ph.pitch_ratio,
                            lock_modes_hz=body.freqs_hz[2:14], lock=0.85, threshold=0.06)
        drive = drive + 4.0 * screech * sq * slow * float(np.std(contact) + 1e-9) / (float(np.std(sq)) + 1e-9)
    rung = B.convolve(drive, ir)
    direct = B.highpass(drive, 1200.0, sr)
    rung /= P.peak_abs(rung) + 1e-12
    direct /= P.peak_abs(direct) + 1e-12
    y = crumple.pan(0.6 * direct + 0.4 * rung, 0.2) + crumple.pan((0.3 + 0.7 * ring_mix) * rung, -0.2)
    y = modal.radiate(y, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=60.0)
    return B.finish(modal.fade_tail(y, sr))


FAMILY = Family(
    name="metal_scrape",
    ucs="METLFric",
    noun="metal scrape",
    kind="oneshot",
    render=render,
    params=(
        Param("body", doc="What is scraped: a large metal sheet (dense, long ring), a pipe or beam "
              "(clangorous bar modes) or a blade (thin, high, singing)", choices=BODIES),
        Param("strokes", doc="How many strokes: 1 .. 4", unit="count", lo=1.0, hi=4.0),
        Param("roughness", doc="Surface roughness: 0 smooth (a hiss-like slide) .. 1 coarse (gritty, "
              "grinding)", low_words=("smooth",), high_words=("grinding", "gritty", "rough")),
        Param("screech", doc="Stick-slip screech in slow, pressed parts of a stroke: 0 none .. 1 a loud "
              "tonal squeal", high_words=("screeching", "squealing")),
        Param("ring", doc="How much and how long the scraped body rings out: 0 damped (held: mostly the "
              "contact, a short ring) .. 1 a free, resonant, singing body", low_words=("dull", "damped"),
              high_words=("ringing", "resonant")),
    ),
    default_duration_s=2.0,
    nouns=(("metal scrape", 1), ("scrape on metal", 1), ("metal scraping", 0)),
    scenes=("a {adj} metal object scraped across steel{post}", "a {adj} scrape of metal on metal{post}",
            "something {adj} dragged over metal{post}"),
    tags=("metal", "scrape", "friction", "grind"),
    keywords=("scrape", "scraping", "metal scrape", "grinding metal", "metal friction", "drag metal",
              "screech", "metal on metal"),
    rate_words=(("slow",), ("fast", "quick")),
    rate_doc="1.0 = a 0.6 s stroke",
    intensity_words=(("light", "gentle"), ("heavy", "hard")),
    special_words=_special,
    element_roles=("main", "material"),
    design_roles=("texture", "sweetener"),
    role_params={"texture": {"strokes": -1.0, "body": "sheet", "screech": -1.0, "space": -1.0}},
    category="tools",
    presets={
        "blade scrape": {"body": "blade", "strokes": -1.0, "roughness": -0.4, "ring": 0.6, "rate": 0.3},
        "heavy drag on steel plate": {"body": "sheet", "strokes": -1.0, "roughness": 0.6, "intensity": 0.6,
                                      "rate": -0.6, "size": 0.4},
        "screeching pipe": {"body": "pipe", "strokes": -0.33, "screech": 0.8, "ring": 0.4, "intensity": 0.5},
        "back and forth grind": {"body": "sheet", "strokes": 1.0, "roughness": 0.8, "rate": 0.6},
    },
)
