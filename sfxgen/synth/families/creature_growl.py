"""Creature growl: a source-filter voice.

A glottal pulse train (f0 from pitch and size, jitter) with roughness (period-doubling
subharmonics, a ~30 Hz false-fold rattle), snarl (pressed, driven, bright upper formants) and
breath (aspiration), through four formants moving along the vowel axis and scaled down for bigger
creatures (a longer vocal tract). Decay sets the growl's length, rate the flutter speed.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import white, lowpass, bandpass, smooth_random, finish
from sfxgen.synth.physics.formants import FORMANT_GAINS, vowel_formants, formant_filter, glottal
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 3.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Creature growl (one-shot). aux: vowel (formants along u, o, a, e, i), roughness
    (subharmonics, jitter and flutter), snarl (pressed, driven, bright upper formants), breath
    (aspiration noise). ``size`` lowers both pitch and formants (bigger beast), ``pitch`` the
    voice, ``decay`` the growl's length, ``rate`` the flutter speed, ``intensity`` drive."""
    sr = sample_rate
    vowel, rough, snarl, breath = ph.aux[0], ph.aux[1], ph.aux[2], ph.aux[3]
    dur = n / sr
    t = np.arange(n) / sr
    body = 2.0 ** (-1.6 * (ph.size - 0.5))  # vocal-tract scale
    f0 = 95.0 * ph.pitch_ratio * 2.0 ** (-1.8 * (ph.size - 0.5))
    length = min(0.3 + 1.4 * ph.decay_s, dur * 0.95)
    prog = np.clip(t / length, 0, 1)
    contour = 1.0 + 0.18 * P.sin_cycles(0.5 * prog) - 0.12 * prog
    jit = smooth_random(rng, n, sr, 25.0) * (0.02 + 0.08 * rough)
    # rattle of the false folds: a pulsed ~30 Hz amplitude modulation (jittered) plus wander
    am_ph = P.phase_of(28.0 * ph.rate ** 0.5 * (1 + 0.25 * smooth_random(rng, n, sr, 6.0)), n, sr)
    rattle = (0.5 + 0.5 * P.sin_cycles(am_ph + 0.25)) ** 2
    flutter = (1.0 - 0.7 * rough * (1.0 - rattle)) * (1.0 + rough * 0.3 * smooth_random(rng, n, sr, 18.0 * ph.rate))
    f = np.clip(f0 * contour * (1 + jit), 20.0, 0.2 * sr)
    src, flow = glottal(f, sr, 0.65 - 0.3 * snarl, rough, rng)
    amp_env = P.ad_env(n, sr, attack_s=0.06 + 0.06 * ph.size, decay_s=length, start_s=0.0, curve=1.0)
    rel = np.clip((length - t) / (0.35 * length), 0, 1)
    hold = rel * rel * (3 - 2 * rel)  # smooth release into silence at ``length``
    env = amp_env ** 0.3 * hold
    src = src * env * flutter
    asp = bandpass(white(rng, n), 400 * body, 6000 * body, sr) * env
    src = src + asp * (0.02 + 0.25 * breath) * (0.3 + flow) * np.std(src) / (np.std(asp) + 1e-12) * 3
    v0 = vowel_formants(vowel) * body
    v1 = vowel_formants(np.clip(vowel + rng.uniform(-0.25, 0.25), 0, 1)) * body
    gains = FORMANT_GAINS * np.array([1.0, 1.0, 1.0 + 2.0 * snarl, 1.0 + 2.5 * snarl])
    y0 = formant_filter(src, sr, v0, 1.0 + rough, gains)
    y1 = formant_filter(src, sr, v1, 1.0 + rough, gains)
    y = y0 * (1 - prog) + y1 * prog
    # chest: big creatures radiate a low body resonance of the source itself
    y = y + (0.2 + 0.8 * ph.size) * 0.15 * lowpass(src, 250 * body, sr)
    y = y + breath * 0.5 * bandpass(white(rng, n), 300 * body, 4000 * body, sr) * env * np.std(y)
    y = P.saturate(y, 0.1 + 0.5 * snarl + 0.3 * ph.intensity)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="creature_growl", ucs="CREAMnstr", noun="creature growl", kind="oneshot",
    render=render,
    params=(
        Param("vowel", unit="vowel", lo=0.0, hi=4.0,
              doc="Formants along u (0), o (1), a (2), e (3), i (4), interpolated."),
        Param("roughness", unit="%", lo=0.0, hi=100.0,
              doc="Subharmonics, jitter and flutter: a clean voice .. raspy, gravelly.",
              high_words=("raspy", "gravelly")),
        Param("snarl", unit="%", lo=0.0, hi=100.0,
              doc="Pressed, driven, bright upper formants: relaxed .. snarling.",
              high_words=("snarling", "vicious")),
        Param("breath", unit="%", lo=0.0, hi=100.0,
              doc="Aspiration noise: voiced .. breathy.",
              high_words=("breathy",)),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("creature growl", 1), ("monster growl", 1), ("beast snarl", 1), ("growl", 1)),
    scenes=(
        "a {adj} monster growling{post}",
        "a {adj} creature snarling{post}",
        "a {adj} beast growl{post}",
    ),
    tags=("creature", "monster", "growl", "vocal"),
    keywords=("growl", "monster", "creature", "beast", "snarl", "zombie", "demon", "dragon", "roar",
              "monster growl"),
    rate_doc="false-fold rattle about 28 Hz at rate 1 (x rate^0.5) and flutter speed",
    element_roles=("main",),
    design_roles=(),
    category="creature",
    presets={
        "big_beast": {"size": 0.8, "roughness": 0.6, "vowel": -0.5},
        "zombie_moan": {"vowel": -1.0, "breath": 0.6, "roughness": 0.3},
        "demon": {"size": 0.6, "snarl": 0.8, "pitch": -0.5},
        "small_critter": {"size": -0.8, "pitch": 0.5},
    },
)
