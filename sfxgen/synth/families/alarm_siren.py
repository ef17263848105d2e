"""Siren / alarm: a swept or beeping warning tone through a horn.

A band-limited oscillator (sine -> square -> saw) swept by a wail LFO (slow rise, quicker fall),
optionally gated into beeps, through a horn resonance driven by intensity. Pitch moves the base
tone (about 720 Hz), size gives a bigger, lower horn, rate the sweep and beep speed, decay how
long each beep rings.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish, morph_wave
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 4.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Siren / alarm. aux: sweep_depth (steady tone .. over an octave of sweep), waveform (sine
    .. square .. saw), beeping (continuous .. hard on/off beeps). ``pitch`` moves the base tone
    (about 720 Hz), ``size`` a bigger, lower horn, ``rate`` the sweep and beep speed, ``decay``
    how long each beep rings, ``intensity`` horn drive."""
    sr = sample_rate
    depth, wave, beep = ph.aux[0], ph.aux[1], ph.aux[2]
    t = np.arange(n) / sr
    f0 = 720.0 * ph.pitch_ratio * 2.0 ** (-1.0 * (ph.size - 0.5))
    lfo_hz = 0.33 * ph.rate
    lfo_ph = lfo_hz * t + rng.uniform(0, 0.15)
    # wail: slow rise, quicker fall (a motor siren spinning up and down)
    saw_ = P.frac(lfo_ph)
    shape = np.where(saw_ < 0.6, P.sin_cycles(saw_ / 2.4) ** 2, P.sin_cycles((saw_ - 0.6) / 1.6 + 0.25) ** 2)
    f = f0 * np.exp2(1.3 * depth * (shape - 0.5))
    y = morph_wave(f, n, sr, wave)
    if beep > 0.02:
        beep_hz = 2.0 * ph.rate
        bph = P.frac(beep_hz * t)
        on = bph < 0.5
        ring = np.exp(-6.9 * bph / beep_hz / max(ph.decay_s, 0.02))
        edge = P.sin_cycles(0.25 * np.clip(np.minimum(bph, 0.5 - bph) / beep_hz / 0.008, 0, 1)) ** 2
        gate = on * ring * edge
        y = y * ((1 - beep) + beep * gate)
    # horn: a broad resonance around 1-2.5 kHz and a top roll-off, driven by intensity
    horn = 1600.0 * ph.pitch_ratio ** 0.3 * 2.0 ** (-(ph.size - 0.5))
    y = y + 0.8 * P.peak_eq(y, sr, horn, gain_db=6.0, q=1.2) - 0.8 * y
    y = P.saturate(y, 0.15 + 0.5 * ph.intensity)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="alarm_siren", ucs="ALRMSirn", noun="siren alarm", kind="tonal",
    render=render,
    params=(
        Param("sweep_depth", unit="oct", lo=0.0, hi=1.3,
              doc="Pitch sweep of the wail: a steady tone .. 1.3 octaves.",
              low_words=("steady-tone",), high_words=("wailing", "sweeping")),
        Param("waveform", unit="%", lo=0.0, hi=100.0,
              doc="Oscillator: sine (0) .. triangle (33 %) .. square (67 %) .. saw (100 %).",
              low_words=("pure-tone", "sine"), high_words=("harsh", "buzzy")),
        Param("beeping", unit="%", lo=0.0, hi=100.0,
              doc="Continuous .. hard on/off beeps (2 x rate per second).",
              high_words=("beeping", "pulsed")),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("siren alarm", 1), ("siren", 1), ("alarm", 1), ("warning siren", 1)),
    scenes=(
        "a {adj} siren wailing{post}",
        "a {adj} alarm sounding{post}",
        "a {adj} warning siren{post}",
    ),
    tags=("siren", "alarm", "warning"),
    keywords=("siren", "alarm", "alert", "warning", "police siren", "air raid", "klaxon", "beeping alarm",
              "alarm clock", "emergency"),
    rate_doc="0.33 wail cycles/s and 2 beeps/s at rate 1 (both x rate)",
    rate_words=(("slow",), ("fast", "rapid")),
    tonal_pitch=True,
    element_roles=("main",),
    design_roles=(),
    category="alarm",
    presets={
        "police_wail": {"sweep_depth": 0.8, "waveform": -0.4},
        "air_raid": {"sweep_depth": 1.0, "rate": -0.8, "size": 0.6},
        "beeping_alarm": {"beeping": 1.0, "sweep_depth": -1.0, "waveform": 0.3},
        "klaxon": {"waveform": 1.0, "sweep_depth": -0.8, "beeping": 0.6},
    },
)
