"""RIFF/RF64 chunk access and Broadcast Wave (EBU Tech 3285 v2) ``bext`` / ``iXML`` chunks.

soundfile writes the audio; this module reads the chunk list of a WAV and rebuilds a file with a
``bext`` chunk placed after ``WAVE`` (before ``fmt``, where most tools look first) and an ``iXML``
chunk at the end. Loudness fields are stored as int16 hundredths (0x7FFF = not set).
"""

from __future__ import annotations

import datetime as _dt
import struct
import unicodedata
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from sfxgen.errors import AudioReadError, AudioWriteError

_BEXT_FMT = "<256s32s32s10s8sIIH64s5h180s"
_BEXT_FIXED = struct.calcsize(_BEXT_FMT)  # 602 bytes
_UNSET = 0x7FFF


@dataclass
class Bext:
    """Fields of a BWF ``bext`` v2 chunk. Loudness values in LUFS / LU / dBTP, ``None`` = unset."""

    description: str = ""
    originator: str = "sfxgen"
    originator_reference: str = ""
    origination_date: str = ""  # yyyy-mm-dd; empty = today at write time
    origination_time: str = ""  # hh:mm:ss; empty = now at write time
    time_reference: int = 0  # samples since midnight
    loudness_value: float | None = None
    loudness_range: float | None = None
    max_true_peak_level: float | None = None
    max_momentary_loudness: float | None = None
    max_short_term_loudness: float | None = None
    coding_history: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Bext":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


def _ascii(text: str, size: int) -> bytes:
    raw = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore")
    return raw[:size]


def _loud(value: float | None) -> int:
    if value is None:
        return _UNSET
    v = float(value)
    if v != v or v in (float("inf"), float("-inf")):
        return _UNSET
    return int(max(-32767, min(32766, round(v * 100))))


def pack_bext(bext: Bext) -> bytes:
    """Serialise to the chunk payload (602 fixed bytes + CR/LF-terminated coding history)."""
    now = _dt.datetime.now()
    date = bext.origination_date or now.strftime("%Y-%m-%d")
    time = bext.origination_time or now.strftime("%H:%M:%S")
    tr = int(bext.time_reference) & 0xFFFFFFFFFFFFFFFF
    fixed = struct.pack(
        _BEXT_FMT,
        _ascii(bext.description, 256),
        _ascii(bext.originator, 32),
        _ascii(bext.originator_reference, 32),
        _ascii(date, 10),
        _ascii(time, 8),
        tr & 0xFFFFFFFF,
        tr >> 32,
        2,
        b"",
        _loud(bext.loudness_value),
        _loud(bext.loudness_range),
        _loud(bext.max_true_peak_level),
        _loud(bext.max_momentary_loudness),
        _loud(bext.max_short_term_loudness),
        b"",
    )
    history = bext.coding_history
    if history and not history.endswith("\r\n"):
        history += "\r\n"
    return fixed + _ascii(history, 1 << 16)


def unpack_bext(payload: bytes) -> Bext:
    """Parse a ``bext`` payload (v0, v1 or v2; loudness fields only from v2)."""
    if len(payload) < _BEXT_FIXED:
        payload = payload + b"\0" * (_BEXT_FIXED - len(payload))
    (desc, orig, oref, date, time, lo, hi, version, _umid, lv, lr, tp, mm, ms, _res) = struct.unpack(
        _BEXT_FMT, payload[:_BEXT_FIXED]
    )

    def s(b: bytes) -> str:
        return b.split(b"\0", 1)[0].decode("latin-1").strip()

    def loud(v: int) -> float | None:
        return None if version < 2 or v == _UNSET else v / 100.0

    return Bext(
        description=s(desc),
        originator=s(orig),
        originator_reference=s(oref),
        origination_date=s(date),
        origination_time=s(time),
        time_reference=lo | (hi << 32),
        loudness_value=loud(lv),
        loudness_range=loud(lr),
        max_true_peak_level=loud(tp),
        max_momentary_loudness=loud(mm),
        max_short_term_loudness=loud(ms),
        coding_history=payload[_BEXT_FIXED:].split(b"\0", 1)[0].decode("latin-1"),
    )


@dataclass(frozen=True)
class Chunk:
    """One RIFF chunk: id, payload offset in the file, payload size in bytes."""

    id: str
    offset: int
    size: int


