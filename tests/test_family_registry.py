"""The family contract, checked on every registered family module (so a new module is checked
the moment it lands): its description is complete and consistent, and a few random patches
render finite, levelled stereo that meets the sound-hygiene thresholds of issue 15:

* energy under 20 Hz at least 30 dB under the total;
* a mono fold-down at most 1 dB quieter than the stereo (QC's mono-downmix loss);
* no hard stop: the last 50 ms at least 20 dB under the loudest 50 ms.

Parameters carry a unit (``"%"``, ``"Hz"``, ``"s"``, ``"st"`` ...) unless they are dimensionless
fractions or coefficients within 0 .. 1 (an empty unit then reads as "amount").
"""

from __future__ import annotations

import importlib
import re
import string
import zlib

import numpy as np
import pytest

from sfxgen.synth.family import COMMON, DESIGN_ROLES, ELEMENT_ROLES, KINDS, N_AUX, Family
from sfxgen.synth.registry import discover

SR = 48000
FAMILIES = discover()
NAMES = sorted(FAMILIES)

SUB_20HZ_MAX_DB = -30.0
MONO_LOSS_MAX_DB = 1.0
END_MAX_DB = -20.0


def _categories() -> set[str]:
    from sfxgen.eval.retrieval import CATEGORY_QUERIES

    return set(CATEGORY_QUERIES)


def _value_ok(fam: Family, slot: str, value) -> bool:
    """A role/preset value is a normalised number in [-1, 1], or a categorical parameter's choice."""
    if isinstance(value, str):
        return slot in fam.aux and value in fam.param(slot).choices
    return isinstance(value, (int, float)) and -1.0 <= float(value) <= 1.0


def test_registry_holds_the_ported_families_and_more():
    legacy = {"impact_metal", "impact_wood", "impact_glass", "impact_stone", "impact_body", "whoosh", "riser",
              "downer", "sub_drop", "explosion", "gunshot", "laser", "energy_hum", "servo", "engine", "wind",
              "rain", "fire", "water_drips", "water_bubbles", "water_splash", "water_stream", "thunder",
              "footsteps", "door_creak", "door_slam", "door_latch", "switch_click", "alarm_siren", "ui_blip",
              "bell_chime", "electric_sparks", "creature_growl", "heartbeat", "clock_tick", "glass_shatter",
              "cloth_rustle", "crowd_murmur", "spaceship_drone"}
    assert legacy <= set(NAMES)
    keys = [FAMILIES[n].seed_key for n in NAMES]
    assert len(set(keys)) == len(keys), "two families share a render seed key"


@pytest.mark.parametrize("name", NAMES)
def test_family_module_contract(name):
    fam = FAMILIES[name]
    mod = importlib.import_module(f"sfxgen.synth.families.{name}")
    assert mod.FAMILY is fam and fam.name == name and re.fullmatch(r"[a-z][a-z0-9_]*", name)
    assert fam.kind in KINDS and callable(fam.render)
    assert 0.05 <= fam.default_duration_s <= 30.0
    assert re.fullmatch(r"[A-Z]{3,}[A-Za-z]*", fam.ucs), f"{name}: UCS CatID {fam.ucs!r}"
    assert fam.noun and (mod.__doc__ or "").strip(), f"{name}: module docstring and noun"
    # parameters: named, documented, with units and ranges that value() can use
    assert len(fam.params) <= N_AUX
    for p in fam.params:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", p.name) and p.name not in COMMON and not p.name.startswith("aux")
        assert len(p.doc) >= 12 and (p.doc[0].isupper() or p.doc[0].isdigit()), f"{name}.{p.name}: document what it does"
        if p.choices:
            assert len(p.choices) >= 2 and len(set(p.choices)) == len(p.choices)
            assert [p.choice((i + 0.5) / len(p.choices)) for i in range(len(p.choices))] == list(p.choices)
        else:
            # a unit, or a dimensionless fraction or coefficient within 0 .. 1
            assert p.unit.strip() or (0.0 <= min(p.lo, p.hi) and max(p.lo, p.hi) <= 1.0), (
                f"{name}.{p.name}: give a unit (a range outside 0..1 is not a plain fraction)")
            assert p.lo != p.hi and np.isfinite([p.lo, p.hi]).all()
            assert p.value(0.0) == pytest.approx(p.lo) and p.value(1.0) == pytest.approx(p.hi)
            assert p.u_of(p.value(0.3)) == pytest.approx(0.3, abs=1e-9)
        assert p.where in ("adj", "post")
    # words
    assert fam.nouns and all(isinstance(n, str) and n and c in (0, 1) for n, c in fam.nouns)
    assert fam.scenes and fam.tags and fam.keywords
    for scene in fam.scenes:
        fields = {f for _, f, _, _ in string.Formatter().parse(scene) if f}
        assert fields <= {"adj", "post"} and "post" in fields, f"{name}: scene {scene!r}"
    for lo_hi in (fam.rate_words, fam.intensity_words):
        assert lo_hi is None or (len(lo_hi) == 2 and all(lo_hi))
    if fam.rate_words:
        assert fam.rate_doc, f"{name}: say what rate 1.0 means (rate_doc)"
    # roles, category, presets
    assert fam.element_roles and set(fam.element_roles) <= set(ELEMENT_ROLES)
    assert set(fam.design_roles) <= set(DESIGN_ROLES)
    assert set(fam.role_params) <= set(fam.design_roles) | set(fam.element_roles)
    slots = set(COMMON) | set(fam.aux)
    for values in list(fam.role_params.values()) + list(fam.presets.values()):
        for slot, v in values.items():
            assert slot in slots and _value_ok(fam, slot, v), f"{name}: {slot}={v!r}"
    assert fam.category is None or fam.category in _categories(), f"{name}: category {fam.category!r}"


