"""Shell drop: spent cartridge cases falling on a floor, bouncing and rolling to rest.

Ballistics of a bouncing body: dropped from ``h`` a case lands at ``v0 = sqrt(2 g h)``; each
bounce keeps a fraction ``e`` (coefficient of restitution) of the speed, so the flights
``2 v_k / g`` shrink geometrically (the accelerating "tink-tink-tinktink") and the impacts get
softer (gain ~ v^1.2) until it rests and rolls a moment. Each impact rings the case: a thin
brass cylinder's ring modes (n = 2 at ``c h n (n^2 - 1) / (2 pi sqrt(12) R^2 sqrt(n^2 + 1))``,
4-8 kHz for pistol and rifle cases, n = 3 ~2.7x higher), split in pairs by imperfect roundness
(the shimmer), with brass's long ring; a shotgun hull is plastic with a brass base (a dull,
damped click). The floor adds its contact: concrete a bright tick, wood a low knock, a metal
plate its own ring. Several cases fall in a burst, scattered across the image.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics.motion import pan_stereo

G = 9.81
SHELLS = ("pistol", "rifle", "shotgun")
FLOORS = ("wood", "concrete", "metal")
# ring mode n = 2 (Hz), T60 (s), plastic share
_SHELL = {"pistol": (5200.0, 0.12, 0.0), "rifle": (3800.0, 0.18, 0.0), "shotgun": (1400.0, 0.03, 1.0)}

SHELL = Param("shell", "Cartridge case: a pistol case (small, high ring), a rifle case (longer, lower "
              "ring) or a shotgun hull (plastic, dull click).", choices=SHELLS,
              choice_words=(("pistol", ("from a pistol",)), ("rifle", ("from a rifle",)),
                            ("shotgun", ("from a shotgun",))))
COUNT = Param("count", "Number of cases, the whole part of this value (1 .. 6), falling ~0.1 s apart "
              "(rate: faster fire, closer together).", "count", 1.0, 6.99, "log")
FLOOR = Param("floor", "What they land on: concrete (bright tick), wood (low knock) or a metal plate (ringing).", choices=FLOORS,
              choice_words=(("concrete", ("on concrete",)), ("wood", ("on a wooden floor",)),
                            ("metal", ("on a metal floor",))))
DROP = Param("drop_m", "Fall height: higher drops land harder and bounce longer.", "m", 0.2, 1.5, "log",
             low_words=(), high_words=())
BOUNCE = Param("restitution", "Coefficient of restitution: 0.2 dead bounce .. 0.6 lively "
               "skittering bounces.", "", 0.2, 0.6, low_words=(), high_words=("skittering", "bouncing"))


def shell_count(ph: Physical) -> int:
    return int(COUNT.value(ph.a(1)))


def bounce_times(h_m: float, e: float, *, max_bounces: int = 10, v_min: float = 0.08,
                 rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Impact times (s, first impact at 0) and impact speeds (m/s) of a body dropped from
    ``h_m`` with restitution ``e`` (with ``rng``: each bounce's restitution varies +-25 %, a
    tumbling case)."""
    v0 = np.sqrt(2 * G * h_m)
    ek = np.full(max_bounces, e) if rng is None else e * rng.uniform(0.75, 1.25, max_bounces)
    v = v0 * np.cumprod(np.concatenate([[1.0], ek[:-1]]))
    v = v[v >= v_min]
    t = np.concatenate([[0.0], np.cumsum(2 * v[1:] / G)])  # the flight after impact k leaves at v[k + 1]
    return t, v


def case_ir(rng, sr: int, *, shell: str, size: float, length_s: float = 0.6) -> np.ndarray:
    """Impulse response (L,) of one cartridge case hit at a random spot (modal)."""
    f2, t60, plastic = _SHELL[shell]
    f2 = f2 * 2.0 ** (-0.6 * (size - 0.5)) * rng.uniform(0.95, 1.05)
    f = np.array([f2, f2 * rng.uniform(1.005, 1.02), 2.72 * f2, 2.72 * f2 * rng.uniform(1.005, 1.02),
                  0.55 * f2 if plastic else 1.62 * f2, 0.31 * f2, 1.93 * f2, 3.61 * f2])
    amps = rng.uniform(0.3, 1.0, f.size) * np.array([1.0, 0.8, 0.5, 0.4, 0.6, 0.8, 0.35, 0.25])
    t60s = t60 * np.array([1.0, 1.0, 0.6, 0.6, 0.8, 1.5, 0.7, 0.5]) * rng.uniform(0.8, 1.2, f.size)
    L = min(int(length_s * sr), int(P.ENV_FLOOR_T60S * 0.4 * float(t60s.max()) * sr) + 64)
    ir = P.modal_ir(L, sr, f, t60s, amps, phases=rng.uniform(0, 2 * np.pi, f.size))
    return ir / (P.peak_abs(ir) + 1e-12)


