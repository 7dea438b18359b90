"""Stage 4, compose: an extractive Dutch answer from the retrieved guidance. Nothing is generated, so nothing is
invented: the lines come from `safety/answer_texts.yaml` and `safety/harmful_requests.yaml`, the passages from
`knowledge/`.

Shape: what to do now (by level and flags), the refusal of a request for harmful help (if one was detected), the best
document's direct answer, its most relevant section, the sources to read further, and a footer with 112 and 0800-2000.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from ..safety.harmful import HarmfulRequests, load_harmful
from ..schemas import Assessment, Chunk, Composed, Escalation, Retrieved, Source

TEXTS_FILE = Path(__file__).resolve().parents[1] / "safety" / "answer_texts.yaml"
DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


@lru_cache
def answer_texts(path: Path = TEXTS_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dutch_moment(iso: str, tz: str = "Europe/Amsterdam") -> str:
    """'maandag 30 november om 9.00 uur' for an ISO time."""
    t = datetime.fromisoformat(iso).astimezone(ZoneInfo(tz))
    return f"{DAYS[t.weekday()]} {t.day} {MONTHS[t.month - 1]} om {t.hour}.{t.minute:02d} uur"


class Composer:
    def __init__(self, top_k: int = 3, min_score: float = 0.0, max_words: int = 170,
                 harmful: HarmfulRequests | None = None) -> None:
        self.texts = answer_texts()
        self.refusals = (harmful or load_harmful()).refusals
        self.top_k = top_k
        self.min_score = min_score
        self.max_words = max_words

    def run(self, assessment: Assessment, retrieved: Retrieved, escalation: Escalation) -> Composed:
        docs = self._best_per_doc(retrieved.chunks)
        # The refusal comes after the lead (112 / 0800-2000 stay first) and before the guidance, which is about the
        # redirect (help for people who use violence, the shelter's secret address, 113).
        refusals = [self.refusals[d.rule_id] for d in assessment.detections if d.rule_id in self.refusals]
        parts = [*self._lead(assessment, escalation), *refusals, *self._body(retrieved.chunks, docs)]
        sources = [Source(id=c.doc_id, title=c.title, topic=c.topic, score=c.score) for c in docs]
        if sources:
            parts.append(self.texts["more"] + "\n" + "\n".join(f"- {s.title}" for s in sources))
        parts.append(self.texts["footer"])
        return Composed(answer="\n\n".join(p for p in parts if p), sources=sources)

    def _best_per_doc(self, chunks: list[Chunk]) -> list[Chunk]:
        best: dict[str, Chunk] = {}
        for c in chunks:
            best.setdefault(c.doc_id, c)
        return [c for c in best.values() if c.score >= self.min_score][: self.top_k]

    def _lead(self, assessment: Assessment, escalation: Escalation) -> list[str]:
        lines = [self.texts["lead"][assessment.level]]
        if assessment.level != "acute" and any(d.rule_id == "bang" for d in assessment.detections):
            lines.append(self.texts["ask_danger_now"])
        # a professional writing about a child is not asked "Ben je een kind of jongere?" (the action stays listed)
        skip = {"child"} if "professional" in assessment.flags else set()
        lines += [self.texts["flags"][f] for f in assessment.flags if f in self.texts["flags"] and f not in skip]
        chat = next((a for a in escalation.actions if a.kind == "chat"), None)
        if chat is not None:
            if chat.open_now:
                lines.append(self.texts["chat_open"])
            else:
                when = dutch_moment(chat.opens_at) if chat.opens_at else "de eerstvolgende werkdag"
                lines.append(self.texts["chat_closed"].format(opens_at=when))
        return lines

    def _body(self, chunks: list[Chunk], docs: list[Chunk]) -> list[str]:
        if not docs:
            return [self.texts["no_match"]]
        top = docs[0].doc_id
        own = [c for c in chunks if c.doc_id == top]
        intro = next((c for c in own if c.heading == ""), None)
        section = next((c for c in own if c.heading != ""), None)
        body = [f"**{docs[0].title}**"]
        if intro is not None:
            body.append(intro.text)
        if section is not None:
            body.append(f"**{section.heading}**\n{self._trim(section.text)}")
        return body

    def _trim(self, text: str) -> str:
        """Cut a section at a paragraph boundary near the word budget, so the answer stays short."""
        out: list[str] = []
        words = 0
        for para in text.split("\n\n"):
            n = len(para.split())
            if out and words + n > self.max_words:
                break
            out.append(para)
            words += n
        return "\n\n".join(out)
