"""Who is who across sources: a candidate named by one file found on the list of another.

The 520 names its elected candidates; the recomputation knows them by list and position, with
the name the 230b or the OSV CSV gives that position. Sources spell the same person
differently: ``van Koehorst - van Dijk, C.J.`` (OSV CSV) against ``Koehorst - van Dijk, C.J.``
(520), ``Pas, M.A. Pas`` against ``Pas, M.A.``, ``S. E. M`` against ``S.E.M.``, accents or not.

Identification goes from strict to loose, and a loose rule is used only where it cannot mix up
two people: the loose form of the name must belong to exactly one candidate on the list.

1. ``exact_key``: the name without spaces and dots, case-folded (sources differ in
   ``S. E. M``, ``S.E.M.`` and ``SEM``). Identifies when exactly one candidate on the list has it.
2. ``loose_key``: surname words without prefixes (``van``, ``de``, ``'t``, ... before or after
   the surname), without accents, hyphen spacing ignored, plus the initials with a repeated
   surname removed.
3. ``surname_key``: the surname words alone, only when one of the two names has no initials.

Anything identified by rule 2 or 3 is the same person spelled differently: at most a note.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

K = TypeVar("K")

PREFIXES = frozenset({
    "van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "in", "op", "aan", "bij", "onder",
    "uit", "voor", "over", "la", "le", "les", "l'", "d'", "du", "des", "di", "da", "dos",
    "das", "del", "della", "dello", "von", "vom", "zu", "zum", "zur", "el", "al", "e/v",
})
"""Dutch tussenvoegsels and their foreign siblings, and ``e/v`` (echtgenote van) joining two
surnames. No single letters: after the initials they would be taken for an initial."""


def exact_key(name: str) -> str:
    """The name without spaces and dots, case-folded."""
    return re.sub(r"[\s.]", "", name).casefold()


def _fold(text: str) -> str:
    """Case-folded, accents removed, typographic apostrophes made plain."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("`", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _parts(name: str) -> tuple[tuple[str, ...], str]:
    """(surname words without prefixes, initials letters) of ``surname, initials``."""
    surname, _, given = _fold(re.sub(r"\([^)]*\)", " ", name)).partition(",")
    words = [w for w in re.split(r"[\s\-]+", surname) if w]
    core = tuple(w for w in words if w not in PREFIXES) or tuple(words)
    # the first word holds the initials ("C.J.", "CJ", "S."); a prefix or the surname again after
    # it ("Dijk, C.J. van", "Pas, M.A. Pas") is not an initial
    first, *rest = given.split() or [""]
    later = [w for w in rest if w.strip(".") not in core and w.strip(".") not in PREFIXES]
    initials = re.sub(r"[^\w]", "", first + "".join(later))
    return core, initials


def loose_key(name: str) -> tuple[tuple[str, ...], str]:
    """Surname words without prefixes and accents, and the initials (repeated surname removed)."""
    return _parts(name)


def surname_key(name: str) -> tuple[str, ...]:
    """The surname words alone (prefixes and accents removed)."""
    return _parts(name)[0]


def has_initials(name: str) -> bool:
    return bool(_parts(name)[1])


class How(StrEnum):
    """How a name was identified with a candidate on the list."""

    EXACT = "exact"
    SPELLING = "spelling"  # loose_key: the same person written differently
    SURNAME = "surname"  # surname_key: one of the two names has no initials


@dataclass(frozen=True)
class Identified(Generic[K]):
    """The candidate(s) a name is: one key, or several when the list has that name more than once."""

    keys: tuple[K, ...]
    how: How


def identify(name: str, roster: Mapping[K, str], position: K | None = None) -> Identified[K] | None:
    """The candidate in ``roster`` (key -> name, one list) that ``name`` is, or None.

    A loose rule identifies only when it fits one candidate: two people on one list are never
    told apart, or mixed up, by a loose rule. When the list has the same name more than once,
    the result holds all of them, unless ``position`` (the candidate's place on the list, where
    the source is known to give it) picks one.
    """
    for how, key_of in ((How.EXACT, exact_key), (How.SPELLING, loose_key)):
        wanted = key_of(name)
        fits = tuple(k for k, n in roster.items() if key_of(n) == wanted)
        if position is not None and position in fits:
            return Identified((position,), how)
        if len(fits) == 1 or (fits and how is How.EXACT):
            return Identified(fits, how)
        if fits:
            return None  # a loose rule that fits several people identifies nobody
    surname = surname_key(name)
    fits = tuple(k for k, n in roster.items() if surname_key(n) == surname)
    if len(fits) != 1 or (has_initials(name) and has_initials(roster[fits[0]])):
        return None  # several people, or both give initials and they differ
    return Identified(fits, How.SURNAME)
