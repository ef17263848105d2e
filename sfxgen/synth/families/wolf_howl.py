"""Wolf howl: long, tonal, gliding calls of one wolf or a chorus of a pack, from source-filter
voices (:mod:`sfxgen.synth.physics.voice`).

A howl is nearly a pure tone with a few harmonics: it glides up from below into a long plateau
that drifts slowly, may break down by a few semitones (a yodel-like step) and fades at the end;
the mouth is rounded ("ooo"), the voice clean (little jitter or breath). Real howls measured in
the development corpus (Widelands, MegaGlest, Scorched 3D): f0 350-650 Hz (a coyote's
700-1000 Hz), 2-5 s plateaus, 90 % voiced, centroid 0.5-0.9 kHz, pitch steps of 3-5 semitones.
A pack is several wolves at different pitches and places (panned), entering one after another.

Common slots: ``size`` a coyote (short tract, high voice) .. a big timber wolf, ``pitch``
shifts every voice, ``decay`` the length of a howl (1.6 .. 7 s), ``rate`` how soon pack members
join, ``intensity`` force (brighter, louder), ``brightness`` the glottal tilt.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import voice as V

TAIL_S = 0.2
MAX_WOLVES = 5

PARAMS = (
    Param("pack", "Pack size: one wolf up to 50 %, then 2 .. 5 voices in chorus at 100 %", "%", 0, 100),
    Param("glide", "How far below its plateau a howl starts (0 flat .. 100 % an up-glide of 1-1.4 octaves)",
          "%", 0, 100, low_words=("steady",), high_words=("rising", "sweeping")),
    Param("breaks", "Pitch breaks: a smooth howl .. yodel-like downward steps", "%", 0, 100,
          low_words=("smooth",), high_words=("yodelling", "breaking")),
    Param("mouth", "A rounded 'ooo' (pure, dark) .. an open 'aaa' (brighter, more harmonics)", "%", 0, 100,
          low_words=("mournful", "hollow"), high_words=("open-throated",)),
    Param("yips", "Short yips before the howl (a coyote's call): none up to 50 %, then up to 5", "%", 0, 100,
          low_words=(), high_words=("yipping",)),
)


def pack_size(u: float) -> int:
    """Wolves for the ``pack`` slot u: 1 up to 0.5, then 2 .. 5."""
    return 1 if u <= 0.5 else 1 + int(np.ceil((u - 0.5) / 0.5 * (MAX_WOLVES - 1) - 1e-9))


def _howl_s(ph: Physical, duration_s: float) -> float:
    return float(min(1.5 + 2.5 * ph.decay_s ** 0.6, V.room_s(duration_s, TAIL_S)))


def _wolf(ph: Physical, rng: np.random.Generator, *, start: float, howl_s: float, f0: float,
          end_s: float) -> list[V.Call]:
    """Calls of one wolf: optional yips, then a howl ending before ``end_s``."""
    glide, breaks, mouth, yips = ph.a(1), ph.a(2), ph.a(3), ph.a(4)
    tilt = 1000.0 * 2.0 ** (1.2 * ph.intensity + 1.2 * mouth + 2.0 * (ph.brightness - 0.5))
    calls = []
    t = start
    n_yips = int(round(5 * max(0.0, 2.0 * yips - 1.0) ** 1.2))
    for _ in range(n_yips):
        ln = rng.uniform(0.06, 0.12)
        if t + ln > end_s:
            break
        calls.append(V.Call(start_s=t, dur_s=ln, f0_hz=((0.0, 1.1 * f0), (0.3, 1.35 * f0), (1.0, 0.9 * f0)),
                            amp=((0.0, 0.0), (0.1, 1.0), (0.6, 0.7), (1.0, 0.0)),
                            open=((0.0, 0.3), (0.4, 0.9), (1.0, 0.3)), front=((0.0, 0.5),), level=0.7,
                            noise=0.25, jitter=0.01, shimmer=0.08, tilt_hz=tilt * 1.6, peak_ratio=1.5))
        t += ln + rng.uniform(0.06, 0.16)
    ln = min(howl_s * rng.uniform(0.85, 1.0), end_s - t)
    if ln < min(0.25, 0.5 * howl_s):
        return calls
    low = 2.0 ** (-1.4 * glide * rng.uniform(0.7, 1.0))
    rise = rng.uniform(0.1, 0.22)
    pts = [(0.0, low * f0), (rise, f0), (0.45, f0 * 2 ** (rng.uniform(-0.8, 0.8) / 12))]
    if breaks > 0.3:
        k = rng.uniform(0.55, 0.72)
        step = 2.0 ** (-(2.0 + 4.0 * breaks) / 12)
        pts += [(k, f0 * 0.98), (k + 0.03, f0 * step), (0.92, f0 * step * 0.97)]
    else:
        pts += [(0.9, f0 * 0.96)]
    pts += [(1.0, pts[-1][1] * 0.85)]
    calls.append(V.Call(
        start_s=t, dur_s=ln, f0_hz=tuple(pts),
        amp=((0.0, 0.0), (rise * 0.8, 0.8), (rise + 0.05, 1.0), (0.8, 0.85), (1.0, 0.0)),
        open=((0.0, 0.15), (rise, 0.3 + 0.5 * mouth), (0.85, 0.25 + 0.4 * mouth), (1.0, 0.1)),
        front=((0.0, 0.15 + 0.3 * mouth),), noise=0.04, jitter=0.002, shimmer=0.02,
        tilt_hz=tilt, peak_ratio=1.3, vibrato_hz=float(rng.uniform(4.5, 6.5)), vibrato_st=0.12,
        wobble_st=0.35))
    return calls


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry howl(s): (1, n) for one wolf, (2, n) with voices panned for a pack."""
    sr = sample_rate
    dur = n / sr
    wolves = pack_size(ph.a(0))
    howl_s = _howl_s(ph, dur)
    tract0 = 0.13 * (0.24 / 0.13) ** ph.size
    f0 = 950.0 * (330.0 / 950.0) ** ph.size * ph.pitch_ratio * (0.95 + 0.1 * ph.intensity)
    end = V.LEAD_S + V.room_s(dur, TAIL_S)
    if wolves == 1:
        y = V.render_calls(_wolf(ph, rng, start=V.LEAD_S, howl_s=howl_s, f0=f0, end_s=end), n=n, sr=sr,
                           rng=rng, tract_m=tract0)
        return finish(y[None, :])
    # the pack shares one tract pass (the lead's articulation), each voice panned
    pans = np.linspace(-0.6, 0.6, wolves)[rng.permutation(wolves)]
    offsets = np.sort(rng.uniform(0.0, 1.0, wolves)) * min(1.6 / ph.rate, 0.5 * dur)
    offsets[0] = 0.0
    voices = []
    for k in range(wolves):
        fk = f0 * 2.0 ** (rng.uniform(-5.0, 6.0) / 12) if k else f0
        calls = _wolf(ph, rng, start=V.LEAD_S + float(offsets[k]), howl_s=howl_s * rng.uniform(0.7, 1.0),
                      f0=fk, end_s=end)
        voices.append((calls, float(pans[k]), 1.0 if k == 0 else rng.uniform(0.45, 0.9)))
    out = V.chorus(voices, n=n, sr=sr, rng=rng, tract_m=tract0)
    if out is None:
        out = np.zeros((2, n))
    return finish(out)


