"""Foley families: footsteps, doors (creak, slam, latch), switch click, cloth, heartbeat, clock.

Renderers return the DRY source (1, n) or (2, n) float32 at any level; the shared ``render()``
adds distance, space, width and loudness. Models are excitation + resonator designs: a short
excitation (heel strike, slip pulse, escapement click) drives a bank of damped modes standing
for the struck body (floorboards, door panel, clock case), plus granular layers for granular
surfaces and fabrics.

``footsteps`` aux ``surface`` (u in [0, 1]) picks the ground in five equal ranges:

=============  ==============  ==============================================================
u range        surface         character
=============  ==============  ==============================================================
[0.0, 0.2)     concrete        hard tick and short grit, no ring
[0.2, 0.4)     wood            hollow floorboard knock (damped low modes)
[0.4, 0.6)     gravel          granular crunch spread over the roll of the foot
[0.6, 0.8)     grass/leaves    soft thud with a dry, crackly rustle
[0.8, 1.0]     metal           grating/plate: ringing inharmonic modes and rattle
=============  ==============  ==============================================================

Common slots: ``pitch`` and ``size`` move every mode (size also lengthens rings), ``brightness``
opens the top end, ``intensity`` is force (louder, brighter excitation, denser grains), ``rate``
is pace (steps, ticks, beats, motion per second); for the continuous families (footsteps, cloth,
heartbeat, clock) ``decay`` lengthens the rings of each event. ``attack``, distance, space and width are applied
by the shared render stages.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.families.nature import (
    bandpass,
    bandpass_sos,
    convolve,
    finish,
    highpass,
    lowpass,
    modes,
    noise_grains,
    onsets,
    sine_grains,
    smooth_random,
    white,
)
from sfxgen.synth.family import Physical

SURFACES: tuple[str, ...] = ("concrete", "wood", "gravel", "grass_leaves", "metal")


def surface_name(u: float) -> str:
    """The footsteps surface selected by aux ``surface`` = u in [0, 1] (five equal ranges)."""
    return SURFACES[min(int(u * len(SURFACES)), len(SURFACES) - 1)]


def _scale(ph: Physical, size_oct: float = 1.5) -> float:
    """Frequency multiplier from pitch and size (size 0.5 neutral, bigger is lower)."""
    return ph.pitch_ratio * 2.0 ** (-size_oct * (ph.size - 0.5))


# --------------------------------------------------------------------------- footsteps


def render_footsteps(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Footsteps. aux: surface (see module table), weight (light child .. heavy body: more thud,
    slower roll, more grains), shoe_hardness (soft sneaker .. hard heel: click brightness),
    scuff (dragging after each step). ``rate`` is pace: 1.8 steps/s at the default."""
    sr = sample_rate
    surf = surface_name(ph.aux[0])
    weight, shoe, scuff = ph.aux[1], ph.aux[2], ph.aux[3]
    dur = n / sr
    sc = _scale(ph, 1.0)
    ring = (ph.decay_s / 0.5) ** 0.3
    force = 0.4 + 0.9 * ph.intensity
    interval = 0.55 / ph.rate
    k = int((dur - 0.05) / interval) + 1
    t_heel = 0.05 + np.arange(k) * interval + rng.normal(0, 0.03 * interval, k)
    t_heel = np.clip(t_heel, 0.0, None)
    t_heel = t_heel[t_heel < dur - 0.02]
    k = t_heel.size
    roll = (0.045 + 0.06 * weight) * min(1.0, interval / 0.45)
    t_toe = t_heel + roll * rng.uniform(0.85, 1.15, k)
    a = force * rng.uniform(0.85, 1.15, k) * np.where(np.arange(k) % 2, 0.9, 1.0)
    hs, ts = (t_heel * sr).astype(np.int64), (t_toe * sr).astype(np.int64)
    soft_ground = surf == "grass_leaves"
    # heel/toe clicks: shoe sole against the ground
    ctau = (0.0025 - 0.0021 * shoe) * (1.5 if soft_ground else 1.0)
    clicks = noise_grains(rng, n, sr, np.concatenate([hs, ts]), np.full(2 * k, ctau),
                          np.concatenate([a, 0.55 * a]))[0]
    clicks = lowpass(clicks, (900.0 + 9000.0 * shoe * (0.4 + 0.6 * ph.brightness)) * sc, sr, sparse=True)
    # a hard heel/sole is itself a small resonant body: a short "tock" on top of the contact noise
    clicks = clicks + shoe * P.resonator_bank(clicks, sr, np.array([1150.0, 2350.0, 3900.0]) * sc,
                                              np.array([0.03, 0.02, 0.012]), np.array([1.0, 0.6, 0.35]), sparse=True)
    # body weight thud
    thud = sine_grains(n, sr, hs, np.full(k, 75.0 * sc * (1.2 - 0.4 * weight)), np.full(k, 0.025 + 0.03 * weight),
                       a * (0.3 + 1.2 * weight) * (0.5 if soft_ground else 1.0), rise=-0.15)[0]
    y = 0.5 * thud
    exc = P.impulses(n, np.concatenate([hs, ts]), np.concatenate([a, 0.5 * a]))
    if surf == "concrete":
        grit = noise_grains(rng, n, sr, np.concatenate([hs, ts]), np.full(2 * k, 0.006 * ring),
                            np.concatenate([a, 0.5 * a]) * 0.35)[0]
        y = y + clicks + bandpass(grit, 900 * sc, 7000 * sc, sr, sparse=True)
    elif surf == "wood":
        f = np.array([105, 172, 248, 355, 512, 690, 930, 1320, 1850]) * sc * rng.uniform(0.95, 1.05, 9)
        ir = modes(f, np.array([0.09, 0.07, 0.06, 0.05, 0.04, 0.03, 0.025, 0.02, 0.015]) * ring * (0.6 + ph.size),
                      np.array([1.0, 0.8, 0.9, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15]), sr, 1.0)
        y = y + 0.6 * clicks + 0.25 * convolve(exc + 0.5 * clicks, ir)
    elif surf in ("gravel", "grass_leaves"):
        g = int(25 + 60 * weight) if surf == "gravel" else int(60 + 80 * weight)
        spread = (0.09 if surf == "gravel" else 0.16) * (0.7 + 0.6 * weight) * min(1.0, interval / 0.45) ** 0.5
        gt = np.repeat(t_heel, g) + rng.gamma(1.5, spread / 1.5, k * g)
        gt = np.concatenate([gt, np.repeat(t_toe, g // 2) + rng.gamma(1.3, spread / 2.5, k * (g // 2))])
        ga = np.minimum(rng.pareto(2.0, gt.size), 8.0) * np.concatenate([np.repeat(a, g), np.repeat(a, g // 2)])
        if surf == "gravel":
            gr = noise_grains(rng, n, sr, (gt * sr).astype(np.int64), rng.uniform(0.0003, 0.002, gt.size) * ring, ga * 0.25)[0]
            y = y + 0.7 * clicks + bandpass(gr, 600 * sc, 8000 * sc * (0.5 + ph.brightness), sr, sparse=True)
        else:
            gr = noise_grains(rng, n, sr, (gt * sr).astype(np.int64), rng.uniform(0.00008, 0.0005, gt.size), ga * 0.25)[0]
            swish_env = convolve(exc, np.exp(-np.arange(int(0.12 * sr)) / (0.04 * sr)))
            swish = highpass(white(rng, n), 1500 * sc, sr) * swish_env * 0.02
            y = y + 0.25 * clicks + highpass(gr, 1800 * sc, sr, sparse=True) + swish
    else:  # metal
        f = 380.0 * sc * np.array([1.0, 1.58, 2.43, 3.17, 4.09, 5.3, 6.7, 8.2, 10.4]) * rng.uniform(0.97, 1.03, 9)
        ir = modes(f, np.array([0.35, 0.3, 0.25, 0.2, 0.16, 0.12, 0.09, 0.07, 0.05]) * ring * (0.5 + ph.size),
                      1.0 / np.sqrt(np.arange(1, 10)), sr, 2.0)
        rat = noise_grains(rng, n, sr, (np.repeat(t_heel, 3) + rng.uniform(0.01, 0.06, 3 * k)) * sr,
                           np.full(3 * k, 0.0008), np.repeat(a, 3) * 0.3)[0]
        y = y + 0.7 * clicks + 0.15 * convolve(exc + 0.3 * clicks + rat, ir)
    if scuff > 0.02:
        env = convolve(P.impulses(n, ts, a), np.sin(np.linspace(0, np.pi, int(0.14 * sr))) ** 2)
        # the drag noise is filtered only where its envelope is non-zero
        drag = P.sosfilt_gated(bandpass_sos(350 * sc, 4500 * sc, sr), white(rng, n), env)
        if surf in ("gravel", "grass_leaves"):
            drag = drag * (1 + 3 * np.abs(lowpass(white(rng, n), 80, sr, 1)) * 10)
        y = y + scuff * 0.25 * drag
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


# --------------------------------------------------------------------------- doors


def render_door_creak(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Door creak: stick-slip friction in the hinge exciting the door body. aux: stick_slip
    (steady squeak .. irregular chattering slips), pressure (light, high squeak .. heavy, low,
    grinding groan), wood_metal (wooden panel body .. metal hinge/gate ringing). ``rate`` is how
    fast the door swings (the creak is shorter and higher when faster)."""
    sr = sample_rate
    irreg, pressure, wm = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    sc = _scale(ph, 1.5)
    T = float(np.clip(1.6 / ph.rate ** 0.7, 0.25, dur * 0.9))
    t = np.arange(n) / sr
    prog = np.clip(t / T, 0.0, 1.0)
    vel = np.maximum(P.sin_cycles(0.5 * prog), 0.0) ** 0.6 * (t < T)
    wob = smooth_random(rng, n, sr, 3.0 * ph.rate)
    vel = np.clip(vel * (1.0 + 0.35 * wob), 0.0, None)
    # slips (primitives.stick_slip): rate ~ velocity / (0.25 + pressure), so heavier pressure
    # gives slower, bigger slips (a low groan) and light pressure a fast squeak; stick_slip adds
    # the irregular wander of the slip period
    base = 150.0 * sc * ph.rate ** 0.3
    exc = P.stick_slip(rng, n, sr, velocity=0.35 + 0.9 * vel, pressure=np.full(n, pressure),
                       base_rate_hz=base, jitter=0.02 + 0.3 * irreg ** 2)
    # stick: below a threshold speed the hinge grips; chatter gates the squeak on and off
    gate = smooth_random(rng, n, sr, 6.0 * ph.rate) + 1.1 - 1.1 * irreg
    on = (vel > 0.12) & (gate > 0)
    if not np.any(on[exc != 0]):
        on = vel > 0.05
    exc = exc * on * vel ** 0.7 * np.sqrt(0.2 + ph.intensity)
    # the slip is a sharp release: short decaying pulse; higher pressure = stronger low harmonics
    kern = np.exp(-np.arange(int(0.0015 * sr)) / ((0.0002 + 0.0006 * pressure) * sr))
    exc = convolve(exc, kern)
    # body: wooden door panel (damped, low) vs metal hinge/gate (bright, ringing)
    fw = np.array([96, 157, 231, 330, 452, 640, 890, 1210, 1650, 2240]) * sc * rng.uniform(0.95, 1.05, 10)
    ir_w = modes(fw, np.array([0.06, 0.05, 0.05, 0.04, 0.035, 0.03, 0.025, 0.02, 0.015, 0.01]) * (0.6 + ph.size),
                    np.array([1.0, 0.9, 0.8, 0.8, 0.7, 0.6, 0.5, 0.35, 0.25, 0.15]), sr, 1.0)
    fm = 1150.0 * sc * np.array([1.0, 1.61, 2.27, 2.98, 3.84, 4.71]) * rng.uniform(0.97, 1.03, 6)
    ir_m = modes(fm, np.array([0.25, 0.18, 0.14, 0.1, 0.08, 0.06]) * (0.5 + ph.size), [1.0, 0.7, 0.5, 0.4, 0.3, 0.2], sr, 1.5)
    ir = np.zeros(max(ir_w.size, ir_m.size))
    ir[: ir_w.size] += (1 - wm) * ir_w / (np.abs(ir_w).sum() ** 0.5)
    ir[: ir_m.size] += wm * ir_m / (np.abs(ir_m).sum() ** 0.5)
    body = convolve(exc, ir)
    # direct squeak (the pulse train itself, band-limited) and a smooth friction rub
    squeak = bandpass(exc, 400 * sc, 6000 * sc, sr)
    rub = bandpass(white(rng, n), 200 * sc, 2500 * sc, sr) * vel * (0.05 + 0.2 * pressure)
    ref = max(float(np.std(body)), 1e-3 * float(P.peak_abs(body)), 1e-9)
    y = body + 0.8 * squeak + (0.02 + 0.1 * irreg) * rub * ref / (np.std(rub) + 1e-12)
    y = y * P.ad_env(n, sr, attack_s=0.001, decay_s=T + ph.decay_s, start_s=0.0) ** 0.2
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


def render_door_slam(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Door slam. aux: material (wooden door .. steel door), latch (the latch bolt snapping
    home just after the hit), rattle (loose hardware/glass rattling after the slam). ``decay``
    sets the panel ring; ``size`` a bigger, lower door with a longer air push before the hit."""
    sr = sample_rate
    mat, latch, rattle = ph.aux[0], ph.aux[1], ph.aux[2]
    sc = _scale(ph, 1.5)
    force = 0.4 + 0.9 * ph.intensity
    t0 = min(0.06 + 0.05 * ph.size, 0.3 * n / sr)
    s0 = int(t0 * sr)
    ringk = float(np.clip((ph.decay_s / 0.5) ** 0.35, 0.4, 2.0))
    # air pushed ahead of the door
    # (only its first min(s0, envelope length) samples are non-zero: computed there only)
    k = min(s0, P.ad_env_len(n, sr, attack_s=t0 - 0.005, decay_s=0.05))
    whoosh = np.zeros(n)
    whoosh[:k] = lowpass(white(rng, n)[:k], 500 * sc, sr)
    whoosh[:k] *= P.ad_env(k, sr, attack_s=t0 - 0.005, decay_s=0.05, start_s=0.0, curve=-2.0)
    exc = np.zeros(n)
    exc[s0] = force
    exc = exc + noise_grains(rng, n, sr, np.array([s0]), np.array([0.002 + 0.002 * (1 - ph.brightness)]),
                             np.array([force * 0.3]))[0]
    # panel modes: a bigger door is lower AND rings longer; wood is damped (~0.1-0.3 s), steel
    # rings for a while but well under a second at the default decay
    szk = 0.5 + ph.size
    fw = np.array([58, 88, 131, 187, 262, 370, 520, 740, 1050, 1500]) * sc * rng.uniform(0.95, 1.05, 10)
    tw = np.array([0.035, 0.03, 0.026, 0.022, 0.018, 0.015, 0.012, 0.01, 0.008, 0.006]) * ringk * szk
    fmt = 72.0 * sc * np.array([1, 1.93, 2.81, 3.97, 5.2, 6.9, 8.6, 11.3, 14.8, 19.1, 24.0]) * rng.uniform(0.98, 1.02, 11)
    tm = np.array([0.16, 0.14, 0.12, 0.1, 0.09, 0.08, 0.07, 0.055, 0.045, 0.035, 0.03]) * ringk * szk
    wm = mat ** 1.5  # mid values stay mostly wooden with a metal edge
    ir = (1 - wm) * modes(fw, tw, np.linspace(1.0, 0.3, 10), sr, 2.0)
    irm = wm * modes(fmt, tm, 1.0 / np.arange(1, 12) ** 0.6, sr, 2.0) * 0.6
    L = max(ir.size, irm.size)
    ir = np.pad(ir, (0, L - ir.size)) + np.pad(irm, (0, L - irm.size))
    y = convolve(exc, ir)
    # the frame/wall thump: low, longer for a bigger door
    y = y + 0.8 * force * sine_grains(n, sr, np.array([s0]), np.array([48.0 * sc]), np.array([0.05 * szk * ringk ** 0.5]),
                                      np.array([1.0]), rise=-0.2)[0]
    y = y + highpass(exc, 800, sr, sparse=True) * 0.5 * ph.brightness
    y = y + whoosh * 0.05 * force
    if latch > 0.02:
        tl = s0 + int(rng.uniform(0.008, 0.02) * sr)
        lir = modes(np.array([2300, 3900, 5600, 7400]) * ph.pitch_ratio * rng.uniform(0.95, 1.05, 4),
                    np.array([0.012, 0.01, 0.008, 0.006]), [1, 0.7, 0.5, 0.3], sr)
        y = y + latch * force * 0.5 * convolve(P.impulses(n, [tl, tl + int(0.002 * sr)], [1.0, 0.5]), lir)
    if rattle > 0.02:
        k = 3 + int(10 * rattle)
        gaps = 0.035 * np.cumprod(rng.uniform(0.7, 0.95, k))
        rt = s0 + int(0.015 * sr) + (np.cumsum(gaps) * sr).astype(np.int64)
        ra = force * 0.6 * rattle * 0.8 ** np.arange(k) * rng.uniform(0.5, 1.0, k)
        rir = modes(np.array([620, 1340, 2150, 3300]) * sc * rng.uniform(0.9, 1.1, 4), np.full(4, 0.015), [1, 0.8, 0.6, 0.4], sr)
        y = y + convolve(P.impulses(n, rt, ra), rir)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


def _knock(rng: np.random.Generator, n: int, sr: int, start: int, cutoff_hz: float, tau_s: float) -> np.ndarray:
    """A dull body knock: low-passed noise burst (1/e time ``tau_s``) at sample ``start``, peak 1.

    Used instead of a sine thump for small mechanisms: a pure tone would ring on in the room
    as a steady line; a noise knock stays a thud."""
    L = min(int(6 * tau_s * sr) + 1, max(n - start, 1))
    g = white(rng, L) * np.exp(-np.arange(L) / (tau_s * sr))
    g = lowpass(lowpass(g, cutoff_hz, sr, 2), cutoff_hz, sr, 2)
    out = np.zeros(n)
    out[start:start + L] = g[: n - start] / (P.peak_abs(g) + 1e-12)
    return out


def render_door_latch(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Door latch / lock mechanism: metallic click-clack. aux: spring (a short buzzing rattle of
    the return spring after the bolt snaps), clicks (1 .. 4 ratchet clicks before the final
    snap), metal (dull plastic/wood hardware .. bright steel). ``rate`` speeds the handle.

    Every click is a sub-millisecond contact burst exciting a few short-lived (3-25 ms) modes of
    the small parts, re-tuned per click, so the result is a dry click-clack, never a ringing
    chord; ``decay`` lengthens those rings and the spring rattle only a little."""
    sr = sample_rate
    spring, nclick, metal = ph.aux[0], ph.aux[1], ph.aux[2]
    sc = _scale(ph, 1.2)
    force = 0.4 + 0.9 * ph.intensity
    ringk = float(np.clip((ph.decay_s / 0.5) ** 0.3, 0.5, 1.8))
    k = 1 + int(round(3 * nclick))
    gap = 0.045 / ph.rate * rng.uniform(0.7, 1.3, k)
    tk = 0.01 + np.concatenate([[0.0], np.cumsum(gap[:-1])])
    t_snap = tk[-1] + 0.05 / ph.rate
    # handle travel: a short metal-on-metal slide between the clicks
    t = np.arange(n) / sr
    slide_env = np.clip((t - tk[0]) / (t_snap - tk[0] + 1e-3), 0, 1) * (t < t_snap) * (t > tk[0])
    slide = bandpass(white(rng, n), 1500 * sc, 6000 * sc, sr) * slide_env * 0.03
    tt = np.concatenate([tk, [t_snap]])
    amps = np.concatenate([rng.uniform(0.3, 0.5, k), [1.0]]) * force
    # contact bursts (each click and its bounce 1-2 ms later)
    st = (tt * sr).astype(np.int64)
    bounce = st + (rng.uniform(0.0008, 0.002, tt.size) * sr).astype(np.int64)
    starts = np.concatenate([st, bounce])
    ca = np.concatenate([amps, amps * rng.uniform(0.2, 0.5, tt.size)])
    click = noise_grains(rng, n, sr, starts, np.full(starts.size, 0.00025 + 0.0003 * (1 - metal)), ca)[0]
    click = highpass(click, 1200 * sc, sr, 1)
    # part resonances, each click a slightly different tuning (a different part/contact)
    y = click
    f_m = np.array([2100, 3500, 5200, 7300]) * sc
    f_p = np.array([800, 1400, 2300, 3500]) * sc
    for i in range(tt.size):
        j = rng.uniform(0.93, 1.07, 4)
        ir_m = modes(f_m * j, np.array([0.006, 0.005, 0.004, 0.003]) * (0.5 + 1.5 * metal) * ringk, [1, 0.8, 0.6, 0.4], sr, 0.2)
        ir_p = modes(f_p * j, np.array([0.003, 0.0025, 0.002, 0.0015]) * ringk, [1, 0.8, 0.6, 0.4], sr, 0.1)
        L = max(ir_m.size, ir_p.size)
        ir = metal * np.pad(ir_m, (0, L - ir_m.size)) + (1 - metal) * 1.5 * np.pad(ir_p, (0, L - ir_p.size))
        ex = P.impulses(n, [st[i], bounce[i]], [amps[i], 0.4 * amps[i]])
        y = y + 0.25 * convolve(ex, ir)
    # the door/panel the latch is mounted on thunks with the final snap
    s_snap = int(t_snap * sr)
    y = y + 0.4 * force * _knock(rng, n, sr, s_snap, 400.0 * sc, 0.012 * ringk)
    if spring > 0.02:
        # spring rattle: a quick train of tiny ticks (the coil buzzing against its seat),
        # 25-60 ticks/s dying away within 60-250 ms, plus a faint short coil tone
        dur_r = (0.06 + 0.19 * spring) * ringk
        rate_r = rng.uniform(25.0, 60.0) * ph.rate ** 0.3
        m = max(int(dur_r * rate_r), 2)
        tr = t_snap + 0.01 + np.cumsum(rng.uniform(0.7, 1.3, m) / rate_r)
        ra = force * 0.35 * spring * np.exp(-(tr - t_snap) / (0.4 * dur_r)) * rng.uniform(0.5, 1.0, m)
        ticks = noise_grains(rng, n, sr, (tr * sr).astype(np.int64), np.full(m, 0.0004), ra)[0]
        y = y + bandpass(ticks, 2000 * sc, 9000 * sc, sr)
        f_sp = 2600.0 * sc * rng.uniform(0.9, 1.1)
        y = y + spring * force * 0.06 * sine_grains(n, sr, np.array([s_snap]), np.array([f_sp]),
                                                     np.array([0.01 + 0.025 * spring]), np.array([1.0]))[0]
    y = y + slide
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


def render_switch_click(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Switch click: a few milliseconds of broadband contact click plus a tiny body resonance.
    aux: plastic_metal (damped plastic rocker .. brighter, slightly ringing metal toggle), double
    (0 single press .. 1 press and release as two clicks), thunk (low body thump of a heavy
    switch). ``decay`` lengthens the (always short: 1-25 ms) body ring."""
    sr = sample_rate
    pm, dbl, thunk = ph.aux[0], ph.aux[1], ph.aux[2]
    sc = _scale(ph, 1.5)
    force = 0.4 + 0.9 * ph.intensity
    ringk = float(np.clip((ph.decay_s / 0.5) ** 0.25, 0.6, 1.6))
    s0 = int(0.003 * sr)
    times = [s0, s0 + int(rng.uniform(0.0006, 0.002) * sr)]  # contact and its bounce
    amps = [force, force * rng.uniform(0.25, 0.5)]
    if dbl > 0.05:
        s1 = s0 + int((0.05 + 0.12 * (1 - dbl)) / ph.rate * sr)
        times += [s1, s1 + int(rng.uniform(0.0005, 0.0015) * sr)]
        amps += [force * (0.4 + 0.5 * dbl), force * 0.15 * dbl]
    st, a = np.array(times, np.int64), np.array(amps)
    click = noise_grains(rng, n, sr, st, np.full(st.size, 0.0002 + 0.0003 * (1 - pm)), a)[0]
    click = highpass(click, 1000 * sc, sr, 1)
    exc = P.impulses(n, st, a)
    fp = np.array([1900, 3300, 5000, 7200]) * sc * rng.uniform(0.94, 1.06, 4)
    fmt = np.array([2900, 4700, 6900, 9800]) * sc * rng.uniform(0.96, 1.04, 4)
    ir_p = modes(fp, np.array([0.0025, 0.002, 0.0015, 0.001]) * ringk, [1, 0.8, 0.6, 0.4], sr, 0.05)
    ir_m = modes(fmt, np.array([0.008, 0.006, 0.005, 0.004]) * ringk, [1, 0.8, 0.7, 0.5], sr, 0.1)
    body = (1 - pm) * convolve(exc, ir_p) + pm * 0.6 * convolve(exc, ir_m)
    y = click + 0.12 * body / (P.peak_abs(body) + 1e-12) * P.peak_abs(click)
    if thunk > 0.02:
        y = y + thunk * force * 0.5 * P.peak_abs(click) * _knock(rng, n, sr, s0, 350.0 * sc, 0.008 * ringk)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


# --------------------------------------------------------------------------- cloth, heart, clock


def render_cloth_rustle(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Cloth rustle. aux: fabric_stiffness (soft cotton: dull, smooth .. nylon/leather: crisp
    crackles), motion (a single gesture .. continuous handling), flap (flapping/snapping like a
    sheet or flag). ``rate`` speeds gestures and flapping."""
    sr = sample_rate
    stiff, motion, flap = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    sc = _scale(ph, 1.0)
    force = 0.3 + 0.9 * ph.intensity
    g = 1 + rng.poisson(dur * (0.4 + 2.5 * motion) * ph.rate)
    gs = np.sort(rng.uniform(0, dur * 0.85, g))
    gs[0] = min(gs[0], 0.05)
    gd = rng.uniform(0.15, 0.6, g) / ph.rate ** 0.5
    env = np.zeros(n)
    for s, d, a in zip(gs, gd, rng.uniform(0.4, 1.0, g)):
        i0, i1 = int(s * sr), min(int((s + d) * sr), n)
        if i1 > i0:
            env[i0:i1] += a * np.sin(np.linspace(0, np.pi, i1 - i0)) ** 2
    env = env * force
    lo, hi = (250 + 1500 * stiff) * sc, (2500 + 9000 * stiff) * sc * (0.5 + ph.brightness)
    rub = bandpass(white(rng, n), lo, hi, sr) * env ** 1.3 / np.sqrt(sc)
    ct = onsets(rng, (40 + 2500 * stiff ** 1.5) * env, n, sr, cap=int(1500 * dur)) / sr
    cr = noise_grains(rng, n, sr, (ct * sr).astype(np.int64), rng.uniform(0.00008, 0.0006 + 0.001 * (1 - stiff), ct.size),
                      np.minimum(rng.pareto(2.0, ct.size), 8) * (0.2 + 0.8 * stiff))[0]
    y = rub * (0.6 - 0.3 * stiff) + bandpass(cr, 1200 * sc, 14000 * sc, sr) * 0.6
    if flap > 0.02:
        ff = 5.0 * ph.rate * (1.2 - 0.5 * ph.size)
        fph = np.cumsum(ff * (1 + 0.2 * smooth_random(rng, n, sr, 2.0)) / sr)
        pulse = (0.5 + 0.5 * P.sin_cycles(fph + 0.25)) ** 12
        flapn = bandpass(white(rng, n), 150 * sc, 3000 * sc, sr) * pulse * np.clip(env, 0, None) ** 0.7
        y = y + flap * 1.2 * flapn
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


def render_heartbeat(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Heartbeat ("lub-dub"). aux: thump (weight of the low thud, sub body), tension (stress:
    faster, closer and sharper second sound). ``rate``: about 66 bpm at the default, up to ~200."""
    sr = sample_rate
    thump, tension = ph.aux[0], ph.aux[1]
    dur = n / sr
    sc = _scale(ph, 1.0)
    bpm = 66.0 * ph.rate ** 0.8 * (1.0 + 0.35 * tension)
    period = 60.0 / bpm
    k = int(dur / period) + 2
    tb = 0.05 + np.arange(k) * period + rng.normal(0, 0.015 * period, k)
    tb = tb[(tb >= 0) & (tb < dur)]
    k = tb.size
    s2 = tb + 0.34 * period ** 0.5 * (1 - 0.25 * tension)
    force = 0.4 + 0.9 * ph.intensity
    a1 = force * rng.uniform(0.9, 1.1, k)
    a2 = force * (0.55 + 0.35 * tension) * rng.uniform(0.9, 1.1, k)

    def thud(times, f, tau, amp):
        # soft-onset low tone: amp * (exp(-t/tau) - exp(-t/(tau/4))) * sin(2 pi f t), a muffled
        # swell of a few cycles rather than a click
        st = (times * sr).astype(np.int64)
        ff = np.full(times.size, f)
        return (sine_grains(n, sr, st, ff, np.full(times.size, tau), amp)[0]
                - sine_grains(n, sr, st, ff, np.full(times.size, tau / 4), amp)[0]) * 1.6

    y = thud(tb, 52.0 * sc, 0.045, a1) + 0.5 * thud(tb + 0.012, 95.0 * sc, 0.03, a1)
    y = y + thud(s2, 68.0 * sc, 0.03 * (1 - 0.3 * tension), a2) + 0.5 * thud(s2 + 0.006, 130.0 * sc, 0.02, a2)
    y = y + thump * thud(tb, 32.0 * sc, 0.07, a1 * 1.2)
    # valve click / flow noise: a little band noise gives the thud texture
    valve = noise_grains(rng, n, sr, np.concatenate([(tb * sr), (s2 * sr)]).astype(np.int64),
                         np.full(2 * k, 0.02), np.concatenate([a1, a2 * (1 + tension)]))[0]
    y = y + 0.15 * bandpass(valve, 60 * sc, 400 * sc * (0.5 + ph.brightness), sr)
    y = lowpass(y, (250.0 + 1500.0 * ph.brightness ** 1.5) * sc, sr, 2)
    y = highpass(y, 20.0, sr, 1)
    return finish(y)


def render_clock_tick(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Clock ticking. aux: tock (identical ticks .. alternating tick/tock in pitch and level),
    mechanism (one clean click .. escapement with several sub-clicks and recoil), material
    (wooden case: warm hollow knock .. metal: bright ringing). ``rate``: 2 ticks/s at the
    default (0.5 .. 8)."""
    sr = sample_rate
    tock, mech, mat = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    sc = ph.pitch_ratio ** 0.6 * 2.0 ** (-1.2 * (ph.size - 0.5))
    force = 0.4 + 0.9 * ph.intensity
    period = 0.5 / ph.rate
    k = int(dur / period) + 1
    tt = 0.03 + np.arange(k) * period * (1 + rng.normal(0, 0.002, k))
    tt = tt[tt < dur - 0.005]
    k = tt.size
    odd = np.arange(k) % 2 == 1
    amp = force * np.where(odd, 1.0 - 0.35 * tock, 1.0) * rng.uniform(0.93, 1.07, k)
    sub = 1 + int(round(3 * mech))
    offs = np.array([0.0, 0.0035, 0.009, 0.021])[:sub] * rng.uniform(0.8, 1.2, sub)
    sa = np.array([1.0, 0.6, 0.35, 0.25])[:sub]
    starts = (np.repeat(tt, sub) + np.tile(offs, k)) * sr
    amps = np.repeat(amp, sub) * np.tile(sa, k)
    # tock: the odd ticks sound through a lower, detuned copy of the resonator
    ringk = (ph.decay_s / 0.5) ** 0.3 * (0.6 + ph.size)
    ir_m = modes(np.array([2400, 3700, 5300, 7400, 9900]) * sc, np.array([0.025, 0.02, 0.015, 0.01, 0.008]) * ringk, [1, 0.7, 0.6, 0.4, 0.3], sr)
    ir_w = modes(np.array([260, 520, 930, 1450, 2300, 3600]) * sc, np.array([0.03, 0.025, 0.02, 0.015, 0.01, 0.008]) * ringk,
                    [0.8, 1, 0.8, 0.6, 0.5, 0.4], sr)
    tk_ratio = 1.0 - 0.25 * tock
    ir_m2 = modes(np.array([2400, 3700, 5300, 7400, 9900]) * sc * tk_ratio, np.array([0.025, 0.02, 0.015, 0.01, 0.008]) * ringk, [1, 0.7, 0.6, 0.4, 0.3], sr)
    ir_w2 = modes(np.array([260, 520, 930, 1450, 2300, 3600]) * sc * tk_ratio, np.array([0.03, 0.025, 0.02, 0.015, 0.01, 0.008]) * ringk,
                     [0.8, 1, 0.8, 0.6, 0.5, 0.4], sr)
    is_odd = np.repeat(odd, sub)
    e1 = P.impulses(n, starts[~is_odd], amps[~is_odd])
    e2 = P.impulses(n, starts[is_odd], amps[is_odd])
    y = mat * (convolve(e1, ir_m) + convolve(e2, ir_m2)) + (1 - mat) * 1.6 * (convolve(e1, ir_w) + convolve(e2, ir_w2))
    y = y + 0.2 * highpass(e1 + e2, 4000, sr)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


RENDERERS = {
    "footsteps": render_footsteps,
    "door_creak": render_door_creak,
    "door_slam": render_door_slam,
    "door_latch": render_door_latch,
    "switch_click": render_switch_click,
    "cloth_rustle": render_cloth_rustle,
    "heartbeat": render_heartbeat,
    "clock_tick": render_clock_tick,
}
