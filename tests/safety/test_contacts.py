"""Opening hours of the human chat, with a set clock (Europe/Amsterdam, Dutch public holidays, regional hours)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from wegwijzer.safety.contacts import ChatHours, load_contacts
from wegwijzer.schemas import Assessment
from wegwijzer.stages.escalate import Escalator

AMS = ZoneInfo("Europe/Amsterdam")


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=AMS)


@pytest.fixture(scope="module")
def hours() -> ChatHours:
    return ChatHours(load_contacts().chat.regions["landelijk"])


@pytest.mark.parametrize(
    ("case", "now", "open_now", "opens_at"),
    [
        ("working_day_10", at(2026, 11, 25, 10), True, None),
        ("working_day_before_9", at(2026, 11, 25, 8, 59), False, at(2026, 11, 25, 9)),
        ("working_day_1730", at(2026, 11, 25, 17, 30), False, at(2026, 11, 26, 9)),
        ("friday_evening", at(2026, 11, 27, 21), False, at(2026, 11, 30, 9)),
        ("saturday", at(2026, 11, 28, 12), False, at(2026, 11, 30, 9)),
        ("kings_day_tuesday_2027", at(2027, 4, 27, 11), False, at(2027, 4, 28, 9)),
        ("christmas_friday_2026", at(2026, 12, 25, 10), False, at(2026, 12, 28, 9)),
        ("second_christmas_day_then_weekend", at(2026, 12, 24, 18), False, at(2026, 12, 28, 9)),
        ("new_year_2027", at(2027, 1, 1, 10), False, at(2027, 1, 4, 9)),
    ],
)
def test_when_clock_is_set_then_open_now_and_next_opening(hours, case, now, open_now, opens_at):
    assert hours.is_open(now) is open_now, case
    assert hours.next_opening(now) == opens_at, case


def test_when_region_has_evening_hours_then_open_at_22_on_sunday():
    regional = ChatHours(load_contacts().chat.regions["zuidoost-brabant-2020"])
    assert regional.is_open(at(2026, 11, 29, 22))
    assert regional.next_opening(at(2026, 11, 29, 23, 30)) == at(2026, 11, 30, 9)


def test_when_unknown_region_then_refused_at_start():
    with pytest.raises(ValueError, match="unknown chat region"):
        Escalator(region="nergens")


@pytest.mark.parametrize(
    ("level", "flags", "numbers"),
    [
        ("acute", (), ["112", "0800-2000"]),
        ("urgent", (), ["0800-2000", "112"]),
        ("none", (), ["0800-2000", "112"]),
        ("urgent", ("self_harm",), ["0800-2000", "112", "113"]),
        ("urgent", ("sexual",), ["0800-2000", "112", "0800-0188"]),
        ("urgent", ("child",), ["0800-2000", "112", "0800-0432"]),
    ],
)
def test_when_level_and_flags_then_actions_in_order(level, flags, numbers):
    esc = Escalator(clock=lambda: at(2026, 11, 25, 10)).run(Assessment(level=level, flags=flags, detections=()))
    assert [a.number for a in esc.actions] == numbers


def test_when_a_person_is_asked_for_at_night_then_chat_closed_with_next_opening_beside_0800_2000():
    esc = Escalator(clock=lambda: at(2026, 11, 27, 23)).run(Assessment(level="none", flags=("wants_human",), detections=()))
    chat = next(a for a in esc.actions if a.kind == "chat")
    assert chat.open_now is False and chat.opens_at == at(2026, 11, 30, 9).isoformat()
    assert chat.number == "0800-2000" and esc.actions[0].number == "0800-2000"


def test_every_contact_number_is_a_checked_fact():
    from wegwijzer.knowledge.documents import fact_registry

    allowed = set(fact_registry()["numbers"])
    assert {c.number for c in load_contacts().contacts.values()} <= allowed
