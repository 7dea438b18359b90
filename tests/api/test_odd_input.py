"""Odd Unicode and odd bytes through the real stack: zero-width characters, RTL overrides, emoji floods, combining
marks, control characters, lone surrogates, invalid UTF-8. Never a 5xx, always both helplines, and hidden
characters do not hide danger."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.integration

ZW = "\u200b"  # zero-width space
RLO, PDF = "\u202e", "\u202c"  # right-to-left override, pop directional formatting


def helplines(r) -> None:
    assert r.status_code < 500, r.text[:300]
    assert "112" in r.text and "0800-2000" in r.text
    assert r.headers["cache-control"] == "no-store"


def level(r) -> str:
    return r.json()["escalation"]["level"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("zero_width_between_letters", ZW.join("hij slaat me nu en ik ben bang")),
        ("zero_width_joiners_and_bom", "\ufeffhij\u200d slaat\u2060 me nu\u200c"),
        ("rtl_override", f"{RLO}hij slaat me nu{PDF}"),
        ("full_width_letters", "ｈｉｊ ｓｌａａｔ ｍｅ ｎｕ"),
    ],
)
def test_when_hidden_characters_wrap_danger_then_it_is_still_seen(client, name, message):
    r = client.post("/api/chat", json={"message": message})
    helplines(r)
    assert r.status_code == 200, name
    assert level(r) in ("acute", "urgent"), name


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("emoji_flood", "😭" * 4000),
        ("emoji_zwj_sequences", "👩‍👧‍👦" * 500),
        ("flags_and_skin_tones", "🇳🇱👋🏽" * 800),
        ("combining_marks", "a" + "\u0301" * 3999),
        ("only_zero_width", ZW * 50),
        ("only_newlines", "\n" * 4000),
        ("control_characters", "hoi\x00\x07\x1b[31mdaar\x7f"),
        ("arabic_rtl", "زوجي يضربني، ماذا أفعل؟"),
        ("mixed_bidi", f"mijn man {RLO}slaat{PDF} me \u200fعربي\u200e en ik ben bang"),
        ("private_use_and_noncharacters", "\ue000\uf8ff\ufffe\uffff" * 100),
        ("astral_math_letters", "𝐡𝐢𝐣 𝐬𝐥𝐚𝐚𝐭 𝐦𝐞"),
    ],
)
def test_when_odd_unicode_then_an_answer_with_both_helplines(client, name, message):
    r = client.post("/api/chat", json={"message": message})
    helplines(r)
    assert r.status_code == 200, name
    body = r.json()
    numbers = {a.get("number") for a in body["escalation"]["actions"]}
    assert {"112", "0800-2000"} <= numbers, name


def test_when_emoji_flood_is_over_the_length_limit_then_400_not_a_crash(client):
    r = client.post("/api/chat", json={"message": "🔥" * 4001})
    helplines(r)
    assert r.status_code == 400


def test_when_history_is_an_emoji_flood_then_answered_or_refused_by_size(client):
    history = [{"role": "user", "content": "😡" * 700}, {"role": "assistant", "content": "🙏" * 700}] * 10
    r = client.post("/api/chat", json={"message": "en nu?", "history": history})
    helplines(r)
    assert r.status_code in (200, 413)


@pytest.mark.parametrize("escaped", ["\\ud800", "hoi \\udfff daar", "\\udc00\\ud800"])
def test_when_lone_surrogates_then_no_5xx(client, escaped):
    raw = ('{"message": "' + escaped + '"}').encode()
    r = client.post("/api/chat", content=raw, headers={"content-type": "application/json"})
    helplines(r)
    assert r.status_code in (200, 400)
    json.loads(r.text)


@pytest.mark.parametrize("raw", [b'{"message": "\xff\xfe hoi"}', b'{"message": "\xc3"}', b"\xef\xbb\xbf{}"])
def test_when_body_is_not_utf8_then_400(client, raw):
    r = client.post("/api/chat", content=raw, headers={"content-type": "application/json"})
    helplines(r)
    assert r.status_code == 400
