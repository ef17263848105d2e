"""New families B (weapons, vehicles, signals, sci-fi, cartoon) and their physics blocks
(aero, motion, rotor): the contract, hygiene of the dry source, and that every parameter does
what its doc says, measured on the audio."""

from __future__ import annotations

import numpy as np
import pytest

from sfxgen.synth import Patch, render
from sfxgen.synth.family import ELEMENT_ROLES, N_AUX, Family
from sfxgen.synth.physics import aero, motion, rotor
from sfxgen.synth.registry import discover

SR = 48000
NEW_B = ("sword_swing", "sword_clash", "bow_shot", "gun_reload", "shell_drop", "shotgun", "vehicle_passby",
         "tire_skid", "helicopter", "jet_flyby", "propeller_plane", "train_ride", "car_horn", "phone_ring",
         "whistle", "boing", "slide_whistle", "magic_spell", "teleport", "force_field", "computer_data")
ONESHOTS = [f for f in NEW_B if f not in ("helicopter", "train_ride", "force_field", "computer_data")]
C = motion.SPEED_OF_SOUND_MPS


def fam(name: str) -> Family:
    return discover()[name]


def dry(name: str, *, seed: int = 0, dur: float | None = None, sr: int = SR, **params) -> np.ndarray:
    """The family's dry source for a patch with ``params`` (normalised values or choice names)."""
    f = fam(name)
    p = Patch(name).with_params(**params)
    n = int(round((dur or f.default_duration_s) * sr))
    return np.asarray(f.render(p.physical(), n=n, sample_rate=sr, rng=np.random.default_rng(seed)), np.float64)


def u(name: str, param: str, value) -> float:
    """Normalised slot value (-1..1) of a physical value or choice of ``param``."""
    return 2.0 * fam(name).param(param).u_of(value) - 1.0


def env_db(x: np.ndarray, sr: int = SR, win_ms: float = 10.0) -> np.ndarray:
    from scipy.ndimage import uniform_filter1d

    p = np.mean(np.square(np.atleast_2d(x)), axis=0)
    return 10 * np.log10(np.maximum(uniform_filter1d(p, max(1, int(win_ms * 1e-3 * sr))), 0) + 1e-20)


def bursts(x: np.ndarray, *, below_db: float = 25.0, min_gap_s: float = 0.04, win_ms: float = 10.0) -> int:
    """Number of separate loud stretches: rises through (peak - below_db) separated by at least
    ``min_gap_s`` under it."""
    e = env_db(x, win_ms=win_ms)
    on = e > e.max() - below_db
    edges = np.flatnonzero(np.diff(on.astype(int)) == 1) + 1
    if on[0]:
        edges = np.concatenate([[0], edges])
    falls = np.flatnonzero(np.diff(on.astype(int)) == -1) + 1
    count, last_fall = 0, -10 ** 9
    for s in edges:
        if s - last_fall >= min_gap_s * SR or count == 0:
            count += 1
        later = falls[falls > s]
        last_fall = later[0] if later.size else len(e)
    return count


def centroid(x: np.ndarray, sr: int = SR) -> float:
    X = np.sum(np.abs(np.fft.rfft(np.atleast_2d(x), axis=-1)) ** 2, axis=0)
    f = np.fft.rfftfreq(np.atleast_2d(x).shape[-1], 1 / sr)
    return float(np.sum(f * X) / np.sum(X))


def peak_hz(x: np.ndarray, lo: float = 50.0, hi: float = 20000.0, sr: int = SR) -> float:
    m = np.atleast_2d(x).mean(axis=0)
    X = np.abs(np.fft.rfft(m * np.hanning(m.size)))
    f = np.fft.rfftfreq(m.size, 1 / sr)
    sel = (f >= lo) & (f <= hi)
    return float(f[sel][np.argmax(X[sel])])


def median_hz(x: np.ndarray, sr: int = SR) -> float:
    """Frequency below which half the energy lies."""
    X = np.sum(np.abs(np.fft.rfft(np.atleast_2d(x), axis=-1)) ** 2, axis=0)
    c = np.cumsum(X) / np.sum(X)
    return float(np.fft.rfftfreq(np.atleast_2d(x).shape[-1], 1 / sr)[np.searchsorted(c, 0.5)])


