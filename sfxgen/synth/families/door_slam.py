"""Door slam: a door swung shut hard.

The air pushed ahead of the door, the hit on the frame exciting the panel's modes (wood:
damped; steel: ringing for a while), a low frame/wall thump, the latch bolt snapping home and
loose hardware rattling. Size: a bigger, lower door with a longer push; decay: the panel ring.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import (convolve, finish, freq_scale, highpass, lowpass, modes, noise_grains,
                                  sine_grains, white)
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 2.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Door slam. aux: material (wooden door .. steel door), latch (the latch bolt snapping
    home just after the hit), rattle (loose hardware/glass rattling after the slam). ``decay``
    sets the panel ring; ``size`` a bigger, lower door with a longer air push before the hit."""
    sr = sample_rate
    mat, latch, rattle = ph.aux[0], ph.aux[1], ph.aux[2]
    sc = freq_scale(ph, 1.5)
    force = 0.4 + 0.9 * ph.intensity
    t0 = min(0.06 + 0.05 * ph.size, 0.3 * n / sr)
    s0 = int(t0 * sr)
    ringk = float(np.clip((ph.decay_s / 0.5) ** 0.35, 0.4, 2.0))
    # air pushed ahead of the door
    # (only its first min(s0, envelope length) samples are non-zero: computed there only)
    k = min(s0, P.ad_env_len(n, sr, attack_s=t0 - 0.005, decay_s=0.05))
    whoosh = np.zeros(n)
    whoosh[:k] = lowpass(white(rng, n)[:k], 500 * sc, sr)
    whoosh[:k] *= P.ad_env(k, sr, attack_s=t0 - 0.005, decay_s=0.05, start_s=0.0, curve=-2.0)
    exc = np.zeros(n)
    exc[s0] = force
    exc = exc + noise_grains(rng, n, sr, np.array([s0]), np.array([0.002 + 0.002 * (1 - ph.brightness)]),
                             np.array([force * 0.3]))[0]
    # panel modes: a bigger door is lower AND rings longer; wood is damped (~0.1-0.3 s), steel
    # rings for a while but well under a second at the default decay
    szk = 0.5 + ph.size
    fw = np.array([58, 88, 131, 187, 262, 370, 520, 740, 1050, 1500]) * sc * rng.uniform(0.95, 1.05, 10)
    tw = np.array([0.035, 0.03, 0.026, 0.022, 0.018, 0.015, 0.012, 0.01, 0.008, 0.006]) * ringk * szk
    fmt = 72.0 * sc * np.array([1, 1.93, 2.81, 3.97, 5.2, 6.9, 8.6, 11.3, 14.8, 19.1, 24.0]) * rng.uniform(0.98, 1.02, 11)
    tm = np.array([0.16, 0.14, 0.12, 0.1, 0.09, 0.08, 0.07, 0.055, 0.045, 0.035, 0.03]) * ringk * szk
    wm = mat ** 1.5  # mid values stay mostly wooden with a metal edge
    ir = (1 - wm) * modes(fw, tw, np.linspace(1.0, 0.3, 10), sr, 2.0)
    irm = wm * modes(fmt, tm, 1.0 / np.arange(1, 12) ** 0.6, sr, 2.0) * 0.6
    L = max(ir.size, irm.size)
    ir = np.pad(ir, (0, L - ir.size)) + np.pad(irm, (0, L - irm.size))
    y = convolve(exc, ir)
    # the frame/wall thump: low, longer for a bigger door
    y = y + 0.8 * force * sine_grains(n, sr, np.array([s0]), np.array([48.0 * sc]), np.array([0.05 * szk * ringk ** 0.5]),
                                      np.array([1.0]), rise=-0.2)[0]
    y = y + highpass(exc, 800, sr, sparse=True) * 0.5 * ph.brightness
    y = y + whoosh * 0.05 * force
    if latch > 0.02:
        tl = s0 + int(rng.uniform(0.008, 0.02) * sr)
        lir = modes(np.array([2300, 3900, 5600, 7400]) * ph.pitch_ratio * rng.uniform(0.95, 1.05, 4),
                    np.array([0.012, 0.01, 0.008, 0.006]), [1, 0.7, 0.5, 0.3], sr)
        y = y + latch * force * 0.5 * convolve(P.impulses(n, [tl, tl + int(0.002 * sr)], [1.0, 0.5]), lir)
    if rattle > 0.02:
        k = 3 + int(10 * rattle)
        gaps = 0.035 * np.cumprod(rng.uniform(0.7, 0.95, k))
        rt = s0 + int(0.015 * sr) + (np.cumsum(gaps) * sr).astype(np.int64)
        ra = force * 0.6 * rattle * 0.8 ** np.arange(k) * rng.uniform(0.5, 1.0, k)
        rir = modes(np.array([620, 1340, 2150, 3300]) * sc * rng.uniform(0.9, 1.1, 4), np.full(4, 0.015), [1, 0.8, 0.6, 0.4], sr)
        y = y + convolve(P.impulses(n, rt, ra), rir)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


def _ucs(ph: Physical) -> str:
    """A clearly steel door (the "steel" word bin) is filed as DOORMetl."""
    return "DOORMetl" if ph.a(0) >= 0.8 else "DOORWood"


FAMILY = Family(
    name="door_slam", ucs="DOORWood", noun="door slam", kind="oneshot",
    render=render,
    params=(
        Param("material", unit="%", lo=0.0, hi=100.0,
              doc="Door material: wood .. steel (mid values: wooden with a metal edge).",
              low_words=("wooden",), high_words=("steel", "metal")),
        Param("latch", unit="%", lo=0.0, hi=100.0,
              doc="The latch bolt snapping home just after the hit.",
              high_words=("with a latch click", "latching shut"), where="post"),
        Param("rattle", unit="%", lo=0.0, hi=100.0,
              doc="Loose hardware or glass rattling in the frame after the slam (3 .. 13 rattles).",
              high_words=("with a rattle", "rattling in its frame"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("door slam", 1), ("slamming door", 1), ("door shut", 1), ("door bang", 1)),
    scenes=(
        "a {adj} door slammed shut{post}",
        "a {adj} door banging closed{post}",
        "a {adj} door being shut hard{post}",
    ),
    tags=("door", "slam", "shut", "close"),
    keywords=("door slam", "slam", "door bang", "shut door", "slamming door", "door shut", "door close",
              "bang"),
    intensity_words=(("gentle", "soft"), ("violent", "hard", "forceful")),
    ucs_of=_ucs,
    element_roles=("main",),
    design_roles=(),
    category="door",
    presets={
        "wooden_door": {"material": -1.0, "latch": 0.5},
        "steel_door": {"material": 1.0, "size": 0.4},
        "screen_door": {"rattle": 0.9, "size": -0.4, "intensity": -0.3},
    },
)
