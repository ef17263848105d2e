"""The nature, foley, tonal/UI families (one module each): contract, determinism, loudness
through render(), and that parameters mean what they say, measured on the audio."""

from __future__ import annotations

import numpy as np
import pytest

from sfxgen.dsp.analysis import decay_time_s, f0_hz, hf_ratio, spectral_centroid_hz
from sfxgen.dsp.onsets import onsets_s
from sfxgen.synth.patch import FAMILIES, Patch

SR = 48000
FAMS_B = ["wind", "rain", "fire", "water_drips", "water_bubbles", "water_splash", "water_stream",
          "footsteps", "door_creak", "door_slam", "door_latch", "switch_click", "cloth_rustle", "heartbeat",
          "clock_tick", "alarm_siren", "ui_blip", "electric_sparks", "creature_growl", "crowd_murmur"]
RENDERERS_B = {f: FAMILIES[f].render for f in FAMS_B}


def dry(patch: Patch, *, seed: int = 0, dur: float = 1.0, sr: int = SR) -> np.ndarray:
    """The family's dry source for ``patch``."""
    return RENDERERS_B[patch.family](patch.physical(), n=int(round(dur * sr)), sample_rate=sr,
                                     rng=np.random.default_rng(seed))


def neutral(fam: str, **slots) -> Patch:
    """A mid-range patch (all zeros) with some slots set."""
    return Patch(fam).with_params(**slots)


def rms(x) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def test_twenty_families_each_in_its_own_registered_module():
    import importlib

    from sfxgen.synth.families import RENDERERS

    assert len(FAMS_B) == 20 and len(set(FAMS_B)) == 20
    for fam in FAMS_B:
        mod = importlib.import_module(f"sfxgen.synth.families.{fam}")
        assert mod.FAMILY is FAMILIES[fam] and RENDERERS[fam] is mod.FAMILY.render


@pytest.mark.parametrize("fam", FAMS_B)
def test_renderer_contract_and_determinism(fam):
    for s in range(3):
        p = Patch.random(fam, np.random.default_rng(1000 + s))
        for dur in (1.0, 0.05):
            y = dry(p, seed=s, dur=dur)
            n = int(round(dur * SR))
            assert y.dtype == np.float32 and y.ndim == 2 and y.shape[0] in (1, 2) and y.shape[1] == n
            assert np.all(np.isfinite(y))
            assert np.max(np.abs(y)) > 0, f"{fam} silent for {p.to_dict()} at {dur} s"
        assert np.array_equal(dry(p, seed=s), dry(p, seed=s))
        assert not np.allclose(dry(p, seed=s), dry(p, seed=s + 17))
    # other sample rates work too
    y = dry(Patch(fam), dur=0.5, sr=22050)
    assert y.shape[1] == 11025 and np.all(np.isfinite(y)) and np.max(np.abs(y)) > 0


@pytest.mark.parametrize("fam", FAMS_B)
def test_through_render_loudness_and_seeds(fam):
    from sfxgen.loudness.meter import measure
    from sfxgen.synth.render import LOUDNESS_RANGE_LUFS, PEAK_CEILING_DBFS, render

    p = Patch.random(fam, np.random.default_rng(7))
    a = render(p, duration_s=1.0, seed=3)
    assert a.shape == (2, SR) and a.dtype == np.float32 and np.all(np.isfinite(a))
    assert np.max(np.abs(a)) <= 10 ** (PEAK_CEILING_DBFS / 20) + 1e-6
    lufs = measure(a, SR).integrated_lufs
    assert LOUDNESS_RANGE_LUFS[0] - 0.5 <= lufs <= LOUDNESS_RANGE_LUFS[1] + 0.5
    assert np.array_equal(a, render(p, duration_s=1.0, seed=3))
    assert not np.allclose(a, render(p, duration_s=1.0, seed=4))


# ----------------------------------------------------------------------------- common slots


def _pairs(fam: str, slot: str, lo: float, hi: float, bases: int = 2):
    for s in range(bases):
        base = Patch.random(fam, np.random.default_rng(500 + s)).with_params(pitch=0.0, size=0.0)
        yield dry(base.with_params(**{slot: lo}), seed=s), dry(base.with_params(**{slot: hi}), seed=s)


@pytest.mark.parametrize("fam", FAMS_B)
def test_brightness_pitch_size_intensity_directions(fam):
    for lo, hi in _pairs(fam, "brightness", -0.8, 0.8):
        assert spectral_centroid_hz(hi, SR) > spectral_centroid_hz(lo, SR)
    for lo, hi in _pairs(fam, "pitch", -0.5, 0.5):
        assert spectral_centroid_hz(hi, SR) > spectral_centroid_hz(lo, SR)
    for lo, hi in _pairs(fam, "size", -0.8, 0.8):
        assert spectral_centroid_hz(hi, SR) < spectral_centroid_hz(lo, SR)
    for lo, hi in _pairs(fam, "intensity", -0.8, 0.8):
        assert rms(hi) > rms(lo)


