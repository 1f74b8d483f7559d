"""Safe XML parsing: no DTDs, no entities, no network, no external files, bounded depth.

Every EML file goes through here. A file with a DOCTYPE is refused outright: EML_NL never has
one, and a DTD is how entity expansion ("billion laughs") and external entities (XXE) get in.
The refusal is decided by reading the document's prolog (everything before the first element)
here, before libxml2 parses a byte, so that it never depends on how a library version words
or orders its own errors. lxml is additionally told not to resolve entities, load DTDs, touch the network or accept
huge text nodes; XInclude is never processed. Without ``huge_tree`` libxml2 itself refuses
nesting deeper than 256 levels and text nodes over 10 MB, which bounds memory per element.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from lxml import etree

from osv_verify.core.errors import InputError
from osv_verify.core.text import Text


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


#: How much of a prolog (declaration, comments, processing instructions) is read at the most
#: before the first element; a longer one is refused.
PROLOG_LIMIT = 1 << 20
_CHUNK = 64 * 1024
_BOMS = (  # (leading bytes, codec): the longest first (UTF-32 LE starts with UTF-16 LE's BOM)
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
)


def _prolog_codec(head: bytes) -> str:
    """The codec to read the prolog's markup with: by byte-order mark or the first '<' (XML 1.0 F.1);
    ASCII-compatible otherwise (every other encoding an EML file may declare spells '<!' alike)."""
    return next((codec for mark, codec in _BOMS if head.startswith(mark)), "latin-1")


def _prolog_has_doctype(text: str, complete: bool) -> bool | None:
    """True: a DOCTYPE stands before the first element; False: the first element (or anything
    that is not prolog, left to the parser) comes first; None: ``text`` ends inside the prolog
    and more of the document is needed (``complete``: there is no more)."""
    pos = 1 if text.startswith("\ufeff") else 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if not complete and len(text) - pos < len("<!DOCTYPE"):
            return None
        if text.startswith("<!DOCTYPE", pos):  # XML is case-sensitive: "<!doctype" is a syntax error
            return True
        for opener, closer in (("<?", "?>"), ("<!--", "-->")):
            if text.startswith(opener, pos):
                end = text.find(closer, pos + len(opener))
                if end < 0:
                    return False if complete else None
                pos = end + len(closer)
                break
        else:
            return False


class _Replayed:
    """A stream that gives the bytes already read for the prolog check, then the rest."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head, self._rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if not self._head:
            return self._rest.read(size)
        if size is None or size < 0:
            data, self._head = self._head + self._rest.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        return data


def refuse_doctype(stream: IO[bytes], source: str) -> IO[bytes]:
    """Read the prolog of ``stream`` and refuse a DOCTYPE in it; return a stream that reads the
    whole document again from its first byte."""
    head = b""
    while True:
        chunk = stream.read(_CHUNK)
        head += chunk
        found = _prolog_has_doctype(head.decode(_prolog_codec(head), errors="replace"), complete=not chunk)
        if found:
            _refuse(source)
        if found is False or not chunk:
            return _Replayed(head, stream)
        if len(head) > PROLOG_LIMIT:
            raise InputError(source, Text(f"de XML-proloog (voor het eerste element) is langer dan {PROLOG_LIMIT} bytes",
                                          f"the XML prolog (before the first element) is longer than {PROLOG_LIMIT} bytes"))


def _refuse(source: str) -> None:
    raise InputError(source, Text("heeft een DOCTYPE/DTD; EML-bestanden nooit, dus het wordt geweigerd (entity- of extern-bestandsaanval?)",
                                  "has a DOCTYPE/DTD; EML files never do, so it is refused (entity or external-file attack?)"))


def parser() -> etree.XMLParser:
    return etree.XMLParser(**SAFE)


def _syntax_error(source: str, err: etree.XMLSyntaxError) -> InputError:
    """One clean line: lxml repeats the position inside its message; keep it once."""
    first = (err.msg or str(err)).strip().splitlines()[0]  # libxml2 may quote file content after a newline
    msg = re.sub(r",? line \d+, column \d+$", "", first).strip()
    line, column = getattr(err, "position", (0, 0)) or (0, 0)
    where = f"line {line}, column {column}" if line else None
    depth = re.match(r"Excessive depth in document: (\d+)", msg)
    if depth:  # libxml2's advice (XML_PARSE_HUGE) is for programmers, and would lift a safety limit
        limit = depth.group(1)
        return InputError(source, Text(f"de elementen zijn dieper genest dan {limit} niveaus; geen EML-bestand is zo diep, dus het wordt niet gelezen",
                                       f"the elements are nested deeper than {limit} levels; no EML file is that deep, so it is not read"), where)
    return InputError(source, Text(f"geen geldige XML (melding van de XML-lezer: \"{msg}\")",
                                   f"not well-formed XML: {msg}"), where)


def _refuse_doctype(source: str, docinfo: etree.DocInfo) -> None:
    """The second line of defence, after the prolog check: what libxml2 itself saw."""
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        _refuse(source)


def parse(stream: IO[bytes], source: str) -> etree._ElementTree:
    """Parse a whole (small) XML document safely."""
    stream = refuse_doctype(stream, source)
    try:
        tree = etree.parse(stream, parser())
    except etree.XMLSyntaxError as err:
        raise _syntax_error(source, err) from None
    _refuse_doctype(source, tree.docinfo)
    root = tree.getroot()
    if root is None:
        raise InputError(source, Text("leeg XML-document", "empty XML document"))
    return tree


def iterparse(stream: IO[bytes], source: str, tags: tuple[str, ...]) -> Iterator[tuple[str, etree._Element]]:
    """Stream ``(event, element)`` for ``start`` and ``end`` of the given tags, safely.

    The caller clears elements it has finished with, so memory stays bounded by one
    reporting unit however large the file is.
    """
    stream = refuse_doctype(stream, source)
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
