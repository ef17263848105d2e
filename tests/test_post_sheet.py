"""Cue sheets, timecode, placement, loops and session writers (no models)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from sfxgen.errors import CueSheetError, ParameterError
from sfxgen.post.timebase import FRAME_RATES, frame_rate

SR = 48000
HEADER = "cue_id,tc_in,tc_out,track,description\n"


# ------------------------------------------------------------------------------ timecode
@pytest.mark.parametrize("rate,tc,frame,sample", [
    ("23.976", "01:00:00:00", 86400, 172_972_800),  # 2002 samples per frame exactly
    ("24", "01:00:00:00", 86400, 172_800_000),
    ("25", "01:00:00:00", 90000, 172_800_000),
    ("29.97", "01:00:00;00", 107892, 172_799_827),  # drop-frame: 107892 frames * 1601.6 = ...827.2
    ("30", "01:00:00:00", 108000, 172_800_000),
    ("29.97", "00:10:00;00", 17982, 28_799_971),  # tenth minute: no frames dropped
    ("29.97", "00:01:00;02", 1800, 2_882_880),  # first label after the dropped ;00 ;01
    ("23.976", "00:00:01:01", 25, 50_050),
    ("25", "10:00:00:24", 900024, 1_728_046_080),
])
def test_timecode_to_frame_and_sample(rate, tc, frame, sample):
    fr = frame_rate(rate)
    assert fr.parse(tc) == frame
    assert fr.sample(frame, SR) == sample
    assert fr.format(frame) == tc


@pytest.mark.parametrize("rate", ["23.976", "24", "25", "29.97", "30"])
def test_timecode_agrees_with_opentimelineio(rate):
    import opentimelineio as otio

    fr = frame_rate(rate)
    for label in ("00:00:00:00", "00:59:59:11", "01:00:00:00", "01:23:45:12", "23:00:09:05"):
        if fr.drop_frame:
            label = label[:8] + ";" + label[9:]
        frame = fr.parse(label)
        rt = otio.opentime.from_timecode(label, fr.fps_float)
        assert int(round(rt.value)) == frame
        assert abs(rt.to_seconds() * SR - fr.sample(frame, SR)) <= 0.5 + 1e-6


def test_timecode_problems_are_named():
    with pytest.raises(ParameterError, match="frame 27 does not exist at 25"):
        frame_rate(25).parse("00:00:00:27")
    with pytest.raises(ParameterError, match="drop-frame"):
        frame_rate("29.97").parse("00:01:00;00")
    with pytest.raises(ParameterError, match="not a timecode"):
        frame_rate(24).parse("1:00")
    with pytest.raises(ParameterError, match="unknown frame rate"):
        frame_rate("59.94")
    assert set(FRAME_RATES) == {"23.976", "24", "25", "29.97df", "30"}


# ------------------------------------------------------------------------------ CSV sheets
def test_csv_sheet_reads_and_orders():
    from sfxgen.post.sheet import parse_csv

    text = ("cue_id;tc_in;tc_out;duration_s;track;description;seed;source;notes\n"
            "A1;01:00:00:00;01:00:02:00;;FX;door slam;7;generate;hero door\n"
            "B1;01:00:01:00;;10.5;bg;rain on a roof;;;\n")
    sheet = parse_csv(text, rate=25, origin="reel1.csv")
    a, b = sheet.cues
    assert (a.start_frame, a.end_frame, a.seed, a.source, a.notes) == (90000, 90050, 7, "generate", "hero door")
    assert b.track == "BG" and b.end_frame - b.start_frame == round(10.5 * 25) and b.source == "both"
    assert sheet.start_frame == 90000


@pytest.mark.parametrize("row,problem", [
    ("X1,01:00:00:00,01:00:02:00,VFX,door", "row 2 (cue X1): track 'VFX' is not one of FX, BG, FOLEY"),
    ("X1,01:00:00:30,01:00:02:00,FX,door", "row 2 (cue X1): tc_in '01:00:00:30': frame 30 does not exist at 25"),
    ("X1,01:00:02:00,01:00:01:00,FX,door", "row 2 (cue X1): tc_out 01:00:01:00 is not after tc_in 01:00:02:00"),
    ("X1,01:00:00:00,,FX,door", "row 2 (cue X1): needs tc_out or duration_s"),
    ("X1,01:00:00:00,01:00:02:00,FX,", "row 2 (cue X1): description is empty"),
    (",01:00:00:00,01:00:02:00,FX,door", "row 2: cue_id is empty"),
    ("X1,1 hour,01:00:02:00,FX,door", "row 2 (cue X1): tc_in '1 hour' is not a timecode"),
    ("X1,01:00:00:00,01:00:02:00,FX,door,extra", "row 2: 6 fields but the header has 5"),
])
def test_malformed_rows_are_refused_naming_row_and_problem(row, problem):
    from sfxgen.post.sheet import parse_csv

    with pytest.raises(CueSheetError) as ei:
        parse_csv(HEADER + row + "\n", rate=25, origin="bad.csv")
    assert any(problem in p for p in ei.value.problems), ei.value.problems
    assert "bad.csv" in str(ei.value) and "nothing was made" in str(ei.value)


@pytest.mark.parametrize("text,problem", [
    ("", "the sheet is empty"),
    (HEADER, "a header but no cues"),
    ("cue_id,tc_in,track,description\nA,01:00:00:00,FX,x\n", "missing column(s) tc_out (or duration_s)"),
    ("id,tc_in,tc_out,track,description\nA,01:00:00:00,01:00:01:00,FX,x\n", "missing column(s) cue_id"),
    (HEADER + "A,01:00:00:00,01:00:01:00,FX,x\nA,01:00:03:00,01:00:04:00,FX,y\n",
     "row 3 (cue A): the same cue_id as row 2"),
    (HEADER + "A/1,01:00:00:00,01:00:01:00,FX,x\nA 1,01:00:03:00,01:00:04:00,FX,y\n", "names the same files"),
    (HEADER + "A,01:00:00:00,01:40:00:00,BG,x\n", "one sheet spans at most 30 min"),
    ("cue_id,tc_in,duration_s,track,description\nA,01:00:00:00,-2,FX,x\n", "not a positive number"),
    ("cue_id,tc_in,tc_out,duration_s,track,description\nA,01:00:00:00,01:00:02:00,5,FX,x\n", "disagree"),
    (HEADER.strip() + ",preset\nA,01:00:00:00,01:00:01:00,FX,x,loud\n", "unknown delivery preset"),
    (HEADER.strip() + ",source\nA,01:00:00:00,01:00:01:00,FX,x,roomtone\n", "for BG cues only"),
    (HEADER.strip() + ",gain_db\nA,01:00:00:00,01:00:01:00,FX,x,+40\n", "gain_db '+40'"),
])
def test_malformed_sheets(text, problem):
    from sfxgen.post.sheet import parse_csv

    with pytest.raises(CueSheetError) as ei:
        parse_csv(text, rate=25, origin="bad.csv")
    assert problem in str(ei.value), str(ei.value)


def test_every_problem_is_listed_at_once():
    from sfxgen.post.sheet import parse_csv

    text = HEADER + "A,01:00:00:00,01:00:01:00,XX,x\nB,01:00:00:99,01:00:01:00,FX,y\nC,01:00:00:00,01:00:01:00,FX,z\n"
    with pytest.raises(CueSheetError) as ei:
        parse_csv(text, rate=24, origin="s.csv")
    assert len(ei.value.problems) == 2
    assert ei.value.problems[0].startswith("row 2 (cue A)") and ei.value.problems[1].startswith("row 3 (cue B)")


def test_non_utf8_and_binary_files_are_refused(tmp_path):
    from sfxgen.post.sheet import read_sheet

    p = tmp_path / "x.csv"
    p.write_bytes(b"\xff\xfe\x00\x01binary")
    with pytest.raises(CueSheetError, match="UTF-8|binary"):
        read_sheet(p, fps=24)
    with pytest.raises(ParameterError, match="no such cue sheet"):
        read_sheet(tmp_path / "missing.csv", fps=24)


# ------------------------------------------------------------------------------ timelines
EDL = """TITLE: SPOTTING REEL 1
FCM: NON-DROP FRAME

