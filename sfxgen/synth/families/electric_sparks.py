"""Electric sparks: clustered snaps, a sizzling arc and mains buzz.

Bursts of snaps (heavy-tailed amplitudes) each ringing a short resonant band (the arc column),
a sustained sizzle with erratic flicker gated around the bursts, dense crackle and a 50 Hz-family
hum that also modulates the arc. Rate sets how often sparks fire, intensity their energy.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import (
    TWO_PI,
    white,
    highpass,
    bandpass,
    smooth_random,
    onsets,
    noise_grains,
    convolve,
    finish,
)
from sfxgen.synth.family import TEXTURE_LAYER, Family, Param, Physical

DEFAULT_DURATION_S = 2.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Electric sparks / arcing. aux: arc (dry snaps .. sustained sizzling arc), buzz (mains hum
    and its 100 Hz modulation of the arc), burstiness (even crackle .. violent clustered bursts).
    ``rate`` sets how often sparks fire, ``intensity`` their energy and density, ``decay`` the
    ring of each zap."""
    sr = sample_rate
    arc, buzz, burst = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    pr = ph.pitch_ratio ** 0.5 * 2.0 ** (-2.0 * (ph.size - 0.5))
    force = 0.3 + 0.9 * ph.intensity
    # bursts: cluster centres, each a shower of snaps
    c_rate = (1.5 + 4.0 * ph.intensity) * ph.rate
    # at least one burst per 1.5 s (the first within 20 ms), each of at least 3 snaps: sparse,
    # gentle sparking stays audible instead of a lone click in silence
    kc = max(int(np.ceil(dur / 1.5)), rng.poisson(c_rate * dur))
    ct = np.sort(rng.uniform(0, dur * 0.95, kc))
    ct[0] = min(ct[0], 0.02)
    per = rng.poisson(6 + 40 * burst * force, kc) + 3
    spread = 0.004 + 0.12 * (1 - burst)
    st = np.repeat(ct, per) + rng.exponential(spread, per.sum())
    st = st[st < dur]
    amp = np.minimum(rng.pareto(1.8, st.size), 10) * force + 0.2
    snaps = noise_grains(rng, n, sr, (st * sr).astype(np.int64), rng.uniform(0.00005, 0.0004, st.size) * (0.4 + 1.2 * ph.size), amp)[0]
    snaps = bandpass(snaps, 1500 * pr, 16000 * pr, sr)
    # the zap: each snap rings a short resonant band (the arc column)
    ring = max((ph.decay_s / 0.5) ** 0.4, 0.6)  # (a zap rings at least 6 ms)
    zap = P.resonator_bank(snaps, sr, np.array([2800.0, 5200.0]) * pr, np.array([0.01, 0.006]) * ring, np.array([0.5, 0.3]))
    y = snaps + zap
    # sustained arc: sizzle with erratic, fast flicker, gated around the bursts
    burst_env = P.impulses(n, (ct * sr).astype(np.int64), np.ones(kc))
    burst_env = convolve(burst_env, np.exp(-np.arange(int(0.25 * sr)) / (0.08 * sr)))
    arc_gate = np.clip(0.3 + 0.7 * (1 - burst) + burst * burst_env, 0, 1.5)
    flick = np.clip(smooth_random(rng, n, sr, 60.0 * ph.rate) * 2 + 0.5, 0, None)
    hum_f = 50.0 * pr
    # 1 - buzz + buzz * (0.5 + 0.5 |sin|)**4, in float32 (its rounding is ~-140 dB)
    mod = P.sin_cycles32(hum_f * np.arange(n) / sr)
    np.abs(mod, out=mod)
    mod *= np.float32(0.5)
    mod += np.float32(0.5)
    mod *= mod
    mod *= mod
    mod *= np.float32(buzz)
    mod += np.float32(1 - buzz)
    sizzle = bandpass(white(rng, n), 2000 * pr, 14000 * pr, sr)
    sizzle *= flick
    sizzle *= arc_gate
    sizzle *= mod
    dense = onsets(rng, (300 + 3000 * arc) * force * arc_gate, n, sr, cap=int(2500 * dur))
    crackle = noise_grains(rng, n, sr, dense, np.full(dense.size, 0.00008), np.full(dense.size, 0.7))[0]
    y = y + arc * (0.5 * sizzle + bandpass(crackle, 2500 * pr, 16000 * pr, sr)) * force
    if buzz > 0.02:
        hum = P.saturate(np.sin((TWO_PI * hum_f * np.arange(n) / sr).astype(np.float32)).astype(float), 0.9)
        hum = highpass(hum, 0.7 * hum_f, sr) * arc_gate
        y = y + buzz ** 1.5 * 0.35 * hum * force
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="electric_sparks", ucs="ELECSprk", noun="electric sparks", kind="texture",
    render=render,
    params=(
        Param("arc", unit="%", lo=0.0, hi=100.0,
              doc="Dry snaps .. a sustained sizzling arc.",
              high_words=("arcing",)),
        Param("buzz", unit="%", lo=0.0, hi=100.0,
              doc="Mains hum and its modulation of the arc.",
              high_words=("buzzing",)),
        Param("burstiness", unit="%", lo=0.0, hi=100.0,
              doc="Even crackle .. violent clustered bursts.",
              low_words=("steady",), high_words=("bursty", "sporadic")),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("electric sparks", 0), ("sparks", 0), ("electrical sparking", 0), ("spark crackle", 1)),
    scenes=(
        "{adj} electric sparks crackling{post}",
        "{adj} electricity arcing{post}",
        "a {adj} short circuit sparking{post}",
    ),
    tags=("electricity", "sparks", "zap"),
    keywords=("spark", "sparks", "electric", "electricity", "zap", "arc", "short circuit", "electrical",
              "taser", "sparking"),
    rate_doc="1.5-5.5 bursts/s at rate 1 (x rate)",
    rate_words=(("occasional", "sparse"), ("rapid", "frequent")),
    element_roles=("main", "material"),
    design_roles=("texture",),
    role_params={
        "texture": TEXTURE_LAYER,
    },
    category="scifi",
    presets={
        "short_circuit": {"burstiness": 0.8, "arc": 0.2},
        "tesla_arc": {"arc": 0.9, "buzz": 0.6},
        "occasional_sparks": {"rate": -0.8, "burstiness": 0.4},
    },
)