def log_spectral_shift(a: np.ndarray, b: np.ndarray, *, lo: float = 100.0, hi: float = 4000.0) -> float:
    """Frequency ratio b / a that best aligns the two segments' log-frequency spectra."""
    grid = np.exp(np.linspace(np.log(lo), np.log(hi), 2000))

    def spec(x):
        m = np.atleast_2d(x).mean(axis=0)
        X = np.abs(np.fft.rfft(m * np.hanning(m.size)))
        f = np.fft.rfftfreq(m.size, 1 / SR)
        s = np.log(np.interp(grid, f, X) + 1e-9)
        return s - s.mean()

    sa, sb = spec(a), spec(b)
    step = np.log(grid[1] / grid[0])
    lags = np.arange(-300, 301)
    score = [np.dot(sa[max(0, -k): len(sa) - max(0, k)], sb[max(0, k): len(sb) - max(0, -k)]) for k in lags]
    return float(np.exp(lags[int(np.argmax(score))] * step))


def seg(x: np.ndarray, a: float, b: float) -> np.ndarray:
    return np.atleast_2d(x)[:, int(a * SR): int(b * SR)]


# ----------------------------------------------------------------------------- contract
def test_all_families_registered_with_a_complete_contract():
    from sfxgen.ucs import load_ucs

    reg, ucs = discover(), load_ucs()
    for name in NEW_B:
        assert name in reg, name
        f = reg[name]
        assert f.ucs in ucs, (name, f.ucs)
        assert 1 <= len(f.params) <= N_AUX
        for p in f.params:
            assert p.doc and len(p.doc) > 20, (name, p.name)
            if not p.choices:
                assert p.unit is not None and p.lo < p.hi, (name, p.name)
        assert set(f.element_roles) <= set(ELEMENT_ROLES) and f.element_roles
        assert f.nouns and f.scenes and f.tags and f.keywords
        assert f.category in (None, "weapon", "vehicle", "alarm", "magic", "scifi", "ui")
        assert f.presets, name
        for pname, pr in f.presets.items():
            Patch(name).with_params(**pr)  # every preset names real slots and choices
        for role, pr in f.role_params.items():
            Patch(name).with_params(**pr)
    assert fam("vehicle_passby").element_roles == ("main",)
    assert {"main", "sweetener"} <= set(fam("force_field").element_roles)
    assert set(fam("computer_data").element_roles) == {"mechanism", "sweetener"}


@pytest.mark.parametrize("name", NEW_B)
def test_renders_finite_stereo_at_every_duration(name):
    rng = np.random.default_rng(7)
    for dur in (0.1, 1.0):
        for s in range(2):
            p = Patch.random(name, rng)
            y = render(p, duration_s=dur, seed=s)
            assert y.shape == (2, int(round(dur * SR))) and y.dtype == np.float32
            assert np.all(np.isfinite(y)) and np.max(np.abs(y)) > 1e-3, (name, dur, p.to_dict())
    x = dry(name, dur=10.0)  # long clips fill their length with finite audio
    assert x.shape[-1] == 10 * SR and np.all(np.isfinite(x)) and np.max(np.abs(x)) > 0
    for sr in (22050, 44100):
        z = dry(name, dur=0.5, sr=sr)
        assert z.shape[-1] == int(0.5 * sr) and np.all(np.isfinite(z)) and np.max(np.abs(z)) > 0
    a, b = dry(name, seed=3), dry(name, seed=3)
    assert np.array_equal(a, b) and not np.allclose(a, dry(name, seed=4))


