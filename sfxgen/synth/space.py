"""The shared acoustic stages every family goes through after its dry source (see render.py).

Sub-sonic filter, attack fade-in, distance (air absorption + direct-level drop), stereo width
(early reflections off side walls), the room (early reflections + diffuse tail from
:func:`sfxgen.dsp.reverb.synth_ir`, recorded as by a near-coincident pair), a stereo-image guard
and the clip end. Each stage is a pure function of (audio (C, n) float64, sample_rate, physical
values) so tests can probe them one by one and the layering stage can reuse them.

Sound hygiene every render gets here, whatever its family (thresholds as constants):

* energy under 20 Hz at least :data:`SUB_LIMIT_DB` under the total (:func:`subsonic`);
* a stereo image whose mono fold-down loses at most :data:`MAX_FOLD_LOSS_DB` of loudness
  (:func:`limit_side`; the room and the width stage stay within it on their own);
* no hard stop: a render still sounding at its end fades out over :func:`end_fade_s`
  (:func:`finish`).
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
    from sfxgen.synth.primitives import sosfilt

    sos = _distance_sos(sr, distance)  # (the level drop rides in the filter's coefficients)
    return sosfilt(sos, x) if sos.shape[0] else x * direct_gain(distance)


WIDTH_REFLECTIONS_MS = (6.1, 9.7)
"""Delays (ms) of the two side-wall reflections that give a mono source its stereo image: the
left wall's reaches the left channel first, the right wall's the right channel later."""
WIDTH_REFLECTION_GAIN = 0.6
"""Level of each side-wall reflection at width 1 (band-limited to 150 Hz .. 8 kHz, walls absorb
the extremes): interchannel correlation about 0.75, mono fold-down loss about 0.6 dB."""


def apply_width(x: np.ndarray, sr: int, width: float) -> np.ndarray:
    """Stereo image. A mono source gets two early reflections off the side walls, each
    ``WIDTH_REFLECTION_GAIN * width``, arriving 6.1 ms later on the left and 9.7 ms later on the
    right (the direct sound stays centred, so the image widens without moving); a stereo
    source has its side scaled by ``2 * width`` (:func:`limit_side` caps the result). Returns
    (2, n)."""
    from sfxgen.synth.primitives import sosfilt

    if x.shape[0] == 2:
        # mid ± 2 width side as one 2x2 mix: L' = (1/2 + w) L + (1/2 - w) R, R' likewise
        mix = np.array([[0.5 + width, 0.5 - width], [0.5 - width, 0.5 + width]])
        return mix @ x.astype(np.float64, copy=False)
    mid = x[0]
    n = mid.shape[-1]
    out = np.empty((2, n), np.result_type(mid, np.float64))
    out[:] = mid
    d1, d2 = (int(ms * 1e-3 * sr) for ms in WIDTH_REFLECTIONS_MS)
    if width > 0 and d2 < n:
        wall = _wall_sos(sr).copy()
        wall[0, :3] *= WIDTH_REFLECTION_GAIN * width
        refl = sosfilt(wall, mid[: n - d1])
        out[0, d1:] += refl
        out[1, d2:] += refl[: n - d2]
    return out


def _wall_sos(sr: int) -> np.ndarray:
    """Band-limit of a side-wall reflection: 1st-order high-pass at 150 Hz and low-pass at 8 kHz."""
    from sfxgen.synth.primitives import butter_sos

    hp = butter_sos(1, 150.0, "highpass", sr)
    lp = butter_sos(1, min(8000.0, 0.45 * sr), "lowpass", sr)
    return np.concatenate([hp, lp])


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
    more than it uses); the IR is at least that long or its full :data:`ROOM_TAIL_RT60` x RT60.
    """
    return _room_ir(*_room_key(rt60_s, length_s), int(sample_rate))


