"""Library search benchmark: query latency of exact vs approximate indexes, and index build
throughput on the dev corpus — in one run.

Part 1 (synthetic, for scale): unit vectors drawn from a mixture of Gaussian clusters (like
real embeddings: many sound families with spread) at 10k, 100k and 1M vectors. For each size the
library's own :class:`sfxgen.library.vectors.VectorStore` is built twice — exact
(``IndexIDMap2(IndexFlatIP)``, the named **baseline**) and approximate (IVF, nprobe tuned by the
store for recall@10 ≥ 0.95) — and single-query latency p50/p95 (one thread, queries are fresh
points, not stored ones) plus recall@10 of the approximate index against the exact one are
printed with the speed-up ratio against the baseline. Recall is also given for "far" queries
(cosine ≈ 0.3 to their family, like text queries against audio vectors across the modality gap),
which IVF serves worse at the same nprobe.

Part 2 (dev corpus): ``Library.index`` over the real corpus with the default embedder
(``--model``), in clips/s including decode, against the named baseline "decode only"
(``read_audio`` of the same files' analysis section, same thread count) measured in the same run,
once before and once after the build (their mean is the baseline: the load of a shared machine
drifts). CPU time per clip of both is printed too; it depends far less on other jobs' load.

    python bench/search.py                      # all sizes + corpus (if present)
    python bench/search.py --sizes 10000,100000 --no-corpus
    python bench/search.py --json out.json

Part 3 (``--ranking``, synthetic catalogue): the whole ranking of a query as ``sfxgen search``
runs it after the text is embedded — audio and metadata IVF pools, pseudo-relevance feedback,
FTS5/BM25 over file-name words, exact evidence of every candidate, the fitted relevance model,
duplicate collapsing — on a catalogue of N rows with library-like names, against the baseline
"vector search alone" (one IVF query) measured in the same run. Wall-clock and CPU (thread) time
are both printed: on a shared machine the wall-clock p50 swings with other jobs' load, the CPU
time is what one quiet core would take.

Goals (issues #5, #18): p50 ≤ 10 ms at 100k, ≤ 5 ms at 1M with recall@10 ≥ 0.95; build ≥ 200 clips/s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def clustered_vectors(n: int, dim: int, *, seed: int, library_size: int | None = None, n_top: int = 100, family_size: int = 200,
                      sub_spread: float = 1.0, spread: float = 1.5) -> np.ndarray:
    """``(n, dim)`` unit vectors shaped like a sound library's embeddings: ``n_top`` broad
    categories, each holding "families" of ~``family_size`` similar sounds (sub-centres at
    ``sub_spread`` from their category), and per-sound noise of relative size ``spread`` — so
    near neighbours cross family boundaries, as with real clips. Deterministic per ``seed``
    (the centres depend only on ``library_size``, default ``n``, so queries drawn with another
    seed and the same ``library_size`` come from the same families)."""
    size = library_size or n
    cr = np.random.default_rng(12345 + size)
    top = cr.standard_normal((n_top, dim)).astype(np.float32)
    top /= np.linalg.norm(top, axis=1, keepdims=True)
    n_fam = max(n_top, size // family_size)
    fam = top[cr.integers(0, n_top, n_fam)] + cr.standard_normal((n_fam, dim)).astype(np.float32) * (sub_spread / np.sqrt(dim))
    fam /= np.linalg.norm(fam, axis=1, keepdims=True)
    rng = np.random.default_rng(seed)
    out = np.empty((n, dim), np.float32)
    for i in range(0, n, 100_000):
        m = min(100_000, n - i)
        x = fam[rng.integers(0, n_fam, m)] + rng.standard_normal((m, dim)).astype(np.float32) * (spread / np.sqrt(dim))
        out[i : i + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def latencies_ms(store, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
    ids, times = [], []
    store.search(queries[:1], k)  # warm-up
    for q in queries:
        t = time.perf_counter()
        _, i = store.search(q[None], k)
        times.append((time.perf_counter() - t) * 1000.0)
        ids.append(i[0])
    return np.array(times), np.stack(ids)


def bench_scale(sizes, dim: int, n_queries: int, threads: int) -> list[dict]:
    import faiss

    from sfxgen.library.vectors import VectorStore, measure_recall

    rows = []
    for n in sizes:
        faiss.omp_set_num_threads(threads)
        t0 = time.perf_counter()
        x = clustered_vectors(n, dim, seed=1)
        q = clustered_vectors(n_queries, dim, seed=2, library_size=n)
        # far queries: like text queries against audio vectors (the modality gap), cos ≈ 0.3
        q_far = clustered_vectors(n_queries, dim, seed=3, library_size=n, spread=4.0)
        ids = np.arange(1, n + 1, dtype=np.int64)
        tmp = Path(tempfile.mkdtemp(prefix="sfxgen_bench_"))
        try:
            exact = VectorStore(tmp, "exact", dim, approx_threshold=n + 1)
            exact.add(ids, x)
            approx = VectorStore(tmp, "approx", dim, approx_threshold=1)
            tb = time.perf_counter()
            approx.build_ivf(ids, x)
            build_s = time.perf_counter() - tb
            del x
            faiss.omp_set_num_threads(1)  # single-query latency, one core
            n_exact_q = n_queries if n <= 100_000 else max(30, n_queries // 5)
            t_exact, i_exact = latencies_ms(exact, q[:n_exact_q])
            t_apx, i_apx = latencies_ms(approx, q)
            recall = measure_recall(i_exact, i_apx[:n_exact_q])
            _, i_exact_far = latencies_ms(exact, q_far[: min(n_exact_q, 50)])
            _, i_apx_far = latencies_ms(approx, q_far[: min(n_exact_q, 50)])
            recall_far = measure_recall(i_exact_far, i_apx_far)
            row = {
                "vectors": n, "dim": dim,
                "exact_p50_ms": float(np.percentile(t_exact, 50)), "exact_p95_ms": float(np.percentile(t_exact, 95)),
                "approx_kind": approx.info.kind, "nlist": approx.info.nlist, "nprobe": approx.info.nprobe,
                "approx_p50_ms": float(np.percentile(t_apx, 50)), "approx_p95_ms": float(np.percentile(t_apx, 95)),
                "recall_at_10": recall, "recall_at_10_far_queries": recall_far, "build_recall_at_10": approx.info.recall_at_10,
                "approx_build_s": build_s, "total_s": time.perf_counter() - t0,
            }
            row["speedup_p50"] = row["exact_p50_ms"] / max(row["approx_p50_ms"], 1e-9)
            rows.append(row)
            print(f"{n:>9,d} vecs  exact(baseline) p50 {row['exact_p50_ms']:7.2f} ms p95 {row['exact_p95_ms']:7.2f} ms | "
                  f"IVF{row['nlist']} nprobe {row['nprobe']:3d} p50 {row['approx_p50_ms']:6.2f} ms p95 {row['approx_p95_ms']:6.2f} ms "
                  f"| recall@10 {recall:.3f} (far queries {recall_far:.3f}) | {row['speedup_p50']:.1f}x faster than exact | build {build_s:.0f} s", flush=True)
            del exact, approx
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return rows


def corpus_files(corpus: Path, limit: int | None) -> list[str]:
    from sfxgen.audio import AUDIO_EXTENSIONS

    files = []
    for dirpath, dirnames, names in os.walk(corpus):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(("_", ".")))
        files += [os.path.join(dirpath, f) for f in sorted(names) if os.path.splitext(f)[1].lower() in AUDIO_EXTENSIONS]
    return files[:limit] if limit else files


def bench_build(corpus: Path, model: str | None, limit: int | None, workers: int) -> dict:
    from concurrent.futures import ThreadPoolExecutor

    from sfxgen.audio import read_audio
    from sfxgen.errors import AudioReadError
    from sfxgen.library import IndexConfig, Library

    files = corpus_files(corpus, limit)
    cfg = IndexConfig(workers=workers)

    def decode(p):
        try:
            read_audio(p, max_duration_s=cfg.analysis_max_s)
        except AudioReadError:
            pass

    def decode_only() -> tuple[float, float]:  # (clips/s, CPU ms per clip)
        t, c = time.perf_counter(), time.process_time()
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(decode, files))
        return len(files) / (time.perf_counter() - t), (time.process_time() - c) / len(files) * 1000

    decode_before, decode_cpu = decode_only()
    tmp = Path(tempfile.mkdtemp(prefix="sfxgen_bench_idx_"))
    # index a folder of links so --limit works on any corpus layout
    lib_dir = tmp / "lib"
    lib_dir.mkdir()
    for i, f in enumerate(files):
        os.symlink(f, lib_dir / f"{i:06d}_{os.path.basename(f)}")
    try:
        from sfxgen.embed import get_embedder, get_text_encoder

        emb, enc = get_embedder(model), get_text_encoder()
        # load/warm outside the timing: the models, and one-time imports / lazy set-up of every
        # stage (scipy.signal for the loudness meter alone takes 0.5-0.9 s here) by indexing one file
        t_warm = time.perf_counter()
        warm_dir = tmp / "warm"
        warm_dir.mkdir()
        os.symlink(files[0], warm_dir / os.path.basename(files[0]))
        warm = Library.open(tmp / "warm_index", embedder=emb, text_encoder=enc)
        warm.index([warm_dir], progress=False, config=cfg)
        warm.close()
        warm_s = time.perf_counter() - t_warm
        lib = Library.open(tmp / "index", embedder=emb, text_encoder=enc)
        t, c = time.perf_counter(), time.process_time()
        s = lib.index([lib_dir], progress=False, config=cfg)
        el, cpu = time.perf_counter() - t, time.process_time() - c
        lib.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    decode_after, _ = decode_only()  # the machine's load drifts: the baseline brackets the build
    decode_rate = (decode_before + decode_after) / 2
    rate = (s.indexed + len(s.failed)) / el
    import torch

    row = {"clips": len(files), "indexed": s.indexed, "failed": len(s.failed), "seconds": el, "clips_per_s": rate,
           "decode_only_clips_per_s": decode_rate, "decode_only_before_after": [decode_before, decode_after],
           "ratio_vs_decode_only": rate / decode_rate, "build_cpu_ms_per_clip": cpu / len(files) * 1000,
           "decode_only_cpu_ms_per_clip": decode_cpu, "warmup_s": warm_s, "model_id": emb.model_id, "workers": workers,
           "torch_threads": torch.get_num_threads(), "omp_num_threads": os.environ.get("OMP_NUM_THREADS")}
    print(f"build on {len(files)} dev-corpus clips ({emb.model_id}, {workers} workers, torch threads "
          f"{row['torch_threads']}, OMP_NUM_THREADS={row['omp_num_threads'] or 'unset'}): {rate:.1f} clips/s incl. decode, "
          f"embed, metadata, commit | baseline decode-only {decode_rate:.1f} clips/s (before {decode_before:.1f}, after "
          f"{decode_after:.1f}) | ratio {row['ratio_vs_decode_only']:.2f} | CPU {row['build_cpu_ms_per_clip']:.2f} vs "
          f"{decode_cpu:.2f} ms/clip | untimed warm-up (models + 1-file index) {warm_s:.1f} s", flush=True)
    return row


def _vocabulary() -> tuple[list[str], np.ndarray]:
    """Library-like naming words (the UCS list's synonyms, ~8k) with Zipf(1.1) frequencies:
    a few words ("door", "hit") name many files, most name few, as in real libraries."""
    from sfxgen.ucs import load_ucs

    words = sorted({s for c in load_ucs().categories for s in c.synonyms if s.isalpha()})
    rng = np.random.default_rng(7)
    rng.shuffle(words)
    p = 1.0 / np.arange(1, len(words) + 1) ** 1.1
    return words, p / p.sum()


def bench_ranking(n: int, *, dim: int, n_queries: int, threads: int) -> dict:
    """p50/p95 of ``Searcher.rank`` (hybrid, 3-word queries) on an ``n``-row catalogue."""
    import faiss

    from sfxgen.library.catalog import Catalog, FileRecord
    from sfxgen.library.lexical import concepts
    from sfxgen.library.search import Searcher
    from sfxgen.library.vectors import VectorStore

    rng = np.random.default_rng(5)
    vocab, freq = _vocabulary()
    tmp = Path(tempfile.mkdtemp(prefix="sfxgen_bench_rank_"))
    try:
        faiss.omp_set_num_threads(threads)
        t0 = time.perf_counter()
        audio = clustered_vectors(n, dim, seed=1)
        meta = clustered_vectors(n, dim, seed=4)
        cat = Catalog(tmp)
        names = rng.choice(len(vocab), size=(n, 3), p=freq)
        with cat.transaction():
            for i in range(n):
                w = [vocab[k] for k in names[i]]
                cat.insert(FileRecord(path=f"/lib/{w[0]}/{w[0].title()}{w[1].title()}_{w[2]}_{i % 97:02d}.wav",
                                      sha1=f"{i:040x}", duration_s=float(rng.uniform(0.2, 20)), channels=2,
                                      loudness_lufs=float(rng.uniform(-40, -12))))
        ids = np.arange(1, n + 1, dtype=np.int64)
        stores = []
        for name, vecs in (("audio", audio), ("meta", meta)):
            st = VectorStore(tmp, name, dim, approx_threshold=1)
            st.build_ivf(ids, vecs)
            stores.append(st)
        build_s = time.perf_counter() - t0
        faiss.omp_set_num_threads(1)
        searcher = Searcher(cat, stores[0], stores[1], reference=(audio[:2048], meta[:2048]))
        qa = clustered_vectors(n_queries, dim, seed=3, library_size=n, spread=4.0)
        qm = clustered_vectors(n_queries, dim, seed=6, library_size=n, spread=2.0)
        texts = [" ".join(vocab[k] for k in rng.choice(len(vocab), size=3, p=freq)) for _ in range(n_queries)]
        searcher.rank(audio_query=qa[0], meta_query=qm[0], concepts=concepts(texts[0]), top_k=10)  # warm-up
        t_rank, t_vec, c_rank, c_vec = [], [], [], []
        for a, m, t in zip(qa, qm, texts):
            t1, c1 = time.perf_counter(), time.thread_time()
            stores[0].search(a[None], 10)
            t_vec.append((time.perf_counter() - t1) * 1000)
            c_vec.append((time.thread_time() - c1) * 1000)
            t1, c1 = time.perf_counter(), time.thread_time()
            searcher.rank(audio_query=a, meta_query=m, concepts=concepts(t), top_k=10, mode="hybrid")
            t_rank.append((time.perf_counter() - t1) * 1000)
            c_rank.append((time.thread_time() - c1) * 1000)
        cat.close()
        row = {"rows": n, "rank_p50_ms": float(np.percentile(t_rank, 50)), "rank_p95_ms": float(np.percentile(t_rank, 95)),
               "vector_only_p50_ms": float(np.percentile(t_vec, 50)), "build_s": build_s,
               "rank_cpu_p50_ms": float(np.percentile(c_rank, 50)), "vector_only_cpu_p50_ms": float(np.percentile(c_vec, 50)),
               "load_average_1min": os.getloadavg()[0]}
        row["ratio_vs_vector_only"] = row["rank_p50_ms"] / max(row["vector_only_p50_ms"], 1e-9)
        print(f"{n:>9,d} rows  full hybrid ranking p50 {row['rank_p50_ms']:6.2f} ms p95 {row['rank_p95_ms']:6.2f} ms | "
              f"baseline vector search alone p50 {row['vector_only_p50_ms']:5.2f} ms | ratio {row['ratio_vs_vector_only']:.1f}x "
              f"| CPU p50 {row['rank_cpu_p50_ms']:.2f} ms (vector alone {row['vector_only_cpu_p50_ms']:.3f}; what a quiet "
              f"core would take) | load average {row['load_average_1min']:.1f} | catalogue + IVF build {build_s:.0f} s", flush=True)
        return row
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--dim", type=int, default=384, help="vector size (384 = sfxgen-clap-small and MiniLM)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--threads", type=int, default=2, help="threads for building (queries use one)")
    ap.add_argument("--corpus", default=None, help="dev corpus folder (default ~/.cache/sfxgen/devcorpus)")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--limit", type=int, default=None, help="index at most this many corpus clips")
    ap.add_argument("--model", default=None, help="embedding model for the build benchmark")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", default=None, help="write results to this JSON file")
    ap.add_argument("--ranking", default="", help="comma list of catalogue sizes for the full-ranking benchmark (part 3)")
    ap.add_argument("--no-scale", action="store_true", help="skip part 1")
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch

    torch.set_num_threads(max(1, args.threads))
    print(f"machine: {os.cpu_count()} CPUs; queries single-threaded, dim {args.dim}", flush=True)
    out = {} if args.no_scale else {"scale": bench_scale([int(s) for s in args.sizes.split(",") if s], args.dim, args.queries, args.threads)}
    if args.ranking:
        out["ranking"] = [bench_ranking(int(n), dim=args.dim, n_queries=args.queries, threads=args.threads)
                          for n in args.ranking.split(",") if n]
    if not args.no_corpus:
        from sfxgen.paths import cache_dir

        corpus = Path(args.corpus) if args.corpus else cache_dir() / "devcorpus"
        if corpus.is_dir():
            try:
                out["build"] = bench_build(corpus, args.model, args.limit, args.workers)
            except Exception as exc:  # e.g. the default model is not trained yet
                print(f"build benchmark not run: {exc}", flush=True)
                out["build"] = {"error": str(exc)}
        else:
            print(f"build benchmark not run: no corpus at {corpus}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
