"""Shotgun: the blast, then the pump racked back and forward (and the hull ejected).

The blast is a Friedlander pressure wave ``p(t) = (1 - t / t_d) exp(-t / t_d)`` (positive phase
``t_d`` of 1.5-4 ms for a 12 gauge at the shooter's position; with this decay constant its net
impulse is zero, so no sub-sonic offset), reflected once off the ground a few ms later, over
the muzzle gases' turbulent roar (a noise burst decaying over ~0.1 s). A sawn-off barrel
burns more powder outside the muzzle: a longer, brighter, louder blast. Outdoors, the report
comes back from buildings and tree lines as discrete slapback echoes and a rolling low tail;
indoors the shared room does the rest. Then the gesture that makes a shotgun a shotgun: the
fore-end pulled back (slide, stop) and pushed forward (slide, slam) with the blocks of
:mod:`sfxgen.synth.families.gun_reload`, and the spent hull bouncing on the floor
(:func:`sfxgen.synth.families.shell_drop.drop_cases`).
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.families.gun_reload import mechanism
from sfxgen.synth.families.shell_drop import drop_cases
from sfxgen.synth.physics import aero
from sfxgen.synth.physics.motion import pan_stereo

BARREL = Param("barrel", "Full-length barrel or a sawn-off (shorter, louder, brighter blast).",
               choices=("sawed_off", "full_length"),
               choice_words=(("sawed_off", ("from a sawed-off shotgun",)),))
ACTION = Param("action", "After the shot: nothing, the pump racked, or the pump racked and the hull "
               "bouncing on the floor.", choices=("single", "pump", "pump_shell"),
               choice_words=(("pump", ("then pumped", "with a pump action")),
                             ("pump_shell", ("then pumped, the shell hitting the floor",))))
SETTING = Param("environment", "Outdoors (slapback echoes from buildings and trees, a rolling tail) or "
                "indoors (the room only).", choices=("outdoors", "indoors"),
                choice_words=(("outdoors", ("outdoors", "echoing across a valley")),))
SHOTS = Param("shots", "Number of shots, the whole part of this value (1 below u = 0.5, 2, then 3 "
              "from u = 0.79), each followed by its pump.", "count", 1.0, 3.99, "log")
ECHO = Param("echo_m", "Distance to the main reflecting surface outdoors (slapback delay = 2 d / c).",
             "m", 15.0, 250.0, "log", low_words=(), high_words=("with a long echo",), where="post")
PUMP = [(0.0, "slide:0.07", 0.6), (0.075, "stop", 0.9), (0.17, "slide:0.06", 0.5), (0.235, "slam", 1.0)]


def shot_count(ph: Physical) -> int:
    return int(SHOTS.value(ph.a(3)))


def fit_cycle(k: int, cycle: float, action: str, T: float, *, outdoors: bool) -> tuple[float, int]:
    """Shot spacing and count that fit ``T`` seconds with the last report's decay (~0.8 s; 1.3 s
    with outdoor echoes), its
    pump (0.55 cycle + 0.35 s) and the hull's bounces (0.6 s) inside: the spacing shrinks (to
    0.35 s at least), then shots go."""
    pump = action != "single"
    after = (1.3 if outdoors else 0.8) + (0.35 if pump else 0.0) + (0.6 if action == "pump_shell" else 0.0)

    def needed(kk: int, c: float) -> float:
        return (kk - 1) * c + (0.55 * c if pump else 0.0) + after

    while k > 1 and needed(k, 0.35) > 0.95 * T:
        k -= 1
    if needed(k, cycle) > 0.95 * T:
        per = (k - 1) + (0.55 if pump else 0.0)
        rest = 0.95 * T - after
        cycle = max(rest / per, 0.05) if per > 0 else cycle
    return cycle, k


def friedlander(n: int, sr: int, *, t_d: float) -> np.ndarray:
    """A Friedlander blast wave ``(1 - t/t_d) exp(-t/t_d)`` (n,), zero net impulse."""
    t = P.time_s(n, sr) / t_d
    y = (1.0 - t) * np.exp(-np.minimum(t, 80.0))
    return y


def blast(rng, n: int, sr: int, *, t_d: float, gas: float, bright: float) -> np.ndarray:
    """The report at the shooter (n,): the Friedlander wave, its ground reflection and the muzzle
    gases' roar."""
    m = min(n, int(0.6 * sr))
    y = np.zeros(n)
    wave = friedlander(m, sr, t_d=t_d)
    y[:m] += wave
    d = int(rng.uniform(0.003, 0.006) * sr)  # the ground bounce
    if d < m:
        y[d:m] += 0.55 * P.lowpass(wave[: m - d], sr, 6000.0)
    roar = P.shaped_noise(rng, m, sr, lambda f, t: aero.peak_spectrum(f, 900.0 + 1500.0 * bright, rise=1.0, fall=1.1))
    roar *= np.exp(-P.time_s(m, sr) / (0.025 + 0.05 * gas))
    y[:m] += 0.35 * gas * roar / (P.peak_abs(roar) + 1e-12)
    return P.highpass(y, sr, 30.0)


