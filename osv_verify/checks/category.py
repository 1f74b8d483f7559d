"""Rules that depend on the election's category: what a PS or AB count has that a GR count has not.

Voter cards (C, ``geldige kiezerspassen``) exist for the provincial and water-board elections
(a voter may vote elsewhere in the province or water board with one) and not for a municipal
council: Abacus treats C present or absent against the category as a data error
(``shared/reference/abacus-2027.md`` 2.4). OSV wrote ``geldige kiezerspassen`` 0 in GR files
(GR2022, real data), so for GR only a number other than 0 is reported, and as a warning: OSV let
a station enter one (7 stations in GR2022 A-D, e.g. Achtkarspelen SB13: A 423 + B 60 + C 2 =
D 485), the admitted voters still add up, and Abacus refuses it at entry, so the 2027 files
cannot have it. A total is only judged when its file has no stations (else it repeats them).
"""

from __future__ import annotations

from collections.abc import Iterator

from osv_verify.checks import aggregate
from osv_verify.checks.registry import rule
from osv_verify.core.findings import Finding
from osv_verify.core.identity import MUNICIPAL
from osv_verify.core.model import CountFile
from osv_verify.core.text import Text

#: Categories whose PVs have a box C (kiezerspassen) that must be filled in.
WITH_VOTER_CARDS = frozenset({"PS", "AB"})


def check_voter_cards(count: CountFile) -> Iterator[Finding]:
    """TALLY.VOTER_CARDS on every tally that gives D (admitted voters): a tally without D
    publishes none of A-D at that level, so there is nothing for C to belong to."""
    category = (count.election.category or "").upper()
    if category not in WITH_VOTER_CARDS and category not in MUNICIPAL:
        return
    tallies = list(count.units) or ([count.total] if count.total is not None else [])
    for t in tallies:
        if "admitted" not in t.counts:
            continue
        cards = t.counts.get("voter_cards")
        if category in WITH_VOTER_CARDS and cards is None:
            why = Text(f"geen kiezerspassen (C) bij {category}; elk PV van {category} heeft ze, ook als het 0 is",
                       f"no voter cards (C) in {category}; every {category} PV has them, 0 included")
        elif category in MUNICIPAL and cards:
            why = Text(f"{cards} kiezerspassen (C) bij een gemeenteraadsverkiezing, waar ze niet bestaan",
                       f"{cards} voter cards (C) in a municipal election, where they do not exist")
        else:
            continue
        yield rule("TALLY.VOTER_CARDS").finding(aggregate.file_location(count, t.id), field="voter_cards", actual=cards,
                                                why=why, source=count.source, element=t.element,
                                                variant="gr" if category in MUNICIPAL else None)
