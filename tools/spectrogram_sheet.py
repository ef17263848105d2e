"""Contact sheet of log-mel spectrograms: every family, a few patches each, for listening by eye.

Column 0 is the family's centre patch (all parameters 0); the others are random patches
(seeded). Each cell shows a 128-band log-mel spectrogram (20 Hz - 20 kHz, 2048-point STFT,
hop 10 ms, 80 dB range) of the mono fold-down, with the peak amplitude envelope drawn on top
(white, dB scale on the right half of the cell height) and the first caption as the title.
Families are split over pages (``--per-page``) so each PNG stays legible. With ``--real N`` each
row ends with N real clips of the family's category (``Family.category``) from the development
corpus, drawn the same way, so renders are judged next to recordings of the same kind.

    python tools/spectrogram_sheet.py --out out/spectrograms [--patches 4] [--per-page 10] [--seed 0]
        [--real 2 --manifest ~/.cache/sfxgen/manifest.csv --corpus ~/.cache/sfxgen/devcorpus]

Writes ``sheet_01.png``, ``sheet_02.png``, ... (matplotlib Agg, no display needed).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

SR = 48000


def envelope_db(audio: np.ndarray, frames: int) -> np.ndarray:
    """Peak level in dBFS over ``frames`` equal stretches of the clip."""
    m = np.abs(audio).max(axis=0)
    edges = np.linspace(0, len(m), frames + 1).astype(int)[:-1]
    return 20 * np.log10(np.maximum(np.maximum.reduceat(m, edges), 1e-6))


def patches_for(family: str, k: int, seed: int):
    from sfxgen.synth import FAMILY_NAMES, Patch

    rng = np.random.default_rng([seed, FAMILY_NAMES.index(family)])
    out = [Patch(family)]
    while len(out) < k:
        out.append(Patch.random(family, rng))
    return out


def real_clips(category: str | None, k: int, *, manifest, corpus, seed: int) -> list[tuple[str, np.ndarray]]:
    """``k`` labelled real clips of ``category`` (seeded pick, one per package first) as
    ``(name, (2, n) audio at SR)``, at most 6 s each."""
    import csv

    from sfxgen.audio import read_audio

    if not category or k <= 0:
        return []
    rows = [r for r in csv.DictReader(open(manifest, newline="")) if r["category"] == category and not r["duplicate_of"]]
    rng = np.random.default_rng(seed)
    rng.shuffle(rows)
    by_pkg: dict[str, list] = {}
    for r in rows:
        by_pkg.setdefault(r["package"], []).append(r)
    picked = [r for rank in range(k) for group in by_pkg.values() if rank < len(group) for r in [group[rank]]][:k]
    out = []
    for r in picked:
        audio, _ = read_audio(Path(corpus) / r["path"], sample_rate=SR, channels=2, max_duration_s=6.0)
        out.append((f"REAL {r['package']}: {Path(r['path']).name}", audio))
    return out


def render_sheet(families, out_png: Path, *, patches: int, seed: int, real: int = 0, manifest=None,
                 corpus=None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sfxgen.plots import draw_spectrogram
    from sfxgen.synth import FAMILIES, render
    from sfxgen.synth.captions import caption_patch

    rows = len(families)
    cols = patches + real
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.3 * rows), squeeze=False)
    for r, fam in enumerate(families):
        dur = FAMILIES[fam].default_duration_s
        reals = real_clips(FAMILIES[fam].category, real, manifest=manifest, corpus=corpus, seed=seed)
        plist = patches_for(fam, patches, seed)
        for c in range(cols):
            ax = axes[r, c]
            if c >= patches:
                if c - patches >= len(reals):
                    ax.set_axis_off()
                    continue
                label, audio = reals[c - patches]
                draw_spectrogram(ax, audio, SR, colorbar=False)
                ax.set_title("\n".join(textwrap.wrap(label, 58)[:2]), fontsize=7)
                ax.tick_params(labelsize=6)
                continue
            patch = plist[c]
            try:
                audio = render(patch, duration_s=dur, seed=seed + c)
            except Exception as exc:  # noqa: BLE001 - show the failure in the cell
                ax.text(0.5, 0.5, f"{fam}: {type(exc).__name__}\n{exc}"[:120], ha="center", va="center",
                        fontsize=7, wrap=True)
                ax.set_axis_off()
                continue
            draw_spectrogram(ax, audio, SR, colorbar=False)
            env = envelope_db(audio, 400)
            level = ax.twinx()  # peak envelope over the spectrogram, -60..0 dBFS
            level.plot(np.linspace(0, dur, len(env)), np.clip(env, -60, 0), color="white", lw=0.6, alpha=0.8)
            level.set_ylim(-60, 0)
            level.set_yticks([])
            ax.tick_params(labelsize=6)
            cap = caption_patch(patch, n=1, seed=0, duration_s=dur).captions[0]
            label = ("centre: " if c == 0 else "") + cap
            ax.set_title("\n".join(textwrap.wrap(label, 58)[:2]), fontsize=7)
            if c == 0:
                ax.set_ylabel(fam, fontsize=9, fontweight="bold")
    fig.tight_layout()
    fig.savefig(out_png, dpi=70)
    plt.close(fig)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Spectrogram contact sheet of every synth family.")
    ap.add_argument("--out", default="out/spectrograms", help="output folder (default out/spectrograms)")
    ap.add_argument("--patches", type=int, default=4, help="patches per family (default 4)")
    ap.add_argument("--per-page", type=int, default=10, help="families per PNG (default 10)")
    ap.add_argument("--families", default=None, help="comma-separated subset (default: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--real", type=int, default=0, help="real clips of each family's category per row (default 0)")
    ap.add_argument("--manifest", default=str(Path.home() / ".cache/sfxgen/manifest.csv"))
    ap.add_argument("--corpus", default=str(Path.home() / ".cache/sfxgen/devcorpus"))
    args = ap.parse_args(argv)

    from sfxgen.synth import FAMILY_NAMES

    fams = [f.strip() for f in args.families.split(",")] if args.families else list(FAMILY_NAMES)
    unknown = [f for f in fams if f not in FAMILY_NAMES]
    if unknown:
        print(f"error: unknown families {unknown}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pages = [fams[i:i + args.per_page] for i in range(0, len(fams), args.per_page)]
    for i, page in enumerate(pages, 1):
        png = out / f"sheet_{i:02d}.png"
        render_sheet(page, png, patches=args.patches, seed=args.seed, real=args.real, manifest=args.manifest,
                     corpus=args.corpus)
        print(f"{png}: {', '.join(page)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
