"""The HTML report: headline tables and plots (confusion matrix, per-topic hit rates, per-type PII leaks, latency),
rendered with matplotlib into inline PNGs, so the page is one self-contained file."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path


def _png(fig) -> str:  # noqa: ANN001
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return f'<img alt="" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


STYLE = ("body{font-family:system-ui,sans-serif;max-width:78rem;margin:auto;padding:1rem}"
         "td,th{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right}"
         "img{max-width:100%;margin:.5rem 0}")
figure_img = _png  # one way to inline a figure, shared with the trainers' report (trainer/report.py)


def _plots(report: dict) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    suites = report["suites"]
    if "danger" in suites:
        conf = suites["danger"]["confusion"]
        levels = list(conf)
        fig, ax = plt.subplots(figsize=(4, 3.4))
        data = [[conf[g][p] for p in levels] for g in levels]
        ax.imshow(data, cmap="Blues")
        ax.set_xticks(range(3), levels)
        ax.set_yticks(range(3), levels)
        ax.set_xlabel("voorspeld")
        ax.set_ylabel("gelabeld")
        top = max(max(r) for r in data) or 1
        for i, row in enumerate(data):
            for j, v in enumerate(row):  # white on the dark cells, or the number disappears
                ax.text(j, i, str(v), ha="center", va="center", color="white" if v > top / 2 else "black")
        ax.set_title("Gevaar: verwarringsmatrix")
        out.append(_png(fig))
        plt.close(fig)
    if "retrieval" in suites:
        per = suites["retrieval"]["hybrid"]["per_topic"]
        fig, ax = plt.subplots(figsize=(7.5, 3.6))
        names = list(per)
        ax.bar(range(len(names)), [per[t]["hit@1"] for t in names], label="hit@1")
        ax.plot(range(len(names)), [per[t]["hit@3"] for t in names], "o", color="black", label="hit@3")
        ax.set_xticks(range(len(names)), [f"{t} ({per[t]['n']})" for t in names], rotation=60, fontsize=7,
                      ha="right", rotation_mode="anchor")
        ax.set_ylim(0, 1.05)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.set_title("Zoeken (hybride): per onderwerp")
        out.append(_png(fig))
        plt.close(fig)
    if "pii" in suites:
        systems = {k: v for k, v in suites["pii"].items() if isinstance(v, dict) and "per_type" in v}
        types = sorted({t for v in systems.values() for t in v["per_type"]})
        fig, ax = plt.subplots(figsize=(8, 3.4))
        width = 0.8 / max(len(systems), 1)
        for i, (name, res) in enumerate(systems.items()):
            ax.bar([x + i * width for x in range(len(types))],
                   [res["per_type"].get(t, {}).get("leak_rate", 0) for t in types], width, label=name)
        ax.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(types))], types, rotation=60,
                      fontsize=7, ha="right", rotation_mode="anchor")
        ax.legend()
        ax.set_title("Persoonsgegevens: lekkans per soort")
        out.append(_png(fig))
        plt.close(fig)
    latency = _latency_plot(suites, plt)
    return out + ([latency] if latency else [])


def _latency_plot(suites: dict, plt) -> str | None:  # noqa: ANN001
    """Latency per suite as its percentiles (the report keeps percentiles, not every timing)."""
    found = {name: res["latency_ms"] for name, res in suites.items()
             if isinstance(res, dict) and res.get("latency_ms")}
    if not found:
        return None
    keys = ("p50", "p95", "p99", "max")
    fig, ax = plt.subplots(figsize=(5, 3.2))
    width = 0.8 / len(found)
    for i, (name, lat) in enumerate(found.items()):
        ax.bar([x + i * width for x in range(len(keys))], [lat.get(k, 0) for k in keys], width,
               label={"danger": "hele beurt (gevaar-set)", "pii": "alleen redactie"}.get(name, name))
    ax.set_xticks([x + width * (len(found) - 1) / 2 for x in range(len(keys))], keys)
    ax.set_ylabel("ms (log)")
    ax.set_yscale("log")  # a first, cold call is far slower than the rest
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    ax.set_title("Snelheid: percentielen")
    out = _png(fig)
    plt.close(fig)
    return out


def write_html(report: dict, path: Path) -> None:
    from .runner import summary_metrics

    from .compare import lower_is_better

    rows = "".join(
        f"<tr><td>{html.escape(s)}</td><td>{html.escape(m)}{' ↓' if lower_is_better(m) else ''}</td>"
        f'<td class="n">{v}</td></tr>'
        for s, res in report["suites"].items() for m, v in summary_metrics(s, res).items()
    )
    body = f"""<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Wegwijzer eval {html.escape(report['commit'])}</title>
<style>{STYLE}</style></head>
<body><h1>Wegwijzer: kwaliteitsrapport</h1><p>commit {html.escape(report['commit'])}, split <b>{html.escape(report['split'])}</b>, {html.escape(report['created'])}</p>
<table><tr><th>onderdeel</th><th>maat (↓: lager is beter)</th><th>waarde</th></tr>{rows}</table>{''.join(_plots(report))}
<details><summary>instellingen</summary><pre>{html.escape(str(report['settings']))}</pre></details></body></html>"""
    path.write_text(body, encoding="utf-8")
