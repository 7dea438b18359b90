"""Every occurrence goes: once a name, place, school or handle is found anywhere in a message, its other occurrences
are personal data too, also where no context gives them away ("Kevin zegt ... en toen deed kevin ...", and the
surname of "Nick Verhoeven" when it returns as "Verhoeven"). A last pass over the analyzer's results.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult

from .lexicon import Lexicon

SPREAD = {"PERSON", "LOCATION", "SCHOOL", "SOCIAL_HANDLE"}
_PART = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")


class Recurrences:
    """Adds a result for each further occurrence of a detected string (whole words; surnames on their own too)."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lex = lexicon or Lexicon()
        # Words that are also ordinary Dutch: only repeated with the same capitals ("Roos", never "roos").
        self.common = self.lex.ambiguous | self.lex.strict_places | self.lex.stop
        self.not_surnames = self.lex.particles | self.lex.stop

    def extend(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        covered = [(r.start, r.end) for r in results]
        added: list[RecognizerResult] = []
        low = text.lower()
        for entity, needle in self._needles(text, results):
            common = needle.lower() in self.common
            for start in self._occurrences(text if common else low, needle if common else needle.lower()):
                end = start + len(needle)
                if not any(s <= start and end <= e for s, e in covered):
                    covered.append((start, end))
                    added.append(RecognizerResult(entity, start, end, 0.5, recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: "recurrence", "rule": "recurrence"}))
        return results + added

    @staticmethod
    def _occurrences(haystack: str, needle: str) -> list[int]:
        """Starts of `needle` as a whole word, also as an owner ('Kevins', "Fatima's"); plain string search, no regex
        to compile per name."""
        out, i = [], haystack.find(needle)
        while i >= 0:
            before = haystack[i - 1] if i else " "
            end = i + len(needle)
            if haystack[end:end + 2] in ("'s", "’s") or haystack[end:end + 1] == "s":
                end += 2 if haystack[end] != "s" else 1  # "Kevins moeder", "Fatima's broer": the owner goes
            after = haystack[end] if end < len(haystack) else " "
            if not (before.isalnum() or before in "_@.") and not (after.isalnum() or after in "_@"):
                out.append(i)
            i = haystack.find(needle, i + 1)
        return out

    def _needles(self, text: str, results: list[RecognizerResult]) -> list[tuple[str, str]]:
        needles: dict[str, str] = {}
        for r in results:
            if r.entity_type not in SPREAD:
                continue
            found = text[r.start:r.end]
            needles.setdefault(found, r.entity_type)
            if r.entity_type == "PERSON":
                for part in _PART.findall(found):
                    low = part.lower()
                    if len(part) >= 3 and part[0].isupper() and low not in self.not_surnames:
                        needles.setdefault(part, "PERSON")  # the surname of "Nick Verhoeven" on its own
        return [(entity, needle) for needle, entity in sorted(needles.items(), key=lambda item: -len(item[0]))]
