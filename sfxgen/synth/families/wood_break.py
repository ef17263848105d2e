"""wood_break: a piece of wood snapping: strain, the crack, splintering, falling pieces.

Wood fails fibre by fibre. Under load the first fibres go one at a time (a sparse crackle
that accelerates, with the low groan of fibres sliding), then the crack runs through the
section in a few milliseconds: hundreds of fibre failures (:mod:`sfxgen.synth.physics.crumple`,
power-law energies) in one burst that strikes the piece's own bending modes (a free-free bar
of wood, :mod:`sfxgen.synth.physics.modal`: a twig rings high and short, a beam low), the two
halves then knock apart, splinters keep tearing for a while and loose pieces fall and bounce.
Dry wood snaps bright and sudden; green wood tears, duller and longer.

Common slots: ``size`` with ``thickness`` the piece (lower bending modes, a bigger crack);
``intensity`` the force (a louder, denser crack, more splinters); ``pitch`` moves every
resonance; ``brightness`` tilts; ``decay`` the ring of the pieces; ``rate`` how fast the
strain builds (a faster snap).
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, friction, modal


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    thick, strain, splinter, debris, green = (FAMILY.params[i].value(ph.aux[i]) for i in range(5))
    dur = n / sr
    t = np.arange(n) / sr
    big = 0.6 * thick + 0.4 * ph.size
    force = 0.4 + 0.8 * ph.intensity
    pre = (0.03 + 0.9 * strain) * (0.6 + 0.8 * big) / ph.rate
    tail = (0.12 + 0.5 * splinter) * (0.7 + 0.6 * big) * (1.0 + 0.6 * green)
    fall = 0.35 * debris
    total = 0.02 + pre + tail + fall + 0.35
    k = crumple.fit_factor(total, dur)
    pre, tail = pre * k, tail * k
    t_snap = 0.02 * k + pre
    i_snap = int(t_snap * sr)
    sc = ph.pitch_ratio * 2.0 ** (-2.0 * (big - 0.5))
    ring = modal.ring_factor(ph.decay_s)
    # fibre failures: accelerating before the snap, a dense burst at it, decaying after
    before = np.clip(1.0 - (t_snap - t) / max(pre, 1e-3), 0.0, 1.0) * (t < t_snap)
    burst_len = (0.006 + 0.02 * big) * (1.0 + 1.5 * green)
    rate = (15.0 + 200.0 * strain) * force * before ** 3
    rate += 6000.0 * force * np.exp(-np.maximum(t - t_snap, 0.0) / burst_len) * (t >= t_snap)
    rate += (150.0 + 900.0 * splinter) * force * np.exp(-np.maximum(t - t_snap, 0.0) / max(tail / 3.0, 1e-3)) * (t >= t_snap)
    on = crumple.event_times(rng, n, sr, rate, cap=6000, cluster=0.8, cluster_ms=2.5)
    if on.size == 0:
        on = np.array([i_snap])
    e = crumple.power_law(rng, on.size, exponent=1.6, lo=1.0, hi=2000.0)
    e *= np.where(on >= i_snap, 1.0, 0.3)  # the strain crackle is fainter than the crack
    pans = np.clip(rng.normal(0.0, 0.25, on.size), -1, 1)
    f_lo, f_hi = (900.0 - 400.0 * green) * sc ** 0.7, (13000.0 - 6000.0 * green) * min(sc ** 0.5, 1.3)
    fib = crumple.clicks(rng, n, sr, on, e, f_lo=f_lo, f_hi=f_hi, ring_s=0.0008 + 0.0015 * green,
                         tick_mix=0.6, pans=pans, spread=0.4)
    fib /= P.peak_abs(fib) + 1e-12
    # the piece's bending modes struck by the crack, then the halves knocking apart
    piece = modal.body("wood", 260.0 * sc, modal.BAR_RATIOS, rng=rng, tilt=-0.5 + 0.5 * ph.brightness,
                       detune=0.03, decay_scale=0.7 * ring)
    i_apart = i_snap + int(rng.uniform(0.015, 0.05) * (0.6 + big) * sr)
    body = modal.strikes(n, sr, piece, np.array([i_snap, i_apart]), np.array([1.0, 0.45]) * force, rng=rng,
                         hardness=0.85 - 0.4 * green, detune=0.08)
    body /= P.peak_abs(body) + 1e-12
    # the groan of fibres sliding while the load builds
    groan = friction.creak(rng, n, sr, before * strain, pressure=0.8, rust=0.6, base_hz=90.0 * sc, threshold=0.15)
    groan = B.convolve(groan, piece.ir(piece.ring_len(sr, cap_s=0.3), sr, rng=rng))
    y = fib + crumple.pan((0.45 + 0.3 * big) * body + 0.25 * strain * groan / (P.peak_abs(groan) + 1e-12), 0.0)
    # falling pieces: a few small wood chunks bouncing on the floor
    if debris > 0.05:
        kd = 2 + int(6 * debris)
        t_land = t_snap + (0.15 + 0.25 * rng.random(kd)) * k
        bounces = np.concatenate([t_land, t_land + rng.uniform(0.05, 0.12, kd) * k])
        gd = np.concatenate([np.ones(kd), 0.4 * np.ones(kd)]) * rng.uniform(0.3, 1.0, 2 * kd) * force * debris
        chunk = modal.body("wood", 900.0 * sc ** 0.5, modal.chunk_ratios(rng, 8, 1.3), rng=rng, decay_scale=0.4)
        pd = np.clip(rng.normal(0.0, 0.4, bounces.size), -1, 1)
        deb = crumple.pan_buses(n, pd, lambda sel: modal.strikes(
            n, sr, chunk, (bounces[sel] * sr).astype(np.int64), gd[sel], rng=rng, hardness=0.8, detune=0.2),
            spread=0.5)
        y += 0.45 * deb / (P.peak_abs(deb) + 1e-12)
    y = modal.radiate(y, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=45.0)
    return B.finish(modal.fade_tail(y, sr))


FAMILY = Family(
    name="wood_break",
    ucs="WOODBrk",
    noun="wood snapping",
    kind="oneshot",
    render=render,
    params=(
        Param("thickness", doc="The piece: 0 a twig or pencil (high, short snap) .. 1 a plank or beam "
              "(a deep crack and boom)", low_words=("small", "twig"), high_words=("heavy", "thick")),
        Param("strain", doc="The build-up: 0 a sudden snap .. 1 a long creaking, crackling strain before "
              "it gives way", high_words=("creaking under strain before it breaks",), where="post"),
        Param("splinter", doc="Splintering after the crack: 0 a clean break .. 1 a long tearing, splintering tail",
              low_words=("clean",), high_words=("splintering",)),
        Param("debris", doc="Pieces falling and bouncing after the break: 0 none .. 1 many",
              high_words=("with falling splinters", "with pieces clattering down"), where="post"),
        Param("green", doc="0 dry, brittle wood (bright, sudden) .. 1 green, wet wood (fibrous, duller "
              "tearing)", low_words=("dry", "brittle"), high_words=("green", "fibrous")),
    ),
    default_duration_s=2.0,
    nouns=(("wood snapping", 0), ("wood break", 1), ("wooden plank breaking", 1), ("stick snap", 1)),
    scenes=("a {adj} piece of wood snapping{post}", "a {adj} wooden board cracking and breaking{post}",
            "a {adj} branch breaking{post}"),
    tags=("wood", "break", "snap", "crack", "splinter", "destruction"),
    keywords=("wood break", "wood snap", "snap", "crack", "splinter", "breaking wood", "branch break",
              "plank break", "stick snap", "twig snap", "timber"),
    rate_words=(("slowly",), ("suddenly",)),
    rate_doc="1.0 = the strain builds in ~0.5 s at mid strain",
    intensity_words=(("gentle",), ("violent", "forceful")),
    ringing=False,
    element_roles=("main", "material"),
    design_roles=("transient", "texture"),
    role_params={"transient": {"strain": -1.0, "debris": -1.0, "space": -1.0},
                 "texture": {"strain": -0.6, "splinter": 0.6, "debris": 0.4}},
    category="destruction",
    presets={
        "twig snap": {"thickness": -1.0, "strain": -0.9, "splinter": -0.6, "debris": -1.0, "green": -0.8,
                      "size": -0.8},
        "plank break": {"thickness": 0.4, "strain": -0.2, "splinter": 0.3, "debris": 0.2, "green": -0.6},
        "beam giving way": {"thickness": 1.0, "strain": 0.8, "splinter": 0.6, "debris": 0.6, "size": 0.6,
                            "intensity": 0.7, "rate": -0.5},
        "green branch tear": {"thickness": 0.0, "strain": 0.3, "splinter": 0.8, "green": 0.9, "debris": -0.6},
        "karate chop board": {"thickness": 0.0, "strain": -1.0, "splinter": -0.5, "debris": 0.0, "intensity": 0.9},
    },
)
