"""``osv-verify seats``'s inputs beyond an election's files: the what-if calculator (the seat
allocation of votes a user types, ``--votes``) and the drawn lots (``--lots``) that ``seats``
and ``verify`` pass to the seat allocation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from osv_verify.core.errors import UsageError, unreadable
from osv_verify.core.text import Text
from osv_verify.io.limits import check_option_file
from osv_verify.io.votes import read_lots, read_votes
from osv_verify.seats.apportion import Allocation, allocate
from osv_verify.seats.rules import rules_for


def read_lots_file(path: Path) -> tuple[int | str, ...]:
    """The drawn lots in ``path``, in order (list numbers or candidate ids)."""
    check_option_file(path)
    try:
        return read_lots(path.read_bytes(), str(path))
    except OSError as err:
        raise unreadable(str(path), err) from None


def what_if(votes: Path, seats: int, category: str, date: dt.date | None,
            lots: tuple[int | str, ...] = ()) -> Allocation:
    """The seat allocation (Kieswet P 5 - P 10) of the lists and votes in the CSV ``votes``, for
    ``seats`` seats of an election of ``category`` on ``date`` (the law then in force)."""
    check_option_file(votes)
    try:
        lists = read_votes(votes.read_bytes(), str(votes))
    except OSError as err:
        raise unreadable(str(votes), err) from None
    try:
        rules = rules_for(category.upper(), seats, election_date=date)
    except ValueError:
        raise UsageError(Text(f"--category {category!r} is niet een van GR, PS, AB, TK, EP, EK, ER",
                              f"--category {category!r} is not one of GR, PS, AB, TK, EP, EK, ER")) from None
    return allocate(lists, rules, lots)
