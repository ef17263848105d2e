"""Meter throughput: sfxgen.loudness.measure (I + LRA + M/S max + sample + true peak) on 10 min of
stereo 48 kHz noise, against pyebur128 (libebur128: I + LRA + true peak) and pyloudnorm
(integrated loudness only: it has no true peak and its LRA is far slower), measured in the same
run on the same signal. Prints seconds, x real time and ratios (>1 = sfxgen faster).

    OMP_NUM_THREADS=1 python bench/loudness.py [--minutes 10] [--repeats 3]

Best of ``--repeats`` runs is reported for each meter.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _best(fn, repeats: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    from sfxgen.loudness import measure

    fs = 48000
    n = int(args.minutes * 60 * fs)
    rng = np.random.default_rng(args.seed)
    audio = (0.1 * rng.standard_normal((2, n))).astype(np.float32)
    seconds = n / fs
    rows = []

    t_ours, r = _best(lambda: measure(audio, fs), args.repeats)
    rows.append(("sfxgen measure (I+LRA+M/S+SP+TP)", t_ours, f"I {r.integrated_lufs:.2f}, LRA {r.lra_lu:.2f}, "
                                                              f"TP {r.true_peak_dbtp:.2f}"))

    ebu = None
    try:
        import pyebur128

        interleaved = np.ascontiguousarray(audio.T).reshape(-1).astype(np.float64)

        def run_ebur128():
            mode = pyebur128.MeasurementMode
            st = pyebur128.R128State(2, fs, mode.MODE_I | mode.MODE_LRA | mode.MODE_TRUE_PEAK)
            st.add_frames(interleaved, n)
            return (pyebur128.get_loudness_global(st), pyebur128.get_loudness_range(st),
                    20 * np.log10(max(pyebur128.get_true_peak(st, c) for c in range(2))))

        ebu, res = _best(run_ebur128, args.repeats)
        rows.append(("pyebur128 / libebur128 (I+LRA+TP)", ebu, f"I {res[0]:.2f}, LRA {res[1]:.2f}, TP {res[2]:.2f}"))
    except ImportError:
        print("pyebur128 not installed: no libebur128 baseline")

    pln = None
    try:
        import pyloudnorm

        meter = pyloudnorm.Meter(fs)
        data = np.ascontiguousarray(audio.T, dtype=np.float64)
        pln, res = _best(lambda: meter.integrated_loudness(data), args.repeats)
        rows.append(("pyloudnorm (integrated only)", pln, f"I {res:.2f}"))
    except ImportError:
        print("pyloudnorm not installed: no pyloudnorm baseline")

    print(f"{args.minutes:g} min stereo 48 kHz noise, best of {args.repeats}")
    for name, t, what in rows:
        print(f"  {name:38} {t:7.3f} s  {seconds / t:8.1f}x real time   {what}")
    if ebu:
        print(f"  sfxgen vs libebur128 (I+LRA+TP):     {ebu / t_ours:.2f}x faster")
    if pln:
        print(f"  sfxgen (all figures) vs pyloudnorm (I only): {pln / t_ours:.2f}x faster")
    if ebu and ebu / t_ours < 1.0:
        print("  note: slower than libebur128 on this machine")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
