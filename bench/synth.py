"""Synth speed: per-family real-time factor on one core, and corpus build rate.

Baseline: **real time** (1.0x = rendering takes as long as the sound lasts). For every family
this renders a few random patches at the family's default duration (48 kHz stereo, the full
chain including room and loudness stage) in this process with one thread, and prints

    real-time factor = seconds of audio rendered / wall-clock seconds spent rendering

then the median over families against the 100x target. Real-time factors use this process's
CPU time (fair on a busy shared machine); wall-clock factors are printed beside them, with the
share of CPU spent in the family's dry source versus the shared chain. The second part builds a small corpus
with the parallel builder (all cores, FLAC writing and captions included) and prints clips/s,
its real-time factor, and the projected time of a 20,000-clip corpus at that rate, both on the
wall clock and from the CPU time the workers used (what the cores give when not shared).

    OMP_NUM_THREADS=1 python bench/synth.py [--patches 3] [--corpus-n 78] [--workers N] [--families a,b]

``--compare DIR`` measures another checkout of the project (e.g. ``git worktree add /tmp/base
main``) against this one in the same run: two worker processes, one per tree, take each family
in turn (the order alternating), so both see the same machine load; it prints both real-time
factors per family, their ratio and the median ratio (the machine this runs on is shared, so the
ratio is the figure to trust, not the absolute factors).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

# a --compare worker imports the tree it was started for
sys.path.insert(0, os.environ.get("SFXGEN_BENCH_TREE") or str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from sfxgen.synth import FAMILIES, FAMILY_NAMES, Patch, render  # noqa: E402
from sfxgen.synth.families import RENDERERS  # noqa: E402

TARGET_RTF = 100.0


def family_rtf(family: str, *, patches: int, seed: int = 0) -> dict:
    """Speed of ``patches`` random renders of ``family`` at its default duration.

    Returns audio seconds, wall and CPU seconds of the full ``render`` and CPU seconds of the
    family's dry source alone (the rest is the shared attack/distance/width/room/level chain).
    CPU time (``time.process_time``) is this process's own time, so it stays fair on a busy
    shared machine; wall time is printed too.
    """
    rng = np.random.default_rng([seed, FAMILY_NAMES.index(family)])
    dur = FAMILIES[family].default_duration_s
    n = int(round(dur * 48000))
    # warm the process-wide caches (filter designs, windows, the reverb's shared band noise) with
    # a render of the family's neutral patch at the family's duration, so the first family
    # measured does not pay for them alone
    render(Patch(family), duration_s=dur, seed=0)
    wall = cpu = src = 0.0
    for i in range(patches):
        p = Patch.random(family, rng)
        t0, c0 = time.perf_counter(), time.process_time()
        render(p, duration_s=dur, seed=i)
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
        c1 = time.process_time()
        RENDERERS[family](p.physical(), n=n, sample_rate=48000, rng=np.random.default_rng(i))
        src += time.process_time() - c1
    return {"audio_s": dur * patches, "wall_s": wall, "cpu_s": cpu, "src_cpu_s": src}


def _worker(patches: int) -> int:
    """--worker: read family names from stdin, print one JSON line of family_rtf each."""
    import json

    for line in sys.stdin:
        fam = line.strip()
        if not fam:
            continue
        r = family_rtf(fam, patches=patches) if fam in RENDERERS else None
        print(json.dumps({"family": fam, "result": r}), flush=True)
    return 0


def compare(other: str, fams: list[str], patches: int) -> int:
    """Interleaved A/B speed of this tree and the checkout ``other`` (see module docstring)."""
    import json
    import subprocess

    here = str(Path(__file__).resolve().parents[1])
    procs = {}
    for name, tree in (("this", here), ("other", str(Path(other).resolve()))):
        env = dict(os.environ, SFXGEN_BENCH_TREE=tree, PYTHONPATH=tree, PYTHONDONTWRITEBYTECODE="1")
        procs[name] = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", "--patches",
                                        str(patches)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                       env=env, cwd=tree)
    print(f"# A/B synth speed, one core each, interleaved per family: this tree vs {other}")
    print(f"{'family':18s} {'this':>8s} {'other':>8s} {'ratio':>7s}")
    ratios, rt = [], {"this": {}, "other": {}}
    for i, fam in enumerate(fams):
        order = ("this", "other") if i % 2 == 0 else ("other", "this")
        for name in order:
            procs[name].stdin.write(fam + "\n")
            procs[name].stdin.flush()
            r = json.loads(procs[name].stdout.readline())["result"]
            if r:
                rt[name][fam] = r["audio_s"] / r["cpu_s"]
        if fam in rt["this"] and fam in rt["other"]:
            ratios.append(rt["this"][fam] / rt["other"][fam])
            print(f"{fam:18s} {rt['this'][fam]:7.0f}x {rt['other'][fam]:7.0f}x {ratios[-1]:7.2f}", flush=True)
        else:
            got = rt["this"].get(fam) or rt["other"].get(fam)
            side = "this" if fam in rt["this"] else "other"
            print(f"{fam:18s} only in {side} tree" + (f": {got:.0f}x" if got else ""))
    for p in procs.values():
        p.stdin.close()
        p.wait()
    for name in ("this", "other"):
        v = list(rt[name].values())
        if v:
            slow = min(rt[name], key=rt[name].get)
            print(f"{name}: median {statistics.median(v):.0f}x over {len(v)} families, slowest {slow} "
                  f"{rt[name][slow]:.0f}x")
    if ratios:
        print(f"median ratio this/other over {len(ratios)} shared families: {statistics.median(ratios):.2f}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--patches", type=int, default=3, help="random patches per family (default 3)")
    ap.add_argument("--families", default=None, help="comma-separated subset")
    ap.add_argument("--corpus-n", type=int, default=78, help="clips in the corpus-rate test (0 = skip)")
    ap.add_argument("--workers", type=int, default=None, help="corpus workers (default: all cores)")
    ap.add_argument("--compare", default=None, metavar="DIR",
                    help="another checkout to measure against this one, interleaved (see the docstring)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return _worker(args.patches)

    fams = [f.strip() for f in args.families.split(",")] if args.families else list(FAMILY_NAMES)
    if args.compare:
        return compare(args.compare, fams, args.patches)
    missing = [f for f in fams if f not in RENDERERS]
    fams = [f for f in fams if f in RENDERERS]
    print(f"# synth render speed, one core (OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}), 48 kHz stereo")
    print("# baseline: real time = 1.0x; target: median family >= 100x")
    if missing:
        print(f"# no renderer yet (skipped): {', '.join(missing)}")
    print(f"{'family':18s} {'dur_s':>6s} {'rtf_cpu':>8s} {'rtf_wall':>8s} {'ms/clip':>8s} {'source%':>8s}")
    rtfs, walls, shares = {}, {}, []
    for fam in fams:
        r = family_rtf(fam, patches=args.patches)
        rtfs[fam] = r["audio_s"] / r["cpu_s"]
        walls[fam] = r["audio_s"] / r["wall_s"]
        share = 100 * r["src_cpu_s"] / r["cpu_s"]
        shares.append(share)
        print(f"{fam:18s} {FAMILIES[fam].default_duration_s:6.1f} {rtfs[fam]:7.0f}x {walls[fam]:7.0f}x "
              f"{1000 * r['cpu_s'] / args.patches:8.1f} {share:7.0f}%")
    if not rtfs:
        print("no families to measure")
        return 1
    med = statistics.median(rtfs.values())
    slow = min(rtfs, key=rtfs.get)
    print(f"median real-time factor over {len(rtfs)} families (CPU time, one core): {med:.0f}x real time "
          f"({med / TARGET_RTF:.2f}x the 100x target); wall-clock median {statistics.median(walls.values()):.0f}x; "
          f"slowest: {slow} {rtfs[slow]:.0f}x")
    print(f"dry family source = {statistics.median(shares):.0f}% of render CPU (median); "
          f"the rest is the shared attack/distance/width/room/loudness chain")

    if args.corpus_n > 0:
        from sfxgen.synth.corpus import build_corpus

        import resource

        workers = args.workers or os.cpu_count() or 1

        def cpu_now():
            ch = resource.getrusage(resource.RUSAGE_CHILDREN)
            return time.process_time() + ch.ru_utime + ch.ru_stime

        c0 = cpu_now()
        with tempfile.TemporaryDirectory(prefix="sfxgen-bench-") as tmp:
            rep = build_corpus(tmp, n=args.corpus_n, seed=123, workers=workers, families=fams, progress=False)
        cpu = cpu_now() - c0
        if rep.failed:
            print(f"corpus: {len(rep.failed)} clips failed, e.g. {rep.failed[0]}")
        rate = rep.rendered / rep.seconds
        cpu_rate = workers * rep.rendered / cpu  # clips/s if the workers had their cores to themselves
        print(f"# corpus build: {rep.rendered} clips ({rep.audio_s:.0f} s audio, FLAC 24-bit + captions), "
              f"{workers} workers, {cpu:.0f} CPU-s")
        print(f"corpus rate (wall): {rate:.2f} clips/s = {rep.audio_s / rep.seconds:.0f}x real time; "
              f"projected 20,000 clips: {20000 / rate / 60:.1f} min")
        print(f"corpus rate (CPU, {workers} free cores): {cpu_rate:.2f} clips/s = "
              f"{workers * rep.audio_s / cpu:.0f}x real time; projected 20,000 clips: {20000 / cpu_rate / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