def _room_key(rt60_s: float, length_s: float | None) -> tuple[int, int]:
    """(quantised RT60, cut) of :func:`room_ir`'s cached IR for ``rt60_s`` and ``length_s``."""
    q = int(round(np.log2(max(rt60_s, 0.05) / 0.1) * RT60_STEPS_PER_OCTAVE))
    cut = -1
    if length_s is not None:
        cut = max(int(np.ceil(np.log2(max(length_s, 1e-3) / 0.25) * CUT_STEPS_PER_OCTAVE - 1e-9)), 0)
        rt60 = 0.1 * 2.0 ** (q / RT60_STEPS_PER_OCTAVE)
        if _cut_length_s(cut) >= ROOM_TAIL_RT60 * rt60:
            cut = -1
    return q, cut


CUT_STEPS_PER_OCTAVE = 2
"""Cut IR lengths are 0.25 s x 2 ** (k / 2): coarse enough that clips of similar length share
an IR, fine enough that little of a long room's tail is synthesised and then never used."""


def _cut_length_s(cut: int) -> float:
    return 0.25 * 2.0 ** (cut / CUT_STEPS_PER_OCTAVE)


ROOM_TAIL_RT60 = 1.2
"""Room IRs end 1.2 x RT60 after their onset (72 dB down; a render's room return starts at least
~10 dB under its direct sound), not at synth_ir's full 1.5 x RT60 (90 dB): the last fifth of
the tail is inaudible, and the convolution's FFTs are up to a fifth shorter without it."""


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
                  length_s=ROOM_TAIL_RT60 * rt60 if cut < 0 else _cut_length_s(cut))
    # synth_ir's channels are independent (a spaced pair): fold them into a near-coincident
    # pair's image, side = ROOM_SIDE x mid, each channel back to unit energy
    # (mid ± ROOM_SIDE side as one 2x2 mix)
    near, far = 0.5 * (1.0 + ROOM_SIDE), 0.5 * (1.0 - ROOM_SIDE)
    ir = np.array([[near, far], [far, near]], np.float32) @ ir
    ir /= np.sqrt(np.einsum("cn,cn->c", ir, ir, dtype=np.float64))[:, None].astype(np.float32) + 1e-30
    ir.setflags(write=False)
    return ir


ROOM_SIDE = 0.4
"""Side-to-mid amplitude of the room's stereo tail (the independent channels of
:func:`sfxgen.dsp.reverb.synth_ir` have side = mid): interchannel correlation 0.72 and a mono
fold-down loss of 0.6 dB for the wet sound, where a spaced pair's independent tails lose 3 dB."""


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
    # a room adds no infrasound: the sub-sonic high-pass's magnitude on the bins under 8 x its
    # cutoff (above, it is 1 within 1e-5); zero-phase, so the wrap of its (tiny) pre-ring lands past
    # the samples a render uses
    k = int(8 * SUBSONIC_HZ * nfft / sample_rate) + 1
    f = np.arange(k) * (sample_rate / nfft)
    with np.errstate(divide="ignore"):
        spec[:, :k] *= (1.0 / np.sqrt(1.0 + (SUBSONIC_HZ / f) ** 12)).astype(np.float32)
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


SUBSONIC_HZ = 24.0
"""Cutoff of the sub-sonic high-pass every source goes through (6th-order Butterworth: -0.3 dB
at 30 Hz, -10 dB at 20 Hz, -46 dB at 10 Hz; DC and infrasound out); a render still carrying
too much under 20 Hz gets passes at higher cutoffs (:func:`subsonic_guard`)."""
SUB_LIMIT_DB = -33.0
"""Largest share of a source's energy under 20 Hz after :func:`subsonic` (dB re the total; the
hygiene target is -30 dB, this leaves a margin for the later stages)."""


def subsonic(x: np.ndarray, sr: int, *, gain: float = 1.0) -> np.ndarray:
    """``gain`` x ``x`` (C, n) through the sub-sonic high-pass at :data:`SUBSONIC_HZ`; float64
    (C, n). Sources with strong infrasound (brown-noise rumble) are caught by
    :func:`subsonic_guard` on the finished render."""
    from sfxgen.synth.primitives import butter_sos, sosfilt

    sos = butter_sos(6, SUBSONIC_HZ, "highpass", sr).copy()
    sos[0, :3] *= gain
    return sosfilt(sos, x)


