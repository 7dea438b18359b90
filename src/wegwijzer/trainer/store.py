"""The verdict store: trainers' judgements of answers in an embedded SQLite file (stdlib sqlite3).

Verdicts are trainer work, not visitor data. Even so a question a trainer typed may hold a name or a number, so the
store never takes a question as it was typed: `add()` needs a redact function and keeps only what it returns. The
trainer's comment is redacted the same way; the suggested text is guidance for `knowledge/` and is kept as written
(redacting it would blank out numbers such as 0800-2000 that belong in the guidance).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..schemas import TOPICS, Level

Overall = Literal["goed", "deels goed", "fout"]
ErrorKind = Literal["verkeerde bron", "gemist gevaar", "onnodig alarm", "onjuiste of ontbrekende informatie", "toon",
                    "te lang"]
OVERALL: tuple[str, ...] = ("goed", "deels goed", "fout")
ERROR_KINDS: tuple[str, ...] = ("verkeerde bron", "gemist gevaar", "onnodig alarm",
                                "onjuiste of ontbrekende informatie", "toon", "te lang")
Redact = Callable[[str], str]

SCHEMA = """
CREATE TABLE IF NOT EXISTS verdicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    question_redacted TEXT NOT NULL,
    overall TEXT NOT NULL CHECK (overall IN ('goed', 'deels goed', 'fout')),
    errors TEXT NOT NULL,
    expected_topic TEXT,
    expected_level TEXT CHECK (expected_level IS NULL OR expected_level IN ('acute', 'urgent', 'none')),
    comment TEXT NOT NULL,
    suggested_text TEXT NOT NULL,
    answer_level TEXT NOT NULL,
    answer_sources TEXT NOT NULL,
    "commit" TEXT NOT NULL
)
"""
COLUMNS = ("created", "question_redacted", "overall", "errors", "expected_topic", "expected_level", "comment",
           "suggested_text", "answer_level", "answer_sources", "commit")


class SourceRef(BaseModel):
    """A source the judged answer cited, as the page saw it."""

    model_config = ConfigDict(extra="ignore")
    id: str = Field(max_length=200)
    topic: str = Field(max_length=60)


class VerdictIn(BaseModel):
    """What the trainer page sends: the question as typed (redacted before storing) and the judgement."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(min_length=1, max_length=4000)
    overall: Overall
    errors: list[ErrorKind] = Field(default_factory=list, max_length=len(ERROR_KINDS))
    expected_topic: str | None = None
    expected_level: Level | None = None
    comment: str = Field("", max_length=4000)
    suggested_text: str = Field("", max_length=8000)
    answer_level: Level
    answer_sources: list[SourceRef] = Field(default_factory=list, max_length=10)

    @field_validator("expected_topic")
    @classmethod
    def _topic(cls, topic: str | None) -> str | None:
        if topic in ("", None):
            return None
        if topic not in TOPICS:
            raise ValueError(f"'{topic}' is not one of the topics")
        return topic

    @field_validator("errors")
    @classmethod
    def _unique(cls, errors: list[str]) -> list[str]:
        return list(dict.fromkeys(errors))


class Verdict(BaseModel):
    """A stored verdict: the question only in its redacted form."""

    id: int
    created: str
    question_redacted: str
    overall: Overall
    errors: list[str]
    expected_topic: str | None
    expected_level: Level | None
    comment: str
    suggested_text: str
    answer_level: Level
    answer_sources: list[SourceRef]
    commit: str

    @property
    def answer_topics(self) -> list[str]:
        return [s.topic for s in self.answer_sources]

    @property
    def topic(self) -> str:
        """The topic the verdict is about: the one the trainer expected, else the one the answer cited first."""
        return self.expected_topic or (self.answer_topics[0] if self.answer_topics else "(geen bron)")


class VerdictStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path)) as con:
            con.row_factory = sqlite3.Row
            with con:  # one transaction: committed on success, rolled back on error
                con.execute(SCHEMA)
                yield con

    def add(self, verdict: VerdictIn, redact: Redact, commit: str) -> Verdict:
        """Store a verdict; the question and the comment pass through `redact` first, the typed text is dropped."""
        values = {
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "question_redacted": redact(verdict.question),
            "overall": verdict.overall,
            "errors": json.dumps(verdict.errors, ensure_ascii=False),
            "expected_topic": verdict.expected_topic,
            "expected_level": verdict.expected_level,
            "comment": redact(verdict.comment) if verdict.comment.strip() else "",
            "suggested_text": verdict.suggested_text,
            "answer_level": verdict.answer_level,
            "answer_sources": json.dumps([s.model_dump() for s in verdict.answer_sources], ensure_ascii=False),
            "commit": commit,
        }
        names = ", ".join(f'"{c}"' for c in COLUMNS)
        with self._connect() as con:
            cur = con.execute(f"INSERT INTO verdicts ({names}) VALUES ({', '.join('?' * len(COLUMNS))})",
                              [values[c] for c in COLUMNS])
            row = con.execute("SELECT * FROM verdicts WHERE id = ?", (cur.lastrowid,)).fetchone()
        return _verdict(row)

    def all(self, since: str | None = None, limit: int | None = None) -> list[Verdict]:
        """Verdicts oldest first; `since` is an ISO date or time (UTC), `limit` keeps the newest ones."""
        query, args = "SELECT * FROM verdicts", []
        if since:
            query, args = query + " WHERE created >= ?", [since]
        with self._connect() as con:
            rows = con.execute(query + " ORDER BY id", args).fetchall()
        verdicts = [_verdict(r) for r in rows]
        return verdicts[-limit:] if limit else verdicts


def _verdict(row: sqlite3.Row) -> Verdict:
    data = dict(row)
    data["errors"] = json.loads(data["errors"])
    data["answer_sources"] = json.loads(data["answer_sources"])
    return Verdict.model_validate(data)
