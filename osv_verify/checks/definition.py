"""Election definitions (110a) and candidate lists (230b) checked against the law and each other.

A definition that contradicts the law is reported, and the seat allocation follows the law
(``osv_verify.seats.rules``), never the file. Several definitions of one election must agree:
identical copies are harmless, different ones are an error and none of them is used ("the last
one read wins" is never a rule). The rules, with their articles, are in each function's
docstring and in the catalogue (``osv_verify.checks.registry``, codes ``DEF.*``).

Sources: Kieswet P 15 (preference threshold), Gemeentewet art. 8 and Provinciewet art. 8
(council sizes; their tables by population, of which the 110a carries nothing), Grondwet art. 51
(Tweede Kamer 150, Eerste Kamer 75), the EML_NL schema for the subcategories
(``kiesraad-eml-extensions.xsd``: GR1/AB1 fewer than 19 seats, GR2/AB2 19 or more, PS1 one
kieskring, PS2 more than one). GR council sizes measured on the official GR2022 outcome of all
municipalities (``../shared/data/outcomes``): 9 to 39 odd, and 45; nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction

from osv_verify.checks.registry import rule
from osv_verify.core.findings import Finding, Location
from osv_verify.core.model import CandidateLists, Definition
from osv_verify.core.text import Text
from osv_verify.seats.rules import ALIASES, LARGE_COUNCIL, percent, statutory_preference

#: Gemeentewet art. 8: 9, 11, ..., 39 members by population class, 45 above 200 000 inhabitants.
COUNCIL_SIZES = frozenset(range(9, 40, 2)) | {45}
#: Legal numbers of seats per category, with the article; a category not here is not checked.
LEGAL_SEATS: dict[str, tuple[frozenset[int], Text]] = {
    "GR": (COUNCIL_SIZES, Text("Gemeentewet art. 8: 9 tot en met 39 (oneven) of 45", "Gemeentewet art. 8: 9 to 39 (odd) or 45")),
    "PS": (frozenset(range(39, 56, 2)), Text("Provinciewet art. 8: 39 tot en met 55 (oneven)", "Provinciewet art. 8: 39 to 55 (odd)")),
    "TK": (frozenset({150}), Text("Grondwet art. 51: 150", "Grondwet art. 51: 150")),
    "EK": (frozenset({75}), Text("Grondwet art. 51: 75", "Grondwet art. 51: 75")),
}
#: Subcategories per category (EML_NL ``ElectionSubcategoryType``).
SUBCATEGORIES: dict[str, frozenset[str]] = {
    "GR": frozenset({"GR1", "GR2"}), "AB": frozenset({"AB1", "AB2"}), "PS": frozenset({"PS1", "PS2"}),
    "TK": frozenset({"TK"}), "EK": frozenset({"EK"}), "EP": frozenset({"EP"}),
}


def _where(election: str, d: Definition) -> Location:
    return Location(election=election, contest=d.contest_id)


def _category(d: Definition) -> str:
    cat = (d.election.category or "").upper()
    return ALIASES.get(cat, cat)


def agreed_definition(definitions: Sequence[Definition]) -> Definition | None:
    """The election's definition: the one 110a, or identical copies of it; None when they differ."""
    if not definitions:
        return None
    first = definitions[0]
    return first if all(_content(d) == _content(first) for d in definitions[1:]) else None


def _content(d: Definition) -> dict:
    return d.model_dump(exclude={"source"})


def check_definitions(election: str, definitions: Iterable[Definition],
                      lists: Iterable[CandidateLists]) -> Iterator[Finding]:
    """Every DEF check for one election (its id): its 110a files and its 230b files."""
    distinct: dict[str, Definition] = {}
    for d in definitions:
        distinct.setdefault(repr(_content(d)), d)
    different = list(distinct.values())
    yield from check_conflict(election, different)
    for d in different:
        yield from check_threshold(election, d)
        yield from check_seats(election, d)
        yield from check_subcategory(election, d)
    yield from check_lists(election, lists)


def check_conflict(election: str, definitions: Sequence[Definition]) -> Iterator[Finding]:
    """DEF.CONFLICT: two 110a of one election that differ (identical copies are harmless).

    Neither is used: the seats are then computed without a definition, as if none was given.
    """
    first = definitions[0] if definitions else None
    for other in definitions[1:]:
        a, b = _content(first), _content(other)
        fields = [k for k in a if a[k] != b[k]]
        yield rule("DEF.CONFLICT").finding(
            _where(election, first), field=", ".join(fields), source=other.source, first=first.source, second=other.source)