@pytest.mark.parametrize("name", NEW_B)
def test_dry_source_hygiene(name):
    """Every preset's and random patch's dry source: under-20 Hz energy 30 dB down, folds to mono within 1 dB (no
    independent noise per channel), and a one-shot ends in its own decay (last 3 % of the clip
    at least 30 dB under the loudest moment)."""
    rng = np.random.default_rng(11)
    cases = [(k, v) for k, v in fam(name).presets.items()]
    cases += [(f"random{i}", Patch.random(name, rng).to_dict()["params"]) for i in range(4)]
    for pname, pr in cases:
        x = dry(name, seed=len(pname), **pr)
        X = np.sum(np.abs(np.fft.rfft(x, axis=-1)) ** 2, axis=0)
        f = np.fft.rfftfreq(x.shape[-1], 1 / SR)
        assert X[(f > 0) & (f < 20)].sum() < 1e-3 * X[f > 0].sum(), (name, pname)
        if x.shape[0] == 2:
            mid = 0.5 * (x[0] + x[1])
            loss = 10 * np.log10(np.sum(x ** 2) / (2 * np.sum(mid ** 2)))
            assert loss <= 1.0, (name, pname, loss)
        if name in ONESHOTS:
            e = env_db(x)
            tail = e[int(0.97 * e.size):]
            assert tail.max() < e.max() - 30, (name, pname, e.max() - tail.max())


# ----------------------------------------------------------------------------- physics blocks
def test_strouhal_and_aeolian_tone_follow_speed():
    assert aero.strouhal(1e4) == pytest.approx(0.198 * (1 - 19.7 / 1e4))
    assert aero.aeolian_hz(40.0, 0.005) == pytest.approx(2 * aero.aeolian_hz(20.0, 0.005), rel=0.02)
    n = SR
    for speed in (20.0, 40.0):
        y = aero.aeolian(np.random.default_rng(0), SR, np.full((1, n), speed), 0.006, 0.05, tone=1.0, wake=0.0)
        assert peak_hz(y, 200, 5000) == pytest.approx(float(aero.aeolian_hz(speed, 0.006)), rel=0.08)


def test_straight_path_retarded_time_and_doppler():
    t = np.linspace(0, 10, 2001)
    v = 30.0
    p = motion.straight_path(t, speed_mps=v, offset_m=5.0, t_closest_s=5.0)
    # what is heard at t left the source r / c earlier
    assert np.allclose(t - p.emit_s, p.distance_m / C)
    assert p.doppler[0] == pytest.approx(C / (C - v), rel=1e-3)
    assert p.doppler[-1] == pytest.approx(C / (C + v), rel=1e-3)
    num = np.gradient(p.emit_s, t)
    assert np.allclose(num[5:-5], p.doppler[5:-5], rtol=1e-3)


def test_passby_of_a_sine_is_shifted_by_the_doppler_ratio():
    pb = motion.PassBy(speed_mps=30.0, closest_m=5.0, t_closest_s=2.0, ground_reflection=0.0)
    n = 4 * SR
    lo, m = pb.source_span(n, SR)
    src = np.sin(2 * np.pi * 1000.0 * np.arange(m) / SR)
    y = pb.render(src, lo, SR, n)
    assert peak_hz(seg(y, 0.2, 0.8), 500, 2000) == pytest.approx(1000 * C / (C - 30), rel=0.01)
    assert peak_hz(seg(y, 3.2, 3.8), 500, 2000) == pytest.approx(1000 * C / (C + 30), rel=0.01)
    # loudest at the closest point, panned from one side to the other
    e = env_db(y)
    assert abs(np.argmax(e) / SR - 2.0) < 0.2
    assert np.sum(y[0, : SR] ** 2) > 2 * np.sum(y[1, : SR] ** 2)
    assert np.sum(y[1, -SR:] ** 2) > 2 * np.sum(y[0, -SR:] ** 2)


def test_air_absorption_grows_with_frequency():
    a = motion.air_absorption_db_per_m([500.0, 1000.0, 4000.0, 8000.0, 16000.0])
    assert np.all(np.diff(a) > 0) and a[1] == pytest.approx(0.005, rel=0.05)


