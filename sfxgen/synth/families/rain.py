"""Rain: individual drops over a bed of countless distant ones.

Drop impacts (clicks filtered by the surface, Minnaert bubbles on soft or wet ground) placed
left and right, over a dense bed for the drops too many to render one by one; a roof adds a
struck roof body that drums. Intensity and rate set the drop density (25 .. 1100 drops/s).
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import (
    white,
    bandpass,
    smooth_random,
    modes,
    onsets,
    sine_grains,
    noise_grains,
    spectral_noise,
    log_bump,
    convolve,
    finish,
    knock,
    place_two,
)
from sfxgen.synth.family import Family, Param, Physical, layer_params

DEFAULT_DURATION_S = 5.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Rain. aux: drop_size (bigger drops: lower, louder plinks and fatter impacts),
    surface_hardness (0 soft ground/foliage, muffled thuds and water plinks .. 1 pavement, glass,
    tin: sharp bright ticks), roof (0 open air .. 1 under a struck roof body that drums)."""
    sr = sample_rate
    drop, hard, roof = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    density = 25.0 * 45.0 ** ph.intensity * ph.rate  # drops per second reaching the mic
    swell = smooth_random(rng, n, sr, 0.15 * ph.rate)
    t = onsets(rng, density * (1.0 + 0.25 * swell), n, sr, cap=int(500 * dur)) / sr
    E = len(t)
    starts = (t * sr).astype(np.int64)
    pans = rng.uniform(-1, 1, E)
    amp = rng.pareto(2.5, E) * (0.4 + 1.2 * drop) * (0.2 + rng.uniform(0, 1, E))
    # impact clicks: harder surfaces give shorter, brighter ticks
    tau = (0.0025 - 0.0019 * hard) * (0.6 + 0.9 * drop) * rng.uniform(0.6, 1.4, E) * (1.3 - 0.6 * ph.brightness)
    clicks = noise_grains(rng, n, sr, starts, tau, amp, pans)
    pr = ph.pitch_ratio * 2.0 ** (-(ph.size - 0.5))
    lo = 250.0 * pr * (1.0 + 3 * hard)
    hi = (2500.0 + 12000.0 * hard * ph.brightness + 3000 * ph.brightness) * pr
    clicks = bandpass(clicks, lo, hi, sr)
    if hard > 0.5:
        clicks = P.peak_eq(clicks, sr, 3800 * pr, gain_db=20 * (hard - 0.5), q=3.0)
    # bubbles: drops landing in water/puddles (mostly on soft or wet ground)
    pb = 0.08 + 0.3 * (1.0 - hard)
    sel = rng.uniform(0, 1, E) < pb
    fb = 2600.0 * pr / (0.5 + 1.3 * drop) * np.exp(rng.normal(0, 0.35, sel.sum()))
    tb = 1.0 / (0.043 * fb + 0.0014 * fb ** 1.5) * 1.5
    bub = sine_grains(n, sr, starts[sel] + int(0.002 * sr), fb, tb, 0.5 * amp[sel], pans[sel], rise=0.15)
    # dense bed: the countless distant drops
    bed_level = np.sqrt(density) * 0.02 * (0.6 + 0.6 * drop)
    fcb = (1800.0 + 3000.0 * hard) * pr

    def mag(times, freqs):
        return bed_level * log_bump(freqs, fcb, 1.6) * (1 + 0.2 * np.interp(times, np.arange(n) / sr, swell))

    bed = place_two(spectral_noise(rng, n, sr, mag, channels=2, nfft=1024))  # two zones of drops
    y = clicks + bub + bed
    if roof > 0.02:
        # a roof struck by every drop: a few heavily damped drumming modes (low Q: a thud per
        # drop, no hum) plus a diffuse ring -- band noise whose level follows the drop energy
        # through the ring time (metallic and longer when hard). No fixed long IR: its spectral
        # fine structure would turn the dense drops into steady lines.
        k = 6
        rf = 80.0 * pr * (0.5 + ph.size) ** -0.5 * np.exp(np.sort(rng.uniform(0, np.log(8.0), k)))
        low = modes(rf, np.full(k, 0.004 + 0.006 * hard), 1.0 / np.arange(1, k + 1), sr, 0.1)
        mono = clicks.mean(0)
        knock = convolve(mono, low / (np.std(low) + 1e-12))
        t_ring = (0.04 + 0.25 * hard ** 2) * (0.5 + ph.size)
        a_ = np.exp(-1.0 / (0.2 * t_ring * sr))
        e = np.sqrt(np.maximum(signal.lfilter([1 - a_], [1, -a_], mono.astype(np.float64) ** 2), 0.0))
        ring = bandpass(white(rng, n), 250 * pr, (1500 + 6000 * hard) * pr, sr) * e
        drum = (0.5 * knock / (np.std(knock) + 1e-12) + (0.5 + hard) * ring / (np.std(ring) + 1e-12)) * (0.08 + 0.2 * hard)
        y = y * (1.0 - 0.5 * roof) + roof * drum[None, :] * (np.std(y) / (np.std(drum) + 1e-12))
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="rain", ucs="RAIN", noun="rain", kind="texture",
    render=render,
    params=(
        Param("drop_size", unit="%", lo=0.0, hi=100.0,
              doc="Size of the drops: fine mist .. big, fat drops (lower, louder plinks).",
              low_words=("fine", "misty"), high_words=("big-drop", "fat-drop")),
        Param("surface_hardness", unit="%", lo=0.0, hi=100.0,
              doc=("What the rain falls on: soft ground and foliage (thuds, plinks) .. pavement, glass, tin "
                   "(sharp bright ticks).")),
        Param("roof", unit="%", lo=0.0, hi=100.0,
              doc="Open air .. under a roof whose body drums with every drop.",
              high_words=("on a roof", "drumming on a roof"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("rain", 0), ("rainfall", 0), ("falling rain", 0), ("rain ambience", 1)),
    scenes=(
        "{adj} rain falling{post}",
        "the sound of {adj} rain{post}",
        "{adj} raindrops pattering{post}",
    ),
    tags=("rain", "weather", "ambience"),
    keywords=("rain", "rainfall", "drizzle", "downpour", "raindrops", "shower", "rainstorm", "pouring rain",
              "rainy"),
    rate_doc="25-1100 drops/s by intensity at rate 1 (x rate)",
    rate_words=(("sparse",), ("dense",)),
    intensity_words=(("light", "gentle", "soft"), ("heavy", "torrential", "pouring")),
    element_roles=("main",),
    design_roles=("bed",),
    role_params=layer_params("bed"),
    category="weather",
    presets={
        "drizzle": {"intensity": -0.7, "drop_size": -0.6},
        "downpour": {"intensity": 0.8, "drop_size": 0.5},
        "rain_on_roof": {"roof": 0.8, "surface_hardness": 0.4},
        "rain_on_pavement": {"surface_hardness": 0.9},
    },
)
