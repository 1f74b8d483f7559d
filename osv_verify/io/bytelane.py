"""The byte lane: the vote units of a 510 file read straight from its bytes.

Nearly all of a 510 file is ``Selection`` elements in one fixed shape. Building an lxml tree
for them costs more than everything else osv-verify does, so the vote units of a file in the
shape OSV and Abacus write are read straight from the bytes by a strict grammar. Exactness
rests on four things:

1. Grammar: a unit is taken only if it matches the grammar completely and the units follow
   each other with nothing but whitespace between them. The grammar admits no comments,
   CDATA, character references, namespace declarations or unknown elements, so what it
   matches is well-formed XML whose meaning is exactly what the regular expressions capture.
   A unit's start and its counts are matched every time; its Selections (nearly all of it)
   when their layout key (2) is new, because the same key means the same bytes apart from
   the numbers.
2. Layout: the Selections of a unit with each vote number replaced by a NUL byte, with the
   count of numbers, are its layout key. The first unit of each key in a run is checked by the
   grammar, parsed by lxml and read by the reference reader ``eml_counts.read_unit``, which
   checks it and gives the key of every Selection. A later unit with the same key (as many numbers) is byte for byte that
   unit with other numbers in the same places (a checked key has no NUL of its own), so it
   matches the grammar and its numbers belong to the same lists and candidates.
3. Skeleton: the file with the units cut out (and a marker element, in a namespace new each
   time, in their place) is parsed by lxml with the safe parser; the marker must be a child of
   the Contest, straight after the ContestIdentifier, with the EML (and, if used, kr)
   namespace in scope, and no other vote element may be left. So the whole file is
   well-formed, safe, and the units stand where the lxml reader would read them.
4. Limits: values, gaps, depth and line numbers stay far inside what libxml2 accepts and
   records exactly (see the caps below), so its limits never decide a file the lane takes.

Anything else (and any error at all) sends the file to the lxml reader (``eml_counts``), which
stays the reference. Hand-written on purpose: it is measured to be needed (``docs/benchmarks.md``).
"""

from __future__ import annotations

import functools
import io
import re
import secrets
from operator import itemgetter
from typing import IO, NamedTuple

from osv_verify.core.errors import InputError
from osv_verify.core.model import CandidateKey, CountFile, Tally
from osv_verify.io import xmlsafe
from osv_verify.io.limits import check_name, check_units
from osv_verify.io.eml_common import E, NS
from osv_verify.io.eml_counts import COUNT_NAMES, VOTE_TAGS, CountBuilder, count_key, new_tally, read_unit, tree_events

#: Whitespace only between units: inside one, the grammar takes the files as OSV and Abacus
#: write them (pretty-printed files go the lxml way).
_W = rb"[ \t\r\n]*+"
#: Attribute values and texts are short in real files (names of some dozens of characters); the
#: caps keep the lane far from libxml2's own limits, which longer ones are left to.
_ATTR = rb'[^"<&\x00-\x1f]{0,4096}+'
_TEXT = rb"(?:[^<>&\x00-\x1f]|&(?:amp|lt|gt|quot|apos);){0,4096}+"
_NUM = rb"(?:0|[1-9][0-9]{0,8})"  # <= numbers.MAX_COUNT; leading zeros and the rest go the lxml way
_SELECTION = (
    rb"<Selection><(?:Candidate><CandidateIdentifier"
    + rb'(?: Id="' + _ATTR + rb'")?(?: ShortCode="' + _ATTR + rb'")?(?:/>|></CandidateIdentifier>)</Candidate>'
    + rb'|AffiliationIdentifier Id="' + _ATTR + rb'"><RegisteredName>' + _TEXT + rb"</RegisteredName></AffiliationIdentifier>)"
    + rb"<ValidVotes>" + _NUM + rb"</ValidVotes></Selection>"
)
_INVESTIGATIONS = (
    rb"<kr:ReportingUnitInvestigations>"
    + rb'(?:<kr:Investigation ReasonCode="' + _ATTR + rb'">(?:true|false)</kr:Investigation>)*+'
    + rb"</kr:ReportingUnitInvestigations>"
)
_OTHER = (
    rb"<Cast>" + _NUM + rb"</Cast>|<TotalCounted>" + _NUM + rb"</TotalCounted>"
    + rb'|<RejectedVotes ReasonCode="' + _ATTR + rb'">' + _NUM + rb"</RejectedVotes>"
    + rb'|<UncountedVotes ReasonCode="' + _ATTR + rb'">' + _NUM + rb"</UncountedVotes>|" + _INVESTIGATIONS
)
_UNIT_HEAD = re.compile(
    _W + rb"(?P<tag><)(?:TotalVotes>|ReportingUnitVotes>"
    + rb'<ReportingUnitIdentifier Id="(?P<id>' + _ATTR + rb')">(?P<name>' + _TEXT + rb")</ReportingUnitIdentifier>)"
)
_SELECTIONS = re.compile(rb"(?:" + _SELECTION + rb")*+")
_OTHERS = re.compile(rb"(?:" + _OTHER + rb")*+")
_SELECTION_END = b"</Selection>"
_VALUES = re.compile(rb"<ValidVotes>(" + _NUM + rb")</ValidVotes>")
_COUNT_VALUES = re.compile(
    rb"<(" + "|".join(COUNT_NAMES).encode() + rb')(?: ReasonCode="(' + _ATTR + rb')")?>(' + _NUM + rb")<"
)
_INVESTIGATION_VALUES = re.compile(rb'<kr:Investigation ReasonCode="(' + _ATTR + rb')">(true|false)<')
_BODY_START = re.compile(rb"<(?:TotalVotes|ReportingUnitVotes)>")
_UNIT_ENDS = (b"</TotalVotes>", b"</ReportingUnitVotes>")
_ENTITIES = {b"&amp;": b"&", b"&lt;": b"<", b"&gt;": b">", b"&quot;": b'"', b"&apos;": b"'"}
_ENTITY = re.compile(rb"&(?:amp|lt|gt|quot|apos);")
#: Whitespace between units longer than this, a unit deeper than this, or a line number past
#: what libxml2 records exactly (16 bits): left to the lxml reader, whose limits and line
#: numbers then decide. Real files are one line without whitespace at depth 6.
_MAX_GAP = 65_536
_MAX_DEPTH = 32
_MAX_LINE = 65_535
_WRAP = ('<ReportingUnitVotes xmlns="%s" xmlns:kr="%s">' % (NS["eml"], NS["kr"])).encode()
#: Bytes read at a time; memory is bounded by this plus the largest unit.
LANE_CHUNK_BYTES = 16 * 1024**2
_LANE_HEADER_MAX_BYTES = 1024**2  # the part before the first unit is about 1 kB in real files

