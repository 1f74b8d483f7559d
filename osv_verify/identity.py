"""Whether two count files are the same count: the same PVs, entered or published twice.

Decided by content, never by the election id string: an OSV CSV's id is derived from the
election's name and may differ from the EML id of the very same election.
"""

from __future__ import annotations

from osv_verify.model import CountFile, Level


def _level(count: CountFile) -> Level:
    # a station-level 510a holds the same PVs as the gemeente's 510b; an OSV CSV of a gemeente too
    return Level.MUNICIPALITY if count.level is Level.STATION else count.level


def identity(count: CountFile) -> tuple[str | None, str | None, str | None, Level]:
    """What makes a count *this* count: election category, election date, authority, level."""
    date = count.election.date.isoformat() if count.election.date else None
    return count.election.category, date, count.authority_id, _level(count)


def same_count(a: CountFile, b: CountFile) -> bool:
    """True when ``a`` and ``b`` are counts of the same PVs: the same election category, date,
    authority and level. A part one side does not state (``None``) does not decide."""
    return all(x is None or y is None or x == y for x, y in zip(identity(a), identity(b)))
