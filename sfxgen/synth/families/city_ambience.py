"""City ambience (street): traffic near and far, passing cars, people talking, horns, pigeons and
sparrows, a siren across town, as a spatial bed (:mod:`sfxgen.synth.physics.ambience`).

The backbone is the distant road roar: a dark, coherent bed (most energy under 1 kHz) that
swells as traffic bunches. Cars pass near: each a tyre-and-engine noise rising and falling as
it approaches and leaves (level ~ 1/distance, air absorption opening up close by), sweeping
across the stereo field, with the engine's hum bent by the Doppler shift. People walk and talk
(walla: several voices of syllable-like calls through moving formants,
:mod:`sfxgen.synth.physics.voice`, blurred with distance); horns honk far off; birds chirp on
the ledges; a siren wails across town. Real city and market ambiences in the development
corpus (0 A.D. ports and markets, Scorched 3D, UFO:AI): centroid 0.25-1 kHz, 85 % of the energy
under 0.4-1.9 kHz.

Common slots: ``intensity`` how busy the street is (traffic density and level), ``rate`` the
pace of events, ``size`` how open the space is (further sources), ``brightness`` the bed's
high end.
"""

from __future__ import annotations

import math

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish, pan_gains
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import ambience as A
from sfxgen.synth.physics import bio as B
from sfxgen.synth.physics import voice as V

SPEED_OF_SOUND = 343.0
MAX_CARS = 10

PARAMS = (
    Param("traffic", "Traffic: a quiet side street .. a busy road with cars passing close", "%", 0, 100,
          low_words=("quiet",), high_words=("busy", "with heavy traffic")),
    Param("people", "People walking and talking nearby", "%", 0, 100,
          low_words=(), high_words=("with people talking", "with passers-by chatting"), where="post"),
    Param("horns", "Car horns now and then: none up to 50 %, then more often", "%", 0, 100),
    Param("birds", "Pigeons and sparrows on the ledges", "%", 0, 100,
          low_words=(), high_words=("with birds chirping",), where="post"),
    Param("siren", "A siren wailing across town: none up to 60 %, then nearer", "%", 0, 100),
)


