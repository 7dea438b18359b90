"""Stage 2, assess danger: rules as data over every user turn of the conversation, optionally raised by a learned model.

Only redacted text reaches this stage. Rules can only raise the level; each detection carries its rule id.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol

from ..safety.rules import RuleSet, load_rules
from ..schemas import LEVEL_ORDER, Assessment, Detection, Redacted

_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


def normalise(text: str) -> str:
    """Lower-case, fold odd Unicode (zero-width, RTL overrides, full-width letters) and collapse white space."""
    text = unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", text)).lower()
    text = text.replace("’", "'").replace("‘", "'")
    return re.sub(r"[ \t]+", " ", text).strip()


def sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _SENTENCES.split(normalise(text))) if s]


class LearnedScorer(Protocol):
    """A learned second opinion: probabilities per level for the user turns (newest first)."""

    def score(self, user_turns: list[str]) -> dict[str, float]: ...


class DangerAssessor:
    def __init__(self, rules: RuleSet | None = None, learned: LearnedScorer | None = None) -> None:
        self.rules = rules or load_rules()
        self.learned = learned

    def run(self, conversation: Redacted) -> Assessment:
        user_turns = [conversation.message] + [c for r, c in reversed(conversation.history) if r == "user"]
        detections = self._detect(user_turns)
        level = max((d.level for d in detections), key=LEVEL_ORDER.__getitem__, default="none")
        learned: dict[str, float] = {}
        if self.learned is not None:
            learned = self.learned.score(user_turns)
            level, extra = self._combine(level, learned)
            detections += extra
        flags = tuple(dict.fromkeys(f for d in detections for f in d.flags))
        return Assessment(level=level, flags=flags, detections=tuple(detections), learned=learned)

    def _detect(self, user_turns: list[str]) -> list[Detection]:
        found: dict[str, Detection] = {}
        for turn, text in enumerate(user_turns):
            for sentence in sentences(text) or [normalise(text)]:
                for rule in self.rules.rules:
                    if rule.id in found or (rule.current_only and turn > 0):
                        continue
                    if rule.match(sentence):
                        found[rule.id] = Detection(rule.id, rule.level, rule.flags, rule.explanation, turn)
        return list(found.values())

    @staticmethod
    def _combine(level: str, learned: dict[str, float]) -> tuple[str, list[Detection]]:
        """The learned model may raise the level, never lower it; a raise is itself a detection with an id."""
        best = max(learned, key=learned.__getitem__) if learned else "none"
        if LEVEL_ORDER.get(best, 0) > LEVEL_ORDER[level]:
            why = f"Het geleerde model schat '{best}' ({learned[best]:.2f})."
            return best, [Detection(f"model-{best}", best, (), why, 0)]  # type: ignore[arg-type]
        return level, []
