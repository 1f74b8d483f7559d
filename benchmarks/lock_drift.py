"""Which installed versions differ from the lock file (for ``make test-latest``).

Usage: python benchmarks/lock_drift.py requirements.lock
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path


def locked(lock: Path) -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", lock.read_text(), re.MULTILINE)
    return {name.lower().replace("_", "-"): version for name, version in pins}


def main(lock: str) -> int:
    pins = locked(Path(lock))
    drift = []
    for dist in metadata.distributions():
        name = dist.metadata["Name"].lower().replace("_", "-")
        if name in pins and pins[name] != dist.version:
            drift.append(f"  {name}: locked {pins[name]}, newest allowed {dist.version}")
    print("lock drift: " + (f"{len(drift)} package(s) newer than the lock" if drift else "none (the lock is the newest allowed)"))
    print("\n".join(sorted(drift)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