def _count(fam: str, rate: float, dur: float = 4.0, **slots) -> int:
    y = dry(neutral(fam, rate=rate, **slots), seed=1, dur=dur)
    return len(onsets_s(y, SR, threshold=0.2, min_gap_ms=30.0))


@pytest.mark.parametrize("fam,slots", [
    ("footsteps", {"surface": -0.8}),
    ("clock_tick", {"mechanism": -1.0}),
    ("heartbeat", {}),
    ("water_drips", {"regularity": 1.0}),
    ("alarm_siren", {"beeping": 1.0}),
    ("electric_sparks", {"burstiness": 1.0, "arc": -1.0}),
    ("water_bubbles", {"density": -1.0}),
])
def test_rate_means_faster_repeats(fam, slots):
    slow, fast = _count(fam, -0.5, **slots), _count(fam, 0.5, **slots)
    # rate -0.5 .. +0.5 is a 4x speed change; allow detector slack
    assert fast >= 2 * slow and slow >= 2, (slow, fast)


def test_clock_ticks_per_second():
    n = _count("clock_tick", 0.0, dur=4.0, mechanism=-1.0)
    assert 7 <= n <= 9  # 2 ticks/s


# ----------------------------------------------------------------------------- family specifics


def test_rain_intensity_adds_drops_and_energy():
    lo = dry(neutral("rain", intensity=-0.8), dur=2.0)
    hi = dry(neutral("rain", intensity=0.8), dur=2.0)
    assert rms(hi) > 2.0 * rms(lo)


def test_siren_pitch_moves_f0():
    fs = []
    for p in (-0.25, 0.0, 0.25):
        y = dry(neutral("alarm_siren", pitch=p, sweep_depth=-1.0, waveform=-1.0, beeping=-1.0), dur=0.5)
        fs.append(f0_hz(y, SR))
    assert fs[0] < fs[1] < fs[2]
    assert fs[2] / fs[0] == pytest.approx(2.0, rel=0.05)  # +-6 semitones
    assert fs[1] == pytest.approx(720.0, rel=0.05)


def test_siren_sweep_depth_widens_pitch_range():
    def spread(depth):
        y = dry(neutral("alarm_siren", sweep_depth=depth, waveform=-1.0, beeping=-1.0), dur=3.0)[0]
        seg = SR // 10
        f = [f0_hz(y[i:i + seg], SR) for i in range(0, y.size - seg, seg)]
        f = np.array([v for v in f if v])
        return np.log2(f.max() / f.min())

    assert spread(-1.0) < 0.05 and spread(1.0) > 0.8


def test_ui_blip_pitch_and_notes():
    f_lo = f0_hz(dry(neutral("ui_blip", pitch=-0.25, notes=-1.0, glide=-1.0), dur=0.3), SR)
    f_hi = f0_hz(dry(neutral("ui_blip", pitch=0.25, notes=-1.0, glide=-1.0), dur=0.3), SR)
    assert f_hi / f_lo == pytest.approx(2.0, rel=0.05)
    one = len(onsets_s(dry(neutral("ui_blip", notes=-1.0, rate=-0.5, decay=-1.0), dur=1.0), SR))
    four = len(onsets_s(dry(neutral("ui_blip", notes=1.0, rate=-0.5, decay=-1.0), dur=1.0), SR))
    assert one == 1 and four >= 3


def test_creature_bigger_is_lower():
    small = dry(neutral("creature_growl", size=-0.8), dur=1.5)
    big = dry(neutral("creature_growl", size=0.8), dur=1.5)
    assert spectral_centroid_hz(big, SR) < 0.7 * spectral_centroid_hz(small, SR)
    assert f0_hz(big, SR, fmin_hz=30.0) < f0_hz(small, SR, fmin_hz=30.0)


def test_creature_vowel_moves_second_formant():
    # 'u' (aux 0) has F2 ~ 870 Hz, 'i' (aux 1) ~ 2290 Hz: the energy above 1.5 kHz rises
    u = dry(neutral("creature_growl", vowel=-1.0, snarl=-1.0, breath=-1.0), dur=1.0)
    i = dry(neutral("creature_growl", vowel=1.0, snarl=-1.0, breath=-1.0), dur=1.0)
    assert hf_ratio(i, SR, split_hz=1500.0) > 1.5 * hf_ratio(u, SR, split_hz=1500.0)


