"""Natural-language captions for rendered patches, true to the sound.

A patch's caption set is built from its family (noun synonyms and a few scene sentences per
family) and from its parameters read in *physical* terms (:meth:`Patch.physical`): each
attribute is binned, and only bins clearly at one end of the range are put into words —
a middle value says nothing, so a caption never claims what the sound does not do.

==============  ============================================  =================================
attribute       said when (physical value)                    words (examples)
==============  ============================================  =================================
size            u <= 0.25 / >= 0.75 (<= 0.1 / >= 0.9 strong)  small, tiny / large, huge, massive
                (not for most textures, see _SIZED_TEXTURES)
pitch           <= -12 st / >= +12 st (±20 strong)            low, deep / high-pitched, shrill
brightness      u <= 0.25 / >= 0.75 (bright only if near)     dark, muffled / bright, crisp
decay           one-shots: <= 0.12 s / >= 2 s                 short, tight / long, ringing
attack          >= 0.3 s (textures >= 1 s)                    swelling, slow fade-in
intensity       u <= 0.25 / >= 0.75                           soft, gentle / powerful, violent
rate            rhythmic families: <= 0.5x / >= 2x            slow / fast, rapid
distance        u <= 0.2 / >= 0.75                            close-up / distant, far away
space           rt60 (capped near the clip length: a cut      dry / in a small room / in a hall /
                tail is not judged) and the wet level         in a large warehouse / in a vast
                (:func:`sfxgen.synth.space.wet_gain`)         echoing cavern
width           u <= 0.1 / >= 0.9                             mono / wide stereo
aux slots       u <= 0.2 / >= 0.8 (family specific)           hollow, rattling, on gravel, ...
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

from sfxgen.synth.patch import FAMILIES, Patch

# ----------------------------------------------------------------------------- vocabulary
# Family nouns: (phrase, countable). Scenes: sentences with {adj} (pre-noun adjectives, may be
# empty) and {post} (trailing phrases, may be empty); "a" before a vowel becomes "an".
_FAMILY_TEXT: dict[str, dict] = {
    "impact_metal": dict(
        nouns=[("metal impact", 1), ("metal clang", 1), ("steel hit", 1), ("metallic strike", 1), ("clang", 1)],
        scenes=["a {adj} steel beam struck{post}", "clang of a {adj} metal pipe{post}",
                "a {adj} metal plate hit with a hammer{post}", "a {adj} iron bar struck{post}"],
        tags=["metal", "impact", "clang", "hit"]),
    "impact_wood": dict(
        nouns=[("wood impact", 1), ("wooden knock", 1), ("wood hit", 1), ("timber thud", 1)],
        scenes=["a {adj} wooden plank struck{post}", "knock on a {adj} wooden box{post}",
                "a {adj} piece of timber hit{post}"],
        tags=["wood", "impact", "knock", "hit"]),
    "impact_glass": dict(
        nouns=[("glass impact", 1), ("glass clink", 1), ("glass tap", 1), ("glassy hit", 1)],
        scenes=["a {adj} glass struck{post}", "a {adj} glass bottle tapped{post}", "clink of a {adj} glass{post}"],
        tags=["glass", "impact", "clink"]),
    "impact_stone": dict(
        nouns=[("stone impact", 1), ("rock hit", 1), ("stone thud", 1), ("rock impact", 1)],
        scenes=["a {adj} rock dropped onto stone{post}", "a {adj} stone block hit{post}", "a {adj} boulder impact{post}"],
        tags=["stone", "rock", "impact"]),
    "impact_body": dict(
        nouns=[("body punch", 1), ("punch", 1), ("body hit", 1), ("fight hit", 1), ("body blow", 1)],
        scenes=["a {adj} punch to the body{post}", "a {adj} fist hitting a body{post}", "a {adj} fight punch impact{post}"],
        tags=["punch", "fight", "body", "hit"]),
    "whoosh": dict(
        nouns=[("whoosh", 1), ("swish", 1), ("swoosh", 1), ("air whoosh", 1), ("pass-by whoosh", 1)],
        scenes=["a {adj} whoosh of something flying past{post}", "a {adj} swish through the air{post}",
                "a {adj} air swoosh transition{post}"],
        tags=["whoosh", "swish", "air", "transition"]),
    "riser": dict(
        nouns=[("riser", 1), ("rising sweep", 1), ("build-up", 1), ("tension riser", 1)],
        scenes=["a {adj} riser building up{post}", "a {adj} sound rising in pitch{post}", "a {adj} rising tension sweep{post}"],
        tags=["riser", "rising", "build-up", "designed"]),
    "downer": dict(
        nouns=[("downer", 1), ("falling sweep", 1), ("pitch drop", 1), ("down-sweep", 1)],
        scenes=["a {adj} sound falling in pitch{post}", "a {adj} downward sweep{post}", "a {adj} power-down{post}"],
        tags=["downer", "falling", "designed"]),
    "sub_drop": dict(
        nouns=[("sub drop", 1), ("boom", 1), ("sub boom", 1), ("low-end hit", 1), ("bass drop", 1)],
        scenes=["a {adj} sub-bass boom{post}", "a {adj} cinematic sub drop{post}", "a {adj} deep boom hit{post}"],
        tags=["sub", "boom", "drop", "bass", "designed"]),
    "explosion": dict(
        nouns=[("explosion", 1), ("blast", 1), ("detonation", 1), ("explosive boom", 1)],
        scenes=["a {adj} explosion going off{post}", "a {adj} bomb detonating{post}", "a {adj} blast{post}"],
        tags=["explosion", "blast", "boom"]),
    "gunshot": dict(
        nouns=[("gunshot", 1), ("gun shot", 1), ("pistol shot", 1), ("firearm shot", 1)],
        scenes=["a {adj} pistol firing{post}", "a single {adj} gunshot{post}", "a {adj} shot fired from a handgun{post}"],
        tags=["gun", "gunshot", "shot", "weapon"]),
    "laser": dict(
        nouns=[("laser zap", 1), ("laser shot", 1), ("sci-fi zap", 1), ("blaster shot", 1), ("pew", 1)],
        scenes=["a {adj} laser gun firing{post}", "a {adj} sci-fi blaster zap{post}", "a {adj} ray gun shot{post}"],
        tags=["laser", "zap", "sci-fi", "blaster"]),
    "energy_hum": dict(
        nouns=[("energy hum", 1), ("electric hum", 1), ("force field hum", 1), ("power hum", 1)],
        scenes=["a {adj} humming energy field{post}", "a {adj} sci-fi power core hum{post}", "a {adj} electrical hum{post}"],
        tags=["hum", "energy", "sci-fi", "electric"]),
    "servo": dict(
        nouns=[("servo motor", 1), ("servo", 1), ("robotic servo", 1), ("motor whir", 1)],
        scenes=["a {adj} robot arm servo moving{post}", "a {adj} small electric motor whirring{post}",
                "a {adj} mechanical servo whir{post}"],
        tags=["servo", "motor", "robot", "mechanical"]),
    "engine": dict(
        nouns=[("engine", 1), ("motor", 1), ("combustion engine", 1), ("engine drone", 1)],
        scenes=["a {adj} engine running{post}", "a {adj} motor idling{post}", "a {adj} combustion engine rumbling{post}"],
        tags=["engine", "motor", "vehicle"]),
    "wind": dict(
        nouns=[("wind", 0), ("wind ambience", 1), ("blowing wind", 0), ("breeze", 1)],
        scenes=["{adj} wind blowing{post}", "the sound of {adj} wind{post}", "{adj} air moving outdoors{post}"],
        tags=["wind", "weather", "ambience"]),
    "rain": dict(
        nouns=[("rain", 0), ("rainfall", 0), ("falling rain", 0), ("rain ambience", 1)],
        scenes=["{adj} rain falling{post}", "the sound of {adj} rain{post}", "{adj} raindrops pattering{post}"],
        tags=["rain", "weather", "ambience"]),
    "fire": dict(
        nouns=[("fire crackle", 1), ("crackling fire", 1), ("burning fire", 1), ("campfire", 1)],
        scenes=["a {adj} fire burning and crackling{post}", "flames of a {adj} fire{post}", "a {adj} crackling blaze{post}"],
        tags=["fire", "crackle", "burning", "flames"]),
    "water_drips": dict(
        nouns=[("water drips", 0), ("dripping water", 0), ("drips", 0), ("water droplets", 0)],
        scenes=["{adj} water dripping{post}", "{adj} drops of water falling{post}", "a {adj} leaking tap dripping{post}"],
        tags=["water", "drip", "drops"]),
    "water_bubbles": dict(
        nouns=[("bubbles", 0), ("bubbling water", 0), ("underwater bubbles", 0), ("water bubbling", 0)],
        scenes=["{adj} bubbles rising in water{post}", "{adj} water bubbling{post}", "the sound of {adj} bubbles{post}"],
        tags=["water", "bubbles", "bubbling"]),
    "water_splash": dict(
        nouns=[("water splash", 1), ("splash", 1), ("splash into water", 1)],
        scenes=["a {adj} object splashing into water{post}", "a {adj} splash in a pool{post}", "a {adj} water splash{post}"],
        tags=["water", "splash"]),
    "water_stream": dict(
        nouns=[("water stream", 1), ("flowing water", 0), ("stream", 1), ("running water", 0)],
        scenes=["a {adj} stream flowing{post}", "{adj} water running{post}", "a {adj} creek babbling{post}"],
        tags=["water", "stream", "flow", "river"]),
    "thunder": dict(
        nouns=[("thunder", 0), ("thunderclap", 1), ("thunder rumble", 1), ("thunderstorm", 1)],
        scenes=["a {adj} thunderclap{post}", "{adj} thunder rolling{post}", "a {adj} thunder strike in a storm{post}"],
        tags=["thunder", "storm", "weather"]),
    "footsteps": dict(
        nouns=[("footsteps", 0), ("steps", 0), ("footfalls", 0)],
        scenes=["{adj} footsteps walking{post}", "someone walking with {adj} steps{post}", "a person's {adj} footsteps{post}"],
        tags=["footsteps", "walking", "steps", "foley"]),
    "door_creak": dict(
        nouns=[("door creak", 1), ("creaking door", 1), ("creaky hinge", 1), ("squeaky door", 1)],
        scenes=["a {adj} door creaking open{post}", "a {adj} creaky door hinge{post}", "the creak of a {adj} old door{post}"],
        tags=["door", "creak", "squeak", "hinge"]),
    "door_slam": dict(
        nouns=[("door slam", 1), ("slamming door", 1), ("door shut", 1), ("door bang", 1)],
        scenes=["a {adj} door slammed shut{post}", "a {adj} door banging closed{post}", "a {adj} door being shut hard{post}"],
        tags=["door", "slam", "shut", "close"]),
    "door_latch": dict(
        nouns=[("latch", 1), ("door latch", 1), ("latch click", 1), ("lock latch", 1)],
        scenes=["a {adj} door latch clicking{post}", "a {adj} latch snapping shut{post}", "a {adj} lock latch{post}"],
        tags=["latch", "lock", "door", "mechanical"]),
    "switch_click": dict(
        nouns=[("switch click", 1), ("switch", 1), ("button click", 1), ("toggle click", 1)],
        scenes=["a {adj} light switch flicked{post}", "a {adj} button clicked{post}", "a {adj} toggle switch{post}"],
        tags=["switch", "click", "button", "mechanical"]),
    "alarm_siren": dict(
        nouns=[("siren alarm", 1), ("siren", 1), ("alarm", 1), ("warning siren", 1)],
        scenes=["a {adj} siren wailing{post}", "a {adj} alarm sounding{post}", "a {adj} warning siren{post}"],
        tags=["siren", "alarm", "warning"]),
    "ui_blip": dict(
        nouns=[("UI blip", 1), ("interface beep", 1), ("UI beep", 1), ("notification blip", 1), ("menu blip", 1)],
        scenes=["a {adj} user interface beep{post}", "a {adj} menu selection blip{post}", "a {adj} app notification sound{post}"],
        tags=["ui", "beep", "blip", "interface"]),
    "bell_chime": dict(
        nouns=[("bell chime", 1), ("bell", 1), ("chime", 1), ("hand bell", 1), ("bell ring", 1)],
        scenes=["a {adj} bell being struck{post}", "a {adj} chime ringing{post}", "a {adj} hand bell rung{post}"],
        tags=["bell", "chime", "ring"]),
    "electric_sparks": dict(
        nouns=[("electric sparks", 0), ("sparks", 0), ("electrical sparking", 0), ("spark crackle", 1)],
        scenes=["{adj} electric sparks crackling{post}", "{adj} electricity arcing{post}", "a {adj} short circuit sparking{post}"],
        tags=["electricity", "sparks", "zap"]),
    "creature_growl": dict(
        nouns=[("creature growl", 1), ("monster growl", 1), ("beast snarl", 1), ("growl", 1)],
        scenes=["a {adj} monster growling{post}", "a {adj} creature snarling{post}", "a {adj} beast growl{post}"],
        tags=["creature", "monster", "growl", "vocal"]),
    "heartbeat": dict(
        nouns=[("heartbeat", 1), ("heart beat", 1), ("heart pounding", 1), ("pulse", 1)],
        scenes=["a {adj} heartbeat thumping{post}", "a {adj} heart beating{post}", "the sound of a {adj} heartbeat{post}"],
        tags=["heartbeat", "heart", "pulse", "human"]),
    "clock_tick": dict(
        nouns=[("clock ticking", 0), ("clock tick", 1), ("ticking clock", 1), ("tick-tock", 1)],
        scenes=["a {adj} clock ticking{post}", "the ticking of a {adj} clock{post}", "a {adj} clock mechanism ticking{post}"],
        tags=["clock", "tick", "ticking"]),
    "glass_shatter": dict(
        nouns=[("glass shatter", 1), ("glass break", 1), ("shattering glass", 0), ("breaking glass", 0)],
        scenes=["a {adj} pane of glass shattering{post}", "{adj} glass breaking{post}", "a {adj} window smashing{post}"],
        tags=["glass", "shatter", "break", "smash"]),
    "cloth_rustle": dict(
        nouns=[("cloth rustle", 1), ("fabric rustle", 1), ("clothing movement", 0), ("cloth movement", 0)],
        scenes=["{adj} fabric rustling{post}", "{adj} clothes moving{post}", "a {adj} jacket rustle{post}"],
        tags=["cloth", "fabric", "rustle", "foley"]),
    "crowd_murmur": dict(
        nouns=[("crowd murmur", 1), ("crowd walla", 0), ("murmuring crowd", 1), ("people talking", 0)],
        scenes=["a {adj} crowd murmuring{post}", "{adj} background chatter of people{post}", "a {adj} crowd walla{post}"],
        tags=["crowd", "walla", "murmur", "people"]),
    "spaceship_drone": dict(
        nouns=[("spaceship drone", 1), ("spaceship hum", 1), ("starship engine drone", 1), ("sci-fi ship drone", 1)],
        scenes=["a {adj} spaceship engine droning{post}", "a {adj} starship hum{post}", "the drone of a {adj} space ship{post}"],
        tags=["spaceship", "drone", "sci-fi", "engine"]),
}

# Families whose ``rate`` slot is a clearly heard tempo/speed of repeats or motion.
_RATE_WORDS: dict[str, tuple[list[str], list[str]]] = {
    "footsteps": (["slow"], ["fast", "hurried", "quick"]),
    "heartbeat": (["slow", "resting"], ["fast", "racing", "rapid"]),
    "clock_tick": (["slow"], ["fast", "rapid"]),
    "whoosh": (["slow"], ["fast", "quick"]),
    "alarm_siren": (["slow"], ["fast", "rapid"]),
    "water_drips": (["slow"], ["fast", "rapid"]),
    "cloth_rustle": (["slow"], ["fast", "quick"]),
    "rain": (["sparse"], ["dense"]),
    "door_creak": (["slow", "slowly opening"], ["fast", "quickly opening"]),
    "electric_sparks": (["occasional", "sparse"], ["rapid", "frequent"]),
    "ui_blip": (["slow"], ["fast", "quick"]),
}

# Textures whose ``size`` reads as the size of the source; in other textures it only lowers
# the spectrum, which pitch/brightness words already cover, so size says nothing there.
_SIZED_TEXTURES = {"fire", "water_stream", "engine", "spaceship_drone"}

# Resonant families: a long decay "rings".
_RINGING = {"impact_metal", "impact_glass", "bell_chime", "ui_blip", "laser"}
_TONAL_PITCH = {"alarm_siren", "ui_blip", "laser", "bell_chime", "riser", "downer", "energy_hum", "servo",
                "impact_glass", "impact_metal"}

# Family-specific intensity words (low, high) replacing the generic soft/powerful.
_INTENSITY_WORDS: dict[str, tuple[list[str], list[str]]] = {
    "wind": (["gentle", "light", "calm"], ["strong", "stormy", "violent"]),
    "rain": (["light", "gentle", "soft"], ["heavy", "torrential", "pouring"]),
    "fire": (["small", "gentle", "low"], ["raging", "intense", "fierce"]),
    "water_stream": (["gentle", "calm", "quiet"], ["rushing", "torrential", "strong"]),
    "crowd_murmur": (["quiet", "subdued", "calm"], ["loud", "rowdy", "lively"]),
    "footsteps": (["light", "soft", "quiet"], ["heavy", "stomping", "hard"]),
    "door_slam": (["gentle", "soft"], ["violent", "hard", "forceful"]),
    "heartbeat": (["faint", "soft"], ["pounding", "strong", "hard"]),
}

# Aux words: family -> aux name -> (low words, high words, "adj" | "post"). Spoken only when the
# aux value u <= 0.2 (low) or >= 0.8 (high); None = that end says nothing.
_AUX_WORDS: dict[str, dict[str, tuple]] = {
    "impact_metal": {"ring": (["dull", "damped"], ["ringing", "resonant"], "adj"),
                     "hardness": (["soft-mallet"], ["hard-hit"], "adj"),
                     "inharmonicity": (None, ["clangorous", "jangly"], "adj"),
                     "rattle": (None, ["with a rattle", "with a rattling buzz"], "post")},
    "impact_wood": {"hollowness": (["solid"], ["hollow"], "adj"),
                    "crack": (None, ["with a sharp crack", "with a splintering crack"], "post")},
    "impact_glass": {"ring": (["dull"], ["ringing"], "adj"),
                     "thickness": (["thin"], ["thick"], "adj")},
    "impact_stone": {"grit": (None, ["gritty", "gravelly"], "adj"),
                     "debris": (None, ["with falling debris", "with crumbling debris"], "post")},
    "impact_body": {"slap": (None, ["slappy", "smacking"], "adj"),
                    "thud": (None, ["thuddy", "meaty"], "adj"),
                    "cloth": (None, ["with cloth movement", "with clothing rustle"], "post")},
    "whoosh": {"tonal": (["airy", "noisy"], ["tonal", "whistling"], "adj"),
               "doppler": (None, ["passing by", "with a doppler pass-by"], "post"),
               "flutter": (None, ["fluttering"], "adj")},
    "riser": {"noise_mix": (["tonal"], ["noisy", "white-noise"], "adj"),
              "shepard": (None, ["with an endless Shepard-tone rise", "in a Shepard-tone loop"], "post")},
    "downer": {"noise_mix": (["tonal"], ["noisy"], "adj")},
    "sub_drop": {"click": (None, ["with a click on top", "with a sharp transient click"], "post"),
                 "distortion": (["clean"], ["distorted", "saturated"], "adj")},
    "explosion": {"debris": (None, ["with falling debris", "with debris raining down"], "post"),
                  "rumble": (None, ["with a long rumble", "with a rolling rumble"], "post"),
                  "fire": (None, ["with fiery flames", "with a burning fireball"], "post")},
    "gunshot": {"caliber": (["small-calibre"], ["large-calibre", "heavy-calibre"], "adj"),
                "mechanics": (None, ["with mechanical action", "with the slide clacking"], "post")},
    "laser": {"fm_depth": (["pure"], ["metallic", "warbling"], "adj")},
    "energy_hum": {"pulse": (["steady"], ["pulsing", "throbbing"], "adj"),
                   "harmonics": (["pure", "smooth"], ["buzzy", "harsh"], "adj"),
                   "instability": (["stable"], ["unstable", "flickering"], "adj")},
    "servo": {"gear_whine": (None, ["whining", "gear-whining"], "adj"),
              "load": (None, ["strained", "labouring"], "adj")},
    "engine": {"rev": (["idling"], ["revving", "high-revving"], "adj"),
               "roughness": (["smooth"], ["rough", "sputtering"], "adj"),
               "exhaust": (None, ["with a throaty exhaust", "with a loud exhaust note"], "post")},
    "wind": {"gustiness": (["steady"], ["gusty", "blustery"], "adj"),
             "whistle": (None, ["whistling"], "adj"),
             "howl": (None, ["howling", "moaning"], "adj")},
    "rain": {"drop_size": (["fine", "misty"], ["big-drop", "fat-drop"], "adj"),
             "roof": (None, ["on a roof", "drumming on a roof"], "post")},
    "fire": {"crackle_density": (["sparse", "quiet"], ["crackling", "dense crackling"], "adj"),
             "roar": (None, ["roaring"], "adj"),
             "pops": (None, ["with loud pops", "with popping embers"], "post")},
    "water_drips": {"drop_size": (["small-drop", "tiny-drop"], ["big-drop", "heavy-drop"], "adj"),
                    "resonance": (None, ["resonant", "plinky"], "adj"),
                    "regularity": (["irregular", "random"], ["regular", "steady"], "adj")},
    "water_bubbles": {"bubble_size": (["tiny", "fizzy"], ["big", "large", "glugging"], "adj"),
                      "density": (["sparse", "occasional"], ["dense", "frothing", "boiling"], "adj"),
                      "gurgle": (None, ["gurgling"], "adj")},
    "water_splash": {"mass": (["small", "light"], ["heavy", "big"], "adj"),
                     "spray": (None, ["with spray", "with a spray of water"], "post"),
                     "droplets": (None, ["with droplets falling back", "with trailing droplets"], "post")},
    "water_stream": {"flow": (["trickling", "slow-flowing"], ["rushing", "fast-flowing"], "adj"),
                     "babble": (None, ["babbling", "gurgling"], "adj"),
                     "depth": (["shallow"], ["deep"], "adj")},
    "thunder": {"crack": (None, ["with a sharp crack", "cracking"], "post"),
                "rumble": (None, ["with a long rumble", "rumbling"], "post"),
                "rolls": (None, ["rolling", "with multiple rolls"], "post")},
    "footsteps": {"shoe_hardness": (["soft-soled", "sneaker"], ["hard-soled", "heeled"], "adj"),
                  "scuff": (None, ["with scuffs", "scuffing"], "post")},
    "door_creak": {"stick_slip": (["smooth", "steady"], ["juddering", "chattering"], "adj"),
                   "pressure": (["squeaky", "squealing"], ["groaning", "grinding"], "adj"),
                   "wood_metal": (["wooden"], ["metal", "rusty metal"], "adj")},
    "door_slam": {"material": (["wooden"], ["steel", "metal"], "adj"),
                  "latch": (None, ["with a latch click", "latching shut"], "post"),
                  "rattle": (None, ["with a rattle", "rattling in its frame"], "post")},
    "door_latch": {"spring": (None, ["springy", "with a spring twang"], "post"),
                   "metal": (["plastic"], ["metal", "metallic"], "adj")},
    "switch_click": {"plastic_metal": (["plastic"], ["metal"], "adj"),
                     "double": (None, ["with a double click", "clicked twice"], "post"),
                     "thunk": (None, ["thunky", "heavy-action"], "adj")},
    "alarm_siren": {"sweep_depth": (["steady-tone"], ["wailing", "sweeping"], "adj"),
                    "waveform": (["pure-tone", "sine"], ["harsh", "buzzy"], "adj"),
                    "beeping": (None, ["beeping", "pulsed"], "adj")},
    "ui_blip": {"waveform": (["soft", "sine-like"], ["buzzy", "saw-wave"], "adj"),
                "glide": (None, ["gliding", "pitch-bending"], "adj")},
    "bell_chime": {"material": (["light", "thin"], ["heavy bronze", "heavy"], "adj"),
                   "inharmonicity": (None, ["clangy", "inharmonic"], "adj")},
    "electric_sparks": {"arc": (None, ["arcing"], "adj"),
                        "buzz": (None, ["buzzing"], "adj"),
                        "burstiness": (["steady"], ["bursty", "sporadic"], "adj")},
    "creature_growl": {"roughness": (None, ["raspy", "gravelly"], "adj"),
                       "snarl": (None, ["snarling", "vicious"], "adj"),
                       "breath": (None, ["breathy"], "adj")},
    "heartbeat": {"thump": (None, ["thumping", "booming"], "adj"),
                  "tension": (["relaxed", "calm"], ["tense", "anxious"], "adj")},
    "clock_tick": {"tock": (None, ["tick-tock"], "adj"),
                   "material": (["wooden"], ["metallic"], "adj")},
    "glass_shatter": {"shards": (["few-shard"], ["many-shard", "explosive"], "adj"),
                      "pane_size": (["small"], ["large-pane", "big"], "adj"),
                      "tinkle": (None, ["with tinkling shards", "with falling glass tinkles"], "post")},
    "cloth_rustle": {"fabric_stiffness": (["soft", "cotton"], ["stiff", "nylon", "canvas"], "adj"),
                     "flap": (None, ["flapping"], "adj")},
    "crowd_murmur": {"voices": (["small", "sparse"], ["large", "packed"], "adj"),
                     "excitement": (["calm", "relaxed"], ["excited", "agitated"], "adj")},
    "spaceship_drone": {"modulation": (["steady"], ["pulsating", "throbbing"], "adj"),
                        "rumble": (None, ["rumbling", "with deep rumble"], "post")},
}

# Aux slots the renderer reads as counts or categories: family -> function(ph, duration_s) ->
# list of (key, adjs, posts, tag); they follow the renderer's own mapping exactly.
_SURFACES = ("concrete", "wood", "gravel", "grass_leaves", "metal")  # foley.SURFACES fallback
_SURFACE_POST = {
    "concrete": ["on concrete", "on a concrete floor"],
    "wood": ["on a wooden floor", "on wooden boards"],
    "gravel": ["on gravel", "on a gravel path"],
    "grass_leaves": ["on grass and leaves", "through dry leaves"],
    "metal": ["on a metal grating", "on metal"],
}


def _count(u: float) -> int:
    """1 + round(3u): the 1..4 counts of ui_blip notes, bell strikes and latch clicks."""
    return 1 + int(round(3 * u))


def _modular_words() -> None:
    """Transitional: adds the words of the families that live in a module of their own
    (:mod:`sfxgen.synth.registry`) to the legacy tables above, so captions read both."""
    from sfxgen.synth.registry import discover

    for name, fam in discover().items():
        _FAMILY_TEXT[name] = dict(nouns=list(fam.nouns) or [(fam.noun, 1)],
                                  scenes=list(fam.scenes) or ["a {adj} " + fam.noun + "{post}"],
                                  tags=list(fam.tags) or [fam.noun])
        if fam.rate_words:
            _RATE_WORDS[name] = (list(fam.rate_words[0]), list(fam.rate_words[1]))
        if fam.intensity_words:
            _INTENSITY_WORDS[name] = (list(fam.intensity_words[0]), list(fam.intensity_words[1]))
        if fam.kind == "texture" and fam.is_sized:
            _SIZED_TEXTURES.add(name)
        if fam.ringing:
            _RINGING.add(name)
        if fam.tonal_pitch:
            _TONAL_PITCH.add(name)
        words = {p.name: (list(p.low_words) or None, list(p.high_words) or None, p.where)
                 for p in fam.params if not p.choices and (p.low_words or p.high_words)}
        if words:
            _AUX_WORDS[name] = words


_modular_words()


def _modular_special(fam: str, ph, duration_s: float | None) -> list[tuple[str, list[str], list[str], str]]:
    """Choice words of a module family's categorical parameters, then its own special words."""
    from sfxgen.synth.registry import discover

    family = discover()[fam]
    out = []
    for i, p in enumerate(family.params):
        if p.choices:
            choice = p.choice(ph.aux[i])
            posts = list(p.words_for_choice(choice))
            if posts:
                out.append((p.name, [], posts, choice.split("_")[0]))
    if family.special_words is not None:
        out.extend(family.special_words(ph, duration_s))
    return out