class Layout(NamedTuple):
    """Which number of a unit's Selections belongs to which list or candidate."""

    list_numbers: tuple[int, ...]
    list_positions: tuple[int, ...]
    candidate_keys: tuple[CandidateKey, ...]
    candidate_positions: tuple[int, ...]
    list_names: tuple[tuple[int, str], ...]  # as the reference reader found them


#: Layouts by key, shared by the files of a run (a national election's 350 gemeente files use
#: about 20 layouts, one per kieskring); a key is exact bytes, so sharing cannot mix them up.
_LAYOUTS: dict[tuple[int, bytes], Layout] = {}
_LAYOUTS_KEPT = 64


class _NotInLane(Exception):
    """The file is not in the shape the byte lane reads; the lxml reader takes it."""


def _decode(raw: bytes) -> str:
    """Text or attribute value as lxml gives it (the grammar admits only the five entities)."""
    if b"&" in raw:
        raw = _ENTITY.sub(lambda m: _ENTITIES[m.group()], raw)
    text = raw.decode("utf-8")  # UnicodeDecodeError: not in the lane
    if "\ufffe" in text or "\uffff" in text:
        raise _NotInLane("not an XML character")
    return text


@functools.lru_cache(maxsize=256)
def _count_field(tag: bytes, reason: bytes) -> str | None:
    return count_key(tag.decode(), _decode(reason) if reason else None)


def _layout_of(selections: bytes, source: str) -> Layout:
    """Read a unit's Selections with the reference reader; return which key each value has."""
    root = xmlsafe.parse(io.BytesIO(_WRAP + selections + b"</ReportingUnitVotes>"), source).getroot()
    names: dict[int, str] = {}
    _, order = read_unit(root, source, names)
    lists = [(i, k[1]) for i, k in enumerate(order) if k[0] == "list"]
    cands = [(i, k) for i, k in enumerate(order) if k[0] != "list"]
    return Layout(tuple(n for _, n in lists), tuple(i for i, _ in lists), tuple(k for _, k in cands),
                  tuple(i for i, _ in cands), tuple(names.items()))