def subsonic_guard(x: np.ndarray, sr: int) -> np.ndarray:
    """``x`` (C, n) unchanged when its energy under 20 Hz is at most :data:`SUB_LIMIT_DB`, else
    high-passed (6th order) at 1.25, 1.56, 1.95 x :data:`SUBSONIC_HZ` until it is. For the
    finished render: limiting a peaky transient removes high-frequency energy and so raises
    the low share."""
    from sfxgen.synth.primitives import butter_sos, sosfilt

    fc = SUBSONIC_HZ
    for _ in range(3):
        if sub_share_db(x, sr) <= SUB_LIMIT_DB:
            break
        fc *= 1.25
        x = sosfilt(butter_sos(6, fc, "highpass", sr), x)
    return x


def sub_share_db(x: np.ndarray, sr: int, *, below_hz: float = 20.0) -> float:
    """Energy of ``x`` (C, n) under ``below_hz`` relative to its total (dB), estimated fast:
    the spectrum of 32-sample block means (a 1.5 kHz-rate copy whose aliases reach the low bins
    at least 37 dB down) against the exact total energy. -300 for silence."""
    B = 32
    C, n = x.shape
    k = n // B
    total = float(np.einsum("cn,cn->", x, x))
    if k < 4 or total <= 0:
        return -300.0
    dec = x[:, : k * B].reshape(C, k, B).mean(axis=2)
    spec = np.fft.rfft(dec, axis=-1)
    f = np.fft.rfftfreq(k, d=B / sr)
    low = spec[:, f < below_hz]
    # the block mean scales amplitude by 1 and energy per sample by B (Parseval on k samples)
    e_low = float(np.sum(low.real ** 2 + low.imag ** 2)) * 2.0 / k * B
    return float(10.0 * np.log10(max(e_low / total, 1e-30)))


MAX_FOLD_LOSS_DB = 0.8
"""Largest mono fold-down loss of a render (dB): integrated loudness of the stereo minus that of
``(L + R) / 2`` on both channels, as QC's mono-downmix check measures it (hygiene target 1 dB)."""



def limit_side(st: np.ndarray, sr: int, *, target_lufs: float,
               max_loss_db: float = MAX_FOLD_LOSS_DB) -> tuple[float | None, float | None]:
    """Cap the stereo image of ``st`` (2, n) so that its mono fold-down loses at most
    ``max_loss_db`` (as :func:`sfxgen.qc.mono_downmix_loss_db` measures it, judged as if ``st``
    were levelled to ``target_lufs``): when it would lose more, the side is scaled down (the
    mid, which is what a mono listener hears, is untouched). In place. Returns the integrated
    loudness of ``st`` before and after (LUFS; both None for silence): the level stage takes
    the second as its own first reading.

    One K-weighted pass over mid and side gives their 400 ms gating windows, and with them the
    stereo's (K is linear and L² + R² = 2 (M² + S²): the stereo's window energy is 2 (mid +
    side), exactly the meter's reading of left and right) and the fold-down's (2 mid); g is
    then found by bisection on 2 (mid + g² side). The room and the width stage stay under the
    cap on their own; this holds every family to it, whatever its source does. Both readings
    are as levelled to ``target_lufs`` (:func:`_levelled_reading`: the gain they ask for lands
    the render on the target even where the absolute gate moves with the level)."""
    from sfxgen.loudness.meter import gated_loudness, window_energies

    ms = np.empty(st.shape)
    np.add(st[0], st[1], out=ms[0])
    np.subtract(st[0], st[1], out=ms[1])
    ms *= 0.5
    win_m, win_s = window_energies(ms, sr)
    lufs = gated_loudness(2.0 * (win_m + win_s))
    if lufs is None:
        return None, None
    lufs = _levelled_reading(2.0 * (win_m + win_s), lufs, target_lufs)
    scale = 10 ** ((target_lufs - lufs) / 10)  # (the absolute gate cuts where it will in the render)
    win_m, win_s = win_m * scale, win_s * scale
    if _fold_loss_db(win_m, win_s, 1.0)[0] <= max_loss_db:
        return lufs, lufs
    lo, hi = 0.0, 1.0
    for _ in range(14):  # g to within 1e-4
        g = 0.5 * (lo + hi)
        lo, hi = (g, hi) if _fold_loss_db(win_m, win_s, g)[0] <= max_loss_db else (lo, g)
    ms[1] *= lo
    np.add(ms[0], ms[1], out=st[0], casting="same_kind")
    np.subtract(ms[0], ms[1], out=st[1], casting="same_kind")
    return lufs, lufs + _fold_loss_db(win_m, win_s, lo)[1] - _fold_loss_db(win_m, win_s, 1.0)[1]


