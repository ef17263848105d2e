"""Auto-layering: from a prompt to a :class:`~sfxgen.layering.recipe.Recipe`.

1. **hero** -- the hero pipeline makes candidates; the best CLAP match (first) is the hero.
2. **roles** -- :mod:`sfxgen.layering.intent` reads the prompt (source, material, action, size,
   distance, space) and measures the hero (band energy, envelope, transients, duration), then
   decides which supporting roles the design needs and why (a click gets no sub; a walk gets a
   texture per step; a cavern gets a cave-sized tail). Each role's query is built from the
   prompt's own words.
3. **sources** -- each role's library hits (hybrid search: calibrated relevance of the name and
   the audio to the query) are decoded and measured against the audio the role must have
   (:func:`~sfxgen.layering.intent.role_fit`); a file already used by other designs of the same
   designer is penalised (:class:`ReuseLedger`). With no index or no fitting hit the role is
   synthesised by a registry family that can fill it, so a design always completes. One-shot
   layers are trimmed to the hero's length (plus the space) and faded in their own decay.
4. **alignment** -- every layer's main transient (spectral-flux onsets) is placed on the hero's;
   a per-step layer is placed again on each of the hero's transients.
5. **gain staging** -- each layer sits a role-specific number of LU under the hero.
6. **EQ carving** -- measured masking: in third-octave bands where the hero is strong and the
   layer comes within 6 dB of it, the layer gets a peak cut (up to 9 dB, three bands at most),
   on top of a role band-limit (sub low-passed, texture/tail high-passed).
7. **space** -- sends into one shared reverb whose RT60 follows the prompt's space words (or the
   hero patch's own space), a gentle glue compressor on the bus, master to the preset.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from sfxgen.errors import ParameterError, SfxgenError
# prompt_space: re-exported
from sfxgen.layering.intent import (END_DB, HeroProfile, PromptReading, RoleNeed, measure_hero,  # noqa: F401
                                    plan_roles, prompt_space, query_for, read_prompt, role_fit)
from sfxgen.layering.recipe import Bus, Layer, Master, Recipe, Source

SUPPORT_ORDER = ("sub", "texture", "tail", "transient", "body", "sweetener", "bed")
#: a library file may serve at most this many designs of one designer (ledger) while others fit
MAX_REUSE = 3
#: each earlier use of a file multiplies its pick score by this
REUSE_PENALTY = 0.4
#: a hero with more than this share of its energy below 40 Hz is high-passed (dB re total, -10 = 10 %)
HERO_SUBSONIC_DB = -10.0
#: a library file whose measured audio fits the role less than this is not used for it
MIN_ROLE_FIT = 0.3
#: nor one whose calibrated relevance to the role's query is under this (the estimated chance
#: that it is what the query asks for; 1 in 10 keeps a small library usable, the audio fit and
#: the relevance then rank what is left)
MIN_RELEVANCE = 0.1
#: the master's end fade: the last moments of the design's own decay, never a hard stop
MASTER_FADE_MS = 80.0
#: one-shot roles whose files should die away with the hero, and how much longer than the hero
#: (s, from their transients) one may ring before its role fit starts to fall (by 1/e per second)
RING_ROLES = ("transient", "body", "texture", "sweetener")
RING_SLACK_S = 0.3


def role_patch_params(family: str, role: str) -> dict:
    """The named normalised values ``family`` is rendered with as a ``role`` layer: its module's
    ``Family.role_params[role]``. Raises ParameterError when the family does not declare that
    design role."""
    from sfxgen.synth import FAMILIES

    fam = FAMILIES.get(family)
    if fam is None or role not in fam.design_roles:
        raise ParameterError(f"the sound family {family!r} cannot fill the {role!r} role of a design")
    return dict(fam.role_params.get(role, {}))


def role_query(role: str, prompt: str) -> str:
    """The library query for ``role`` given the user's prompt (its own words, see
    :func:`sfxgen.layering.intent.query_for`)."""
    reading = read_prompt(prompt)
    return query_for(role, reading, families=reading.families)


def _fix_own_faults(recipe, rendered, *, hero_t: float, space_words: bool) -> bool:
    """Fix, in place, what the design itself caused and QC would flag: energy under 40 Hz (the
    layers carrying it are high-passed at 40 Hz, 4th order) and a one-shot running on in a long
    quiet decay (the recipe ends where the mix falls ``intent.END_DB`` under its peak, with the
    master fade over the last part; not when the words ask for a space). ``rendered``: the
    un-mastered render of ``recipe`` (rendered again when None). Returns True when it changed."""
    from sfxgen.dsp.filters import EQBand
    from sfxgen.dsp.analysis import audible_end_s
    from sfxgen.layering.intent import band_shares_db
    from sfxgen.layering.render import render_recipe
    from sfxgen.qc import SUBSONIC_20_WARN_DB, SUBSONIC_40_WARN_DB

    res = rendered if rendered is not None else render_recipe(recipe, master=False)
    sr = recipe.sample_rate
    changed = False
    s20, s40 = band_shares_db(res.premaster, sr, (20.0, 40.0))
    if s40 > SUBSONIC_40_WARN_DB - 2.0 or s20 > SUBSONIC_20_WARN_DB:  # 2 dB clear of the QC warning
        for layer in recipe.layers:
            stem = res.stems.get(layer.name)
            if stem is None or not np.any(stem):
                continue
            if band_shares_db(stem, sr, (40.0,))[0] > SUBSONIC_40_WARN_DB - 4.0:
                layer.eq = [b for b in layer.eq if b.type != "highpass" or b.freq_hz > 40.0]
                layer.eq.insert(0, EQBand("highpass", 40.0, order=4))
                layer.reason += "; high-passed at 40 Hz: its energy under 40 Hz pushed the mix past 25 %"
                changed = True
    if recipe.kind != "texture" and not space_words:
        n = res.premaster.shape[-1]
        if n // int(0.05 * sr) > 2 and np.any(res.premaster):
            end_s = audible_end_s(res.premaster, sr, floor_db=END_DB)
            if end_s + 0.1 < n / sr:
                recipe.duration_s = round(max(end_s, hero_t + 0.1), 3)
                recipe.master.fade_out_ms = float(np.clip(0.3 * (end_s - hero_t) * 1000.0, MASTER_FADE_MS, 1500.0))
                changed = True
    return changed


class ReuseLedger:
    """How many designs each library file has served (by path), so one designer spreads its picks:
    every earlier use multiplies a file's score by :data:`REUSE_PENALTY`, and a file that served
    :data:`MAX_REUSE` designs is only taken when nothing else fits. One ledger per designer (a
    service keeps its designer's for its lifetime)."""

    def __init__(self, max_uses: int = MAX_REUSE):
        self.max_uses = int(max_uses)
        self.counts: dict[str, int] = {}

    def uses(self, path: str) -> int:
        return self.counts.get(str(path), 0)

    def penalty(self, path: str) -> float:
        return REUSE_PENALTY ** self.uses(path)

    def full(self, path: str) -> bool:
        return self.uses(path) >= self.max_uses

    def record(self, paths) -> None:
        """Count one design's files (each once, however many layers use it)."""
        for p in set(map(str, paths)):
            self.counts[p] = self.counts.get(p, 0) + 1


@dataclass
class DesignResult:
    """A designed effect: its recipe plus what was picked and why (for reports and the UI)."""

    recipe: Recipe
    hero_model_id: str
    hero_score: float | None
    picks: list[dict]
    reading: PromptReading | None = None
    hero_profile: HeroProfile | None = None
    #: the un-mastered render of ``recipe`` made by the alignment check, when it moved nothing
    #: (``sfxgen.layering.render.master_render`` finishes it); ``None`` when the recipe changed after it
    render: Any = field(default=None, repr=False, compare=False)


def _hero_end_s(profile: HeroProfile, continuous: bool) -> float:
    """Where the hero's sound ends for its layers: its audible end for a one-shot, its whole
    length for a texture or a walk (they run to the end by design)."""
    if continuous or profile.end_s is None:
        return profile.duration_s
    return min(profile.duration_s, max(profile.end_s, profile.main_transient_s + 0.05))


def _loudness(audio: np.ndarray, sr: int) -> float:
    from sfxgen.loudness import measure

    r = measure(audio, sr, true_peak=False)
    if r.integrated_lufs is not None:
        return float(r.integrated_lufs)
    rms = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))
    return 20 * np.log10(max(rms, 1e-9)) - 0.691


