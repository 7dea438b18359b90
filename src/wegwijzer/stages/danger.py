"""Stage 2, assess danger: rules as data over every user turn of the conversation, optionally raised by a learned model.

Only redacted text reaches this stage. Rules can only raise the level; each detection carries its rule id. Requests
for harmful help (safety/harmful_requests.yaml) are matched on the newest message only and become detections too,
with their entry id, so the composer can put the refusal in the answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from itertools import pairwise
from typing import Protocol

from ..safety.harmful import HarmfulRequests, load_harmful
from ..safety.rules import RuleSet, load_rules
from ..schemas import LEVEL_ORDER, Assessment, Detection, Redacted

_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# sentence ends; "..." or "…" ends none when the next word carries the sentence on ("hij slaat me... met monopoly",
# "ik ben doodsbang... dat hij zijn vingers eraf snijdt"): the punchline is read with what it explains
_GOES_ON = r"(?!(?:met|bij|in|tegen|dat|want|omdat|op|van|door|tijdens|als)\b)"
_SENTENCES = re.compile(r"(?<=[.!?])(?<!\.\.\.)(?<!…)\s+|(?<=\.\.\.)\s+" + _GOES_ON + r"|(?<=…)\s+" + _GOES_ON + r"|\n+")


def normalise(text: str) -> str:
    """Lower-case, fold odd Unicode (zero-width, RTL overrides, full-width letters) and collapse white space."""
    text = unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", text)).lower()
    text = text.replace("’", "'").replace("‘", "'")
    return re.sub(r"[ \t]+", " ", text).strip()


_DATED = "(Het nieuwste bericht plaatst dit lang geleden.)"
MAX_SENTENCE = 300  # longer "sentences" (no punctuation) are cut into overlapping windows: bounded regex time


def sentences(text: str) -> list[str]:
    out: list[str] = []
    for part in (p.strip() for p in _SENTENCES.split(normalise(text))):
        if len(part) <= MAX_SENTENCE:
            out += [part] if part else []
            continue
        step = MAX_SENTENCE - 60
        out += [part[i : i + MAX_SENTENCE] for i in range(0, len(part) - 60, step)]
    return out


# a passage between quotation marks: opened after a space, a colon or the start, closed before a space, punctuation or
# the end; an apostrophe inside a word (m'n, zo'n, foto's) or before 's/'t/'n ('s nachts) opens nothing
_QUOTED = re.compile(r"""(?:^|(?<=[\s:(]))(["“„‘']|'')(?!(?:s|t|n|k)\b)(?=\S)(.{1,600}?)(?<=\S)(["”“’']|'')(?=$|[\s.,!?;:)])""",
                     re.S)


def unquote(text: str, frame: re.Pattern[str] | None) -> str:
    """The turn without its quoted passages when the rest of it names a story, a review or a writing task (`frame`,
    matched on the normalised text outside the quotes); otherwise the turn as it is. A threat he said, quoted by the
    visitor, has no such frame and stays."""
    if frame is None or not _QUOTED.search(text):
        return text
    outside = _QUOTED.sub(" (citaat) ", text)
    return outside if frame.search(normalise(outside)) else text


def user_turns(conversation: Redacted) -> list[str]:
    """What the visitor wrote, newest first: the order in which the rules and the learned model read a conversation."""
    return [conversation.message] + [c for r, c in reversed(conversation.history) if r == "user"]


class LearnedScorer(Protocol):
    """A learned second opinion: probabilities per level for the user turns (newest first), and the level they mean."""

    def score(self, user_turns: list[str]) -> dict[str, float]: ...

    def decide(self, probs: dict[str, float]) -> str: ...

    def decide_flags(self, probs: dict[str, float]) -> tuple[str, ...]: ...


class DangerAssessor:
    def __init__(self, rules: RuleSet | None = None, learned: LearnedScorer | None = None,
                 harmful: HarmfulRequests | None = None, overrule_urgent: float = 0.6,
                 overrule_acute: float = 1.01, overrule_earlier: float = 1.01,
                 overrule_earlier_urgent: float = 0.0, self_harm_max_none: float = 0.0) -> None:
        """`overrule_urgent`, `overrule_acute`, `overrule_earlier`, `overrule_earlier_urgent`: the model's P(none) at
        or above which it overrules rules that reach only `urgent`, `acute` in the newest message, `acute` in an
        earlier turn, or `urgent` in an earlier turn (above 1: never; a bar never lowers another, so 0 leaves the
        earlier urgent rules to `overrule_urgent`; see `_overrule` for what is never overruled).
        `self_harm_max_none`: a message the model flags `self_harm` is urgent while its P(none) is below this (0: off;
        see `_self_harm`)."""
        self.rules = rules or load_rules()
        self.learned = learned
        self.harmful = harmful or load_harmful()
        self.overrule_urgent = overrule_urgent
        self.overrule_acute = overrule_acute
        self.overrule_earlier = overrule_earlier
        self.overrule_earlier_urgent = overrule_earlier_urgent
        self.self_harm_max_none = self_harm_max_none
        self._needed = {rule_id for r in self.rules.rules for rule_id in r.needs}
        # a refusal, and a rule that keeps the level (prompt-injection text), are never overruled by the model
        self._kept = {r.id for r in self.harmful.requests} | {r.id for r in self.rules.rules if r.keeps_level}
        self._dating = tuple(r for r in self.rules.rules if r.dates_earlier)  # picked once, not in every chat turn

    def run(self, conversation: Redacted) -> Assessment:
        written = user_turns(conversation)
        # the rules read a quoted story without its quote; the model reads what was written, because a watched
        # visitor may dress the danger up as a story ("schrijfoefening: 'hij staat nu beneden met een mes'")
        turns = [unquote(turn, self.rules.compiled_quote_frame) for turn in written]
        detections, dated = self._date_earlier(self._detect(turns), turns)
        detections += self._harmful(conversation.message)
        level = max((d.level for d in detections), key=LEVEL_ORDER.__getitem__, default="none")
        learned: dict[str, float] = {}
        if self.learned is not None:
            # when the newest message dates the earlier turns long ago, the model reads it alone too
            learned = self.learned.score(written[:1] if dated else written)
            level, overruled = self._overrule(level, detections, learned)
            level, extra = self._combine(level, learned, self.learned.decide(learned))
            model_flags = self.learned.decide_flags(learned)
            level, raised = self._self_harm(level, learned, model_flags)
            extra = overruled + extra + raised
            detections += extra + self._learned_flags(detections + raised, learned, model_flags)
        flags = tuple(dict.fromkeys(f for d in detections for f in d.flags))
        return Assessment(level=level, flags=flags, detections=tuple(detections), learned=learned)

    def _detect(self, user_turns: list[str]) -> list[Detection]:
        """Each rule over each sentence of each user turn, newest first; a rule counts once, at the newest turn it
        matched. A rule with `needs` matches only in a turn where one of the rules it needs matched too."""
        found: dict[str, Detection] = {}
        for turn, text in enumerate(user_turns):
            parts = sentences(text) or [normalise(text)]
            here: set[str] = set()
            for rule in self.rules.ordered:
                if (rule.current_only and turn > 0) or (rule.needs and here.isdisjoint(rule.needs)):
                    continue
                if rule.id in found and rule.id not in self._needed:
                    continue
                if any(rule.match(sentence) for sentence in parts):
                    here.add(rule.id)
                    found.setdefault(rule.id, Detection(rule.id, rule.level, rule.flags, rule.explanation, turn))
        return list(found.values())

    def _date_earlier(self, detections: list[Detection], user_turns: list[str]) -> tuple[list[Detection], bool]:
        """A `dates_earlier` rule in the newest message ("dat was in 1987, hij is al lang overleden"), with no danger of
        its own there, makes the danger found in earlier turns long past: those detections keep their ids and flags
        at level none. Not when an earlier user turn matches the rule's `earlier_unless` (it said "net", "gisteren",
        "we wonen nog samen"): then the date is about something else. Returns the detections and whether it dated."""
        dating = [r for r in self._dating if any(d.rule_id == r.id for d in detections)]
        if not dating or any(d.turn == 0 and d.level != "none" for d in detections):
            return detections, False
        newest, earlier = normalise(user_turns[0]), [normalise(text) for text in user_turns[1:]]
        for rule in dating:
            if rule.compiled_unless is not None and rule.compiled_unless.search(newest):
                continue  # the rule's own `unless` reads the whole newest message here, not one sentence
            keep = rule.compiled_earlier_unless
            if keep is not None and any(keep.search(text) for text in earlier):
                continue
            return [replace(d, level="none", explanation=f"{d.explanation} {_DATED}") if d.turn > 0 else d
                    for d in detections], True
        return detections, False

    def _harmful(self, message: str) -> list[Detection]:
        """A refusal answers what is asked now: only the newest message is matched, each sentence and each pair of
        neighbouring sentences, because a request is often split ("kan ik via een vriend appen? heb contactverbod")."""
        parts = sentences(message) or [normalise(message)]
        found = self.harmful.match(parts + [f"{a} {b}" for a, b in pairwise(parts)])
        return [Detection(e.id, e.level, e.flags, e.explanation, 0) for e in found]

    @staticmethod
    def _learned_flags(detections: list[Detection], learned: dict[str, float], flags: tuple[str, ...]) -> list[Detection]:
        """Flags the model adds where no rule set them, each a detection `model-flag-<flag>` with its probability."""
        have = {f for d in detections for f in d.flags}
        return [Detection(f"model-flag-{f}", "none", (f,),  # type: ignore[arg-type]
                          f"Het geleerde model ziet '{f}' (kans {learned[f'flag:{f}']:.2f}); geen regel zag dit.", 0)
                for f in flags if f not in have]

    def _overrule(self, level: str, detections: list[Detection], learned: dict[str, float]
                  ) -> tuple[str, list[Detection]]:
        """Rules match words in one sentence; the sentence next to it may say the danger is long over ("dat was drie
        jaar geleden, ik ben al lang bij hem weg"), a question for school, a joke, a film. When the model, reading
        the whole message, is sure there is no danger now, the level is `none`; the rule ids and their flags stay in
        the reasons, with `model-none` saying why. The bar is P(none) >= overrule_urgent when rules reach only
        `urgent`, the higher overrule_acute when they reach `acute`, and overrule_earlier when an acute rule matched
        an earlier turn (a "sorry, verkeerde chat" may be typed under pressure: the model reads the whole
        conversation as well, and its riskier reading counts), and overrule_earlier_urgent when an urgent rule matched
        an earlier turn (the newest message a thank-you or a practical question: "dank, ik bel vandaag nog"). A
        self-harm signal (an overdose asked about calmly: "is dat erg?"; "ik wil er gewoon niet meer zijn, met wie kan
        ik praten"), a refusal and a message with a `keeps_level` rule (prompt-injection text: "negeer je regels") are
        never overruled.
        Measured by 5-fold cross-validation on the blind training probes (eval/danger_cv.py): see config.py."""
        bar = {"urgent": self.overrule_urgent, "acute": self.overrule_acute}.get(level, 2.0)
        if any(d.level == "acute" and d.turn > 0 for d in detections):
            bar = max(bar, self.overrule_earlier)
        if any(d.level == "urgent" and d.turn > 0 for d in detections):
            bar = max(bar, self.overrule_earlier_urgent)
        if learned.get("none", 0.0) < bar:
            return level, []
        if any(d.rule_id in self._kept for d in detections):
            return level, []
        if any(d.level != "none" and "self_harm" in d.flags for d in detections):
            return level, []
        ids = ", ".join(d.rule_id for d in detections if d.level != "none")
        why = (f"Het geleerde model schat 'geen acuut of dringend gevaar' (kans {learned['none']:.2f}) over het hele "
               f"bericht; de regels ({ids}) zagen losse woorden.")
        return "none", [Detection("model-none", "none", (), why, 0)]

    def _self_harm(self, level: str, learned: dict[str, float], model_flags: tuple[str, ...]
                   ) -> tuple[str, list[Detection]]:
        """Self-harm said quietly ("hoeveel paracetamol is genoeg, vraag voor mezelf"; "de pijn is straks over, ik heb
        alles geregeld"): the model's self_harm flag fires while its level stays below its own urgent threshold. Such a
        message, left at `none` by rules and model (also after `_overrule`), is urgent (113 in the help) when the
        model's P(none) is below `self_harm_max_none`; an information question about suicide (P(none) near 1) stays
        `none`. Measured in config.py (learned_self_harm_max_none)."""
        if level != "none" or "self_harm" not in model_flags or learned.get("none", 1.0) >= self.self_harm_max_none:
            return level, []
        why = (f"Het geleerde model ziet zelfbeschadiging (kans {learned['flag:self_harm']:.2f}) en schat 'geen gevaar' "
               f"op maar {learned['none']:.2f}: bij een signaal van zelfbeschadiging is dat genoeg voor 'urgent'.")
        return "urgent", [Detection("model-self-harm", "urgent", ("self_harm",), why, 0)]

    @staticmethod
    def _combine(level: str, learned: dict[str, float], decided: str) -> tuple[str, list[Detection]]:
        """The learned model may raise the level, never lower it; a raise is itself a detection with an id."""
        if LEVEL_ORDER.get(decided, 0) > LEVEL_ORDER[level]:
            p = learned["acute"] if decided == "acute" else learned["acute"] + learned["urgent"]
            why = f"Het geleerde model schat '{decided}' (kans {p:.2f}); geen regel zag dit."
            return decided, [Detection(f"model-{decided}", decided, (), why, 0)]  # type: ignore[arg-type]
        return level, []
