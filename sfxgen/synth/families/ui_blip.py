"""UI blip: an interface beep of 1-4 notes.

Notes step by a musical interval (or a single note slides up with glide), each with a 2 ms
attack and an exponential ring; the waveform morphs from sine to saw. Pitch: base note about
880 Hz; rate: faster, shorter notes; decay: note ring.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish, count_of, morph_wave
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 0.6


_INTERVALS = (-12, -7, -5, -3, 2, 3, 4, 5, 7, 12)


def _interval_st(u: float) -> int:
    """The step between notes (semitones) that interval u selects (ten equal ranges)."""
    return _INTERVALS[min(int(u * len(_INTERVALS)), len(_INTERVALS) - 1)]


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """UI blip / beep. aux: notes (1 .. 4 notes), interval (step between notes, from an octave
    down to an octave up: -12, -7, -5, -3, 2, 3, 4, 5, 7, 12 semitones), waveform (sine ..
    triangle .. square .. saw), glide (portamento between notes; a single note slides up).
    ``pitch``: base note about 880 Hz; ``rate`` faster, shorter notes; ``decay`` note ring."""
    sr = sample_rate
    notes = count_of(ph.aux[0], 1, 4)
    step = _interval_st(ph.aux[1])
    wave, glide = ph.aux[2], ph.aux[3]
    dur = n / sr
    # a hand-made UI sound is exact; per seed only a few cents of tuning and 3 % of timing change
    f0 = 880.0 * ph.pitch_ratio * 2.0 ** (-(ph.size - 0.5)) * 2.0 ** (rng.uniform(-3, 3) / 1200)
    d = min(0.09 / ph.rate ** 0.7 * rng.uniform(0.97, 1.03), 0.9 * dur / notes)
    t = np.arange(n) / sr
    k = np.minimum((t / d).astype(np.int64), notes - 1)
    semis = k * step
    if notes == 1:
        semis = 12.0 * glide * np.clip(t / d, 0, 1)
    logf = np.log2(f0) + semis / 12.0
    if glide > 0.02 and notes > 1:
        a = np.exp(-1.0 / (glide * 0.5 * d * sr))
        logf = signal.lfilter([1 - a], [1, -a], logf - logf[0]) + logf[0]
    f = 2.0 ** logf
    y = morph_wave(f, n, sr, wave)
    t_in = t - k * d
    ring = np.exp(-6.9 * t_in / max(ph.decay_s, 0.02))
    attack = np.clip(t_in / 0.002, 0, 1)
    last = k == notes - 1
    release = np.where(last, 1.0, np.clip((d - t_in) / 0.004, 0, 1))
    env = attack * np.where(last, ring, np.maximum(ring, 0.5)) * release
    y = y * env
    y = P.saturate(y, 0.4 * ph.intensity)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


def _words(ph: Physical, duration_s: float | None) -> list:
    """Note-count and direction words, read as the renderer plays the notes."""
    notes = count_of(ph.a(0), 1, 4)
    if notes == 1:
        return [("notes", ["single-note", "one-note"], [], "single")]
    up = _interval_st(ph.a(1)) > 0
    words = ["rising", "ascending"] if up else ["falling", "descending"]
    if notes >= 3:
        words = [w + " multi-note" for w in words] + (["rising arpeggio"] if up else ["falling arpeggio"])
    else:
        words = [w + " two-note" for w in words]
    return [("notes", words, [], "rising" if up else "falling")]


FAMILY = Family(
    name="ui_blip", ucs="UIBeep", noun="UI blip", kind="oneshot",
    render=render,
    params=(
        Param("notes", unit="notes", lo=1, hi=4,
              doc="Number of notes."),
        Param("interval", choices=("octave_down", "fifth_down", "fourth_down", "minor_third_down",
                                   "whole_tone_up", "minor_third_up", "major_third_up", "fourth_up",
                                   "fifth_up", "octave_up"),
              doc="Step between notes (semitones, ten equal ranges of u)."),
        Param("waveform", unit="%", lo=0.0, hi=100.0,
              doc="Oscillator: sine (0) .. triangle (33 %) .. square (67 %) .. saw (100 %).",
              low_words=("soft", "sine-like"), high_words=("buzzy", "saw-wave")),
        Param("glide", unit="%", lo=0.0, hi=100.0,
              doc="Portamento between notes (a single note slides up to an octave).",
              high_words=("gliding", "pitch-bending")),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("UI blip", 1), ("interface beep", 1), ("UI beep", 1), ("notification blip", 1), ("menu blip", 1)),
    scenes=(
        "a {adj} user interface beep{post}",
        "a {adj} menu selection blip{post}",
        "a {adj} app notification sound{post}",
    ),
    tags=("ui", "beep", "blip", "interface"),
    keywords=("ui", "beep", "blip", "notification", "menu", "interface", "button sound", "confirm",
              "app sound", "alert tone", "ping"),
    rate_doc="90 ms notes at rate 1 (/ rate^0.7)",
    rate_words=(("slow",), ("fast", "quick")),
    ringing=True,
    tonal_pitch=True,
    special_words=_words,
    element_roles=("main",),
    design_roles=(),
    category="ui",
    presets={
        "confirm": {"notes": -0.34, "interval": "fifth_up", "waveform": -0.8},
        "error": {"notes": -0.34, "interval": "minor_third_down", "waveform": 0.6},
        "single_blip": {"notes": -1.0, "waveform": -1.0},
        "arpeggio_up": {"notes": 1.0, "interval": "major_third_up"},
    },
)
