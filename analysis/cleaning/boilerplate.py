"""Step ``boilerplate``: web and document debris, removed by the rules in ``analysis/data/boilerplate.yaml``.

The rules are data, not code: each has a name, a regular expression and a
description, and may be limited to a document's edges (see the file's header
comments and :class:`BoilerplateRule`). Every match that a rule keeps is
removed and recorded in the audit under the rule's name.

The file's ``settings`` hold the defaults of the edge options and the share
of a document's characters above which one rule's removals are reported
(:func:`rules_over_share`, a warning of ``python -m analysis check``).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..config import data_file
from .edits import CleanResult, Edit
from .fastscan import cannot_match, lookups
from .rules import regex_edits, run_rules

__all__ = [
    "WHERE", "BoilerplateSettings", "BoilerplateRule", "load_boilerplate_rules", "boilerplate_settings",
    "remove_boilerplate", "boilerplate_lines", "rules_over_share",
]

#: The values of a rule's ``where``: every match (``anywhere``), or matches in a document's head or foot only.
WHERE = ("anywhere", "edge")


@dataclass(frozen=True)
class BoilerplateSettings:
    """The ``settings`` of ``boilerplate.yaml`` (these defaults when a file has none)."""

    #: a ``where: edge`` rule removes matches within this many lines of a document's start or end
    edge_lines: int = 5
    #: ... and only on lines of at most this many characters (a longer line is body text)
    max_line_chars: int = 100
    #: a rule that removes more than this share of a document's characters is reported
    warn_share: float = 0.2


@dataclass(frozen=True)
class BoilerplateRule:
    """One rule of ``boilerplate.yaml``: its name (in the audit), compiled pattern and description.

    ``where="edge"`` keeps a match only in the document's head or foot: on
    lines of at most ``max_line_chars`` characters, with fewer than
    ``edge_lines`` lines of the document's text before it (head) or after it
    (foot). Blank lines do not count, and neither do lines that the rule's own
    matches leave empty, so a footer block of several notice lines goes whole.
    ``max_line_chars`` also limits a rule that acts ``anywhere``. None means the
    defaults of :class:`BoilerplateSettings` (for an edge rule) or no limit.
    """

    name: str
    pattern: re.Pattern
    description: str
    where: str = "anywhere"
    edge_lines: int | None = None
    max_line_chars: int | None = None

    def keep(self, text: str, edits: list[Edit]) -> list[Edit]:
        """The edits (matches of this rule in ``text``) that the rule's ``where`` and ``max_line_chars`` allow."""
        return _kept(self, text, edits)

    @property
    def restricted(self) -> bool:
        """True when not every match is removed (``where: edge`` or a ``max_line_chars``)."""
        return self.where != "anywhere" or self.max_line_chars is not None


# --------------------------------------------------------------------------- reading the file

_RULE_KEYS = {"name", "pattern", "description", "where", "edge_lines", "max_line_chars"}
_SETTING_KEYS = {"edge_lines", "max_line_chars", "warn_share"}