def floor_ir(rng, sr: int, floor: str) -> np.ndarray:
    """The floor's share of an impact (L,): a tick (concrete), a low knock (wood) or a plate ring (metal)."""
    L = int(0.15 * sr)
    tick = P.white(rng, L) * np.exp(-np.arange(L) / (0.0005 * sr))
    if floor == "concrete":
        return 0.8 * P.highpass(tick, sr, 1500.0)
    if floor == "wood":
        knock = P.modal_ir(L, sr, np.array([180.0, 410.0, 770.0]) * rng.uniform(0.9, 1.1, 3), [0.05, 0.035, 0.02],
                           [1.0, 0.6, 0.3])
        return 0.3 * P.highpass(tick, sr, 1000.0) + 0.6 * knock / (P.peak_abs(knock) + 1e-12)
    ring = P.modal_ir(L, sr, np.array([620.0, 1330.0, 2210.0, 3480.0]) * rng.uniform(0.95, 1.05, 4),
                      [0.12, 0.1, 0.08, 0.06], [0.6, 1.0, 0.7, 0.5])
    return 0.3 * P.highpass(tick, sr, 1500.0) + 0.5 * ring / (P.peak_abs(ring) + 1e-12)


def drop_cases(rng: np.random.Generator, n: int, sr: int, *, starts_s: np.ndarray, shell: str, floor: str,
               h_m: float, e: float, size: float, spread: float = 0.4) -> np.ndarray:
    """Cases landing at ``starts_s`` (first impacts), each bouncing to rest -> (2, n)."""
    out = np.zeros((2, n))
    for t0 in starts_s:
        t, v = bounce_times(h_m * rng.uniform(0.7, 1.3), e, rng=rng)
        gains = (v / v[0]) ** 1.2
        # a tumbling case lands on one end, then the other: a second, softer contact just after
        t = np.concatenate([t, t + rng.uniform(0.004, 0.02, t.size)])
        gains = np.concatenate([gains, gains * rng.uniform(0.2, 0.6, gains.size)])
        on = ((t0 + t) * sr).astype(np.int64)
        ok = on < n
        if not np.any(ok):
            continue
        y = P.place(n, on[ok], case_ir(rng, sr, shell=shell, size=size), gains[ok] * rng.uniform(0.6, 1.0, ok.sum()))
        y += P.place(n, on[ok], floor_ir(rng, sr, floor), gains[ok])
        # at rest: a short roll, a rattle of tiny contacts at the case's turning rate
        t_rest = t0 + float(np.max(t)) + 0.02
        if t_rest < n / sr and shell != "shotgun":
            roll_on = t_rest + np.cumsum(rng.uniform(0.015, 0.05, int(rng.integers(3, 9))))
            rg = np.linspace(0.15, 0.03, roll_on.size) * gains[len(gains) // 2 - 1] * 3
            ro = (roll_on * sr).astype(np.int64)
            ok2 = ro < n
            y += P.place(n, ro[ok2], case_ir(rng, sr, shell=shell, size=size)[: int(0.05 * sr)], rg[ok2])
        out += pan_stereo(y, rng.uniform(-spread, spread))
    return out


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    k = shell_count(ph)
    gap = 0.11 / ph.rate
    k = max(1, min(k, int(0.5 * T / gap) + 1))
    starts = 0.01 + np.arange(k) * gap * rng.uniform(0.7, 1.3, k)
    starts[0] = 0.01
    h = DROP.value(ph.a(3)) * min(1.0, (0.6 * T / 1.2) ** 2)  # a short clip: a short fall
    y = drop_cases(rng, n, sr, starts_s=starts, shell=SHELL.choice(ph.a(0)), floor=FLOOR.choice(ph.a(2)),
                   h_m=max(h, 0.02), e=BOUNCE.value(ph.a(4)), size=ph.size)
    return P.highpass_tilt(y, sr, 40.0, 0.3 + 0.4 * ph.brightness)


def _special(ph: Physical, duration_s):
    k = shell_count(ph)
    if k == 1:
        return [("count", ["single"], ["a single casing"], "single")]
    return [("count", [], ["several casings" if k > 2 else "two casings"], "several")]


_CLOSE = {"space": -0.7, "distance": -0.7, "attack": -1.0}

FAMILY = Family(
    name="shell_drop", ucs="GUNMisc", noun="shell casings dropping", kind="oneshot", render=render,
    params=(SHELL, COUNT, FLOOR, DROP, BOUNCE), default_duration_s=2.0,
    nouns=(("shell casings dropping", 0), ("brass casings falling", 0), ("bullet casing bounce", 1),
           ("shell drop", 1), ("spent cartridges hitting the floor", 0)),
    scenes=("{adj} spent shell casings falling to the floor{post}", "{adj} brass casings bouncing{post}",
            "a {adj} bullet casing dropping{post}"),
    tags=("shell", "casing", "brass", "gun", "bounce", "tink"),
    keywords=("shell drop", "shell casing", "shell casings", "casing", "casings", "brass", "cartridge",
              "spent shell", "bullet casing", "shells falling"),
    rate_words=(("slow",), ("rapid", "fast")), rate_doc="cases ~0.11 s apart at rate 1",
    special_words=_special, ringing=True,
    element_roles=("material", "sweetener"), design_roles=("tail", "sweetener"),
    role_params={"sweetener": {"count": -0.6}, "tail": {"count": 0.2}},
    category="weapon",
    presets={k: {**_CLOSE, **v} for k, v in {
        "pistol_single": {"shell": "pistol", "count": -1.0, "floor": "concrete"},
        "rifle_burst": {"shell": "rifle", "count": 0.6, "floor": "concrete", "rate": 0.3},
        "on_wood": {"shell": "pistol", "count": 0.0, "floor": "wood"},
        "shotgun_hulls": {"shell": "shotgun", "count": -0.2, "floor": "concrete"},
        "metal_deck": {"shell": "rifle", "count": 0.3, "floor": "metal", "restitution": 0.5},
    }.items()},
)
