"""Machines and blasts: servo, engine, gunshot, explosion, thunder.

* servo: an electric motor whine (pitch ∝ speed) with gear-mesh sidebands, spinning up, holding
  and spinning down in 1-4 moves, each ending with a mechanical stop click;
* engine: combustion pulses at the firing rate (rpm/60 × cylinders/2) with per-cylinder
  irregularity, each pulse ringing the exhaust resonances, plus intake/exhaust noise;
* gunshot: supersonic crack (N-wave), muzzle-blast body and thump, a slapback off a nearby
  wall, then the action (bolt clicks, a casing tinkle);
* explosion: broadband blast and crack, low noise boom with a short falling sub thump, rumble
  tail with swells, debris grains of random pitch raining down, optional fire crackle;
* thunder: a ripping crackle (close strike) then long multipath rolls of low rumble.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Physical


def _norm(x: np.ndarray) -> np.ndarray:
    return x / (P.peak_abs(x) + 1e-12)


def _stereo_scatter(rng, n: int, onsets: np.ndarray, grain: np.ndarray, gains: np.ndarray) -> np.ndarray:
    """Place grains at onsets with random equal-power pan -> (2, n)."""
    pan = rng.uniform(0, 1, onsets.size)
    if onsets.size * grain.size < 4 * n:  # few short grains: scatter directly
        return np.stack([P.place(n, onsets, grain, gains * np.sqrt(pan)),
                         P.place(n, onsets, grain, gains * np.sqrt(1 - pan))])
    trains = np.stack([P.impulses(n, onsets, gains * np.sqrt(pan)), P.impulses(n, onsets, gains * np.sqrt(1 - pan))])
    return signal.oaconvolve(trains, grain[None, :], axes=-1)[:, :n]


# ----------------------------------------------------------------------------- servo
def servo(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Servo / small motor move: whine rising with speed, gear mesh, stop clicks.

    aux: gear_whine (gear-tooth harmonic level), load (strain: lower pitch, more buzz),
    stops (number of moves 1-4).
    """
    sr = sample_rate
    gear, load, stops = ph.aux[:3]
    T = n / sr
    moves = 1 + int(round(3 * stops))
    seg = 0.92 * T / moves
    move_len = seg * np.clip(0.35 + 0.4 * rng.uniform(size=moves), 0.2, 0.8) / np.sqrt(ph.rate)
    starts = np.arange(moves) * seg + rng.uniform(0, 0.1, moves) * seg
    t = P.time_s(n, sr)
    ramp = min(0.04 + 0.1 * ph.size, 0.3)
    speed = np.zeros(n)
    for s0, L in zip(starts, move_len):  # a handful of moves, each vectorised over its span
        i0, i1 = np.searchsorted(t, [s0, s0 + L], side="right")  # 0 outside (t - s0 <= 0, s0 + L - t <= 0)
        i0 = max(int(i0) - 1, 0)
        i1 = int(i1)
        tt = t[i0:i1]
        up = np.clip((tt - s0) / ramp, 0, 1)
        down = np.clip((s0 + L - tt) / ramp, 0, 1)
        speed[i0:i1] = np.maximum(speed[i0:i1], np.minimum(up, down) * rng.uniform(0.8, 1.0))
    f_motor = 180.0 * ph.pitch_ratio * 2.0 ** (-1.2 * ph.size) * (1.0 - 0.35 * load) * (0.7 + 0.6 * ph.intensity)
    f = f_motor * (0.15 + 0.85 * speed) * (1 + 0.01 * load * P.smooth_random(rng, n, sr, 20.0))
    teeth = 7 + int(rng.integers(0, 6))
    whine = P.harmonic_osc(f, n, sr, [1.0, 0.5, 0.3, 0.2, 0.12])
    mesh = P.fm(f * teeth, n, sr, ratio=1.0 / teeth, index=0.8 + 2 * load)
    buzz = P.bandpass(P.square(f * 2, n, sr, duty=0.2), sr, 2000.0 + 3000.0 * ph.brightness, q=1.0)
    y = (_norm(whine) + (0.1 + 0.7 * gear) * _norm(mesh) + (0.1 + 0.5 * load) * _norm(buzz)) * (speed * np.sqrt(speed))
    clicks = np.concatenate([starts, starts + move_len])
    on = (clicks[clicks < T] * sr).astype(np.int64)
    ck = P.ping_grains(sr, np.array([2200.0, 3900.0, 6100.0]) * (1.2 - 0.4 * ph.size), 0.015, length_s=0.03).sum(axis=0)
    y = y + 0.6 * P.place(n, on, ck, rng.uniform(0.5, 1.0, on.size))
    return P.tilt(y, sr, ph.brightness)[None, :]


