"""How much one page may cost: the limits, their defaults, in one place.

    from newsgraph.limits import current
    current().max_page_bytes

Each limit is read from its environment variable (NEWSGRAPH_MAX_PAGE_BYTES,
NEWSGRAPH_MAX_BODY_CHARS, NEWSGRAPH_MAX_ENTITIES) at the time it is
checked, so that worker processes (Dask) see what the command line set;
`newsgraph process` and `newsgraph ingest` take the same as options.

What happens over a limit:
- a page over max_page_bytes (a one-page file, a decompressed .gz, a WARC
  record's payload, a JSON Lines record) is refused: an ErrorRecord saying
  so, and the batch goes on. A page that size is no article, and reading it
  whole is what the limit is there to prevent;
- page text over max_body_chars is cut (at the last line break before the
  limit) and the article gets a warning: the start of an overlong page is
  still the article, and the stages after cleaning cost time in its length;
- an article with more than max_entities entities keeps those mentioned
  most (ties: the first found) and gets a warning.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    # The largest of the 181 Zyte benchmark pages is 1.5 MB of HTML. HTML
    # extraction is linear in the markup but dense markup is slow: a 10 MB
    # run of <p> took 7 minutes, so 5 MiB bounds one page to about a minute.
    max_page_bytes: int = 5 * 1024 * 1024
    # A long feature is about 60,000 characters; a text dump holds the
    # article plus page debris. Longer text is a book, a log or an attack.
    max_body_chars: int = 200_000
    # A long article names a few hundred entities at most.
    max_entities: int = 500


ENV = {
    "max_page_bytes": "NEWSGRAPH_MAX_PAGE_BYTES",
    "max_body_chars": "NEWSGRAPH_MAX_BODY_CHARS",
    "max_entities": "NEWSGRAPH_MAX_ENTITIES",
}
DEFAULTS = Limits()


def current() -> Limits:
    """The limits in force: each environment variable that is set, else the
    default. Raises ValueError naming the variable when one is no positive
    whole number."""
    values = {}
    for field in fields(Limits):
        raw = os.environ.get(ENV[field.name], "").strip()
        if raw:
            values[field.name] = _positive(raw, ENV[field.name])
    return Limits(**values)


def apply(**values: int | None) -> None:
    """Set limits for this process and the processes it starts (the CLI's
    options); a None value leaves that limit as it is."""
    for name, value in values.items():
        if name not in ENV:
            raise TypeError(f"unknown limit {name!r}; expected one of {', '.join(ENV)}")
        if value is not None:
            os.environ[ENV[name]] = str(_positive(str(value), name))


def _positive(raw: str, name: str) -> int:
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        value = 0
    if value <= 0:
        raise ValueError(f"{name} must be a positive whole number, not {raw!r}")
    return value


def options(command):
    """The limits as options of a click command (each also read from its
    environment variable); the command is called without them, after
    `apply` has set them."""
    import functools

    import click

    help_text = {
        "max_page_bytes": "Refuse a page (file, record, decompressed .gz) over this many bytes.",
        "max_body_chars": "Cut page text to this many characters, with a warning.",
        "max_entities": "Keep at most this many entities per article (those mentioned most).",
    }

    @functools.wraps(command)
    def run(**kwargs):
        apply(**{name: kwargs.pop(name) for name in ENV})
        return command(**kwargs)

    for name in reversed(list(ENV)):
        run = click.option(
            f"--{name.replace('_', '-')}",
            type=click.IntRange(1),
            default=None,
            envvar=ENV[name],
            help=f"{help_text[name]} Default {getattr(DEFAULTS, name)} (env {ENV[name]}).",
        )(run)
    return run
