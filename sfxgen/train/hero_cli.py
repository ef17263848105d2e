"""``sfxgen train hero``: argument mapping for :mod:`sfxgen.train.hero` (imports nothing heavy)."""

from __future__ import annotations


def config_from_args(args):
    """The run's config: :class:`ComposeTrainConfig` with ``--compose``, else
    :class:`HeroTrainConfig`; an unset ``--batch-size`` takes that config's own default."""
    from sfxgen.train.hero_config import ComposeTrainConfig, HeroTrainConfig

    cls = ComposeTrainConfig if args.compose else HeroTrainConfig
    batch = args.batch_size if args.batch_size is not None else cls().batch_size
    if args.compose:
        return ComposeTrainConfig(steps=args.steps, batch_size=batch, lr=args.lr, seed=args.seed,
                                  examples=args.examples, d_model=args.d_model, n_layers=args.layers,
                                  checkpoint_every=args.checkpoint_every, max_minutes=args.max_minutes)
    return HeroTrainConfig(steps=args.steps, batch_size=batch, lr=args.lr, seed=args.seed,
                           cond_dropout=args.cond_dropout, patches_per_family=args.patches_per_family,
                           hidden=args.hidden, n_blocks=args.blocks, checkpoint_every=args.checkpoint_every,
                           max_minutes=args.max_minutes, vocab_captions=args.vocab_captions)


def _cmd_hero(args) -> int:
    import json

    from sfxgen.train.common import set_threads

    set_threads(args.threads)
    cfg = config_from_args(args)
    if args.compose:
        from sfxgen.train.hero import run_compose

        summary = run_compose(config=cfg, run_dir=args.run_dir, out_dir=args.out, device=args.device,
                              resume=args.resume, fp16=not args.fp32, show_progress=not args.quiet)
    else:
        from sfxgen.train.hero import run

        summary = run(config=cfg, run_dir=args.run_dir, out_dir=args.out, device=args.device, resume=args.resume,
                      fp16=not args.fp32, show_progress=not args.quiet)
    print(json.dumps(summary, indent=2))
    return 0


def add_hero(sub) -> None:
    from sfxgen.paths import cache_dir, models_dir
    from sfxgen.train.hero_config import ComposeTrainConfig, HeroTrainConfig

    d = HeroTrainConfig()
    p = sub.add_parser("hero", help="train the embedded text-to-hero patch diffusion sfxgen-hero-small",
                       description="Diffusion over procedural patch space conditioned on MiniLM text vectors; "
                                   "data are random patches with generated captions (no audio needed).")
    p.add_argument("--steps", type=int, default=d.steps)
    p.add_argument("--batch-size", type=int, default=None,
                   help=f"examples per step (default {d.batch_size}; with --compose {ComposeTrainConfig().batch_size})")
    p.add_argument("--lr", type=float, default=d.lr)
    p.add_argument("--cond-dropout", type=float, default=d.cond_dropout, help="share of steps trained without text (CFG)")
    p.add_argument("--patches-per-family", type=int, default=d.patches_per_family)
    p.add_argument("--vocab-captions", type=int, default=d.vocab_captions,
                   help="extra captions per patch from the family's UCS vocabulary (synonyms, explanation clauses)")
    p.add_argument("--hidden", type=int, default=d.hidden, help="width of the residual MLP")
    p.add_argument("--blocks", type=int, default=d.n_blocks, help="number of FiLM residual blocks")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--device", default=None, help="cpu, cuda, cuda:N, mps (default: best available)")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    p.add_argument("--max-minutes", type=float, default=None, help="stop (and save) after this much training time")
    p.add_argument("--checkpoint-every", type=int, default=d.checkpoint_every)
    p.add_argument("--run-dir", default=str(cache_dir() / "runs" / "hero"), help="checkpoints (last.pt) go here")
    p.add_argument("--resume", action="store_true", help="continue from RUN_DIR/last.pt")
    p.add_argument("--out", default=str(models_dir() / "sfxgen-hero-small"), help="where to save the trained model")
    p.add_argument("--fp32", action="store_true", help="save float32 weights (default float16)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    c = ComposeTrainConfig()
    p.add_argument("--compose", action="store_true",
                   help="train the composed-hero model (transformer over element slots, issue #16); "
                        "--steps/--batch-size/--lr/--seed apply, plus the options below")
    p.add_argument("--examples", type=int, default=c.examples, help="--compose: captioned compositions")
    p.add_argument("--d-model", type=int, default=c.d_model, help="--compose: transformer width")
    p.add_argument("--layers", type=int, default=c.n_layers, help="--compose: transformer blocks")
    p.set_defaults(func=_cmd_hero)
