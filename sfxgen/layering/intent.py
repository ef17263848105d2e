"""What a design needs: the prompt read into source, material, action, size, distance and space,
the hero measured, and from both the supporting roles the design calls for.

Nothing here is a fixed list of sounds: the vocabulary is the synth family registry's (each
family module's keywords, parameter choices such as a footstep's ``surface``, its UCS CatID and
the design roles it can fill) plus the UCS category list. A prompt word that names a family is a
*source*; one that names a surface/material choice or a family that can fill the ``texture``
role is a *material*; size, distance and space words come from small tables of adjectives (the
only words that are not nouns of the registry). The hero is measured (band energy, envelope,
transients, duration) so a layer is only added where the hero leaves room for it: a hero that
already carries its own low end gets no sub, a click gets no boom and no tail, a train of steps
gets a texture aligned per step.

:func:`read_prompt` -> :class:`PromptReading`; :func:`measure_hero` -> :class:`HeroProfile`;
:func:`plan_roles` -> ``[RoleNeed]`` (role, query from the prompt's own words, the audio the
role must have, and the reason).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np

from sfxgen.library.lexical import STOPWORDS

# size / distance adjectives: (words, value); space words: (words, label, rt60_s)
_SIZE_WORDS = ((("tiny", "little", "small", "light", "soft", "gentle", "subtle", "quick", "short"), -1.0),
               (("big", "large", "heavy", "huge", "massive", "giant", "enormous", "epic", "powerful",
                 "thunderous", "colossal", "deep", "cinematic"), 1.0))
_DISTANCE_WORDS = ((("close", "closeup", "close-up", "near", "nearby", "intimate"), "close"),
                   (("distant", "far", "faraway", "far-off", "remote", "background"), "distant"))
_SPACES = (  # (words, label, rt60_s)
    (("cavern", "cave", "cathedral", "canyon", "vast", "huge hall", "echoing", "echo", "mine", "dungeon"),
     "vast cavern", 4.5),
    (("hall", "warehouse", "hangar", "church", "gym", "tunnel", "parking garage", "stairwell"), "large hall", 2.5),
    (("room", "corridor", "hallway", "interior", "indoor", "inside", "kitchen", "office"), "room", 0.8),
    (("small room", "closet", "car interior", "booth", "dry", "bathroom"), "small dry room", 0.35),
    (("outdoor", "outside", "field", "forest", "street", "open air", "park", "beach", "desert"), "outdoor", 0.6),
)
#: words that ask for a continuous, length-filling sound (walks, loops, beds)
_CONTINUOUS_WORDS = ("walk", "walking", "walks", "run", "running", "footsteps", "steps", "loop", "looping",
                     "ambience", "ambiance", "ambient", "bed", "constant", "continuous", "idle", "idling",
                     "drone", "hum", "rain", "wind", "crowd", "traffic", "atmosphere", "background")
#: a duration said in the prompt: "10 seconds", "3 s", "2.5-second"
_DURATION_RE = re.compile(r"(\d+(?:\.\d+)?)\s*-?\s*(s|sec|secs|second|seconds|min|minute|minutes)\b")
#: families of these categories that can fill a texture layer name materials with their first words
_MATERIAL_CATEGORIES = ("impact", "destruction", "foley", "water", "fire", "footstep", "scifi")
#: UI / interface categories: a design for them stays small (no sub, no tail)
_UI_CATEGORIES = ("ui",)


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    """The registry's words: ``family_keys`` (phrase -> families), ``materials`` (material word ->
    families that can render it as a texture layer), ``role_families`` (role -> families)."""
    from sfxgen.synth import FAMILIES

    family_keys: dict[str, list[str]] = {}
    materials: dict[str, list[str]] = {}
    role_families: dict[str, list[str]] = {}
    for fam in FAMILIES.values():
        for kw in fam.all_keywords():
            family_keys.setdefault(kw, []).append(fam.name)
        for role in fam.design_roles:
            role_families.setdefault(role, []).append(fam.name)
        for p in fam.params:
            if p.name in ("material", "surface", "beach"):
                for c in p.choices:
                    materials.setdefault(c.replace("_", " "), [])
        if "texture" in fam.design_roles and fam.category in _MATERIAL_CATEGORIES:
            for kw in [k for k in fam.keywords if " " not in k][:2]:
                materials.setdefault(kw, []).append(fam.name)
    for word in list(materials):  # a surface choice rendered by a texture family that names it
        if not materials[word]:
            materials[word] = [f for f in role_families.get("texture", ())
                               if any(word == c for p in FAMILIES[f].params for c in p.choices)]
    return {"family_keys": family_keys, "materials": materials, "role_families": role_families}


def _has(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text) is not None


@dataclass(frozen=True)
class PromptReading:
    """The prompt read for design. ``families``: registry families the words name, best first
    (the hero's own family is added by :func:`plan_roles`); ``material``: the material/surface
    word, ``material_families``: families that can render it as a texture layer; ``action``:
    the remaining content words (what happens); ``size`` -1 small .. +1 big (0 unsaid);
    ``distance`` "close"/"distant"/None; ``space`` (label, rt60_s) or None; ``continuous``: the
    words ask for a walk/loop/bed; ``duration_s``: a length said in the prompt; ``ucs``: the
    best UCS CatID for the words (None when none matches)."""

    prompt: str
    words: tuple[str, ...]
    families: tuple[str, ...]
    source_words: tuple[str, ...]
    material: str | None
    material_families: tuple[str, ...]
    action: tuple[str, ...]
    size: float
    distance: str | None
    space: tuple[str, float] | None
    continuous: bool
    duration_s: float | None
    ucs: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def prompt_space(prompt: str) -> tuple[str, float] | None:
    """(space label, RT60 s) for the space words in ``prompt``, or None."""
    p = prompt.lower()
    for words, label, rt60 in _SPACES:
        if any(_has(p, w) for w in words):
            return label, rt60
    return None


def _family_ucs(family: str) -> str | None:
    """The CatID a family module files itself under (the words named that family), if valid."""
    from sfxgen.synth import FAMILIES
    from sfxgen.ucs import load_ucs

    cat = getattr(FAMILIES.get(family), "ucs", None)
    return cat if cat and cat in load_ucs() else None


def read_prompt(prompt: str) -> PromptReading:
    """Read ``prompt`` into source, material, action, size, distance and space (see module doc)."""
    from sfxgen.ucs import load_ucs

    text = prompt.lower().strip()
    words = tuple(re.findall(r"[a-z][a-z'-]*", text))
    voc = _vocabulary()
    scores: dict[str, float] = {}
    covered: set[str] = set()
    toks = re.findall(r"[a-z0-9]+", text)
    grams = {" ".join(toks[i:i + k]) for k in range(1, 5) for i in range(len(toks) - k + 1)}
    for phrase, fams in voc["family_keys"].items():
        if " ".join(re.findall(r"[a-z0-9]+", phrase)) in grams:
            for f in fams:
                scores[f] = scores.get(f, 0.0) + len(phrase.split())  # longer phrases say more
            covered.update(phrase.split())
    families = tuple(sorted(scores, key=lambda f: (-scores[f], f)))
    material, mat_fams = None, ()
    for w in words:  # first material word wins ("gravel", "metal", "glass")
        if w in voc["materials"]:
            material, mat_fams = w, tuple(voc["materials"][w])
            break
    size = 0.0
    for ws, v in _SIZE_WORDS:
        if any(w in ws for w in words):
            size = v
    distance = next((label for ws, label in _DISTANCE_WORDS if any(w in ws for w in words)), None)
    space = prompt_space(text)
    space_words = {w for ws, _, _ in _SPACES for p in ws for w in p.split()}
    adjectives = {w for ws, _ in _SIZE_WORDS for w in ws} | {w for ws, _ in _DISTANCE_WORDS for w in ws}
    content = [w for w in words if w not in STOPWORDS and len(w) > 2]
    source_words = tuple(dict.fromkeys(w for w in content if w in covered and w != material))
    action = tuple(dict.fromkeys(w for w in content if w not in covered and w != material
                                 and w not in space_words and w not in adjectives))
    dur = None
    m = _DURATION_RE.search(text)
    if m:
        dur = float(m.group(1)) * (60.0 if m.group(2).startswith("min") else 1.0)
    continuous = any(w in _CONTINUOUS_WORDS for w in words)
    ucs = _family_ucs(families[0]) if families else None
    if ucs is None:
        hits = load_ucs().find(" ".join(content)) if content else ()
        ucs = hits[0].cat_id if hits else None
    return PromptReading(prompt=prompt.strip(), words=words, families=families, source_words=source_words,
                         material=material, material_families=mat_fams, action=action, size=size,
                         distance=distance, space=space, continuous=continuous, duration_s=dur,
                         ucs=ucs)


# ----------------------------------------------------------------------------- the hero
@dataclass(frozen=True)
class HeroProfile:
    """The hero measured: ``duration_s``; band shares of its energy (dB re total) below 40 Hz,
    below 120 Hz and above 4 kHz; ``attack_s``/``decay_s`` of its envelope; ``onsets_s`` (its
    transients, ascending) and ``main_transient_s``; ``kind`` from its family (oneshot, texture,
    tonal) or, without one, from the onsets (several evenly strong hits = texture); ``end_s``:
    where it has died away (:func:`sfxgen.dsp.analysis.audible_end_s` at :data:`END_DB`; None
    when not measured)."""

    duration_s: float
    sub40_db: float
    low120_db: float
    high4k_db: float
    attack_s: float
    decay_s: float
    onsets_s: tuple[float, ...]
    main_transient_s: float
    kind: str
    family: str | None = None
    category: str | None = None
    elements: tuple[str, ...] = ()
    end_s: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def band_shares_db(audio, sample_rate: int, edges_hz=(40.0, 120.0, 4000.0)) -> tuple[float, ...]:
    """Energy below each of ``edges_hz`` relative to the total (dB, <= 0; channels pooled, one
    periodogram), as :func:`sfxgen.dsp.analysis.band_energy_db` for several edges at once.
    -120 for each edge on silence."""
    x = np.atleast_2d(np.asarray(audio, np.float32))
    p = np.square(np.abs(np.fft.rfft(x, axis=-1))).sum(axis=0)
    f = np.fft.rfftfreq(x.shape[-1], 1.0 / sample_rate)
    total = float(p.sum())
    if total <= 0:
        return tuple(-120.0 for _ in edges_hz)
    c = np.cumsum(p)
    return tuple(float(10 * np.log10(max(c[max(0, int(np.searchsorted(f, e)) - 1)] / total, 1e-12)))
                 for e in edges_hz)


#: a one-shot has ended once its level stays this far under its loudest 50 ms (the rest of its
#: decay is faded away: the design's own end, and where one-shot support layers stop)
END_DB = -50.0


def measure_hero(audio: np.ndarray, sample_rate: int, *, family: str | None = None,
                 elements=(), onsets: bool = True) -> HeroProfile:
    """Measure a hero ``(channels, n)``; ``family``: its patch family (None for waveform heroes);
    ``elements``: the families of a composed hero's elements, when it has them. ``onsets=False``
    skips the transient analysis (a library candidate measured for its role only)."""
    from sfxgen.dsp.analysis import audible_end_s, envelope_times_s
    from sfxgen.dsp.onsets import detect_onsets, main_transient_s
    from sfxgen.errors import ParameterError
    from sfxgen.synth import FAMILIES

    sr = int(sample_rate)
    x = np.asarray(audio, np.float32)
    sub40, low120, below4k = band_shares_db(x, sr)
    high = 10 * np.log10(max(1e-12, 1.0 - 10 ** (below4k / 10)))
    try:
        attack, decay = envelope_times_s(x, sr)
    except ParameterError:
        attack = decay = 0.0
    on, t_main = np.zeros(0), 0.0
    if onsets:
        try:
            on, _ = detect_onsets(x, sr)
            t_main = main_transient_s(x, sr)
        except ParameterError:
            pass
    fam = FAMILIES.get(family) if family else None
    if fam is not None:
        kind = fam.kind
    else:
        kind = "texture" if on.size >= 4 else "oneshot"
    return HeroProfile(duration_s=round(x.shape[-1] / sr, 4), sub40_db=round(float(sub40), 2),
                       low120_db=round(float(low120), 2), high4k_db=round(float(high), 2),
                       attack_s=round(float(attack), 4), decay_s=round(float(decay), 4),
                       onsets_s=tuple(round(float(t), 4) for t in on), main_transient_s=round(float(t_main), 4),
                       kind=kind, family=family, category=fam.category if fam is not None else None,
                       elements=tuple(elements), end_s=round(audible_end_s(x, sr, floor_db=END_DB), 4))


# ----------------------------------------------------------------------------- roles
@dataclass(frozen=True)
class RoleNeed:
    """A supporting role the design needs: ``query`` (library text, from the prompt's words),
    ``want`` (what its audio must measure, see :func:`role_fit`), ``per_step`` (placed on each
    of the hero's transients rather than once), ``synth_families`` (fallbacks that can render
    the role, best first) and ``reason`` (why the role is in the design)."""

    role: str
    query: str
    want: dict
    reason: str
    synth_families: tuple[str, ...]
    per_step: bool = False
    level_lu: float = -9.0
    send_db: float | None = -12.0
    band: tuple = ()
    extras: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


#: Audio a role must have (see :func:`role_fit`): low-band share, high-band share, duration, decay.
ROLE_AUDIO = {
    "sub": {"low120_min_db": -3.0, "max_duration_s": 8.0},
    "texture": {"high4k_min_db": -16.0, "low120_max_db": -6.0},
    "tail": {"decay_min_s": 0.8, "min_duration_s": 1.0},
    "transient": {"attack_max_s": 0.01, "max_duration_s": 1.5, "high4k_min_db": -20.0},
    "body": {"low120_max_db": -1.0, "max_duration_s": 4.0},
    "sweetener": {"max_duration_s": 6.0},
    "bed": {"min_duration_s": 2.0},
}
#: role level under the hero (LU), reverb send (dB or None) and band-limit (kind, freq_hz, order)
ROLE_MIX = {
    "sub": (-5.0, None, (("highpass", 35.0, 4), ("lowpass", 140.0, 4))),
    "texture": (-9.0, -12.0, (("highpass", 250.0, 2),)),
    "tail": (-11.0, -4.0, (("highpass", 120.0, 2),)),
    "transient": (-9.0, -18.0, (("highpass", 900.0, 2),)),
    "body": (-7.0, -12.0, (("highpass", 60.0, 2), ("lowpass", 6000.0, 2))),
    "sweetener": (-13.0, -8.0, (("highpass", 300.0, 2),)),
    "bed": (-14.0, -10.0, (("highpass", 60.0, 2),)),
}


def role_fit(role: str, profile: HeroProfile) -> float:
    """How well a measured sound (a :class:`HeroProfile` of a library file) has the audio
    ``role`` asks for, in (0, 1]: each unmet requirement multiplies by a factor that falls with
    the miss (a sub with no low end, a 'transient' that swells in over 200 ms)."""
    want = ROLE_AUDIO.get(role, {})
    f = 1.0

    def miss(amount: float, scale: float) -> float:
        return float(np.exp(-max(0.0, amount) / scale))

    if "low120_min_db" in want:
        f *= miss(want["low120_min_db"] - profile.low120_db, 6.0)
    if "low120_max_db" in want:
        f *= miss(profile.low120_db - want["low120_max_db"], 3.0)
    if "high4k_min_db" in want:
        f *= miss(want["high4k_min_db"] - profile.high4k_db, 8.0)
    if "max_duration_s" in want:
        f *= miss(profile.duration_s - want["max_duration_s"], 3.0)
    if "min_duration_s" in want:
        f *= miss(want["min_duration_s"] - profile.duration_s, 0.5)
    if "decay_min_s" in want:
        f *= miss(want["decay_min_s"] - profile.decay_s, 0.5)
    if "attack_max_s" in want:
        f *= miss(profile.attack_s - want["attack_max_s"], 0.03)
    return max(f, 1e-6)


def _query(*parts) -> str:
    out: list[str] = []
    for p in parts:
        for w in (p if isinstance(p, (list, tuple)) else str(p or "").split()):
            if w and w not in out:
                out.append(w)
    return " ".join(out)


def _role_words(role: str, prefer: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A registry word for ``role``: the first keyword of a family the prompt names that can fill
    it, or of the one family that fills it when there is only one (``sub_drop`` for the sub);
    nothing otherwise (the measured audio then decides what fits the role)."""
    from sfxgen.synth import FAMILIES

    fams = [f for f in prefer if f in FAMILIES and role in FAMILIES[f].design_roles]
    every = _vocabulary()["role_families"].get(role, [])
    if not fams and len(every) == 1:
        fams = every
    return tuple(FAMILIES[f].keywords[0] for f in fams[:1] if FAMILIES[f].keywords)


#: roles that only enhance a design: synthesised only by a family the prompt or hero names
#: (a generic stand-in, say a bow shot as every soft hit's transient, is worse than no layer)
OPTIONAL_ROLES = ("transient", "body", "sweetener", "bed")


def _ranked_families(role: str, reading: PromptReading, extra=()) -> tuple[str, ...]:
    """Families that can render ``role``: those the prompt (material, source) or the hero names
    first; for the roles every design may need (sub, texture, tail) then every other one."""
    cands = _vocabulary()["role_families"].get(role, [])
    named = [f for f in (*reading.material_families, *reading.families, *extra) if f in cands]
    return tuple(dict.fromkeys(named + ([] if role in OPTIONAL_ROLES else list(cands))))


def query_for(role: str, reading: PromptReading, *, families=()) -> str:
    """The library query for ``role``: the prompt's own words that matter to it (material,
    source, action, space) and one word of the registry families that fill the role."""
    from sfxgen.synth import FAMILIES

    fam = next((f for f in families if f in FAMILIES), None)
    src = reading.source_words or (tuple(FAMILIES[fam].noun.split()) if fam else ())
    mat = (reading.material,) if reading.material else ()
    sp = reading.space[0] if reading.space else "large"
    parts = {
        "texture": (mat, src, reading.action[:2], _role_words("texture", reading.material_families)),
        "sub": (src, reading.action[:1], _role_words("sub")),
        "tail": (sp, src, _role_words("tail", tuple(families))),
        "transient": (mat, src, _role_words("transient", reading.families)),
        "body": (mat, src, _role_words("body", reading.families)),
        "bed": (sp, _role_words("bed", tuple(families))),
        "sweetener": (src, reading.action[:1], _role_words("sweetener", tuple(families))),
    }[role]
    return _query(*parts)


def plan_roles(reading: PromptReading, hero: HeroProfile, *, max_layers: int) -> list[RoleNeed]:
    """The supporting roles this prompt and hero need, most important first, at most ``max_layers``.

    Rules (each need records its reason): a texture when the prompt names a material or the hero
    is a train of events (placed per step); a sub only for big or heavy sounds whose hero lacks
    low end (never for UI, small or distant sounds, or continuous beds); a tail only when the
    words ask for a space larger than a room or the sound is big and one-shot; a transient for
    one-shots whose hero attack is soft; a body for impacts with little low-mid weight; a
    sweetener for tonal/designed heroes; a bed for walks and ambiences in a named space."""
    from sfxgen.synth import FAMILIES

    fams = tuple(dict.fromkeys((*reading.families, *((hero.family,) if hero.family else ()), *hero.elements)))
    cats = {FAMILIES[f].category for f in fams if f in FAMILIES}
    ucs_ui = bool(reading.ucs and reading.ucs.upper().startswith("UI")) and not reading.families
    is_ui = bool(cats & set(_UI_CATEGORIES)) or ucs_ui or (hero.family and FAMILIES[hero.family].ucs.startswith("UI"))
    steps = hero.kind == "texture" and len(hero.onsets_s) >= 3 and "footstep" in cats
    named_kind = FAMILIES[reading.families[0]].kind if reading.families else hero.kind
    continuous = reading.continuous or (hero.kind == "texture" and named_kind == "texture")
    big = reading.size > 0 or cats & {"explosion", "weather"} or any(
        w in reading.words for w in ("slam", "crash", "boom", "impact", "explosion", "hit"))
    small = reading.size < 0 or is_ui
    big_space = reading.space is not None and reading.space[1] >= 2.0
    mat = (reading.material,) if reading.material else ()
    needs: list[RoleNeed] = []

    def add(role, reason, **kw):
        query = query_for(role, reading, families=fams)
        lvl, send, band = ROLE_MIX[role]
        kw.setdefault("level_lu", lvl)
        kw.setdefault("send_db", send)
        needs.append(RoleNeed(role=role, query=query, want=dict(ROLE_AUDIO[role]), reason=reason,
                              synth_families=_ranked_families(role, reading, fams), band=band, **kw))

    # texture: the material the words name, or the grain of a train of steps
    if mat or steps or (not is_ui and hero.high4k_db < -18.0 and not continuous):
        if mat:
            why = f"the prompt names the material '{reading.material}'"
        elif steps:
            why = f"the hero is a train of {len(hero.onsets_s)} steps: a texture per step"
        else:
            why = f"the hero has little top end ({hero.high4k_db:.0f} dB above 4 kHz): detail on top"
        add("texture",
            why, per_step=steps, send_db=-16.0 if steps else ROLE_MIX["texture"][1])
    # sub: weight for big one-shots whose hero has no low end of its own
    if big and not small and not continuous and reading.distance != "distant" and hero.low120_db < -4.0:
        add("sub",
            f"a big {'/'.join(reading.source_words[:2]) or 'one-shot'} whose hero has only "
            f"{hero.low120_db:.0f} dB of its energy under 120 Hz")
    # tail: the space the words name (or the bloom of a big one-shot)
    if not is_ui and (big_space or (big and not continuous and reading.space is None and reading.size > 0)):
        sp = reading.space[0] if reading.space else "large"
        add("tail",
            f"the words ask for a {sp} ({reading.space[1]:g} s RT60)" if reading.space
            else "a big one-shot blooms into a tail", level_lu=-9.0 if big_space else -12.0)
    # transient: a soft hero attack on a one-shot
    hits = big or cats & {"impact", "door", "weapon", "destruction", "foley"}
    if not continuous and hero.attack_s > 0.015 and hits and not small:
        add("transient",
            f"the hero's attack is soft ({hero.attack_s * 1000:.0f} ms): a crisp front")
    # body: impacts with little low-mid weight (not UI, not small)
    if not continuous and not small and hero.low120_db < -12.0 and (big or "impact" in cats or "door" in cats):
        add("body",
            f"the hero is thin ({hero.low120_db:.0f} dB under 120 Hz): weight in the low mids")
    # bed: walks and ambiences in a named space
    if continuous and reading.space is not None and not is_ui:
        add("bed",
            f"a continuous sound in a {reading.space[0]}: a bed of the space under it")
    # sweetener: designed/tonal heroes, creatures, magic
    if hero.kind == "tonal" or cats & {"magic", "creature", "scifi"} or is_ui:
        add("sweetener",
            "a designed sound: an air/movement sweetener" if not is_ui else "a UI sound: a light sweetener")
    return needs[: max(0, int(max_layers))]


__all__ = ["HeroProfile", "PromptReading", "RoleNeed", "ROLE_AUDIO", "ROLE_MIX", "measure_hero", "plan_roles",
           "prompt_space", "query_for", "read_prompt", "role_fit"]