001  AX       A     C        00:00:00:00 00:00:02:00 01:00:10:00 01:00:12:00
* FROM CLIP NAME: FX: metal door slam
002  AX       A2    C        00:00:00:00 00:00:20:00 01:00:05:00 01:00:25:00
* FROM CLIP NAME: BG: city street at night
003  AX       A     C        00:00:00:00 00:00:03:00 01:00:30:00 01:00:33:00
* FROM CLIP NAME: FOLEY: footsteps on gravel
* LOC: 01:00:31:00 RED    FX: keys drop
"""


def test_edl_events_and_markers_become_cues(tmp_path):
    from sfxgen.post.sheet import read_sheet

    p = tmp_path / "reel1.edl"
    p.write_text(EDL)
    sheet = read_sheet(p, fps=24)
    by = {c.description: c for c in sheet.cues}
    fr = frame_rate(24)
    assert by["metal door slam"].track == "FX"
    assert (by["metal door slam"].start_frame, by["metal door slam"].end_frame) == (fr.parse("01:00:10:00"),
                                                                                    fr.parse("01:00:12:00"))
    assert by["city street at night"].track == "BG"
    assert by["city street at night"].start_frame == fr.parse("01:00:05:00")
    assert by["city street at night"].end_frame == fr.parse("01:00:25:00")
    assert by["footsteps on gravel"].track == "FOLEY" and by["footsteps on gravel"].start_frame == fr.parse("01:00:30:00")
    keys = by["keys drop"]
    assert keys.start_frame == fr.parse("01:00:31:00") and keys.end_frame is None  # natural length
    assert sheet.start_frame == fr.parse("01:00:05:00")


def test_broken_timeline_is_refused(tmp_path):
    from sfxgen.post.sheet import read_sheet

    p = tmp_path / "x.edl"
    p.write_text("001  AX  A  C  garbage\n")
    with pytest.raises(CueSheetError, match="x.edl"):
        read_sheet(p, fps=24)


# ------------------------------------------------------------------------------ placement
def _shot(k: int, n: int, seed: int = 0) -> np.ndarray:
    """Low noise, then a decaying burst at sample k."""
    rng = np.random.default_rng(seed)
    x = (1e-4 * rng.standard_normal((2, n))).astype(np.float32)
    m = n - k
    x[:, k:] += (rng.standard_normal(m) * np.exp(-np.arange(m) / 3000.0)).astype(np.float32)
    return x


@pytest.mark.parametrize("rate", ["23.976", "24", "25", "29.97", "30"])
def test_oneshot_transient_lands_on_the_in_point_sample(rate):
    from sfxgen.dsp.onsets import main_transient_s
    from sfxgen.post.fit import place_oneshot

    fr = frame_rate(rate)
    audio = _shot(7777, SR)
    k = int(round(main_transient_s(audio, SR) * SR))
    in_frame = fr.parse("01:00:10;05" if fr.drop_frame else "01:00:10:05")
    p = place_oneshot(audio, SR, rate=fr, in_frame=in_frame, out_frame=in_frame + 2 * fr.nominal,
                      floor_frame=in_frame - 100)
    clip0 = fr.sample(p.start_frame, SR)
    first = int(np.flatnonzero(np.any(p.audio != 0, axis=0))[0])  # where the sound starts in the clip
    assert clip0 + first + k == fr.sample(in_frame, SR)
    assert clip0 + round(main_transient_s(p.audio, SR) * SR) == fr.sample(in_frame, SR)  # measured on the clip
    assert fr.sample(p.start_frame + 0, SR) <= fr.sample(in_frame, SR) - k  # clip starts on a frame before
    assert clip0 + p.audio.shape[1] == fr.sample(in_frame + 2 * fr.nominal, SR)  # ends on the out frame
    np.testing.assert_array_equal(p.audio[:, first: first + k], audio[:, :k])


def test_oneshot_head_before_the_sheet_start_is_cut_and_reported():
    from sfxgen.post.fit import place_oneshot

    fr = frame_rate(25)
    p = place_oneshot(_shot(24000, SR), SR, rate=fr, in_frame=1000, out_frame=1050, floor_frame=1000)
    assert p.start_frame == 1000 and p.head_cut_s == pytest.approx(0.5, abs=0.01)
    assert p.notes and "cut" in p.notes[0]


# ------------------------------------------------------------------------------ loops
def _rumble(seconds: float, seed: int = 0) -> np.ndarray:
    from scipy.signal import butter, sosfilt

    rng = np.random.default_rng(seed)
    n = int(seconds * SR)
    x = sosfilt(butter(4, 250, fs=SR, output="sos"), rng.standard_normal((2, n)))
    x += 0.2 * np.sin(2 * np.pi * 55.0 * np.arange(n) / SR)
    return (x / np.max(np.abs(x)) * 0.5).astype(np.float32)


def test_loop_seam_has_no_click_and_a_naive_cut_does():
    from sfxgen.post.loop import fill, make_loop, seam_check

    x = _rumble(10.0)
    lp = make_loop(x, SR, loop_s=4.0, xfade_s=0.5, start_s=1.0)
    assert lp.seam.clean and lp.seam.seam_step <= lp.seam.local_step
    assert abs(lp.length / SR - 4.0) <= 0.021
    mono = x.mean(axis=0)
    assert mono[lp.start_sample - 1] < 0 <= mono[lp.start_sample]  # starts on a rising zero crossing
    naive = x[:, SR: 5 * SR]
    assert not seam_check(naive, naive, SR).clean  # the same material cut without the crossfade clicks
    y = fill(lp.audio, 13 * SR, SR)
    for b in range(lp.length, y.shape[1] - SR, lp.length):  # every repeat boundary inside the filled bed
        assert seam_check(y[:, :b], y[:, b:], SR).clean
    assert y.shape == (2, 13 * SR) and abs(float(y[0, 0])) < 1e-3 and abs(float(y[0, -1])) < 1e-3


def test_bed_fills_the_cue_exactly_with_a_clean_loop():
    from sfxgen.post.fit import place_bed

    fr = frame_rate("29.97")
    a, b = fr.parse("01:00:00;00"), fr.parse("01:00:30;00")
    p = place_bed(_rumble(10.0, seed=3), SR, rate=fr, in_frame=a, out_frame=b)
    assert p.start_frame == a and p.audio.shape[1] == fr.sample(b, SR) - fr.sample(a, SR)
    assert p.loop["seam_clean"] is True


# ------------------------------------------------------------------------------ sessions
def test_overlapping_clips_get_lanes_and_rpp_positions():
    from sfxgen.post.session import SessionClip, assign_lanes, rpp_text

    fr = frame_rate(24)
    clips = [SessionClip("A", "FX", "A x", "cues/A.wav", 100, 48, 96000),
             SessionClip("B", "FX", "B y", "cues/B.wav", 120, 24, 48000),
             SessionClip("C", "FX", "C z", "cues/C.wav", 148, 24, 48000),
             SessionClip("D", "BG", "D w", "cues/D.wav", 100, 240, 480000)]
    lanes = dict(assign_lanes(clips))
    assert [c.cue_id for c in lanes["FX 1"]] == ["A", "C"] and [c.cue_id for c in lanes["FX 2"]] == ["B"]
    text = rpp_text(clips, rate=fr, start_frame=100)
    assert "PROJOFFS 4.1666666667" in text
    assert text.count("<ITEM") == 4 and 'FILE "cues/B.wav"' in text
    assert "POSITION 0.8333333333" in text  # B starts 20 frames after the first cue


def test_foley_families_follow_the_registry():
    from sfxgen.post.cuedesign import foley_family_for, is_foley_family

    assert is_foley_family("footsteps") and is_foley_family("cloth_rustle") and is_foley_family("door_slam")
    assert not is_foley_family("laser") and not is_foley_family("rain") and not is_foley_family("explosion")
    assert foley_family_for("footsteps on gravel, slow") == "footsteps"
    assert foley_family_for("cloth rustle as he sits") == "cloth_rustle"
    assert foley_family_for("a spaceship passes") is None


def test_frame_sample_rounding_is_exact_rational():
    fr = frame_rate("29.97")
    assert fr.fps == Fraction(30000, 1001)
    # 5 frames = 8008 samples exactly at 29.97 (1601.6 each); rounding never hits a half sample
    assert [fr.sample(f, SR) for f in range(6)] == [0, 1602, 3203, 4805, 6406, 8008]
