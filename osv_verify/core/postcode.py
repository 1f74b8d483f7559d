"""Dutch postcodes (``1234 AB``): recognised and normalised, and found in a station's name.

OSV2020 writes a station's postcode into its 510b name: ``Stembureau X (postcode: 1234 AB)``.
Every reader and writer that needs the postcode or the bare name asks here. The three readings
of such a name differ on purpose, and the difference is a parameter or a name of its own:

* ``split_station_name(name)``: the first ``(postcode: ...)`` anywhere in the name, as the
  neighbourhood lookup and the PV matching read it;
* ``split_station_name(name, at_end=True)``: only a ``(postcode: ...)`` that ends the name, as
  OSV's own CSV export cuts it (the OSV CSV writer and ``osv-verify export``);
* ``without_postcodes(name)``: the Kiesraad helper HCP's rule for the station name in its
  spreadsheets (every well-formed ``( postcode: 1234AB )``, spaces allowed), kept as HCP has it
  so both tools print the same names.
"""

from __future__ import annotations

import re

#: A postcode as ``normalise`` writes it (``1234AB``): a table in that form needs no normalising.
CANONICAL = re.compile(r"\d{4}[A-Z]{2}")
_POSTCODE = re.compile(r"^(\d{4})\s?([A-Za-z]{2})$")
_IN_NAME = re.compile(r"\s*\(postcode:\s*([^)]*)\)")
_AT_END = re.compile(_IN_NAME.pattern + r"\s*$")
_HCP_IN_NAME = re.compile(r"\(\s*postcode:\s*\d{4}\s*[A-Z]{2}\s*\)")


def normalise(text: str | None, spaced: bool = False) -> str | None:
    """``1234 ab`` / ``1234AB`` -> ``1234AB`` (or ``1234 AB`` with ``spaced``); None when it is
    not a Dutch postcode (four digits, two letters)."""
    m = _POSTCODE.match((text or "").strip())
    if not m:
        return None
    return f"{m.group(1)}{' ' if spaced else ''}{m.group(2).upper()}"


def split_station_name(name: str, *, at_end: bool = False) -> tuple[str, str | None]:
    """``Stembureau X (postcode: 1234 AB)`` -> (``Stembureau X``, ``1234 AB``): the name without
    its ``(postcode: ...)`` (and the spaces before it; nothing else is stripped), and the
    postcode as written (stripped; None when absent or empty, never checked: see ``normalise``).
    ``at_end``: only a ``(postcode: ...)`` that ends the name counts."""
    m = (_AT_END if at_end else _IN_NAME).search(name)
    if not m:
        return name, None
    return name[: m.start()] + name[m.end():], m.group(1).strip() or None


def without_postcodes(name: str) -> str:
    """The name without any ``(postcode: 1234AB)`` holding a well-formed postcode (HCP's rule)."""
    return _HCP_IN_NAME.sub("", name)
