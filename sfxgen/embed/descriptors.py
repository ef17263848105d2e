"""Pooled log-mel descriptors: a fixed-size summary of a (windowed) clip for the ``stats`` audio tower.

Why: a from-scratch CNN trained on ~2k weakly captioned clips learns the recording source more
than the sound; per-clip statistics (band levels and their spread over time, spectral shape,
onset/flux behaviour, envelope shape, duration) are much harder to overfit and transfer across
packages.

Input: log-mel ``(batch, n_mels, frames)`` (natural log power, silence at ``LOG_FLOOR``) and
valid ``lengths`` (frames). Output ``(batch, descriptor_dim(n_mels))`` float, all computed over
valid frames only, so padding never changes a clip's descriptor. Levels are taken relative to
the clip's loudest frame (gain-invariant); the absolute peak level is one extra feature.
"""

from __future__ import annotations

N_SEGMENTS = 8
QUANTILES = (0.1, 0.5, 0.9)
REL_FLOOR = -20.0  # nat-log power relative to the loudest frame (about -87 dB)


def descriptor_dim(n_mels: int) -> int:
    """Length of the descriptor vector for ``n_mels`` bands."""
    per_band = 3 + len(QUANTILES)  # mean, std, mean |delta|, quantiles
    return per_band * n_mels + 2 * n_mels + 21 + N_SEGMENTS