def outdoor_tail(rng, x: np.ndarray, sr: int, *, echo_m: float) -> np.ndarray:
    """Slapback echoes (first at ``2 echo_m / c``, later ones from farther surfaces, each duller)
    and a rolling low tail, added to a copy of ``x`` (n,)."""
    n = x.shape[-1]
    y = x.copy()
    delays = 2 * echo_m / 343.0 * np.concatenate([[1.0], rng.uniform(1.3, 3.5, 3)])
    delays = delays[delays < 0.55 * n / sr]  # echoes that would be cut off by the clip's end are not heard
    for k, dl in enumerate(np.sort(delays)):
        echo = P.lowpass(x, sr, 2500.0 / (1 + 0.7 * k))
        for tap in rng.uniform(0.0, 0.03, 4):  # a rough surface: each echo smeared over ~30 ms
            i = int((dl + tap) * sr)
            if i < n:
                y[i:] += (0.12 / (1 + k)) * rng.uniform(0.5, 1.0) * echo[: n - i]
    L = min(n, int(2.5 * sr))
    roll = P.lowpass(P.white(rng, L), sr, 500.0) * np.exp(-P.time_s(L, sr) / 0.3)
    roll *= np.clip(P.time_s(L, sr) / 0.08, 0, 1)
    tail = P.convolve_head(x, roll)
    y += tail / (P.peak_abs(tail) + 1e-12) * P.peak_abs(x) * 0.08
    return y


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    sawed = BARREL.choice(ph.a(0)) == "sawed_off"
    action = ACTION.choice(ph.a(1))
    t_d = min((0.0015 + 0.0025 * ph.size) * (1.3 if sawed else 1.0) / ph.pitch_ratio, 0.006)
    gas = 0.4 + 0.4 * ph.intensity + (0.4 if sawed else 0.0)
    k = shot_count(ph)
    outdoors = SETTING.choice(ph.a(2)) == "outdoors"
    cycle, k = fit_cycle(k, (1.2 if action != "single" else 0.5) / ph.rate, action, T, outdoors=outdoors)
    one = blast(rng, n, sr, t_d=t_d, gas=gas, bright=ph.brightness)
    out = np.zeros((2, n))
    mono = np.zeros(n)
    for i in range(k):
        i0 = int((0.005 + i * cycle) * sr)
        if i0 < n:
            mono[i0:] += one[: n - i0] * (1.0 if i == 0 else rng.uniform(0.9, 1.0))
    if outdoors:
        mono = outdoor_tail(rng, mono, sr, echo_m=ECHO.value(ph.a(4)))
    out += pan_stereo(mono, 0.0)
    if action != "single":
        level = 0.25 * P.peak_abs(mono)
        scale = min(1.0 / ph.rate, max(0.3 * cycle, 0.05))
        for i in range(k):
            t0 = 0.005 + i * cycle + 0.55 * cycle
            mech = mechanism(rng, n, sr, PUMP, scale=scale, size=0.6, steel=0.5, hardness=0.7, rattle=0.3, t0=t0)
            out += level * mech / (P.peak_abs(mech) + 1e-12)
            if action == "pump_shell":
                drop = drop_cases(rng, n, sr, starts_s=np.array([t0 + 0.4 * scale + 0.3]), shell="shotgun",
                                  floor="wood", h_m=1.0, e=0.35, size=0.5)
                out += 0.6 * level * drop / (P.peak_abs(drop) + 1e-12)
    return P.highpass_tilt(out, sr, 30.0, 0.25 + 0.5 * ph.brightness, order=4)


def _special(ph: Physical, duration_s):
    k = shot_count(ph)
    if k == 1:
        return [("shots", ["single"], ["a single shot"], "single")]
    return [("shots", [], ["fired twice" if k == 2 else "fired three times"], "repeated")]


FAMILY = Family(
    name="shotgun", ucs="GUNShotg", noun="shotgun blast", kind="oneshot", render=render,
    params=(BARREL, ACTION, SETTING, SHOTS, ECHO), default_duration_s=2.5,
    nouns=(("shotgun blast", 1), ("shotgun shot", 1), ("shotgun firing", 1), ("pump shotgun", 1),
           ("12 gauge shot", 1)),
    scenes=("a {adj} shotgun firing{post}", "a {adj} pump-action shotgun blast{post}",
            "a {adj} shotgun going off{post}"),
    tags=("shotgun", "gun", "blast", "pump", "weapon", "shot"),
    keywords=("shotgun", "pump shotgun", "pump-action", "12 gauge", "sawed-off", "sawn-off", "buckshot",
              "boomstick", "shotgun blast", "shotgun pump"),
    rate_words=(("slow",), ("rapid", "fast")), rate_doc="one shot and pump per 1.2 s at rate 1",
    intensity_words=(("light-load",), ("heavy-load", "thunderous")),
    special_words=_special, sized=True,
    element_roles=("main",), design_roles=("transient",),
    role_params={"transient": {"action": "single", "shots": -1.0}},
    category="weapon",
    presets={
        "pump_outdoors": {"action": "pump", "environment": "outdoors", "shots": -1.0, "attack": -1.0,
                          "space": -0.6, "distance": -0.6},
        "indoor_single": {"action": "single", "environment": "indoors", "shots": -1.0, "attack": -1.0,
                          "space": 0.0, "distance": -0.6},
        "sawed_off": {"barrel": "sawed_off", "action": "single", "environment": "outdoors", "shots": -1.0,
                      "attack": -1.0, "space": -0.6, "distance": -0.6},
        "pump_and_shell": {"action": "pump_shell", "environment": "indoors", "shots": -1.0, "attack": -1.0,
                           "space": -0.3, "distance": -0.6},
        "double_tap": {"action": "pump", "environment": "outdoors", "shots": 0.3, "rate": 0.6, "attack": -1.0,
                       "space": -0.6, "distance": -0.6},
    },
)
