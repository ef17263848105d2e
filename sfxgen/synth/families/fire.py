"""Fire: a burning fire's roar, hiss, crackles and pops.

A low lapping roar with flicker, gas hiss, heavy-tailed crackles clustered in time and scattered
left and right, and resinous pops followed by showers of sparks. Size lowers it; rate speeds
the flicker and the crackling.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import (
    white,
    lowpass,
    highpass,
    bandpass,
    smooth_random,
    onsets,
    sine_grains,
    noise_grains,
    finish,
)
from sfxgen.synth.family import BED_LAYER, TEXTURE_LAYER, Family, Param, Physical

DEFAULT_DURATION_S = 5.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Fire. aux: crackle_density (sparse snaps .. dense crackling), roar (low lapping/roaring body
    of burning gas), pops (resinous wood pops followed by spark showers)."""
    sr = sample_rate
    dens, roar, pops = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    pr = ph.pitch_ratio ** 0.6 * 2.0 ** (-1.5 * (ph.size - 0.5))
    flick = smooth_random(rng, n, sr, 3.0 * ph.rate)
    flick2 = smooth_random(rng, n, sr, 0.7 * ph.rate)
    heat = np.clip(0.7 + 0.3 * flick2 + 0.15 * flick, 0.1, None)
    # roar / lapping: low noise with flicker amplitude
    body = lowpass(white(rng, n), 160.0 * pr * (0.7 + ph.intensity), sr, order=2)
    body = highpass(body, 25.0, sr, 1)
    lap = np.clip(0.6 + 0.6 * flick, 0, None) * heat
    y = body * lap * (0.15 + 1.6 * roar) * (0.4 + ph.intensity) * 4.0 / np.sqrt(pr)
    # hiss: gas escaping, fast random amplitude
    hiss_env = np.abs(lowpass(white(rng, n), 12.0 * ph.rate, sr, 1)) * 60
    hiss = bandpass(white(rng, n), 2500 * pr, 9000 * pr, sr, 2) * hiss_env * heat
    y = (y + hiss * 0.05 * (0.3 + ph.brightness))[None, :]  # roar and hiss: one source, centre
    # crackles: heavy-tailed, clustered in time
    crate = (8.0 + 260.0 * dens ** 1.5) * (0.3 + ph.intensity) * ph.rate
    n_clusters = max(1, rng.poisson(crate / 4.0 * dur))
    c_t = rng.uniform(0, dur, n_clusters)
    sizes = 1 + rng.poisson(3.0, n_clusters)
    ct = np.repeat(c_t, sizes) + rng.exponential(0.012, sizes.sum()) * np.repeat(rng.uniform(0.3, 2, n_clusters), sizes)
    ct = np.sort(ct[ct < dur])[: int(3000 * dur)]
    E = len(ct)
    c_amp = np.minimum(rng.pareto(1.6, E), 30) * (0.3 + 0.7 * ph.intensity)
    c_pan = rng.uniform(-0.8, 0.8, E)
    crack = noise_grains(rng, n, sr, (ct * sr).astype(np.int64), rng.uniform(0.00015, 0.0012, E), c_amp, c_pan)
    crack = bandpass(crack, 900 * pr, (5000 + 12000 * ph.brightness) * pr, sr, 1)
    y = y + crack * 0.7
    # pops: lower resonant bursts with a shower of tiny sparks
    prate = (0.05 + 2.5 * pops) * (0.3 + ph.intensity) * ph.rate
    pt = onsets(rng, prate, n, sr, cap=200) / sr
    if len(pt):
        npop = len(pt)
        ps = (pt * sr).astype(np.int64)
        pa = (1.5 + 3.0 * rng.uniform(0, 1, npop)) * (0.5 + ph.intensity)
        ppan = rng.uniform(-0.8, 0.8, npop)
        ring = (ph.decay_s / 0.5) ** 0.3
        thud = sine_grains(n, sr, ps, 420.0 * pr * np.exp(rng.normal(0, 0.3, npop)), rng.uniform(0.006, 0.02, npop) * ring, pa, ppan, rise=-0.05)
        snap = noise_grains(rng, n, sr, ps, rng.uniform(0.0007, 0.0025, npop), pa * 0.6, ppan)
        sp_n = rng.poisson(12, npop)
        st = np.repeat(pt, sp_n) + rng.exponential(0.06, sp_n.sum())
        sparks = noise_grains(rng, n, sr, (st * sr).astype(np.int64), rng.uniform(0.0001, 0.0006, st.size),
                              rng.uniform(0.1, 0.8, st.size) * (0.5 + ph.intensity), np.repeat(ppan, sp_n))
        y = y + thud + highpass(snap, 600 * pr, sr, 1) + highpass(sparks, 3000 * pr, sr, 1)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="fire", ucs="FIRECrkl", noun="fire crackle", kind="texture",
    render=render,
    params=(
        Param("crackle_density", unit="%", lo=0.0, hi=100.0,
              doc="Crackles per second (8 .. 270 x intensity x rate): sparse .. dense crackling.",
              low_words=("sparse", "quiet"), high_words=("crackling", "dense crackling")),
        Param("roar", unit="%", lo=0.0, hi=100.0,
              doc="The low lapping, roaring body of the burning gas.",
              high_words=("roaring",)),
        Param("pops", unit="%", lo=0.0, hi=100.0,
              doc="Resinous wood pops with spark showers: rare .. frequent (up to 2.5/s).",
              high_words=("with loud pops", "with popping embers"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("fire crackle", 1), ("crackling fire", 1), ("burning fire", 1), ("campfire", 1)),
    scenes=(
        "a {adj} fire burning and crackling{post}",
        "flames of a {adj} fire{post}",
        "a {adj} crackling blaze{post}",
    ),
    tags=("fire", "crackle", "burning", "flames"),
    keywords=("fire", "flames", "crackling", "campfire", "fireplace", "burning", "blaze", "bonfire", "torch",
              "inferno"),
    rate_doc="flicker and crackle rate (x rate)",
    intensity_words=(("small", "gentle", "low"), ("raging", "intense", "fierce")),
    sized=True,
    element_roles=("main", "material"),
    design_roles=("texture", "bed"),
    role_params={
        "texture": TEXTURE_LAYER,
        "bed": BED_LAYER,
    },
    category="fire",
    presets={
        "campfire": {"pops": 0.3},
        "fireplace": {"size": -0.3, "roar": -0.5, "crackle_density": 0.2},
        "raging_blaze": {"intensity": 0.8, "roar": 0.9, "size": 0.6},
        "torch": {"size": -0.5, "roar": 0.3, "crackle_density": -0.5},
    },
)
