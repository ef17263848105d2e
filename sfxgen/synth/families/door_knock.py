"""door_knock: knocking on a door, a counted number of knocks.

Each knock is a knuckle strike on the door leaf: two or three knuckles land within a few
milliseconds (a short, slightly smeared contact: skin over bone, contact time ~1-2 ms for
knuckles, ~5 ms for a fist), exciting the panel's modes (a solid wooden door: a damped
100-300 Hz knock with some mid-range wood; a hollow-core door: a boomy cavity mode; steel: a
ringing clang; glass: a bright tap). Knocks follow a human rhythm: evenly spaced or grouped in
pairs ("knock-knock"), with timing jitter, the first a little stronger.

Common slots: ``rate`` knock speed (1.0 = 4 knocks a second); ``intensity`` how hard (louder,
harder contact, a fist at the top); ``size`` and ``pitch`` the door; ``brightness`` tilts the
panel; ``decay`` its ring.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, modal

MATERIALS = ("wood", "hollow", "metal", "glass")
COUNT_ADJ = {1: ["single"], 2: ["double"], 3: ["triple", "three-knock"]}
COUNT_POST = {1: "once", 2: "twice", 3: "three times", 4: "four times", 5: "five times", 6: "six times",
              7: "seven times", 8: "eight times"}


def knocks_of(ph: Physical) -> int:
    """Number of knocks (1..8) for this patch (the ``knocks`` slot rounded)."""
    return int(round(FAMILY.params[0].value(ph.aux[0])))


def _special(ph: Physical, duration_s: float | None):
    k = knocks_of(ph)
    adjs = COUNT_ADJ.get(k, ["repeated", "insistent"] if k >= 6 else [])
    out = [("knocks", adjs, [f"knocking {COUNT_POST[k]}"], adjs[0] if adjs else f"{k}x")]
    mat = FAMILY.params[1].choice(ph.aux[1])
    adj = {"wood": ["wooden"], "hollow": ["hollow"], "metal": ["metal", "steel"], "glass": ["glass"]}[mat]
    out.append(("material", adj, [], mat))
    return out


def knock_times(ph: Physical, rng: np.random.Generator, count: int) -> np.ndarray:
    """Knock times (s, from 0) for ``count`` knocks: even at 4/s x rate, or in pairs (a short gap
    inside a pair, a longer one between pairs), with human timing jitter."""
    grouped = FAMILY.params[2].value(ph.aux[2])
    jitter = FAMILY.params[3].value(ph.aux[3])
    base = 0.25 / ph.rate
    gaps = np.full(max(count - 1, 0), base)
    if grouped > 0.5 and count >= 2:
        gaps[0::2] = base * 0.6
        gaps[1::2] = base * 1.6
    gaps *= 1.0 + (0.03 + 0.2 * jitter) * rng.standard_normal(gaps.size)
    return np.concatenate([[0.0], np.cumsum(np.maximum(gaps, 0.05))])


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    count = knocks_of(ph)
    mat = FAMILY.params[1].choice(ph.aux[1])
    dur = n / sr
    times = knock_times(ph, rng, count)
    tail = 0.25 + 0.2 * ph.size
    k = crumple.fit_factor(times[-1] + 0.01 + tail, dur)
    times = 0.01 + times * k
    force = 0.35 + 0.9 * ph.intensity
    fist = float(np.clip((ph.intensity - 0.6) / 0.4, 0.0, 1.0))
    ring = modal.ring_factor(ph.decay_s, hi=1.6)
    panel_mat = "wood" if mat == "hollow" else mat
    panel = modal.door_panel(panel_mat, size=ph.size, freq=ph.pitch_ratio, rng=rng, brightness=ph.brightness,
                             decay=ring)
    if mat == "hollow":  # the air cavity of a hollow-core door: a strong, less damped low mode
        f_cav = max(140.0 * ph.pitch_ratio * 2.0 ** (-1.0 * (ph.size - 0.5)), 2.0 * modal.MIN_MODE_HZ)
        panel = modal.Body(np.concatenate([[f_cav, 1.9 * f_cav], panel.freqs_hz]),
                           np.concatenate([[0.35 * ring, 0.2 * ring], 0.7 * panel.t60_s]),
                           np.concatenate([[3.0, 1.2], panel.amps]))
    # accents: the first knock a little stronger, then a random human spread
    acc = force * (1.0 + 0.25 * (np.arange(count) == 0)) * rng.uniform(0.8, 1.1, count)
    # two or three knuckles land 1-4 ms apart (a fist: one broad contact)
    knuckles = 1 if fist > 0.5 else 2 + int(rng.random() < 0.4)
    lag = np.concatenate([[0.0], np.sort(rng.uniform(0.001, 0.004, knuckles - 1))])
    on = ((times[:, None] + lag[None, :] * rng.uniform(0.7, 1.3, (count, knuckles))) * sr).astype(np.int64).ravel()
    g = (acc[:, None] * np.array([1.0, 0.5, 0.3])[:knuckles][None, :]).ravel()
    hard = 0.55 + 0.2 * (1 - fist) * ph.intensity - 0.4 * fist
    contact_ms = 1.0 + 3.0 * fist
    y = modal.strikes(n, sr, panel, on, g, rng=rng, hardness=hard, contact_ms=contact_ms, variants=4)
    y /= P.peak_abs(y) + 1e-12
    # the knuckle's own contact: skin over bone, a short bright-ish tick
    tick = modal.contact_clicks(rng, n, sr, on, g, tau_s=0.0006 + 0.0015 * fist, lo_hz=700.0, hi_hz=9000.0)
    y += (0.25 - 0.15 * fist) * tick / (P.peak_abs(tick) + 1e-12)
    y = modal.radiate(y, sr, brightness=0.35 + 0.3 * ph.brightness, low_cut_hz=45.0, order=4)
    return B.finish(modal.fade_tail(y[None, :], sr))


FAMILY = Family(
    name="door_knock",
    ucs="DOORKnck",
    noun="knock on a door",
    kind="oneshot",
    render=render,
    params=(
        Param("knocks", doc="How many knocks: 1 .. 8 (a 'double knock' is 2)", unit="count", lo=1.0, hi=8.0),
        Param("material", doc="The door: solid wood, a hollow-core door (boomy), steel (ringing) or glass",
              choices=MATERIALS),
        Param("grouped", doc="Rhythm: below 0.5 evenly spaced knocks, above in pairs (knock-knock, pause, "
              "knock-knock)", low_words=(), high_words=("in pairs",), where="post"),
        Param("jitter", doc="Human timing irregularity: 0 metronomic .. 1 hurried and uneven",
              low_words=("steady",), high_words=("uneven", "hurried")),
    ),
    default_duration_s=2.0,
    nouns=(("knock on a door", 1), ("door knock", 1), ("knocking on a door", 0)),
    scenes=("a {adj} knock at the door{post}", "a {adj} knock on a door{post}",
            "{adj} knocking on a door{post}"),
    tags=("door", "knock", "knocking"),
    keywords=("knock", "knocking", "knock on the door", "door knock", "knocks", "someone at the door"),
    rate_words=(("slow",), ("rapid", "fast")),
    rate_doc="1.0 = 4 knocks a second",
    intensity_words=(("gentle", "soft", "light"), ("loud", "pounding", "heavy")),
    special_words=_special,
    element_roles=("main",),
    design_roles=("transient",),
    role_params={"transient": {"knocks": -1.0, "material": "wood", "space": -1.0}},
    category="door",
    presets={
        "double knock": {"knocks": -0.71, "material": "wood"},
        "three knocks": {"knocks": -0.43, "material": "wood", "rate": -0.2},
        "police pounding": {"knocks": 0.43, "material": "wood", "intensity": 0.95, "grouped": -1.0, "rate": 0.1},
        "hollow door": {"knocks": -0.43, "material": "hollow"},
        "steel door": {"knocks": -0.43, "material": "metal", "intensity": 0.4},
        "knock-knock pairs": {"knocks": 0.14, "grouped": 1.0, "material": "wood"},
    },
)