def check_threshold(election: str, d: Definition) -> Iterator[Finding]:
    """DEF.PREFERENCE_THRESHOLD: the 110a's PreferenceThreshold is the one of Kieswet P 15.

    25 % of the quota; 50 % with fewer than 19 seats (P 15(2)); 10 % for the European
    Parliament (Y 23a); the whole quota for the Eerste Kamer (U 15(3)). The seat allocation
    always uses the law's value and says so.
    """
    if d.preference_threshold is None or not d.seats or not _category(d):
        return
    try:
        legal = statutory_preference(_category(d), d.seats)
    except ValueError:
        return
    if Fraction(d.preference_threshold, 100) != legal:
        yield rule("DEF.PREFERENCE_THRESHOLD").finding(
            _where(election, d), field="kr:PreferenceThreshold", expected=int(legal * 100) if (legal * 100).denominator == 1 else percent(legal), actual=d.preference_threshold,
            source=d.source, element="kr:PreferenceThreshold", seats=d.seats, category=_category(d))


def check_seats(election: str, d: Definition) -> Iterator[Finding]:
    """DEF.SEATS: the number of seats is one the law allows for the category.

    GR: Gemeentewet art. 8 (9 to 39 odd, or 45); PS: Provinciewet art. 8 (39 to 55 odd);
    TK 150 and EK 75 (Grondwet art. 51). Other categories are not checked. The population
    class is not in a 110a, so the size is checked against all classes together.
    """
    legal = LEGAL_SEATS.get(_category(d))
    if legal is None or d.seats is None or d.seats in legal[0]:
        return
    yield rule("DEF.SEATS").finding(_where(election, d), field="kr:NumberOfSeats", actual=d.seats, source=d.source,
                                    element="kr:NumberOfSeats", category=_category(d), legal=legal[1])


def check_subcategory(election: str, d: Definition) -> Iterator[Finding]:
    """DEF.SUBCATEGORY: the subcategory fits the category and the definition.

    GR1/AB1: fewer than 19 seats, GR2/AB2: 19 or more; PS1: one kieskring in the election
    tree, PS2: more than one; TK, EK, EP: the category itself. The seat allocation follows the
    number of seats, not the subcategory.
    """
    cat, sub = _category(d), (d.election.subcategory or "").upper()
    if not sub or cat not in SUBCATEGORIES:
        return
    expected: str | None = None
    if sub not in SUBCATEGORIES[cat]:
        expected = " / ".join(sorted(SUBCATEGORIES[cat]))
        why = Text(f"geen subcategorie van {cat}", f"not a subcategory of {cat}")
    elif cat in ("GR", "AB") and d.seats:
        expected = f"{cat}1" if d.seats < LARGE_COUNCIL else f"{cat}2"
        why = Text(f"{d.seats} zetels", f"{d.seats} seats")
    elif cat == "PS":
        kieskringen = sum(r.category == "KIESKRING" for r in d.regions)
        if kieskringen:
            expected = "PS1" if kieskringen == 1 else "PS2"
            why = Text(f"{kieskringen} kieskring(en) in de verkiezingsboom", f"{kieskringen} kieskring(en) in the election tree")
    if expected is not None and sub != expected:
        yield rule("DEF.SUBCATEGORY").finding(_where(election, d), field="kr:ElectionSubcategory", expected=expected,
                                              actual=sub, source=d.source, element="kr:ElectionSubcategory",
                                              why=why)


def check_lists(election: str, lists: Iterable[CandidateLists]) -> Iterator[Finding]:
    """DEF.LISTS_CONFLICT: two 230b of one contest that give one list number different content.

    Identical copies are harmless. Which one is right cannot be told from the files: the names
    are taken from the first one read, and this finding names both files.
    """
    seen: dict[tuple[str | None, int], tuple[str, object]] = {}
    reported: set[tuple[str | None, int]] = set()
    for doc in lists:
        for pl in doc.lists:
            key = (doc.contest_id, pl.number)
            content = pl.model_dump()
            if key not in seen:
                seen[key] = (doc.source, content)
            elif seen[key][1] != content and key not in reported:
                reported.add(key)
                yield rule("DEF.LISTS_CONFLICT").finding(
                    Location(election=election, contest=doc.contest_id, list=pl.number), field=f"list {pl.number}",
                    source=doc.source, first=seen[key][0], second=doc.source)
