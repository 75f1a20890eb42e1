"""Prints how many inputs the fuzz properties tried and how many of them
failed (`make fuzz` reports these figures)."""

from __future__ import annotations

from fuzz_inputs import COUNTS, EXAMPLES


def pytest_terminal_summary(terminalreporter):
    if not COUNTS["inputs"]:
        return
    failed = [r for r in terminalreporter.stats.get("failed", []) if "tests/fuzz/" in r.nodeid.replace("\\", "/")]
    terminalreporter.write_line(
        f"fuzz: {COUNTS['inputs']} inputs tried ({EXAMPLES} examples per property), "
        f"{len(failed)} crashes (failing properties)"
    )
