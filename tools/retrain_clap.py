#!/usr/bin/env python3
"""Retrain sfxgen-clap-small on the current procedural engine and real corpora, then refit search.

One command for the whole chain, so the model can be retrained whenever the engine gains families:

    python tools/retrain_clap.py                 # everything, into models/sfxgen-clap-small
    python tools/retrain_clap.py --dry-run       # print the five commands only

Steps (each a ``python -m sfxgen`` command, printed before it runs):

1. procedural corpora of the *current* family registry (``sfxgen corpus build``: 3,500
   natural-length clips and 3,500 clips up to 5 s, the v4 recipe), in cache folders named by a
   hash of the family list, so new families mean fresh corpora and unchanged families reuse them;
2. ``sfxgen train clap`` with the v4 recipe (model card), plus ``--extra-manifest`` for the extra
   real packages when ``~/.cache/sfxgen/extracorpus/manifest.csv`` exists (``--no-extra`` to skip);
3. ``sfxgen eval retrieval`` on the held-out packages;
4. ``sfxgen train relevance``: refits the search fusion and score calibration for the new model
   id (``sfxgen/data/relevance.json``) and prints the leave-one-package-out table.

Long: ~30 min corpus building (2 workers) and ~20-40 min features + training on 2 shared cores.
Run it under ``nice``.
"""

from __future__ import annotations

import argparse
import hashlib
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: (clips, seed, max duration s or None, folder suffix): the v4 procedural corpora (~35 natural-length
#: and ~35 long renders per family of the 99-family engine; v3 had 10,800 clips of 39 families).
CORPORA = ((3500, 11, None, "synth_clap6k"), (3500, 21, 5.0, "synth_clap_long"))
TRAIN_ARGS = ("--synth-fraction 0.5 --arch stats --frozen-text --caption-templates --synth-family-captions "
              "--trim-tail-db 60 --steps 1600 --batch-size 128 --lr 1e-3 --weight-decay 0.05 --crop-s 5 "
              "--clean-fraction 0.25 --threads 1 --seed 0").split()


def family_tag() -> str:
    """Short hash of the registered family names (new families -> new corpus folders)."""
    from sfxgen.synth.patch import FAMILIES

    return hashlib.sha1(",".join(sorted(FAMILIES)).encode()).hexdigest()[:8]


def plan(*, cache: Path, out: Path, extra: bool, run_dir: Path) -> list[list[str]]:
    """The commands of one retraining, in order."""
    py = [sys.executable, "-m", "sfxgen"]
    tag = family_tag()
    manifest, corpus = cache / "manifest.csv", cache / "devcorpus"
    cmds, synth = [], []
    for n, seed, max_s, name in CORPORA:
        d = cache / f"{name}_{tag}"
        synth += ["--synth", str(d)]
        cmd = py + ["corpus", "build", "--n", str(n), "--seed", str(seed), "--out", str(d), "--no-progress"]
        cmds.append(cmd + (["--max-duration", str(max_s)] if max_s else []))
    extra_args = []
    extra_manifest = cache / "extracorpus" / "manifest.csv"
    if extra and extra_manifest.is_file():
        extra_args = ["--extra-manifest", str(extra_manifest)]
    cmds.append(py + ["train", "clap", "--manifest", str(manifest), "--corpus", str(corpus), *synth, *extra_args,
                      *TRAIN_ARGS, "--quiet", "--run-dir", str(run_dir), "--out", str(out)])
    cmds.append(py + ["eval", "retrieval", "--corpus", str(corpus), "--manifest", str(manifest), "--model", str(out),
                      "--quiet"])
    cmds.append(py + ["train", "relevance", "--corpus", str(corpus), "--manifest", str(manifest), "--model", str(out),
                      "--index", str(cache / f"relevance_index_{tag}"), "--quiet"])
    return cmds


def main(argv=None) -> int:
    from sfxgen.paths import cache_dir, models_dir

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(models_dir() / "sfxgen-clap-small"), help="model folder to write")
    ap.add_argument("--cache", default=str(cache_dir()), help="folder with devcorpus/, manifest.csv, extracorpus/")
    ap.add_argument("--run-dir", default=None, help="checkpoint folder (default CACHE/runs/clap_<family tag>)")
    ap.add_argument("--no-extra", action="store_true", help="train without the extra real packages")
    ap.add_argument("--dry-run", action="store_true", help="print the commands, run nothing")
    args = ap.parse_args(argv)
    cache = Path(args.cache).expanduser()
    run_dir = Path(args.run_dir) if args.run_dir else cache / "runs" / f"clap_{family_tag()}"
    for cmd in plan(cache=cache, out=Path(args.out), extra=not args.no_extra, run_dir=run_dir):
        print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
        if not args.dry_run:
            subprocess.run(cmd, check=True, cwd=ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