def test_rotor_blocks():
    idx, k = rotor.passage_times(25.0, SR, SR)
    assert len(idx) in (24, 25, 26) and np.all(np.diff(k) == 1)
    slow, fast = rotor.rotor_harmonics(10, tip_mach=0.3), rotor.rotor_harmonics(10, tip_mach=0.9)
    assert np.all(np.diff(slow) < 0) and fast[5] > 10 * slow[5]
    y = rotor.blade_slap(np.random.default_rng(0), SR, SR, bpf_hz=20.0, width_s=0.003, blades=4)
    assert bursts(y, below_db=20, min_gap_s=0.02, win_ms=2) in range(18, 23)


# ----------------------------------------------------------------------------- parameters do what they say
def test_sword_swing_speed_raises_the_tone_and_swings_count():
    slow = dry("sword_swing", speed_mps=u("sword_swing", "speed_mps", 18.0), whistle=0.8)
    fast = dry("sword_swing", speed_mps=u("sword_swing", "speed_mps", 45.0), whistle=0.8)
    ratio = median_hz(fast) / median_hz(slow)
    assert 2.0 < ratio < 3.2  # f = St u / d: 2.5x the speed, 2.5x the pitch (a little more Doppler)
    thin = dry("sword_swing", thickness_mm=u("sword_swing", "thickness_mm", 4.0))
    thick = dry("sword_swing", thickness_mm=u("sword_swing", "thickness_mm", 30.0))
    assert centroid(thick) < 0.5 * centroid(thin)
    for k in (1, 2, 3):
        x = dry("sword_swing", swings=u("sword_swing", "swings", k + 0.5), dur=1.5)
        assert bursts(x, below_db=20) == k


def test_sword_clash_hits_and_ring():
    for k in (1, 2, 3):
        x = dry("sword_clash", hits=u("sword_clash", "hits", k + 0.5), ring_s=-1.0, scrape_s=-1.0)
        assert bursts(x, below_db=25) == k
    from sfxgen.dsp.analysis import decay_time_s

    short = decay_time_s(dry("sword_clash", ring_s=-0.8, hits=-1.0, scrape_s=-1.0), SR)
    long = decay_time_s(dry("sword_clash", ring_s=0.8, hits=-1.0, scrape_s=-1.0), SR)
    assert long > 2.5 * short


def test_bow_shot_target_hit_lands_after_range_over_speed():
    kw = dict(bow="recurve", draw_s=-1.0, speed_mps=u("bow_shot", "speed_mps", 50.0),
              range_m=u("bow_shot", "range_m", 30.0))
    miss = dry("bow_shot", impact="none", **kw)
    hit = dry("bow_shot", impact="target", **kw)
    t_hit = 0.02 + 30.0 / 50.0
    w = (t_hit - 0.01, t_hit + 0.1)
    assert np.sum(seg(hit, *w) ** 2) > 30 * np.sum(seg(miss, *w) ** 2)
    drawn = dry("bow_shot", bow="longbow", draw_s=u("bow_shot", "draw_s", 1.0), impact="none")
    assert np.argmax(env_db(drawn)) / SR == pytest.approx(1.02, abs=0.05)  # the release after the draw


def test_gun_reload_sequences():
    full = dry("gun_reload", weapon="pistol", action="full", rattle=-1.0)
    mag = dry("gun_reload", weapon="pistol", action="magazine", rattle=-1.0)
    rack = dry("gun_reload", weapon="pistol", action="rack", rattle=-1.0)
    n_full, n_mag, n_rack = (bursts(x, below_db=30, min_gap_s=0.02, win_ms=3) for x in (full, mag, rack))
    assert n_full > n_mag > 1 and n_full > n_rack >= 2
    # the rack's slide slam is the loudest moment of the rack
    e = env_db(rack, win_ms=3)
    assert np.argmax(e) / SR > 0.1


def test_shell_drop_count_and_bounces():
    from sfxgen.dsp.onsets import onsets_s

    one = dry("shell_drop", count=u("shell_drop", "count", 1.5), restitution=0.0, dur=2.0)
    many = dry("shell_drop", count=u("shell_drop", "count", 5.5), restitution=0.0, dur=2.0)
    assert len(onsets_s(many, SR)) > 2 * len(onsets_s(one, SR))
    from sfxgen.synth.families.shell_drop import bounce_times

    t, v = bounce_times(1.0, 0.5)
    flights = np.diff(t)
    assert np.allclose(flights[1:] / flights[:-1], 0.5) and flights[0] == pytest.approx(2 * 0.5 * np.sqrt(2 * 9.81) / 9.81)


