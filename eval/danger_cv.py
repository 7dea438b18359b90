"""Cross-validated figures of the whole danger stage (rules + learned model) on the training data, never the test split.

    .venv/bin/python eval/danger_cv.py [--folds 5] [--bars 0.7:0.9:0.9,0.6:0.9:1.01] [--show-errors]
    .venv/bin/python eval/danger_cv.py --dev-out vp,vq,vr,vs,vt,vu,vv,vw,vx,vy    # one training, ~10 min

For each fold the learned model is trained on the other folds (with its own inner cross-validation for thresholds)
and the rules plus that model assess the held-out messages. Figures are reported for all training cases and, apart,
for the blind probes, the rows marked `"blind": true` in danger_train.jsonl: written by helpers who saw neither the
rules nor the data, and scored before anything was learned from them. The rules were written while reading the dev
split and earlier probes, so their figures there are optimistic (later rules were read off some blind errors too).
Use this to choose training settings (the false-alarm budget, regularisation); report the frozen test split from
`wegwijzer eval`.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import NamedTuple

from wegwijzer.backends.embedders import make_embedder
from wegwijzer.config import ROOT, Settings
from wegwijzer.evaluation import metrics
from wegwijzer.safety.harmful import load_harmful
from wegwijzer.safety.learned import TRAINING, conversation, level_thresholds, rule_flags, training_cases, train
from wegwijzer.safety.rules import load_rules
from wegwijzer.stages.danger import DangerAssessor, user_turns


class Variant(NamedTuple):
    """One setting of the decision compared: the overrule bars (config.py) and the model's P(none) cap for acute."""

    urgent: float
    acute: float
    earlier: float
    earlier_urgent: float
    cap: float
    below: float  # urgent_below_acute (safety/learned.py TRAINING): sets the model's t_acute

    def stage(self, rules, scorer: "Memo", harmful, settings: Settings) -> DangerAssessor:
        """The danger stage with these overrule bars, the scorer given as its learned model."""
        return DangerAssessor(rules, scorer, harmful, overrule_urgent=self.urgent, overrule_acute=self.acute,
                              overrule_earlier=self.earlier, overrule_earlier_urgent=self.earlier_urgent,
                              self_harm_max_none=settings.learned_self_harm_max_none)

    def label(self) -> str:
        return (f"overrule bars {self.urgent:.2f} {self.acute:.2f} earlier {self.earlier:.2f} "
                f"{self.earlier_urgent:.2f}, acute if P(none) < {self.cap:.2f}, urgent below acute {self.below:.2f}")


class Memo:
    """The fold's model, scoring each conversation once however many overrule bars are compared."""

    def __init__(self, model, cache: dict | None = None, acute_max_none: float | None = None) -> None:
        self.model, self.cache, self.acute_max_none = model, {} if cache is None else cache, acute_max_none

    def score(self, user_turns: list[str]) -> dict[str, float]:
        key = tuple(user_turns)
        if key not in self.cache:
            self.cache[key] = self.model.score(user_turns)
        return self.cache[key]

    def decide(self, probs: dict[str, float]) -> str:
        return self.model.decide(probs, self.acute_max_none)

    def decide_flags(self, probs: dict[str, float]) -> tuple[str, ...]:
        return self.model.decide_flags(probs)


def figures(rows: list[tuple[str, str, set[str], set[str]]]) -> str:
    """The eval's own danger metrics (evaluation/metrics.py) on one line."""
    m = metrics.danger_scores(rows)
    n = {g: sum(m["confusion"][g].values()) for g in ("acute", "urgent", "none")}
    raised = m["confusion"]["urgent"]["acute"] / max(n["urgent"], 1)
    return (f"n={m['n']:4d}  acute recall {m['acute_recall']:.3f}  urgent+ recall {m['urgent_or_higher_recall']:.3f}"
            f"  false alarms {m['false_alarm_on_none']:.3f}  urgent raised to acute {raised:.3f}"
            f"  (acute missed {n['acute'] - m['confusion']['acute']['acute']}/{n['acute']}, urgent+ missed "
            f"{m['under_escalated'] - m['confusion']['acute']['urgent']}/{n['acute'] + n['urgent']}, "
            f"false alarms {n['none'] - m['confusion']['none']['none']}/{n['none']})")


def flag_figures(rows: list[tuple[str, str, set[str], set[str]]]) -> list[str]:
    """Precision/recall (support) per situation flag."""
    per_flag = metrics.danger_scores(rows)["per_flag"]
    return [f"{f} {v['precision']:.2f}/{v['recall']:.2f} ({v['support']})" for f, v in per_flag.items()]