def _positive_int(value, what: str, path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{path}: {what} must be a whole number of 1 or more, not {value!r}")
    return value


def _read_settings(entries, path: Path) -> BoilerplateSettings:
    if entries is None:
        return BoilerplateSettings()
    if not isinstance(entries, dict):
        raise ValueError(f"{path}: 'settings' must be a mapping of {', '.join(sorted(_SETTING_KEYS))}")
    unknown = set(entries) - _SETTING_KEYS
    if unknown:
        raise ValueError(f"{path}: unknown setting(s) {sorted(unknown)}; the settings are {sorted(_SETTING_KEYS)}")
    settings = BoilerplateSettings()
    if "edge_lines" in entries:
        settings = replace(settings, edge_lines=_positive_int(entries["edge_lines"], "settings: edge_lines", path))
    if "max_line_chars" in entries:
        settings = replace(settings, max_line_chars=_positive_int(entries["max_line_chars"],
                                                                  "settings: max_line_chars", path))
    if "warn_share" in entries:
        share = entries["warn_share"]
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
            raise ValueError(f"{path}: settings: warn_share must be a share above 0 and at most 1 "
                             f"(0.2 for a fifth), not {share!r}")
        settings = replace(settings, warn_share=float(share))
    return settings


def _read_rule(i: int, entry, settings: BoilerplateSettings, path: Path) -> BoilerplateRule:
    try:
        name, pattern = entry["name"], entry["pattern"]
    except (TypeError, KeyError):
        raise ValueError(f"{path}: rule {i + 1} needs a 'name' and a 'pattern'") from None
    unknown = set(entry) - _RULE_KEYS
    if unknown:
        raise ValueError(f"{path}: rule {name!r} has unknown key(s) {sorted(unknown)}; "
                         f"a rule has {', '.join(sorted(_RULE_KEYS))}")
    try:
        compiled = re.compile(pattern, re.MULTILINE)
    except re.error as exc:
        raise ValueError(f"{path}: rule {name!r} has an invalid pattern: {exc}") from None
    where = entry.get("where", "anywhere")
    if where not in WHERE:
        raise ValueError(f"{path}: rule {name!r}: 'where' must be 'anywhere' (every match) or 'edge' "
                         f"(the document's first and last lines), not {where!r}")
    edge_lines = max_line_chars = None
    if "edge_lines" in entry:
        if where != "edge":
            raise ValueError(f"{path}: rule {name!r}: 'edge_lines' needs 'where: edge'")
        edge_lines = _positive_int(entry["edge_lines"], f"rule {name!r}: edge_lines", path)
    if "max_line_chars" in entry:
        max_line_chars = _positive_int(entry["max_line_chars"], f"rule {name!r}: max_line_chars", path)
    if where == "edge":
        edge_lines = edge_lines or settings.edge_lines
        max_line_chars = max_line_chars or settings.max_line_chars
    return BoilerplateRule(name, compiled, entry.get("description", ""), where, edge_lines, max_line_chars)


def _read_file(path: Path) -> tuple[BoilerplateSettings, list[BoilerplateRule]]:
    """The settings and rules of a boilerplate file (a list of rules, or ``settings`` and ``rules``)."""
    import yaml

    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or []
    if isinstance(data, dict):
        unknown = set(data) - {"settings", "rules"}
        if unknown:
            raise ValueError(f"{path}: unknown top-level key(s) {sorted(unknown)}; the file holds 'settings' and 'rules'")
        settings, entries = _read_settings(data.get("settings"), path), data.get("rules") or []
    else:
        settings, entries = BoilerplateSettings(), data
    if not isinstance(entries, list):
        raise ValueError(f"{path}: the rules must be a list (each rule starts with '- name: …')")
    rules = [_read_rule(i, entry, settings, path) for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for rule in rules:
        if rule.name in seen:
            raise ValueError(f"{path}: two rules are named {rule.name!r}; the audit tells rules apart by name")
        seen.add(rule.name)
    return settings, rules


def load_boilerplate_rules(path: str | Path | None = None) -> list[BoilerplateRule]:
    """Read the boilerplate rules (YAML: ``name``, ``pattern``, ``description``, optional ``where`` …).

    Patterns are Python regular expressions compiled with ``re.MULTILINE``;
    every match the rule keeps is removed (see :class:`BoilerplateRule`). The
    default file is ``analysis/data/boilerplate.yaml``. A bad pattern or
    option raises :class:`ValueError` naming the file, the rule and the fix.
    """
    return _read_file(Path(path) if path else data_file("boilerplate.yaml"))[1]


def boilerplate_settings(path: str | Path | None = None) -> BoilerplateSettings:
    """The ``settings`` of a boilerplate file (default ``analysis/data/boilerplate.yaml``)."""
    if path is None:
        return _default_file(None)[0]
    return _read_file(Path(path))[0]


@lru_cache(maxsize=8)
def _default_file(path: str | None) -> tuple[BoilerplateSettings, tuple[BoilerplateRule, ...]]:
    settings, rules = _read_file(Path(path) if path else data_file("boilerplate.yaml"))
    return settings, tuple(rules)


# --------------------------------------------------------------------------- removing


def remove_boilerplate(
    text: str, rules: Iterable[BoilerplateRule] | None = None
) -> tuple[str, list[Edit]]:
    """Remove every match of every boilerplate rule that the rule keeps (web breadcrumbs, URLs, footers …)."""
    rules = _default_file(None)[1] if rules is None else rules
    return run_rules(text, "boilerplate", ((r.name, r.pattern, "", r.keep if r.restricted else None) for r in rules))


def boilerplate_lines(text: str, rules: Iterable[BoilerplateRule] | None = None) -> set[int]:
    """Indices of the lines of ``text`` (split on ``\\n``) that the rules would leave blank: boilerplate lines.

    Each rule is matched on ``text`` as it is (not after the rules before it),
    with its ``where`` and ``max_line_chars``; a line counts when the matches
    together cover all of it but spaces. The ``lines`` step asks it, so that it
    never glues a notice, a breadcrumb or a page number to the document's text
    (the rule would then remove the text with it, or miss the notice).
    """
    rules = _default_file(None)[1] if rules is None else rules
    found = lookups(text)
    edits: list[Edit] = []
    for r in rules:
        if cannot_match(text, r.pattern, found):
            continue
        matches = regex_edits(text, "boilerplate", r.name, r.pattern, "")
        edits.extend(r.keep(text, matches) if matches and r.restricted else matches)
    if not edits:
        return set()
    lines = text.split("\n")
    starts = [0, *accumulate(len(line) + 1 for line in lines)]
    by_line: dict[int, list[tuple[int, int]]] = {}
    for e in edits:
        first, last = _line_span(starts, e)
        for i in range(first, last + 1):
            by_line.setdefault(i, []).append((e.start, e.end))
    return {i for i, spans in by_line.items() if lines[i].strip() and _covered(text, starts[i], len(lines[i]), spans)}


def _covered(text: str, start: int, length: int, spans: list[tuple[int, int]]) -> bool:
    """True when the ``spans`` cover ``text[start:start + length]`` but for spaces."""
    pos, rest = start, []
    for a, b in sorted(spans):
        if a > pos:
            rest.append(text[pos:a])
        pos = max(pos, b)
    if pos < start + length:
        rest.append(text[pos:start + length])
    return not "".join(rest).strip()


def _kept(rule: BoilerplateRule, text: str, edits: list[Edit]) -> list[Edit]:
    """The edits of ``rule`` that lie on short enough lines and, for an edge rule, in the head or foot."""
    lines = text.split("\n")
    starts = [0, *accumulate(len(line) + 1 for line in lines)]
    spans = [_line_span(starts, e) for e in edits]
    max_chars = rule.max_line_chars
    if max_chars is None and rule.where == "edge":
        max_chars = BoilerplateSettings.max_line_chars
    if max_chars is not None:
        lengths = {i: len(lines[i].strip()) for a, b in spans for i in range(a, b + 1)}
        short = [all(lengths[i] <= max_chars for i in range(a, b + 1)) for a, b in spans]
        edits = [e for e, ok in zip(edits, short) if ok]
        spans = [s for s, ok in zip(spans, short) if ok]
    if rule.where != "edge" or not edits:
        return edits
    edge_lines = rule.edge_lines or BoilerplateSettings.edge_lines
    emptied = _emptied_lines(text, lines, starts, edits, spans)
    counted = [bool(line.strip()) and i not in emptied for i, line in enumerate(lines)]
    before = [0, *accumulate(counted)]  # before[i]: lines of text before line i
    total = before[-1]
    return [e for e, (a, b) in zip(edits, spans) if before[a] < edge_lines or total - before[b + 1] < edge_lines]


def _line_span(starts: list[int], e: Edit) -> tuple[int, int]:
    """Indices of the first and last line an edit touches (``starts``: offsets of the line starts)."""
    first = bisect_right(starts, e.start) - 1
    last = bisect_right(starts, max(e.end - 1, e.start)) - 1
    return first, last


def _emptied_lines(text: str, lines: list[str], starts: list[int], edits: list[Edit],
                   spans: list[tuple[int, int]]) -> set[int]:
    """Lines with nothing but spaces left once the edits are made: notices, not the document's text."""
    emptied = set()
    for e, (a, b) in zip(edits, spans):
        for i in range(a, b + 1):
            line_start, line_end = starts[i], starts[i] + len(lines[i])
            rest = text[line_start:max(line_start, min(e.start, line_end))] + text[max(e.end, line_start):line_end]
            if not rest.strip():
                emptied.add(i)
    return emptied


# --------------------------------------------------------------------------- reporting


def rules_over_share(result: CleanResult, share: float | None = None, *, n_chars: int | None = None,
                     steps: Iterable[str] | None = ("boilerplate",)) -> pd.DataFrame:
    """The rules that removed more than ``share`` of a document's characters, most first.

    Counted as in the audit (``chars_removed`` summed per rule) against the
    raw document's length ``n_chars`` (default: worked out from the edits).
    ``share`` defaults to the ``warn_share`` setting of ``boilerplate.yaml`` (a
    fifth). Only the rules of ``steps`` count: by default the boilerplate
    rules, the ones that remove text; the other steps normalise characters,
    line breaks and whitespace (None: every rule).

    Columns: ``step``, ``rule``, ``chars_removed``, ``n_chars`` and ``share``.
    """
    share = boilerplate_settings().warn_share if share is None else share
    wanted = None if steps is None else set(steps)
    removed: dict[tuple[str, str], int] = {}
    for e in result.edits:
        if wanted is None or e.step in wanted:
            removed[e.step, e.rule] = removed.get((e.step, e.rule), 0) + len(e.old) - len(e.new)
    if n_chars is None:
        n_chars = len(result.text) + sum(len(e.old) - len(e.new) for e in result.edits)
    rows = [(step, rule, n, n_chars, n / n_chars) for (step, rule), n in removed.items()
            if n_chars and n / n_chars > share]
    rows.sort(key=lambda r: (-r[2], r[1]))
    return pd.DataFrame(rows, columns=["step", "rule", "chars_removed", "n_chars", "share"])
