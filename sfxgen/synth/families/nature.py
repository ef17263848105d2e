"""Nature families: wind, rain, fire and water (drips, bubbles, splash, stream).

Each renderer maps a :class:`~sfxgen.synth.patch.Physical` to the DRY source, shape (1, n) or
(2, n) float32 at any level; the shared ``render()`` adds distance, space, width and loudness.
Models follow procedural sound design practice (A. Farnell, *Designing Sound*; K. van den Doel,
*Physically based models for liquid sounds*):

* wind -- noise shaped in the STFT domain by a gust process: a band whose centre and level follow
  wind speed, tree hiss, low buffeting, narrow whistles (``whistle``) and a formant-like howl
  (``howl``); ``gustiness`` is the depth of the speed modulation.
* rain -- individual drops (impact clicks filtered by the surface, Minnaert bubbles on soft or wet
  surfaces) over a dense bed for drops too many to render one by one; ``roof`` adds a struck roof
  body.
* fire -- low roar/lapping, gas hiss, heavy-tailed clustered crackles and resinous pops.
* water -- Minnaert bubbles (damped sines whose pitch rises as the bubble settles), drops,
  splashes with spray and falling droplets, and streams as dense babbling bubbles over flow noise.

Common slots: ``pitch`` scales every characteristic frequency, ``size`` lowers frequencies and
lengthens rings, ``brightness`` opens the top end, ``intensity`` adds force and density, ``rate``
speeds repeats and motion, ``decay`` lengthens the rings of drops, bubbles, roof and fire pops
and the tail of a splash (wind has no rings: it ignores ``decay``). ``attack``, distance, space and width are applied by the shared render stages.

This module also holds the small building blocks shared by :mod:`.foley` and :mod:`.tonal_ui`
(grain scheduling, STFT noise shaping, smooth random controls) that the shared primitives do not
provide.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Physical

from sfxgen.synth.blocks import (  # noqa: F401  (shared building blocks, re-exported)
    TWO_PI,
    white,
    lowpass,
    highpass,
    bandpass,
    bandpass_sos,
    smooth_random,
    modes,
    onsets,
    pan_gains,
    place_grains,
    bucketed_grains,
    sine_grains,
    noise_grains,
    spectral_noise,
    log_bump,
    convolve,
    finish,
    _hz,
    _scatter,
)


# --------------------------------------------------------------------------- wind


def render_wind(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Wind. aux: gustiness (depth of speed changes), whistle (narrow tones through gaps rising
    with gusts), howl (a low formant-like moan around obstacles)."""
    sr = sample_rate
    gust, whistle, howl = ph.aux[0], ph.aux[1], ph.aux[2]
    pr = ph.pitch_ratio * 2.0 ** (-1.5 * (ph.size - 0.5))
    dur = n / sr
    # wind speed: slow gusts + faster turbulence; control at the STFT frame rate
    ctrl_sr = 100
    m = int(dur * ctrl_sr) + 4
    slow = smooth_random(rng, m, ctrl_sr, 0.4 * ph.rate / (0.5 + ph.size))
    fast = smooth_random(rng, m, ctrl_sr, 1.8 * ph.rate)
    base = 0.35 + 0.45 * ph.intensity
    # gusts: log-normal speed swings (up to ~x3 / /3 at full gustiness), level (speed^1.5..2.5)
    # and band centre (speed) follow, so a gusty wind audibly swells, whooshes up and falls back
    speed = np.clip(base * np.exp(gust * (1.3 * slow + 0.35 * fast) + 0.08 * fast), 0.04, 1.6)
    tc = np.arange(m) / ctrl_sr
    whistle_f = pr * np.array([720.0, 1130.0, 1710.0]) * rng.uniform(0.85, 1.15, 3)
    howl_f = pr * 190.0 * rng.uniform(0.9, 1.1)
    bright_tilt = -1.2 + 1.1 * ph.brightness  # log2 slope per octave above 500 Hz

    def mag(times, freqs):
        # per-frame (F, 1) and per-bin (1, B) factors in float64, every (F, B) product in
        # float32 (the spectrum is float32 anyway)
        f32 = np.float32
        s = np.interp(times, tc, speed)  # (F, 1)
        fc = 320.0 * pr * (0.45 + 1.3 * s)
        body = log_bump(freqs, fc, 1.1 + 0.4 * ph.brightness)
        body *= (s ** 1.5).astype(f32)
        tilt = (2.0 ** (bright_tilt * np.log2(np.maximum(freqs, 500.0 * pr) / (500.0 * pr)))).astype(f32)
        hiss_row = ((freqs > 1500 * pr) * (0.25 * ph.brightness) * (np.maximum(freqs, 1500.0 * pr) / (4000.0 * pr)) ** -0.5).astype(f32)
        rumble_row = (log_bump(freqs, 45.0 * pr, 0.9) * f32((0.2 + 0.8 * ph.size) * 0.8))  # (1, B)
        body += rumble_row * (s ** 2).astype(f32)
        body *= tilt
        body += hiss_row * (s ** 2.5).astype(f32)
        for i, fw in enumerate(whistle_f):
            f_now = fw * (0.6 + 0.7 * s)
            g = log_bump(freqs, f_now, 0.03)
            g *= ((whistle * 14.0 / (1 + i)) * np.clip(s - 0.25, 0, None) ** 1.5).astype(f32)
            body += g
        fh = howl_f * (0.7 + 0.6 * s)
        moan = log_bump(freqs, fh, 0.1)
        g = log_bump(freqs, 2 * fh, 0.07)
        g *= f32(0.5)
        moan += g
        g = log_bump(freqs, 3 * fh, 0.06)
        g *= f32(0.25)
        moan += g
        moan *= (howl * 5.0 * s ** 2).astype(f32)
        body += moan
        body *= freqs > 12
        return body

    y = spectral_noise(rng, n, sr, mag, channels=2, nfft=2048)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