def dev_out(embedder, cases: list[dict], bars: list[Variant], prefixes: str, settings: Settings) -> None:
    """Train once without the dev split (and the probe sets named by id prefix), assess the dev split.

    The dev split was written with the frozen test split, by the same hand and in the same batches, so this is the
    closest out-of-sample view of the learned model on the test split's distribution. The rules were written while
    reading the dev split: their figures here are in sample (optimistic), the model's are not."""
    skip = tuple(f"{p.strip()}-" for p in prefixes.split(",") if p.strip() not in ("", "-"))
    dev = [c for c in cases if c.get("split") == "dev"]
    rest = [c for c in cases if c.get("split") != "dev" and not c["id"].startswith(skip)]
    print(f"training on {len(rest)} cases, assessing the {len(dev)} of the dev split", file=sys.stderr)
    model = train(embedder, rest)
    rules, harmful = load_rules(), load_harmful()
    memo = Memo(model, acute_max_none=bars[0].cap)
    convs = [conversation(c) for c in dev]

    def rows(pred: list[str], flags: list[set[str]] | None = None) -> list[tuple[str, str, set[str], set[str]]]:
        return [(c["level"], p, set(c.get("flags", [])), flags[i] if flags else set())
                for i, (c, p) in enumerate(zip(dev, pred))]

    for b in bars:
        assessor = b.stage(rules, Memo(model, memo.cache, b.cap), harmful, settings)
        outs = [assessor.run(conv) for conv in convs]
        print(f"  {b.label():80s}" + figures(rows([o.level for o in outs], [set(o.flags) for o in outs])))
    plain = DangerAssessor(rules=rules, harmful=harmful)
    print(f"  {'rules alone (in sample)':80s}" + figures(rows([plain.run(conv).level for conv in convs])))
    print(f"  {'model alone (out of sample)':80s}"
          + figures(rows([memo.decide(memo.score(user_turns(conv))) for conv in convs])))


