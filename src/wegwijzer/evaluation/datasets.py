"""Dev sets: JSON lines under eval/data/. Each case carries `split`: `dev` (tune on it) or `test` (frozen: the
figures we report); a `<name>_heldout.jsonl` beside a set holds split `heldout`. A case without a split gets one from
a hash of its id, so adding cases never moves old ones.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..config import ROOT

DATA = ROOT / "eval" / "data"
TEST_SHARE = 0.3


def split_for(case_id: str) -> str:
    h = int(hashlib.sha256(f"wegwijzer-split:{case_id}".encode()).hexdigest()[:8], 16)
    return "test" if h / 0xFFFFFFFF < TEST_SHARE else "dev"


def load(name: str, split: str = "test", folder: Path = DATA) -> list[dict]:
    """The cases of `<name>.jsonl` in `split` (`all`: every one). `heldout` reads `<name>_heldout.jsonl` instead: probes
    kept apart from training, to score a new model on before anything learns from them."""
    path = folder / (f"{name}_heldout.jsonl" if split == "heldout" else f"{name}.jsonl")
    if not path.exists():
        return []
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for case in cases:
        case.setdefault("split", split_for(case["id"]))
    return cases if split == "all" else [c for c in cases if c["split"] == split]


def assign_splits(path: Path) -> int:
    """Write `split` into every case of a file that has none yet; returns how many were assigned."""
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    n = 0
    for case in lines:
        if "split" not in case:
            case["split"] = split_for(case["id"])
            n += 1
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in lines), encoding="utf-8")
    return n
