"""LAION-CLAP backend on a tiny random ClapModel built in the test (no download)."""

from __future__ import annotations

import numpy as np
import pytest

import torch
import transformers
import tokenizers

from sfxgen.embed import get_embedder, resolve_model  # noqa: E402
from sfxgen.embed.laion import LaionClapEmbedder, features_tensor  # noqa: E402

CORPUS = (
    "a dog barks twice in the distance. heavy rain on a tin roof. a metal door slams shut. "
    "glass shatters on a stone floor. footsteps on gravel, slow walking. an engine revs and idles. "
    "a laser gun fires three shots. wind howls through a narrow canyon. a crowd cheers in a stadium. "
) * 4


def build_tiny_clap(path):
    from tokenizers import ByteLevelBPETokenizer
    from transformers import (ClapAudioConfig, ClapConfig, ClapFeatureExtractor, ClapModel, ClapProcessor,
                              ClapTextConfig, RobertaTokenizer)

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator([CORPUS], vocab_size=300, min_frequency=1,
                            special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    model_json = __import__("json").loads(bpe.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model_json["merges"]]
    tok = RobertaTokenizer(vocab=model_json["vocab"], merges=merges)
    fe = ClapFeatureExtractor(feature_size=64, sampling_rate=48000, hop_length=7900, max_length_s=10)
    text_cfg = ClapTextConfig(vocab_size=len(tok), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                              intermediate_size=32, projection_dim=24, max_position_embeddings=64)
    audio_cfg = ClapAudioConfig(num_mel_bins=64, spec_size=64, window_size=4, patch_size=4, patch_stride=(4, 4),
                                hidden_size=32, patch_embeds_hidden_size=16, projection_dim=24, depths=[1, 1],
                                num_attention_heads=[2, 2], num_hidden_layers=2, enable_fusion=False)
    cfg = ClapConfig(text_config=text_cfg.to_dict(), audio_config=audio_cfg.to_dict(), projection_dim=24)
    torch.manual_seed(0)
    model = ClapModel(cfg).eval()
    model.save_pretrained(path)
    ClapProcessor(feature_extractor=fe, tokenizer=tok).save_pretrained(path)
    return model


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("tiny_clap")
    build_tiny_clap(d)
    return d


def test_text_and_audio_shapes_and_norms(tiny_dir):
    emb = get_embedder(f"laion:{tiny_dir}")
    assert isinstance(emb, LaionClapEmbedder)
    assert emb.dim == 24 and emb.sample_rate == 48000 and emb.window_s == 10.0
    t = emb.embed_text(["a dog barks", "rain on a roof", "glass shatters"])
    assert t.shape == (3, 24) and t.dtype == np.float32
    assert np.allclose(np.linalg.norm(t, axis=1), 1.0, atol=1e-5)
    rng = np.random.default_rng(0)
    clips = [(rng.normal(0, 0.1, (2, 44100)).astype(np.float32), 44100),
             (rng.normal(0, 0.1, (1, 16000 * 3)).astype(np.float32), 16000)]
    a = emb.embed_audio(clips)
    assert a.shape == (2, 24) and np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    long_clip = (rng.normal(0, 0.1, (1, 48000 * 25)).astype(np.float32), 48000)
    w = emb.embed_audio_windows(long_clip)
    assert w.shape == (4, 24)  # 0, 5, 10, 15 s windows of 10 s
    assert emb.model_id.startswith("laion-clap-")


def test_directory_is_detected_as_laion(tiny_dir):
    kind, path = resolve_model(str(tiny_dir))
    assert kind == "laion" and path == tiny_dir.resolve()


def test_save_load_round_trip_gives_same_vectors(tiny_dir, tmp_path):
    from transformers import ClapModel, ClapProcessor

    model = ClapModel.from_pretrained(str(tiny_dir), local_files_only=True)
    ClapProcessor.from_pretrained(str(tiny_dir), local_files_only=True).save_pretrained(tmp_path)
    model.save_pretrained(tmp_path)
    a, b = LaionClapEmbedder(tiny_dir), LaionClapEmbedder(tmp_path)
    assert np.allclose(a.embed_text(["a metal door slams"]), b.embed_text(["a metal door slams"]), atol=1e-6)
    clip = (np.random.default_rng(1).normal(0, 0.1, (1, 48000)).astype(np.float32), 48000)
    assert np.allclose(a.embed_audio([clip]), b.embed_audio([clip]), atol=1e-6)


def test_features_tensor_handles_both_transformers_conventions():
    t = torch.ones(2, 3)
    assert features_tensor(t) is t

    class Out:
        pooler_output = t

    assert features_tensor(Out()) is t
