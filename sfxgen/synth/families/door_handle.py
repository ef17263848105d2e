"""door_handle: a door handle or knob worked once or several times (tried, turned, rattled).

Each turn: the hand takes the handle (a soft tick), the lever or knob turns against its return
spring (a short metal rub and the spring's faint ring) and pulls the latch bolt back (the bolt
sliding, a click at the end stop), is held, then let go: the spring snaps it back (a click and a
short ring) and the bolt shoots out again (a clack). A **locked** door stops the handle short
against the lock (a dull clunk) and the leaf rattles in its frame (a soft knock of the door
panel), the sound of someone trying a locked door. Knobs rub longer and click less than levers.

Common slots: ``rate`` how fast the handle is worked (1.0 = a turn of ~0.12 s, turns ~0.4 s
apart); ``intensity`` how forcefully (louder clicks, a harder stop, more rattle); ``size`` and
``pitch`` the hardware's size and tuning; ``brightness`` brass/steel sparkle vs a dull handle;
``decay`` the ring of the spring and the parts.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, friction, modal

HANDLES = ("lever", "knob")


def turns_of(ph: Physical) -> int:
    """How many times the handle is worked (1..4) for this patch (the ``turns`` slot rounded)."""
    return int(round(FAMILY.params[1].value(ph.aux[1])))


def _special(ph: Physical, duration_s: float | None):
    k = turns_of(ph)
    out = []
    if k >= 3:
        out.append(("turns", ["rattling", "jiggling"], ["tried several times", "jiggled repeatedly"], "jiggle"))
    elif k == 2:
        out.append(("turns", [], ["turned twice", "tried twice"], "twice"))
    if FAMILY.params[0].choice(ph.aux[0]) == "knob":
        out.append(("handle", [], ["with a round knob"], "knob"))
    return out


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    handle = FAMILY.params[0].choice(ph.aux[0])
    turns = turns_of(ph)
    locked, spring, rattle = (FAMILY.params[i].value(ph.aux[i]) for i in range(2, 5))
    knob = handle == "knob"
    dur = n / sr
    force = 0.5 + 0.7 * ph.intensity
    sc = ph.pitch_ratio * 2.0 ** (-0.8 * (ph.size - 0.5))
    ring = modal.ring_factor(ph.decay_s, lo=0.5, hi=1.6)
    turn = (0.16 if knob else 0.11) / ph.rate
    hold = (0.12 + 0.1 * rng.random()) / ph.rate
    gap = (0.18 + 0.15 * locked) / ph.rate
    period = turn + hold + 0.03 + gap
    total = 0.02 + turns * period + 0.25
    k = crumple.fit_factor(total, dur)
    turn, hold, period = turn * k, hold * k, period * k
    reach = 1.0 - 0.55 * locked  # a locked handle stops short
    t = np.arange(n) / sr

    def s(x):
        return int(np.clip(x * sr, 0, n - 1))

    on, g, rub_v, door_on, door_g = [], [], np.zeros(n), [], []
    for i in range(turns):
        t0 = 0.02 * k + i * period * rng.uniform(0.9, 1.1)
        a = force * rng.uniform(0.8, 1.15)
        t_end = t0 + turn * reach
        t_rel = t_end + hold
        on += [s(t0), s(t_end), s(t_rel + 0.004 * k), s(t_rel + 0.02 * k)]
        g += [0.15 * a, (0.5 + 0.5 * locked) * a, 0.55 * a, (0.6 * (1 - locked) + 0.15) * a]
        seg = (t >= t0) & (t < t_end)
        rub_v[seg] += np.sin(np.pi * (t[seg] - t0) / max(t_end - t0, 1e-3)) * a
        if locked > 0.3:
            door_on.append(s(t_end + 0.002))
            door_g.append(locked * a)
    hw_f = 1900.0 * sc
    clicks = modal.hardware_clicks(rng, n, sr, np.array(on), np.array(g), f1_hz=hw_f,
                                   decay=ring * (1.0 + ph.brightness), tick=0.8 + 0.4 * ph.brightness)
    # the lever/knob turning: spindle and bolt rubbing (a knob rubs longer and softer)
    rub = friction.rough_contact(rng, n, sr, rub_v, slope=1.4 if not knob else 1.8, corner_hz=7000.0,
                                 lo_hz=900.0 * sc, hi_hz=12000.0)
    y = clicks + (0.12 if not knob else 0.22) * rub / (P.peak_abs(rub) + 1e-12) * force
    # the return spring: a thin coil, faintly ringing when it is loaded and released
    if spring > 0.02:
        coil = modal.body("steel", 1350.0 * sc, modal.BAR_RATIOS[:6], rng=rng, tilt=-0.2, decay_scale=0.05 * ring)
        sp = modal.strikes(n, sr, coil, np.array(on[2::4]), np.array(g[2::4]), rng=rng, hardness=0.7)
        y += 0.35 * spring * sp / (P.peak_abs(sp) + 1e-12) * force
    # a locked door: the leaf knocks in its frame, the lock body clunks (dull, lower)
    if door_on:
        panel = modal.door_panel("wood", size=0.5, freq=ph.pitch_ratio, rng=rng, brightness=0.3)
        knock = modal.strikes(n, sr, panel, np.array(door_on), np.array(door_g), rng=rng, hardness=0.3)
        y += (0.4 + 0.6 * rattle) * knock / (P.peak_abs(knock) + 1e-12) * force
        if rattle > 0.05:  # the leaf shakes against the stop a couple more times
            extra = np.concatenate([np.array(door_on) + s(rng.uniform(0.03, 0.06) * k) for _ in range(2)])
            rk = modal.strikes(n, sr, panel, extra, np.full(extra.size, 0.3 * rattle), rng=rng, hardness=0.3)
            y += rk / (P.peak_abs(knock) + 1e-12) * force
    y = modal.radiate(y, sr, brightness=0.35 + 0.3 * ph.brightness, low_cut_hz=45.0, order=4)
    return B.finish(modal.fade_tail(y[None, :], sr))


FAMILY = Family(
    name="door_handle",
    ucs="DOORHdwr",
    noun="door handle",
    kind="oneshot",
    render=render,
    params=(
        Param("handle", doc="Lever handle (clear end-stop clicks) or round knob (a longer rub, softer clicks)",
              choices=HANDLES),
        Param("turns", doc="How many times the handle is worked: 1 .. 4 (3 or more is jiggling it)",
              unit="count", lo=1.0, hi=4.0),
        Param("locked", doc="0 the latch opens .. 1 the door is locked: the handle stops short with a "
              "clunk and the leaf knocks in its frame", high_words=("of a locked door",), where="post"),
        Param("spring", doc="How audible the return spring is: 0 silent .. 1 a clear metallic ring as it "
              "snaps back", high_words=("springy",)),
        Param("rattle", doc="How much the door leaf rattles against its frame when the handle is tried "
              "(only when locked): 0 none .. 1 a loose, rattling door",
              high_words=("with the door rattling in its frame",), where="post"),
    ),
    default_duration_s=1.2,
    nouns=(("door handle", 1), ("door handle turning", 1), ("door latch handle", 1)),
    scenes=("a {adj} door handle being turned{post}", "someone working a {adj} door handle{post}",
            "the {adj} handle of a door pressed down and released{post}"),
    tags=("door", "handle", "latch", "hardware"),
    keywords=("door handle", "doorknob", "door knob", "handle turn", "try the door", "locked door",
              "door hardware", "turning handle", "jiggle handle"),
    rate_words=(("slowly",), ("quickly", "hurriedly")),
    rate_doc="1.0 = a turn of about 0.12 s, turns about 0.4 s apart",
    intensity_words=(("gently", "carefully"), ("forcefully", "violently")),
    special_words=_special,
    element_roles=("main", "mechanism"),
    design_roles=("transient",),
    role_params={"transient": {"turns": -1.0, "locked": -1.0, "space": -1.0}},
    category="door",
    presets={
        "open latch": {"handle": "lever", "turns": -1.0, "locked": -1.0, "spring": 0.0},
        "locked door tried": {"handle": "lever", "turns": 0.4, "locked": 1.0, "rattle": 0.5, "intensity": 0.4},
        "doorknob": {"handle": "knob", "turns": -1.0, "locked": -1.0},
        "frantic jiggle": {"handle": "lever", "turns": 1.0, "locked": 0.9, "rattle": 0.8, "rate": 0.6,
                           "intensity": 0.8},
    },
)
