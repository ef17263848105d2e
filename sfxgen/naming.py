"""The one file-naming rule: a prompt gives the same file stem in ``generate``, ``design`` and the UI.

``file_stem("Huge metal door SLAM, in a cathedral!")`` -> ``"huge_metal_door_slam_in_a_cathedral"``:
accents folded to ASCII, lower case, words (runs of letters and digits) joined by ``_``, as many
whole words as fit in ``max_chars`` (never cut mid-word; only a single word longer than the limit
is shortened), ``"sfx"`` when nothing usable is left. Outputs add suffixes to the stem
(``_s7.wav`` for a generated seed, ``_mix.wav`` / ``_stem_hero.wav`` for a design).

Delivered design files follow UCS (``CatID_FXName_CreatorID_SourceID``): the FX name is the
prompt's first words in title case (:func:`fx_name`, whole words, at most 40 characters) and the
source field is the stem with ``-`` for ``_`` (:func:`ucs_stem`), e.g.
``DOORWood_Heavy Wooden Door Slam_sfxgen_heavy-wooden-door-slam_mix.wav``.
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


MAX_FX_NAME_CHARS = 40


def fx_name(text: str, *, max_chars: int = MAX_FX_NAME_CHARS) -> str:
    """UCS FX name of ``text``: its words (punctuation dropped) in title case, as many whole words
    as fit in ``max_chars``; ``"Untitled"`` when nothing is left."""
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", unicodedata.normalize("NFKC", str(text)))
    out = ""
    for w in words:
        w = w[:1].upper() + w[1:].lower()
        longer = f"{out} {w}" if out else w
        if len(longer) > max_chars:
            break
        out = longer
    return out or (words[0][:max_chars].capitalize() if words else "Untitled")


def ucs_stem(cat_id: str, text: str, *, stem: str) -> str:
    """UCS file-name stem ``CatID_FXName_sfxgen_<stem with - for _>`` (no extension)."""
    from sfxgen.ucs import ucs_filename

    return ucs_filename(cat_id, fx_name(text), source=stem.replace("_", "-"), ext="")


__all__ = ["MAX_FX_NAME_CHARS", "MAX_STEM_CHARS", "file_stem", "fx_name", "ucs_stem"]
