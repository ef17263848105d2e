"""Frame rates and SMPTE timecode of cue sheets, on the ``timecode`` library (no hand-written
timecode arithmetic: labels are parsed and counted, drop-frame included, by that library).

A position is a **frame number since midnight** (0-based) at a :class:`FrameRate`; its audio
sample is ``round(frame * sample_rate / fps)`` with the exact rational rate (24000/1001 for
23.976, 30000/1001 for 29.97 drop-frame), so 01:00:00:00 at 23.976 is sample 172,972,800 at
48 kHz and 01:00:00;00 at 29.97 DF is sample 172,799,827.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from sfxgen.errors import ParameterError

_TC_RE = re.compile(r"^(\d{1,2})[:.](\d{2})[:.](\d{2})([:;.,])(\d{2})$")


@dataclass(frozen=True)
class FrameRate:
    """A picture frame rate: ``name`` as users write it, exact ``fps``, drop-frame counting,
    and the rate string the ``timecode`` library takes."""

    name: str
    fps: Fraction
    drop_frame: bool
    library_rate: str

    @property
    def nominal(self) -> int:
        """Frames per timecode second (24, 25 or 30)."""
        return round(self.fps)

    @property
    def fps_float(self) -> float:
        return float(self.fps)

    def sample(self, frame: int, sample_rate: int) -> int:
        """The audio sample of ``frame`` (frames since midnight) at ``sample_rate``."""
        return round(Fraction(int(frame)) * int(sample_rate) / self.fps)

    def seconds(self, frames: int) -> float:
        """``frames`` as seconds of real time."""
        return float(Fraction(int(frames)) / self.fps)

    def frames_of(self, seconds: float) -> int:
        """The nearest whole number of frames to ``seconds`` of real time."""
        return round(Fraction(seconds).limit_denominator(10**9) * self.fps)

    def parse(self, text: str) -> int:
        """Frame number since midnight of timecode ``text`` (``HH:MM:SS:FF``, ``;`` before the
        frames for drop-frame). Raises ParameterError naming the problem."""
        from timecode import Timecode

        s = str(text).strip()
        m = _TC_RE.match(s)
        if not m:
            raise ParameterError(f"{s!r} is not a timecode (write HH:MM:SS:FF)")
        hh, mm, ss, ff = (int(m.group(i)) for i in (1, 2, 3, 5))
        if hh > 23 or mm > 59 or ss > 59:
            raise ParameterError(f"{s!r} is not a time of day (hours 00-23, minutes and seconds 00-59)")
        if ff >= self.nominal:
            raise ParameterError(f"{s!r}: frame {ff:02d} does not exist at {self.name} fps "
                                 f"(frames run 00-{self.nominal - 1:02d})")
        sep = ";" if self.drop_frame else ":"
        label = f"{hh:02d}:{mm:02d}:{ss:02d}{sep}{ff:02d}"
        frame = Timecode(self.library_rate, label).frame_number
        if self.format(frame) != label:  # a label that drop-frame counting skips
            raise ParameterError(f"{s!r} does not exist in {self.name} (drop-frame) timecode (frames 00 and 01 are "
                                 "skipped at the start of every minute except each tenth)")
        return int(frame)

    def format(self, frame: int) -> str:
        """The timecode label of ``frame`` (``;`` before the frames for drop-frame)."""
        from timecode import Timecode

        tc = Timecode(self.library_rate, frames=int(frame) + 1)
        return str(tc)

    def rational_time(self, frames: int):
        """``frames`` as an OpenTimelineIO ``RationalTime`` at this rate."""
        import opentimelineio as otio

        return otio.opentime.RationalTime(int(frames), self.fps_float)


FRAME_RATES: dict[str, FrameRate] = {
    "23.976": FrameRate("23.976", Fraction(24000, 1001), False, "23.976"),
    "24": FrameRate("24", Fraction(24), False, "24"),
    "25": FrameRate("25", Fraction(25), False, "25"),
    "29.97df": FrameRate("29.97 DF", Fraction(30000, 1001), True, "29.97"),
    "30": FrameRate("30", Fraction(30), False, "30"),
}
_ALIASES = {"23.98": "23.976", "23.97": "23.976", "24.0": "24", "25.0": "25", "29.97": "29.97df",
            "29.97d": "29.97df", "29.97dropframe": "29.97df", "30.0": "30"}


def frame_rate(name) -> FrameRate:
    """The :class:`FrameRate` called ``name``: 23.976, 24, 25, 29.97 (drop-frame; also "29.97df")
    or 30. A FrameRate passes through."""
    if isinstance(name, FrameRate):
        return name
    key = re.sub(r"[\s_-]+", "", str(name).strip().lower()).removesuffix("fps")
    key = _ALIASES.get(key, key)
    if key not in FRAME_RATES:
        raise ParameterError(f"unknown frame rate {name!r}; use one of 23.976, 24, 25, 29.97 (drop-frame), 30")
    return FRAME_RATES[key]


__all__ = ["FRAME_RATES", "FrameRate", "frame_rate"]
