"""hydraulic_hiss: a hydraulic actuator stroke: valve, pump whine, flow hiss, end-stop thunk, bleed.

Each stroke: a directional valve clicks over; the pump comes under load (a gear pump's whine
at its tooth-passing frequency, sagging in pitch with the load); oil forced through the valve
and lines hisses (turbulent flow, :func:`sfxgen.synth.physics.fluids.jet_noise` at oil
speeds); the cylinder moves (a low whirr and the faint stick-slip of its seals); it bottoms at
the end stop (a heavy, damped steel thunk) and the pressure is bled off (a short hiss that
blows down). Robot limbs, lifts, presses, landing gear and spaceship doors.

Common slots: ``rate`` stroke speed (1.0 = a 0.8 s stroke); ``size`` a bigger machine (lower
whine, deeper thunk, longer strokes); ``pitch`` moves the whine and the bodies; ``intensity``
the load (louder, more pitch sag, a harder stop); ``brightness`` tilts the hiss; ``decay`` the
bleed-off time.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, fluids, friction, modal


def strokes_of(ph: Physical) -> int:
    """Number of strokes (1..3) for this patch."""
    return int(round(FAMILY.params[0].value(ph.aux[0])))


def _special(ph: Physical, duration_s: float | None):
    k = strokes_of(ph)
    return [("strokes", ["single-stroke"] if k == 1 else ["repeated"],
             [] if k == 1 else [f"in {k} strokes", "cycling"], "single" if k == 1 else "repeated")]


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    strokes = strokes_of(ph)
    whine, hiss_amt, thunk, bleed = (FAMILY.params[i].value(ph.aux[i]) for i in range(1, 5))
    dur = n / sr
    sc = ph.pitch_ratio * 2.0 ** (-0.8 * (ph.size - 0.5))
    stroke = 0.8 * (0.7 + 0.6 * ph.size) / ph.rate * rng.uniform(0.9, 1.1, strokes)
    tau = float(np.clip(0.2 * ph.decay_s, 0.03, 1.5))
    gap = 0.15 + 2.0 * tau * bleed
    total = 0.03 + float(np.sum(stroke + gap)) + 0.3
    k = crumple.fit_factor(total, dur)
    stroke, gap, tau = stroke * k, gap * k, tau * k
    t = np.arange(n) / sr
    flow = np.zeros(n)

    def s(x):
        return np.clip((np.asarray(x) * sr).astype(np.int64), 0, n - 1)

    starts = 0.03 * k + np.concatenate([[0.0], np.cumsum(stroke + gap)[:-1]])
    ends = starts + stroke
    ramp = 0.05 * k
    for a, b in zip(starts, ends):  # a few strokes: flow ramps up, holds, cuts at the end stop
        seg = (t >= a) & (t < b)
        flow[seg] = np.minimum((t[seg] - a) / ramp, 1.0) * np.minimum((b - t[seg]) / (0.3 * ramp) + 0.3, 1.0)
    load = 0.4 + 0.6 * ph.intensity
    # pump whine: tooth-passing tone + harmonics, sagging under load at each stroke start
    since = t - starts[np.clip(np.searchsorted(starts, t, side="right") - 1, 0, None)]
    f_pump = 230.0 * sc * (1.0 - 0.06 * load * flow * np.exp(-np.maximum(since, 0.0) / 0.15))
    f_pump = f_pump * (1.0 + 0.004 * B.smooth_random(rng, n, sr, 6.0))
    tone = P.harmonic_osc(f_pump, n, sr, [1.0, 0.6, 0.45, 0.3, 0.2, 0.12, 0.08])
    # nine teeth per shaft turn: the shaft's eccentricity modulates the whine (sidebands)
    shaft = P.sin_cycles(P.phase_of(f_pump / 9.0, n, sr))
    tone *= 1.0 + 0.35 * shaft
    tone += 0.3 * B.bandpass(B.white(rng, n), 200.0 * sc, 2500.0 * sc, sr) * (0.5 + 0.5 * shaft)
    env_pump = B.lowpass(0.25 + 0.75 * flow, 8.0, sr, 1) * (t < ends[-1] + 0.1 * k)
    y = whine * 0.5 * tone * env_pump * load
    # oil flow through the valve: turbulence hiss (oil jets ~ 10-40 m/s through a ~1 mm port)
    hs = fluids.jet_noise(rng, n, sr, speed=25.0 * (0.5 + load) * flow, diameter_m=0.0012 / ph.pitch_ratio,
                          ref_speed=30.0)
    hs = P.tilt(hs, sr, 0.3 + 0.5 * ph.brightness)
    y += hiss_amt * 0.6 * hs / (P.peak_abs(hs) + 1e-12)
    # the cylinder moving: low whirr and its seals' faint stick-slip
    move = B.bandpass(B.white(rng, n), 90.0 * sc, 500.0 * sc, sr) * flow
    seals = friction.creak(rng, n, sr, flow, pressure=0.6, rust=0.1, base_hz=260.0 * sc, threshold=0.1)
    y += 0.15 * move / (P.peak_abs(move) + 1e-12) + 0.06 * B.bandpass(seals, 400.0, 4000.0, sr) / (P.peak_abs(seals) + 1e-12)
    # valve clicks at each start, the end-stop thunk at each end
    clk = modal.hardware_clicks(rng, n, sr, s(starts - 0.01 * k), np.full(strokes, 0.6), f1_hz=1500.0 * sc)
    y += 0.35 * clk / (P.peak_abs(clk) + 1e-12)
    if thunk > 0.02:
        ram = modal.body("steel", 140.0 * sc, modal.BAR_RATIOS[:7], rng=rng, tilt=-0.6, decay_scale=0.03)
        th = modal.strikes(n, sr, ram, s(ends), np.full(strokes, load), rng=rng, hardness=0.5, contact_ms=2.0)
        th += 0.3 * modal.contact_clicks(rng, n, sr, s(ends), np.full(strokes, load), tau_s=0.002, lo_hz=200.0) \
            * float(P.peak_abs(th))
        y += thunk * 0.9 * th / (P.peak_abs(th) + 1e-12)
    if bleed > 0.02:  # pressure bled off after each stroke: a blow-down hiss
        press = np.zeros(n)
        for e in ends:
            press = np.maximum(press, fluids.blowdown(n, sr, start_s=e + 0.04 * k, tau_s=tau, p0=1.5))
        air = fluids.jet_noise(rng, n, sr, speed=fluids.jet_speed(press), diameter_m=0.004 / ph.pitch_ratio)
        air = P.tilt(air, sr, 0.3 + 0.5 * ph.brightness)
        y += bleed * 0.7 * air / (P.peak_abs(air) + 1e-12)
    y = B.highpass(y, 50.0, sr, 4)
    return B.finish(modal.fade_tail(y[None, :], sr))


FAMILY = Family(
    name="hydraulic_hiss",
    ucs="MECHHydr",
    noun="hydraulic actuator",
    kind="oneshot",
    render=render,
    params=(
        Param("strokes", doc="How many actuator strokes: 1 .. 3", unit="count", lo=1.0, hi=3.0),
        Param("whine", doc="The pump's tonal whine under load: 0 none .. 1 prominent",
              low_words=(), high_words=("whining",)),
        Param("hiss", doc="Oil-flow hiss through the valve while moving: 0 none .. 1 strong",
              low_words=(), high_words=("hissing",)),
        Param("thunk", doc="The cylinder bottoming at the end stop: 0 soft landing .. 1 a heavy metal thunk",
              high_words=("with a heavy thunk", "clunking to a stop"), where="post"),
        Param("bleed", doc="Pressure bled off after each stroke: 0 none .. 1 a clear pssh",
              high_words=("with a pressure release", "venting"), where="post"),
    ),
    default_duration_s=2.5,
    nouns=(("hydraulic actuator", 1), ("hydraulic hiss", 1), ("hydraulic piston", 1), ("hydraulics", 0)),
    scenes=("a {adj} hydraulic piston moving{post}", "{adj} hydraulics extending and locking{post}",
            "a {adj} hydraulic arm actuating{post}"),
    tags=("hydraulic", "hiss", "mechanism", "piston", "actuator"),
    keywords=("hydraulic", "hydraulics", "piston", "actuator", "hydraulic hiss", "hydraulic press", "robot arm",
              "landing gear", "hydraulic lift"),
    rate_words=(("slow",), ("fast", "quick")),
    rate_doc="1.0 = a stroke of about 0.8 s",
    intensity_words=(("light", "smooth"), ("heavy", "straining", "powerful")),
    special_words=_special,
    element_roles=("main", "mechanism"),
    design_roles=("texture", "sweetener"),
    role_params={"sweetener": {"strokes": -1.0, "whine": -0.5, "thunk": -1.0, "space": -0.6}},
    category="tools",
    presets={
        "robot arm": {"strokes": -1.0, "whine": 0.6, "hiss": 0.0, "thunk": 0.2, "bleed": -0.4, "size": -0.4,
                      "rate": 0.3},
        "heavy press": {"strokes": -1.0, "whine": 0.2, "hiss": 0.4, "thunk": 0.9, "bleed": 0.6, "size": 0.7,
                        "intensity": 0.7, "rate": -0.4},
        "spaceship door": {"strokes": -1.0, "whine": -0.3, "hiss": 0.6, "thunk": 0.5, "bleed": 0.8, "size": 0.3},
        "cycling lift": {"strokes": 1.0, "whine": 0.4, "hiss": 0.2, "thunk": 0.0, "bleed": 0.0, "rate": 0.4},
    },
)
