"""Wind: air moving outdoors, shaped by a gust process.

Noise shaped in the STFT domain: a band whose centre and level follow wind speed, tree hiss, low
buffeting, narrow whistles through gaps rising with the gusts, and a formant-like howl around
obstacles. Intensity is the mean wind speed, rate the speed of the gusts; size lowers it (decay
is not used: wind has no rings).
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import smooth_random, spectral_noise, log_bump, finish, place_two
from sfxgen.synth.family import Family, Param, Physical, layer_params

DEFAULT_DURATION_S = 5.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Wind. aux: gustiness (depth of speed changes), whistle (narrow tones through gaps rising
    with gusts), howl (a low formant-like moan around obstacles)."""
    sr = sample_rate
    gust, whistle, howl = ph.aux[0], ph.aux[1], ph.aux[2]
    pr = ph.pitch_ratio * 2.0 ** (-1.5 * (ph.size - 0.5))
    dur = n / sr
    # wind speed: slow gusts + faster turbulence; control at the STFT frame rate
    ctrl_sr = 100
    m = int(dur * ctrl_sr) + 4
    slow = smooth_random(rng, m, ctrl_sr, 0.4 * ph.rate / (0.5 + ph.size))
    fast = smooth_random(rng, m, ctrl_sr, 1.8 * ph.rate)
    base = 0.35 + 0.45 * ph.intensity
    # gusts: log-normal speed swings (up to ~x3 / /3 at full gustiness), level (speed^1.5..2.5)
    # and band centre (speed) follow, so a gusty wind audibly swells, whooshes up and falls back
    speed = np.clip(base * np.exp(gust * (1.3 * slow + 0.35 * fast) + 0.08 * fast), 0.04, 1.6)
    tc = np.arange(m) / ctrl_sr
    whistle_f = pr * np.array([720.0, 1130.0, 1710.0]) * rng.uniform(0.85, 1.15, 3)
    howl_f = pr * 190.0 * rng.uniform(0.9, 1.1)
    bright_tilt = -1.2 + 1.1 * ph.brightness  # log2 slope per octave above 500 Hz

    def mag(times, freqs):
        # per-frame (F, 1) and per-bin (1, B) factors in float64, every (F, B) product in
        # float32 (the spectrum is float32 anyway)
        f32 = np.float32
        s = np.interp(times, tc, speed)  # (F, 1)
        fc = 320.0 * pr * (0.45 + 1.3 * s)
        body = log_bump(freqs, fc, 1.1 + 0.4 * ph.brightness)
        body *= (s ** 1.5).astype(f32)
        tilt = (2.0 ** (bright_tilt * np.log2(np.maximum(freqs, 500.0 * pr) / (500.0 * pr)))).astype(f32)
        hiss_row = ((freqs > 1500 * pr) * (0.25 * ph.brightness) * (np.maximum(freqs, 1500.0 * pr) / (4000.0 * pr)) ** -0.5).astype(f32)
        rumble_row = (log_bump(freqs, 45.0 * pr, 0.9) * f32((0.2 + 0.8 * ph.size) * 0.8))  # (1, B)
        body += rumble_row * (s ** 2).astype(f32)
        body *= tilt
        body += hiss_row * (s ** 2.5).astype(f32)
        for i, fw in enumerate(whistle_f):
            f_now = fw * (0.6 + 0.7 * s)
            g = log_bump(freqs, f_now, 0.03)
            g *= ((whistle * 14.0 / (1 + i)) * np.clip(s - 0.25, 0, None) ** 1.5).astype(f32)
            body += g
        fh = howl_f * (0.7 + 0.6 * s)
        moan = log_bump(freqs, fh, 0.1)
        g = log_bump(freqs, 2 * fh, 0.07)
        g *= f32(0.5)
        moan += g
        g = log_bump(freqs, 3 * fh, 0.06)
        g *= f32(0.25)
        moan += g
        moan *= (howl * 5.0 * s ** 2).astype(f32)
        body += moan
        body *= freqs > 12
        return body

    y = place_two(spectral_noise(rng, n, sr, mag, channels=2, nfft=2048))  # wind in trees left and right
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="wind", ucs="WIND", noun="wind", kind="texture",
    render=render,
    params=(
        Param("gustiness", unit="%", lo=0.0, hi=100.0,
              doc="Depth of the wind-speed swings (up to x3 / /3): steady .. gusty, blustery.",
              low_words=("steady",), high_words=("gusty", "blustery")),
        Param("whistle", unit="%", lo=0.0, hi=100.0,
              doc="Narrow whistling tones through gaps, rising with the gusts.",
              high_words=("whistling",)),
        Param("howl", unit="%", lo=0.0, hi=100.0,
              doc="A low, formant-like moan around obstacles.",
              high_words=("howling", "moaning")),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("wind", 0), ("wind ambience", 1), ("blowing wind", 0), ("breeze", 1)),
    scenes=(
        "{adj} wind blowing{post}",
        "the sound of {adj} wind{post}",
        "{adj} air moving outdoors{post}",
    ),
    tags=("wind", "weather", "ambience"),
    keywords=("wind", "breeze", "gust", "gale", "storm wind", "blowing", "windy", "howling wind",
              "windstorm"),
    rate_doc="gust speed x rate",
    intensity_words=(("gentle", "light", "calm"), ("strong", "stormy", "violent")),
    element_roles=("main",),
    design_roles=("bed",),
    role_params=layer_params("bed"),
    category="weather",
    presets={
        "gentle_breeze": {"intensity": -0.7, "gustiness": -0.4},
        "stormy_gusts": {"intensity": 0.7, "gustiness": 0.8},
        "howling_wind": {"howl": 0.8, "whistle": 0.4},
        "window_whistle": {"whistle": 0.9, "size": -0.4},
    },
)
