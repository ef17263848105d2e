"""``sfxgen eval ...``: evaluation commands (one ``_add_*`` function per evaluation).

To add one, write ``_add_<name>(sub)`` and append it to ``_EVALS``.
"""

from __future__ import annotations


def _cmd_retrieval(args) -> int:

    from sfxgen.embed import get_embedder
    from sfxgen.eval.retrieval import evaluate

    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    emb = get_embedder(args.model)
    packages = [p.strip() for p in args.packages.split(",") if p.strip()] if args.packages else None
    report = evaluate(emb, args.manifest, args.corpus, packages=packages, allow_trained=args.allow_trained,
                      show_progress=not args.quiet)
    from sfxgen.eval import report_out

    report_out(report, args.json)
    return 1 if report.failed else 0


def _add_retrieval(sub) -> None:
    p = sub.add_parser("retrieval", help="text->audio retrieval and zero-shot metrics on a labelled corpus")
    p.add_argument("--corpus", required=True, help="corpus root the manifest paths are relative to")
    p.add_argument("--manifest", required=True, help="manifest CSV (path, package, caption, category)")
    p.add_argument("--model", default=None, help="sfxgen-clap-small (default), laion:DIR, or a model folder")
    p.add_argument("--packages", default="", help="comma list of packages to evaluate (default: all the model was not trained on)")
    p.add_argument("--allow-trained", action="store_true", help="allow evaluating on training packages")
    p.add_argument("--json", help="also write the report as JSON here")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_cmd_retrieval)


def _cmd_library(args) -> int:

    from sfxgen.eval.library import evaluate_library

    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    packages = [p.strip() for p in args.packages.split(",") if p.strip()] if args.packages else None
    report = evaluate_library(args.corpus, args.manifest, index_dir=args.index, model=args.model, packages=packages,
                              allow_trained=args.allow_trained, progress=not args.quiet)
    from sfxgen.eval import report_out

    report_out(report, args.json)
    return 0


def _add_library(sub) -> None:
    p = sub.add_parser("library", help="P@10 of library search modes (audio, meta, hybrid) on a labelled corpus")
    p.add_argument("--corpus", required=True, help="corpus root (its package folders are indexed)")
    p.add_argument("--manifest", required=True, help="manifest CSV (path, package, category)")
    p.add_argument("--index", required=True, help="index folder to build or reuse (incremental)")
    p.add_argument("--model", default=None, help="audio/text embedding model (default sfxgen-clap-small)")
    p.add_argument("--packages", default="", help="comma list of packages (default: all the model was not trained on)")
    p.add_argument("--allow-trained", action="store_true", help="allow evaluating on training packages")
    p.add_argument("--json", help="also write the report as JSON here")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_cmd_library)


from sfxgen.eval.hero_cli import add_hero as _add_hero  # noqa: E402

_EVALS = (_add_retrieval, _add_hero, _add_library)


def register(subparsers) -> None:
    parser = subparsers.add_parser("eval", help="evaluate models")
    sub = parser.add_subparsers(dest="eval_command", metavar="EVAL")
    for add in _EVALS:
        add(sub)
    parser.set_defaults(func=lambda args: (parser.print_help(), 0)[1])
