"""Minnaert bubbles (K. van den Doel, *Physically based models for liquid sounds*): a gas bubble
in water rings at f = 3.26 / r (Hz, radius r in m) and its ring dies with a damping that grows
with frequency. Drips, bubbles, splashes, streams and rain are built from many of them."""

from __future__ import annotations

import numpy as np


def minnaert_hz(radius_m):
    """Resonance frequency (Hz) of a bubble of ``radius_m`` metres (scalar or array)."""
    return 3.26 / np.asarray(radius_m, float)


def minnaert_tau_s(f_hz):
    """1/e ring time (s) of a bubble ringing at ``f_hz`` (van den Doel's damping fit)."""
    f_hz = np.asarray(f_hz, float)
    return 1.0 / (0.043 * f_hz + 0.0014 * f_hz ** 1.5)
