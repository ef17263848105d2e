"""``sfxgen corpus build|starter`` and ``sfxgen synth render|families|list`` (argument mapping only).

Nothing heavy is imported at module level; each command imports what it needs when it runs.
"""

from __future__ import annotations

import sys


def register(subparsers) -> None:
    corpus = subparsers.add_parser("corpus", help="render synthetic caption corpora and the starter library")
    csub = corpus.add_subparsers(dest="corpus_command", metavar="SUBCOMMAND")
    b = csub.add_parser("build", help="render N captioned clips (balanced over families) into DIR; resumable")
    b.add_argument("--n", type=int, required=True, help="number of clips")
    b.add_argument("--out", required=True, help="output folder (clips/, captions.jsonl)")
    b.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    b.add_argument("--workers", type=int, default=None, help="parallel processes (default: all cores)")
    b.add_argument("--format", dest="fmt", choices=("flac", "wav"), default="flac", help="clip format (48 kHz/24-bit)")
    b.add_argument("--features", action="store_true", help="also save 16 kHz log-mel .npy (64 mels, 10 ms hop)")
    b.add_argument("--no-audio", action="store_true", help="write features only (needs --features)")
    b.add_argument("--families", default=None, help="comma-separated subset of families (default: all)")
    b.add_argument("--captions", type=int, default=5, help="captions per clip (default 5)")
    b.add_argument("--max-duration", type=float, default=None,
                   help="seconds: draw clip durations log-uniformly from 0.75x the family default up to this "
                        "(default: the family default ±25%%)")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.set_defaults(func=_corpus_build)
    s = csub.add_parser("starter", help="write a starter library of UCS-named WAVs with bext descriptions")
    s.add_argument("--out", required=True, help="output folder")
    s.add_argument("--n", type=int, default=300, help="number of clips (default 300)")
    s.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    s.add_argument("--workers", type=int, default=None, help="parallel processes (default: all cores)")
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    s.set_defaults(func=_corpus_starter)
    corpus.set_defaults(func=lambda args: (corpus.print_help(), 0)[1])

    synth = subparsers.add_parser("synth", help="audition the procedural synth")
    ssub = synth.add_subparsers(dest="synth_command", metavar="SUBCOMMAND")
    r = ssub.add_parser("render", help="render one patch of FAMILY to a WAV/FLAC file")
    r.add_argument("family", help="sound family (see `sfxgen synth families`)")
    r.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="normalised parameter in [-1, 1] by common or family aux name (repeatable)")
    r.add_argument("--duration", type=float, default=None, help="seconds (default: the family's default)")
    r.add_argument("--seed", type=int, default=0, help="render seed (default 0)")
    r.add_argument("--out", required=True, help="output file (.wav or .flac), 48 kHz/24-bit")
    r.add_argument("--sample-rate", type=int, default=48000, help="sample rate in Hz (default 48000)")
    r.set_defaults(func=_synth_render)
    f = ssub.add_parser("families", help="list families with their UCS CatID and aux parameters")
    f.set_defaults(func=_synth_families)
    ls = ssub.add_parser("list", help="list families with their parameters (names, units, ranges, docs)")
    ls.add_argument("family", nargs="?", default=None, help="one family (default: all)")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=_synth_list)
    synth.set_defaults(func=lambda args: (synth.print_help(), 0)[1])


def _families_arg(text):
    if not text:
        return None
    return [t.strip() for t in text.split(",") if t.strip()]


def _print_report(report, what: str) -> int:
    print(f"{what}: {report.total} clips in {report.manifest} — rendered {report.rendered}, "
          f"reused {report.reused}, failed {len(report.failed)} ({report.seconds:.1f} s"
          + (f", {report.audio_s / report.seconds:.0f}x real time" if report.rendered and report.seconds > 0 else "")
          + ")")
    for path, problem in report.failed:
        print(f"  failed: {path}: {problem}", file=sys.stderr)
    return 1 if report.failed else 0


def _corpus_build(args) -> int:
    from sfxgen.synth.corpus import build_corpus

    report = build_corpus(
        args.out, n=args.n, seed=args.seed, workers=args.workers, fmt=args.fmt, features=args.features,
        audio=not args.no_audio, families=_families_arg(args.families), n_captions=args.captions,
        progress=not args.no_progress, max_duration_s=args.max_duration,
    )
    return _print_report(report, "corpus")


def _corpus_starter(args) -> int:
    from sfxgen.synth.corpus import build_starter

    report = build_starter(args.out, n=args.n, seed=args.seed, workers=args.workers, progress=not args.no_progress)
    return _print_report(report, "starter library")


def parse_params(items: list[str]) -> dict[str, float]:
    """``["size=0.8", "ring=-1"]`` -> ``{"size": 0.8, "ring": -1.0}`` (values must be in [-1, 1])."""
    from sfxgen.errors import ParameterError

    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param needs NAME=VALUE, got {item!r}")
        try:
            v = float(value)
        except ValueError:
            raise ParameterError(f"--param {name}: {value!r} is not a number") from None
        if not -1.0 <= v <= 1.0:
            raise ParameterError(f"--param {name}={v}: normalised values lie in [-1, 1]")
        out[name.strip()] = v
    return out


def _synth_render(args) -> int:
    from pathlib import Path

    from sfxgen.audio import write_audio
    from sfxgen.errors import ParameterError
    from sfxgen.synth import FAMILIES, Patch, render
    from sfxgen.synth.captions import caption_patch

    if args.family not in FAMILIES:
        raise ParameterError(f"unknown sound family {args.family!r}; see `sfxgen synth families`")
    patch = Patch(args.family).with_params(**parse_params(args.param))
    dur = args.duration if args.duration is not None else FAMILIES[args.family].default_duration_s
    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("wav", "flac"):
        raise ParameterError(f"{out}: output must end in .wav or .flac")
    audio = render(patch, duration_s=dur, sample_rate=args.sample_rate, seed=args.seed)
    write_audio(out, audio, args.sample_rate, bit_depth=24, fmt=fmt)
    caps = caption_patch(patch, n=3, seed=args.seed, duration_s=dur)
    print(f"{out} ({dur:.2f} s, {args.family}, UCS {caps.ucs})")
    for c in caps.captions:
        print(f"  - {c}")
    return 0


def _synth_families(args) -> int:
    from sfxgen.synth.patch import FAMILY_LIST

    for f in FAMILY_LIST:
        print(f"{f.name:16s} {f.ucs:10s} {f.kind:8s} {f.default_duration_s:4.1f}s  aux: {', '.join(f.aux) or '-'}")
    return 0


def _synth_list(args) -> int:
    import json

    from sfxgen.service import SfxgenService

    fams = SfxgenService.families(args.family)
    if args.json:
        print(json.dumps(fams, indent=2))
        return 0
    print("# parameters are set as normalised values in [-1, 1] (--param NAME=VALUE); the ranges are their "
          "physical ends (-1 .. +1)")
    for f in fams:
        roles = ", ".join(f["design_roles"]) or "-"
        print(f"{f['name']}  ({f['noun']}; {f['kind']}, {f['default_duration_s']:g} s, UCS {f['ucs']}, "
              f"category {f['category'] or '-'}, design roles {roles})")
        if f["rate_doc"]:
            print(f"    rate: {f['rate_doc']}")
        for p in f["params"]:
            print(f"    {p['name']:18s} {p['range']:28s} {p['doc']}")
        if f["presets"]:
            print(f"    presets: {', '.join(f['presets'])}")
    return 0


__all__ = ["parse_params", "register"]
