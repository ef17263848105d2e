"""The sound-library index: scan, metadata, SQLite catalogue, faiss vectors, search.

Public API (all results are dataclasses)::

    from sfxgen.library import Library, SearchFilters
    lib = Library.open("library_index", embedder=None)   # default models load on first use
    lib.index(["/sfx"])          -> IndexSummary
    lib.search("glass smash")    -> list[SearchHit]   (hit.score: calibrated relevance in [0, 1])
    lib.search_detailed("explosion, not metallic") -> SearchOutcome (hits + how the query was read)
    lib.similar("/sfx/a.wav")    -> list[SearchHit]
    lib.get(id)                  -> FileRecord | None
    lib.stats()                  -> LibraryStats

Heavy modules (faiss, torch) load only when an index is opened or searched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = [
    "Library", "LibraryStats", "SearchOutcome", "IndexSummary", "IndexFailure", "IndexProgress", "IndexConfig",
    "SearchHit", "SearchFilters", "FileRecord", "StoreInfo",
]

_WHERE = {
    "Library": "api", "LibraryStats": "api", "SearchOutcome": "api",
    "IndexSummary": "indexer", "IndexFailure": "indexer", "IndexProgress": "indexer", "IndexConfig": "indexer",
    "SearchHit": "search", "SearchFilters": "search",
    "FileRecord": "catalog", "StoreInfo": "vectors",
}

if TYPE_CHECKING:  # pragma: no cover
    from sfxgen.library.api import Library, LibraryStats, SearchOutcome
    from sfxgen.library.catalog import FileRecord
    from sfxgen.library.indexer import IndexConfig, IndexFailure, IndexProgress, IndexSummary
    from sfxgen.library.search import SearchFilters, SearchHit
    from sfxgen.library.vectors import StoreInfo


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"sfxgen.library.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'sfxgen.library' has no attribute {name!r}")
