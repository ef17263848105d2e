"""Horse hooves: walk, trot, canter or gallop on dirt, grass, cobblestones or wooden boards, with
tack jingle, breathing and an optional pass-by.

Each hoof strike is an impact: a low body thump (the horse's weight, ~90-180 Hz), a knock of
the hoof wall (a few damped modes at 0.4-1 kHz), a click of contact and, by surface, either a
hard ring (stone; a shod hoof's iron shoe rings near 3-4 kHz), a hollow boom (boards) or a
spray of debris (dirt, grass). The gait sets the rhythm: a walk is four even beats per stride,
a trot two (diagonal pairs), a canter three then a suspension, a gallop four then a suspension
(the Wesnoth canters of the development corpus: three-beat groups ~0.45 s apart, centroid
0.5-0.9 kHz). A galloping horse exhales once per stride.

Common slots: ``rate`` the speed (x 0.25 .. 4 of the gait's natural stride rate), ``size`` a
pony .. a draft horse (deeper, heavier, slower), ``intensity`` the force of the strikes,
``brightness`` the clicks and rings, ``decay`` how long the surface rings.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish, noise_grains, sine_grains
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import ambience as A

GAITS = {  # strides/s, beat offsets within a stride, level of each beat
    "walk": (0.9, (0.0, 0.25, 0.5, 0.75), (1.0, 0.85, 0.95, 0.8)),
    "trot": (1.4, (0.0, 0.5), (1.0, 0.95)),
    "canter": (1.9, (0.0, 0.16, 0.33), (0.85, 0.9, 1.0)),
    "gallop": (2.3, (0.0, 0.1, 0.25, 0.37), (0.8, 0.85, 0.95, 1.0)),
}
SURFACES = ("dirt", "grass", "cobblestone", "wood")

PARAMS = (
    Param("gait", "Walk, trot, canter or gallop", choices=tuple(GAITS),
          choice_words=(("walk", ("walking",)), ("trot", ("trotting",)), ("canter", ("cantering",)),
                        ("gallop", ("galloping",)))),
    Param("surface", "Ground: dirt, grass, cobblestones or wooden boards", choices=SURFACES,
          choice_words=(("dirt", ("on a dirt road", "on dirt")), ("grass", ("on grass", "across a field")),
                        ("cobblestone", ("on cobblestones", "on a stone street")),
                        ("wood", ("on wooden boards", "across a wooden bridge")))),
    Param("tack", "Jingle of bridle and harness", "%", 0, 100, low_words=(), high_words=("jingling",)),
    Param("breath", "The horse's breathing and snorts", "%", 0, 100, low_words=(), high_words=("snorting",)),
    Param("passby", "Movement: staying in place .. passing from one side to the other", "%", 0, 100,
          low_words=(), high_words=("passing by",)),
)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry hoofbeats (2, n)."""
    sr = sample_rate
    dur = n / sr
    gait = PARAMS[0].choice(ph.a(0))
    surface = PARAMS[1].choice(ph.a(1))
    tack, breath, passby = ph.a(2), ph.a(3), ph.a(4)
    stride_hz, offsets, beat_lvl = GAITS[gait]
    stride_hz *= ph.rate * 2.0 ** (-0.4 * (ph.size - 0.5))
    k = int(dur * stride_hz) + 2
    st = (np.arange(k) + rng.uniform(0, 1)) / stride_hz * (1.0 + 0.03 * rng.standard_normal(k)).cumsum() / np.arange(1, k + 1)
    st = np.sort(st) - rng.uniform(0.0, 1.0 / stride_hz)
    beats = (st[:, None] + np.asarray(offsets)[None, :] / stride_hz * (1 + 0.04 * rng.standard_normal((k, len(offsets)))))
    lvl = np.broadcast_to(np.asarray(beat_lvl), beats.shape) * rng.uniform(0.8, 1.0, beats.shape)
    t = beats.reshape(-1)
    a = lvl.reshape(-1) * (0.5 + ph.intensity)
    ring = {"dirt": 0.05, "grass": 0.03, "cobblestone": 0.12, "wood": 0.25}[surface] * (0.5 + ph.decay_s ** 0.4)
    tail = 0.5 * ring + 0.12
    keep = (t >= 0.005) & (t < dur - tail)
    t, a = t[keep], a[keep]
    if t.size == 0:
        t, a = np.array([0.005]), np.array([1.0])
    u = t / max(dur, 1e-3)
    if passby > 0.05:  # level swell and a pan sweep across the clip
        a = a * (1.0 - passby + passby / (1.0 + 10.0 * (u - 0.5) ** 2))
        pans = np.clip(1.6 * passby * (u - 0.5), -0.8, 0.8)
    else:
        pans = np.full(t.size, rng.uniform(-0.15, 0.15))
    s0 = (t * sr).astype(np.int64)
    body = 2.0 ** (-1.0 * (ph.size - 0.5))
    E = t.size

    def rep(x, m):
        return np.repeat(x, m)

    # thump + hoof-wall knock (3 modes) for every strike
    fq = np.stack([rng.uniform(90, 160, E) * body, rng.uniform(380, 520, E) * body,
                   rng.uniform(700, 950, E) * body, rng.uniform(1200, 1600, E) * body], 1)
    soft = {"dirt": 1.0, "grass": 1.4, "cobblestone": 0.5, "wood": 0.7}[surface]
    tau = np.array([0.035 * soft, 0.012, 0.008, 0.005])[None, :] * np.ones((E, 1))
    amp = a[:, None] * np.array([0.3, 0.6 / soft, 0.45 / soft, 0.3 / soft * (0.5 + ph.brightness)])[None, :]
    y = sine_grains(n, sr, rep(s0, 4), fq.reshape(-1), tau.reshape(-1), amp.reshape(-1), max_len_s=0.5)
    # contact click
    y += noise_grains(rng, n, sr, s0, np.full(E, 0.0015 / soft), a * (0.5 + ph.brightness) * 0.4)
    if surface == "cobblestone":  # stone chips and the iron shoe: many short, scattered partials
        fr = rng.uniform(1500.0, 6500.0, (E, 6))
        y += sine_grains(n, sr, rep(s0, 6), fr.reshape(-1), rng.uniform(0.3, 1.0, 6 * E) * ring / 6.9,
                         (a[:, None] * rng.uniform(0.05, 0.18, (E, 6)) * (0.5 + ph.brightness)).reshape(-1))
    elif surface == "wood":  # hollow boards
        fr = np.stack([rng.uniform(140, 190, E), rng.uniform(300, 380, E), rng.uniform(520, 640, E)], 1)
        y += sine_grains(n, sr, rep(s0, 3), fr.reshape(-1), np.full(3 * E, ring / 6.9),
                         (a[:, None] * np.array([0.7, 0.4, 0.25])[None, :]).reshape(-1))
    else:  # dirt and grass: a spray of debris after each strike
        m = 4
        ds = rep(s0, m) + (rng.exponential(0.012, E * m) * sr).astype(np.int64)
        deb = noise_grains(rng, n, sr, ds, np.full(E * m, 0.006), rep(a, m) * rng.uniform(0.1, 0.35, E * m))
        y += P.lowpass(deb, sr, 3500.0 if surface == "dirt" else 2200.0)
    if tack > 0.05:  # bridle jingle: tiny metal partials shaken at each stride
        js = []
        for _ in range(3):
            js.append(st + rng.uniform(0.0, 0.3, k) / stride_hz)
        jt = np.concatenate(js)
        jt = jt[(jt > 0) & (jt < dur - 0.15)]
        J = jt.size
        if J:
            ja = np.interp(jt, t, a) if t.size > 1 else np.full(J, a[0])
            fj = rng.uniform(3000, 7500, (J, 3))
            y += sine_grains(n, sr, rep((jt * sr).astype(np.int64), 3), fj.reshape(-1), np.full(3 * J, 0.03),
                             rep(ja * tack * 0.25 * rng.uniform(0.3, 1.0, J), 3))
    if breath > 0.05 and gait in ("canter", "gallop"):  # one exhale per stride
        bt = st + 0.45 / stride_hz
        bt = bt[(bt > 0) & (bt < dur - 0.2)]
        if bt.size:
            ba = np.interp(bt, t, a) if t.size > 1 else np.full(bt.size, a[0])
            puff = noise_grains(rng, n, sr, (bt * sr).astype(np.int64), np.full(bt.size, 0.05), ba * breath * 0.15)
            y += P.bandpass(puff, sr, 900.0, q=0.7)
    y = P.lowpass(P.highpass(y[0], sr, 45.0), sr, 5000.0 * 2.0 ** (2.0 * (ph.brightness - 0.5)), order=1)
    path = np.interp(np.arange(n) / sr, t, pans) if t.size > 1 else np.full(n, pans[0])
    return finish(A.pan(y, path))