def _special(fam: str, ph, duration_s: float | None) -> list[tuple[str, list[str], list[str], str]]:
    from sfxgen.synth.registry import discover

    if fam in discover():
        return _modular_special(fam, ph, duration_s)
    out = []
    if fam == "footsteps":
        try:
            from sfxgen.synth.families.foley import surface_name
        except ImportError:
            def surface_name(u):
                return _SURFACES[min(int(u * len(_SURFACES)), len(_SURFACES) - 1)]
        surf = surface_name(ph.aux[0])
        if surf in _SURFACE_POST:
            out.append(("surface", [], _SURFACE_POST[surf], surf.split("_")[0]))
    elif fam == "ui_blip":
        notes = _count(ph.aux[0])
        if notes == 1:
            out.append(("notes", ["single-note", "one-note"], [], "single"))
        else:
            from_idx = min(int(ph.aux[1] * 10), 9)
            up = from_idx >= 4  # (-12, -7, -5, -3, 2, 3, 4, 5, 7, 12) semitone steps
            words = ["rising", "ascending"] if up else ["falling", "descending"]
            if notes >= 3:
                words = [w + " multi-note" for w in words] + (["rising arpeggio"] if up else ["falling arpeggio"])
            else:
                words = [w + " two-note" for w in words]
            out.append(("notes", words, [], "rising" if up else "falling"))
    elif fam == "bell_chime":
        count = _count(ph.aux[1])
        dur = duration_s if duration_s is not None else FAMILIES[fam].default_duration_s
        if count == 1:
            out.append(("strikes", ["single-strike"], ["struck once"], "single"))
        elif count >= 3 and 0.85 * 2 / ph.rate < 0.8 * dur:
            out.append(("strikes", ["repeatedly struck"], ["struck several times", "with repeated strikes"], "repeated"))
    elif fam == "laser":
        count = 1 + int(round(4 * ph.aux[2]))  # 1..5 shots
        if count == 1:
            out.append(("repeats", ["single"], [], "single"))
        elif count >= 3:
            words = ["rapid-fire", "repeating"] if ph.rate >= 1.0 else ["repeating", "multi-shot"]
            out.append(("repeats", words, ["in a burst of shots"], "repeating"))
    elif fam == "servo":
        moves = _count(ph.aux[2])
        if moves == 1:
            out.append(("stops", ["single-move"], ["in one move"], "single"))
        elif moves >= 3:
            out.append(("stops", ["stop-start", "stepping"], ["in several moves", "moving in steps"], "steps"))
    elif fam == "door_latch":
        if _count(ph.aux[1]) >= 3:
            out.append(("clicks", ["ratcheting"], ["with several ratchet clicks"], "ratchet"))
    return out


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
    fam = patch.family
    names = {-2: "very low", -1: "low", 1: "high", 2: "very high"}
    out: dict[str, str] = {}

    def put(key, lvl):
        if lvl:
            out[key] = names[lvl]

    if info.kind != "texture" or fam in _SIZED_TEXTURES:
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
    if fam in _RATE_WORDS:
        put("rate", -1 if ph.rate <= 0.5 else 1 if ph.rate >= 2.0 else 0)
    put("distance", -1 if ph.distance <= 0.2 else 1 if ph.distance >= 0.75 else 0)
    from sfxgen.synth.space import wet_gain

    room = space_label(effective_rt60_s(ph.rt60_s, duration_s), wet_gain(ph.space, ph.distance))
    if room == "dry" and ph.distance >= 0.5:
        room = None
    if room:
        out["space"] = room
    put("width", -1 if ph.width <= 0.1 else 1 if ph.width >= 0.9 else 0)
    for key, *_ in _special(fam, ph, duration_s):
        out[key] = "special"
    for i, aux_name in enumerate(info.aux):
        if aux_name in out:
            continue
        spec = _AUX_WORDS.get(fam, {}).get(aux_name)
        if spec is None:
            continue
        u = ph.aux[i]
        if u <= 0.2 and spec[0]:
            out[aux_name] = "low"
        elif u >= 0.8 and spec[1]:
            out[aux_name] = "high"
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
    fam = patch.family
    lv = {"very low": -2, "low": -1, "high": 1, "very high": 2}
    out: list[_Phrase] = []
    specials = {k: (a, p, t) for k, a, p, t in _special(fam, patch.physical(), duration_s)}
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
            if level == 2 and fam in _TONAL_PITCH and attrs.get("brightness") not in ("low", "very low"):
                words += ["shrill", "piercing"]
            out.append(_Phrase(attr, words, [], "low-pitched" if sign < 0 else "high-pitched"))
        elif attr == "brightness":
            out.append(_Phrase(attr, _BRIGHT[level], [], "dark" if sign < 0 else "bright"))
        elif attr == "decay":
            if sign < 0:
                out.append(_Phrase(attr, ["short", "tight", "clipped"], ["with a short tail"], "short"))
            else:
                ring = fam in _RINGING
                adjs = ["long", "ringing", "sustained"] if ring else ["long", "lingering"]
                posts = ["with a long ringing tail"] if ring else ["with a long tail", "with a long decay"]
                out.append(_Phrase(attr, adjs, posts, "long"))
        elif attr == "attack":
            out.append(_Phrase(attr, ["swelling", "slow-building"], ["with a slow fade-in", "fading in slowly"], "swell"))
        elif attr == "intensity":
            fam_words = _INTENSITY_WORDS.get(fam)
            words = fam_words[0 if sign < 0 else 1] if fam_words else _INTENSITY[level]
            out.append(_Phrase(attr, words, [], "soft" if sign < 0 else "intense"))
        elif attr == "rate":
            words = _RATE_WORDS[fam][0 if sign < 0 else 1]
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
            low, high, slot = _AUX_WORDS[fam][attr]
            words = low if sign < 0 else high
            tag = words[0].removeprefix("with ").split(" ")[-1] if slot == "post" else words[0]
            if slot == "adj":
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
    """The UCS CatID of ``patch``: the family's, except a clearly steel door slam (DOORMetl)."""
    if patch.family == "door_slam" and patch.physical().aux[0] >= 0.8:  # same bin as "steel"
        return "DOORMetl"
    return patch.info.ucs


