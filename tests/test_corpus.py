"""Corpus builder and starter library: schema, determinism, balance, resuming, failures."""

import json
import os

import numpy as np
import pytest
import soundfile as sf

from sfxgen.audio import read_bext
from sfxgen.errors import ParameterError
from sfxgen.synth import corpus as corpus_mod
from sfxgen.synth.corpus import build_corpus, build_starter, plan_corpus, sample_item
from sfxgen.synth.patch import FAMILIES
from sfxgen.ucs import parse_ucs_filename

FAMS = ["impact_wood", "impact_glass", "impact_body"]  # short one-shots keep the test fast
KEYS = {"path", "family", "params", "captions", "tags", "ucs", "seed", "duration_s"}


def _lines(path):
    return [json.loads(x) for x in path.read_text().splitlines()]


def test_plan_is_balanced_deterministic_and_prefix_stable():
    a = plan_corpus(12, seed=4, families=FAMS)
    assert a == plan_corpus(12, seed=4, families=FAMS)
    assert plan_corpus(5, seed=4, families=FAMS) == a[:5]
    assert sorted(j.family for j in a) == sorted(FAMS * 4)
    assert a != plan_corpus(12, seed=5, families=FAMS)
    for j in a:
        base = FAMILIES[j.family].default_duration_s
        assert 0.75 * base - 1e-3 <= j.duration_s <= 1.25 * base + 1e-3
    p1, s1, d1 = sample_item(3, seed=4, families=FAMS)
    assert (p1.family, s1, d1) == (a[3].family, a[3].seed, a[3].duration_s)


def test_bad_arguments():
    with pytest.raises(ParameterError):
        plan_corpus(0)
    with pytest.raises(ParameterError, match="unknown sound families"):
        plan_corpus(3, families=["kazoo"])
    with pytest.raises(ParameterError):
        plan_corpus(3, audio=False, features=False)
    with pytest.raises(ParameterError):
        plan_corpus(3, fmt="mp3")


def test_build_resume_and_repair(tmp_path):
    out = tmp_path / "corpus"
    r = build_corpus(out, n=12, seed=1, workers=2, families=FAMS, progress=False)
    assert (r.rendered, r.reused, r.failed) == (12, 0, [])
    recs = _lines(out / "captions.jsonl")
    assert len(recs) == 12
    jobs = plan_corpus(12, seed=1, families=FAMS)
    for rec, job in zip(recs, jobs):
        assert KEYS <= set(rec) and rec["path"] == job.path and rec["ucs"] == FAMILIES[rec["family"]].ucs
        assert len(rec["captions"]) == 5 and set(rec["params"]) >= {"size", "space"}
        info = sf.info(str(out / rec["path"]))
        assert (info.samplerate, info.channels, info.subtype, info.format) == (48000, 2, "PCM_24", "FLAC")
        assert info.frames == round(rec["duration_s"] * 48000)
    manifest = (out / "captions.jsonl").read_bytes()
    stamps = {p: os.stat(p).st_mtime_ns for p in out.rglob("*") if p.is_file()}

    # second run: nothing new is written
    r2 = build_corpus(out, n=12, seed=1, workers=2, families=FAMS, progress=False)
    assert (r2.rendered, r2.reused) == (0, 12)
    assert {p: os.stat(p).st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps

    # a killed run: one clip truncated, one missing, a temp file left behind
    victim, gone = out / recs[2]["path"], out / recs[7]["path"]
    good, _ = sf.read(str(victim))
    victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])
    gone.unlink()
    stray = victim.parent / f".{victim.name}.abc.part"
    stray.write_bytes(b"junk")
    r3 = build_corpus(out, n=12, seed=1, workers=1, families=FAMS, progress=False)
    assert (r3.rendered, r3.failed) == (2, [])
    assert not stray.exists() and gone.exists()
    again, _ = sf.read(str(victim))
    np.testing.assert_array_equal(again, good)  # deterministic re-render
    assert (out / "captions.jsonl").read_bytes() == manifest

    # fewer captions per clip: the manifest changes, no audio is rendered
    r4 = build_corpus(out, n=12, seed=1, workers=1, families=FAMS, n_captions=3, progress=False)
    assert r4.rendered == 0
    assert [len(x["captions"]) for x in _lines(out / "captions.jsonl")] == [3] * 12


def test_failures_are_reported_and_the_rest_carry_on(tmp_path, monkeypatch):
    import sfxgen.synth as synth

    real = synth.render

    def flaky(patch, **kw):
        if patch.family == "impact_glass":
            raise RuntimeError("boom")
        return real(patch, **kw)

    monkeypatch.setattr(synth, "render", flaky)
    r = build_corpus(tmp_path, n=3, seed=2, workers=1, families=FAMS, progress=False)
    assert r.rendered == 2 and len(r.failed) == 1
    path, problem = r.failed[0]
    assert "impact_glass" in path and "boom" in problem
    assert (tmp_path / "captions.jsonl").read_text() == ""  # the shard is incomplete: not listed yet
    monkeypatch.setattr(synth, "render", real)
    r2 = build_corpus(tmp_path, n=3, seed=2, workers=1, families=FAMS, progress=False)
    assert (r2.rendered, r2.reused, r2.failed) == (1, 2, [])
    assert len(_lines(tmp_path / "captions.jsonl")) == 3


