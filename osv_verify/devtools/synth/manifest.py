"""The manifest (``faults.json``): what was generated, each fault's changes and the findings
``osv-verify verify`` must give for it."""

from __future__ import annotations

from dataclasses import dataclass, field

#: What tells two expected findings apart: two faults that hit the same total field share one.
FINDING_KEY = ("code", "election", "contest", "authority", "unit", "list", "candidate", "source", "field")


@dataclass
class Change:
    file: str
    unit: str | None
    field: str
    old: object
    new: object


@dataclass
class FaultRecord:
    name: str
    description: str
    changes: list[Change] = field(default_factory=list)
    expected: list[dict[str, object]] = field(default_factory=list)
    expected_input_errors: list[dict[str, str]] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict[str, object]:
        first = self.changes[0] if self.changes else None
        return {
            "name": self.name,
            "description": self.description,
            "file": first.file if first else None,
            "unit": first.unit if first else None,
            "field": first.field if first else None,
            "old": first.old if first else None,
            "new": first.new if first else None,
            "changes": [c.__dict__ for c in self.changes],
            "expected": self.expected,
            "expected_input_errors": self.expected_input_errors,
            "note": self.note,
        }


@dataclass
class Manifest:
    out_dir: str
    category: str
    election: str
    seed: int
    parameters: dict[str, object]
    files: list[str] = field(default_factory=list)
    faults: list[FaultRecord] = field(default_factory=list)
    seats: dict[int, int] = field(default_factory=dict)
    lots: list[object] = field(default_factory=list)
    bytes_written: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "generator": "osv_verify.devtools.synth",
            "category": self.category,
            "election": self.election,
            "seed": self.seed,
            "parameters": self.parameters,
            "files": self.files,
            "seats": {str(k): v for k, v in sorted(self.seats.items())},
            "lots": self.lots,
            "faults": [f.to_dict() for f in self.faults],
            "notes": self.notes,
        }

    def expected_findings(self) -> list[dict[str, object]]:
        """Every expected finding once (two faults that hit the same total field share it)."""
        seen: dict[tuple, dict[str, object]] = {}
        for f in self.faults:
            for e in f.expected:
                seen.setdefault(tuple(e.get(k) for k in FINDING_KEY), e)
        return list(seen.values())


def expected_finding(code: str, election: str, contest: str | None, authority: str | None, unit: str | None,
                     source: str, *, lst: int | None = None, candidate: str | None = None,
                     fld: str | None = None) -> dict[str, object]:
    """A finding as the manifest expects it (the JSON output's fields that locate it)."""
    return {"code": code, "severity": "warning" if code.startswith("W.") else "error", "election": election,
            "contest": contest, "authority": authority, "unit": unit, "list": lst, "candidate": candidate,
            "field": fld, "source": source}
