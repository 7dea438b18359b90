"""The composer on real guidance (session store): the answer's first lines follow the level and the flags."""

from __future__ import annotations

from wegwijzer.schemas import ChatRequest


def answer(services, message: str) -> str:
    return services.pipeline.run(ChatRequest(message=message)).answer


def test_an_acute_answer_opens_with_112(services) -> None:
    text = answer(services, "hij staat voor de deur en zegt dat hij me vanavond afmaakt")
    assert text.splitlines()[0].startswith("**Ben jij of is iemand anders nu in gevaar? Bel meteen 112.**")


def test_an_urgent_answer_opens_with_veilig_thuis(services) -> None:
    first = answer(services, "mijn vader heeft me gisteren geslagen").split("\n\n")[0]
    assert "0800-2000" in first and first.index("0800-2000") < first.index("112")


def test_a_child_writing_is_pointed_to_the_kindertelefoon(services) -> None:
    assert "Kindertelefoon: 0800-0432" in answer(services, "ik ben 12 en mijn vader slaat mij")


def test_a_teacher_is_not_asked_whether_they_are_a_child(services) -> None:
    text = answer(services, "Ik ben leerkracht en zie blauwe plekken bij een leerling")
    assert "Ben je een kind of jongere?" not in text
    assert "0800-2000" in text and "112" in text


def test_every_answer_ends_with_both_numbers(services) -> None:
    last = answer(services, "wat is dwingende controle").split("\n\n")[-1]
    assert "112" in last and "0800-2000" in last