def test_shotgun_shots_and_pump():
    for k in (1, 2):
        x = dry("shotgun", shots=u("shotgun", "shots", k + 0.5), action="single", environment="indoors", rate=-0.5,
                dur=3.0)
        assert bursts(x, below_db=20, min_gap_s=0.2) == k
    single = dry("shotgun", action="single", environment="indoors", shots=-1.0)
    pump = dry("shotgun", action="pump", environment="indoors", shots=-1.0)
    w = (0.6, 1.0)  # the fore-end rack, ~0.66 s after the shot
    assert np.sum(seg(pump, *w) ** 2) > 100 * np.sum(seg(single, *w) ** 2)


def test_vehicle_passby_doppler_ratio_follows_speed():
    ratios = {}
    for kmh in (50.0, 120.0):
        x = dry("vehicle_passby", speed_kmh=u("vehicle_passby", "speed_kmh", kmh), vehicle="motorcycle",
                throttle=0.0, closest_m=u("vehicle_passby", "closest_m", 3.0), dur=6.0)
        early, late = seg(x, 0.9, 1.9), seg(x, 4.1, 5.1)
        ratios[kmh] = log_spectral_shift(late, early, lo=80.0, hi=800.0)
        v = kmh / 3.6
        assert ratios[kmh] == pytest.approx((C + v) / (C - v), rel=0.04), (kmh, ratios[kmh])
    assert ratios[120.0] > ratios[50.0]


def test_vehicle_passby_closest_distance_sharpens_the_swell():
    def swell(closest):
        x = dry("vehicle_passby", closest_m=u("vehicle_passby", "closest_m", closest), dur=6.0)
        e = env_db(x, win_ms=50)
        return e.max() - e[int(1.8 * SR)]
    assert swell(3.0) > swell(40.0) + 6.0


def test_tire_skid_squeal_is_tonal_and_speed_lengthens_the_skid():
    def flatness(x):
        m = x.mean(axis=0)[: SR]
        X = np.abs(np.fft.rfft(m)) ** 2 + 1e-20
        return float(np.exp(np.mean(np.log(X))) / np.mean(X))
    assert flatness(dry("tire_skid", squeal=1.0, surface="asphalt")) < 0.3 * flatness(
        dry("tire_skid", squeal=-1.0, surface="asphalt"))

    def skid_end(kmh):  # v0 / (mu g): the scrub stops and the body settles
        e = env_db(dry("tire_skid", speed_kmh=u("tire_skid", "speed_kmh", kmh), manoeuvre="brake", abs=-1.0, dur=6.0))
        return np.flatnonzero(e > e.max() - 40)[-1] / SR
    assert skid_end(100.0) / skid_end(35.0) == pytest.approx((100 / 0.8) / (35 / 0.8), rel=0.25)


def modulation_hz(x: np.ndarray, lo: float, hi: float) -> float:
    """Repetition rate (Hz) of the amplitude envelope between ``lo`` and ``hi``: the shortest
    autocorrelation lag in range whose correlation is within 10 % of the range's best (a pulse
    train correlates equally at every multiple of its period)."""
    from scipy.signal import decimate

    m = np.abs(np.atleast_2d(x).mean(axis=0))
    e = decimate(decimate(m, 10), 10)  # 480 Hz envelope
    e = e - e.mean()
    ac = np.correlate(e, e, "full")[e.size - 1:] / np.arange(e.size, 0, -1)
    fs = SR / 100
    lags = np.arange(int(fs / hi), int(fs / lo) + 1)
    best = ac[lags].max()
    # local maxima within 10 % of the best, the shortest one
    cand = [k for k in lags if ac[k] >= 0.9 * best and ac[k] >= ac[k - 1] and ac[k] >= ac[min(k + 1, ac.size - 1)]]
    return float(fs / cand[0])


