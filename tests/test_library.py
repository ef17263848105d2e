"""Library index and search: a generated library of good and deliberately broken files.

Uses the real MiniLM metadata encoder and the test-only spectral audio embedder
(tests/library_test_embedder.py), so rankings below are real content-based behaviour.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys

import numpy as np
import pytest
import soundfile as sf

sys.path.insert(0, os.path.dirname(__file__))
from library_test_embedder import SpectralTestEmbedder  # noqa: E402

from sfxgen.audio import Bext, read_audio, write_audio  # noqa: E402
from sfxgen.errors import IndexError_, ParameterError  # noqa: E402
from sfxgen.library import IndexConfig, Library, SearchFilters  # noqa: E402
from sfxgen.library.vectors import VectorStore, measure_recall  # noqa: E402

SR = 48000
CAP_MB = 0.25  # the "huge file" limit used by these tests


def tone(freq_hz, dur_s=1.0, sr=SR, ch=1, amp=0.4):
    t = np.arange(int(dur_s * sr)) / sr
    x = (amp * np.sin(2 * np.pi * freq_hz * t) * np.hanning(len(t)) ** 0.1).astype(np.float32)
    return np.repeat(x[None], ch, 0)


def hiss(dur_s=1.0, sr=SR, ch=1, seed=0, amp=0.2):
    rng = np.random.default_rng(seed)
    x = np.diff(rng.standard_normal((ch, int(dur_s * sr) + 1)), axis=1)  # high-tilted noise
    return (amp * x / np.abs(x).max()).astype(np.float32)


def make_library(root) -> dict:
    """Good files (various formats, metadata) and every kind of broken file. Returns names."""
    os.makedirs(root / "Doors")
    os.makedirs(root / "Weather")
    os.makedirs(root / "Misc")
    os.makedirs(root / "Copies")
    good = {}
    good["door"] = write_audio(root / "Doors" / "DOORWood_Heavy Wooden Door Slam_ACME_LIB_01.wav", tone(70), SR)
    good["door2"] = write_audio(root / "Doors" / "DOORWood_Wooden Door Close_ACME_LIB_02.wav", tone(90, 0.8), SR)
    good["thunder"] = write_audio(
        root / "Weather" / "take_007.wav", tone(55, 1.2), SR,
        bext=Bext(description="Thunder rumble, distant storm", originator="FieldRec"))
    good["wind"] = root / "Weather" / "wind_gust_hiss.flac"
    write_audio(good["wind"], hiss(1.0, seed=1), SR, fmt="flac")
    good["rain"] = root / "Weather" / "rain_on_roof.ogg"
    sf.write(good["rain"], hiss(1.0, sr=44100, ch=2, seed=2).T, 44100, format="OGG", subtype="VORBIS")
    good["beep"] = root / "Misc" / "ui_beep_confirm.aiff"
    sf.write(good["beep"], tone(1000, 0.3, sr=44100).T, 44100, format="AIFF", subtype="PCM_16")
    # misleading name: the content is bright hiss, the name says low rumble
    good["liar"] = write_audio(root / "Misc" / "low_rumble_bass.wav", hiss(1.0, seed=3), SR)
    tagged = root / "Misc" / "clip_0042.flac"
    write_audio(tagged, tone(2000, 0.5, ch=2), SR, fmt="flac")
    import mutagen

    f = mutagen.File(str(tagged), easy=True)
    f["title"] = "Glass bottle clink"
    f["genre"] = "Foley"
    f.save()
    good["tagged"] = tagged
    good["st441"] = write_audio(root / "Misc" / "engine_idle_low.wav", tone(110, 1.0, sr=44100, ch=2), 44100, bit_depth=16)
    shutil.copy(good["door"], root / "Copies" / "door_copy.wav")
    good["copy"] = root / "Copies" / "door_copy.wav"
    # broken ones
    bad = {}
    bad["empty"] = root / "Misc" / "empty.wav"
    bad["empty"].write_bytes(b"")
    bad["noframes"] = root / "Misc" / "header_only.wav"
    sf.write(bad["noframes"], np.zeros((0, 1), np.float32), SR, subtype="PCM_16")
    raw = (root / "Doors" / "DOORWood_Heavy Wooden Door Slam_ACME_LIB_01.wav").read_bytes()
    bad["truncated"] = root / "Misc" / "truncated.wav"
    bad["truncated"].write_bytes(raw[:30])
    bad["cut"] = root / "Misc" / "cut_short.wav"
    bad["cut"].write_bytes(raw[: len(raw) // 2])
    bad["text"] = root / "Misc" / "readme_renamed.wav"
    bad["text"].write_text("this is not audio, just a text file\n" * 20)
    bad["nan"] = root / "Misc" / "nan_float.wav"
    x = tone(300, 0.5)[0].copy()
    x[1000:1010] = np.nan
    sf.write(bad["nan"], x, SR, subtype="FLOAT")
    bad["unsupported"] = root / "Misc" / "voice_memo.m4a"
    bad["unsupported"].write_bytes(b"\0\0\0\x20ftypM4A " + b"\0" * 64)
    bad["huge"] = write_audio(root / "Misc" / "long_ambience.wav", hiss(2.0, ch=2, seed=4), SR)
    os.symlink(root / "Misc" / "self_loop.wav", root / "Misc" / "self_loop.wav")
    bad["selfloop"] = root / "Misc" / "self_loop.wav"
    os.symlink(root, root / "Misc" / "loop_dir")
    bad["dirloop"] = root / "Misc" / "loop_dir"
    (root / "Misc" / "notes.txt").write_text("ignored, not audio-looking")
    return {"good": {k: str(v) for k, v in good.items()}, "bad": {k: str(v) for k, v in bad.items()}}


@pytest.fixture(scope="module")
def text_encoder():
    from sfxgen.embed import get_text_encoder

    return get_text_encoder()


@pytest.fixture(scope="module")
def built(tmp_path_factory, text_encoder):
    root = tmp_path_factory.mktemp("lib")
    names = make_library(root)
    idx = tmp_path_factory.mktemp("idx")
    emb = SpectralTestEmbedder()
    lib = Library.open(idx, embedder=emb, text_encoder=text_encoder)
    seen = []
    summary = lib.index([root], progress=False, on_progress=seen.append, config=IndexConfig(max_file_mb=CAP_MB, batch_size=4))
    return {"root": root, "idx": idx, "names": names, "lib": lib, "summary": summary, "emb": emb, "progress": seen}


def _failed(summary) -> dict:
    return {f.path: f.error for f in summary.failed}


def test_index_good_files_and_collect_every_error(built):
    s, names = built["summary"], built["names"]
    assert s.indexed == len(names["good"])
    failed = _failed(s)
    bad = names["bad"]
    assert "empty" in failed[bad["empty"]]
    assert "no audio" in failed[bad["noframes"]]
    assert "truncated" in failed[bad["cut"]]
    assert bad["truncated"] in failed  # a 30-byte WAV header
    assert "not a recognised audio" in failed[bad["text"]]
    assert "NaN" in failed[bad["nan"]]
    assert "unsupported" in failed[bad["unsupported"]]
    assert "too large" in failed[bad["huge"]]
    assert "link loop" in failed[bad["selfloop"]]
    assert "link loop" in failed[bad["dirloop"]]
    assert len(failed) == len(bad)
    # stored in the catalogue, with reasons
    stored = {r.path: r.error for r in built["lib"].failures()}
    assert stored == failed
    # the progress callback saw every processed file with a rate
    prog = built["progress"]
    assert prog[-1].done == prog[-1].total and prog[-1].rate_per_s > 0
    assert built["lib"].consistency() == {"audio": {"missing": [], "extra": []}, "meta": {"missing": [], "extra": []}}


def test_permission_denied_is_reported_and_run_continues(tmp_path, text_encoder, monkeypatch):
    # running as root, chmod cannot deny reads: simulate the OS refusing to open one file
    root = tmp_path / "lib"
    root.mkdir()
    ok = write_audio(root / "ok.wav", tone(200), SR)
    locked = write_audio(root / "locked.wav", tone(300), SR)
    import sfxgen.library.indexer as indexer_mod

    real = indexer_mod.file_sha1

    def guarded(path, **kw):
        if os.path.basename(path) == "locked.wav":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, **kw)

    monkeypatch.setattr(indexer_mod, "file_sha1", guarded)
    lib = Library.open(tmp_path / "idx", embedder=SpectralTestEmbedder(), text_encoder=text_encoder)
    s = lib.index([root], progress=False)
    assert s.indexed == 1 and _failed(s) == {str(locked): "permission denied"}
    assert lib.catalog.get_by_path(str(ok)).status == "ok"


def test_metadata_ucs_bext_tags(built):
    lib, g = built["lib"], built["names"]["good"]
    door = lib.catalog.get_by_path(g["door"])
    assert (door.ucs_catid, door.category, door.subcategory) == ("DOORWood", "DOORS", "WOOD")
    assert door.fx_name == "Heavy Wooden Door Slam" and door.creator == "ACME" and door.source == "LIB"
    assert door.format == "WAV" and door.sample_rate == SR and door.channels == 1 and door.bit_depth == 24
    assert abs(door.duration_s - 1.0) < 1e-6 and door.peak_dbfs is not None and door.peak_dbfs < 0
    assert door.loudness_lufs is not None and -40 < door.loudness_lufs < 0
    thunder = lib.catalog.get_by_path(g["thunder"])
    assert thunder.description == "Thunder rumble, distant storm" and thunder.originator == "FieldRec"
    assert "thunder" in thunder.meta_text.lower()
    tagged = lib.catalog.get_by_path(g["tagged"])
    assert tagged.tags["title"] == "Glass bottle clink" and tagged.tags["genre"] == "Foley"
    rain = lib.catalog.get_by_path(g["rain"])
    assert rain.format == "OGG" and rain.channels == 2 and rain.sample_rate == 44100


def test_meta_search_finds_description_and_tags(built):
    lib, g = built["lib"], built["names"]["good"]
    assert lib.search("distant thunder storm", mode="meta", top_k=1)[0].path == g["thunder"]
    assert lib.search("glass bottle", mode="meta", top_k=1)[0].path == g["tagged"]
    hit = lib.search("wooden door slam", mode="meta", top_k=1)[0]
    assert hit.path in (g["door"], g["copy"]) and hit.category == "DOORS"


def test_audio_mode_ignores_names(built):
    lib, g = built["lib"], built["names"]["good"]
    # "low_rumble_bass.wav" holds bright hiss: audio mode must rank real low tones above it
    hits = lib.search("low rumble", mode="audio", top_k=20)
    paths = [h.path for h in hits]
    assert paths.index(g["liar"]) > paths.index(g["thunder"])
    assert paths[0] in (g["thunder"], g["door"], g["copy"], g["door2"], g["st441"])
    assert all(h.meta_score is None for h in hits)
    hiss_hits = [h.path for h in lib.search("high hiss noise", mode="audio", top_k=3)]
    assert g["liar"] in hiss_hits and g["wind"] in hiss_hits
    # meta mode trusts the name
    assert lib.search("low rumble bass", mode="meta", top_k=1)[0].path == g["liar"]


def test_hybrid_combines_both(built):
    lib, g = built["lib"], built["names"]["good"]
    hits = lib.search("low rumble thunder", mode="hybrid", top_k=5)
    assert hits[0].path == g["thunder"]
    assert hits[0].audio_score is not None and hits[0].meta_score is not None
    assert hits == sorted(hits, key=lambda h: -h.score)


def test_exact_duplicates_collapsed(built):
    lib, g = built["lib"], built["names"]["good"]
    hits = lib.search("wooden door", mode="hybrid", top_k=10)
    door_paths = [h.path for h in hits if h.path in (g["door"], g["copy"])]
    assert len(door_paths) == 1
    top = next(h for h in hits if h.path in (g["door"], g["copy"]))
    assert set(top.duplicates) == {g["door"], g["copy"]} - {top.path}


def test_filters(built):
    lib, g = built["lib"], built["names"]["good"]
    f = SearchFilters(channels=2)
    assert {h.path for h in lib.search("sound", filters=f, top_k=20)} == {g["rain"], g["tagged"], g["st441"]}
    f = SearchFilters(sample_rate=44100)
    assert {h.path for h in lib.search("sound", filters=f, top_k=20)} == {g["rain"], g["beep"], g["st441"]}
    f = SearchFilters(max_duration_s=0.6)
    assert {h.path for h in lib.search("sound", filters=f, top_k=20)} == {g["beep"], g["tagged"]}
    f = SearchFilters(min_duration_s=1.1, max_duration_s=2.0)
    assert {h.path for h in lib.search("sound", filters=f, top_k=20)} == {g["thunder"]}
    f = SearchFilters(category="doors")
    got = {h.path for h in lib.search("slam", filters=f, top_k=20, mode="audio")}
    assert got == {g["door2"], g["door"]} or got == {g["door2"], g["copy"]}
    f = SearchFilters(path_glob="*/Weather/*")
    assert {h.path for h in lib.search("anything", filters=f, top_k=20)} == {g["thunder"], g["wind"], g["rain"]}
    assert lib.search("sound", filters=SearchFilters(channels=6)) == []
    with pytest.raises(ParameterError):
        lib.search("x", filters=SearchFilters(min_duration_s=3, max_duration_s=1))
    with pytest.raises(ParameterError):
        lib.search("x", mode="loudest")


def test_similar_by_path_id_and_outside_file(built, tmp_path):
    lib, g = built["lib"], built["names"]["good"]
    hits = lib.similar(g["wind"], top_k=3)
    assert g["wind"] not in [h.path for h in hits]
    assert hits[0].path in (g["liar"], g["rain"])  # the other hiss recordings
    wind_id = lib.catalog.get_by_path(g["wind"]).id
    assert [h.id for h in lib.similar(wind_id, top_k=3)] == [h.id for h in hits]
    # the query's exact copies are not "similar" results
    assert not {g["door"], g["copy"]} & {h.path for h in lib.similar(g["door"], top_k=10)}
    outside = write_audio(tmp_path / "new_low.wav", tone(65, 1.0), SR)
    top = lib.similar(str(outside), top_k=1)[0]
    assert top.path in (g["door"], g["copy"], g["thunder"], g["door2"])
    with pytest.raises(IndexError_):
        lib.similar(999999)


def test_get_and_stats(built):
    lib = built["lib"]
    st = lib.stats()
    n_good = len(built["names"]["good"])
    assert st.ok == n_good and st.failed == len(built["names"]["bad"])
    assert st.unique_contents == n_good - 1  # door_copy.wav
    assert st.audio_model_id == "test-spectral-v1" and st.text_model_id == "all-MiniLM-L6-v2"
    assert st.audio_index.count == n_good and st.audio_index.kind == "exact"
    assert st.categories["DOORS"] == 2  # door_copy.wav has no UCS name
    rec = lib.get(lib.search("door", top_k=1)[0].id)
    assert rec is not None and rec.status == "ok"
    assert lib.get(10**9) is None


def test_incremental_rename_change_remove(tmp_path, text_encoder):
    root = tmp_path / "lib"
    root.mkdir()
    for i, f in enumerate((80, 160, 320, 640, 1280, 2560)):
        write_audio(root / f"tone_{f}hz.wav", tone(f), SR)
    emb = SpectralTestEmbedder()
    lib = Library.open(tmp_path / "idx", embedder=emb, text_encoder=text_encoder)
    s = lib.index([root], progress=False)
    assert (s.indexed, s.unchanged, s.removed, s.audio_embedded) == (6, 0, 0, 6)
    calls = emb.calls
    s = lib.index([root], progress=False)
    assert (s.indexed, s.unchanged, s.removed, s.audio_embedded) == (0, 6, 0, 0) and emb.calls == calls
    # rename + move into a subfolder: detected by hash, audio not re-embedded, same audio vector
    old_vec = lib.catalog.raw_audio_vec(lib.catalog.get_by_path(str(root / "tone_80hz.wav")).id)
    (root / "sub").mkdir()
    os.rename(root / "tone_80hz.wav", root / "sub" / "kick_drum_low.wav")
    s = lib.index([root], progress=False)
    assert (s.indexed, s.unchanged, s.removed, s.renamed, s.audio_embedded) == (1, 5, 0, 1, 0)
    assert emb.calls == calls
    moved = lib.catalog.get_by_path(str(root / "sub" / "kick_drum_low.wav"))
    assert np.array_equal(lib.catalog.raw_audio_vec(moved.id), old_vec)
    assert "kick drum low" in moved.meta_text  # the metadata text follows the new name
    assert lib.search("kick drum", mode="meta", top_k=1)[0].path == moved.path
    # content change at the same path: re-embedded, old vector gone from the store
    old_id = lib.catalog.get_by_path(str(root / "tone_160hz.wav")).id
    write_audio(root / "tone_160hz.wav", hiss(1.0), SR)
    s = lib.index([root], progress=False)
    assert (s.indexed, s.unchanged, s.audio_embedded) == (1, 5, 1)
    assert old_id not in set(lib.audio_store.ids().tolist())
    # removal
    os.remove(root / "tone_2560hz.wav")
    s = lib.index([root], progress=False)
    assert (s.indexed, s.unchanged, s.removed) == (0, 5, 1)
    assert lib.stats().ok == 5 and lib.audio_store.count == 5 and lib.meta_store.count == 5
    # indexing one sub-folder does not drop files outside it
    s = lib.index([root / "sub"], progress=False)
    assert (s.unchanged, s.removed) == (1, 0) and lib.stats().ok == 5


def test_reopen_reconciles_lost_and_stale_faiss(tmp_path, text_encoder):
    root = tmp_path / "lib"
    root.mkdir()
    for f in (100, 200, 400, 800):
        write_audio(root / f"t{f}.wav", tone(f), SR)
    idx = tmp_path / "idx"
    lib = Library.open(idx, embedder=SpectralTestEmbedder(), text_encoder=text_encoder)
    lib.index([root], progress=False)
    ids = lib.audio_store.ids()
    lib.close()
    # a crash after the catalogue commit but before the faiss save: the file is stale / gone
    (idx / "audio.faiss").unlink()
    (idx / "meta.faiss").write_bytes(b"garbage")
    with sqlite3.connect(idx / "catalog.sqlite") as c:
        c.execute("DELETE FROM files WHERE id=?", (int(ids[0]),))
    lib = Library.open(idx, embedder=SpectralTestEmbedder(), text_encoder=text_encoder)
    assert lib.consistency() == {"audio": {"missing": [], "extra": []}, "meta": {"missing": [], "extra": []}}
    assert lib.audio_store.count == 3 and lib.meta_store.count == 3
    assert lib.search("tone", top_k=10, mode="audio")[0].path.endswith(".wav")


def test_model_mismatch_is_refused(built, text_encoder):
    other = Library.open(built["idx"], embedder=SpectralTestEmbedder(model_id="test-spectral-v2"), text_encoder=text_encoder)
    with pytest.raises(IndexError_, match="test-spectral-v1"):
        other.search("door", mode="audio")
    with pytest.raises(IndexError_, match="test-spectral-v2"):
        other.index([built["root"]], progress=False)
    # metadata search uses only the text encoder, which matches
    assert other.search("door", mode="meta", top_k=1)
    with pytest.raises(IndexError_, match="no library index"):
        Library.open(built["idx"] / "nope", create=False)


def test_approximate_store_switch_recall_and_removal(tmp_path):
    rng = np.random.default_rng(0)
    centers = rng.standard_normal((20, 32)).astype(np.float32)
    x = centers[rng.integers(0, 20, 3000)] + 0.3 * rng.standard_normal((3000, 32)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    ids = np.arange(10, 3010, dtype=np.int64)
    store = VectorStore(tmp_path, "audio", 32, approx_threshold=1000)
    store.add(ids, x)
    assert store.info.kind == "exact"
    assert store.maybe_relayout()
    info = store.info
    assert info.kind == "ivf" and info.recall_at_10 >= 0.95 and 1 <= info.nprobe <= info.nlist
    # recall on fresh queries against brute force
    q = x[:50] + 0.1 * rng.standard_normal((50, 32)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    exact = ids[np.argsort(-(q @ x.T), axis=1)[:, :10]]
    _, got = store.search(q, 10)
    assert measure_recall(exact, got) >= 0.9
    # removal and reconstruction by id work on the IVF layout; survives save + reload
    store.remove(ids[:100])
    assert store.count == 2900 and store.reconstruct(int(ids[0])) is None
    assert np.allclose(store.reconstruct(int(ids[200])), x[200], atol=1e-6)
    store.save()
    again = VectorStore(tmp_path, "audio", 32, approx_threshold=1000)
    assert again.info.kind == "ivf" and again.count == 2900
    assert np.array_equal(again.ids(), ids[100:])
    # filtered search on IVF stays inside the allowed ids
    allowed = ids[500:520]
    _, got = again.search(q[:3], 5, allowed_ids=allowed)
    assert set(got[got >= 0].tolist()) <= set(allowed.tolist()) and (got >= 0).sum() == 15
    # shrinking far below the threshold goes back to exact
    again.remove(ids[100:2800])
    assert again.maybe_relayout() and again.info.kind == "exact" and again.count == 200


def test_eval_library_reports_p_at_10_per_mode(tmp_path, text_encoder):
    from sfxgen.eval.library import evaluate_library

    corpus = tmp_path / "corpus"
    rows = ["path,package,category"]
    for i in range(12):
        for cat, folder, make in (("explosion", "explosions", lambda s: tone(50 + s, 1.0)),
                                  ("weather", "wind", lambda s: hiss(1.0, seed=s))):
            rel = f"pkga/sounds/{folder}/{folder}_{i:02d}.wav"
            (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
            write_audio(corpus / rel, make(i), SR)
            rows.append(f"{rel},pkga,{cat}")
    (corpus / "pkgb").mkdir()  # a package left out of the evaluation
    write_audio(corpus / "pkgb" / "other.wav", tone(500), SR)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("\n".join(rows) + "\n")
    report = evaluate_library(corpus, manifest, index_dir=tmp_path / "idx", embedder=SpectralTestEmbedder(),
                              text_encoder=text_encoder, packages=["pkga"], progress=False)
    assert report.categories == ["explosion", "weather"] and report.n_indexed == 24
    assert report.per_category["explosion"]["n"] == 12
    assert report.mean["meta"] >= 0.9  # the names say it
    assert report.mean["lexical"] >= 0.9  # "explosions_03", "wind_07": the words are in the names
    assert 0.0 <= report.mean["audio"] <= 1.0 and 0.0 <= report.mean["hybrid"] <= 1.0
    assert report.mean_r_at_10["meta"] >= 0.9 and report.lopo == {}  # one package: no leave-one-out
    assert "mean P@10" in report.format()


def test_reader_sees_updates_from_another_writer(tmp_path, text_encoder):
    root = tmp_path / "lib"
    root.mkdir()
    write_audio(root / "door_knock.wav", tone(150), SR)
    idx = tmp_path / "idx"
    writer = Library.open(idx, embedder=SpectralTestEmbedder(), text_encoder=text_encoder)
    writer.index([root], progress=False)
    reader = Library.open(idx, create=False, embedder=SpectralTestEmbedder(), text_encoder=text_encoder)
    assert len(reader.search("glass", mode="meta", top_k=10)) == 1
    write_audio(root / "glass_shatter.wav", hiss(0.5), SR)
    writer.index([root], progress=False)
    hits = reader.search("glass shatter", mode="meta", top_k=10)
    assert len(hits) == 2 and hits[0].path.endswith("glass_shatter.wav")


def _default_model_ready() -> bool:
    from sfxgen.paths import models_dir

    return (models_dir() / "sfxgen-clap-small" / "config.json").is_file()


@pytest.mark.skipif(not _default_model_ready(), reason="the embedded sfxgen-clap-small model is not in models/ yet")
def test_default_models_end_to_end(tmp_path):
    from sfxgen.embed import get_embedder

    root = tmp_path / "lib"
    root.mkdir()
    write_audio(root / "noise_a.wav", hiss(2.0, seed=10), SR)
    write_audio(root / "noise_b.wav", hiss(2.0, seed=11), SR)
    write_audio(root / "tone_a.wav", tone(440, 2.0), SR)
    write_audio(root / "tone_b.wav", tone(660, 2.0), SR)
    lib = Library.open(tmp_path / "idx")  # default embedder and MiniLM
    s = lib.index([root], progress=False)
    assert s.indexed == 4 and not s.failed
    assert lib.stats().audio_model_id == get_embedder().model_id
    hits = lib.search("noise", mode="audio", top_k=4)
    assert len(hits) == 4 and all(h.meta_score is None for h in hits)
    assert lib.similar(str(root / "noise_a.wav"), top_k=1)[0].path.endswith("noise_b.wav")
    assert lib.similar(str(root / "tone_a.wav"), top_k=1)[0].path.endswith("tone_b.wav")
    # test-time pooling over 2 s crops besides the model's 5 s windows, the same for a file
    # embedded on the fly as for the indexed copy
    assert lib.audio_windows() == (2.0,)
    write_audio(root / "long_mix.wav", np.concatenate([hiss(3.0, seed=12), tone(220, 3.0)], axis=1), SR)
    lib.index([root], progress=False)
    rec = lib.catalog.get_by_path(str(root / "long_mix.wav"))
    assert float(lib._embed_file(rec.path) @ lib.catalog.raw_audio_vec(rec.id)) > 0.9999
    emb = get_embedder()
    audio, sr = read_audio(rec.path)
    plain = emb.embed_audio([(audio, sr)])[0]
    assert float(plain @ lib.catalog.raw_audio_vec(rec.id)) < 0.9999  # pooling changed the 6 s clip's vector


def test_content_moved_to_new_file_while_old_row_is_replaced(tmp_path, text_encoder):
    root = tmp_path / "lib"
    root.mkdir()
    write_audio(root / "a.wav", tone(100), SR)
    lib = Library.open(tmp_path / "idx", embedder=SpectralTestEmbedder(), text_encoder=text_encoder)
    lib.index([root], progress=False)
    shutil.copy(root / "a.wav", root / "b.wav")  # b takes a's old bytes...
    write_audio(root / "a.wav", hiss(1.0), SR)  # ...while a gets new content
    s = lib.index([root], progress=False, config=IndexConfig(batch_size=1))  # a's old row is gone before b commits
    assert not s.failed and s.indexed == 2 and s.audio_embedded == 2
    assert lib.search("low", mode="audio", top_k=1)[0].path == str(root / "b.wav")
    assert lib.consistency()["audio"] == {"missing": [], "extra": []}


def test_concurrent_searches_from_threads(built):
    from concurrent.futures import ThreadPoolExecutor

    lib = built["lib"]
    expected = [h.id for h in lib.search("wooden door", top_k=5)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: [h.id for h in lib.search("wooden door", top_k=5)], range(12)))
    assert all(r == expected for r in results)


# ------------------------------------------------------------------------- search v2 (issue 18)
def test_every_mode_scores_are_calibrated_relevance(built):
    lib = built["lib"]
    for mode in ("hybrid", "audio", "meta", "lexical"):
        hits = lib.search("wooden door slam", mode=mode, top_k=8)
        assert hits, mode
        assert all(0.0 <= h.score <= 1.0 and h.relevance == h.score for h in hits), mode
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True), mode
    like = lib.similar(built["names"]["good"]["door2"], top_k=5)
    assert like and all(0.0 <= h.score <= 1.0 for h in like)


def test_lexical_mode_reads_ucs_tags_and_highlights(built):
    lib, g = built["lib"], built["names"]["good"]
    hits = lib.search("door", mode="lexical", top_k=5)
    assert {h.path for h in hits[:2]} <= {g["door"], g["door2"], g["copy"]}
    assert all("door" in h.matched for h in hits[:2])
    assert hits[0].lexical_score > 0 and hits[0].audio_score is None
    # the UCS CatID expands: "doors" (a UCS category) also matches files named by CatID only
    assert lib.search("DOORWood", mode="lexical", top_k=1)[0].path in (g["door"], g["door2"], g["copy"])
    # the ID3/Vorbis title of clip_0042.flac, and a bext description
    assert lib.search("bottle clink", mode="lexical", top_k=1)[0].path == g["tagged"]
    assert lib.search("thunder", mode="lexical", top_k=1)[0].path == g["thunder"]
    assert lib.search("zzqx", mode="lexical", top_k=5) == []


def test_negation_pushes_matching_files_down(built):
    lib, g = built["lib"], built["names"]["good"]
    plain = {h.path: h.score for h in lib.search("wooden door", mode="hybrid", top_k=10)}
    out = lib.search_detailed("wooden door, not heavy slam", mode="hybrid", top_k=10)
    neg = {h.path: h.score for h in out.hits}
    assert out.query.negative == ["heavy slam"] and out.query.positive == "wooden door"
    def heavy(scores):  # the heavy slam and its exact copy are one hit under either path
        return scores.get(g["door"], scores.get(g["copy"]))

    assert heavy(neg) < heavy(plain)
    assert out.hits[0].path == g["door2"]


def test_duration_and_loudness_words_filter(built):
    lib = built["lib"]
    out = lib.search_detailed("short beep", mode="hybrid", top_k=20)
    assert out.hits and all(h.duration_s <= 2.0 for h in out.hits)
    assert any("duration" in n for n in out.query.notes)
    assert lib.search("long door", mode="meta", top_k=5) == []  # nothing here is 5 s or longer
    quiet = lib.search("quiet sound", mode="meta", top_k=20)
    loud = lib.search("loud sound", mode="meta", top_k=20)
    assert quiet and loud
    assert max(h.loudness_lufs for h in quiet) <= min(h.loudness_lufs for h in loud)


def test_other_language_gets_a_clear_message(built):
    with pytest.raises(ParameterError, match="French"):
        built["lib"].search("porte qui grince", mode="hybrid")


def _schema_1_copy(index_dir, dest) -> list:
    """A copy of an index as the schema-1 catalogue was (no FTS table); returns its file rows."""
    shutil.copytree(index_dir, dest)
    con = sqlite3.connect(dest / "catalog.sqlite")
    con.execute("DROP TABLE files_fts")
    con.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    con.commit()
    rows = con.execute("SELECT id, path, audio_vec, meta_vec FROM files ORDER BY id").fetchall()
    con.close()
    return rows


def test_schema_1_index_is_migrated_without_losing_anything(built, tmp_path, text_encoder):
    old = tmp_path / "old_idx"
    before = _schema_1_copy(built["idx"], old)
    lib = Library.open(old, embedder=built["emb"], text_encoder=text_encoder)
    try:
        assert lib.notice and "schema 1" in lib.notice
        after = lib.catalog.conn.execute("SELECT id, path, audio_vec, meta_vec FROM files ORDER BY id").fetchall()
        assert [tuple(r) for r in after] == before
        n_fts = lib.catalog.conn.execute("SELECT COUNT(*) FROM files_fts").fetchone()[0]
        assert n_fts == lib.catalog.count("ok")
        assert lib.search("thunder", mode="lexical", top_k=1)[0].path == built["names"]["good"]["thunder"]
    finally:
        lib.close()
    again = Library.open(old, embedder=built["emb"], text_encoder=text_encoder)
    assert again.notice is None and again.audio_windows() == ()
    again.close()


def test_lexical_index_follows_renames_and_removals(tmp_path, text_encoder):
    root = tmp_path / "lib"
    root.mkdir()
    write_audio(root / "GlassSmash_03.wav", tone(3000, 0.4), SR)
    lib = Library.open(tmp_path / "idx", embedder=SpectralTestEmbedder(), text_encoder=text_encoder)
    lib.index([root], progress=False)
    assert [h.path.endswith("GlassSmash_03.wav") for h in lib.search("glass smash", mode="lexical")] == [True]
    os.rename(root / "GlassSmash_03.wav", root / "metal_clang.wav")
    lib.index([root], progress=False)
    assert lib.search("glass", mode="lexical") == []
    assert lib.search("metal", mode="lexical")[0].path.endswith("metal_clang.wav")
    n = lib.catalog.conn.execute("SELECT COUNT(*) FROM files_fts").fetchone()[0]
    assert n == lib.catalog.count("ok") == 1
    lib.close()


def test_audio_relevance_for_other_modules(built):
    lib = built["lib"]
    ids, vecs = lib.catalog.vectors("audio", dim=lib.audio_store.dim)
    rel = lib.audio_relevance("low rumble", vecs)
    assert rel.shape == (len(ids),) and np.all((rel >= 0) & (rel <= 1))
    low = ids.tolist().index(lib.catalog.get_by_path(built["names"]["good"]["thunder"]).id)
    high = ids.tolist().index(lib.catalog.get_by_path(built["names"]["good"]["wind"]).id)
    assert rel[low] > rel[high]


def test_schema_1_index_that_cannot_be_upgraded_still_searches(built, tmp_path, text_encoder, monkeypatch):
    import sfxgen.library.catalog as catalog_mod

    old = tmp_path / "ro_idx"
    _schema_1_copy(built["idx"], old)
    # the upgrade's write fails (as on a read-only disk): vector search goes on, with a message
    monkeypatch.setattr(catalog_mod, "_FTS_SCHEMA", "CREATE VIRTUAL TABLE files_fts USING no_such_module()")
    lib = Library.open(old, embedder=built["emb"], text_encoder=text_encoder)
    try:
        assert not lib.catalog.fts_available and "read-only" in lib.notice
        assert lib.catalog.get_meta("schema_version") == "1"
        assert lib.search("thunder", mode="lexical") == []
        assert lib.search("distant thunder storm", mode="meta", top_k=1)[0].path == built["names"]["good"]["thunder"]
    finally:
        lib.close()


def test_common_words_are_scored_on_the_candidates_only(built):
    from sfxgen.library.lexical import concepts, lexical_scores

    cat, g = built["lib"].catalog, built["names"]["good"]
    cs = concepts("wooden door")
    full = lexical_scores(cat, cs)  # every group matches fewer files than the limit: ranked whole
    door_ids = [cat.get_by_path(p).id for p in (g["door"], g["door2"])]
    assert all(full.score[i] > 0 for i in door_ids)
    rare_only = lexical_scores(cat, cs, limit=1)  # "door" now counts as common: it pools nothing
    assert rare_only.score == {}
    among = lexical_scores(cat, cs, limit=1, candidates=door_ids + [cat.get_by_path(g["wind"]).id])
    assert set(among.score) == set(door_ids) and all(among.coverage[i] == 1.0 for i in door_ids)


def test_one_lexical_pass_pools_and_scores_candidates(built):
    from sfxgen.library.lexical import concepts, crude_stem, lexical_scores

    cat, g = built["lib"].catalog, built["names"]["good"]
    cs = concepts("wooden door")
    door_ids = sorted(cat.get_by_path(p).id for p in (g["door"], g["door2"]))
    wind = cat.get_by_path(g["wind"]).id
    # rare groups pool their best files; the evidence of pooled files equals a pass over them alone
    lx = lexical_scores(cat, cs, candidates=[wind], pool=5)
    assert set(door_ids) <= set(lx.pool)
    again = lexical_scores(cat, cs, candidates=lx.pool + [wind])
    score, cov = lx.lookup(door_ids + [wind])
    assert np.allclose(score, [again.score.get(i, 0.0) for i in door_ids + [wind]]) and cov[-1] == 0.0
    # a common group ("door" with limit=1) is scored on the candidates by the fields it matches
    common = lexical_scores(cat, cs, limit=1, candidates=door_ids + [wind], pool=5)
    assert all(common.score.get(i, 0.0) > 0 for i in door_ids) and common.score.get(wind, 0.0) == 0.0
    assert {crude_stem(w) for w in ("footsteps", "footstep")} == {"footstep"}
    assert crude_stem("creaking") == crude_stem("creaked") == "creak" and crude_stem("bodies") == crude_stem("body")


def test_ucs_expansion_brings_frequent_category_synonyms_not_stop_words():
    from sfxgen.library.lexical import STOPWORDS, concepts

    ui = concepts("user interface")[0]
    assert "uialert" in ui.expansions and {"alert", "notification"} <= set(ui.expansions)
    assert not STOPWORDS & set(ui.expansions)  # "sound" is a UI synonym but names every file's folder
    magic = concepts("magic")[0]
    assert "magspel" in magic.expansions and "sorcery" in magic.expansions
    assert "watrsplsh" in concepts("splashing")[0].expansions  # inflected words reach their subcategory
