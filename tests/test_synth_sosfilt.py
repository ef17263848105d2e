"""``sfxgen.synth.primitives.sosfilt`` (in-place scipy kernel, dither, sparse spans) equals scipy's sosfilt."""

import numpy as np
from scipy import signal

from sfxgen.synth import primitives


def test_sosfilt_matches_scipy_on_the_dithered_input():
    rng = np.random.default_rng(0)
    sos = signal.butter(4, [300, 3000], btype="band", fs=48000, output="sos")
    for x in (rng.standard_normal(9000), rng.standard_normal((2, 9000))):
        want = signal.sosfilt(sos, x + primitives._dither(x.shape[-1]), axis=-1)
        got = primitives.sosfilt(sos, x)
        assert got.shape == x.shape
        assert np.array_equal(got, want)  # the same kernel, so the same values
    one = sos[:1]
    x = rng.standard_normal(4000)
    assert np.allclose(primitives.sosfilt(one, x), signal.sosfilt(one, x + primitives._dither(4000)), atol=1e-12)


def test_sparse_filtering_keeps_the_zero_stretches_and_the_ring_down():
    rng = np.random.default_rng(1)
    sos = signal.butter(2, 1000, fs=48000, output="sos")
    x = np.zeros(48000)
    x[1000:1500] = rng.standard_normal(500)
    x[30000:30400] = rng.standard_normal(400)
    dense, sparse = primitives.sosfilt(sos, x), primitives.sosfilt(sos, x, sparse=True)
    peak = np.abs(dense).max()
    assert np.abs(dense - sparse).max() < peak * 1e-9  # far below -180 dB of the signal
