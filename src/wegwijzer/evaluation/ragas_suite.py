"""ragas 0.4.3 metrics for the answers set, next to our id-based ones (suites.answers).

Offline, always (string distance, no model, no network):
- `ragas_context_precision`: NonLLMContextPrecisionWithReference. The retrieved contexts are the passages behind the
  cited sources (their chunks in retrieval order), the reference contexts the chunks of the reference documents; a
  passage counts as relevant when its Levenshtein similarity to a reference chunk is >= 0.5. Average precision.
- `ragas_context_recall`: NonLLMContextRecall, the share of reference chunks found among those passages.
- `ragas_string_similarity`: NonLLMStringSimilarity (Levenshtein) of the answer to the reference answer.

LLM-judged, only when the settings name an OpenAI-compatible endpoint (judge_base_url + judge_model):
`ragas_faithfulness` and `ragas_answer_relevancy` (its embeddings are our own embedder, so the endpoint needs only
chat completions). In 0.4.3 the two context metrics live only in ragas's legacy module (imported with its
deprecation warning silenced); the others come from `ragas.metrics.collections`.
"""

from __future__ import annotations

import asyncio
import math
import os
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config import Settings


@dataclass(frozen=True)
class Sample:
    question: str
    answer: str
    reference_answer: str
    retrieved_contexts: list[str]
    reference_contexts: list[str]


def _import_ragas() -> dict[str, Any]:
    os.environ["RAGAS_DO_NOT_TRACK"] = "true"  # before the first import: ragas sends no usage data, whatever is set
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from ragas.dataset_schema import SingleTurnSample
        from ragas.metrics import NonLLMContextPrecisionWithReference, NonLLMContextRecall
        from ragas.metrics.collections import NonLLMStringSimilarity
    return {"sample": SingleTurnSample, "precision": NonLLMContextPrecisionWithReference(),
            "recall": NonLLMContextRecall(), "similarity": NonLLMStringSimilarity()}


async def _offline(samples: list[Sample]) -> dict[str, float]:
    r = _import_ragas()
    prec, rec, sim = [], [], []
    for s in samples:
        sim.append((await r["similarity"].ascore(reference=s.reference_answer, response=s.answer)).value)
        if not s.retrieved_contexts or not s.reference_contexts:
            prec.append(0.0)
            rec.append(0.0)
            continue
        row = r["sample"](retrieved_contexts=s.retrieved_contexts, reference_contexts=s.reference_contexts)
        prec.append(float(await r["precision"].single_turn_ascore(row)))
        rec.append(float(await r["recall"].single_turn_ascore(row)))
    return {"ragas_context_precision": _mean(prec), "ragas_context_recall": _mean(rec),
            "ragas_string_similarity": _mean(sim)}


def offline_scores(samples: list[Sample]) -> dict[str, float]:
    return asyncio.run(_offline(samples))


def _our_embeddings(embedder: Any) -> Any:
    """Our embedder behind ragas's modern embeddings interface, for answer relevancy."""
    from ragas.embeddings.base import BaseRagasEmbedding

    class OurEmbeddings(BaseRagasEmbedding):
        def embed_text(self, text: str, **kwargs: Any) -> list[float]:
            return [float(x) for x in embedder.embed_queries([text])[0]]

        async def aembed_text(self, text: str, **kwargs: Any) -> list[float]:
            return self.embed_text(text)

    return OurEmbeddings()


async def _judged(samples: list[Sample], settings: Settings, embedder: Any) -> dict[str, float | int]:
    _import_ragas()
    from openai import AsyncOpenAI
    from ragas.llms import llm_factory
    from ragas.metrics.collections import AnswerRelevancy, Faithfulness

    key = settings.judge_api_key.get_secret_value() if settings.judge_api_key else "not-needed"
    llm = llm_factory(str(settings.judge_model), client=AsyncOpenAI(base_url=settings.judge_base_url, api_key=key))
    faithfulness = Faithfulness(llm=llm)
    relevancy = AnswerRelevancy(llm=llm, embeddings=_our_embeddings(embedder))
    faith: list[float] = []
    relev: list[float] = []
    errors = 0
    for s in samples:
        results = await asyncio.gather(
            faithfulness.ascore(user_input=s.question, response=s.answer, retrieved_contexts=s.retrieved_contexts),
            relevancy.ascore(user_input=s.question, response=s.answer), return_exceptions=True)
        for bucket, res in zip((faith, relev), results):
            if isinstance(res, BaseException):
                errors += 1
            else:
                bucket.append(float(res.value))
    scores = {name: _mean(values) for name, values in (("ragas_faithfulness", faith), ("ragas_answer_relevancy", relev))
              if values}  # a judge that never answered gives no score, not a zero that reads like a regression
    return {**scores, "judge_errors": errors}


def judged_scores(samples: list[Sample], settings: Settings, embedder: Any) -> dict[str, float | int]:
    """Faithfulness and answer relevancy by the configured judge; {} when no judge is configured."""
    if not (settings.judge_base_url and settings.judge_model):
        return {}
    return asyncio.run(_judged(samples, settings, embedder))


def _mean(values: list[float]) -> float:
    clean = [v for v in values if not math.isnan(v)]  # ragas gives NaN when a score is undefined
    return round(float(np.mean(clean)), 4) if clean else 0.0
