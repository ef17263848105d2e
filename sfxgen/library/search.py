"""Searching a library index by description, by example and by metadata.

Modes
-----
``audio``  the query text is embedded by the joint audio/text model and compared with the
           *audio* vectors only: file names and tags play no part (finds unlabelled sounds).
``meta``   the query is embedded by MiniLM and compared with the metadata-text vectors (file name
           words, UCS category, bext description, tags, folder names).
``hybrid`` (default) both lists, fused: the union of each modality's top-``pool`` candidates is
           scored in both spaces (a missing score is computed exactly from the stored vector),
           each cosine is standardised against the same query's cosines to a fixed random sample
           of the library (2048 clips: "how many standard deviations above a typical clip"),
           and the fused score is ``w_audio·z_audio + (1-w_audio)·z_meta``. Standardising makes
           the two models' different cosine ranges comparable per query.

Tuning (``sfxgen eval library``: dev corpus of 2301 third-party game/desktop clips, one query per
category, mean P@10 over categories with ≥ 10 clips, duplicates collapsed). With the shipped
sfxgen-clap-small-96377c78 on all 13 packages (22 categories): audio 0.48, meta 0.63, hybrid
0.66/0.71/0.74/0.76/**0.77**/0.76/0.71 at w_audio 0.1…0.7 (two-fold cross-validated over
categories: 0.77). Library-sample z-scores beat z-scores over each top-200 list and reciprocal-
rank fusion (checked with an earlier checkpoint: 0.73 vs 0.705 vs 0.695). On the 4 packages the
model never saw in training (452 clips, 14 categories) audio alone is weak (0.18), meta 0.58, and
hybrid 0.56 at w_audio 0.5 (best 0.59 at 0.1): on unfamiliar material the weight matters little
while the audio model stays that weak. :data:`DEFAULT_AUDIO_WEIGHT` = 0.5 is the dev-corpus
optimum. Re-measured with the v2 model sfxgen-clap-small-9a9f2314 on the held-out packages:
audio 0.307, hybrid 0.579 at w_audio 0.5 (0.593 at 0.1-0.3; not re-tuned on held-out data); with v3
sfxgen-clap-small-34396a39: audio 0.300, meta 0.579, hybrid 0.579 (0.593 at 0.1).

Filters (duration range, channels, sample rate, UCS category/subcategory/CatID, path glob) are
applied inside faiss through an id selector, so a filtered query still returns ``top_k`` hits
when enough match. Exact duplicates (same content hash) are collapsed into the best-ranked copy;
the other paths are listed in :attr:`SearchHit.duplicates`.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

import numpy as np

from sfxgen.errors import ParameterError

MODES = ("hybrid", "audio", "meta")
#: Weight of the audio z-score in hybrid ranking (tuned on the dev corpus, see module doc).
DEFAULT_AUDIO_WEIGHT = 0.5
#: Library sample size used to standardise hybrid scores.
REFERENCE_SAMPLE = 2048


@dataclass
class SearchFilters:
    """Metadata constraints of a search. ``None`` = no constraint.

    ``category`` matches a UCS category, subcategory or CatID (case-insensitive, e.g. "DOORS",
    "DOORWood"); ``path_glob`` is an fnmatch pattern on the full path (``*/Foley/*``).
    """

    min_duration_s: float | None = None
    max_duration_s: float | None = None
    channels: int | None = None
    sample_rate: int | None = None
    category: str | None = None
    path_glob: str | None = None

    def is_empty(self) -> bool:
        return all(v is None for v in self.__dict__.values())

    def check(self) -> None:
        for name in ("min_duration_s", "max_duration_s"):
            v = getattr(self, name)
            if v is not None and v < 0:
                raise ParameterError(f"{name} must be ≥ 0, got {v}")
        if self.min_duration_s is not None and self.max_duration_s is not None and self.min_duration_s > self.max_duration_s:
            raise ParameterError(f"min duration {self.min_duration_s} s is above max duration {self.max_duration_s} s")
        if self.channels is not None and self.channels < 1:
            raise ParameterError(f"channels must be ≥ 1, got {self.channels}")
        if self.sample_rate is not None and self.sample_rate < 1:
            raise ParameterError(f"sample rate must be positive, got {self.sample_rate}")

    def sql(self) -> tuple[str, list]:
        """An SQL condition on the ``files`` table and its parameters."""
        conds, params = [], []
        if self.min_duration_s is not None:
            conds.append("duration_s >= ?")
            params.append(float(self.min_duration_s))
        if self.max_duration_s is not None:
            conds.append("duration_s <= ?")
            params.append(float(self.max_duration_s))
        if self.channels is not None:
            conds.append("channels = ?")
            params.append(int(self.channels))
        if self.sample_rate is not None:
            conds.append("sample_rate = ?")
            params.append(int(self.sample_rate))
        if self.category:
            c = self.category.strip().lower()
            conds.append("(lower(category) = ? OR lower(subcategory) = ? OR lower(ucs_catid) = ?)")
            params += [c, c, c]
        if self.path_glob:
            conds.append("path GLOB ?")
            params.append(_glob_for_sqlite(self.path_glob))
        return (" AND ".join(conds) or "1"), params


def _glob_for_sqlite(pattern: str) -> str:
    # fnmatch-style pattern; a pattern without a folder part matches the file name anywhere
    if "/" not in pattern and not pattern.startswith("*"):
        return "*/" + pattern
    return pattern


@dataclass
class SearchHit:
    """One search result. ``score`` is the ranking score of the mode used (cosine for ``audio``
    and ``meta``; fused z-score for ``hybrid``); ``audio_score``/``meta_score`` are the cosines."""

    id: int
    path: str
    score: float
    duration_s: float | None = None
    category: str | None = None
    subcategory: str | None = None
    ucs_catid: str | None = None
    description: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    format: str | None = None
    audio_score: float | None = None
    meta_score: float | None = None
    duplicates: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        for k in ("score", "audio_score", "meta_score"):
            if d[k] is not None:
                d[k] = round(float(d[k]), 5)
        return d


def _zscores(scores: np.ndarray) -> tuple[float, float]:
    s = scores[np.isfinite(scores)]
    if len(s) < 2:
        return (float(s[0]) if len(s) else 0.0), 1.0
    return float(s.mean()), float(max(s.std(), 1e-6))


class Searcher:
    """Ranks catalogue entries for a query vector pair; owns no models (vectors come in).

    ``reference``: optional ``(audio_vectors, meta_vectors)`` random samples of the library used to
    standardise hybrid scores (see module doc); without it, each modality's own top-``pool``
    scores are the reference.
    """

    def __init__(self, catalog, audio_store, meta_store, *, audio_weight: float = DEFAULT_AUDIO_WEIGHT, pool: int = 200,
                 reference: tuple[np.ndarray, np.ndarray] | None = None):
        self.catalog = catalog
        self.audio_store = audio_store
        self.meta_store = meta_store
        self.audio_weight = float(audio_weight)
        self.pool = int(pool)
        self.reference = reference

    def _stats(self, which: int, query: np.ndarray, top_scores: dict) -> tuple[float, float]:
        if self.reference is not None and len(self.reference[which]) >= 2:
            return _zscores(self.reference[which] @ query)
        return _zscores(np.array(list(top_scores.values()), np.float32))

    def allowed_ids(self, filters: SearchFilters | None) -> np.ndarray | None:
        if filters is None or filters.is_empty():
            return None
        filters.check()
        where, params = filters.sql()
        return self.catalog.query_ids(where, params)

    def _scores_for(self, store, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        out = np.full(len(ids), np.nan, np.float32)
        for i, fid in enumerate(ids):
            v = store.reconstruct(int(fid))
            if v is not None:
                out[i] = float(v @ query)
        return out

    def rank(
        self,
        *,
        audio_query: np.ndarray | None,
        meta_query: np.ndarray | None,
        top_k: int = 10,
        mode: str = "hybrid",
        filters: SearchFilters | None = None,
        exclude_sha1: str | None = None,
        exclude_ids: tuple = (),
    ) -> list[SearchHit]:
        """Ranked hits for unit query vectors (``audio_query`` in the joint space, ``meta_query``
        in MiniLM space); ``mode`` picks which are used."""
        if mode not in MODES:
            raise ParameterError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
        if top_k < 1:
            raise ParameterError(f"top_k must be ≥ 1, got {top_k}")
        allowed = self.allowed_ids(filters)
        if allowed is not None and len(allowed) == 0:
            return []
        n = max(self.pool, top_k * 4)
        audio_s: dict[int, float] = {}
        meta_s: dict[int, float] = {}
        if mode in ("audio", "hybrid") and audio_query is not None and self.audio_store.count:
            s, i = self.audio_store.search(audio_query[None], n, allowed_ids=allowed)
            audio_s = {int(a): float(b) for a, b in zip(i[0], s[0]) if a >= 0}
        if mode in ("meta", "hybrid") and meta_query is not None and self.meta_store.count:
            s, i = self.meta_store.search(meta_query[None], n, allowed_ids=allowed)
            meta_s = {int(a): float(b) for a, b in zip(i[0], s[0]) if a >= 0}
        if mode == "audio":
            ranked = sorted(audio_s.items(), key=lambda kv: -kv[1])
            scores = {k: (v, v, None) for k, v in ranked}
        elif mode == "meta":
            ranked = sorted(meta_s.items(), key=lambda kv: -kv[1])
            scores = {k: (v, None, v) for k, v in ranked}
        else:
            ma, sa = self._stats(0, audio_query, audio_s) if audio_query is not None else (0.0, 1.0)
            mm, sm = self._stats(1, meta_query, meta_s) if meta_query is not None else (0.0, 1.0)
            cand = np.array(sorted(set(audio_s) | set(meta_s)), np.int64)
            miss_a = np.array([c for c in cand if c not in audio_s], np.int64)
            miss_m = np.array([c for c in cand if c not in meta_s], np.int64)
            if audio_query is not None and len(miss_a):
                audio_s.update(zip(miss_a.tolist(), self._scores_for(self.audio_store, audio_query, miss_a).tolist()))
            if meta_query is not None and len(miss_m):
                meta_s.update(zip(miss_m.tolist(), self._scores_for(self.meta_store, meta_query, miss_m).tolist()))
            w = self.audio_weight
            scores = {}
            for c in cand.tolist():
                a, m = audio_s.get(c), meta_s.get(c)
                za = (a - ma) / sa if a is not None and np.isfinite(a) else -3.0
                zm = (m - mm) / sm if m is not None and np.isfinite(m) else -3.0
                scores[c] = (w * za + (1 - w) * zm, a, m)
            ranked = sorted(scores.items(), key=lambda kv: -kv[1][0])
        return self._collapse([(k, *scores[k]) for k, _ in ranked], top_k, exclude_sha1, set(exclude_ids))

    def _collapse(self, ranked: list, top_k: int, exclude_sha1: str | None, exclude_ids: set) -> list[SearchHit]:
        hits: list[SearchHit] = []
        by_sha: dict[str, SearchHit] = {}
        for start in range(0, len(ranked), 256):
            chunk = ranked[start : start + 256]
            recs = self.catalog.get_many([c[0] for c in chunk])
            for fid, score, a, m in chunk:
                rec = recs.get(fid)
                if rec is None or fid in exclude_ids or (exclude_sha1 and rec.sha1 == exclude_sha1):
                    continue
                if rec.sha1 and rec.sha1 in by_sha:
                    by_sha[rec.sha1].duplicates.append(rec.path)
                    continue
                hit = SearchHit(
                    id=fid, path=rec.path, score=float(score), duration_s=rec.duration_s, category=rec.category,
                    subcategory=rec.subcategory, ucs_catid=rec.ucs_catid, description=rec.description,
                    sample_rate=rec.sample_rate, channels=rec.channels, format=rec.format,
                    audio_score=a, meta_score=m,
                )
                if rec.sha1:
                    by_sha[rec.sha1] = hit
                hits.append(hit)
            if len(hits) >= top_k:
                break
        return hits[:top_k]


def matches_glob(path: str, pattern: str) -> bool:
    """The same rule as the SQL filter, for callers filtering paths themselves."""
    return fnmatch.fnmatchcase(path, _glob_for_sqlite(pattern))
