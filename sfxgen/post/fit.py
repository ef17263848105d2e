"""Fitting a designed sound to its cue: where the clip starts, what it holds, how loud it sits.

Every clip starts on a frame boundary (so OTIO, AAF and Reaper place it exactly) and holds its
sound at a sample offset inside:

* one-shots (FX, FOLEY): the sound's main transient (:func:`sfxgen.dsp.onsets.main_transient_s`)
  lands on the cue's in-point sample; the clip starts on the frame at or before the sound's
  first sample, and ends on the out-point frame, the sound faded out over its last
  ``min(0.25 s, a quarter of the cue)`` when it runs longer (a cue without an out-point keeps its
  natural length, rounded up to a frame). Material before the sheet's first timecode is cut with
  a 5 ms fade-in and reported;
* beds (BG): a seamless loop filled from the in-point to the out-point frame, faded at both ends;
  room tone is already as long as the cue and only gets the fades.

Levels: each clip is set to the delivery target plus its track's place in the mix
(:data:`TRACK_LEVEL_LU`) plus the cue's ``gain_db``, without pushing its true peak over the
preset's ceiling; room tone keeps the level of the floor it was learned from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from sfxgen.errors import ParameterError
from sfxgen.post.timebase import FrameRate

TRACK_LEVEL_LU = {"FX": 0.0, "FOLEY": -4.0, "BG": -10.0}
HEAD_FADE_MS = 5.0
BED_FADE_S = 1.0


@dataclass(kw_only=True)
class FitInfo:
    """What fitting did to a cue's sound (the cue report's columns)."""

    transient_s: float | None = None  # where the main transient sits in the designed sound
    head_cut_s: float = 0.0
    tail_cut_s: float = 0.0
    gain_db: float = 0.0
    loudness_lufs: float | None = None
    true_peak_dbtp: float | None = None
    loop: dict | None = None


@dataclass(kw_only=True)
class Placement(FitInfo):
    """A fitted clip: ``audio`` (2, n) float32 from the sample of ``start_frame`` on."""

    start_frame: int
    audio: np.ndarray
    notes: list[str] = field(default_factory=list)


def _frame_at_or_before(rate: FrameRate, sample: int, sample_rate: int) -> int:
    f = int(Fraction(int(sample)) * rate.fps // int(sample_rate))
    while rate.sample(f, sample_rate) > sample:
        f -= 1
    while rate.sample(f + 1, sample_rate) <= sample:
        f += 1
    return f


def _transient_samples(x: np.ndarray, sr: int) -> int:
    from sfxgen.dsp.onsets import main_transient_s

    try:
        return int(round(main_transient_s(x, sr) * sr))
    except ParameterError:
        return 0


def place_oneshot(audio, sample_rate: int, *, rate: FrameRate, in_frame: int, out_frame: int | None,
                  floor_frame: int) -> Placement:
    """Place a one-shot so its main transient is on ``in_frame`` (see the module docstring).

    The transient is measured again on the placed clip (silence before it, the tail fade) and the
    placement corrected until the clip's own measurement lands on the in-point (at most three
    passes), so the delivered file, not just the designed sound, has its hit on the frame."""
    sr = int(sample_rate)
    x = np.asarray(audio, np.float32)
    k0 = _transient_samples(x, sr)
    in_s = rate.sample(in_frame, sr)
    p = first = None
    # Two near-equal hits can trade places as the STFT framing moves with the placement; a frame
    # more of leading silence changes the framing, so try that before giving up.
    for lead_frames in range(4):
        k = k0
        for _ in range(3):
            p, first = _place(x, sr, k, rate=rate, in_s=in_s, out_frame=out_frame, floor_frame=floor_frame,
                              lead_frames=lead_frames)
            miss = rate.sample(p.start_frame, sr) + _transient_samples(p.audio, sr) - in_s
            if miss == 0 or p.head_cut_s > 0:
                p.transient_s = (in_s - first) / sr
                return p
            k += miss
    p.transient_s = (in_s - first) / sr
    return p


def _place(x: np.ndarray, sr: int, k: int, *, rate: FrameRate, in_s: int, out_frame: int | None,
           floor_frame: int, lead_frames: int = 0) -> tuple[Placement, int]:
    """One placement with the transient ``k`` samples into ``x`` and the clip starting
    ``lead_frames`` frames before the sound's first frame; returns it and the timeline sample of
    the sound's first sample."""
    from sfxgen.dsp.fades import fade

    notes = []
    first = in_s - k  # the sound's first sample on the timeline
    start_frame = max(_frame_at_or_before(rate, first, sr) - lead_frames, floor_frame)
    clip0 = rate.sample(start_frame, sr)
    offset = first - clip0
    head_cut = 0
    if offset < 0:
        head_cut = -offset
        x = fade(x[:, head_cut:], sr, in_ms=min(HEAD_FADE_MS, 1000.0 * (x.shape[1] - head_cut) / sr / 2))
        offset = 0
        notes.append(f"{head_cut / sr:.3f} s before the sheet's first timecode cut")
    if out_frame is not None:
        end = rate.sample(out_frame, sr)
    else:
        end_frame = _frame_at_or_before(rate, clip0 + offset + x.shape[1] - 1, sr) + 1
        end = rate.sample(end_frame, sr)
    n = end - clip0
    if n <= offset:
        raise ParameterError("the cue ends before its sound starts")
    tail_cut = 0
    room = n - offset
    if x.shape[1] > room:
        tail_cut = x.shape[1] - room
        cue_s = (end - in_s) / sr
        x = fade(x[:, :room], sr, out_ms=1000.0 * min(0.25, max(cue_s, room / sr) / 4, room / sr / 2))
    clip = np.zeros((x.shape[0], n), np.float32)
    clip[:, offset: offset + x.shape[1]] = x
    return Placement(start_frame=start_frame, audio=clip, head_cut_s=head_cut / sr, tail_cut_s=tail_cut / sr,
                     notes=notes), first