def _band_db(audio: np.ndarray, sr: int, centres: np.ndarray) -> np.ndarray:
    from scipy.signal import welch

    f, p = welch(audio.mean(axis=0), fs=sr, nperseg=4096)
    lo, hi = centres * 2 ** (-1 / 6), centres * 2 ** (1 / 6)
    band = np.array([p[(f >= a) & (f < b)].sum() for a, b in zip(lo, hi)])
    return 10 * np.log10(band + 1e-20)


THIRD_OCTAVES_HZ = 1000.0 * 2.0 ** (np.arange(-15, 14) / 3.0)  # ~31 Hz .. 20 kHz


def carve_bands(hero: np.ndarray, layer: np.ndarray, sr: int, *, max_bands: int = 3, max_cut_db: float = 9.0,
                margin_db: float = 6.0) -> list[tuple[float, float]]:
    """Peak cuts ``[(freq_hz, gain_db<0), ...]`` so ``layer`` yields where ``hero`` dominates.

    A band counts when the hero is within 12 dB of its own loudest band and the layer comes within
    ``margin_db`` of the hero there; the cut is the overlap, capped at ``max_cut_db``. At most
    ``max_bands`` non-adjacent bands, strongest overlaps first.
    """
    h = _band_db(hero, sr, THIRD_OCTAVES_HZ)
    l = _band_db(layer, sr, THIRD_OCTAVES_HZ)
    strong = h >= h.max() - 12.0
    overlap = np.where(strong, l - h + margin_db, -np.inf)
    cuts: list[tuple[float, float]] = []
    used: set[int] = set()
    for i in np.argsort(-overlap):
        if len(cuts) >= max_bands or not np.isfinite(overlap[i]) or overlap[i] <= 0.5:
            break
        if i in used or (i - 1) in used or (i + 1) in used:
            continue
        used.add(int(i))
        cuts.append((float(THIRD_OCTAVES_HZ[i]), -float(min(overlap[i], max_cut_db))))
    return cuts


