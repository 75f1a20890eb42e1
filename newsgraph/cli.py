"""The `newsgraph` command: a thin click layer over the Python API."""

from __future__ import annotations

import json
import sys

import click

from newsgraph import limits
from newsgraph.readers import FORMATS


class Main(click.Group):
    def invoke(self, ctx: click.Context):
        from newsgraph.store import StoreUnavailable

        try:
            return super().invoke(ctx)
        except StoreUnavailable as exc:  # e.g. no PostgreSQL server at the --db URL: a message, not a traceback
            raise click.ClickException(str(exc)) from exc


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
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
@limits.options
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


# What `newsgraph eval WHAT` and `newsgraph train WHAT` run: each entry is a
# module with an argparse `main()` taking --data (and the extra arguments).
EVALUATIONS = {
    "cleaning": [("newsgraph.evaluate.cleaning", [])],
    "extraction": [("newsgraph.evaluate.extraction", [])],
    "language": [("newsgraph.evaluate.language", [])],
    "entities": [("newsgraph.evaluate.entities", [])],
    "events": [("newsgraph.evaluate.events", [])],
}
TRAINERS = {
    "lines": [("newsgraph.train.lines", [])],
    "ner": [("newsgraph.train.ner", [])],
}


def _run_modules(steps: list[tuple[str, list[str]]], data: str | None, passed: list[str] | None = None) -> None:
    import importlib

    for module_name, extra in steps:
        module = importlib.import_module(module_name)
        argv = [module_name] + (["--data", data] if data else []) + extra + list(passed or ())
        saved, sys.argv = sys.argv, argv
        try:
            module.main()
        finally:
            sys.argv = saved


@main.command(name="eval", context_settings={"ignore_unknown_options": True})
@click.argument("what", type=click.Choice([*EVALUATIONS, "all"]))
@click.option("--data", type=click.Path(file_okay=False), default=None, help="The shared corpora (default: ../shared/data).")
@click.argument("options", nargs=-1, type=click.UNPROCESSED)
def evaluate(what: str, data: str | None, options: tuple[str, ...]) -> None:
    """Print quality figures on the test splits of the shared corpora. Further
    OPTIONS go to the evaluation module ("newsgraph eval events --split dev")."""
    names = list(EVALUATIONS) if what == "all" else [what]
    for name in names:
        click.echo(f"== {name} ==")
        _run_modules(EVALUATIONS[name], data, list(options))


@main.command()
@click.argument("what", type=click.Choice([*TRAINERS, "all"]))
@click.option("--data", type=click.Path(file_okay=False), default=None, help="The shared corpora (default: ../shared/data).")
def train(what: str, data: str | None) -> None:
    """Retrain the shipped models from the training splits (reproducible: fixed seeds)."""
    names = list(TRAINERS) if what == "all" else [what]
    for name in names:
        click.echo(f"== training {name} ==")
        _run_modules(TRAINERS[name], data)


def _attach_commands() -> None:
    # The store and web commands live beside their layers; the group only lists them.
    from newsgraph import cli_store, cli_web

    for command in (*cli_store.COMMANDS, cli_web.serve):
        main.add_command(command)


_attach_commands()

if __name__ == "__main__":
    main()
