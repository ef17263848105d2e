"""Wall time of everyday ``sfxgen`` commands against ``python -c pass`` measured in the same run.

    python bench/cli.py [--repeat 5]

Builds a small library index (6 one-second clips) in a temp folder first (not timed), then runs
each command ``--repeat`` times in a fresh process and prints the median seconds, the excess
over the interpreter's own start-up and the ratio, next to the goal from issue #17 (excess
seconds over the baseline). Exit status is 0 whatever the numbers: timings are reported, not
asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLIPS = ("DOORWood_Heavy Wooden Door Slam_SFXGEN_Bench.wav", "GLASBreak_Bottle Smash_SFXGEN_Bench.wav",
         "RAINGen_Light Rain On Roof_SFXGEN_Bench.wav", "WINDGust_Howling Wind_SFXGEN_Bench.wav",
         "METLImpt_Metal Clang_SFXGEN_Bench.wav", "FEETConc_Footsteps Concrete_SFXGEN_Bench.wav")


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _time(argv: list[str], repeat: int, *, ok_codes=(0,)) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds (user + system) of ``repeat`` fresh runs. CPU
    time barely moves when other work shares the machine; wall time is what a user waits."""
    walls, cpus = [], []
    for _ in range(repeat):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(argv, env=_env(), capture_output=True, text=True, cwd=ROOT)
        walls.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        if proc.returncode not in ok_codes:
            sys.exit(f"bench: {' '.join(argv)} exited {proc.returncode}: {proc.stderr.strip()[-400:]}")
    return statistics.median(walls), statistics.median(cpus)


def _make_library(tmp: Path) -> tuple[Path, Path]:
    import numpy as np
    import soundfile as sf

    files = tmp / "files"
    files.mkdir()
    sr, rng = 48000, np.random.default_rng(0)
    t = np.arange(sr) / sr
    for i, name in enumerate(CLIPS):
        x = (0.3 * np.sin(2 * np.pi * (80 + 150 * i) * t) * np.exp(-3 * t) + 0.05 * rng.standard_normal(sr))
        sf.write(str(files / name), np.stack([x, x], 1).astype(np.float32), sr, subtype="PCM_24")
    index = tmp / "index"
    proc = subprocess.run([sys.executable, "-m", "sfxgen.cli", "index", str(files), "--index", str(index),
                           "--no-progress"], env=_env(), capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        sys.exit(f"bench: indexing failed: {proc.stderr.strip()[-400:]}")
    return files / CLIPS[0], index


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="runs per command (median reported; default 5)")
    args = ap.parse_args()
    sfx = [sys.executable, "-m", "sfxgen.cli"]
    with tempfile.TemporaryDirectory(prefix="sfxgen-bench-cli-") as d:
        wav, index = _make_library(Path(d))
        cases = [  # (label, argv, accepted exit codes, goal: excess seconds over the baseline)
            ("sfxgen --help", sfx + ["--help"], (0,), 0.3),
            ("argument error (bad flag)", sfx + ["loudness", "--nope"], (2,), 0.3),
            ('generate ""', sfx + ["generate", "", "--out", str(Path(d) / "gen")], (2,), 0.3),
            ("loudness FILE", sfx + ["loudness", str(wav)], (0,), 0.8),
            ('search "wooden door" --mode meta', sfx + ["search", "wooden door", "--mode", "meta", "--index", str(index)],
             (0,), 1.0),
            ('search "wooden door" (hybrid)', sfx + ["search", "wooden door", "--index", str(index)], (0,), 2.5),
        ]
        for _, argv, codes, _ in cases:  # warm the disk cache
            _time(argv, 1, ok_codes=codes)
        base, base_cpu = _time([sys.executable, "-c", "pass"], args.repeat)
        print(f"baseline `python -c pass`: {base:.3f} s wall, {base_cpu:.3f} s CPU (median of {args.repeat})")
        print(f"{'command':36} {'wall s':>7} {'excess':>7} {'ratio':>6} {'CPU s':>6} {'excess':>7}  goal (excess)")
        for label, argv, codes, goal in cases:
            t, c = _time(argv, args.repeat, ok_codes=codes)
            verdict = "ok" if t - base <= goal else "OVER"
            print(f"{label:36} {t:7.3f} {t - base:+7.3f} {t / base:5.1f}x {c:6.3f} {c - base_cpu:+7.3f}  "
                  f"<= {goal:.1f} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
