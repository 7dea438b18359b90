"""Why the assistant answered as it did, for the trainer page: built from the pipeline's `Trace` of one turn.

Everything here comes from redacted text; the only positions given back (`start`, `end`) point into the question the
trainer typed, so the page can show what was masked without the server repeating it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from ..knowledge.documents import content_hash, load_documents
from ..pipeline import Trace
from ..schemas import ChatResponse

MAX_CANDIDATES = 20


class RedactionSpan(BaseModel):
    type: str
    recognizer: str
    start: int
    end: int
    score: float


class RuleHit(BaseModel):
    rule_id: str
    level: str
    flags: list[str]
    explanation: str
    turn: int


class Candidate(BaseModel):
    id: str
    doc_id: str
    title: str
    topic: str
    heading: str
    dense: float | None
    lexical: float | None
    fused: float
    cited: bool
    reviewed: str | None


class SourceInfo(BaseModel):
    id: str
    title: str
    topic: str
    score: float
    reviewed: str | None


class Explanation(BaseModel):
    message_redacted: str
    redactions: list[RedactionSpan]
    level: str
    flags: list[str]
    rules: list[RuleHit]
    learned: dict[str, float]
    candidates: list[Candidate]
    sources: list[SourceInfo]
    timings_ms: dict[str, float]
    degraded: str | None


class AskResult(BaseModel):
    response: ChatResponse
    explanation: Explanation


def reviewed_dates(folder: Path) -> dict[str, str]:
    """Each document's `reviewed` date; re-read when a file in knowledge/ changes (no restart needed for the date)."""
    return _reviewed(folder, content_hash(folder))


@lru_cache(maxsize=4)
def _reviewed(folder: Path, _hash: str) -> dict[str, str]:
    return {d.id: d.meta.reviewed.isoformat() for d in load_documents(folder)}


def explain(response: ChatResponse, trace: Trace, reviewed: dict[str, str]) -> Explanation:
    assessment, redacted = trace.assessment, trace.redacted
    cited = {s.id for s in response.sources}
    candidates = trace.retrieved.candidates[:MAX_CANDIDATES] if trace.retrieved else []
    return Explanation(
        message_redacted=response.message_redacted,
        redactions=[RedactionSpan(type=t, recognizer=r, start=s, end=e, score=sc)
                    for t, r, s, e, sc in sorted(redacted.spans if redacted else [], key=lambda x: x[2])],
        level=assessment.level if assessment else response.escalation.level,
        flags=list(assessment.flags) if assessment else [],
        rules=[RuleHit(rule_id=d.rule_id, level=d.level, flags=list(d.flags), explanation=d.explanation, turn=d.turn)
               for d in (assessment.detections if assessment else ())],
        learned=dict(assessment.learned) if assessment else {},
        candidates=[Candidate(id=c.id, doc_id=c.doc_id, title=c.title, topic=c.topic, heading=c.heading,
                              dense=c.scores.get("dense"), lexical=c.scores.get("lexical"),
                              fused=c.scores.get("fused", c.score), cited=c.doc_id in cited,
                              reviewed=reviewed.get(c.doc_id)) for c in candidates],
        sources=[SourceInfo(id=s.id, title=s.title, topic=s.topic, score=s.score, reviewed=reviewed.get(s.id))
                 for s in response.sources],
        timings_ms=dict(trace.timings_ms),
        degraded=trace.degraded,
    )
