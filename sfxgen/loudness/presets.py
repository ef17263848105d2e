"""Delivery presets: loudness targets as data.

Each preset is a frozen :class:`DeliveryPreset`. ``get_preset(name)`` looks one up;
``custom_preset(target_lufs=..., true_peak_ceiling_dbtp=...)`` (or ``get_preset("custom", ...)``)
builds one from user values. Figures follow the published specs (see ``notes`` on each).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sfxgen.errors import ParameterError

__all__ = ["DeliveryPreset", "DeliveryVerdict", "PRESETS", "custom_preset", "get_preset", "preset_names"]

#: float slack when comparing a reading with a limit (readings are rounded to 0.01 in reports)
_EPS = 1e-6


@dataclass(frozen=True)
class DeliveryVerdict:
    """The delivery pass/fail rule's answer (:meth:`DeliveryPreset.judge`). Each ``*_ok`` is
    None when the reading is missing; ``passed`` needs a measurable loudness within tolerance,
    the true peak under the ceiling and (when capped) the loudest 3 s under the cap."""

    passed: bool
    integrated_ok: bool | None
    true_peak_ok: bool | None
    short_term_ok: bool | None
    offset_lu: float | None
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class DeliveryPreset:
    """A loudness delivery spec.

    target_lufs: integrated loudness target. tolerance_lu: allowed deviation (+/-).
    true_peak_ceiling_dbtp: maximum true peak. max_short_term_lufs: cap on the loudest 3 s
    window, or None. notes: where the numbers come from.
    """

    name: str
    target_lufs: float
    tolerance_lu: float
    true_peak_ceiling_dbtp: float
    max_short_term_lufs: float | None = None
    notes: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    def judge(self, *, integrated_lufs: float | None, true_peak_dbtp: float | None,
              max_short_term_lufs: float | None = None) -> DeliveryVerdict:
        """THE delivery pass/fail rule (QC, the service, normalisation and the UI all ask it):
        integrated loudness within ``target +/- tolerance``, true peak at or under the ceiling,
        loudest 3 s at or under the short-term cap when the preset has one."""
        reasons = []
        off = None if integrated_lufs is None else float(integrated_lufs) - self.target_lufs
        i_ok = None if off is None else abs(off) <= self.tolerance_lu + _EPS
        if off is None:
            reasons.append("no measurable loudness (silent or below the -70 LUFS gate)")
        elif not i_ok:
            reasons.append(f"integrated loudness {integrated_lufs:.2f} LUFS is outside "
                           f"{self.target_lufs:g} +/-{self.tolerance_lu:g} LU")
        tp_ok = None if true_peak_dbtp is None else float(true_peak_dbtp) <= self.true_peak_ceiling_dbtp + _EPS
        if tp_ok is False:
            reasons.append(f"true peak {true_peak_dbtp:.2f} dBTP is above {self.true_peak_ceiling_dbtp:g} dBTP")
        st_ok = None
        if self.max_short_term_lufs is not None and max_short_term_lufs is not None:
            st_ok = float(max_short_term_lufs) <= self.max_short_term_lufs + _EPS
            if not st_ok:
                reasons.append(f"loudest 3 s reads {max_short_term_lufs:.1f} LUFS, above the "
                               f"{self.max_short_term_lufs:g} LUFS short-term cap of {self.name}")
        passed = bool(i_ok) and tp_ok is not False and st_ok is not False
        return DeliveryVerdict(passed=passed, integrated_ok=i_ok, true_peak_ok=tp_ok, short_term_ok=st_ok,
                               offset_lu=None if off is None else round(off, 4), reasons=tuple(reasons))


_TABLE = (
    DeliveryPreset("ebu-r128", -23.0, 0.2, -1.0, None,
                   "EBU R128 broadcast programme: -23 LUFS +/-0.2 LU (+/-1 LU live), max -1 dBTP; LRA not capped."),
    DeliveryPreset("ebu-r128-s1", -23.0, 0.2, -1.0, -18.0,
                   "EBU R128 s1, short-form (ads, promos <= 2 min): -23 LUFS, -1 dBTP, max short-term -18 LUFS."),
    DeliveryPreset("atsc-a85", -24.0, 2.0, -2.0, None,
                   "ATSC A/85 US broadcast: -24 LKFS +/-2 dB, max -2 dBTP."),
    DeliveryPreset("streaming", -14.0, 1.0, -1.0, None,
                   "Music/video streaming (Spotify, YouTube): about -14 LUFS, -1 dBTP; louder material is turned down."),
    DeliveryPreset("apple-podcasts", -16.0, 1.0, -1.0, None,
                   "Apple Podcasts: -16 LUFS +/-1 LU, max -1 dBTP."),
    DeliveryPreset("game-console", -24.0, 2.0, -1.0, None,
                   "Games, home/console (Sony ASWG-R001): -24 LUFS +/-2 LU, max -1 dBTP."),
    DeliveryPreset("game-mobile", -18.0, 2.0, -1.0, None,
                   "Games, portable/mobile (Sony ASWG-R001): -18 LUFS +/-2 LU, max -1 dBTP."),
)

PRESETS: dict[str, DeliveryPreset] = {p.name: p for p in _TABLE}


def preset_names() -> list[str]:
    """Names accepted by :func:`get_preset`, ``custom`` last."""
    return [*PRESETS, "custom"]


def custom_preset(*, target_lufs: float, true_peak_ceiling_dbtp: float = -1.0, tolerance_lu: float = 0.5,
                  max_short_term_lufs: float | None = None) -> DeliveryPreset:
    """A user-defined preset; values are range-checked (target -70..0 LUFS, ceiling -20..0 dBTP)."""
    try:
        target = float(target_lufs)
        ceiling = float(true_peak_ceiling_dbtp)
        tol = float(tolerance_lu)
    except (TypeError, ValueError):
        raise ParameterError("custom preset needs numeric target_lufs, ceiling and tolerance") from None
    if not -70.0 <= target <= 0.0:
        raise ParameterError(f"target loudness must be between -70 and 0 LUFS, got {target_lufs}")
    if not -20.0 <= ceiling <= 0.0:
        raise ParameterError(f"true-peak ceiling must be between -20 and 0 dBTP, got {true_peak_ceiling_dbtp}")
    if not 0.0 < tol <= 10.0:
        raise ParameterError(f"tolerance must be between 0 and 10 LU, got {tolerance_lu}")
    return DeliveryPreset("custom", target, tol, ceiling, max_short_term_lufs,
                          f"custom: {target:g} LUFS +/-{tol:g} LU, max {ceiling:g} dBTP")


def get_preset(name: str | DeliveryPreset, **custom) -> DeliveryPreset:
    """Preset by name (case-insensitive, ``_`` = ``-``); ``custom`` takes :func:`custom_preset`'s
    keyword arguments. A :class:`DeliveryPreset` passes through unchanged."""
    if isinstance(name, DeliveryPreset):
        return name
    key = str(name).strip().lower().replace("_", "-")
    if key == "custom":
        if "target_lufs" not in custom or custom["target_lufs"] is None:
            raise ParameterError("preset 'custom' needs a target loudness (target_lufs / --target-lufs)")
        return custom_preset(**{k: v for k, v in custom.items() if v is not None})
    if key not in PRESETS:
        raise ParameterError(f"unknown delivery preset {name!r}; known presets: {', '.join(preset_names())}")
    return PRESETS[key]