@pytest.mark.parametrize("name", NAMES)
def test_family_words_reach_the_captions(name):
    from sfxgen.synth import Patch
    from sfxgen.synth.captions import caption_patch

    fam = FAMILIES[name]
    nouns = [n.lower() for n, _ in fam.nouns]
    scenes = [re.sub(r"\{adj\}|\{post\}", "", s).split() for s in fam.scenes]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    for k in range(3):
        caps = caption_patch(Patch.random(name, rng), n=5, seed=k, duration_s=fam.default_duration_s)
        assert caps.ucs.startswith(fam.ucs[:4]) and caps.tags
        for c in caps.captions:
            low = c.lower()
            assert any(n in low for n in nouns) or any(all(w.lower() in low for w in s) for s in scenes), c
    for preset in fam.presets.values():  # presets build valid patches
        Patch(name).with_params(**preset)


@pytest.mark.parametrize("name", NAMES)
def test_renders_are_levelled_stereo_and_clean(name):
    from sfxgen.dsp.analysis import band_energy_db, end_level_db
    from sfxgen.loudness.meter import measure
    from sfxgen.qc import mono_downmix_loss_db
    from sfxgen.synth import LOUDNESS_RANGE_LUFS, PEAK_CEILING_DBFS, Patch, render

    fam = FAMILIES[name]
    dur = float(np.clip(fam.default_duration_s, 0.5, 3.0))
    rng = np.random.default_rng([zlib.crc32(name.encode()), 15])
    patches = [Patch(name)] + [Patch.random(name, rng) for _ in range(3)]
    for i, p in enumerate(patches):
        y = render(p, duration_s=dur, sample_rate=SR, seed=i)
        where = f"{name} seed {i}: {p.to_dict()['params']}"
        assert y.shape == (2, int(round(dur * SR))) and y.dtype == np.float32, where
        assert np.all(np.isfinite(y)), where
        m = measure(y, SR, true_peak=False)
        assert m.sample_peak_dbfs <= PEAK_CEILING_DBFS + 1e-3, where
        assert m.integrated_lufs is not None, f"silent: {where}"
        assert LOUDNESS_RANGE_LUFS[0] - 1.0 <= m.integrated_lufs <= LOUDNESS_RANGE_LUFS[1] + 1.0, where
        assert band_energy_db(y, SR, below_hz=20.0) <= SUB_20HZ_MAX_DB, f"sub-20 Hz energy: {where}"
        assert mono_downmix_loss_db(y, SR) <= MONO_LOSS_MAX_DB, f"mono fold-down loss: {where}"
        assert end_level_db(y, SR) <= END_MAX_DB, f"hard stop: {where}"
