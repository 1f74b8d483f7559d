"""What one ``generate()`` call carries from file to file: the election, its three random
generators, the files written and the fault records in the order the manifest lists them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from osv_verify.core.model import CountFile
from osv_verify.devtools.eml_write_counts import write_count_to
from osv_verify.devtools.synth.election import Election
from osv_verify.devtools.synth.manifest import FaultRecord, Manifest


class Writer:
    """Writes the files into the output folder and lists them, with their size, in the manifest."""

    def __init__(self, out: Path, manifest: Manifest) -> None:
        self.out = out
        self.manifest = manifest

    def bytes(self, name: str, data: bytes) -> None:
        (self.out / name).write_bytes(data)
        self.manifest.files.append(name)
        self.manifest.bytes_written += len(data)

    def count(self, name: str, count: CountFile) -> None:
        with open(self.out / name, "wb") as f:
            n = write_count_to(f, count)
        self.manifest.files.append(name)
        self.manifest.bytes_written += n


@dataclass
class Run:
    """The generators are separate so that the same seed with or without faults gives the same
    election: ``rng`` draws the election (shape, then votes and station names municipality by
    municipality), ``frng`` where faults go and what they change, ``lrng`` the drawn lots."""

    election: Election
    rng: random.Random
    frng: random.Random
    lrng: random.Random
    writer: Writer
    seed: int
    csv: bool  # write each 510b's OSV4-3 CSV too
    neighbourhoods: bool  # stations with the local structure of real municipalities (votes.neighbourhoods)
    records: list[FaultRecord] = field(default_factory=list)
    #: municipality index -> its faults applied to its unit in the kieskring's 510c (TK)
    pending: dict[int, list[FaultRecord]] = field(default_factory=dict)
    #: kieskring number -> its faults that changed a municipality's eligible voters (warnings in the 510d)
    eligible: dict[int, list[FaultRecord]] = field(default_factory=dict)

    @property
    def manifest(self) -> Manifest:
        return self.writer.manifest
