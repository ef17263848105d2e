"""Computer data: a computer thinking -- processing bleeps, modem tones or a seeking hard drive.

* **bleeps** -- the film-computer processing chatter: short square-wave beeps from a small
  speaker (a few-kHz resonance, odd harmonics), pitches drawn from a handful of values and
  played in fast random runs with short gaps, the rhythm of a data stream;
* **modem** -- frequency-shift keying: a carrier jumping between its mark and space tones at
  the baud rate (Bell 103: 1070 / 1270 Hz, 300 baud), with the answering side's pair under it
  and the line's band limit (300-3400 Hz);
* **disk** -- a hard drive seeking: the voice-coil actuator flicks the head arm (a sharp click
  ringing the arm and case, 2-6 kHz) in bursts of random seeks, over the spindle's faint
  whine and the platters' hiss.

Density (rate) sets how busy the stream is.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics.motion import pan_stereo

STYLE = Param("style", "Processing bleeps, a dial-up modem's tones, or a hard drive seeking.",
              choices=("modem", "bleeps", "disk"),
              choice_words=(("bleeps", ("with beeping chatter",)), ("modem", ("from a dial-up modem",)),
                            ("disk", ("from a seeking hard drive",))))
DENSITY = Param("density", "How busy: events per second of the stream (bleeps, seeks) or baud rate "
                "(modem).", "1/s", 4.0, 40.0, "log", low_words=("sparse",), high_words=("busy", "rapid"))
SPREAD = Param("spread", "Pitch spread of the bleeps (0 one tone .. 1 a wide random melody).", "", 0.0, 1.0,
               low_words=("monotone",), high_words=("chattering",))
BASE = Param("base_hz", "Base pitch of the bleeps.", "Hz", 400.0, 3200.0, "log",
             low_words=("low",), high_words=("high",))


def bleeps(rng, n: int, sr: int, *, rate: float, base: float, spread: float) -> np.ndarray:
    """Runs of square-wave beeps (n,)."""
    T = n / sr
    steps = np.array([0, 3, 5, 7, 10, 12, 15, 19, 24])
    k = max(1, int(rate * T * 1.2))
    gaps = rng.exponential(1.0 / rate, k) * np.where(rng.uniform(size=k) < 0.15, 4.0, 1.0)  # runs and pauses
    starts = 0.01 + np.concatenate([[0.0], np.cumsum(gaps[:-1])])
    starts = starts[starts < T - 0.03]
    lengths = np.minimum(rng.uniform(0.3, 0.9, starts.size) / rate, 0.25)
    pick = rng.integers(0, max(1, int(1 + spread * (steps.size - 1))), starts.size)
    freq = base * 2.0 ** (steps[pick] / 12.0)
    f = np.full(n, base)
    gate = np.zeros(n)
    for s0, L, fr in zip(starts, lengths, freq):  # one slice per beep (tens per second)
        i0, i1 = int(s0 * sr), min(int((s0 + L) * sr), n)
        f[i0:i1] = fr
        gate[i0:i1] = 1.0
    g = P.lowpass(gate, sr, 300.0, order=1)  # 0.5 ms-ish edges: no clicks
    sq = P.square(f, n, sr, duty=0.5)
    return P.bandpass(sq, sr, 2500.0, q=0.5) * g + 0.3 * sq * g


def modem(rng, n: int, sr: int, *, baud: float) -> np.ndarray:
    """Two FSK carriers (originate 1070/1270 Hz, answer 2025/2225 Hz) keyed by random bits (n,)."""
    out = np.zeros(n)
    for (mark, space), g in (((1270.0, 1070.0), 1.0), ((2225.0, 2025.0), 0.6)):
        bits = rng.integers(0, 2, int(n / sr * baud) + 2)
        idx = np.minimum((P.time_s(n, sr) * baud).astype(np.int64), bits.size - 1)
        f = np.where(bits[idx] == 1, mark, space)
        out += g * P.sine(f, n, sr)
    return P.bandpass(out, sr, 1800.0, q=0.6)


def disk(rng, n: int, sr: int, *, rate: float) -> np.ndarray:
    """Seek clicks in bursts over spindle whine and hiss (n,)."""
    on = P.poisson_onsets(rng, rate * (0.5 + 1.5 * (P.smooth_random(rng, n, sr, 1.5) > 0)), n, sr)
    L = int(0.03 * sr)
    clicks = np.zeros(n)
    for j in range(3):  # three click voicings (different seek lengths)
        arm = P.modal_ir(L, sr, np.array([2300.0, 3900.0, 5600.0]) * rng.uniform(0.9, 1.1, 3), [0.01, 0.008, 0.006],
                         [1.0, 0.7, 0.5])
        mine = on[j::3]
        clicks += P.place(n, mine, arm / (P.peak_abs(arm) + 1e-12), rng.uniform(0.3, 1.0, mine.size))
    whine = P.sine(7200.0 / 60.0 * 8.0, n, sr) * 0.02 + P.sine(7200.0 / 60.0 * 40.0, n, sr) * 0.01
    hiss = P.bandpass(P.white(rng, n), sr, 6000.0, q=0.5) * 0.01
    return clicks + whine + hiss


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    style = STYLE.choice(ph.a(0))
    rate = DENSITY.value(ph.a(1)) * ph.rate
    if style == "bleeps":
        y = bleeps(rng, n, sr, rate=rate, base=BASE.value(ph.a(3)) * ph.pitch_ratio, spread=SPREAD.value(ph.a(2)))
    elif style == "modem":
        y = modem(rng, n, sr, baud=rate * 10.0)
    else:
        y = disk(rng, n, sr, rate=rate)
    T = n / sr
    t = P.time_s(n, sr)
    y *= np.clip(np.minimum(t / 0.005, (T - t) / min(0.05, 0.2 * T)), 0.0, 1.0)
    return P.highpass_tilt(pan_stereo(y, 0.0), sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


FAMILY = Family(
    name="computer_data", ucs="UIData", noun="computer data processing", kind="texture", render=render,
    params=(STYLE, DENSITY, SPREAD, BASE), default_duration_s=3.0,
    nouns=(("computer data processing", 0), ("computer bleeps", 0), ("data chatter", 0), ("computer processing", 0),
           ("dial-up modem", 1), ("hard drive seeking", 0)),
    scenes=("a {adj} computer processing data{post}", "{adj} computer bleeps and bloops{post}",
            "a {adj} sci-fi computer thinking{post}"),
    tags=("computer", "data", "bleep", "processing", "ui", "sci-fi"),
    keywords=("computer", "data", "processing", "computing", "bleeps", "bleep bloop", "modem", "dial-up",
              "hard drive", "disk", "terminal", "mainframe", "robot thinking", "hacking"),
    rate_words=(("slow", "sparse"), ("rapid", "busy")), rate_doc="the density multiplier",
    intensity_words=None, tonal_pitch=True,
    element_roles=("mechanism", "sweetener"), design_roles=("texture", "sweetener"),
    role_params={"texture": {"density": -0.3}, "sweetener": {"style": "bleeps", "density": 0.3}},
    category="ui",
    presets={
        "processing_bleeps": {"style": "bleeps", "density": 0.3, "spread": 0.6, "base_hz": 0.0, "space": -0.7,
                              "distance": -0.7, "attack": -1.0},
        "mainframe_slow": {"style": "bleeps", "density": -0.5, "spread": 0.9, "base_hz": -0.4, "space": -0.4,
                           "distance": -0.7, "attack": -1.0},
        "dialup_modem": {"style": "modem", "density": 0.4, "space": -0.8, "distance": -0.8, "attack": -1.0},
        "disk_seek": {"style": "disk", "density": 0.0, "space": -0.8, "distance": -0.8, "attack": -1.0},
    },
)
