"""One function per dev set: run its cases through the real components and score them with metrics.py."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from ..pipeline import Trace
from ..safety.rules import FLAGS
from ..schemas import ChatRequest, Turn
from ..services import Services
from . import metrics

Progress = Callable[[int], None]


def retrieval(services: Services, cases: list[dict], tick: Progress) -> dict:
    """Topic hit@1/hit@3/MRR for dense-only, lexical-only and hybrid, from one embedding per question. Hybrid ranks as
    a chat turn does: with the danger stage's word on whether the question signals acute danger now."""
    assert services.retriever is not None
    rows: dict[str, list] = {"dense": [], "lexical": [], "hybrid": []}
    for case in cases:
        red = services.pipeline.redactor.run(case["question"], [])
        acute = services.pipeline.assessor.run(red).acute_now
        both = services.retriever.scores(red.message)
        for mode, out in rows.items():
            ranked = doc_topics(services.retriever.search(red.message, mode=mode, scores=both, acute=acute).chunks)
            out.append((case["topic"], case.get("alternatives", []), ranked))
        tick(3)
    return {mode: metrics.retrieval_scores(r) for mode, r in rows.items()}


def doc_topics(chunks: list) -> list[str]:
    """The topic of each cited document, in ranking order (a document counts once, at its best chunk)."""
    docs: dict[str, str] = {}
    for c in chunks:
        docs.setdefault(c.doc_id, c.topic)
    return list(docs.values())


def danger(services: Services, cases: list[dict], tick: Progress) -> dict:
    rows, misses, latencies = [], [], []
    for case in cases:
        req = ChatRequest(message=case["message"], history=[Turn(**t) for t in case.get("history", [])])
        start = time.perf_counter()
        esc = services.pipeline.run(req).escalation
        latencies.append((time.perf_counter() - start) * 1000)
        flags = {r for r in esc.reasons if r in FLAGS}
        rows.append((case["level"], esc.level, set(case.get("flags", [])), flags))
        if metrics.RANK[esc.level] < metrics.RANK[case["level"]]:
            misses.append({"id": case["id"], "gold": case["level"], "pred": esc.level})
        tick(1)
    scores = metrics.danger_scores(rows)
    scores["under_escalated_ids"] = misses
    scores["latency_ms"] = _percentiles(latencies)
    return scores


def refusals(services: Services, cases: list[dict], tick: Progress) -> dict:
    """Requests for harmful help through the whole pipeline (redaction included): refused with the right entry id
    (in escalation.reasons), look-alikes not refused, and the refusal text really in the answer."""
    texts = services.pipeline.composer.refusals
    rows, misses, false, text_ok = [], [], [], []
    for case in cases:
        resp = services.pipeline.run(ChatRequest(message=case["message"]))
        got = [r for r in resp.escalation.reasons if r in texts]
        gold = case["refuse"]
        rows.append((gold, case.get("category") or "geen", got))
        text_ok += [texts[r] in resp.answer for r in got]
        if gold is not None and gold not in got:
            misses.append({"id": case["id"], "gold": gold, "got": got})
        if gold is None and got:
            false.append({"id": case["id"], "got": got})
        tick(1)
    scores = metrics.refusal_scores(rows)
    scores["refusal_text_in_answer"] = round(sum(text_ok) / len(text_ok), 4) if text_ok else 1.0
    scores["missed_ids"], scores["false_refusal_ids"] = misses, false
    return scores


def pii(services: Services, cases: list[dict], tick: Progress, with_deduce: bool = True) -> dict:
    redactor = services.pipeline.redactor
    ours, latencies = [], []
    for case in cases:
        start = time.perf_counter()
        text, _, _ = redactor.redact_text(case["text"])
        latencies.append((time.perf_counter() - start) * 1000)
        ours.append((text, case.get("pii", []), case.get("keep", [])))
        tick(1)
    result = {"wegwijzer": metrics.pii_scores(ours), "latency_ms": _percentiles(latencies)}
    if with_deduce:
        result["deduce"] = _deduce(cases)
    return result


def _deduce(cases: list[dict]) -> dict:
    """DEDUCE side by side (GPL: imported only here, in the evaluation, never by the service)."""
    import logging

    try:
        from deduce import Deduce
    except ImportError:
        return {"error": "deduce not installed"}
    logging.getLogger().setLevel(logging.WARNING)  # deduce's import turns the root logger to DEBUG
    model = Deduce()
    rows = [(model.deidentify(c["text"]).deidentified_text, c.get("pii", []), c.get("keep", [])) for c in cases]
    return metrics.pii_scores(rows)


def answers(services: Services, cases: list[dict], tick: Progress) -> dict:
    """Offline answer metrics: id-based context precision/recall against the reference documents, answer
    similarity (cosine of our embeddings) and ROUGE-L against the reference answer; the ragas metrics beside them
    (offline ones always, LLM-judged ones when a judge endpoint is configured; see ragas_suite.py)."""
    from rouge_score import rouge_scorer

    from . import ragas_suite

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
    prec, rec, sim, rouge, samples = [], [], [], [], []
    for case in cases:
        trace = Trace()
        resp = services.pipeline.run(ChatRequest(message=case["question"]), trace)
        got = [s.id for s in resp.sources]
        ref = set(case["reference_docs"])
        prec.append(sum(1 for g in got if g in ref) / len(got) if got else 0.0)
        rec.append(sum(1 for r in ref if r in got) / len(ref))
        vec = services.embedder.embed_passages([resp.answer, case["reference_answer"]])
        sim.append(float(np.dot(vec[0], vec[1])))
        rouge.append(scorer.score(case["reference_answer"], resp.answer)["rougeL"].fmeasure)
        samples.append(ragas_suite.Sample(case["question"], resp.answer, case["reference_answer"],
                                          _cited_passages(trace, got), _reference_passages(services, ref)))
        tick(1)
    n = len(cases) or 1
    return {"n": len(cases), "id_context_precision": round(sum(prec) / n, 4), "id_context_recall": round(sum(rec) / n, 4),
            "answer_similarity": round(sum(sim) / n, 4), "rougeL_f": round(sum(rouge) / n, 4),
            **ragas_suite.offline_scores(samples),
            **ragas_suite.judged_scores(samples, services.settings, services.embedder)}


def _cited_passages(trace: Trace, cited: list[str]) -> list[str]:
    """The retrieved chunks of the cited documents, in retrieval order, each text once."""
    chunks = trace.retrieved.chunks if trace.retrieved else []
    return list(dict.fromkeys(c.text for c in chunks if c.doc_id in cited))


def _reference_passages(services: Services, ref: set[str]) -> list[str]:
    by_id = services.retriever.by_id if services.retriever else {}
    return list(dict.fromkeys(c.text for c in by_id.values() if c.doc_id in ref and c.kind == "tekst"))


def _percentiles(values: list[float]) -> dict:
    if not values:
        return {}
    arr = np.array(values)
    return {"p50": round(float(np.percentile(arr, 50)), 2), "p95": round(float(np.percentile(arr, 95)), 2),
            "p99": round(float(np.percentile(arr, 99)), 2), "max": round(float(arr.max()), 2)}
