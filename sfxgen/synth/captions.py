"""Natural-language captions for rendered patches, true to the sound.

A patch's caption set is built from its family (noun synonyms and a few scene sentences per
family) and from its parameters read in *physical* terms (:meth:`Patch.physical`): each
attribute is binned, and only bins clearly at one end of the range are put into words —
a middle value says nothing, so a caption never claims what the sound does not do.

==============  ============================================  =================================
attribute       said when (physical value)                    words (examples)
==============  ============================================  =================================
size            u <= 0.25 / >= 0.75 (<= 0.1 / >= 0.9 strong)  small, tiny / large, huge, massive
                (not for most textures, see ``Family.sized``)
pitch           <= -12 st / >= +12 st (±20 strong)            low, deep / high-pitched, shrill
brightness      u <= 0.25 / >= 0.75 (bright only if near)     dark, muffled / bright, crisp
decay           one-shots: <= 0.12 s / >= 2 s                 short, tight / long, ringing
attack          >= 0.3 s (textures >= 1 s)                    swelling, slow fade-in
intensity       u <= 0.25 / >= 0.75                           soft, gentle / powerful, violent
rate            families with rate words: <= 0.5x / >= 2x     slow / fast, rapid
distance        u <= 0.2 / >= 0.75                            close-up / distant, far away
space           rt60 (capped near the clip length: a cut      dry / in a small room / in a hall /
                tail is not judged) and the wet level         in a large warehouse / in a vast
                (:func:`sfxgen.synth.space.wet_gain`)         echoing cavern
width           u <= 0.1 / >= 0.9                             mono / wide stereo
aux slots       u <= 0.2 / >= 0.8 (``Param.low_words`` /      hollow, rattling, on gravel, ...
                ``high_words``; choices: ``choice_words``)
==============  ============================================  =================================

:func:`caption_patch` returns a :class:`Captions` (several captions with varied order and
wording, short tags, the family's UCS CatID), deterministic per ``seed``. :func:`fx_title`
makes a short Title Case name for UCS-style file names.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import asdict, dataclass, field

from sfxgen.synth.patch import Patch

# Words come from each family's own module (:class:`sfxgen.synth.family.Family`): nouns, scenes,
# tags, rate/intensity words, each parameter's low/high or choice words and special words.
# Nouns are (phrase, countable); scenes are sentences with {adj} (pre-noun adjectives, may be
# empty) and {post} (trailing phrases, may be empty); "a" before a vowel becomes "an".


def _special(family, ph, duration_s: float | None) -> list[tuple[str, list[str], list[str], str]]:
    """Counted or categorical readings of ``family``'s parameters for physical values ``ph``:
    ``[(key, adjs, posts, tag), ...]`` from its categorical parameters' choice words, then its
    own ``special_words`` (which follow the renderer's own mapping exactly)."""
    out = []
    for i, p in enumerate(family.params):
        if p.choices:
            posts = list(p.words_for_choice(p.choice(ph.aux[i])))
            if posts:
                out.append((p.name, [], posts, p.choice(ph.aux[i]).split("_")[0]))
    if family.special_words is not None:
        out.extend(family.special_words(ph, duration_s))
    return out


def _nouns(family) -> list[tuple[str, int]]:
    return [tuple(x) for x in family.nouns] or [(family.noun, 1)]


def _scenes(family) -> list[str]:
    return list(family.scenes) or ["a {adj} " + family.noun + "{post}"]


# Attribute words, by level (-2, -1, +1, +2): lists of (word, tag).
_SIZE = {-2: ["tiny", "minuscule", "very small"], -1: ["small", "little"],
         1: ["large", "big"], 2: ["huge", "massive", "enormous", "giant"]}
_PITCH = {-2: ["very low-pitched", "deep", "low-pitched"], -1: ["low-pitched", "deep"],
          1: ["high-pitched"], 2: ["very high-pitched", "high-pitched"]}
_BRIGHT = {-2: ["very dark", "heavily muffled", "dark"], -1: ["dark", "muffled", "dull"],
           1: ["bright", "crisp"], 2: ["very bright", "crisp", "sharp"]}
_INTENSITY = {-2: ["very soft", "delicate", "gentle"], -1: ["soft", "gentle", "light"],
              1: ["powerful", "hard", "forceful"], 2: ["violent", "powerful", "aggressive"]}
_SPACE_POST = {
    "dry": ["with no reverb", "completely dry", "in a dead, dry space"],
    "small room": ["in a small room", "in a small, boxy room", "with a short room reflection"],
    "hall": ["in a hall", "in a large room", "in a reverberant hall"],
    "warehouse": ["in a large warehouse", "in a big empty hall", "in a large reverberant space"],
    "cavern": ["in a vast echoing cavern", "in a huge cave", "with a long cavernous reverb"],
}
_SPACE_TAG = {"dry": "dry", "small room": "room", "hall": "reverberant", "warehouse": "reverberant",
              "cavern": "cavernous"}
_DISTANCE = {-1: (["close-up", "close-miked", "intimate"], ["recorded up close", "close-miked"]),
             1: (["distant", "far-off"], ["in the distance", "heard from far away", "from afar"])}


# ----------------------------------------------------------------------------- binning
def _level(u: float, lo: float = 0.25, hi: float = 0.75, xlo: float = 0.1, xhi: float = 0.9) -> int:
    if u <= xlo:
        return -2
    if u <= lo:
        return -1
    if u >= xhi:
        return 2
    if u >= hi:
        return 1
    return 0


def effective_rt60_s(rt60_s: float, duration_s: float | None) -> float:
    """The RT60 a listener can judge in a clip: a tail much longer than the clip is cut off, so
    a short clip is never called a cavern (capped at 1.2 x the duration + 0.2 s)."""
    if duration_s is None:
        return rt60_s
    return min(rt60_s, 1.2 * duration_s + 0.2)


def space_label(rt60_s: float, wet: float) -> str | None:
    """Name the room from its (effective) RT60 in seconds and reverb return level; None = say nothing."""
    if wet < 0.1:
        return "dry"
    if 0.25 <= rt60_s <= 0.7 and wet >= 0.25:
        return "small room"
    if 1.2 <= rt60_s < 2.7 and wet >= 0.35:
        return "hall"
    if 2.7 <= rt60_s < 5.0 and wet >= 0.4:
        return "warehouse"
    if rt60_s >= 5.0 and wet >= 0.45:
        return "cavern"
    return None


def describe(patch: Patch, *, duration_s: float | None = None) -> dict[str, str]:
    """The attributes clearly at one end, as ``{attribute: label}``.

    Labels are ``"low"``/``"very low"``/``"high"``/``"very high"`` for the common slots (size,
    pitch, brightness, decay, attack, intensity, rate, distance, width), a room name for
    ``space`` (dry, small room, hall, warehouse, cavern), ``"low"``/``"high"`` for aux slots,
    ``"special"`` for counted or categorical aux slots read exactly as the renderer does
    (footsteps surface, UI notes and interval, bell strikes, latch clicks). A middle value has
    no entry. ``duration_s`` caps the RT60 the words may claim (see :func:`effective_rt60_s`).
    """
    ph = patch.physical()
    info = patch.info
    names = {-2: "very low", -1: "low", 1: "high", 2: "very high"}
    out: dict[str, str] = {}

    def put(key, lvl):
        if lvl:
            out[key] = names[lvl]

    if info.is_sized:
        put("size", _level(ph.size))
    st = ph.pitch_st
    put("pitch", -2 if st <= -20 else -1 if st <= -12 else 2 if st >= 20 else 1 if st >= 12 else 0)
    b = _level(ph.brightness)
    if b > 0 and ph.distance >= 0.5:  # air absorption takes the highs away
        b = 0
    put("brightness", b)
    slow_attack = ph.attack_s >= (1.0 if info.kind == "texture" else 0.3)
    if info.kind == "oneshot" and not (slow_attack and ph.decay_s <= 0.12):
        put("decay", -1 if ph.decay_s <= 0.12 else 1 if ph.decay_s >= 2.0 else 0)
    if slow_attack:
        out["attack"] = "high"
    put("intensity", _level(ph.intensity))
    if info.rate_words:
        put("rate", -1 if ph.rate <= 0.5 else 1 if ph.rate >= 2.0 else 0)
    put("distance", -1 if ph.distance <= 0.2 else 1 if ph.distance >= 0.75 else 0)
    from sfxgen.synth.space import wet_gain

    room = space_label(effective_rt60_s(ph.rt60_s, duration_s), wet_gain(ph.space, ph.distance))
    if room == "dry" and ph.distance >= 0.5:
        room = None
    if room:
        out["space"] = room
    put("width", -1 if ph.width <= 0.1 else 1 if ph.width >= 0.9 else 0)
    for key, *_ in _special(info, ph, duration_s):
        out[key] = "special"
    for i, p in enumerate(info.params):
        if p.name in out or p.choices:
            continue
        u = ph.aux[i]
        if u <= 0.2 and p.low_words:
            out[p.name] = "low"
        elif u >= 0.8 and p.high_words:
            out[p.name] = "high"
    return out


# ----------------------------------------------------------------------------- phrasing
@dataclass
class Captions:
    """Captions of one patch: ``captions`` (distinct sentences), ``tags`` (short words), the
    family's UCS ``ucs`` CatID and the ``attributes`` they were built from (see :func:`describe`)."""

    captions: list[str]
    tags: list[str]
    ucs: str
    attributes: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Phrase:
    attr: str
    adjs: list[str]  # pre-noun words (alternatives)
    posts: list[str]  # trailing phrases (alternatives)
    tag: str


def _phrases(patch: Patch, attrs: dict[str, str], duration_s: float | None = None) -> list[_Phrase]:
    info = patch.info
    lv = {"very low": -2, "low": -1, "high": 1, "very high": 2}
    out: list[_Phrase] = []
    specials = {k: (a, p, t) for k, a, p, t in _special(info, patch.physical(), duration_s)}
    for attr, label in attrs.items():
        if label == "special":
            adjs, posts, tag = specials[attr]
            out.append(_Phrase(attr, adjs, posts, tag))
            continue
        if attr == "space":
            post = _SPACE_POST[label]
            adj = ["dry"] if label == "dry" else ["cavernous"] if label == "cavern" else []
            out.append(_Phrase(attr, adj, post, _SPACE_TAG[label]))
            continue
        level = lv[label]
        sign = 1 if level > 0 else -1
        if attr == "size":
            out.append(_Phrase(attr, _SIZE[level], [], _SIZE[level][0]))
        elif attr == "pitch":
            words = list(_PITCH[level])
            if level == 2 and info.tonal_pitch and attrs.get("brightness") not in ("low", "very low"):
                words += ["shrill", "piercing"]
            out.append(_Phrase(attr, words, [], "low-pitched" if sign < 0 else "high-pitched"))
        elif attr == "brightness":
            out.append(_Phrase(attr, _BRIGHT[level], [], "dark" if sign < 0 else "bright"))
        elif attr == "decay":
            if sign < 0:
                out.append(_Phrase(attr, ["short", "tight", "clipped"], ["with a short tail"], "short"))
            else:
                ring = info.ringing
                adjs = ["long", "ringing", "sustained"] if ring else ["long", "lingering"]
                posts = ["with a long ringing tail"] if ring else ["with a long tail", "with a long decay"]
                out.append(_Phrase(attr, adjs, posts, "long"))
        elif attr == "attack":
            out.append(_Phrase(attr, ["swelling", "slow-building"], ["with a slow fade-in", "fading in slowly"], "swell"))
        elif attr == "intensity":
            fam_words = info.intensity_words
            words = list(fam_words[0 if sign < 0 else 1]) if fam_words else _INTENSITY[level]
            out.append(_Phrase(attr, words, [], "soft" if sign < 0 else "intense"))
        elif attr == "rate":
            words = list(info.rate_words[0 if sign < 0 else 1])
            out.append(_Phrase(attr, words, [], "slow" if sign < 0 else "fast"))
        elif attr == "distance":
            adjs, posts = _DISTANCE[sign]
            out.append(_Phrase(attr, adjs, posts, "close" if sign < 0 else "distant"))
        elif attr == "width":
            if sign < 0:
                out.append(_Phrase(attr, ["mono"], ["in mono"], "mono"))
            else:
                out.append(_Phrase(attr, ["wide-stereo"], ["in wide stereo"], "stereo"))
        else:
            p = info.param(attr)
            words = list(p.low_words if sign < 0 else p.high_words)
            tag = words[0].removeprefix("with ").split(" ")[-1] if p.where == "post" else words[0]
            if p.where == "adj":
                out.append(_Phrase(attr, words, [], tag))
            else:
                out.append(_Phrase(attr, [], words, tag))
    return out


_ADJ_ORDER = ("distance", "intensity", "size", "rate", "brightness", "pitch", "decay", "attack", "width", "space")


def _article_fix(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+,", ",", text)
    text = re.sub(r"\b([Aa]) (?=[aeiouAEIOU](?!I\b)(?!ni)(?!se))", r"\1n ", text)
    text = re.sub(r"\ban (?=UI\b)", "a ", text)
    return text


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _rng_for(patch: Patch, seed: int) -> random.Random:
    key = zlib.crc32(patch.family.encode()) ^ zlib.crc32(patch.params.tobytes())
    return random.Random((int(seed) * 1_000_003) ^ key)


_POST_LAST = ("decay", "attack", "width", "space", "distance")  # trailing phrases end with the room


def _pick_words(phrases: list[_Phrase], rng: random.Random, *, max_adj: int, max_post: int):
    """Choose for each phrase an adjective or a trailing phrase; returns (adjs, posts)."""
    adjs: list[tuple[str, str]] = []
    posts: list[tuple[str, str]] = []
    for ph in phrases:
        can_adj, can_post = bool(ph.adjs), bool(ph.posts)
        use_post = can_post and (not can_adj or rng.random() < 0.5)
        if use_post and len(posts) < max_post:
            posts.append((ph.attr, rng.choice(ph.posts)))
        elif can_adj and len(adjs) < max_adj:
            adjs.append((ph.attr, rng.choice(ph.adjs)))
        elif can_post and len(posts) < max_post:
            posts.append((ph.attr, rng.choice(ph.posts)))
    order = {a: i for i, a in enumerate(_ADJ_ORDER)}
    adjs.sort(key=lambda t: order.get(t[0], len(order)))
    posts.sort(key=lambda t: _POST_LAST.index(t[0]) + 1 if t[0] in _POST_LAST else 0)
    seen: list[str] = []
    for _, w in adjs:
        if w not in seen:
            seen.append(w)
    return seen, [w for _, w in posts]


def ucs_catid(patch: Patch) -> str:
    """The UCS CatID of ``patch``: the family's (``Family.ucs_for``: e.g. a clearly steel door
    slam is DOORMetl)."""
    return patch.info.ucs_for(patch.physical())


def caption_patch(patch: Patch, *, n: int = 5, seed: int = 0, duration_s: float | None = None) -> Captions:
    """``n`` distinct captions for ``patch`` (deterministic per ``seed``), tags and UCS CatID.

    Every caption names the family (a noun or scene sentence) and only attributes that
    :func:`describe` finds clearly at one end; different captions cover different subsets,
    orders and synonyms so a text encoder sees varied wording.
    """
    info = patch.info
    nouns, scenes = _nouns(info), _scenes(info)
    attrs = describe(patch, duration_s=duration_s)
    phrases = _phrases(patch, attrs, duration_s)
    rng = _rng_for(patch, seed)
    # the family's first categorical parameter says what the sound is (footsteps *on gravel*):
    # every caption keeps it
    essential = next((p.name for p in info.params if p.choices), None)
    captions: list[str] = []
    tries = 0
    while len(captions) < max(int(n), 1) and tries < 20 * max(int(n), 1):
        tries += 1
        k = len(captions)
        chosen = list(phrases)
        rng.shuffle(chosen)
        chosen.sort(key=lambda p: p.attr != essential)  # (stable: the rest keep their shuffled order)
        if k > 0 and chosen:  # later captions drop some attributes for variety
            keep = rng.randint(max(1, len(chosen) // 2), len(chosen))
            chosen = chosen[:keep]
        adjs, posts = _pick_words(chosen, rng, max_adj=3, max_post=2)
        adj = " ".join(adjs)
        post = (" " + ", ".join(posts)) if posts else ""
        noun, countable = rng.choice(nouns)
        style = k % 5 if k < 5 else rng.randrange(5)
        if style == 0:
            cap = f"{'a ' if countable else ''}{adj} {noun}{post}"
        elif style == 1:
            cap = scenes[rng.randrange(len(scenes))].format(adj=adj, post=post)
        elif style == 2:
            desc = _join(adjs)
            cap = f"{noun}, {desc}{post}" if desc else f"the sound of {'a ' if countable else ''}{noun}{post}"
        elif style == 3:
            cap = f"the sound of {'a ' if countable else ''}{adj} {noun}{post}"
        else:
            cap = scenes[rng.randrange(len(scenes))].format(adj=adj, post=post)
        cap = _article_fix(cap)
        if cap and cap not in captions:
            captions.append(cap)
    cat = ucs_catid(patch)
    tags = list(dict.fromkeys(list(info.tags or (info.noun,)) + [p.tag for p in phrases] + [cat.lower()]))
    return Captions(captions=captions, tags=tags, ucs=cat, attributes=attrs)


def fx_title(patch: Patch, *, seed: int = 0, duration_s: float | None = None, max_words: int = 5) -> str:
    """A short Title Case FX name for a file name, e.g. ``"Huge Dark Metal Clang"``."""
    attrs = describe(patch, duration_s=duration_s)
    phrases = [p for p in _phrases(patch, attrs, duration_s) if p.adjs]
    rng = _rng_for(patch, seed + 7919)
    order = {a: i for i, a in enumerate(_ADJ_ORDER)}
    rng.shuffle(phrases)
    phrases = sorted(phrases[:2], key=lambda p: order.get(p.attr, len(order)))
    noun, _ = rng.choice(_nouns(patch.info))
    words = " ".join([rng.choice(p.adjs) for p in phrases] + [noun]).split()
    words = words[-max_words:]
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)


__all__ = ["Captions", "caption_patch", "describe", "effective_rt60_s", "fx_title", "space_label", "ucs_catid"]
