"""Peak memory of ``qc_file`` (issue #17 part 6: QC of an upload must not grow with its length).

    python bench/qc_memory.py [--minutes 2 10] [--rate 48000] [--channels 2]

Writes one FLAC per length (24-bit noise with a slow swell, a clipped run and a quiet gap, so
every check has work) in a temp folder, then runs ``qc_file`` on each in a fresh process and
prints the tracemalloc peak (Python allocations, numpy buffers included) and the process's peak
RSS growth over start-up (``ru_maxrss`` after minus before the call), per length and the ratio to
the shortest file. ``SFXGEN_MEMORY_BUDGET_MB`` is raised to 1e6 so an in-memory QC (older code)
is measured instead of refused. Numbers are reported, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, resource, sys, time, tracemalloc
from sfxgen.qc import qc_file
import scipy.signal, scipy.fft, soundfile  # imported before the baseline
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
t = time.perf_counter()
r = qc_file(sys.argv[1])
dt = time.perf_counter() - t
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"traced_mb": peak / 2**20, "rss_growth_mb": (rss1 - rss0) / 1024, "s": dt, "passed": r.passed}))
"""


def _write(path: Path, minutes: float, rate: int, channels: int) -> None:
    import numpy as np
    import soundfile as sf

    rng = np.random.default_rng(0)
    n = int(minutes * 60 * rate)
    block = rate * 10
    with sf.SoundFile(str(path), "w", rate, channels, subtype="PCM_24", format="FLAC") as f:
        for s0 in range(0, n, block):
            m = min(block, n - s0)
            t = (s0 + np.arange(m)) / rate
            x = 0.2 * rng.standard_normal((m, channels)) * (0.6 + 0.4 * np.sin(2 * np.pi * 0.05 * t))[:, None]
            f.write(x.astype(np.float32))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, nargs="+", default=[2.0, 10.0])
    ap.add_argument("--rate", type=int, default=48000)
    ap.add_argument("--channels", type=int, default=2)
    a = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", "SFXGEN_MEMORY_BUDGET_MB": "1000000"}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for minutes in a.minutes:
            p = Path(tmp) / f"qc_{minutes:g}min.flac"
            _write(p, minutes, a.rate, a.channels)
            out = subprocess.run([sys.executable, "-c", _CHILD, str(p)], capture_output=True, text=True, env=env,
                                 cwd=ROOT)
            if out.returncode:
                print(f"{minutes:g} min: failed: {out.stderr.strip().splitlines()[-1]}")
                continue
            rows.append((minutes, json.loads(out.stdout.strip().splitlines()[-1])))
    base = rows[0][1] if rows else None
    print(f"qc_file, {a.rate} Hz {a.channels} ch FLAC")
    for minutes, r in rows:
        print(f"{minutes:6g} min  traced peak {r['traced_mb']:8.1f} MB (x{r['traced_mb'] / base['traced_mb']:.2f})"
              f"  RSS growth {r['rss_growth_mb']:8.1f} MB  {r['s']:6.1f} s")


if __name__ == "__main__":
    main()
