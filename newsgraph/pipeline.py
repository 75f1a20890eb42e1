"""The per-page pipeline: a page is cleaned into an article, then passed
through small registered components, each `Article -> Article` (the spaCy
model). Engines (local, Dask) call `process_page`; nothing else.

Components load their models lazily, once per process, never per page.
Running the pipeline makes the garbage collector's full passes rarer in
its process (see FULL_COLLECTION_THRESHOLD).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache

from newsgraph.model import Article, ErrorRecord, Page

Component = Callable[[Article], Article]

COMPONENTS: dict[str, Component] = {}

# The order the stages run in; a name is skipped while its module is absent.
DEFAULT_PIPELINE = ("language", "entities", "events")


def component(name: str) -> Callable[[Component], Component]:
    """Register `fn` as the pipeline stage called `name`."""

    def register(fn: Component) -> Component:
        COMPONENTS[name] = fn
        return fn

    return register


# The stages' word caches keep hundreds of thousands of objects alive for a
# whole run; at Python's default threshold (10) the collector's full passes
# rescan them every few pages, a tenth of the pipeline's CPU time
# (bench/profile.md). Ten times rarer full passes still free every cycle.
FULL_COLLECTION_THRESHOLD = 100


@cache
def _load_components() -> None:
    # Importing a stage's module registers it. Imported here, not at the top,
    # so that `newsgraph.model` users do not pay for the models. Not keyed on
    # COMPONENTS being empty: importing one stage elsewhere registers only that one.
    import gc

    import newsgraph.language  # noqa: F401

    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_THRESHOLD)

    for optional in ("newsgraph.entities", "newsgraph.events"):
        try:
            __import__(optional)
        except ModuleNotFoundError as exc:
            if exc.name != optional:
                raise


def process_page(page: Page, stages: Iterable[str] = DEFAULT_PIPELINE) -> Article:
    """Run one page through cleaning and every stage. Raises on bad input;
    `process_pages` turns that into an error record."""
    from newsgraph.clean import clean_page

    _load_components()
    article = clean_page(page)
    for name in stages:
        stage = COMPONENTS.get(name)
        if stage is not None:
            article = within_entity_limit(stage(article))
    return article


def within_entity_limit(article: Article) -> Article:
    """At most newsgraph.limits' max_entities entities: those mentioned most
    (ties: the first found), with a warning. Checked after every stage, so
    that the stages after entity recognition never see more."""
    from newsgraph.limits import current

    limit = current().max_entities
    if len(article.entities) <= limit:
        return article
    ranked = sorted(range(len(article.entities)), key=lambda i: -len(article.entities[i].mentions))
    kept = sorted(ranked[:limit])
    article.warnings.append(f"kept the {limit} entities mentioned most of {len(article.entities)} (NEWSGRAPH_MAX_ENTITIES)")
    article.entities = [article.entities[i] for i in kept]
    return article


def process_pages(
    items: Iterable[Page | ErrorRecord], stages: Iterable[str] = DEFAULT_PIPELINE
) -> Iterator[Article | ErrorRecord]:
    """Process a stream of pages; a page that fails becomes an ErrorRecord
    and the stream goes on."""
    stages = tuple(stages)
    for item in items:
        if isinstance(item, ErrorRecord):
            yield item
            continue
        try:
            yield process_page(item, stages)
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop a batch
            yield ErrorRecord(origin=item.origin, error=f"{type(exc).__name__}: {exc}")
