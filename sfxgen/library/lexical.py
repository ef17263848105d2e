"""Full-text search over the words sound libraries are named and described with (SQLite FTS5).

A library file's words live in several places with different reliability; each becomes one
column of the catalogue's FTS5 table ``files_fts`` (rowid = catalogue id), searched with BM25
and per-column weights (:data:`FIELD_WEIGHTS`):

``name``         file-name words (``Door_Wood_Creak_03`` / ``DoorWoodCreak3`` -> door wood creak)
``description``  bext description, iXML DESCRIPTION/NOTE/KEYWORDS, ID3/Vorbis title/comment/...
``ucs``          UCS CatID, category, subcategory and its CatShort (``DOORWood DOORS WOOD DOOR``)
``tags``         the remaining tag text (album, genre, originator, iXML project/scene...)
``folders``      words of the three nearest folder names

Both sides go through the same word splitter (:func:`sfxgen.library.metadata.name_words`:
camelCase, snake_case, numbering) and the abbreviation table (:data:`ABBREVIATIONS`: ``amb``,
``sfx``, ``ftsteps``, ``pkup``...); FTS5's ``porter`` tokenizer then stems (footsteps =
footstep). A query word is one *concept*; it is expanded with its abbreviation forms and, through
the shipped UCS list, with the CatIDs and the synonyms every entry of a matching UCS category
shares (``ambience`` -> AMB* CatIDs, atmos, atmosphere, bg, background). Per concept, BM25 is
divided by the concept's best own-word match in the library (so each concept counts at most 1,
whatever its rarity), and expansion matches count at most :data:`EXPANSION_WEIGHT`. A document's
lexical score is the sum over concepts; *coverage* is the fraction of concepts it matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

#: FTS5 column order of ``files_fts`` (changing it needs a catalogue migration).
FIELDS = ("name", "description", "ucs", "tags", "folders")
#: BM25 column weights (a file-name match counts three times a folder-name match).
FIELD_WEIGHTS = {"name": 3.0, "description": 2.5, "ucs": 2.5, "tags": 1.5, "folders": 1.0}
#: Weight of a concept's expansion terms (UCS, synonyms) relative to its own words.
EXPANSION_WEIGHT = 0.5
#: Most expansion words per concept (the category's name and synonyms; its CatIDs come on top).
MAX_EXPANSIONS = 24
#: A UCS synonym found in at least this share of a category's entries expands the category's words.
FREQUENT_SYNONYM_SHARE = 0.25
#: A concept counts as covered by a file when its normalised score reaches this (a match on a
#: word in every folder name, "sound", scores near 0 and says nothing).
COVERAGE_MIN = 0.05
#: Term groups matching more files than this are scored on a search's candidates only.
MATCH_LIMIT = 1000

#: Abbreviations common in sound-library file names -> the words they stand for.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "amb": ("ambience", "ambient"), "ambi": ("ambience",), "ambient": ("ambience",), "atmos": ("atmosphere", "ambience"),
    "atmo": ("atmosphere", "ambience"), "bg": ("background",), "bgd": ("background",),
    "fx": ("effect",), "sfx": ("effect",), "ftsteps": ("footsteps",), "ftstep": ("footstep",),
    "ftstps": ("footsteps",), "fs": ("footstep",), "fstep": ("footstep",), "fsteps": ("footsteps",),
    "foot": ("footstep",), "fol": ("foley",), "foly": ("foley",), "pkup": ("pickup",), "pu": ("pickup",),
    "expl": ("explosion",), "explo": ("explosion",), "exp": ("explosion",), "wpn": ("weapon",),
    "imp": ("impact",), "impt": ("impact",), "whsh": ("whoosh",), "wsh": ("whoosh",), "swsh": ("swoosh",),
    "elec": ("electric",), "mech": ("mechanical",), "veh": ("vehicle",), "dr": ("door",), "drs": ("doors",),
    "wd": ("wood",), "wdn": ("wooden",), "mtl": ("metal",), "metl": ("metal",), "gls": ("glass",),
    "wtr": ("water",), "btn": ("button",), "clk": ("click",), "rmbl": ("rumble",), "lp": ("loop",),
    "vox": ("voice",), "vo": ("voice",), "ui": ("interface",), "gui": ("interface",), "sw": ("swoosh",),
    "crsh": ("crash",), "hvy": ("heavy",), "lt": ("light",), "lrg": ("large",), "sml": ("small",),
    "dist": ("distant",), "int": ("interior",), "ext": ("exterior",), "mvmt": ("movement",),
    "mvt": ("movement",), "cr": ("crash",), "dmg": ("damage",),
    "sel": ("select",), "msg": ("message",), "notif": ("notification",), "ric": ("ricochet",),
    "scifi": ("sci", "fi"), "thndr": ("thunder",), "wnd": ("wind",),
}
#: Query words that carry no search meaning for a sound library (every file is a sound).
STOPWORDS = frozenset(
    "a an the of and or with in on at to for from by into onto over under some any this that these those "
    "sound sounds noise noises recording recordings audio effect effects sfx fx clip clips sample samples "
    "like being is are be kind type something thing things its it one".split()
)
_FTS_QUOTE = re.compile(r'"')


def words(text: str) -> list[str]:
    """Lower-case words of any name or text (camelCase, snake_case and numbering split, numbers
    dropped): ``"DoorWoodCreak3"`` -> ``["door", "wood", "creak"]``."""
    from sfxgen.library.metadata import name_words

    return name_words(str(text or ""))


def with_abbreviations(ws: Iterable[str]) -> list[str]:
    """``ws`` followed by the expansions of its abbreviations (document side)."""
    ws = list(ws)
    extra = [e for w in ws for e in ABBREVIATIONS.get(w, ()) if e not in ws]
    return ws + list(dict.fromkeys(extra))


def field_text(text: str | None) -> str:
    """The FTS5 text of one field: its words plus abbreviation expansions, space separated."""
    return " ".join(with_abbreviations(words(text or "")))


def document_fields(*, path: str, description: str | None = None, tags: dict | None = None,
                    ucs_catid: str | None = None, category: str | None = None, subcategory: str | None = None,
                    fx_name: str | None = None, originator: str | None = None, folder_levels: int = 3) -> dict[str, str]:
    """FTS5 column texts of one catalogue row (all derived from stored columns, so an existing
    catalogue can be migrated without reading its files again)."""
    import os

    tags = tags or {}
    base = os.path.splitext(os.path.basename(path))[0]
    if ucs_catid and "_" in base:  # the CatID prefix belongs to the ucs column, the rest is the name
        base = base.split("_", 1)[1]
    parents = [p for p in os.path.dirname(path).split(os.sep) if p][-folder_levels:]
    desc_keys = ("description", "comment", "title", "keywords", "subject", "ixml_description", "ixml_note",
                 "ixml_keywords", "ixml_fxname", "ixml_track_name", "ixml_name")
    desc = [description or ""] + [str(tags[k]) for k in desc_keys if tags.get(k) and tags[k] != description]
    rest = [str(v) for k, v in tags.items() if k not in desc_keys and v] + [originator or ""]
    ucs = ""
    if ucs_catid:
        from sfxgen.ucs import load_ucs

        entry = load_ucs().get(ucs_catid)
        ucs = " ".join(x for x in (ucs_catid.lower(), category, subcategory, entry.cat_short if entry else "") if x)
        ucs = " ".join(dict.fromkeys(ucs.lower().replace("&", " ").split()))
    return {
        "name": " ".join(with_abbreviations(words(base) + words(fx_name or "") if fx_name and fx_name not in base else words(base))),
        "description": field_text(" ".join(desc)),
        "ucs": ucs,
        "tags": field_text(" ".join(rest)),
        "folders": " ".join(with_abbreviations(w for p in parents for w in words(p))),
    }


# ---------------------------------------------------------------------------------- queries
@dataclass
class Concept:
    """One query word: its own ``terms`` (the word and its abbreviation forms) and ``expansions``
    (UCS CatIDs and category synonyms), matched at :data:`EXPANSION_WEIGHT`."""

    word: str
    terms: list[str]
    expansions: list[str] = field(default_factory=list)


def _plural_forms(w: str) -> set[str]:
    out = {w}
    if w.endswith("ies") and len(w) > 4:
        out.add(w[:-3] + "y")
    if w.endswith("es") and len(w) > 4:
        out.add(w[:-2])
    if w.endswith("s") and len(w) > 3:
        out.add(w[:-1])
    else:
        out.add(w + "s")
    return out


@lru_cache(maxsize=1)
def _ucs_tables() -> tuple[dict, dict, dict]:
    """UCS look-ups (lower case): ``category word -> category`` (category names and CatShorts),
    ``subcategory word -> CatIDs``, and ``category -> (CatIDs, synonyms)``: first those shared by
    all its entries, then those of at least :data:`FREQUENT_SYNONYM_SHARE` of its entries (and two),
    most frequent first (MAGIC: spell, cast, enchant...; USER INTERFACE: alert, beep, error...)."""
    from sfxgen.ucs import load_ucs

    by_cat_word: dict[str, str] = {}
    by_sub_word: dict[str, set[str]] = {}
    by_cat: dict[str, list] = {}
    for c in load_ucs().categories:
        by_cat.setdefault(c.category, []).append(c)
        for name in {c.category, c.cat_short}:
            for w in words(name.replace("&", " ")):
                by_cat_word.setdefault(w, c.category)
        for w in words(c.subcategory.replace("&", " ")):
            by_sub_word.setdefault(w, set()).add(c.cat_id.lower())
    cats = {}
    for cat, entries in by_cat.items():
        common = set(entries[0].synonyms)
        for e in entries[1:]:
            common &= set(e.synonyms)
        counts: dict[str, int] = {}
        for e in entries:
            for syn in set(e.synonyms):
                if re.fullmatch(r"[a-z]+", syn) and syn not in common:
                    counts[syn] = counts.get(syn, 0) + 1
        need = max(2, FREQUENT_SYNONYM_SHARE * len(entries))
        frequent = sorted((s for s, n in counts.items() if n >= need), key=lambda s: (-counts[s], s))
        cats[cat] = ([e.cat_id.lower() for e in entries],
                     sorted(s for s in common if re.fullmatch(r"[a-z]+", s)) + frequent)
    return by_cat_word, {k: sorted(v) for k, v in by_sub_word.items()}, cats


@lru_cache(maxsize=1)
def _ucs_catids() -> frozenset[str]:
    from sfxgen.ucs import load_ucs

    return frozenset(c.cat_id.lower() for c in load_ucs().categories)


def ucs_expansions(word: str) -> list[str]:
    """Expansion terms of a query word through the UCS list: a word naming a UCS *category* (or
    its CatShort) expands to the category's CatIDs, its name and the synonyms all or many of its
    entries share (``"footsteps"`` -> feetanml, feetcrea, ..., footsteps, clack, clomp, footfall...); a
    word naming a *subcategory* only to those CatIDs (``"creak"`` -> doorcreak): subcategory
    names such as HUMAN or MISC are too general to bring their category's words."""
    by_cat_word, by_sub_word, cats = _ucs_tables()
    out: list[str] = []
    for form in sorted(_plural_forms(word) | {crude_stem(word)}):  # "splashing" -> the SPLASH CatIDs
        cat = by_cat_word.get(form)
        if cat is not None:
            ids, shared = cats[cat]
            out += ids + words(cat) + shared
        out += by_sub_word.get(form, [])
    return [w for w in dict.fromkeys(out) if w != word]


