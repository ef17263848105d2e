"""Design benchmark: wall time of a 3-layer `sfxgen design` with a 10k-file library index.

Builds (once, cached under ``~/.cache/sfxgen/bench_design``) a library of ``--files`` distinct
short clips — the starter library's renders, each varied by gain, a pitch (varispeed) nudge and
its own noise floor, written as 16 kHz mono WAVs with UCS-style names — and indexes it with the
default embedder. Then times, with models already loaded (as in a running UI):

* **design+library**: ``run_design(prompt, layers=3, library=lib)`` (hero, 3 library searches,
  alignment, carving, render, master, export), the measured job;
* **design+library, no picture**: the same without the package picture (what the PNG costs);
* **baseline "design without library"**: the same job with synthesised sweeteners, measured in
  the same run, so the ratio shows what the 10k-file index costs.

Each row gives the median wall time and the CPU seconds of this process (what the job costs
when the 2 cores are free; on a shared machine wall time follows the load average printed).

    python bench/design.py [--files 10000] [--repeats 3]

Goal (issue #7): ≤ 5 s per 3-layer design on 2 cores.

``--cli`` times the command a user types instead, start-up included: ``sfxgen design PROMPT
--out DIR --index INDEX`` in a fresh process per run (same 10k-file index, every prompt
``--repeats`` times), next to ``python -c pass`` measured in the same run. Goal (issue #13):
≤ 8 s wall on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PROMPTS = ["heavy metal door slam in a large hall", "wooden crate smashed", "laser blast in a cave"]


def build_library(root: Path, n_files: int) -> Path:
    from sfxgen.audio import read_audio, resample, write_audio
    from sfxgen.synth.corpus import build_starter

    done = root / f".complete_{n_files}"
    if done.exists():
        return root
    starter = root / "starter"
    if not any(starter.glob("*.wav")):
        build_starter(starter, n=300, seed=0)
    sources = sorted(starter.glob("*.wav"))
    clips = [read_audio(p, sample_rate=16000, channels=1)[0][0] for p in sources]
    rng = np.random.default_rng(0)
    out = root / "files"
    for i in range(n_files):
        k = i % len(clips)
        folder = out / f"{i // 1000:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{sources[k].stem}_v{i:05d}.wav"
        if path.exists():
            continue
        x = clips[k][: 16000 * 3]
        speed = float(rng.uniform(0.9, 1.1))
        x = resample(x[None], 16000, int(16000 * speed))[0]
        x = x * float(10 ** (rng.uniform(-12, 0) / 20)) + rng.standard_normal(x.size).astype(np.float32) * 1e-4
        write_audio(path, x[None], 16000, bit_depth=16)
    done.touch()
    return root


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "sfxgen" / "bench_design"))
    ap.add_argument("--cli", action="store_true", help="time `sfxgen design` in fresh processes (start-up included)")
    args = ap.parse_args()
    if args.cli:
        return bench_cli(args)

    import torch

    from sfxgen.embed import get_embedder
    from sfxgen.generate import load_pipeline
    from sfxgen.layering.job import run_design
    from sfxgen.library import Library

    torch.set_num_threads(2)
    root = build_library(Path(args.cache), args.files)
    # one cached index per embedding model: an index refuses queries from another model
    lib = Library.open(root / f"index_{args.files}_{get_embedder().model_id}")
    t = time.perf_counter()
    summary = lib.index([root / "files"], progress=True)
    print(f"index: {summary.indexed} new, {summary.unchanged} unchanged in {time.perf_counter() - t:.1f} s; "
          f"{lib.stats().ok} files in the index")
    gen = load_pipeline()
    gen("warm up", duration_s=1.0, num_variations=1)
    rows = {"design+library": [], "design+library, no picture": [], "baseline: design without library": []}
    runs = (("design+library", lib, True), ("design+library, no picture", lib, False),
            ("baseline: design without library", None, True))
    cpu = {k: [] for k in rows}  # CPU seconds of this process: what the job costs when the cores are free
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeats):
            for p in PROMPTS:
                for label, library, pic in runs:
                    t, c = time.perf_counter(), time.process_time()
                    job = run_design(p, Path(tmp) / f"{r}_{label[:6]}_{pic}", layers=3, seed=r, generator=gen,
                                     library=library, picture=pic)
                    rows[label].append(time.perf_counter() - t)
                    cpu[label].append(time.process_time() - c)
                    if library is not None:
                        srcs = [(pk["role"], pk["source"]) for pk in job.variations[0]["picks"]]
    base = statistics.median(rows["baseline: design without library"])
    print(f"\n3-layer design, median of {len(PROMPTS) * args.repeats} (torch threads 2; "
          f"load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    for label, ts in rows.items():
        med = statistics.median(ts)
        print(f"  {label:34s} {med:6.2f} s wall (p95 {np.percentile(ts, 95):.2f} s), "
              f"{statistics.median(cpu[label]):6.2f} s CPU  ratio vs baseline {med / base:4.2f}x"
              f"  vs 5 s goal {med / 5.0:4.2f}x")
    print(f"  last library design picked: {srcs}")


def bench_cli(args) -> None:
    """``sfxgen design`` end to end in a fresh process per run (see the module doc)."""
    from bench.cli import _time

    from sfxgen.embed import get_embedder
    from sfxgen.library import Library

    root = build_library(Path(args.cache), args.files)
    index = root / f"index_{args.files}_{get_embedder().model_id}"
    with Library.open(index) as lib:
        lib.index([root / "files"], progress=True)
    exe = [sys.executable, "-m", "sfxgen"]

    def wall(argv) -> float:
        return _time(argv, 1)[0]

    base, runs = [], {p: [] for p in PROMPTS}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeats):
            base.append(wall([sys.executable, "-c", "pass"]))
            for i, p in enumerate(PROMPTS):
                runs[p].append(wall(exe + ["design", p, "--out", f"{tmp}/{r}_{i}", "--index", str(index),
                                           "--seed", str(r)]))
    b = statistics.median(base)
    every = [t for ts in runs.values() for t in ts]
    print(f"\n`sfxgen design` from the shell, {args.files}-file index, {args.repeats} run(s) per prompt "
          f"(load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores); "
          f"baseline `python -c pass` {b:.3f} s")
    for p, ts in runs.items():
        print(f"  {p:40s} median {statistics.median(ts):5.2f} s wall ({statistics.median(ts) / b:5.0f}x baseline)")
    med = statistics.median(every)
    print(f"  all prompts: median {med:.2f} s, max {max(every):.2f} s; goal <= 8 s: {'ok' if med <= 8.0 else 'OVER'}")


if __name__ == "__main__":
    main()
