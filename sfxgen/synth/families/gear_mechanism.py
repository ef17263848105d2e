"""gear_mechanism: a running gear train: tooth meshing, ratchet pawl, drive motor.

Each tooth that comes into mesh is a small impact on the gears (modal bodies of the chosen
material): at low speed a ticking train of clicks, at speed a whine at the mesh frequency
(teeth x revolutions per second). Every tooth is a little different (a fixed per-tooth pattern
that repeats each revolution) and the shaft's eccentricity swells the impacts once per turn:
the periodic, lumpy ratchet of real machinery. A second, slower stage meshes at its own rate;
a spring-loaded pawl may click over a ratchet wheel; an electric drive motor may hum under it.
With ``startstop`` the train spins up at the start and runs down at the end.

Common slots: ``rate`` the drive speed (1.0 = 2 revolutions/s of the first gear);
``size`` bigger gears (lower, longer-ringing bodies); ``pitch`` moves the bodies; ``intensity``
the load (louder impacts, more backlash rattle); ``brightness`` tilts; ``decay`` the ring.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, modal

MATERIALS = ("metal", "plastic", "wood")
_MAT = {"metal": ("steel", 2300.0, 0.05), "plastic": ("plastic", 1500.0, 0.5), "wood": ("wood", 700.0, 0.5)}


def _mesh_onsets(phase_rev: np.ndarray, teeth: int) -> tuple[np.ndarray, np.ndarray]:
    """Samples where a tooth comes into mesh for a gear whose angle (in revolutions) is
    ``phase_rev`` (n,), and each event's tooth index."""
    c = np.floor(phase_rev * teeth)
    idx = np.flatnonzero(np.diff(c, prepend=c[0]) > 0)
    return idx, c[idx].astype(np.int64) % teeth


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    teeth = int(round(FAMILY.params[0].value(ph.aux[0])))
    mat = FAMILY.params[1].choice(ph.aux[1])
    ratchet, wobble, motor, startstop = (FAMILY.params[i].value(ph.aux[i]) for i in range(2, 6))
    dur = n / sr
    t = np.arange(n) / sr
    # speed profile: steady, or spin up / run down inside the clip
    spin = min(0.35, 0.25 * dur) * (0.7 + 0.6 * ph.size)
    prof = np.ones(n)
    if startstop > 0.05:
        up = np.clip(t / spin, 0.0, 1.0) ** 1.5
        down = np.clip((dur - 0.05 - t) / (1.3 * spin), 0.0, 1.0) ** 0.8
        prof = (1.0 - startstop) + startstop * up * down
    prof *= 1.0 + 0.03 * B.smooth_random(rng, n, sr, 2.0) * (0.5 + wobble)
    rev_hz = 2.0 * ph.rate * 2.0 ** (-0.7 * (ph.size - 0.5))
    phase = np.cumsum(rev_hz * prof) / sr + rng.random()
    material, f1, ring_k = _MAT[mat]
    sc = ph.pitch_ratio * 2.0 ** (-1.0 * (ph.size - 0.5))
    ring = modal.ring_factor(ph.decay_s)
    load = 0.4 + 0.6 * ph.intensity
    stereo = np.zeros((2, n))
    # two stages: the drive gear (fast mesh) and a slower, larger stage beside it
    for stage, (ratio, z, f_mul, pos, gain) in enumerate(((1.0, teeth, 1.0, 0.25, 1.0),
                                                          (0.31, max(teeth * 2, 12), 0.6, -0.25, 0.7))):
        on, tooth = _mesh_onsets(phase * ratio, z)
        if on.size == 0:
            continue
        sig = rng.uniform(0.6, 1.0, z)  # the repeating per-tooth signature
        ecc = 1.0 + (0.15 + 0.6 * wobble) * P.sin_cycles(phase[on] * ratio + stage * 0.3)
        g = gain * load * sig[tooth] * ecc * np.sqrt(np.clip(prof[on], 0.05, None)) * rng.uniform(0.85, 1.15, on.size)
        gear = modal.body(material, f1 * sc * f_mul, modal.chunk_ratios(rng, 10, 1.2), rng=rng, tilt=-0.5,
                          decay_scale=ring_k * 0.06 * ring)
        y = modal.strikes(n, sr, gear, on, g, rng=rng, hardness=0.85, contact_ms=0.5)
        y += 0.5 * modal.contact_clicks(rng, n, sr, on, g, tau_s=0.0003, lo_hz=1500.0) * (float(P.peak_abs(y)) + 1e-9) \
            / (float(np.max(g)) + 1e-9)
        if ph.intensity > 0.6:  # backlash: under load a tooth rattles back once in a while
            back = on[rng.random(on.size) < 0.4 * (ph.intensity - 0.6)] + int(0.002 * sr)
            y += modal.strikes(n, sr, gear, back, np.full(back.size, 0.3 * load), rng=rng, hardness=0.9)
        stereo += crumple.pan(y, pos)
    stereo /= P.peak_abs(stereo) + 1e-12
    # ratchet pawl: a spring-loaded click over a coarse ratchet wheel (8 teeth per slow turn)
    if ratchet > 0.02:
        on, _ = _mesh_onsets(phase * 0.31, 8)
        pawl = modal.hardware_clicks(rng, n, sr, on, np.full(on.size, 1.0), f1_hz=3200.0 * sc,
                                     decay=2.0 * ring, tick=1.2)
        stereo += crumple.pan(ratchet * 0.8 * pawl / (P.peak_abs(pawl) + 1e-12), 0.1)
    # drive motor: an electric hum (mains-locked) with commutator buzz following the speed
    if motor > 0.02:
        f_m = 95.0 * ph.pitch_ratio * prof * ph.rate ** 0.5
        hum = P.harmonic_osc(f_m, n, sr, [0.5, 1.0, 0.5, 0.4, 0.2, 0.15, 0.1, 0.08])
        buzz = B.bandpass(B.white(rng, n), 2000.0, 8000.0, sr) * (0.5 + 0.5 * P.sin_cycles(P.phase_of(2 * f_m, n, sr)))
        m = (hum + 0.3 * buzz) * np.clip(prof, 0.0, 1.0)
        stereo += crumple.pan(motor * 0.2 * m / (P.peak_abs(m) + 1e-12), 0.0)
    stereo = modal.radiate(stereo, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=60.0)
    return B.finish(stereo)


