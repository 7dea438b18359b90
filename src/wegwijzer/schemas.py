"""Request and response models of the public contract (shared/CONTRACT.md), plus the typed values the stages pass on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TOPICS: tuple[str, ...] = (
    "dwingende-controle", "melden", "na-melding", "anoniem-melden", "acuut-gevaar", "veiligheidsplan", "omstander",
    "kindermishandeling", "pleger-hulp", "huisverbod", "opvang", "seksueel-geweld", "ouderenmishandeling",
    "stalking-digitaal", "financiele-controle", "eergerelateerd", "meldcode", "contact",
)
Level = Literal["acute", "urgent", "none"]
LEVEL_ORDER: dict[str, int] = {"none": 0, "urgent": 1, "acute": 2}


# ---- public contract -------------------------------------------------------------------------------------------

class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)
    role: Literal["user", "assistant"]
    content: str = Field(max_length=8000)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    message: str = Field(min_length=1, max_length=4000)
    history: list[Turn] = Field(default_factory=list, max_length=20)
    locale: str | None = Field(None, max_length=10)


class Source(BaseModel):
    id: str
    title: str
    topic: str
    score: float


class Action(BaseModel):
    kind: Literal["call", "chat", "link"]
    label: str
    number: str | None = None
    url: str | None = None
    open_now: bool | None = True
    opens_at: str | None = None


class Escalation(BaseModel):
    level: Level
    reasons: list[str]
    actions: list[Action]


class Redaction(BaseModel):
    type: str
    count: int


class ChatResponse(BaseModel):
    answer: str
    sources: list[Source]
    escalation: Escalation
    message_redacted: str
    redactions: list[Redaction]


# ---- values passed between stages ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Redacted:
    """The conversation after the redact stage: nothing downstream sees the original text."""

    message: str
    history: list[tuple[str, str]]  # (role, redacted content)
    counts: dict[str, int]
    spans: list[tuple[str, str, int, int, float]] = field(default_factory=list)  # (entity, recognizer, start, end, score)


@dataclass(frozen=True)
class Detection:
    rule_id: str
    level: Level
    flags: tuple[str, ...]
    explanation: str
    turn: int  # 0 = current message, 1 = the user turn before it, ...


@dataclass(frozen=True)
class Assessment:
    level: Level
    flags: tuple[str, ...]
    detections: tuple[Detection, ...]
    learned: dict[str, float] = field(default_factory=dict)

    @property
    def acute_now(self) -> bool:
        """Acute, and the newest message is what made it so (not a turn before it)."""
        return self.level == "acute" and any(d.level == "acute" and d.turn == 0 for d in self.detections)

    @property
    def reasons(self) -> list[str]:
        rules = [d.rule_id for d in self.detections]
        return list(dict.fromkeys([*self.flags, *rules]))


@dataclass(frozen=True)
class Chunk:
    id: str
    doc_id: str
    title: str
    topic: str
    heading: str
    text: str
    score: float = 0.0
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Retrieved:
    chunks: list[Chunk]  # best first, grouped: the best chunk of each document first
    candidates: list[Chunk] = field(default_factory=list)  # for explanation (trainer page)


@dataclass(frozen=True)
class Composed:
    answer: str
    sources: list[Source]
