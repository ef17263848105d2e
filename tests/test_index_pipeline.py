"""Index build pipeline details that the throughput work relies on: distinct metadata texts are
embedded once per run, the models run single-threaded in the pool (and the process setting is
restored), and the fast descriptor quantiles equal the sorted ones."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library_test_embedder import SpectralTestEmbedder  # noqa: E402

from sfxgen.audio import write_audio  # noqa: E402
from sfxgen.library import IndexConfig, Library  # noqa: E402

SR = 16000


class CountingText:
    """Metadata-text encoder that records every text it is asked to embed."""

    model_id = "test-text-v1"
    dim = 24

    def __init__(self):
        self.seen: list[str] = []
        self._emb = SpectralTestEmbedder(dim=self.dim)

    def embed_text(self, texts, *, batch_size: int = 64):
        self.seen.extend(texts)
        return self._emb.embed_text(texts)


class ThreadRecordingEmbedder(SpectralTestEmbedder):
    """Audio embedder that records torch's intra-op thread count at every call."""

    def __init__(self):
        super().__init__()
        self.torch_threads: list[int] = []

    def embed_audio(self, clips, *, batch_size: int = 32):
        self.torch_threads.append(torch.get_num_threads())
        return super().embed_audio(clips, batch_size=batch_size)


def _write(root: Path, names: list[str], seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    for i, name in enumerate(names):
        t = np.arange(int(0.3 * SR)) / SR
        x = 0.3 * np.sin(2 * np.pi * (100 + 50 * i) * t) + 0.01 * rng.standard_normal(len(t))
        write_audio(root / name, x[None].astype(np.float32), SR)


def test_numbered_takes_share_one_text_embedding_across_batches(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    _write(root, [f"door_slam_{i:02d}.wav" for i in range(7)] + ["glass_break.wav"])
    text = CountingText()
    lib = Library.open(tmp_path / "idx", embedder=SpectralTestEmbedder(), text_encoder=text)
    s = lib.index([root], progress=False, config=IndexConfig(batch_size=3))
    assert s.indexed == 8 and not s.failed
    assert len(text.seen) == len(set(text.seen)) == 2  # "door slam ..." once, "glass break ..." once
    vecs = {lib.catalog.get_by_path(str(root / f"door_slam_{i:02d}.wav")).id for i in range(7)}
    _, meta = lib.catalog.vectors("meta", sorted(vecs), dim=24)
    assert np.allclose(meta, meta[0])
    rec = lib.catalog.get_by_path(str(root / "door_slam_03.wav"))
    assert "door slam" in rec.meta_text and np.allclose(meta[0], text._emb.embed_text([rec.meta_text])[0], atol=1e-6)
    lib.close()


def test_models_run_single_threaded_in_the_pool_and_setting_is_restored(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    _write(root, [f"tone_{i}.wav" for i in range(5)])
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        emb = ThreadRecordingEmbedder()
        lib = Library.open(tmp_path / "idx", embedder=emb, text_encoder=CountingText())
        s = lib.index([root], progress=False, config=IndexConfig(batch_size=2, workers=2))
        assert s.indexed == 5 and s.audio_embedded == 5
        assert emb.torch_threads and set(emb.torch_threads) == {1}
        assert torch.get_num_threads() == 2
        lib.close()
    finally:
        torch.set_num_threads(before)


def test_descriptor_quantiles_match_the_sorting_path():
    from sfxgen.embed.descriptors import mel_descriptors

    rng = np.random.default_rng(0)
    mel = torch.from_numpy(rng.normal(-8.0, 3.0, (6, 64, 120)).astype(np.float32))
    lengths = torch.tensor([120, 1, 2, 37, 99, 120])
    fast = mel_descriptors(mel, lengths)  # numpy sort on the CPU
    slow = mel_descriptors(mel.clone().requires_grad_(True), lengths).detach()  # torch sort path
    assert torch.equal(fast, slow)
    alone = mel_descriptors(mel[3:4, :, :37])
    assert torch.allclose(fast[3:4], alone, atol=1e-5)
