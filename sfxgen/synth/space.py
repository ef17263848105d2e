"""The shared acoustic stages every family goes through after its dry source (see render.py).

Attack fade-in, distance (air absorption + direct-level drop), stereo width, the room (early
reflections + diffuse tail from :func:`sfxgen.dsp.reverb.synth_ir`) and the clip end. Each stage
is a pure function of (audio (C, n) float64, sample_rate, physical values) so tests can probe
them one by one and the layering stage can reuse them.
"""

from __future__ import annotations

import functools

import numpy as np

from sfxgen.synth.family import Physical


def _raised_cos(m: int) -> np.ndarray:
    return 0.5 - 0.5 * np.cos(np.pi * (np.arange(m) + 0.5) / m)


def apply_attack(x: np.ndarray, sr: int, attack_s: float) -> np.ndarray:
    """Raised-cosine fade-in over ``attack_s``; shape kept.

    The fade is capped at half the clip and at the moment the source has delivered 60 % of its
    energy, so a long attack on a short one-shot softens its onset instead of erasing it.
    """
    m = attack_samples(x, sr, attack_s)
    if m < 2:
        return x
    y = x.copy()
    y[:, :m] *= _raised_cos(m)
    return y


def attack_samples(x: np.ndarray, sr: int, attack_s: float) -> int:
    """Length (samples) of :func:`apply_attack`'s fade on ``x`` (C, n); < 2 means no fade."""
    m = min(int(attack_s * sr), x.shape[-1] // 2)
    if m < 2 or m <= int(0.002 * sr):  # (a fade this short is never capped by the energy point)
        return m
    # the 60 %-energy point, found on 256-sample blocks and refined inside its block
    C, n = x.shape
    B = 256
    nb = n // B
    head = x[:, : nb * B].reshape(C, nb, B)
    blocks = np.concatenate([np.einsum("cbk,cbk->b", head, head), [np.sum(np.square(x[:, nb * B:]))]])
    cb = np.cumsum(blocks)
    if cb[-1] > 0:
        k = int(np.searchsorted(cb, 0.6 * cb[-1]))
        before = cb[k - 1] if k > 0 else 0.0
        inner = np.cumsum(np.sum(np.square(x[:, k * B:(k + 1) * B]), axis=0))
        m_energy = k * B + int(np.searchsorted(inner, 0.6 * cb[-1] - before))
    else:
        m_energy = n
    return min(m, max(m_energy, int(0.002 * sr)))


def air_cutoff_hz(distance: float) -> float:
    """Air-absorption low-pass cutoff (Hz) for a distance in [0, 1]: 20 kHz .. ~2.2 kHz."""
    return float(20000.0 * (2200.0 / 20000.0) ** distance)


def direct_gain(distance: float) -> float:
    """Linear level of the direct sound at ``distance`` (1 close up .. 1/6 = -15.6 dB far away)."""
    return 1.0 / (1.0 + 5.0 * distance)


def apply_distance(x: np.ndarray, sr: int, distance: float) -> np.ndarray:
    """Air absorption (2nd-order low-pass at :func:`air_cutoff_hz`) and level drop of the direct sound."""
    from sfxgen.synth.primitives import butter_sos, sosfilt

    fc = air_cutoff_hz(distance)
    if distance <= 0.02 or fc >= 0.45 * sr:  # no filter (close up, or above a low rate's band)
        return x * direct_gain(distance)
    sos = butter_sos(2, fc, "lowpass", sr).copy()
    sos[0, :3] *= direct_gain(distance)  # the level drop rides in the filter's coefficients
    return sosfilt(sos, x)


def apply_width(x: np.ndarray, sr: int, width: float) -> np.ndarray:
    """Stereo image: mono gets a decorrelated side (7 ms delayed, band-limited copy), stereo
    sources have their side scaled by ``2 * width``. Returns (2, n)."""
    from sfxgen.synth.primitives import butter_sos, sosfilt

    if x.shape[0] == 2:
        # mid ± 2 width side as one 2x2 mix: L' = (1/2 + w) L + (1/2 - w) R, R' likewise
        mix = np.array([[0.5 + width, 0.5 - width], [0.5 - width, 0.5 + width]])
        return mix @ x.astype(np.float64, copy=False)
    mid = x[0]
    n = mid.shape[-1]
    out = np.empty((2, n), np.result_type(mid, np.float64))
    d = min(int(0.007 * sr), n)
    if width > 0 and d < n:
        # the side: the source 7 ms later, high-passed at 250 Hz (gain in the coefficients)
        hp = butter_sos(1, 250.0, "highpass", sr).copy()
        hp[0, :3] *= 0.45 * width
        side = sosfilt(hp, mid[: n - d])
        out[:, :d] = mid[:d]
        np.add(mid[d:], side, out=out[0, d:])
        np.subtract(mid[d:], side, out=out[1, d:])
    else:
        out[:] = mid
    return out


def wet_gain(space: float, distance: float) -> float:
    """Reverb return level for ``space`` u in [0, 1] and ``distance`` in [0, 1] (0 = dry)."""
    return float(0.9 * space ** 0.8 + 0.5 * distance * (0.3 + space))


RT60_STEPS_PER_OCTAVE = 8
"""Room IRs are built at RT60s quantised to 1/8 octave (±4.5 %, below the ~5 % just-noticeable
difference of reverberation time) so that a small cache of IRs serves every render."""


def room_ir(rt60_s: float, sample_rate: int, length_s: float | None = None) -> np.ndarray:
    """The shared room's impulse response (2, m) float32 (read-only) for ``rt60_s``.

    Built once per quantised RT60, sample rate and needed length with
    :func:`sfxgen.dsp.reverb.synth_ir` (early reflections + diffuse tail, room size growing with
    RT60, neutral brightness, one seed for every RT60 so that all rooms share synth_ir's cached
    band noise) and kept in an LRU cache of :data:`ROOM_IR_CACHE` entries (a random
    corpus uses about 50 RT60s). ``length_s`` (the part of the IR a clip can use) is rounded up
    to 0.25 s times a power of sqrt(2), so a short clip in a vast room synthesises only the
    first fraction of a second of the tail instead of all of it (and a long one at most ~41 %
    more than it uses); the IR is at least that long or its full ``1.5 * RT60``.
    """
    return _room_ir(*_room_key(rt60_s, length_s), int(sample_rate))


def _room_key(rt60_s: float, length_s: float | None) -> tuple[int, int]:
    """(quantised RT60, cut) of :func:`room_ir`'s cached IR for ``rt60_s`` and ``length_s``."""
    q = int(round(np.log2(max(rt60_s, 0.05) / 0.1) * RT60_STEPS_PER_OCTAVE))
    cut = -1
    if length_s is not None:
        cut = max(int(np.ceil(np.log2(max(length_s, 1e-3) / 0.25) * CUT_STEPS_PER_OCTAVE - 1e-9)), 0)
        rt60 = 0.1 * 2.0 ** (q / RT60_STEPS_PER_OCTAVE)
        if _cut_length_s(cut) >= 1.5 * rt60:
            cut = -1
    return q, cut


CUT_STEPS_PER_OCTAVE = 2
"""Cut IR lengths are 0.25 s x 2 ** (k / 2): coarse enough that clips of similar length share
an IR, fine enough that little of a long room's tail is synthesised and then never used."""


def _cut_length_s(cut: int) -> float:
    return 0.25 * 2.0 ** (cut / CUT_STEPS_PER_OCTAVE)


ROOM_IR_CACHE = 64
"""Room IRs kept (LRU); each is at most a few MB."""


@functools.lru_cache(maxsize=ROOM_IR_CACHE)
def _room_ir(q: int, cut: int, sample_rate: int) -> np.ndarray:
    """IR for quantised RT60 ``q``; ``cut`` >= 0: only the first :func:`_cut_length_s` s; -1: full."""
    from sfxgen.dsp.reverb import synth_ir

    rt60 = 0.1 * 2.0 ** (q / RT60_STEPS_PER_OCTAVE)
    size = float(np.clip(np.log(rt60 / 0.1) / np.log(80.0), 0.0, 1.0))
    ir = synth_ir(rt60_s=rt60, sample_rate=sample_rate, pre_delay_ms=0.0, size=size,
                  brightness=0.6, channels=2, seed=1000,
                  length_s=None if cut < 0 else _cut_length_s(cut))
    ir.setflags(write=False)
    return ir


ROOM_SPECTRUM_CACHE = 16
"""Room IR spectra kept (LRU; each a few MB): a repeated room and clip length skips the IR's FFT."""


@functools.lru_cache(maxsize=ROOM_SPECTRUM_CACHE)
def _room_spectrum(q: int, cut: int, sample_rate: int, nfft: int) -> np.ndarray:
    """rfft (2, nfft // 2 + 1) complex64 (read-only) of :func:`_room_ir` (q, cut) cut to
    ``nfft // 2`` taps.

    For a send of m samples with ``nfft >= m + min(L, m) - 1`` (L the IR length; nfft even)
    those taps are at least ``min(L, m)`` and at most ``nfft - m + 1``: every output sample
    before m is the exact linear convolution, whatever m, so one spectrum serves every clip
    length that lands on this FFT length."""
    import scipy.fft as sfft

    ir = _room_ir(q, cut, sample_rate)
    spec = sfft.rfft(ir[:, : nfft // 2], nfft, axis=-1)
    spec.setflags(write=False)
    return spec


def pre_delay_ms(space: float, distance: float) -> float:
    """Gap between the direct sound and the room (ms): grows with room size, shrinks with distance."""
    return (3.0 + 35.0 * space) * (1.0 - 0.4 * distance)


def apply_space(st: np.ndarray, src: np.ndarray, sr: int, ph: Physical) -> np.ndarray:
    """Add the room: ``st`` (2, n) direct sound plus ``src`` (the source before the distance
    stage: the reverberant field does not fall with distance) convolved with the room IR.

    The reverb send is darker than the direct sound at every distance (air absorption on the
    longer reflected paths: a 2nd-order low-pass at 0.7 x :func:`air_cutoff_hz`, at most 14 kHz)
    and delayed by :func:`pre_delay_ms`; its level is :func:`wet_gain` relative to the source.
    ``st`` is not modified (see :func:`add_space` for the in-place form).
    """
    return add_space(st.copy(), src, sr, ph)


def add_space(st: np.ndarray, src: np.ndarray, sr: int, ph: Physical) -> np.ndarray:
    """:func:`apply_space` adding the room into ``st`` itself (no copy of the direct sound);
    returns ``st``."""
    from sfxgen.synth.primitives import lowpass

    g = wet_gain(ph.space, ph.distance)
    if g < 0.02:
        return st
    n = st.shape[-1]
    d = int(pre_delay_ms(ph.space, ph.distance) * 1e-3 * sr)
    if d >= n:
        return st
    mono = src[0, : n - d] if src.shape[0] == 1 else _HALVES @ src[:, : n - d]  # (the channel mean, one pass)
    send = lowpass(mono, sr, send_cutoff_hz(ph.distance), order=2)
    return _add_room(st, send, sr, ph, g, d)


_HALVES = np.array([0.5, 0.5])
_HALVES.setflags(write=False)


def send_cutoff_hz(distance: float) -> float:
    """Reverb-send low-pass cutoff (Hz): 0.7 x :func:`air_cutoff_hz`, at most 14 kHz."""
    return min(14000.0, 0.7 * air_cutoff_hz(distance))


def _add_room(st: np.ndarray, send: np.ndarray, sr: int, ph: Physical, g: float, d: int) -> np.ndarray:
    """Add ``g`` x (room IR * ``send``) (the send (n - d,) already filtered) into ``st`` (2, n)
    from sample ``d`` on; returns ``st``."""
    import scipy.fft as sfft

    from sfxgen.synth.primitives import fast_fft_len

    n = st.shape[-1]
    m = n - d
    q, cut = _room_key(ph.rt60_s, m / sr)
    taps = _room_ir(q, cut, sr).shape[-1]
    nfft = fast_fft_len(m + min(taps, m) - 1)
    # float32 FFT convolution: twice as fast, and its -140 dB error is far under the tail's noise
    # unit-energy IR: wet energy ≈ g² × source energy, whatever the distance
    send32 = np.multiply(send, g, out=np.empty(send.shape, np.float32), casting="same_kind")
    spec = sfft.rfft(send32, nfft)
    spec = np.multiply(_room_spectrum(q, cut, sr, nfft), spec)
    st[:, d:] += sfft.irfft(spec, nfft, axis=-1)[:, :m]
    return st


def chain(dry: np.ndarray, sr: int, ph: Physical, *, gain: float = 1.0) -> np.ndarray:
    """Every shared stage after the source, in order: ``gain`` x ``dry`` (C, n) DC-blocked
    (15 Hz), then :func:`apply_attack`, :func:`apply_distance`, :func:`apply_width`,
    :func:`apply_space` and :func:`finish`; returns (2, n) float64.

    Same result as calling the stages one by one, with fewer copies: ``gain`` rides in the DC
    block's coefficients and the fade, the room and the fade-out work in place.
    """
    from sfxgen.synth.primitives import butter_sos, sosfilt

    dc = butter_sos(2, 15.0, "highpass", sr).copy()
    dc[0, :3] *= gain
    src = sosfilt(dc, dry)
    m = attack_samples(src, sr, ph.attack_s)
    if m >= 2:
        src[:, :m] *= _raised_cos(m)
    st = apply_width(apply_distance(src, sr, ph.distance), sr, ph.width)
    return finish(add_space(st, src, sr, ph), sr, inplace=True)


def finish(x: np.ndarray, sr: int, *, inplace: bool = False) -> np.ndarray:
    """A 10 ms raised-cosine fade-out at the end (no click when the clip is cut); a new array
    unless ``inplace``."""
    y = x if inplace else x.copy()
    m = min(int(0.01 * sr), y.shape[-1] // 4)
    if m >= 2:
        y[:, -m:] *= _raised_cos(m)[::-1]
    return y


