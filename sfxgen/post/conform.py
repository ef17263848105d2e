"""Conforming: cue clips summed into one stem per track type, and the full mix / M&E.

Stems (48 kHz, 24-bit BWF) all start at the sheet's first timecode (bext ``TimeReference`` =
its sample since midnight) and share one length; overlapping cues on a track are summed. A stem
whose sum would pass the preset's true-peak ceiling goes through the true-peak limiter, and the
report says by how much. Optional user DIA and MUS stems are placed by their own bext
TimeReference when they carry one (else they start at the sheet's first timecode); the M&E is
FX + BG + FOLEY + MUS and the full mix adds DIA, each normalised to the preset (gain, then the
true-peak limiter) and checked by QC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sfxgen import __version__
from sfxgen.errors import ParameterError

SAMPLE_RATE = 48000
TRACK_ORDER = ("FX", "BG", "FOLEY")


@dataclass
class StemInfo:
    """What conforming did to one stem."""

    track: str
    path: str
    loudness_lufs: float | None
    true_peak_dbtp: float | None
    limited_db: float = 0.0
    cues: int = 0


def bwf(description: str, *, time_reference: int, loud=None):
    """A bext chunk for a conformed file: description, TimeReference, loudness when measured."""
    from sfxgen.audio import Bext

    return Bext(description=description, originator="sfxgen", originator_reference=f"sfxgen {__version__}",
                time_reference=int(time_reference), **(loud.bext_fields() if loud is not None else {}),
                coding_history=f"A=PCM,F={SAMPLE_RATE},W=24,M=stereo,T=sfxgen {__version__}")


def sum_clips(clips, n: int) -> np.ndarray:
    """``clips``: iterable of (offset_samples, audio (2, m)); their sum over ``n`` samples (2, n)."""
    out = np.zeros((2, n), np.float64)
    for offset, audio in clips:
        a = np.asarray(audio)
        m = min(a.shape[1], n - offset)
        if m > 0:
            out[:, offset: offset + m] += a[:, :m]
    return out.astype(np.float32)


def limit_to(audio: np.ndarray, *, ceiling_dbtp: float):
    """``audio`` through the true-peak limiter when its true peak passes ``ceiling_dbtp``;
    returns (audio, its loudness measurement, most gain reduction in dB)."""
    from sfxgen.loudness import limit, measure

    loud = measure(audio, SAMPLE_RATE)
    if loud.true_peak_dbtp is None or loud.true_peak_dbtp <= ceiling_dbtp:
        return audio, loud, 0.0
    res = limit(audio, SAMPLE_RATE, ceiling_dbtp=ceiling_dbtp)
    out = res.audio.astype(np.float32)
    return out, measure(out, SAMPLE_RATE), float(res.max_gain_reduction_db)


def read_external(path, *, start_sample: int, n: int, what: str) -> tuple[np.ndarray, list[str]]:
    """A user stem (DIA or MUS) on the stems' timeline: (2, n) at 48 kHz, and notes."""
    from sfxgen.audio import audio_info, read_audio, read_bext

    info = audio_info(path)
    audio, _ = read_audio(path, sample_rate=SAMPLE_RATE, channels=2)
    notes = []
    bext = read_bext(path)
    offset = 0
    if bext is not None and bext.time_reference:
        offset = int(round(bext.time_reference * SAMPLE_RATE / info.sample_rate)) - start_sample
        notes.append(f"{what} placed by its bext TimeReference ({offset / SAMPLE_RATE:+.3f} s from the first cue)")
    else:
        notes.append(f"{what} has no bext TimeReference: it starts at the sheet's first timecode")
    out = np.zeros((2, n), np.float32)
    src0 = max(0, -offset)
    dst0 = max(0, offset)
    m = min(audio.shape[1] - src0, n - dst0)
    if m <= 0:
        raise ParameterError(f"{path}: the {what} stem lies entirely outside the cues' time span")
    out[:, dst0: dst0 + m] = audio[:, src0: src0 + m]
    if audio.shape[1] - src0 > m:
        notes.append(f"{what} runs past the last cue: cut at the stems' end")
    return out, notes


@dataclass
class Delivery:
    """A normalised delivery mix (full mix or M&E), its loudness and QC."""

    name: str
    audio: np.ndarray
    loudness: object  # LoudnessResult of ``audio``
    normalize: dict
    qc: dict
    qc_text: str
    passed: bool
    notes: list[str] = field(default_factory=list)


def deliver(name: str, parts: list[np.ndarray], *, preset, path: str | None = None) -> Delivery:
    """Sum ``parts`` and normalise them to ``preset`` (gain + true-peak limiter), with QC."""
    from sfxgen.loudness import get_preset, normalize
    from sfxgen.qc import qc_report

    p = get_preset(preset)
    total = np.sum(np.stack(parts), axis=0).astype(np.float32)
    res = normalize(total, SAMPLE_RATE, preset=p)
    report = qc_report(res.audio, SAMPLE_RATE, preset=p, bit_depth=24, path=path)
    notes = [] if res.met_target else [res.reason or "loudness target not met"]
    return Delivery(name=name, audio=res.audio.astype(np.float32), loudness=res.after, normalize=res.to_dict(),
                    qc=report.to_dict(),
                    qc_text=report.to_text(), passed=bool(report.passed), notes=notes)


def write_stem(path: Path, audio: np.ndarray, *, description: str, time_reference: int, loud=None) -> Path:
    """Write a 48 kHz / 24-bit BWF with TimeReference and loudness (``loud``, measured when
    None) in its bext."""
    from sfxgen.audio import write_audio
    from sfxgen.loudness import measure

    loud = loud if loud is not None else measure(audio, SAMPLE_RATE)
    return write_audio(path, audio, SAMPLE_RATE, bit_depth=24,
                       bext=bwf(description, time_reference=time_reference, loud=loud))


__all__ = ["StemInfo", "Delivery", "sum_clips", "limit_to", "read_external", "deliver", "write_stem", "bwf",
           "TRACK_ORDER", "SAMPLE_RATE"]
