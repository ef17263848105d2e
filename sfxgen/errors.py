"""One exception family for sfxgen.

Every error a user can meet is an :class:`SfxgenError`; messages name the file or value and say
what is wrong in words a sound designer understands. Subclasses let callers (CLI, UI, batch
jobs) tell the kinds apart without parsing messages.
"""

from __future__ import annotations


class SfxgenError(Exception):
    """Base of every sfxgen error."""


class AudioReadError(SfxgenError):
    """A file could not be read as audio (missing, unreadable, corrupt, truncated, empty, NaN...)."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class AudioWriteError(SfxgenError):
    """A file could not be written (permissions, disk, bad format request)."""


class ParameterError(SfxgenError, ValueError):
    """A value passed by the user is out of range or malformed."""


class LoudnessError(SfxgenError):
    """Loudness cannot be measured or reached (e.g. silence, ceiling prevents target)."""


class ModelError(SfxgenError):
    """A model could not be loaded or does not match (missing weights, wrong model id)."""


class IndexError_(SfxgenError):
    """The library index is missing, corrupt, or built with another model."""


class RecipeError(SfxgenError):
    """A layering recipe is invalid or refers to sources that changed or vanished."""


class CueSheetError(ParameterError):
    """A cue sheet (CSV or editorial timeline) is malformed; ``problems`` lists every row's
    problem, each naming the row (or clip) and what is wrong."""

    def __init__(self, source: str, problems: list[str]):
        self.source = str(source)
        self.problems = list(problems)
        shown = self.problems[:20]
        more = f"\n  ... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{self.source}: the cue sheet is refused, nothing was made:\n  "
                         + "\n  ".join(shown) + more)
