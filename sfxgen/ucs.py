"""The Universal Category System (UCS) list and UCS-style file names.

The UCS (v8.2.1, CC0, shipped in ``sfxgen/data/ucs/``) names 752 sound-effect categories by a
short *CatID* such as ``METLImpt`` (category ``METAL``, subcategory ``IMPACT``), each with an
explanation and a list of synonyms. Libraries that follow it name files

    ``CatID[-UserCategory]_[VendorCategory-]FXName_CreatorID_SourceID[_UserData].ext``

e.g. ``METLImpt_Large Steel Door Slam_sfxgen_Starter_023.wav``. :func:`parse_ucs_filename`
reads such names back (robust to case, paths, extensions and missing trailing parts), and
:class:`UCS` answers look-ups by CatID, category/subcategory and synonym.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from sfxgen.errors import ParameterError

UCS_DIR = Path(__file__).resolve().parent / "data" / "ucs"
UCS_JSON = UCS_DIR / "ucs_en.json"

# File extensions stripped from a name before parsing (lower case, with the dot).
_AUDIO_EXTS = frozenset(
    ".wav .wave .bwf .rf64 .flac .aif .aiff .aifc .mp3 .ogg .oga .opus .m4a .mp4 .aac .wv .caf .w64 .au .snd".split()
)
_FX_SEPARATORS = re.compile(r"[\s_\-]+")


@dataclass(frozen=True)
class UCSCategory:
    """One UCS entry: CatID, category, subcategory, explanation and synonyms (lower case)."""

    cat_id: str
    category: str
    subcategory: str
    cat_short: str
    explanation: str
    synonyms: tuple[str, ...]

    def to_dict(self) -> dict:
        d = asdict(self)
        d["synonyms"] = list(self.synonyms)
        return d


@dataclass(frozen=True)
class UCSName:
    """The parts of a UCS-style file name. Missing trailing parts are ``None``.

    ``cat_id`` is spelled as in the UCS list (canonical case) whatever the file used.
    """

    cat_id: str
    category: str
    subcategory: str
    fx_name: str | None
    creator: str | None
    source: str | None
    user_category: str | None = None
    vendor_category: str | None = None
    user_data: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


class UCS:
    """Look-ups over the UCS list.

    Use :func:`load_ucs` for the shipped list (cached); construct directly from a list of raw
    entries (the JSON's dicts) for tests or another language version.
    """

    def __init__(self, entries: list[dict]):
        cats = []
        for e in entries:
            try:
                cats.append(UCSCategory(
                    cat_id=str(e["CatID"]),
                    category=str(e["Category"]).upper(),
                    subcategory=str(e["SubCategory"]).upper(),
                    cat_short=str(e.get("CatShort", "")),
                    explanation=str(e.get("Explanations", "")),
                    synonyms=tuple(str(s).lower() for s in e.get("Synonyms", ())),
                ))
            except (KeyError, TypeError) as exc:
                raise ParameterError(f"UCS entry {e!r} lacks a field: {exc}") from None
        self.categories: tuple[UCSCategory, ...] = tuple(cats)
        self._by_id = {c.cat_id.lower(): c for c in cats}
        self._by_pair = {(c.category, c.subcategory): c for c in cats}
        syn: dict[str, list[UCSCategory]] = {}
        for c in cats:
            words = set(c.synonyms) | {c.category.lower(), c.subcategory.lower()}
            for w in words:
                syn.setdefault(w, []).append(c)
        self._by_word = {k: tuple(v) for k, v in syn.items()}

    def __len__(self) -> int:
        return len(self.categories)

    def __contains__(self, cat_id: object) -> bool:
        return isinstance(cat_id, str) and cat_id.lower() in self._by_id

    def get(self, cat_id: str) -> UCSCategory | None:
        """The entry for ``cat_id`` (any case), or ``None``."""
        return self._by_id.get(str(cat_id).strip().lower())

    def __getitem__(self, cat_id: str) -> UCSCategory:
        c = self.get(cat_id)
        if c is None:
            raise ParameterError(f"{cat_id!r} is not a UCS CatID (e.g. METLImpt, DOORWood, WIND)")
        return c

    def by_category(self, category: str, subcategory: str | None = None) -> tuple[UCSCategory, ...]:
        """Entries of a category (``"METAL"``), or the one entry of category/subcategory."""
        cat = category.strip().upper()
        if subcategory is not None:
            c = self._by_pair.get((cat, subcategory.strip().upper()))
            return (c,) if c else ()
        return tuple(c for c in self.categories if c.category == cat)

    def category_names(self) -> tuple[str, ...]:
        """All top-level category names, in list order."""
        return tuple(dict.fromkeys(c.category for c in self.categories))

    def synonyms(self, cat_id: str) -> tuple[str, ...]:
        """Synonyms of ``cat_id`` (lower case)."""
        return self[cat_id].synonyms

    def find(self, text: str) -> tuple[UCSCategory, ...]:
        """Entries whose category, subcategory or synonyms contain a word of ``text``.

        Ranked by how many of the words match (ties keep list order). ``"metal clang"`` ->
        METAL entries first.
        """
        words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 1]
        score: dict[str, int] = {}
        for w in words:
            for c in self._by_word.get(w, ()):
                score[c.cat_id] = score.get(c.cat_id, 0) + 1
        order = {c.cat_id: i for i, c in enumerate(self.categories)}
        ranked = sorted(score, key=lambda k: (-score[k], order[k]))
        return tuple(self._by_id[k.lower()] for k in ranked)


@lru_cache(maxsize=1)
def load_ucs() -> UCS:
    """The shipped UCS list (``sfxgen/data/ucs/ucs_en.json``), loaded once."""
    try:
        entries = json.loads(UCS_JSON.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ParameterError(f"{UCS_JSON}: cannot read the UCS list ({exc})") from None
    return UCS(entries)


def _stem(name) -> str:
    s = str(name).strip().replace("\\", "/").rsplit("/", 1)[-1]
    dot = s.rfind(".")
    if dot > 0 and s[dot:].lower() in _AUDIO_EXTS:
        s = s[:dot]
    return s.strip()


def _part(parts: list[str], i: int) -> str | None:
    if i < len(parts):
        p = parts[i].strip()
        return p or None
    return None


def parse_ucs_filename(name, *, ucs: UCS | None = None) -> UCSName | None:
    """Parse a UCS-style file name (or path) into its parts; ``None`` if it is not one.

    The first ``_``-separated field must be a known CatID (any case), optionally followed by
    ``-UserCategory``, and at least one ``_`` must follow it. The FX name may start with ``VendorCategory-``; it is split off only
    when that prefix is one upper-case word (``BOOM-Metal Hit``), so ``Sci-Fi Door`` stays
    whole. Creator,
    source and user data are optional; extra fields after the source are joined into
    ``user_data``. Directory parts and audio extensions are ignored.
    """
    if name is None:
        return None
    stem = _stem(name)
    if not stem:
        return None
    parts = stem.split("_")
    if len(parts) < 2:  # a bare word such as "rain.wav" is not a UCS name
        return None
    head = parts[0].strip()
    cat_token, _, user_cat = head.partition("-")
    table = ucs or load_ucs()
    entry = table.get(cat_token)
    if entry is None:
        return None
    fx = _part(parts, 1)
    vendor = None
    if fx and "-" in fx:
        left, _, right = fx.partition("-")
        left = left.strip()
        if len(left) >= 2 and left.isupper() and left.isalnum() and right.strip():
            vendor, fx = left, right.strip()
    user_data = "_".join(p for p in parts[4:] if p.strip()) or None
    return UCSName(
        cat_id=entry.cat_id,
        category=entry.category,
        subcategory=entry.subcategory,
        fx_name=fx,
        creator=_part(parts, 2),
        source=_part(parts, 3),
        user_category=user_cat.strip() or None,
        vendor_category=vendor,
        user_data=user_data,
    )


def ucs_filename(cat_id: str, fx_name: str, *, creator: str = "sfxgen", source: str = "",
                 user_data: str = "", ext: str = ".wav", ucs: UCS | None = None) -> str:
    """Build a UCS-style file name; underscores and path characters in the parts are removed.

    ``ucs_filename("METLImpt", "Large Steel Door Slam", source="Starter", user_data="023")``
    -> ``"METLImpt_Large Steel Door Slam_sfxgen_Starter_023.wav"``.
    """
    entry = (ucs or load_ucs())[cat_id]

    def clean(s: str) -> str:
        s = re.sub(r"[_/\\:*?\"<>|\x00-\x1f]+", " ", str(s))
        return re.sub(r"\s+", " ", s).strip()

    fields = [entry.cat_id, clean(fx_name) or "Untitled", clean(creator) or "sfxgen"]
    if source or user_data:
        fields.append(clean(source) or "NoSource")
    if user_data:
        fields.append(clean(user_data))
    return "_".join(fields) + ext


__all__ = ["UCS", "UCSCategory", "UCSName", "load_ucs", "parse_ucs_filename", "ucs_filename"]