def test_helicopter_blade_rate_follows_blades():
    rates = []
    for b in (2, 4):
        x = dry("helicopter", motion="hover", blades=u("helicopter", "blades", b + 0.5), slap=1.0, turbine=-1.0,
                size=0.0, dur=4.0)
        rates.append(modulation_hz(seg(x, 1.0, 3.2), 5.0, 40.0))
    f_rot = 6.6 - 2.6 * 0.5
    assert rates[0] == pytest.approx(2 * f_rot, rel=0.08) and rates[1] == pytest.approx(4 * f_rot, rel=0.08)


def test_jet_flyby_altitude_darkens_and_speed_steepens_the_doppler():
    low = dry("jet_flyby", altitude_m=u("jet_flyby", "altitude_m", 60.0))
    high = dry("jet_flyby", altitude_m=u("jet_flyby", "altitude_m", 1000.0))
    assert centroid(high) < 0.7 * centroid(low)
    v = 80.0
    x = dry("jet_flyby", aircraft="airliner", thrust=-1.0, altitude_m=u("jet_flyby", "altitude_m", 60.0),
            speed_mps=u("jet_flyby", "speed_mps", v), dur=8.0)
    # on the approach the inlet's fan tone (1800 Hz x 0.75 at idle) arrives raised by c / (c - v)
    assert peak_hz(seg(x, 0.8, 2.0), 1000, 2200) == pytest.approx(1350.0 * C / (C - v), rel=0.03)


def test_propeller_plane_doppler_drop():
    x = dry("propeller_plane", aircraft="light_aircraft", throttle=0.0, speed_mps=u("propeller_plane", "speed_mps", 60.0),
            altitude_m=u("propeller_plane", "altitude_m", 20.0), dur=8.0)
    r = log_spectral_shift(seg(x, 6.0, 7.2), seg(x, 0.8, 2.0), lo=60.0, hi=1200.0)
    assert r == pytest.approx((C + 60) / (C - 60), rel=0.05)


def test_train_ride_clack_period_is_rail_length_over_speed():
    from sfxgen.synth.families.train_ride import RAIL_M

    for kmh in (60.0, 120.0):
        x = dry("train_ride", speed_kmh=u("train_ride", "speed_kmh", kmh), joints=1.0, rattle=-1.0, squeal=-1.0, dur=8.0)
        f = modulation_hz(seg(x, 0.5, 7.5), 0.3, 3.0)
        assert f == pytest.approx(kmh / 3.6 / RAIL_M, rel=0.12), (kmh, f)


@pytest.mark.parametrize("name,param,counts", [
    ("car_horn", "beeps", (1, 2, 3)),
    ("whistle", "blasts", (1, 2, 3)),
    ("phone_ring", "rings", (1, 2, 3)),
])
def test_counted_signals_sound_that_many_times(name, param, counts):
    extra = {"car_horn": dict(press_s=-0.6, horn="car"), "whistle": dict(blast_s=-0.6, whistle="pealess"),
             "phone_ring": dict(ringer="electronic", cadence="us")}[name]
    for k in counts:
        x = dry(name, **{param: u(name, param, k + 0.5)}, **extra, dur=8.0 if name == "phone_ring" else 3.0)
        assert bursts(x, below_db=30, min_gap_s=0.06) == k, (name, k)


def test_car_horn_dual_sounds_two_notes_a_major_third_apart():
    x = dry("car_horn", notes="dual", horn="car", beeps=-1.0, press_s=0.5)
    m = seg(x, 0.2, 0.8).mean(axis=0)
    X = np.abs(np.fft.rfft(m * np.hanning(m.size)))
    f = np.fft.rfftfreq(m.size, 1 / SR)
    low = f[(f > 300) & (f < 480)][np.argmax(X[(f > 300) & (f < 480)])]
    high = f[(f > 480) & (f < 620)][np.argmax(X[(f > 480) & (f < 620)])]
    assert high / low == pytest.approx(1.26, rel=0.02)


