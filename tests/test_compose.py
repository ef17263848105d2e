"""Composed heroes: the Composition recipe (elements + shared space), its render and replay."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sfxgen.errors import ParameterError
from sfxgen.generate.compose import Composition, Element, SharedSpace
from sfxgen.synth.patch import Patch


def _door():
    return Composition([Element(Patch("door_open"), "main"),
                        Element(Patch("hinge_squeal"), "material", onset_ms=120, gain_db=-8),
                        Element(Patch("hydraulic_hiss"), "mechanism", onset_ms=40, gain_db=-10)],
                       space=SharedSpace(space=0.9, distance=-0.2))


def test_json_round_trip_replays_bit_identically():
    comp = _door()
    a = comp.render(duration_s=1.5, seed=7)
    again = Composition.from_json(json.dumps(json.loads(comp.to_json())))
    assert again.to_dict() == comp.to_dict()
    assert a.shape == (2, 72000) and a.dtype == np.float32 and np.isfinite(a).all()
    assert np.array_equal(a, again.render(duration_s=1.5, seed=7))
    assert 0.05 < np.abs(a).max() <= 1.0
    assert not np.array_equal(a, comp.render(duration_s=1.5, seed=8))


def test_single_element_renders_like_its_dry_patch_in_the_space():
    d = _door().to_dict()
    assert [e["role"] for e in d["elements"]] == ["main", "material", "mechanism"]
    assert set(d["elements"][0]) >= {"family", "role", "gain_db", "onset_ms", "patch"}


def test_mute_and_solo_change_only_what_they_name():
    comp = _door()
    full = comp.render(duration_s=1.0, seed=3)
    solo = comp.solo(1).render(duration_s=1.0, seed=3)
    mute = comp.muted(1).render(duration_s=1.0, seed=3)
    assert not np.array_equal(full, solo) and not np.array_equal(full, mute)
    # the squeal starts at 120 ms: solo it and the first 100 ms are silent
    assert np.abs(solo[:, :4800]).max() < 1e-6 < np.abs(solo[:, 6000:]).max()
    assert comp.muted(1).elements[1].muted and not comp.elements[1].muted


def test_bad_compositions_are_refused():
    with pytest.raises(ParameterError, match="first element"):
        Composition([Element(Patch("whoosh"), "sweetener")])
    with pytest.raises(ParameterError, match="1 to 4"):
        Composition([Element(Patch("whoosh"), "main")] * 5)
    with pytest.raises(ParameterError, match="role"):
        Element(Patch("whoosh"), "bass")
    with pytest.raises(ParameterError, match="onset_ms"):
        Element(Patch("whoosh"), "main", onset_ms=-1)
    with pytest.raises(ParameterError, match="index"):
        _door().solo(7)
