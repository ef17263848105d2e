"""Speed of decode + embed for the embedded model vs LAION-CLAP's HTSAT-unfused audio tower.

    python bench/embed.py --corpus ~/.cache/sfxgen/devcorpus --manifest ~/.cache/sfxgen/manifest.csv

Measures clips/s of (decode file -> sfxgen-clap-small pooled vector) at batch sizes 1 and 32
on the same clips, and in the same run the same pipeline (decode -> 48 kHz -> ClapFeatureExtractor
-> audio tower + projection) through transformers' ``ClapAudioModelWithProjection`` built from
the default ``ClapConfig`` (HTSAT, unfused; random weights, as compute does not depend on them).
Prints the ratio. Goal: >= 200 clips/s and >= 10x LAION.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def pick_clips(manifest, corpus, n, seed):
    from sfxgen.train.clap import read_manifest

    rows = read_manifest(manifest)
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(rows), size=min(n, len(rows)), replace=False)
    return [Path(corpus) / rows[i]["path"] for i in sorted(idx)]


def time_pipeline(paths, embed_batch, batch_size, max_clip_s):
    from sfxgen.audio import read_audio

    t0 = time.perf_counter()
    total = 0
    for i in range(0, len(paths), batch_size):
        clips = [read_audio(p, max_duration_s=max_clip_s) for p in paths[i : i + batch_size]]
        total += len(embed_batch(clips))
    return total / (time.perf_counter() - t0)


def laion_embedder(threads):
    import torch
    from transformers import ClapAudioModelWithProjection, ClapConfig, ClapFeatureExtractor

    from sfxgen.embed.features import resample_mono, to_mono

    cfg = ClapConfig()
    model = ClapAudioModelWithProjection(cfg.audio_config).eval()
    fe = ClapFeatureExtractor()
    n_params = sum(p.numel() for p in model.parameters())

    def embed(clips):
        waves = [resample_mono(to_mono(a), sr, fe.sampling_rate) for a, sr in clips]
        feats = fe(waves, sampling_rate=fe.sampling_rate, return_tensors="pt", truncation="rand_trunc")
        with torch.inference_mode():
            out = model(input_features=feats["input_features"])
        return out.audio_embeds

    return embed, n_params


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(Path.home() / ".cache/sfxgen/devcorpus"))
    ap.add_argument("--manifest", default=str(Path.home() / ".cache/sfxgen/manifest.csv"))
    ap.add_argument("--model", default=None, help="embedder (default sfxgen-clap-small)")
    ap.add_argument("--n", type=int, default=256, help="clips for sfxgen-clap-small")
    ap.add_argument("--laion-n", type=int, default=64, help="clips for the LAION tower (slow)")
    ap.add_argument("--max-clip-s", type=float, default=30.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    import torch

    from sfxgen.embed import get_embedder

    torch.set_num_threads(args.threads)
    paths = pick_clips(args.manifest, args.corpus, args.n, args.seed)
    emb = get_embedder(args.model)
    emb.embed_audio([(np.zeros((1, 16000), np.float32), 16000)])  # warm-up
    results = {"model_id": emb.model_id, "clips": len(paths), "threads": args.threads}
    for bs in (1, 32):
        results[f"clips_per_s_b{bs}"] = round(time_pipeline(paths, lambda c: emb.embed_audio(c, batch_size=bs), bs,
                                                            args.max_clip_s), 1)
    laion, n_params = laion_embedder(args.threads)
    laion([(np.zeros((1, 48000), np.float32), 48000)])
    lp = paths[: args.laion_n]
    ours_same = time_pipeline(lp, lambda c: emb.embed_audio(c, batch_size=32), 32, args.max_clip_s)
    laion_cps = time_pipeline(lp, laion, 32, args.max_clip_s)
    results.update(laion_clips=len(lp), laion_params=n_params, laion_clips_per_s_b32=round(laion_cps, 2),
                   ours_clips_per_s_b32_same_clips=round(ours_same, 1),
                   speedup_vs_laion=round(ours_same / laion_cps, 1))
    print(json.dumps(results, indent=2))
    print(f"sfxgen-clap-small: {results['clips_per_s_b1']} clips/s (batch 1), {results['clips_per_s_b32']} clips/s "
          f"(batch 32); LAION HTSAT-unfused tower: {results['laion_clips_per_s_b32']} clips/s -> "
          f"{results['speedup_vs_laion']}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
