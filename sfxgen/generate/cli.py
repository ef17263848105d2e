"""``sfxgen generate``: prompt -> several 48 kHz / 24-bit hero WAVs with bext and JSON sidecars.

Argument mapping only; the work is in :mod:`sfxgen.generate` (pipelines) and
:func:`save_result` (files). Imports nothing heavy at module import.
"""

from __future__ import annotations

from sfxgen.errors import ParameterError
from sfxgen.generate.base import DEFAULT_CANDIDATES_PER_VARIATION, MAX_PROMPT_CHARS


def _unique(path):
    """``path`` or ``path`` with ``-2``, ``-3`` ... before the suffix, whichever does not exist yet."""
    if not path.exists():
        return path
    i = 2
    while True:
        p = path.with_name(f"{path.stem}-{i}{path.suffix}")
        if not p.exists():
            return p
        i += 1


def save_result(result, out_dir, *, bit_depth: int = 24) -> list[dict]:
    """Write each candidate as ``<file_stem(prompt)>_s<seed>.wav`` (:mod:`sfxgen.naming`) (48 kHz, ``bit_depth``, bext
    description = prompt) plus a ``.json`` sidecar; never overwrites. Returns one dict per file."""
    import json
    import os
    from pathlib import Path

    from sfxgen.audio import Bext, write_audio
    from sfxgen.errors import AudioWriteError
    from sfxgen.naming import file_stem

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AudioWriteError(f"{out}: cannot create output folder ({exc.strerror or exc})") from None
    base = file_stem(result.prompt)
    written = []
    for rank, cand in enumerate(result.candidates, start=1):
        wav = _unique(out / f"{base}_s{cand.seed}.wav")
        bext = Bext(description=result.prompt[:256], originator="sfxgen",
                    originator_reference=f"{result.model_id}:{cand.seed}"[:32],
                    coding_history=f"A=PCM,F={cand.sample_rate},W={bit_depth},T=sfxgen {result.model_id}")
        write_audio(wav, cand.audio, cand.sample_rate, bit_depth=bit_depth, bext=bext)
        meta = {
            "file": wav.name, "prompt": result.prompt, "negative_prompt": result.negative_prompt,
            "model": result.model_id, "seed": cand.seed, "rank": rank, "score": cand.score,
            "steps": result.num_inference_steps, "guidance": result.guidance_scale,
            "duration_s": round(cand.duration_s, 6), "sample_rate": cand.sample_rate, "bit_depth": bit_depth,
            "patch": cand.patch.to_dict() if cand.patch is not None else None,
            "scorer": result.scorer_id,
        }
        if getattr(cand, "composition", None) is not None:
            meta["composition"] = cand.composition.to_dict()
        side = wav.with_suffix(".json")
        tmp = side.with_name(f".{side.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(meta, indent=2) + "\n")
        os.replace(tmp, side)
        written.append({"path": str(wav), "sidecar": str(side), **{k: meta[k] for k in ("seed", "rank", "score")}})
    return written


def _cmd_generate(args) -> int:
    import json

    from sfxgen.generate import load_pipeline, model_kind
    from sfxgen.generate.base import check_inputs

    # cheap checks first: a typo must not wait for torch and the model to load
    check_inputs(args.prompt, args.negative, args.duration, args.variations, args.seed,
                 1 if args.steps is None else args.steps, 0.0 if args.guidance is None else args.guidance)
    model_kind(args.model)
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    pipe = load_pipeline(args.model, scorer=None if args.no_rerank else "auto",
                         **({"scheduler": args.scheduler} if args.scheduler else {}))
    kwargs = dict(negative_prompt=args.negative, duration_s=args.duration, num_variations=args.variations,
                  seed=args.seed)
    if args.steps is not None:
        kwargs["num_inference_steps"] = args.steps
    if args.guidance is not None:
        kwargs["guidance_scale"] = args.guidance
    if args.candidates_per_variation is not None:
        if not hasattr(pipe, "denoiser"):
            raise ParameterError("--candidates-per-variation applies to the embedded model only")
        if hasattr(pipe, "compose") and args.candidates_per_variation > 16:
            raise ParameterError("--candidates-per-variation: at most 16 for the composed-hero model")
        kwargs["candidates_per_variation"] = args.candidates_per_variation
    result = pipe(args.prompt, **kwargs)
    match = result.extra.get("family_match")
    if match and match.get("low"):
        import sys

        from sfxgen.generate.confidence import low_confidence_message

        print("warning: " + low_confidence_message(result.prompt, match), file=sys.stderr)
    files = save_result(result, args.out)
    if args.json:
        print(json.dumps({**result.to_dict(), "files": files}, indent=2))
    else:
        for f in files:
            print(f["path"])
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "generate", help="make hero sound effects from a text prompt",
        description="Prompt in, several 48 kHz / 24-bit hero candidates out (best CLAP match first).")
    p.add_argument("prompt", help="what the sound is, e.g. 'huge metal door slam in a cathedral' "
                                  f"(at most {MAX_PROMPT_CHARS} characters)")
    p.add_argument("--duration", type=float, default=None,
                   help="length in seconds (default: the sound's natural length for the embedded model)")
    p.add_argument("--variations", type=int, default=4, help="number of candidates")
    p.add_argument("--seed", type=int, default=None, help="seed of the first variation (others: seed+1, ...)")
    p.add_argument("--negative", default=None,
                   help=f"what the sound should not be (negative prompt; at most {MAX_PROMPT_CHARS} characters)")
    p.add_argument("--model", default=None, help="sfxgen-hero-small (default) or a local diffusers AudioLDM2/StableAudio folder")
    p.add_argument("--steps", type=int, default=None, help="inference steps (default: model's default)")
    p.add_argument("--guidance", type=float, default=None, help="classifier-free guidance scale")
    p.add_argument("--scheduler", choices=("dpmsolver", "ddim"), default=None, help="sampler of the embedded model")
    p.add_argument("--candidates-per-variation", type=int, default=None,
                   help="embedded model: samples drawn per seed, the best CLAP match kept "
                        f"(default {DEFAULT_CANDIDATES_PER_VARIATION}; 1 = the seed's first sample)")
    p.add_argument("--no-rerank", action="store_true", help="skip CLAP ranking of the candidates")
    p.add_argument("--out", required=True, help="output folder for WAVs and JSON sidecars")
    p.add_argument("--json", action="store_true", help="print the full result as JSON instead of the file list")
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    p.set_defaults(func=_cmd_generate)
