"""Reading and writing audio files.

Reads WAV/BWF/RF64/AIFF/FLAC/OGG/Opus/MP3 (libsndfile ≥ 1.1 through soundfile) into
``(channels, samples)`` float32 plus its sample rate. Writes WAV (16/24-bit PCM or 32-bit float,
RF64 above 4 GiB) or FLAC atomically: a temporary file in the target folder, renamed over the
target only once complete, so a crash never leaves a half-written deliverable.
Every failure raises :class:`~sfxgen.errors.AudioReadError` naming the file and the problem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sfxgen.audio.bwf import Bext, read_chunks, rebuild_with_chunks
from sfxgen.audio.convert import as_audio, resample, to_channels
from sfxgen.errors import AudioReadError, AudioWriteError, ParameterError
from sfxgen.paths import temp_beside

AUDIO_EXTENSIONS = frozenset(
    {".wav", ".bwf", ".wave", ".rf64", ".aif", ".aiff", ".aifc", ".flac", ".ogg", ".oga", ".opus", ".mp3"}
)
DEFAULT_MAX_DURATION_S = 4 * 3600.0

_SUBTYPE_BITS = {"PCM_S8": 8, "PCM_U8": 8, "PCM_16": 16, "PCM_24": 24, "PCM_32": 32, "FLOAT": 32, "DOUBLE": 64}


@dataclass(frozen=True)
class AudioInfo:
    """What a file holds, read from its header without decoding the audio."""

    path: str
    format: str  # container, e.g. "WAV", "RF64", "FLAC", "OGG", "MP3", "AIFF"
    subtype: str  # encoding, e.g. "PCM_24", "FLOAT", "VORBIS", "OPUS", "MPEG_LAYER_III"
    sample_rate: int
    channels: int
    frames: int
    duration_s: float
    bit_depth: int | None  # None for lossy codecs

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def _check_path(path) -> Path:
    p = Path(path)
    if not p.exists():
        raise AudioReadError(p, "file not found")
    if p.is_dir():
        raise AudioReadError(p, "is a folder, not an audio file")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise AudioReadError(p, f"cannot access file ({exc.strerror or exc})") from None
    if size == 0:
        raise AudioReadError(p, "empty file (0 bytes)")
    if not os.access(p, os.R_OK):
        raise AudioReadError(p, "permission denied")
    return p


def _soundfile_error(p: Path, exc: Exception) -> AudioReadError:
    msg = str(exc)
    low = msg.lower()
    if "format not recognised" in low or "unknown format" in low or "not recognised" in low:
        return AudioReadError(p, "not a recognised audio file (unknown or unsupported format)")
    if "permission" in low:
        return AudioReadError(p, "permission denied")
    return AudioReadError(p, f"cannot decode audio ({msg.strip().splitlines()[-1] if msg.strip() else type(exc).__name__})")


def _check_wav_truncation(p: Path) -> None:
    """Raise when a WAV's data chunk declares more bytes than the file holds."""
    try:
        kind, chunks = read_chunks(p)
    except AudioReadError:
        return
    size = p.stat().st_size
    for c in chunks:
        if c.id == "data" and c.offset + c.size > size:
            raise AudioReadError(
                p, f"truncated: the header declares {c.size} bytes of audio but the file holds {size - c.offset}"
            )
    if not any(c.id == "data" for c in chunks):
        raise AudioReadError(p, "WAV file has no audio data chunk")


class AudioFile:
    """An open audio file: header facts (:attr:`info`) and :meth:`read` of a section, from one
    open (header and data checks as :func:`read_audio`). Use as a context manager.

    Why: indexing reads the header and the first seconds of every file; separate
    :func:`audio_info` + :func:`read_audio` calls would open it three times.
    """

    def __init__(self, path):
        import soundfile as sf

        self.path = _check_path(path)
        try:
            self._f = sf.SoundFile(str(self.path))
        except Exception as exc:  # soundfile raises LibsndfileError/RuntimeError/TypeError
            raise _soundfile_error(self.path, exc) from None
        f = self._f
        if f.samplerate <= 0 or f.channels <= 0:
            f.close()
            raise AudioReadError(self.path, "header has an invalid sample rate or channel count")
        self.info = AudioInfo(
            path=str(self.path), format=f.format, subtype=f.subtype, sample_rate=int(f.samplerate),
            channels=int(f.channels), frames=int(f.frames), duration_s=float(f.frames) / float(f.samplerate),
            bit_depth=_SUBTYPE_BITS.get(f.subtype),
        )

    def __enter__(self) -> "AudioFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._f.close()

    def read(self, *, start_s: float = 0.0, max_duration_s: float | None = None,
             limit_duration_s: float = DEFAULT_MAX_DURATION_S) -> np.ndarray:
        """``(channels, samples)`` float32 from ``start_s``, at most ``max_duration_s`` seconds
        (whole file when ``None``, refused above ``limit_duration_s``). Raises
        :class:`AudioReadError` for truncated, empty and NaN/inf data."""
        info, p = self.info, self.path
        if info.format in ("WAV", "WAVEX", "RF64"):
            _check_wav_truncation(p)
        if info.frames == 0:
            raise AudioReadError(p, "contains no audio samples (0 frames)")
        start = max(0, int(round(start_s * info.sample_rate)))
        if max_duration_s is not None:
            frames = max(1, int(round(max_duration_s * info.sample_rate)))
        elif info.duration_s > limit_duration_s:
            raise AudioReadError(
                p, f"too long to load whole ({info.duration_s / 3600:.1f} h; limit {limit_duration_s / 3600:.1f} h)"
            )
        else:
            frames = -1
        if start >= info.frames:
            raise AudioReadError(p, "contains no audio samples in the requested range")
        try:
            if start:
                self._f.seek(start)
            data = self._f.read(frames, dtype="float32", always_2d=True)
        except Exception as exc:
            raise _soundfile_error(p, exc) from None
        if data.shape[0] == 0:
            raise AudioReadError(p, "contains no audio samples in the requested range")
        audio = np.ascontiguousarray(data.T)
        if not np.all(np.isfinite(audio)):
            raise AudioReadError(p, "contains NaN or infinite sample values (corrupt float data)")
        return audio


