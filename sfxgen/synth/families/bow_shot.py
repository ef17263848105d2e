"""Bow shot: draw, release, the arrow flying off (and striking a target).

* **draw** -- the limbs bend and the string creaks: slow stick-slip friction (nock, arrow rest,
  limb fibres) driving the bow's wooden resonances, rising in tension as the draw goes back;
* **release** -- the string snaps forward: a "thrum" at the bowstring's fundamental
  (~90-160 Hz, with its harmonics, dying in ~0.2 s), the limbs' dull thump and the string's
  slap on the arm guard; a crossbow instead releases with a trigger click and a harder,
  shorter thwack of its stiff prod;
* **flight** -- the arrow's shaft sheds an Aeolian tone at ``St u / d`` (8 mm shaft at 60 m/s:
  ~1.5 kHz) over the fletching's wake noise (:func:`sfxgen.synth.physics.aero.aeolian`),
  heard receding through :func:`sfxgen.synth.physics.motion.straight_path`: its pitch
  Doppler-shifted down by ``c / (c + v)`` and its level falling as ``1 / r``;
* **impact** -- after ``distance / speed`` the arrow thunks into a wooden target (a damped
  wood knock plus the shaft's buzzing vibration).
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import aero
from sfxgen.synth.physics.motion import pan_stereo, straight_path

BOWS = ("longbow", "recurve", "crossbow")
# string fundamental (Hz), thrum T60 (s), limb thump (Hz)
_BOW = {"longbow": (95.0, 0.25, 55.0), "recurve": (135.0, 0.18, 70.0), "crossbow": (210.0, 0.09, 110.0)}

BOW = Param("bow", "Longbow (deep thrum), recurve (tighter) or crossbow (trigger click, hard short "
            "thwack, no draw).", choices=BOWS,
            choice_words=(("longbow", ("from a longbow",)), ("recurve", ("from a recurve bow",)),
                          ("crossbow", ("from a crossbow",))))
DRAW = Param("draw_s", "Length of the audible draw (creak) before the release; 0: the shot only.", "s",
             0.0, 1.5, low_words=(), high_words=("with a creaking draw",), where="post")
SPEED = Param("speed_mps", "Arrow speed: the flight tone's pitch (St u / d), its Doppler drop c / (c + v) "
              "and the time to the target.", "m/s", 35.0, 110.0, "log",
              low_words=("slow",), high_words=("fast",))
IMPACT = Param("impact", "Whether the arrow is heard striking a wooden target.", choices=("target", "none"),
               choice_words=(("target", ("hitting a target", "thudding into a target")),))
RANGE = Param("range_m", "Distance to the target.", "m", 5.0, 60.0, "log")


def draw_creak(rng, n: int, sr: int, *, start_s: float, dur_s: float, body_hz: float) -> np.ndarray:
    """The draw: slow stick-slip through the bow's wooden resonances, tension rising (n,)."""
    out = np.zeros(n)
    i0, m = int(start_s * sr), min(int(dur_s * sr), n - int(start_s * sr))
    if m < 16:
        return out
    x = np.linspace(0.0, 1.0, m)
    v = np.sin(np.pi * np.clip(x * 1.1, 0, 1)) ** 0.5
    slips = P.stick_slip(rng, m, sr, velocity=v, pressure=0.3 + 0.7 * x, base_rate_hz=45.0, jitter=0.4)
    res = P.resonator_bank(slips, sr, body_hz * np.array([1.0, 2.3, 4.1, 6.7]), [0.03, 0.025, 0.02, 0.015],
                           [1.0, 0.8, 0.5, 0.3], sparse=True)
    rustle = P.bandpass(P.white(rng, m), sr, 2500.0, q=0.6) * v * 0.02
    out[i0:i0 + m] = res / (P.peak_abs(res) + 1e-12) + rustle / 0.02 * 0.08
    return out


def release(rng, n: int, sr: int, *, at_s: float, bow: str, pitch: float) -> np.ndarray:
    """String thrum, limb thump, arm-guard slap (crossbow: trigger click and thwack) (n,)."""
    f_s, t60, limb = _BOW[bow]
    i0 = int(at_s * sr)
    L = min(int(0.6 * sr), n - i0)
    out = np.zeros(n)
    if L < 16:
        return out
    tt = np.arange(L) / sr
    f = max(f_s * pitch, 50.0) * (1.0 + 0.04 * np.exp(-tt / 0.02))  # the string settles as it slows
    thrum = P.harmonic_osc(f, L, sr, [1.0, 0.6, 0.45, 0.3, 0.2, 0.14, 0.1]) * np.exp(-6.9 * tt / t60)
    thump = P.sine(max(limb * pitch, 45.0), L, sr) * np.exp(-tt / 0.05)
    slap = P.bandpass(P.white(rng, L), sr, 3000.0, q=0.35) * np.exp(-tt / 0.008)
    y = thrum + 1.5 * thump + (1.6 if bow == "crossbow" else 1.2) * slap
    if bow == "crossbow":
        click = P.modal_ir(L, sr, [2800.0, 4600.0, 6900.0], [0.015, 0.01, 0.008], [1.0, 0.6, 0.4])
        y += 0.5 * np.roll(click, 0) / (P.peak_abs(click) + 1e-12)
    out[i0:i0 + L] = P.highpass(y, sr, 40.0)
    return out


