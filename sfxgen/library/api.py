"""The library facade used by the CLI, the service layer and the UI.

    lib = Library.open("library_index")             # creates the folder on first use
    summary = lib.index(["/sfx/Doors", "/sfx/Foley"])  # -> IndexSummary
    hits = lib.search("heavy wooden door slam", top_k=10, mode="hybrid",
                      filters=SearchFilters(max_duration_s=5))
    like = lib.similar("/sfx/Doors/door_01.wav")       # query by example
    lib.get(hits[0].id), lib.stats()

An index folder holds ``catalog.sqlite`` (the truth: rows + vectors), ``audio.faiss`` and
``meta.faiss`` (search structures rebuilt from the catalogue when missing or stale) and
``index.lock`` (one indexing run at a time). The audio embedder and the metadata text encoder
are recorded by model id; opening with another model for indexing or searching is refused.
"""

from __future__ import annotations

import functools
import os
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from sfxgen.errors import IndexError_, ParameterError
from sfxgen.library.catalog import Catalog, FileRecord
from sfxgen.library.indexer import IndexConfig, Indexer, IndexProgress, IndexSummary
from sfxgen.library.search import DEFAULT_AUDIO_WEIGHT, MODES, QuerySide, SearchFilters, SearchHit, Searcher
from sfxgen.library.vectors import DEFAULT_APPROX_THRESHOLD, StoreInfo, VectorStore


@dataclass
class SearchOutcome:
    """A search's hits and how the query was read (:class:`sfxgen.library.query.ParsedQuery`)."""

    hits: list[SearchHit]
    query: object

    def to_dict(self) -> dict:
        return {"hits": [h.to_dict() for h in self.hits], "query": self.query.to_dict()}


@dataclass
class LibraryStats:
    """Size and make-up of an index."""

    index_dir: str
    files: int
    ok: int
    failed: int
    unique_contents: int
    total_duration_s: float
    total_bytes: int
    audio_model_id: str | None
    text_model_id: str | None
    audio_index: StoreInfo | None
    meta_index: StoreInfo | None
    categories: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


#: Extra pooling windows (s) for new indexes with the embedded CLAP: held-out audio P@10 with
#: feedback 0.371 -> 0.393 (model card, "test-time pooling").
EXTRA_WINDOWS_S = (2.0,)


def _supported_windows(embedder) -> tuple[float, ...]:
    """:data:`EXTRA_WINDOWS_S` when ``embedder`` can pool extra windows, else ``()``."""
    import inspect

    fn = getattr(embedder, "embed_logmels", None)
    if fn is None or not hasattr(embedder, "logmel"):
        return ()
    try:
        return EXTRA_WINDOWS_S if "extra_windows_s" in inspect.signature(fn).parameters else ()
    except (TypeError, ValueError):
        return ()


class _Lock:
    """Exclusive, non-blocking lock on ``index.lock`` (released by the OS if the process dies)."""

    def __init__(self, path: Path):
        self.path = path
        self.fd = None

    def __enter__(self):
        import fcntl

        self.fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            self.fd = None
            raise IndexError_(f"another sfxgen run is updating the index {self.path.parent}; wait for it to finish") from None
        return self

    def __exit__(self, *exc):
        import fcntl

        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
        return False


