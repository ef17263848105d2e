"""Ocean waves on a shore: breakers that build, crash and wash back, over the distant surf
(:mod:`sfxgen.synth.physics.ambience`).

Each wave is a story in three parts (Farnell, *Designing Sound*, "Water"): the *build* -- a
rising roar as the wave steepens, its spectrum opening up from a rumble -- the *crash* of the
breaking lip (broadband, the loudest moment), and the *wash*, a fizzing hiss of bursting foam
that darkens and fades over seconds as the water runs back (dragging pebbles over a shingle
beach: a rattle of stone clicks; on rocks the crash booms and sprays). A wave breaks along
the shore, so its crash travels across the stereo field: each wave is heard from four stretches
of shoreline, panned, each a moment later than the last. Under it all, the surf of distant
waves is a coherent, slowly swelling bed. Real recordings in the development corpus (0 A.D.
waves, Scorched 3D): a crash every 6-8 s, centroid 1-2.2 kHz, broadband washes decaying over
2-3 s.

Common slots: ``rate`` how often waves break (one per 7 s at 1x), ``size`` and ``intensity``
the size of the breakers, ``brightness`` the foam's hiss, ``decay`` how long the wash runs.
"""

from __future__ import annotations

import functools

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish, sine_grains
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import ambience as A
from sfxgen.synth.physics import bio as B

BEACHES = ("sand", "pebbles", "rocks")
BASE_PERIOD_S = 7.0
SEGMENTS = 4

PARAMS = (
    Param("beach", "What the waves break on: sand, a pebble/shingle beach (rattling backwash) or rocks "
          "(booming crashes, spray)", choices=BEACHES,
          choice_words=(("sand", ("on a sandy beach",)), ("pebbles", ("on a pebble beach", "on shingle")),
                        ("rocks", ("against rocks", "on a rocky shore")))),
    Param("surf", "Wave size: gentle lapping .. big breakers", "%", 0, 100,
          low_words=("gentle", "lapping", "calm"), high_words=("crashing", "stormy", "rough")),
    Param("foam", "Level of the wash's foam hiss", "%", 0, 100, low_words=(), high_words=("foaming", "fizzing")),
    Param("backdrop", "Level of the distant surf bed under the waves", "%", 0, 100,
          low_words=("close",), high_words=()),
)


COARSE = 48


@functools.lru_cache(maxsize=8)
def _coarse_grid(bins: int, f_max: float) -> tuple[np.ndarray, np.ndarray]:
    """(COARSE log-spaced frequencies 20 Hz .. ``f_max``, the (COARSE, bins) float32 matrix that
    interpolates values on them linearly in log frequency to ``bins`` evenly spaced bins)."""
    fc = np.geomspace(20.0, f_max, COARSE)
    fb = np.linspace(0.0, f_max, bins)
    x = np.interp(np.log(np.maximum(fb, 20.0)), np.log(fc), np.arange(COARSE))
    i = np.minimum(x.astype(np.int64), COARSE - 2)
    w = x - i
    m = np.zeros((COARSE, bins), np.float32)
    m[i, np.arange(bins)] = 1.0 - w
    m[i + 1, np.arange(bins)] += w
    for a in (fc, m):
        a.setflags(write=False)
    return fc, m


