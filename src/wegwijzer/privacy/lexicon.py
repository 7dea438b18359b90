"""The word lists behind the name, place and workplace recognizers (`names.yaml`, `places.yaml`), validated by
pydantic at load and indexed once: sets for single words, gazetteers for phrases, and the few regex fragments the
recognizers share. Built once at start-up and handed to each recognizer.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from .gazetteer import Gazetteer, split_list

HERE = Path(__file__).parent
# A capitalised word (Dutch, Turkish and other Latin letters; not the start of 'Life360'), and any word.
_UPPER = "A-ZÀ-ÖØ-ÞĞİŞÇŁŚŻŹĆŃ"
_LOWER = "a-zß-öø-ÿğışçłśżźćńęąó"
CAP = rf"[{_UPPER}][{_UPPER}{_LOWER}'’-]*[{_UPPER}{_LOWER}](?![\w@])"
WORD = rf"[{_UPPER}{_LOWER}][{_UPPER}{_LOWER}'’-]*"


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first (so 'van der' is tried before 'van')."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class NamesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    first_names: str
    ambiguous: str
    context_only: str
    not_names: str
    titles: list[str] = Field(min_length=1)
    triggers: list[str] = Field(min_length=1)
    weak_triggers: list[str]
    naming_triggers: list[str]
    strong_naming_triggers: list[str]
    fillers: list[str]
    subject_verbs: list[str]
    auxiliaries: list[str]
    lower_titles: list[str]
    relations: list[str] = Field(min_length=1)
    determiners: list[str] = Field(min_length=1)
    adjectives: list[str]
    nickname_triggers: list[str]
    tussenvoegsels: list[str] = Field(min_length=1)
    organisations: str
    media: str


class PlacesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    towns: str
    neighbourhoods: str
    strict: str
    compass: str
    triggers: list[str] = Field(min_length=1)
    neighbourhood_endings: list[str]
    not_places: str
    chains: str
    employer_kinds: list[str]


def _load(model: type[BaseModel], name: str) -> BaseModel:
    return model.model_validate(yaml.safe_load((HERE / name).read_text(encoding="utf-8")))


class Lexicon:
    """Everything the name, place and workplace recognizers look up, loaded from the two YAML files."""

    def __init__(self, names: NamesFile | None = None, places: PlacesFile | None = None) -> None:
        self.names: NamesFile = names or _load(NamesFile, "names.yaml")  # type: ignore[assignment]
        self.places: PlacesFile = places or _load(PlacesFile, "places.yaml")  # type: ignore[assignment]
        n, p = self.names, self.places
        self.first = set(n.first_names.split())
        self.ambiguous = set(n.ambiguous.split())
        self.context_only = set(n.context_only.split())
        self.strict_places = {s.lower() for s in split_list(p.strict)}
        self.place_list = Gazetteer([*split_list(p.towns), *split_list(p.neighbourhoods)])
        self.blocked = Gazetteer([*split_list(p.chains), *split_list(n.organisations), *split_list(n.media)])
        self.chains = Gazetteer(split_list(p.chains))
        # Never a person or a place: function words, countries, nationalities, apps, organisations' words.
        self.stop = set(n.not_names.split()) | {w.lower() for w in split_list(p.not_places)}
        self.stop |= {w.lower() for w in split_list(p.chains) if " " not in w}
        self.not_places = Gazetteer(split_list(p.not_places))
        self.compass = {c.lower() for c in split_list(p.compass)}
        self.particles = {w for t in n.tussenvoegsels for w in t.split()}

    @cached_property
    def tussen(self) -> str:
        return alternation(self.names.tussenvoegsels)

    @cached_property
    def name_tail(self) -> str:
        """Surname words after a first name: ' de Vries', ' van der Linden', ' Boersma'."""
        return rf"(?:[ \t](?:(?i:{self.tussen})[ \t])?{CAP})*"

    def head(self, phrase: str) -> str:
        """The first word of a name that is not a particle: 'van der Linden' -> 'Linden', 'De Linde' -> 'Linde'."""
        parts = phrase.split()
        return next((w for w in parts if w.lower() not in self.particles | {"het"}), parts[-1] if parts else "")

    def is_stop(self, word: str) -> bool:
        low = word.lower().strip("'’")
        return low in self.stop or low.removesuffix("'s").removesuffix("’s") in self.stop
