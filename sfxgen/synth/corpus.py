"""Synthetic caption corpus and starter library, rendered in parallel and resumable.

``build_corpus(out, n=..., seed=...)`` renders ``n`` patches balanced over the families
(each block of ``len(families)`` consecutive indices holds every family once, in a seeded
order), each with a random patch, a duration around the family default (±25 %) and a clip
seed, all derived from ``(seed, index)`` only — so clip ``i`` is the same whatever ``n`` is,
and a larger ``n`` extends an existing corpus. Files:

``clips/<family>/<index:06d>_<family>.flac``   48 kHz / 24-bit stereo (or ``.wav``)
``features/<family>/<index:06d>_<family>.npy``  optional 16 kHz log-mel ``(64, frames)`` float32
                                                 (the encoder's canonical front end,
                                                 :mod:`sfxgen.embed.features`)
``captions.jsonl``                               one line per clip, in index order:
                                                 ``{"path", "family", "params", "captions",
                                                 "tags", "ucs", "seed", "duration_s"}``
                                                 (+ ``"features"`` when written)

Resuming: clips are grouped into shards of :data:`SHARD_SIZE`; when every clip of a shard is
done its records go to ``.shards/shard_<k>.jsonl`` (atomically). A rerun skips shards whose
record file exists and whose files are all present with the recorded sizes (their captions
are recomputed, so ``--captions`` or caption wording changes apply without re-rendering),
re-checks other existing clips by decoding them (a truncated or unreadable file is rendered again), removes
temp files a killed run left behind, and rewrites ``captions.jsonl`` only when it changed.
A clip that fails is reported and the rest carry on.

``build_starter(out, n=300)`` writes a small, well-named library for users without one:
UCS-style WAV names such as ``METLImpt_Huge Dark Metal Clang_sfxgen_Starter_023.wav``,
48 kHz / 24-bit, with a BWF ``bext`` description (the first caption), plus the same
``captions.jsonl``.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sfxgen.errors import ParameterError, SfxgenError
from sfxgen.synth.patch import FAMILIES, FAMILY_NAMES, Patch

SAMPLE_RATE = 48000
SHARD_SIZE = 32
ORDER_BLOCK = 64 * SHARD_SIZE  # jobs sorted by room RT60 within blocks of this many (see room_ordered)
DURATION_JITTER = 0.25  # durations are default * U(1 - j, 1 + j)
STARTER_DATE = "2026-01-01"  # fixed bext origination date so starter files are byte-reproducible


@dataclass(frozen=True)
class ClipJob:
    """One clip to render: what, where (paths relative to the output folder) and how."""

    index: int
    family: str
    params: tuple[float, ...]
    seed: int
    duration_s: float
    path: str | None  # audio file; None = features only
    fmt: str = "flac"
    features_path: str | None = None
    bext: bool = False
    n_captions: int = 5

    @property
    def n_samples(self) -> int:
        return int(round(self.duration_s * SAMPLE_RATE))

    def patch(self) -> Patch:
        return Patch(self.family, np.asarray(self.params, np.float32))


@dataclass
class BuildReport:
    """What a build did: clip counts, failures ``(path, problem)``, wall time and audio length."""

    total: int
    rendered: int = 0
    reused: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    audio_s: float = 0.0
    manifest: str = ""

    @property
    def clips_per_s(self) -> float:
        return self.rendered / self.seconds if self.seconds > 0 else 0.0


# ----------------------------------------------------------------------------- planning
def _check_families(families) -> tuple[str, ...]:
    fams = tuple(families) if families else FAMILY_NAMES
    bad = [f for f in fams if f not in FAMILIES]
    if bad:
        raise ParameterError(f"unknown sound families {bad}; known: {', '.join(FAMILY_NAMES)}")
    if not fams:
        raise ParameterError("no families to render")
    return fams


SHARP_ONSET_SHARE = 0.8
"""Share of the corpus items of a family with a sharp onset (:attr:`Family.has_sharp_onset`)
whose attack slot is drawn in [-1, :data:`SHARP_ATTACK_MAX_X`] (1 .. 6.7 ms) instead of over the
whole 1 ms .. 2 s range: real footsteps, impacts, doors and weapons start within ~20 ms (dev
corpus: footstep attack 10/50/90 % = 0.00/0.02/0.23 s; uniform sampling gave renders a median
0.23 s fade-in). The rest keep the full range, so slow swells stay in the corpus."""
SHARP_ATTACK_MAX_X = -0.5


def sample_item(index: int, *, seed: int, families=None, max_duration_s: float | None = None) -> tuple[Patch, int, float]:
    """The patch, clip seed and duration (s) of corpus item ``index`` (pure function of its inputs).

    Families with a sharp onset mostly get a short attack (:data:`SHARP_ONSET_SHARE`).
    Durations are the family default ±25 %; with ``max_duration_s`` they are log-uniform between
    75 % of the default and ``max_duration_s`` (or 125 % of the default if that is longer), so
    one-shots also come with the long room tails a 3 s hero or a padded library file has."""
    fams = _check_families(families)
    k = len(fams)
    order = np.random.default_rng([int(seed), index // k, 7]).permutation(k)
    family = fams[int(order[index % k])]
    rng = np.random.default_rng([int(seed), int(index)])
    patch = Patch.random(family, rng)
    if FAMILIES[family].has_sharp_onset:  # (its own generator: other families' items stay as they were)
        onset = np.random.default_rng([int(seed), int(index), 13])
        if onset.random() < SHARP_ONSET_SHARE:
            patch = patch.with_params(attack=float(onset.uniform(-1.0, SHARP_ATTACK_MAX_X)))
    base = FAMILIES[family].default_duration_s
    if max_duration_s is None:
        dur = float(np.clip(base * rng.uniform(1 - DURATION_JITTER, 1 + DURATION_JITTER), 0.25, 30.0))
    else:
        lo, hi = base * (1 - DURATION_JITTER), max(float(max_duration_s), base * (1 + DURATION_JITTER))
        dur = float(np.clip(np.exp(rng.uniform(np.log(lo), np.log(hi))), 0.25, 30.0))
    return patch, int(rng.integers(0, 2**31 - 1)), round(dur, 3)


def plan_corpus(n: int, *, seed: int = 0, families=None, fmt: str = "flac", features: bool = False,
                audio: bool = True, n_captions: int = 5, max_duration_s: float | None = None) -> list[ClipJob]:
    """The jobs of a corpus of ``n`` clips (see module docstring for the layout)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(f"--n must be a positive number of clips, got {n!r}")
    if fmt not in ("flac", "wav"):
        raise ParameterError(f"unsupported clip format {fmt!r}; use flac or wav")
    if not audio and not features:
        raise ParameterError("nothing to write: with no audio, ask for --features")
    jobs = []
    for i in range(int(n)):
        patch, cseed, dur = sample_item(i, seed=seed, families=families, max_duration_s=max_duration_s)
        stem = f"{i:06d}_{patch.family}"
        jobs.append(ClipJob(
            index=i, family=patch.family, params=tuple(float(v) for v in patch.params), seed=cseed,
            duration_s=dur, path=f"clips/{patch.family}/{stem}.{fmt}" if audio else None, fmt=fmt,
            features_path=f"features/{patch.family}/{stem}.npy" if features else None,
            n_captions=n_captions,
        ))
    return jobs


