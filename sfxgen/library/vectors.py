"""The faiss vector store of a library index: one per embedding set (audio, metadata text).

Vectors are unit-norm float32 rows keyed by catalogue ids (int64), scored by inner product
(= cosine). Two layouts:

- ``exact``: ``IndexIDMap2(IndexFlatIP)`` — exact scores, supports removal and reconstruction by
  id; query time grows linearly (≈3 ms at 10k, ≈30 ms at 100k × 512 dims on one core here).
- ``ivf``: ``IndexIVFFlat`` (inner product) with ids stored natively and a hash-table direct map
  (so removal and reconstruction by id work without rebuilds). Used once the set holds more than
  ``approx_threshold`` vectors. ``nlist ≈ 4·√n`` (≥ 39 training points per list); ``nprobe`` is
  the smallest power of two whose recall@10 against exact search reaches ``target_recall`` on
  stored vectors perturbed like new clips, doubled as a margin (measured at build time and
  stored in :class:`StoreInfo`). Queries far from every stored vector — text queries against
  audio vectors across a CLAP model's modality gap — recall less at that nprobe; bench/search.py
  reports both (at 1M synthetic vectors: 1.00 near, ≈0.64 far).

The store file (``<name>.faiss``) is written to a temporary file and renamed, so a crash leaves
either the old or the new file. The catalogue is the source of truth: :meth:`reconcile` adds
vectors the file lacks and drops ids the catalogue no longer has.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from sfxgen.errors import IndexError_

DEFAULT_APPROX_THRESHOLD = 30_000
DEFAULT_TARGET_RECALL = 0.95


@dataclass
class StoreInfo:
    """What kind of faiss index a store holds and how well its approximate search recalls."""

    kind: str = "exact"  # "exact" | "ivf"
    dim: int = 0
    count: int = 0
    nlist: int | None = None
    nprobe: int | None = None
    recall_at_10: float | None = None  # measured against exact search when the IVF was built
    built_at_count: int | None = None


def _faiss():
    import faiss

    return faiss


def measure_recall(exact_ids: np.ndarray, approx_ids: np.ndarray, k: int = 10) -> float:
    """Mean fraction of the exact top-``k`` ids that the approximate top-``k`` also returned."""
    hits = 0
    total = 0
    for e, a in zip(exact_ids[:, :k], approx_ids[:, :k]):
        e = e[e >= 0]
        hits += len(np.intersect1d(e, a[a >= 0]))
        total += len(e)
    return hits / max(total, 1)


def recall_queries(vectors: np.ndarray, n: int, *, seed: int = 0, noise: float = 0.5) -> np.ndarray:
    """Held-out-like queries: stored vectors perturbed by Gaussian noise, re-normalised.

    A stored vector queried as-is finds itself trivially; a perturbed copy (``noise`` relative to
    the per-dimension scale) behaves like a new clip of a similar sound.
    """
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(vectors), size=min(n, len(vectors)), replace=False)
    q = vectors[pick] + rng.standard_normal((len(pick), vectors.shape[1])).astype(np.float32) * (noise / np.sqrt(vectors.shape[1]))
    return (q / np.linalg.norm(q, axis=1, keepdims=True)).astype(np.float32)


class VectorStore:
    """One faiss index of unit vectors keyed by catalogue id, saved as ``<dir>/<name>.faiss``."""

    def __init__(
        self,
        index_dir,
        name: str,
        dim: int,
        *,
        approx_threshold: int = DEFAULT_APPROX_THRESHOLD,
        target_recall: float = DEFAULT_TARGET_RECALL,
    ):
        self.dir = Path(index_dir)
        self.name = name
        self.dim = int(dim)
        self.approx_threshold = int(approx_threshold)
        self.target_recall = float(target_recall)
        self.path = self.dir / f"{name}.faiss"
        self.info_path = self.dir / f"{name}.json"
        self.info = StoreInfo(dim=self.dim)
        self.index = None
        self.dirty = False
        self._load()

    # -- lifecycle ------------------------------------------------------------------------------
    def _empty_exact(self):
        faiss = _faiss()
        return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))

    def _load(self) -> None:
        faiss = _faiss()
        self.index = None
        if self.path.exists():
            try:
                self.index = faiss.read_index(str(self.path))
                if self.info_path.exists():
                    self.info = StoreInfo(**json.loads(self.info_path.read_text()))
            except Exception:  # corrupt or half-known file: rebuilt from the catalogue by reconcile
                self.index = None
            if self.index is not None and self.index.d != self.dim:
                self.index = None
        if self.index is None:
            self.index = self._empty_exact()
            self.info = StoreInfo(dim=self.dim)
            self.dirty = True
        if self.info.kind == "ivf":
            self._ivf().nprobe = int(self.info.nprobe or 8)

    def save(self) -> None:
        """Write the index atomically (temp file + rename); no-op when unchanged."""
        if not self.dirty:
            return
        faiss = _faiss()
        self.dir.mkdir(parents=True, exist_ok=True)
        self.info.count = int(self.index.ntotal)
        for target, writer in ((self.path, lambda p: faiss.write_index(self.index, p)),
                               (self.info_path, lambda p: Path(p).write_text(json.dumps(asdict(self.info))))):
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=self.dir)
            os.close(fd)
            try:
                writer(tmp)
                with open(tmp, "rb+") as f:
                    os.fsync(f.fileno())
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.remove(tmp)
        self.dirty = False

    # -- contents -------------------------------------------------------------------------------
    @property
    def count(self) -> int:
        return int(self.index.ntotal)

    def _ivf(self):
        return _faiss().extract_index_ivf(self.index)

    def ids(self) -> np.ndarray:
        """All ids held, sorted (int64)."""
        faiss = _faiss()
        if self.info.kind == "exact":
            return np.sort(faiss.vector_to_array(self.index.id_map).astype(np.int64))
        ivf = self._ivf()
        inv = ivf.invlists
        parts = []
        for lst in range(ivf.nlist):
            n = inv.list_size(lst)
            if n:
                parts.append(faiss.rev_swig_ptr(inv.get_ids(lst), n).copy())
        return np.sort(np.concatenate(parts).astype(np.int64)) if parts else np.zeros(0, np.int64)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(ids) == 0:
            return
        if vectors.shape != (len(ids), self.dim):
            raise IndexError_(f"{self.name} vectors must be ({len(ids)}, {self.dim}), got {vectors.shape}")
        self.index.add_with_ids(vectors, ids)
        self.dirty = True

    def remove(self, ids) -> int:
        ids = np.ascontiguousarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
        if len(ids) == 0:
            return 0
        faiss = _faiss()
        if self.info.kind == "ivf":  # a hash-table direct map only removes through an id array
            sel = faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids))
        else:
            sel = faiss.IDSelectorBatch(ids)
        n = int(self.index.remove_ids(sel))
        self.dirty = self.dirty or n > 0
        return n

    def reconstruct(self, file_id: int) -> np.ndarray | None:
        try:
            return self.index.reconstruct(int(file_id)).astype(np.float32)
        except RuntimeError:
            return None

    def reconstruct_many(self, ids) -> np.ndarray:
        """``(len(ids), dim)`` float32 vectors of ``ids``; rows of ids the store lacks are NaN.
        One faiss batch call when every id is present (the common case), else id by id."""
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return np.zeros((0, self.dim), np.float32)
        try:
            return np.asarray(self.index.reconstruct_batch(ids), np.float32).reshape(len(ids), self.dim)
        except (RuntimeError, AttributeError):
            out = np.full((len(ids), self.dim), np.nan, np.float32)
            for i, fid in enumerate(ids.tolist()):
                v = self.reconstruct(fid)
                if v is not None:
                    out[i] = v
            return out

    def reconcile(self, wanted_ids: np.ndarray, fetch: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]) -> tuple[int, int]:
        """Make the store hold exactly ``wanted_ids``; ``fetch(ids) -> (ids, vectors)`` supplies
        missing vectors from the catalogue. Returns ``(added, removed)``."""
        have = self.ids()
        extra = np.setdiff1d(have, wanted_ids, assume_unique=True)
        missing = np.setdiff1d(wanted_ids, have, assume_unique=True)
        removed = self.remove(extra) if len(extra) else 0
        added = 0
        for i in range(0, len(missing), 20_000):
            ids, vecs = fetch(missing[i : i + 20_000])
            self.add(ids, vecs)
            added += len(ids)
        return added, removed

    # -- layout ---------------------------------------------------------------------------------
    def all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        ids = self.ids()
        if len(ids) == 0:
            return ids, np.zeros((0, self.dim), np.float32)
        return ids, np.stack([self.index.reconstruct(int(i)) for i in ids]).astype(np.float32)

    def maybe_relayout(self, *, fetch_all: Callable[[], tuple[np.ndarray, np.ndarray]] | None = None) -> bool:
        """Switch exact → IVF above ``approx_threshold`` (rebuild IVF when it grew 4×), and back
        to exact below half the threshold. ``fetch_all`` supplies every vector (else reconstructed)."""
        n = self.count
        if self.info.kind == "exact" and n > self.approx_threshold:
            pass
        elif self.info.kind == "ivf" and n < self.approx_threshold // 2:
            ids, vecs = fetch_all() if fetch_all else self.all_vectors()
            self.index = self._empty_exact()
            self.info = StoreInfo(dim=self.dim)
            self.add(ids, vecs)
            return True
        elif self.info.kind == "ivf" and n > 4 * (self.info.built_at_count or n):
            pass
        else:
            return False
        ids, vecs = fetch_all() if fetch_all else self.all_vectors()
        self.build_ivf(ids, vecs)
        return True

    def build_ivf(self, ids: np.ndarray, vecs: np.ndarray, *, nlist: int | None = None, seed: int = 0) -> StoreInfo:
        """Replace the index by an IVF over ``vecs``; tune ``nprobe`` for ``target_recall``."""
        faiss = _faiss()
        n = len(ids)
        nlist = int(nlist or min(65536, max(4, min(int(4 * np.sqrt(n)), n // 39))))
        rng = np.random.default_rng(seed)
        train = vecs[rng.choice(n, size=min(n, 40 * nlist), replace=False)] if n > 40 * nlist else vecs
        quantizer = faiss.IndexFlatIP(self.dim)
        ivf = faiss.IndexIVFFlat(quantizer, self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.cp.seed = seed
        ivf.train(np.ascontiguousarray(train, dtype=np.float32))
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
        for i in range(0, n, 100_000):
            ivf.add_with_ids(np.ascontiguousarray(vecs[i : i + 100_000]), np.ascontiguousarray(ids[i : i + 100_000], dtype=np.int64))
        # recall against exact search on stored vectors perturbed by noise of 0.5 and 1.0 times
        # their norm (new clips like stored ones). Much farther queries (text against audio
        # vectors across the modality gap) recall less at this nprobe: bench/search.py reports it.
        exact = faiss.IndexFlatIP(self.dim)
        exact.add(np.ascontiguousarray(vecs, dtype=np.float32))
        sets = []
        for noise in (0.5, 1.0):
            q = recall_queries(vecs, 200, seed=seed, noise=noise)
            _, e_pos = exact.search(q, 10)
            sets.append((q, np.where(e_pos >= 0, ids[np.maximum(e_pos, 0)], -1)))

        def recall_at(nprobe: int) -> float:
            ivf.nprobe = nprobe
            return min(measure_recall(e, ivf.search(q, 10)[1]) for q, e in sets)

        nprobe = 1
        while recall_at(nprobe) < self.target_recall and nprobe < nlist:
            nprobe = min(nlist, nprobe * 2)
        # safety margin for queries unlike the probes: twice the lists the measurement needed
        nprobe = min(nlist, nprobe * 2)
        recall = recall_at(nprobe)
        self.index = ivf
        self.info = StoreInfo(kind="ivf", dim=self.dim, count=n, nlist=nlist, nprobe=nprobe, recall_at_10=recall, built_at_count=n)
        self.dirty = True
        return self.info

    # -- search ---------------------------------------------------------------------------------
    def search(self, queries: np.ndarray, k: int, *, allowed_ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` ``(scores (q, k), ids (q, k))`` by inner product; ids ``-1`` pad short lists.

        ``allowed_ids`` restricts the search to those catalogue ids (metadata filters).
        """
        faiss = _faiss()
        q = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if q.shape[1] != self.dim:
            raise IndexError_(f"query has {q.shape[1]} dims but the {self.name} index holds {self.dim}-dim vectors")
        k = max(1, min(int(k), max(self.count, 1)))
        params = None
        if allowed_ids is not None:
            allowed_ids = np.ascontiguousarray(allowed_ids, dtype=np.int64)
            if len(allowed_ids) == 0:
                return np.zeros((len(q), 0), np.float32), np.zeros((len(q), 0), np.int64)
            sel = faiss.IDSelectorBatch(allowed_ids)
            if self.info.kind == "ivf":
                # a selective filter leaves few candidates in the probed lists: probe more of them
                frac = len(allowed_ids) / max(self.count, 1)
                nprobe = int(min(self.info.nlist, (self.info.nprobe or 8) * max(1.0, 0.05 / max(frac, 1e-9))))
                params = faiss.SearchParametersIVF(sel=sel, nprobe=nprobe)
            else:
                params = faiss.SearchParameters(sel=sel)
            scores, ids = self.index.search(q, k, params=params)
        else:
            scores, ids = self.index.search(q, k)
        return scores, ids.astype(np.int64)
