"""Design reuse benchmark: how often one library file serves different prompts' designs.

Runs 30 varied prompts through one :class:`~sfxgen.layering.auto.AutoDesigner` (so its reuse
ledger spans them, as in a running UI session) on the starter library (``sfxgen corpus starter``,
300 clips, built and indexed once under ``--cache``), and prints each prompt's picks (role,
source, query, reason) and the largest number of prompts whose designs used the same library
file. Goal (issue #13): max reuse <= 3.

It also prints, per prompt, the one-shot designs' *overhang*: the energy the one-shot support
layers (transient, body, texture, sweetener: not the tail, bed or sub, nor the reverb return,
which may outlast the hero by design) still carry after the hero has died away
(:func:`sfxgen.dsp.analysis.audible_end_s` at ``intent.END_DB``), in dB of the whole mix's
energy. A layer that rings on after the hero reads as a second sound (a glass "body" humming for
a second after the shatter); -40 dB and below is inaudible under the mix.

    python bench/design_reuse.py [--layers 3] [--cache ~/.cache/sfxgen/design_bench]
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PROMPTS = [
    "footsteps on gravel, slow walk", "rusty spaceship door opening in a vast echoing cavern", "ui click",
    "heavy metal door slam in a large hall", "porte en bois qui grince", "a monster growl in a cave",
    "glass bottle smash", "laser zap", "distant explosion", "wooden crate smashed", "small bell chime",
    "thunder storm over the city", "sword clash in a castle hall", "dog barking outside", "rain on a window",
    "car passing by on a wet street", "fire crackling in a fireplace", "magic spell cast", "cat purring",
    "gunshot in a warehouse", "water splash into a pool", "paper crumple close up", "heavy body fall on concrete",
    "sci-fi force field hum", "horse galloping on dirt", "knocking on a wooden door", "ice cracking on a frozen lake",
    "big cinematic boom", "menu button press", "chains rattling in a dungeon",
]


def starter_library(cache: Path):
    """The starter library under ``cache``, written and indexed on first use."""
    from sfxgen.embed import get_embedder
    from sfxgen.library import Library
    from sfxgen.synth.corpus import build_starter

    starter = cache / "starter"
    if len(list(starter.glob("*.wav"))) < 300:
        build_starter(starter, n=300, seed=0, progress=True)
    lib = Library.open(cache / f"index_{get_embedder().model_id}")
    lib.index([starter], progress=False)
    return lib


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "sfxgen" / "design_bench"))
    args = ap.parse_args()

    import torch

    from sfxgen.errors import SfxgenError
    from sfxgen.generate import load_pipeline
    from sfxgen.layering.auto import MAX_REUSE, AutoDesigner

    torch.set_num_threads(2)
    lib = starter_library(Path(args.cache))
    designer = AutoDesigner(load_pipeline(), library=lib)
    used: dict[str, set[int]] = collections.defaultdict(set)
    overhang: dict[str, float] = {}
    t0 = time.perf_counter()
    tmp = tempfile.TemporaryDirectory()  # generated heroes are files the recipes point at
    for i, prompt in enumerate(PROMPTS):
        try:
            d = designer.design(prompt, layers=args.layers, seed=i, asset_dir=Path(tmp.name) / f"{i:02d}")
        except SfxgenError as exc:  # e.g. a prompt in another language: refused, with the reason
            print(f"{i + 1:2d}. {prompt}  refused: {exc}")
            continue
        extra = ""
        if d.recipe.kind != "texture":
            overhang[prompt] = _overhang_db(d)
            extra = f", support overhang {overhang[prompt]:.1f} dB"
        print(f"{i + 1:2d}. {prompt}  (hero {d.hero_profile.family}, {d.hero_profile.kind}, "
              f"{d.hero_profile.duration_s:.1f} s{extra})")
        for layer in d.recipe.layers[1:]:
            src = Path(layer.source.path).name if layer.source.kind == "file" else f"synth:{layer.source.patch['family']}"
            if layer.source.kind == "file":
                used[layer.source.path].add(i)
            print(f"     {layer.role:9s} {src:70s} q='{layer.query}'\n               why: {layer.reason}")
    counts = sorted(((len(v), Path(k).name) for k, v in used.items()), reverse=True)
    print(f"\n{len(PROMPTS)} prompts in {time.perf_counter() - t0:.1f} s; {len(used)} distinct library files used")
    print(f"max reuse: {counts[0][0] if counts else 0} prompts (goal <= {MAX_REUSE}); most used: {counts[:3]}")
    if overhang:
        vals = sorted(overhang.values())
        worst = max(overhang, key=overhang.get)
        print(f"support overhang of {len(vals)} one-shot designs: median {vals[len(vals) // 2]:.1f} dB, "
              f"over -40 dB: {sum(v > -40.0 for v in vals)}, worst {overhang[worst]:.1f} dB ({worst!r})")


ONE_SHOT_ROLES = ("transient", "body", "texture", "sweetener")


def _overhang_db(d) -> float:
    """Energy of the one-shot support stems after the hero's audible end, dB re the mix's energy."""
    import numpy as np

    from sfxgen.dsp.analysis import audible_end_s
    from sfxgen.layering.intent import END_DB
    from sfxgen.layering.render import master_render, render_recipe

    res = master_render(d.render) if d.render is not None else render_recipe(d.recipe)
    stems = res.delivered_stems()
    hero = stems[d.recipe.layers[0].name]
    cut = int(audible_end_s(hero, res.sample_rate, floor_db=END_DB) * res.sample_rate)
    after = sum(float(np.sum(np.square(stems[layer.name][:, cut:], dtype=np.float64)))
                for layer in d.recipe.layers[1:] if layer.role in ONE_SHOT_ROLES and layer.name in stems)
    total = float(np.sum(np.square(res.master, dtype=np.float64)))
    return 10 * np.log10(max(after, 1e-20) / max(total, 1e-20))


if __name__ == "__main__":
    main()
