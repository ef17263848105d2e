"""The service facade: one object that the UI, the CLI and the HTTP API all call.

    svc = SfxgenService()                                   # embedded models, default index
    gen = svc.generate("metal door slam", variations=4, seed=-1)   # -> GenerateResult (WAVs + PNGs)
    hero = gen.candidates[0].hero                            # JSON-ready spec of one candidate
    edited = svc.edit_hero(hero, {"size": 0.8, "space": "+=0.3"})
    svc.index(["/sfx"], on_progress=print)                   # -> IndexReport
    hits = svc.search("glass smash", mode="hybrid").hits      # -> SearchResult
    recipe = svc.use_as_hero(None, hero)                      # recipe with the hero as layer 1
    recipe = svc.add_layer(recipe, hits[0].id, role="texture")
    prev = svc.render_recipe(recipe)                          # -> PreviewResult (mix WAV, loudness, QC)
    pkg = svc.export(recipe)                                  # -> ExportResult (zip of the package)

Nothing here is DSP or model code: the facade loads models lazily (first call), keeps them
shared between requests, serialises access to the library, and gives every request its own
output folder (``tempfile.mkdtemp`` under ``output_root``; no shared file names), deleting
folders older than ``max_age_s``. Heroes and recipes cross the API as plain JSON (a hero *spec*
dict and a recipe dict), so every call is stateless and replayable.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from sfxgen.errors import IndexError_, ParameterError, RecipeError

#: Request folders older than this are deleted (seconds).
DEFAULT_MAX_AGE_S = 2 * 3600.0
#: How often (at most) a new request triggers a clean-up sweep (seconds).
CLEANUP_EVERY_S = 60.0
#: Name prefix of request folders (clean-up touches nothing else in ``output_root``).
REQUEST_PREFIX = "sfxreq-"
#: Longest library file section decoded for an audition preview (seconds).
AUDITION_MAX_S = 30.0
from sfxgen.layering.rules import LAYER_COLUMNS, format_eq, parse_eq  # noqa: E402,F401  (re-exported)
from sfxgen.layering.rules import number_in_range as _num  # noqa: E402
from sfxgen.layering.rules import recipe_obj as _recipe_obj  # noqa: E402


# ------------------------------------------------------------------------------------ results
@dataclass
class CandidateInfo:
    """One generated (or edited) hero as files: ``audio_path`` (48 kHz WAV) and a spectrogram PNG.

    ``hero`` is the JSON-ready spec that :meth:`SfxgenService.edit_hero`,
    :meth:`~SfxgenService.more_like_this` and :meth:`~SfxgenService.use_as_hero` take back.
    ``params`` maps the patch's named parameters to normalised values in [-1, 1].
    """

    index: int
    seed: int
    audio_path: str
    spectrogram_path: str | None
    duration_s: float
    score: float | None
    family: str | None
    family_confidence: float | None
    params: dict[str, float]
    hero: dict

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class GenerateResult:
    """A generate / more-like-this call: the resolved settings and the candidates, best first."""

    request_dir: str
    prompt: str
    negative_prompt: str | None
    seed: int
    model_id: str
    duration_s: float | None
    steps: int
    guidance: float
    candidates: list[CandidateInfo]
    family_match: dict | None = None  # composed-hero model: how well any family fits the words

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class IndexReport:
    """What an index run did (``summary`` is the CLI's ``--json`` summary) and the index size."""

    summary: dict
    failures: list[dict]
    stats: dict

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SearchResult:
    """Hits of a description / by-example search, best first."""

    query: str
    mode: str
    hits: list  # list[sfxgen.library.SearchHit]
    notes: list = field(default_factory=list)  # how the query was understood (negation, duration...)

    def to_dict(self) -> dict:
        return {"query": self.query, "mode": self.mode, "hits": [h.to_dict() for h in self.hits], "notes": list(self.notes)}


@dataclass
class AuditionResult:
    """A browser-playable preview copy of a catalogued file, and its catalogue row."""

    file_id: int
    audio_path: str
    record: dict

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class DesignOutput:
    """An auto-designed recipe (not rendered) and what the designer picked."""

    recipe: dict
    picks: list[dict]
    hero_model_id: str
    hero_score: float | None
    request_dir: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class PreviewResult:
    """A rendered recipe: mastered mix WAV, its loudness against the preset, QC, a picture."""

    request_dir: str
    mix_path: str
    picture_path: str | None
    recipe: dict
    preset: dict
    loudness: dict
    master_gain_db: float
    met_target: bool
    reason: str | None
    headroom_db: float
    qc: dict
    qc_text: str
    verdict: dict = field(default_factory=dict)  # DeliveryPreset.judge of the mix

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ExportResult:
    """A delivery package written to ``package_dir`` and zipped to ``zip_path``."""

    request_dir: str
    zip_path: str
    package_dir: str
    manifest: dict
    qc_text: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class LoudnessReport:
    """Loudness of a file, and how far it sits from a delivery preset's target."""

    path: str
    loudness: dict
    preset: dict
    offset_lu: float | None  # measured - target (None when unmeasurable)
    within_tolerance: bool | None
    true_peak_ok: bool | None

    def to_dict(self) -> dict:
        return asdict(self)


# ------------------------------------------------------------------------------------ helpers
class _LockedLibrary:
    """Read-only view of a Library whose searches hold the service's library lock."""

    def __init__(self, service: "SfxgenService"):
        self._svc = service

    def search(self, *args, **kwargs):
        with self._svc._lib_lock:
            return self._svc.library.search(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._svc.library, name)


def _resolve_seed(seed) -> int:
    """``None`` / ``-1`` -> a fresh random seed; otherwise the whole number given."""
    if isinstance(seed, float) and seed.is_integer():
        seed = int(seed)
    if seed is None or seed == -1:
        return int.from_bytes(os.urandom(4), "little") >> 2
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ParameterError(f"seed must be a whole number ≥ 0 (or -1 for random), got {seed!r}")
    return seed


def _spectrogram_png(path: Path, audio, sample_rate: int, title: str) -> Path:
    """The UI's candidate picture (:func:`sfxgen.plots.spectrogram_png`), written atomically."""
    from sfxgen.plots import spectrogram_png

    return spectrogram_png(path, audio, sample_rate, title=title)


# ------------------------------------------------------------------------------------ service
class SfxgenService:
    """The facade over generation, the library, layering, mastering and export.

    generator: a hero pipeline to use as the default model (default: the embedded
        ``sfxgen-hero-small``, loaded on first use). Other models (``model=`` arguments) are
        loaded from ``sfxgen.paths.models_dir()`` or a local folder and cached.
    library: an open :class:`sfxgen.library.Library`; else ``index_dir`` (default
        ``library_index/``) is opened on first use (``embedder`` passed through).
    output_root: folder under which every request gets its own ``tempfile.mkdtemp`` folder
        (default: a fresh temporary folder). Folders older than ``max_age_s`` are deleted.
    library_roots: folders the library serves from (the UI allows the browser to read them).
    """

    def __init__(self, *, generator=None, library=None, index_dir=None, output_root=None, embedder=None,
                 library_roots: Sequence = (), max_age_s: float = DEFAULT_MAX_AGE_S,
                 default_model: str | None = None):
        self._generators: dict[str, Any] = {}
        self._default_model = default_model
        if generator is not None:
            mid = str(getattr(generator, "model_id", "custom"))
            self._generators[mid] = generator
            self._default_model = mid
        self._library = library
        self._index_dir = Path(index_dir) if index_dir is not None else (
            Path(library.index_dir) if library is not None else None)
        if embedder is None and library is not None:
            embedder = getattr(library, "_embedder", None)
        self._embedder = embedder
        self._text_encoder = getattr(library, "_text_encoder", None) if library is not None else None
        if output_root is None:
            output_root = tempfile.mkdtemp(prefix="sfxgen-out-")
        self.output_root = Path(output_root)
        self.output_root.mkdir(parents=True, exist_ok=True)
        self.library_roots = [str(Path(p).resolve()) for p in library_roots]
        self.max_age_s = float(max_age_s)
        self._model_lock = threading.Lock()
        self._lib_lock = threading.RLock()
        self._index_lock = threading.Lock()
        self._plot_lock = threading.Lock()
        self._last_cleanup = 0.0
        from sfxgen.layering.auto import ReuseLedger

        self._ledger = ReuseLedger()  # one for every design this service makes
        self._designers: dict = {}

    # -------------------------------------------------------------- models and library
    @property
    def default_model(self) -> str:
        from sfxgen.generate import DEFAULT_MODEL

        return self._default_model or DEFAULT_MODEL

    def models(self) -> list[str]:
        """Model choices: the default first, then loaded ones and local diffusers/hero folders."""
        from sfxgen.paths import models_dir

        names = [self.default_model] + [m for m in self._generators if m != self.default_model]
        d = models_dir()
        if d.is_dir():
            for sub in sorted(d.iterdir()):
                if sub.name not in names and ((sub / "model_index.json").is_file()
                                              or sub.name.startswith("sfxgen-hero")
                                              and (sub / "config.json").is_file()):
                    names.append(sub.name)
        return names

    def generator(self, model: str | None = None):
        """The hero pipeline for ``model`` (default model when None/empty), loaded once."""
        name = str(model or self.default_model)
        with self._model_lock:
            gen = self._generators.get(name)
            if gen is None:
                from sfxgen.generate import load_pipeline

                gen = load_pipeline(name)
                self._generators[name] = gen
            return gen

    @property
    def index_dir(self) -> Path:
        if self._index_dir is None:
            from sfxgen.paths import default_index_dir

            self._index_dir = default_index_dir()
        return self._index_dir

    def _open_library(self):
        from sfxgen.library import Library

        return Library.open(self.index_dir, embedder=self._embedder, text_encoder=self._text_encoder)

    @property
    def library(self):
        """The open library (opened on first use)."""
        with self._lib_lock:
            if self._library is None:
                self._library = self._open_library()
                self._embedder = self._library._embedder
            return self._library

    def ensure_starter(self, starter_dir=None, *, n: int = 300, on_progress: Callable | None = None,
                       show_progress: bool = True) -> IndexReport | None:
        """First run: when the library holds no files, write the starter library (``sfxgen corpus
        starter``; resumable) into ``starter_dir`` (default ``<cache>/starter``) and index it.
        Returns the index report, or None when the library already had files."""
        if self.library_stats().get("ok", 0) > 0:
            return None
        from sfxgen.paths import cache_dir
        from sfxgen.synth.corpus import build_starter

        d = Path(starter_dir) if starter_dir is not None else cache_dir() / "starter"
        report = build_starter(d, n=int(n), progress=show_progress)
        if report.failed:
            raise ParameterError(f"{d}: {len(report.failed)} starter clip(s) could not be written "
                                 f"(first: {report.failed[0][0]}: {report.failed[0][1]})")
        return self.index([d], on_progress=on_progress)

    def library_stats(self) -> dict:
        """Size and make-up of the index (``LibraryStats.to_dict()``)."""
        with self._lib_lock:
            return self.library.stats().to_dict()

    # -------------------------------------------------------------- request folders
    def new_request_dir(self, kind: str) -> Path:
        """A fresh, private output folder for one request (and an occasional clean-up sweep)."""
        now = time.time()
        if now - self._last_cleanup > CLEANUP_EVERY_S:
            self._last_cleanup = now
            self.cleanup()
        return Path(tempfile.mkdtemp(prefix=f"{REQUEST_PREFIX}{kind}-", dir=self.output_root))

    def cleanup(self, *, max_age_s: float | None = None) -> int:
        """Delete request folders (``sfxreq-*``, nothing else) older than ``max_age_s`` (default the
        service's); returns the count."""
        age = self.max_age_s if max_age_s is None else float(max_age_s)
        cutoff = time.time() - age
        removed = 0
        try:
            entries = list(os.scandir(self.output_root))
        except OSError:
            return 0
        for e in entries:
            try:
                if (e.name.startswith(REQUEST_PREFIX) and e.is_dir(follow_symlinks=False)
                        and e.stat(follow_symlinks=False).st_mtime < cutoff):
                    shutil.rmtree(e.path, ignore_errors=True)
                    removed += 1
            except OSError:
                continue
        return removed

    # -------------------------------------------------------------- generation
    def _candidate_files(self, cand, index: int, out: Path, *, prompt: str, model_id: str,
                         title: str) -> CandidateInfo:
        from sfxgen.audio import write_audio
        from sfxgen.naming import file_stem

        stem = f"{file_stem(prompt)}_s{cand.seed}"  # the name `sfxgen generate` gives this candidate
        wav = write_audio(out / f"{stem}.wav", cand.audio, cand.sample_rate, bit_depth=16, dither=False)
        png = _spectrogram_png(out / f"{stem}.png", cand.audio, cand.sample_rate, title)
        patch = cand.patch
        hero = {"model_id": model_id, "prompt": prompt, "seed": int(cand.seed),
                "duration_s": round(float(cand.duration_s), 6), "sample_rate": int(cand.sample_rate),
                "patch": patch.to_dict() if patch is not None else None,
                "family_confidence": cand.family_confidence,
                "audio_path": str(wav)}
        comp = getattr(cand, "composition", None)
        if comp is not None:  # a composed hero: its elements (main first) and shared space
            hero["composition"] = comp.to_dict()
        params = ({n: round(float(v), 4) for n, v in zip(patch.names(), patch.params)} if patch is not None else {})
        return CandidateInfo(index=index, seed=int(cand.seed), audio_path=str(wav), spectrogram_path=str(png),
                             duration_s=round(float(cand.duration_s), 4),
                             score=None if cand.score is None else round(float(cand.score), 4),
                             family=patch.family if patch is not None else None,
                             family_confidence=cand.family_confidence, params=params, hero=hero)

    def _result_files(self, result, out: Path, *, seed: int) -> GenerateResult:
        cands = []
        for i, c in enumerate(result.candidates):
            label = f"{i + 1}: {c.patch.family if c.patch is not None else result.model_id} (seed {c.seed})"
            cands.append(self._candidate_files(c, i, out, prompt=result.prompt, model_id=result.model_id, title=label))
        return GenerateResult(request_dir=str(out), prompt=result.prompt, negative_prompt=result.negative_prompt,
                              seed=int(seed), model_id=result.model_id, duration_s=result.duration_s,
                              steps=result.num_inference_steps, guidance=result.guidance_scale, candidates=cands,
                              family_match=result.extra.get("family_match"))

    def generate(self, prompt: str, *, negative_prompt: str | None = None, duration_s: float | None = None,
                 variations: int = 4, seed: int | None = -1, steps: int = 25, guidance: float = 3.0,
                 model: str | None = None, candidates: int | None = None) -> GenerateResult:
        """Generate ``variations`` hero candidates for ``prompt`` (WAV + spectrogram PNG each).

        ``seed`` -1 / None draws a random seed; the one used is :attr:`GenerateResult.seed` and
        candidate ``i`` used ``seed + i``. ``duration_s`` None or 0 = the sound's natural length.
        ``candidates`` (embedded model): samples drawn per seed, the best CLAP match kept
        (None = the pipeline default; 1 = fastest).
        """
        seed = _resolve_seed(seed)
        if duration_s is not None and float(duration_s) == 0.0:
            duration_s = None
        variations = _num("variations", variations, lo=1, hi=32, integer=True)
        steps = _num("steps", steps, lo=1, hi=1000, integer=True)
        gen = self.generator(model)
        extra = {}
        if candidates is not None:
            if not hasattr(gen, "denoiser"):
                raise ParameterError("candidates per variation apply to the embedded model only")
            extra["candidates_per_variation"] = _num("candidates", candidates, lo=1, hi=16, integer=True)
        result = gen(prompt, negative_prompt=negative_prompt or None, duration_s=duration_s,
                     num_variations=variations, seed=seed, num_inference_steps=steps, guidance_scale=float(guidance),
                     **extra)
        return self._result_files(result, self.new_request_dir("gen"), seed=seed)

    def _hero_candidate(self, hero: dict):
        """A HeroCandidate (without audio) from a hero spec."""
        import numpy as np

        from sfxgen.generate.base import HeroCandidate
        from sfxgen.synth import Patch

        if isinstance(hero, str):
            try:
                hero = json.loads(hero)
            except json.JSONDecodeError:
                raise ParameterError("the hero spec is not valid JSON") from None
        if not isinstance(hero, dict) or not hero.get("patch"):
            raise ParameterError("choose a generated candidate first (its hero spec has no patch to edit)")
        patch = Patch.from_dict(hero["patch"])
        seed = _num("hero seed", hero.get("seed", 0), lo=0, hi=2**31, integer=True)
        dur = _num("hero duration_s", hero.get("duration_s", patch.info.default_duration_s), lo=0.05, hi=60.0)
        comp = None
        if hero.get("composition"):
            from sfxgen.generate.compose import Composition

            comp = Composition.from_dict(hero["composition"])
        cand = HeroCandidate(audio=np.zeros((2, 0), np.float32), sample_rate=int(hero.get("sample_rate", 48000)),
                             seed=seed, patch=patch, family_confidence=hero.get("family_confidence"),
                             composition=comp)
        return cand, dur

    @staticmethod
    def families(family: str | None = None) -> list[dict]:
        """The synth families as JSON-ready dicts (:meth:`sfxgen.synth.family.Family.to_dict`:
        parameters with units, ranges and docs, roles, category, presets), all of them or the one
        named ``family`` (ParameterError when unknown)."""
        from sfxgen.synth import FAMILIES, FAMILY_LIST, family_index

        if family is None:
            return [f.to_dict() for f in FAMILY_LIST]
        family_index(family)
        return [FAMILIES[family].to_dict()]

    def edit_hero(self, hero: dict, changes: dict) -> CandidateInfo:
        """Re-render ``hero`` with named parameters changed: numbers set a value in [-1, 1],
        ``"+=0.2"`` / ``"-=0.2"`` strings move it (see :func:`sfxgen.generate.edit.edit_patch`)."""
        if not isinstance(changes, dict):
            raise ParameterError("changes must map parameter names to values")
        cand, dur = self._hero_candidate(hero)
        gen = self.generator(hero.get("model_id") if hero.get("model_id") in self._generators else None)
        edited = gen.edit(cand, duration_s=dur, **changes)
        out = self.new_request_dir("edit")
        info = self._candidate_files(edited, 0, out, prompt=str(hero.get("prompt", "")),
                                     model_id=str(hero.get("model_id", gen.model_id)),
                                     title=f"edited {edited.patch.family} (seed {edited.seed})")
        return info

    def more_like_this(self, hero: dict, *, prompt: str | None = None, strength: float = 0.35, variations: int = 4,
                       seed: int | None = -1, steps: int = 25, guidance: float = 3.0) -> GenerateResult:
        """Variations near ``hero`` (``strength`` 0..1: how far they may wander)."""
        cand, dur = self._hero_candidate(hero)
        seed = _resolve_seed(seed)
        gen = self.generator(hero.get("model_id") if hero.get("model_id") in self._generators else None)
        result = gen.more_like_this(cand, prompt=prompt or None, strength=float(strength),
                                    num_variations=_num("variations", variations, lo=1, hi=32, integer=True),
                                    seed=seed, num_inference_steps=_num("steps", steps, lo=1, hi=1000, integer=True),
                                    guidance_scale=float(guidance), duration_s=dur)
        if not result.prompt:
            result.prompt = str(hero.get("prompt", ""))
        return self._result_files(result, self.new_request_dir("more"), seed=seed)

    ELEMENT_OPS = ("mute", "unmute", "solo", "reroll", "swap")

    def edit_element(self, hero: dict, op: str, index: int, *, family: str | None = None,
                     seed: int | None = None) -> CandidateInfo:
        """One element of a composed hero changed, the others untouched, re-rendered: ``op`` mute /
        unmute / solo (the others muted) / reroll (a new draw of that element only, ``seed``) /
        swap (to ``family``, same role, onset and level). Returns the re-rendered candidate,
        whose hero spec names what changed (``hero["edited"]``)."""
        from dataclasses import replace

        import numpy as np

        from sfxgen.generate.compose import Composition

        if op not in self.ELEMENT_OPS:
            raise ParameterError(f"element edit {op!r} is not one of {', '.join(self.ELEMENT_OPS)}")
        cand, dur = self._hero_candidate(hero)
        if cand.composition is None:
            raise ParameterError("this hero has no composed elements (made by a single-patch or waveform model)")
        cand.audio = np.zeros((2, int(round(dur * cand.sample_rate))), np.float32)
        comp = cand.composition
        index = _num("element", index, lo=0, hi=len(comp.elements) - 1, integer=True)
        gen = self.generator(hero.get("model_id") if hero.get("model_id") in self._generators else None)
        if not hasattr(gen, "reroll_element"):
            raise ParameterError("element edits need the composed-hero model")
        if op == "mute":
            edited = gen.rerender(cand, comp.muted(index))
        elif op == "unmute":
            els = [replace(e, muted=False) if i == index else e for i, e in enumerate(comp.elements)]
            edited = gen.rerender(cand, Composition(els, comp.space))
        elif op == "solo":
            edited = gen.rerender(cand, comp.solo(index))
        elif op == "reroll":
            edited = gen.reroll_element(cand, index, prompt=str(hero.get("prompt") or "") or None,
                                        seed=_resolve_seed(seed))
        else:
            if not family:
                raise ParameterError("swap needs the family to swap element to (see `sfxgen synth list`)")
            edited = gen.swap_element(cand, index, str(family))
        el = edited.composition.elements[index]
        info = self._candidate_files(edited, 0, self.new_request_dir("element"), prompt=str(hero.get("prompt", "")),
                                     model_id=str(hero.get("model_id", gen.model_id)),
                                     title=f"{op} element {index + 1}: {el.family} (seed {edited.seed})")
        info.hero["edited"] = {"op": op, "element": index, "family": el.family, "role": el.role}
        return info

    # -------------------------------------------------------------- library
    def index(self, paths: Sequence, *, on_progress: Callable | None = None) -> IndexReport:
        """Index files/folders into the library (incremental); per-file failures are reported,
        never fatal. Searches keep running against the previous state meanwhile."""
        from sfxgen.library import Library

        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        clean = []
        for p in paths:
            p = str(p).strip()
            if not p:
                continue
            q = Path(p).expanduser()
            if not q.exists():
                raise ParameterError(f"{p}: no such file or folder on this computer")
            clean.append(str(q.resolve()))
        if not clean:
            raise ParameterError("give a folder to index")
        if not self._index_lock.acquire(blocking=False):
            raise IndexError_("an index run is already in progress; wait for it to finish")
        try:
            lib = self.library  # make sure the models are chosen (and shared)
            with Library.open(lib.index_dir, embedder=lib.embedder, text_encoder=lib.text_encoder) as writer:
                summary = writer.index(clean, progress=False, on_progress=on_progress)
            fresh = Library.open(lib.index_dir, embedder=lib.embedder, text_encoder=lib.text_encoder)
            with self._lib_lock:
                old, self._library = self._library, fresh
                for root in clean:
                    if root not in self.library_roots and os.path.isdir(root):
                        self.library_roots.append(root)
                stats = fresh.stats().to_dict()
            if old is not None and old is not fresh:
                old.close()
        finally:
            self._index_lock.release()
        return IndexReport(summary=summary.to_dict(), failures=[f.to_dict() for f in summary.failed], stats=stats)

    @staticmethod
    def _filters(filters):
        from sfxgen.library import SearchFilters

        if filters is None:
            return None
        if isinstance(filters, SearchFilters):
            f = filters
        elif isinstance(filters, dict):
            clean = {k: v for k, v in filters.items() if v not in (None, "", 0) or k == "min_duration_s" and v == 0}
            try:
                f = SearchFilters(**clean)
            except TypeError as exc:
                raise ParameterError(f"unknown search filter: {exc}") from None
        else:
            raise ParameterError("filters must be a SearchFilters or a dict")
        f.check()
        return None if f.is_empty() else f

    def search(self, text: str, *, top_k: int = 10, mode: str = "hybrid", filters=None) -> SearchResult:
        """Library files matching a description (``mode``: hybrid, audio or meta)."""
        top_k = _num("top_k", top_k, lo=1, hi=200, integer=True)
        f = self._filters(filters)
        with self._lib_lock:
            outcome = self.library.search_detailed(str(text), top_k=top_k, mode=mode, filters=f)
        return SearchResult(query=str(text), mode=mode, hits=outcome.hits, notes=list(outcome.query.notes))

    def similar(self, file_id, *, top_k: int = 10, mode: str = "audio", filters=None) -> SearchResult:
        """Files that sound like the catalogued file ``file_id``."""
        fid = _num("file id", file_id, lo=1, hi=2**62, integer=True)
        top_k = _num("top_k", top_k, lo=1, hi=200, integer=True)
        f = self._filters(filters)
        with self._lib_lock:
            hits = self.library.similar(fid, top_k=top_k, mode=mode, filters=f)
        return SearchResult(query=f"similar to #{fid}", mode=mode, hits=hits)

    def result_details(self, file_ids, *, query: str | None = None, n_points: int = 96) -> list[dict]:
        """What a result list shows per catalogued file: its facts, a waveform outline (``peaks``,
        0-1, ``None`` when the file cannot be read now) and the words of its name/description
        that ``query`` matched (``matched``). Unknown ids are skipped."""
        from sfxgen.errors import SfxgenError
        from sfxgen.library.lexical import concepts, matched_words
        from sfxgen.library.preview import waveform_peaks

        cs = concepts(query) if query else []
        out = []
        for fid in file_ids:
            try:
                rec = self.file_record(fid)
            except SfxgenError:
                continue
            try:
                peaks = waveform_peaks(rec.path, n_points=n_points)
            except (SfxgenError, OSError):
                peaks = None
            name = Path(rec.path).name
            out.append({"id": int(rec.id), "path": rec.path, "name": name, "duration_s": rec.duration_s,
                        "channels": rec.channels, "sample_rate": rec.sample_rate, "loudness_lufs": rec.loudness_lufs,
                        "category": rec.category, "subcategory": rec.subcategory, "ucs_catid": rec.ucs_catid,
                        "description": rec.description, "peaks": peaks,
                        "matched": matched_words(f"{name} {rec.description or ''}", cs) if cs else []})
        return out

    def file_record(self, file_id):
        """The catalogue row of an indexed file (IndexError_ when unknown or failed)."""
        fid = _num("file id", file_id, lo=1, hi=2**62, integer=True)
        with self._lib_lock:
            rec = self.library.get(fid)
        if rec is None or rec.status != "ok":
            raise IndexError_(f"no indexed file with id {fid} in the library")
        return rec

    def failures(self) -> list[dict]:
        """Files the library could not index, with reasons."""
        with self._lib_lock:
            return [{"path": r.path, "error": r.error} for r in self.library.failures()]

    def audition(self, file_id) -> AuditionResult:
        """A 16-bit WAV preview (first 30 s) of catalogued file ``file_id`` in a request folder.
        Only catalogued files can be auditioned, never an arbitrary path."""
        from sfxgen.audio import read_audio, write_audio
        from sfxgen.export import safe_name

        rec = self.file_record(file_id)
        audio, sr = read_audio(rec.path, max_duration_s=AUDITION_MAX_S)
        if audio.shape[0] > 2:
            from sfxgen.audio import to_channels

            audio = to_channels(audio, 2)
        out = self.new_request_dir("audition")
        path = write_audio(out / f"{safe_name(Path(rec.path).stem)}.wav", audio, sr, bit_depth=16, dither=False)
        d = rec.to_dict()
        d.pop("meta_text", None)
        return AuditionResult(file_id=int(rec.id), audio_path=str(path), record=d)

    # -------------------------------------------------------------- recipes
    def designer(self, model: str | None = None, *, use_library: bool = True):
        """The auto-designer for ``model`` (with this service's library, or none), one per pair
        for the service's lifetime so its reuse ledger spreads picks across designs."""
        from sfxgen.layering.auto import AutoDesigner

        key = (str(model or self.default_model), bool(use_library))
        gen = self.generator(model)
        with self._model_lock:
            d = self._designers.get(key)
            if d is None:
                d = self._designers[key] = AutoDesigner(gen, ledger=self._ledger, library_roots=self.library_roots)
        d.library = self._design_library() if use_library else None
        return d

    def source_access(self, *, remap=(), job_dir=None):
        """Where recipes' file sources may be read from: the configured library roots, the
        catalogued files, this service's output folders and ``job_dir``;
        ``remap``: library roots on this machine tried first (``--library-root``)."""
        from sfxgen.layering.sources import SourceAccess

        from sfxgen.layering.sources import catalogue_files

        roots = [*self.library_roots, str(self.output_root)]
        if job_dir is not None:
            roots.append(str(job_dir))
        lib = self._design_library()
        with self._lib_lock:
            files = catalogue_files(lib) if lib is not None else frozenset()
        return SourceAccess(roots=roots, remap=[str(r) for r in remap], files=files)

    def design(self, prompt: str, *, preset: str = "ebu-r128", layers: int = 3, seed: int | None = 0,
               duration_s: float | None = None, variation: int = 0, model: str | None = None,
               use_library: bool = True, candidates: int | None = None) -> DesignOutput:
        """Auto-design a layered recipe for ``prompt`` (hero + at most ``layers`` support layers
        the prompt and the hero call for, picked from the library, or synthesised when the
        library is empty or ``use_library`` is False). ``candidates``: heroes drawn to pick from
        (None = the designer's default; ``variation`` takes the next one). Nothing is rendered."""
        seed = _resolve_seed(seed)
        if duration_s is not None and float(duration_s) == 0.0:
            duration_s = None
        layers = _num("layers", layers, lo=0, hi=7, integer=True)
        out = self.new_request_dir("design")
        extra = {} if candidates is None else {"num_candidates": _num("candidates", candidates, lo=1, hi=32, integer=True)}
        d = self.designer(model, use_library=use_library).design(
            prompt, preset=preset, layers=layers, seed=seed, duration_s=duration_s,
            variation=_num("variation", variation, lo=0, hi=1000, integer=True), asset_dir=out, **extra)
        return DesignOutput(recipe=d.recipe.to_dict(), picks=d.picks, hero_model_id=d.hero_model_id,
                            hero_score=d.hero_score, request_dir=str(out))

    def use_as_hero(self, recipe, hero: dict, *, name: str | None = None) -> dict:
        """``recipe`` (or a new one when None/empty) with ``hero`` as its hero layer (replacing the
        current hero source, keeping that layer's edits). Returns the recipe dict."""
        from sfxgen.layering import rules
        from sfxgen.layering.recipe import Source

        if isinstance(hero, str):
            hero = json.loads(hero) if hero.strip() else {}
        if not isinstance(hero, dict) or not (hero.get("patch") or hero.get("audio_path")):
            raise ParameterError("choose a generated candidate first")
        prompt = str(hero.get("prompt") or "")
        if hero.get("patch"):
            src = Source(kind="synth", patch=hero["patch"], seed=int(hero.get("seed", 0)),
                         duration_s=float(hero["duration_s"]), prompt=prompt, model_id=hero.get("model_id"),
                         description=f"generated hero: {prompt}")
        else:
            from sfxgen.layering.render import file_sha1

            p = Path(hero["audio_path"]).resolve()
            if self.output_root.resolve() not in p.parents or not p.is_file():
                raise ParameterError("the hero's audio file is not one this service generated (or it expired)")
            src = Source(kind="file", path=str(p), sha1=file_sha1(p), prompt=prompt, model_id=hero.get("model_id"),
                         seed=int(hero.get("seed", 0)), description=f"generated hero: {prompt}")
        return rules.set_hero(recipe, src, prompt=prompt, name=name).to_dict()

    def add_layer(self, recipe, file_id, *, role: str = "texture", gain_db: float = 0.0) -> dict:
        """``recipe`` (or a new one) plus a layer playing catalogued file ``file_id`` in ``role``."""
        from sfxgen.layering import rules
        from sfxgen.layering.recipe import ROLES, Source
        from sfxgen.layering.render import file_sha1
        from sfxgen.layering.sources import relative_source_path

        if role not in ROLES:
            raise ParameterError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
        rec = self.file_record(file_id)
        if not os.path.isfile(rec.path):
            raise RecipeError(f"{rec.path}: the library file is missing (re-index the library)")
        from sfxgen.layering.sources import catalogue_root

        with self._lib_lock:
            roots = self.library_roots or [r for r in [catalogue_root(self.library)] if r]
        rel, root = relative_source_path(rec.path, roots)
        src = Source(kind="file", path=rel, root=root, sha1=file_sha1(rec.path),
                     description=rec.description or rec.fx_name or Path(rec.path).name)
        return rules.add_layer(recipe, src, role=role, gain_db=float(gain_db),
                               name_hint=Path(rec.path).stem).to_dict()

    @staticmethod
    def layer_table(recipe) -> list[list]:
        """The recipe's layers as editable rows (see :data:`LAYER_COLUMNS`; EQ as text)."""
        from sfxgen.layering.rules import layer_table

        return layer_table(recipe)

    @staticmethod
    def apply_layer_table(recipe, rows, *, preset: str | None = None) -> dict:
        """Apply edited layer rows to ``recipe``: rows are matched to layers by name, their order
        becomes the layer order and layers without a row are removed. Returns the recipe dict."""
        from sfxgen.layering.rules import apply_layer_table

        return apply_layer_table(recipe, rows, preset=preset).to_dict()

    def render_recipe(self, recipe, *, preset: str | None = None, picture: bool = True) -> PreviewResult:
        """Render ``recipe`` (mastered with ``preset`` or its own; file sources only from the
        library and this service's folders), write the mix as a 24-bit WAV and a picture, and
        judge loudness (the preset's rule) and QC (:func:`sfxgen.layering.job.preview`)."""
        from sfxgen.layering.job import preview
        from sfxgen.layering.rules import with_preset
        from sfxgen.loudness import get_preset

        r = with_preset(_recipe_obj(recipe), preset)
        out = self.new_request_dir("preview")
        with self._plot_lock:
            p = preview(r, out, access=self.source_access(), picture=picture)
        res = p.result
        return PreviewResult(request_dir=str(out), mix_path=p.mix_path, picture_path=p.picture_path,
                             recipe=r.to_dict(), preset=get_preset(r.master.preset).to_dict(), loudness=p.loudness,
                             master_gain_db=float(res.master_gain_db), met_target=bool(res.master_met_target),
                             reason=res.master_reason, headroom_db=float(res.headroom_db), qc=p.qc.to_dict(),
                             qc_text=p.qc.to_text(), verdict=p.verdict)

    def export(self, recipe, *, preset: str | None = None, name: str | None = None, out_dir=None,
               stems: str = "post-master", library_root=(), job_dir=None) -> ExportResult:
        """Render ``recipe`` and write the delivery package (stems, mix, recipe, QC, picture),
        zipped as ``NAME.zip``. By default both go into a new request folder; with ``out_dir``
        (the CLI's ``--out``) the package is written there and the zip next to it. ``stems``:
        ``post-master`` (sum to the delivered mix) or ``pre-master``. ``library_root``: library
        roots on this machine to find the recipe's files under (``--library-root``); ``job_dir``:
        the folder the recipe came from (its own sources may be read there)."""
        from sfxgen.export import safe_name
        from sfxgen.layering.job import render_and_export
        from sfxgen.layering.rules import with_preset

        r = with_preset(_recipe_obj(recipe), preset)
        remap = [library_root] if isinstance(library_root, (str, os.PathLike)) else list(library_root or ())
        access = self.source_access(remap=remap, job_dir=job_dir)
        base = safe_name(name or r.name)
        if out_dir is None:
            out = self.new_request_dir("export")
            pkg = out / base
        else:
            pkg = Path(out_dir).expanduser()
            out = pkg.parent if pkg.parent != pkg else pkg
        with self._plot_lock:
            _, manifest = render_and_export(r, pkg, name=base, stems=stems, access=access)
        zpath = (out / f"{base}.zip") if out_dir is None else pkg.with_name(f"{pkg.name}.zip")
        tmp = out / f".{base}.zip.part"
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for f in sorted(pkg.rglob("*")):
                if f.is_file() and not f.name.startswith("."):
                    z.write(f, arcname=f"{base}/{f.relative_to(pkg).as_posix()}")
        os.replace(tmp, zpath)
        qc_text = Path(manifest.qc_txt).read_text(encoding="utf-8")
        return ExportResult(request_dir=str(out), zip_path=str(zpath), package_dir=str(pkg),
                            manifest=manifest.to_dict(), qc_text=qc_text)

    def design_job(self, prompt: str, out_dir, *, preset: str = "ebu-r128", layers: int = 3, seed: int = 0,
                   variations: int = 1, duration_s: float | None = None, model: str | None = None,
                   use_library: bool = True, name: str | None = None, stems: str = "post-master",
                   picture: bool = True):
        """The main job (``sfxgen design``): design, render and export ``variations`` packages
        into ``out_dir`` with this service's models, library and designer (see
        :func:`sfxgen.layering.job.run_design`); returns its ``DesignJobResult``. With
        ``use_library=False`` (or an empty index) the supporting layers are synthesised."""
        from sfxgen.layering.job import run_design

        return run_design(prompt, out_dir, preset=preset, layers=layers, seed=_resolve_seed(seed),
                          variations=variations, duration_s=duration_s, name=name, stems=stems,
                          designer=self.designer(model, use_library=use_library), picture=picture)

    def _design_library(self):
        """The library for auto-design (searches hold the library lock), or None when empty."""
        try:
            with self._lib_lock:
                return _LockedLibrary(self) if self.library.stats().ok > 0 else None
        except (IndexError_, OSError):
            return None

    def save_recipe(self, recipe) -> str:
        """Write ``recipe`` as ``NAME.recipe.json`` in a request folder; returns the path."""
        from sfxgen.export import safe_name, write_text_atomic

        r = _recipe_obj(recipe)
        out = self.new_request_dir("recipe")
        return str(write_text_atomic(out / f"{safe_name(r.name)}.recipe.json", r.to_json() + "\n"))

    @staticmethod
    def load_recipe(path_or_text) -> dict:
        """A validated recipe dict from a recipe JSON file or text."""
        text = path_or_text
        is_text = isinstance(path_or_text, str) and path_or_text.lstrip().startswith("{")
        if isinstance(path_or_text, os.PathLike) or (isinstance(path_or_text, str) and not is_text):
            p = Path(path_or_text)
            try:
                if p.stat().st_size > 5_000_000:
                    raise RecipeError(f"{p.name}: too large for a recipe (over 5 MB)")
                text = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise RecipeError(f"{p.name}: cannot read the recipe ({exc})") from None
        return _recipe_obj(text).to_dict()

    # -------------------------------------------------------------- cue sheets
    @staticmethod
    def read_cue_sheet(path, *, fps):
        """The validated cues of a sheet (CSV, EDL, AAF, OTIO) at ``fps``: a ``CueSheet``
        (:mod:`sfxgen.post.sheet`); a malformed sheet raises ``CueSheetError`` naming each row."""
        from sfxgen.post.sheet import read_sheet

        return read_sheet(path, fps=fps)

    def cues(self, sheet, *, fps, out_dir=None, preset: str = "ebu-r128", dia=None, mus=None, seed: int = 0,
             workers: int = 1, on_progress: Callable | None = None):
        """The cue-sheet job (``sfxgen cues``): every cue designed through :meth:`design`, fitted,
        conformed into stems, a DAW session, a cue report and (with ``dia``/``mus``) mix and M&E,
        in ``out_dir`` (default a new request folder). Returns ``CueJobResult`` (:mod:`sfxgen.post.job`)."""
        from sfxgen.post.job import run_cues

        sheet = self.read_cue_sheet(sheet, fps=fps) if isinstance(sheet, (str, os.PathLike)) else sheet
        out = Path(out_dir) if out_dir is not None else self.new_request_dir("cues") / "cues"
        return run_cues(self, sheet, out, preset=preset, dia=dia, mus=mus, seed=_resolve_seed(seed),
                        workers=_num("workers", workers, lo=1, hi=16, integer=True), on_progress=on_progress)

    def reroll_cue(self, out_dir, cue_id: str, *, seed: int | None = None, candidate: int | None = None,
                   on_progress: Callable | None = None):
        """Re-roll one cue of the job in ``out_dir`` (new ``seed``, or the design's ``candidate``;
        neither = next candidate) and conform again; the other cues stay as they were."""
        from sfxgen.post.job import reroll_cue

        if seed is not None:
            seed = _resolve_seed(seed)
        if candidate is not None:
            candidate = _num("candidate", candidate, lo=0, hi=1000, integer=True)
        return reroll_cue(self, out_dir, str(cue_id), seed=seed, candidate=candidate, on_progress=on_progress)

    @staticmethod
    def cues_zip(out_dir) -> str:
        """A zip of the cue job's deliverables next to ``out_dir``; returns its path."""
        from sfxgen.post.job import zip_outputs

        return zip_outputs(out_dir)

    def roomtone(self, match, *, duration_s: float, out=None, seed: int = 0):
        """``duration_s`` of room tone matching ``match``'s noise floor, written as a 48 kHz /
        24-bit BWF (default: a request folder). Returns ``RoomToneResult`` (:mod:`sfxgen.post.roomtone`)."""
        from sfxgen.post.roomtone import write_room_tone

        dur = _num("duration_s", duration_s, lo=0.05, hi=3600.0)
        path = Path(out) if out else self.new_request_dir("roomtone") / f"roomtone_{Path(str(match)).stem}.wav"
        return write_room_tone(match, path, duration_s=dur, seed=_resolve_seed(seed))

    # -------------------------------------------------------------- measuring
    def loudness(self, path, *, preset: str = "ebu-r128") -> LoudnessReport:
        """BS.1770 loudness of an audio file and its offset from ``preset``'s target."""
        from sfxgen.loudness import get_preset
        from sfxgen.loudness.stream import measure_file

        if not path:
            raise ParameterError("choose an audio file to measure")
        p = get_preset(preset)
        loud = measure_file(path)  # streamed: memory does not grow with the upload's length
        v = p.judge(integrated_lufs=loud.integrated_lufs, true_peak_dbtp=loud.true_peak_dbtp,
                    max_short_term_lufs=loud.max_short_term_lufs)
        return LoudnessReport(path=str(path), loudness=loud.to_dict(), preset=p.to_dict(),
                              offset_lu=None if v.offset_lu is None else round(v.offset_lu, 2),
                              within_tolerance=v.integrated_ok, true_peak_ok=v.true_peak_ok)

    def qc(self, path, *, preset: str = "ebu-r128"):
        """QC report (``sfxgen.qc.QCReport``) of an audio file against ``preset``."""
        from sfxgen.loudness import get_preset
        from sfxgen.qc import qc_file

        if not path:
            raise ParameterError("choose an audio file to check")
        return qc_file(str(path), preset=get_preset(preset), default_bit_depth=24)


__all__ = [
    "SfxgenService", "CandidateInfo", "GenerateResult", "IndexReport", "SearchResult", "AuditionResult",
    "DesignOutput", "PreviewResult", "ExportResult", "LoudnessReport", "LAYER_COLUMNS", "format_eq", "parse_eq",
]
