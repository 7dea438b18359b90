"""Retrieval figures on any labelled question set, and whether the topic model gains from visitor-style questions.

    .venv/bin/python eval/retrieval_cv.py [--data FILE] [--train FILE ...] [--folds 5] [--repeat 1]
        [--acute-bonus 0 2 4] [--show-errors]

`--data`: the questions to rank (JSON lines with `question`, `topic`, `alternatives`); default: the dev split of
eval/data/retrieval.jsonl. Rows printed:
- "guidance alone": a topic model trained on the guidance's own example questions and sections only;
- "product": as the product trains it: also on eval/data/retrieval_train.jsonl (minus any question of `--data`);
- "product, acute bonus B": the product row with the setting `acute_bonus` at B (with `--acute-bonus`);
- "product + train": it also learns from every question of the `--train` files (with `--train`);
- "... + other folds": cross-validation: the questions of `--data` are cut into folds, and each fold is ranked by a
  topic model that also learned from the other folds' questions (labelled with their gold topic).
The hybrid retriever ranks every row; only the topic model changes. Never touches the test split: a `--data` or
`--train` file that holds test-split rows is refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from wegwijzer.config import ROOT, Settings
from wegwijzer.evaluation import metrics
from wegwijzer.evaluation.datasets import load
from wegwijzer.evaluation.suites import doc_topics
from wegwijzer.knowledge.topic_model import TopicModel, training_questions, training_texts
from wegwijzer.services import build_services


def read(path: Path) -> list[dict]:
    """Every case of a JSON-lines file, read by the eval's own loader; a file with frozen test rows is refused."""
    rows = load(path.stem, "all", path.parent)
    if any(r["split"] == "test" for r in rows):
        sys.exit(f"{path} holds frozen test-split rows: refusing to tune on them")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, help="questions to rank (default: the retrieval dev split)")
    ap.add_argument("--train", type=Path, nargs="*", default=[], help="question files the topic model also learns from")
    ap.add_argument("--folds", type=int, default=5, help="0: no cross-validation row")
    ap.add_argument("--repeat", type=int, default=1, help="how often each visitor-style question is repeated")
    ap.add_argument("--acute-bonus", type=float, nargs="*", default=[],
                    help="also rank the product row with these acute bonuses (the setting acute_bonus)")
    ap.add_argument("--show-errors", action="store_true", help="list the questions the 'product' row misses at 1")
    args = ap.parse_args()

    from sklearn.model_selection import KFold

    services = build_services(Settings())
    retriever = services.retriever
    assert retriever is not None and retriever.prior is not None
    redact = services.pipeline.redactor.run
    chunks = retriever.index.chunks()
    embed = retriever.embedder.embed_queries
    cases = read(args.data) if args.data else load("retrieval", "dev", ROOT / "eval" / "data")
    asked = {c["question"] for c in cases}
    guide_texts, guide_topics = training_texts(chunks)
    guide_vecs = np.asarray(embed(guide_texts))
    own = [(q, t) for q, t in training_questions(ROOT / "eval" / "data") if q not in asked]
    base_texts, base_topics = training_texts(chunks, own)
    base_vecs = np.vstack([guide_vecs, np.asarray(embed(base_texts[len(guide_texts):]))])
    redacted = [redact(c["question"], []) for c in cases]
    questions = [r.message for r in redacted]
    acute = [services.pipeline.assessor.run(r).acute_now for r in redacted]
    q_vecs = np.asarray(embed(questions))
    extra = [r for path in args.train for r in read(path)]
    extra_q = [redact(r["question"], []).message for r in extra]
    extra_texts = base_texts + extra_q * args.repeat
    extra_topics = base_topics + [r["topic"] for r in extra] * args.repeat
    extra_vecs = np.vstack([base_vecs] + [np.asarray(embed(extra_q))] * args.repeat) if extra else base_vecs

    def rank(model: TopicModel, idx) -> list:
        retriever.use_topic_model(model)
        return [(cases[i]["topic"], cases[i].get("alternatives", []),
                 retriever.search(questions[i], acute=acute[i]).chunks) for i in idx]

    product = TopicModel.fit(base_texts, base_topics, base_vecs, "cv")
    results: dict[str, list] = {
        "guidance alone": rank(TopicModel.fit(guide_texts, guide_topics, guide_vecs, "cv"), range(len(cases))),
        "product": rank(product, range(len(cases)))}
    for bonus in args.acute_bonus:
        retriever.acute_bonus = bonus
        results[f"product, acute bonus {bonus:g}"] = rank(product, range(len(cases)))
    retriever.acute_bonus = Settings().acute_bonus
    name = "product"
    if extra:
        name = "product + train"
        results[name] = rank(TopicModel.fit(extra_texts, extra_topics, extra_vecs, "cv"), range(len(cases)))
    if args.folds > 1:
        rows_cv: list = [None] * len(cases)
        for k, (tr, va) in enumerate(KFold(args.folds, shuffle=True, random_state=7).split(cases)):
            tr = [i for i in tr for _ in range(args.repeat)]
            model = TopicModel.fit(extra_texts + [questions[i] for i in tr],
                                   extra_topics + [cases[i]["topic"] for i in tr],
                                   np.vstack([extra_vecs, q_vecs[tr]]), "cv")
            for i, row in zip(va, rank(model, va)):
                rows_cv[i] = row
            print(f"fold {k + 1}/{args.folds} done", file=sys.stderr)
        results[f"{name} + other folds"] = rows_cv
    for label, rows in results.items():
        s = metrics.retrieval_scores([(gold, alts, doc_topics(ranked)) for gold, alts, ranked in rows])
        print(f"{label:32s} hit@1 {s['hit@1']:.3f}  hit@3 {s['hit@3']:.3f}  MRR {s['mrr']:.3f}  (n={s['n']})")
    if args.show_errors:
        for case, (gold, alts, ranked) in zip(cases, results["product"]):
            docs = list(dict.fromkeys(c.doc_id for c in ranked))[:3]
            if doc_topics(ranked)[:1] not in ([gold], *([a] for a in alts)):
                print(f"- {case['id']} [{gold}{'|' + '|'.join(alts) if alts else ''}] {case['question'][:150]}\n"
                      f"    -> {', '.join(docs)}")


if __name__ == "__main__":
    main()
