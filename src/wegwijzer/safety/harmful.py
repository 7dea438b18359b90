"""Requests for harmful help, as data: load `harmful_requests.yaml`, validate with pydantic, compile the regexes once.

Each entry is a danger rule (id, level, flags, patterns, unless, explanation) plus the kind refusal the answer gives.
The danger stage matches the entries on the newest message only (a refusal answers what is asked now) and adds a
detection per match; the composer puts the entry's refusal after the lead lines. A bad entry fails at start-up with
its id and the field that is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..schemas import TOPICS
from .rules import Rule, check_entries, expand_vocab

HARMFUL_FILE = Path(__file__).with_name("harmful_requests.yaml")


class HarmfulRequest(Rule):
    """A danger rule whose `level` is the least the request implies, with the refusal and redirect to answer it."""

    id: str = Field(pattern=r"^weiger-[a-z0-9-]+$")  # the prefix keeps these ids apart from the danger rules'
    refusal: str = Field(min_length=40)
    # the topics whose guidance the answer cites after the refusal: the help we redirect to, not what was asked
    redirect_topics: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_topics(self) -> HarmfulRequest:
        unknown = [t for t in self.redirect_topics if t not in TOPICS]
        if unknown:
            raise ValueError(f"unknown topics {unknown}")
        return self


class HarmfulRequests(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vocab: dict[str, str] = {}
    requests: tuple[HarmfulRequest, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _expand_vocab(cls, data: dict) -> dict:
        return expand_vocab(data, "requests")

    @model_validator(mode="after")
    def _check(self) -> HarmfulRequests:
        check_entries(self.requests, "entry")
        return self

    def match(self, sentences: Iterable[str]) -> list[HarmfulRequest]:
        """The entries that fire on any of these normalised sentences (of one message), in file order."""
        sentences = list(sentences)
        return [e for e in self.requests if any(e.match(s) for s in sentences)]

    def redirect_topics(self, ids: Iterable[str]) -> set[str]:
        """The topics the answer should cite for these refusal ids (empty: no refusal, retrieve as usual)."""
        wanted = set(ids)
        return {t for e in self.requests if e.id in wanted for t in e.redirect_topics}

    @property
    def refusals(self) -> dict[str, str]:
        return {e.id: e.refusal.strip() for e in self.requests}


@lru_cache
def load_harmful(path: Path = HARMFUL_FILE) -> HarmfulRequests:
    """Load and validate the file; raises ValueError naming the entry and the field that is wrong."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        return HarmfulRequests.model_validate(data)
    except ValidationError as exc:
        raise ValueError(_explain(exc, data, path.name)) from None


def _explain(exc: ValidationError, data: dict, name: str) -> str:
    entries = data.get("requests", []) if isinstance(data, dict) else []
    lines = []
    for err in exc.errors():
        loc = err["loc"]
        if len(loc) >= 2 and loc[0] == "requests" and isinstance(loc[1], int) and loc[1] < len(entries):
            entry = entries[loc[1]]
            who = entry.get("id", f"#{loc[1] + 1}") if isinstance(entry, dict) else f"#{loc[1] + 1}"
            field = ".".join(str(p) for p in loc[2:]) or "(entry)"
            lines.append(f"{name}: entry '{who}', field '{field}': {err['msg']}")
        else:
            lines.append(f"{name}: {'.'.join(str(p) for p in loc) or '(file)'}: {err['msg']}")
    return "\n".join(lines)
