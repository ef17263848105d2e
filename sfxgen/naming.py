"""The one file-naming rule: a prompt gives the same file stem in ``generate``, ``design`` and the UI.

``file_stem("Huge metal door SLAM, in a cathedral!")`` -> ``"huge_metal_door_slam_in_a_cathedral"``:
accents folded to ASCII, lower case, words (runs of letters and digits) joined by ``_``, as many
whole words as fit in ``max_chars`` (never cut mid-word; only a single word longer than the limit
is shortened), ``"sfx"`` when nothing usable is left. Outputs add suffixes to the stem
(``_s7.wav`` for a generated seed, ``_mix.wav`` / ``_stem_hero.wav`` for a design).
"""

from __future__ import annotations

import re
import unicodedata

MAX_STEM_CHARS = 48
_WORD = re.compile(r"[a-z0-9]+")


def file_stem(prompt: str, *, max_chars: int = MAX_STEM_CHARS) -> str:
    """File-name stem for ``prompt`` (see module doc); at most ``max_chars`` characters."""
    text = unicodedata.normalize("NFKD", str(prompt)).encode("ascii", "ignore").decode("ascii").lower()
    words = _WORD.findall(text)
    stem = ""
    for w in words:
        longer = f"{stem}_{w}" if stem else w
        if len(longer) > max_chars:
            break
        stem = longer
    if not stem and words:  # one word longer than the limit
        stem = words[0][:max_chars]
    return stem or "sfx"


__all__ = ["MAX_STEM_CHARS", "file_stem"]
