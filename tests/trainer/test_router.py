"""The trainer page and API on the real stack: off by default, token checked, the explanation of one turn."""

from __future__ import annotations

import re

import pytest

from wegwijzer.schemas import TOPICS

pytestmark = pytest.mark.integration

QUESTION = "hij staat voor de deur met een mes en schreeuwt dat hij me vermoordt"


def assert_contract_error(r, status: int) -> None:
    assert r.status_code == status
    message = r.json()["error"]["message"]
    assert "112" in message and "0800-2000" in message
    assert r.headers["cache-control"] == "no-store"


def test_when_trainer_is_not_enabled_then_page_and_api_do_not_exist(client):
    assert_contract_error(client.get("/trainer"), 404)
    assert_contract_error(client.post("/trainer/api/ask", json={"message": "hoi"}, headers={"X-Trainer-Token": "x"}),
                          404)


@pytest.mark.parametrize("headers", [{}, {"X-Trainer-Token": "wrong"}, {"X-Trainer-Token": ""}],
                         ids=["missing", "wrong", "empty"])
def test_when_token_is_not_right_then_401_with_the_helplines(trainer_client, headers):
    for r in (trainer_client.post("/trainer/api/ask", json={"message": QUESTION}, headers=headers),
              trainer_client.get("/trainer/api/verdicts", headers=headers),
              trainer_client.get("/trainer/api/options", headers=headers)):
        assert_contract_error(r, 401)
        assert r.json()["error"]["code"] == "geen_toegang"


def test_when_no_token_is_configured_then_every_call_is_refused(settings, services, tmp_path):
    from fastapi.testclient import TestClient

    from wegwijzer.api.app import create_app

    app = create_app(settings.model_copy(update={"trainer_enabled": True, "verdicts_db": tmp_path / "v.sqlite"}),
                     services=services)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert_contract_error(c.get("/trainer/api/options", headers={"X-Trainer-Token": ""}), 401)
        assert_contract_error(c.get("/trainer/api/options", headers={"X-Trainer-Token": "None"}), 401)


def test_when_enabled_then_the_page_is_a_static_shell_under_the_strict_csp(trainer_client):
    r = trainer_client.get("/trainer")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    page = r.text
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/trainer/trainer.js" defer>']
    assert "<style" not in page and " style=" not in page
    for asset in ("/static/trainer/trainer.js", "/static/trainer/trainer.css"):
        assert trainer_client.get(asset).status_code == 200


def test_when_the_script_keeps_the_token_then_only_in_memory(trainer_client):
    js = trainer_client.get("/static/trainer/trainer.js").text
    for storage in ("localStorage", "sessionStorage", "document.cookie", "innerHTML", "indexedDB"):
        assert storage not in js.split("*/", 1)[1]


def test_when_token_is_right_then_ask_shows_the_answer_and_why(trainer_client, auth):
    r = trainer_client.post("/trainer/api/ask", json={"message": QUESTION}, headers=auth)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"response", "explanation"}
    assert body["response"]["escalation"]["level"] == "acute"
    why = body["explanation"]
    assert why["level"] == "acute" and why["rules"]
    assert all(rule["rule_id"] and rule["explanation"] for rule in why["rules"])
    assert isinstance(why["learned"], dict)
    fused = [c["fused"] for c in why["candidates"]]
    assert why["candidates"] and all(c["topic"] in TOPICS for c in why["candidates"])
    assert fused == sorted(fused, reverse=True)  # z-score fusion: ranked best first, not bounded to 0..1
    assert any(c["dense"] is not None for c in why["candidates"])
    assert any(c["lexical"] is not None for c in why["candidates"])
    assert why["sources"] and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", s["reviewed"]) for s in why["sources"])
    assert {"redact", "danger", "retrieve", "compose"} <= set(why["timings_ms"])


def test_when_question_has_personal_data_then_each_redaction_is_explained(trainer_client, auth):
    question = "Ik ben Fatima, mijn man belt me steeds, bel me op 06-12345678"
    why = trainer_client.post("/trainer/api/ask", json={"message": question}, headers=auth).json()["explanation"]
    assert "Fatima" not in why["message_redacted"] and "06-12345678" not in why["message_redacted"]
    found = {question[s["start"]:s["end"]]: s["type"] for s in why["redactions"]}
    assert found.get("Fatima") == "PERSON" and found.get("06-12345678") == "PHONE_NUMBER"


def test_when_a_verdict_is_sent_then_it_is_kept_and_listed(trainer_client, auth):
    verdict = {"question": "hoe lang duurt een huisverbod", "overall": "deels goed", "errors": ["te lang"],
               "expected_topic": "huisverbod", "expected_level": "none", "comment": "korter graag",
               "suggested_text": "", "answer_level": "none", "answer_sources": [{"id": "x", "topic": "huisverbod"}]}
    r = trainer_client.post("/trainer/api/verdicts", json=verdict, headers=auth)
    assert r.status_code == 201
    saved = r.json()
    assert saved["id"] == 1 and saved["question_redacted"] == verdict["question"] and saved["commit"]
    listed = trainer_client.get("/trainer/api/verdicts", headers=auth).json()["verdicts"]
    assert [v["id"] for v in listed] == [1]


@pytest.mark.parametrize("change", [{"overall": "prima"}, {"errors": ["onbekend"]}, {"expected_topic": "weer"},
                                    {"question": ""}, {"answer_level": "hoog"}])
def test_when_a_verdict_is_invalid_then_400_with_the_helplines(trainer_client, auth, change):
    verdict = {"question": "vraag", "overall": "goed", "answer_level": "none", **change}
    assert_contract_error(trainer_client.post("/trainer/api/verdicts", json=verdict, headers=auth), 400)
