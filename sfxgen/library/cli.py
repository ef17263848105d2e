"""``sfxgen index``, ``sfxgen search`` and ``sfxgen similar``: argument mapping onto
:class:`sfxgen.library.Library` (nothing heavy imported until a command runs)."""

from __future__ import annotations

import argparse
import json
import sys


def _add_index_opt(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", metavar="DIR", default=None, help="index folder (default: library_index/ or $SFXGEN_INDEX_DIR)")
    p.add_argument("--model", default=None, help="audio/text embedding model (default: sfxgen-clap-small)")


def _add_filters(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters")
    g.add_argument("--min-duration", type=float, default=None, metavar="S", help="shortest duration in seconds")
    g.add_argument("--max-duration", type=float, default=None, metavar="S", help="longest duration in seconds")
    g.add_argument("--channels", type=int, default=None, help="channel count, e.g. 1 or 2")
    g.add_argument("--sample-rate", type=int, default=None, metavar="HZ", help="sample rate in Hz, e.g. 48000")
    g.add_argument("--category", default=None, help="UCS category, subcategory or CatID (e.g. DOORS, DOORWood)")
    g.add_argument("--path", dest="path_glob", default=None, metavar="GLOB", help="path pattern, e.g. '*/Foley/*'")


def register(subparsers) -> None:
    p = subparsers.add_parser("index", help="scan a sound library and build/update its search index",
                              description="Recursively index audio files (WAV/BWF/RF64/AIFF/FLAC/OGG/Opus/MP3). "
                                          "Re-running only embeds new or changed files and drops vanished ones.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to index")
    _add_index_opt(p)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--workers", type=int, default=2, help="threads that decode files and embed batches (default 2)")
    p.add_argument("--max-file-mb", type=float, default=4096.0, help="files larger than this are refused (default 4096)")
    p.add_argument("--batch-size", type=int, default=128, help="files per embedding batch / catalogue commit (default 128)")
    p.add_argument("--analysis-seconds", type=float, default=30.0, help="seconds decoded per file for embedding/levels (default 30)")
    p.add_argument("--approx-threshold", type=int, default=None, help="vector count above which an approximate (IVF) index is used")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=cmd_index)

    p = subparsers.add_parser("search", help="find library sounds by description",
                              description="Search the library index by text. Modes: hybrid (default; audio + metadata), "
                                          "audio (audio embeddings only), meta (file names, UCS, descriptions, tags).")
    p.add_argument("text", help="what you are looking for, e.g. 'heavy wooden door slam'")
    _add_index_opt(p)
    p.add_argument("--top", type=int, default=10, metavar="K", help="number of results (default 10)")
    p.add_argument("--mode", choices=("hybrid", "audio", "meta", "lexical"), default="hybrid",
                   help="hybrid (default), audio, meta (names/descriptions: full text + sentence vectors), lexical (full text only)")
    p.add_argument("--json", action="store_true", help="print results as a JSON list")
    _add_filters(p)
    p.set_defaults(func=cmd_search)

    p = subparsers.add_parser("similar", help="find library sounds that sound like a file (query by example)")
    p.add_argument("query", metavar="FILE|ID", help="an audio file (indexed or not) or a catalogue id")
    _add_index_opt(p)
    p.add_argument("--top", type=int, default=10, metavar="K")
    p.add_argument("--mode", choices=("audio", "hybrid"), default="audio")
    p.add_argument("--json", action="store_true")
    _add_filters(p)
    p.set_defaults(func=cmd_similar)


def _open(args, *, create: bool):
    import os

    # decode threads run beside torch: a spinning OpenMP pool would steal their cores
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from sfxgen.library import Library

    kw = {}
    if getattr(args, "approx_threshold", None):
        kw["approx_threshold"] = args.approx_threshold
    lib = Library.open(args.index, create=create, model=args.model, **kw)
    if lib.notice:
        print(lib.notice, file=sys.stderr)
    return lib


def _filters(args):
    from sfxgen.library import SearchFilters

    return SearchFilters(min_duration_s=args.min_duration, max_duration_s=args.max_duration, channels=args.channels,
                         sample_rate=args.sample_rate, category=args.category, path_glob=args.path_glob)


def cmd_index(args) -> int:
    from sfxgen.library import IndexConfig

    cfg = IndexConfig(workers=args.workers, batch_size=args.batch_size, max_file_mb=args.max_file_mb, analysis_max_s=args.analysis_seconds)
    with _open(args, create=True) as lib:
        summary = lib.index(args.paths, progress=not args.no_progress and not args.json, config=cfg)
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        print(f"indexed {summary.indexed}, unchanged {summary.unchanged}, removed {summary.removed}, "
              f"renamed {summary.renamed}, failed {len(summary.failed)} "
              f"({summary.elapsed_s:.1f} s, {summary.audio_embedded} clips embedded)")
        if summary.failed:
            print(f"{len(summary.failed)} file(s) could not be indexed:", file=sys.stderr)
            for f in summary.failed:
                print(f"  {f.path}: {f.error}", file=sys.stderr)
    return 1 if summary.failed else 0


def _print_hits(hits, as_json: bool, notes=()) -> None:
    if as_json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False))
        return
    if notes:
        print("understood: " + "; ".join(notes))
    if not hits:
        print("no matches")
        return
    print("  #  relevance  duration  file")
    for rank, h in enumerate(hits, 1):
        dur = f"{h.duration_s:6.2f}s" if h.duration_s is not None else "    ? "
        cat = f" [{h.category}/{h.subcategory}]" if h.category else ""
        dup = f" (+{len(h.duplicates)} identical)" if h.duplicates else ""
        print(f"{rank:3d}. {h.score:9.2f}  {dur}  {h.path}{cat}{dup}  #{h.id}")


def cmd_search(args) -> int:
    with _open(args, create=False) as lib:
        outcome = lib.search_detailed(args.text, top_k=args.top, mode=args.mode, filters=_filters(args))
    _print_hits(outcome.hits, args.json, outcome.query.notes)
    return 0


def cmd_similar(args) -> int:
    with _open(args, create=False) as lib:
        hits = lib.similar(args.query, top_k=args.top, mode=args.mode, filters=_filters(args))
    _print_hits(hits, args.json)
    return 0