def read_chunks(path) -> tuple[str, list[Chunk]]:
    """The container kind (``RIFF``/``RF64``) and the chunk list of a WAV file.

    Raises :class:`AudioReadError` when the file is not RIFF/RF64 WAVE.
    """
    path = Path(path)
    file_size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
            raise AudioReadError(path, "not a RIFF/RF64 WAVE file")
        kind = head[:4].decode()
        chunks: list[Chunk] = []
        ds64_data = None
        pos = 12
        while pos + 8 <= file_size:
            f.seek(pos)
            cid, size = struct.unpack("<4sI", f.read(8))
            cid_s = cid.decode("latin-1")
            if cid_s == "ds64":
                body = f.read(min(size, 28))
                if len(body) >= 16:
                    ds64_data = struct.unpack("<Q", body[8:16])[0]
            if cid_s == "data" and size == 0xFFFFFFFF and ds64_data is not None:
                size = ds64_data
            chunks.append(Chunk(cid_s, pos + 8, size))
            pos += 8 + size + (size & 1)
    return kind, chunks


def _chunk_payload(path, chunk_id: str) -> bytes | None:
    try:
        _, chunks = read_chunks(path)
    except (AudioReadError, OSError):
        return None
    for c in chunks:
        if c.id == chunk_id:
            with open(path, "rb") as f:
                f.seek(c.offset)
                return f.read(c.size)
    return None


def read_bext(path) -> Bext | None:
    """The file's ``bext`` chunk, or ``None`` when it has none (or is not a WAV)."""
    payload = _chunk_payload(path, "bext")
    return None if payload is None else unpack_bext(payload)


def read_ixml(path) -> str | None:
    """The file's ``iXML`` chunk as text, or ``None``."""
    payload = _chunk_payload(path, "iXML")
    return None if payload is None else payload.split(b"\0", 1)[0].decode("utf-8", "replace")


def rebuild_with_chunks(src, dst, *, bext: Bext | None, ixml: str | None) -> None:
    """Copy RIFF WAVE ``src`` to ``dst`` with ``bext`` after the header and ``iXML`` at the end.

    Existing ``bext``/``iXML`` chunks in ``src`` are replaced. RF64 sources are refused (their
    sizes live in ``ds64``); sfxgen writes RF64 only for files over 4 GiB, without metadata.
    """
    kind, chunks = read_chunks(src)
    if kind != "RIFF":
        raise AudioWriteError(f"{dst}: bext/iXML metadata is only written to RIFF WAV files under 4 GiB")
    extra_head = b""
    if bext is not None:
        payload = pack_bext(bext)
        extra_head = b"bext" + struct.pack("<I", len(payload)) + payload + (b"\0" if len(payload) & 1 else b"")
    extra_tail = b""
    if ixml is not None:
        payload = ixml.encode("utf-8")
        extra_tail = b"iXML" + struct.pack("<I", len(payload)) + payload + (b"\0" if len(payload) & 1 else b"")
    keep = [c for c in chunks if c.id not in ("bext", "iXML")]
    body_size = 4 + len(extra_head) + len(extra_tail) + sum(8 + c.size + (c.size & 1) for c in keep)
    if body_size > 0xFFFFFFFF:
        raise AudioWriteError(f"{dst}: file too large for RIFF WAV metadata (over 4 GiB)")
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        fout.write(b"RIFF" + struct.pack("<I", body_size) + b"WAVE")
        fout.write(extra_head)
        for c in keep:
            fout.write(c.id.encode("latin-1") + struct.pack("<I", c.size))
            fin.seek(c.offset)
            _copy_exact(fin, fout, c.size + (c.size & 1), dst)
        fout.write(extra_tail)


def _copy_exact(fin, fout, n: int, dst) -> None:
    remaining = n
    while remaining > 0:
        buf = fin.read(min(remaining, 1 << 22))
        if not buf:
            if remaining == 1:  # missing pad byte at end of a sloppy source
                fout.write(b"\0")
                return
            raise AudioWriteError(f"{dst}: source ended early while copying chunks")
        fout.write(buf)
        remaining -= len(buf)


__all__ = ["Bext", "Chunk", "pack_bext", "unpack_bext", "read_chunks", "read_bext", "read_ixml", "rebuild_with_chunks"]
