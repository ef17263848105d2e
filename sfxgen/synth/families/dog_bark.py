"""Dog bark: a series of short, harsh calls from a source-filter voice (:mod:`sfxgen.synth.physics.voice`).

A bark is a loud, abrupt vocalisation of 0.1-0.3 s whose pitch rises and falls (a chevron),
with a noisy, chaotic source (jitter, subharmonics, strong aspiration) and formants set by the
dog's vocal tract (6 cm toy dog .. 28 cm mastiff); the jaw opens during the bark (F1 rises) and
closes at its end. Real barks measured in the development corpus (0 A.D., Lugaru, Scorched 3D):
f0 200-650 Hz, centroid 0.6-1.2 kHz, 85 % of the energy under 1-1.8 kHz, onsets within ~10 ms.

Common slots: ``size`` the breed (small: short tract, high yap; large: long tract, deep woof),
``pitch`` shifts the voice, ``decay`` the length of each bark (0.07 .. 0.8 s: a clipped yap to a
baying "arooo"), ``rate`` the pace of a series (base: a bark every 0.45 s), ``intensity``
aggression (louder, higher, brighter, noisier), ``brightness`` the glottal tilt.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import voice as V

BASE_INTERVAL_S = 0.45
TAIL_S = 0.12
GROWL_MAX_S = 1.2

PARAMS = (
    Param("barks", "Number of barks in the series (as many as fit the clip)", "barks", 1.0, 6.0,
          low_words=(), high_words=()),
    Param("harshness", "Voice roughness: jitter, subharmonics and breath noise (clear yip .. raspy, "
          "snarling bark)", "%", 0, 100,
          low_words=("clear", "clean"), high_words=("harsh", "raspy", "rough")),
    Param("mouth", "Articulation: a closed, rounded 'woof' (low F1) .. a wide-open 'yap' (F1 high)", "%", 0, 100, low_words=("woofing", "muffled"), high_words=("yapping", "yappy")),
    Param("growl", "A low growl before the first bark: none up to 50 %, then up to 1.2 s of snarling "
          "growl at 100 %", "%", 0, 100),
)


def _layout(ph: Physical, duration_s: float) -> tuple[int, float, float, float]:
    """(barks that fit, interval s, bark length s, growl length s) -- read by the renderer and
    by the caption words alike."""
    call_s = float(np.clip(0.06 + 0.2 * ph.decay_s ** 0.7, 0.06, 1.0)) * (0.8 + 0.4 * ph.size)
    interval = max(BASE_INTERVAL_S / ph.rate, call_s + 0.05)
    growl_s = min(GROWL_MAX_S * max(0.0, 2.0 * ph.a(3) - 1.0), 0.4 * duration_s)
    growl_s = growl_s if growl_s >= 0.1 else 0.0
    call_s = min(call_s, V.room_s(duration_s - growl_s, TAIL_S))
    want = int(round(PARAMS[0].value(ph.a(0))))
    count = V.fitted_count(want, interval_s=interval, call_s=call_s, tail_s=TAIL_S,
                           duration_s=duration_s - growl_s)
    return count, interval, call_s, growl_s


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry dog bark series (1, n)."""
    sr = sample_rate
    count, interval, call_s, growl_s = _layout(ph, n / sr)
    harsh, mouth = ph.a(1), ph.a(2)
    tract_m = 0.06 * (0.28 / 0.06) ** ph.size
    f0 = 900.0 * (170.0 / 900.0) ** ph.size * ph.pitch_ratio * (0.9 + 0.25 * ph.intensity)
    tilt = 2500.0 * 2.0 ** (1.6 * ph.intensity + 2.0 * (ph.brightness - 0.5))
    calls = []
    if growl_s > 0:
        calls.append(V.Call(
            start_s=V.LEAD_S, dur_s=growl_s, f0_hz=((0.0, 0.3 * f0), (0.5, 0.36 * f0), (1.0, 0.32 * f0)),
            amp=((0.0, 0.0), (0.25, 0.5), (0.85, 0.55), (1.0, 0.0)), open=((0.0, 0.15), (1.0, 0.25)),
            front=((0.0, 0.3),), closed=((0.0, 0.35),), level=0.6, noise=0.6 + 0.6 * harsh,
            jitter=0.04, shimmer=0.25, subharmonic=0.8, tilt_hz=tilt, wobble_st=1.0))
    starts = V.call_starts(rng, count, interval_s=interval) + growl_s
    open_peak = 0.35 + 0.65 * mouth
    for i, s in enumerate(starts):
        k = float(np.exp(0.06 * rng.standard_normal())) * (0.96 if i == count - 1 and count > 2 else 1.0)
        ln = call_s * rng.uniform(0.85, 1.0)
        calls.append(V.Call(
            start_s=float(s), dur_s=ln,
            f0_hz=((0.0, 0.8 * f0 * k), (0.22, 1.12 * f0 * k), (0.6, 0.95 * f0 * k), (1.0, 0.68 * f0 * k)),
            amp=((0.0, 0.0), (min(0.006 / ln, 0.2), 0.7), (0.1, 1.0), (0.35, 0.9), (0.75, 0.35), (1.0, 0.0)),
            open=((0.0, 0.25 * open_peak), (0.3, open_peak), (1.0, 0.3 * open_peak)),
            front=((0.0, 0.3 + 0.3 * mouth),),
            closed=((0.0, 0.5 * (1.0 - mouth)), (0.2, 0.0)),
            level=rng.uniform(0.75, 1.0), noise=(0.1 + 1.2 * harsh ** 2) * (0.7 + 0.6 * ph.intensity),
            jitter=0.004 + 0.05 * harsh ** 2, shimmer=0.03 + 0.25 * harsh, subharmonic=0.7 * harsh ** 2,
            tilt_hz=tilt, wobble_st=0.5 + 1.5 * harsh))
    y = V.render_calls(calls, n=n, sr=sr, rng=rng, tract_m=tract_m, bandwidth=1.0 + 0.6 * harsh)
    return finish(y[None, :])


