"""The cue-sheet job end to end: real design path (tiny trained hero model + test library),
conformed stems, OTIO/AAF/Reaper sessions read back, report, mix and M&E, re-roll."""

from __future__ import annotations

import hashlib
import json
import re

import numpy as np
import pytest

from service_fixtures import make_service

from sfxgen.audio import read_audio, read_bext, write_audio
from sfxgen.post.timebase import frame_rate

SR = 48000
RATE = "29.97"
SHEET = """cue_id,tc_in,tc_out,duration_s,track,description,seed,source
FX1,01:00:01;00,01:00:03;00,,FX,heavy metal impact,3,generate
FX2,01:00:02;10,,1.5,FX,metal clang,,generate
BG1,01:00:00;00,01:00:12;00,,BG,heavy rain on a roof,5,generate
FOL1,01:00:05;00,01:00:07;00,,FOLEY,wooden door slam,,generate
LIB1,01:00:08;00,01:00:09;15,,FX,metal clang big,,library
RT1,01:00:09;00,01:00:11;00,,BG,room tone,,roomtone
"""


def _dialogue(seconds: float, seed: int = 0) -> np.ndarray:
    """Speech-like bursts (band-limited, syllable-modulated noise) over a coloured noise floor."""
    from scipy.signal import butter, sosfilt

    rng = np.random.default_rng(seed)
    n = int(seconds * SR)
    floor = sosfilt(butter(1, 500, fs=SR, output="sos"), rng.standard_normal((1, n))) * 0.004
    x = np.repeat(floor, 2, axis=0) + 0.0005 * rng.standard_normal((2, n))
    for t0 in np.arange(0.4, seconds - 1.5, 2.2):
        i, m = int(t0 * SR), int(1.3 * SR)
        env = np.sin(np.pi * np.arange(m) / m) ** 2 * (0.5 + 0.5 * np.sin(2 * np.pi * 4.0 * np.arange(m) / SR))
        x[:, i: i + m] += 0.3 * env * sosfilt(butter(2, [200, 3000], btype="band", fs=SR, output="sos"),
                                              rng.standard_normal(m))
    return x.astype(np.float32)


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    from sfxgen.audio import Bext

    svc, _ = make_service(tmp_path_factory)
    d = tmp_path_factory.mktemp("cues")
    sheet = d / "reel1.csv"
    sheet.write_text(SHEET)
    fr = frame_rate(RATE)
    start = fr.sample(fr.parse("01:00:00;00"), SR)
    dia = _dialogue(14.0)
    write_audio(d / "dia.wav", dia, SR, bit_depth=24, bext=Bext(description="DIA", time_reference=start))
    t = np.arange(int(13.0 * SR)) / SR
    mus = (0.1 * np.sin(2 * np.pi * 220.0 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 0.5 * t)))[None].repeat(2, 0)
    write_audio(d / "mus.wav", mus.astype(np.float32), SR, bit_depth=24)
    out = d / "out"
    progress = []
    res = svc.cues(sheet, fps=RATE, out_dir=out, preset="ebu-r128", dia=d / "dia.wav", mus=d / "mus.wav",
                   on_progress=lambda *a: progress.append(a))
    return svc, res, out, d, dia, progress


def test_manifest_and_report(job):
    _, res, out, _, _, progress = job
    m = res.manifest()
    assert set(m["stems"]) == {"FX", "BG", "FOLEY"}
    for key in ("otio", "aaf", "rpp", "report", "mix", "me"):
        assert (out / m[key]).is_file() and not m[key].startswith("/")
    assert m["failed"] == [] and m["fps"] == "29.97 DF" and m["start_tc"] == "01:00:00;00"
    assert progress[-1][0] == progress[-1][1] and len(progress) >= 7
    assert str(out.parent) not in (out / "manifest.json").read_text()  # no server paths in the package
    data = json.loads((out / "cue_report.json").read_text())
    rows = {r["cue_id"]: r for r in data["cues"]}
    assert rows["FX1"]["seed"] == 3 and rows["FX1"]["layers"][0]["role"] == "hero" and len(rows["FX1"]["layers"]) == 4
    assert rows["FOL1"]["family"] == "door_slam" and len(rows["FOL1"]["layers"]) == 1
    assert rows["BG1"]["loop"]["seam_clean"] is True
    assert rows["LIB1"]["layers"][0]["source"].lower().find("clang") >= 0 or "METL" in rows["LIB1"]["layers"][0]["source"]
    assert rows["RT1"]["layers"][0]["role"] == "bed" and rows["RT1"]["recipe"] is None
    for r in rows.values():
        assert r["take"] == 1 and r["rerolled"] is False and r["loudness_lufs"] is not None
    csv_text = (out / "cue_report.csv").read_text()
    assert csv_text.splitlines()[0].startswith("cue_id,track,tc_in,tc_out,description,source,take,rerolled,seed")
    assert len(csv_text.strip().splitlines()) == 7