def plan_starter(n: int = 300, *, seed: int = 0, families=None) -> list[ClipJob]:
    """Jobs of the starter library: ``n`` clips over the families (default all), UCS-style WAV names.

    Patches are random like the corpus's, except that one-shots keep a fast attack (a few ms), as
    library one-shots start on their transient.
    """
    from sfxgen.synth.captions import fx_title, ucs_catid
    from sfxgen.ucs import ucs_filename

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(f"--n must be a positive number of clips, got {n!r}")
    jobs = []
    for i in range(int(n)):
        patch, cseed, dur = sample_item(i, seed=seed + 1_000_003, families=families)
        if patch.info.kind == "oneshot":  # library one-shots start on their transient
            r = np.random.default_rng([int(seed), i, 11])
            patch = patch.with_params(attack=float(r.uniform(-1.0, -0.6)))
        title = fx_title(patch, seed=i, duration_s=dur)
        name = ucs_filename(ucs_catid(patch), title, creator="sfxgen", source="Starter", user_data=f"{i + 1:03d}")
        jobs.append(ClipJob(
            index=i, family=patch.family, params=tuple(float(v) for v in patch.params), seed=cseed,
            duration_s=dur, path=name, fmt="wav", bext=True,
        ))
    return jobs


# ----------------------------------------------------------------------------- worker
def _valid_audio(path: Path, n_samples: int) -> bool:
    """True when ``path`` decodes completely to ``n_samples`` stereo frames."""
    import soundfile as sf

    try:
        with sf.SoundFile(str(path)) as f:
            if f.samplerate != SAMPLE_RATE or f.channels != 2 or f.frames != n_samples:
                return False
            data = f.read(dtype="float32")
        return data.shape[0] == n_samples and bool(np.isfinite(data).all())
    except Exception:  # noqa: BLE001 - any decode failure means "render again"
        return False


def _valid_npy(path: Path) -> bool:
    try:
        a = np.load(str(path), mmap_mode="r")
        return a.ndim == 2 and a.shape[1] > 0
    except Exception:  # noqa: BLE001
        return False


def _save_npy(path: Path, arr: np.ndarray) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    with open(tmp, "wb") as f:
        np.save(f, arr)
    os.replace(tmp, path)


