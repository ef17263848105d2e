"""``sfxgen eval hero``: argument mapping for :mod:`sfxgen.eval.hero` (imports nothing heavy)."""

from __future__ import annotations

from pathlib import Path

from sfxgen.eval import report_out
from sfxgen.generate.base import DEFAULT_CANDIDATES_PER_VARIATION


def _cmd_hero(args) -> int:
    from sfxgen.errors import ModelError, ParameterError
    from sfxgen.eval.hero import evaluate
    from sfxgen.generate import load_pipeline

    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    pipe = load_pipeline(args.model, scorer=None)
    if hasattr(pipe, "compose") or args.compose_prompts or args.baseline:
        from sfxgen.eval.hero_compose import evaluate_compose

        baseline = load_pipeline(args.baseline, scorer=None) if args.baseline else None
        report = evaluate_compose(pipe, prompts_path=args.compose_prompts, num_variations=args.variations,
                                  seed=args.seed, duration_s=args.duration,
                                  num_inference_steps=args.steps if args.steps is not None else 12,
                                  guidance_scale=args.guidance, limit=args.limit, baseline=baseline,
                                  show_progress=not args.quiet)
        report_out(report, args.json)
        if args.realism:
            import json
            from pathlib import Path

            from sfxgen.eval.hero_compose import realism_of_heroes

            extra = [p for p in [Path.home() / ".cache/sfxgen/extracorpus/manifest.csv"] if p.is_file()]
            pipes = {"this model": pipe, **({"baseline": baseline} if baseline is not None else {})}
            print(json.dumps(realism_of_heroes(pipes, args.realism_manifest, args.realism_corpus,
                                               extra_manifests=extra, seed=args.seed, limit=args.limit), indent=2))
        return 1 if report.failed else 0
    embedder = None
    if not args.no_clap:
        from sfxgen.embed import get_embedder

        try:
            embedder = get_embedder(args.clap)
        except ModelError as exc:
            print(f"warning: CLAP metrics not measured ({exc})")
    pool = args.candidates_per_variation
    if pool > 1:
        if embedder is None:
            raise ParameterError("--candidates-per-variation > 1 picks candidates with CLAP: drop --no-clap or use 1")
        from sfxgen.generate.rerank import ClapScorer

        pipe.scorer = ClapScorer(embedder)
    report = evaluate(pipe, embedder=embedder, prompts_path=args.prompts, num_variations=args.variations,
                      seed=args.seed, duration_s=args.duration,
                      num_inference_steps=args.steps if args.steps is not None else 25,
                      guidance_scale=args.guidance, attr_seeds=args.attr_seeds, limit=args.limit,
                      candidates_per_variation=pool,
                      show_progress=not args.quiet)
    report_out(report, args.json)
    return 1 if report.failed else 0


def add_hero(sub) -> None:
    p = sub.add_parser("hero", help="quality gates of the hero generator on held-out user-style prompts "
                                    "(a composed-hero model: the held-out compound prompts)")
    p.add_argument("--model", default=None, help="sfxgen-hero-small (default) or a local model folder")
    p.add_argument("--clap", default=None, help="embedder for the CLAP metrics (default sfxgen-clap-small)")
    p.add_argument("--no-clap", action="store_true", help="skip the CLAP metrics")
    p.add_argument("--prompts", default=None, help="prompt list JSON (default: the shipped hero_eval_prompts.json)")
    p.add_argument("--variations", type=int, default=4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--duration", type=float, default=3.0)
    p.add_argument("--steps", type=int, default=None, help="inference steps (default 12 composed, 25 single-patch)")
    p.add_argument("--guidance", type=float, default=3.0)
    p.add_argument("--candidates-per-variation", type=int, default=DEFAULT_CANDIDATES_PER_VARIATION,
                   help="samples per seed, best CLAP match kept, as `sfxgen generate` does (1 = raw samples)")
    p.add_argument("--attr-seeds", type=int, default=6, help="heroes per side of each attribute pair")
    p.add_argument("--limit", type=int, default=None, help="evaluate only the first N prompts")
    p.add_argument("--compose-prompts", default=None,
                   help="compound prompt list (default for a composed-hero model: the shipped, frozen "
                        "compose_eval_prompts.json): main family accuracy, element recall, per category")
    p.add_argument("--baseline", default=None,
                   help="another hero model folder scored on the compound prompts in the same table")
    p.add_argument("--realism", action="store_true",
                   help="compound prompts: also the share of heroes a real-only classifier recognises as the main "
                        "family's category (sfxgen eval realism's yardstick)")
    p.add_argument("--realism-manifest", default=str(Path.home() / ".cache/sfxgen/manifest.csv"))
    p.add_argument("--realism-corpus", default=str(Path.home() / ".cache/sfxgen/devcorpus"))
    p.add_argument("--json", help="also write the report as JSON here")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_cmd_hero)
