"""Which election and which level an OSV4-3 CSV is about, from its header block.

The CSV names its election in words (``Verkiezing;;Gemeenteraad Súdwest-Fryslân 2022``) and
its area as ``Gebied``/``Nummer``; the EML files it sits beside carry ids. Here the words become
an ``ElectionRef`` built like the EML one, and ``Gebied``/``Nummer`` a level.
"""

from __future__ import annotations

import datetime as dt
import re

from osv_verify.core.identity import ascii_id
from osv_verify.core.model import ElectionRef, Level

#: Words in an election name -> ElectionCategory, first match wins.
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("gemeenteraad", "GR"),
    ("tweede kamer", "TK"),
    ("provinciale staten", "PS"),
    ("algemeen bestuur", "AB"),
    ("waterschap", "AB"),
    ("europees parlement", "EP"),
    ("eerste kamer", "EK"),
    ("eilandsraad", "ER"),
)
#: Categories whose EML election id ends in ``_<domain>`` (municipality, province, water board).
DOMAIN_CATEGORIES = frozenset({"GR", "PS", "AB", "ER"})
WATER_BOARD_WORDS = frozenset({"van", "het", "de", "waterschap", "wetterskip", "hoogheemraadschap"})
GEBIED_PREFIXES: tuple[tuple[str, Level], ...] = (
    ("gemeente ", Level.MUNICIPALITY),
    ("openbaar lichaam ", Level.MUNICIPALITY),
    ("kieskring ", Level.DISTRICT),
)


def level_of(gebied: str, nummer: str) -> tuple[Level, str]:
    """Level and authority name from the ``Gebied`` text; without a known prefix the shape of
    ``Nummer`` decides (``0668`` gemeente, ``HSB2`` kieskring), else central."""
    low = gebied.lower()
    for prefix, level in GEBIED_PREFIXES:
        if low.startswith(prefix):
            return level, gebied[len(prefix):].strip()
    if re.fullmatch(r"\d{1,4}", nummer):
        return Level.MUNICIPALITY, gebied
    if re.fullmatch(r"HSB\d+", nummer):
        return Level.DISTRICT, gebied
    return Level.CENTRAL, gebied


def election_from_name(name: str, date: dt.date | None, authority_name: str | None) -> ElectionRef:
    """An ``ElectionRef`` built like the EML one from the ``Verkiezing`` text and the date.

    The id follows EML ids: ``TK2023``, ``GR2022_WestMaasenWaal``, ``PS2019_Fryslan``. The CSV
    does not carry the election domain, so for PS/AB/ER the domain is taken from the name
    (``Provinciale Staten Fryslân 2019`` -> ``Fryslan``); when that guess differs from the EML
    id, a caller may re-map a CSV to the EML election with the same name and date.
    """
    year_match = re.search(r"(\d{4})\s*$", name)
    year = str(date.year) if date else (year_match.group(1) if year_match else "")
    bare = name[: year_match.start()].strip() if year_match else name.strip()
    low = bare.lower()
    category = next((cat for words, cat in CATEGORIES if words in low), None)
    domain = ""
    if category in DOMAIN_CATEGORIES:
        words = next(w for w, c in CATEGORIES if c == category and w in low)
        rest = bare[low.index(words) + len(words):].split()
        if category == "AB":
            while rest and rest[0].lower() in WATER_BOARD_WORDS:
                rest.pop(0)
        domain = " ".join(rest) or (authority_name or "" if category == "GR" else "")
    prefix = category or ascii_id(bare) or "OSV"
    reduced = ascii_id(domain)
    return ElectionRef(
        id=f"{prefix}{year}" + (f"_{reduced}" if reduced else ""),
        name=name or None,
        category=category,
        domain_name=domain or None,
        date=date,
    )
