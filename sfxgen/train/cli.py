"""``sfxgen train ...``: reproducible training commands (one ``_add_*`` function per model).

To add a trainer, write ``_add_<name>(sub)`` that registers its parser and append it to
``_TRAINERS``.
"""

from __future__ import annotations

import argparse

# Dev-corpus packages held out of training by default (evaluation is reported on these).
DEFAULT_HOLDOUT_PACKAGES = ("openarena-data", "minetest-data", "flare-game", "deepin-sound-theme")


def _csv_list(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _cmd_clap(args) -> int:
    import json

    from sfxgen.embed.clap_small import ClapSmallConfig
    from sfxgen.train.clap import TrainConfig, read_manifest, run
    from sfxgen.train.common import set_threads
    from sfxgen.errors import ParameterError

    set_threads(args.threads)
    train_packages: list[str] = []
    if args.manifest:
        packages = sorted({r["package"] for r in read_manifest(args.manifest)})
        holdout = set(_csv_list(args.holdout_packages))
        train_packages = _csv_list(args.train_packages) if args.train_packages else [p for p in packages if p not in holdout]
        overlap = holdout & set(train_packages)
        if overlap:
            raise ParameterError(f"packages both trained on and held out: {', '.join(sorted(overlap))}")
    holdout = set(_csv_list(args.holdout_packages))
    extra = [(m, sorted({r["package"] for r in read_manifest(m)} - holdout)) for m in args.extra_manifest or ()]
    seen = set(train_packages)
    for m, pkgs in extra:
        if seen & set(pkgs):
            raise ParameterError(f"{m}: package(s) {', '.join(sorted(seen & set(pkgs)))} already come from another "
                                 "manifest; each package may be trained on once")
        seen |= set(pkgs)
    cfg = TrainConfig(steps=args.steps, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
                      crop_s=args.crop_s, synth_fraction=args.synth_fraction, augment=not args.no_augment,
                      checkpoint_every=args.checkpoint_every, max_minutes=args.max_minutes,
                      weight_decay=args.weight_decay, caption_templates=args.caption_templates,
                      clean_fraction=args.clean_fraction, synth_family_captions=args.synth_family_captions,
                      prototype_weight=args.prototype_weight)
    model_cfg = ClapSmallConfig(audio_arch=args.arch, text_residual=not args.frozen_text, trim_tail_db=args.trim_tail_db)
    summary = run(manifest=args.manifest, corpus_dir=args.corpus, train_packages=train_packages, extra_manifests=extra,
                  synth_dirs=args.synth or (), synth_limit=args.synth_limit, config=cfg, run_dir=args.run_dir,
                  out_dir=args.out, device=args.device, resume=args.resume, fp16=not args.fp32,
                  show_progress=not args.quiet, model_config=model_cfg)
    print(json.dumps({k: summary[k] for k in ("steps", "final_loss", "train_minutes", "parameters", "model_id")
                      if k in summary}, indent=2))
    return 0


def _add_clap(sub) -> None:
    from sfxgen.paths import cache_dir, models_dir

    p = sub.add_parser("clap", help="train the embedded audio-text model sfxgen-clap-small",
                       description="Contrastive training of sfxgen-clap-small on real (licensed) and procedural clips.")
    p.add_argument("--manifest", help="dev-corpus manifest CSV (make_manifest.py)")
    p.add_argument("--corpus", help="dev-corpus root the manifest paths are relative to")
    p.add_argument("--train-packages", default="", help="comma list of packages to train on (default: all but held out)")
    p.add_argument("--holdout-packages", default=",".join(DEFAULT_HOLDOUT_PACKAGES),
                   help="comma list of packages never trained on (evaluation set)")
    p.add_argument("--extra-manifest", action="append",
                   help="another real corpus's manifest CSV (e.g. tools/fetch_train_sfx.py + make_manifest.py), paths "
                        "relative to the CSV's folder; all its packages but the held-out ones are trained on (repeatable)")
    p.add_argument("--synth", action="append", help="procedural corpus folder with captions.jsonl (repeatable)")
    p.add_argument("--synth-limit", type=int, default=None, help="use at most N clips per procedural corpus")
    p.add_argument("--synth-fraction", type=float, default=0.3, help="share of each batch drawn from procedural clips")
    p.add_argument("--arch", choices=("cnn", "stats"), default="cnn",
                   help="audio tower: conv net on the log-mel, or MLP on pooled log-mel descriptors")
    p.add_argument("--frozen-text", action="store_true", help="no learned text projection (audio maps into MiniLM's space)")
    p.add_argument("--caption-templates", action="store_true",
                   help="add 'the sound of {category words}'-style captions for labelled real clips")
    p.add_argument("--synth-family-captions", action="store_true",
                   help="procedural clips also get their family noun as captions (alone and in the templates)")
    p.add_argument("--prototype-weight", type=float, default=0.0,
                   help="weight of the class-prototype loss: labelled clips classified among their label set's "
                        "'the sound of ...' sentence vectors (0 = off)")
    p.add_argument("--trim-tail-db", type=float, default=None,
                   help="front end drops a clip's tail quieter than this many dB below its loudest frame "
                        "(training and inference alike; saved in the model config)")
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--crop-s", type=float, default=2.0, help="training crop length in seconds")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default=None, help="cpu, cuda, cuda:N, mps (default: best available)")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    p.add_argument("--max-minutes", type=float, default=None, help="train at most this long (the learning rate anneals within it), then save")
    p.add_argument("--checkpoint-every", type=int, default=200)
    p.add_argument("--run-dir", default=str(cache_dir() / "runs" / "clap"), help="checkpoints (last.pt) go here")
    p.add_argument("--resume", action="store_true", help="continue from RUN_DIR/last.pt")
    p.add_argument("--out", default=str(models_dir() / "sfxgen-clap-small"), help="where to save the trained model")
    p.add_argument("--fp32", action="store_true", help="save float32 weights (default float16)")
    p.add_argument("--no-augment", action="store_true")
    p.add_argument("--clean-fraction", type=float, default=0.0, help="share of each batch left un-augmented")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_clap)


