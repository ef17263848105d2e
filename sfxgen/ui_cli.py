"""``sfxgen ui`` (serve the web UI) and ``sfxgen demo`` (the main job: first-run starter library,
then the UI). Argument mapping only; gradio, torch and the models load when the command runs.
"""

from __future__ import annotations

import argparse
import os
import sys


def _auth(text: str):
    if text is None:
        return None
    user, sep, password = str(text).partition(":")
    if not sep or not user or not password:
        raise argparse.ArgumentTypeError("--auth must look like USER:PASS")
    return (user, password)


def _add_serve_args(p: argparse.ArgumentParser, *, out_default: str | None) -> None:
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only; 0.0.0.0 exposes it)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--library", action="append", default=[], metavar="PATH",
                   help="sound library folder to index (incrementally) and serve; repeatable")
    p.add_argument("--index", default=None, metavar="DIR", help="library index folder (default: library_index/)")
    p.add_argument("--auth", type=_auth, default=None, metavar="USER:PASS", help="require this login")
    p.add_argument("--model", default=None, help="hero model (default: the embedded sfxgen-hero-small)")
    p.add_argument("--out", default=out_default, metavar="DIR",
                   help="folder for per-request outputs (default: a temporary folder)")
    p.add_argument("--no-starter", action="store_true",
                   help="do not write and index the starter library when the index is empty")
    p.add_argument("--starter-size", type=int, default=300, help="clips in the starter library (default 300)")
    p.add_argument("--max-file-size", default="200mb", help="upload size limit (default 200mb)")
    p.add_argument("--gen-concurrency", type=int, default=1,
                   help="generation/render jobs run at once (default 1; others queue)")
    p.add_argument("--search-concurrency", type=int, default=4, help="searches run at once (default 4)")
    p.add_argument("--max-age-hours", type=float, default=2.0,
                   help="delete request outputs older than this (default 2)")


def register(subparsers) -> None:
    u = subparsers.add_parser("ui", help="serve the web UI (Gradio) on this computer",
                              description="Serve the sfxgen web UI and its HTTP API (see ui/README.md). "
                                          "With an empty index and no --library, the starter library is "
                                          "written and indexed first.")
    _add_serve_args(u, out_default=None)
    u.set_defaults(func=_ui)
    d = subparsers.add_parser("demo", help="main job: starter library on first run, then the UI (same as `ui`)",
                              description="First run: write the starter library and index it into the default "
                                          "index; then serve the UI on the embedded models and print its URL.")
    _add_serve_args(d, out_default=None)
    d.set_defaults(func=_ui)


def _progress_printer():
    last = [-1]

    def show(p):
        pct = int(100 * p.done / max(p.total, 1))
        if pct != last[0] and (pct % 10 == 0 or p.done == p.total):
            last[0] = pct
            print(f"  indexing: {p.done}/{p.total} files ({pct}%)", flush=True)

    return show


def _ui(args) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from pathlib import Path

    from sfxgen.paths import cache_dir, models_dir
    from sfxgen.service import SfxgenService

    if args.port is not None and not 0 <= args.port <= 65535:
        print("error: --port must be between 0 and 65535", file=sys.stderr)
        return 2
    for name in ("sfxgen-hero-small", "sfxgen-clap-small"):
        if args.model is None and not (models_dir() / name).is_dir():
            print(f"warning: embedded model {models_dir() / name} is missing; features that need it will "
                  "report an error until it is installed", file=sys.stderr)
    roots = [str(Path(p).expanduser().resolve()) for p in args.library]
    starter_dir = cache_dir() / "starter"
    if starter_dir.is_dir():
        roots.append(str(starter_dir.resolve()))
    out = Path(args.out).expanduser() if args.out else None
    svc = SfxgenService(index_dir=args.index, output_root=out, library_roots=roots,
                        max_age_s=max(args.max_age_hours, 0.01) * 3600.0, default_model=args.model)
    if args.library:
        print(f"indexing {', '.join(roots[:len(args.library)])} ...", flush=True)
        rep = svc.index(roots[: len(args.library)], on_progress=_progress_printer())
        s = rep.summary
        print(f"library: {s['indexed']} new/changed, {s['unchanged']} unchanged, {s['removed']} removed, "
              f"{len(rep.failures)} failed", flush=True)
        for f in rep.failures[:20]:
            print(f"  failed: {f['path']}: {f['error']}", file=sys.stderr)
    elif not args.no_starter:
        print(f"first run check: library index {svc.index_dir}", flush=True)
        rep = svc.ensure_starter(starter_dir, n=args.starter_size, on_progress=_progress_printer())
        if rep is not None:
            print(f"starter library: {rep.stats['ok']} files indexed from {starter_dir}", flush=True)
            if str(starter_dir.resolve()) not in svc.library_roots:
                svc.library_roots.append(str(starter_dir.resolve()))
    stats = svc.library_stats()
    print(f"library: {stats['ok']} files in {svc.index_dir}", flush=True)

    from ui.app import launch

    app, url = launch(svc, host=args.host, port=args.port, auth=args.auth, max_file_size=args.max_file_size,
                      gen_concurrency=args.gen_concurrency, search_concurrency=args.search_concurrency,
                      prevent_thread_lock=True, quiet=True)
    print(f"sfxgen UI running at {url}  (HTTP API: {url.rstrip('/')}/?view=api; Ctrl+C to stop)", flush=True)
    print(f"outputs: {svc.output_root}", flush=True)
    try:
        app.block_thread()
    except KeyboardInterrupt:
        pass
    finally:
        app.close()
    return 0