def concepts(text: str) -> list[Concept]:
    """The lexical concepts of a query text (stop words dropped, see module doc)."""
    out: list[Concept] = []
    seen = set()
    for w in words(text):
        if w in STOPWORDS or w in seen:
            continue
        seen.add(w)
        terms = list(dict.fromkeys([w, *ABBREVIATIONS.get(w, ())]))
        exp = list(dict.fromkeys(e for t in terms for e in ucs_expansions(t) if e not in terms and e not in STOPWORDS))
        catids = _ucs_catids()  # CatIDs only match UCS-named files: all kept, the cap is on words
        exp = [e for e in exp if e in catids] + [e for e in exp if e not in catids][:MAX_EXPANSIONS]
        out.append(Concept(word=w, terms=terms, expansions=exp))
    return out


def fts_match(terms: Iterable[str]) -> str:
    """An FTS5 MATCH expression: any of ``terms`` (each quoted, so no term is read as syntax)."""
    quoted = ['"' + _FTS_QUOTE.sub('""', t) + '"' for t in terms if t]
    return " OR ".join(quoted)


@dataclass
class LexicalScores:
    """Per-document lexical evidence of one query: ``score`` (summed normalised concept scores)
    and ``coverage`` (fraction of concepts matched), keyed by catalogue id; the same as sorted
    arrays (``ids``, ``scores``, ``coverages``) for vectorised look-ups (:meth:`lookup`); ``pool``
    the best-scored ids of the rare term groups (the lexical share of a search's candidates)."""

    score: dict[int, float] = field(default_factory=dict)
    coverage: dict[int, float] = field(default_factory=dict)
    n_concepts: int = 0
    pool: list[int] = field(default_factory=list)
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    coverages: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))

    def lookup(self, ids) -> tuple[np.ndarray, np.ndarray]:
        """``(score, coverage)`` arrays for ``ids`` (0 where a file matched nothing)."""
        ids = np.asarray(ids, np.int64)
        if len(self.ids) == 0 or len(ids) == 0:
            return np.zeros(len(ids), np.float32), np.zeros(len(ids), np.float32)
        pos = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        hit = self.ids[pos] == ids
        return (np.where(hit, self.scores[pos], 0.0).astype(np.float32),
                np.where(hit, self.coverages[pos], 0.0).astype(np.float32))


