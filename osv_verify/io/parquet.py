"""A small Parquet reader for exactly what the CBS postcode-to-wijk table needs: text columns.

HCP ships the table as Parquet (written by polars): one or more row groups of BYTE_ARRAY
(text) columns, REQUIRED or OPTIONAL, PLAIN or dictionary encoded, in data pages v1 or v2,
uncompressed, GZIP- or ZSTD-compressed. That is all this reads; anything else (another column
type, nested columns, SNAPPY, another encoding) is one ``InputError`` saying what, with the
advice to pass the table as CSV. Nothing is imported beyond the standard library: ZSTD comes
from the system's ``libzstd`` through ctypes (present on every Debian/Ubuntu system); without
it a ZSTD file is refused with the same advice.

Safety: every length, offset and count read from the file is checked against the file and
against ``MAX_PAGE_BYTES`` before it is used; decompression never writes more than the page
header declares, and the result must be exactly that size.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import struct
import zlib
from collections.abc import Iterator
from functools import cache

from osv_verify.core.errors import InputError
from osv_verify.core.text import Text

MAGIC = b"PAR1"
MAX_PAGE_BYTES = 64 * 1024**2
#: A run-length encoded page can claim millions of values in a few bytes: a table claiming
#: more rows than this (the Netherlands has under 500,000 postcodes) is refused unread.
MAX_ROWS = 2_000_000
_BYTE_ARRAY = 6
_REQUIRED, _OPTIONAL = 0, 1
_PLAIN, _PLAIN_DICTIONARY, _RLE, _RLE_DICTIONARY = 0, 2, 3, 8
_DATA_PAGE, _DICTIONARY_PAGE, _DATA_PAGE_V2 = 0, 2, 3
_UNCOMPRESSED, _GZIP, _ZSTD = 0, 2, 6
_CODEC_NAMES = {1: "SNAPPY", 3: "LZO", 4: "BROTLI", 5: "LZ4", 7: "LZ4_RAW"}


class _Bad(Exception):
    """Internal: the file is not what this reader reads; becomes an InputError."""


def _refuse(source: str, why: str) -> InputError:
    return InputError(source, Text(f"dit Parquet-bestand kan niet worden gelezen ({why}); geef de tabel als CSV op",
                                   f"cannot read this Parquet file ({why}); pass the table as CSV instead"))


# ---------------------------------------------------------------- Thrift compact protocol


class _Thrift:
    """Just enough of Thrift's compact protocol to read Parquet's footer and page headers."""

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None) -> None:
        self.data, self.pos, self.end = data, pos, len(data) if end is None else end

    def byte(self) -> int:
        if self.pos >= self.end:
            raise _Bad("metadata cut short")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def varint(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 63:
                raise _Bad("a number in the metadata is too long")

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, kind: int, depth: int) -> object:
        if depth > 16:
            raise _Bad("metadata nested too deep")
        if kind in (1, 2):
            return kind == 1
        if kind == 3:
            return self.byte()
        if kind in (4, 5, 6):
            return self.zigzag()
        if kind == 7:
            self.pos += 8
            return None
        if kind == 8:
            n = self.varint()
            if self.pos + n > self.end:
                raise _Bad("metadata cut short")
            self.pos += n
            return self.data[self.pos - n : self.pos]
        if kind in (9, 10):
            header = self.byte()
            n, item = header >> 4, header & 0x0F
            if n == 15:
                n = self.varint()
            if n > self.end - self.pos:
                raise _Bad("a list in the metadata is longer than the file")
            return [self.value(item, depth + 1) for _ in range(n)]
        if kind == 11:
            n = self.varint()
            if n:
                kinds = self.byte()
                for _ in range(2 * n):
                    self.value(kinds >> 4 if _ % 2 == 0 else kinds & 0x0F, depth + 1)
            return None
        if kind == 12:
            return self.struct(depth + 1)
        raise _Bad(f"unknown metadata type {kind}")

    def struct(self, depth: int = 0) -> dict[int, object]:
        fields: dict[int, object] = {}
        last = 0
        while True:
            header = self.byte()
            if header == 0:
                return fields
            kind, delta = header & 0x0F, header >> 4
            last = last + delta if delta else self.zigzag()
            fields[last] = self.value(kind, depth)


# ---------------------------------------------------------------- decoding


@cache
def _libzstd() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("zstd")
    if not name:
        return None
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.ZSTD_decompress.restype = ctypes.c_size_t
    lib.ZSTD_decompress.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t]
    lib.ZSTD_isError.restype = ctypes.c_uint
    lib.ZSTD_isError.argtypes = [ctypes.c_size_t]
    return lib


def _decompress(codec: int, data: bytes, size: int, source: str) -> bytes:
    if codec == _UNCOMPRESSED:
        out = data
    elif codec == _GZIP:
        d = zlib.decompressobj(wbits=47)
        try:
            out = d.decompress(data, size + 1)
        except zlib.error as err:
            raise _Bad(f"damaged GZIP data: {err}") from None
    elif codec == _ZSTD:
        lib = _libzstd()
        if lib is None:
            raise _refuse(source, "ZSTD-compressed, and this system has no libzstd")
        buf = ctypes.create_string_buffer(max(size, 1))
        n = lib.ZSTD_decompress(buf, size, data, len(data))
        if lib.ZSTD_isError(n):
            raise _Bad("damaged ZSTD data")
        out = buf.raw[:n]
    else:
        raise _refuse(source, f"{_CODEC_NAMES.get(codec, f'codec {codec}')}-compressed")
    if len(out) != size:
        raise _Bad("a page does not unpack to the size its header declares")
    return out


def _hybrid(data: bytes, pos: int, end: int, width: int, count: int) -> list[int]:
    """Parquet's RLE/bit-packed hybrid encoding: ``count`` values of ``width`` bits."""
    out: list[int] = []
    mask = (1 << width) - 1
    nbytes = (width + 7) // 8
    t = _Thrift(data, pos, end)
    while len(out) < count:
        header = t.varint()
        if header & 1:  # bit-packed groups of 8 values
            groups = header >> 1
            size = groups * width
            packed = data[t.pos : min(t.pos + size, end)]
            if len(packed) < size:
                # writers may cut the last group short to the bytes its values need
                wanted = min(groups * 8, count - len(out))
                if len(packed) < (wanted * width + 7) // 8:
                    raise _Bad("bit-packed values cut short")
                packed += bytes(size - len(packed))
            for g in range(groups):
                n = int.from_bytes(packed[g * width : (g + 1) * width], "little")
                out.extend((n >> (i * width)) & mask for i in range(8))
            t.pos += size
        else:  # a run of one value
            run = header >> 1
            if t.pos + nbytes > end or run > count - len(out) + 8 or run == 0:
                raise _Bad("a run of values is damaged")
            out.extend([int.from_bytes(data[t.pos : t.pos + nbytes], "little")] * run)
            t.pos += nbytes
    return out[:count]