# ----------------------------------------------------------------------------- engine
def engine(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Combustion engine: firing pulses ringing the exhaust, rpm drifting around the rev level.

    aux: cylinders (1..12), rev (idle .. redline), roughness (misfire/irregularity), exhaust
    (pipe resonance and noise). Size lowers the exhaust resonances (bigger engine/pipe).
    """
    sr = sample_rate
    cyl_u, rev, rough, exh = ph.aux[:4]
    cyl = int(np.clip(round(1 + 11 * cyl_u), 1, 12))
    rpm = (700.0 + 5500.0 * rev ** 1.3) * ph.pitch_ratio
    rpm_t = rpm * (1.0 + 0.05 * ph.rate * P.smooth_random(rng, n, sr, 0.4 * ph.rate) * (0.3 + rev))
    fire_hz = rpm_t / 60.0 * cyl / 2.0
    jitter = 1.0 + 0.04 * rough * rng.standard_normal(n).cumsum() / np.sqrt(np.arange(1, n + 1))
    ph_fire = np.cumsum(fire_hz * jitter) / sr
    idx = np.flatnonzero(np.diff(np.floor(ph_fire), prepend=0.0) > 0)
    k = np.arange(idx.size)
    cyl_gain = rng.uniform(0.7, 1.0, cyl)[k % cyl]
    amps = cyl_gain * (1.0 + rough * 0.6 * rng.standard_normal(idx.size)).clip(0.05)
    if rough > 0.5:
        amps[rng.uniform(size=idx.size) < 0.05 * (rough - 0.5)] *= 0.1  # misfires
    pulses = P.impulses(n, idx, amps)
    f_ex = 90.0 * 2.0 ** (-1.2 * ph.size) * (1 + 0.3 * rng.uniform())
    res_f = f_ex * np.array([1.0, 2.3, 3.9, 6.2, 9.1])
    L = int(0.08 * sr)
    res = P.modal_ir(L, sr, res_f, np.array([0.08, 0.05, 0.04, 0.03, 0.02]) * (0.6 + exh),
                     np.array([1.0, 0.6, 0.4, 0.25, 0.15]) * (1 + 0.2 * rng.uniform(-1, 1, 5)))
    blast = P.noise_grains(rng, 1, sr, length_s=L / sr, t60_s=0.008)[0][:L]
    kernel = P.lowpass(res + (0.2 + 0.6 * ph.brightness) * 0.1 * blast, sr, 1500.0 + 5000.0 * ph.brightness)
    y = P.excite(pulses, kernel)
    env_fire = P.lowpass(np.abs(y), sr, 30.0, order=1)
    noise = P.bandpass(P.white(rng, n), sr, 700.0 + 1500.0 * ph.brightness, q=0.6) * (0.3 + env_fire / (env_fire.max() + 1e-12))
    y = _norm(y) + (0.05 + 0.4 * exh) * _norm(noise)
    return P.saturate(y, 0.15 + 0.5 * ph.intensity)[None, :]


# ----------------------------------------------------------------------------- gunshot
def gunshot(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Gunshot: N-wave crack, muzzle blast (noise body + low thump), a slapback echo, the action.

    aux: caliber (small pistol .. heavy rifle: lower, longer, bigger thump), mechanics (bolt and
    casing sounds after the shot), crack (supersonic crack level).
    """
    sr = sample_rate
    cal, mech, crack = ph.aux[:3]
    big = 0.5 * cal + 0.5 * ph.size
    nw = int((0.0004 + 0.0012 * big) * sr) + 2
    nwave = np.zeros(n)
    nwave[:nw] = np.linspace(1.0, -1.0, nw)
    blast_dec = 0.04 + 0.25 * big + 0.05 * ph.decay_s / 8.0
    blast = P.bandpass(P.white(rng, n), sr, (900.0 + 1500.0 * ph.brightness) * ph.pitch_ratio * (1.3 - 0.6 * big), q=0.5)
    blast = blast * P.ad_env(n, sr, attack_s=0.0005, decay_s=blast_dec, curve=5.0)
    fth = (110.0 - 60.0 * big) * ph.pitch_ratio
    thump = P.sine(P.glide(n, sr, fth * 2.0, fth, time_s_=0.03, curve=4.0), n, sr)
    thump *= P.ad_env(n, sr, attack_s=0.001, decay_s=0.08 + 0.25 * big)
    y = (0.2 + 0.8 * crack) * nwave + _norm(blast) + (0.3 + 0.7 * big) * _norm(thump)
    y = P.saturate(y, 0.3 + 0.5 * ph.intensity)
    # slapback: 1-2 discrete reflections from a wall 5-20 m away
    for _ in range(1 + int(rng.uniform() < 0.5)):
        d = int(rng.uniform(0.025, 0.09) * sr)
        if d < n:
            refl = P.lowpass(y[: n - d], sr, 4000.0)
            y[d:] += rng.uniform(0.15, 0.35) * refl
    if mech > 0.1:
        t0 = rng.uniform(0.18, 0.45) / ph.rate
        on = (np.array([t0, t0 + rng.uniform(0.05, 0.12)]) * sr).astype(np.int64)
        ck = P.ping_grains(sr, np.array([1800.0, 3300.0, 5200.0]), 0.02, length_s=0.04).sum(axis=0)
        ck = ck + 0.4 * P.noise_grains(rng, 1, sr, length_s=0.04, t60_s=0.01)[0]
        y += 0.25 * mech * P.place(n, on[on < n], ck, np.ones(np.sum(on < n)))
        tc = int((t0 + rng.uniform(0.3, 0.6)) * sr)  # casing hits the ground and bounces
        bounces = tc + np.cumsum(np.r_[0, rng.uniform(0.06, 0.12, 3) * np.array([1.0, 0.7, 0.5])] * sr).astype(np.int64)
        tink = P.ping_grains(sr, np.array([4200.0, 7300.0, 9800.0]) * rng.uniform(0.9, 1.1), np.array([0.08, 0.05, 0.03]), length_s=0.12).sum(axis=0)
        ok = bounces < n
        y += 0.15 * mech * P.place(n, bounces[ok], tink, np.array([1.0, 0.6, 0.35, 0.2])[ok])
    return y[None, :]


# ----------------------------------------------------------------------------- explosion
def explosion(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Explosion: broadband blast + crack + low noise boom + short sub thump + long swelling
    rumble + debris (pieces of random pitch) + fire; no sustained tones.

    aux: debris (density of falling pieces), crack (initial transient), rumble (tail length and
    level), fire (crackling flames after the blast). Size: bigger blasts are lower and longer.
    """
    sr = sample_rate
    debris, crack, rumble, fire = ph.aux[:4]
    T = n / sr
    big = ph.size
    low = 2.0 ** (-1.2 * big) * ph.pitch_ratio  # bigger blasts: everything lower and longer
    # blast: the shock front, a broadband noise burst (no tones anywhere: all layers are noise
    # except a short sub thump)
    blast = P.white(rng, n) * P.ad_env(n, sr, attack_s=0.0005, decay_s=0.05 + 0.6 * big, curve=5.0)
    blast = P.lowpass(blast, sr, (1500.0 + 8000.0 * ph.brightness) * low, order=2)
    crk = P.highpass(P.white(rng, n), sr, 2000.0) * P.ad_env(n, sr, attack_s=0.0002, decay_s=0.01 + 0.04 * crack)
    # boom: low-passed brown noise with a fast attack and a long decay
    boom_dec = 0.3 + 2.2 * big + 0.15 * ph.decay_s
    boom = P.brown_lowpass(rng, n, sr, corner_hz=20.0, cutoff_hz=(120.0 + 160.0 * ph.brightness) * low)
    boom = boom * P.ad_env(n, sr, attack_s=0.004, decay_s=boom_dec, curve=4.0)
    # body: the broadband roar of the fireball (low-mid noise), decaying with the boom
    body = P.bandpass(P.white(rng, n), sr, (350.0 + 300.0 * ph.brightness) * low, q=0.6)
    body = body * P.ad_env(n, sr, attack_s=0.003, decay_s=0.7 * boom_dec, curve=4.0)
    # sub thump: a falling sine that dies within a second (the chest hit, not a held tone)
    f_sub = 55.0 * low
    thump = P.sine(P.glide(n, sr, f_sub * 2.0, f_sub, time_s_=0.12 + 0.2 * big, curve=4.0), n, sr)
    thump = thump * P.ad_env(n, sr, attack_s=0.003, decay_s=0.25 + 0.6 * big, curve=4.0)
    # rumble: long, low, swelling tail
    rum_len = (1.0 + 4.0 * rumble) * (0.6 + 0.8 * big) + 0.3 * ph.decay_s
    swell = np.clip(1.0 + 0.6 * P.smooth_random(rng, n, sr, 1.5), 0.15, None)
    rum = P.brown_lowpass(rng, n, sr, corner_hz=20.0, cutoff_hz=(80.0 + 220.0 * ph.brightness) * low)
    rum = rum * P.ad_env(n, sr, attack_s=0.08 + 0.15 * big, decay_s=rum_len, curve=2.0) * swell
    # a small blast (firecracker, grenade) is mostly crack and blast; a big one mostly boom
    y = (0.8 * _norm(blast) + (0.15 + 0.7 * crack) * _norm(crk) + (0.3 + 0.7 * big) * _norm(boom)
         + (0.3 + 0.6 * big) * _norm(body) + (0.15 + 0.45 * big) * _norm(thump) + (0.3 + 0.6 * rumble) * (0.3 + 0.7 * big) * _norm(rum))
    y = P.saturate(y, 0.1 + 0.35 * ph.intensity)
    out = np.stack([y, y])
    if debris > 0.05:
        # debris: every piece its own pitch and ring (random pings) plus gritty noise ticks, so
        # the rain of rubble never forms a steady tone
        dd = (0.3 + 2.0 * debris) * (0.4 + 1.2 * big)
        rate = (30.0 + 250.0 * debris) * P.ad_env(n, sr, attack_s=0.15, decay_s=dd, start_s=0.05)
        on = P.poisson_onsets(rng, rate, n, sr)[:3000]
        g = rng.uniform(0.05, 1.0, on.size) ** 2
        half = on.size // 2
        fr = np.exp(rng.uniform(np.log(500.0), np.log(5000.0), on.size - half)) * (1.3 - 0.6 * big)
        rocks = P.ping_grains(sr, fr, rng.uniform(0.01, 0.05, fr.size), length_s=0.05,
                              phases=rng.uniform(0, 2 * np.pi, fr.size))
        pan = rng.uniform(0, 1, on.size)
        tick = P.noise_grains(rng, half, sr, length_s=0.02, t60_s=0.008)
        d_st = np.stack([P.place(n, on[:half], tick, g[:half] * np.sqrt(pan[:half])),
                         P.place(n, on[:half], tick, g[:half] * np.sqrt(1 - pan[:half]))])
        d_st = P.bandpass(d_st, sr, 2500.0 * (1.2 - 0.5 * big), q=0.6)
        d_st += np.stack([P.place(n, on[half:], rocks, g[half:] * np.sqrt(pan[half:])),
                          P.place(n, on[half:], rocks, g[half:] * np.sqrt(1 - pan[half:]))])
        out += (0.1 + 0.3 * debris) * d_st / (P.peak_abs(d_st) + 1e-12)
    if fire > 0.05:
        rate = (10.0 + 60.0 * fire) * P.ad_env(n, sr, attack_s=0.3, decay_s=T, start_s=0.2)
        on = P.poisson_onsets(rng, rate, n, sr)
        pop = P.highpass(P.noise_grains(rng, 1, sr, length_s=0.01, t60_s=0.003)[0], sr, 1500.0)
        fc = _stereo_scatter(rng, n, on, pop, rng.uniform(0.1, 1.0, on.size) ** 3)
        roar = P.lowpass(P.pink(rng, n), sr, 600.0) * P.ad_env(n, sr, attack_s=0.4, decay_s=T, start_s=0.1)
        out += fire * (0.2 * fc / (P.peak_abs(fc) + 1e-12) + 0.15 * _norm(roar)[None, :])
    return out


# ----------------------------------------------------------------------------- thunder
def thunder(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Thunder: a ripping crackle and clap (the near channel of the bolt, may be bright) followed
    by rolling rumble -- several low-passed noise swells arriving from ever farther parts of the
    channel, dominant below 1-2 kHz.

    aux: crack (near-strike ripping crackle), rumble (tail weight and length), rolls (how many
    separate rolls).
    """
    sr = sample_rate
    crack, rumble, rolls = ph.aux[:3]
    T = n / sr
    low = 2.0 ** (-1.5 * ph.size)  # a longer/higher channel sounds lower and longer
    # crackle: dense burst of clicks over 50-300 ms, then the first big clap
    c_len = 0.05 + 0.25 * crack
    mc = min(n, int(np.ceil(c_len * sr)))  # samples with time < c_len
    while mc > 0 and (mc - 1) / sr >= c_len:
        mc -= 1
    while mc < n and mc / sr < c_len:
        mc += 1
    rate = np.zeros(n)
    rate[:mc] = 3000.0 * crack + 200.0
    on = P.poisson_onsets(rng, rate, n, sr)
    # the crackle and the clap are filtered over their envelopes' non-zero spans only (each
    # envelope is exactly 0 from -150 dB on; the filters' ring-out after that is below -150 dB)
    m = min(n, int(P.ENV_FLOOR_T60S * c_len * 3 * sr) + 1)
    crk = np.zeros(n)
    crk[:m] = P.highpass(P.impulses(m, on, rng.standard_normal(on.size)) * P.decay_env(m, sr, c_len * 3),
                         sr, (800.0 + 2500.0 * ph.brightness) * low)
    noise = P.white(rng, n)
    m = min(n, int((c_len * 0.5 + 0.005 + P.ENV_FLOOR_T60S * 0.4) * sr) + 1)
    clap = np.zeros(n)
    clap[:m] = P.lowpass(noise[:m], sr, (1500.0 + 3000.0 * ph.brightness) * low)
    clap[:m] *= P.ad_env(m, sr, attack_s=0.005, decay_s=0.4, start_s=c_len * 0.5)
    # rolls: k swells of low-passed brown noise at increasing delay; later rolls come from
    # farther parts of the channel, so they are darker. Rumble stays under ~1-2 kHz: the drive
    # is applied to the rolls alone and its harmonics are low-passed away again.
    k = 1 + int(round(5 * rolls))
    span = max(0.3, (1.5 + 4.0 * rumble) * (0.6 + 0.8 * ph.size) * min(1.0, T / 6.0))
    starts = np.sort(rng.uniform(0.05, 0.6, k)) * span
    fc = (140.0 + 360.0 * ph.brightness) * ph.pitch_ratio * low
    near = P.brown_lowpass(rng, n, sr, corner_hz=25.0, cutoff_hz=2.5 * fc)
    far = P.brown_lowpass(rng, n, sr, corner_hz=25.0, cutoff_hz=fc)
    env_near, env_far = np.zeros(n), np.zeros(n)
    for i, s0 in enumerate(starts):  # k <= 6 envelope shapes, each added over its non-zero span
        g = rng.uniform(0.4, 1.0)
        a_s = rng.uniform(0.08, 0.4)
        d_s = rng.uniform(0.6, 1.6) * span * 0.6
        e = P.ad_env(n, sr, attack_s=a_s, decay_s=d_s, start_s=s0)
        i0, i1 = min(n, max(int(s0 * sr), 0)), P.ad_env_len(n, sr, attack_s=a_s, decay_s=d_s, start_s=s0)
        w = 1.0 - i / max(k - 1, 1)  # first rolls nearer (brighter), last ones far
        env_near[i0:i1] += (g * w) * e[i0:i1]
        env_far[i0:i1] += (g * (1.0 - 0.5 * w)) * e[i0:i1]
    roll = near * env_near  # (near and far have unit RMS already)
    roll += far * env_far
    wob = P.smooth_random(rng, n, sr, 6.0)
    wob *= 0.3
    wob += 1.0
    roll *= wob
    roll = P.lowpass(P.saturate(roll, 0.2 + 0.4 * ph.intensity), sr, min(6.0 * fc, 2000.0), order=2)
    y = roll
    y *= (0.5 + 0.5 * rumble) / (P.peak_abs(roll) + 1e-12)
    y += crk * ((0.1 + 0.9 * crack) / (P.peak_abs(crk) + 1e-12))
    y += clap * ((0.2 + 0.6 * crack) / (P.peak_abs(clap) + 1e-12))
    # multipath: the two ears hear slightly different rolls
    d = min(int(0.011 * sr), n)
    other = 0.3 * y[: n - d]  # the other ear: 11 ms later
    out = np.empty((2, n))
    out[:, :d] = y[:d]
    np.add(y[d:], other, out=out[0, d:])
    np.subtract(y[d:], other, out=out[1, d:])
    return out


RENDERERS = {
    "servo": servo,
    "engine": engine,
    "gunshot": gunshot,
    "explosion": explosion,
    "thunder": thunder,
}
