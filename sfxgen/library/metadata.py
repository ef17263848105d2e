"""Text metadata of a library file: file name words, UCS fields, BWF/iXML and tag text.

Sound libraries carry their descriptions in several places; a Soundminer/BaseHead-style search
looks at all of them:

- the file name (``Door_Wood_Creak_03.wav`` → "door wood creak") and the nearest folder names;
- UCS names (``DOORWood_Creaky Wooden Door Open_ACME_LIB_01.wav``) parsed by :mod:`sfxgen.ucs`
  into CatID / category / subcategory / FX name / creator / source;
- the BWF ``bext`` description and originator, and iXML fields (NOTE, PROJECT, SCENE, and
  Soundminer-style USER fields such as DESCRIPTION, CATEGORY, KEYWORDS);
- ID3 / Vorbis comment / FLAC / Opus tags (title, artist, album, genre, comment, description)
  read with mutagen.

:func:`read_metadata` never raises for unreadable metadata: a file whose tags are broken is
still indexed by its audio and name.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SPLIT = re.compile(r"[^0-9A-Za-z\u00C0-\uFFFF]+")
_TAG_KEYS = ("title", "artist", "album", "genre", "comment", "description", "keywords", "subject", "composer")
_IXML_FIELDS = ("NOTE", "PROJECT", "SCENE", "TAPE", "DESCRIPTION", "CATEGORY", "SUBCATEGORY", "CATID",
                "FXNAME", "KEYWORDS", "LIBRARY", "SHOW", "TRACK_NAME", "NAME")


@dataclass
class FileMetadata:
    """Text facts about one file. ``meta_text`` is what the metadata-text embedding sees."""

    words: list[str] = field(default_factory=list)
    folder_words: list[str] = field(default_factory=list)
    ucs_catid: str | None = None
    category: str | None = None
    subcategory: str | None = None
    fx_name: str | None = None
    creator: str | None = None
    source: str | None = None
    description: str | None = None
    originator: str | None = None
    tags: dict = field(default_factory=dict)
    meta_text: str = ""


def name_words(name: str) -> list[str]:
    """Lower-case words of a file or folder name: splits on ``_ - . space``, camelCase and
    digits, and drops pure numbers (take numbers carry no meaning for search)."""
    stem = name
    out = []
    for part in _SPLIT.split(stem):
        for w in _CAMEL.split(part):
            w = re.sub(r"\d+", " ", w).strip().lower()
            out.extend(x for x in w.split() if len(x) > 1 or x.isalpha())
    return [w for w in out if w]


def _ixml_text(xml: str) -> dict:
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return {}
    out: dict[str, str] = {}
    for el in root.iter():
        tag = el.tag.upper() if isinstance(el.tag, str) else ""
        text = (el.text or "").strip()
        if tag in _IXML_FIELDS and text and len(list(el)) == 0:
            out.setdefault(f"ixml_{tag.lower()}", text)
    return out


def _mutagen_tags(path: str) -> dict:
    try:
        import mutagen
    except ImportError:
        return {}
    try:
        f = mutagen.File(path, easy=True)
    except Exception:  # mutagen raises many types for broken tags; tags are optional
        return {}
    if f is None or not getattr(f, "tags", None):
        return {}
    out = {}
    try:
        items = list(f.tags.items())
    except Exception:
        return {}
    for k, v in items:
        key = str(k).lower()
        if key in _TAG_KEYS:
            vals = v if isinstance(v, list) else [v]
            text = "; ".join(str(x).strip() for x in vals if str(x).strip())
            if text:
                out[key] = text[:1000]
    return out


def read_metadata(path: str, *, folder_levels: int = 3, file_format: str | None = None) -> FileMetadata:
    """All text metadata of ``path``. ``folder_levels`` nearest folder names are kept as words.

    ``file_format`` (e.g. "WAV" from :func:`sfxgen.audio.audio_info`) skips chunk parsing for
    non-RIFF files.
    """
    from sfxgen.audio import read_bext, read_ixml

    md = FileMetadata()
    base = os.path.basename(path)
    stem = os.path.splitext(base)[0]
    parents = [p for p in os.path.dirname(path).split(os.sep) if p][-folder_levels:] if folder_levels else []
    md.folder_words = [w for p in parents for w in name_words(p)]
    try:
        from sfxgen.ucs import parse_ucs_filename

        ucs = parse_ucs_filename(base)
    except ImportError:  # pragma: no cover - sfxgen.ucs ships with the package
        ucs = None
    if ucs is not None:
        md.ucs_catid, md.category, md.subcategory = ucs.cat_id, ucs.category, ucs.subcategory
        md.fx_name, md.creator, md.source = ucs.fx_name, ucs.creator, ucs.source
        md.words = name_words(stem.split("_", 1)[1] if "_" in stem else (ucs.fx_name or ""))
    else:
        md.words = name_words(stem)
    tags: dict = {}
    riff = file_format is None or file_format.upper() in ("WAV", "WAVEX", "RF64", "BWF")
    if riff and os.path.splitext(base)[1].lower() in (".wav", ".wave", ".bwf", ".rf64"):
        try:
            bext = read_bext(path)
        except Exception:
            bext = None
        if bext is not None:
            md.description = (bext.description or "").strip() or None
            md.originator = (bext.originator or "").strip() or None
        try:
            ixml = read_ixml(path)
        except Exception:
            ixml = None
        if ixml:
            tags.update(_ixml_text(ixml))
    else:
        tags.update(_mutagen_tags(path))
    md.tags = tags
    if md.description is None:
        md.description = tags.get("ixml_description") or tags.get("description") or tags.get("comment") or tags.get("title")
    md.meta_text = compose_meta_text(md)
    return md


def compose_meta_text(md: FileMetadata) -> str:
    """The sentence embedded for metadata search: UCS category, name words, description, tags,
    folder words (most specific first; duplicates kept once)."""
    parts: list[str] = []
    if md.category:
        parts.append(f"{md.category.lower()} {md.subcategory.lower() if md.subcategory else ''}".strip())
    if md.words:
        parts.append(" ".join(md.words))
    for text in (md.description, md.tags.get("title"), md.tags.get("genre"), md.tags.get("keywords"),
                 md.tags.get("ixml_keywords"), md.tags.get("ixml_note"), md.tags.get("ixml_category")):
        if text and text not in parts:
            parts.append(str(text))
    if md.folder_words:
        parts.append(" ".join(md.folder_words))
    return ". ".join(p for p in parts if p)[:2000]
