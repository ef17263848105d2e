"""Loudness of a file read block by block, and the per-request memory budget.

``measure_file(path)`` returns exactly what ``measure(*read_audio(path))`` returns (same
K-filter pieces, dither, windows, gates and true-peak frames, so the same floats), but holds at
most a few seconds of audio at a time: memory does not grow with the file's length. Files up to
:data:`STREAM_ABOVE_S` are read whole (they are small, and clips shorter than 3 s need the
zero-padded windows of :func:`sfxgen.loudness.meter.measure`).

Memory budget: a request (one CLI command on one file, one UI/API call) may hold at most
:data:`MEMORY_BUDGET_BYTES` (500 MB; ``SFXGEN_MEMORY_BUDGET_MB`` overrides) of audio and its
analysis buffers. Work that needs the whole signal in memory (normalising) is estimated up front
with :func:`check_memory` and refused with a message naming the file, the need and the budget,
before anything is decoded. Loudness measurement and QC (:func:`sfxgen.qc.qc_file`, whose
statistics ride on this module's block reader through ``measure_file(on_block=...)``) stream and
have no such limit.
"""

from __future__ import annotations

import os

import numpy as np

from sfxgen.errors import AudioReadError, ParameterError
from sfxgen.loudness.meter import (
    _CHUNK_SEGMENTS, _SHORT_TERM_SEGMENTS, LoudnessResult, _Blocks, _check_audio, _default_tp, _dither, _KFilter,
    _weights, measure, result_from_blocks,
)

MEMORY_BUDGET_BYTES = 500 * 1024 * 1024
STREAM_ABOVE_S = 8.0
"""Files longer than this are measured block by block (shorter ones are read whole)."""
NORMALIZE_BYTES_PER_SAMPLE = 40
"""Peak memory of ``sfxgen normalize`` per sample and channel (decode, gain, 8x oversampled
limiter side chain in pieces, output): ~31 bytes plus ~80 MB fixed, measured on 20 s and 60 s
stereo with tracemalloc."""


def memory_budget_bytes() -> int:
    """The per-request budget in bytes (``SFXGEN_MEMORY_BUDGET_MB`` or 500 MB)."""
    mb = os.environ.get("SFXGEN_MEMORY_BUDGET_MB")
    try:
        return int(float(mb) * 1024 * 1024) if mb else MEMORY_BUDGET_BYTES
    except ValueError:
        raise ParameterError(f"SFXGEN_MEMORY_BUDGET_MB must be a number of megabytes, got {mb!r}") from None


def check_memory(path, frames: int, channels: int, sample_rate: int, *, bytes_per_sample: float, what: str) -> None:
    """Refuse ``what`` on ``path`` when it would need more than the per-request budget:
    ``frames * channels * bytes_per_sample`` bytes. Raises :class:`AudioReadError` saying how
    much it needs, the budget, and the longest duration that fits."""
    budget = memory_budget_bytes()
    need = float(frames) * channels * bytes_per_sample
    if need <= budget:
        return
    fits_s = budget / (channels * bytes_per_sample * sample_rate)
    raise AudioReadError(
        path, f"too long for {what} in one request ({_duration(frames / sample_rate)}, {channels} ch would need "
              f"about {need / 2**20:,.0f} MB; the per-request memory budget is {budget / 2**20:,.0f} MB, "
              f"enough for {_duration(fits_s)} at this format): split the file or measure its loudness alone")


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.1f} min"
    return f"{seconds:.1f} s"


def measure_file(path, *, true_peak: bool = True, weights=None, on_block=None) -> LoudnessResult:
    """BS.1770 / EBU R128 loudness of the audio file ``path``, read in blocks (see module doc).

    on_block: called with every decoded ``(channels, m)`` float32 block, in order, once each
    (the whole file as one block when it is read whole): other measurements ride on the same
    read (QC's statistics). Raises :class:`AudioReadError` for missing, unreadable, truncated,
    empty and NaN/inf files, :class:`ParameterError` for a sample rate the meter does not take."""
    from sfxgen.audio.io import AudioFile, _check_wav_truncation, _soundfile_error

    with AudioFile(path) as f:
        info = f.info
        if info.duration_s <= STREAM_ABOVE_S:
            return _measure_whole(f.read(), info.sample_rate, true_peak, weights, on_block)
        if info.format in ("WAV", "WAVEX", "RF64"):
            _check_wav_truncation(f.path)
        sr, ch, n = info.sample_rate, info.channels, info.frames
        _check_audio(np.zeros((ch, 1), np.float32), sr)  # the meter's sample-rate rules
        w = _weights(ch, weights)
        kf = _KFilter(sr, ch)
        step = kf.step
        chunk = _CHUNK_SEGMENTS * step
        n_seg = n // step
        if n_seg < _SHORT_TERM_SEGMENTS or n_seg <= _CHUNK_SEGMENTS:  # header frames disagree: read it whole
            return _measure_whole(f.read(), sr, true_peak, weights, on_block)
        used = n_seg * step
        dither = _dither(chunk)
        active = np.flatnonzero(w)
        parts, peak, read = [], 0.0, 0

        def blocks(start: int, stop: int):
            """``(channels, samples)`` float32 blocks of the file from ``start`` to ``stop``."""
            try:
                f._f.seek(start)
                for b in f._f.blocks(blocksize=chunk, frames=stop - start, dtype="float32", always_2d=True):
                    x = b.T
                    if not np.isfinite(x).all():
                        raise AudioReadError(f.path, "contains NaN or infinite sample values (corrupt float data)")
                    yield x
            except AudioReadError:
                raise
            except Exception as exc:
                raise _soundfile_error(f.path, exc) from None

        for x in blocks(0, n):
            k = x.shape[1]
            peak = max(peak, float(np.abs(x).max()))
            m = min(k, max(0, used - read))  # whole 100 ms segments only, as measure() keeps
            if m:
                seg = np.zeros(m // step, dtype=np.float64)
                for c in active:
                    seg += w[c] * kf.segment_energies(c, x[c, :m], dither)
                parts.append(seg)
            read += k
            if on_block is not None:
                on_block(x)
        if read != n:
            raise AudioReadError(f.path, f"truncated: the header promises {n} frames, {read} could be read")
        tp = None
        if true_peak and peak > 0:
            tp = max(peak, _streamed_true_peak(f, ch, n, blocks))
    return result_from_blocks(_Blocks.from_segments(np.concatenate(parts), step), None, sample_peak=peak,
                              true_peak=tp, samples=n, sample_rate=sr, channels=ch)


def _measure_whole(x: np.ndarray, sample_rate: int, true_peak: bool, weights, on_block) -> LoudnessResult:
    result = measure(x, sample_rate, true_peak=true_peak, weights=weights)
    if on_block is not None:
        on_block(x)
    return result


def _streamed_true_peak(f, ch: int, n: int, blocks) -> float:
    """Largest interpolated value of the file, its frames read span by span."""
    meter = _default_tp()
    if meter._phases.shape[0] == 0:
        return 0.0

    def span(a: int, b: int) -> np.ndarray:
        out = np.zeros((ch, b - a), dtype=np.float32)
        lo, hi = max(a, 0), min(b, n)
        pos = lo
        for x in blocks(lo, hi) if hi > lo else ():
            out[:, pos - a : pos - a + x.shape[1]] = x
            pos += x.shape[1]
        return out

    return meter.interpolated_peak(meter._chunks_from(span, ch, n), n)


__all__ = ["MEMORY_BUDGET_BYTES", "NORMALIZE_BYTES_PER_SAMPLE", "check_memory", "measure_file", "memory_budget_bytes"]
