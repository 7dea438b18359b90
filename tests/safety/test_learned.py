"""The learned half of danger detection, on the real model trained from eval/data (built once by the session's
services fixture): it can only raise, names every raise and added flag, and survives a save and load."""

from __future__ import annotations

import random

import numpy as np
import pytest

from wegwijzer.config import ROOT
from wegwijzer.safety.learned import (FLAGS, DangerModel, level_thresholds, load_or_train, rule_flags, train, train_flags,
                                      training_cases)
from wegwijzer.schemas import Redacted
from wegwijzer.services import SPACY_DIR
from wegwijzer.stages.danger import DangerAssessor


@pytest.fixture(scope="module")
def model(services) -> DangerModel:
    learned = services.pipeline.assessor.learned
    assert isinstance(learned, DangerModel)
    return learned


def assess(model: DangerModel, message: str, history: list[tuple[str, str]] | None = None):
    return DangerAssessor(learned=model).run(Redacted(message=message, history=history or [], counts={}))


def test_the_model_never_sees_the_frozen_test_split(model) -> None:
    with pytest.raises(ValueError, match="test split"):
        train(model.embedder, [{"message": "x", "level": "none", "split": "test"}])


def test_probabilities_cover_levels_and_flags(model) -> None:
    probs = model.score(["mijn vader slaat mijn oma van 84 en pakt haar pinpas af"])
    assert sum(probs[level] for level in ("none", "urgent", "acute")) == pytest.approx(1.0, abs=1e-3)
    assert {f"flag:{f}" for f in FLAGS} <= probs.keys()


def test_an_added_flag_names_itself_and_is_never_added_twice(model) -> None:
    result = assess(model, "mijn oom neemt steeds geld van de rekening van mijn opa van 88, hij durft niks te zeggen")
    assert "elder" in result.flags
    fired = [d.rule_id for d in result.detections]
    assert fired.count("model-flag-elder") <= 1
    if "model-flag-elder" in fired:  # only where no rule already set the flag
        assert not any("elder" in d.flags for d in result.detections if not d.rule_id.startswith("model-"))


def test_a_plain_question_gets_no_level_and_no_flags_from_the_model(model) -> None:
    result = assess(model, "wat zijn de openingstijden van de chat?")
    assert result.level == "none"
    assert not [d for d in result.detections if d.rule_id.startswith("model-")]


def test_the_model_never_lowers_what_a_rule_found(model) -> None:
    result = assess(model, "help")
    assert result.level == "acute"


def test_save_and_load_keep_thresholds_and_flag_models(model, tmp_path) -> None:
    path = tmp_path / "m.npz"
    model.save(path)
    again = DangerModel.load(path, model.embedder)
    assert (again.t_acute, again.t_urgent, again.fingerprint) == (model.t_acute, model.t_urgent, model.fingerprint)
    np.testing.assert_array_equal(again.flag_t, model.flag_t)
    text = ["ik ben 15 en mijn stiefvader slaat me"]
    assert again.score(text) == model.score(text)


def test_a_smaller_false_alarm_budget_gives_stricter_thresholds(model) -> None:
    cases = training_cases(ROOT / "eval" / "data")
    random.Random(5).shuffle(cases)
    cases = cases[:300]
    wide = train(model.embedder, cases, max_false_alarm=0.10, acute_false_alarm=0.05)
    narrow = train(model.embedder, cases, max_false_alarm=0.02, acute_false_alarm=0.01)
    assert narrow.t_urgent > wide.t_urgent
    assert narrow.t_acute >= wide.t_acute


def test_thresholds_keep_the_false_alarm_budget_and_the_share_of_urgent_left_below_acute() -> None:
    rng = np.random.default_rng(4)
    oof = rng.dirichlet([1.0, 1.0, 1.0], 3000)
    y = rng.integers(0, 3, 3000)
    none, urgent = oof[y == 0], oof[y == 1]
    t_acute, t_urgent = level_thresholds(oof, y, max_false_alarm=0.05, acute_false_alarm=0.02, urgent_below_acute=0.5)
    assert np.mean(none[:, 1] + none[:, 2] >= t_urgent) == pytest.approx(0.05, abs=0.005)
    assert np.mean(none[:, 2] >= t_acute) == pytest.approx(0.02, abs=0.005)  # the budget binds here
    t_acute, _ = level_thresholds(oof, y, max_false_alarm=0.3, acute_false_alarm=0.2, urgent_below_acute=0.9)
    assert np.mean(urgent[:, 2] < t_acute) == pytest.approx(0.9, abs=0.005)  # here the urgent share binds
    assert level_thresholds(oof, y, 0.3, 0.2, 0.95)[0] > t_acute


def test_a_flag_threshold_is_set_on_the_cases_no_rule_flags() -> None:
    """Easy positives the rules already flag must not lower the bar for the hard ones, where the model adds the flag."""
    rng = np.random.default_rng(3)
    easy = rng.normal(4.0, 0.3, 60)       # plainly elder: the rules flag these
    hard = rng.normal(1.0, 1.0, 60)       # elder, but no rule saw it
    negative = rng.normal(0.0, 1.0, 300)
    x = np.concatenate([easy, hard, negative])[:, None].astype(np.float32)
    cases = [{"id": f"t{i % 7}-{i}", "flags": ["elder"] if i < 120 else []} for i in range(len(x))]
    elder = FLAGS.index("elder")
    _, _, on_all = train_flags(x, cases)
    _, _, on_open = train_flags(x, cases, flagged_by_rules=[{"elder"} if i < 60 else set() for i in range(len(x))])
    assert on_open[elder] > on_all[elder]


def test_the_rules_flags_are_those_the_assessor_sets() -> None:
    cases = [{"message": "mijn oma van 82 wordt geslagen door mijn oom"}, {"message": "hoe laat is het"}]
    assert [("elder" in f) for f in rule_flags(cases)] == [True, False]


def test_the_acute_cap_is_a_setting_not_part_of_the_saved_model(model, services, tmp_path) -> None:
    """Changing the cap in config.py must not retrain: it is set after loading, never saved."""
    assert model.acute_max_none == services.settings.learned_acute_max_none < 1.0
    path = tmp_path / "m.npz"
    model.save(path)
    assert DangerModel.load(path, model.embedder).acute_max_none == 1.0
    again = load_or_train(model.embedder, ROOT / "eval" / "data", SPACY_DIR.parent, acute_max_none=0.7)
    assert again is not None and again.fingerprint == model.fingerprint and again.acute_max_none == 0.7


def test_the_model_raises_to_acute_only_while_it_finds_none_less_likely_than_its_cap(model) -> None:
    unsure = {"none": model.acute_max_none, "urgent": 0.0, "acute": 1.0 - model.acute_max_none}
    assert unsure["acute"] >= model.t_acute, "the cap is what decides here, not the acute threshold"
    assert model.decide(unsure) != "acute"
    assert model.decide(unsure, acute_max_none=1.0) == "acute"
    assert model.decide({"none": 0.1, "urgent": 0.0, "acute": 0.9}) == "acute"
