"""hinge_squeal: a dry metal hinge squealing as it turns (stick-slip friction, tonal).

A hinge pin turning dry in its knuckle sticks and slips hundreds of times a second: the
friction force is a sawtooth whose rate rises with the turning speed and falls with the load
(:mod:`sfxgen.synth.physics.friction`). The slips lock onto the resonances of the hinge leaf and
whatever hangs on it, so the squeal holds a pitch, breaks and jumps to another, and wavers
where rust makes the slips irregular. The force drives the small hinge (bright, short ring)
and the door or gate it carries (lower, longer ring). Each swing is a speed bump: start, turn,
stop; between swings the hinge sticks in silence.

Common slots: ``pitch`` moves the slip rate and every resonance; ``size`` a bigger hinge and
leaf (lower, longer ring); ``rate`` the turning speed (faster = higher, shorter squeals);
``intensity`` the push (louder, a little higher); ``brightness`` tilts the result; ``decay``
the body ring.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import friction, modal


def swings_of(ph: Physical) -> int:
    """Number of swings (1..4) for this patch."""
    return int(round(FAMILY.params[0].value(ph.aux[0])))


def _special(ph: Physical, duration_s: float | None):
    k = swings_of(ph)
    if k == 1:
        return [("swings", ["single"], ["in one swing"], "single")]
    return [("swings", ["repeated"], ["back and forth", f"in {k} swings"], "repeated")]


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    swings = swings_of(ph)
    pressure, rust, lock, leaf = (FAMILY.params[i].value(ph.aux[i]) for i in range(1, 5))
    sc = ph.pitch_ratio
    ring = modal.ring_factor(ph.decay_s)
    length = (0.45 + 0.5 * ph.size) / ph.rate ** 0.8 * rng.uniform(0.85, 1.15, swings)
    pause = 0.2 / ph.rate * rng.uniform(0.6, 1.4, swings)
    v = friction.strokes(rng, n, sr, length, pause, shape="swing", tail_s=0.2)
    # the hinge leaf (small, bright) and the hung leaf/gate (larger, lower): the slips lock to them
    hinge = modal.body("steel", 620.0 * sc * 2.0 ** (-0.8 * (ph.size - 0.5)), modal.plate_ratios(8, 1.7),
                       rng=rng, tilt=-0.4, decay_scale=0.02 * ring)
    door = modal.body("steel", 160.0 * sc * 2.0 ** (-1.2 * (ph.size - 0.5)), modal.plate_ratios(24, 2.0),
                      rng=rng, tilt=-0.6, detune=0.03, decay_scale=0.05 * ring * (0.5 + ph.size))
    base = 900.0 * sc * (0.8 + 0.4 * ph.intensity) * ph.rate ** 0.5
    force = friction.creak(rng, n, sr, v, pressure=pressure, rust=rust, base_hz=base,
                           lock_modes_hz=np.concatenate([hinge.freqs_hz[:4], door.freqs_hz[2:10]]),
                           lock=lock, threshold=0.12)
    ring_h = P.resonator_bank(force, sr, hinge.freqs_hz, hinge.t60_s, hinge.amps)
    ir = door.ir(door.ring_len(sr, cap_s=1.0), sr, rng=rng, hardness=0.7)
    ring_d = B.convolve(force, ir)
    y = (ring_h / (P.peak_abs(ring_h) + 1e-12) + leaf * 0.8 * ring_d / (P.peak_abs(ring_d) + 1e-12)
         + 0.15 * B.highpass(force, 300.0, sr) / (P.peak_abs(force) + 1e-12))
    y = modal.radiate(y, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=60.0)
    return B.finish(modal.fade_tail(y[None, :], sr))


FAMILY = Family(
    name="hinge_squeal",
    ucs="METLFric",
    noun="squeaky hinge",
    kind="oneshot",
    render=render,
    params=(
        Param("swings", doc="How many times the hinge is turned: 1 .. 4 squeals with sticking pauses",
              unit="count", lo=1.0, hi=4.0),
        Param("pressure", doc="Load on the hinge: 0 light (fast, high squeak) .. 1 heavy (slower slips: a "
              "lower, grinding groan)", low_words=("squeaking", "high squeaky"), high_words=("groaning", "grinding")),
        Param("rust", doc="0 clean, steady tone .. 1 rusty: irregular slips, wavering and chattering",
              low_words=("clean", "steady"), high_words=("rusty", "chattering")),
        Param("lock", doc="How firmly the slips lock onto the hinge's resonances: 0 a free glide with the "
              "speed .. 1 held pitches that break and jump", low_words=("gliding",), high_words=("tonal", "singing")),
        Param("leaf", doc="How much the hung leaf/gate rings with the squeal: 0 the bare hinge .. 1 a big "
              "metal gate resonating", high_words=("on a metal gate",), where="post"),
    ),
    default_duration_s=2.0,
    nouns=(("squeaky hinge", 1), ("hinge squeal", 1), ("squeaking hinge", 1), ("rusty hinge squeak", 1)),
    scenes=("a {adj} hinge squealing as it turns{post}", "a {adj} squeaky hinge{post}",
            "the squeal of a {adj} dry metal hinge{post}"),
    tags=("hinge", "squeak", "squeal", "friction", "metal"),
    keywords=("hinge", "squeak", "squeal", "squeaky", "squeaking", "rusty hinge", "gate squeak", "friction squeal"),
    rate_words=(("slowly", "slow"), ("quickly", "fast")),
    rate_doc="1.0 = a swing of about 0.7 s",
    intensity_words=(("faint", "gentle"), ("loud", "shrieking")),
    special_words=_special,
    element_roles=("main", "material"),
    design_roles=("sweetener",),
    role_params={"sweetener": {"swings": -1.0, "leaf": -0.5, "space": -1.0}},
    category="door",
    presets={
        "rusty gate": {"swings": -1.0, "pressure": 0.3, "rust": 0.7, "lock": 0.4, "leaf": 0.8, "size": 0.4},
        "door hinge squeak": {"swings": -1.0, "pressure": -0.5, "rust": -0.2, "lock": 0.6, "leaf": -0.2},
        "back and forth": {"swings": 0.4, "rust": 0.2, "lock": 0.5, "rate": 0.3},
        "slow groan": {"swings": -1.0, "pressure": 0.9, "rust": 0.4, "rate": -0.7, "lock": 0.2, "size": 0.6},
    },
)
