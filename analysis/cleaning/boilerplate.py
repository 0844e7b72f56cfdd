"""Step ``boilerplate``: web and document debris, removed by the rules in ``analysis/data/boilerplate.yaml``.

The rules are data, not code: each has a name, a regular expression and a
description (see the file's header comments). Every match is removed and
recorded in the audit under the rule's name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..config import data_file
from .edits import Edit
from .rules import run_rules

__all__ = ["BoilerplateRule", "load_boilerplate_rules", "remove_boilerplate"]


@dataclass(frozen=True)
class BoilerplateRule:
    """One rule of ``boilerplate.yaml``: its name (in the audit), compiled pattern and description."""

    name: str
    pattern: re.Pattern
    description: str


def load_boilerplate_rules(path: str | Path | None = None) -> list[BoilerplateRule]:
    """Read the boilerplate rules (YAML list of ``name``, ``pattern``, ``description``).

    Patterns are Python regular expressions compiled with ``re.MULTILINE``;
    every match is removed. The default file is ``analysis/data/boilerplate.yaml``.
    """
    import yaml

    path = Path(path) if path else data_file("boilerplate.yaml")
    with open(path, encoding="utf-8") as fh:
        entries = yaml.safe_load(fh) or []
    rules = []
    for i, entry in enumerate(entries):
        try:
            name, pattern = entry["name"], entry["pattern"]
        except (TypeError, KeyError):
            raise ValueError(f"{path}: rule {i + 1} needs a 'name' and a 'pattern'") from None
        try:
            compiled = re.compile(pattern, re.MULTILINE)
        except re.error as exc:
            raise ValueError(f"{path}: rule {name!r} has an invalid pattern: {exc}") from None
        rules.append(BoilerplateRule(name, compiled, entry.get("description", "")))
    return rules


@lru_cache(maxsize=8)
def _default_rules(path: str | None) -> tuple[BoilerplateRule, ...]:
    return tuple(load_boilerplate_rules(path))


def remove_boilerplate(
    text: str, rules: Iterable[BoilerplateRule] | None = None
) -> tuple[str, list[Edit]]:
    """Remove every match of every boilerplate rule (web breadcrumbs, URLs, footers …)."""
    rules = _default_rules(None) if rules is None else rules
    return run_rules(text, "boilerplate", ((r.name, r.pattern, "") for r in rules))