def _transient(audio: np.ndarray, sr: int) -> float:
    from sfxgen.dsp.onsets import main_transient_s

    try:
        return main_transient_s(audio, sr)
    except ParameterError:
        return 0.0


#: a rendered layer whose main transient misses the hero's by more than this is moved once
REALIGN_TOLERANCE_S = 0.005


def _realign_on_stems(recipe):
    """Check the alignment on the rendered stems and correct it once, in place. Returns the
    un-mastered render when no layer moved (it is then the recipe's render), else ``None``.

    The first placement measures each source after its own edits, but a hero with two hits of
    similar strength (a latch click, then the slam) can change which one counts as its main
    transient once the shared glue compressor, ducked by the aligned support layers, reshapes
    it. Measuring the stems as they will be exported and moving the support layers onto the
    hero's measured transient keeps the layers from flamming. Tails are placed by the space, not
    the hit, and are left alone."""
    from sfxgen.layering.render import render_recipe

    rendered = render_recipe(recipe, master=False)
    stems = rendered.stems
    sr = recipe.sample_rate
    hero = next((l for l in recipe.layers if l.role == "hero"), None)
    if hero is None or hero.name not in stems:
        return rendered
    t_hero = _transient(stems[hero.name], sr)
    moves = {}
    for layer in recipe.layers:
        if layer.role in ("hero", "tail", "bed") or layer.repeats_ms or layer.name not in stems:
            continue
        d = t_hero - _transient(stems[layer.name], sr)
        if abs(d) > REALIGN_TOLERANCE_S:
            moves[layer.name] = layer.offset_ms + d * 1000.0
    if not moves:
        return rendered
    shift = max(0.0, -min(moves.values()))
    for layer in recipe.layers:
        layer.offset_ms = round(moves.get(layer.name, layer.offset_ms) + shift, 3)
    return None


