"""The library catalogue: one SQLite database (WAL journal) holding every scanned file.

The catalogue is the source of truth of an index. Each file row carries its path, the facts used
to notice change (size, mtime_ns, content SHA-1 of the file bytes), header facts, levels, text
metadata and its status (``ok`` or ``failed`` with the reason). Embedding vectors are stored
here too, as float32 blobs in the same transaction as their row, so a crash (even ``kill -9``)
can never leave a row without its vectors or vectors without a row; the faiss files beside the
database are a rebuildable search structure reconciled against this table on open
(see :mod:`sfxgen.library.vectors`).

Row ids are ``INTEGER PRIMARY KEY AUTOINCREMENT`` and never reused, so a faiss id always means
one immutable vector: a changed file gets a new row (and new id) rather than new vectors under
an old id.

Schema 2 adds ``files_fts``, an SQLite FTS5 table (porter stemming) of each row's words by field
(:mod:`sfxgen.library.lexical`), kept in step with ``files`` inside the same transactions. A
schema-1 catalogue is migrated in place when opened (one transaction: the table is created and
filled from the stored columns; no file is read again and nothing indexed is lost).
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from sfxgen.errors import IndexError_
from sfxgen.library import lexical as _lexical

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL DEFAULT 0,
    mtime_ns INTEGER NOT NULL DEFAULT 0,
    sha1 TEXT,
    status TEXT NOT NULL,
    error TEXT,
    format TEXT, subtype TEXT,
    sample_rate INTEGER, channels INTEGER, frames INTEGER, duration_s REAL, bit_depth INTEGER,
    peak_dbfs REAL, loudness_lufs REAL, true_peak_dbtp REAL,
    ucs_catid TEXT, category TEXT, subcategory TEXT, fx_name TEXT, creator TEXT, source TEXT,
    description TEXT, originator TEXT, tags TEXT, meta_text TEXT,
    audio_vec BLOB, meta_vec BLOB,
    indexed_at REAL
);
CREATE INDEX IF NOT EXISTS files_sha1 ON files(sha1);
CREATE INDEX IF NOT EXISTS files_status ON files(status);
CREATE INDEX IF NOT EXISTS files_category ON files(category);
"""

_FTS_SCHEMA = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS files_fts USING fts5("
    + ", ".join(_lexical.FIELDS) + ", tokenize='porter unicode61 remove_diacritics 2')"
)


@dataclass
class FileRecord:
    """One catalogue row (without the vector blobs). ``status`` is ``"ok"`` or ``"failed"``.

    Levels (``peak_dbfs``, ``loudness_lufs``, ``true_peak_dbtp``) are measured over the decoded
    analysis section (the first ``analysis_max_s`` seconds, 30 s by default). ``tags`` is a dict
    of the file's own text tags (ID3/Vorbis/FLAC/bext/iXML); ``meta_text`` is the text embedded
    for metadata search.
    """

    path: str
    size: int = 0
    mtime_ns: int = 0
    sha1: str | None = None
    status: str = "ok"
    error: str | None = None
    format: str | None = None
    subtype: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    frames: int | None = None
    duration_s: float | None = None
    bit_depth: int | None = None
    peak_dbfs: float | None = None
    loudness_lufs: float | None = None
    true_peak_dbtp: float | None = None
    ucs_catid: str | None = None
    category: str | None = None
    subcategory: str | None = None
    fx_name: str | None = None
    creator: str | None = None
    source: str | None = None
    description: str | None = None
    originator: str | None = None
    tags: dict = field(default_factory=dict)
    meta_text: str | None = None
    indexed_at: float | None = None
    id: int | None = None

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


_COLUMNS = [f.name for f in fields(FileRecord) if f.name != "id"]


def _row_to_record(row: sqlite3.Row) -> FileRecord:
    d = {k: row[k] for k in row.keys() if k in _COLUMNS or k == "id"}
    d["tags"] = json.loads(d["tags"]) if d.get("tags") else {}
    return FileRecord(**d)


