"""Laser zap: a sci-fi blaster shot.

A clear exponential downward chirp (0.06-0.45 s) of an FM/pulse tone whose FM adds a few
harmonic sidebands, fired 1-5 times. Size lengthens and lowers the shot; rate tightens the
repeats; brightness blends in a pulse wave.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import onsets, count_of
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 1.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Sci-fi laser zap: a clear exponential downward chirp (0.06-0.45 s) of an FM/pulse tone;
    1-5 repeats.

    aux: sweep (octaves the pitch falls), fm_depth (metallic FM sidebands), repeats.
    """
    sr = sample_rate
    sweep, fm_depth, reps = ph.aux[:3]
    T = n / sr
    count = count_of(reps, 1, 5)
    gap = 0.12 / ph.rate
    # each shot is a clear downward chirp of 0.06-0.4 s: a tone whose pitch falls 0.5-3.5
    # octaves, FM only adding a few harmonic (integer/half ratio) sidebands
    shot = min(0.95 * T / count, max(0.06, (0.15 + 0.3 * ph.size) * (ph.decay_s / 0.5) ** 0.2))
    f_hi = 2800.0 * ph.pitch_ratio * 2.0 ** (-1.5 * ph.size)
    L = int(shot * sr)
    f = P.glide(L, sr, f_hi, f_hi / 2.0 ** (0.5 + 3.0 * sweep), curve=1.0)
    ratio = 1.0 + 0.5 * np.round(2.0 * fm_depth * rng.uniform())
    tone = P.fm(f, L, sr, ratio=ratio, index=2.5 * fm_depth * P.decay_env(L, sr, shot))
    tone = (1 - 0.5 * ph.brightness ** 2) * tone + 0.5 * ph.brightness ** 2 * P.square(f, L, sr, duty=0.3)
    tone *= P.ad_env(L, sr, attack_s=0.002, decay_s=shot * 2.0, curve=3.0)
    fade = min(int(0.006 * sr), L // 2)
    tone[L - fade:] *= np.linspace(1.0, 0.0, fade)  # no click where the shot is cut
    onsets = (np.arange(count) * min(gap + shot * 0.6, T / count) * sr).astype(np.int64)
    y = P.place(n, onsets[onsets < n], tone, rng.uniform(0.7, 1.0, np.sum(onsets < n)))
    y = P.saturate(y, 0.1 + 0.4 * ph.intensity)
    return y[None, :]


def _words(ph: Physical, duration_s: float | None) -> list:
    """Shot-count words, read as the renderer counts shots."""
    count = count_of(ph.a(2), 1, 5)
    if count == 1:
        return [("repeats", ["single"], [], "single")]
    if count >= 3:
        words = ["rapid-fire", "repeating"] if ph.rate >= 1.0 else ["repeating", "multi-shot"]
        return [("repeats", words, ["in a burst of shots"], "repeating")]
    return []


FAMILY = Family(
    name="laser", ucs="LASRGun", noun="laser zap", kind="oneshot",
    render=render,
    params=(
        Param("sweep", unit="oct", lo=0.5, hi=3.5,
              doc="How far the pitch falls during a shot."),
        Param("fm_depth", unit="index", lo=0.0, hi=2.5,
              doc="FM index of the tone (sidebands at integer or half ratios): pure .. metallic, warbling.",
              low_words=("pure",), high_words=("metallic", "warbling")),
        Param("repeats", unit="shots", lo=1, hi=5,
              doc="Number of shots."),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("laser zap", 1), ("laser shot", 1), ("sci-fi zap", 1), ("blaster shot", 1), ("pew", 1)),
    scenes=(
        "a {adj} laser gun firing{post}",
        "a {adj} sci-fi blaster zap{post}",
        "a {adj} ray gun shot{post}",
    ),
    tags=("laser", "zap", "sci-fi", "blaster"),
    keywords=("laser", "zap", "blaster", "pew", "ray gun", "phaser", "laser gun", "sci-fi shot",
              "laser shot"),
    rate_doc="repeats 0.12 s + 0.6 shot apart at rate 1 (/ rate)",
    ringing=True,
    tonal_pitch=True,
    special_words=_words,
    element_roles=("main",),
    design_roles=(),
    category="weapon",
    presets={
        "blaster": {"sweep": 0.2, "fm_depth": 0.3},
        "rapid_fire": {"repeats": 1.0, "rate": 0.5},
        "heavy_cannon": {"size": 0.7, "sweep": -0.4, "intensity": 0.7},
    },
)
