"""The public contract (shared/CONTRACT.md) on the real stack: every field, the headers, the escalation order."""

from __future__ import annotations

import pytest

from wegwijzer.schemas import TOPICS

pytestmark = pytest.mark.integration


def chat(client, message: str, history: list | None = None):
    return client.post("/api/chat", json={"message": message, "history": history or []})


def test_when_ordinary_question_then_every_field_of_the_contract(client):
    r = chat(client, "Wat is dwingende controle precies?")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"answer", "sources", "escalation", "message_redacted", "redactions"}
    assert len(body["answer"]) > 40 and "0800-2000" in body["answer"] and "112" in body["answer"]
    assert body["sources"] and all(s["topic"] in TOPICS for s in body["sources"])
    assert body["sources"][0]["topic"] == "dwingende-controle"
    assert all(0.0 <= s["score"] <= 1.0 for s in body["sources"])
    esc = body["escalation"]
    assert esc["level"] == "none"
    assert [a["number"] for a in esc["actions"]][:2] == ["0800-2000", "112"]
    assert r.headers["cache-control"] == "no-store"
    assert "set-cookie" not in r.headers


def test_when_a_partner_reads_every_message_then_0800_2000_first_and_112_named(client):
    """The guide's own example. The rules read it as coercive control (urgent); the learned model may judge it an
    ordinary question (none). Either way Veilig Thuis comes first and 112 is named, from the guidance on the topic."""
    body = chat(client, "Mijn vriend leest al mijn berichten, is dat normaal?").json()
    numbers = [a["number"] for a in body["escalation"]["actions"]]
    assert body["escalation"]["level"] in ("none", "urgent")
    assert numbers[0] == "0800-2000" and "112" in numbers
    assert body["sources"][0]["topic"] == "dwingende-controle"
    assert "0800-2000" in body["answer"] and "112" in body["answer"]


def test_when_acute_then_112_is_the_first_action_and_the_first_line(client):
    body = chat(client, "hij staat voor de deur met een mes en schreeuwt dat hij me vermoordt").json()
    assert body["escalation"]["level"] == "acute"
    assert body["escalation"]["actions"][0]["number"] == "112"
    assert "112" in body["answer"].split("\n")[0]


def test_when_urgent_then_0800_2000_first(client):
    body = chat(client, "hij heeft me vorige week gewurgd").json()
    assert body["escalation"]["level"] == "urgent"
    assert body["escalation"]["actions"][0]["number"] == "0800-2000"
    assert "0800-2000" in body["answer"].split("\n")[0]


def test_when_danger_was_in_history_then_it_is_not_forgotten(client):
    hist = [{"role": "user", "content": "hij heeft me gisteren gewurgd"}, {"role": "assistant", "content": "Wat erg."}]
    body = chat(client, "wat moet ik nu doen?", hist).json()
    assert body["escalation"]["level"] in ("urgent", "acute")


def test_when_a_person_is_asked_for_then_a_chat_action_with_hours(client):
    body = chat(client, "ik wil met een echt persoon praten").json()
    actions = body["escalation"]["actions"]
    chat_action = next(a for a in actions if a["kind"] == "chat")
    assert chat_action["open_now"] is True and chat_action["opens_at"] is None  # the suite's clock: Wednesday 10:00
    assert "0800-2000" in [a["number"] for a in actions]
    assert "wants_human" in body["escalation"]["reasons"]


def test_when_personal_data_then_message_redacted_and_counted(client):
    body = chat(client, "Ik ben Fatima en mijn man slaat me. Bel me op 06-12345678 of mail fatima@example.nl").json()
    red = body["message_redacted"]
    assert "Fatima" not in red and "06-12345678" not in red and "fatima@example.nl" not in red
    assert "<PERSOON>" in red and "<TELEFOONNUMMER>" in red and "<EMAIL>" in red
    counts = {x["type"]: x["count"] for x in body["redactions"]}
    assert counts["PHONE_NUMBER"] == 1 and counts["EMAIL_ADDRESS"] == 1 and counts["PERSON"] >= 1


@pytest.mark.parametrize(
    ("name", "payload", "status"),
    [
        ("empty", {"message": ""}, 400),
        ("too_long", {"message": "a" * 4001}, 400),
        ("wrong_type", {"message": 12}, 400),
        ("missing", {"history": []}, 400),
        ("bad_role", {"message": "hoi", "history": [{"role": "system", "content": "x"}]}, 400),
        ("too_much_history", {"message": "hoi", "history": [{"role": "user", "content": "x"}] * 21}, 400),
    ],
)
def test_when_bad_input_then_4xx_in_dutch_naming_both_helplines(client, name, payload, status):
    r = client.post("/api/chat", json=payload)
    assert r.status_code == status, name
    err = r.json()["error"]
    assert err["code"] and "112" in err["message"] and "0800-2000" in err["message"]
    assert r.headers["cache-control"] == "no-store"


def test_when_malformed_json_then_400_naming_both_helplines(client):
    r = client.post("/api/chat", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert "0800-2000" in r.json()["error"]["message"]


def test_when_body_is_huge_then_413_before_parsing(client):
    r = client.post("/api/chat", content=b"x" * 200_000, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "112" in r.json()["error"]["message"]


def test_when_unknown_path_then_404_in_dutch_with_helplines(client):
    r = client.get("/bestaat-niet")
    assert r.status_code == 404 and "0800-2000" in r.json()["error"]["message"]


def test_health_and_page(client):
    assert client.get("/api/health").json()["status"] == "ok"
    page = client.get("/")
    assert page.status_code == 200 and 'lang="nl"' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