def caption_patch(patch: Patch, *, n: int = 5, seed: int = 0, duration_s: float | None = None) -> Captions:
    """``n`` distinct captions for ``patch`` (deterministic per ``seed``), tags and UCS CatID.

    Every caption names the family (a noun or scene sentence) and only attributes that
    :func:`describe` finds clearly at one end; different captions cover different subsets,
    orders and synonyms so a text encoder sees varied wording.
    """
    text = _FAMILY_TEXT[patch.family]
    attrs = describe(patch, duration_s=duration_s)
    phrases = _phrases(patch, attrs, duration_s)
    rng = _rng_for(patch, seed)
    captions: list[str] = []
    tries = 0
    while len(captions) < max(int(n), 1) and tries < 20 * max(int(n), 1):
        tries += 1
        k = len(captions)
        chosen = list(phrases)
        rng.shuffle(chosen)
        if k > 0 and chosen:  # later captions drop some attributes for variety
            keep = rng.randint(max(1, len(chosen) // 2), len(chosen))
            chosen = chosen[:keep]
        adjs, posts = _pick_words(chosen, rng, max_adj=3, max_post=2)
        adj = " ".join(adjs)
        post = (" " + ", ".join(posts)) if posts else ""
        noun, countable = rng.choice(text["nouns"])
        style = k % 5 if k < 5 else rng.randrange(5)
        if style == 0:
            cap = f"{'a ' if countable else ''}{adj} {noun}{post}"
        elif style == 1:
            cap = text["scenes"][rng.randrange(len(text["scenes"]))].format(adj=adj, post=post)
        elif style == 2:
            desc = _join(adjs)
            cap = f"{noun}, {desc}{post}" if desc else f"the sound of {'a ' if countable else ''}{noun}{post}"
        elif style == 3:
            cap = f"the sound of {'a ' if countable else ''}{adj} {noun}{post}"
        else:
            cap = text["scenes"][rng.randrange(len(text["scenes"]))].format(adj=adj, post=post)
        cap = _article_fix(cap)
        if cap and cap not in captions:
            captions.append(cap)
    cat = ucs_catid(patch)
    tags = list(dict.fromkeys(list(text["tags"]) + [p.tag for p in phrases] + [cat.lower()]))
    return Captions(captions=captions, tags=tags, ucs=cat, attributes=attrs)


def fx_title(patch: Patch, *, seed: int = 0, duration_s: float | None = None, max_words: int = 5) -> str:
    """A short Title Case FX name for a file name, e.g. ``"Huge Dark Metal Clang"``."""
    text = _FAMILY_TEXT[patch.family]
    attrs = describe(patch, duration_s=duration_s)
    phrases = [p for p in _phrases(patch, attrs, duration_s) if p.adjs]
    rng = _rng_for(patch, seed + 7919)
    order = {a: i for i, a in enumerate(_ADJ_ORDER)}
    rng.shuffle(phrases)
    phrases = sorted(phrases[:2], key=lambda p: order.get(p.attr, len(order)))
    noun, _ = rng.choice(text["nouns"])
    words = " ".join([rng.choice(p.adjs) for p in phrases] + [noun]).split()
    words = words[-max_words:]
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)


__all__ = ["Captions", "caption_patch", "describe", "effective_rt60_s", "fx_title", "space_label", "ucs_catid"]