def test_stems_start_at_first_timecode_with_time_reference(job):
    _, res, out, _, _, _ = job
    fr = frame_rate(RATE)
    origin = fr.sample(fr.parse("01:00:00;00"), SR)
    assert origin == 172_799_827 and res.time_reference == origin
    lengths = set()
    for track, rel in res.stems.items():
        b = read_bext(out / rel)
        assert b.time_reference == origin
        audio, sr = read_audio(out / rel)
        from sfxgen.audio import audio_info

        info = audio_info(out / rel)
        assert (sr, info.bit_depth, info.channels) == (48000, 24, 2)
        lengths.add(audio.shape[1])
    assert len(lengths) == 1


def test_every_cue_is_in_its_stem_at_its_sample(job):
    _, res, out, _, _, _ = job
    fr = frame_rate(RATE)
    origin = res.time_reference
    stems = {t: read_audio(out / p)[0] for t, p in res.stems.items()}
    for track in stems:
        rows = [r for r in res.cues if r.track == track]
        total = np.zeros_like(stems[track])
        for r in rows:
            clip, _ = read_audio(out / r.file)
            assert read_bext(out / r.file).time_reference == fr.sample(r.start_frame, SR)
            o = fr.sample(r.start_frame, SR) - origin
            total[:, o: o + clip.shape[1]] += clip
        assert res.stem_info[track]["limited_db"] == 0.0
        np.testing.assert_allclose(stems[track], total, atol=2.0 / 2**23)  # 24-bit sum of 24-bit clips


def test_fx_transient_is_on_the_in_point_frame(job):
    from sfxgen.dsp.onsets import main_transient_s

    _, res, out, _, _, _ = job
    fr = frame_rate(RATE)
    for r in res.cues:
        if r.track != "FX" or r.source == "library":
            continue
        clip, _ = read_audio(out / r.file)
        t = main_transient_s(clip, SR)
        in_sample = fr.sample(fr.parse(r.tc_in), SR)
        got = fr.sample(r.start_frame, SR) + round(t * SR)
        assert got == in_sample, (r.cue_id, got - in_sample)


def test_otio_and_aaf_read_back_with_clips_at_their_frames(job):
    import opentimelineio as otio

    _, res, out, _, _, _ = job
    fr = frame_rate(RATE)
    expect = {r.file: (r.start_frame, r.samples) for r in res.cues if r.file}
    for name in (res.otio, res.aaf):
        tl = otio.adapters.read_from_file(str(out / name))
        base = tl.global_start_time
        assert base is not None and round(base.value) == fr.parse("01:00:00;00")
        assert abs(base.rate - 30000 / 1001) < 1e-3
        found = {}
        for track in tl.tracks:
            assert track.kind == otio.schema.TrackKind.Audio
            for clip in track.find_clips():
                url = clip.media_reference.target_url.replace("file://", "")
                start = round(base.value + clip.range_in_parent().start_time.rescaled_to(base.rate).value)
                found[url] = (start, round(clip.range_in_parent().duration.value))
        assert set(found) == set(expect), name
        if name == res.aaf:  # the timecode track says drop-frame
            import aaf2

            with aaf2.open(str(out / name)) as f:
                tcs = [s.segment for m in f.content.compositionmobs() for s in m.slots
                       if isinstance(s.segment, aaf2.components.Timecode)]
            assert tcs and all(t.drop and t.fps == 30 and t.start == fr.parse("01:00:00;00") for t in tcs)
        for f, (start, frames) in found.items():
            assert start == expect[f][0], (name, f)
            assert abs(fr.sample(start + frames, SR) - fr.sample(start, SR) - expect[f][1]) <= 1


def test_reaper_project_places_every_clip(job):
    _, res, out, _, _, _ = job
    fr = frame_rate(RATE)
    text = (out / res.rpp).read_text()
    items = re.findall(r"POSITION ([0-9.]+)\n\s+LENGTH ([0-9.]+)\n\s+NAME .*\n\s+<SOURCE WAVE\n\s+FILE \"([^\"]+)\"", text)
    assert len(items) == len([r for r in res.cues if r.file])
    by_file = {r.file: r for r in res.cues}
    for pos, length, f in items:
        r = by_file[f]
        assert abs(float(pos) * SR - (fr.sample(r.start_frame, SR) - res.time_reference)) < 0.01
        assert abs(float(length) * SR - r.samples) < 0.01
    assert f"PROJOFFS {fr.seconds(fr.parse('01:00:00;00')):.10f}" in text


