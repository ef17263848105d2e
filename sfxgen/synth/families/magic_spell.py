"""Magic spell: a charge-up of shimmering chimes and a swelling chord, then the cast.

Built the way fantasy spells are cut from real sources: **sparkles** -- tiny metal and glass
chimes (damped sinusoids of 2-9 kHz, each its own pitch, a few to a few hundred a second,
scattered across the image) whose density grows while the spell charges; a **chord** --
detuned harmonic voices through a vowel-like formant swelling under them (bright and major
for holy magic, low, minor and growling for dark magic, airy and high for arcane); and the
**cast** -- a whoosh of air (a moving band of flow noise) and a burst of sparkles that decays
into a glittering tail. Every part ends in its own decay.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import sine_grains
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import aero
from sfxgen.synth.physics.motion import pan_stereo

SCHOOLS = ("arcane", "holy", "dark")
# chord (semitones), root (Hz), formant (Hz), sparkle band (Hz), sparkle scale (semitone steps)
_SCHOOL = {"arcane": ((0, 7, 14), 330.0, 1200.0, (2000.0, 8000.0), None),
           "holy": ((0, 4, 7, 12), 262.0, 700.0, (1500.0, 6000.0), (0, 2, 4, 7, 9)),
           "dark": ((0, 3, 6, -12), 98.0, 400.0, (1000.0, 4000.0), (0, 1, 3, 6, 7))}

SCHOOL = Param("school", "Flavour: arcane (airy, glassy), holy (bright major chord, bell sparkles) or "
               "dark (low minor growl).", choices=SCHOOLS,
               choice_words=(("arcane", ("with arcane energy",)), ("holy", ("with a holy glow", "of healing light")),
                             ("dark", ("of dark magic", "with an evil aura"))))
CHARGE = Param("charge_s", "Charge-up time before the cast.", "s", 0.1, 2.5, "log",
               low_words=("instant",), high_words=("slowly charging",))
SPARKLE = Param("sparkle", "Density of the chime sparkles (0 a few glints .. 1 a glittering cloud).", "", 0.0, 1.0,
                low_words=(), high_words=("sparkling", "glittering"))
CAST = Param("cast", "Strength of the release: the whoosh and burst at the end of the charge.", "", 0.0, 1.0,
             low_words=("soft",), high_words=("explosive",))
TAIL = Param("tail_s", "Length of the glittering tail after the cast.", "s", 0.2, 3.0, "log",
             low_words=(), high_words=("lingering",))


def sparkles(rng, n: int, sr: int, rate: np.ndarray, band: tuple[float, float], scale, pitch: float,
             level: np.ndarray) -> np.ndarray:
    """Chime grains at a time-varying ``rate`` (n,) -> (2, n): random pitches in ``band`` (on a
    musical ``scale`` of semitone steps if given), 30-250 ms rings, random pans, each as loud
    as ``level`` (n,) at its onset."""
    on = P.poisson_onsets(rng, rate, n, sr)[:4000]
    if on.size == 0:
        return np.zeros((2, n))
    lo, hi = band[0] * pitch, band[1] * pitch
    if scale is None:
        f = np.exp(rng.uniform(np.log(lo), np.log(hi), on.size))
    else:
        steps = np.array([o * 12 + s for o in range(5) for s in scale])
        notes = lo * 2.0 ** (steps / 12.0)
        notes = notes[notes <= hi]
        f = notes[rng.integers(0, notes.size, on.size)]
    tau = np.minimum(rng.uniform(0.03, 0.25, on.size), np.maximum((n - on) / sr / 5.0, 0.005))
    return sine_grains(n, sr, on, f, tau, rng.uniform(0.1, 1.0, on.size) ** 2 * level[on],
                       pans=rng.uniform(-0.6, 0.6, on.size), max_len_s=1.0)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    t = P.time_s(n, sr)
    school = SCHOOL.choice(ph.a(0))
    chord, root, formant, band, scale = _SCHOOL[school]
    tail = TAIL.value(ph.a(4)) * (0.6 + 0.8 * ph.decay_s ** 0.3 / 8 ** 0.3)
    charge = min(CHARGE.value(ph.a(1)) / ph.rate, 0.55 * T)
    tail = min(tail, 0.95 * T - charge)
    t_cast = charge
    build = np.clip(t / max(charge, 1e-3), 0.0, 1.0) ** 2 * (t <= t_cast)
    hold = 0.35 * tail  # the spell sustains a moment before it fades
    after = np.exp(-6.9 * np.maximum(t - t_cast - hold, 0.0) / max(tail - hold, 0.05)) * (t > t_cast)
    level = build + after
    # the chord: detuned voices through a vowel-like formant, swelling with the charge
    pitch = ph.pitch_ratio
    voices = np.zeros(n)
    for semi in chord:
        f = root * pitch * 2 ** (semi / 12.0) * (1.0 + 0.004 * P.smooth_random(rng, n, sr, 5.0))
        for det in (-0.006, 0.006):
            voices += P.saw(f * (1.0 + det), n, sr, phase0=rng.uniform())
    voices = P.bandpass(voices, sr, formant, q=1.2) + 0.3 * P.lowpass(voices, sr, formant * 0.5)
    if school == "dark":
        growl = P.lowpass(P.white(rng, n), sr, 400.0) * (1.0 + 0.5 * P.sin_cycles(23.0 * t))
        voices = voices / (P.rms(voices) + 1e-12) + 0.6 * growl / (P.rms(growl) + 1e-12)
    y = pan_stereo(voices / (P.rms(voices) + 1e-12) * level, 0.0)
    # sparkles: denser while charging, a burst at the cast, thinning in the tail
    dens = SPARKLE.value(ph.a(2))
    rate = (10.0 + 250.0 * dens) * (0.2 + build) + (40.0 + 600.0 * dens) * after
    sp = sparkles(rng, n, sr, rate, band, scale, pitch, level)
    y += 0.15 * sp  # (unnormalised: a denser cloud is louder)
    # the cast: a whoosh of air sweeping up through the charge and out at the release
    cast = CAST.value(ph.a(3))
    if cast > 0.02:
        def gain(f, tt):
            x = (tt - t_cast) / 0.15
            env = np.exp(-0.5 * np.minimum(x, 0) ** 2 / 4.0) * np.exp(-np.maximum(x, 0) * 1.2)
            return env * aero.peak_spectrum(f, 400.0 * pitch * 2 ** (2.0 * env), rise=1.2, fall=1.6)
        wh = P.shaped_noise(rng, n, sr, gain)
        y += pan_stereo(1.5 * cast * wh / (P.rms(wh) + 1e-12) * 0.4, 0.0)
    y[:, :] *= np.minimum(t / 0.01, 1.0)
    return P.highpass_tilt(y, sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


FAMILY = Family(
    name="magic_spell", ucs="MAGSpel", noun="magic spell", kind="oneshot", render=render,
    params=(SCHOOL, CHARGE, SPARKLE, CAST, TAIL), default_duration_s=3.0,
    nouns=(("magic spell", 1), ("spell cast", 1), ("magical shimmer", 1), ("sorcery", 0), ("spell", 1)),
    scenes=("a {adj} magic spell being cast{post}", "a wizard casting a {adj} spell{post}",
            "a {adj} magical charge-up and release{post}"),
    tags=("magic", "spell", "fantasy", "shimmer", "sparkle", "wizard"),
    keywords=("magic", "spell", "spell cast", "casting", "wizard", "sorcery", "enchantment", "fairy dust",
              "sparkle", "shimmer", "heal", "curse", "arcane", "mana"),
    rate_words=(("slow",), ("quick",)), rate_doc="the charge time divided by rate",
    intensity_words=None, ringing=True,
    element_roles=("main", "sweetener"), design_roles=("sweetener", "tail"),
    role_params={"sweetener": {"cast": -1.0, "charge_s": -0.6}, "tail": {"charge_s": -1.0, "tail_s": 0.6}},
    category="magic",
    presets={
        "holy_heal": {"school": "holy", "charge_s": 0.0, "sparkle": 0.5, "cast": -0.3, "tail_s": 0.2,
                      "space": -0.4, "distance": -0.7, "attack": -1.0},
        "arcane_bolt": {"school": "arcane", "charge_s": -0.5, "sparkle": 0.3, "cast": 0.8, "tail_s": -0.3,
                        "space": -0.4, "distance": -0.7, "attack": -1.0},
        "dark_curse": {"school": "dark", "charge_s": 0.3, "sparkle": -0.5, "cast": 0.5, "tail_s": 0.0,
                       "space": -0.4, "distance": -0.7, "attack": -1.0},
        "fairy_dust": {"school": "holy", "charge_s": -0.8, "sparkle": 1.0, "cast": -1.0, "tail_s": 0.4,
                       "space": -0.4, "distance": -0.7, "attack": -1.0},
    },
)
