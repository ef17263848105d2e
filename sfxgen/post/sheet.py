"""Cue sheets: the spotting session's list of sounds, each with its timecode, as typed cues.

Two ways in, one result (:class:`CueSheet`):

* **CSV** with a header row. Required columns ``cue_id, tc_in, tc_out, track, description``
  (``duration_s`` may replace ``tc_out``); optional ``preset, seed, notes, source, gain_db,
  match``. ``track`` is FX, BG or FOLEY; ``source`` is ``generate`` (designed, synthesised
  support layers), ``library`` (the best library match), ``both`` (designed with library support
  layers: the default) or ``roomtone`` (BG only: room tone learned from ``match``, a recording
  relative to the sheet, or from the DIA stem). Comma, semicolon or tab separated; UTF-8.
* **Editorial timelines** through OpenTimelineIO: an EDL (``.edl``, cmx_3600 adapter), an AAF
  (``.aaf``, otio-aaf-adapter) or OTIO itself (``.otio``). Every named clip and every marker is
  a cue at its record time; its name gives the track as a prefix (``"BG: city street at
  night"``, default FX) and the description. A marker without a length is a one-shot of its
  natural length.

Every problem of every row is collected before anything is made: a malformed sheet raises one
:class:`~sfxgen.errors.CueSheetError` listing them, each naming the row (spreadsheet numbering:
the header is row 1) or the clip.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sfxgen.errors import CueSheetError, ParameterError
from sfxgen.post.timebase import FrameRate, frame_rate

TRACKS = ("FX", "BG", "FOLEY")
SOURCES = ("generate", "library", "both", "roomtone")
REQUIRED = ("cue_id", "tc_in", "track", "description")
OPTIONAL = ("tc_out", "duration_s", "preset", "seed", "notes", "source", "gain_db", "match")
MAX_SHEET_BYTES = 5_000_000
MAX_CUES = 2000
MAX_SPAN_S = 30 * 60.0
"""A sheet spans at most one 30-minute reel (the stems are built in memory)."""
GAIN_RANGE_DB = (-60.0, 12.0)
TIMELINE_EXTENSIONS = {".edl": "cmx_3600", ".aaf": "AAF", ".otio": "otio_json"}
_ID_RE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Cue:
    """One cue. Positions are frames since midnight at the sheet's rate; ``end_frame`` None is
    a one-shot of its natural length (timeline markers only). ``where`` names its origin."""

    cue_id: str
    track: str
    start_frame: int
    end_frame: int | None
    description: str
    preset: str | None = None
    seed: int | None = None
    notes: str = ""
    source: str = "both"
    gain_db: float = 0.0
    match: str | None = None
    where: str = ""

    @property
    def file_id(self) -> str:
        """The cue id as a file-name part."""
        return _ID_RE.sub("_", self.cue_id).strip("._") or "cue"

    def length_frames(self) -> int | None:
        return None if self.end_frame is None else self.end_frame - self.start_frame

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Cue":
        return cls(**d)


@dataclass
class CueSheet:
    """The cues of one sheet at one frame rate, in sheet order. ``origin``: the file read."""

    rate: FrameRate
    cues: list[Cue]
    origin: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def start_frame(self) -> int:
        """The sheet's first timecode: where every stem starts."""
        return min(c.start_frame for c in self.cues)

    def cue(self, cue_id: str) -> Cue:
        for c in self.cues:
            if c.cue_id == cue_id:
                return c
        raise ParameterError(f"no cue {cue_id!r} in the sheet (cues: {', '.join(c.cue_id for c in self.cues[:12])}"
                             f"{' ...' if len(self.cues) > 12 else ''})")

    def rows(self) -> list[dict]:
        """One table row per cue (timecodes as labels), for the UI and reports."""
        out = []
        for c in self.cues:
            out.append({"cue_id": c.cue_id, "track": c.track, "tc_in": self.rate.format(c.start_frame),
                        "tc_out": "" if c.end_frame is None else self.rate.format(c.end_frame),
                        "duration_s": None if c.end_frame is None else round(self.rate.seconds(c.length_frames()), 3),
                        "description": c.description, "source": c.source, "seed": c.seed, "notes": c.notes})
        return out

    def to_dict(self) -> dict:
        return {"fps": self.rate.name, "origin": self.origin, "cues": [c.to_dict() for c in self.cues],
                "notes": list(self.notes)}

    @classmethod
    def from_dict(cls, d: dict) -> "CueSheet":
        return cls(rate=frame_rate(d["fps"]), cues=[Cue.from_dict(c) for c in d["cues"]], origin=d.get("origin", ""),
                   notes=list(d.get("notes", [])))


