"""The thresholds of the warnings and plausibility checks, and what each one means.

One home for every number a user can change with ``--set NAME=VALUE`` (``verify
--plausibility``, ``verify --protocol-csv``, ``protocol``): the defaults are the control
protocol's values (Controleprotocol Centraal Stembureau, as HCP applies it). The checks
(``checks/tally.py``, ``checks/protocol_rules.py``, ``checks/plausibility.py``) read them;
``--list-checks`` and ``docs/checks.md`` print ``SETTINGS_HELP``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from osv_verify.io.numbers import ascii_digits
from osv_verify.core.errors import UsageError
from osv_verify.core.text import Text


@dataclass(frozen=True)
class Thresholds:
    """The protocol's values by default; each can be set with ``--set name=value``."""

    blank_invalid_pct: int = 3  # W.201 / W.202: blank or invalid votes as a share of the ballots
    blank_invalid_strict: int = 0  # 0: fires at >= the share (Abacus, HCP); 1: only above it (the FAQ's "more than")
    difference_pct: int = 2  # W.203: admitted voters and ballots differ by this share of the ballots ...
    difference_votes: int = 15  # ... or by this many (either fires)
    party_share_pp: int = 50  # the protocol's list column (osv-verify protocol): deviation in percentage points, >=
    party_share_per_1000: int = 1  # P.PARTY_SHARE: untouched stations flagged per 1,000 (calibrated on real stations)
    candidate_factor: int = 5  # P.CANDIDATE_SWAP: observed vs expected, at least this factor
    candidate_min_votes: int = 15  # P.CANDIDATE_SWAP: and at least this many votes apart
    candidate_fit: int = 2  # P.CANDIDATE_SWAP_FIT: swapped back, each within this factor of expected
    candidate_fit_per_1000: int = 1  # P.CANDIDATE_SWAP_FIT: untouched stations flagged per 1,000 (calibrated)
    candidate_min_stations: int = 2  # P.CANDIDATE_SWAP: stations the municipality needs (HCP: 2)
    neighbourhood_min_stations: int = 5  # P.CANDIDATE_SWAP: a wijk is the reference from this many stations (HCP: 5)
    list_swap_min_votes: int = 50  # P.LIST_SWAP: both lists at least this many votes
    list_swap_per_1000: int = 1  # P.LIST_SWAP: untouched stations flagged per 1,000 (calibrated on real stations)
    zero_expected: int = 14  # P.ZERO: expected count at which 0 has chance <= e^-14 < 10^-6
    min_reference_stations: int = 2  # the rest of the municipality must have this many stations

    @classmethod
    def with_overrides(cls, settings: Mapping[str, str]) -> Thresholds:
        """The defaults with ``settings`` (name -> whole number as text) applied: the one
        validator of ``--set NAME=VALUE``; an unknown name or a value that is not a whole
        number is a usage error."""
        known = sorted(f.name for f in fields(cls))
        for name, text in settings.items():
            if name not in known:
                raise UsageError(Text(f"--set: onbekende plausibiliteitsdrempel {name!r} (bekend: {', '.join(known)})",
                                      f"--set: unknown plausibility setting {name!r} (known: {', '.join(known)})"))
            if not ascii_digits(text):
                raise UsageError(Text(f"--set: {name} moet een geheel getal van 0 of meer zijn, niet {text!r}",
                                      f"--set: {name} must be a whole number of 0 or more, not {text!r}"))
        return cls(**{name: int(text) for name, text in settings.items()})


DEFAULTS = Thresholds()

