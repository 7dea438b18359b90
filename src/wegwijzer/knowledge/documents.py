"""Load `knowledge/**/*.md`: YAML front matter validated by a schema, the body kept as Markdown.

A bad file fails with its path and the field that is wrong, so a trainer can fix it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..schemas import TOPICS

FACTS_FILE = Path(__file__).with_name("facts.yaml")
TOPICS_FILE = Path(__file__).with_name("topics.yaml")
Audience = Literal["slachtoffer", "omstander", "jongere", "pleger", "professional", "naaste van oudere"]
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.S)


class KnowledgeError(ValueError):
    """A knowledge file that does not follow the schema; the message names the file and the field."""


@lru_cache
def fact_registry() -> dict:
    return yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))


class FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]+$")
    title: str = Field(min_length=5)
    topic: str
    audience: list[Audience] = Field(min_length=1)
    summary: str = Field(min_length=10)
    reviewed: date
    facts: list[str] = Field(min_length=1)
    questions: list[str] = Field(default_factory=list, description="Ways visitors ask for this; indexed, not shown.")

    @field_validator("topic")
    @classmethod
    def _topic(cls, topic: str) -> str:
        if topic not in TOPICS:
            raise ValueError(f"'{topic}' is not one of the 18 topics")
        return topic

    @field_validator("facts")
    @classmethod
    def _facts(cls, facts: list[str]) -> list[str]:
        unknown = set(facts) - set(fact_registry()["facts"])
        if unknown:
            raise ValueError(f"unknown fact keys {sorted(unknown)} (see facts.yaml)")
        return facts


@dataclass(frozen=True)
class Document:
    meta: FrontMatter
    body: str
    path: Path

    @property
    def id(self) -> str:
        return self.meta.id


def parse(path: Path) -> Document:
    text = path.read_text(encoding="utf-8")
    match = _FRONT.match(text)
    if not match:
        raise KnowledgeError(f"{path}: no front matter between '---' lines")
    try:
        meta = FrontMatter.model_validate(yaml.safe_load(match.group(1)))
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: front matter is not valid YAML: {exc}") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "front matter"
        raise KnowledgeError(f"{path}: field '{field}': {err['msg']}") from exc
    return Document(meta=meta, body=match.group(2).strip(), path=path)


def knowledge_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.md") if not p.name.startswith(("_", ".")) and p.name != "README.md")


def load_documents(folder: Path) -> list[Document]:
    docs = [parse(p) for p in knowledge_files(folder)]
    seen: dict[str, Path] = {}
    for doc in docs:
        if doc.id in seen:
            raise KnowledgeError(f"{doc.path}: field 'id': '{doc.id}' is also used by {seen[doc.id]}")
        seen[doc.id] = doc.path
    if not docs:
        raise KnowledgeError(f"{folder}: no knowledge documents found")
    return docs


def content_hash(folder: Path) -> str:
    """A hash of every knowledge file's path and bytes: the store is stale when it changes."""
    h = hashlib.sha256()
    for p in knowledge_files(folder):
        h.update(str(p.relative_to(folder)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]
