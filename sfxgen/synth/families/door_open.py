"""door_open: a door being opened, as one gesture.

The handle turns and the latch bolt retracts (small metal clicks and a short bolt slide at the
handle edge), the door unseats from its frame (a soft knock of the panel), swings on its hinges
(stick-slip friction in the hinge drives the door panel's modes: a creak whose slip rate follows
the swing speed, from nothing on an oiled hinge to a rusty groan; the moving leaf pushes a
little air), and either drifts to a stop or knocks against the doorstop. Handle and hinge sit on
opposite edges of the leaf, so they are panned apart; the panel rings from the middle.

Common slots: ``size`` a bigger, heavier door (lower panel modes, slower swing, lower creak);
``pitch`` moves every resonance; ``brightness`` tilts the panel modes and the handle's clicks;
``intensity`` how hard the handle is worked (louder clicks, a firmer push); ``rate`` the swing
speed (1.0 = a swing of about 1 s for a door opened wide); ``decay`` the panel ring.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, friction, modal

def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    material = FAMILY.params[0].choice(ph.aux[0])
    creak, latch, stop, opening = (FAMILY.params[i].value(ph.aux[i]) for i in range(1, 5))
    dur = n / sr
    sc = ph.pitch_ratio
    force = 0.5 + 0.8 * ph.intensity
    swing = (0.3 + 1.0 * opening) * (0.8 + 0.5 * ph.size) / ph.rate
    t_handle = 0.015
    handle_len = (0.07 + 0.06 * ph.size) / ph.rate ** 0.5 * (0.3 if latch < 0.05 else 1.0)
    total = t_handle + handle_len + swing + 0.25
    k = crumple.fit_factor(total, dur)
    t_handle, handle_len, swing = t_handle * k, handle_len * k, swing * k
    t0 = t_handle + handle_len  # the door leaves the frame
    t = np.arange(n) / sr
    panel = modal.door_panel(material, size=ph.size, freq=sc, rng=rng, brightness=ph.brightness,
                             decay=modal.ring_factor(ph.decay_s, hi=1.6))

    def s(x):
        return int(np.clip(x * sr, 0, n - 1))

    # handle + latch: a click as the lever starts, the bolt sliding out, a clack as it clears
    f_hw = (2600.0 if material != "wood" else 2200.0) * sc * 2.0 ** (-0.6 * (ph.size - 0.5))
    # (and the lever let go once the door moves: the spring snaps it back with a click and a rattle)
    t_let = t0 + min(rng.uniform(0.12, 0.25) * k, 0.5 * swing)
    h_on = [s(t_handle), s(t_handle + 0.45 * handle_len), s(t0), s(t_let), s(t_let + 0.012 * k)]
    h_g = np.array([0.6, 0.25, 0.6, 0.45, 0.15]) * latch * force * rng.uniform(0.8, 1.2, 5)
    handle = modal.hardware_clicks(rng, n, sr, h_on, h_g, f1_hz=f_hw, decay=1.0 + ph.brightness)
    slide_v = np.clip((t - t_handle) / max(handle_len, 1e-3), 0, 1) * (t < t0) * (t >= t_handle)
    slide = friction.rough_contact(rng, n, sr, slide_v, slope=1.5, corner_hz=9000.0, lo_hz=1800 * sc, hi_hz=9000 * sc)
    handle += 0.15 * latch * force * slide / (P.peak_abs(slide) + 1e-12)
    # the swing: velocity rises, then either eases to rest or is still moving into the stop
    x = np.clip((t - t0) / max(swing, 1e-3), 0.0, 1.0)
    moving = (t >= t0) & (t < t0 + swing)
    v = np.where(moving, np.sin(np.pi * x * (1.0 - 0.35 * stop)) ** 0.7, 0.0)
    v = v * (1.0 + 0.15 * B.smooth_random(rng, n, sr, 4.0))
    # the hinge side: stick-slip through the panel and the hinge leaf, a faint rub, the air
    hinge = friction.door_hinge(rng, n, sr, v, panel_ir=panel.ir(panel.ring_len(sr, cap_s=0.6), sr, rng=rng, hardness=0.6),
                                lock_modes_hz=panel.freqs_hz[:6], amount=creak, size=ph.size, pitch_ratio=sc,
                                rate=ph.rate, force=force)
    # the leaf leaving its seal and brushing the threshold (broadband, early in the swing)
    seal_v = v * np.exp(-14.0 * x) * moving
    seal = friction.rough_contact(rng, n, sr, seal_v, slope=1.3, corner_hz=8000.0, lo_hz=400.0)
    brush = (0.12 + 0.1 * latch) * seal / (P.peak_abs(seal) + 1e-12)
    # unseating knock, and the stop (a rubber doorstop: soft contact) with a small rebound
    on = [s(t0)]
    g = [0.45 * force * (0.4 + 0.6 * latch)]
    hard = [0.45]
    if stop > 0.08:
        te = t0 + swing
        on += [s(te), s(te + (0.07 + 0.05 * ph.size) * k)]
        g += [1.1 * stop * force, 0.25 * stop * force]
        hard += [0.2, 0.15]
    knock = modal.strikes(n, sr, panel, np.array(on), np.array(g), rng=rng, hardness=np.array(hard))
    knock /= max(float(P.peak_abs(knock)), 1e-12) / max(g)
    centre = knock + 0.5 * modal.contact_clicks(rng, n, sr, np.array(on), np.array(g), tau_s=0.0015, lo_hz=500.0) + brush
    y = crumple.place([(handle, 0.35), (hinge, -0.35), (centre, 0.0)])
    y = modal.radiate(y, sr, brightness=0.35 + 0.3 * ph.brightness, low_cut_hz=45.0, order=4)
    return B.finish(modal.fade_tail(y, sr))


FAMILY = Family(
    name="door_open",
    ucs="DOORWood",
    noun="door opening",
    kind="oneshot",
    render=render,
    params=(
        Param("material", doc="What the door leaf is: a wooden door (damped, warm knock), a steel door "
              "(lower, ringing) or a glass door (bright, glassy ring)", choices=modal.DOOR_MATERIALS),
        Param("creak", doc="Hinge friction: 0 an oiled, silent hinge (only the rub and the air) .. 1 a rusty "
              "hinge that creaks and groans through the whole swing (stick-slip slips, irregular)",
              low_words=("smooth", "quiet"), high_words=("creaky", "creaking", "squeaky")),
        Param("latch", doc="Handle and latch: 0 a push door (no handle) .. 1 a loud handle turn and latch "
              "bolt clack before the swing", high_words=("with a rattling handle", "with a loud latch click"),
              where="post"),
        Param("stop", doc="End of the swing: 0 drifts to rest .. 1 swings into the doorstop and knocks "
              "against it", high_words=("knocking against the doorstop", "swinging into the wall"),
              where="post"),
        Param("opening", doc="How far the door is opened, as a fraction of a quarter turn (0.1 a crack .. "
              "1 wide open); with ``rate`` it sets the swing time", unit="fraction", lo=0.1, hi=1.0,
              low_words=("opened a crack", "opened slightly"), high_words=("flung wide open", "opened wide"),
              where="post"),
    ),
    default_duration_s=2.0,
    nouns=(("door opening", 1), ("door being opened", 1), ("opening door", 1)),
    scenes=("a {adj} door being opened{post}", "someone opening a {adj} door{post}",
            "a {adj} door opening on its hinges{post}"),
    tags=("door", "open", "hinge", "handle"),
    keywords=("door open", "open the door", "opens a door", "opening door", "door opens", "door opening"),
    rate_words=(("slowly", "slow"), ("quickly", "fast")),
    rate_doc="1.0 = about a 1 s swing for a door opened wide",
    intensity_words=(("gently", "carefully"), ("forcefully", "hard")),
    special_words=modal.choice_adjectives(0, modal.DOOR_MATERIALS, modal.DOOR_MATERIAL_ADJ),
    element_roles=("main",),
    category="door",
    presets={
        "house door": {"material": "wood", "creak": -0.6, "latch": 0.4, "stop": -0.8, "opening": 0.4},
        "haunted door": {"material": "wood", "creak": 0.9, "latch": -0.4, "stop": -1.0, "rate": -0.6,
                         "opening": 0.6, "space": 0.2},
        "steel door": {"material": "metal", "creak": -0.2, "latch": 0.8, "stop": 0.2, "size": 0.3},
        "glass shop door": {"material": "glass", "creak": -0.9, "latch": -0.9, "stop": -0.6},
        "swing into the wall": {"material": "wood", "stop": 0.9, "rate": 0.5, "intensity": 0.6, "opening": 1.0},
    },
)
