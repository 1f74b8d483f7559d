"""Where a caller reads an EML_NL file: ``peek`` (classify by the header), ``read_document``
(any supported message) and ``read_count`` (510a-d).

The readers: ``eml_documents`` (110a, 110b, 230b, 520, read whole), and for a 510 the byte lane
(``bytelane``) first, the lxml reader (``eml_counts``) for any file the lane does not take. 510
files are read one reporting unit at a time, so memory is bounded by the largest unit, not by
the file.
"""

from __future__ import annotations

import io
from typing import IO

from osv_verify.core.errors import InputError
from osv_verify.core.text import Text
from osv_verify.core.model import CountFile, ElectionRef
from osv_verify.io import xmlsafe
from osv_verify.io.bytelane import read_count_fast
from osv_verify.io.eml_common import COUNT_LEVELS, E, KNOWN_IDS, election_ref
from osv_verify.io.eml_counts import read_count_lxml
from osv_verify.io.eml_documents import WHOLE_READERS


def read_count(stream: IO[bytes], source: str, expect_kind: str | None = None) -> CountFile:
    """Read a 510a/b/c/d file into a ``CountFile``.

    The byte lane (``read_count_fast``) reads the files as OSV and Abacus write them; any file
    it does not take (another layout, or anything wrong) is read again from the start by the
    lxml reader, which also names the exact place of every problem.
    """
    try:
        start = stream.tell()
        stream.seek(start)
    except (OSError, AttributeError, ValueError):
        stream = io.BytesIO(stream.read())  # not seekable: the lane needs a second chance
        start = 0
    head = stream.read(_PRODUCER_HEAD_BYTES)
    stream.seek(start)
    count = read_count_fast(stream, source, expect_kind)
    if count is None:
        stream.seek(start)
        count = read_count_lxml(stream, source, expect_kind)
    count.producer = producer_of(head, count)
    return count


#: The part of a 510 that shows who wrote it: its declaration and header (about 1 kB).
_PRODUCER_HEAD_BYTES = 4096


def producer_of(head: bytes, count: CountFile) -> str | None:
    """Who wrote a 510, by the way it is written (``shared/reference/abacus-2027.md`` 2.3).

    OSV2020-U (and the OSV before it) writes ``ds:CanonicalizationMethod``, no XML declaration
    and a timestamp without UTC offset; Abacus (rust-eml-nl) an XML declaration, no
    ``ds:CanonicalizationMethod`` and a timestamp with offset. Anything else (a hand-made or
    converted file) is None: unknown, never guessed.
    """
    declared = head.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml")
    canonical = b"CanonicalizationMethod" in head
    offset = count.created is not None and count.created.tzinfo is not None
    if canonical and not declared and not offset:
        return "OSV2020-U"
    if declared and offset and not canonical:
        return "Abacus"
    return None


def read_document(stream: IO[bytes], source: str, kind: str) -> object:
    """Read an EML document of a known kind (from ``peek``)."""
    if kind in COUNT_LEVELS:
        return read_count(stream, source, kind)
    if kind not in WHOLE_READERS:
        known = ", ".join(KNOWN_IDS)
        raise InputError(source, Text(f"EML-bericht {kind!r} wordt niet ondersteund (wel: {known})",
                                      f"EML message {kind!r} is not supported (supported: {known})"))
    tree = xmlsafe.parse(stream, source)
    return WHOLE_READERS[kind](tree.getroot(), source)


def peek(stream: IO[bytes], source: str) -> tuple[str, ElectionRef | None, str | None]:
    """Classify an EML file by content, reading only its header.

    Returns the message Id (``510b`` ...), the election and the managing authority's Id.
    """
    kind: str | None = None
    authority: str | None = None
    tags = (E + "EML", E + "AuthorityIdentifier", E + "ElectionIdentifier")
    for event, el in xmlsafe.iterparse(stream, source, tags):
        if event == "start" and el.tag == E + "EML":
            kind = el.get("Id")
            if not kind:
                raise InputError(source, Text("EML-root zonder Id", "EML root without Id"))
        elif event == "end" and el.tag == E + "AuthorityIdentifier" and authority is None:
            authority = el.get("Id")
        elif event == "end" and el.tag == E + "ElectionIdentifier":
            return kind or "?", election_ref(el, source), authority
    if kind is None:
        raise InputError(source, Text("geen EML_NL-bestand (geen EML-root in namespace urn:oasis:names:tc:evs:schema:eml)",
                                      "not an EML_NL file (no EML root in namespace urn:oasis:names:tc:evs:schema:eml)"))
    return kind, None, authority