def _record(job: ClipJob) -> dict:
    from sfxgen.synth.captions import caption_patch

    patch = job.patch()
    caps = caption_patch(patch, n=job.n_captions, seed=job.seed, duration_s=job.duration_s)
    rec = {
        "path": job.path,
        "family": job.family,
        "params": patch.to_dict()["params"],
        "captions": caps.captions,
        "tags": caps.tags,
        "ucs": caps.ucs,
        "seed": job.seed,
        "duration_s": job.duration_s,
    }
    if job.features_path:
        rec["features"] = job.features_path
    return rec


def run_job(job: ClipJob, out: str) -> tuple[int, dict | None, str | None, bool]:
    """Render (or reuse) one clip. Returns ``(index, record, error, rendered)``."""
    try:
        root = Path(out)
        rec = _record(job)
        apath = root / job.path if job.path else None
        fpath = root / job.features_path if job.features_path else None
        need_audio = apath is not None and not _valid_audio(apath, job.n_samples)
        need_feat = fpath is not None and not _valid_npy(fpath)
        audio = None
        if need_audio or need_feat:
            from sfxgen.synth import render

            audio = render(job.patch(), duration_s=job.duration_s, sample_rate=SAMPLE_RATE, seed=job.seed)
        if need_audio:
            from sfxgen.audio import Bext, write_audio

            apath.parent.mkdir(parents=True, exist_ok=True)
            bext = None
            if job.bext:
                bext = Bext(description=rec["captions"][0][:256], originator="sfxgen",
                            originator_reference=f"sfxgen-starter-{job.index:04d}-{job.seed}",
                            origination_date=STARTER_DATE, origination_time="00:00:00",
                            coding_history=f"A=PCM,F={SAMPLE_RATE},W=24,M=stereo,T=sfxgen synth {job.family}")
            write_audio(apath, audio, SAMPLE_RATE, bit_depth=24, fmt=job.fmt, bext=bext)
        if need_feat:
            from sfxgen.embed.features import clip_logmel

            fpath.parent.mkdir(parents=True, exist_ok=True)
            _save_npy(fpath, clip_logmel(audio, SAMPLE_RATE).astype(np.float32))
        sizes = {}
        for key, p in (("path", apath), ("features", fpath)):
            if p is not None:
                sizes[key] = p.stat().st_size
        rec["_bytes"] = sizes
        return job.index, rec, None, bool(need_audio or need_feat)
    except SfxgenError as exc:
        return job.index, None, str(exc), False
    except Exception as exc:  # noqa: BLE001 - a batch job reports and carries on
        return job.index, None, f"{type(exc).__name__}: {exc}", False


def _init_worker():
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        import torch  # noqa: F401 - only if already importable; features use it

        torch.set_num_threads(1)
    except Exception:  # noqa: BLE001
        pass


def _star(args):
    return run_job(*args)


# ----------------------------------------------------------------------------- build
def _shard_path(root: Path, k: int) -> Path:
    return root / ".shards" / f"shard_{k:05d}.jsonl"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _shard_done(root: Path, k: int, jobs: list[ClipJob]) -> list[dict] | None:
    """The shard's records if its record file matches ``jobs`` and every file is intact by size."""
    p = _shard_path(root, k)
    if not p.is_file():
        return None
    try:
        recs = [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError):
        return None
    if len(recs) != len(jobs):
        return None
    fresh = []
    for rec, job in zip(recs, jobs):
        if rec.get("path") != job.path or rec.get("seed") != job.seed or rec.get("features") != job.features_path:
            return None
        sizes = rec.get("_bytes", {})
        for key, size in sizes.items():
            f = root / rec[key]
            if not f.is_file() or f.stat().st_size != size:
                return None
        new = _record(job)  # captions follow the current caption code without re-rendering
        new["_bytes"] = sizes
        fresh.append(new)
    return fresh


def _clean_parts(root: Path) -> None:
    for sub in ("clips", "features", ".shards", "."):
        d = root / sub
        if not d.is_dir():
            continue
        pattern = "*.part" if sub == "." else "**/.*.part"
        for p in d.glob(pattern):
            if p.name.startswith(".") and p.name.endswith(".part"):
                try:
                    p.unlink()
                except OSError:
                    pass


