"""Force field: an energy shield humming, powering up or down, or rippling when hit.

Drawn from the sounds of high-voltage equipment: a **hum** at the supply frequency with the
strong even harmonics of magnetostriction and the buzz of a saturating core; a **shimmer** --
two slightly detuned copies of the upper harmonics beating, so the field wavers; **corona
crackle** -- sparse tiny discharges (broadband clicks), now and then an arc; a generator
**whine** high above. Powering up, the supply spins up (pitch and level rise together with a
"thoom" as the field closes); powering down, the reverse, dying out; an impact adds a sharp
discharge and a ripple -- the field's pitch and level wobbling back to rest.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics.motion import pan_stereo

STATES = ("power_up", "impact", "steady", "power_down")

STATE = Param("state", "What the field does: hum steadily, power up, power down, or take a hit and "
              "ripple.", choices=STATES,
              choice_words=(("power_up", ("powering up", "activating")), ("power_down", ("powering down", "shutting off")),
                            ("impact", ("being hit", "deflecting a hit"))))
HUM = Param("hum_hz", "Supply frequency of the hum (its harmonics carry the sound).", "Hz", 40.0, 220.0, "log",
            low_words=("deep",), high_words=("high-pitched",))
SHIMMER = Param("shimmer", "Wavering of the upper harmonics (0 steady .. 1 shimmering).", "", 0.0, 1.0,
                low_words=("steady",), high_words=("shimmering", "wavering"))
CRACKLE = Param("crackle", "Corona crackle and arcs (0 clean .. 1 crackling).", "", 0.0, 1.0,
                low_words=("clean",), high_words=("crackling", "sparking"))
WHINE = Param("whine", "High generator whine above the hum.", "", 0.0, 1.0, low_words=(), high_words=("whining",))


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    t = P.time_s(n, sr)
    state = STATE.choice(ph.a(0))
    f0 = HUM.value(ph.a(1)) * ph.pitch_ratio
    ramp_s = min(0.25 + 1.0 / ph.rate, 0.6 * T)
    if state == "power_up":
        spin = np.clip(t / ramp_s, 0.0, 1.0) ** 0.6
        level = spin ** 1.5
    elif state == "power_down":
        spin = np.clip(1.0 - (t - 0.15 * T) / ramp_s, 0.0, 1.0) ** 1.4
        level = spin ** 1.5
    else:
        spin = np.ones(n)
        level = np.ones(n)
    f = np.maximum(f0 * (0.25 + 0.75 * spin), 32.0) * (1.0 + 0.002 * P.smooth_random(rng, n, sr, 1.0))
    if state == "impact":  # the hit: a ripple of pitch and level ringing back to rest
        t_hit = min(0.3, 0.2 * T)
        rip = np.exp(-np.maximum(t - t_hit, 0.0) / 0.25) * (t >= t_hit) * P.sin_cycles(7.0 * (t - t_hit))
        f = f * (1.0 + 0.06 * rip)
        level = level * (1.0 + 0.8 * np.abs(rip))
    harm = np.array([0.5, 1.0, 0.3, 0.6, 0.2, 0.35, 0.12, 0.2, 0.08, 0.12, 0.05, 0.08])  # even-heavy
    body = P.harmonic_osc(f, n, sr, harm)
    shimmer = SHIMMER.value(ph.a(2))
    upper = np.concatenate([np.zeros(4), harm[4:]])
    beat = P.harmonic_osc(f * (1.0 + 0.004 + 0.01 * shimmer), n, sr, upper)
    wav = 1.0 - 0.5 * shimmer * (0.5 + 0.5 * P.smooth_random(rng, n, sr, 6.0))
    y = P.saturate(body, 0.3) + (0.3 + 0.9 * shimmer) * beat * wav
    y = y / (P.rms(y) + 1e-12)
    whine = WHINE.value(ph.a(4))
    if whine > 0.02:
        y += 0.15 * whine * P.sine(f * 37.0 * (1.0 + 0.003 * P.smooth_random(rng, n, sr, 2.0)), n, sr)
    st = pan_stereo(y * level, 0.0)
    crackle = CRACKLE.value(ph.a(3))
    if crackle > 0.02:
        on = P.poisson_onsets(rng, (5.0 + 120.0 * crackle) * level, n, sr)
        click = P.highpass(P.noise_grains(rng, 1, sr, length_s=0.006, t60_s=0.0015)[0], sr, 2500.0)
        for side in (-0.4, 0.4):  # discharges here and there over the field's surface
            mine = on[rng.uniform(size=on.size) < 0.5]
            ck = P.place(n, mine, click, rng.uniform(0.05, 1.0, mine.size) ** 3)
            st += pan_stereo(0.6 * crackle * ck / (P.peak_abs(ck) + 1e-12), side * rng.uniform(0.3, 1.0))
    if state in ("power_up", "impact"):  # the field closing / the hit's discharge: a "thoom" and a zap
        t_ev = ramp_s if state == "power_up" else min(0.3, 0.2 * T)
        i0 = min(int(t_ev * sr), n - 1)
        L = min(int(0.6 * sr), n - i0)
        tt = np.arange(L) / sr
        thoom = P.sine(f0 * 0.5 * (1.0 + np.exp(-tt / 0.05)), L, sr) * np.exp(-tt / 0.18)
        zap = P.bandpass(P.white(rng, L), sr, 3000.0, q=0.7) * np.exp(-tt / 0.03)
        ev = thoom + (0.3 if state == "power_up" else 1.0) * zap
        st[:, i0:i0 + L] += pan_stereo(0.8 * ev / (P.peak_abs(ev) + 1e-12) * P.peak_abs(st[0]), 0.0)
    fade = np.minimum(np.minimum(t / 0.03, (T - t) / min(0.25, 0.2 * T)), 1.0)
    st *= np.clip(fade, 0.0, 1.0)
    return P.highpass_tilt(st, sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


FAMILY = Family(
    name="force_field", ucs="SCIEnrg", noun="force field", kind="texture", render=render,
    params=(STATE, HUM, SHIMMER, CRACKLE, WHINE), default_duration_s=3.0,
    nouns=(("force field", 1), ("energy shield", 1), ("shield hum", 1), ("force field hum", 1),
           ("deflector shield", 1)),
    scenes=("a {adj} force field humming{post}", "a {adj} energy shield{post}", "a sci-fi {adj} deflector shield{post}"),
    tags=("force field", "shield", "energy", "hum", "sci-fi", "electric"),
    keywords=("force field", "forcefield", "energy shield", "shield", "deflector", "barrier", "energy barrier",
              "shield hum", "power field", "shields up"),
    rate_words=(("slow",), ("quick", "sudden")), rate_doc="a 1.25 s spin-up at rate 1",
    intensity_words=None, sized=False, tonal_pitch=True,
    element_roles=("main", "sweetener"), design_roles=("bed", "sweetener"),
    role_params={"bed": {"state": "steady", "crackle": -0.6}, "sweetener": {"state": "impact"}},
    category="scifi",
    presets={
        "shield_up": {"state": "power_up", "hum_hz": 0.0, "shimmer": 0.3, "crackle": -0.4, "whine": 0.2,
                      "space": -0.6, "distance": -0.7, "attack": -1.0},
        "steady_hum": {"state": "steady", "hum_hz": -0.3, "shimmer": 0.6, "crackle": -0.2, "space": -0.6,
                       "distance": -0.7, "attack": -1.0},
        "shield_hit": {"state": "impact", "hum_hz": 0.2, "shimmer": 0.5, "crackle": 0.2, "space": -0.6,
                       "distance": -0.7, "attack": -1.0},
        "shield_down": {"state": "power_down", "hum_hz": 0.0, "shimmer": 0.3, "crackle": 0.0, "space": -0.6,
                        "distance": -0.7, "attack": -1.0},
    },
)