def _read_unit_bytes(selections: bytes, others: bytes, head: re.Match, source: str, list_names: dict[int, str]) -> Tally:
    """One unit of the lane: its Selections (not yet checked), its counts and its head (both
    matched by the grammar)."""
    parts = _VALUES.split(selections)  # the bytes between the numbers, and the numbers
    nums = list(map(int, parts[1::2]))
    key = (len(nums), b"\x00".join(parts[0::2]))  # NUL marks where each number stood
    layout = _LAYOUTS.get(key)
    if layout is None:
        if not _SELECTIONS.fullmatch(selections):
            raise _NotInLane("Selections not in the grammar")
        layout = _layout_of(selections, source)
        if len(_LAYOUTS) >= _LAYOUTS_KEPT:
            _LAYOUTS.clear()
        _LAYOUTS[key] = layout
    list_numbers, list_positions, cand_keys, cand_positions, names = layout
    for number_, name in names:
        list_names.setdefault(number_, name)
    tally = new_tally()
    tally.lists = dict(zip(list_numbers, [nums[i] for i in list_positions]))
    if cand_positions:
        picked = itemgetter(*cand_positions)(nums)
        tally.candidates = dict(zip(cand_keys, picked if len(cand_positions) > 1 else (picked,)))
    counts = tally.counts
    for tag, reason, value in _COUNT_VALUES.findall(others):
        field = _count_field(tag, reason)
        if field is None:
            continue
        if field in counts:
            raise _NotInLane("a count twice")  # the lxml reader names it
        counts[field] = int(value)
    if b"<kr:" in others:
        for reason, value in _INVESTIGATION_VALUES.findall(others):
            tally.investigations[_decode(reason)] = value == b"true"
    ident = head.group("id")
    if ident is not None:
        tally.id = _decode(ident)
        tally.name = _decode(head.group("name")).strip() or None  # as ``text_of``
    return tally


def read_count_fast(stream: IO[bytes], source: str, expect_kind: str | None) -> CountFile | None:
    """The byte lane (see above); None when the file is not in its shape or anything is wrong."""
    counts = CountBuilder(source, expect_kind)
    pending: list[tuple[Tally, bool, int]] = []
    try:
        buf = b""
        while (first := _BODY_START.search(buf)) is None:
            chunk = stream.read(LANE_CHUNK_BYTES)
            if not chunk or len(buf) > _LANE_HEADER_MAX_BYTES:
                return None  # no votes, or a huge header: the lxml reader
            buf += chunk
        header, buf = buf[: first.start()], buf[first.start():]
        line = 1 + header.count(b"\n")
        uses_kr = False
        while True:
            end = max((i + len(tag) for tag in _UNIT_ENDS if (i := buf.rfind(tag)) >= 0), default=0)
            pos = 0
            while pos < end:
                head = _UNIT_HEAD.match(buf, pos, end)
                if head is None:
                    return None
                is_total = head.group("id") is None
                closing = _UNIT_ENDS[0] if is_total else _UNIT_ENDS[1]
                close = buf.find(closing, head.end(), end)
                if close < 0:
                    return None
                cut = buf.rfind(_SELECTION_END, head.end(), close)
                cut = head.end() if cut < 0 else cut + len(_SELECTION_END)
                others = buf[cut:close]
                if not _OTHERS.fullmatch(others):
                    return None
                if head.start("tag") - pos > _MAX_GAP:
                    return None
                line += buf.count(b"\n", pos, head.start("tag"))  # whitespace before; none inside a unit
                if line > _MAX_LINE:
                    return None
                tally = _read_unit_bytes(buf[head.end():cut], others, head, source, counts.list_names)
                if tally.name:
                    check_name(tally.name, source, f"line {line}")
                pending.append((tally, is_total, line))
                check_units(len(pending) - 1, source)  # the total is one of them
                uses_kr = uses_kr or b"<kr:" in others
                pos = close + len(closing)
            chunk = stream.read(LANE_CHUNK_BYTES)
            if not chunk:
                break
            buf = buf[pos:] + chunk
        # a namespace no file can know in advance: a marker of the file's own cannot pass for it
        marker_ns = f"urn:osv-verify:units-were-here:{secrets.token_hex(16)}"
        marker_xml = f'<m:units xmlns:m="{marker_ns}"/>'.encode()
        tree = xmlsafe.parse(io.BytesIO(header + marker_xml + buf[pos:]), source)
        if (tree.docinfo.encoding or "").upper() not in ("UTF-8", "UTF8"):
            return None
        root = tree.getroot()
        markers = list(root.iter("{%s}units" % marker_ns))
        if root.tag != E + "EML" or len(markers) != 1:
            return None  # e.g. the marker fell inside a comment, CDATA or processing instruction
        marker = markers[0]
        if sum(1 for _ in marker.iterancestors()) > _MAX_DEPTH:
            return None
        contest, before = marker.getparent(), marker.getprevious()
        if (contest is None or contest.tag != E + "Contest" or before is None or before.tag != E + "ContestIdentifier"
                or marker.getnext() is not None or contest.nsmap.get(None) != NS["eml"]
                or (uses_kr and contest.nsmap.get("kr") != NS["kr"])):
            return None
        for event, el in tree_events(root, source):  # as the lxml reader would read the rest
            if event == "start":
                counts.root(el)
            elif el.tag in VOTE_TAGS:
                return None  # a vote element the grammar did not take: the lxml reader reads it
            else:
                counts.header(el)
        for tally, is_total, at in pending:
            counts.add(tally, is_total, at)
        return counts.build()
    except (_NotInLane, InputError, UnicodeDecodeError):
        return None