# ------------------------------------------------------------------------------ reading
def read_sheet(path, *, fps, default_source: str = "both") -> CueSheet:
    """Read and validate the cue sheet at ``path`` (CSV, EDL, AAF or OTIO by extension) at frame
    rate ``fps``. Raises :class:`CueSheetError` listing every problem."""
    p = Path(path)
    rate = frame_rate(fps)
    if not p.is_file():
        raise ParameterError(f"{p}: no such cue sheet")
    if p.stat().st_size > MAX_SHEET_BYTES:
        raise CueSheetError(p.name, [f"the file is over {MAX_SHEET_BYTES // 1_000_000} MB: not a cue sheet"])
    ext = p.suffix.lower()
    if ext in TIMELINE_EXTENSIONS:
        sheet = read_timeline(p, rate=rate, default_source=default_source)
    else:
        try:
            text = p.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CueSheetError(p.name, ["the file is not UTF-8 text (save the sheet as CSV UTF-8)"]) from None
        sheet = parse_csv(text, rate=rate, origin=str(p), default_source=default_source)
    return sheet


def parse_csv(text: str, *, rate, origin: str = "cue sheet", default_source: str = "both") -> CueSheet:
    """Parse CSV ``text`` into a validated :class:`CueSheet` (see the module docstring)."""
    rate = frame_rate(rate)
    name = Path(origin).name or origin
    if "\x00" in text:
        raise CueSheetError(name, ["the file is binary, not a CSV cue sheet"])
    lines = text.splitlines()
    if not any(l.strip() for l in lines):
        raise CueSheetError(name, ["the sheet is empty (it needs a header row and one row per cue)"])
    try:
        dialect = csv.Sniffer().sniff(next(l for l in lines if l.strip()), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = [(i + 1, r) for i, r in enumerate(reader)]
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r)]
    head_row, header = rows[0]
    cols = [re.sub(r"\s+", "_", h.strip().lower()) for h in header]
    problems: list[str] = []
    missing = [c for c in REQUIRED if c not in cols]
    if "tc_out" not in cols and "duration_s" not in cols:
        missing.append("tc_out (or duration_s)")
    if missing:
        raise CueSheetError(name, [f"row {head_row} (header): missing column(s) {', '.join(missing)}; "
                                   f"the header must name {', '.join(REQUIRED)} and tc_out or duration_s"])
    dupes = sorted({c for c in cols if c and cols.count(c) > 1})
    if dupes:
        raise CueSheetError(name, [f"row {head_row} (header): column(s) {', '.join(dupes)} appear twice"])
    body = rows[1:]
    if not body:
        raise CueSheetError(name, ["the sheet has a header but no cues"])
    if len(body) > MAX_CUES:
        raise CueSheetError(name, [f"{len(body)} cues: at most {MAX_CUES} per sheet (split the reel)"])
    cues = []
    for n, r in body:
        if len(r) > len(cols) and any(c.strip() for c in r[len(cols):]):
            problems.append(f"row {n}: {len(r)} fields but the header has {len(cols)} (a separator inside a "
                            "description? quote it)")
            continue
        vals = {c: (r[i].strip() if i < len(r) else "") for i, c in enumerate(cols)}
        cue, errs = _cue_from_values(vals, rate=rate, where=f"row {n}", default_source=default_source)
        problems.extend(errs)
        if cue is not None:
            cues.append(cue)
    problems.extend(check_cues(cues, rate))
    if problems:
        raise CueSheetError(name, problems)
    return CueSheet(rate=rate, cues=cues, origin=str(origin))


