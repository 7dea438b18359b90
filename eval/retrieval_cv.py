"""Cross-validated retrieval figures when the topic model also learns from labelled visitor-style questions.

    .venv/bin/python eval/retrieval_cv.py [--folds 5] [--repeat 1]

The retrieval dev split is cut into folds; for each fold the topic model is trained on the guidance's own example
questions and sections plus the other folds' questions (labelled with their gold topic), and the held-out fold is
ranked by the full hybrid retriever with that model. The baseline row trains on the guidance alone. Never touches
the test split.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from wegwijzer.config import ROOT, Settings
from wegwijzer.evaluation import metrics
from wegwijzer.evaluation.datasets import load
from wegwijzer.evaluation.suites import _topics
from wegwijzer.knowledge.topic_model import TopicModel, training_texts
from wegwijzer.services import build_services


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=1, help="how often each visitor-style question is repeated")
    args = ap.parse_args()

    from sklearn.model_selection import KFold

    services = build_services(Settings())
    retriever = services.retriever
    assert retriever is not None and retriever.prior is not None
    chunks = retriever.index.chunks()
    base_texts, base_topics = training_texts(chunks)
    base_vecs = np.asarray(retriever.embedder.embed_queries(base_texts))
    cases = load("retrieval", "dev", ROOT / "eval" / "data")
    questions = [services.pipeline.redactor.run(c["question"], []).message for c in cases]
    q_vecs = np.asarray(retriever.embedder.embed_queries(questions))

    def rank(model: TopicModel, idx) -> list:
        retriever.use_topic_model(model)
        return [(cases[i]["topic"], cases[i].get("alternatives", []), _topics(retriever.search(questions[i]).chunks))
                for i in idx]

    base = TopicModel.fit(base_texts, base_topics, base_vecs, "cv")
    rows_base, rows_cv = rank(base, range(len(cases))), [None] * len(cases)
    for k, (tr, va) in enumerate(KFold(args.folds, shuffle=True, random_state=7).split(cases)):
        tr = [i for i in tr for _ in range(args.repeat)]
        model = TopicModel.fit(base_texts + [questions[i] for i in tr], base_topics + [cases[i]["topic"] for i in tr],
                               np.vstack([base_vecs, q_vecs[tr]]), "cv")
        for i, row in zip(va, rank(model, va)):
            rows_cv[i] = row
        print(f"fold {k + 1}/{args.folds} done", file=sys.stderr)
    for name, rows in (("guidance alone", rows_base), ("guidance + other folds", rows_cv)):
        s = metrics.retrieval_scores(rows)
        print(f"{name:24s} hit@1 {s['hit@1']:.3f}  hit@3 {s['hit@3']:.3f}  MRR {s['mrr']:.3f}  (n={s['n']})")


if __name__ == "__main__":
    main()
