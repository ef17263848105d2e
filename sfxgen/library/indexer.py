"""Building and updating a library index, incrementally and crash-safely.

One run:

1. scan the given paths (:mod:`sfxgen.library.scan`);
2. compare with the catalogue: a file whose size and mtime are unchanged is skipped; a new or
   changed file is hashed (SHA-1 of its bytes); content already in the catalogue (a moved,
   renamed or copied file) reuses the stored audio vector — only its metadata text, which
   depends on the name, is embedded again;
3. decode the rest in a thread pool (first ``analysis_max_s`` seconds from one open of the
   file, down-mixed and resampled to the embedder's rate), measure peak and integrated
   loudness, read text metadata; the same pool embeds full batches (audio, and each distinct
   metadata text once), one batch at a time with torch single-threaded, so decoding and the
   models share the cores without oversubscribing them;
4. commit each batch in order — rows *and* their vectors — in one SQLite transaction, then add
   the vectors to the in-memory faiss stores, which are saved (temp file + rename) every
   ``save_every_s`` seconds and at the end;
5. drop rows of files that vanished from the scanned folders.

A ``kill -9`` at any moment loses at most the uncommitted batch: the catalogue is consistent
after every transaction and faiss files are reconciled against it on open (see
:class:`sfxgen.library.vectors.VectorStore`). The next run skips everything committed.

Per-file problems never stop a run: they are stored as ``failed`` rows (path + reason) and
returned in :class:`IndexSummary`. Failed files are retried on the next run.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections import OrderedDict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np

from sfxgen.errors import AudioReadError, SfxgenError
from sfxgen.library.catalog import Catalog, FileRecord
from sfxgen.library.metadata import read_metadata
from sfxgen.library.scan import DEFAULT_MAX_FILE_MB, ScanEntry, ScanError, file_sha1, scan_paths

#: Distinct metadata texts whose vectors one run remembers (numbered takes sit side by side).
TEXT_CACHE_SIZE = 4096

#: Testing hook: seconds to sleep per processed file (lets a test kill a run mid-way).
SLOWDOWN_ENV = "SFXGEN_INDEX_SLOWDOWN_S"


@dataclass
class IndexConfig:
    """Indexing parameters (units in the names)."""

    analysis_max_s: float = 30.0  # decoded per file for embedding and levels
    batch_size: int = 128  # files per embedding batch and per catalogue transaction
    workers: int = 2  # pool threads: decode files and embed batches
    max_file_mb: float | None = DEFAULT_MAX_FILE_MB
    save_every_s: float = 30.0
    prune: bool = True  # drop rows of files that vanished from the scanned folders
    measure_loudness: bool = True


@dataclass
class IndexFailure:
    """A file that could not be indexed and why."""

    path: str
    error: str

    def to_dict(self) -> dict:
        return {"path": self.path, "error": self.error}


@dataclass
class IndexProgress:
    """Progress of a run, passed to ``on_progress`` after every file."""

    done: int
    total: int
    path: str
    rate_per_s: float
    eta_s: float | None


@dataclass
class IndexSummary:
    """What a run did. ``indexed`` counts new or changed paths now in the catalogue (moves
    included), ``renamed`` the moves/renames detected by content hash (their audio was not
    re-embedded; copies of catalogued content reuse vectors too), ``audio_embedded`` the clips actually decoded and embedded."""

    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    renamed: int = 0
    audio_embedded: int = 0
    failed: list[IndexFailure] = field(default_factory=list)
    total_files: int = 0
    elapsed_s: float = 0.0
    clips_per_s: float = 0.0

    def to_dict(self) -> dict:
        """The ``--json`` summary: ``indexed``, ``unchanged``, ``removed``, ``failed`` + extras."""
        return {
            "indexed": self.indexed, "unchanged": self.unchanged, "removed": self.removed,
            "failed": [f.to_dict() for f in self.failed], "renamed": self.renamed,
            "audio_embedded": self.audio_embedded, "total_files": self.total_files,
            "elapsed_s": round(self.elapsed_s, 3), "clips_per_s": round(self.clips_per_s, 2),
        }


@dataclass
class _Prepared:
    entry: ScanEntry
    record: FileRecord | None = None
    features: object = None  # what the embedder consumes (log-mel or (audio, sr))
    reuse_id: int | None = None
    error: str | None = None


class _SingleThreadedTorch:
    """Context manager: torch intra-op threads = 1 while any index run of this process is active.

    The pool threads supply the parallelism; a torch intra-op pool beside them oversubscribes a
    2-core machine (measured: embedding and MiniLM ran ~2x slower). The setting is process-wide,
    so runs are counted and the first run's value is restored when the last one ends.
    """

    _lock = threading.Lock()
    _active = 0
    _restore: int | None = None

    def __enter__(self):
        torch = sys.modules.get("torch")
        if torch is not None:
            with self._lock:
                cls = type(self)
                if cls._active == 0:
                    cls._restore = torch.get_num_threads()
                    torch.set_num_threads(1)
                cls._active += 1
        self._torch = torch
        return self

    def __exit__(self, *exc) -> None:
        if self._torch is not None:
            with self._lock:
                cls = type(self)
                cls._active -= 1
                if cls._active == 0 and cls._restore is not None:
                    self._torch.set_num_threads(cls._restore)


def _level_db(x: float) -> float | None:
    return float(20.0 * np.log10(x)) if x > 0 else None


class Indexer:
    """Runs index updates for one :class:`Catalog` and its two vector stores.

    ``embedder``: audio+text joint embedder (``embed_audio``; optional ``sample_rate``,
    ``logmel``/``embed_logmels`` used for parallel front ends). ``text_encoder``: the
    metadata-text encoder (MiniLM). Both are fixed per index (model ids in the catalogue).
    """

    def __init__(self, catalog: Catalog, audio_store, meta_store, *, embedder, text_encoder, config: IndexConfig | None = None,
                 extra_windows_s: tuple = ()):
        self.catalog = catalog
        self.audio_store = audio_store
        self.meta_store = meta_store
        self.embedder = embedder
        self.text_encoder = text_encoder
        self.config = config or IndexConfig()
        self._use_logmel = hasattr(embedder, "logmel") and hasattr(embedder, "embed_logmels")
        self._extra_windows = tuple(extra_windows_s)  # the index's test-time pooling (Library.audio_windows)
        self._text_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._audio_lock = threading.Lock()  # one batch at a time through each model
        self._text_lock = threading.Lock()
        self._target_sr = getattr(embedder, "sample_rate", None)

    # -- worker side (threads) ------------------------------------------------------------------
    def _prepare(self, entry: ScanEntry, known_sha1: dict) -> _Prepared:
        from sfxgen.audio import AudioFile, peak_abs, resample

        p = _Prepared(entry)
        path = entry.path
        try:
            sha1 = file_sha1(path)
        except OSError as exc:
            from sfxgen.library.scan import _os_reason

            p.error = _os_reason(exc)
            return p
        try:
            with AudioFile(path) as src:
                info = src.info
                if info.frames <= 0:
                    raise AudioReadError(path, "contains no audio samples (0 frames)")
                audio = None if sha1 in known_sha1 else src.read(max_duration_s=self.config.analysis_max_s)
            md = read_metadata(path, file_format=info.format)
            rec = FileRecord(
                path=path, size=entry.size, mtime_ns=entry.mtime_ns, sha1=sha1, status="ok",
                format=info.format, subtype=info.subtype, sample_rate=info.sample_rate, channels=info.channels,
                frames=info.frames, duration_s=info.duration_s, bit_depth=info.bit_depth,
                ucs_catid=md.ucs_catid, category=md.category, subcategory=md.subcategory, fx_name=md.fx_name,
                creator=md.creator, source=md.source, description=md.description, originator=md.originator,
                tags=md.tags, meta_text=md.meta_text,
            )
            p.record = rec
            if audio is None:
                p.reuse_id = known_sha1[sha1]
                return p
            sr = info.sample_rate
            peak = peak_abs(audio)
            rec.peak_dbfs = _level_db(peak)
            if self.config.measure_loudness and peak > 0:
                try:
                    from sfxgen.loudness.meter import integrated_lufs

                    rec.loudness_lufs = integrated_lufs(audio, sr)  # = measure().integrated_lufs, without LRA/short-term
                except (ImportError, SfxgenError, ValueError):
                    pass
            mono = audio.mean(axis=0, keepdims=True) if audio.shape[0] > 1 else audio
            if mono.shape[1] < sr // 100:  # a click shorter than 10 ms: embedded as if followed by
                mono = np.pad(mono, ((0, 0), (0, sr // 100 - mono.shape[1])))  # silence, as the meter reads it
            if self._target_sr and sr != self._target_sr:
                mono = resample(mono, sr, int(self._target_sr), quality="HQ")
                sr = int(self._target_sr)
            if self._use_logmel:
                p.features = self.embedder.logmel(mono, sr, name=path)
            else:
                p.features = (mono, sr)
        except AudioReadError as exc:
            p.error = exc.problem
        except SfxgenError as exc:
            p.error = str(exc)
        except MemoryError:
            p.error = "file too large to decode in memory"
        except Exception as exc:  # a library scan must survive any single bad file
            p.error = f"unexpected error while reading ({type(exc).__name__}: {exc})"
        return p

    # -- embedding (a pool thread, one batch at a time) ------------------------------------------
    def _embed_audio(self, feats: list) -> np.ndarray:
        if self._use_logmel:
            kw = {"extra_windows_s": self._extra_windows} if self._extra_windows else {}
            return np.asarray(self.embedder.embed_logmels(feats, **kw)[0], dtype=np.float32)
        return np.asarray(self.embedder.embed_audio(feats), dtype=np.float32)

    def _embed_clips(self, clips: list[_Prepared]) -> dict[int, np.ndarray]:
        """Audio vectors by ``id(p)``; a clip the model cannot embed gets ``p.error`` instead."""
        out: dict[int, np.ndarray] = {}
        if not clips:
            return out
        try:
            vecs = self._embed_audio([p.features for p in clips])
            if not np.all(np.isfinite(vecs)):
                raise ValueError("embedder returned NaN")
            out.update((id(p), v) for p, v in zip(clips, vecs))
        except Exception:  # embed one by one to isolate the clip that breaks the model
            for p in clips:
                try:
                    v = self._embed_audio([p.features])[0]
                    if not np.all(np.isfinite(v)):
                        raise ValueError("the embedding is NaN")
                    out[id(p)] = v
                except Exception as exc:
                    p.error = f"cannot embed audio ({type(exc).__name__}: {exc})"
        return out

    def _embed_meta_texts(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Metadata-text vectors by text. Numbered variants share one text, so each distinct text
        is embedded once per run (recent texts remembered across batches); new texts go to the
        encoder sorted by length, so its batches carry little padding."""
        cache = self._text_cache
        new = sorted({t for t in texts if t not in cache}, key=len)
        if new:
            vecs = np.asarray(self.text_encoder.embed_text(new), np.float32)
            for t, v in zip(new, vecs):
                cache[t] = v
        out = {t: cache[t] for t in texts}
        for t in out:
            cache.move_to_end(t)
        while len(cache) > TEXT_CACHE_SIZE:
            cache.popitem(last=False)
        return out

    def _embed_audio_task(self, clips: list[_Prepared]) -> dict[int, np.ndarray]:
        """Pool-thread task: audio vectors of a batch's new content (see :meth:`_embed_clips`)."""
        with self._audio_lock:
            out = self._embed_clips(clips)
        for p in clips:
            p.features = None  # free decoded audio early
        return out

    def _embed_text_task(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Pool-thread task: metadata-text vectors of a batch (see :meth:`_embed_meta_texts`)."""
        with self._text_lock:
            return self._embed_meta_texts(texts)

    def _submit_embedding(self, pool, batch: list[_Prepared], run_vectors: dict) -> tuple:
        """Start a batch's audio and text embedding as two pool tasks (they run side by side when
        no decode is waiting, e.g. at the end of a run). The catalogue is not touched there."""
        need = [p for p in batch if p.error is None and p.reuse_id is None and p.record.sha1 not in run_vectors]
        chosen = {id(p) for p in need}
        for p in batch:
            if id(p) not in chosen:
                p.features = None
        texts = [p.record.meta_text or "" for p in batch if p.error is None]
        return pool.submit(self._embed_audio_task, need), pool.submit(self._embed_text_task, texts)

    # -- main side ------------------------------------------------------------------------------
    def _commit(self, batch: list[_Prepared], audio: dict[int, np.ndarray], meta: dict[str, np.ndarray],
                summary: IndexSummary, run_vectors: dict) -> None:
        vec_of = dict(audio)
        for p in batch:
            if id(p) in vec_of:
                run_vectors[p.record.sha1] = vec_of[id(p)]
        summary.audio_embedded += len(vec_of)
        audio_vecs: dict[int, np.ndarray] = {}
        reuse_paths: dict[int, str] = {}
        late: list[_Prepared] = []
        for i, p in enumerate(batch):
            if p.error is None and p.reuse_id is not None:
                src = self.catalog.get(p.reuse_id)
                v = self.catalog.raw_audio_vec(p.reuse_id)
                if src is None or v is None:  # the matching row was replaced meanwhile: decode after all
                    batch[i] = p = self._prepare(p.entry, {})
                    late.append(p)
                    continue
                reuse_paths[id(p)] = src.path
                for k in ("peak_dbfs", "loudness_lufs", "true_peak_dbtp"):
                    setattr(p.record, k, getattr(src, k))
                audio_vecs[id(p)] = v
        if late:
            got = self._embed_audio_task([p for p in late if p.error is None and p.record.sha1 not in run_vectors])
            for p in late:
                p.features = None  # (those not embedded: content already embedded in this run)
                if id(p) in got:
                    vec_of[id(p)] = run_vectors[p.record.sha1] = got[id(p)]
            summary.audio_embedded += len(got)
        ok = [p for p in batch if p.error is None]
        bad = [p for p in batch if p.error is not None]
        for p in ok:
            if id(p) not in audio_vecs:
                audio_vecs[id(p)] = vec_of[id(p)] if id(p) in vec_of else run_vectors[p.record.sha1]
        texts = [p.record.meta_text or "" for p in ok]
        if any(t not in meta for t in texts):  # a file re-read above whose text changed meanwhile
            meta = {**meta, **self._embed_text_task([t for t in texts if t not in meta])}
        new_audio_ids, new_audio, new_meta, replaced = [], [], [], []
        with self.catalog.transaction():
            for p, text in zip(ok, texts):
                fid, old = self.catalog.insert(p.record, audio_vec=audio_vecs[id(p)], meta_vec=meta[text])
                new_audio_ids.append(fid)
                new_audio.append(audio_vecs[id(p)])
                new_meta.append(meta[text])
                if old is not None:
                    replaced.append(old)
                src_path = reuse_paths.get(id(p))
                if src_path is not None and src_path in self._vanished_paths:
                    summary.renamed += 1
                    self._renamed_sources.add(src_path)
            for p in bad:
                _, old = self.catalog.insert(FileRecord(path=p.entry.path, size=p.entry.size, mtime_ns=p.entry.mtime_ns,
                                                        sha1=p.record.sha1 if p.record else None, status="failed", error=p.error))
                if old is not None:
                    replaced.append(old)
        summary.indexed += len(ok)
        summary.failed.extend(IndexFailure(p.entry.path, p.error) for p in bad)
        if replaced:
            self.audio_store.remove(replaced)
            self.meta_store.remove(replaced)
        if new_audio_ids:
            ids = np.array(new_audio_ids, np.int64)
            self.audio_store.add(ids, np.stack(new_audio))
            self.meta_store.add(ids, np.stack(new_meta))

    def run(self, paths: Iterable, *, progress: bool = True, on_progress: Callable[[IndexProgress], None] | None = None) -> IndexSummary:
        """Index ``paths`` (files or folders) and return an :class:`IndexSummary`."""
        t0 = time.perf_counter()
        cfg = self.config
        summary = IndexSummary()
        roots = [os.path.abspath(os.fspath(p)) for p in paths]
        entries: list[ScanEntry] = []
        scan_errors: list[ScanError] = []
        for item in scan_paths(roots, max_file_mb=cfg.max_file_mb):
            (entries if isinstance(item, ScanEntry) else scan_errors).append(item)
        known = self.catalog.fingerprints()
        seen = {e.path for e in entries} | {e.path for e in scan_errors}
        todo: list[ScanEntry] = []
        for e in entries:
            fp = known.get(e.path)
            if fp is not None and fp[4] == "ok" and fp[1] == e.size and fp[2] == e.mtime_ns:
                summary.unchanged += 1
            else:
                todo.append(e)
        vanished = [
            (path, fp[0]) for path, fp in known.items()
            if path not in seen and any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
        ] if cfg.prune else []
        summary.total_files = len(entries) + len(scan_errors)
        # content already catalogued (unchanged files, vanished files = candidates for renames)
        known_sha1: dict[str, int] = {}
        for path, fp in known.items():
            if fp[4] == "ok" and fp[3]:
                known_sha1.setdefault(fp[3], fp[0])
        self._vanished_paths = {p for p, _ in vanished}
        self._renamed_sources: set[str] = set()

        if scan_errors:
            replaced = []
            with self.catalog.transaction():
                for se in scan_errors:
                    _, old = self.catalog.insert(FileRecord(path=se.path, status="failed", error=se.error))
                    if old is not None:
                        replaced.append(old)
            self.audio_store.remove(replaced)
            self.meta_store.remove(replaced)
            summary.failed.extend(IndexFailure(se.path, se.error) for se in scan_errors)

        bar = None
        if progress and todo:
            from tqdm import tqdm

            bar = tqdm(total=len(todo), unit="file", desc="indexing", file=sys.stderr, dynamic_ncols=True)
        slow = float(os.environ.get(SLOWDOWN_ENV, "0") or 0)
        run_vectors: dict[str, np.ndarray] = {}
        last_save = time.perf_counter()
        done = 0
        t_run = time.perf_counter()
        # Pipeline: pool threads decode (``_prepare``) and, one batch at a time, embed audio and
        # text (``_submit_embedding``); this thread drains decoded files in order, forms batches
        # and commits each embedded batch (rows + vectors in one transaction) in order.
        batch: list[_Prepared] = []
        ready: deque[list[_Prepared]] = deque()  # full batches waiting for the embedder
        inflight: list = []  # [(batch, audio future, text future)] of the batch being embedded (at most one)

        def advance(pool, backlog: int) -> None:
            nonlocal last_save
            while True:
                if not inflight:
                    if not ready:
                        return
                    b = ready.popleft()
                    inflight.append((b, *self._submit_embedding(pool, b, run_vectors)))
                elif (inflight[0][1].done() and inflight[0][2].done()) or len(ready) > backlog:
                    b, audio, meta = inflight.pop()
                    self._commit(b, audio.result(), meta.result(), summary, run_vectors)
                    if time.perf_counter() - last_save > cfg.save_every_s:
                        self.save()
                        last_save = time.perf_counter()
                else:
                    return

        try:
            with _SingleThreadedTorch() if cfg.workers > 1 else contextlib.nullcontext(), ThreadPoolExecutor(max_workers=max(1, cfg.workers)) as pool:
                window = max(cfg.batch_size // 2, 4 * cfg.workers, 8)  # decodes in flight
                pending: deque = deque()

                def drain_one() -> None:
                    nonlocal done, batch
                    done = self._drain(pending.popleft(), batch, summary, run_vectors, done, len(todo), t_run, bar, on_progress, slow)
                    if len(batch) >= cfg.batch_size:
                        ready.append(batch)
                        batch = []
                    advance(pool, 1)

                for e in todo:
                    pending.append(pool.submit(self._prepare, e, known_sha1))
                    if len(pending) >= window:
                        drain_one()
                while pending:
                    drain_one()
                if batch:
                    ready.append(batch)
                advance(pool, -1)
        finally:
            if bar is not None:
                bar.close()
        gone_ids = [fid for _, fid in vanished]
        if gone_ids:
            with self.catalog.transaction():
                self.catalog.delete(gone_ids)
            self.audio_store.remove(gone_ids)
            self.meta_store.remove(gone_ids)
            summary.removed = sum(1 for p, _ in vanished if p not in self._renamed_sources)
        self.save(relayout=True)
        summary.elapsed_s = time.perf_counter() - t0
        summary.clips_per_s = (summary.indexed + len([f for f in summary.failed])) / max(time.perf_counter() - t_run, 1e-9) if todo else 0.0
        return summary

    def _drain(self, fut, batch, summary, run_vectors, done, total, t_run, bar, on_progress, slow) -> int:
        p = fut.result()
        batch.append(p)
        done += 1
        if slow:
            time.sleep(slow)
        if bar is not None:
            bar.update(1)
        if on_progress is not None:
            el = time.perf_counter() - t_run
            rate = done / el if el > 0 else 0.0
            on_progress(IndexProgress(done=done, total=total, path=p.entry.path, rate_per_s=rate,
                                      eta_s=(total - done) / rate if rate > 0 else None))
        return done

    def save(self, *, relayout: bool = False) -> None:
        """Persist the faiss stores (switching exact ↔ approximate layout when asked)."""
        for which, store in (("audio", self.audio_store), ("meta", self.meta_store)):
            if relayout:
                store.maybe_relayout(fetch_all=lambda w=which, s=store: self.catalog.vectors(w, dim=s.dim))
            store.save()
