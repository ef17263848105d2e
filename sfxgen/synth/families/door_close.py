"""door_close: a door swung shut, as one gesture.

The leaf swings in (the clip holds the end of the swing: an optional hinge creak from
stick-slip friction driving the panel, the air it pushes building up just before contact), the latch tongue rides over the strike plate
(a short metal scrape), the leaf meets the frame (a strike of the door panel plus the thud of
the frame and wall, harder and brighter the harder it is shut), the latch snaps home a few
milliseconds later (small metal clicks at the handle edge), and loose hardware or glazing may
rattle as it settles. A gentle close is a soft thud and a click; at full ``intensity`` it is a
slam. Handle edge and hinge edge are panned apart; panel and frame ring from the middle.

Common slots: ``intensity`` how hard it is shut (swing speed, strike hardness and level);
``size`` a bigger, heavier door (lower and longer panel modes, a deeper thud, a slower swing);
``pitch`` moves every resonance; ``brightness`` tilts panel and hardware; ``rate`` the swing
speed on top of the intensity; ``decay`` the panel ring.
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
    latch, creak, rattle, air_amt = (FAMILY.params[i].value(ph.aux[i]) for i in range(1, 5))
    dur = n / sr
    sc = ph.pitch_ratio
    force = 0.35 + 0.9 * ph.intensity
    swing = (0.3 + 0.5 * (1.0 - ph.intensity)) * (0.8 + 0.5 * ph.size) / ph.rate
    # the clip holds the end of the swing (as a door-close effect is cut): the last quarter
    # second or so before the hit, longer when the hinge creaks through it
    pre = min(swing, 0.2 + 0.5 * creak)
    total = 0.02 + pre + 0.5
    k = crumple.fit_factor(total, dur)
    swing, pre = swing * k, pre * k
    t_hit = 0.02 * k + pre
    t = np.arange(n) / sr
    ring = modal.ring_factor(ph.decay_s, hi=1.6)
    panel = modal.door_panel(material, size=ph.size, freq=sc, rng=rng, brightness=ph.brightness,
                             decay=ring * (0.7 + 0.6 * ph.intensity))

    def s(x):
        return int(np.clip(x * sr, 0, n - 1))

    # the swing: the leaf speeds up toward the frame
    x = np.clip((t - (t_hit - swing)) / max(swing, 1e-3), 0.0, 1.0)
    moving = (t >= t_hit - swing) & (t < t_hit)
    v = np.where(moving, (0.25 + 0.75 * x) * np.sin(0.5 * np.pi * np.minimum(3.0 * x, 1.0)), 0.0)
    hinge = friction.door_hinge(rng, n, sr, v, panel_ir=panel.ir(panel.ring_len(sr, cap_s=0.6), sr, rng=rng, hardness=0.6),
                                lock_modes_hz=panel.freqs_hz[:6], amount=creak, size=ph.size, pitch_ratio=sc,
                                rate=ph.rate, base_hz=110.0, force=force)
    # air pushed ahead of the closing leaf, peaking just before contact (a low whoosh)
    push = np.clip(1.0 - (t_hit - t) / (0.12 + 0.1 * ph.size), 0.0, 1.0) ** 2 * (t < t_hit)
    air = B.bandpass(B.white(rng, n), 70.0 * sc, 450.0 * sc, sr) * push
    # the hit: panel + the frame/wall thud (a short, heavily damped low body), latch tongue
    frame = modal.body("wood", 70.0 * sc * 2.0 ** (-0.8 * (ph.size - 0.5)), modal.box_ratios(8), rng=rng,
                       tilt=-1.2, decay_scale=0.25)
    hard = 0.25 + 0.6 * ph.intensity
    i_hit = s(t_hit)
    bounce = s(t_hit + rng.uniform(0.004, 0.01))
    hit = modal.strikes(n, sr, panel, np.array([i_hit, bounce]), np.array([1.0, 0.2]) * force, rng=rng,
                        hardness=hard)
    thud = modal.strikes(n, sr, frame, np.array([i_hit]), np.array([force]), rng=rng, hardness=0.3 * hard)
    tick = modal.contact_clicks(rng, n, sr, np.array([i_hit]), np.array([force]), tau_s=0.0008 + 0.002 * (1 - hard),
                                lo_hz=300.0)
    centre = (hit / (P.peak_abs(hit) + 1e-12) + 0.7 * thud / (P.peak_abs(thud) + 1e-12)
              + 0.35 * hard * tick / (P.peak_abs(tick) + 1e-12)) * force
    centre += 0.12 * air_amt * force * air / (P.peak_abs(air) + 1e-12)
    # latch: the tongue rides the strike plate (scrape), snaps home, the handle rattles
    f_hw = (2600.0 if material != "wood" else 2200.0) * sc * 2.0 ** (-0.6 * (ph.size - 0.5))
    ride = np.clip(1.0 - (t_hit - t) / 0.025, 0.0, 1.0) * (t < t_hit)
    scrape = friction.rough_contact(rng, n, sr, ride, slope=1.5, corner_hz=9000.0, lo_hz=1500 * sc, hi_hz=10000.0)
    snap = t_hit + rng.uniform(0.006, 0.018) * (1.3 - ph.intensity)
    l_on = [s(snap), s(snap + 0.0025)]
    l_g = [0.8, 0.3]
    if rattle > 0.05:
        kk = 2 + int(8 * rattle)
        gaps = (0.025 + 0.02 * rng.random(kk)) * np.cumprod(rng.uniform(0.75, 0.95, kk))
        l_on += [s(snap + g) for g in np.cumsum(gaps)]
        l_g += list(0.5 * rattle * 0.75 ** np.arange(kk) * rng.uniform(0.5, 1.0, kk))
    hw = modal.hardware_clicks(rng, n, sr, l_on, np.array(l_g) * force, f1_hz=f_hw, decay=1.0 + ph.brightness)
    handle = latch * (hw + 0.1 * force * scrape / (P.peak_abs(scrape) + 1e-12))
    if rattle > 0.05 and material == "glass":  # the glazing buzzes in its frame
        buzz = modal.strikes(n, sr, modal.body("glass", 900.0 * sc, modal.plate_ratios(8, 1.3), rng=rng,
                                               decay_scale=0.05), np.array(l_on[2:]), np.array(l_g[2:]),
                             rng=rng, hardness=0.9)
        centre += 0.4 * rattle * force * buzz / (P.peak_abs(buzz) + 1e-12)
    y = crumple.place([(handle, 0.35), (hinge, -0.35), (centre, 0.0)])
    y = modal.radiate(y, sr, brightness=0.35 + 0.3 * ph.brightness, low_cut_hz=45.0, order=4)
    return B.finish(modal.fade_tail(y, sr))


FAMILY = Family(
    name="door_close",
    ucs="DOORWood",
    noun="door closing",
    kind="oneshot",
    render=render,
    params=(
        Param("material", doc="What the door leaf is: wood (a damped knock and thud), steel (a lower, "
              "ringing clang) or glass (a bright knock with the pane ringing)", choices=modal.DOOR_MATERIALS),
        Param("latch", doc="The latch: 0 no latch (a push door, only the thud) .. 1 a loud tongue scrape "
              "and snap as it catches", low_words=(), high_words=("latching shut", "with a latch click"),
              where="post"),
        Param("creak", doc="Hinge friction during the swing: 0 silent .. 1 a creaking, rusty hinge",
              low_words=(), high_words=("creaky", "creaking")),
        Param("rattle", doc="Loose hardware (and glazing) rattling after the hit: 0 none .. 1 a long rattle",
              high_words=("rattling in its frame", "with a rattle"), where="post"),
        Param("air", doc="The air the closing leaf pushes ahead of it: 0 none .. 1 a clear low whoosh "
              "into the thud", high_words=("with a rush of air",), where="post"),
    ),
    default_duration_s=1.5,
    nouns=(("door closing", 1), ("door being shut", 1), ("door shutting", 1)),
    scenes=("a {adj} door being closed{post}", "someone shutting a {adj} door{post}",
            "a {adj} door swinging shut{post}"),
    tags=("door", "close", "shut", "latch"),
    keywords=("door close", "close the door", "closes a door", "closing door", "door shuts", "shut the door",
              "door closing", "door shut"),
    rate_words=(("slowly", "slow"), ("quickly", "fast")),
    rate_doc="1.0 = a swing of about 0.6 s at mid intensity",
    intensity_words=(("gently", "softly", "quietly"), ("slammed", "hard", "forcefully")),
    special_words=modal.choice_adjectives(0, modal.DOOR_MATERIALS, modal.DOOR_MATERIAL_ADJ),
    element_roles=("main",),
    design_roles=("body",),
    role_params={"body": {"material": "wood", "latch": -0.6, "creak": -1.0, "rattle": -1.0, "space": -1.0}},
    category="door",
    presets={
        "gentle close": {"material": "wood", "intensity": -0.6, "latch": 0.4, "creak": -1.0, "rattle": -1.0},
        "slam": {"material": "wood", "intensity": 0.9, "latch": 0.2, "rattle": 0.2, "air": 0.6, "size": 0.2},
        "steel door": {"material": "metal", "intensity": 0.3, "latch": 0.8, "size": 0.4, "decay": 0.3},
        "glass door rattle": {"material": "glass", "intensity": 0.4, "rattle": 0.8, "latch": 0.2},
        "old creaky door": {"material": "wood", "creak": 0.8, "rate": -0.5, "intensity": -0.2, "latch": 0.6},
    },
)
