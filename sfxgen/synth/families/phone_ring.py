"""Phone ring: a telephone ringing a countable number of times.

* **bell** -- the classic electromechanical ringer: a clapper driven by the ~20 Hz ringing
  current strikes two small bell gongs alternately, 20 strikes a second each; every strike
  excites the gong's inharmonic modes (shallow-bell partials over a ~1.2 kHz fundamental,
  ringing ~1 s), so a ring is a dense metallic trill that keeps sounding for a moment after the
  current stops.
* **electronic** -- the trill of an electronic ringer: two tones about a third apart
  alternating ~16 times a second, a square-ish tone from a small piezo or speaker.
* **mobile** -- a mobile-phone style beeping pattern: short sine-ish chirps in a rising figure.

Cadence: each ring is one burst of the national cadence -- North American (2 s on, 4 s off)
or British (0.4 s on, 0.2 s off, 0.4 s on, then 2 s off, the "brr-brr"); rate scales it.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.families.car_horn import presses
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics.motion import pan_stereo

RINGER = Param("ringer", "Old bell ringer (clapper on two gongs), electronic trill, or mobile beeps.",
               choices=("bell", "electronic", "mobile"),
               choice_words=(("bell", ("with an old bell ringer", "from a rotary phone")),
                             ("electronic", ("with an electronic trill",)), ("mobile", ("from a mobile phone",))))
RINGS = Param("rings", "Number of rings, the whole part of this value (1 .. 4); each ring is one burst "
              "of the cadence.", "count", 1.0, 4.99, "log")
CADENCE = Param("cadence", "North American (one 2 s ring) or British (double brr-brr) cadence.",
                choices=("uk", "us"), choice_words=(("uk", ("with a double ring",)),))
TONE_HZ = Param("tone_hz", "Fundamental of the bells / trill.", "Hz", 600.0, 2400.0, "log",
                low_words=("low-toned",), high_words=("shrill",))


def ring_count(ph: Physical) -> int:
    return int(RINGS.value(ph.a(1)))


def cadence(count: int, uk: bool, scale: float, T: float, tail_s: float) -> tuple[np.ndarray, np.ndarray]:
    """(starts, lengths) in seconds of ``count`` rings' bursts, fitting in ``T`` with ``tail_s``
    after the last for the ring-out."""
    burst = [(0.0, 0.4), (0.6, 0.4)] if uk else [(0.0, 2.0)]
    period = (3.0 if uk else 6.0) * scale
    total = (period * (count - 1) + (1.0 if uk else 2.0) * scale) + 0.05
    room = max(0.95 * T - min(tail_s, 0.3 * T), 0.02)
    if total > room:  # squeeze a long cadence into a short clip
        scale *= room / total
        period = (3.0 if uk else 6.0) * scale
    st, ln = [], []
    for k in range(count):
        for a, L in burst:
            st.append(0.02 + k * period + a * scale)
            ln.append(L * scale)
    return np.array(st), np.array(ln)


def bell_ringer(rng, n: int, sr: int, f1: float, gate: np.ndarray) -> np.ndarray:
    """Clapper striking two gongs alternately at 20 Hz while ``gate`` > 0.5 -> (2, n) (the two
    gongs slightly apart)."""
    strikes = np.flatnonzero(np.diff(np.floor(P.phase_of(40.0 * (1 + 0.01 * P.smooth_random(rng, n, sr, 2.0)), n, sr)),
                                     prepend=0.0) > 0)
    strikes = strikes[gate[strikes] > 0.5]
    out = np.zeros((2, n))
    ratios = np.array([1.0, 2.32, 3.86, 5.71, 7.9])  # a shallow gong's partials
    for side, (f, pan) in enumerate(((f1, -0.3), (f1 * 1.19, 0.3))):
        mine = strikes[side::2]
        L = min(n, int(1.2 * sr))
        ir = P.modal_ir(L, sr, f * ratios * rng.uniform(0.99, 1.01, ratios.size), [0.9, 0.6, 0.45, 0.3, 0.2],
                        [1.0, 0.9, 0.8, 0.6, 0.5], phases=rng.uniform(0, 2 * np.pi, ratios.size))
        hits = P.impulses(n, mine, rng.uniform(0.7, 1.0, mine.size))
        y = P.convolve_head(hits, ir)
        click = P.highpass(P.white(rng, 256) * np.exp(-np.arange(256) / (0.0004 * sr)), sr, 3000.0)
        y += 0.3 * P.peak_abs(y) * P.convolve_head(hits, click) / (P.peak_abs(click) + 1e-12)
        out += pan_stereo(y, pan)
    return out


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    ringer = RINGER.choice(ph.a(0))
    f1 = TONE_HZ.value(ph.a(3)) * ph.pitch_ratio * rng.uniform(0.99, 1.01)  # unit-to-unit tolerance
    scale = float(np.clip(ph.rate ** -0.5, 0.7, 1.4))  # a phone's cadence barely varies
    starts, lengths = cadence(ring_count(ph), CADENCE.choice(ph.a(2)) == "uk", scale, T,
                              0.9 if ringer == "bell" else 0.1)
    if ringer == "bell":
        gate = presses(n, sr, starts, lengths, attack_s=0.001, release_s=0.001)
        y = bell_ringer(rng, n, sr, f1, gate)
    else:
        env = presses(n, sr, starts, lengths, attack_s=0.01, release_s=0.03)
        t = P.time_s(n, sr)
        if ringer == "electronic":
            sel = P.frac(16.0 * t) < 0.5  # two tones alternating 16 times a second
            f = np.where(sel, f1, f1 * 1.25)
            tone = P.square(f, n, sr, duty=0.5)
            tone = P.lowpass(tone, sr, 6000.0) + 1.5 * P.bandpass(tone, sr, 2.0 * f1, q=3.0)
        else:  # mobile: a rising three-note chirp figure, eight notes a second
            notes = f1 * np.array([1.0, 1.26, 1.5, 1.26])
            f = notes[(np.floor(8.0 * t).astype(np.int64)) % notes.size]
            tone = P.harmonic_osc(f, n, sr, [1.0, 0.25, 0.12])
            tone *= 0.6 + 0.4 * np.exp(-P.frac(8.0 * t) / 0.3)  # each note plucked
        y = pan_stereo(tone * env, 0.0)
    return P.highpass_tilt(y, sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


def _special(ph: Physical, duration_s):
    k = ring_count(ph)
    words = {1: ["ringing once"], 2: ["ringing twice"], 3: ["ringing three times"], 4: ["ringing four times"]}[k]
    return [("rings", [], words, "single" if k == 1 else "repeated")]


FAMILY = Family(
    name="phone_ring", ucs="COMTelph", noun="phone ringing", kind="oneshot", render=render,
    params=(RINGER, RINGS, CADENCE, TONE_HZ), default_duration_s=5.0,
    nouns=(("telephone", 1), ("phone", 1), ("desk phone", 1), ("landline telephone", 1)),
    scenes=("a {adj} telephone{post}", "a {adj} phone in an office{post}",
            "an incoming call: a {adj} phone{post}"),
    tags=("phone", "telephone", "ring", "ringtone", "bell", "call"),
    keywords=("phone", "telephone", "phone ringing", "phone ring", "ringtone", "ringing phone", "rotary phone",
              "incoming call", "cell phone", "mobile phone"),
    rate_words=(("slow",), ("fast", "urgent")), rate_doc="the national cadence at rate 1 (scaled by rate^-0.5 within 0.7-1.4)",
    intensity_words=None, tonal_pitch=True, ringing=True, special_words=_special,
    element_roles=("main",), design_roles=(),
    category="alarm",
    presets={
        "old_bell_twice": {"ringer": "bell", "rings": 0.0, "cadence": "us", "tone_hz": -0.2, "space": -0.4,
                           "distance": -0.6, "attack": -1.0},
        "uk_double": {"ringer": "bell", "rings": -1.0, "cadence": "uk", "space": -0.4, "distance": -0.6,
                      "attack": -1.0},
        "office_trill": {"ringer": "electronic", "rings": 0.0, "cadence": "us", "tone_hz": 0.0, "rate": 0.5,
                         "space": -0.5, "distance": -0.6, "attack": -1.0},
        "mobile": {"ringer": "mobile", "rings": -1.0, "tone_hz": 0.3, "space": -0.7, "distance": -0.6,
                   "attack": -1.0},
    },
)
