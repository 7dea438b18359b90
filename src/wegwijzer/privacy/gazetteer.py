"""Word lists matched as whole words and phrases, fast: the text is split into words once, and each word is one
dictionary look-up, so a list of a thousand places costs no more than a short one (no giant alternation regex).

A phrase matches when its words follow each other with only spaces, hyphens, apostrophes or slashes between them, so
"Capelle aan den IJssel", "Amsterdam-Noord" and "'s-Hertogenbosch" are found however they are joined.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

import regex as re

WORD = re.compile(r"[^\W\d_]+")
_JOIN = re.compile(r"[ \t'’/&-]{1,3}")


class Word(NamedTuple):
    start: int
    end: int
    low: str


class Hit(NamedTuple):
    start: int
    end: int
    key: str
    text: str


@lru_cache(maxsize=16)
def words(text: str) -> tuple[Word, ...]:
    """The words of a text (cached: every recognizer of one message asks for the same split)."""
    return tuple(Word(m.start(), m.end(), m.group().lower()) for m in WORD.finditer(text))


def split_list(value: str) -> list[str]:
    """'Den Haag, Oss, Ter Apel' -> ['Den Haag', 'Oss', 'Ter Apel'] (the lists in the YAML files)."""
    return [item.strip() for item in value.split(",") if item.strip()]


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in WORD.findall(phrase))


class Gazetteer:
    """Phrases indexed by their first word; `find` returns the longest phrase at each word, left to right."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.index: dict[str, list[tuple[str, ...]]] = {}
        self.canonical: dict[tuple[str, ...], str] = {}
        for phrase in phrases:
            key = _key(phrase)
            if key and key not in self.canonical:
                self.canonical[key] = phrase
                self.index.setdefault(key[0], []).append(key)
        for keys in self.index.values():
            keys.sort(key=len, reverse=True)

    def __contains__(self, phrase: str) -> bool:
        return _key(phrase) in self.canonical

    def find(self, text: str, tokens: tuple[Word, ...] | None = None) -> list[Hit]:
        tokens = words(text) if tokens is None else tokens
        hits: list[Hit] = []
        i = 0
        while i < len(tokens):
            n = self.match_at(text, tokens, i) if tokens[i].low in self.index else 0
            if n:
                start, end = tokens[i].start, tokens[i + n - 1].end
                if start > 0 and text[start - 1] in "'’" and tokens[i].low in ("s", "t"):
                    start -= 1  # "'s-Hertogenbosch", "'t Harde"
                key = self.canonical[tuple(t.low for t in tokens[i:i + n])]
                hits.append(Hit(start, end, key, text[start:end]))
                i += n
            else:
                i += 1
        return hits

    def match_at(self, text: str, tokens: tuple[Word, ...], i: int) -> int:
        """Number of words of the longest phrase that starts at word i (0: none)."""
        for key in self.index.get(tokens[i].low, ()):
            n = len(key)
            if i + n > len(tokens):
                continue
            if all(tokens[i + j].low == key[j] for j in range(1, n)) and all(
                _JOIN.fullmatch(text[tokens[i + j].end:tokens[i + j + 1].start]) for j in range(n - 1)
            ):
                return n
        return 0


class Cue:
    """A regex that opens with one of a list of cue words ('mijn', 'meester', 'woont in'), tried only where such a
    word starts: one set look-up per word of the text instead of the regex engine trying every position."""

    def __init__(self, cues: Iterable[str], pattern: str) -> None:
        self.first = {WORD.findall(c)[0].lower() for c in cues if WORD.findall(c)}
        self.rx = re.compile(pattern)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        end = 0
        for w in words(text):
            if w.start >= end and w.low in self.first and (m := self.rx.match(text, w.start)):
                end = m.end()
                yield m