def audio_info(path) -> AudioInfo:
    """Header facts of ``path`` (format, rate, channels, frames, duration, bit depth)."""
    with AudioFile(path) as f:
        return f.info


def read_audio(
    path,
    *,
    sample_rate: int | None = None,
    channels: int | None = None,
    start_s: float = 0.0,
    max_duration_s: float | None = None,
    limit_duration_s: float = DEFAULT_MAX_DURATION_S,
) -> tuple[np.ndarray, int]:
    """Decode ``path`` to ``((channels, samples) float32, sample_rate)``.

    ``sample_rate``/``channels`` convert on the way in (soxr VHQ; ITU down-mix). ``start_s`` and
    ``max_duration_s`` read only a section (e.g. the first 30 s for embedding). Files longer than
    ``limit_duration_s`` (4 h by default) are refused unless a section is asked for, so a
    mislabelled multi-GB file cannot exhaust memory. Raises :class:`AudioReadError` for missing,
    unreadable, non-audio, truncated, empty and NaN/inf files.
    """
    with AudioFile(path) as f:
        sr = f.info.sample_rate
        audio = f.read(start_s=start_s, max_duration_s=max_duration_s, limit_duration_s=limit_duration_s)
    if channels is not None:
        audio = to_channels(audio, channels)
    if sample_rate is not None and sample_rate != sr:
        audio = resample(audio, sr, sample_rate)
        sr = sample_rate
    return audio, int(sr)


_PCM_SUBTYPES = {16: "PCM_16", 24: "PCM_24", 32: "FLOAT"}


def write_audio(
    path,
    audio: np.ndarray,
    sample_rate: int,
    *,
    bit_depth: int = 24,
    fmt: str = "wav",
    bext: Bext | None = None,
    ixml: str | None = None,
    dither: bool = True,
) -> Path:
    """Write ``(channels, samples)`` audio atomically and return the final path.

    ``fmt``: "wav" (16/24-bit PCM, or 32 = 32-bit float) or "flac" (16/24-bit). PCM output is
    clipped to full scale; 16-bit gets deterministic TPDF dither unless ``dither=False``.
    ``bext``/``ixml`` add BWF metadata chunks (WAV only). A WAV whose audio would exceed 4 GiB
    is written as RF64 (without metadata chunks).
    """
    import soundfile as sf

    a = as_audio(audio)
    fmt = fmt.lower()
    if fmt not in ("wav", "flac"):
        raise ParameterError(f"unsupported output format {fmt!r}; use 'wav' or 'flac'")
    if bit_depth not in _PCM_SUBTYPES or (fmt == "flac" and bit_depth == 32):
        raise ParameterError(f"unsupported bit depth {bit_depth} for {fmt}; use 16 or 24 (or 32 float for WAV)")
    if not (1 <= int(sample_rate) <= 768000):
        raise ParameterError(f"invalid sample rate {sample_rate}")
    if fmt == "flac" and a.shape[0] > 8:
        raise ParameterError("FLAC holds at most 8 channels")
    if (bext is not None or ixml is not None) and fmt != "wav":
        raise ParameterError("bext/iXML metadata can only be written to WAV files")
    if bit_depth != 32:
        if bit_depth == 16 and dither:
            rng = np.random.default_rng(0)
            lsb = 1.0 / 32768.0
            a = a + (rng.random(a.shape, dtype=np.float32) - rng.random(a.shape, dtype=np.float32)) * lsb
        a = np.clip(a, -1.0, 1.0 - 2.0 ** -(bit_depth - 1))
    dst = Path(path)
    folder = dst.parent if str(dst.parent) else Path(".")
    if not folder.is_dir():
        raise AudioWriteError(f"{dst}: output folder does not exist")
    container = "FLAC" if fmt == "flac" else "WAV"
    if fmt == "wav" and a.size * (bit_depth // 8) > 0xFFFFFFFF - 1024:
        container = "RF64"
        bext = ixml = None
    tmp_paths = []
    try:
        tmp = temp_beside(folder / dst.name)
        tmp_paths.append(tmp)
        sf.write(tmp, a.T, int(sample_rate), subtype=_PCM_SUBTYPES[bit_depth] if fmt == "wav" else f"PCM_{bit_depth}", format=container)
        final_tmp = tmp
        if bext is not None or ixml is not None:
            tmp2 = temp_beside(folder / dst.name)
            tmp_paths.append(tmp2)
            rebuild_with_chunks(tmp, tmp2, bext=bext, ixml=ixml)
            final_tmp = tmp2
        with open(final_tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(final_tmp, dst)
    except OSError as exc:
        raise AudioWriteError(f"{dst}: cannot write ({exc.strerror or exc})") from None
    finally:
        for t in tmp_paths:
            if os.path.exists(t) and os.path.abspath(t) != os.path.abspath(dst):
                try:
                    os.remove(t)
                except OSError:
                    pass
    return dst


__all__ = ["AudioInfo", "AUDIO_EXTENSIONS", "audio_info", "read_audio", "write_audio"]