def main() -> None:
    settings = Settings()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--max-false-alarm", type=float, default=TRAINING["max_false_alarm"])
    ap.add_argument("--acute-false-alarm", type=float, default=TRAINING["acute_false_alarm"],
                    help="share of `none` messages the model alone may raise to acute (within --max-false-alarm)")
    ap.add_argument("--c-reg", type=float, default=TRAINING["c_reg"], help="inverse regularisation of the level model")
    ap.add_argument("--urgent-below-acute", default=str(TRAINING["urgent_below_acute"]),
                    help="comma-separated shares of urgent messages the model must leave below acute, to compare (each "
                         "sets t_acute from the fold model's own out-of-fold probabilities, without training again)")
    ap.add_argument("--bars", default=f"{settings.overrule_urgent}:{settings.overrule_acute}",
                    help="comma-separated urgent:acute[:earlier[:earlier_urgent]] overrule bars to compare "
                         "(config.py: overrule_*; the first is listed in --show-errors; above 1 switches one off)")
    ap.add_argument("--acute-max-none", default=str(settings.learned_acute_max_none),
                    help="comma-separated P(none) caps for the model's raise to acute to compare (1: no cap; the first "
                         "is listed in --show-errors)")
    ap.add_argument("--flag-precision", default="", help="per-flag precision targets for the model, e.g. self_harm=0.7")
    ap.add_argument("--show-errors", action="store_true",
                    help="list the blind probes and dev cases the whole stage gets wrong")
    ap.add_argument("--overrules", action="store_true",
                    help="per rule: how often the model overruled it on the blind probes, and how often that was right")
    ap.add_argument("--dev-out", default=None, metavar="PREFIXES",
                    help="instead of folds: train once without the dev split of danger.jsonl and without the probe sets "
                         "whose id prefixes are given (comma-separated, e.g. the sets written from dev examples; '-' for "
                         "none), then assess the dev split: the learned model out of sample on the test split's "
                         "distribution (the rules stay in sample)")
    args = ap.parse_args()

    from sklearn.model_selection import StratifiedKFold

    embedder = make_embedder(settings.embedder, 2, settings.st_model_path)
    cases = training_cases(ROOT / "eval" / "data")
    levels = [c["level"] for c in cases]
    defaults = [settings.overrule_urgent, settings.overrule_acute, settings.overrule_earlier,
                settings.overrule_earlier_urgent]
    bars = [Variant(*(float(x) for x in pair.split(":") + defaults[len(pair.split(":")):]), float(cap), float(below))
            for pair in args.bars.split(",") for cap in args.acute_max_none.split(",")
            for below in args.urgent_below_acute.split(",")]
    if args.dev_out is not None:
        dev_out(embedder, cases, bars, args.dev_out, settings)
        return
    preds: dict[Variant, list[str]] = {b: [""] * len(cases) for b in bars}
    reasons: list[str] = [""] * len(cases)
    overruled: list[list[str]] = [[] for _ in cases]  # the rule ids the model overruled, per case
    flags_out: list[set[str]] = [set() for _ in cases]
    flag_precision = {k: float(v) for k, v in (kv.split("=") for kv in args.flag_precision.split(",") if kv)}
    rules_only: list[str] = [""] * len(cases)
    model_only: list[str] = [""] * len(cases)
    # read once: every fold uses the same rules, even if a file is edited during the run
    rules, harmful = load_rules(), load_harmful()
    plain = DangerAssessor(rules=rules, harmful=harmful)
    ruled = rule_flags(cases)  # once, not once per fold: train() needs the rules' flags of its training cases
    for k, (tr, va) in enumerate(StratifiedKFold(args.folds, shuffle=True, random_state=11).split(cases, levels)):
        model = train(embedder, [cases[i] for i in tr], c_reg=args.c_reg, max_false_alarm=args.max_false_alarm,
                      acute_false_alarm=args.acute_false_alarm,
                      urgent_below_acute=bars[0].below, flag_precision=flag_precision,
                      flagged_by_rules=[ruled[i] for i in tr])
        models = {below: replace(model, t_acute=level_thresholds(*model.oof, args.max_false_alarm,
                                                                 args.acute_false_alarm, below)[0])
                  for below in {b.below for b in bars}}
        memo = Memo(model, acute_max_none=bars[0].cap)
        assessors = {b: b.stage(rules, Memo(models[b.below], memo.cache, b.cap), harmful, settings) for b in bars}
        for i in va:
            conv = conversation(cases[i])
            for b, assessor in assessors.items():
                out = assessor.run(conv)
                preds[b][i] = out.level
                if b == bars[0]:
                    flags_out[i] = set(out.flags)
                    reasons[i] = ",".join(d.rule_id for d in out.detections
                                          if d.level != "none" or d.rule_id == "model-none")
                    if "model-none" in out.reasons:
                        overruled[i] = [d.rule_id for d in out.detections if d.level != "none"]
            rules_only[i] = plain.run(conv).level
            model_only[i] = memo.decide(memo.score(user_turns(conv)))
        print(f"fold {k + 1}/{args.folds} done", file=sys.stderr)
    subsets = {"all training cases": range(len(cases)),
               "blind probes only": [i for i, c in enumerate(cases) if c.get("blind")],
               "blind multi-turn conversations": [i for i, c in enumerate(cases)
                                                  if c.get("blind") and c.get("history")],
               # written with the frozen test split, in its style; rules were read off its errors (optimistic)
               "dev split of danger.jsonl": [i for i, c in enumerate(cases) if c.get("split") == "dev"]}
    for name, idx in subsets.items():
        idx = list(idx)
        if not idx:
            continue
        print(f"{name}:")
        def rows(pred: list[str]) -> list[tuple[str, str, set[str], set[str]]]:
            return [(levels[i], pred[i], set(cases[i].get("flags", [])), flags_out[i]) for i in idx]

        for b in bars:
            print(f"  {b.label():80s}" + figures(rows(preds[b])))
        print(f"  {'rules alone':80s}" + figures(rows(rules_only)))
        print(f"  {'model alone':80s}" + figures(rows(model_only)))
        print("  flags (first bar pair): " + "  ".join(flag_figures(rows(preds[bars[0]]))))
    if args.show_errors:
        pred = preds[bars[0]]
        for i in subsets["blind probes only"] + subsets["dev split of danger.jsonl"]:
            if pred[i] != levels[i]:
                print(f"  {cases[i]['id']:10s} gold {levels[i]:6s} got {pred[i]:6s} [{reasons[i]}] "
                      f"{cases[i]['message'][:150]!r}")
    if args.overrules:
        print("overruled by the model on the blind probes (first bars): rule, right (gold none), wrong (gold higher)")
        tally: dict[str, list[int]] = {}
        for i in subsets["blind probes only"]:
            for rule_id in overruled[i]:
                tally.setdefault(rule_id, [0, 0])[levels[i] != "none"] += 1
        for rule_id, (right, wrong) in sorted(tally.items(), key=lambda kv: -sum(kv[1])):
            print(f"  {rule_id:32s} right {right:3d}  wrong {wrong:3d}")


if __name__ == "__main__":
    main()