def room_ordered(jobs: list[ClipJob], *, block: int = ORDER_BLOCK) -> list[ClipJob]:
    """``jobs`` in blocks of ``block`` consecutive shards' worth, each block sorted by RT60.

    The renderer caches its room impulse responses (built per quantised RT60, costlier than the
    rest of a typical render); handing each worker runs of similar RT60s lets that cache hit
    instead of rebuilding an IR for nearly every random patch. Blocks keep shards completing
    (and being recorded for resuming) as the build goes.
    """
    def key(j: ClipJob):
        return (j.index // block, j.patch().physical().rt60_s, j.index)

    return sorted(jobs, key=key)


def run_jobs(jobs: list[ClipJob], out, *, workers: int | None = None, progress: bool = True,
             desc: str = "rendering", room_order: bool = True) -> BuildReport:
    """Render ``jobs`` into ``out`` in parallel (resumable), write ``captions.jsonl``.

    ``room_order`` renders in :func:`room_ordered` order (same files, faster).
    """
    root = Path(out)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError(f"{root}: cannot create the output folder ({exc.strerror or exc})") from None
    _clean_parts(root)
    t0 = time.perf_counter()
    report = BuildReport(total=len(jobs))
    shards: dict[int, list[ClipJob]] = {}
    for j in jobs:
        shards.setdefault(j.index // SHARD_SIZE, []).append(j)
    done: dict[int, list[dict]] = {}
    todo: list[ClipJob] = []
    for k, sj in shards.items():
        recs = _shard_done(root, k, sj)
        if recs is not None:
            done[k] = recs
            report.reused += len(sj)
        else:
            todo.extend(sj)
    results: dict[int, dict] = {}
    pending = {k: len(sj) for k, sj in shards.items() if k not in done}

    def collect(index, rec, err, rendered):
        job = by_index[index]
        k = index // SHARD_SIZE
        if err is not None:
            report.failed.append((job.path or job.features_path or str(index), err))
        else:
            results[index] = rec
            if rendered:
                report.rendered += 1
                report.audio_s += job.duration_s
            else:
                report.reused += 1
        pending[k] -= 1
        if pending[k] == 0 and all(j.index in results for j in shards[k]):
            recs = [results[j.index] for j in shards[k]]
            _write_atomic(_shard_path(root, k), "".join(json.dumps(r) + "\n" for r in recs))
            done[k] = recs

    by_index = {j.index: j for j in todo}
    if room_order:
        todo = room_ordered(todo)
    nworkers = max(1, min(int(workers or os.cpu_count() or 1), len(todo) or 1))
    bar = None
    if progress and todo:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), desc=desc, unit="clip", dynamic_ncols=True)
    try:
        if nworkers == 1 or len(todo) <= 1:
            for j in todo:
                collect(*run_job(j, str(root)))
                if bar:
                    bar.update(1)
        elif todo:
            import multiprocessing as mp

            with mp.get_context("fork" if os.name == "posix" else "spawn").Pool(nworkers, initializer=_init_worker) as pool:
                for res in pool.imap_unordered(_star, [(j, str(root)) for j in todo], chunksize=1):
                    collect(*res)
                    if bar:
                        bar.update(1)
    finally:
        if bar:
            bar.close()
    lines = []
    for k in sorted(shards):
        for rec in done.get(k, []):
            lines.append(json.dumps({key: v for key, v in rec.items() if not key.startswith("_")}) + "\n")
    manifest = root / "captions.jsonl"
    text = "".join(lines)
    try:
        old = manifest.read_text(encoding="utf-8") if manifest.is_file() else None
    except OSError:
        old = None
    if old != text:
        _write_atomic(manifest, text)
    report.manifest = str(manifest)
    report.failed.sort()
    report.seconds = time.perf_counter() - t0
    return report


def build_corpus(out, *, n: int, seed: int = 0, workers: int | None = None, fmt: str = "flac",
                 features: bool = False, audio: bool = True, families=None, n_captions: int = 5,
                 progress: bool = True, max_duration_s: float | None = None) -> BuildReport:
    """Render an ``n``-clip caption corpus into ``out`` (see module docstring)."""
    if features:
        try:
            import sfxgen.embed.features  # noqa: F401
        except ImportError as exc:
            raise ParameterError(f"--features needs sfxgen.embed.features ({exc})") from None
    if max_duration_s is not None and not 0.25 <= max_duration_s <= 30.0:
        raise ParameterError(f"--max-duration must be between 0.25 and 30 seconds, got {max_duration_s}")
    jobs = plan_corpus(n, seed=seed, families=families, fmt=fmt, features=features, audio=audio,
                       n_captions=n_captions, max_duration_s=max_duration_s)
    return run_jobs(jobs, out, workers=workers, progress=progress, desc="corpus")


def build_starter(out, *, n: int = 300, seed: int = 0, workers: int | None = None, families=None,
                  progress: bool = True) -> BuildReport:
    """Write the starter library (UCS-named 48 kHz / 24-bit WAVs with bext) into ``out``."""
    return run_jobs(plan_starter(n, seed=seed, families=families), out, workers=workers, progress=progress,
                    desc="starter")


__all__ = ["BuildReport", "ClipJob", "build_corpus", "build_starter", "plan_corpus", "plan_starter",
           "run_job", "run_jobs", "sample_item"]
