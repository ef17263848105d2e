"""pneumatic_release: compressed air let out through a valve (pssht), one or a few bursts.

A solenoid or lever valve clicks open; the vessel blows down through the nozzle
(:mod:`sfxgen.synth.physics.fluids`): the gauge pressure falls exponentially, the jet speed
follows (Bernoulli, choked near 310 m/s), and with it the level (jet power ~ U**8) and the
turbulence's peak frequency (Strouhal ~0.2 U/D). A sudden opening adds a low pressure pop; as
the pressure runs out the valve may flutter (a buzz riding on the dying hiss). Air brakes and
pneumatic doors do this in quick bursts.

Common slots: ``decay`` the blow-down time (a small reservoir empties fast, a big one hisses
on); ``size`` the reservoir (longer) and the valve body (a lower pop); ``pitch`` shifts the
hiss peak; ``brightness`` tilts it; ``intensity`` opens the valve harder (a sharper onset, a
stronger pop); ``rate`` the spacing of repeated bursts.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, fluids, modal


def bursts_of(ph: Physical) -> int:
    """Number of bursts (1..4) for this patch."""
    return int(round(FAMILY.params[0].value(ph.aux[0])))


def _special(ph: Physical, duration_s: float | None):
    k = bursts_of(ph)
    if k == 1:
        return [("bursts", ["single"], [], "single")]
    return [("bursts", ["repeated"], ["in short bursts", f"{k} bursts"], "bursts")]


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    bursts = bursts_of(ph)
    p0, nozzle_mm, valve, flutter = (FAMILY.params[i].value(ph.aux[i]) for i in range(1, 5))
    dur = n / sr
    tau = float(np.clip(0.5 * ph.decay_s, 0.03, 3.0)) * (0.6 + 0.8 * ph.size)
    tau_each = tau / (1.0 + 0.5 * (bursts - 1))
    spacing = (0.25 + 1.6 * tau_each) / ph.rate
    total = 0.02 + (bursts - 1) * spacing + 4.0 * tau_each + 0.1
    k = crumple.fit_factor(total, dur)
    tau_each, spacing = tau_each * k, spacing * k
    t = np.arange(n) / sr
    press = np.zeros(n)
    starts = 0.02 * k + np.arange(bursts) * spacing * rng.uniform(0.9, 1.1, bursts)
    open_s = 0.002 + 0.03 * (1.0 - ph.intensity)
    for i, t0 in enumerate(starts):  # a handful of bursts, each a valve opening + blow-down
        pk = p0 * (1.0 if i == 0 else rng.uniform(0.6, 0.9))
        ramp = np.clip((t - t0) / open_s, 0.0, 1.0)
        press = np.maximum(press, pk * ramp * fluids.blowdown(n, sr, start_s=t0, tau_s=tau_each))
    # the valve closes when the pressure is low: the jet stops instead of trailing forever
    close = np.clip(press / (0.02 * p0) - 0.5, 0.0, 1.0)
    speed = fluids.jet_speed(press) * close
    d = nozzle_mm * 1e-3 / ph.pitch_ratio
    hiss = fluids.jet_noise(rng, n, sr, speed=speed, diameter_m=d, ref_speed=150.0)
    hiss *= np.sqrt(np.maximum(press, fluids.CHOKE_BAR) / fluids.CHOKE_BAR)  # choked: level still follows p
    hiss = P.tilt(hiss, sr, 0.3 + 0.5 * ph.brightness)
    y = hiss / (P.peak_abs(hiss) + 1e-12)
    if flutter > 0.02:  # valve flutter as the pressure runs out: a buzz on the dying hiss
        low = np.clip(1.0 - press / (0.35 * p0), 0.0, 1.0) * (press > 0.01 * p0)
        rate_hz = 45.0 + 60.0 * rng.random()
        buzz = 0.5 + 0.5 * P.sin_cycles(P.phase_of(rate_hz * (1.0 + 0.1 * B.smooth_random(rng, n, sr, 3.0)), n, sr))
        y *= 1.0 - flutter * low * (1.0 - buzz ** 3)
    # the valve: a solenoid click and a pressure pop at each opening
    on = (starts * sr).astype(np.int64)
    g = np.ones(bursts) * (0.4 + 0.6 * ph.intensity)
    if valve > 0.02:
        clk = modal.hardware_clicks(rng, n, sr, on - int(0.004 * sr), g, f1_hz=1700.0 * ph.pitch_ratio)
        # the pressure step: a short low thump (noise, not a ringing body)
        pop = B.noise_grains(rng, n, sr, on, np.full(bursts, 0.006 + 0.01 * ph.size), g * np.sqrt(p0 / 8.0))[0]
        pop = B.lowpass(B.lowpass(pop, 260.0 * 2.0 ** (-1.0 * (ph.size - 0.5)), sr, sparse=True), 400.0, sr)
        y += valve * (0.35 * clk / (P.peak_abs(clk) + 1e-12) + 0.5 * pop / (P.peak_abs(pop) + 1e-12))
    y = B.highpass(y, 50.0, sr, 4)
    return B.finish(modal.fade_tail(y[None, :], sr))


FAMILY = Family(
    name="pneumatic_release",
    ucs="AIRBrst",
    noun="pneumatic air release",
    kind="oneshot",
    render=render,
    params=(
        Param("bursts", doc="How many releases: 1 .. 4 (air-brake style bursts)", unit="count", lo=1.0, hi=4.0),
        Param("pressure", doc="Starting gauge pressure: louder, faster and brighter jet at high pressure",
              unit="bar", lo=0.5, hi=8.0, curve="log", low_words=("soft", "gentle"),
              high_words=("high-pressure", "blasting")),
        Param("nozzle", doc="Valve/nozzle diameter: small = a thin, high hiss; large = a broad, lower whoosh",
              unit="mm", lo=2.0, hi=60.0, curve="log", low_words=("thin", "hissing"),
              high_words=("broad", "whooshing")),
        Param("valve", doc="The valve's own sound: 0 none (just air) .. 1 a solenoid click and a pressure pop",
              high_words=("with a valve click",), where="post"),
        Param("flutter", doc="Valve flutter as the pressure runs out: 0 a clean fade .. 1 a buzzing, "
              "stuttering tail", high_words=("with a fluttering tail",), where="post"),
    ),
    default_duration_s=1.5,
    nouns=(("pneumatic air release", 1), ("air release hiss", 1), ("compressed air burst", 1)),
    scenes=("a {adj} burst of compressed air from a valve{post}", "a {adj} pneumatic hiss{post}",
            "a {adj} air brake releasing{post}"),
    tags=("air", "pneumatic", "hiss", "release", "valve"),
    keywords=("pneumatic", "air release", "air burst", "pssht", "air brake", "compressed air", "pressure release",
              "vent", "air hiss", "steam release"),
    rate_words=(("slow",), ("rapid",)),
    rate_doc="1.0 = bursts about 0.5 s apart at the default decay",
    intensity_words=(("gentle", "soft"), ("sudden", "violent")),
    special_words=_special,
    element_roles=("main", "mechanism", "sweetener"),
    design_roles=("sweetener", "transient"),
    role_params={"sweetener": {"bursts": -1.0, "valve": -1.0, "space": -0.6}},
    category="tools",
    presets={
        "air brake": {"bursts": -1.0, "pressure": 0.6, "nozzle": 0.2, "valve": 0.4, "decay": -0.1},
        "pneumatic door": {"bursts": -1.0, "pressure": 0.0, "nozzle": 0.0, "valve": 0.8, "decay": -0.3},
        "tiny air puff": {"bursts": -1.0, "pressure": -0.6, "nozzle": -0.8, "valve": 0.3, "decay": -0.6, "size": -0.6},
        "double pssht": {"bursts": -0.33, "pressure": 0.3, "valve": 0.5, "decay": -0.4},
        "big steam vent": {"bursts": -1.0, "pressure": 1.0, "nozzle": 0.9, "valve": -1.0, "decay": 0.3, "size": 0.5},
    },
)
