"""CLI: ``sfxgen design`` (prompt → layered, mastered stems) and ``sfxgen render`` (replay a recipe)."""

from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("design", help="design a layered, mastered effect from a prompt and export stems")
    from sfxgen.generate.base import MAX_PROMPT_CHARS

    p.add_argument("prompt", help='what the effect is, e.g. "rusty spaceship door opening in a vast cavern" '
                                  f'(at most {MAX_PROMPT_CHARS} characters)')
    p.add_argument("--out", required=True, help="output folder for the delivery package")
    p.add_argument("--preset", default="ebu-r128", help="delivery preset (see `sfxgen presets`)")
    p.add_argument("--layers", type=int, default=3, help="supporting layers besides the hero (0-6, default 3)")
    p.add_argument("--index", default=None, help="library index folder (default: library_index/ when it exists)")
    p.add_argument("--no-library", action="store_true", help="use synthesised sweeteners only")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--variations", type=int, default=1, help="round-robin variations NAME_01.wav ... (game packs)")
    p.add_argument("--duration", type=float, default=None, help="hero duration in seconds (default: natural length)")
    p.add_argument("--model", default=None, help="hero model folder (default: embedded sfxgen-hero-small)")
    p.add_argument("--name", default=None, help="base file name (default: from the prompt)")
    p.add_argument("--stems", choices=("post-master", "pre-master"), default="post-master",
                   help="post-master (default): stems carry the master gain and limiter, so they sum to the "
                        "delivered mix; pre-master: stems before the master stage")
    p.add_argument("--no-picture", action="store_true", help="skip the package picture (PNG): faster")
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")
    p.set_defaults(func=_design)

    r = sub.add_parser("render", help="render a recipe.json again (bit-identical) and export its package")
    r.add_argument("recipe", help="recipe.json written by `sfxgen design` or the UI")
    r.add_argument("--out", required=True, help="output folder")
    r.add_argument("--stems", choices=("post-master", "pre-master"), default="post-master",
                   help="post-master (default) or pre-master stems")
    r.add_argument("--library-root", action="append", default=[], metavar="DIR",
                   help="where the recipe's library files are on this machine (repeatable); files are found "
                        "by their path relative to the library root and checked by content hash")
    r.add_argument("--index", default=None, help="library index folder (its files may be read)")
    r.add_argument("--json", action="store_true", help="print the manifest as JSON")
    r.set_defaults(func=_render)


def _design(args) -> int:
    from pathlib import Path

    from sfxgen.errors import ParameterError
    from sfxgen.generate.base import check_prompt
    from sfxgen.library.catalog import Catalog
    from sfxgen.service import SfxgenService

    check_prompt(args.prompt)  # before any model loads
    if args.index and not args.no_library and not (Path(args.index) / Catalog.FILENAME).exists():
        raise ParameterError(f"{args.index}: no library index here (build one with `sfxgen index PATH --index {args.index}`)")
    service = SfxgenService(index_dir=args.index, default_model=args.model)
    job = service.design_job(args.prompt, args.out, preset=args.preset, layers=args.layers, seed=args.seed,
                             variations=args.variations, duration_s=args.duration, use_library=not args.no_library,
                             name=args.name, stems=args.stems, picture=not args.no_picture)
    library = job.library
    if args.json:
        print(json.dumps(job.to_dict(), indent=2))
    else:
        for v in job.variations:
            lo = v["loudness"]
            print(f"{v['mix']}  ({lo['integrated_lufs']:.1f} LUFS, {lo['true_peak_dbtp']:.1f} dBTP, "
                  f"QC {'pass' if v['qc_passed'] else 'FAIL'})")
            for stem in v["stems"].values():
                print(f"  {stem}")
            print(f"  {v['recipe']}\n  {v['qc_txt']}")
        for rr in job.round_robin:
            print(rr)
        if library is None:
            print("note: no library index: supporting layers were synthesised", file=sys.stderr)
    return 0


def _render(args) -> int:
    from pathlib import Path

    from sfxgen.errors import RecipeError
    from sfxgen.service import SfxgenService

    path = Path(args.recipe)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecipeError(f"{path}: cannot read the recipe ({exc})") from None
    svc = SfxgenService(index_dir=args.index, library_roots=args.library_root)
    manifest = svc.export(text, out_dir=args.out, stems=args.stems, library_root=args.library_root,
                          job_dir=path.resolve().parent).manifest
    if args.json:
        print(json.dumps(manifest, indent=2))
    else:
        print(manifest["mix"])
        for stem in manifest["stems"].values():
            print(f"  {stem}")
    return 0
