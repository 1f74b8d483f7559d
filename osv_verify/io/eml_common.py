"""What every EML_NL reader shares: namespaces, reason codes, message ids, and the small
element helpers (text, dates, counts, the place of an element for an error message).

The readers themselves: ``eml_documents`` (110a, 110b, 230b, 520), ``eml_counts`` (510 with
lxml, the reference), ``bytelane`` (510 straight from the bytes); ``eml`` is where a caller
starts (``peek``, ``read_document``, ``read_count``).
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from osv_verify.core.errors import InputError
from osv_verify.core.text import Text
from osv_verify.core.model import ElectionRef, Level
from osv_verify.io.numbers import parse_count

NS = {
    "eml": "urn:oasis:names:tc:evs:schema:eml",
    "kr": "http://www.kiesraad.nl/extensions",
    "xnl": "urn:oasis:names:tc:ciq:xsdschema:xNL:2.0",
    "xal": "urn:oasis:names:tc:ciq:xsdschema:xAL:2.0",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
}
E = "{%s}" % NS["eml"]
KR = "{%s}" % NS["kr"]

#: UncountedVotes ReasonCode -> model count key (EML_NL 1.2/1.3, OSV and Abacus).
UNCOUNTED_REASONS: dict[str, str] = {
    "geldige stempassen": "poll_cards",
    "geldige volmachtbewijzen": "proxy_certificates",
    "geldige kiezerspassen": "voter_cards",
    "toegelaten kiezers": "admitted",
    "meer getelde stembiljetten": "more_ballots",
    "minder getelde stembiljetten": "fewer_ballots",
    "meegenomen stembiljetten": "taken_home",
    "te weinig uitgereikte stembiljetten": "too_few_issued",
    "te veel uitgereikte stembiljetten": "too_many_issued",
    "geen briefstembiljetten": "no_postal_ballot",
    "te veel briefstembiljetten": "too_many_postal_ballots",
    "kwijtgeraakte stembiljetten": "lost_ballots",
    "geen verklaring": "no_explanation",
    "andere verklaring": "other_explanation",
}
REJECTED_REASONS: dict[str, str] = {"blanco": "blank", "ongeldig": "invalid"}

#: EML message id -> level of the file's own authority.
COUNT_LEVELS: dict[str, Level] = {
    "510a": Level.STATION,
    "510b": Level.MUNICIPALITY,
    "510c": Level.DISTRICT,
    "510d": Level.CENTRAL,
}
KNOWN_IDS = ("110a", "110b", "230b", "510a", "510b", "510c", "510d", "520")

# ---------------------------------------------------------------- small helpers


def count_in(el: etree._Element, source: str, what: str | None = None) -> int:
    """The count in an element; the place for an error message is only built when needed."""
    text = el.text
    if text and len(text) <= 9 and text.isascii() and text.isdigit():
        return int(text)
    return parse_count(text, source, place_of(el, what))


def text_of(el: etree._Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    t = el.text.strip()
    return t or None


def find_text(el: etree._Element, path: str) -> str | None:
    return text_of(el.find(path, NS))


def parse_date(text: str | None, source: str, where: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InputError(source, Text(f"datum {text!r} is niet JJJJ-MM-DD", f"date {text!r} is not YYYY-MM-DD"), where) from None


def parse_datetime(text: str | None, source: str, where: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(source, Text(f"datum-tijd {text!r} is geen ISO 8601",
                                      f"date-time {text!r} is not ISO 8601"), where) from None


def place_of(el: etree._Element, what: str | None = None) -> str:
    name = what or etree.QName(el).localname
    return f"line {el.sourceline}: {name}" if el.sourceline else name


def election_ref(el: etree._Element, source: str) -> ElectionRef:
    """Read an ``ElectionIdentifier`` element (children in any order)."""
    eid = el.get("Id")
    if not eid:
        raise InputError(source, Text("ElectionIdentifier heeft geen Id", "ElectionIdentifier has no Id"), place_of(el))
    domain = el.find("kr:ElectionDomain", NS)
    return ElectionRef(
        id=eid,
        name=find_text(el, "eml:ElectionName"),
        category=find_text(el, "eml:ElectionCategory"),
        subcategory=find_text(el, "kr:ElectionSubcategory"),
        domain_id=domain.get("Id") if domain is not None else None,
        domain_name=text_of(domain),
        date=parse_date(find_text(el, "kr:ElectionDate"), source, place_of(el, "kr:ElectionDate")),
    )
