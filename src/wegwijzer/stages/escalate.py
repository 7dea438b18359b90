"""Stage 5, escalate: turn the danger assessment into the contract's `escalation` with ordered actions.

acute: 112 first, then 0800-2000. urgent: 0800-2000 first, then 112. none: 0800-2000 and 112 all the same.
Flags add the fitting helpline; a request for a person adds the Veilig Thuis chat with its real opening hours.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from ..safety.contacts import ChatHours, Contact, ContactBook, load_contacts
from ..schemas import Action, Assessment, Escalation

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Escalator:
    def __init__(
        self, book: ContactBook | None = None, region: str = "landelijk", tz: str = "Europe/Amsterdam",
        clock: Clock = utc_now,
    ) -> None:
        self.book = book or load_contacts()
        if region not in self.book.chat.regions:
            raise ValueError(f"unknown chat region '{region}'; known: {sorted(self.book.chat.regions)}")
        self.hours = ChatHours(self.book.chat.regions[region], tz)
        self.clock = clock

    def run(self, assessment: Assessment) -> Escalation:
        order = ["alarm", "veilig-thuis"] if assessment.level == "acute" else ["veilig-thuis", "alarm"]
        for flag in assessment.flags:
            order += [k for k in self.book.flag_contacts.get(flag, ()) if k not in order]
        actions = [self._call(self.book.contacts[k]) for k in order]
        if "wants_human" in assessment.flags:
            actions.insert(2 if assessment.level == "acute" else 1, self.chat_action())
        return Escalation(level=assessment.level, reasons=assessment.reasons, actions=actions)

    @staticmethod
    def _call(contact: Contact) -> Action:
        return Action(kind=contact.kind, label=contact.label, number=contact.number, open_now=True, opens_at=None)

    def chat_action(self) -> Action:
        now = self.clock()
        is_open = self.hours.is_open(now)
        nxt = None if is_open else self.hours.next_opening(now)
        label = self.book.chat.label if is_open else f"{self.book.chat.label}. {self.book.chat.closed_note}"
        return Action(
            kind="chat", label=label, url=self.book.chat.url, number="0800-2000",
            open_now=is_open, opens_at=nxt.isoformat() if nxt else None,
        )
