"""Horse whinny (neigh): a biphonic call -- two independent fundamentals from one larynx (Briefer
et al. 2015) -- ending in a nicker or a snort, from source-filter voices
(:mod:`sfxgen.synth.physics.voice`).

The high fundamental (~1.6-1.9 kHz in the development corpus's Widelands and Wesnoth whinnies)
rises briefly, then descends by a third to a fifth with a widening, quavering vibrato; a low
fundamental (~500-650 Hz) runs under it almost steadily; at the end the voice drops into a
few breathy pulses (the nicker "huh-huh-huh") and/or an unvoiced snort through the nostrils.

Common slots: ``size`` a pony (higher, shorter tract) .. a draft horse, ``pitch`` shifts both
voices, ``decay`` the length of the whinny (0.6 .. 2.5 s), ``intensity`` excitement (higher,
louder, more quaver), ``rate`` the quaver speed, ``brightness`` the glottal tilt.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import voice as V

TAIL_S = 0.12

PARAMS = (
    Param("biphonation", "Level of the low second voice under the high whinny", "%", 0, 100,
          low_words=("pure",), high_words=()),
    Param("quaver", "Vibrato of the descending whinny: steady .. wide, shaking quaver", "semitones", 0.2, 3.0,
          low_words=("steady",), high_words=("quavering", "shaking")),
    Param("nicker", "Breathy low pulses after the whinny: none up to 30 %, then 2 .. 6", "%", 0, 100),
    Param("snort", "An unvoiced snort through the nostrils at the end: none up to 50 %, then louder", "%", 0, 100),
    Param("breath", "Breath noise in the voice", "%", 0, 100, low_words=("clear",), high_words=("breathy",)),
)


def _parts(ph: Physical, duration_s: float) -> tuple[float, int, float]:
    """(whinny length s, nicker pulses, snort length s) that fit ``duration_s``."""
    whinny = float(np.clip(0.5 + 0.7 * ph.decay_s ** 0.6, 0.5, 2.6))
    nick = 0 if ph.a(2) <= 0.3 else 2 + int(round((ph.a(2) - 0.3) / 0.7 * 4))
    snort = 0.0 if ph.a(3) <= 0.5 else 0.25 + 0.25 * (ph.a(3) - 0.5) / 0.5
    room = V.room_s(duration_s, TAIL_S)
    while nick and whinny + 0.12 * nick + snort > room:
        nick -= 1
    if whinny + 0.12 * nick + snort > room:
        snort = 0.0
    whinny = min(whinny, max(room - 0.12 * nick - snort, 0.5 * room))
    return whinny, nick, snort


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry whinny (1, n)."""
    sr = sample_rate
    whinny, nick, snort = _parts(ph, n / sr)
    bi, quaver, breath = ph.a(0), PARAMS[1].value(ph.a(1)), ph.a(4)
    tract_m = 0.35 * (0.65 / 0.35) ** ph.size
    hi = 2300.0 * (1300.0 / 2300.0) ** ph.size * ph.pitch_ratio * (0.92 + 0.16 * ph.intensity)
    lo = hi * rng.uniform(0.3, 0.36)
    tilt = 1500.0 * 2.0 ** (1.0 * ph.intensity + 2.0 * (ph.brightness - 0.5))
    t0 = V.LEAD_S
    # the high voice: quick rise, then a descent with a widening quaver (breakpoints every 1/40)
    x = np.linspace(0.0, 1.0, 41)
    vib_hz = 7.5 * ph.rate ** 0.5 * (1.0 + 0.2 * ph.intensity)
    depth = quaver * (0.25 + 0.75 * x)
    fall = 1.0 - (0.25 + 0.15 * rng.uniform()) * np.clip((x - 0.1) / 0.9, 0, 1) ** 1.3
    rise = np.where(x < 0.06, 0.85 + 0.15 * x / 0.06, 1.0)
    # an irregular quaver: its rate wanders +-25 % and speeds up towards the end
    vib_ph = np.cumsum(np.r_[0.0, np.full(40, vib_hz * whinny / 40) * (1 + 0.25 * rng.standard_normal(40))
                       * (0.85 + 0.3 * x[1:])])
    f_hi = hi * rise * fall * 2.0 ** (depth / 12 * np.sin(2 * np.pi * vib_ph))
    amp = np.interp(x, [0.0, 0.03, 0.15, 0.7, 1.0], [0.0, 0.9, 1.0, 0.8, 0.0])
    amp = amp * (1.0 - 0.25 * x * (0.5 + 0.5 * np.sin(2 * np.pi * vib_ph + 1.0)))
    quality = dict(noise=0.2 + 0.8 * breath ** 1.5, jitter=0.006, shimmer=0.08, tilt_hz=tilt, peak_ratio=1.3)
    high = [V.Call(start_s=t0, dur_s=whinny, f0_hz=tuple(zip(x, f_hi)), amp=tuple(zip(x, amp)),
                   open=((0.0, 0.5), (0.2, 0.9), (1.0, 0.5)), front=((0.0, 0.6), (1.0, 0.4)), **quality)]
    tail = []
    t = t0 + whinny
    for i in range(nick):  # nicker: short breathy low pulses, slowing and fading
        ln = 0.07
        tail.append(V.Call(start_s=t + 0.01, dur_s=ln, f0_hz=((0.0, 180.0 * ph.pitch_ratio), (1.0, 150.0 * ph.pitch_ratio)),
                           amp=((0.0, 0.0), (0.2, 1.0), (1.0, 0.0)), open=((0.0, 0.2),), closed=((0.0, 0.6),),
                           level=0.8 * (1.0 - 0.12 * i), noise=1.2, jitter=0.03, shimmer=0.2, tilt_hz=2000.0,
                           subharmonic=0.3))
        t += 0.1 + 0.01 * i
    if snort > 0:
        tail.append(V.Call(start_s=t + 0.02, dur_s=snort, f0_hz=((0.0, 60.0),),
                           amp=((0.0, 0.0), (0.06, 1.0), (0.3, 0.7), (1.0, 0.0)), closed=((0.0, 0.7),),
                           open=((0.0, 0.2),), level=0.6 + 0.4 * ph.a(3), voiced=0.0, noise=6.0, tilt_hz=6000.0))
    ctl_hi = V.controls(high + tail, n=n, sr=sr, rng=rng)
    exc = V.excitation(ctl_hi, sr=sr, rng=rng)
    if bi > 0.05:
        f_lo = lo * np.interp(x, [0.0, 0.1, 0.6, 1.0], [0.9, 1.0, 0.97, 0.85])
        low = [V.Call(start_s=t0 + 0.02, dur_s=whinny * 0.92, f0_hz=tuple(zip(x, f_lo)),
                      amp=((0.0, 0.0), (0.08, 1.0), (0.8, 0.8), (1.0, 0.0)), level=0.7 * bi, **quality)]
        ctl_lo = V.controls(low, n=n, sr=sr, rng=rng)
        # the two vibrating masses interact: the low voice modulates the high one (sidebands at
        # F0 +- G0, the combination tones seen in real whinnies)
        from sfxgen.synth import primitives as P
        exc *= 1.0 + 0.6 * bi * P.sin_cycles(P.phase_of(ctl_lo.f0_hz, n, sr))
        exc += V.excitation(ctl_lo, sr=sr, rng=rng)
    y = V.apply_tract(exc, ctl_hi, sr=sr, tract_m=tract_m, bandwidth=1.4)
    return finish(y[None, :])


