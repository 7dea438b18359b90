"""The learned half of danger detection: a logistic regression over three views of the conversation's user turns
(character n-grams, word n-grams and the sentence embedding we already compute; backends/features.py).

Trained on labelled messages (the dev split of eval/data/danger.jsonl and eval/data/danger_train.jsonl; never the
frozen test split) at ingest time, saved beside the store, loaded at start-up. It can only RAISE the level that the
rules give (stages/danger.py), and each raise names itself (`model-acute`, `model-urgent`) with its probability.
Thresholds are chosen by 5-fold cross-validation on the training data, so that the model alone raises a `none`
message in at most `max_false_alarm` of the cases.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..backends.embedders import Embedder
from ..backends.features import NEGATION_SCOPE, SETTINGS as VIEWS, SOLVER, LinearHead, Views, load_model, save_model
from ..schemas import Redacted
from .harmful import HARMFUL_FILE
from .rules import FLAGS, RULES_FILE

LEVELS = ("none", "urgent", "acute")
# A flag the model adds must be right this often out of fold, or the model never adds it. Lower for self_harm, where a
# missed flag (no 113 in the help) costs more than a needless one. Cross-validated on 2,006 blind probes
# (eval/danger_cv.py --flag-precision self_harm=0.7): self_harm precision/recall 0.80/0.77 -> 0.66/0.87. Not lowered
# for perpetrator or bystander (0.79/0.83 -> 0.67/0.86 and 0.76/0.76 -> 0.68/0.81 at 0.75): telling a victim she is
# the one who uses violence is a harm of its own. Lower for child too since precision is counted only where no rule
# flags (see train_flags): at 0.85 the model added child to 10 of 376 fresh probes (8 right), at 0.7 to 24 (17 right);
# a child who is not shown the Kindertelefoon costs more than an adult who is.
FLAG_PRECISION = {**{flag: 0.85 for flag in FLAGS}, "self_harm": 0.7, "child": 0.7}


@dataclass
class DangerModel:
    embedder: Embedder
    views: Views
    coef: np.ndarray        # (3, n-gram features + embedding dims), rows in LEVELS order
    intercept: np.ndarray   # (3,)
    t_acute: float          # raise to acute when P(acute) >= t_acute
    t_urgent: float         # raise to urgent when P(acute) + P(urgent) >= t_urgent
    fingerprint: str
    flag_coef: np.ndarray | None = None       # (len(FLAGS), features): one-vs-rest logistic regression per flag
    flag_intercept: np.ndarray | None = None  # (len(FLAGS),)
    flag_t: np.ndarray | None = None          # add flag i when P >= flag_t[i] (inf: never)
    acute_max_none: float = 1.0               # acute only while P(none) < this; from config.py, never saved
    # out-of-fold P per level and the gold levels of the training data, kept in memory after train(), never saved:
    # eval/danger_cv.py derives the thresholds of other training choices from them without training again
    oof: tuple[np.ndarray, np.ndarray] | None = None

    def __post_init__(self) -> None:
        self.head = LinearHead(self.views, self.coef, self.intercept)
        self.flag_head = (LinearHead(self.views, self.flag_coef, self.flag_intercept)
                          if self.flag_coef is not None and self.flag_intercept is not None else None)

    @property
    def features(self) -> int:
        return self.coef.shape[1]

    def probabilities(self, texts: list[str], x: np.ndarray, grams=None) -> np.ndarray:
        """P per level (LEVELS order) for each text, given its embedding (a row of `x`)."""
        logits = self.head.logits(texts, x, grams)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def score(self, user_turns: list[str]) -> dict[str, float]:
        """P per level for the riskiest of: the newest message, and all user turns read together; and P per
        situation flag (`flag:child`, ...), the higher of the two readings."""
        texts = [user_turns[0]] if len(user_turns) == 1 else [user_turns[0], "\n".join(reversed(user_turns))]
        x = self.embedder.embed_queries(texts)
        grams = self.views.ngrams(texts)
        probs = self.probabilities(texts, x, grams)
        worst = probs[int(np.argmin(probs[:, 0]))]
        out = {level: round(float(worst[i]), 4) for i, level in enumerate(LEVELS)}
        if self.flag_head is not None:
            p_flags = (1.0 / (1.0 + np.exp(-self.flag_head.logits(texts, x, grams)))).max(axis=0)
            out.update({f"flag:{f}": round(float(p), 4) for f, p in zip(FLAGS, p_flags)})
        return out

    def decide_flags(self, probs: dict[str, float]) -> tuple[str, ...]:
        """The situation flags the model is confident of (thresholds chosen for precision >= FLAG_PRECISION)."""
        if self.flag_t is None:
            return ()
        return tuple(f for f, t in zip(FLAGS, self.flag_t) if probs.get(f"flag:{f}", 0.0) >= t)

    def decide(self, probs: dict[str, float], acute_max_none: float | None = None) -> str:
        """Acute on P(acute) >= t_acute while P(none) < acute_max_none; then urgent on P(acute) + P(urgent).
        P(acute) alone raised short messages with little to go on ("👋", "vertel een mop", "is dit de politie?") to
        acute while the model found `none` more likely. Minimised danger ("is vast niks, maar hij staat al een half
        uur in mijn tuin") still reads as acute: its P(none) is low. Measured in config.py (learned_acute_max_none);
        `acute_max_none` overrides the model's own for a comparison (eval/danger_cv.py --acute-max-none)."""
        cap = self.acute_max_none if acute_max_none is None else acute_max_none
        if probs["acute"] >= self.t_acute and probs["none"] < cap:
            return "acute"
        if probs["acute"] + probs["urgent"] >= self.t_urgent:
            return "urgent"
        return "none"

    def save(self, path: Path) -> None:
        flags = {} if self.flag_coef is None else {"flag_coef": self.flag_coef, "flag_intercept": self.flag_intercept,
                                                   "flag_t": self.flag_t}
        arrays, views = self.views.arrays()
        meta = {"t_acute": self.t_acute, "t_urgent": self.t_urgent, "fingerprint": self.fingerprint, "views": views}
        save_model(path, meta, coef=self.coef, intercept=self.intercept, **flags, **arrays)

    @classmethod
    def load(cls, path: Path, embedder: Embedder) -> "DangerModel":
        data, meta = load_model(path)
        flags = [data.get(k) for k in ("flag_coef", "flag_intercept", "flag_t")]
        return cls(embedder, Views.from_arrays(data, meta["views"]), data["coef"], data["intercept"], meta["t_acute"],
                   meta["t_urgent"], meta["fingerprint"], *flags)


def conversation(case: dict) -> Redacted:
    """A labelled case as the danger stage reads it (the data holds written messages, no personal data to remove)."""
    history = [(t["role"], t["content"]) for t in case.get("history", [])]
    return Redacted(message=case["message"], history=history, counts={})


def case_text(case: dict) -> str:
    turns = [t["content"] for t in case.get("history", []) if t["role"] == "user"] + [case["message"]]
    return "\n".join(turns)


# Changing a training choice (regularisation, false-alarm budget) must retrain the saved model: part of its name.
# c_reg by cross-validation on 3,300 blind probes (eval/danger_cv.py --c-reg), acute / urgent+ / false alarms:
# 3: 0.975 / 0.981 / 0.105; 10: 0.977 / 0.981 / 0.097; 30: 0.978 / 0.981 / 0.090; 100: 0.978 / 0.981 / 0.087.
# 30: nearly all of the gain, with more regularisation than 100.
# max_false_alarm: the model alone may raise this share of harmless messages (out of fold), acute_false_alarm of them
# to acute. The raises come on top of the rules' own false alarms, so 0.05 alone used up the whole budget of #5.
# On 3,683 blind probes (eval/danger_cv.py --max-false-alarm, acute share 0.025 in both), acute / urgent+ / false
# alarms: 0.05: 0.981 / 0.981 / 0.091; 0.03: 0.981 / 0.978 / 0.081 (dev split of danger.jsonl, written with the test
# split: false alarms 0.042 -> 0.035, urgent+ 0.976 both). Keeping the acute share keeps acute recall.
# acute_false_alarm 0.025 -> 0.03 when 1,000 harder harmless messages came in (children's everyday life, probes tn to
# tt): they raised the out-of-fold P(acute) quantile of `none`, so t_acute rose 0.12 -> 0.14 and the model alone raised
# fewer acute blind probes (out of fold 0.978 -> 0.974); at 0.03 t_acute is 0.10 (0.980; urgent read as acute
# 0.087 -> 0.106, harmless as acute 0.023 -> 0.029). A missed acute costs more than either.
# urgent_below_acute: the model's raise of urgent messages to acute (a needless 112 first) grew with the self-harm data.
# Cross-validated on 22,354 training cases (eval/danger_cv.py --urgent-below-acute 0.8,0.85,0.9,0.95), on the 19,212
# blind probes: up to 0.9 the acute budget on `none` sets t_acute, not this share (acute missed 63, urgent raised to
# acute 0.119 at 0.8; 63 and 0.117 at 0.9); at 0.95 it binds: 0.084 raised, but acute missed 115. Kept at 0.8.
TRAINING = {"c_reg": 30.0, "max_false_alarm": 0.03, "acute_false_alarm": 0.03, "urgent_below_acute": 0.8,
            "flags": list(FLAGS), "flag_precision": FLAG_PRECISION, "flag_c": 10.0,
            "flag_precision_on": "cases the rules do not flag", "views": VIEWS, "solver": SOLVER,
            "negation_scope": NEGATION_SCOPE}  # backends/features.py mark_negation


def _logreg(c_reg: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c_reg, max_iter=4000, class_weight="balanced", solver=SOLVER)


def fingerprint(cases: list[dict], embedder_name: str) -> str:
    """What the model learned from: the data, the training choices and, since the flag thresholds are set on the cases
    no rule flags (train_flags), the rule files."""
    h = hashlib.sha256(embedder_name.encode())
    h.update(json.dumps(TRAINING, sort_keys=True).encode())
    h.update(RULES_FILE.read_bytes() + HARMFUL_FILE.read_bytes())
    for c in cases:
        h.update(json.dumps([case_text(c), c["level"], sorted(c.get("flags", []))], ensure_ascii=False).encode())
    return h.hexdigest()[:16]


def train(embedder: Embedder, cases: list[dict], c_reg: float = TRAINING["c_reg"],
          max_false_alarm: float = TRAINING["max_false_alarm"],
          acute_false_alarm: float = TRAINING["acute_false_alarm"],
          urgent_below_acute: float = TRAINING["urgent_below_acute"],
          flag_precision: dict[str, float] | None = None,
          flagged_by_rules: list[set[str]] | None = None) -> DangerModel:
    """Thresholds are chosen on out-of-fold probabilities of the training data: the model alone may raise at most
    `max_false_alarm` of the `none` messages (`acute_false_alarm` of them to acute), and at most
    1 - `urgent_below_acute` of the `urgent` ones to acute. Chosen by 5-fold cross-validation on the training data,
    safety first (a missed acute signal is the worst bug this project can have, a needless one the second worst).
    The whole stage, rules + this model, is measured the same way by eval/danger_cv.py: on the 14,488 blind probes
    acute recall 0.987, urgent-or-higher 0.985, false alarms 0.051 (rules alone: 0.648, 0.726, 0.147; this model
    alone: 0.971, 0.975, 0.038); these probes aim at the hardest borders on purpose."""
    from sklearn.model_selection import StratifiedKFold

    if any(c.get("split") == "test" for c in cases):
        raise ValueError("the learned danger model must never see the frozen test split")
    texts = [case_text(c) for c in cases]
    views = Views(negation=bool(TRAINING["negation_scope"]))
    # The n-gram vocabularies are fitted on all training texts before the folds (no labels involved).
    x = views.fit(texts, embedder.embed_queries(texts))
    y = np.array([LEVELS.index(c["level"]) for c in cases])
    oof = np.zeros((len(cases), 3))
    for train_idx, val_idx in StratifiedKFold(5, shuffle=True, random_state=7).split(x, y):
        clf = _logreg(c_reg).fit(x[train_idx], y[train_idx])
        oof[val_idx] = clf.predict_proba(x[val_idx])
    t_acute, t_urgent = level_thresholds(oof, y, max_false_alarm, acute_false_alarm, urgent_below_acute)
    clf = _logreg(c_reg).fit(x, y)
    flag_coef, flag_intercept, flag_t = train_flags(x, cases, precision={**FLAG_PRECISION, **(flag_precision or {})},
                                                    flagged_by_rules=flagged_by_rules or rule_flags(cases))
    return DangerModel(embedder, views, clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32),
                       t_acute, t_urgent, fingerprint(cases, embedder.name),
                       flag_coef, flag_intercept, flag_t, oof=(oof, y))


