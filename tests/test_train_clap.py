"""Contrastive training of sfxgen-clap-small: loss falls, resume is exact, CLI writes a loadable model."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

import torch

from sfxgen.embed.clap_small import ClapSmallConfig  # noqa: E402
from sfxgen.embed.features import LOG_FLOOR, MelConfig, clip_logmel  # noqa: E402
from sfxgen.train.clap import ClipSet, TrainConfig, augment_batch, sentence_vectors, train  # noqa: E402

SR = 16000
KINDS = {
    "a high pitched electronic beep": lambda rng, n: np.sin(2 * np.pi * rng.uniform(2500, 3500) * np.arange(n) / SR),
    "low rumbling engine drone": lambda rng, n: np.sin(2 * np.pi * rng.uniform(50, 90) * np.arange(n) / SR)
    * (1 + 0.5 * np.sin(2 * np.pi * 7 * np.arange(n) / SR)),
    "white noise hiss": lambda rng, n: rng.normal(0, 0.5, n),
    "sharp clicks": lambda rng, n: (rng.random(n) > 0.998).astype(float) * rng.choice([-1, 1], n),
}


def tiny_model_config():
    return ClapSmallConfig(channels=(8, 16, 24, 32), blocks_per_stage=1, head_dim=48, embed_dim=384)


def generated_set(rng, per_kind=6):
    clips = ClipSet()
    for caption, fn in KINDS.items():
        for _ in range(per_kind):
            n = int(rng.uniform(0.5, 1.5) * SR)
            x = (0.3 * fn(rng, n)).astype(np.float32)[None]
            clips.add(clip_logmel(x, SR), [caption], source="synth", category=caption.split()[-1])
    return clips


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    import os

    os.environ["SFXGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    clips = generated_set(np.random.default_rng(0))
    return clips, sentence_vectors(clips.texts)


def test_loss_falls_on_tiny_generated_set(data, tmp_path):
    clips, vecs = data
    cfg = TrainConfig(steps=40, batch_size=16, lr=3e-3, warmup_steps=5, crop_s=1.0, seed=0, checkpoint_every=1000)
    model, hist = train(clips, vecs, config=cfg, run_dir=tmp_path, model_config=tiny_model_config(), device="cpu",
                        show_progress=False)
    assert len(hist) == 40 and np.isfinite(hist).all()
    assert np.mean(hist[-8:]) < np.mean(hist[:8]) - 0.3
    assert (tmp_path / "last.pt").is_file()


def test_resume_continues_exactly(data, tmp_path):
    clips, vecs = data
    cfg = TrainConfig(steps=6, batch_size=8, warmup_steps=2, crop_s=1.0, seed=1, checkpoint_every=3)
    _, straight = train(clips, vecs, config=cfg, run_dir=tmp_path / "a", model_config=tiny_model_config(),
                        show_progress=False)

    def interrupt(step, loss):
        if step == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train(clips, vecs, config=cfg, run_dir=tmp_path / "b", model_config=tiny_model_config(),
              show_progress=False, on_step=interrupt)
    assert torch.load(tmp_path / "b" / "last.pt", weights_only=False)["step"] == 3
    _, resumed = train(clips, vecs, config=cfg, run_dir=tmp_path / "b", model_config=tiny_model_config(),
                       show_progress=False, resume=True)
    assert len(resumed) == 6
    assert np.allclose(resumed, straight, rtol=1e-4, atol=1e-5)


def test_augment_batch_keeps_shapes_and_marks_mixes():
    gen = torch.Generator().manual_seed(0)
    B, T = 32, 120
    mel = torch.log(torch.rand(B, 64, T) + 1e-3)
    lengths = torch.randint(40, T + 1, (B,))
    text = torch.nn.functional.normalize(torch.randn(B, 384), dim=-1)
    group = torch.arange(B)
    x, lens, t, g = augment_batch(mel, lengths, text, group, gen)
    assert x.shape == mel.shape and torch.isfinite(x).all() and x.min() >= LOG_FLOOR
    assert torch.allclose(t.norm(dim=-1), torch.ones(B), atol=1e-5)
    mixed = g < 0
    assert mixed.any() and (~mixed).any()
    assert not torch.allclose(t[mixed], text[mixed])
    assert (lens >= lengths).all()
    for i in range(B):  # padding stays at the floor
        assert (x[i, :, lens[i]:] == LOG_FLOOR).all()


def test_cli_trains_from_procedural_corpus_and_model_loads(tmp_path, monkeypatch):
    from sfxgen.cli import main
    from sfxgen.embed import get_embedder

    monkeypatch.setenv("SFXGEN_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(2)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = []
    for k, (caption, fn) in enumerate(KINDS.items()):
        for j in range(3):
            path = f"clip_{k}_{j}.wav"
            sf.write(corpus / path, (0.3 * fn(rng, SR)).astype(np.float32), SR)
            lines.append(json.dumps({"path": path, "family": caption.split()[-1], "captions": [caption], "ucs": ""}))
    (corpus / "captions.jsonl").write_text("\n".join(lines) + "\n")
    out = tmp_path / "model"
    rc = main(["train", "clap", "--synth", str(corpus), "--steps", "4", "--batch-size", "6", "--threads", "1",
               "--run-dir", str(tmp_path / "run"), "--out", str(out), "--quiet", "--checkpoint-every", "2"])
    assert rc == 0
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["training"]["synthetic_clips"] == 12 and cfg["training"]["steps"] == 4
    emb = get_embedder(str(out))
    v = emb.embed_audio([(np.zeros((1, SR), np.float32) + 0.01, SR)])
    assert v.shape == (1, emb.dim)


def test_cli_extra_manifest_trains_on_its_packages_but_not_held_out_ones(tmp_path, monkeypatch, capsys):
    from sfxgen.cli import main

    monkeypatch.setenv("SFXGEN_CACHE_DIR", str(tmp_path / "cache"))
    rng = np.random.default_rng(3)
    extra = tmp_path / "extra"
    rows = ["path,package,caption,category,duplicate_of,decode_error"]
    for k, (caption, fn) in enumerate(KINDS.items()):
        for pkg in ("pkg-a", "pkg-b", "flare-game"):  # flare-game is a default held-out package
            path = f"{pkg}/sounds/c{k}.wav"
            (extra / pkg / "sounds").mkdir(parents=True, exist_ok=True)
            sf.write(extra / path, (0.3 * fn(rng, SR)).astype(np.float32), SR)
            rows.append(f"{path},{pkg},{caption},{caption.split()[-1]},,")
    (extra / "manifest.csv").write_text("\n".join(rows) + "\n")
    out = tmp_path / "model"
    rc = main(["train", "clap", "--extra-manifest", str(extra / "manifest.csv"), "--arch", "stats", "--frozen-text",
               "--steps", "3", "--batch-size", "6", "--threads", "1", "--run-dir", str(tmp_path / "run"),
               "--out", str(out), "--quiet"])
    assert rc == 0
    per_pkg = json.loads((out / "config.json").read_text())["training"]["real_clips_per_package"]
    assert per_pkg == {"pkg-a": 4, "pkg-b": 4}
    rc = main(["train", "clap", "--extra-manifest", str(extra / "manifest.csv"), "--extra-manifest",
               str(extra / "manifest.csv"), "--steps", "1", "--run-dir", str(tmp_path / "run2"), "--quiet"])
    assert rc != 0 and "pkg-a, pkg-b" in capsys.readouterr().err  # each package is trained on once


def test_stats_tower_loss_falls_and_normaliser_is_fitted(data, tmp_path):
    clips, vecs = data
    cfg = TrainConfig(steps=40, batch_size=16, lr=3e-3, warmup_steps=5, crop_s=1.0, seed=0, checkpoint_every=1000,
                      clean_fraction=0.25)
    mcfg = ClapSmallConfig(audio_arch="stats", text_residual=False, head_dim=64)
    model, hist = train(clips, vecs, config=cfg, run_dir=tmp_path, model_config=mcfg, device="cpu", show_progress=False)
    assert np.isfinite(hist).all()
    assert np.mean(hist[-8:]) < np.mean(hist[:8]) - 0.3
    assert (model.audio.feat_std != 1).any() and (model.audio.feat_mean != 0).any()
    assert not hasattr(model.text, "fc1")  # frozen text side: MiniLM vectors as they are


def test_synth_family_captions_and_trim_reach_the_clip_set(tmp_path, monkeypatch):
    from sfxgen.train.clap import add_synth_clips, synth_family_captions

    monkeypatch.setenv("SFXGEN_CACHE_DIR", str(tmp_path / "cache"))
    assert synth_family_captions("impact_metal") == ["metal impact", "the sound of metal impact",
                                                     "metal impact sound effect"]
    assert synth_family_captions("no_such_family") == []
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    click = np.zeros(2 * SR, np.float32)
    click[:800] = 0.5 * np.sin(2 * np.pi * 1000 * np.arange(800) / SR)  # 50 ms, then 1.95 s of silence
    sf.write(corpus / "a.wav", click, SR)
    (corpus / "captions.jsonl").write_text(json.dumps(
        {"path": "a.wav", "family": "impact_metal", "captions": ["a tiny clink"], "ucs": "METLImpt"}) + "\n")
    cfg = MelConfig()
    plain, rich = ClipSet(), ClipSet()
    add_synth_clips(plain, corpus, mel_cfg=cfg, max_clip_s=12.0, show_progress=False)
    add_synth_clips(rich, corpus, mel_cfg=cfg, max_clip_s=12.0, show_progress=False, family_captions=True,
                    trim_tail_db=60.0)
    assert [plain.texts[i] for i in plain.text_ids[0]] == ["a tiny clink"]
    assert [rich.texts[i] for i in rich.text_ids[0]] == ["a tiny clink"] + synth_family_captions("impact_metal")
    assert plain.mels[0].shape[1] == 201 and rich.mels[0].shape[1] < 20  # the silent tail is trimmed


def test_prototype_targets_and_loss(tmp_path, monkeypatch):
    from sfxgen.train.clap import _prototype_loss, prototype_targets

    monkeypatch.setenv("SFXGEN_CACHE_DIR", str(tmp_path / "cache"))
    clips = ClipSet()
    mel = np.full((64, 10), LOG_FLOOR, np.float32)
    for cat, src in [("impact_metal", "synth"), ("rain", "synth"), ("not_a_family", "synth"),
                     ("footstep", "real"), ("", "real"), ("rain", "real")]:
        clips.add(mel, [f"{cat} {src}"], source=src, category=cat)
    labels, (syn, real) = prototype_targets(clips)
    assert syn.shape == (2, 384) and real.shape == (2, 384)  # families: impact_metal, rain; categories: footstep, rain
    assert labels.tolist() == [0, 1, -1, 2, -1, 3]
    # the prototype of a family is MiniLM's vector of "the sound of {noun}"
    assert np.allclose(syn[1], sentence_vectors(["the sound of rain"])[0], atol=1e-5)
    tables = [torch.from_numpy(syn), torch.from_numpy(real)]
    lab = torch.from_numpy(labels)
    right = torch.from_numpy(np.stack([syn[0], syn[1], syn[0], real[0], real[0], real[1]]))
    wrong = torch.from_numpy(np.stack([syn[1], syn[0], syn[0], real[1], real[0], real[0]]))
    l_right, l_wrong = (float(_prototype_loss(x, lab, tables, torch.tensor(30.0))) for x in (right, wrong))
    assert l_right < l_wrong
    assert float(_prototype_loss(right, torch.full_like(lab, -1), tables, torch.tensor(30.0))) == 0.0