def place_bed(audio, sample_rate: int, *, rate: FrameRate, in_frame: int, out_frame: int, loop: bool = True) -> Placement:
    """Fill a bed from ``in_frame`` to ``out_frame``: a seamless loop cut from the settled part of
    ``audio`` (``loop=True``), or ``audio`` itself (already as long as the cue), faded at both ends."""
    from sfxgen.dsp.fades import fade
    from sfxgen.post import loop as looping
    from sfxgen.post.cuedesign import BG_LOOP_MAX_S, BG_SETTLE_S, BG_XFADE_S

    sr = int(sample_rate)
    n = rate.sample(out_frame, sr) - rate.sample(in_frame, sr)
    x = np.asarray(audio, np.float32)
    info = None
    if loop:
        cue_s = n / sr
        loop_s = min(cue_s, BG_LOOP_MAX_S)
        xfade = min(BG_XFADE_S, loop_s / 4)
        settle = min(BG_SETTLE_S, max(0.0, (x.shape[1] / sr) - loop_s - xfade - 0.05))
        lp = looping.make_loop(x, sr, loop_s=loop_s, xfade_s=xfade, start_s=settle)
        info = lp.info(sr)
        body = looping.fill(lp.audio, n, sr, fade_s=BED_FADE_S)
    else:
        if x.shape[1] < n:
            x = np.pad(x, ((0, 0), (0, n - x.shape[1])))
        f_ms = 1000.0 * min(BED_FADE_S, 0.25 * n / sr)
        body = fade(x[:, :n], sr, in_ms=f_ms, out_ms=f_ms, curve="equal_power")
    return Placement(start_frame=in_frame, audio=body, loop=info)


def set_level(p: Placement, sample_rate: int, *, target_lufs: float, ceiling_dbtp: float, offset_db: float,
              measure_only: bool = False) -> Placement:
    """Gain ``p`` to ``target_lufs + offset_db`` (never over ``ceiling_dbtp`` true peak), in place;
    with ``measure_only`` the level is kept and only measured."""
    from sfxgen.loudness import measure

    loud = measure(p.audio, sample_rate)
    g = 0.0
    if not measure_only and loud.integrated_lufs is not None:
        g = target_lufs + offset_db - loud.integrated_lufs
        if loud.true_peak_dbtp is not None:
            g = min(g, ceiling_dbtp - loud.true_peak_dbtp)
        p.audio = (p.audio * np.float32(10.0 ** (g / 20.0))).astype(np.float32)
    p.gain_db = round(float(g), 3)
    p.loudness_lufs = None if loud.integrated_lufs is None else round(loud.integrated_lufs + g, 2)
    p.true_peak_dbtp = None if loud.true_peak_dbtp is None else round(loud.true_peak_dbtp + g, 2)
    return p


__all__ = ["FitInfo", "Placement", "place_oneshot", "place_bed", "set_level", "TRACK_LEVEL_LU"]
