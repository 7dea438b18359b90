"""ChatPipeline.run(): the one place where the order of a chat turn is written.

    redact -> assess danger -> retrieve -> escalate -> compose

Escalation is decided before the answer is composed, because the answer's first lines follow it (112 first when
acute, the chat's real opening time when a person is asked for). Nothing is stored: every value lives in this call.
If a stage after `assess danger` fails, the visitor still gets the escalation with a short degraded answer; if
redaction or danger assessment fails, the safest escalation (urgent, all helplines) is returned with no text echoed.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from .backends.embedders import one_turn
from .schemas import Assessment, ChatRequest, ChatResponse, Redacted, Redaction, Retrieved
from .stages.compose import Composer
from .stages.danger import DangerAssessor
from .stages.escalate import Escalator
from .stages.redact import Redactor
from .stages.retrieve import Retriever

log = logging.getLogger("wegwijzer.pipeline")


@dataclass
class Trace:
    """What each stage decided and how long it took: for the trainer page and the logs (never user text)."""

    timings_ms: dict[str, float] = field(default_factory=dict)
    redacted: Redacted | None = None
    assessment: Assessment | None = None
    retrieved: Retrieved | None = None
    degraded: str | None = None


class ChatPipeline:
    def __init__(self, redactor: Redactor, assessor: DangerAssessor, retriever: Retriever | None,
                 escalator: Escalator, composer: Composer) -> None:
        self.redactor = redactor
        self.assessor = assessor
        self.retriever = retriever
        self.escalator = escalator
        self.composer = composer

    def run(self, request: ChatRequest, trace: Trace | None = None) -> ChatResponse:
        with one_turn():  # the danger model and the retriever share the turn's query vectors
            return self._run(request, trace if trace is not None else Trace())

    def _run(self, request: ChatRequest, trace: Trace) -> ChatResponse:
        history = [(t.role, t.content) for t in request.history]
        redacted = self._timed(trace, "redact", self.redactor.run, request.message, history)
        assessment = self._timed(trace, "danger", self.assessor.run, redacted)
        trace.redacted, trace.assessment = redacted, assessment
        escalation = self._timed(trace, "escalate", self.escalator.run, assessment)
        try:
            if self.retriever is None:
                raise RuntimeError("no retriever")
            redirect = self.assessor.harmful.redirect_topics(d.rule_id for d in assessment.detections)
            retrieved = self._timed(trace, "retrieve", self.retriever.run, redacted, redirect or None,
                                    assessment.acute_now)
        except Exception as exc:  # noqa: BLE001 - a failed retrieval must not cost the visitor the escalation
            log.warning("retrieve failed: %s", type(exc).__name__)
            trace.degraded = "retrieve"
            retrieved = Retrieved(chunks=[])
        trace.retrieved = retrieved
        composed = self._timed(trace, "compose", self.composer.run, assessment, retrieved, escalation)
        log.info("turn level=%s rules=%s sources=%d ms=%s", assessment.level,
                 ",".join(d.rule_id for d in assessment.detections), len(composed.sources), trace.timings_ms)
        return ChatResponse(
            answer=composed.answer, sources=composed.sources, escalation=escalation,
            message_redacted=redacted.message,
            redactions=[Redaction(type=t, count=n) for t, n in sorted(redacted.counts.items())],
        )

    @staticmethod
    def _timed(trace: Trace, name: str, fn, *args):  # noqa: ANN001, ANN205
        start = time.perf_counter()
        try:
            return fn(*args)
        finally:
            trace.timings_ms[name] = round((time.perf_counter() - start) * 1000, 2)