def _levelled_reading(win: np.ndarray, lufs: float, target_lufs: float) -> float:
    """The reading L (LUFS) for which the gain ``10 ** ((target_lufs - L) / 20)`` brings the
    stereo gating windows ``win`` to ``target_lufs`` under BS.1770's gates: the meter's reading
    ``lufs`` itself, unless turning the sound up or down moves quiet windows across the absolute
    gate (a decaying hit: its quiet tail windows drop out at the lower level, the rest reads
    louder), then adjusted until the levelled windows read the target (within 0.001 dB)."""
    from sfxgen.loudness.meter import gated_loudness

    for _ in range(4):
        got = gated_loudness(win * 10 ** ((target_lufs - lufs) / 10))
        if got is None or abs(got - target_lufs) < 1e-3:
            break
        lufs += got - target_lufs
    return lufs


def _fold_loss_db(win_m: np.ndarray, win_s: np.ndarray, g: float) -> tuple[float, float]:
    """(mono fold-down loss in dB, stereo loudness in LUFS) of mid windows ``win_m`` with side
    windows ``win_s`` scaled by ``g``, both judged on the windows the stereo's gates keep."""
    from sfxgen.loudness.meter import gate_mask, gated_loudness

    stereo = 2.0 * (win_m + g * g * win_s)
    keep = gate_mask(stereo)
    if not keep.any():
        return 0.0, -300.0
    mono = float(win_m[keep].sum())
    loss = float("inf") if mono <= 0 else float(10.0 * np.log10(stereo[keep].sum() / (2.0 * mono)))
    return loss, gated_loudness(stereo)


def chain(dry: np.ndarray, sr: int, ph: Physical, *, gain: float = 1.0) -> np.ndarray:
    """Every shared stage after the source, in order: ``gain`` x ``dry`` (C, n) through
    :func:`subsonic`, :func:`apply_attack`, :func:`apply_distance`, :func:`apply_width`,
    :func:`apply_space` and :func:`finish`; returns (2, n) float64 (the render then applies
    :func:`subsonic_guard` and :func:`limit_side` and levels the result).

    The same stages in fewer passes over the audio: an IIR pass costs about the same for one to
    four second-order sections, so the sub-sonic high-pass runs in one call with the distance
    low-pass (the direct sound) and in one call with the reverb-send low-pass (the send), and
    the attack fade is applied to both after them (a fade and a low-pass at 1.5 kHz or more
    commute to within the low-pass's sub-millisecond settling). ``gain`` rides in the filters'
    coefficients; the fade, the room and the fade-out work in place.
    """
    from sfxgen.synth.primitives import butter_sos, sosfilt

    hp = butter_sos(6, SUBSONIC_HZ, "highpass", sr)
    direct = np.concatenate([hp, _distance_sos(sr, ph.distance)])
    direct[0, :3] *= gain * (direct_gain(ph.distance) if ph.distance <= 0.02 else 1.0)
    direct = sosfilt(direct, dry)
    m = attack_samples(direct, sr, ph.attack_s)
    fade = _raised_cos(m) if m >= 2 else None
    if fade is not None:
        direct[:, :m] *= fade
    st = apply_width(direct, sr, ph.width)
    g = wet_gain(ph.space, ph.distance)
    n = st.shape[-1]
    d = int(pre_delay_ms(ph.space, ph.distance) * 1e-3 * sr)
    if g >= 0.02 and d < n:
        mono = dry[0, : n - d] if dry.shape[0] == 1 else _HALVES @ dry[:, : n - d]
        send = np.concatenate([hp, _lowpass_sos(sr, send_cutoff_hz(ph.distance))])
        send[0, :3] *= gain
        send = sosfilt(send, mono)
        if fade is not None:
            send[:m] *= fade[: send.shape[-1]]
        _add_room(st, send, sr, ph, g, d)
    return finish(st, sr, inplace=True)


