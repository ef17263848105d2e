"""debris_fall: rubble, rocks or scrap falling and settling (a cascade of granular impacts).

A fall of debris is a cascade of impacts: fragment sizes follow a power law (a few big chunks,
many small ones: :func:`sfxgen.synth.physics.crumple.power_law`), each fragment lands and
bounces a couple of times with shrinking energy, and the impact rate rises as the mass lets go
and thins out as it settles, ending in a trickle of grit. Every impact strikes the fragment's
own modes (:mod:`sfxgen.synth.physics.modal`: a big chunk low and heavy, a pebble a short high
tick; stone damps fast and adds grit, metal scrap rings, wood knocks, glass tinkles) and
heavy chunks thump the ground. Fragments land spread across the stereo image.

Common slots: ``size`` the largest fragments (lower, heavier); ``intensity`` the amount and
force (more, louder impacts); ``rate`` how fast it all comes down (1.0 = most of it within
~1 s); ``pitch`` and ``brightness`` the fragments' resonances; ``decay`` their ring. ``space``
and ``distance`` (shared stages) place it in a quarry, a hall or far away.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, modal

MATERIALS = ("rock", "concrete", "wood", "metal", "glass")
_MAT = {  # modal material, smallest fragment's first mode (Hz), mode density, grit, ring (a pile damps)
    "rock": ("stone", 1500.0, 2.2, 0.9, 0.5), "concrete": ("stone", 1100.0, 2.5, 1.1, 0.5),
    "wood": ("wood", 700.0, 1.4, 0.3, 0.4), "metal": ("steel", 1300.0, 1.1, 0.15, 0.04),
    "glass": ("glass", 3200.0, 1.2, 0.1, 0.08)}


def _special(ph: Physical, duration_s: float | None):
    m = FAMILY.params[0].choice(ph.aux[0])
    adj = {"rock": ["rocky"], "concrete": ["concrete", "rubble"], "wood": ["wooden"], "metal": ["metal", "scrap-metal"],
           "glass": ["glass"]}[m]
    return [("material", adj, [], m)]


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    mat = FAMILY.params[0].choice(ph.aux[0])
    amount, chunk, settle, spread = (FAMILY.params[i].value(ph.aux[i]) for i in range(1, 5))
    material, f_small, density, grit, damp = _MAT[mat]
    dur = n / sr
    t = np.arange(n) / sr
    force = 0.4 + 0.8 * ph.intensity
    # the cascade: the release, a main body, and a settling trickle
    main = 0.9 / ph.rate
    trickle = (0.3 + 1.6 * settle) / ph.rate ** 0.5
    total = 0.02 + main + trickle + 0.25
    k = crumple.fit_factor(total, dur)
    main, trickle = main * k, trickle * k
    t0 = 0.02 * k
    peak_rate = (40.0 + 400.0 * amount) * (0.5 + ph.intensity) / max(k, 0.2) ** 0.5
    x = np.clip((t - t0) / main, 0.0, None)
    rate = peak_rate * np.where(x < 1.0, np.sin(0.5 * np.pi * np.minimum(x * 2.5, 1.0)) * (1.0 - 0.6 * x), 0.4 *
                                np.exp(-(t - t0 - main) / max(trickle / 3.0, 1e-3)))
    rate = rate * (t >= t0) * (1.0 + 0.5 * B.smooth_random(rng, n, sr, 5.0))
    rate *= np.clip((dur - 0.2 * k - t) / (0.3 * k), 0.0, 1.0)  # the last pieces land before the clip ends
    on = crumple.event_times(rng, n, sr, np.maximum(rate, 0.0), cap=int(900 * min(dur, 10.0)) + 30, cluster=0.3,
                             cluster_ms=10.0)
    if on.size == 0:
        on = np.array([int(t0 * sr)])
    # fragment sizes: power law; the big ones come early, with the main body of the fall
    sz = crumple.power_law(rng, on.size, exponent=2.0, lo=1.0, hi=60.0 * (0.3 + chunk))
    late = np.clip((on / sr - t0) / (main + 1e-3), 0.0, 3.0)
    sz = sz / (1.0 + 0.6 * late)
    sz_rel = np.log(sz) / np.log(60.0 * 1.3)  # 0 grit .. 1 the biggest chunk any patch makes
    # each fragment lands and bounces once or twice
    b1 = on + (rng.uniform(0.03, 0.09, on.size) * np.sqrt(sz) ** 0.3 * sr).astype(np.int64)
    keep = rng.random(on.size) < 0.6
    ons = np.concatenate([on, b1[keep]])
    size_all = np.concatenate([sz_rel, sz_rel[keep]])
    gains = force * np.concatenate([sz ** 0.6, 0.35 * sz[keep] ** 0.6])
    gains /= gains.max()
    pans = np.clip(rng.normal(0.0, 0.2 + 0.5 * spread, on.size), -1, 1)
    pans = np.concatenate([pans, np.clip(pans[keep] + rng.normal(0, 0.1, keep.sum()), -1, 1)])
    sc = ph.pitch_ratio * 2.0 ** (-1.2 * (ph.size - 0.5))
    ring = modal.ring_factor(ph.decay_s)
    # three fragment classes (small, medium, large): lower and longer as they grow
    cls = np.minimum((size_all * 3).astype(np.int64), 2)
    out = np.zeros((2, n))
    for c in range(3):
        sel = np.flatnonzero(cls == c)
        if sel.size == 0:
            continue
        frag = modal.body(material, f_small * sc * 2.0 ** (-1.6 * c), modal.chunk_ratios(rng, 10, density), rng=rng,
                          tilt=-0.4 + 0.4 * ph.brightness, decay_scale=(0.5 + 0.25 * c) * damp * ring)
        out += modal.strikes(n, sr, frag, ons[sel], gains[sel], rng=rng, hardness=0.85 - 0.2 * c, detune=0.35,
                             variants=5, pans=pans[sel], spread=0.55)
    if grit > 0:  # the rough contact of every impact: broadband grit, panned with the impacts
        ref = float(P.peak_abs(out)) + 1e-9
        out += grit * ref * crumple.pan_buses(n, pans, lambda s2: modal.contact_clicks(
            rng, n, sr, ons[s2], gains[s2], tau_s=0.0008 * (1 + cls[s2].mean()), lo_hz=500.0), spread=0.55)
    # heavy chunks thump the ground (a damped low body under the biggest impacts)
    big = np.flatnonzero(size_all > 0.66)
    if big.size:
        ground = modal.body("stone", 85.0 * sc, modal.box_ratios(6), rng=rng, tilt=-1.0, decay_scale=0.5)
        th = modal.strikes(n, sr, ground, ons[big], gains[big], rng=rng, hardness=0.3, contact_ms=3.0)
        out += crumple.pan(0.5 * (0.3 + ph.size) * th / (P.peak_abs(th) + 1e-12) * float(P.peak_abs(out)), 0.0)
    # dust and grit pouring with the fall
    if grit > 0:
        dust = B.bandpass(B.white(rng, n), 1500.0, 12000.0, sr) * B.lowpass(rate / peak_rate, 10.0, sr, 1)
        out += crumple.pan(0.08 * grit * dust / (P.peak_abs(dust) + 1e-12) * float(P.peak_abs(out)), 0.0)
    out = modal.radiate(out, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=45.0, order=4)
    return B.finish(modal.fade_tail(out, sr))


FAMILY = Family(
    name="debris_fall",
    ucs="ROCKCrsh",
    noun="falling debris",
    kind="oneshot",
    render=render,
    params=(
        Param("material", doc="What falls: rock (dry knocks and grit), concrete rubble (denser, dustier), "
              "wood (hollow knocks), metal scrap (ringing clanks) or glass (tinkling)", choices=MATERIALS),
        Param("amount", doc="How much falls: 0 a few pieces .. 1 a heavy cascade",
              low_words=("a few pieces of",), high_words=("heavy", "avalanche of")),
        Param("chunk", doc="Largest fragments: 0 gravel and grit .. 1 big chunks (deep thumps)",
              low_words=("fine", "gravelly"), high_words=("chunky", "boulder-sized")),
        Param("settle", doc="How long it keeps trickling after the main fall: 0 stops short .. 1 a long "
              "settling trickle", high_words=("settling slowly", "with a long trickle"), where="post"),
        Param("spread", doc="How widely the fragments land across the stereo image: 0 one spot .. 1 wide"),
    ),
    default_duration_s=3.0,
    nouns=(("falling debris", 0), ("debris fall", 1), ("rubble falling", 0), ("rockfall", 1)),
    scenes=("{adj} debris falling and settling{post}", "{adj} rubble crashing down{post}",
            "a {adj} pile of rocks tumbling{post}"),
    tags=("debris", "rubble", "rocks", "falling", "destruction", "crash"),
    keywords=("debris", "rubble", "rockfall", "rock fall", "falling rocks", "collapse", "landslide", "crumble",
              "cave-in", "falling debris", "scrap falling"),
    rate_words=(("slowly crumbling",), ("sudden", "crashing")),
    rate_doc="1.0 = the main fall lasts about 0.9 s",
    intensity_words=(("light", "small"), ("massive", "violent")),
    special_words=_special,
    element_roles=("main", "material"),
    design_roles=("texture", "tail"),
    role_params={"texture": {"material": "rock", "amount": -0.2, "chunk": -0.6, "settle": -0.4},
                 "tail": {"material": "rock", "amount": 0.2, "chunk": -0.4, "settle": 0.8, "distance": 0.3}},
    category="destruction",
    presets={
        "rockfall": {"material": "rock", "amount": 0.4, "chunk": 0.5, "settle": 0.2, "size": 0.3},
        "rubble settling": {"material": "concrete", "amount": -0.4, "chunk": -0.6, "settle": 0.8, "intensity": -0.4},
        "wood debris": {"material": "wood", "amount": 0.0, "chunk": 0.0, "settle": 0.0},
        "scrap metal pile": {"material": "metal", "amount": 0.2, "chunk": 0.2, "settle": 0.2},
        "glass debris": {"material": "glass", "amount": -0.2, "chunk": -0.6, "settle": 0.4},
        "building collapse": {"material": "concrete", "amount": 1.0, "chunk": 1.0, "settle": 0.6, "size": 0.8,
                              "intensity": 0.9, "rate": -0.4, "space": 0.3},
    },
)
