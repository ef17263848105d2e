"""Gunshot: a pistol or rifle shot.

A supersonic crack (N-wave), the muzzle blast (a noise body and a low thump), one or two slapback
reflections off nearby walls, then the action (bolt clicks, a casing bouncing on the ground).
A bigger calibre is lower, longer and has a bigger thump.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import norm_peak
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 2.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Gunshot: N-wave crack, muzzle blast (noise body + low thump), a slapback echo, the action.

    aux: caliber (small pistol .. heavy rifle: lower, longer, bigger thump), mechanics (bolt and
    casing sounds after the shot), crack (supersonic crack level).
    """
    sr = sample_rate
    cal, mech, crack = ph.aux[:3]
    big = 0.5 * cal + 0.5 * ph.size
    nw = int((0.0004 + 0.0012 * big) * sr) + 2
    nwave = np.zeros(n)
    nwave[:nw] = np.linspace(1.0, -1.0, nw)
    blast_dec = 0.04 + 0.25 * big + 0.05 * ph.decay_s / 8.0
    blast = P.bandpass(P.white(rng, n), sr, (900.0 + 1500.0 * ph.brightness) * ph.pitch_ratio * (1.3 - 0.6 * big), q=0.5)
    blast = blast * P.ad_env(n, sr, attack_s=0.0005, decay_s=blast_dec, curve=5.0)
    fth = (110.0 - 60.0 * big) * ph.pitch_ratio
    thump = P.sine(P.glide(n, sr, fth * 2.0, fth, time_s_=0.03, curve=4.0), n, sr)
    thump *= P.ad_env(n, sr, attack_s=0.001, decay_s=0.08 + 0.25 * big)
    y = (0.2 + 0.8 * crack) * nwave + norm_peak(blast) + (0.3 + 0.7 * big) * norm_peak(thump)
    y = P.saturate(y, 0.3 + 0.5 * ph.intensity)
    # slapback: 1-2 discrete reflections from a wall 5-20 m away
    for _ in range(1 + int(rng.uniform() < 0.5)):
        d = int(rng.uniform(0.025, 0.09) * sr)
        if d < n:
            refl = P.lowpass(y[: n - d], sr, 4000.0)
            y[d:] += rng.uniform(0.15, 0.35) * refl
    if mech > 0.1:
        t0 = rng.uniform(0.18, 0.45) / ph.rate
        on = (np.array([t0, t0 + rng.uniform(0.05, 0.12)]) * sr).astype(np.int64)
        ck = P.ping_grains(sr, np.array([1800.0, 3300.0, 5200.0]), 0.02, length_s=0.04).sum(axis=0)
        ck = ck + 0.4 * P.noise_grains(rng, 1, sr, length_s=0.04, t60_s=0.01)[0]
        y += 0.25 * mech * P.place(n, on[on < n], ck, np.ones(np.sum(on < n)))
        tc = int((t0 + rng.uniform(0.3, 0.6)) * sr)  # casing hits the ground and bounces
        bounces = tc + np.cumsum(np.r_[0, rng.uniform(0.06, 0.12, 3) * np.array([1.0, 0.7, 0.5])] * sr).astype(np.int64)
        tink = P.ping_grains(sr, np.array([4200.0, 7300.0, 9800.0]) * rng.uniform(0.9, 1.1), np.array([0.08, 0.05, 0.03]), length_s=0.12).sum(axis=0)
        ok = bounces < n
        y += 0.15 * mech * P.place(n, bounces[ok], tink, np.array([1.0, 0.6, 0.35, 0.2])[ok])
    return y[None, :]


FAMILY = Family(
    name="gunshot", ucs="GUNPis", noun="gunshot", kind="oneshot",
    render=render,
    params=(
        Param("caliber", unit="%", lo=0.0, hi=100.0,
              doc="Calibre: small pistol .. heavy rifle (lower, longer blast, bigger thump).",
              low_words=("small-calibre",), high_words=("large-calibre", "heavy-calibre")),
        Param("mechanics", unit="%", lo=0.0, hi=100.0,
              doc="The action after the shot (bolt clicks, casing tinkle; above 10 %): none .. clear.",
              high_words=("with mechanical action", "with the slide clacking"), where="post"),
        Param("crack", unit="%", lo=0.0, hi=100.0,
              doc="Supersonic crack (the N-wave) level: faint .. sharp."),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("gunshot", 1), ("gun shot", 1), ("pistol shot", 1), ("firearm shot", 1)),
    scenes=(
        "a {adj} pistol firing{post}",
        "a single {adj} gunshot{post}",
        "a {adj} shot fired from a handgun{post}",
    ),
    tags=("gun", "gunshot", "shot", "weapon"),
    keywords=("gun", "gunshot", "shot", "pistol", "rifle", "firearm", "handgun", "shoot", "bang", "gun fire"),
    rate_doc="the action follows 0.18-0.45 s / rate after the shot",
    element_roles=("main",),
    design_roles=(),
    category="weapon",
    presets={
        "pistol": {"caliber": -0.6},
        "rifle": {"caliber": 0.8, "crack": 0.7},
        "pistol_with_casing": {"mechanics": 0.8},
        "indoor_shot": {"space": -0.2, "distance": -0.5},
    },
)