def _plain_texts(data: bytes, pos: int, count: int) -> list[str]:
    """``count`` PLAIN byte arrays (4-byte length, then the bytes) as UTF-8 text."""
    out = []
    end = len(data)
    unpack = struct.Struct("<I").unpack_from
    for _ in range(count):
        if pos + 4 > end:
            raise _Bad("values cut short")
        (n,) = unpack(data, pos)
        pos += 4
        if pos + n > end:
            raise _Bad("values cut short")
        out.append(data[pos : pos + n].decode("utf-8"))
        pos += n
    return out


def _column(data: bytes, meta: dict, optional: bool, rows: int, source: str) -> list[str | None]:
    """Every value of one column chunk, None where the value is null."""
    codec = meta.get(4)
    start = meta.get(11) if isinstance(meta.get(11), int) and meta.get(11) > 0 else meta.get(9)
    if not isinstance(start, int) or not 4 <= start < len(data):
        raise _Bad("a column starts outside the file")
    values: list[str | None] = []
    dictionary: list[str] | None = None
    pos = start
    while len(values) < rows:
        t = _Thrift(data, pos)
        header = t.struct()
        kind, size, packed = header.get(1), header.get(2), header.get(3)
        if not (isinstance(size, int) and isinstance(packed, int) and 0 <= size <= MAX_PAGE_BYTES
                and 0 <= packed <= len(data) - t.pos):
            raise _Bad("a page size is out of range")
        body = data[t.pos : t.pos + packed]
        pos = t.pos + packed
        if kind == _DICTIONARY_PAGE:
            h = header.get(7) or {}
            page = _decompress(codec, body, size, source)
            dictionary = _plain_texts(page, 0, _count(h.get(1), size // 4))
            continue
        if kind == _DATA_PAGE:
            h = header.get(5) or {}
            n, encoding = _count(h.get(1), rows - len(values)), h.get(2)
            page = _decompress(codec, body, size, source)
            at = 0
            defined = [1] * n
            if optional:
                if len(page) < 4:
                    raise _Bad("levels cut short")
                (length,) = struct.unpack_from("<I", page, 0)
                if 4 + length > len(page):
                    raise _Bad("levels cut short")
                defined = _hybrid(page, 4, 4 + length, 1, n)
                at = 4 + length
        elif kind == _DATA_PAGE_V2:
            h = header.get(8) or {}
            n, encoding = _count(h.get(1), rows - len(values)), h.get(4)
            def_len, rep_len = h.get(5) or 0, h.get(6) or 0
            if rep_len or not 0 <= def_len <= len(body):
                raise _Bad("repeated (nested) values")
            defined = _hybrid(body, 0, def_len, 1, n) if optional and def_len else [1] * n
            rest = body[def_len:]
            page = _decompress(codec, rest, size - def_len, source) if h.get(7, True) else rest
            at = 0
        else:
            raise _Bad(f"page type {kind}")
        present = sum(defined)
        if encoding == _PLAIN:
            texts = _plain_texts(page, at, present)
        elif encoding in (_PLAIN_DICTIONARY, _RLE_DICTIONARY):
            if dictionary is None or at >= len(page) and present:
                raise _Bad("dictionary-encoded values without a dictionary")
            width = page[at] if present else 0
            if width > 32:
                raise _Bad("dictionary index too wide")
            indexes = _hybrid(page, at + 1, len(page), width, present) if present else []
            if indexes and max(indexes) >= len(dictionary):
                raise _Bad("a dictionary index beyond the dictionary")
            texts = [dictionary[i] for i in indexes]
        else:
            raise _refuse(source, f"values in encoding {encoding}")
        if present == n:
            values.extend(texts)
        else:
            it = iter(texts)
            values.extend(next(it) if d else None for d in defined)
    if len(values) != rows:
        raise _Bad("a column has more values than the row group has rows")
    return values


def _count(value: object, limit: int) -> int:
    if not isinstance(value, int) or not 0 <= value <= limit:
        raise _Bad("a value count is out of range")
    return value


def read_text_columns(data: bytes, source: str, columns: tuple[str, ...]) -> Iterator[tuple[int, tuple[str | None, ...]]]:
    """``(row number, [value per column])`` for every row, the columns in the order asked; the
    file must have exactly these columns, all text (BYTE_ARRAY, UTF-8)."""
    try:
        yield from _rows(data, source, columns)
    except _Bad as err:
        raise _refuse(source, str(err)) from None
    except (AttributeError, TypeError, IndexError, struct.error):
        # a field of the wrong Thrift type where the layout wants another: a damaged file
        raise _refuse(source, "its metadata is damaged") from None
    except UnicodeDecodeError:
        raise _refuse(source, "a value is not UTF-8 text") from None


def _rows(data: bytes, source: str, columns: tuple[str, ...]) -> Iterator[tuple[int, tuple[str | None, ...]]]:
    if len(data) < 12 or not data.startswith(MAGIC) or not data.endswith(MAGIC):
        raise _Bad("not a complete Parquet file")
    (length,) = struct.unpack_from("<I", data, len(data) - 8)
    if length > len(data) - 12:
        raise _Bad("the footer is longer than the file")
    meta = _Thrift(data, len(data) - 8 - length, len(data) - 8).struct()
    schema = meta.get(2)
    if not isinstance(schema, list) or not schema:
        raise _Bad("no schema")
    leaves = schema[1:]
    names = [(s.get(4) or b"").decode("utf-8", "replace") for s in leaves]
    if names != list(columns) or schema[0].get(5) != len(leaves):
        raise InputError(source, Text(f"de kolommen zijn {','.join(names)}; verwacht {','.join(columns)}",
                                      f"the columns are {','.join(names)}; expected {','.join(columns)}"))
    for s in leaves:
        if s.get(1) != _BYTE_ARRAY or s.get(3) not in (_REQUIRED, _OPTIONAL) or s.get(5):
            raise _Bad("a column is not plain text")
    number = 0
    total = meta.get(3)
    if not isinstance(total, int) or not 0 <= total <= MAX_ROWS:
        raise _Bad(f"it claims {total} rows; a postcode table has at most {MAX_ROWS}")
    for group in meta.get(4) or []:
        rows = group.get(3)
        chunks = group.get(1) or []
        if not isinstance(rows, int) or not 0 <= rows <= total - number or len(chunks) != len(leaves):
            raise _Bad("a row group is damaged")
        cols = [_column(data, c.get(3) or {}, s.get(3) == _OPTIONAL, rows, source) for c, s in zip(chunks, leaves)]
        for values in zip(*cols):
            number += 1
            yield number, values