def level_thresholds(oof: np.ndarray, y: np.ndarray, max_false_alarm: float = TRAINING["max_false_alarm"],
                     acute_false_alarm: float = TRAINING["acute_false_alarm"],
                     urgent_below_acute: float = TRAINING["urgent_below_acute"]) -> tuple[float, float]:
    """(t_acute, t_urgent): the lowest thresholds whose out-of-fold false alarms on `none` stay within the budget,
    with t_acute also high enough to leave `urgent_below_acute` of the urgent messages below acute."""
    none = oof[y == 0]
    t_urgent = float(np.quantile(none[:, 1] + none[:, 2], 1 - max_false_alarm))
    t_acute = max(float(np.quantile(none[:, 2], 1 - min(acute_false_alarm, max_false_alarm))),
                  float(np.quantile(oof[y == 1][:, 2], urgent_below_acute)))
    return round(t_acute, 4), round(t_urgent, 4)


def rule_flags(cases: list[dict]) -> list[set[str]]:
    """The flags the rules alone set on each case (stages/danger.py without a model)."""
    from ..stages.danger import DangerAssessor

    rules = DangerAssessor()
    return [set(rules.run(conversation(c)).flags) for c in cases]


def train_flags(x, cases: list[dict], c_reg: float = TRAINING["flag_c"], min_support: int = 20,
                precision: dict[str, float] = FLAG_PRECISION, flagged_by_rules: list[set[str]] | None = None,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One logistic regression per flag. Its threshold is the lowest one whose out-of-fold precision is at least
    `precision[flag]`, so the model adds a flag only where it is usually right; a flag with too few examples or no such
    threshold gets an infinite one (the rules alone decide it).
    The model adds a flag only where no rule set it (stages/danger.py), so its precision is counted on those cases
    alone (`flagged_by_rules`: the rules' flags per case). Counted on all cases, the many easy ones the rules already flag
    made thresholds low (0.2-0.55), and on 376 fresh probes the flags the model added were right 86 times in 144."""
    from sklearn.model_selection import StratifiedKFold

    coef = np.zeros((len(FLAGS), x.shape[1]), np.float32)
    intercept = np.full(len(FLAGS), -30.0, np.float32)  # a flag the model never adds reads as probability ~0
    thresholds = np.full(len(FLAGS), np.inf, np.float32)
    for j, flag in enumerate(FLAGS):
        y = np.array([flag in c.get("flags", []) for c in cases])
        if y.sum() < min_support:
            continue
        oof = np.zeros(len(cases))
        for tr, va in StratifiedKFold(5, shuffle=True, random_state=7).split(x, y):
            model = _logreg(c_reg).fit(x[tr], y[tr])
            oof[va] = model.predict_proba(x[va])[:, 1]
        open_ = (np.array([flag not in r for r in flagged_by_rules]) if flagged_by_rules is not None
                 else np.ones(len(y), bool))
        order = np.argsort(-oof[open_])
        y_open, oof_open = y[open_][order], oof[open_][order]
        reached = np.cumsum(y_open) / np.arange(1, len(y_open) + 1)
        ok = np.nonzero(reached >= precision[flag])[0]
        if len(ok) == 0 or y_open[: ok[-1] + 1].sum() == 0:
            continue
        thresholds[j] = oof_open[ok[-1]]
        model = _logreg(c_reg).fit(x, y)
        coef[j], intercept[j] = model.coef_[0], model.intercept_[0]
    return coef, intercept, thresholds


def training_cases(data_dir: Path) -> list[dict]:
    """The dev split of danger.jsonl and all of danger_train.jsonl."""
    from ..evaluation.datasets import load

    return load("danger", "dev", data_dir) + load("danger_train", "train", data_dir)


def load_or_train(embedder: Embedder, data_dir: Path, folder: Path, acute_max_none: float = 1.0) -> DangerModel | None:
    """The saved model when one matches the training data and embedder (its file is named after that fingerprint);
    otherwise train and save. None: too little data. `acute_max_none` is the decision setting of `DangerModel.decide`
    (config.py): not part of training, so changing it does not retrain."""
    cases = training_cases(data_dir)
    if len(cases) < 50:
        return None
    fp = fingerprint(cases, embedder.name)
    path = folder / f"danger-model-{fp}.npz"
    model = _saved(path, fp, embedder)
    if model is None:
        model = train(embedder, cases)
        model.save(path)
    model.acute_max_none = acute_max_none
    return model


def _saved(path: Path, fp: str, embedder: Embedder) -> DangerModel | None:
    """The model saved at `path` if it is there, loads, and was trained on this data for this embedder."""
    if not path.exists():
        return None
    try:
        model = DangerModel.load(path, embedder)
    except (OSError, ValueError, KeyError):
        return None
    return model if model.fingerprint == fp and model.features == model.views.ngram_size + embedder.dim else None
