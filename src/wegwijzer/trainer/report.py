"""`wegwijzer review report`: a training-day summary of the verdicts, per topic and per kind of error, as one
self-contained HTML page with matplotlib plots inlined as PNG. Only stored (redacted) text appears in it.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

from ..evaluation.report import figure_img
from .export import danger_case, has_problem, missing_expectation, retrieval_case
from .store import ERROR_KINDS, OVERALL, Verdict

COLOURS = {"goed": "#0b6b2f", "deels goed": "#d08b00", "fout": "#b3001b"}
LEVELS = ("acute", "urgent", "none")
STYLE = """body{font-family:system-ui,sans-serif;max-width:76rem;margin:auto;padding:1rem;color:#1d1d1f}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;
text-align:left;vertical-align:top}th{background:#f6f4f0}td.n{text-align:right}img{max-width:100%}
.q{font-family:ui-monospace,monospace;font-size:.9em}.muted{color:#555}"""


def _plt():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def topic_plot(verdicts: list[Verdict]) -> str:
    plt = _plt()
    per = _per_topic(verdicts)
    topics = sorted(per, key=lambda t: sum(per[t].values()))
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(topics) + 1.2))
    left = [0] * len(topics)
    for overall in OVERALL:
        counts = [per[t][overall] for t in topics]
        ax.barh(topics, counts, left=left, color=COLOURS[overall], label=overall)
        left = [a + b for a, b in zip(left, counts)]
    ax.set_xlabel("oordelen")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title("Oordelen per onderwerp")
    fig.tight_layout()
    out = figure_img(fig)
    plt.close(fig)
    return out


def error_plot(verdicts: list[Verdict]) -> str:
    plt = _plt()
    counts = Counter(e for v in verdicts for e in v.errors)
    fig, ax = plt.subplots(figsize=(8, 3))
    kinds = list(reversed(ERROR_KINDS))
    ax.barh(kinds, [counts[k] for k in kinds], color="#00586b")
    ax.set_xlabel("keer aangevinkt")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Wat er mis was")
    fig.tight_layout()
    out = figure_img(fig)
    plt.close(fig)
    return out


def level_plot(verdicts: list[Verdict]) -> str | None:
    rated = [v for v in verdicts if v.expected_level]
    if not rated:
        return None
    plt = _plt()
    data = [[sum(1 for v in rated if v.expected_level == g and v.answer_level == p) for p in LEVELS] for g in LEVELS]
    fig, ax = plt.subplots(figsize=(4.2, 3.4))
    ax.imshow(data, cmap="Oranges")
    ax.set_xticks(range(3), LEVELS)
    ax.set_yticks(range(3), LEVELS)
    ax.set_xlabel("antwoord gaf")
    ax.set_ylabel("trainer verwachtte")
    top = max(max(r) for r in data) or 1
    for i, row in enumerate(data):
        for j, n in enumerate(row):  # white on the dark cells
            ax.text(j, i, str(n), ha="center", va="center", color="white" if n > top / 2 else "black")
    ax.set_title("Niveau: verwacht tegen gegeven")
    fig.tight_layout()
    out = figure_img(fig)
    plt.close(fig)
    return out


def _per_topic(verdicts: list[Verdict]) -> dict[str, Counter[str]]:
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for v in verdicts:
        per[v.topic][v.overall] += 1
    return per


def _table(head: list[str], rows: list[list[object]]) -> str:
    def cell(x: object) -> str:
        cls = ' class="n"' if isinstance(x, (int, float)) else ""
        return f"<td{cls}>{html.escape(str(x))}</td>"

    body = "".join("<tr>" + "".join(cell(c) for c in r) + "</tr>" for r in rows)
    return "<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + f"</tr>{body}</table>"


def _topic_rows(verdicts: list[Verdict]) -> list[list[object]]:
    per: dict[str, list[Verdict]] = defaultdict(list)
    for v in verdicts:
        per[v.topic].append(v)
    rows: list[list[object]] = []
    for topic, vs in sorted(per.items(), key=lambda kv: -len(kv[1])):
        c = Counter(v.overall for v in vs)
        errs = Counter(e for v in vs for e in v.errors).most_common(2)
        rows.append([topic, len(vs), c["goed"], c["deels goed"], c["fout"], ", ".join(f"{e} ({n})" for e, n in errs)])
    return rows


