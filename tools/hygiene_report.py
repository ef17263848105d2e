"""Sound hygiene of every family's renders, and their envelopes next to real recordings.

For each family this renders its neutral patch, the all -1 and all +1 corners and ``--patches``
random patches (seeded, the family's default duration, 48 kHz) and measures

* ``sub20_db``: energy under 20 Hz relative to the total (target <= -30 dB),
* ``mono_loss_db``: mono-downmix loudness loss as QC measures it (target <= 1 dB),
* ``end_db``: level of the last 50 ms relative to the loudest 50 ms (a hard stop reads near 0;
  target <= -20 dB: the render ends in its own decay or a fade),
* ``attack_s`` / ``decay_s``: clip envelope times (:func:`sfxgen.dsp.analysis.envelope_times_s`).

With ``--natural`` the patches are the family's neutral patch, its presets and random patches with
the attack, decay, space and distance slots held at :data:`NATURAL` (the family's intrinsic
envelope, nearly dry and close, as most game recordings are), for the comparison with real clips.

It prints the median and the worst value per family and, with ``--real``, the attack/decay
distribution (10/50/90 %) of the development corpus per category next to the renders of the
families mapped to that category (``Family.category``). ``--json`` writes everything.

    OMP_NUM_THREADS=1 python tools/hygiene_report.py [--patches 6] [--real] [--natural] [--json out.json]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import zlib  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

SR = 48000
CACHE = Path(os.environ.get("SFXGEN_CACHE", Path.home() / ".cache" / "sfxgen"))


def measure(audio: np.ndarray, sr: int) -> dict:
    """The hygiene and envelope figures of one clip (see module docstring)."""
    from sfxgen.dsp.analysis import band_energy_db, end_level_db, envelope_times_s
    from sfxgen.qc import mono_downmix_loss_db

    attack, decay = envelope_times_s(audio, sr)
    loss = mono_downmix_loss_db(audio, sr) if audio.shape[0] == 2 else 0.0
    return {"sub20_db": band_energy_db(audio, sr, below_hz=20.0),
            "mono_loss_db": None if loss is None else min(loss, 99.0),
            "end_db": end_level_db(audio, sr), "attack_s": attack, "decay_s": decay}


def family_patches(family: str, k: int):
    """(label, Patch) pairs: neutral, all -1, all +1 and ``k`` random patches."""
    from sfxgen.synth import N_PARAMS, Patch

    out = [("neutral", Patch(family)), ("all-1", Patch(family, -np.ones(N_PARAMS))),
           ("all+1", Patch(family, np.ones(N_PARAMS)))]
    rng = np.random.default_rng([11, zlib.crc32(family.encode())])
    out += [(f"random{i}", Patch.random(family, rng)) for i in range(k)]
    return out


NATURAL = dict(attack=0.0, decay=0.0, space=-0.6, distance=-0.5)
"""The envelope and room slots of ``--natural`` patches: the family's own attack and decay,
nearly dry and close (as most game recordings are)."""


def natural_patches(family: str, k: int):
    """(label, Patch) pairs for the family's intrinsic envelope: neutral, its presets and ``k``
    random patches, each with :data:`NATURAL` envelope and room slots."""
    from sfxgen.synth import FAMILIES, Patch

    fam = FAMILIES[family]
    out = [("neutral", Patch(family).with_params(**NATURAL))]
    out += [(name, Patch(family).with_params(**{**values, **NATURAL})) for name, values in fam.presets.items()]
    rng = np.random.default_rng([12, zlib.crc32(family.encode())])
    out += [(f"random{i}", Patch.random(family, rng).with_params(**NATURAL)) for i in range(k)]
    return out


def family_report(family: str, k: int, natural: bool = False) -> dict:
    from sfxgen.synth import FAMILIES, render

    dur = FAMILIES[family].default_duration_s
    rows = []
    pats = natural_patches(family, k) if natural else family_patches(family, k)
    for i, (label, p) in enumerate(pats):
        a = render(p, duration_s=dur, sample_rate=SR, seed=i)
        rows.append({"patch": label, **measure(a, SR)})
    return {"family": family, "duration_s": dur, "renders": rows}


def real_envelopes(max_per_category: int = 40) -> dict[str, list[dict]]:
    """Attack/decay (and hygiene) of up to ``max_per_category`` dev-corpus clips per category."""
    from sfxgen.audio import read_audio

    manifest = CACHE / "manifest.csv"
    rows = [r for r in csv.DictReader(open(manifest)) if r["category"] and not r.get("decode_error")]
    rng = np.random.default_rng(0)
    out: dict[str, list[dict]] = {}
    for cat in sorted({r["category"] for r in rows}):
        clips = [r for r in rows if r["category"] == cat and 0.1 <= float(r["duration_s"]) <= 30.0]
        pick = rng.permutation(len(clips))[:max_per_category]
        for j in pick:
            try:
                audio, sr = read_audio(CACHE / "devcorpus" / clips[j]["path"], sample_rate=SR)
                out.setdefault(cat, []).append(measure(audio, sr))
            except Exception:  # a clip the reader refuses is skipped (reported by the corpus tools)
                continue
    return out


def _q(vals, q):
    v = [x for x in vals if x is not None and np.isfinite(x)]
    return float(np.percentile(v, q)) if v else float("nan")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--patches", type=int, default=6, help="random patches per family (default 6)")
    ap.add_argument("--families", default=None, help="comma-separated subset")
    ap.add_argument("--real", action="store_true", help="also measure the dev corpus per category")
    ap.add_argument("--json", default=None, help="write all figures to this JSON file")
    ap.add_argument("--natural", action="store_true",
                    help="render each family's own envelope (neutral, presets, random patches with attack, "
                         "decay, space and distance held at NATURAL) instead of the corners and random patches")
    args = ap.parse_args(argv)
    from sfxgen.synth import FAMILIES, FAMILY_NAMES

    fams = args.families.split(",") if args.families else list(FAMILY_NAMES)
    reports = []
    print(f"{'family':18s} {'sub20 med/worst dB':>19s} {'mono loss med/worst':>20s} {'end med/worst dB':>17s}"
          f" {'attack s':>9s} {'decay s':>8s}")
    fails = {"sub20": 0, "mono": 0, "end": 0}
    for fam in fams:
        r = family_report(fam, args.patches, natural=args.natural)
        reports.append(r)
        rs = r["renders"]
        sub = [x["sub20_db"] for x in rs]
        mono = [x["mono_loss_db"] for x in rs if x["mono_loss_db"] is not None]
        end = [x["end_db"] for x in rs]
        fails["sub20"] += sum(v > -30 for v in sub)
        fails["mono"] += sum(v > 1.0 for v in mono)
        fails["end"] += sum(v > -20 for v in end)
        print(f"{fam:18s} {np.median(sub):8.1f} /{max(sub):7.1f}   {np.median(mono):8.2f} /{max(mono):7.2f}   "
              f"{np.median(end):7.1f} /{max(end):6.1f}  {_q([x['attack_s'] for x in rs], 50):8.3f}"
              f" {_q([x['decay_s'] for x in rs], 50):8.3f}", flush=True)
    n = sum(len(r["renders"]) for r in reports)
    print(f"renders over the limit (of {n}): sub20 > -30 dB: {fails['sub20']}, mono loss > 1 dB: {fails['mono']}, "
          f"end > -20 dB: {fails['end']}")
    out = {"families": reports}
    if args.real:
        real = real_envelopes()
        out["real"] = real
        print("\n# attack / decay (s), 10/50/90 %: real dev-corpus clips vs renders of the mapped families")
        print(f"{'category':12s} {'n':>4s} {'real attack':>20s} {'render attack':>20s} {'real decay':>20s} "
              f"{'render decay':>20s}  families")
        for cat, clips in sorted(real.items()):
            mapped = [r for r in reports if FAMILIES[r["family"]].category == cat]
            ren = [x for r in mapped for x in r["renders"]]
            def trip(rows, key):
                return "/".join(f"{_q([x[key] for x in rows], q):.2f}" for q in (10, 50, 90)) if rows else "-"
            print(f"{cat:12s} {len(clips):4d} {trip(clips, 'attack_s'):>20s} {trip(ren, 'attack_s'):>20s} "
                  f"{trip(clips, 'decay_s'):>20s} {trip(ren, 'decay_s'):>20s}  "
                  f"{', '.join(r['family'] for r in mapped) or '-'}")
            print(f"{'':12s} real hygiene: sub20 med {_q([x['sub20_db'] for x in clips], 50):.1f} dB, "
                  f"mono loss med {_q([x['mono_loss_db'] for x in clips], 50):.2f} dB, "
                  f"end med {_q([x['end_db'] for x in clips], 50):.1f} dB")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
