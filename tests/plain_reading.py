"""A second, plain reading of the published count files, for the differential test: lxml and
csv only, none of the project's readers. Small on purpose, so that it is obviously right.

A file becomes ``{(contest, unit): {field: number}}``: ``unit`` is the last part of the
reporting unit's id (``SB3``, ``0106``, ``HSB10``), None for the file's own total; a field is a
count key of the paper form (``admitted``, ``blank``, ...), ``list 3`` or ``candidate 3.7``.
The CSV names its rows in words; each known label maps to its key, an unknown one is kept as
``?label`` so that a test sees it.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from lxml import etree

Numbers = dict[str, int]
Plain = dict[tuple[str | None, str | None], Numbers]

#: EML: ``UncountedVotes``/``RejectedVotes`` ReasonCode -> key (the EML_NL 510 reason codes).
EML_REASONS = {
    "geldige stempassen": "poll_cards", "geldige volmachtbewijzen": "proxy_certificates",
    "geldige kiezerspassen": "voter_cards", "toegelaten kiezers": "admitted",
    "meer getelde stembiljetten": "more_ballots", "minder getelde stembiljetten": "fewer_ballots",
    "meegenomen stembiljetten": "taken_home", "te weinig uitgereikte stembiljetten": "too_few_issued",
    "te veel uitgereikte stembiljetten": "too_many_issued", "geen briefstembiljetten": "no_postal_ballot",
    "te veel briefstembiljetten": "too_many_postal_ballots", "kwijtgeraakte stembiljetten": "lost_ballots",
    "geen verklaring": "no_explanation", "andere verklaring": "other_explanation",
    "blanco": "blank", "ongeldig": "invalid",
}
#: OSV4-3 CSV: the row's label -> key.
CSV_LABELS = {
    "opgeroepenen": "eligible", "geldige stempas": "poll_cards", "geldig volmachtbewijs": "proxy_certificates",
    "geldige kiezerspas": "voter_cards", "toegelaten kiezers": "admitted", "geldige stembiljetten": "valid",
    "blanco stembiljetten": "blank", "ongeldige stembiljetten": "invalid", "aangetroffen stembiljetten": "ballots_found",
    "meer stembiljetten dan toegelaten kiezers": "more_ballots", "minder stembiljetten dan toegelaten kiezers": "fewer_ballots",
    "kiezers met stembiljet hebben niet gestemd": "taken_home", "er zijn te weinig stembiljetten uitgereikt": "too_few_issued",
    "er zijn te veel stembiljetten uitgereikt": "too_many_issued", "geen verklaring": "no_explanation",
    "andere verklaring": "other_explanation",
}
EXPLANATIONS = ("taken_home", "too_few_issued", "too_many_issued", "no_postal_ballot", "too_many_postal_ballots",
                "lost_ballots", "no_explanation", "other_explanation")
MORE = ("too_many_issued", "too_many_postal_ballots", "no_explanation", "other_explanation")
FEWER = ("taken_home", "too_few_issued", "no_postal_ballot", "lost_ballots", "no_explanation", "other_explanation")


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _block(el: etree._Element) -> Numbers:
    """One TotalVotes or ReportingUnitVotes: its counts, list totals and candidate votes."""
    out: Numbers = {}
    lst = None
    for child in el:
        name = local(child)
        if name == "Cast":
            out["eligible"] = int(child.text)
        elif name == "TotalCounted":
            out["valid"] = int(child.text)
        elif name in ("RejectedVotes", "UncountedVotes"):
            out[EML_REASONS.get(child.get("ReasonCode", "").strip().lower(), "?" + child.get("ReasonCode", ""))] = int(child.text)
        elif name == "Selection":
            votes = int(child.find("{*}ValidVotes").text)
            party = child.find("{*}AffiliationIdentifier")
            if party is not None:
                lst = int(party.get("Id"))
                out[f"list {lst}"] = votes
            else:
                ident = child.find("{*}Candidate/{*}CandidateIdentifier")  # national totals: ShortCode only
                out[f"candidate {lst}.{ident.get('Id') or ident.get('ShortCode')}"] = votes
    return out


def read_eml(path: Path) -> Plain:
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)).getroot()
    out: Plain = {}
    for contest in root.iter("{*}Contest"):
        ident = contest.find("{*}ContestIdentifier")
        cid = ident.get("Id") if ident is not None else None
        for el in contest:
            if local(el) == "TotalVotes":
                out[(cid, None)] = _block(el)
            elif local(el) == "ReportingUnitVotes":
                out[(cid, el.find("{*}ReportingUnitIdentifier").get("Id").rsplit("::", 1)[-1])] = _block(el)
    return out


def eml_authority(path: Path) -> str | None:
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)).getroot()
    found = next(root.iter("{*}AuthorityIdentifier"), None)
    return found.get("Id") if found is not None else None


def _number(cell: str) -> int | None:
    cell = cell.strip()
    return int(cell) if cell else None


def read_csv(path: Path) -> tuple[str, Plain]:
    """(the authority's number, the plain reading) of an OSV4-3 CSV: one column per unit."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    authority = next(r[2].strip() for r in rows if r and r[0].strip() == "Nummer")
    codes = next(r for r in rows if r and r[0].strip() == "Gebiednummer")
    # a gemeente (0363) counts stations (SB1, ...); a kieskring (HSB1) gemeenten (0106: CBS codes have 4 digits)
    units: list[str | None] = [None] + [("SB" + c.strip()) if authority.isdigit() else c.strip().zfill(4) for c in codes[5:]]
    out: Plain = {(None, u): {} for u in units}
    lst = None
    for r in rows:
        r = r + [""] * (5 + len(units) - len(r))
        head = r[0].strip()
        if head.isdigit():
            lst = int(head)
            key = f"list {lst}"
        elif not head and r[2].strip() and lst is not None:
            key = f"candidate {lst}.{r[2].strip()}"
        elif not head and r[1].strip():
            label = r[1].strip().lower()
            key = CSV_LABELS.get(label, "?" + label)
        else:
            continue
        for unit, cell in zip(units, r[4:4 + len(units)]):
            value = _number(cell)
            if value is not None:
                out[(None, unit)][key] = value
    return authority, out


def is_count(path: Path) -> bool:
    """An OSV4-3 CSV (by its first line) or an EML 510 (by the Id of its root element)."""
    if not path.is_file():
        return False
    head = path.read_bytes()[:4096]
    if path.suffix.lower() == ".csv":
        return head.lstrip(b"\xef\xbb\xbf\"").startswith(b"Verkiezing")
    return re.search(rb"<(?:\w+:)?EML\b[^>]*\bId=\"510[a-d]\"", head) is not None


def read(path: Path) -> Plain:
    return read_csv(path)[1] if path.suffix.lower() == ".csv" else read_eml(path)


def ballots(n: Numbers) -> int | None:
    """H: valid + blank + invalid, when all three are given."""
    return n["valid"] + n["blank"] + n["invalid"] if all(k in n for k in ("valid", "blank", "invalid")) else None
