"""`wegwijzer review export`: every verdict that found a problem becomes a regression case in eval/data/.

- a danger-level problem (gemist gevaar, onnodig alarm, or an expected level other than the one answered) with an
  expected level  ->  danger.jsonl   {id, message, level, flags, note, split}
- a wrong source (verkeerde bron, or an expected topic other than the first source's) with an expected topic
  ->  retrieval.jsonl   {id, question, topic, alternatives, audience, style, split}

Only verdicts with a problem count (not `goed`, or any error ticked). The case text is the stored, redacted
question. Ids are `t-<verdict id>`; the split comes from `datasets.split_for`, written into the case so it stays
frozen. A case whose id is already in the file is left alone, so a second export adds nothing. A problem without the
expected value cannot become a case: it is listed as incomplete.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..evaluation.datasets import DATA, split_for
from .store import Verdict

DANGER_ERRORS = {"gemist gevaar", "onnodig alarm"}


@dataclass
class ExportResult:
    added: dict[str, list[str]] = field(default_factory=lambda: {"danger": [], "retrieval": []})
    already: int = 0
    incomplete: list[str] = field(default_factory=list)  # "t-<id>: why"


def has_problem(v: Verdict) -> bool:
    return v.overall != "goed" or bool(v.errors)


def danger_case(v: Verdict) -> dict | None:
    level_wrong = bool(DANGER_ERRORS & set(v.errors)) or v.expected_level != v.answer_level
    if not has_problem(v) or v.expected_level is None or not level_wrong:
        return None
    cid = f"t-{v.id}"
    return {"id": cid, "message": v.question_redacted, "level": v.expected_level, "flags": [],
            "note": _note(v), "source": "trainer", "split": split_for(cid)}


def retrieval_case(v: Verdict) -> dict | None:
    if not has_problem(v) or v.expected_topic is None:
        return None
    if "verkeerde bron" not in v.errors and v.expected_topic in v.answer_topics[:1]:
        return None
    cid = f"t-{v.id}"
    return {"id": cid, "question": v.question_redacted, "topic": v.expected_topic, "alternatives": [],
            "audience": "onbekend", "style": "trainer", "source": "trainer", "split": split_for(cid)}


def _note(v: Verdict) -> str:
    parts = [f"trainer verdict {v.id} ({v.created[:10]}): answered {v.answer_level}", *v.errors]
    return "; ".join(parts + ([v.comment] if v.comment else []))


def missing_expectation(v: Verdict) -> str | None:
    """Why a problem cannot become a case: the trainer did not say what was expected."""
    if DANGER_ERRORS & set(v.errors) and v.expected_level is None:
        return f"{', '.join(sorted(DANGER_ERRORS & set(v.errors)))} zonder verwacht niveau"
    if "verkeerde bron" in v.errors and v.expected_topic is None:
        return "verkeerde bron zonder verwacht onderwerp"
    return None


def existing_ids(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def append_cases(path: Path, cases: list[dict]) -> None:
    if not cases:
        return
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    lead = "\n" if text and not text.endswith("\n") else ""
    with path.open("a", encoding="utf-8") as f:
        f.write(lead + "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases))


def export_cases(verdicts: list[Verdict], folder: Path = DATA, dry_run: bool = False) -> ExportResult:
    result = ExportResult()
    builders = {"danger": danger_case, "retrieval": retrieval_case}
    for name, build in builders.items():
        path = folder / f"{name}.jsonl"
        seen = existing_ids(path)
        new = []
        for v in verdicts:
            case = build(v)
            if case is None:
                continue
            if case["id"] in seen:
                result.already += 1
                continue
            seen.add(case["id"])
            new.append(case)
        result.added[name] = [c["id"] for c in new]
        if not dry_run:
            folder.mkdir(parents=True, exist_ok=True)
            append_cases(path, new)
    result.incomplete = [f"t-{v.id}: {why}" for v in verdicts if (why := missing_expectation(v))]
    return result
