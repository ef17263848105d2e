"""Physically informed building blocks for family renderers, one topic per module (friction
stick-slip, modal bodies with material damping, granular contact and crumpling, fluids and
bubbles, aeroacoustics, source-filter voices, ...). Pure functions of arrays, sample rate and an
``rng``; no state, no per-sample Python loops."""