def test_referee_whistle_trills_and_pealess_does_not():
    ref = dry("whistle", whistle="referee", blasts=-1.0, blast_s=0.6)
    plain = dry("whistle", whistle="pealess", blasts=-1.0, blast_s=0.6)

    def am_depth(x):
        m = seg(x, 0.2, 1.0).mean(axis=0)
        e = np.abs(m)
        from scipy.ndimage import uniform_filter1d
        e = uniform_filter1d(e, 96)
        return float(np.std(e) / np.mean(e))
    assert am_depth(ref) > 3 * am_depth(plain)
    assert 15.0 < modulation_hz(seg(ref, 0.2, 1.4), 10.0, 60.0) < 45.0


def test_boing_pitch_and_wobble():
    from sfxgen.dsp.analysis import f0_hz

    x = dry("boing", twang_hz=u("boing", "twang_hz", 200.0), wobble=-1.0)
    assert f0_hz(seg(x, 0.1, 0.4), SR) == pytest.approx(200.0, rel=0.05)

    def pitch_spread(w):
        y = dry("boing", twang_hz=u("boing", "twang_hz", 200.0), wobble=w, swing_hz=-1.0)
        fs = [f0_hz(seg(y, a, a + 0.04), SR) or 0.0 for a in np.arange(0.02, 0.4, 0.02)]
        return float(np.std(fs))
    assert pitch_spread(1.0) > 4 * pitch_spread(-1.0) + 1.0


def test_slide_whistle_contours():
    from sfxgen.dsp.analysis import f0_hz

    up = dry("slide_whistle", contour="up", breath=-1.0)
    down = dry("slide_whistle", contour="down", breath=-1.0)
    assert f0_hz(seg(up, 1.0, 1.08), SR) > 1.8 * f0_hz(seg(up, 0.1, 0.18), SR)
    assert f0_hz(seg(down, 1.0, 1.08), SR) < 0.55 * f0_hz(seg(down, 0.1, 0.18), SR)


def test_magic_spell_charge_moves_the_peak_and_sparkle_adds_highs():
    def t_peak(c):
        return np.argmax(env_db(dry("magic_spell", charge_s=u("magic_spell", "charge_s", c), cast=1.0), win_ms=30)) / SR
    assert t_peak(1.5) > t_peak(0.2) + 0.8
    hi = lambda x: np.sum(np.abs(np.fft.rfft(x.mean(0)))[int(4000 * x.shape[-1] / SR):] ** 2) / np.sum(x ** 2)  # noqa: E731
    kw = dict(school="arcane", cast=-1.0)
    assert hi(dry("magic_spell", sparkle=1.0, **kw)) > 2 * hi(dry("magic_spell", sparkle=-1.0, **kw))


def test_teleport_direction_sets_the_sweep():
    def track(d):
        x = dry("teleport", direction=d, phasing=-1.0, shimmer=-1.0, pop=-1.0, sweep_s=u("teleport", "sweep_s", 1.0))
        return [peak_hz(seg(x, a, a + 0.08), 60, 4000) for a in (0.15, 0.8)]
    a, b = track("out")
    assert b > 2 * a
    a, b = track("in")
    assert b < 0.5 * a


def test_force_field_power_up_rises_and_hum_sets_pitch():
    x = dry("force_field", state="power_up", crackle=-1.0)
    assert np.sum(seg(x, 2.0, 2.5) ** 2) > 10 * np.sum(seg(x, 0.05, 0.3) ** 2)
    lo = dry("force_field", state="steady", hum_hz=u("force_field", "hum_hz", 60.0), crackle=-1.0, whine=-1.0)
    hi = dry("force_field", state="steady", hum_hz=u("force_field", "hum_hz", 180.0), crackle=-1.0, whine=-1.0)
    assert peak_hz(hi, 100, 1000) == pytest.approx(3 * peak_hz(lo, 100, 1000), rel=0.05)


def test_computer_data_density():
    from sfxgen.dsp.onsets import onsets_s

    sparse = dry("computer_data", style="bleeps", density=-1.0, spread=1.0)
    busy = dry("computer_data", style="bleeps", density=0.6, spread=1.0)
    assert len(onsets_s(busy, SR)) > 2.5 * len(onsets_s(sparse, SR))