def _cue_from_values(vals: dict, *, rate: FrameRate, where: str, default_source: str, natural_ok: bool = False):
    """A Cue from one row's text values, or (None, problems). ``natural_ok``: a cue without
    tc_out/duration_s is a one-shot of its natural length (timeline markers)."""
    errs: list[str] = []
    cue_id = vals.get("cue_id", "")
    label = f"{where} (cue {cue_id})" if cue_id else where

    def bad(msg):
        errs.append(f"{label}: {msg}")

    if not cue_id:
        bad("cue_id is empty")
    track = vals.get("track", "").upper()
    if not track:
        bad("track is empty (FX, BG or FOLEY)")
    elif track not in TRACKS:
        bad(f"track {vals['track']!r} is not one of {', '.join(TRACKS)}")
    desc = vals.get("description", "")
    if not desc:
        bad("description is empty: describe the sound")
    elif len(desc) > 1000:
        bad("description is over 1000 characters")
    start = end = None
    if not vals.get("tc_in"):
        bad("tc_in is empty")
    else:
        try:
            start = rate.parse(vals["tc_in"])
        except ParameterError as exc:
            bad(f"tc_in {exc}")
    tc_out, dur = vals.get("tc_out", ""), vals.get("duration_s", "")
    if not tc_out and not dur and not natural_ok:
        bad("needs tc_out or duration_s")
    if tc_out:
        try:
            end = rate.parse(tc_out)
        except ParameterError as exc:
            bad(f"tc_out {exc}")
    if dur:
        try:
            d = float(dur)
            if not math.isfinite(d) or d <= 0:
                raise ValueError
        except ValueError:
            bad(f"duration_s {dur!r} is not a positive number of seconds")
            d = None
        if d is not None and start is not None:
            frames = rate.frames_of(d)
            if frames < 1:
                bad(f"duration_s {d:g} is shorter than one frame at {rate.name} fps")
            elif end is not None and abs((end - start) - frames) > 1:
                bad(f"tc_out and duration_s disagree ({rate.seconds(end - start):.3f} s vs {d:g} s)")
            elif end is None:
                end = start + frames
    if start is not None and end is not None and end <= start:
        bad(f"tc_out {vals.get('tc_out')} is not after tc_in {vals.get('tc_in')}")
    preset = vals.get("preset") or None
    if preset:
        from sfxgen.loudness import get_preset

        try:
            preset = get_preset(preset).name
        except ParameterError as exc:
            bad(str(exc))
    seed = None
    if vals.get("seed"):
        try:
            seed = int(vals["seed"])
            if seed < 0 or seed >= 2**31:
                raise ValueError
        except ValueError:
            bad(f"seed {vals['seed']!r} is not a whole number from 0 to 2147483647")
    source = (vals.get("source") or default_source).lower()
    if source not in SOURCES:
        bad(f"source {vals['source']!r} is not one of {', '.join(SOURCES)}")
    elif source == "roomtone" and track and track != "BG":
        bad("source 'roomtone' is for BG cues only")
    gain = 0.0
    if vals.get("gain_db"):
        try:
            gain = float(vals["gain_db"])
            if not GAIN_RANGE_DB[0] <= gain <= GAIN_RANGE_DB[1]:
                raise ValueError
        except ValueError:
            bad(f"gain_db {vals['gain_db']!r} is not a number from {GAIN_RANGE_DB[0]:g} to {GAIN_RANGE_DB[1]:g}")
    if errs:
        return None, errs
    return Cue(cue_id=cue_id, track=track, start_frame=start, end_frame=end, description=desc, preset=preset,
               seed=seed, notes=vals.get("notes", ""), source=source, gain_db=gain,
               match=vals.get("match") or None, where=where), []


def check_cues(cues: list[Cue], rate: FrameRate) -> list[str]:
    """Problems between cues: duplicate ids (also after making them file-name safe), BG cues
    without a length, a sheet longer than :data:`MAX_SPAN_S`, a cue past midnight."""
    problems = []
    seen: dict[str, Cue] = {}
    for c in cues:
        key = c.file_id.lower()
        if key in seen:
            first = seen[key]
            same = "the same cue_id" if first.cue_id == c.cue_id else f"a cue_id that names the same files as {first.cue_id!r}"
            problems.append(f"{c.where} (cue {c.cue_id}): {same} as {first.where}")
        else:
            seen[key] = c
        if c.track == "BG" and c.end_frame is None:
            problems.append(f"{c.where} (cue {c.cue_id}): a BG cue needs a length")
    if cues:
        day = rate.parse("23:59:59:00") + rate.nominal
        start = min(c.start_frame for c in cues)
        for c in cues:
            end = c.end_frame if c.end_frame is not None else c.start_frame
            if end > day:
                problems.append(f"{c.where} (cue {c.cue_id}): ends after midnight")
            elif rate.seconds(end - start) > MAX_SPAN_S:
                problems.append(f"{c.where} (cue {c.cue_id}): ends {rate.seconds(end - start) / 60:.1f} min after the "
                                f"sheet's first timecode; one sheet spans at most {MAX_SPAN_S / 60:g} min (split the reel)")
    return problems


# ------------------------------------------------------------------------------ timelines
def _split_name(text: str) -> tuple[str | None, str]:
    """("BG", "city street") from "BG: city street"; (None, text) without a track prefix."""
    m = re.match(r"^\s*(FX|BG|FOLEY|SFX)\s*[:|\-]\s*(.*)$", text or "", re.I)
    if not m:
        return None, (text or "").strip()
    track = m.group(1).upper()
    return ("FX" if track == "SFX" else track), m.group(2).strip()