def _schedule(rng: np.random.Generator, dur: float, period: float, build: float) -> np.ndarray:
    """Wave start times (s): roughly periodic with +-25 % jitter, the first crash 0.3-2 s into
    the clip (or a third of a short clip)."""
    k = int(dur / period) + 3
    gaps = period * rng.uniform(0.75, 1.25, k)
    first = min(rng.uniform(0.3, 2.0), 0.35 * dur) - build
    return first + np.cumsum(gaps) - gaps[0]


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry surf (2, n)."""
    sr = sample_rate
    dur = n / sr
    beach = PARAMS[0].choice(ph.a(0))
    surf = float(np.clip(0.6 * ph.a(1) + 0.25 * ph.intensity + 0.15 * ph.size, 0.0, 1.0))
    foam, backdrop = ph.a(2), ph.a(3)
    period = BASE_PERIOD_S / ph.rate * (0.8 + 0.4 * surf)
    build = 1.0 + 1.8 * surf
    crash_s = 0.4 + 1.0 * surf
    wash_s = float(np.clip(1.5 + 2.5 * ph.decay_s ** 0.4, 1.5, 7.0))
    fc_peak = 900.0 + 3500.0 * surf
    hiss_hz = 2500.0 * 2.0 ** (1.5 * (ph.brightness - 0.5))
    waves = _schedule(rng, dur, period, build)
    W = waves.size
    level = rng.uniform(0.6, 1.0, W) * (0.3 + 0.7 * surf)
    direction = rng.choice([-1.0, 1.0], W)
    travel = rng.uniform(0.2, 0.6, W)  # s for the break to run along the shore

    def seg_magnitude(j):
        pos = (j - (SEGMENTS - 1) / 2) / (SEGMENTS - 1)  # -0.5 .. 0.5 along the shore
        delay = (pos * direction + 0.5) * travel  # (W,)
        gain_w = level * rng.uniform(0.6, 1.0, W)

        def mag(t, f):
            # the spectra are smooth: computed on COARSE log-spaced bands, interpolated to the bins
            grid = _coarse_grid(f.shape[-1], float(f[0, -1]))
            f = grid[0][None, :]
            tau = t - (waves + delay)[None, :]  # (F, W)
            x = np.clip(tau / build, 0.0, None)
            after = np.maximum(tau - build, 0.0)
            roar = np.where(tau < build, np.clip(x, 0.0, 1.0) ** 2, np.exp(-after / crash_s)) * gain_w
            roar = np.where(tau > 0, roar, 0.0)
            fc = np.where(tau < build, 200.0 + (fc_peak - 200.0) * np.clip(x, 0, 1) ** 2,
                          np.maximum(fc_peak * np.exp(-after / 1.5), 400.0))
            wash = np.where(tau > build, (1.0 - np.exp(-after / 0.25)) * np.exp(-after / wash_s), 0.0) * gain_w
            fw = hiss_hz * (0.6 + 0.4 * np.exp(-after / wash_s))
            ff = np.maximum(f, 1.0)[:, None, :]  # (1, 1, B)
            hp = ff / (ff + 60.0)
            s_roar = hp / (1.0 + (ff / fc[:, :, None]) ** 2)
            s_wash = (ff / 1500.0) ** 2 / (1.0 + (ff / 1500.0) ** 2) / (1.0 + (ff / fw[:, :, None]) ** 2)
            out = np.einsum("fw,fwb->fb", roar, s_roar) + (0.3 + 0.9 * foam) * np.einsum("fw,fwb->fb", wash, s_wash)
            return out.astype(np.float32) @ grid[1]
        return mag

    segs = np.stack([P.spectral_noise(rng, n, sr, seg_magnitude(j), channels=1)[0] for j in range(SEGMENTS)])
    out = A.pan(segs, np.linspace(-0.7, 0.7, SEGMENTS))
    # the surf of distant waves: a slowly swelling, dark, coherent bed
    bed_fc = 700.0 + 900.0 * surf
    bed = A.field(rng, n, sr, lambda t, f: (np.maximum(f, 1.0) / (np.maximum(f, 1.0) + 50.0))
                  / (1.0 + (f / bed_fc) ** 2) * np.ones_like(t),
                  k=2, spread=0.5, mod=A.swell(rng, n, sr, rate_hz=1.0 / period, depth=0.5))
    out += (0.03 + 0.35 * backdrop) * bed * (0.4 + 0.6 * surf)
    if beach == "pebbles":  # the backwash drags shingle: clicks dense early in each wash,
        for j in range(SEGMENTS):  # from every stretch of the shore
            times, amps = [], []
            for w in range(W):
                t0 = waves[w] + build + 0.3
                k = int(rng.poisson(250.0 * level[w] * wash_s * 0.5 / SEGMENTS))
                tt = t0 + rng.exponential(wash_s * 0.35, k)
                times.append(tt)
                amps.append(level[w] * np.exp(-(tt - t0) / (wash_s * 0.5)) * rng.uniform(0.1, 1.0, k))
            t, a = np.concatenate(times), np.concatenate(amps)
            ok = (t > 0) & (t < dur - 0.02)
            clicks = B.click_train(rng, t[ok], a[ok], n=n, sr=sr, modes_hz=(2400.0, 3900.0, 5600.0), t60_ms=8.0,
                                   noise=0.5, spread=0.4)
            out += 0.25 * A.pan(clicks, (j - (SEGMENTS - 1) / 2) / (SEGMENTS - 1) * 1.4)
    elif beach == "rocks":  # each crash booms in the rocks
        t = waves + build
        ok = (t > 0) & (t < dur - 0.3)
        if np.any(ok):
            s0 = (t[ok] * sr).astype(np.int64)
            boom = sine_grains(n, sr, np.repeat(s0, 2), np.tile([55.0, 95.0], s0.size) * rng.uniform(0.9, 1.1, 2 * s0.size),
                               np.full(2 * s0.size, 0.12), np.repeat(level[ok] * 0.6, 2))[0]
            out += A.pan(boom, rng.uniform(-0.4, 0.4))
    return finish(P.highpass(out, sr, 30.0))


FAMILY = Family(
    name="ocean_waves",
    ucs="WATRWave",
    noun="ocean waves",
    kind="texture",
    render=render,
    params=PARAMS,
    default_duration_s=12.0,
    nouns=(("ocean waves", 0), ("waves breaking", 0), ("surf", 0), ("sea waves", 0), ("breaking waves", 0)),
    scenes=("{adj} waves breaking on the shore{post}", "{adj} ocean surf at the beach{post}",
            "{adj} sea waves rolling in{post}"),
    tags=("ocean", "waves", "surf", "sea", "water", "beach"),
    keywords=("ocean", "sea", "waves", "wave", "surf", "beach", "shore", "seaside", "coast", "breakers", "tide",
              "shingle", "seashore"),
    rate_words=(("slow", "lazy"), ("choppy", "rapid")),
    rate_doc="one wave every 7 s",
    intensity_words=(("calm", "gentle"), ("stormy", "pounding")),
    sized=False,
    element_roles=("main", "sweetener"),
    design_roles=("bed",),
    role_params={"bed": {"surf": -0.2, "distance": 0.4, "backdrop": 0.6}},
    category="water",
    presets={
        "calm beach": {"beach": "sand", "surf": -0.7, "intensity": -0.5, "rate": 0.2},
        "pebble beach backwash": {"beach": "pebbles", "surf": 0.0},
        "stormy sea on rocks": {"beach": "rocks", "surf": 0.9, "intensity": 0.8, "backdrop": 0.6},
        "distant surf": {"distance": 0.7, "backdrop": 0.9, "surf": -0.2},
    },
)
