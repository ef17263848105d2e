"""``sfxgen eval ...``: evaluation commands (one ``_add_*`` function per evaluation).

To add one, write ``_add_<name>(sub)`` and append it to ``_EVALS``.
"""

from __future__ import annotations

from sfxgen.eval import report_out


def _corpus_setup(args) -> list[str] | None:
    """Apply ``--threads`` and return the ``--packages`` list (None = the model's unseen ones)."""
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    return [p.strip() for p in args.packages.split(",") if p.strip()] if args.packages else None


def _add_corpus_args(p, *, corpus_help: str, manifest_help: str, model_help: str, packages_help: str) -> None:
    """The arguments every evaluation on a labelled corpus takes."""
    p.add_argument("--corpus", required=True, help=corpus_help)
    p.add_argument("--manifest", required=True, help=manifest_help)
    p.add_argument("--model", default=None, help=model_help)
    p.add_argument("--packages", default="", help=packages_help)
    p.add_argument("--allow-trained", action="store_true", help="allow evaluating on training packages")
    p.add_argument("--json", help="also write the report as JSON here")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quiet", action="store_true")


def _cmd_retrieval(args) -> int:
    from sfxgen.embed import get_embedder
    from sfxgen.eval.retrieval import evaluate

    packages = _corpus_setup(args)
    emb = get_embedder(args.model)
    report = evaluate(emb, args.manifest, args.corpus, packages=packages, allow_trained=args.allow_trained,
                      show_progress=not args.quiet)
    report_out(report, args.json)
    return 1 if report.failed else 0


def _add_retrieval(sub) -> None:
    p = sub.add_parser("retrieval", help="text->audio retrieval and zero-shot metrics on a labelled corpus")
    _add_corpus_args(p, corpus_help="corpus root the manifest paths are relative to",
                     manifest_help="manifest CSV (path, package, caption, category)",
                     model_help="sfxgen-clap-small (default), laion:DIR, or a model folder",
                     packages_help="comma list of packages to evaluate (default: all the model was not trained on)")
    p.set_defaults(func=_cmd_retrieval)


def _cmd_library(args) -> int:
    from sfxgen.eval.library import evaluate_library

    packages = _corpus_setup(args)
    report = evaluate_library(args.corpus, args.manifest, index_dir=args.index, model=args.model, packages=packages,
                              allow_trained=args.allow_trained, progress=not args.quiet)
    report_out(report, args.json)
    return 0


def _add_library(sub) -> None:
    p = sub.add_parser("library", help="P@10 of library search modes (audio, meta, hybrid) on a labelled corpus")
    _add_corpus_args(p, corpus_help="corpus root (its package folders are indexed)",
                     manifest_help="manifest CSV (path, package, category)",
                     model_help="audio/text embedding model (default sfxgen-clap-small)",
                     packages_help="comma list of packages (default: all the model was not trained on)")
    p.add_argument("--index", required=True, help="index folder to build or reuse (incremental)")
    p.set_defaults(func=_cmd_library)


def _cmd_realism(args) -> int:
    from pathlib import Path

    from sfxgen.eval.realism import evaluate

    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    extra = list(args.extra_manifest or [])
    default_extra = Path.home() / ".cache/sfxgen/extracorpus/manifest.csv"
    if not extra and not args.no_extra and default_extra.is_file():
        extra = [default_extra]
    families = [f.strip() for f in args.families.split(",") if f.strip()] if args.families else None
    report = evaluate(args.manifest, args.corpus, extra_manifests=extra, families=families, n_renders=args.n,
                      seed=args.seed, progress=not args.quiet, durations=args.durations)
    report_out(report, args.json)
    return 0


def _add_realism(sub) -> None:
    from pathlib import Path

    cache = Path.home() / ".cache/sfxgen"
    p = sub.add_parser("realism", help="engine renders vs real recordings: real-only classifier and kernel distance per family")
    p.add_argument("--manifest", default=str(cache / "manifest.csv"), help="development corpus manifest (default %(default)s)")
    p.add_argument("--corpus", default=str(cache / "devcorpus"), help="its corpus root (default %(default)s)")
    p.add_argument("--extra-manifest", action="append",
                   help="more labelled real clips (paths relative to the CSV; repeatable; default: the extra corpus when fetched)")
    p.add_argument("--no-extra", action="store_true", help="use the development corpus only")
    p.add_argument("--families", default="", help="comma list of families (default: every family with a real category)")
    p.add_argument("--n", type=int, default=24, help="renders per family (default 24)")
    p.add_argument("--durations", choices=("family", "real"), default="family",
                   help="render at the family's corpus durations (default) or at durations of the category's real clips")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", help="also write the report as JSON here")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_cmd_realism)


from sfxgen.eval.hero_cli import add_hero as _add_hero  # noqa: E402

_EVALS = (_add_retrieval, _add_hero, _add_library, _add_realism)


def register(subparsers) -> None:
    parser = subparsers.add_parser("eval", help="evaluate models")
    sub = parser.add_subparsers(dest="eval_command", metavar="EVAL")
    for add in _EVALS:
        add(sub)
    parser.set_defaults(func=lambda args: (parser.print_help(), 0)[1])