def test_footsteps_surfaces_mapping_and_character():
    surface = FAMILIES["footsteps"].param("surface")
    assert [surface.choice(u) for u in (0.0, 0.2, 0.3, 0.45, 0.55, 0.7, 0.8, 1.0)] == [
        "concrete", "wood", "mud", "gravel", "snow", "grass", "water", "metal"]
    # one step: metal rings far longer than concrete; gravel is a longer crunch than concrete
    def one(surface):
        return dry(neutral("footsteps", surface=surface, rate=-1.0, scuff=-1.0), dur=1.0)

    def spread_s(y):  # time over which the middle 80 % of the energy arrives
        e = np.cumsum(np.sum(y.astype(np.float64) ** 2, axis=0))
        return (np.searchsorted(e, 0.9 * e[-1]) - np.searchsorted(e, 0.1 * e[-1])) / SR

    def grains(y):
        return len(onsets_s(y, SR, threshold=0.05, min_gap_ms=5.0))

    concrete, wood, gravel, snow, grass, metal, water = (
        one(s) for s in ("concrete", "wood", "gravel", "snow", "grass", "metal", "water"))
    assert decay_time_s(metal, SR) > 3 * decay_time_s(concrete, SR)
    assert spread_s(wood) > spread_s(concrete)
    for granular in (gravel, snow, grass):  # crunch / rustle: many micro-events spread over the roll
        assert grains(granular) >= 3 * grains(concrete)
        assert spread_s(granular) > 1.5 * spread_s(concrete)
    assert spread_s(water) > 2 * spread_s(concrete)  # a splash and its falling droplets


def test_switch_double_click():
    single = onsets_s(dry(neutral("switch_click", double=-1.0), dur=0.5), SR, threshold=0.2)
    double = onsets_s(dry(neutral("switch_click", double=1.0), dur=0.5), SR, threshold=0.2)
    assert len(single) == 1 and len(double) == 2


def test_latch_clicks_count():
    few = len(onsets_s(dry(neutral("door_latch", clicks=-1.0, rate=-0.5), dur=1.0), SR, threshold=0.05))
    many = len(onsets_s(dry(neutral("door_latch", clicks=1.0, rate=-0.5), dur=1.0), SR, threshold=0.05))
    assert many >= few + 2


def test_drips_regularity_and_drop_size():
    def cv(reg):
        t = onsets_s(dry(neutral("water_drips", regularity=reg, rate=0.5), seed=2, dur=4.0), SR, threshold=0.2)
        d = np.diff(t)
        return np.std(d) / np.mean(d)

    assert cv(1.0) < 0.15 < cv(-1.0)
    small = dry(neutral("water_drips", drop_size=-0.9), dur=2.0)
    big = dry(neutral("water_drips", drop_size=0.9), dur=2.0)
    assert spectral_centroid_hz(big, SR) < spectral_centroid_hz(small, SR)


def test_bubble_size_lowers_pitch_and_stream_depth_lowers():
    small = dry(neutral("water_bubbles", bubble_size=-0.9), dur=1.5)
    big = dry(neutral("water_bubbles", bubble_size=0.9), dur=1.5)
    assert spectral_centroid_hz(big, SR) < 0.6 * spectral_centroid_hz(small, SR)
    shallow = dry(neutral("water_stream", depth=-0.9), dur=1.5)
    deep = dry(neutral("water_stream", depth=0.9), dur=1.5)
    assert spectral_centroid_hz(deep, SR) < spectral_centroid_hz(shallow, SR)


def test_material_slots():
    wood = dry(neutral("door_slam", material=-1.0), dur=2.0)
    steel = dry(neutral("door_slam", material=1.0), dur=2.0)
    assert decay_time_s(steel, SR) > 2 * decay_time_s(wood, SR)
    w = dry(neutral("door_creak", wood_metal=-1.0), dur=2.0)
    m = dry(neutral("door_creak", wood_metal=1.0), dur=2.0)
    assert spectral_centroid_hz(m, SR) > spectral_centroid_hz(w, SR)
    soft = dry(neutral("cloth_rustle", fabric_stiffness=-0.9), dur=1.5)
    stiff = dry(neutral("cloth_rustle", fabric_stiffness=0.9), dur=1.5)
    assert spectral_centroid_hz(stiff, SR) > spectral_centroid_hz(soft, SR)


def test_creak_pressure_slows_slips():
    # heavier pressure: slower slip rate -> the creak's pitch (periodicity) falls
    light = dry(neutral("door_creak", pressure=-0.8, stick_slip=-1.0), dur=2.0)
    heavy = dry(neutral("door_creak", pressure=0.8, stick_slip=-1.0), dur=2.0)
    assert f0_hz(heavy, SR, fmin_hz=30.0, threshold=0.3) < f0_hz(light, SR, fmin_hz=30.0, threshold=0.3)


def test_decay_lengthens_tails():
    for fam in ("water_splash", "door_slam", "door_latch"):
        short = dry(neutral(fam, decay=-0.8), dur=3.0)
        long_ = dry(neutral(fam, decay=0.8), dur=3.0)
        assert decay_time_s(long_, SR) > decay_time_s(short, SR), fam


