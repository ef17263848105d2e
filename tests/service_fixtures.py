"""TEST-ONLY helpers shared by tests/test_service.py and tests/test_ui.py.

A tiny hero model trained in a few seconds (real MiniLM text encoder, real synth), a small
library of synth renders with UCS names plus one broken file, and a service over both with the
test spectral embedder (tests/library_test_embedder.py). The trained model is cached in pytest's
session base temp folder so test modules share one training run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

TINY_FAMILIES = ("impact_metal", "door_slam", "rain", "wind")

LIBRARY_FILES = (  # (file name, family, params)
    ("RAINSurf_Rain On Roof Heavy_TEST_LIB_01.wav", "rain", {}),
    ("WINDGust_Wind Gust Howling_TEST_LIB_02.wav", "wind", {"intensity": 0.6}),
    ("METLImpt_Metal Clang Big_TEST_LIB_03.wav", "impact_metal", {"size": 0.7}),
    ("DOORWood_Wooden Door Slam_TEST_LIB_04.wav", "door_slam", {}),
    ("DSGNBoom_Sub Drop Low Boom_TEST_LIB_05.wav", "sub_drop", {}),
    ("ELECSprk_Electric Sparks Crackle_TEST_LIB_06.wav", "electric_sparks", {}),
)


def tiny_hero_dir(tmp_path_factory) -> Path:
    """A tiny sfxgen-hero-small model (4 families), trained once per test session."""
    import torch

    from sfxgen.train.hero import HeroTrainConfig, build_dataset, train

    torch.set_num_threads(1)
    target = tmp_path_factory.getbasetemp() / "tiny-hero" / "sfxgen-hero-small"
    if (target / "config.json").is_file():
        return target
    cfg = HeroTrainConfig(patches_per_family=20, full_captions=1, partial_captions=1, seed=1, families=TINY_FAMILIES,
                          steps=150, batch_size=64, lr=3e-3, warmup_steps=10, hidden=48, n_blocks=1)
    data = build_dataset(cfg, cache=False, show_progress=False)
    model, _ = train(data, config=cfg, show_progress=False)
    return Path(model.save_pretrained(target))


def make_library_folder(root: Path) -> Path:
    """Six 1-s synth renders with UCS names and one truncated WAV (a per-file failure)."""
    from sfxgen.audio import write_audio
    from sfxgen.synth import Patch, render

    root.mkdir(parents=True, exist_ok=True)
    for i, (name, fam, params) in enumerate(LIBRARY_FILES):
        audio = render(Patch(fam).with_params(**params), duration_s=1.0, sample_rate=48000, seed=i)
        write_audio(root / name, audio, 48000, bit_depth=16, dither=False)
    good = (root / LIBRARY_FILES[0][0]).read_bytes()
    (root / "broken_truncated.wav").write_bytes(good[:60])
    return root


def make_service(tmp_path_factory, *, index: bool = True):
    """A SfxgenService over the tiny hero model and a small indexed test library."""
    from library_test_embedder import SpectralTestEmbedder

    from sfxgen.generate.pipeline import HeroPipeline
    from sfxgen.library import Library
    from sfxgen.service import SfxgenService

    base = tmp_path_factory.mktemp("svc")
    gen = HeroPipeline.from_pretrained(tiny_hero_dir(tmp_path_factory), scorer=None)
    lib = Library.open(base / "index", embedder=SpectralTestEmbedder())
    libdir = make_library_folder(base / "library")
    svc = SfxgenService(generator=gen, library=lib, output_root=base / "out", library_roots=[libdir])
    if index:
        svc.index([libdir])
    return svc, libdir