def _words(ph: Physical, duration_s: float | None):
    dur = FAMILY.default_duration_s if duration_s is None else duration_s
    count, _, _, growl_s = _layout(ph, dur)
    out = [("growl", ["growling", "snarling"], ["after a low growl"], "growl")] if growl_s > 0 else []
    if count == 1:
        return out + [("barks", ["single"], ["with a single bark", "one bark"], "single")]
    num = V.number_word(count)
    posts = [f"with {num} barks", f"{num} barks in a row"]
    return out + [("barks", ["repeated"] if count >= 4 else [], posts, V.times_word(count).split()[0])]


FAMILY = Family(
    name="dog_bark",
    ucs="ANMLDog",
    noun="dog bark",
    kind="oneshot",
    render=render,
    params=PARAMS,
    default_duration_s=2.0,
    nouns=(("dog bark", 1), ("dog barking", 1), ("barking dog", 1), ("dog barks", 0)),
    scenes=("a {adj} dog barking{post}", "a {adj} dog barks at a stranger{post}",
            "a {adj} guard dog barking{post}"),
    tags=("dog", "bark", "animal", "canine"),
    keywords=("dog", "bark", "barking", "woof", "yap", "yapping", "puppy", "hound", "canine", "arf"),
    rate_words=(("slow", "spaced-out"), ("rapid", "frantic")),
    rate_doc="one bark every 0.45 s",
    intensity_words=(("soft", "half-hearted"), ("aggressive", "furious", "angry")),
    element_roles=("main",),
    design_roles=("sweetener",),
    role_params={"sweetener": {"distance": 0.4, "barks": -0.6}},
    category="animal",
    special_words=_words,
    presets={
        "small dog yapping": {"size": -0.8, "mouth": 0.8, "barks": 0.4, "rate": 0.4, "harshness": -0.4},
        "big dog woof": {"size": 0.8, "mouth": -0.7, "barks": -0.6, "harshness": 0.0, "decay": 0.1},
        "guard dog, aggressive": {"size": 0.5, "harshness": 0.7, "intensity": 0.8, "growl": 0.6, "barks": 0.2},
        "distant dog": {"distance": 0.7, "space": 0.1, "barks": -0.2},
        "hound baying": {"size": 0.4, "decay": 0.9, "mouth": 0.3, "barks": -0.6, "harshness": -0.3},
    },
)