def flight(rng, n: int, sr: int, *, at_s: float, speed: float, until_s: float) -> np.ndarray:
    """The arrow receding from the bow (n,): shaft tone and fletching wake, Doppler and 1 / r."""
    t = P.time_s(n, sr)
    path = straight_path(t, speed_mps=speed, offset_m=0.6, t_closest_s=at_s)
    moving = (path.emit_s >= at_s) & (t <= until_s)
    u = speed * (1.0 - 0.15 * np.clip((path.emit_s - at_s) / 1.5, 0, 1))  # drag slows it a little
    y = aero.aeolian(rng, sr, u[None, :], 0.008, 0.6, tone=0.7, wake=1.0, doppler=path.doppler)
    fletch = aero.aeolian(rng, sr, u[None, :], 0.03, 0.1, tone=0.0, wake=1.0, doppler=path.doppler)
    y = y / (P.rms(y) + 1e-12) + 0.7 * fletch / (P.rms(fletch) + 1e-12)
    # a lift dipole radiates across the flow: ~sin(theta) / r, nearly silent straight behind the arrow
    sin_t = np.sqrt(np.maximum(1.0 - path.cos_theta ** 2, 0.0))
    gain = 0.6 / np.maximum(path.distance_m, 0.6) * np.maximum(sin_t, 0.02) * moving
    gain *= np.minimum(np.maximum(path.emit_s - at_s, 0.0) / 0.01, 1.0)
    return y * gain


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    bow = BOW.choice(ph.a(0))
    draw = 0.0 if bow == "crossbow" else min(DRAW.value(ph.a(1)) / ph.rate, 0.5 * T)
    speed = SPEED.value(ph.a(2)) * (0.85 + 0.3 * ph.intensity)
    t_rel = 0.02 + draw
    t_hit = t_rel + RANGE.value(ph.a(4)) / speed
    hit = IMPACT.choice(ph.a(3)) == "target" and t_hit < 0.9 * T
    out = np.zeros((2, n))
    if draw > 0.05:
        cr = draw_creak(rng, n, sr, start_s=0.02, dur_s=draw, body_hz=180.0 * ph.pitch_ratio)
        out += pan_stereo(0.06 * cr, -0.1)
    rel = release(rng, n, sr, at_s=t_rel, bow=bow, pitch=ph.pitch_ratio * 2 ** (-0.5 * (ph.size - 0.5)))
    out += pan_stereo(rel / (P.peak_abs(rel) + 1e-12), -0.1)
    fl = flight(rng, n, sr, at_s=t_rel + 0.005, speed=speed, until_s=t_hit if hit else T)
    direction = 1.0 if rng.uniform() < 0.5 else -1.0
    pan = direction * np.clip((P.time_s(n, sr) - t_rel) * 3.0, 0.0, 0.5)
    out += pan_stereo(0.9 * fl / (P.peak_abs(fl) + 1e-12), pan)
    if hit:
        i0 = int(t_hit * sr)
        L = min(int(0.4 * sr), n - i0)
        tt = np.arange(L) / sr
        knock = P.modal_ir(L, sr, np.array([240.0, 610.0, 1150.0, 2100.0]) * rng.uniform(0.9, 1.1, 4),
                           [0.06, 0.04, 0.03, 0.02], [1.0, 0.7, 0.5, 0.3])
        buzz = P.harmonic_osc(160.0, L, sr, [1.0, 0.5, 0.3]) * np.exp(-tt / 0.08) * (1 + 0.5 * P.sin_cycles(31.0 * tt))
        d = RANGE.value(ph.a(4))
        hit_sig = (knock / (P.peak_abs(knock) + 1e-12) + 0.3 * buzz) * min(1.0, 4.0 / d) ** 0.7
        out[:, i0:i0 + L] += pan_stereo(0.7 * hit_sig, direction * 0.5)
    return P.highpass_tilt(out, sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


FAMILY = Family(
    name="bow_shot", ucs="WEAPBow", noun="bow shot", kind="oneshot", render=render,
    params=(BOW, DRAW, SPEED, IMPACT, RANGE), default_duration_s=2.0,
    nouns=(("bow shot", 1), ("arrow shot", 1), ("archer firing an arrow", 1), ("bow release", 1),
           ("arrow being loosed", 1)),
    scenes=("an archer {adj} loosing an arrow{post}", "a {adj} bow shot{post}", "a {adj} arrow fired from a bow{post}"),
    tags=("bow", "arrow", "archery", "weapon", "twang", "whoosh"),
    keywords=("bow", "arrow", "archer", "archery", "bow shot", "loose an arrow", "longbow", "crossbow", "bolt",
              "bowstring", "arrow whoosh", "fire an arrow"),
    rate_words=(("slow",), ("quick",)), rate_doc="the draw time divided by rate",
    intensity_words=(("weak",), ("powerful",)), sized=True,
    element_roles=("main",), design_roles=("transient",),
    role_params={"transient": {"draw_s": -1.0, "impact": "none"}},
    category="weapon",
    presets={
        "longbow_draw_and_loose": {"bow": "longbow", "draw_s": 0.2, "speed_mps": -0.2, "impact": "none",
                                   "space": -0.8, "distance": -0.8, "attack": -1.0},
        "recurve_hit": {"bow": "recurve", "draw_s": -1.0, "speed_mps": 0.2, "impact": "target", "range_m": -0.3,
                        "space": -0.8, "distance": -0.8, "attack": -1.0},
        "crossbow": {"bow": "crossbow", "speed_mps": 0.6, "impact": "none", "space": -0.8, "distance": -0.8,
                     "attack": -1.0},
        "quick_shot": {"bow": "recurve", "draw_s": -1.0, "speed_mps": 0.4, "impact": "none", "space": -0.8,
                       "distance": -0.8, "attack": -1.0},
    },
)