def _element_families(cand, hero_result) -> tuple[str, ...]:
    """Families of a composed hero's elements (objects with ``.family`` or dicts), if it has any."""
    comp = getattr(cand, "composition", None)
    els = (getattr(comp, "elements", None) or getattr(cand, "elements", None)
           or (hero_result.extra or {}).get("elements") or ())
    out = []
    for e in els:
        fam = e.get("family") if isinstance(e, dict) else getattr(e, "family", None)
        if isinstance(fam, str):
            out.append(fam)
    return tuple(out)


class AutoDesigner:
    """Builds recipes from prompts with a hero pipeline and an optional library.

    ``generator``: a hero pipeline (``sfxgen.generate.load_pipeline()``); ``library``: an open
    :class:`sfxgen.library.Library` or None (then every support layer is synthesised);
    ``ledger``: the :class:`ReuseLedger` shared by this designer's designs (a new one by default).
    """

    def __init__(self, generator, *, library=None, sample_rate: int = 48000, ledger: ReuseLedger | None = None,
                 library_roots=()):
        self.generator = generator
        self.library = library
        self.sample_rate = sample_rate
        self.ledger = ledger if ledger is not None else ReuseLedger()
        self._roots = [str(r) for r in library_roots]

    def library_roots(self) -> list[str]:
        """Roots library picks are stored relative to: the configured ones, else the folder
        that holds every catalogued file."""
        if not self._roots and self.library is not None:
            from sfxgen.layering.sources import catalogue_root

            root = catalogue_root(self.library)
            if root:
                self._roots = [root]
        return self._roots

    def design(self, prompt: str, *, preset: str = "ebu-r128", layers: int = 3, seed: int = 0,
               duration_s: float | None = None, variation: int = 0, num_candidates: int = 4,
               name: str | None = None, asset_dir=None, hero_result=None) -> DesignResult:
        """One designed effect. ``layers`` is the most supporting layers (the prompt and the hero
        decide how many it needs); ``variation`` picks the next candidate/hit and nudges pitch/timing."""
        if not isinstance(prompt, str) or not prompt.strip():
            raise ParameterError("the prompt is empty: describe the sound you want")
        if not 0 <= int(layers) <= len(SUPPORT_ORDER):
            raise ParameterError(f"layers must be between 0 and {len(SUPPORT_ORDER)} supporting layers, got {layers}")
        from sfxgen.loudness import get_preset

        get_preset(preset)
        sr = self.sample_rate
        rng = np.random.default_rng([int(seed), int(variation), 7])
        reading = read_prompt(prompt)
        if duration_s is None and reading.duration_s:
            duration_s = float(np.clip(reading.duration_s, 0.5, 60.0))
        if hero_result is None:
            hero_result = self.generator(prompt, duration_s=duration_s, num_variations=max(num_candidates, variation + 1),
                                         seed=int(seed))
        cand = hero_result.candidates[variation % len(hero_result.candidates)]
        hero_src = self._hero_source(cand, hero_result, prompt, asset_dir, variation)
        hero_audio = cand.audio if cand.sample_rate == sr else self._resample(cand.audio, cand.sample_rate)
        profile = measure_hero(hero_audio, sr, family=cand.patch.family if cand.patch is not None else None,  # main
                               elements=_element_families(cand, hero_result))
        hero_t = profile.main_transient_s
        hero_lufs = _loudness(hero_audio, sr)
        continuous = reading.continuous or profile.kind == "texture"
        if reading.space is not None:
            space = reading.space
        elif cand.patch is not None:  # the hero's own space, kept short unless the words ask for more
            space = ("hero space", float(np.clip(cand.patch.physical().rt60_s, 0.3, 0.8 if continuous else 1.2)))
        else:
            space = ("short room", 0.6)
        rt60 = space[1]

        from sfxgen.dsp.analysis import audible_end_s
        from sfxgen.dsp.filters import EQ, EQBand

        hero_eq, hero_reason = [], "generated for the prompt (best text-audio match of the candidates)"
        if profile.sub40_db > HERO_SUBSONIC_DB:
            hero_eq.append(EQBand("highpass", 30.0, order=4))
            hero_reason += f"; high-passed at 30 Hz: {10 ** (profile.sub40_db / 10) * 100:.0f} % of its energy was under 40 Hz"
            # where the hero dies away as it will sound (a sub-sonic rumble no longer keeps it going)
            heard = EQ(hero_eq).apply(hero_audio, sr)
            profile = replace(profile, end_s=round(audible_end_s(heard, sr, floor_db=END_DB), 4))
        from sfxgen.layering.rules import hero_layer

        layer_list = [hero_layer(hero_src, eq=hero_eq, query=prompt.strip(), reason=hero_reason)]
        raw = {"hero": hero_audio}
        picks = [{"role": "hero", "source": "generated", "model_id": hero_result.model_id, "seed": cand.seed,
                  "score": cand.score, "reason": hero_reason}]
        needs = plan_roles(reading, profile, max_layers=int(layers))
        used_paths = []
        names: set[str] = {"hero"}
        for need in needs:
            found = self._support_source(need, profile, rt60, variation, seed, exclude=used_paths,
                                         continuous=continuous)
            if found is None:  # an optional role with no fitting file and no family named for it
                picks.append({"role": need.role, "source": "none", "query": need.query,
                              "reason": f"{need.reason}; left out: no library file fits and no family the "
                                        "prompt names can render it"})
                continue
            src, audio, pick = found
            name_ = need.role if need.role not in names else f"{need.role}_{len(names)}"
            names.add(name_)
            raw[name_] = audio
            if pick.get("path"):
                used_paths.append(pick["path"])
            trim_end, fade_out = self._fit_length(need, audio, profile, rt60, continuous)
            eq = self._eq_for(need, hero_audio, audio, sr, hero_lufs)
            gain = float(np.clip(hero_lufs + need.level_lu - _loudness(audio, sr), -40.0, 24.0))
            reason = f"{need.reason}; {pick['why']}"
            pick["reason"] = reason
            picks.append(pick)
            layer_list.append(Layer(name=name_, role=need.role, source=src, gain_db=round(gain, 3), eq=eq,
                                    reverb_send_db=need.send_db, fade_in_ms=2.0, fade_out_ms=fade_out,
                                    trim_end_s=trim_end, query=need.query, reason=reason))
        self.ledger.record(used_paths)
        # align transients on the hero's (per-step layers on each of its steps); micro nudges per variation
        from sfxgen.layering.render import process_layer

        per_step = {n.role for n in needs if n.per_step}
        steps = profile.onsets_s
        starts = {}
        for layer in layer_list:
            # measured after the layer's own edits (EQ group delay, fades), as it will be placed
            t = hero_t if layer.role == "hero" else _transient(process_layer(layer, raw[layer.name], sample_rate=sr), sr)
            jitter = 0.0 if (variation == 0 or layer.role == "hero") else float(rng.uniform(-8.0, 8.0))
            anchor = steps[0] if (layer.role in per_step and steps) else hero_t
            starts[layer.name] = anchor - t + jitter * 1e-3
        base = min(starts.values())
        for layer in layer_list:
            layer.offset_ms = round((starts[layer.name] - base) * 1000.0, 3)
            if layer.role in per_step and len(steps) > 1:
                layer.repeats_ms = [round((s - steps[0]) * 1000.0, 3) for s in steps[1:]]
            if variation and layer.role not in ("tail", "bed"):
                layer.pitch_semitones = round(float(rng.uniform(-0.4, 0.4)), 3)
        from sfxgen.dsp.dynamics import Compressor
        from sfxgen.dsp.reverb import ReverbSettings

        bus = Bus(
            reverb=ReverbSettings(rt60_s=round(rt60, 3), pre_delay_ms=round(8.0 + 8.0 * rt60, 1),
                                  size=float(np.clip(rt60 / 5.0, 0.1, 1.0)), brightness=0.45, wet_db=0.0,
                                  seed=int(seed) % 100000),
            compressor=Compressor(threshold_db=-16.0, ratio=2.0, attack_ms=20.0, release_ms=150.0, knee_db=6.0),
        )
        from sfxgen.export import safe_name
        from sfxgen.layering.rules import default_recipe_name

        recipe = Recipe(name=safe_name(name) if name else default_recipe_name(prompt), layers=layer_list, bus=bus,
                        master=Master(preset=preset, fade_out_ms=MASTER_FADE_MS), sample_rate=sr,
                        prompt=prompt.strip(), kind="texture" if continuous else profile.kind)
        rendered = _realign_on_stems(recipe.validate())
        if _fix_own_faults(recipe, rendered, hero_t=hero_t, space_words=reading.space is not None):
            rendered = None
        return DesignResult(recipe=recipe.validate(), hero_model_id=hero_result.model_id,
                            hero_score=cand.score, picks=picks, reading=reading, hero_profile=profile,
                            render=rendered)

    # ---------------------------------------------------------------- helpers
    def _resample(self, audio, sr_in):
        from sfxgen.audio import resample

        return resample(audio, sr_in, self.sample_rate)

    def _hero_source(self, cand, hero_result, prompt, asset_dir, variation) -> Source:
        # a composed hero (even of one element: it is rendered dry with its own seed and then in
        # the shared space) is not its main patch rendered alone, so it replays from its file
        composed = getattr(cand, "composition", None) is not None
        if cand.patch is not None and not composed:
            return Source(kind="synth", patch=cand.patch.to_dict(), seed=int(cand.seed),
                          duration_s=round(cand.duration_s, 6), prompt=prompt, model_id=hero_result.model_id,
                          description=f"generated hero: {prompt}")
        if asset_dir is None:  # a waveform or composed hero replays from its file
            raise ParameterError("a hero from a waveform or composing model must be saved: pass an asset folder")
        from sfxgen.audio import Bext, write_audio
        from sfxgen.layering.render import file_sha1

        Path(asset_dir).mkdir(parents=True, exist_ok=True)
        path = write_audio(Path(asset_dir) / f"hero_{variation + 1:02d}_seed{cand.seed}.wav", cand.audio,
                           cand.sample_rate, bext=Bext(description=prompt))
        return Source(kind="file", path=Path(path).name, root=str(Path(asset_dir).resolve()), sha1=file_sha1(path),
                      prompt=prompt,
                      model_id=hero_result.model_id, seed=int(cand.seed), description=f"generated hero: {prompt}")

    def _fit_length(self, need: RoleNeed, audio, profile: HeroProfile, rt60: float, continuous: bool):
        """(trim_end_s or None, fade_out_ms) so the layer ends where the design does: one-shot
        layers end with the hero (a tail with the space), a per-step grain before the next step,
        a bed with the hero; the fade lands in the layer's own decay. A one-shot hero "ends" where
        it has died away (``profile.end_s``), not at the end of its file: a layer that rang on
        after it would read as a second sound."""
        sr = self.sample_rate
        length = audio.shape[1] / sr
        t = _transient(audio, sr)
        after = max(0.05, _hero_end_s(profile, continuous) - profile.main_transient_s)
        if need.per_step and len(profile.onsets_s) > 1:
            limit = t + 0.9 * float(np.median(np.diff(profile.onsets_s)))
        elif need.role in ("tail", "bed"):
            limit = t + after + (0.0 if continuous else min(rt60, 6.0) * 0.6)
        else:
            limit = t + after
        if length <= limit + 1e-3:
            return None, float(min(60.0, 300.0 * length))
        return round(limit, 4), float(np.clip(0.4 * (limit - t) * 1000.0, 20.0, 2000.0))

    def _support_source(self, need: RoleNeed, profile: HeroProfile, rt60: float, variation: int, seed: int,
                        exclude=(), continuous: bool = False):
        """The best library file for ``need`` (relevance of name and audio x measured role fit x
        reuse penalty), else a synthesised one. Returns (Source, audio, pick dict with ``why``),
        or None when neither exists (an optional role no named family can render)."""
        sr = self.sample_rate
        if self.library is not None:
            ring = None if continuous or need.role not in RING_ROLES else \
                _hero_end_s(profile, False) - profile.main_transient_s
            found = self._library_pick(need, variation, exclude, hero_ring_s=ring)
            if found is not None:
                return found
        from sfxgen.synth import Patch, render

        if not need.synth_families:
            return None
        family = need.synth_families[0]
        patch = Patch(family).with_params(**role_patch_params(family, need.role))
        base = profile.duration_s if not need.per_step else 0.6
        extra = min(rt60, 6.0) if need.role == "tail" else 0.0
        dur = float(np.clip(base + extra, 0.3, 12.0))
        s = int(seed) * 31 + 1000 * (SUPPORT_ORDER.index(need.role) + 1) + variation
        audio = render(patch, duration_s=dur, sample_rate=sr, seed=s)
        src = Source(kind="synth", patch=patch.to_dict(), seed=s, duration_s=round(dur, 6),
                     description=f"synthesised {need.role}: {patch.info.noun}")
        why = (f"no library file fits: synthesised by the '{family}' family (the first that can fill "
               f"the {need.role} role, families the prompt or hero names first)")
        return src, audio, {"role": need.role, "source": "synth", "family": family, "seed": s,
                            "query": need.query, "why": why}

    def _library_pick(self, need: RoleNeed, variation: int, exclude=(), *, hero_ring_s: float | None = None):
        """The best library file for ``need`` (see :meth:`_support_source`). ``hero_ring_s``: how
        long a one-shot hero sounds after its transient; a candidate that rings on for more than
        :data:`RING_SLACK_S` longer (its own audible end, from its start) fits the role less."""
        from sfxgen.audio import read_audio
        from sfxgen.layering.render import file_sha1
        from sfxgen.library.search import SearchFilters

        sr = self.sample_rate
        max_s = 12.0 if need.role in ("tail", "bed") else 8.0
        try:
            hits = self.library.search(need.query, top_k=8, mode="hybrid",
                                       filters=SearchFilters(max_duration_s=30.0, min_duration_s=0.05))
        except SfxgenError:
            return None
        scored = []
        for hit in hits:
            if hit.path in exclude or float(hit.score) < MIN_RELEVANCE:  # one file fills one role of a design
                continue
            try:  # measured at its own rate: only the file picked is resampled
                audio, file_sr = read_audio(hit.path, max_duration_s=max_s)
            except SfxgenError:
                continue
            if audio.shape[1] < 64 or float(np.max(np.abs(audio))) < 1e-4:
                continue
            cand = measure_hero(audio, file_sr, onsets=False)
            fit = role_fit(need.role, cand)
            if hero_ring_s is not None and cand.end_s is not None:
                fit *= float(np.exp(-max(0.0, cand.end_s - hero_ring_s - RING_SLACK_S)))
            if fit < MIN_ROLE_FIT:
                continue
            score = float(hit.score) * fit * self.ledger.penalty(hit.path)
            scored.append((self.ledger.full(hit.path), -score, hit, fit))
        if not scored:
            return None
        scored.sort(key=lambda r: (r[0], r[1]))
        full, neg, hit, fit = scored[variation % len(scored)] if not scored[0][0] else scored[0]
        if full:  # every fitting file already served MAX_REUSE designs: synthesise instead
            return None
        try:
            audio, _ = read_audio(hit.path, sample_rate=sr, channels=2, max_duration_s=max_s)
        except SfxgenError:
            return None
        from sfxgen.layering.sources import relative_source_path

        rel, root = relative_source_path(hit.path, self.library_roots())
        src = Source(kind="file", path=rel, root=root, sha1=file_sha1(hit.path),
                     description=hit.description or Path(hit.path).name)
        uses = self.ledger.uses(hit.path)
        why = (f"library '{Path(hit.path).name}': relevance {float(hit.score):.2f} to '{need.query}', "
               f"audio fit {fit:.2f} for a {need.role}" + (f", used by {uses} earlier design(s)" if uses else ""))
        return src, audio, {"role": need.role, "source": "library", "query": need.query, "path": hit.path,
                            "score": round(-neg, 4), "relevance": round(float(hit.score), 4),
                            "fit": round(fit, 3), "uses_before": uses, "why": why}

    def _eq_for(self, need: RoleNeed, hero_audio, audio, sr, hero_lufs):
        from sfxgen.dsp.filters import EQ, EQBand

        bands = [EQBand(kind, freq, order=order) for kind, freq, order in need.band]
        staged = EQ(bands=list(bands))(audio, sr) if bands else audio
        gain = 10 ** ((hero_lufs + need.level_lu - _loudness(staged, sr)) / 20.0)
        for freq, cut in carve_bands(hero_audio, staged * gain, sr):
            bands.append(EQBand("peak", round(freq, 2), gain_db=round(cut, 2), q=2.0))
        return bands
