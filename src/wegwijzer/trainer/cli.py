"""`wegwijzer review report | export`: the trainers' commands, on the verdict store named in the settings."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from ..config import get_settings
from ..evaluation.datasets import DATA

review_app = typer.Typer(no_args_is_help=True, help="Trainers' verdicts: a training-day report and new eval cases.")
console = Console(stderr=True)


def _verdicts(since: str | None) -> list:
    from .store import VerdictStore

    return VerdictStore(get_settings().verdicts_db).all(since=since)


@review_app.command()
def report(
    out: Path = typer.Option(Path("eval/reports"), help="Folder for the HTML page."),
    since: str = typer.Option("", help="Only verdicts from this ISO date or time on (UTC), e.g. 2026-11-25."),
) -> None:
    """A training-day summary per topic and per kind of error, as HTML with plots."""
    from .report import write_report

    verdicts = _verdicts(since or None)
    path = write_report(verdicts, out)
    console.print(f"{len(verdicts)} oordelen; rapport: {path}")


@review_app.command()
def export(
    data: Path = typer.Option(DATA, help="Folder of the eval sets (danger.jsonl, retrieval.jsonl)."),
    since: str = typer.Option("", help="Only verdicts from this ISO date or time on (UTC)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be added, write nothing."),
) -> None:
    """Turn verdicts with a problem into regression cases in eval/data/ (never twice)."""
    from .export import export_cases

    result = export_cases(_verdicts(since or None), data, dry_run=dry_run)
    verb = "zou toevoegen" if dry_run else "toegevoegd"
    for name, ids in result.added.items():
        console.print(f"{name}.jsonl: {len(ids)} {verb} {', '.join(ids)}")
    console.print(f"al aanwezig: {result.already}")
    for why in result.incomplete:
        console.print(f"[yellow]geen testgeval[/]: {why}")