def _cmd_relevance(args) -> int:
    from sfxgen.eval import report_out
    from sfxgen.train.common import set_threads
    from sfxgen.train.relevance import run

    set_threads(args.threads)
    packages = _csv_list(args.packages) or None
    report = run(corpus_dir=args.corpus, manifest=args.manifest, index_dir=args.index, out=args.out, model=args.model,
                 packages=packages, allow_trained=args.allow_trained, progress=not args.quiet)
    report_out(report, args.json)
    return 0


def _add_relevance(sub) -> None:
    p = sub.add_parser("relevance", help="fit library search fusion and score calibration (leave-one-package-out report)",
                       description="Index the corpus packages the audio model never saw, fit the relevance models "
                                   "(search fusion, find-similar and text-audio calibration) and report P@10/R@10 per "
                                   "category leave-one-package-out. Rerun after retraining sfxgen-clap-small.")
    p.add_argument("--corpus", required=True, help="corpus root the manifest paths are relative to")
    p.add_argument("--manifest", required=True, help="manifest CSV (path, package, category)")
    p.add_argument("--index", required=True, help="index folder to build or reuse (incremental)")
    p.add_argument("--model", default=None, help="audio/text embedding model (default sfxgen-clap-small)")
    p.add_argument("--packages", default="", help="comma list of packages (default: all the model was not trained on)")
    p.add_argument("--allow-trained", action="store_true", help="allow packages the audio model was trained on")
    p.add_argument("--out", default=None, help="where to write the models (default: the shipped sfxgen/data/relevance.json)")
    p.add_argument("--json", help="also write the report as JSON here")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_cmd_relevance)


from sfxgen.train.hero_cli import add_hero as _add_hero  # noqa: E402

_TRAINERS = (_add_clap, _add_hero, _add_relevance)


def register(subparsers) -> None:
    parser = subparsers.add_parser("train", help="train the embedded models",
                                   formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    sub = parser.add_subparsers(dest="train_command", metavar="MODEL")
    for add in _TRAINERS:
        add(sub)
    parser.set_defaults(func=lambda args: (parser.print_help(), 0)[1])