def _blob(vec: np.ndarray | None) -> bytes | None:
    if vec is None:
        return None
    return np.ascontiguousarray(vec, dtype=np.float32).tobytes()


class Catalog:
    """SQLite catalogue of a library index (``catalog.sqlite`` in the index folder).

    Writes go through :meth:`transaction`; a batch of rows and their vectors commits at once.
    """

    FILENAME = "catalog.sqlite"

    def __init__(self, index_dir, *, create: bool = True):
        self.index_dir = Path(index_dir)
        self.path = self.index_dir / self.FILENAME
        if not self.path.exists():
            if not create:
                raise IndexError_(f"no library index at {self.index_dir} (run `sfxgen index PATH --index {self.index_dir}` first)")
            self.index_dir.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise IndexError_(f"the library catalogue {self.path} is unreadable or corrupt ({exc})") from None
        version = self.get_meta("schema_version")
        #: False while a schema-1 catalogue could not be upgraded (read-only): no lexical search
        self.fts_available = True
        if version is None:
            with self.transaction():
                self.conn.execute(_FTS_SCHEMA)
                self.set_meta("schema_version", str(SCHEMA_VERSION))
        elif int(version) == 1:
            self._migrate_1_to_2()
        elif int(version) != SCHEMA_VERSION:
            raise IndexError_(f"{self.path} uses catalogue schema {version}; this sfxgen reads {SCHEMA_VERSION} "
                              f"(and migrates 1): re-index into a new folder with this version")
        self.migrated_from: int | None = (int(version) if version is not None and int(version) != SCHEMA_VERSION
                                          and self.fts_available else None)

    def _migrate_1_to_2(self) -> None:
        """Schema 1 -> 2: create ``files_fts`` and fill it from the stored rows (one transaction;
        a read-only catalogue is searched without its lexical index, see :attr:`fts_available`)."""
        try:
            with self.transaction():
                if self.get_meta("schema_version") != "1":  # another process migrated meanwhile
                    return
                self.conn.execute(_FTS_SCHEMA)
                rows = self.conn.execute(f"SELECT id, {', '.join(_COLUMNS)} FROM files WHERE status='ok'").fetchall()
                for row in rows:
                    self._fts_insert(int(row["id"]), _row_to_record(row))
                self.set_meta("schema_version", str(SCHEMA_VERSION))
        except sqlite3.OperationalError:  # read-only: searched by vectors only until opened writable
            self.fts_available = False

    def close(self) -> None:
        self.conn.close()

    # -- meta ---------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, str(value)))

    # -- transactions -------------------------------------------------------------------------
    def transaction(self):
        """Context manager: ``BEGIN IMMEDIATE`` ... ``COMMIT`` (rolled back on error)."""
        return _Txn(self.conn)

    # -- reads --------------------------------------------------------------------------------
    def count(self, status: str | None = "ok") -> int:
        if status is None:
            return self.conn.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        return self.conn.execute("SELECT COUNT(*) FROM files WHERE status=?", (status,)).fetchone()[0]

    def get(self, file_id: int) -> FileRecord | None:
        row = self.conn.execute(f"SELECT id, {', '.join(_COLUMNS)} FROM files WHERE id=?", (int(file_id),)).fetchone()
        return None if row is None else _row_to_record(row)

    def get_by_path(self, path: str) -> FileRecord | None:
        row = self.conn.execute(f"SELECT id, {', '.join(_COLUMNS)} FROM files WHERE path=?", (str(path),)).fetchone()
        return None if row is None else _row_to_record(row)

    def get_many(self, ids: Sequence[int]) -> dict[int, FileRecord]:
        out: dict[int, FileRecord] = {}
        ids = [int(i) for i in ids]
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = f"SELECT id, {', '.join(_COLUMNS)} FROM files WHERE id IN ({','.join('?' * len(chunk))})"
            for row in self.conn.execute(q, chunk):
                out[row["id"]] = _row_to_record(row)
        return out

    def fingerprints(self) -> dict[str, tuple[int, int, int, str | None, str]]:
        """``path -> (id, size, mtime_ns, sha1, status)`` for every row (the change detector)."""
        return {
            r[0]: (r[1], r[2], r[3], r[4], r[5])
            for r in self.conn.execute("SELECT path, id, size, mtime_ns, sha1, status FROM files")
        }

    def ids_with_vectors(self, which: str) -> np.ndarray:
        col = _vec_col(which)
        rows = self.conn.execute(f"SELECT id FROM files WHERE status='ok' AND {col} IS NOT NULL ORDER BY id").fetchall()
        return np.array([r[0] for r in rows], dtype=np.int64)

    def vectors(self, which: str, ids: Iterable[int] | None = None, *, dim: int) -> tuple[np.ndarray, np.ndarray]:
        """``(ids (n,) int64, vectors (n, dim) float32)`` stored for ``which`` ("audio"/"meta")."""
        col = _vec_col(which)
        out_ids, out_vecs = [], []
        if ids is None:
            rows: Iterator = self.conn.execute(f"SELECT id, {col} FROM files WHERE status='ok' AND {col} IS NOT NULL ORDER BY id")
            for r in rows:
                out_ids.append(r[0])
                out_vecs.append(r[1])
        else:
            ids = [int(i) for i in ids]
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                q = f"SELECT id, {col} FROM files WHERE id IN ({','.join('?' * len(chunk))}) AND {col} IS NOT NULL"
                for r in self.conn.execute(q, chunk):
                    out_ids.append(r[0])
                    out_vecs.append(r[1])
        if not out_ids:
            return np.zeros(0, np.int64), np.zeros((0, dim), np.float32)
        vecs = np.frombuffer(b"".join(out_vecs), dtype=np.float32).reshape(len(out_ids), -1)
        if vecs.shape[1] != dim:
            raise IndexError_(f"{self.path}: stored {which} vectors have {vecs.shape[1]} dims, expected {dim}")
        return np.array(out_ids, dtype=np.int64), vecs.copy()

    def failures(self) -> list[FileRecord]:
        rows = self.conn.execute(f"SELECT id, {', '.join(_COLUMNS)} FROM files WHERE status='failed' ORDER BY path")
        return [_row_to_record(r) for r in rows]

    def ok_by_sha1(self, sha1: str) -> list[FileRecord]:
        rows = self.conn.execute(
            f"SELECT id, {', '.join(_COLUMNS)} FROM files WHERE sha1=? AND status='ok' ORDER BY id", (sha1,)
        )
        return [_row_to_record(r) for r in rows]

    def query_ids(self, where: str, params: Sequence = ()) -> np.ndarray:
        """Ids of ``ok`` rows matching an SQL ``where`` clause built by the searcher's filters."""
        rows = self.conn.execute(f"SELECT id FROM files WHERE status='ok' AND ({where})", tuple(params)).fetchall()
        return np.array([r[0] for r in rows], dtype=np.int64)

    def stats(self) -> dict:
        c = self.conn.execute(
            "SELECT COUNT(*), SUM(status='ok'), SUM(status='failed'), SUM(CASE WHEN status='ok' THEN duration_s END),"
            " SUM(CASE WHEN status='ok' THEN size END), COUNT(DISTINCT CASE WHEN status='ok' THEN sha1 END) FROM files"
        ).fetchone()
        return {
            "files": c[0] or 0, "ok": c[1] or 0, "failed": c[2] or 0, "total_duration_s": float(c[3] or 0.0),
            "total_bytes": int(c[4] or 0), "unique_contents": c[5] or 0,
        }

    def loudness_quantile(self, q: float) -> float | None:
        """The ``q`` quantile (0-1) of the measured integrated loudness of ``ok`` rows (LUFS)."""
        n = self.conn.execute("SELECT COUNT(*) FROM files WHERE status='ok' AND loudness_lufs IS NOT NULL").fetchone()[0]
        if not n:
            return None
        k = min(n - 1, max(0, int(round(q * (n - 1)))))
        row = self.conn.execute("SELECT loudness_lufs FROM files WHERE status='ok' AND loudness_lufs IS NOT NULL "
                                "ORDER BY loudness_lufs LIMIT 1 OFFSET ?", (k,)).fetchone()
        return float(row[0])

    def categories(self) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT COALESCE(category, ''), COUNT(*) FROM files WHERE status='ok' GROUP BY 1 ORDER BY 2 DESC"
        )
        return {r[0]: r[1] for r in rows}

    # -- writes (call inside a transaction) ---------------------------------------------------
    def insert(self, rec: FileRecord, *, audio_vec: np.ndarray | None = None, meta_vec: np.ndarray | None = None) -> tuple[int, int | None]:
        """Insert ``rec`` (replacing any row with the same path); returns ``(new id, replaced id)``."""
        old = self.conn.execute("SELECT id FROM files WHERE path=?", (rec.path,)).fetchone()
        if old is not None:
            self.conn.execute("DELETE FROM files WHERE id=?", (old[0],))
            self.conn.execute("DELETE FROM files_fts WHERE rowid=?", (old[0],))
        values = [getattr(rec, c) for c in _COLUMNS]
        values[_COLUMNS.index("tags")] = json.dumps(rec.tags or {}, ensure_ascii=False)
        values[_COLUMNS.index("indexed_at")] = time.time()
        cur = self.conn.execute(
            f"INSERT INTO files({', '.join(_COLUMNS)}, audio_vec, meta_vec) VALUES ({', '.join('?' * (len(_COLUMNS) + 2))})",
            values + [_blob(audio_vec), _blob(meta_vec)],
        )
        if rec.status == "ok":
            self._fts_insert(int(cur.lastrowid), rec)
        return int(cur.lastrowid), (None if old is None else int(old[0]))

    def _fts_insert(self, file_id: int, rec: FileRecord) -> None:
        f = _lexical.document_fields(path=rec.path, description=rec.description, tags=rec.tags, ucs_catid=rec.ucs_catid,
                                     category=rec.category, subcategory=rec.subcategory, fx_name=rec.fx_name,
                                     originator=rec.originator)
        self.conn.execute(f"INSERT INTO files_fts(rowid, {', '.join(_lexical.FIELDS)}) VALUES (?{', ?' * len(_lexical.FIELDS)})",
                          [file_id] + [f[k] for k in _lexical.FIELDS])

    def delete(self, ids: Iterable[int]) -> None:
        ids = [int(i) for i in ids]
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            self.conn.execute(f"DELETE FROM files WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            self.conn.execute(f"DELETE FROM files_fts WHERE rowid IN ({','.join('?' * len(chunk))})", chunk)

    def fts_search(self, match: str, *, weights: dict[str, float], limit: int = 5000,
                   among: Sequence[int] | None = None) -> list[tuple[int, float]]:
        """``(id, BM25 score)`` of rows matching an FTS5 ``match`` expression, best first (scores
        positive, larger = better; ``weights`` per FTS column, see :mod:`sfxgen.library.lexical`).
        ``among``: score only these rows (joined through a temporary table, so BM25 is computed
        for them alone: a word in a tenth of a large library costs a few lookups, not a ranking
        of every file that has it). Empty when the catalogue has no lexical index yet
        (:attr:`fts_available`)."""
        if not match or not self.fts_available:
            return []
        w = ", ".join(str(float(weights.get(k, 1.0))) for k in _lexical.FIELDS)
        try:
            if among is None:
                rows = self.conn.execute(
                    f"SELECT rowid, -bm25(files_fts, {w}) AS s FROM files_fts WHERE files_fts MATCH ? ORDER BY s DESC LIMIT ?",
                    (match, int(limit))).fetchall()
            else:
                self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS fts_among(id INTEGER PRIMARY KEY)")
                self.conn.execute("DELETE FROM fts_among")
                self.conn.executemany("INSERT OR IGNORE INTO fts_among(id) VALUES (?)", [(int(i),) for i in among])
                rows = self.conn.execute(
                    f"SELECT f.rowid, -bm25(files_fts, {w}) AS s FROM files_fts AS f JOIN fts_among AS a ON f.rowid = a.id "
                    f"WHERE files_fts MATCH ? ORDER BY s DESC LIMIT ?", (match, int(limit))).fetchall()
        except sqlite3.OperationalError as exc:
            raise IndexError_(f"the lexical index of {self.path} cannot run the query {match!r} ({exc})") from None
        return [(int(r[0]), float(r[1])) for r in rows]

    def fts_search_capped(self, match: str, *, weights: dict[str, float], limit: int) -> list[tuple[int, float]] | None:
        """Like :meth:`fts_search` for the whole catalogue, but ``None`` when more than ``limit``
        rows match (such a term group is too common to rank whole). The size check reads at most
        ``limit + 1`` row ids, with no BM25 (whose IDF pass reads every doclist in full)."""
        if not match or not self.fts_available:
            return []
        try:
            n = self.conn.execute("SELECT COUNT(*) FROM (SELECT 1 FROM files_fts WHERE files_fts MATCH ? LIMIT ?)",
                                  (match, int(limit) + 1)).fetchone()[0]
        except sqlite3.OperationalError as exc:
            raise IndexError_(f"the lexical index of {self.path} cannot run the query {match!r} ({exc})") from None
        if n > limit:
            return None
        return self.fts_search(match, weights=weights, limit=limit) if n else []

    def fts_texts(self, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """``id -> FTS5 column texts`` (in :data:`sfxgen.library.lexical.FIELDS` order) of ``ids``,
        read from the FTS5 content table by primary key (no doclist is touched)."""
        out: dict[int, tuple[str, ...]] = {}
        if not self.fts_available:
            return out
        ids = [int(i) for i in ids]
        cols = ", ".join(f"c{i}" for i in range(len(_lexical.FIELDS)))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            for row in self.conn.execute(f"SELECT id, {cols} FROM files_fts_content WHERE id IN ({','.join('?' * len(chunk))})",
                                         chunk):
                out[int(row[0])] = tuple(t or "" for t in row[1:])
        return out

    def fts_count(self, match: str) -> int:
        """How many rows match an FTS5 expression (cheap: no ranking)."""
        if not match or not self.fts_available:
            return 0
        try:
            return int(self.conn.execute("SELECT COUNT(*) FROM files_fts WHERE files_fts MATCH ?", (match,)).fetchone()[0])
        except sqlite3.OperationalError as exc:
            raise IndexError_(f"the lexical index of {self.path} cannot run the query {match!r} ({exc})") from None

    def fts_fields(self, file_id: int) -> dict[str, str]:
        """The FTS5 column texts stored for ``file_id`` (empty dict if none)."""
        if not self.fts_available:
            return {}
        row = self.conn.execute(f"SELECT {', '.join(_lexical.FIELDS)} FROM files_fts WHERE rowid=?", (int(file_id),)).fetchone()
        return {} if row is None else {k: row[i] for i, k in enumerate(_lexical.FIELDS)}

    def raw_audio_vec(self, file_id: int) -> np.ndarray | None:
        row = self.conn.execute("SELECT audio_vec FROM files WHERE id=?", (int(file_id),)).fetchone()
        return None if row is None or row[0] is None else np.frombuffer(row[0], dtype=np.float32).copy()


def _vec_col(which: str) -> str:
    if which not in ("audio", "meta"):
        raise ValueError(f"vector set must be 'audio' or 'meta', got {which!r}")
    return f"{which}_vec"


class _Txn:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
        return False
