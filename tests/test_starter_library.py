"""The starter library draws from the whole current family registry (issue #15 part 6)."""

from sfxgen.synth.corpus import plan_starter
from sfxgen.synth.patch import FAMILIES


def test_default_starter_covers_every_family():
    jobs = plan_starter(300)
    assert {j.family for j in jobs} == set(FAMILIES)
    counts = [sum(j.family == f for j in jobs) for f in FAMILIES]
    assert max(counts) - min(counts) <= 1  # balanced: 300 clips over the families round-robin
