"""Footsteps renders next to real footstep recordings of the development corpus, by surface.

For each surface this takes the dev-corpus clips of category ``footstep`` whose path names it
(gravel, snow, wood, grass, rock/concrete, metal, water/splash, dirt/mud, sand) and renders the
``footsteps`` family on that surface (walking pace; for a single-step real clip, one step), then

* prints per surface, real vs render (medians): energy share under 80 Hz, share in 1-8 kHz,
  spectral centroid, steps per second (multi-step clips), the time over which the middle 80 %
  of one step's energy arrives (the crunch spread) and the density of micro-transients inside a
  step (grains per step: onsets of the 1-8 kHz envelope), and how long a step stays within 5 dB
  and 20 dB of its peak (hold5_s, hold20_s: the step's decay);
* writes a PNG sheet: one row per surface, real clips left, renders right (log-mel
  spectrograms, 80 dB range, mono fold-down; real clips high-passed at 20 Hz first, many game
  clips carry infrasonic rumble).

    python tools/footsteps_compare.py --out out/footsteps [--per-surface 3]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

SR = 48000
CACHE = Path(os.environ.get("SFXGEN_CACHE", Path.home() / ".cache" / "sfxgen"))
# surface of the synth -> words in a real clip's path that mean it
SURFACE_WORDS = {
    "gravel": ("gravel",), "snow": ("snow",), "wood": ("wood",), "grass": ("grass",),
    "concrete": ("rock", "hard", "step_echo", "boot"), "metal": ("metal", "clank"),
    "water": ("water", "splash"), "mud": ("dirt", "sand"),
}


def real_clips(surface: str, limit: int) -> list[tuple[str, np.ndarray]]:
    """Up to ``limit`` dev-corpus footstep clips for ``surface`` (name, (2, n) at 48 kHz,
    high-passed at 20 Hz), multi-step clips first."""
    from sfxgen.audio import read_audio
    from sfxgen.synth.primitives import highpass

    rows = [r for r in csv.DictReader(open(CACHE / "manifest.csv")) if r["category"] == "footstep"]
    rows = [r for r in rows if any(w in r["path"].lower() for w in SURFACE_WORDS[surface])]
    rows.sort(key=lambda r: -float(r["duration_s"]))
    out = []
    for r in rows[:limit]:
        a, _ = read_audio(CACHE / "devcorpus" / r["path"], sample_rate=SR, channels=2)
        out.append((Path(r["path"]).stem, highpass(a.astype(np.float64), SR, 20.0, order=4)))
    return out


def render_steps(surface: str, *, duration_s: float, single: bool, seed: int, **params) -> np.ndarray | None:
    """A render on ``surface`` (None when the family has no such surface)."""
    from sfxgen.synth import FAMILIES, Patch, render

    choices = FAMILIES["footsteps"].param("surface").choices
    surface = surface if surface in choices else next((c for c in choices if c.startswith(surface)), None)
    if surface is None:
        return None
    values = dict(surface=surface, space=-1.0, distance=-1.0)  # dry and close, as the game clips are
    if single:
        values["rate"] = -1.0
    values.update(params)
    return render(Patch("footsteps").with_params(**values), duration_s=duration_s, sample_rate=SR, seed=seed)


def step_metrics(y: np.ndarray, sr: int = SR) -> dict:
    """Spectral shares, centroid, steps/s, crunch spread and grains per step of one clip."""
    from sfxgen.dsp.onsets import onsets_s
    from sfxgen.synth.primitives import bandpass_sos, sosfilt

    x = y.mean(axis=0).astype(np.float64)
    spec = np.abs(np.fft.rfft(x)) ** 2
    f = np.fft.rfftfreq(x.size, 1 / sr)
    tot = spec.sum() + 1e-30
    steps = onsets_s(y, sr, threshold=0.3, min_gap_ms=180.0)
    dur = x.size / sr
    # one step: the loudest 0.45 s window
    w = int(0.45 * sr)
    if x.size > w:
        e = np.convolve(x ** 2, np.ones(w // 10), mode="same")
        c = int(np.argmax(e))
        seg = x[max(0, c - w // 3): max(0, c - w // 3) + w]
    else:
        seg = x
    cum = np.cumsum(seg ** 2)
    spread = (np.searchsorted(cum, 0.9 * cum[-1]) - np.searchsorted(cum, 0.1 * cum[-1])) / sr
    hf = sosfilt(bandpass_sos(sr, 2800.0, q=0.6, order=2), seg)
    grains = len(onsets_s(hf[None, :], sr, threshold=0.05, min_gap_ms=4.0))
    return {"low80": float(spec[f < 80].sum() / tot), "band1_8k": float(spec[(f >= 1000) & (f < 8000)].sum() / tot),
            "centroid_hz": float((f * spec).sum() / tot), "steps_per_s": len(steps) / dur if dur > 1.2 else None,
            "spread_s": float(spread), "grains": grains}


def step_holds_s(y: np.ndarray, sr: int = SR) -> list[tuple[float, float]]:
    """(within 5 dB, within 20 dB of the peak) per step: seconds from a step's peak to the last
    moment its 10 ms RMS envelope (2.5 ms hop) is within 5 / 20 dB of that peak, before the next
    step (cut 40 ms before the next onset, at most 0.6 s); steps over 20 dB under the clip's
    loudest are skipped. Real footsteps: a median 0.03 s / 0.15 s."""
    from sfxgen.dsp.onsets import onsets_s

    x = y.mean(axis=0).astype(np.float64)
    h, w = int(0.0025 * sr), int(0.01 * sr)
    e = 10 * np.log10(np.convolve(x ** 2, np.ones(w) / w, mode="same")[::h] + 1e-12)
    ons = [int(t * sr / h) for t in onsets_s(y, sr, threshold=0.3, min_gap_ms=180.0)] or [0]
    out = []
    for i, o in enumerate(ons):
        end = min(ons[i + 1] - 16 if i + 1 < len(ons) else e.size, o + int(0.6 * sr / h))
        seg = e[max(o - 4, 0): end]
        if seg.size < 4:
            continue
        p = int(np.argmax(seg))
        if seg[p] < e.max() - 20:
            continue
        out.append(tuple((np.nonzero(seg[p:] > seg[p] - db)[0][-1] + 1) * h / sr for db in (5, 20)))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--per-surface", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sfxgen.plots import draw_spectrogram

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    k = args.per_surface
    surfaces = list(SURFACE_WORDS)
    fig, axes = plt.subplots(len(surfaces), 2 * k, figsize=(3.2 * 2 * k, 2.2 * len(surfaces)), squeeze=False)
    keys = ("low80", "band1_8k", "centroid_hz", "steps_per_s", "spread_s", "grains", "hold5_s", "hold20_s")
    print(f"{'surface':9s} {'':6s} " + " ".join(f"{c:>11s}" for c in keys))
    for row, surface in enumerate(surfaces):
        real = real_clips(surface, k)
        ren = []
        for j, (name, a) in enumerate(real or [("none", np.zeros((2, SR)))]):
            dur = float(np.clip(a.shape[1] / SR, 0.5, 4.0))
            y = render_steps(surface, duration_s=dur, single=dur < 1.2, seed=args.seed + j)
            if y is not None:
                ren.append((f"render {surface}", y))
        for side, clips in (("real", real), ("render", ren)):
            ms = [step_metrics(a) for _, a in clips]
            holds = [hs for _, a in clips for hs in step_holds_s(a)]
            for m in ms:  # (pooled over the clips' steps: one median below)
                m["hold5_s"], m["hold20_s"] = (float(np.median([hs[0] for hs in holds])),
                                               float(np.median([hs[1] for hs in holds]))) if holds else (None, None)
            vals = []
            for key in keys:
                v = [m[key] for m in ms if m[key] is not None]
                vals.append(f"{np.median(v):11.3f}" if v else f"{'-':>11s}")
            print(f"{surface:9s} {side:6s} " + " ".join(vals))
        for j in range(k):
            for col, clips in ((j, real), (k + j, ren)):
                ax = axes[row, col]
                ax.set_xticks([])
                ax.set_yticks([])
                if j < len(clips):
                    name, a = clips[j]
                    draw_spectrogram(ax, a, SR, colorbar=False)
                    ax.set_title(name[:32], fontsize=7)
        axes[row, 0].set_ylabel(surface, fontsize=9)
    # the case: "footsteps on gravel, slow walk" (1.5 steps/s, 4 s)
    from sfxgen.synth import FAMILIES, Patch, render

    slow = render(Patch("footsteps").with_params(**FAMILIES["footsteps"].presets["gravel_slow_walk"]),
                  duration_s=4.0, sample_rate=SR, seed=args.seed)
    m = step_metrics(slow)
    print(f"gravel slow walk (preset, 4 s): energy under 80 Hz {100 * m['low80']:.0f} %, 1-8 kHz "
          f"{100 * m['band1_8k']:.0f} %, {m['steps_per_s']:.2f} steps/s, crunch spread {m['spread_s']:.2f} s, "
          f"{m['grains']} grains per step")
    fig.tight_layout()
    fig.savefig(out / "footsteps_real_vs_render.png", dpi=70)
    print(f"wrote {out / 'footsteps_real_vs_render.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
