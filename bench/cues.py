"""Cue-sheet benchmark: wall time of ``sfxgen cues`` on a 20-cue sheet spanning 3 minutes.

The sheet (written here, 25 fps) holds 12 FX, 4 BG beds (20-90 s, looped) and 4 Foley cues, as a
spotting session of a short scene would. Timed with the embedded models, from the facade call
to the last deliverable (20 designs, fitting, stems, OTIO/AAF/RPP, report, full mix and M&E
against a DIA and a MUS stem), cold (model loading included) and the same run's per-cue design
time, the baseline the job's overhead is read against. Runs with ``--workers`` cues at once.

    python bench/cues.py [--workers 2] [--no-library]

Goal (issue #14): <= 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FX = ["metal door slam", "glass bottle smash", "heavy punch to the body", "gunshot in an alley", "laser blast",
      "explosion in the distance", "wooden crate smashed", "switch click", "electric sparks", "sub drop boom",
      "whoosh past the camera", "thunder crack"]
BG = ["heavy rain on a tin roof", "wind howling across a field", "spaceship engine hum", "water stream in a forest"]
FOLEY = ["footsteps on gravel", "cloth rustle as he sits down", "door creak", "door latch click"]


def _fx_tc(i: int) -> str:
    m, s = divmod(5 + i * 14, 60)
    return f"01:{m:02d}:{s:02d}:00"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-library", action="store_true", help="use an empty index (synthesised support layers)")
    args = ap.parse_args()
    from sfxgen.audio import write_audio
    from sfxgen.service import SfxgenService

    tmp = Path(tempfile.mkdtemp(prefix="bench-cues-"))
    rows = ["cue_id,tc_in,duration_s,track,description"]
    rows += [f"FX{i + 1:02d},{_fx_tc(i)},{2.0 + (i % 3):.1f},FX,{d}" for i, d in enumerate(FX)]
    for i, (d, st, ln) in enumerate(zip(BG, (0, 45, 100, 150), (50, 60, 55, 30))):
        m, s = divmod(st, 60)
        rows.append(f"BG{i + 1:02d},01:{m:02d}:{s:02d}:00,{ln},BG,{d}")
    for i, d in enumerate(FOLEY):
        m, s = divmod(20 + i * 40, 60)
        rows.append(f"FOL{i + 1:02d},01:{m:02d}:{s:02d}:10,3,FOLEY,{d}")
    sheet = tmp / "scene.csv"
    sheet.write_text("\n".join(rows) + "\n")
    rng = np.random.default_rng(0)
    n = 185 * 48000
    dia = (0.003 * rng.standard_normal((2, n))).astype(np.float32)
    for t0 in range(2, 180, 6):
        i = t0 * 48000
        dia[:, i: i + 96000] += (0.2 * rng.standard_normal(96000) * np.hanning(96000)).astype(np.float32)
    write_audio(tmp / "dia.wav", dia, 48000)
    t = np.arange(n) / 48000
    write_audio(tmp / "mus.wav", np.repeat((0.1 * np.sin(2 * np.pi * 110 * t))[None], 2, 0).astype(np.float32), 48000)

    t0 = time.perf_counter()
    svc = SfxgenService(index_dir=tmp / "empty-index" if args.no_library else None)
    job = svc.cues(sheet, fps=25, out_dir=tmp / "out", dia=tmp / "dia.wav", mus=tmp / "mus.wav",
                   workers=args.workers)
    total = time.perf_counter() - t0
    design = [r.design_s for r in job.cues if r.design_s is not None]
    print(f"cues: {len(job.cues)} over {job.start_tc} .. +3 min, failed {len(job.failed)}, workers {args.workers}")
    print(f"total wall time (cold: model loading included): {total:.1f} s   goal <= 120 s   "
          f"-> {'PASS' if total <= 120 else 'FAIL'}")
    print(f"per-cue design time (same run, under {args.workers} workers): median {statistics.median(design):.2f} s, "
          f"max {max(design):.2f} s, sum {sum(design):.1f} s")
    print(f"job overhead beyond the designs: {total - sum(design) / max(1, args.workers):.1f} s "
          f"(total / (sum of designs / workers) = {total / (sum(design) / max(1, args.workers)):.2f})")
    print(f"deliveries: {job.deliveries}")
    print(f"output: {tmp / 'out'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
