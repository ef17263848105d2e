"""The DAW session: every cue clip on its track at its timecode, as OTIO, AAF and a Reaper project.

Clips start and end on frame boundaries (see :mod:`sfxgen.post.fit`), so the OTIO timeline
runs at the picture rate: its ``global_start_time`` is the sheet's first timecode and each clip
sits at its frame. Overlapping cues of one track type go on extra lanes (``FX 1``, ``FX 2``,
...), first free lane first, since a timeline track plays one clip at a time. The AAF is
written from that timeline by otio-aaf-adapter (each clip gets a stable MobID derived from its
file name; a 29.97 drop-frame timeline's timecode track is marked drop-frame); the Reaper project (``.rpp`` text, written here: no maintained permissive library
writes it) places each item at its exact second from the project start, with the project start
time (``PROJOFFS``) set to the sheet's first timecode. Media paths are relative to the folder
the session files are in, so the delivery folder can move as a whole.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sfxgen.errors import AudioWriteError
from sfxgen.post.timebase import FrameRate


@dataclass
class SessionClip:
    """One cue clip in the session: ``file`` relative to the session folder."""

    cue_id: str
    track: str
    name: str
    file: str
    start_frame: int
    frames: int
    samples: int


def assign_lanes(clips: list[SessionClip]) -> list[tuple[str, list[SessionClip]]]:
    """``[(lane name, clips in time order), ...]``: per track type, each clip on the first lane
    that is free at its start."""
    from sfxgen.post.conform import TRACK_ORDER

    out = []
    for track in TRACK_ORDER:
        lanes: list[list[SessionClip]] = []
        for c in sorted((c for c in clips if c.track == track), key=lambda c: (c.start_frame, c.cue_id)):
            for lane in lanes:
                last = lane[-1]
                if last.start_frame + last.frames <= c.start_frame:
                    lane.append(c)
                    break
            else:
                lanes.append([c])
        out.extend((f"{track} {i + 1}", lane) for i, lane in enumerate(lanes))
    return out


def build_timeline(clips: list[SessionClip], *, rate: FrameRate, start_frame: int, name: str):
    """An OTIO ``Timeline`` at the picture rate starting at ``start_frame``."""
    import opentimelineio as otio

    RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange
    r = rate.fps_float
    tl = otio.schema.Timeline(name=name, global_start_time=RT(start_frame, r))
    tl.metadata["sfxgen"] = {"fps": rate.name, "start_tc": rate.format(start_frame)}
    for lane_name, lane in assign_lanes(clips):
        track = otio.schema.Track(name=lane_name, kind=otio.schema.TrackKind.Audio)
        pos = start_frame
        for c in lane:
            if c.start_frame > pos:
                track.append(otio.schema.Gap(source_range=TR(RT(0, r), RT(c.start_frame - pos, r))))
            avail = TR(RT(0, r), RT(c.frames, r))
            ref = otio.schema.ExternalReference(target_url=c.file, available_range=avail)
            clip = otio.schema.Clip(name=c.name, media_reference=ref, source_range=avail)
            mob = uuid.uuid5(uuid.NAMESPACE_URL, f"sfxgen:{c.file}")
            clip.metadata["AAF"] = {"MobID": _mob_id(mob)}
            clip.metadata["sfxgen"] = {"cue_id": c.cue_id, "track": c.track, "samples": c.samples}
            track.append(clip)
            pos = c.start_frame + c.frames
        tl.tracks.append(track)
    return tl


def _mob_id(material: uuid.UUID) -> str:
    import aaf2

    m = aaf2.mobid.MobID.new()
    m.material = material
    return str(m)


def _atomic(path: Path, write) -> Path:
    tmp = path.with_name(f".{path.name}.part{path.suffix}")
    try:
        write(str(tmp))
        tmp.replace(path)
    except OSError as exc:
        raise AudioWriteError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def write_otio(timeline, path) -> Path:
    import opentimelineio as otio

    return _atomic(Path(path), lambda p: otio.adapters.write_to_file(timeline, p, adapter_name="otio_json"))


def write_aaf(timeline, path, *, drop_frame: bool = False) -> Path:
    """The timeline as AAF through otio-aaf-adapter. The adapter always marks its timecode track
    non-drop; with ``drop_frame`` that flag is set afterwards (pyaaf2), so 29.97 DF reads as DF."""
    import opentimelineio as otio

    def write(p):
        otio.adapters.write_to_file(timeline, p, adapter_name="AAF")
        if drop_frame:
            import aaf2

            with aaf2.open(p, "rw") as f:
                for mob in f.content.compositionmobs():
                    for slot in mob.slots:
                        if isinstance(slot.segment, aaf2.components.Timecode):
                            slot.segment.drop = True

    return _atomic(Path(path), write)


def _q(text: str) -> str:
    return '"' + str(text).replace('"', "'").replace("\n", " ") + '"'


def rpp_text(clips: list[SessionClip], *, rate: FrameRate, start_frame: int, sample_rate: int = 48000) -> str:
    """A Reaper project with one track per lane and one item per clip."""
    start_s = rate.seconds(start_frame)
    lines = ['<REAPER_PROJECT 0.1 "6.0" 0', f"  SAMPLERATE {sample_rate} 0 0", f"  PROJOFFS {start_s:.10f} 0 0",
             f"  TIMEMODE 5 5 -1 {rate.nominal} 0 0 -1"]
    origin = rate.sample(start_frame, sample_rate)
    for lane_name, lane in assign_lanes(clips):
        lines += ["  <TRACK", f"    NAME {_q(lane_name)}"]
        for c in lane:
            pos = (rate.sample(c.start_frame, sample_rate) - origin) / sample_rate
            lines += ["    <ITEM", f"      POSITION {pos:.10f}", f"      LENGTH {c.samples / sample_rate:.10f}",
                      f"      NAME {_q(c.name)}", "      <SOURCE WAVE", f"        FILE {_q(c.file)}", "      >",
                      "    >"]
        lines.append("  >")
    lines.append(">")
    return "\n".join(lines) + "\n"


def write_rpp(clips, path, *, rate: FrameRate, start_frame: int) -> Path:
    from sfxgen.export import write_text_atomic

    return write_text_atomic(Path(path), rpp_text(clips, rate=rate, start_frame=start_frame))


__all__ = ["SessionClip", "assign_lanes", "build_timeline", "write_otio", "write_aaf", "rpp_text", "write_rpp"]
