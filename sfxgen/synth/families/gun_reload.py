"""Gun reload: magazine out, magazine in, slide or charging-handle rack -- as one gesture.

Every mechanical event is a metal-on-metal contact: a contact-force pulse and a broadband
tick exciting the small steel part's modes (2-12 kHz, a few tens of ms) and the frame's
resonances (polymer: low and damped; steel: higher and ringing), :func:`part_click`. Sliding
parts (a magazine in its well, a slide compressing its spring) are friction noise with a
stick-slip texture in the metal band, :func:`friction_slide`. The sequence follows the real
manipulation: the release button, the magazine sliding out, the new one sliding in and seating
with a palm slap, then the slide (pistol) or charging handle (rifle) pulled back against its
spring -- a click at the rear -- and released to slam forward, the loudest event. Rate sets the
tempo. :data:`SEQUENCES` lists the events; :mod:`sfxgen.synth.families.shotgun` reuses the
blocks for its pump.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics.motion import pan_stereo

WEAPON = Param("weapon", "Pistol (short travel, small parts), rifle (long magazine well, charging "
               "handle and heavy bolt) or submachine gun.", choices=("pistol", "rifle", "smg"),
               choice_words=(("pistol", ("of a pistol", "of a handgun")), ("rifle", ("of an assault rifle", "of a rifle")),
                             ("smg", ("of a submachine gun",))))
ACTION = Param("action", "Which part of the reload: the full sequence, only the magazine change, or "
               "only the slide / bolt rack.", choices=("magazine", "full", "rack"),
               choice_words=(("magazine", ("swapping the magazine",)), ("rack", ("racking the slide",))))
FRAME = Param("frame", "Frame material: 0 polymer (dull, damped knock) .. 1 all-steel (bright, "
              "ringing clacks).", "", 0.0, 1.0, low_words=("polymer",), high_words=("steel", "metallic"))
RATTLE = Param("rattle", "Looseness: small secondary ticks and rattles after each event.", "", 0.0, 1.0,
               low_words=("tight", "crisp"), high_words=("rattly", "loose"))

# (time s at rate 1, event, gain); events: click names, or 'slide:<dur s>'
SEQUENCES = {
    ("pistol", "magazine"): [(0.00, "button", 0.45), (0.03, "slide:0.07", 0.35), (0.09, "release", 0.3),
                             (0.50, "slide:0.06", 0.4), (0.57, "seat", 1.0)],
    ("pistol", "rack"): [(0.00, "slide:0.07", 0.45), (0.075, "stop", 0.65), (0.16, "slam", 1.0)],
    ("rifle", "magazine"): [(0.00, "button", 0.5), (0.04, "slide:0.12", 0.4), (0.15, "release", 0.45),
                            (0.65, "slide:0.1", 0.45), (0.76, "seat", 1.0)],
    ("rifle", "rack"): [(0.00, "slide:0.14", 0.55), (0.05, "tick", 0.3), (0.15, "stop", 0.7),
                        (0.26, "slam", 1.0)],
    ("smg", "magazine"): [(0.00, "button", 0.45), (0.03, "slide:0.09", 0.35), (0.12, "release", 0.35),
                          (0.50, "slide:0.07", 0.4), (0.58, "seat", 1.0)],
    ("smg", "rack"): [(0.00, "slide:0.09", 0.5), (0.10, "stop", 0.6), (0.19, "slam", 0.95)],
}
# part modes (Hz), frame modes (Hz) scale and the frame ring (s) per click kind
_CLICKS = {"button": (6500.0, 0.15, 0.6), "release": (4500.0, 0.7, 0.8), "seat": (3800.0, 1.0, 1.0),
           "stop": (5200.0, 0.6, 0.7), "slam": (3400.0, 1.0, 1.2), "tick": (7500.0, 0.2, 0.4)}


def part_click(rng: np.random.Generator, sr: int, *, part_hz: float, frame_hz: float, hardness: float,
               steel: float, body: float, length_s: float = 0.12) -> np.ndarray:
    """One metal-on-metal contact (L,): a contact pulse of 0.05-0.4 ms (``hardness``) with a
    broadband tick, ringing four small-part modes around ``part_hz`` (10-40 ms) and three frame
    modes around ``frame_hz`` weighted by ``body`` (polymer ``steel`` = 0: damped and low;
    steel: ringing)."""
    L = max(int(length_s * sr), 16)
    fp = part_hz * np.array([1.0, 1.58, 2.31, 3.07]) * rng.uniform(0.92, 1.08, 4)
    ff = frame_hz * np.array([1.0, 1.47, 2.18]) * rng.uniform(0.95, 1.05, 3)
    t60 = np.concatenate([rng.uniform(0.02, 0.05, 4) * (0.6 + 0.8 * steel), (0.03 + 0.12 * steel) * np.ones(3)])
    amps = np.concatenate([rng.uniform(0.4, 1.0, 4), body * np.array([1.0, 0.6, 0.4])])
    ir = P.modal_ir(L, sr, np.concatenate([fp, ff]), t60, amps, phases=rng.uniform(0, 2 * np.pi, 7))
    contact = max(int((0.0004 - 0.00035 * hardness) * sr), 1)
    pulse = np.sin(np.pi * (np.arange(contact) + 0.5) / contact)
    y = P.convolve_head(ir, pulse / pulse.sum())
    y /= P.peak_abs(y) + 1e-12
    tick = P.white(rng, L) * np.exp(-np.arange(L) / (0.0006 * sr))
    return y + (0.5 + 0.7 * hardness) * P.highpass(tick, sr, 3000.0)


def friction_slide(rng: np.random.Generator, n: int, sr: int, *, start_s: float, dur_s: float,
                   band_hz: float, grit: float) -> np.ndarray:
    """Metal sliding on metal for ``dur_s`` from ``start_s`` (n,): noise in the band around
    ``band_hz`` with a stick-slip texture (``grit`` 0 smooth .. 1 rasping), swelling and stopping."""
    i0 = min(max(int(start_s * sr), 0), n)
    m = min(int(dur_s * sr), n - i0)
    out = np.zeros(n)
    if m < 8:
        return out
    x = np.linspace(0.0, 1.0, m)
    env = np.sin(np.pi * np.clip(x * 1.15, 0, 1)) ** 0.6
    slips = P.stick_slip(rng, m, sr, velocity=env, pressure=np.full(m, 0.5), base_rate_hz=900.0, jitter=0.6)
    noise = P.white(rng, m) * (1.0 - grit + grit * P.lowpass(np.abs(slips), sr, 400.0) / (P.peak_abs(slips) + 1e-12) * 8)
    out[i0:i0 + m] = P.bandpass(noise, sr, band_hz, q=0.7) * env
    return out


def mechanism(rng: np.random.Generator, n: int, sr: int, events, *, scale: float, size: float, steel: float,
              hardness: float, rattle: float, t0: float = 0.0) -> np.ndarray:
    """Render a list of ``(time s, event, gain)`` mechanism events (clicks of :data:`_CLICKS` kinds
    or ``slide:<seconds>``) with times multiplied by ``scale`` from ``t0`` -> (2, n), each event
    panned a little differently (the hands move), smaller parts higher with ``size``."""
    out = np.zeros((2, n))
    pitch = 2.0 ** (-0.8 * (size - 0.5))
    for t, kind, g in events:
        at = t0 + t * scale
        if at >= n / sr:
            continue
        pan = rng.uniform(-0.15, 0.15)
        if kind.startswith("slide:"):
            y = friction_slide(rng, n, sr, start_s=at, dur_s=float(kind[6:]) * scale ** 0.5,
                               band_hz=4200.0 * pitch, grit=0.5 + 0.4 * rattle)
            out += pan_stereo(1.6 * g * y / (P.peak_abs(y) + 1e-12), pan)
            continue
        part, body, ring = _CLICKS[kind]
        grain = part_click(rng, sr, part_hz=part * pitch, frame_hz=(500.0 + 900.0 * steel) * pitch,
                           hardness=hardness, steel=steel, body=body * ring * (0.5 + 0.5 * (1 - steel)))
        on = [int(at * sr)]
        gains = [g]
        if rattle > 0.05:  # loose parts: one to three small ticks just after
            extra = int(rng.integers(1, 4))
            on += list(int((at + d) * sr) for d in np.cumsum(rng.uniform(0.008, 0.03, extra)))
            gains += list(g * rattle * rng.uniform(0.1, 0.35, extra))
        y = P.place(n, np.array(on), grain, np.array(gains))
        out += pan_stereo(y, pan)
    # the hands: a faint rustle of skin and cloth over the whole manipulation
    t_end = t0 + (events[-1][0] + 0.1) * scale
    env = np.clip(1.0 - np.abs(P.time_s(n, sr) - 0.5 * (t0 + t_end)) / (0.5 * (t_end - t0) + 0.05), 0.0, 1.0)
    env *= np.clip(0.6 + 0.6 * P.smooth_random(rng, n, sr, 8.0), 0.0, None)
    hands = P.bandpass(P.white(rng, n), sr, 2500.0, q=0.5) * env
    out += pan_stereo(0.04 * hands / (P.rms(hands) + 1e-12) * np.sqrt(np.mean(out ** 2) * 2.0), 0.0)
    return out


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    weapon, action = WEAPON.choice(ph.a(0)), ACTION.choice(ph.a(1))
    mag, rack = SEQUENCES[(weapon, "magazine")], SEQUENCES[(weapon, "rack")]
    events = mag if action == "magazine" else rack if action == "rack" else \
        mag + [(mag[-1][0] + 0.32 + t, k, g) for t, k, g in rack]
    span = events[-1][0] + 0.15
    scale = min(1.0 / ph.rate, 0.85 * T / span)
    steel = FRAME.value(ph.a(2))
    y = mechanism(rng, n, sr, events, scale=scale, size=ph.size, steel=steel,
                  hardness=0.4 + 0.6 * ph.intensity, rattle=RATTLE.value(ph.a(3)), t0=0.01)
    return P.highpass_tilt(y, sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


_CLOSE = {"space": -0.7, "distance": -0.8, "attack": -1.0}

FAMILY = Family(
    name="gun_reload", ucs="GUNMech", noun="gun reload", kind="oneshot", render=render,
    params=(WEAPON, ACTION, FRAME, RATTLE), default_duration_s=1.5,
    nouns=(("gun reload", 1), ("weapon reload", 1), ("magazine change", 1), ("slide rack", 1)),
    scenes=("a {adj} gun being reloaded{post}", "a {adj} magazine swapped and the slide racked{post}",
            "a {adj} weapon reload{post}"),
    tags=("gun", "reload", "magazine", "mechanism", "weapon", "click"),
    keywords=("reload", "reloading", "gun reload", "magazine", "mag change", "slide rack", "rack the slide",
              "chamber", "cocking", "charging handle", "clip in"),
    rate_words=(("slow", "careful"), ("fast", "rapid", "quick")), rate_doc="a pistol reload in ~1 s at rate 1",
    intensity_words=(("gentle", "careful"), ("forceful", "hard")),
    sized=True,
    element_roles=("main", "mechanism"), design_roles=("transient",),
    role_params={"mechanism": {"action": "rack"}},
    category="weapon",
    presets={k: {**_CLOSE, **v} for k, v in {
        "pistol_full": {"weapon": "pistol", "action": "full", "frame": -0.3},
        "rifle_full": {"weapon": "rifle", "action": "full", "frame": 0.6, "size": 0.3},
        "pistol_rack": {"weapon": "pistol", "action": "rack", "frame": 0.0},
        "rifle_mag": {"weapon": "rifle", "action": "magazine", "frame": 0.4, "rattle": 0.3},
        "smg_fast": {"weapon": "smg", "action": "full", "rate": 0.4, "rattle": -0.4},
    }.items()},
)