def _words(ph: Physical, duration_s: float | None):
    wolves = pack_size(ph.a(0))
    if wolves == 1:
        return [("pack", ["lone", "solitary"], ["alone"], "lone")]
    return [("pack", [], ["with a pack joining in", f"a pack of {V.number_word(wolves)} howling together",
                          "in chorus"], "pack")]


FAMILY = Family(
    name="wolf_howl",
    ucs="ANMLWdog",
    noun="wolf howl",
    kind="oneshot",
    render=render,
    params=PARAMS,
    default_duration_s=5.0,
    nouns=(("wolf howl", 1), ("howling wolf", 1), ("wolf howling", 1), ("howl", 1)),
    scenes=("a {adj} wolf howling at the moon{post}", "a {adj} wolf howl in the night{post}",
            "a {adj} howl of a wolf in the wilderness{post}"),
    tags=("wolf", "howl", "animal", "wild", "canine"),
    keywords=("wolf", "wolves", "howl", "howling", "coyote", "pack", "werewolf", "wild dog"),
    rate_words=None,
    intensity_words=(("soft", "quiet"), ("loud", "full-throated")),
    element_roles=("main", "sweetener"),
    design_roles=("sweetener", "tail"),
    role_params={"sweetener": {"distance": 0.6, "space": 0.4}, "tail": {"distance": 0.8, "space": 0.6}},
    category="animal",
    special_words=_words,
    presets={
        "lone wolf at night": {"pack": -1.0, "glide": 0.2, "distance": 0.3, "space": 0.3},
        "wolf pack chorus": {"pack": 0.8, "breaks": 0.3, "space": 0.3, "distance": 0.2},
        "coyote yips and howl": {"size": -0.9, "yips": 0.8, "breaks": 0.6, "decay": -0.3},
        "distant howl": {"distance": 0.8, "space": 0.5, "pack": -1.0},
    },
)
