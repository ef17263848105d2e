"""liquid_pour: liquid poured into a vessel, which fills (the pitch rises as it fills).

The falling stream entrains air where it hits the surface: a stream of bubbles, each ringing at
its Minnaert frequency and chirping up as it settles (:mod:`sfxgen.synth.physics.fluids`;
bubble sizes drawn from a distribution set by the flow: a thin trickle makes small, bright
bubbles, a heavy glug big, low ones), over the turbulent splash noise of the impact. The air
column left above the liquid is a quarter-wave resonator that filters everything: as the
vessel fills the column shortens and its resonance rises, the cue that tells the ear "nearly
full". Pouring starts with a short splash against the bottom and ends as the stream thins
out and the last drips fall.

Common slots: ``rate`` the flow (1.0 = a steady kitchen pour; more is faster, fuller);
``size`` the vessel (a longer air column: lower); ``pitch`` moves the column and the bubbles;
``intensity`` the fall height (more splash, more and bigger bubbles); ``brightness`` tilts;
``decay`` the last drips.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import fluids, modal

VESSELS = ("glass", "bottle", "mug", "bucket")
_VESSEL = {  # air column length when empty (m), how strongly the walls ring/resonate, wall tone
    "glass": (0.12, 1.0, 0.6), "bottle": (0.22, 1.6, 0.4), "mug": (0.09, 0.8, 0.3), "bucket": (0.3, 0.7, 0.5)}


def _special(ph: Physical, duration_s: float | None):
    v = FAMILY.params[0].choice(ph.aux[0])
    return [("vessel", [], {"glass": ["into a glass"], "bottle": ["into a bottle"], "mug": ["into a mug"],
                            "bucket": ["into a bucket"]}[v], v)]


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    vessel = FAMILY.params[0].choice(ph.aux[0])
    fill_from, fill_to, viscosity, drips = (FAMILY.params[i].value(ph.aux[i]) for i in range(1, 5))
    dur = n / sr
    t = np.arange(n) / sr
    L0, reso, wall = _VESSEL[vessel]
    L0 *= 2.0 ** (1.2 * (ph.size - 0.5)) / ph.pitch_ratio
    flow = ph.rate
    # the pour: stream on, steady, thinning out at the end (within the clip)
    t_on, t_off = 0.02, max(dur - (0.15 + 0.4 * drips) * min(1.0, dur / 1.5), 0.6 * dur)
    ramp_in, ramp_out = min(0.06, 0.2 * t_off), min(0.25, 0.3 * t_off)
    stream = np.clip((t - t_on) / ramp_in, 0.0, 1.0) * np.clip((t_off - t) / ramp_out, 0.0, 1.0)
    stream *= 1.0 + 0.25 * B.smooth_random(rng, n, sr, 3.0 + 3.0 * flow)
    stream = np.maximum(stream, 0.0)
    # fill level: the air column shrinks from fill_from to fill_to over the pour
    prog = np.clip((t - t_on) / max(t_off - t_on, 1e-3), 0.0, 1.0)
    level = fill_from + (fill_to - fill_from) * prog
    column = L0 * np.maximum(1.0 - level, 0.06) + 0.02  # (+ end correction)
    f_col = fluids.quarter_wave_hz(column)
    height = 0.3 + 0.7 * ph.intensity
    # bubbles: rate follows the flow; radii log-normal around a size set by flow and viscosity
    rate_b = (120.0 + 500.0 * flow ** 0.7) * height * (1.0 - 0.6 * viscosity) * stream
    on = B.onsets(rng, rate_b, n, sr, cap=int(3000 * min(dur, 10.0)) + 20)
    r_med = 1.0e-3 * (0.8 + 1.5 * viscosity + 0.6 * height) * flow ** 0.3 / ph.pitch_ratio
    radii = np.exp(rng.normal(np.log(r_med), 0.55, on.size))
    amp = rng.uniform(0.3, 1.0, on.size) * stream[np.minimum(on, n - 1)]
    bub = fluids.bubbles(n, sr, on, radii, gains=amp, xi=0.1, damping=1.0 + 3.0 * viscosity)
    # the stream's impact: turbulent splash noise, louder from higher
    splash = B.bandpass(B.white(rng, n), 400.0, 9000.0, sr) * stream * height
    # glugs of a thick liquid / a bottle neck: big slow bubbles at a few per second
    glug = np.zeros(n)
    if viscosity > 0.3 or vessel == "bottle":
        g_on = B.onsets(rng, (3.0 + 5.0 * flow) * stream, n, sr, cap=200)
        g_r = rng.uniform(4e-3, 9e-3, g_on.size) / ph.pitch_ratio
        glug = fluids.bubbles(n, sr, g_on, g_r, gains=1.5, xi=0.25, damping=1.5 + 2.0 * viscosity)
    y = bub / (P.peak_abs(bub) + 1e-12) + 0.35 * (1.0 - 0.7 * viscosity) * splash / (P.peak_abs(splash) + 1e-12) \
        + 0.6 * glug / (P.peak_abs(glug) + 1e-12)
    # the air column above the liquid: a resonance that rises as the vessel fills
    q = 4.0 * reso

    def col_gain(f, tt):
        fc = np.interp(tt, t, f_col)
        return 0.35 + reso * P.band_gain(f, fc, q) + 0.5 * reso * P.band_gain(f, 3.0 * fc, q)

    y = P.stft_shape(y, sr, col_gain, frame=1024)
    # the vessel's wall: a faint ring under the first splash against the empty bottom
    first = B.noise_grains(rng, n, sr, np.array([int(t_on * sr)]), np.array([0.01]), np.array([1.0]))[0]
    y += wall * 0.3 * (1.0 - fill_from) * B.bandpass(first, 800.0, 6000.0, sr, sparse=True) * height
    # last drips after the stream stops
    if drips > 0.05:
        m = 1 + int(5 * drips)
        td = t_off + np.cumsum(rng.uniform(0.05, 0.25, m)) * (0.6 + 0.8 * min(ph.decay_s, 2.0))
        td = td[td < dur - 0.05]
        dr = fluids.bubbles(n, sr, (td * sr).astype(np.int64), rng.uniform(1.5e-3, 3e-3, td.size) / ph.pitch_ratio,
                            gains=rng.uniform(0.3, 0.7, td.size), xi=0.15)
        y += 0.5 * dr / (P.peak_abs(dr) + 1e-12) * float(np.std(y) * 6.0)
    y = modal.radiate(y, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=80.0, order=4)
    return B.finish(y[None, :])


FAMILY = Family(
    name="liquid_pour",
    ucs="WATRPour",
    noun="liquid pouring",
    kind="texture",
    render=render,
    params=(
        Param("vessel", doc="What is filled: a glass, a bottle (long neck: a strong, rising resonance and "
              "glugs), a mug or a bucket (wide, lower)", choices=VESSELS),
        Param("fill_from", doc="How full the vessel is when the pour starts", unit="fraction", lo=0.0, hi=0.8),
        Param("fill_to", doc="How full it is when the pour ends (the column's pitch rises from the first to "
              "this)", unit="fraction", lo=0.2, hi=0.97, high_words=("filling to the brim",), where="post"),
        Param("viscosity", doc="0 water (fine, bright bubbles) .. 1 a thick liquid (syrupy glugs, damped "
              "bubbles)", low_words=(), high_words=("thick", "syrupy", "glugging")),
        Param("drips", doc="Drips falling after the pour stops: 0 none .. 1 several",
              high_words=("with last drips",), where="post"),
    ),
    default_duration_s=3.0,
    nouns=(("liquid pouring", 0), ("water pouring", 0), ("pour", 1)),
    scenes=("{adj} water being poured{post}", "a {adj} drink being poured{post}", "{adj} liquid poured{post}"),
    tags=("water", "pour", "liquid", "drink", "fill"),
    keywords=("pour", "pouring", "poured", "fill a glass", "filling", "drink", "liquid", "water pour", "beer pour",
              "glass of water", "bottle"),
    rate_words=(("trickling", "slow"), ("gushing", "fast")),
    rate_doc="1.0 = a steady kitchen pour",
    intensity_words=(("gentle", "low"), ("splashy", "from high up")),
    special_words=_special,
    sized=True,
    element_roles=("main",),
    design_roles=("texture",),
    role_params={"texture": {"vessel": "glass", "drips": -1.0}},
    category="water",
    presets={
        "glass of water": {"vessel": "glass", "fill_from": -1.0, "fill_to": 0.6, "viscosity": -1.0, "drips": -0.4},
        "beer into a glass": {"vessel": "glass", "fill_from": -1.0, "fill_to": 0.8, "viscosity": -0.6, "rate": 0.3,
                              "intensity": 0.3},
        "filling a bottle": {"vessel": "bottle", "fill_from": -1.0, "fill_to": 1.0, "viscosity": -1.0, "rate": -0.2},
        "syrup": {"vessel": "mug", "fill_from": -0.5, "fill_to": 0.0, "viscosity": 0.9, "rate": -0.6},
        "bucket": {"vessel": "bucket", "fill_from": -1.0, "fill_to": 0.0, "viscosity": -1.0, "rate": 0.8,
                   "intensity": 0.6, "size": 0.5},
    },
)