FAMILY = Family(
    name="gear_mechanism",
    ucs="MECHGear",
    noun="gear mechanism",
    kind="texture",
    render=render,
    params=(
        Param("teeth", doc="Teeth on the drive gear (6 .. 40): with ``rate`` the mesh frequency; few teeth "
              "tick, many whine", unit="count", lo=6.0, hi=40.0, low_words=("ticking", "clicking"),
              high_words=("whirring", "whining")),
        Param("material", doc="Gear material: metal (bright, ringing clicks), plastic (dull, short) or wood "
              "(low, knocking: a mill or an old clockwork)", choices=MATERIALS),
        Param("ratchet", doc="A spring pawl clicking over a ratchet wheel: 0 none .. 1 loud",
              high_words=("with a ratchet", "ratcheting"), where="post"),
        Param("wobble", doc="Eccentricity and wear: 0 smooth and even .. 1 lumpy, grinding",
              low_words=("smooth", "even"), high_words=("worn", "grinding", "lumpy")),
        Param("motor", doc="An electric drive motor's hum under the gears: 0 none .. 1 prominent",
              high_words=("motor-driven", "with a motor hum"), where="post"),
        Param("startstop", doc="0 runs steadily (a bed) .. 1 spins up at the start and runs down at the end",
              high_words=("starting up and winding down",), where="post"),
    ),
    default_duration_s=3.0,
    nouns=(("gear mechanism", 1), ("turning gears", 0), ("clockwork mechanism", 1), ("gearbox", 1)),
    scenes=("{adj} gears turning and meshing{post}", "a {adj} clockwork mechanism running{post}",
            "a {adj} gear train grinding{post}"),
    tags=("gears", "mechanism", "machine", "clockwork", "cogs"),
    keywords=("gear", "gears", "cog", "cogs", "clockwork", "gearbox", "mechanism", "winding", "crank", "winch",
              "machinery", "mechanical"),
    rate_words=(("slowly turning", "slow"), ("fast-spinning", "fast")),
    rate_doc="1.0 = the drive gear turning twice a second",
    intensity_words=(("light", "quiet"), ("heavy", "labouring", "straining")),
    sized=True,
    element_roles=("main", "mechanism"),
    design_roles=("texture", "bed"),
    role_params={"texture": {"startstop": -1.0, "motor": -1.0, "space": -0.6}},
    category="tools",
    presets={
        "clockwork": {"teeth": -0.3, "material": "metal", "ratchet": 0.3, "wobble": -0.6, "motor": -1.0,
                      "startstop": -1.0, "size": -0.6, "rate": -0.3},
        "winch": {"teeth": -0.6, "material": "metal", "ratchet": 0.8, "wobble": 0.2, "motor": -1.0,
                  "startstop": 0.6, "size": 0.3, "rate": -0.5, "intensity": 0.5},
        "motorised gearbox": {"teeth": 0.6, "material": "metal", "ratchet": -1.0, "motor": 0.6, "startstop": 1.0,
                              "rate": 0.6},
        "wooden mill": {"teeth": -0.8, "material": "wood", "wobble": 0.6, "motor": -1.0, "size": 0.7,
                        "rate": -0.7, "startstop": -1.0},
        "toy plastic gears": {"teeth": 0.0, "material": "plastic", "motor": 0.3, "size": -0.8, "rate": 0.4,
                              "startstop": 0.5},
    },
)