def test_features_only(tmp_path):
    import torch  # noqa: F401
    r = build_corpus(tmp_path, n=1, seed=0, workers=1, families=["impact_body"], features=True, audio=False,
                     progress=False)
    assert r.failed == []
    rec = _lines(tmp_path / "captions.jsonl")[0]
    assert rec["path"] is None
    mel = np.load(tmp_path / rec["features"])
    assert mel.shape[0] == 64 and abs(mel.shape[1] - rec["duration_s"] * 100) <= 2
    assert not list(tmp_path.rglob("*.flac"))


def test_starter_names_and_bext(tmp_path):
    r = build_starter(tmp_path, n=3, seed=0, workers=1, families=FAMS, progress=False)
    assert r.failed == [] and r.rendered == 3
    recs = _lines(tmp_path / "captions.jsonl")
    wavs = sorted(p.name for p in tmp_path.glob("*.wav"))
    assert sorted(rec["path"] for rec in recs) == wavs and len(wavs) == 3
    for rec in recs:
        parsed = parse_ucs_filename(rec["path"])
        assert parsed.cat_id == rec["ucs"] == FAMILIES[rec["family"]].ucs
        assert parsed.creator == "sfxgen" and parsed.source == "Starter"
        info = sf.info(str(tmp_path / rec["path"]))
        assert (info.samplerate, info.subtype) == (48000, "PCM_24")
        bext = read_bext(tmp_path / rec["path"])
        assert bext.description == rec["captions"][0] and bext.originator == "sfxgen"
    first = {p.name: p.read_bytes() for p in tmp_path.glob("*.wav")}
    other = tmp_path / "again"
    build_starter(other, n=3, seed=0, workers=1, families=FAMS, progress=False)
    assert {p.name: p.read_bytes() for p in other.glob("*.wav")} == first  # byte-reproducible


def test_cli_build(tmp_path, capsys):
    from sfxgen.cli import main

    rc = main(["corpus", "build", "--n", "2", "--out", str(tmp_path), "--seed", "3", "--workers", "1",
               "--families", "impact_body", "--no-progress"])
    assert rc == 0
    assert "rendered 2" in capsys.readouterr().out
    assert len(_lines(tmp_path / "captions.jsonl")) == 2
    rc = main(["synth", "render", "impact_body", "--param", "size=2", "--out", str(tmp_path / "x.wav")])
    assert rc == 2 and not (tmp_path / "x.wav").exists()
    rc = main(["synth", "render", "impact_body", "--param", "size=0.9", "--duration", "0.5",
               "--out", str(tmp_path / "x.wav")])
    assert rc == 0 and sf.info(str(tmp_path / "x.wav")).frames == 24000


def test_max_duration_spreads_durations_and_default_is_unchanged():
    plain = [sample_item(i, seed=3)[2] for i in range(200)]
    assert plain == [sample_item(i, seed=3, max_duration_s=None)[2] for i in range(200)]
    long = plan_corpus(1000, seed=3, max_duration_s=5.0)  # enough short one-shots among ~100 families
    for job in long:
        base = FAMILIES[job.family].default_duration_s
        assert 0.75 * base - 1e-3 <= job.duration_s <= max(5.0, 1.25 * base) + 1e-3
    # one-shots (short defaults) now also come several times longer than their default
    ratio = [j.duration_s / FAMILIES[j.family].default_duration_s for j in long
             if FAMILIES[j.family].default_duration_s < 1.5]
    assert max(ratio) > 3.0 and np.median(ratio) > 1.5
    assert [p.params.tolist() for p, _, _ in (sample_item(i, seed=3) for i in range(5))] == \
        [list(j.params) for j in long[:5]]  # patches do not depend on the duration option
    with pytest.raises(ParameterError, match="max-duration"):
        build_corpus("unused", n=1, max_duration_s=0.0)


def test_cli_synth_list_shows_parameters_with_units_and_docs(capsys):
    import json

    from sfxgen.cli import main

    assert main(["synth", "list", "footsteps"]) == 0
    out = capsys.readouterr().out
    assert "surface" in out and "gravel" in out and "heel_toe" in out and "50 .. 220 ms" in out
    assert "1.8 steps/s" in out  # the rate doc
    assert main(["synth", "list", "--json"]) == 0
    fams = json.loads(capsys.readouterr().out)
    assert {f["name"] for f in fams} == set(FAMILIES)
    metal = next(f for f in fams if f["name"] == "impact_metal")
    assert metal["params"][0]["name"] == "ring" and metal["params"][0]["unit"] == "x" and metal["params"][0]["doc"]
    assert main(["synth", "list", "no_such_family"]) == 2
