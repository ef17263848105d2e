"""Hero generation benchmark: embedded sfxgen-hero-small vs the AudioLDM 2 architecture, one run.

Measures the wall time of one 3 s hero (one variation) from prompt to 48 kHz audio:

* **sfxgen-hero-small** (``models/sfxgen-hero-small``): MiniLM text encoding + patch diffusion
  (``--steps`` DPM-Solver steps with classifier-free guidance) + ``sfxgen.synth`` render at 48 kHz.
  Median of ``--repeats`` prompts after one warm-up call.
  Also the default call as ``sfxgen generate`` runs it: the best CLAP match of
  ``DEFAULT_CANDIDATES_PER_VARIATION`` samples for the seed (each rendered and embedded).
* **baseline: AudioLDM 2 architecture** -- a diffusers ``AudioLDM2Pipeline`` built at the published
  sizes of cvssp/audioldm2 (350M UNet, CLAP, Flan-T5-large, GPT-2, HiFi-GAN; ~1.1B parameters)
  with random weights (its compute, not its quality), same duration and the same number of
  inference steps with guidance, plus resampling its 16 kHz output to 48 kHz. One timed call after
  a 1-step warm-up.

Prints both times and the ratio. Goals (issue #6): <= 1 s per 3 s hero on 2 cores; >= 50x faster
than the AudioLDM 2 architecture.

    python bench/generate.py                    # both (the baseline takes minutes on 2 cores)
    python bench/generate.py --no-baseline      # embedded model only
    python bench/generate.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PROMPTS = [
    "heavy metal door slam in a cathedral", "a tiny glass bottle breaking on concrete",
    "distant thunder rolling over the hills", "campfire crackling at night", "sci-fi laser blast",
    "footsteps on gravel", "huge explosion with debris",
]


def bench_embedded(model, *, duration_s: float, steps: int, guidance: float, repeats: int) -> dict:
    from sfxgen.generate import load_pipeline

    t0 = time.perf_counter()
    pipe = load_pipeline(model, scorer=None)
    pipe.text_encoder.embed_text(["warm up"])
    load_s = time.perf_counter() - t0
    pipe("warm up call", duration_s=duration_s, num_variations=1, seed=0, num_inference_steps=steps,
         guidance_scale=guidance)
    times, parts = [], []
    for i in range(repeats):
        prompt = PROMPTS[i % len(PROMPTS)]
        t = time.perf_counter()
        vec = pipe.encode_prompt([prompt])
        t_text = time.perf_counter() - t
        x = pipe.denoise(vec, seeds=[i], num_inference_steps=steps, guidance_scale=guidance)
        t_diff = time.perf_counter() - t - t_text
        (patch, _), = pipe.decode(x)
        audio = pipe.render(patch, duration_s=duration_s, seed=i)
        total = time.perf_counter() - t
        assert audio.shape == (2, int(round(duration_s * 48000)))
        times.append(total)
        parts.append((t_text, t_diff, total - t_text - t_diff))
        # the public call must cost the same as the timed pieces
    t = time.perf_counter()
    pipe(PROMPTS[0], duration_s=duration_s, num_variations=1, seed=0, num_inference_steps=steps,
         guidance_scale=guidance)
    call_s = time.perf_counter() - t
    # as `sfxgen generate` runs by default: best CLAP match of several samples for the seed
    from sfxgen.generate.base import DEFAULT_CANDIDATES_PER_VARIATION
    from sfxgen.generate.rerank import default_scorer

    pipe.scorer = default_scorer()
    picked = []
    if pipe.scorer is not None:
        pipe(PROMPTS[1], duration_s=duration_s, num_variations=1, seed=0, num_inference_steps=steps,
             guidance_scale=guidance)
        for i in range(repeats):
            t = time.perf_counter()
            pipe(PROMPTS[i % len(PROMPTS)], duration_s=duration_s, num_variations=1, seed=i,
                 num_inference_steps=steps, guidance_scale=guidance)
            picked.append(time.perf_counter() - t)
    return {
        "model": pipe.model_id, "load_s": round(load_s, 2), "median_s": round(statistics.median(times), 4),
        "min_s": round(min(times), 4), "max_s": round(max(times), 4), "pipeline_call_s": round(call_s, 4),
        "text_s": round(statistics.median(p[0] for p in parts), 4),
        "diffusion_s": round(statistics.median(p[1] for p in parts), 4),
        "render_s": round(statistics.median(p[2] for p in parts), 4),
        "parameters": sum(p.numel() for p in pipe.denoiser.parameters()),
        "candidates_per_variation": DEFAULT_CANDIDATES_PER_VARIATION,
        "picked_median_s": round(statistics.median(picked), 4) if picked else None,
    }


def bench_composed(model, *, duration_s: float, steps: int | None, guidance: float, repeats: int) -> dict:
    """The composed-hero model (issue #16): the default call as `sfxgen generate` runs it (4
    variations, each the pick of its seed's pool, rendered), split into composing (text +
    diffusion + pick, no audio) and rendering."""
    from sfxgen.generate import load_pipeline

    t0 = time.perf_counter()
    pipe = load_pipeline(model, scorer=None)
    load_s = time.perf_counter() - t0
    kw = dict(num_inference_steps=steps) if steps else {}
    pipe("warm up call", duration_s=duration_s, num_variations=4, seed=0, guidance_scale=guidance, **kw)
    calls, composing = [], []
    for i in range(repeats):
        prompt = PROMPTS[i % len(PROMPTS)]
        t = time.perf_counter()
        pipe.compose(prompt, duration_s=duration_s, seeds=range(i, i + 4), guidance_scale=guidance, **kw)
        composing.append(time.perf_counter() - t)
        t = time.perf_counter()
        res = pipe(prompt, duration_s=duration_s, num_variations=4, seed=i, guidance_scale=guidance, **kw)
        calls.append(time.perf_counter() - t)
        assert all(a.shape == (2, int(round(duration_s * 48000))) for a in res.audios)
    return {"model": pipe.model_id, "load_s": round(load_s, 2), "default_call_median_s": round(statistics.median(calls), 4),
            "default_call_max_s": round(max(calls), 4), "compose_median_s": round(statistics.median(composing), 4),
            "parameters": sum(p.numel() for p in pipe.denoiser.parameters())}


def bench_audioldm2(*, duration_s: float, steps: int, guidance: float) -> dict:
    import numpy as np
    import torch

    from sfxgen.audio import resample
    from sfxgen.generate.diffusers_arch import audioldm2_published_pipeline

    t0 = time.perf_counter()
    pipe = audioldm2_published_pipeline(seed=0)
    pipe.set_progress_bar_config(disable=True)
    build_s = time.perf_counter() - t0
    n_params = sum(p.numel() for m in (pipe.unet, pipe.vae, pipe.text_encoder, pipe.text_encoder_2,
                                       pipe.language_model, pipe.projection_model, pipe.vocoder)
                   for p in m.parameters())
    pipe("warm up", audio_length_in_s=duration_s, num_inference_steps=1, guidance_scale=guidance,
         generator=torch.Generator().manual_seed(0), output_type="np")
    t = time.perf_counter()
    out = pipe(PROMPTS[0], audio_length_in_s=duration_s, num_inference_steps=steps, guidance_scale=guidance,
               generator=torch.Generator().manual_seed(0), output_type="np")
    audio = resample(np.asarray(out.audios[0], np.float32)[None], pipe.vocoder.config.sampling_rate, 48000)
    total = time.perf_counter() - t
    return {"model": "AudioLDM2Pipeline (cvssp/audioldm2 sizes, random weights)", "build_s": round(build_s, 1),
            "time_s": round(total, 3), "parameters": int(n_params), "samples_48k": int(audio.shape[-1])}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None, help="embedded model folder (default models/sfxgen-hero-small)")
    ap.add_argument("--duration", type=float, default=3.0)
    ap.add_argument("--steps", type=int, default=25, help="inference steps for both models")
    ap.add_argument("--guidance", type=float, default=3.0)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-baseline", action="store_true", help="skip the AudioLDM 2 architecture baseline")
    ap.add_argument("--single-patch-model", default=None,
                    help="with a composed-hero model: also time this single-patch model folder (and the baseline)")
    ap.add_argument("--json", help="write the numbers here")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    torch.set_num_threads(args.threads)
    print(f"hero bench: {args.duration} s hero, {args.steps} steps, guidance {args.guidance}, "
          f"{args.threads} torch threads, {os.cpu_count()} CPUs")
    res = {"duration_s": args.duration, "steps": args.steps, "threads": args.threads}
    from sfxgen.generate import model_kind

    if model_kind(args.model)[0] == "compose":
        comp = bench_composed(args.model, duration_s=args.duration, steps=None if args.steps == 25 else args.steps,
                              guidance=args.guidance, repeats=args.repeats)
        res["composed"] = comp
        print(f"composed hero ({comp['parameters']:,} params): default call (4 variations, pick of each seed's pool, "
              f"rendered) median {comp['default_call_median_s']:.3f} s (max {comp['default_call_max_s']:.3f}); "
              f"composing alone {comp['compose_median_s']:.3f} s; goal <= 1 s: "
              f"{'met' if comp['default_call_median_s'] <= 1.0 else 'NOT met'}")
        if args.single_patch_model is None:
            if args.json:
                Path(args.json).write_text(json.dumps(res, indent=2) + "\n")
            return 0
        args.model = args.single_patch_model
    emb = bench_embedded(args.model, duration_s=args.duration, steps=args.steps, guidance=args.guidance,
                         repeats=args.repeats)
    res["embedded"] = emb
    print(f"sfxgen-hero-small ({emb['parameters']:,} params): median {emb['median_s']:.3f} s per hero "
          f"(text {emb['text_s']:.3f} + diffusion {emb['diffusion_s']:.3f} + render {emb['render_s']:.3f}); "
          f"pipeline call {emb['pipeline_call_s']:.3f} s; goal <= 1 s: {'met' if emb['median_s'] <= 1.0 else 'NOT met'}")
    if emb["picked_median_s"] is not None:
        print(f"  default call (best CLAP match of {emb['candidates_per_variation']} samples): median "
              f"{emb['picked_median_s']:.3f} s per hero; goal <= 1 s: {'met' if emb['picked_median_s'] <= 1.0 else 'NOT met'}")
    if not args.no_baseline:
        print("building AudioLDM 2 at published sizes (random weights) ...", flush=True)
        base = bench_audioldm2(duration_s=args.duration, steps=args.steps, guidance=args.guidance)
        res["baseline"] = base
        ratio = base["time_s"] / emb["median_s"]
        res["speedup"] = round(ratio, 1)
        print(f"baseline {base['model']} ({base['parameters'] / 1e9:.2f}B params): {base['time_s']:.2f} s per hero")
        print(f"speed-up vs AudioLDM 2 architecture: {ratio:.1f}x (goal >= 50x: {'met' if ratio >= 50 else 'NOT met'})")
        if emb["picked_median_s"]:
            res["speedup_picked"] = round(base["time_s"] / emb["picked_median_s"], 1)
            print(f"  with the default {emb['candidates_per_variation']}-sample CLAP pick: {res['speedup_picked']:.1f}x")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
