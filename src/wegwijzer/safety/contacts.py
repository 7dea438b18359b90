"""Contact points and the human chat's opening hours, as data (`contacts.yaml`), with a clock tests can set.

Holidays come from the `holidays` package (Netherlands); times are Europe/Amsterdam via zoneinfo.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import holidays
import yaml
from pydantic import BaseModel, ConfigDict, field_validator

CONTACTS_FILE = Path(__file__).with_name("contacts.yaml")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["call", "chat", "link"]
    number: str
    label: str


class Hours(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    days: tuple[str, ...]
    opens: time
    closes: time
    closed_on_holidays: bool = True

    @field_validator("days")
    @classmethod
    def _days(cls, days: tuple[str, ...]) -> tuple[str, ...]:
        if not days or set(days) - set(DAYS):
            raise ValueError(f"days must be a non-empty subset of {DAYS}")
        return days


class ChatConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str
    url: str
    closed_note: str
    regions: dict[str, Hours]


class ContactBook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    contacts: dict[str, Contact]
    chat: ChatConfig
    flag_contacts: dict[str, tuple[str, ...]]

    def model_post_init(self, _: object) -> None:
        for key in ("alarm", "veilig-thuis"):
            if key not in self.contacts:
                raise ValueError(f"contacts.yaml must define '{key}'")
        for flag, keys in self.flag_contacts.items():
            missing = set(keys) - set(self.contacts)
            if missing:
                raise ValueError(f"flag {flag} names unknown contacts {sorted(missing)}")


def load_contacts(path: Path = CONTACTS_FILE) -> ContactBook:
    return ContactBook.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


class ChatHours:
    """Whether the human chat is open at a moment, and when it opens next."""

    def __init__(self, hours: Hours, tz: str = "Europe/Amsterdam") -> None:
        self.hours = hours
        self.tz = ZoneInfo(tz)
        self._holidays = holidays.country_holidays("NL")

    def _open_on(self, day: datetime) -> bool:
        if DAYS[day.weekday()] not in self.hours.days:
            return False
        return not (self.hours.closed_on_holidays and day.date() in self._holidays)

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(self.tz)
        return self._open_on(local) and self.hours.opens <= local.time() < self.hours.closes

    def next_opening(self, now: datetime) -> datetime | None:
        """The next moment the chat opens after `now` (None while it is open)."""
        if self.is_open(now):
            return None
        local = now.astimezone(self.tz)
        for offset in range(0, 15):
            day = local + timedelta(days=offset)
            if not self._open_on(day):
                continue
            start = datetime.combine(day.date(), self.hours.opens, tzinfo=self.tz)
            if start > local:
                return start
        return None
