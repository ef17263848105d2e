"""Fast training checks for sfxgen-hero-small: data are true captions, the loss falls, resume works."""

from __future__ import annotations

import numpy as np
import pytest

import torch

from sfxgen.errors import ParameterError  # noqa: E402
from sfxgen.train.hero import HeroTrainConfig, build_dataset, make_captioned_patches, train  # noqa: E402


@pytest.fixture(scope="module")
def tiny_data():
    torch.set_num_threads(1)
    cfg = HeroTrainConfig(patches_per_family=6, full_captions=1, partial_captions=1, seed=3)
    return build_dataset(cfg, cache=False, show_progress=False)


def test_captioned_patches_are_consistent():
    from sfxgen.synth.patch import FAMILIES, FAMILY_NAMES

    x, caps, pair = make_captioned_patches(patches_per_family=3, full_captions=1, partial_captions=2, seed=1)
    n_fam = len(FAMILY_NAMES)
    assert x.shape == (3 * n_fam, n_fam + 16)
    assert np.all((x[:, :n_fam] == 1).sum(1) == 1)  # exactly one family hot
    assert len(caps) == len(pair) and pair.max() == len(x) - 1
    # partial captions are shorter on average than full ones and every patch has >= 2 captions
    assert np.bincount(pair, minlength=len(x)).min() >= 2
    # the same seed gives the same data
    x2, caps2, _ = make_captioned_patches(patches_per_family=3, full_captions=1, partial_captions=2, seed=1)
    assert np.array_equal(x, x2) and caps == caps2
    # a caption describes its own family (its noun or a scene word appears in the family text)
    fam0 = FAMILY_NAMES[int(x[pair[0], :n_fam].argmax())]
    assert fam0 == FAMILIES[FAMILY_NAMES[0]].name


def test_loss_falls_and_resume(tiny_data, tmp_path):
    cfg = HeroTrainConfig(steps=160, batch_size=64, lr=3e-3, warmup_steps=10, hidden=64, n_blocks=2,
                          checkpoint_every=80, seed=0)
    model, hist = train(tiny_data, config=cfg, run_dir=tmp_path, show_progress=False)
    assert len(hist) == 160
    assert np.mean(hist[-30:]) < 0.7 * np.mean(hist[:10])
    assert (tmp_path / "last.pt").is_file()
    # resume continues from the saved step and keeps the history
    cfg2 = HeroTrainConfig(**{**cfg.__dict__, "steps": 200})
    model2, hist2 = train(tiny_data, config=cfg2, run_dir=tmp_path, resume=True, show_progress=False)
    assert len(hist2) == 200 and hist2[:160] == hist
    out = model2.save_pretrained(tmp_path / "m")
    from sfxgen.generate.model import HeroDenoiser

    loaded = HeroDenoiser.from_pretrained(out)
    x = torch.randn(3, loaded.config.sample_dim)
    c = torch.randn(3, 384)
    with torch.no_grad():
        a = model2(x, 500, c)
        b = loaded(x, 500, c)
    assert torch.allclose(a, b, atol=2e-2)  # fp16 weights


def test_resume_without_checkpoint_is_an_error(tiny_data, tmp_path):
    with pytest.raises(ParameterError, match="no checkpoint"):
        train(tiny_data, config=HeroTrainConfig(steps=2, hidden=32, n_blocks=1), run_dir=tmp_path, resume=True,
              show_progress=False)


def test_cli_registers_train_hero():
    from sfxgen.cli import build_parser

    args = build_parser().parse_args(["train", "hero", "--steps", "5", "--max-minutes", "1"])
    assert args.steps == 5 and args.max_minutes == 1.0 and callable(args.func)


def test_fast_attack_prior_keeps_only_asked_swells(tiny_data):
    from sfxgen.synth.patch import FAMILIES
    from sfxgen.train.hero import only_asked_slow_attacks

    kept = only_asked_slow_attacks(tiny_data)
    assert 0 < len(kept) < len(tiny_data)
    n_fam = len(kept.family_names)
    for c, row in zip(kept.captions, kept.pair):
        x = kept.x[row]
        attack_s = 0.001 * 2000.0 ** ((x[n_fam + 3] + 1) / 2)
        kind = FAMILIES[kept.family_names[int(x[:n_fam].argmax())]].kind
        if attack_s >= (1.0 if kind == "texture" else 0.3):
            assert any(w in c for w in ("swell", "slow-building", "fade-in", "fading in")), c


def test_ucs_vocabulary_extends_families_without_blurring_them():
    from sfxgen.embed import get_text_encoder
    from sfxgen.synth.patch import FAMILY_NAMES
    from sfxgen.train.hero import family_vocabulary

    vocab = family_vocabulary(FAMILY_NAMES, text_encoder=get_text_encoder())
    assert set(vocab) == set(FAMILY_NAMES)
    assert "drizzle" in vocab["rain"] and "footstep" in vocab["footsteps"]
    assert "cadmium" not in vocab["impact_metal"]  # a UCS synonym far from "metal impact"
    seen: dict[str, str] = {}
    for fam, words in vocab.items():
        for w in words:
            assert seen.setdefault(w, fam) == fam, f"{w!r} kept for both {seen[w]} and {fam}"


def test_vocabulary_captions_pair_with_their_own_family(tiny_data):
    from sfxgen.embed import get_text_encoder
    from sfxgen.train.hero import add_vocabulary_captions, family_vocabulary

    enc = get_text_encoder()
    more = add_vocabulary_captions(tiny_data, per_patch=1, seed=0, text_encoder=enc)
    n_old, n_fam = len(tiny_data), len(tiny_data.family_names)
    assert len(more) > n_old and len(more.text) == len(more.pair) == len(more.captions)
    assert np.array_equal(more.text[:n_old], tiny_data.text)
    vocab = family_vocabulary(tiny_data.family_names, text_encoder=enc)
    for cap, row in zip(more.captions[n_old:], more.pair[n_old:]):
        fam = tiny_data.family_names[int(more.x[row, :n_fam].argmax())]
        assert any(w in cap for w in vocab[fam]), (cap, fam)
    # the caption vectors are MiniLM's vectors of the caption text
    k = n_old
    assert np.allclose(more.text[k], np.asarray(enc.embed_text([more.captions[k]]), np.float32)[0], atol=1e-5)


def test_cli_config_takes_each_models_own_batch_default():
    from sfxgen.cli import build_parser
    from sfxgen.train.hero_cli import config_from_args
    from sfxgen.train.hero_config import ComposeTrainConfig, HeroTrainConfig

    p = build_parser()
    compose = config_from_args(p.parse_args(["train", "hero", "--compose"]))
    single = config_from_args(p.parse_args(["train", "hero"]))
    assert isinstance(compose, ComposeTrainConfig) and compose.batch_size == ComposeTrainConfig().batch_size == 128
    assert isinstance(single, HeroTrainConfig) and single.batch_size == HeroTrainConfig().batch_size
    assert config_from_args(p.parse_args(["train", "hero", "--compose", "--batch-size", "32"])).batch_size == 32