def read_timeline(path, *, rate, default_source: str = "both") -> CueSheet:
    """Cues from an editorial timeline (EDL, AAF or OTIO) read through OpenTimelineIO."""
    import opentimelineio as otio

    p = Path(path)
    rate = frame_rate(rate)
    adapter = TIMELINE_EXTENSIONS[p.suffix.lower()]
    kwargs = {"rate": rate.fps_float} if adapter == "cmx_3600" else {}
    try:
        tl = otio.adapters.read_from_file(str(p), adapter_name=adapter, **kwargs)
    except Exception as exc:  # the adapters raise many kinds; all mean "cannot read this timeline"
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CueSheetError(p.name, [f"cannot read the {adapter} timeline: {msg}"]) from None
    if not isinstance(tl, otio.schema.Timeline):
        raise CueSheetError(p.name, ["the file holds no timeline"])
    return timeline_cues(tl, rate=rate, origin=str(p), default_source=default_source)


def timeline_cues(tl, *, rate, origin: str = "timeline", default_source: str = "both") -> CueSheet:
    """Cues from an OTIO ``Timeline``: named clips and markers at their record time."""
    import opentimelineio as otio

    rate = frame_rate(rate)
    name = Path(origin).name or origin
    problems: list[str] = []
    cues: list[Cue] = []
    global_start = tl.global_start_time
    base = 0.0 if global_start is None else global_start.to_seconds()
    for ti, track in enumerate(tl.tracks):
        tname = track.name or f"track {ti + 1}"
        track_type, _ = _split_name(f"{tname}:")
        track_type = track_type if track_type in TRACKS else None
        offset = track.trimmed_range().start_time.to_seconds() if track.source_range is not None else 0.0
        k = 0
        for item in track:
            if not isinstance(item, otio.schema.Clip):
                continue
            k += 1
            where = f"clip {k} on track {tname}"
            rng = item.range_in_parent()
            rec_s = base + rng.start_time.to_seconds() - offset
            dur_s = rng.duration.to_seconds()
            if item.name and item.name.strip():
                cues.append(_timeline_cue(item, item.name, rec_s, dur_s, rate, where, track_type, problems,
                                          default_source, len(cues)))
            for mi, marker in enumerate(item.markers):
                t = marker.marked_range.start_time
                src = item.trimmed_range()
                if src.contains(t):
                    m_s = rec_s + (t - src.start_time).to_seconds()
                else:  # EDL LOC markers carry the record timecode itself
                    m_s = t.to_seconds()
                    if not rec_s - 1e-6 <= m_s <= rec_s + dur_s + 1e-6:
                        problems.append(f"marker {mi + 1} ({marker.name!r}) of {where}: lies outside its clip")
                        continue
                mdur = marker.marked_range.duration.to_seconds()
                cues.append(_timeline_cue(marker, marker.name, m_s, mdur if mdur > 0 else None, rate,
                                          f"marker {mi + 1} of {where}", track_type, problems, default_source,
                                          len(cues)))
    for mi, marker in enumerate(tl.tracks.markers):
        t = marker.marked_range.start_time.to_seconds() + base
        mdur = marker.marked_range.duration.to_seconds()
        cues.append(_timeline_cue(marker, marker.name, t, mdur if mdur > 0 else None, rate,
                                  f"timeline marker {mi + 1}", None, problems, default_source, len(cues)))
    cues = [c for c in cues if c is not None]
    if not cues and not problems:
        problems.append("the timeline has no named clips or markers to spot")
    problems.extend(check_cues(cues, rate))
    if problems:
        raise CueSheetError(name, problems)
    return CueSheet(rate=rate, cues=cues, origin=str(origin))


def _timeline_cue(item, label, start_s, dur_s, rate, where, track_type, problems, default_source, index):
    meta = dict(item.metadata.get("sfxgen", {})) if hasattr(item, "metadata") else {}
    prefix, desc = _split_name(label or "")
    track = str(meta.get("track") or prefix or track_type or "FX").upper()
    desc = str(meta.get("description") or desc)
    start = rate.frames_of(start_s)
    vals = {"cue_id": str(meta.get("cue_id") or f"{track}{index + 1:03d}"), "track": track, "description": desc,
            "tc_in": rate.format(start), "source": str(meta.get("source") or ""),
            "seed": str(meta.get("seed") if meta.get("seed") is not None else ""),
            "preset": str(meta.get("preset") or ""), "notes": str(meta.get("notes") or "")}
    if dur_s is not None:
        vals["tc_out"] = rate.format(start + max(1, rate.frames_of(dur_s)))
    cue, errs = _cue_from_values(vals, rate=rate, where=where, default_source=default_source,
                                 natural_ok=track != "BG")
    problems.extend(errs)
    return cue


__all__ = ["Cue", "CueSheet", "TRACKS", "SOURCES", "read_sheet", "parse_csv", "read_timeline", "timeline_cues",
           "check_cues"]