def _car(out: np.ndarray, rng: np.random.Generator, sr: int, t0: float, speed: float, closest: float,
         level: float) -> None:
    """Add one car passing into ``out`` (2, n): its noise shaped over the window around ``t0``
    (its closest approach) where it is within -14 dB of its closest level."""
    n = out.shape[-1]
    span = max(5.0 * closest / max(speed, 1.0), 1.0)
    a = max(int((t0 - span) * sr), 0)
    b = min(int((t0 + span) * sr), n)
    if b - a < 64:
        return
    m = b - a
    # the path at a control rate (every 32 samples), interpolated
    hop = 32
    tc = (np.arange(m // hop + 2) * hop + a) / sr - t0
    x = speed * tc
    r = np.sqrt(x * x + closest * closest)
    u = np.arange(m) / hop
    env = P.interp_uniform(u, closest / r)
    # tyres: noise low-passed by a corner that opens as the car nears; engine: a Doppler-bent hum
    near = P.lowpass(P.white(rng, m).astype(np.float64), sr, 1400.0, order=2)
    far = P.lowpass(near, sr, 350.0, order=1)
    blend = env ** 1.5
    sig = far + (near - far) * blend
    f_eng = rng.uniform(35.0, 70.0) * P.interp_uniform(u, 1.0 - speed * x / r / SPEED_OF_SOUND)
    sig += P.harmonic_osc(f_eng, m, sr, [0.6, 1.0, 0.5, 0.3]) * 0.15
    ramp = np.minimum(1.0, np.minimum(np.arange(m), m - 1 - np.arange(m)) / (0.2 * sr))
    sig *= env * ramp * level
    gl, gr = pan_gains(np.clip(x / np.maximum(r, 1.0), -1.0, 1.0) * 0.85)
    out[0, a:b] += sig * P.interp_uniform(u, gl)
    out[1, a:b] += sig * P.interp_uniform(u, gr)


def _walla(rng: np.random.Generator, ph: Physical, n: int, sr: int, amount: float) -> np.ndarray:
    """A few people talking at a distance: voices of syllable-like calls sharing one tract pass."""
    dur = n / sr
    voices = []
    for _ in range(2 + int(round(3 * amount))):
        f0 = rng.uniform(95.0, 135.0) if rng.uniform() < 0.5 else rng.uniform(170.0, 240.0)
        calls = []
        t = rng.uniform(0.0, 2.0)
        while t < dur - 0.3:
            for _ in range(int(rng.integers(3, 12))):  # a phrase of syllables
                ln = rng.uniform(0.08, 0.25)
                if t + ln > dur - 0.05:
                    break
                calls.append(V.Call(start_s=t, dur_s=ln, f0_hz=((0.0, f0 * rng.uniform(0.9, 1.15)),
                                                                 (1.0, f0 * rng.uniform(0.85, 1.05))),
                                    amp=((0.0, 0.0), (0.2, 1.0), (0.7, 0.8), (1.0, 0.0)),
                                    open=((0.0, rng.uniform(0.1, 0.5)), (0.5, rng.uniform(0.4, 1.0)), (1.0, rng.uniform(0.1, 0.5))),
                                    front=((0.0, rng.uniform(0, 1)), (1.0, rng.uniform(0, 1))),
                                    level=rng.uniform(0.5, 1.0), noise=0.15, jitter=0.01, shimmer=0.1, tilt_hz=2500.0))
                t += ln + rng.uniform(0.02, 0.08)
            t += rng.uniform(0.4, 2.5) / ph.rate ** 0.5
        voices.append((calls, rng.uniform(-0.7, 0.7), 1.0))
    # rendered at 16 kHz (distant speech has little above 6 kHz), then resampled
    lo_sr = min(16000, sr)
    m = int(np.ceil(n * lo_sr / sr)) + 8
    out = V.chorus(voices, n=m, sr=lo_sr, rng=rng, tract_m=0.16, frame=512,
                   place=lambda x: A.air(x, lo_sr, rng.uniform(2.0, 6.0)))
    if out is None:
        return np.zeros((2, n))
    if lo_sr != sr:
        from scipy.signal import resample_poly

        g = math.gcd(sr, lo_sr)
        out = resample_poly(out, sr // g, lo_sr // g, axis=-1)
    return out[:, :n] if out.shape[-1] >= n else np.pad(out, ((0, 0), (0, n - out.shape[-1])))


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry city street bed (2, n)."""
    sr = sample_rate
    dur = n / sr
    traffic, people, horns, birds, siren = (ph.a(i) for i in range(5))
    busy = 0.5 + ph.intensity
    far = 1.0 + 2.0 * ph.size
    top = 900.0 * 2.0 ** (2.0 * (ph.brightness - 0.5))
    roar = A.field(rng, n, sr, lambda t, f: (np.maximum(f, 1.0) / (np.maximum(f, 1.0) + 40.0)) ** 2
                   / (1.0 + (f / top) ** 2) * np.ones_like(t), k=2, spread=0.5,
                   mod=A.swell(rng, n, sr, rate_hz=0.12 * ph.rate, depth=0.4))
    out = (0.1 + 0.35 * traffic) * busy * roar
    cars = A.event_times(rng, dur + 2.0, (0.05 + 0.4 * traffic) * busy * ph.rate) - 1.0
    for t0 in cars[:MAX_CARS]:
        _car(out, rng, sr, float(t0), speed=rng.uniform(8.0, 16.0), closest=rng.uniform(3.0, 9.0) * far ** 0.5,
             level=0.6 * rng.uniform(0.5, 1.0))
    if people > 0.1:
        out += 1.0 * people * _walla(rng, ph, n, sr, people)
    if horns > 0.5:
        for t0 in A.event_times(rng, dur - 1.0, 0.05 + 0.3 * (horns - 0.5) / 0.5 * ph.rate):
            ln = rng.uniform(0.2, 0.8)
            m = int(ln * sr)
            a = int(t0 * sr)
            f = rng.uniform(380.0, 480.0)
            tone = P.harmonic_osc(f, m, sr, [1.0, 0.6, 0.5, 0.3, 0.2, 0.1]) + P.harmonic_osc(f * 1.26, m, sr, [0.8, 0.5, 0.4, 0.2])
            tone *= np.minimum(1.0, np.minimum(np.arange(m), m - 1 - np.arange(m)) / (0.01 * sr))
            h = np.zeros(n)
            h[a:a + m] = tone[: n - a]
            out += 0.15 * A.pan(A.air(h, sr, rng.uniform(3.0, 10.0) * far), rng.uniform(-0.7, 0.7))
    if birds > 0.1:
        for _ in range(1 + int(2 * birds)):
            y = B.songbird(rng, "chirper", n=n, sr=sr, f0=rng.uniform(3500.0, 5000.0), pace=ph.rate,
                           phrase_s=rng.uniform(0.6, 1.5), pause_s=rng.uniform(1.0, 4.0), variety=0.3)
            out += 0.12 * birds * A.pan(A.air(y, sr, rng.uniform(3.0, 10.0)), rng.uniform(-0.7, 0.7))
    if siren > 0.6:  # a wail sweeping 650-1300 Hz every ~4 s, far across town
        m = n
        sweep = 650.0 * 2.0 ** (0.5 + 0.5 * np.sin(2 * np.pi * np.arange(m) / sr / rng.uniform(3.5, 5.0) + rng.uniform(0, 6.3)))
        s = P.harmonic_osc(sweep, m, sr, [1.0, 0.3, 0.15])
        s *= np.clip(np.arange(m) / (2.0 * sr), 0.0, 1.0) * A.swell(rng, m, sr, rate_hz=0.3, depth=0.3)
        out += 0.05 * (siren - 0.6) / 0.4 * A.pan(A.air(s, sr, 20.0 * far / (1.0 + 2.0 * (siren - 0.6))), rng.uniform(-0.6, 0.6))
    return finish(P.highpass(out, sr, 30.0))


def _words(ph: Physical, duration_s: float | None):
    out = []
    if ph.a(2) > 0.5:
        out.append(("horns", [], ["with car horns", "with honking"], "horns"))
    if ph.a(4) > 0.6:
        out.append(("siren", [], ["with a siren in the distance"], "siren"))
    return out


FAMILY = Family(
    name="city_ambience",
    ucs="AMBTraf",
    noun="city ambience",
    kind="texture",
    render=render,
    params=PARAMS,
    default_duration_s=15.0,
    nouns=(("city ambience", 1), ("city street", 1), ("street ambience", 1), ("urban ambience", 1),
           ("traffic ambience", 1)),
    scenes=("a {adj} city street{post}", "{adj} traffic in a city center{post}", "a {adj} downtown street at midday{post}"),
    tags=("city", "street", "traffic", "urban", "ambience"),
    keywords=("city", "street", "traffic", "urban", "downtown", "town", "road", "cars", "busy street", "sidewalk",
              "crossroads", "intersection", "metropolis", "ambience", "market"),
    rate_words=None,
    intensity_words=(("quiet", "sleepy"), ("busy", "bustling", "hectic")),
    sized=False,
    element_roles=("main", "sweetener"),
    design_roles=("bed",),
    role_params={"bed": {"horns": -1.0, "siren": -1.0, "distance": 0.3}},
    category="ambience",
    special_words=_words,
    presets={
        "busy street": {"traffic": 0.8, "people": 0.4, "horns": 0.7, "intensity": 0.6},
        "quiet side street": {"traffic": -0.6, "people": 0.0, "birds": 0.4, "intensity": -0.5},
        "pedestrian square": {"traffic": -0.8, "people": 0.9, "birds": 0.6},
        "city at night with siren": {"traffic": 0.0, "people": -1.0, "siren": 0.9, "intensity": -0.3},
    },
)