# --------------------------------------------------------------------------- rain


def render_rain(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Rain. aux: drop_size (bigger drops: lower, louder plinks and fatter impacts),
    surface_hardness (0 soft ground/foliage, muffled thuds and water plinks .. 1 pavement, glass,
    tin: sharp bright ticks), roof (0 open air .. 1 under a struck roof body that drums)."""
    sr = sample_rate
    drop, hard, roof = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    density = 25.0 * 45.0 ** ph.intensity * ph.rate  # drops per second reaching the mic
    swell = smooth_random(rng, n, sr, 0.15 * ph.rate)
    t = onsets(rng, density * (1.0 + 0.25 * swell), n, sr, cap=int(500 * dur)) / sr
    E = len(t)
    starts = (t * sr).astype(np.int64)
    pans = rng.uniform(-1, 1, E)
    amp = rng.pareto(2.5, E) * (0.4 + 1.2 * drop) * (0.2 + rng.uniform(0, 1, E))
    # impact clicks: harder surfaces give shorter, brighter ticks
    tau = (0.0025 - 0.0019 * hard) * (0.6 + 0.9 * drop) * rng.uniform(0.6, 1.4, E) * (1.3 - 0.6 * ph.brightness)
    clicks = noise_grains(rng, n, sr, starts, tau, amp, pans)
    pr = ph.pitch_ratio * 2.0 ** (-(ph.size - 0.5))
    lo = 250.0 * pr * (1.0 + 3 * hard)
    hi = (2500.0 + 12000.0 * hard * ph.brightness + 3000 * ph.brightness) * pr
    clicks = bandpass(clicks, lo, hi, sr)
    if hard > 0.5:
        clicks = P.peak_eq(clicks, sr, 3800 * pr, gain_db=20 * (hard - 0.5), q=3.0)
    # bubbles: drops landing in water/puddles (mostly on soft or wet ground)
    pb = 0.08 + 0.3 * (1.0 - hard)
    sel = rng.uniform(0, 1, E) < pb
    fb = 2600.0 * pr / (0.5 + 1.3 * drop) * np.exp(rng.normal(0, 0.35, sel.sum()))
    tb = 1.0 / (0.043 * fb + 0.0014 * fb ** 1.5) * 1.5
    bub = sine_grains(n, sr, starts[sel] + int(0.002 * sr), fb, tb, 0.5 * amp[sel], pans[sel], rise=0.15)
    # dense bed: the countless distant drops
    bed_level = np.sqrt(density) * 0.02 * (0.6 + 0.6 * drop)
    fcb = (1800.0 + 3000.0 * hard) * pr

    def mag(times, freqs):
        return bed_level * log_bump(freqs, fcb, 1.6) * (1 + 0.2 * np.interp(times, np.arange(n) / sr, swell))

    bed = spectral_noise(rng, n, sr, mag, channels=2, nfft=1024)
    y = clicks + bub + bed
    if roof > 0.02:
        # a roof struck by every drop: a few heavily damped drumming modes (low Q: a thud per
        # drop, no hum) plus a diffuse ring -- band noise whose level follows the drop energy
        # through the ring time (metallic and longer when hard). No fixed long IR: its spectral
        # fine structure would turn the dense drops into steady lines.
        k = 6
        rf = 80.0 * pr * (0.5 + ph.size) ** -0.5 * np.exp(np.sort(rng.uniform(0, np.log(8.0), k)))
        low = modes(rf, np.full(k, 0.004 + 0.006 * hard), 1.0 / np.arange(1, k + 1), sr, 0.1)
        mono = clicks.mean(0)
        knock = convolve(mono, low / (np.std(low) + 1e-12))
        t_ring = (0.04 + 0.25 * hard ** 2) * (0.5 + ph.size)
        a_ = np.exp(-1.0 / (0.2 * t_ring * sr))
        e = np.sqrt(np.maximum(signal.lfilter([1 - a_], [1, -a_], mono.astype(np.float64) ** 2), 0.0))
        ring = bandpass(white(rng, n), 250 * pr, (1500 + 6000 * hard) * pr, sr) * e
        drum = (0.5 * knock / (np.std(knock) + 1e-12) + (0.5 + hard) * ring / (np.std(ring) + 1e-12)) * (0.08 + 0.2 * hard)
        y = y * (1.0 - 0.5 * roof) + roof * drum[None, :] * (np.std(y) / (np.std(drum) + 1e-12))
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


# --------------------------------------------------------------------------- fire


def render_fire(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Fire. aux: crackle_density (sparse snaps .. dense crackling), roar (low lapping/roaring body
    of burning gas), pops (resinous wood pops followed by spark showers)."""
    sr = sample_rate
    dens, roar, pops = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    pr = ph.pitch_ratio ** 0.6 * 2.0 ** (-1.5 * (ph.size - 0.5))
    flick = smooth_random(rng, n, sr, 3.0 * ph.rate)
    flick2 = smooth_random(rng, n, sr, 0.7 * ph.rate)
    heat = np.clip(0.7 + 0.3 * flick2 + 0.15 * flick, 0.1, None)
    # roar / lapping: low noise with flicker amplitude
    body = lowpass(white(rng, n), 160.0 * pr * (0.7 + ph.intensity), sr, order=2)
    body = highpass(body, 25.0, sr, 1)
    lap = np.clip(0.6 + 0.6 * flick, 0, None) * heat
    y = body * lap * (0.15 + 1.6 * roar) * (0.4 + ph.intensity) * 4.0 / np.sqrt(pr)
    # hiss: gas escaping, fast random amplitude
    hiss_env = np.abs(lowpass(white(rng, n), 12.0 * ph.rate, sr, 1)) * 60
    hiss = bandpass(white(rng, n), 2500 * pr, 9000 * pr, sr, 2) * hiss_env * heat
    y = (y + hiss * 0.05 * (0.3 + ph.brightness))[None, :]  # roar and hiss: one source, centre
    # crackles: heavy-tailed, clustered in time
    crate = (8.0 + 260.0 * dens ** 1.5) * (0.3 + ph.intensity) * ph.rate
    n_clusters = max(1, rng.poisson(crate / 4.0 * dur))
    c_t = rng.uniform(0, dur, n_clusters)
    sizes = 1 + rng.poisson(3.0, n_clusters)
    ct = np.repeat(c_t, sizes) + rng.exponential(0.012, sizes.sum()) * np.repeat(rng.uniform(0.3, 2, n_clusters), sizes)
    ct = np.sort(ct[ct < dur])[: int(3000 * dur)]
    E = len(ct)
    c_amp = np.minimum(rng.pareto(1.6, E), 30) * (0.3 + 0.7 * ph.intensity)
    c_pan = rng.uniform(-0.8, 0.8, E)
    crack = noise_grains(rng, n, sr, (ct * sr).astype(np.int64), rng.uniform(0.00015, 0.0012, E), c_amp, c_pan)
    crack = bandpass(crack, 900 * pr, (5000 + 12000 * ph.brightness) * pr, sr, 1)
    y = y + crack * 0.7
    # pops: lower resonant bursts with a shower of tiny sparks
    prate = (0.05 + 2.5 * pops) * (0.3 + ph.intensity) * ph.rate
    pt = onsets(rng, prate, n, sr, cap=200) / sr
    if len(pt):
        npop = len(pt)
        ps = (pt * sr).astype(np.int64)
        pa = (1.5 + 3.0 * rng.uniform(0, 1, npop)) * (0.5 + ph.intensity)
        ppan = rng.uniform(-0.8, 0.8, npop)
        ring = (ph.decay_s / 0.5) ** 0.3
        thud = sine_grains(n, sr, ps, 420.0 * pr * np.exp(rng.normal(0, 0.3, npop)), rng.uniform(0.006, 0.02, npop) * ring, pa, ppan, rise=-0.05)
        snap = noise_grains(rng, n, sr, ps, rng.uniform(0.0007, 0.0025, npop), pa * 0.6, ppan)
        sp_n = rng.poisson(12, npop)
        st = np.repeat(pt, sp_n) + rng.exponential(0.06, sp_n.sum())
        sparks = noise_grains(rng, n, sr, (st * sr).astype(np.int64), rng.uniform(0.0001, 0.0006, st.size),
                              rng.uniform(0.1, 0.8, st.size) * (0.5 + ph.intensity), np.repeat(ppan, sp_n))
        y = y + thud + highpass(snap, 600 * pr, sr, 1) + highpass(sparks, 3000 * pr, sr, 1)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


# --------------------------------------------------------------------------- water


def _bubble_tau(f_hz: np.ndarray) -> np.ndarray:
    """Minnaert bubble ring time (s) from van den Doel's damping fit."""
    return 1.0 / (0.043 * f_hz + 0.0014 * f_hz ** 1.5)


def render_water_drips(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Water drips. aux: drop_size (bigger drops: lower plink, more body), resonance (dull
    drips .. ringing drips in a pipe/bowl/cave pool), regularity (0 several random drips .. 1 one
    metronomic leaking tap). ``rate`` is drips per second (about 1.5/s at the default)."""
    sr = sample_rate
    dsz, res, reg = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    n_src = 1 + int(round((1 - reg) * 3))
    pr = ph.pitch_ratio * 2.0 ** (-1.2 * (ph.size - 0.5))
    per_src = 1.5 * ph.rate / n_src * (1.0 + 0.5 * ph.intensity)
    times, srcs = [], []
    for s in range(n_src):
        period = 1.0 / per_src * rng.uniform(0.7, 1.4)
        k = int(dur / period) + 2
        jit = (1 - reg) * rng.exponential(1.0, k) + reg * 1.0
        iv = period * jit / (jit.mean() if k > 1 else 1.0)
        iv = iv * (1 + 0.03 * (1 - reg) * rng.normal(0, 1, k))
        ts = rng.uniform(0.02, min(period, 0.4)) + np.concatenate([[0.0], np.cumsum(iv[:-1])])
        ts = ts[ts < dur - 0.01]
        times.append(ts)
        srcs.append(np.full(ts.size, s))
    t = np.concatenate(times)
    src = np.concatenate(srcs)
    E = len(t)
    if E == 0:
        t = np.array([0.02]); src = np.array([0]); E = 1
    base_f = 1300.0 * pr * 2.0 ** (-1.6 * dsz) * np.exp(rng.normal(0, 0.25, n_src))
    f0 = base_f[src] * np.exp(rng.normal(0, 0.04, E))
    tau = _bubble_tau(f0) * (0.6 + 2.0 * res) * (0.7 + 0.6 * ph.size) * (ph.decay_s / 0.5) ** 0.3
    amp = (0.6 + 0.4 * rng.uniform(0, 1, E)) * (0.5 + 0.5 * ph.intensity)
    src_pan = rng.uniform(-0.7, 0.7, n_src)
    pans = src_pan[src]
    starts = (t * sr).astype(np.int64)
    plink = sine_grains(n, sr, starts + int(0.003 * sr), f0, tau, amp, pans, rise=0.35 + 0.3 * (1 - dsz))
    tick = noise_grains(rng, n, sr, starts, np.full(E, 0.0006 + 0.001 * dsz), amp * (0.5 + ph.intensity), pans)
    tick = bandpass(tick, 800 * pr, 9000 * pr, sr, 1)
    y = plink + 0.4 * tick
    if res > 0.05:
        # the vessel or pool under the drip rings with it
        ir = modes(base_f.mean() * np.array([0.5, 0.77, 1.31, 2.02]), np.full(4, 0.02 + 0.3 * res ** 2) * (0.5 + ph.size),
                      [1.0, 0.6, 0.4, 0.25], sr, 2.0)
        y = y + res * 0.03 * convolve(y, ir)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


def render_water_bubbles(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Bubbles. aux: bubble_size (fizz .. big blops), density (sparse .. boiling), gurgle
    (bubbles arrive in glugging bursts with big low bubbles)."""
    sr = sample_rate
    bsz, dens, gurg = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    rate = (6.0 + 500.0 * dens ** 2) * (0.3 + ph.intensity) * ph.rate
    # bursts: with gurgle the rate is gated by a slow random pulse train
    burst = np.clip(smooth_random(rng, 2048, 2048 / dur, 1.2 * ph.rate) * 2.5 + 0.5, 0, None)
    burst_env = P.interp_uniform(np.arange(n) * (2047 / (dur * sr)), burst)  # burst on 2048 points over the clip
    gate = rate * ((1 - gurg) + gurg * 2.5 * burst_env)
    t = onsets(rng, gate, n, sr, cap=int(500 * dur)) / sr
    t = np.concatenate([[min(rng.uniform(0.005, 0.05), 0.5 * dur)], t])  # something bubbles at once
    E = len(t)
    r_mm = np.exp(rng.normal(np.log(0.6 + 5.0 * bsz ** 1.5), 0.45, E)) * (0.5 + ph.size)
    f0 = 3.26 / (r_mm * 1e-3) * ph.pitch_ratio
    big = rng.uniform(0, 1, E) < 0.15 * gurg
    f0[big] *= rng.uniform(0.15, 0.35, big.sum())
    f0 = _hz(f0, sr)
    tau = _bubble_tau(f0) * (0.7 + 0.6 * rng.uniform(0, 1, E))
    amp = (r_mm / 2.0) ** 0.5 * rng.uniform(0.3, 1.0, E) * (0.5 + 0.7 * ph.intensity)
    amp[big] *= 2.0
    pans = rng.uniform(-0.8, 0.8, E)
    y = sine_grains(n, sr, (t * sr).astype(np.int64), f0, tau, amp, pans, rise=0.25 + 0.4 * rng.uniform(0, 1, E))
    if gurg > 0.1:
        env = burst_env
        slosh = bandpass(white(rng, (2, n)), 120 * ph.pitch_ratio, 900 * ph.pitch_ratio, sr)
        y = y + slosh * env * gurg * 0.08 * (0.3 + ph.intensity)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


def render_water_splash(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Splash (one-shot). aux: mass (pebble .. body falling in: deeper thump and cavity gloop),
    spray (sheet of bright spray noise), droplets (shower of drops falling back). ``decay`` sets
    how long the fall-back lasts."""
    sr = sample_rate
    mass, spray, drops = ph.aux[0], ph.aux[1], ph.aux[2]
    pr = ph.pitch_ratio * 2.0 ** (-1.5 * (ph.size - 0.5)) * 2.0 ** (-1.0 * mass)
    force = 0.4 + 0.8 * ph.intensity
    t0 = 0.005
    tail = max(ph.decay_s, 0.15)
    # impact thump + cavity collapse "gloop"
    y = np.zeros((2, n))
    thump = sine_grains(n, sr, np.array([int(t0 * sr)]), np.array([90.0 * pr]), np.array([0.03 + 0.04 * mass]),
                        np.array([(0.5 + 1.5 * mass) * force]), rise=-0.1)
    gloop = sine_grains(n, sr, np.array([int((t0 + 0.04 + 0.06 * mass) * sr)]), np.array([380.0 * pr]),
                        np.array([0.03 + 0.03 * mass]), np.array([0.8 * mass * force]), rise=0.2)
    y += thump + gloop
    # slosh body: band noise with a fast attack
    env = P.ad_env(n, sr, attack_s=0.004 + 0.02 * mass, decay_s=tail * (0.6 + 0.8 * mass), start_s=t0)
    body = bandpass(white(rng, (2, n)), 250 * pr, 2500 * pr * (0.6 + ph.brightness), sr)
    y += body * env * (0.5 + mass) * force
    # spray: bright, spattering (noise AM by a fast random crackle)
    sp_env = P.ad_env(n, sr, attack_s=0.012 + 0.02 * spray, decay_s=tail * 0.8, start_s=t0)
    spatter = np.abs(lowpass(white(rng, (2, n)), 300.0, sr, 1)) * 8
    spr = bandpass(white(rng, (2, n)), 1800 * pr, 15000 * pr, sr, 2) * sp_env * spatter / np.sqrt(pr)
    y += spr * (0.1 + 1.2 * spray) * force * 0.6
    # droplets falling back: bubbles and ticks spread over the tail
    k = int((10 + 260 * drops) * force)
    td = t0 + 0.05 + rng.gamma(1.6, tail * 0.22, k)
    td = td[td < n / sr - 0.01]
    k = td.size
    f0 = 3.26 / (np.exp(rng.normal(np.log(1.2), 0.5, k)) * 1e-3) * ph.pitch_ratio
    f0 = _hz(f0, sr)
    da = rng.uniform(0.1, 0.5, k) * force * np.exp(-(td - t0) / (tail + 1e-3))
    pans = rng.uniform(-0.9, 0.9, k)
    y += sine_grains(n, sr, (td * sr).astype(np.int64), f0, _bubble_tau(f0), da, pans, rise=0.3)
    y += highpass(noise_grains(rng, n, sr, (td * sr).astype(np.int64), np.full(k, 0.0004), da * 0.8, pans), 2000.0, sr, 1)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


def render_water_stream(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Stream / brook / river. aux: flow (trickle .. rushing: level of the turbulent bed and its
    motion), babble (density of the bubbling, gurgling voices), depth (shallow bright brook ..
    deep, low river)."""
    sr = sample_rate
    flow, babble, depth = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    pr = ph.pitch_ratio * 2.0 ** (-1.2 * (ph.size - 0.5)) * 2.0 ** (-1.5 * depth)
    m = int(dur * 50) + 4
    surge = smooth_random(rng, m, 50, 0.4 * ph.rate)
    tc = np.arange(m) / 50.0

    def mag(times, freqs):
        s = 1.0 + 0.3 * (0.3 + flow) * np.interp(times, tc, surge)
        fc = 900.0 * pr * (0.7 + 0.6 * flow)
        return (0.2 + flow) * s * (log_bump(freqs, fc, 1.5) + 0.3 * (0.5 + depth) * log_bump(freqs, 120 * pr, 1.0))

    bed = spectral_noise(rng, n, sr, mag, channels=2, nfft=1024) * (0.3 + 0.7 * ph.intensity)
    rate = (30.0 + 900.0 * babble ** 1.5) * (0.4 + 0.8 * ph.intensity) * ph.rate * (0.5 + flow)
    modu = rate * (0.9 + 0.4 * P.interp_uniform(np.arange(n) * (50.0 / sr), surge))  # tc = arange(m) / 50
    t = onsets(rng, modu, n, sr, cap=int(250 * dur)) / sr
    E = len(t)
    f0 = _hz(1100.0 * pr * np.exp(rng.normal(0, 0.55, E)), sr)
    tau = _bubble_tau(f0) * rng.uniform(0.6, 1.3, E)
    amp = rng.uniform(0.05, 0.3, E) * (f0 / 1000.0) ** -0.5 * (0.4 + ph.intensity)
    # turbulent water damps its bubbles: rings are cut short (and rendering stays cheap)
    bub = sine_grains(n, sr, (t * sr).astype(np.int64), f0, np.minimum(tau, 0.02 * min((ph.decay_s / 0.5) ** 0.3, 1.5)), amp, rng.uniform(-1, 1, E),
                      rise=0.4 * rng.uniform(0, 1, E), max_len_s=0.08)
    y = bed * 0.5 + bub
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


RENDERERS = {
    "wind": render_wind,
    "rain": render_rain,
    "fire": render_fire,
    "water_drips": render_water_drips,
    "water_bubbles": render_water_bubbles,
    "water_splash": render_water_splash,
    "water_stream": render_water_stream,
}
