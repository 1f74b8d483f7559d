"""Which election, and which count, a file is about: decided by content, not by id strings.

Election ids are strings that writers spell differently: Nuenen's GR2022 EML says
``GR2022_Nuenen_GerwenenNederwetten`` where the id derived from its OSV CSV's election name is
``GR2022_NuenenGerwenenNederwetten``. Two files are about the same election when they agree on
category, election date and domain (the gemeente code for a municipal election, the province
or water board by name otherwise, nothing for a national one; a file that does not say enough
is known by its id only); they are publications of the
same count when they also agree on the level and the authority (gemeente code, kieskring,
CSB). Both ``verify`` (grouping files into elections) and ``compare`` (are A and B entries of
one count?) ask here, so the rule lives in one place.
"""

from __future__ import annotations

import re
import unicodedata

from osv_verify.core.model import CountFile, ElectionRef, Level

#: Categories whose election domain is one municipality (its gemeente code).
MUNICIPAL = frozenset({"GR", "ER", "BC", "GC"})
#: Categories of one election for the whole country (no domain).
NATIONAL = frozenset({"TK", "EK", "EP"})

ElectionKey = tuple[str, str, str | None]  # category, ISO date, domain
CountKey = tuple[ElectionKey, str, str]  # election, level, authority


def ascii_id(text: str) -> str:
    """Reduce a name as OSV does in file names and election ids: ``Súdwest-Fryslân`` ->
    ``SudwestFryslan``, ``Bergen (NH)`` -> ``Bergen_NH``, ``'s-Hertogenbosch`` -> ``sHertogenbosch``."""
    t = unicodedata.normalize("NFKD", text).replace("(", "_")
    return re.sub(r"[^A-Za-z0-9_]", "", t).strip("_")


def _gemeente(code: str | None) -> str | None:
    return code.zfill(4) if code and code.isdigit() else code


def election_key(ref: ElectionRef, level: Level | None = None, authority: str | None = None) -> ElectionKey | None:
    """The election's identity by content, or None when the file does not say enough
    (no category or no date). ``level``/``authority`` of a count stand in for the domain of a
    municipal election when the file does not give it (an OSV CSV never does)."""
    category = (ref.category or "").upper()
    if not category or ref.date is None:
        return None
    if category in MUNICIPAL:
        domain = ref.domain_id or (authority if level is Level.MUNICIPALITY else None)
        domain = _gemeente(domain)
        if domain is None:
            return None
    elif category in NATIONAL:
        domain = None
    elif ref.domain_name:
        domain = ascii_id(ref.domain_name).casefold()
    else:
        return None  # a province or water board that does not say which
    return category, ref.date.isoformat(), domain


def count_key(count: CountFile) -> CountKey | None:
    """The identity of the count a file publishes: its election, level and authority."""
    election = election_key(count.election, count.level, count.authority_id)
    if election is None or not count.authority_id:
        return None
    return election, count.level.value, _gemeente(count.authority_id) or ""


def same_count(a: CountFile, b: CountFile) -> bool:
    """True when ``a`` and ``b`` publish the same count, whatever their election id strings.
    When either file does not say enough to tell by content, the ids and authorities decide."""
    ka, kb = count_key(a), count_key(b)
    if ka is not None and kb is not None:
        return ka == kb
    return a.election.id == b.election.id and a.authority_id == b.authority_id and a.level is b.level
