"""Safe XML parsing: no DTDs, no entities, no network, no external files, bounded depth.

Every EML file goes through here. A file with a DOCTYPE is refused outright: EML_NL never has
one, and a DTD is how entity expansion ("billion laughs") and external entities (XXE) get in.
lxml is additionally told not to resolve entities, load DTDs, touch the network or accept
huge text nodes; XInclude is never processed. Without ``huge_tree`` libxml2 itself refuses
nesting deeper than 256 levels and text nodes over 10 MB, which bounds memory per element.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from lxml import etree

from osv_verify.errors import InputError


#: The one set of parser options for every EML file, whole or streamed.
SAFE = dict(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


def parser() -> etree.XMLParser:
    return etree.XMLParser(**SAFE)


def _syntax_error(source: str, err: etree.XMLSyntaxError) -> InputError:
    """One clean line: lxml repeats the position inside its message; keep it once."""
    first = (err.msg or str(err)).strip().splitlines()[0]  # libxml2 may quote file content after a newline
    msg = re.sub(r",? line \d+, column \d+$", "", first).strip()
    line, column = getattr(err, "position", (0, 0)) or (0, 0)
    where = f"line {line}, column {column}" if line else None
    return InputError(source, f"not well-formed XML: {msg}", where, nl=f"geen geldige XML (melding van de XML-lezer: \"{msg}\")")


def _refuse_doctype(source: str, docinfo: etree.DocInfo) -> None:
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise InputError(source, "has a DOCTYPE/DTD; EML files never do, so it is refused (entity or external-file attack?)",
                         nl="heeft een DOCTYPE/DTD; EML-bestanden nooit, dus het wordt geweigerd (entity- of extern-bestandsaanval?)")


def parse(stream: IO[bytes], source: str) -> etree._ElementTree:
    """Parse a whole (small) XML document safely."""
    try:
        tree = etree.parse(stream, parser())
    except etree.XMLSyntaxError as err:
        raise _syntax_error(source, err) from None
    _refuse_doctype(source, tree.docinfo)
    root = tree.getroot()
    if root is None:
        raise InputError(source, "empty XML document", nl="leeg XML-document")
    return tree


def iterparse(stream: IO[bytes], source: str, tags: tuple[str, ...]) -> Iterator[tuple[str, etree._Element]]:
    """Stream ``(event, element)`` for ``start`` and ``end`` of the given tags, safely.

    The caller clears elements it has finished with, so memory stays bounded by one
    reporting unit however large the file is.
    """
    context = etree.iterparse(stream, events=("start", "end"), tag=tags, **SAFE)
    checked = False
    try:
        for event, el in context:
            if not checked:
                _refuse_doctype(source, el.getroottree().docinfo)
                checked = True
            yield event, el
    except etree.XMLSyntaxError as err:
        raise _syntax_error(source, err) from None