def crude_stem(word: str) -> str:
    """A light suffix stripper (plural s/es/ies, -ing, -ed, final e/y) for matching words to the
    porter-stemmed index outside SQLite: ``"footsteps"``, ``"footstep"`` -> ``"footstep"``;
    ``"creaking"``, ``"creaked"`` -> ``"creak"``; ``"bodies"``, ``"body"`` -> ``"bodi"``."""
    w = word
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "i"
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        w = w[:-1]
    for suf in ("ing", "ed"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    return w


def field_words(texts: dict[int, tuple[str, ...]]) -> dict[int, list[tuple[float, set[str]]]]:
    """``id -> [(field weight, words of the field)]`` for the non-empty fields of ``texts``
    (``id -> FTS column texts``), the input of :func:`_presence_scores`."""
    weights = [FIELD_WEIGHTS[f] for f in FIELDS]
    return {fid: [(w, set(text.split())) for w, text in zip(weights, cols) if text] for fid, cols in texts.items()}


def _surface_forms(terms: Sequence[str]) -> set[str]:
    """The inflections of ``terms`` a document word may carry (plural, -ing, -ed; on the word
    and on its :func:`crude_stem`), so documents are matched by set look-ups, not stemming."""
    out = set()
    for t in terms:
        for base in {t, crude_stem(t)}:
            out |= {base, base + "s", base + "es", base + "ing", base + "ed", base + "e", base + "es"}
            if base.endswith("i"):
                out |= {base[:-1] + "y", base + "es"}
            if base.endswith("e"):
                out |= {base[:-1] + "ing", base + "d"}
    return out


def _presence_scores(docs: dict[int, list[tuple[float, set[str]]]], terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(ids, score)`` of the files in ``docs`` (:func:`field_words`) whose words match any of
    ``terms`` (or their inflections): the sum of the :data:`FIELD_WEIGHTS` of the fields that
    match (a common word's BM25 is nearly a constant IDF times its field weight in short names)."""
    keys = _surface_forms(terms)
    ids, vals = [], []
    for fid, fields in docs.items():
        s = sum(w for w, ws in fields if not keys.isdisjoint(ws))
        if s > 0:
            ids.append(fid)
            vals.append(s)
    return np.asarray(ids, np.int64), np.asarray(vals, np.float64)


def _concept_table(ids: list, ks: list, vals: list, n_concepts: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(ids, summed score, coverage)`` over files from per-(file, concept) values (the best per pair)."""
    if not ids:
        z = np.zeros(0, np.float32)
        return np.zeros(0, np.int64), z, z
    fid, k, v = np.concatenate(ids), np.concatenate(ks), np.concatenate(vals)
    key = fid * n_concepts + k
    order = np.lexsort((-v, key))
    key, v = key[order], v[order]
    first = np.r_[True, key[1:] != key[:-1]]
    key, v = key[first], v[first]
    u, inv = np.unique(key // n_concepts, return_inverse=True)
    score = np.bincount(inv, weights=v, minlength=len(u))
    cov = np.bincount(inv, weights=(v >= COVERAGE_MIN).astype(np.float64), minlength=len(u)) / n_concepts
    return u.astype(np.int64), score.astype(np.float32), cov.astype(np.float32)


def lexical_scores(catalog, query_concepts: list[Concept], *, allowed_ids=None, candidates=None,
                   limit: int = MATCH_LIMIT, pool: int = 0) -> LexicalScores:
    """Lexical evidence of ``query_concepts`` over the catalogue's FTS5 index (see module doc).

    A term group (a concept's own words, or its expansions) matching at most ``limit`` files is
    ranked whole by BM25. A more common group is scored only for ``candidates`` (the files a
    search is ranking; without them it gives no evidence) plus the ``pool`` best files of the
    rare groups (``LexicalScores.pool``, the lexical share of the candidates), by the field
    weights of the fields it matches (:func:`_presence_scores`, read from the stored field texts:
    running FTS5 over a word that names a tenth of a 100k library costs several ms per group,
    reading a few hundred rows by id well under one). Each group's scores are divided by the
    concept's best own-word BM25 match in the library (or, when the own words are common, by the
    group's own best), capped at 1, and expansion groups weighted :data:`EXPANSION_WEIGHT`."""
    out = LexicalScores(n_concepts=len(query_concepts))
    if not query_concepts:
        return out
    allowed = None if allowed_ids is None else np.unique(np.asarray(allowed_ids, np.int64))
    groups = []  # (concept index, weight, terms, ranked hits or None = common)
    for k, c in enumerate(query_concepts):
        for terms, weight in ((c.terms, 1.0), (c.expansions, EXPANSION_WEIGHT)):
            if terms:
                groups.append((k, weight, terms, catalog.fts_search_capped(fts_match(terms), weights=FIELD_WEIGHTS,
                                                                           limit=limit)))

    def table(common_texts=None):
        ids, ks, vals = [], [], []
        norms: dict[int, float] = {}
        for k, weight, terms, hits in groups:
            if hits is None:
                if common_texts is None:
                    continue
                fid, s = _presence_scores(common_texts, terms)
                if not len(fid):
                    continue
                norm = float(s.max())
            else:
                if not hits:
                    continue
                fid = np.fromiter((h[0] for h in hits), np.int64, len(hits))
                s = np.fromiter((h[1] for h in hits), np.float64, len(hits))
                norm = norms.setdefault(k, float(s[0]))  # the concept's first ranked group sets its scale
            if allowed is not None:
                keep = np.isin(fid, allowed, assume_unique=True)
                fid, s = fid[keep], s[keep]
            ids.append(fid)
            ks.append(np.full(len(fid), k, np.int64))
            vals.append(weight * np.minimum(1.0, s / max(norm, 1e-12)))
        return _concept_table(ids, ks, vals, len(query_concepts))

    u, score, cov = table()
    if pool and len(u):
        out.pool = [int(i) for i in u[np.lexsort((u, -score))[:pool]]]
    if any(g[3] is None for g in groups) and (candidates is not None or out.pool):
        cand = set(int(i) for i in (candidates if candidates is not None else ())) | set(out.pool)
        u, score, cov = table(field_words(catalog.fts_texts(sorted(cand))))
    out.ids, out.scores, out.coverages = u, score, cov
    out.score = dict(zip(u.tolist(), score.tolist()))
    out.coverage = dict(zip(u.tolist(), cov.tolist()))
    return out


def matched_words(text: str, query_concepts: list[Concept]) -> list[str]:
    """Words of ``text`` (a file name or description as shown) that a query concept matched,
    for highlighting: equal to a term or sharing its first five letters (a crude stem)."""
    keys = {t for c in query_concepts for t in c.terms + c.expansions}
    stems = {t[:5] for t in keys if len(t) >= 4}
    out = []
    for w in words(text):
        if w in keys or (len(w) >= 4 and w[:5] in stems) or any(e in keys for e in ABBREVIATIONS.get(w, ())):
            out.append(w)
    return list(dict.fromkeys(out))
