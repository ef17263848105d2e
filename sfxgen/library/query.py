"""Reading a search box the way people type into it.

:func:`parse_query` turns free text into a :class:`ParsedQuery`:

- **negation**: ``"explosion, not metallic"``, ``"door without reverb"``, ``"rain -thunder"``,
  ``"no voices"`` -> the negated words become ``negative`` concepts (results that match them
  are pushed down: relevance × (1 - relevance to the negated concept));
- **duration words**: ``short``/``brief``/``quick``/``one-shot`` (≤ 2 s), ``very short``/``tiny``
  (≤ 0.5 s), ``long`` (≥ 5 s), ``loop`` (kept as a search word, ≥ 1 s), and spelled-out limits
  (``under 3 s``, ``less than 2 seconds``, ``over 10 s``, ``2-5 s``) -> duration filters;
- **loudness words**: ``quiet``/``soft``/``faint`` and ``loud`` -> the quietest / loudest third
  of the library (integrated loudness);
- **several concepts**: the remaining words are each a lexical concept (coverage counts how many a
  file matches) and the positive text is embedded whole;
- **other languages**: a query that reads as another language (:mod:`sfxgen.embed.language`,
  word frequencies) raises a :class:`~sfxgen.errors.ParameterError` that names the language
  instead of returning unrelated sounds (the embedders are English-only: "porte qui grince" used
  to return fire crackles), unless the library's own file words contain the query's words.

``notes`` lists what was understood, in words, for the UI and the CLI.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from sfxgen.errors import ParameterError

SHORT_MAX_S = 2.0
VERY_SHORT_MAX_S = 0.5
LONG_MIN_S = 5.0
LOOP_MIN_S = 1.0
#: Loudness words select this share of the library at the quiet / loud end.
LOUDNESS_SHARE = 1.0 / 3.0

_NEG = re.compile(r"(?:^|[,;]|\s)(?:but\s+not|not|no|without|except|excluding|minus|sans)\s+([^,;]+)|(?:^|\s)-(\w[\w'-]*)", re.I)
_NUM = r"(\d+(?:\.\d+)?)"
_UNIT = r"\s*(?:s|sec|secs|second|seconds|ms|milliseconds?)\b"
_UNDER = re.compile(rf"\b(?:under|below|less\s+than|shorter\s+than|at\s+most|max(?:imum)?|up\s+to|<=?)\s*{_NUM}({_UNIT})", re.I)
_OVER = re.compile(rf"\b(?:over|above|more\s+than|longer\s+than|at\s+least|min(?:imum)?|>=?)\s*{_NUM}({_UNIT})", re.I)
_RANGE = re.compile(rf"\b{_NUM}\s*(?:-|to|–)\s*{_NUM}({_UNIT})", re.I)
_VERY_SHORT = re.compile(r"\b(?:very\s+short|tiny|super\s+short|micro)\b", re.I)
_SHORT = re.compile(r"\b(?:short|brief|quick|one[\s-]?shots?|oneshots?)\b", re.I)
_LONG = re.compile(r"\b(?:long|lengthy|extended)\b", re.I)
_LOOP = re.compile(r"\b(?:loop|loops|looping|loopable|seamless)\b", re.I)
_QUIET = re.compile(r"\b(?:quiet|soft|faint|low[\s-]level|gentle|subtle)\b", re.I)
_LOUD = re.compile(r"\b(?:loud|very\s+loud|deafening)\b", re.I)
_PARTS = re.compile(r"\s*(?:,|;|\+|&|\band\b|\bwith\b)\s*", re.I)


@dataclass
class ParsedQuery:
    """What :func:`parse_query` understood. ``positive`` is the text that is embedded and
    matched; ``negative`` the concepts pushed down; duration limits in seconds; ``loudness`` is
    ``"quiet"``, ``"loud"`` or None; ``parts`` the comma/and-separated concepts of ``positive``."""

    text: str
    positive: str
    negative: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    min_duration_s: float | None = None
    max_duration_s: float | None = None
    loudness: str | None = None
    loop: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _seconds(value: str, unit: str) -> float:
    v = float(value)
    return v / 1000.0 if unit.strip().lower().startswith("m") else v


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\s*[,;]\s*(?=[,;]|$)", "", text)).strip(" ,;-")


def parse_query(text: str, *, check_language: bool = True) -> ParsedQuery:
    """Free search text -> :class:`ParsedQuery` (see module doc). Raises ParameterError for an
    empty query, a query that is only negations, or a confidently non-English one."""
    raw = " ".join(str(text or "").split())
    if not raw:
        raise ParameterError("the search text is empty")
    q = ParsedQuery(text=raw, positive=raw)
    rest = raw
    negs = []
    for m in _NEG.finditer(rest):
        phrase = (m.group(1) or m.group(2) or "").strip()
        phrase = re.split(r"\s+(?:but|and\s+(?=not\b))\s*", phrase)[0].strip(" .")
        if phrase:
            negs.append(phrase)
    rest = _NEG.sub(" ", rest)
    for rx, kind in ((_RANGE, "range"), (_UNDER, "under"), (_OVER, "over")):
        m = rx.search(rest)
        if not m:
            continue
        if kind == "range":
            a, b = sorted((_seconds(m.group(1), m.group(3)), _seconds(m.group(2), m.group(3))))
            q.min_duration_s, q.max_duration_s = a, b
        elif kind == "under":
            q.max_duration_s = _seconds(m.group(1), m.group(2))
        else:
            q.min_duration_s = _seconds(m.group(1), m.group(2))
        rest = rx.sub(" ", rest)
    if _VERY_SHORT.search(rest):
        q.max_duration_s = q.max_duration_s or VERY_SHORT_MAX_S
        rest = _VERY_SHORT.sub(" ", rest)
    if _SHORT.search(rest):
        q.max_duration_s = q.max_duration_s or SHORT_MAX_S
        rest = _SHORT.sub(" ", rest)
    if _LONG.search(rest):
        q.min_duration_s = q.min_duration_s or LONG_MIN_S
        rest = _LONG.sub(" ", rest)
    if _LOOP.search(rest):
        q.loop = True
        q.min_duration_s = q.min_duration_s or LOOP_MIN_S
    if _QUIET.search(rest):
        q.loudness = "quiet"
        rest = _QUIET.sub(" ", rest)
    elif _LOUD.search(rest):
        q.loudness = "loud"
        rest = _LOUD.sub(" ", rest)
    positive = _clean(rest)
    if not positive:
        if q.loop:
            positive = "loop"
        elif negs or q.loudness or q.min_duration_s or q.max_duration_s:
            raise ParameterError(f"{raw!r} says what to leave out or how long/loud, but not what to find: "
                                 f"add what you are looking for (e.g. 'explosion, not metallic')")
        else:
            positive = raw
    q.positive = positive
    q.negative = [n for n in dict.fromkeys(negs) if n.lower() not in positive.lower().split()]
    q.parts = [p for p in (s.strip() for s in _PARTS.split(positive)) if p] or [positive]
    if q.negative:
        q.notes.append("leaving out: " + ", ".join(q.negative))
    if q.min_duration_s is not None or q.max_duration_s is not None:
        lo = f"{q.min_duration_s:g} s" if q.min_duration_s is not None else ""
        hi = f"{q.max_duration_s:g} s" if q.max_duration_s is not None else ""
        q.notes.append(f"duration {lo}–{hi}" if lo and hi else (f"duration ≥ {lo}" if lo else f"duration ≤ {hi}"))
    if q.loudness:
        q.notes.append(f"{q.loudness}: the {'quietest' if q.loudness == 'quiet' else 'loudest'} third of the library")
    if len(q.parts) > 1:
        q.notes.append("concepts: " + " + ".join(q.parts))
    if check_language:
        check_english(raw)
    return q


def check_english(text: str) -> None:
    """Raise ParameterError when the search ``text`` reads as another language than English
    (:func:`sfxgen.embed.language.check_english`, word frequencies from ``wordfreq``). Callers
    skip the check when the library's own words contain the query's (a French-named library
    may be searched in French)."""
    from sfxgen.embed.language import check_english as _check

    _check(text, what="search")
