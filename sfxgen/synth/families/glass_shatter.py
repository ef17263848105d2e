"""Glass shatter: a pane or bottle breaking.

An impact crash (low shell modes and a bright noise burst), a burst of shards (short bright
pings whose density falls off exponentially, scattered left and right) and sparse tinkles of
fragments settling. A bigger pane is lower, longer and breaks into more pieces.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.physics.struck import size_freq, glass_modes
from sfxgen.synth.family import TEXTURE_LAYER, Family, Param, Physical

DEFAULT_DURATION_S = 2.5


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Breaking glass: an impact crash, a burst of shards (short bright pings, density falling
    off exponentially), then sparse tinkles of fragments bouncing. Stereo: shards scatter L/R.

    aux: shards (count), pane_size (bigger pane: lower crash, longer, more pieces), tinkle.
    """
    sr = sample_rate
    shards, pane, tinkle = ph.aux[:3]
    base = size_freq(0.5 * ph.size + 0.5 * pane, 4500.0, 1500.0) * ph.pitch_ratio
    crash_f, crash_t60 = glass_modes(base * 0.45, rng, 6, 0.3, 0.4, 0.4)
    crash = P.modal_ir(n, sr, crash_f, crash_t60 * 0.5, 1.0, phases=rng.uniform(0, 6.3, crash_f.size))
    crash = P.excite(crash, P.mallet(sr, hardness=0.9, mass_ms=0.5))
    crash = crash / (P.peak_abs(crash) + 1e-12)
    burst = P.highpass(P.white(rng, n), sr, 2000.0) * P.ad_env(n, sr, attack_s=0.001, decay_s=0.06 + 0.1 * pane)
    burst /= P.peak_abs(burst) + 1e-12
    # shards: a few frequency classes, each an impulse train convolved with one ping
    dur = (0.3 + 0.8 * pane + 0.4 * ph.decay_s / 8.0) / np.sqrt(ph.rate)
    rate = (150.0 + 900.0 * shards) * (0.5 + ph.intensity) * P.decay_env(n, sr, dur)
    trains, pings = [], []
    for c in range(4):  # four pitch classes of shards, each an impulse train (L, R) and a ping
        fc = base * (1.0 + 0.8 * c) * (1.3 - 0.4 * ph.size)
        on = P.poisson_onsets(rng, rate / 4.0, n, sr)
        gains = rng.uniform(0.1, 1.0, on.size) ** 2
        pan = rng.uniform(0, 1, on.size)
        trains.append([P.impulses(n, on, gains * np.sqrt(pan)), P.impulses(n, on, gains * np.sqrt(1 - pan))])
        pings.append(P.ping_grains(sr, np.array([fc, fc * 2.7, fc * 4.9]), np.array([0.06, 0.03, 0.02]) * (0.6 + 0.8 * ph.brightness),
                                   length_s=0.06).sum(axis=0))
    out = P.convolve_sum(np.array(trains), np.array(pings))
    # tinkles: sparse, later, small bright pieces settling
    t_rate = (4.0 + 25.0 * tinkle) * P.ad_env(n, sr, attack_s=0.2 * dur, decay_s=2.5 * dur + 0.5, start_s=0.1)
    on = P.poisson_onsets(rng, t_rate, n, sr)
    if on.size:
        tk = P.ping_grains(sr, rng.uniform(3000, 9000, on.size) * ph.pitch_ratio ** 0.5, rng.uniform(0.03, 0.12, on.size),
                           length_s=0.12, phases=rng.uniform(0, 6.3, on.size))
        pan = rng.uniform(0, 1, on.size)
        g = rng.uniform(0.05, 0.35, on.size) * (0.3 + tinkle)
        out[0] += P.place(n, on, tk, g * np.sqrt(pan))
        out[1] += P.place(n, on, tk, g * np.sqrt(1 - pan))
    pk = P.peak_abs(out) + 1e-12
    body = 0.7 * crash + (0.35 + 0.4 * ph.intensity) * burst
    out = out / pk * (0.6 + 0.4 * shards) + body[None, :]
    return P.tilt(out, sr, ph.brightness)


FAMILY = Family(
    name="glass_shatter", ucs="GLASBrk", noun="glass shatter", kind="oneshot",
    render=render,
    params=(
        Param("shards", unit="%", lo=0.0, hi=100.0,
              doc="How many shards: a few pieces .. an explosive burst (150-1050 pings/s at the start).",
              low_words=("few-shard",), high_words=("many-shard", "explosive")),
        Param("pane_size", unit="%", lo=0.0, hi=100.0,
              doc="Size of the pane: a small bottle .. a large window (lower crash, longer burst).",
              low_words=("small",), high_words=("large-pane", "big")),
        Param("tinkle", unit="%", lo=0.0, hi=100.0,
              doc="Fragments tinkling as they settle after the break: few .. many.",
              high_words=("with tinkling shards", "with falling glass tinkles"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("glass shatter", 1), ("glass break", 1), ("shattering glass", 0), ("breaking glass", 0)),
    scenes=(
        "a {adj} pane of glass shattering{post}",
        "{adj} glass breaking{post}",
        "a {adj} window smashing{post}",
    ),
    tags=("glass", "shatter", "break", "smash"),
    keywords=("glass break", "shatter", "smash", "window break", "breaking glass", "bottle smash",
              "glass crash", "shattered"),
    rate_doc="the shard burst lasts (0.3-1.5 s) / rate^0.5",
    element_roles=("main", "material"),
    design_roles=("texture",),
    role_params={
        "texture": TEXTURE_LAYER,
    },
    category="destruction",
    presets={
        "window_smash": {"pane_size": 0.8, "shards": 0.6},
        "bottle_break": {"pane_size": -0.6, "size": -0.4},
        "glass_crash_tinkle": {"tinkle": 0.9},
    },
)