def mel_descriptors(mel, lengths=None):
    """``(B, M, T)`` log-mel + ``(B,)`` lengths -> ``(B, descriptor_dim(M))`` (see module doc)."""
    import torch

    B, M, T = mel.shape
    dev, dt = mel.device, mel.dtype
    if lengths is None:
        lengths = torch.full((B,), T, device=dev, dtype=torch.long)
    lengths = lengths.to(dev).clamp(min=1, max=T)
    tpos = torch.arange(T, device=dev)
    mask = tpos[None] < lengths[:, None]  # (B, T)
    m = mask[:, None].to(dt)
    n = lengths.to(dt)[:, None]  # (B, 1)

    energy = torch.logsumexp(mel, dim=1)  # (B, T) log total power per frame
    peak = energy.masked_fill(~mask, float("-inf")).amax(-1, keepdim=True)  # (B, 1)
    rel = (mel - peak[:, :, None]).clamp_(min=REL_FLOOR)  # (B, M, T)
    erel = (energy - peak).clamp(min=REL_FLOOR)  # (B, T)

    def tmean(x):  # mean over valid frames of (B, ..., T)
        mm = m if x.dim() == 3 else m[:, 0]
        return (x * mm).sum(-1) / n.view(B, *([1] * (x.dim() - 2)))

    def tstd(x, mu):
        mm = m if x.dim() == 3 else m[:, 0]
        return (((x - mu[..., None]) ** 2 * mm).sum(-1) / n.view(B, *([1] * (x.dim() - 2)))).clamp(min=1e-8).sqrt()

    band_mean = tmean(rel)
    band_std = tstd(rel, band_mean)
    qs = _band_quantiles(rel, mask, lengths)
    dmask = (tpos[None, 1:] < lengths[:, None]).to(dt)[:, None]  # valid frame pairs (B,1,T-1)
    npairs = dmask.sum(-1).clamp(min=1)  # (B,1)
    diff = rel[..., 1:] - rel[..., :-1] if T > 1 else torch.zeros(B, M, 1, device=dev, dtype=dt)
    if T == 1:
        dmask = torch.zeros(B, 1, 1, device=dev, dtype=dt)
    band_delta = (diff.abs() * dmask).sum(-1) / npairs
    rise = diff.clamp(min=0) * dmask
    band_rise = rise.sum(-1) / npairs

    # spectral shape per frame (from the band distribution), averaged weighted by frame loudness
    prob = torch.exp(mel - energy[:, None])  # softmax over bands, from the logsumexp taken above
    f = torch.linspace(0, 1, M, device=dev, dtype=dt)[None, :, None]
    centroid = (prob * f).sum(1)
    spread = ((prob * (f - centroid[:, None]) ** 2).sum(1)).clamp(min=1e-8).sqrt()
    flatness = mel.mean(1) - energy + torch.log(torch.tensor(float(M), device=dev, dtype=dt))
    flux = rise.sum(1) / M  # (B, T-1)
    w = torch.exp(erel) * mask.to(dt)
    wsum = w.sum(-1).clamp(min=1e-8)

    def wstats(x):
        mu = (x * w).sum(-1) / wsum
        sd = (((x - mu[:, None]) ** 2 * w).sum(-1) / wsum).clamp(min=1e-8).sqrt()
        return [mu, sd]

    fm = dmask[:, 0]
    flux_mean = (flux * fm).sum(-1) / npairs[:, 0]
    flux_std = (((flux - flux_mean[:, None]) ** 2 * fm).sum(-1) / npairs[:, 0]).clamp(min=1e-8).sqrt()
    flux_max = (flux * fm).amax(-1)
    onsets = ((flux > (flux_mean + 2 * flux_std)[:, None] + 0.5).to(dt) * fm).sum(-1) / (n[:, 0] / 100.0)

    e_mean = tmean(erel)
    e_std = tstd(erel, e_mean)
    above10 = tmean((erel > -2.3).to(dt))
    above20 = tmean((erel > -4.6).to(dt))
    peak_pos = erel.masked_fill(~mask, float("-inf")).argmax(-1).to(dt)
    attack = peak_pos / n[:, 0]
    after = (tpos[None] > peak_pos[:, None]) & mask
    decay_frac = ((erel > -4.6) & after).to(dt).sum(-1) / (n[:, 0] - peak_pos).clamp(min=1)
    log_dur = torch.log(n[:, 0] / 100.0)
    log_attack_s = torch.log1p(peak_pos / 100.0 * 10)
    seg = (tpos[None].to(dt) * N_SEGMENTS / n).floor().clamp(max=N_SEGMENTS - 1).long()  # (B, T)
    onehot = torch.nn.functional.one_hot(seg, N_SEGMENTS).to(dt) * mask[..., None].to(dt)  # (B, T, S)
    seg_env = (erel[..., None] * onehot).sum(1) / onehot.sum(1).clamp(min=1)

    scalars = torch.stack(
        [peak[:, 0] / 10.0, e_mean, e_std, above10, above20, attack, decay_frac, log_dur, log_attack_s,
         flux_mean, flux_std, flux_max, torch.log1p(onsets), *wstats(centroid), *wstats(spread),
         *wstats(flatness), tmean(centroid), tmean(flatness)],
        dim=1,
    )
    return torch.cat([band_mean, band_std, band_delta, *qs, band_rise, band_mean - band_mean.mean(1, keepdim=True),
                      scalars, seg_env], dim=1)


def _band_quantiles(rel, mask, lengths):
    """Per-band ``QUANTILES`` over each clip's valid frames: ``[(B, M)] * len(QUANTILES)``.

    The q-quantile is the element of rank ``round((length - 1) * q)`` of the band's valid frames
    (padding sorts last as +inf). On the CPU the sort runs in numpy (vectorised AVX-512 sort,
    ~25x faster than torch's, which dominated the whole descriptor cost); same elements either
    way. Gradients do not flow through the numpy path, so it is used only without autograd.
    """
    import torch

    B, M, T = rel.shape
    padded = rel.masked_fill(~mask[:, None], float("inf"))
    numpy_ok = rel.device.type == "cpu" and rel.dtype in (torch.float32, torch.float64)
    if numpy_ok and not (torch.is_grad_enabled() and rel.requires_grad):
        import numpy as np

        srt = torch.from_numpy(np.sort(padded.numpy(), axis=-1))
    else:
        srt = padded.sort(-1).values
    qs = []
    for q in QUANTILES:
        idx = ((lengths - 1).to(rel.dtype) * q).round().long()[:, None, None].expand(B, M, 1)
        qs.append(srt.gather(-1, idx)[..., 0])
    return qs
