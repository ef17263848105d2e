"""SfxgenService: the facade the UI, CLI and API share (tiny hero model, test embedder library)."""

from __future__ import annotations

import json
import os
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

import torch
sys.path.insert(0, os.path.dirname(__file__))
from service_fixtures import LIBRARY_FILES, make_service  # noqa: E402

from sfxgen.errors import IndexError_, ParameterError, RecipeError, SfxgenError  # noqa: E402


@pytest.fixture(scope="module")
def svc_lib(tmp_path_factory):
    torch.set_num_threads(1)
    return make_service(tmp_path_factory)


@pytest.fixture(scope="module")
def svc(svc_lib):
    return svc_lib[0]


@pytest.fixture(scope="module")
def gen(svc):
    return svc.generate("heavy rain on a roof", variations=2, seed=5, duration_s=0.6, steps=6)


def _audio(path):
    from sfxgen.audio import read_audio

    return read_audio(path)


def test_generate_writes_candidates_into_a_private_folder(svc, gen):
    assert gen.seed == 5 and [c.seed for c in gen.candidates] == [5, 6]
    assert Path(gen.request_dir).parent == svc.output_root
    for c in gen.candidates:
        audio, sr = _audio(c.audio_path)
        assert sr == 48000 and audio.shape == (2, int(0.6 * 48000)) and np.abs(audio).max() > 1e-3
        assert Path(c.spectrogram_path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert c.family in ("impact_metal", "door_slam", "rain", "wind")
        assert set(c.params) == set(c.hero["patch"]["params"]) and len(c.params) == 16
        assert Path(c.audio_path).parent == Path(gen.request_dir)
    json.dumps(gen.to_dict())  # JSON-ready
    again = svc.generate("heavy rain on a roof", variations=1, seed=6, duration_s=0.6, steps=6)
    assert again.request_dir != gen.request_dir  # no shared output names between requests
    a, _ = _audio(again.candidates[0].audio_path)
    b, _ = _audio(gen.candidates[1].audio_path)
    assert np.abs(a - b).max() < 2e-4  # seed + i reproduces variation i (to a few 16-bit steps)


def test_generate_candidates_per_variation_reaches_the_pipeline(svc, monkeypatch):
    pipe = svc.generator(None)
    seen = []
    real_call = type(pipe).__call__
    monkeypatch.setattr(type(pipe), "__call__", lambda self, *a, **kw: seen.append(kw) or real_call(self, *a, **kw))
    r = svc.generate("rain", variations=2, seed=3, duration_s=0.3, steps=3, candidates=3)
    assert sorted(c.seed for c in r.candidates) == [3, 4]  # ranked by score, one per seed
    assert seen[-1]["candidates_per_variation"] == 3
    svc.generate("rain", variations=1, seed=3, duration_s=0.3, steps=3)
    assert "candidates_per_variation" not in seen[-1]  # the pipeline default


def test_random_seed_is_resolved_and_reported(svc):
    r = svc.generate("wind", variations=1, seed=-1, duration_s=0.3, steps=3)
    assert r.seed >= 0 and r.candidates[0].seed == r.seed
    r2 = svc.generate("wind", variations=1, seed=r.seed, duration_s=0.3, steps=3)
    assert np.abs(_audio(r.candidates[0].audio_path)[0] - _audio(r2.candidates[0].audio_path)[0]).max() < 2e-4


@pytest.mark.parametrize("kwargs, match", [
    (dict(prompt=""), "prompt is empty"),
    (dict(seed=-5), "seed"),
    (dict(variations=0), "variations"),
    (dict(steps=0), "steps"),
    (dict(model="no-such-model"), "model folder not found"),
    (dict(candidates=0), "candidates"),
    (dict(candidates=2.5), "candidates"),
])
def test_generate_refuses_bad_input(svc, kwargs, match):
    args = dict(prompt="rain", variations=1, seed=0, duration_s=0.3, steps=3)
    args.update(kwargs)
    with pytest.raises(SfxgenError, match=match):
        svc.generate(args.pop("prompt"), **args)


def test_edit_hero_changes_named_parameters(svc, gen):
    from sfxgen.dsp.analysis import spectral_centroid_hz

    hero = gen.candidates[0].hero
    dark = svc.edit_hero(hero, {"brightness": -1.0, "size": 1.0})
    bright = svc.edit_hero(hero, {"brightness": 1.0, "size": -1.0})
    assert dark.params["brightness"] == -1.0 and bright.params["size"] == -1.0
    assert dark.seed == hero["seed"] and dark.duration_s == pytest.approx(0.6)
    a, sr = _audio(dark.audio_path)
    b, _ = _audio(bright.audio_path)
    assert spectral_centroid_hz(a, sr) < spectral_centroid_hz(b, sr)
    rel = svc.edit_hero(dark.hero, {"brightness": "+=0.5"})
    assert rel.params["brightness"] == pytest.approx(-0.5, abs=1e-4)
    with pytest.raises(ParameterError, match="has no parameter"):
        svc.edit_hero(hero, {"wobble": 0.1})
    with pytest.raises(ParameterError, match="choose a generated candidate"):
        svc.edit_hero({}, {"size": 0.1})


def test_more_like_this_stays_near(svc, gen):
    hero = gen.candidates[0].hero
    p0 = np.array(list(hero["patch"]["params"].values()))
    near = svc.more_like_this(hero, strength=0.15, variations=2, seed=3, steps=20)
    far = svc.more_like_this(hero, strength=1.0, variations=2, seed=3, steps=20)
    dn = np.mean([np.abs(np.array(list(c.params.values())) - p0).mean() for c in near.candidates])
    df = np.mean([np.abs(np.array(list(c.params.values())) - p0).mean() for c in far.candidates])
    assert dn < df and near.seed == 3 and near.prompt == hero["prompt"]


def test_index_reports_progress_failures_and_stats(tmp_path_factory):
    svc, libdir = make_service(tmp_path_factory, index=False)
    seen = []
    rep = svc.index([str(libdir)], on_progress=seen.append)
    assert rep.summary["indexed"] == len(LIBRARY_FILES)
    assert [f["path"] for f in rep.failures] == [str(libdir / "broken_truncated.wav")]
    assert rep.failures[0]["error"]
    assert rep.stats["ok"] == len(LIBRARY_FILES) and rep.stats["failed"] == 1
    assert seen and seen[-1].done == seen[-1].total and seen[-1].total >= len(LIBRARY_FILES)
    again = svc.index(str(libdir))
    assert again.summary["unchanged"] == len(LIBRARY_FILES) and again.summary["indexed"] == 0
    assert str(libdir.resolve()) in svc.library_roots
    with pytest.raises(ParameterError, match="no such file or folder"):
        svc.index(["/definitely/not/here"])


def test_search_similar_and_filters(svc, svc_lib):
    libdir = svc_lib[1]
    hits = svc.search("wooden door slam", top_k=3, mode="meta").hits
    assert Path(hits[0].path).name.startswith("DOORWood")
    hits = svc.search("sub drop boom", top_k=6, mode="hybrid", filters={"category": "DESIGNED"}).hits
    assert hits and all(h.category == "DESIGNED" for h in hits)
    door = svc.search("door", top_k=1, mode="meta").hits[0]
    sim = svc.similar(door.id, top_k=3)
    assert door.id not in [h.id for h in sim.hits] and len(sim.hits) == 3
    with pytest.raises(ParameterError, match="unknown search mode"):
        svc.search("rain", mode="psychic")
    with pytest.raises(ParameterError, match="above max duration"):
        svc.search("rain", filters={"min_duration_s": 3, "max_duration_s": 1})
    assert all(os.path.dirname(h.path) == str(libdir.resolve()) for h in svc.search("rain", top_k=10).hits)


def test_audition_only_serves_catalogued_files(svc):
    hit = svc.search("metal clang", top_k=1, mode="meta").hits[0]
    a = svc.audition(hit.id)
    audio, sr = _audio(a.audio_path)
    assert sr == 48000 and audio.shape[1] == 48000 and a.record["path"] == hit.path
    assert Path(a.audio_path).resolve().is_relative_to(svc.output_root.resolve())
    for bad in (999999, "../../etc/passwd", -1):
        with pytest.raises(SfxgenError):
            svc.audition(bad)


def test_recipe_building_table_edits_and_eq_text(svc, gen):
    from sfxgen.service import format_eq, parse_eq

    hero = gen.candidates[0].hero
    r = svc.use_as_hero(None, hero)
    assert [l["role"] for l in r["layers"]] == ["hero"] and r["layers"][0]["source"]["kind"] == "synth"
    door = svc.search("door slam", top_k=1, mode="meta").hits[0]
    r = svc.add_layer(r, door.id, role="body")
    r = svc.add_layer(r, door.id, role="body")
    assert [l["name"] for l in r["layers"]] == ["hero", "body", "body_2"]
    assert r["layers"][1]["source"]["sha1"]
    rows = svc.layer_table(r)
    assert [row[0] for row in rows] == ["hero", "body", "body_2"]
    rows[1][3] = -6.5
    rows[1][7] = "highpass 120Hz; peak 2.5kHz -4dB q1.5"
    rows[1][8] = ""
    rows = [rows[1], rows[0]]  # reorder and drop body_2
    r2 = svc.apply_layer_table(json.dumps(r), rows, preset="streaming")
    assert [l["name"] for l in r2["layers"]] == ["body", "hero"] and r2["master"]["preset"] == "streaming"
    body = r2["layers"][0]
    assert body["gain_db"] == -6.5 and body["reverb_send_db"] is None
    assert [(b["type"], b["freq_hz"], b["gain_db"]) for b in body["eq"]] == [("highpass", 120.0, 0.0),
                                                                             ("peak", 2500.0, -4.0)]
    bands = parse_eq("hp 80hz; bell 1khz +3dB q2; bandpass 200 to 800Hz")
    assert parse_eq(format_eq(bands)) == bands
    with pytest.raises(ParameterError, match="unknown type"):
        parse_eq("wobble 100Hz")
    with pytest.raises(RecipeError, match="no layer named"):
        svc.apply_layer_table(r, [["ghost", "body", "", 0, 0, 0, 0, "", "", False]])
    # replacing the hero keeps the hero layer's edits
    other = gen.candidates[1].hero
    r3 = svc.use_as_hero(r2, other)
    hero_layer = [l for l in r3["layers"] if l["role"] == "hero"][0]
    assert hero_layer["source"]["seed"] == other["seed"] and len(r3["layers"]) == 2


def test_design_render_and_export_package(svc):
    d = svc.design("metal clang in a big hall", layers=2, seed=1, duration_s=0.8, preset="ebu-r128")
    roles = [l["role"] for l in d.recipe["layers"]]
    assert roles[0] == "hero" and 2 <= len(roles) <= 3  # the prompt and hero decide the roles
    assert all(l["reason"] for l in d.recipe["layers"])
    assert any(p.get("source") == "library" for p in d.picks)  # the indexed library was searched
    prev = svc.render_recipe(d.recipe, preset="streaming")
    assert prev.preset["name"] == "streaming" and prev.recipe["master"]["preset"] == "streaming"
    audio, sr = _audio(prev.mix_path)
    assert sr == 48000 and audio.shape[0] == 2
    if prev.met_target:
        assert prev.loudness["integrated_lufs"] == pytest.approx(-14.0, abs=1.0)
    assert prev.loudness["true_peak_dbtp"] <= -1.0 + 0.2
    assert prev.qc_text and "passed" in json.dumps(prev.qc)
    ex = svc.export(d.recipe)
    with zipfile.ZipFile(ex.zip_path) as z:
        names = z.namelist()
    base = ex.manifest["name"]
    cat = ex.manifest["ucs_catid"]  # UCS names: CatID_FXName_sfxgen_NAME_...
    assert any(n.startswith(f"{base}/{cat}_") and n.endswith("_mix.wav") for n in names)
    assert f"{base}/recipe.json" in names and f"{base}/qc.json" in names
    assert sum("_stem_" in n for n in names) == len(roles) + 1  # layers + reverb return
    assert ex.manifest["stems_mode"] == "post-master"
    assert Path(ex.zip_path).parent == Path(ex.request_dir) and ex.qc_text
    # the exported recipe replays to the same mix
    replay = svc.render_recipe(json.loads(Path(ex.manifest["recipe"]).read_text()), picture=False)
    a, _ = _audio(replay.mix_path)
    b, _ = _audio(ex.manifest["mix"])
    assert np.abs(a - b).max() < 1e-4


def test_design_job_and_export_to_a_folder(svc, tmp_path):
    job = svc.design_job("wind gust", tmp_path / "job", layers=1, seed=2, duration_s=0.5)
    d = job.to_dict()
    assert Path(d["mix"]).is_file() and Path(d["recipe"]).is_file() and len(d["variations"]) == 1
    ex = svc.export(json.loads(Path(d["recipe"]).read_text()), out_dir=tmp_path / "again" / "pkg")
    assert Path(ex.package_dir) == tmp_path / "again" / "pkg" and Path(ex.zip_path) == tmp_path / "again" / "pkg.zip"
    a, _ = _audio(ex.manifest["mix"])
    b, _ = _audio(d["mix"])
    assert np.abs(a - b).max() < 1e-4  # the exported recipe replays the job's mix


def test_recipe_save_load_and_errors(svc, gen, tmp_path):
    r = svc.use_as_hero(None, gen.candidates[0].hero)
    path = svc.save_recipe(r)
    assert svc.load_recipe(path) == r
    assert svc.load_recipe(json.dumps(r)) == r
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(RecipeError, match="not valid JSON"):
        svc.load_recipe(str(bad))
    with pytest.raises(RecipeError, match="recipe is empty"):
        svc.render_recipe("")
    broken = json.loads(json.dumps(r))
    broken["layers"][0]["gain_db"] = 99
    with pytest.raises(RecipeError, match="gain_db"):
        svc.export(broken)


def test_loudness_and_qc_of_a_file(svc, tmp_path):
    from sfxgen.audio import write_audio

    t = np.arange(48000 * 4) / 48000
    x = (0.1 * np.sin(2 * np.pi * 997 * t)).astype(np.float32)
    path = write_audio(tmp_path / "tone.wav", np.stack([x, x]), 48000)
    rep = svc.loudness(str(path), preset="ebu-r128")
    # 997 Hz stereo sine at -20 dBFS peak: about -20 - 3 + 3 = -20 LUFS... measured by the meter
    from sfxgen.loudness import measure

    want = measure(np.stack([x, x]), 48000).integrated_lufs
    assert rep.loudness["integrated_lufs"] == pytest.approx(want, abs=0.05)
    assert rep.offset_lu == pytest.approx(want + 23.0, abs=0.05) and rep.within_tolerance is False
    q = svc.qc(str(path), preset="ebu-r128")
    assert q.passed is False  # 3 LU off target
    with pytest.raises(SfxgenError):
        svc.loudness(str(tmp_path / "missing.wav"))


def test_cleanup_removes_only_old_request_folders(svc):
    old = svc.new_request_dir("old")
    past = time.time() - svc.max_age_s - 10
    os.utime(old, (past, past))
    fresh = svc.new_request_dir("fresh")
    mine = svc.output_root / "my_own_folder"  # not a request folder: never touched
    mine.mkdir()
    os.utime(mine, (past, past))
    assert svc.cleanup() >= 1
    assert not old.exists() and fresh.exists() and mine.exists()


def test_unknown_file_ids_and_empty_library(tmp_path):
    from sfxgen.library import Library
    from sfxgen.service import SfxgenService

    sys.path.insert(0, os.path.dirname(__file__))
    from library_test_embedder import SpectralTestEmbedder

    svc = SfxgenService(library=Library.open(tmp_path / "idx", embedder=SpectralTestEmbedder()),
                        output_root=tmp_path / "out")
    with pytest.raises(IndexError_, match="empty"):
        svc.search("rain")
    with pytest.raises(IndexError_, match="no indexed file"):
        svc.add_layer(None, 1)
