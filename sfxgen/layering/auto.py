"""Auto-layering: from a prompt to a :class:`~sfxgen.layering.recipe.Recipe`.

1. **hero** -- the hero pipeline makes candidates; the best CLAP match (first) is the hero.
2. **roles** -- supporting roles are derived from the prompt: a ``sub`` for weight, a ``texture``
   for the material, a ``tail`` for the space, then ``transient``, ``body``, ``sweetener``.
   Each role has a text query built from the prompt's material and space words.
3. **sources** -- each role is retrieved from the library index (hybrid search; variation ``v``
   takes the ``v``-th distinct hit), or, with no index or no hit, synthesised by the procedural
   engine (a role-specific patch), so a design always completes.
4. **alignment** -- every layer's main transient (spectral-flux onsets) is placed on the hero's.
5. **gain staging** -- each layer sits a role-specific number of LU under the hero.
6. **EQ carving** -- measured masking: in third-octave bands where the hero is strong and the
   layer comes within 6 dB of it, the layer gets a peak cut (up to 9 dB, three bands at most),
   on top of a role band-limit (sub low-passed, texture/tail high-passed).
7. **space** -- sends into one shared reverb whose RT60 follows the prompt's space words (or the
   hero patch's own space), a gentle glue compressor on the bus, master to the preset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sfxgen.errors import ParameterError, SfxgenError
from sfxgen.layering.recipe import Bus, Layer, Master, Recipe, Source

SUPPORT_ORDER = ("sub", "texture", "tail", "transient", "body", "sweetener")


@dataclass(frozen=True)
class RolePlan:
    """How a supporting role is found and placed."""

    role: str
    query: str  # "{material}" and "{space}" are filled from the prompt
    level_lu: float  # loudness relative to the hero
    send_db: float | None
    band: tuple  # role band-limit: (("highpass"|"lowpass", freq_hz, order), ...)
    synth_family: str  # rendered with its ``Family.role_params[role]`` (plus ``synth_params``)
    synth_params: dict = field(default_factory=dict)
    max_duration_s: float = 20.0


ROLE_PLANS: dict[str, RolePlan] = {
    "sub": RolePlan("sub", "deep low boom sub rumble impact", -4.0, None,
                    (("highpass", 25.0, 2), ("lowpass", 140.0, 4)), "sub_drop"),
    "texture": RolePlan("texture", "{material} texture debris detail", -9.0, -10.0,
                        (("highpass", 250.0, 2),), "impact_metal"),
    "tail": RolePlan("tail", "{space} reverberant rumble tail decay", -10.0, -4.0,
                     (("highpass", 120.0, 2),), "thunder"),
    "transient": RolePlan("transient", "sharp {material} click snap transient", -8.0, -18.0,
                          (("highpass", 900.0, 2),), "switch_click"),
    "body": RolePlan("body", "{material} impact thud body", -6.0, -12.0,
                     (("highpass", 60.0, 2), ("lowpass", 6000.0, 2)), "impact_wood"),
    "sweetener": RolePlan("sweetener", "whoosh air movement sweetener", -12.0, -8.0,
                          (("highpass", 300.0, 2),), "whoosh"),
}

_MATERIALS = {
    "metal": ("metal", "impact_metal"), "steel": ("metal", "impact_metal"), "iron": ("metal", "impact_metal"),
    "rusty": ("metal", "impact_metal"), "spaceship": ("metal", "impact_metal"), "metallic": ("metal", "impact_metal"),
    "wood": ("wood", "impact_wood"), "wooden": ("wood", "impact_wood"), "glass": ("glass", "glass_shatter"),
    "stone": ("stone", "impact_stone"), "rock": ("stone", "impact_stone"), "concrete": ("stone", "impact_stone"),
    "water": ("water", "water_splash"), "splash": ("water", "water_splash"), "fire": ("fire", "fire"),
    "electric": ("electric", "electric_sparks"), "laser": ("electric", "electric_sparks"),
    "magic": ("electric", "electric_sparks"), "cloth": ("cloth", "cloth_rustle"),
}
_SPACES = (  # (words, label, rt60_s)
    (("cavern", "cave", "cathedral", "canyon", "vast", "huge hall", "echoing"), "vast cavern", 4.5),
    (("hall", "warehouse", "hangar", "church", "gym", "tunnel"), "large hall", 2.5),
    (("room", "corridor", "hallway", "interior", "indoor", "inside"), "room", 0.8),
    (("small room", "closet", "car interior", "booth", "dry", "close"), "small dry room", 0.35),
    (("outdoor", "outside", "field", "forest", "street", "open air"), "outdoor", 0.6),
)


def role_patch_params(family: str, role: str) -> dict:
    """The named normalised values ``family`` is rendered with as a ``role`` layer: its module's
    ``Family.role_params[role]``. Raises ParameterError when the family does not declare that
    design role."""
    from sfxgen.synth import FAMILIES

    fam = FAMILIES.get(family)
    if fam is None or role not in fam.design_roles:
        raise ParameterError(f"the sound family {family!r} cannot fill the {role!r} role of a design")
    return dict(fam.role_params.get(role, {}))


def prompt_material(prompt: str) -> tuple[str, str]:
    """(material word, synth family) named in ``prompt``; default metal."""
    for w in re.findall(r"[a-z]+", prompt.lower()):
        if w in _MATERIALS:
            return _MATERIALS[w]
    return ("metal", "impact_metal")


def prompt_space(prompt: str) -> tuple[str, float] | None:
    """(space label, RT60 s) for space words in ``prompt``, or None."""
    p = prompt.lower()
    for words, label, rt60 in _SPACES:
        if any(re.search(rf"\b{re.escape(w)}\b", p) for w in words):
            return label, rt60
    return None


def role_query(role: str, prompt: str) -> str:
    """The library query for ``role`` given the user's prompt."""
    material, _ = prompt_material(prompt)
    space = prompt_space(prompt)
    return ROLE_PLANS[role].query.format(material=material, space=space[0] if space else "large")


