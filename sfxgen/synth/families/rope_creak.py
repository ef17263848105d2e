"""rope_creak: a rope under changing tension creaking against wood (mooring lines, rigging, a
hanging rope or a swing), a texture that follows the sway.

As the load sways the rope's tension rises and falls; where it wraps a post, bollard or beam,
the rope slides a little whenever the tension changes, and its fibres stick and slip
(:func:`sfxgen.synth.physics.friction.creak`: a slow, irregular slip train, a groan whose slip
rate rises with the sliding speed and falls with the tension). Strands shifting inside the
rope add a fine crackle (:mod:`sfxgen.synth.physics.crumple`), and the wood it bears on rings
under it (damped low modes). Creaks come in pairs, one per swing direction, strongest where
the tension changes fastest; the rope and post sit to one side, the stretch crackle to the
other.

Common slots: ``rate`` the sway (1.0 = a 2.4 s swing cycle); ``intensity`` the load (louder,
more creaks); ``size`` a thicker rope on a bigger post (lower); ``pitch`` moves the slips and
the wood; ``brightness`` tilts; ``decay`` the wood's ring.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, friction, modal


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    tension, fibres, wood, dryness = (FAMILY.params[i].value(ph.aux[i]) for i in range(4))
    dur = n / sr
    period = 2.4 / ph.rate
    if dur < 0.6 * period:  # a short clip: one strain, not a fraction of a slow sway
        period = dur / 0.6
    load = 0.4 + 0.6 * ph.intensity
    # tension follows the sway; the rope slides on the post where the tension changes
    ph0 = rng.random()
    sway = np.cumsum(1.0 + 0.15 * B.smooth_random(rng, n, sr, 0.8)) / (sr * period) + ph0
    ten = 0.5 + 0.5 * P.sin_cycles(sway)
    slide = np.abs(np.gradient(ten) * sr * period / (2 * np.pi))
    slide = np.clip(slide * (0.85 + 0.3 * B.smooth_random(rng, n, sr, 2.0)), 0.0, 1.0)
    sc = ph.pitch_ratio * 2.0 ** (-1.0 * (ph.size - 0.5))
    base = 30.0 * sc * (1.0 + 0.8 * ph.rate ** 0.5)
    force = friction.creak(rng, n, sr, slide, pressure=0.3 + 0.7 * tension, rust=0.35 + 0.6 * dryness,
                           base_hz=base, threshold=0.25)
    force *= load * (0.4 + 0.6 * ten)
    # a slip train this slow has its fundamental near 20-60 Hz, which a rope and a post do not
    # radiate: only the slips' edges (their harmonics) are heard
    force = B.highpass(force, max(110.0 * sc, 60.0), sr, 4)
    ring = modal.ring_factor(ph.decay_s)
    post = modal.body("wood", 120.0 * sc, modal.BAR_RATIOS[:8], rng=rng, tilt=-0.2, decay_scale=0.25 * ring)
    post_r = B.convolve(force, post.ir(post.ring_len(sr, cap_s=0.8), sr, rng=rng, hardness=0.6))
    # the fibres themselves: a fiddly, band-limited rasp (the rope's own slip noise)
    rasp = B.bandpass(force, 300.0 * sc, 3500.0 * sc, sr)
    creak = wood * post_r / (P.peak_abs(post_r) + 1e-12) + (1.0 - 0.5 * wood) * rasp / (P.peak_abs(rasp) + 1e-12)
    # strands shifting under load: fine crackle, densest as the tension peaks and changes
    y = crumple.pan(creak, -0.25)
    if fibres > 0.02:
        rate = (40.0 + 260.0 * fibres) * load * ten * (0.3 + slide)
        on = crumple.event_times(rng, n, sr, rate, cap=int(2500 * min(dur, 10.0)) + 20, cluster=1.0, cluster_ms=3.0)
        if on.size:
            e = crumple.power_law(rng, on.size, exponent=1.8, lo=1.0, hi=100.0)
            cr = crumple.clicks(rng, n, sr, on, e, f_lo=900.0 * sc, f_hi=5000.0 * sc, ring_s=0.0012, tick_mix=0.6)[0]
            y += crumple.pan(0.5 * fibres * cr / (P.peak_abs(cr) + 1e-12), 0.25)
    y = modal.radiate(y, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=60.0, order=4)
    return B.finish(y)


FAMILY = Family(
    name="rope_creak",
    ucs="ROPECreak",
    noun="rope creaking",
    kind="texture",
    render=render,
    params=(
        Param("tension", doc="How taut the rope is: 0 slack (quick, light creaks) .. 1 bar-tight (slow, "
              "deep groans)", low_words=("slack",), high_words=("taut", "straining")),
        Param("fibres", doc="Crackle of strands shifting inside the rope: 0 none .. 1 a crisp crackle",
              high_words=("crackling",)),
        Param("wood", doc="How much the post or beam the rope bears on rings: 0 just the rope .. 1 a "
              "resonant wooden mast/beam", high_words=("against a wooden beam", "on a wooden mast"),
              where="post"),
        Param("dryness", doc="0 a wet, smooth rope (steady groans) .. 1 a dry rope (jerky, irregular creaks)",
              low_words=("wet",), high_words=("dry", "jerky")),
    ),
    default_duration_s=5.0,
    nouns=(("rope creaking", 0), ("creaking rope", 1), ("rope under tension", 1), ("ship's rigging creaking", 0)),
    scenes=("a {adj} rope creaking under tension{post}", "{adj} ropes creaking on a moored ship{post}",
            "a {adj} rope straining against a post{post}"),
    tags=("rope", "creak", "tension", "ship", "rigging"),
    keywords=("rope", "ropes", "rope creak", "rigging", "mooring", "hanging rope", "swing rope", "ship creak",
              "noose", "tension"),
    rate_words=(("slowly swaying", "slow"), ("rapidly swaying", "fast")),
    rate_doc="1.0 = a 2.4 s sway cycle",
    intensity_words=(("light", "gentle"), ("heavy", "straining")),
    sized=True,
    element_roles=("main", "material"),
    design_roles=("texture", "bed"),
    role_params={"texture": {"fibres": 0.2, "space": -0.6}},
    category=None,
    presets={
        "moored ship": {"tension": 0.4, "fibres": -0.2, "wood": 0.6, "dryness": 0.0, "rate": -0.4, "space": 0.2},
        "swing rope": {"tension": -0.2, "fibres": 0.2, "wood": 0.0, "dryness": 0.3, "rate": 0.2},
        "hanging heavy load": {"tension": 0.9, "fibres": 0.4, "wood": 0.6, "dryness": 0.6, "intensity": 0.6,
                               "rate": -0.7},
        "tug of war": {"tension": 0.7, "fibres": 0.8, "wood": -1.0, "dryness": 0.8, "rate": 0.7, "intensity": 0.8},
    },
)