def test_fire_crackle_density_and_sparks_buzz():
    sparse = dry(neutral("fire", crackle_density=-1.0, roar=-1.0, pops=-1.0), dur=2.0)
    dense = dry(neutral("fire", crackle_density=1.0, roar=-1.0, pops=-1.0), dur=2.0)
    assert hf_ratio(dense, SR, split_hz=2000.0) > hf_ratio(sparse, SR, split_hz=2000.0)
    quiet = dry(neutral("electric_sparks", buzz=-1.0), dur=1.0)
    hum = dry(neutral("electric_sparks", buzz=1.0), dur=1.0)
    assert hf_ratio(hum, SR, split_hz=600.0) < hf_ratio(quiet, SR, split_hz=600.0)


def test_crowd_more_voices_is_smoother():
    def roughness(v):
        y = dry(neutral("crowd_murmur", voices=v, room_size=-1.0), seed=3, dur=3.0).mean(0)
        frames = y[: y.size // 2400 * 2400].reshape(-1, 2400)
        e = np.sqrt(np.mean(frames ** 2, axis=1))
        return np.std(e) / np.mean(e)

    assert roughness(1.0) < 0.7 * roughness(-1.0)


def test_heartbeat_lub_dub_pairs():
    y = dry(neutral("heartbeat", rate=-0.3), dur=4.0)  # ~50 bpm: beats >1 s apart
    t = onsets_s(y, SR, threshold=0.1, min_gap_ms=60.0)
    gaps = np.diff(t)
    # lub-dub: short gaps (S1->S2, ~0.35 s) alternate with long ones (S2->next S1)
    assert np.any(gaps < 0.5) and np.any(gaps > 0.6)


def _flatness(y, lo_hz: float, hi_hz: float) -> float:
    """Spectral flatness (geometric / arithmetic mean power) of the long-term spectrum in a band."""
    from scipy import signal

    f, p = signal.welch(np.asarray(y, np.float64).mean(0), SR, nperseg=4096)
    band = p[(f >= lo_hz) & (f <= hi_hz)] + 1e-20
    return float(np.exp(np.mean(np.log(band))) / np.mean(band))


def test_wind_whistle_is_tonal_and_roof_is_not():
    plain = dry(neutral("wind", whistle=-1.0, howl=-1.0), dur=3.0)
    whistling = dry(neutral("wind", whistle=1.0, howl=-1.0), dur=3.0)
    assert _flatness(whistling, 400, 3000) < 0.6 * _flatness(plain, 400, 3000)
    # a tin roof under rain is a diffuse metallic roar, not a chord of steady tones
    roof = dry(neutral("rain", roof=1.0, surface_hardness=1.0), dur=3.0)
    assert _flatness(roof, 300, 8000) > 0.3


def test_creature_roughness_rattles():
    """Roughness adds a pulsed 15..70 Hz amplitude modulation (false-fold rattle) to the growl."""
    from scipy import signal

    def rattle(r):
        y = dry(neutral("creature_growl", roughness=r, decay=0.5), dur=1.5)
        x = np.abs(y.mean(0).astype(np.float64))[: int(0.8 * SR)]
        b, a = signal.butter(2, 150.0, fs=SR)
        e = signal.lfilter(b, a, x)
        f, p = signal.welch(e - e.mean(), SR, nperseg=8192)
        return p[(f > 15) & (f < 70)].sum() / np.mean(x) ** 2

    assert rattle(1.0) > 10 * rattle(-1.0)


def test_a_switch_thuds_but_never_booms():
    """Low-passed noise is flat down to DC: as a switch's thunk it put half the click's energy
    under 120 Hz. The knock's floor keeps a heavy, big, low switch in the thud band."""
    from sfxgen.layering.intent import band_shares_db
    from sfxgen.synth.blocks import knock

    rng = np.random.default_rng(7)
    low = [band_shares_db(dry(Patch.random("switch_click", rng), seed=i, dur=0.5), SR, (120.0,))[0]
           for i in range(12)]
    assert np.median(low) < -12.0  # real UI clips: -16 dB in the median
    heavy = neutral("switch_click", thunk=1.0, size=1.0, pitch=-1.0)
    assert band_shares_db(dry(heavy, dur=0.5), SR, (60.0,))[0] < -15.0
    flat = knock(np.random.default_rng(1), SR, SR, 0, 300.0, 0.01)
    floored = knock(np.random.default_rng(1), SR, SR, 0, 300.0, 0.01, floor_hz=100.0)
    assert band_shares_db(floored[None], SR, (50.0,))[0] < band_shares_db(flat[None], SR, (50.0,))[0] - 10.0