FAMILY = Family(
    name="horse_gallop",
    ucs="ANMLHors",
    noun="horse hooves",
    kind="texture",
    render=render,
    params=PARAMS,
    default_duration_s=4.0,
    nouns=(("horse hooves", 0), ("hoofbeats", 0), ("galloping horse", 1), ("horse hoofsteps", 0)),
    scenes=("a {adj} horse riding by{post}", "{adj} hooves of a horse{post}", "a {adj} rider on horseback{post}"),
    tags=("horse", "hooves", "hoofbeats", "gallop", "animal"),
    keywords=("horse", "hooves", "hoof", "hoofbeats", "gallop", "galloping", "canter", "trot", "trotting", "clip clop",
              "cavalry", "rider", "horseback", "pony"),
    rate_words=(("slow", "leisurely"), ("fast", "racing")),
    rate_doc="the gait's natural stride rate (walk 0.9, trot 1.4, canter 1.9, gallop 2.3 strides/s)",
    intensity_words=(("light", "gentle"), ("heavy", "pounding")),
    sized=True,
    element_roles=("main",),
    design_roles=("texture", "sweetener"),
    role_params={"texture": {"passby": 0.0, "distance": 0.3}},
    sharp_onset=True, category="footstep",
    presets={
        "galloping on dirt": {"gait": "gallop", "surface": "dirt", "breath": 0.5},
        "trotting on cobblestones": {"gait": "trot", "surface": "cobblestone", "tack": 0.4},
        "horse walking on a wooden bridge": {"gait": "walk", "surface": "wood"},
        "cavalry charge passing": {"gait": "gallop", "surface": "grass", "passby": 0.9, "intensity": 0.7, "breath": 0.6},
        "canter": {"gait": "canter", "surface": "dirt"},
    },
)