def test_me_has_no_dialogue_and_mix_does(job):
    _, res, out, _, dia, _ = job
    me, _ = read_audio(out / res.me)
    mix, _ = read_audio(out / res.mix)
    n = min(me.shape[1], dia.shape[1])

    def corr(a, b):
        a, b = a[:, :n].mean(axis=0), b[:, :n].mean(axis=0)
        return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))

    # the room-tone cue is learned from DIA's floor but is new noise: it does not correlate
    assert abs(corr(me, dia)) < 0.05
    assert corr(mix, dia) > 0.3
    for key in ("mix", "me"):
        qc = json.loads((out / res.qc[key]).read_text())
        assert qc["preset"] == "ebu-r128"
        assert res.deliveries[key]["true_peak_dbtp"] <= -1.0 + 1e-6
        assert abs(res.deliveries[key]["integrated_lufs"] + 23.0) <= 0.2
        assert read_bext(out / res.__dict__[key]).time_reference == res.time_reference


def test_reroll_changes_one_cue_only(job):
    svc, res, out, _, _, _ = job
    before = {r.cue_id: r for r in res.cues}
    digest = {r.cue_id: hashlib.sha1((out / r.file).read_bytes()).hexdigest() for r in res.cues}
    bg_before, _ = read_audio(out / res.stems["BG"])
    res2 = svc.reroll_cue(out, "FX2", seed=12345)
    after = {r.cue_id: r for r in res2.cues}
    assert res2.rerolled == ["FX2"]
    assert after["FX2"].take == 2 and after["FX2"].rerolled and after["FX2"].seed == 12345
    assert after["FX2"].previous[0]["file"] == before["FX2"].file and (out / before["FX2"].file).is_file()
    assert after["FX2"].file != before["FX2"].file
    for cid, r in after.items():
        if cid == "FX2":
            continue
        assert r.file == before[cid].file and not r.rerolled and r.take == 1
        assert hashlib.sha1((out / r.file).read_bytes()).hexdigest() == digest[cid]
    bg_after, _ = read_audio(out / res2.stems["BG"])
    np.testing.assert_array_equal(bg_before, bg_after)
    data = json.loads((out / "cue_report.json").read_text())
    assert data["rerolled"] == ["FX2"]
    zpath = svc.cues_zip(out)
    import zipfile

    names = zipfile.ZipFile(zpath).namelist()
    assert any(n.endswith(after["FX2"].file) for n in names)
    assert not any(n.endswith(before["FX2"].file) for n in names)  # earlier takes stay out of the delivery


def test_library_source_without_library_is_refused_before_work(tmp_path):
    from sfxgen.errors import CueSheetError
    from sfxgen.service import SfxgenService

    svc = SfxgenService(index_dir=tmp_path / "empty-index", output_root=tmp_path / "o")
    p = tmp_path / "s.csv"
    p.write_text("cue_id,tc_in,tc_out,track,description,source\nA,01:00:00:00,01:00:01:00,FX,x,library\n"
                 "B,01:00:00:00,01:00:01:00,BG,tone,roomtone\n")
    with pytest.raises(CueSheetError) as ei:
        svc.cues(p, fps=24, out_dir=tmp_path / "out")
    text = str(ei.value)
    assert "row 2 (cue A): source 'library' but the library index is empty" in text
    assert "row 3 (cue B): source 'roomtone' needs a 'match' recording or --dia" in text
    assert not (tmp_path / "out").exists()


def test_cli_cues_json_manifest(tmp_path, job):
    """`sfxgen cues --json` on a room-tone-only sheet (no model needed): the manifest contract."""
    from sfxgen.cli import main

    _, _, _, d, _, _ = job
    import shutil

    shutil.copy(d / "dia.wav", tmp_path / "take3_dia.wav")
    p = tmp_path / "rt.csv"
    p.write_text("cue_id,tc_in,tc_out,track,description,source,match\n"
                 "R1,00:59:58:00,01:00:04:00,BG,room tone,roomtone,take3_dia.wav\n"
                 f"R2,01:00:00:00,01:00:02:00,BG,room tone,roomtone,{d / 'dia.wav'}\n")
    from sfxgen.errors import CueSheetError
    from sfxgen.service import SfxgenService

    with pytest.raises(CueSheetError, match="row 3 \\(cue R2\\): match .* must be a file in the sheet's folder"):
        SfxgenService(output_root=tmp_path / "x").cues(p, fps=25, out_dir=tmp_path / "o")
    p.write_text("\n".join(p.read_text().splitlines()[:2]) + "\n")
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = main(["cues", str(p), "--fps", "25", "--out", str(tmp_path / "o"), "--mus", str(d / "mus.wav"), "--json"])
    assert rc == 0
    m = json.loads(buf.getvalue())
    assert set(m) >= {"stems", "otio", "aaf", "rpp", "report", "mix", "me"}
    assert m["stems"] == {"BG": "stem_BG.wav"} and m["start_tc"] == "00:59:58:00"
    assert read_bext(tmp_path / "o" / "stem_BG.wav").time_reference == frame_rate(25).sample(
        frame_rate(25).parse("00:59:58:00"), SR)
