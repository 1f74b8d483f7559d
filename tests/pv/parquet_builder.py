"""Write tiny Parquet files in tests (text columns, one data page v1 each): only what the
reader under test must read, plus knobs to make what it must refuse."""

from __future__ import annotations

import gzip
import struct

I32, I64, BINARY, LIST, STRUCT = 5, 6, 8, 9, 12


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _zigzag(n: int) -> bytes:
    return _varint((n << 1) ^ (n >> 63))


def _value(kind: int, v: object) -> bytes:
    if kind in (I32, I64):
        return _zigzag(int(v))  # type: ignore[arg-type]
    if kind == BINARY:
        return _varint(len(v)) + v  # type: ignore[arg-type,operator]
    if kind == STRUCT:
        return thrift_struct(v)  # type: ignore[arg-type]
    if kind == LIST:
        item, items = v  # type: ignore[misc]
        head = bytes([(len(items) << 4) | item]) if len(items) < 15 else bytes([0xF0 | item]) + _varint(len(items))
        return head + b"".join(_value(item, x) for x in items)
    raise ValueError(kind)


def thrift_struct(fields: list[tuple[int, int, object]]) -> bytes:
    out, last = bytearray(), 0
    for fid, kind, v in fields:
        out.append(((fid - last) << 4) | kind)
        out += _value(kind, v)
        last = fid
    return bytes(out) + b"\0"


def _hybrid_all_ones(n: int) -> bytes:
    """Definition levels (width 1), all 1: one RLE run."""
    return _varint(n << 1) + b"\x01"


def parquet(columns: dict[str, list[str | None]], codec: int = 0, optional: bool = True,
            physical_type: int = 6, page_encoding: int = 0) -> bytes:
    """Columns of text; None is a null (needs ``optional``). codec 0 = none, 2 = GZIP, other = declared only."""
    rows = len(next(iter(columns.values())))
    body = bytearray(b"PAR1")
    chunks = []
    for name, values in columns.items():
        present = [v for v in values if v is not None]
        data = b"".join(struct.pack("<I", len(v.encode())) + v.encode() for v in present)
        if optional:
            if len(present) == rows:
                levels = _hybrid_all_ones(rows)
            else:  # bit-packed, one group of 8 per 8 rows
                bits = [0 if v is None else 1 for v in values] + [0] * (-rows % 8)
                packed = bytes(sum(b << i for i, b in enumerate(bits[g:g + 8])) for g in range(0, len(bits), 8))
                levels = _varint(((len(bits) // 8) << 1) | 1) + packed
            data = struct.pack("<I", len(levels)) + levels + data
        packed_data = gzip.compress(data) if codec == 2 else data
        header = thrift_struct([(1, I32, 0), (2, I32, len(data)), (3, I32, len(packed_data)),
                                (5, STRUCT, [(1, I32, rows), (2, I32, page_encoding), (3, I32, 3), (4, I32, 3)])])
        offset = len(body)
        body += header + packed_data
        meta = [(1, I32, physical_type), (2, LIST, (I32, [0, 3])), (3, LIST, (BINARY, [name.encode()])),
                (4, I32, codec), (5, I64, rows), (6, I64, len(header) + len(data)),
                (7, I64, len(header) + len(packed_data)), (9, I64, offset)]
        chunks.append([(2, I64, offset), (3, STRUCT, meta)])
    schema = [[(4, BINARY, b"schema"), (5, I32, len(columns))]]
    schema += [[(1, I32, physical_type), (3, I32, 1 if optional else 0), (4, BINARY, n.encode())] for n in columns]
    footer = thrift_struct([(1, I32, 1), (2, LIST, (STRUCT, schema)), (3, I64, rows),
                            (4, LIST, (STRUCT, [[(1, LIST, (STRUCT, chunks)), (2, I64, len(body)), (3, I64, rows)]]))])
    return bytes(body) + footer + struct.pack("<I", len(footer)) + b"PAR1"