def _locked(method):
    """Serialise calls on one Library (one SQLite connection, shared faiss objects), so a UI
    can share it between request threads."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class Library:
    """A searchable sound library index (see module doc). Use :meth:`open`. Thread-safe (calls
    are serialised); open one per process or thread for parallel searches."""

    def __init__(self, index_dir, *, create: bool, embedder, text_encoder, model, approx_threshold: int, audio_weight: float):
        self.index_dir = Path(index_dir)
        self._lock = threading.RLock()
        self.catalog = Catalog(self.index_dir, create=create)
        #: a line for the user when opening changed the index (e.g. the schema-2 upgrade), else None
        self.notice: str | None = None
        if self.catalog.migrated_from is not None:
            self.notice = (f"upgraded the library index {self.index_dir} from catalogue schema {self.catalog.migrated_from} "
                           f"to 2 (full-text search added; nothing re-indexed, nothing lost)")
        elif not self.catalog.fts_available:
            self.notice = (f"the library index {self.index_dir} is read-only and older than this sfxgen: searching by "
                           f"sound and sentence meaning only; open it once where it is writable to add full-text search")
        self._embedder = embedder
        self._text_encoder = text_encoder
        self._model = model
        self.approx_threshold = int(approx_threshold)
        self.audio_weight = float(audio_weight)
        self.audio_store: VectorStore | None = None
        self.meta_store: VectorStore | None = None
        self.reconciled = (0, 0, 0, 0)
        self._seen_version = -1
        self._reference = None
        self._open_stores()

    @classmethod
    def open(
        cls,
        index_dir=None,
        *,
        create: bool = True,
        embedder=None,
        text_encoder=None,
        model: str | None = None,
        approx_threshold: int = DEFAULT_APPROX_THRESHOLD,
        audio_weight: float = DEFAULT_AUDIO_WEIGHT,
    ) -> "Library":
        """Open (or with ``create`` make) the index at ``index_dir`` (default ``library_index/``).

        ``embedder``: joint audio/text embedder (default: ``sfxgen.embed.get_embedder(model)``,
        loaded on first use). ``text_encoder``: metadata-text encoder (default MiniLM).
        ``approx_threshold``: vectors above which the stores switch to an IVF index.
        Opening reconciles the faiss stores with the catalogue (after a crash).
        """
        if index_dir is None:
            from sfxgen.paths import default_index_dir

            index_dir = default_index_dir()
        return cls(index_dir, create=create, embedder=embedder, text_encoder=text_encoder, model=model,
                   approx_threshold=approx_threshold, audio_weight=audio_weight)

    @_locked
    def close(self) -> None:
        self.catalog.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # -- models ---------------------------------------------------------------------------------
    @property
    def embedder(self):
        if self._embedder is None:
            from sfxgen.embed import get_embedder

            self._embedder = get_embedder(self._model)
        return self._embedder

    @property
    def text_encoder(self):
        if self._text_encoder is None:
            from sfxgen.embed import get_text_encoder

            self._text_encoder = get_text_encoder()
        return self._text_encoder

    def _check_models(self, *, audio: bool, text: bool) -> None:
        from sfxgen.embed.base import check_model_id

        if audio:
            want = self.catalog.get_meta("audio_model_id")
            if want is not None:
                check_model_id(want, self.embedder.model_id, what=f"library index {self.index_dir}")
        if text:
            want = self.catalog.get_meta("text_model_id")
            if want is not None:
                check_model_id(want, self.text_encoder.model_id, what=f"library index {self.index_dir} (metadata text)")

    def _data_version(self) -> int:
        return int(self.catalog.conn.execute("PRAGMA data_version").fetchone()[0])

    @_locked
    def refresh(self) -> bool:
        """Pick up commits made by another process (e.g. ``sfxgen index`` while the UI searches);
        returns True when the stores were reloaded. Called before every search."""
        version = self._data_version()
        if version == self._seen_version:
            return False
        self._open_stores(save=False)
        return True

    def _open_stores(self, *, save: bool = True) -> None:
        self._seen_version = self._data_version()
        a_dim, m_dim = self.catalog.get_meta("audio_dim"), self.catalog.get_meta("text_dim")
        if a_dim is None or m_dim is None:
            return
        self.audio_store = VectorStore(self.index_dir, "audio", int(a_dim), approx_threshold=self.approx_threshold)
        self.meta_store = VectorStore(self.index_dir, "meta", int(m_dim), approx_threshold=self.approx_threshold)
        counts = []
        for which, store in (("audio", self.audio_store), ("meta", self.meta_store)):
            wanted = self.catalog.ids_with_vectors(which)
            counts += list(store.reconcile(wanted, lambda ids, w=which, s=store: self.catalog.vectors(w, ids, dim=s.dim)))
        self.reconciled = tuple(counts)
        if save and any(counts):
            try:
                for store in (self.audio_store, self.meta_store):
                    store.save()
            except OSError:  # read-only index: the reconciled stores live in memory only
                pass

    # -- indexing -------------------------------------------------------------------------------
    @_locked
    def index(
        self,
        paths: Sequence,
        *,
        progress: bool = True,
        on_progress: Callable[[IndexProgress], None] | None = None,
        config: IndexConfig | None = None,
    ) -> IndexSummary:
        """Add new/changed files under ``paths``, drop vanished ones; returns an :class:`IndexSummary`."""
        if not paths:
            raise ParameterError("give at least one file or folder to index")
        with _Lock(self.index_dir / "index.lock"):
            emb, enc = self.embedder, self.text_encoder
            self._check_models(audio=True, text=True)
            if self.catalog.get_meta("audio_model_id") is None:
                with self.catalog.transaction():
                    self.catalog.set_meta("audio_model_id", emb.model_id)
                    self.catalog.set_meta("audio_dim", str(int(emb.dim)))
                    self.catalog.set_meta("audio_extra_windows_s", ",".join(f"{w:g}" for w in _supported_windows(emb)))
                    self.catalog.set_meta("text_model_id", enc.model_id)
                    self.catalog.set_meta("text_dim", str(int(enc.dim)))
                self._open_stores()
            indexer = Indexer(self.catalog, self.audio_store, self.meta_store, embedder=emb, text_encoder=enc, config=config,
                              extra_windows_s=self.audio_windows())
            self._reference = None
            return indexer.run(paths, progress=progress, on_progress=on_progress)

    # -- search ---------------------------------------------------------------------------------
    def _searcher(self) -> Searcher:
        self.refresh()
        if self.audio_store is None:
            raise IndexError_(f"the library index {self.index_dir} is empty: run `sfxgen index PATH --index {self.index_dir}`")
        return Searcher(self.catalog, self.audio_store, self.meta_store, audio_weight=self.audio_weight,
                        reference=self.reference_sample())

    @_locked
    def reference_sample(self) -> tuple[np.ndarray, np.ndarray]:
        """``(audio, meta)`` vectors of a fixed random sample of the library (hybrid score
        standardisation); cached until the catalogue changes."""
        key = (self.audio_store.count, self.catalog.count(), self._seen_version)
        if self._reference is None or self._reference[0] != key:
            from sfxgen.library.search import REFERENCE_SAMPLE

            ids = self.catalog.ids_with_vectors("audio")
            if len(ids) > REFERENCE_SAMPLE:
                ids = np.sort(np.random.default_rng(0).choice(ids, REFERENCE_SAMPLE, replace=False))
            _, a = self.catalog.vectors("audio", ids, dim=self.audio_store.dim)
            _, m = self.catalog.vectors("meta", ids, dim=self.meta_store.dim)
            self._reference = (key, (a, m))
        return self._reference[1]

    @_locked
    def search(self, text: str, *, top_k: int = 10, mode: str = "hybrid", filters: SearchFilters | None = None) -> list[SearchHit]:
        """Files matching a description, best first (see :mod:`sfxgen.library.search` for modes
        and :mod:`sfxgen.library.query` for negation, duration and loudness words)."""
        return self.search_detailed(text, top_k=top_k, mode=mode, filters=filters).hits

    @_locked
    def search_detailed(self, text: str, *, top_k: int = 10, mode: str = "hybrid",
                        filters: SearchFilters | None = None) -> SearchOutcome:
        """:meth:`search` with how the query was understood (``outcome.query.notes``)."""
        from sfxgen.library.lexical import concepts as lexical_concepts
        from sfxgen.library.query import check_english, parse_query

        if mode not in MODES:
            raise ParameterError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
        if not str(text).strip():
            raise ParameterError("the search text is empty")
        pq = parse_query(str(text), check_language=False)
        searcher = self._searcher()
        concepts = lexical_concepts(pq.positive)
        if not self._words_in_library(concepts):
            check_english(pq.text)
        filters = self._query_filters(pq, filters)
        use_audio, use_meta = mode in ("audio", "hybrid"), mode in ("meta", "hybrid")
        self._check_models(audio=use_audio, text=use_meta)
        texts = [pq.positive] + pq.negative
        aq = self.embedder.embed_text(texts) if use_audio else [None] * len(texts)
        mq = self.text_encoder.embed_text(texts) if use_meta else [None] * len(texts)
        negatives = tuple(QuerySide(audio=aq[i], meta=mq[i], concepts=lexical_concepts(t)) for i, t in enumerate(texts) if i)
        hits = searcher.rank(audio_query=aq[0], meta_query=mq[0], top_k=top_k, mode=mode, filters=filters,
                             concepts=concepts, negatives=negatives)
        return SearchOutcome(hits=hits, query=pq)

    @_locked
    def audio_relevance(self, text: str, audio_vectors) -> np.ndarray:
        """Calibrated relevance in [0, 1] of sounds to ``text`` from their joint-space audio
        vectors ``(n, dim)`` (e.g. generated candidates embedded with :attr:`embedder`): the
        cosines are standardised against this library's reference sample and go through the
        same ``audio`` relevance model as search, so the numbers compare with search hits."""
        from sfxgen.library.relevance import relevance, standardise

        vecs = np.atleast_2d(np.asarray(audio_vectors, np.float32))
        self._check_models(audio=True, text=False)
        q = self.embedder.embed_text([str(text)])[0]
        ref = self.reference_sample()[0] if self.audio_store is not None and self.audio_store.count else None
        return relevance(model="audio", audio_z=standardise(vecs @ q, None if ref is None or len(ref) < 2 else ref @ q))

    def _words_in_library(self, concepts) -> bool:
        """Whether any query word (or its expansion) occurs in the library's words."""
        from sfxgen.library.lexical import fts_match

        return any(self.catalog.fts_search(fts_match(c.terms + c.expansions), weights={}, limit=1) for c in concepts)

    def _query_filters(self, pq, filters: SearchFilters | None) -> SearchFilters | None:
        """``filters`` completed with the query's duration and loudness words (explicit filters win)."""
        from dataclasses import replace

        from sfxgen.library.query import LOUDNESS_SHARE

        f = replace(filters) if filters is not None else SearchFilters()
        if f.min_duration_s is None and pq.min_duration_s is not None:
            f.min_duration_s = pq.min_duration_s
        if f.max_duration_s is None and pq.max_duration_s is not None:
            f.max_duration_s = pq.max_duration_s
        if pq.loudness == "quiet" and f.max_loudness_lufs is None:
            f.max_loudness_lufs = self.catalog.loudness_quantile(LOUDNESS_SHARE)
        elif pq.loudness == "loud" and f.min_loudness_lufs is None:
            f.min_loudness_lufs = self.catalog.loudness_quantile(1.0 - LOUDNESS_SHARE)
        return None if f.is_empty() else f

    @_locked
    def similar(self, path_or_id, *, top_k: int = 10, mode: str = "audio", filters: SearchFilters | None = None) -> list[SearchHit]:
        """Files that sound like a catalogued file (by id or path) or any audio file (embedded on
        the fly). The query file and its exact copies are left out. ``mode="hybrid"`` also uses
        the catalogued file's metadata text."""
        if mode not in ("audio", "hybrid"):
            raise ParameterError("similar() ranks by 'audio' or 'hybrid'")
        searcher = self._searcher()
        rec = self._resolve(path_or_id)
        aq = mq = None
        if rec is not None:
            aq = self.catalog.raw_audio_vec(rec.id)
            _, m = self.catalog.vectors("meta", [rec.id], dim=self.meta_store.dim)
            mq = m[0] if len(m) else None
        if aq is None:
            if isinstance(path_or_id, int) or (isinstance(path_or_id, str) and path_or_id.isdigit() and not os.path.exists(path_or_id)):
                raise IndexError_(f"no indexed file with id {path_or_id} in {self.index_dir}")
            self._check_models(audio=True, text=False)
            aq = self._embed_file(str(path_or_id))
            mode = "audio"
        return searcher.rank(audio_query=aq, meta_query=mq, top_k=top_k, mode=mode, filters=filters,
                             exclude_sha1=rec.sha1 if rec else None, exclude_ids=(rec.id,) if rec else (), by_example=True)

    def _resolve(self, path_or_id) -> FileRecord | None:
        if isinstance(path_or_id, (int, np.integer)) or (isinstance(path_or_id, str) and path_or_id.isdigit() and not os.path.exists(path_or_id)):
            rec = self.catalog.get(int(path_or_id))
            if rec is None or rec.status != "ok":
                raise IndexError_(f"no indexed file with id {path_or_id} in {self.index_dir}")
            return rec
        p = os.path.abspath(os.fspath(path_or_id))
        rec = self.catalog.get_by_path(p)
        if rec is None or rec.status != "ok":
            return None
        try:
            st = os.stat(p)
        except OSError:
            return rec  # catalogued but gone: its stored vector still describes it
        return rec if (st.st_size, st.st_mtime_ns) == (rec.size, rec.mtime_ns) else None

    def audio_windows(self) -> tuple[float, ...]:
        """Extra window lengths (s) this index pools audio over besides the model's own window
        (test-time pooling over crops; recorded when the index was created, ``()`` for indexes
        made before it existed, so their vectors stay consistent)."""
        text = self.catalog.get_meta("audio_extra_windows_s") or ""
        return tuple(float(w) for w in text.split(",") if w.strip())

    def _embed_file(self, path: str) -> np.ndarray:
        from sfxgen.audio import read_audio

        audio, sr = read_audio(path, max_duration_s=IndexConfig().analysis_max_s)
        mono = audio.mean(axis=0, keepdims=True) if audio.shape[0] > 1 else audio
        emb = self.embedder
        if self.audio_windows() and hasattr(emb, "logmel") and hasattr(emb, "embed_logmels"):
            return np.asarray(emb.embed_logmels([emb.logmel(mono, sr)], extra_windows_s=self.audio_windows())[0], np.float32)[0]
        return np.asarray(emb.embed_audio([(mono, sr)]), np.float32)[0]

    # -- inspection -----------------------------------------------------------------------------
    @_locked
    def get(self, file_id: int) -> FileRecord | None:
        """The catalogue row of ``file_id`` (``None`` if unknown)."""
        return self.catalog.get(int(file_id))

    @_locked
    def failures(self) -> list[FileRecord]:
        """Files that could not be indexed, with their reasons."""
        return self.catalog.failures()

    @_locked
    def stats(self) -> LibraryStats:
        s = self.catalog.stats()
        return LibraryStats(
            index_dir=str(self.index_dir), files=s["files"], ok=s["ok"], failed=s["failed"],
            unique_contents=s["unique_contents"], total_duration_s=s["total_duration_s"], total_bytes=s["total_bytes"],
            audio_model_id=self.catalog.get_meta("audio_model_id"), text_model_id=self.catalog.get_meta("text_model_id"),
            audio_index=None if self.audio_store is None else self._store_info(self.audio_store),
            meta_index=None if self.meta_store is None else self._store_info(self.meta_store),
            categories=self.catalog.categories(),
        )

    @staticmethod
    def _store_info(store: VectorStore) -> StoreInfo:
        info = StoreInfo(**asdict(store.info))
        info.count = store.count
        return info

    @_locked
    def consistency(self) -> dict:
        """Catalogue vs stores: ids each side lacks (both empty lists for a consistent index)."""
        out = {}
        for which, store in (("audio", self.audio_store), ("meta", self.meta_store)):
            if store is None:
                out[which] = {"missing": [], "extra": []}
                continue
            want, have = self.catalog.ids_with_vectors(which), store.ids()
            out[which] = {"missing": np.setdiff1d(want, have).tolist(), "extra": np.setdiff1d(have, want).tolist()}
        return out