#: What each setting means, for ``--list-checks`` and the docs.
SETTINGS_HELP: dict[str, Text] = {
    "blank_invalid_pct": Text(
        "W.201 / W.202: blanco of ongeldige stemmen vanaf dit percentage van de stembiljetten (protocol: 3)",
        "W.201 / W.202: blank or invalid votes at this percentage of the ballots (protocol: 3)",
    ),
    "blank_invalid_strict": Text(
        "W.201 / W.202: 0 meldt bij >= het percentage (Abacus, HCP), 1 pas erboven",
        "W.201 / W.202: 0 fires at >= the percentage (Abacus, HCP), 1 only above it",
    ),
    "difference_pct": Text(
        "W.203: toegelaten kiezers en stembiljetten verschillen met dit percentage van de stembiljetten (protocol: 2) ...",
        "W.203: admitted voters and ballots differ by this percentage of the ballots (protocol: 2) ...",
    ),
    "difference_votes": Text(
        "W.203: ... of met zoveel (protocol: 15; elk van beide meldt)",
        "W.203: ... or by this many (protocol: 15; either fires)",
    ),
    "party_share_pp": Text(
        "de lijstkolom van het protocol (osv-verify protocol, --protocol-csv) meldt bij een afwijking van zoveel procentpunten of meer (protocol: 50)",
        "the protocol's list column (osv-verify protocol, --protocol-csv) fires at a deviation of this many percentage points or more (protocol: 50)",
    ),
    "party_share_per_1000": Text(
        "P.PARTY_SHARE: zoveel onaangeroerde stembureaus per 1.000 mogen worden gemeld; de drempel is de afwijking die zo'n deel van de echte stembureaus in de referentie overschrijdt (checks/swap_reference.py)",
        "P.PARTY_SHARE: this many untouched stations per 1,000 may be flagged; the threshold is the deviation that so many of the real reference stations exceed (checks/swap_reference.py)",
    ),
    "candidate_factor": Text(
        "P.CANDIDATE_SWAP: een kandidaat wijkt sterk af als waargenomen en verwacht deze factor verschillen (HCP: 5)",
        "P.CANDIDATE_SWAP: a candidate is far off when observed and expected differ by this factor (HCP: 5)",
    ),
    "candidate_min_votes": Text(
        "P.CANDIDATE_SWAP: ... en minstens zoveel stemmen (HCP: 15)",
        "P.CANDIDATE_SWAP: ... and by at least this many votes (HCP: 15)",
    ),
    "candidate_fit": Text(
        "P.CANDIDATE_SWAP_FIT: teruggewisseld liggen beide kandidaten binnen deze factor van hun verwachting",
        "P.CANDIDATE_SWAP_FIT: swapped back, both candidates within this factor of their expectation",
    ),
    "candidate_fit_per_1000": Text(
        "P.CANDIDATE_SWAP_FIT: zoveel onaangeroerde stembureaus per 1.000 mogen worden gemeld; de drempel is de factor die zo'n deel van de echte stembureaus in de referentie overschrijdt (checks/swap_reference.py)",
        "P.CANDIDATE_SWAP_FIT: this many untouched stations per 1,000 may be flagged; the threshold is the factor that so many of the real reference stations exceed (checks/swap_reference.py)",
    ),
    "candidate_min_stations": Text(
        "P.CANDIDATE_SWAP: de gemeente heeft minstens zoveel stembureaus nodig voor de controle (HCP: 2)",
        "P.CANDIDATE_SWAP: the municipality needs this many stations for the check (HCP: 2)",
    ),
    "neighbourhood_min_stations": Text(
        "P.CANDIDATE_SWAP met --neighbourhoods: een CBS-wijk met minstens zoveel stembureaus (het stembureau zelf meegeteld) is de referentie, anders de gemeente (HCP: 5)",
        "P.CANDIDATE_SWAP with --neighbourhoods: a CBS wijk with this many stations (the station included) is the reference, else the municipality (HCP: 5)",
    ),
    "list_swap_min_votes": Text(
        "P.LIST_SWAP: beide lijsten hebben minstens zoveel stemmen in het stembureau nodig",
        "P.LIST_SWAP: both lists need at least this many votes in the station",
    ),
    "list_swap_per_1000": Text(
        "P.LIST_SWAP: zoveel onaangeroerde stembureaus per 1.000 mogen worden gemeld; de drempel is de score die zo'n deel van de echte stembureaus in de referentie overschrijdt (checks/swap_reference.py)",
        "P.LIST_SWAP: this many untouched stations per 1,000 may be flagged; the threshold is the score that so many of the real reference stations exceed (checks/swap_reference.py)",
    ),
    "zero_expected": Text(
        "P.ZERO: een 0 wordt gemeld als er minstens zoveel verwacht werden (kans op 0 <= e^-14 < 10^-6)",
        "P.ZERO: a 0 is flagged when at least this many were expected (chance of 0 <= e^-14 < 10^-6)",
    ),
    "min_reference_stations": Text(
        "stembureaus nodig in de rest van de gemeente voordat een stembureau ermee wordt vergeleken",
        "stations needed in the rest of the municipality before a station is compared with it",
    ),
}