def _distance_sos(sr: int, distance: float) -> np.ndarray:
    """Sections of :func:`apply_distance`'s air absorption with its level drop in the first
    (0 sections when it does not filter; then the drop is a plain gain)."""
    if distance <= 0.02:
        return np.zeros((0, 6))
    sos = _lowpass_sos(sr, air_cutoff_hz(distance))
    if sos.shape[0] == 0:
        return np.array([[direct_gain(distance), 0, 0, 1, 0, 0]])
    sos[0, :3] *= direct_gain(distance)
    return sos


def _lowpass_sos(sr: int, cutoff_hz: float) -> np.ndarray:
    """A writable copy of the 2nd-order Butterworth low-pass at ``cutoff_hz`` (0 sections at or
    above 0.45 x the sample rate: no filter, as :func:`sfxgen.synth.primitives.lowpass`)."""
    from sfxgen.synth.primitives import butter_sos

    if cutoff_hz >= 0.45 * sr:
        return np.zeros((0, 6))
    return butter_sos(2, max(cutoff_hz, 5.0), "lowpass", sr).copy()


END_WINDOW_S = 0.05
"""Frame length (s) in which the end of a render is compared with its loudest moment."""
STILL_SOUNDING_DB = -30.0
"""A render whose last :data:`END_WINDOW_S` is within this of its loudest frame (dB) is still
sounding at its end: :func:`finish` fades it out over :func:`end_fade_s` instead of 10 ms."""


def end_fade_s(duration_s: float) -> float:
    """Fade-out length (s) of a render still sounding at its end: 12 % of the clip, at least
    0.2 s and at most 2 s, never more than half the clip (a raised cosine this long brings the
    last 50 ms at least 20 dB under the level before the fade)."""
    return float(min(max(0.2, 0.12 * duration_s), 2.0, 0.5 * duration_s))


def finish(x: np.ndarray, sr: int, *, inplace: bool = False) -> np.ndarray:
    """End the clip without a hard stop: a render that has decayed by its end gets a 10 ms
    raised-cosine fade-out (no click where the clip is cut); one still sounding (its last
    :data:`END_WINDOW_S` within :data:`STILL_SOUNDING_DB` of its loudest frame: a texture, a
    ring cut short) fades out over :func:`end_fade_s`. A new array unless ``inplace``."""
    y = x if inplace else x.copy()
    n = y.shape[-1]
    m = min(int(0.01 * sr), n // 4)
    w = max(int(END_WINDOW_S * sr), 1)
    k = n // w
    if k >= 2:
        tail = y[:, n - k * w:].reshape(y.shape[0], k, w)
        e = np.einsum("cbw,cbw->b", tail, tail)
        if e[-1] > e.max() * 10 ** (STILL_SOUNDING_DB / 10):
            m = max(m, int(end_fade_s(n / sr) * sr))
    if m >= 2:
        y[:, -m:] *= _raised_cos(m)[::-1]
    return y