def _words(ph: Physical, duration_s: float | None):
    dur = FAMILY.default_duration_s if duration_s is None else duration_s
    _, nick, snort = _parts(ph, dur)
    out = []
    if nick:
        out.append(("nicker", [], ["ending in a nicker", "then nickering"], "nicker"))
    if snort > 0:
        out.append(("snort", ["snorting"], ["and a snort", "ending with a snort"], "snort"))
    return out


FAMILY = Family(
    name="horse_whinny",
    ucs="ANMLHors",
    noun="horse whinny",
    kind="oneshot",
    render=render,
    params=PARAMS,
    default_duration_s=2.5,
    nouns=(("horse whinny", 1), ("horse neigh", 1), ("neighing horse", 1), ("whinnying horse", 1)),
    scenes=("a {adj} horse neighing in the stable{post}", "a {adj} horse whinnying{post}",
            "a {adj} neigh of a horse{post}"),
    tags=("horse", "whinny", "neigh", "animal"),
    keywords=("horse", "whinny", "neigh", "neighing", "whinnying", "pony", "stallion", "mare", "nicker"),
    rate_words=(("slow-quavering",), ("fast-quavering",)),
    rate_doc="a 7.5 Hz quaver",
    intensity_words=(("calm", "soft"), ("excited", "alarmed")),
    element_roles=("main",),
    design_roles=("sweetener",),
    role_params={"sweetener": {"distance": 0.4}},
    category="animal",
    special_words=_words,
    presets={
        "stallion whinny": {"size": 0.5, "intensity": 0.6, "quaver": 0.4, "nicker": 0.6, "biphonation": 0.4},
        "pony neigh": {"size": -0.8, "decay": -0.3, "quaver": 0.2},
        "short neigh and snort": {"decay": -1.0, "snort": 1.0, "nicker": -1.0, "biphonation": -1.0},
        "distant horse": {"distance": 0.7, "space": 0.2},
    },
)
