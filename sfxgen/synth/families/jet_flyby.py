"""Jet fly-by: a jet aircraft passing overhead.

Two sources on the aircraft's clock, each with its own directivity, heard through
:class:`sfxgen.synth.physics.motion.PassBy` (retarded time, Doppler, spreading, air absorption,
the ground reflection whose comb sweeps through the roar -- the "phasing" of every recorded
fly-by):

* the **inlet**: fan blade-passing tones and their harmonics (Gutin-like roll-off,
  :func:`sfxgen.synth.physics.rotor.blade_tones`), the buzz-saw shaft orders around them when
  the fan tips run supersonic, and a compressor whine -- radiated forwards, so they lead the
  approach and are Doppler-shifted up;
* the **exhaust**: jet mixing noise (broadband, peaking at a Strouhal frequency of the jet,
  lower for big slow jets) and, at afterburner thrust, crackle (sparse sharp positive shocks)
  -- radiated backwards (peak ~ 140 degrees from the inlet), so the roar swells as the
  aircraft passes and trails after it.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import aero, rotor
from sfxgen.synth.physics.motion import DIRECTION, PassBy, direction_sign, earshot_fades

AIRCRAFT = ("fighter", "airliner", "business_jet")
# fan BPF (Hz), jet-noise peak (Hz), buzz-saw, crackle capable, relative inlet level
_SPEC = {"airliner": (1800.0, 160.0, 0.8, 0.0, 0.6),
         "fighter": (2600.0, 320.0, 0.4, 1.0, 0.35),
         "business_jet": (3200.0, 260.0, 0.5, 0.0, 0.8)}

SPEED = Param("speed_mps", "Air speed: sets the Doppler ratio (approach / recede pitch = (c + v) / "
              "(c - v) overhead) and how fast it passes.", "m/s", 60.0, 300.0, "log",
              low_words=("slow", "landing"), high_words=("fast", "screaming"))
ALTITUDE = Param("altitude_m", "Height at the closest point (overhead): low passes are loud, "
                 "bright and brief; high ones a long dull rumble (air absorption).", "m", 30.0, 1500.0,
                 "log", low_words=("low", "low-flying"), high_words=("high-altitude", "distant"))
AIRCRAFT_P = Param("aircraft", "The aircraft: an airliner (big turbofans: fan whine, low roar), a "
                   "fighter (fast jet roar, crackle under afterburner) or a business jet.",
                   choices=AIRCRAFT,
                   choice_words=(("airliner", ("of an airliner", "of a passenger jet")),
                                 ("fighter", ("of a fighter jet", "of a military jet")),
                                 ("business_jet", ("of a business jet",))))
THRUST = Param("thrust", "Engine power: 0 idle descent (whine, soft roar) .. 1 full power "
               "(roar; afterburner crackle on a fighter).", "", 0.0, 1.0,
               low_words=("idling",), high_words=("full-throttle", "roaring"))


def _inlet(rng, m: int, sr: int, ph: Physical, kind: str, thrust: float) -> np.ndarray:
    bpf, _, buzz, _, _ = _SPEC[kind]
    bpf = bpf * ph.pitch_ratio * (0.75 + 0.35 * thrust)
    tones = rotor.blade_tones(bpf, m, sr, tip_mach=0.5 + 0.5 * thrust, count=4, rng=rng, wobble=0.002)
    # buzz-saw: shaft orders (1/24 of the BPF) with random strengths around the blade passage
    order = np.arange(1, 37)
    amps = buzz * thrust * rng.uniform(0.0, 1.0, order.size) * np.exp(-0.5 * ((order - 20) / 8.0) ** 2)
    saw = P.harmonic_osc(bpf / 24.0, m, sr, amps)
    whine = P.sine(bpf * 3.3 * (1.0 + 0.002 * P.smooth_random(rng, m, sr, 1.0)), m, sr)
    hiss = P.shaped_noise(rng, m, sr, lambda f, t: aero.peak_spectrum(f, 1.2 * bpf, rise=1.0, fall=2.0))
    y = tones / (P.rms(tones) + 1e-12) + saw / (P.rms(saw) + 1e-12) * min(1.0, 4 * buzz * thrust)
    return y + 0.25 * whine + 0.6 * hiss / (P.rms(hiss) + 1e-12)


def _exhaust(rng, m: int, sr: int, ph: Physical, kind: str, thrust: float) -> np.ndarray:
    _, peak, _, crackle, _ = _SPEC[kind]
    peak = peak * 2 ** (-0.8 * (ph.size - 0.5)) * (0.7 + 0.6 * thrust)
    roar = P.shaped_noise(rng, m, sr, lambda f, t: aero.peak_spectrum(f, peak, rise=1.6, fall=1.15))
    roar *= 1.0 + 0.15 * P.smooth_random(rng, m, sr, 4.0)
    roar = P.highpass(roar, sr, 30.0)
    y = roar / (P.rms(roar) + 1e-12)
    if crackle > 0 and thrust > 0.6:
        on = P.poisson_onsets(rng, 40.0 + 400.0 * (thrust - 0.6), m, sr)
        L = int(0.0015 * sr) + 2
        shock = np.exp(-np.arange(L) / (0.0003 * sr))  # a sharp positive jump and its decay
        ck = P.place(m, on, shock, rng.uniform(0.2, 1.0, on.size) ** 2)
        ck = P.highpass(ck, sr, 500.0)
        y += crackle * (thrust - 0.6) * 5.0 * ck / (P.rms(ck) + 1e-12)
    return y


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    kind = AIRCRAFT_P.choice(ph.a(2))
    thrust = THRUST.value(ph.a(3))
    direction = direction_sign(ph.a(4))
    alt = ALTITUDE.value(ph.a(1))
    # the closest point is (nearly) overhead: a small horizontal offset, the aircraft at altitude
    pb = PassBy(speed_mps=SPEED.value(ph.a(0)), closest_m=0.3 * alt, t_closest_s=T * rng.uniform(0.35, 0.45),
                source_height_m=alt, listener_height_m=1.6, ground_reflection=0.8, convective=1.5,
                width=0.55, direction=direction)
    lo, m = pb.source_span(n, sr)
    inlet_level = 0.7 * _SPEC[kind][4] * (1.2 - 0.6 * thrust)
    fwd = lambda c: 0.15 + 0.85 * np.clip(0.5 + 0.5 * c, 0, 1) ** 2  # noqa: E731
    aft = lambda c: 0.1 + np.exp(-0.5 * ((np.arccos(np.clip(c, -1, 1)) - 2.45) / 0.55) ** 2)  # noqa: E731
    y = pb.render_sources([(inlet_level * _inlet(rng, m, sr, ph, kind, thrust), fwd),
                           ((0.5 + 0.8 * thrust) * _exhaust(rng, m, sr, ph, kind, thrust), aft)], lo, sr, n)
    y *= earshot_fades(n, sr, in_s=0.15 * T, out_s=0.25 * T)
    return P.highpass_tilt(y, sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


FAMILY = Family(
    name="jet_flyby", ucs="AEROJet", noun="jet fly-by", kind="oneshot", render=render,
    params=(SPEED, ALTITUDE, AIRCRAFT_P, THRUST, DIRECTION), default_duration_s=8.0,
    nouns=(("jet fly-by", 1), ("jet flying overhead", 1), ("jet aircraft passing", 1), ("jet flyover", 1),
           ("airplane flying over", 1)),
    scenes=("a {adj} jet flying overhead{post}", "a {adj} jet aircraft passing over{post}",
            "a {adj} jet plane roaring past{post}"),
    tags=("jet", "aircraft", "airplane", "flyby", "doppler", "roar"),
    keywords=("jet", "jet flyby", "fly-by", "flyby", "flyover", "fly over", "fighter jet", "airliner",
              "airplane", "aeroplane", "plane overhead", "aircraft"),
    intensity_words=(("distant-sounding",), ("thunderous", "deafening")),
    sized=True,
    element_roles=("main",), design_roles=("bed", "texture"),
    role_params={"bed": {"altitude_m": 0.9, "thrust": -0.5}},
    category="vehicle",
    presets={
        "airliner_landing": {"aircraft": "airliner", "speed_mps": -0.5, "altitude_m": -0.3, "thrust": -0.6,
                             "space": -0.9, "distance": -0.9},
        "airliner_takeoff": {"aircraft": "airliner", "speed_mps": -0.3, "altitude_m": -0.1, "thrust": 0.8,
                             "space": -0.9, "distance": -0.9},
        "fighter_low_pass": {"aircraft": "fighter", "speed_mps": 0.6, "altitude_m": -0.7, "thrust": 0.9,
                             "space": -0.9, "distance": -0.9},
        "business_jet": {"aircraft": "business_jet", "speed_mps": -0.2, "altitude_m": -0.4, "thrust": 0.2,
                         "space": -0.9, "distance": -0.9},
        "high_overflight": {"aircraft": "airliner", "speed_mps": 0.4, "altitude_m": 0.8, "thrust": 0.2,
                            "space": -0.9, "distance": -0.9},
    },
)
