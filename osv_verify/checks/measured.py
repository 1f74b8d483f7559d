"""How often each plausibility check fires on real published stations, and how much of an
injected fault it finds, with 95 % intervals: the figures ``benchmarks/plausibility_real.py
--write`` stores in ``checks/swap_reference.py`` (every municipal count with stations in
``../shared/data``). The calibrated checks' figures (P.LIST_SWAP, P.CANDIDATE_SWAP_FIT,
P.PARTY_SHARE) are held out (``HELD_OUT``): each data set scored at a threshold taken from the
other data sets only, or, for a check whose reference is split by municipality size, each
municipality at a threshold from the other municipalities of its size class. Shown by ``--list-checks``, ``docs/checks.md`` and, for the calibrated
checks, in each finding (docs/plausibility.md has the tables).
"""

from __future__ import annotations

import math

from osv_verify.checks.swap_reference import FIGURES, HELD_OUT, MEASURED_AT, NOT_HELD, REFERENCES, SMALL, SMALL_STATIONS
from osv_verify.core.text import Text

#: z for a two-sided 95 % interval.
_Z = 1.959964


def wilson(k: int, n: int) -> tuple[float, float]:
    """The Wilson score interval (95 %) of a proportion k / n; display only, never a decision."""
    if n == 0:
        return 0.0, 1.0
    p, z2 = k / n, _Z * _Z
    mid, half = p + z2 / (2 * n), _Z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, (mid - half) / (1 + z2 / n)), min(1.0, (mid + half) / (1 + z2 / n))


def _nl(x: float, digits: int = 1) -> str:
    return f"{x:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _per_1000(k: int, n: int) -> tuple[str, str]:
    lo, hi = wilson(k, n)
    return (f"{_nl(1000 * k / n)} per 1.000 (95 %: {_nl(1000 * lo)}-{_nl(1000 * hi)})",
            f"{1000 * k / n:.1f} per 1,000 (95 %: {1000 * lo:.1f}-{1000 * hi:.1f})")


def _percent(k: int, n: int) -> tuple[str, str]:
    lo, hi = wilson(k, n)
    return (f"{_nl(100 * k / n)} % (95 %: {_nl(100 * lo)}-{_nl(100 * hi)} %; {_nl(k, 0)} van {_nl(n, 0)})",
            f"{100 * k / n:.1f} % (95 %: {100 * lo:.1f}-{100 * hi:.1f} %; {k:,} of {n:,})")


#: What each calibrated check's injected fault is (Dutch, English); P.PARTY_SHARE has none.
_INJECTED = {
    "P.LIST_SWAP": ("lijstverwisselingen benoemd (beide lijsten >= 50 stemmen, totalen >= 25 % verschillend)",
                    "list swaps (both lists >= 50 votes, totals >= 25 % apart)"),
    "P.CANDIDATE_SWAP_FIT": ("kandidaatverwisselingen benoemd (>= 15 stemmen verschil)",
                             "candidate swaps (>= 15 votes apart)"),
    "P.PARTY_SHARE": None,
}


#: How a calibrated check was held out (``HELD_OUT``), in words (Dutch, English).
_HOW = {
    "data set": ("elke dataset met een drempel uit alleen de andere datasets",
                 "each data set at a threshold from the other data sets only"),
    "municipality": ("elke gemeente met een drempel uit alleen de andere gemeenten",
                     "each municipality at a threshold from the other municipalities only"),
    # the same, for a check whose reference is split by municipality size
    "municipality, by size": ("elke gemeente met een drempel uit alleen de andere gemeenten van haar grootteklasse",
                              "each municipality at a threshold from the other municipalities of its size class only"),
}


def _measured(code: str) -> Text:
    flagged, stations, named, injected = FIGURES[code]
    rate_nl, rate_en = _per_1000(flagged, stations)
    found_nl, found_en = _percent(named, injected) if injected else ("", "")
    if code in _INJECTED:
        sized = HELD_OUT[code] == "municipality" and any(c == code and label != "all" for c, label in REFERENCES)
        what, (how_nl, how_en) = _INJECTED[code], _HOW[f"{HELD_OUT[code]}, by size" if sized else HELD_OUT[code]]
        if NOT_HELD[code]:
            how_nl += (f" (niet meetbaar voor de {_nl(NOT_HELD[code], 0)} stembureaus van de grootste klasse: "
                       f"zonder de eigen gemeente te weinig voor de referentie)")
            how_en += (f" (not measurable for the {NOT_HELD[code]:,} stations of the largest class: "
                       f"too few for a reference without their own municipality)")
        return Text(f"Gemeten op {_nl(stations, 0)} echte stembureaus, {how_nl}, "
                    f"bij {MEASURED_AT} per 1.000: gemeld bij {rate_nl} onaangeroerde stembureaus"
                    + (f"; {found_nl} van de ingebrachte {what[0]}." if what else "."),
                    f"Measured on {stations:,} real stations, {how_en}, "
                    f"at {MEASURED_AT} per 1,000: fired on {rate_en} untouched stations"
                    + (f"; named {found_en} of injected {what[1]}." if what else "."))
    if code.startswith("P.CANDIDATE"):
        return Text(f"Slaat aan bij {rate_nl} echte stembureaus; vindt {found_nl} van de ingebrachte "
                    f"kandidaatverwisselingen (>= 15 stemmen verschil).",
                    f"Fires on {rate_en} real stations; names {found_en} of injected candidate swaps (>= 15 votes apart).")
    if code == "P.ZERO":
        return Text(f"Slaat aan bij {rate_nl} echte stembureaus; vindt {named} van {injected} ingebrachte nullen "
                    f"(>= 14 ongeldige stemmen op 0 gezet).",
                    f"Fires on {rate_en} real stations; finds {named} of {injected} injected zeros (>= 14 invalid "
                    f"votes set to 0).")
    return Text(f"Slaat aan bij {rate_nl} echte stembureaus (de regel van het protocol: een werklast, geen foutkans).",
                f"Fires on {rate_en} real stations (the protocol's rule: a workload, not an error rate).")


#: code -> what was measured (Dutch first)
MEASURED: dict[str, Text] = {code: _measured(code) for code in FIGURES}


def _small() -> Text:
    flagged, stations = SMALL
    nl, en = _per_1000(flagged, stations)
    return Text(f"Let op: in gemeenten met minder dan {SMALL_STATIONS} stembureaus, zoals deze, sloeg P.LIST_SWAP op dezelfde "
                f"manier gemeten aan bij {nl} echte stembureaus ({flagged} van {_nl(stations, 0)}); het aantal per 1.000 hierboven "
                f"geldt hier niet.",
                f"Note: in municipalities of fewer than {SMALL_STATIONS} stations, like this one, P.LIST_SWAP measured the same "
                f"way fired on {en} real stations ({flagged} of {stations:,}); the rate above does not hold here.")


#: P.LIST_SWAP's held-out rate in municipalities of fewer than ``SMALL_STATIONS`` stations (issue 23).
SMALL_MUNICIPALITY: Text = _small()