def _error_rows(verdicts: list[Verdict]) -> list[list[object]]:
    rows: list[list[object]] = []
    for kind in ERROR_KINDS:
        vs = [v for v in verdicts if kind in v.errors]
        topics = Counter(v.topic for v in vs).most_common(3)
        rows.append([kind, len(vs), ", ".join(f"{t} ({n})" for t, n in topics)])
    return rows


def _problem_rows(verdicts: list[Verdict]) -> list[list[object]]:
    rows: list[list[object]] = []
    for v in verdicts:
        if not has_problem(v):
            continue
        answered = f"{v.answer_level}; {', '.join(dict.fromkeys(v.answer_topics)) or 'geen bron'}"
        expected = ", ".join(x for x in (v.expected_topic, v.expected_level) if x)
        case = " + ".join(n for n, c in (("gevaar", danger_case(v)), ("zoeken", retrieval_case(v))) if c)
        case = case or (f"geen: {missing_expectation(v)}" if missing_expectation(v) else "—")
        rows.append([v.id, v.question_redacted, v.overall, ", ".join(v.errors), answered, expected or "—", v.comment,
                     case])
    return rows


def render(verdicts: list[Verdict], title: str = "Wegwijzer: trainingsdag") -> str:
    n = len(verdicts)
    overall: Counter[str] = Counter(v.overall for v in verdicts)
    when = (f"{_time(verdicts[0].created)} tot {_time(verdicts[-1].created)} (UTC)" if verdicts
            else "geen oordelen")
    commits = ", ".join(sorted({v.commit for v in verdicts})) or "—"
    parts = [f"<h1>{html.escape(title)}</h1>",
             f'<p class="muted">{n} oordelen, {html.escape(when)}; versie(s) {html.escape(commits)}</p>']
    if not verdicts:
        return _page(title, parts + ["<p>Nog geen oordelen bewaard.</p>"])
    parts.append(_table(["goed", "deels goed", "fout"],
                        [[f"{overall[o]} ({overall[o] / n:.0%})" for o in OVERALL]]))
    parts += ["<h2>Per onderwerp</h2>",
              '<p class="muted">Onderwerp: wat de trainer verwachtte, anders dat van de eerste bron in het '
              "antwoord.</p>",
              topic_plot(verdicts),
              _table(["onderwerp", "oordelen", "goed", "deels goed", "fout", "vaakste fouten"], _topic_rows(verdicts)),
              "<h2>Per soort fout</h2>", error_plot(verdicts),
              _table(["soort fout", "keer", "vooral bij"], _error_rows(verdicts))]
    level = level_plot(verdicts)
    if level:
        parts += ["<h2>Niveau van escalatie</h2>", level]
    parts += ["<h2>Oordelen met een probleem</h2>",
              ('<p class="muted">Vragen zonder persoonsgegevens, zoals bewaard. "Testgeval": wat '
               "<code>wegwijzer review export</code> ervan maakt.</p>"),
              _table(["nr", "vraag", "oordeel", "fouten", "antwoord gaf", "verwacht", "toelichting", "testgeval"],
                     _problem_rows(verdicts))]
    suggestions = [[v.id, v.topic, v.suggested_text] for v in verdicts if v.suggested_text.strip()]
    if suggestions:
        parts += ["<h2>Voorstellen voor de informatie</h2>", _table(["nr", "onderwerp", "voorstel"], suggestions)]
    return _page(title, parts)


def _time(iso: str) -> str:
    return iso[:16].replace("T", " ")


def _page(title: str, parts: list[str]) -> str:
    return (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")


def write_report(verdicts: list[Verdict], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H%M%S")
    path = out / f"review-{stamp}.html"
    path.write_text(render(verdicts), encoding="utf-8")
    return path
