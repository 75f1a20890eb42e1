"""The `newsgraph` command: a thin click layer over the Python API."""

from __future__ import annotations

import json
import sys

import click

from newsgraph.readers import FORMATS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsgraph")
def main() -> None:
    """newsgraph: who met whom, where, when and about what, from raw news pages."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--input-format",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="How to read the inputs; 'auto' decides per file by its content.",
)
@click.option("--progress/--no-progress", default=None, help="Progress on stderr (default: when stderr is a terminal).")
def process(paths: tuple[str, ...], input_format: str, progress: bool | None) -> None:
    """Process PATHS (files or directories) and write one JSON object per article
    to stdout (JSON Lines). Inputs that cannot be processed become
    {"origin", "error"} records; the exit status is non-zero only when nothing
    could be processed."""
    from newsgraph.model import ErrorRecord
    from newsgraph.pipeline import process_pages
    from newsgraph.readers import read

    show_progress = sys.stderr.isatty() if progress is None else progress
    done = failed = 0
    for record in process_pages(read(paths, input_format)):
        sys.stdout.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        if isinstance(record, ErrorRecord):
            failed += 1
            click.echo(f"newsgraph: {record.origin}: {record.error}", err=True)
        else:
            done += 1
        if show_progress:
            click.echo(f"\r{done} articles, {failed} errors", err=True, nl=False)
    if show_progress:
        click.echo("", err=True)
    if done == 0:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