@dataclass
class DesignResult:
    """A designed effect: its recipe plus what was picked and why (for reports and the UI)."""

    recipe: Recipe
    hero_model_id: str
    hero_score: float | None
    picks: list[dict]
    #: the un-mastered render of ``recipe`` made by the alignment check, when it moved nothing
    #: (``sfxgen.layering.render.master_render`` finishes it); ``None`` when the recipe changed after it
    render: Any = field(default=None, repr=False, compare=False)


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
        if layer.role in ("hero", "tail") or layer.name not in stems:
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


class AutoDesigner:
    """Builds recipes from prompts with a hero pipeline and an optional library.

    ``generator``: a hero pipeline (``sfxgen.generate.load_pipeline()``); ``library``: an open
    :class:`sfxgen.library.Library` or None (then every support layer is synthesised).
    """

    def __init__(self, generator, *, library=None, sample_rate: int = 48000):
        self.generator = generator
        self.library = library
        self.sample_rate = sample_rate

    def design(self, prompt: str, *, preset: str = "ebu-r128", layers: int = 3, seed: int = 0,
               duration_s: float | None = None, variation: int = 0, num_candidates: int = 4,
               name: str | None = None, asset_dir=None, hero_result=None) -> DesignResult:
        """One designed effect. ``variation`` picks the next candidate/hit and nudges pitch/timing."""
        if not isinstance(prompt, str) or not prompt.strip():
            raise ParameterError("the prompt is empty: describe the sound you want")
        if not 0 <= int(layers) <= len(SUPPORT_ORDER):
            raise ParameterError(f"layers must be between 0 and {len(SUPPORT_ORDER)} supporting layers, got {layers}")
        from sfxgen.loudness import get_preset

        get_preset(preset)
        sr = self.sample_rate
        rng = np.random.default_rng([int(seed), int(variation), 7])
        if hero_result is None:
            hero_result = self.generator(prompt, duration_s=duration_s, num_variations=max(num_candidates, variation + 1),
                                         seed=int(seed))
        cand = hero_result.candidates[variation % len(hero_result.candidates)]
        hero_src = self._hero_source(cand, hero_result, prompt, asset_dir, variation)
        hero_audio = cand.audio if cand.sample_rate == sr else self._resample(cand.audio, cand.sample_rate)
        hero_t = _transient(hero_audio, sr)
        hero_lufs = _loudness(hero_audio, sr)
        space = prompt_space(prompt)
        if space is None and cand.patch is not None:
            rt60 = float(np.clip(cand.patch.physical().rt60_s, 0.3, 6.0))
            space = ("hero space", rt60)
        rt60 = space[1] if space else 1.2

        layer_list = [Layer(name="hero", role="hero", source=hero_src, reverb_send_db=-14.0,
                            fade_out_ms=20.0)]
        raw = {"hero": hero_audio}
        picks = [{"role": "hero", "source": "generated", "model_id": hero_result.model_id, "seed": cand.seed,
                  "score": cand.score}]
        _, material_family = prompt_material(prompt)
        for role in SUPPORT_ORDER[: int(layers)]:
            plan = ROLE_PLANS[role]
            src, audio, pick = self._support_source(role, plan, prompt, material_family, variation, hero_audio, seed)
            raw[role] = audio
            picks.append(pick)
            eq = self._eq_for(plan, hero_audio, audio, sr, hero_lufs)
            gain = float(np.clip(hero_lufs + plan.level_lu - _loudness(audio, sr), -40.0, 24.0))
            layer_list.append(Layer(name=role, role=role, source=src, gain_db=round(gain, 3), eq=eq,
                                    reverb_send_db=plan.send_db, fade_in_ms=2.0, fade_out_ms=60.0))
        # align transients on the hero's; micro timing/pitch nudges per variation
        from sfxgen.layering.render import process_layer

        starts = {}
        for layer in layer_list:
            # measured after the layer's own edits (EQ group delay, fades), as it will be placed
            t = hero_t if layer.role == "hero" else _transient(process_layer(layer, raw[layer.name], sample_rate=sr), sr)
            jitter = 0.0 if (variation == 0 or layer.role == "hero") else float(rng.uniform(-8.0, 8.0))
            starts[layer.name] = hero_t - t + jitter * 1e-3
        base = min(starts.values())
        for layer in layer_list:
            layer.offset_ms = round((starts[layer.name] - base) * 1000.0, 3)
            if variation and layer.role != "tail":
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
        from sfxgen.naming import file_stem

        recipe = Recipe(name=safe_name(name) if name else file_stem(prompt), layers=layer_list, bus=bus,
                        master=Master(preset=preset), sample_rate=sr, prompt=prompt.strip())
        rendered = _realign_on_stems(recipe.validate())
        return DesignResult(recipe=recipe.validate(), hero_model_id=hero_result.model_id,
                            hero_score=cand.score, picks=picks, render=rendered)

    # ---------------------------------------------------------------- helpers
    def _resample(self, audio, sr_in):
        from sfxgen.audio import resample

        return resample(audio, sr_in, self.sample_rate)

    def _hero_source(self, cand, hero_result, prompt, asset_dir, variation) -> Source:
        if cand.patch is not None:
            return Source(kind="synth", patch=cand.patch.to_dict(), seed=int(cand.seed),
                          duration_s=round(cand.duration_s, 6), prompt=prompt, model_id=hero_result.model_id,
                          description=f"generated hero: {prompt}")
        if asset_dir is None:
            raise ParameterError("a hero from a waveform model must be saved: pass an asset folder")
        from sfxgen.audio import Bext, write_audio
        from sfxgen.layering.render import file_sha1

        Path(asset_dir).mkdir(parents=True, exist_ok=True)
        path = write_audio(Path(asset_dir) / f"hero_{variation + 1:02d}_seed{cand.seed}.wav", cand.audio,
                           cand.sample_rate, bext=Bext(description=prompt))
        return Source(kind="file", path=str(Path(path).resolve()), sha1=file_sha1(path), prompt=prompt,
                      model_id=hero_result.model_id, seed=int(cand.seed), description=f"generated hero: {prompt}")

    def _support_source(self, role, plan, prompt, material_family, variation, hero_audio, seed):
        sr = self.sample_rate
        if self.library is not None:
            from sfxgen.audio import read_audio
            from sfxgen.layering.render import file_sha1
            from sfxgen.library.search import SearchFilters

            query = role_query(role, prompt)
            try:
                hits = self.library.search(query, top_k=8, mode="hybrid",
                                           filters=SearchFilters(max_duration_s=plan.max_duration_s, min_duration_s=0.05))
            except SfxgenError:
                hits = []
            for k in range(len(hits)):
                hit = hits[(variation + k) % len(hits)]
                try:
                    audio, _ = read_audio(hit.path, sample_rate=sr, channels=2, max_duration_s=plan.max_duration_s)
                    if float(np.max(np.abs(audio))) < 1e-4:
                        continue
                    src = Source(kind="file", path=str(Path(hit.path).resolve()), sha1=file_sha1(hit.path),
                                 description=hit.description or Path(hit.path).name)
                    return src, audio, {"role": role, "source": "library", "query": query, "path": hit.path,
                                        "score": round(float(hit.score), 4)}
                except SfxgenError:
                    continue
        from sfxgen.synth import Patch, render

        family = material_family if role == "texture" else plan.synth_family
        patch = Patch(family).with_params(**{**role_patch_params(family, role), **plan.synth_params})
        dur = float(np.clip(hero_audio.shape[1] / sr, 0.5, 8.0))
        s = int(seed) * 31 + 1000 * (SUPPORT_ORDER.index(role) + 1) + variation
        audio = render(patch, duration_s=dur, sample_rate=sr, seed=s)
        src = Source(kind="synth", patch=patch.to_dict(), seed=s, duration_s=round(dur, 6),
                     description=f"synthesised {role}: {patch.info.noun}")
        return src, audio, {"role": role, "source": "synth", "family": family, "seed": s}

    def _eq_for(self, plan, hero_audio, audio, sr, hero_lufs):
        from sfxgen.dsp.filters import EQ, EQBand

        bands = [EQBand(kind, freq, order=order) for kind, freq, order in plan.band]
        staged = EQ(bands=list(bands))(audio, sr)
        gain = 10 ** ((hero_lufs + plan.level_lu - _loudness(staged, sr)) / 20.0)
        for freq, cut in carve_bands(hero_audio, staged * gain, sr):
            bands.append(EQBand("peak", round(freq, 2), gain_db=round(cut, 2), q=2.0))
        return bands
