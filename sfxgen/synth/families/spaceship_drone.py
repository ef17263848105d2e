"""Spaceship drone: the engine bed of a ship's interior or fly-over.

Detuned saw stacks through a slowly breathing low-pass, a tonal engine whine with beating and a
deep rumble. Size lowers it; rate speeds the breathing.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import norm_peak, place_two
from sfxgen.synth.family import BED_LAYER, Family, Param, Physical

DEFAULT_DURATION_S = 6.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Spaceship interior/flyby drone: detuned saw stacks (different per side, so it is wide)
    through a slowly breathing low-pass, a tonal engine whine with beating, and deep rumble.

    aux: engine_tone (whine level), modulation (filter and amplitude motion), rumble.
    """
    sr = sample_rate
    tone, mod, rumble = ph.aux[:3]
    f0 = 55.0 * ph.pitch_ratio * 2.0 ** (-1.0 * ph.size)
    lfo = P.smooth_random(rng, n, sr, 0.3 * ph.rate)
    out = []
    for c in range(2):  # two engines, each its own detuned stack, left and right of centre
        det = 1.0 + np.array([-0.011, -0.004, 0.006]) * (1 + rng.uniform(-0.3, 0.3, 3))
        out.append(sum(P.saw(f0 * d, n, sr, phase0=rng.uniform()) for d in det) + 0.7 * P.saw(f0 * 1.5 * det[1], n, sr))
    st = place_two(np.stack(out))
    # breathing low-pass: crossfade a darker and a brighter copy by the slow LFO (cheap, smooth)
    base_cut = 250.0 + 2500.0 * ph.brightness
    dark = P.lowpass(st, sr, base_cut * 2.0 ** (-1.5 * mod), order=2)
    bright = P.lowpass(st, sr, base_cut * 2.0 ** (1.5 * mod), order=2)
    mix = 0.5 + 0.5 * np.tanh(1.2 * lfo)
    st = dark * (1 - mix) + bright * mix
    whine_f = f0 * (8.0 + 4.0 * rng.uniform())
    whine = P.sine(whine_f, n, sr) + P.sine(whine_f * 1.004, n, sr) + 0.3 * P.sine(whine_f * 2.01, n, sr)
    rum = P.brown_lowpass(rng, n, sr, corner_hz=40.0, cutoff_hz=90.0 + 60.0 * ph.intensity, floor_hz=28.0)
    y = norm_peak(st) + (0.05 + 0.3 * tone) * norm_peak(whine)[None, :] + (0.1 + 0.9 * rumble) * norm_peak(rum)[None, :]
    y = y * (1.0 - 0.35 * mod * (0.5 + 0.5 * np.tanh(lfo)))[None, :]
    return P.saturate(y, 0.1 + 0.3 * ph.intensity)


FAMILY = Family(
    name="spaceship_drone", ucs="SCIShip", noun="spaceship drone", kind="texture",
    render=render,
    params=(
        Param("engine_tone", unit="%", lo=0.0, hi=100.0,
              doc="Level of the tonal engine whine: faint .. prominent."),
        Param("modulation", unit="%", lo=0.0, hi=100.0,
              doc="Filter and level motion: steady .. pulsating, throbbing.",
              low_words=("steady",), high_words=("pulsating", "throbbing")),
        Param("rumble", unit="%", lo=0.0, hi=100.0,
              doc="Deep rumble under the drone: light .. heavy.",
              high_words=("rumbling", "with deep rumble"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("spaceship drone", 1), ("spaceship hum", 1), ("starship engine drone", 1), ("sci-fi ship drone",
           1)),
    scenes=(
        "a {adj} spaceship engine droning{post}",
        "a {adj} starship hum{post}",
        "the drone of a {adj} space ship{post}",
    ),
    tags=("spaceship", "drone", "sci-fi", "engine"),
    keywords=("spaceship", "starship", "drone", "sci-fi engine", "spacecraft", "ship hum", "ufo", "hover",
              "space ship", "mothership"),
    rate_doc="filter breathing 0.3 Hz at rate 1 (x rate)",
    sized=True,
    element_roles=("main",),
    design_roles=("bed",),
    role_params={
        "bed": BED_LAYER,
    },
    category="scifi",
    presets={
        "cruiser_interior": {"rumble": 0.6, "modulation": -0.4},
        "alien_craft": {"modulation": 0.8, "engine_tone": 0.6, "pitch": 0.3},
        "mothership": {"size": 0.9, "rumble": 0.9},
    },
)
