"""Boilerplate shared across documents: lines repeated at the head or foot of many documents of a corpus.

A corpus-level cleaning step: it needs every document, so it runs after each
document's own cleaning (:func:`analysis.cleaning.clean`), when a corpus is
loaded. Pure functions on lists of clean texts:

* :func:`line_key` — a line as compared: spaces dropped, every number 0 ("nearly verbatim");
* :func:`shared_lines` — the lines found, with the documents that carry them at an edge;
* :func:`shared_line_edits` — per text, the edit that removes its head block and its foot block;
* :func:`remove_shared_lines` — both at once: the new texts, their edits and the lines found;
* :func:`find_blocks`, :func:`block_edits`, :class:`BlockTable` — the same over texts streamed twice (one pass
  counts, one cuts), which :mod:`analysis.corpus.shared_lines` runs over a loaded corpus and caches.

How a block is found (thresholds and their reasons in ``data/shared_lines.yaml``):
a line is *common* at an edge (head or foot) when it is among the first (last)
``zone_lines`` lines of at least ``max(min_docs, min_share · N)`` of the N
documents. From each document's edge inwards, its lines belong to the block while
they are common; once the block holds an *anchor* (a common line of at least
``min_anchor_chars`` characters), a line found at the same edge of at least
``attached_min_docs`` documents joins it too (a second template of the same notice).
The first other line ends the block, so a shared line inside a document's body is
never removed, and a block without an anchor is not removed at all. A document is
never emptied, and loses nothing when its blocks would take more than
``max_block_share`` of it (ten offices forwarding one notice share the notice: it is
their text, not boilerplate). Copies of a document count once.

The edits use step ``shared_lines`` and rule ``shared_line``; each removes a whole
block with its line break, so ``replay(raw, edits) == text`` still holds when they
are appended to the document's own edits, and the block leaves no blank line.
Deterministic: nothing depends on the order of documents but the order of the output.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Sequence

import pandas as pd

from ..config import data_file
from ..errors import Problem
from .edits import Edit, apply_edits

__all__ = [
    "STEP", "RULE", "SharedLineSettings", "shared_line_settings", "line_key", "shared_lines",
    "shared_line_edits", "remove_shared_lines", "shared_line_problems", "find_blocks", "block_edits", "BlockTable",
    "SHARED_LINES_VERSION",
]

#: The audit's step and rule of the removals.
STEP, RULE = "shared_lines", "shared_line"
_EDGES = ("head", "foot")
_SPACE_RE = re.compile(r"\s+")
_INLINE_SPACE_RE = re.compile(r"[^\S\n]+")  # spaces but the line break
#: Bump when what this step removes changes: part of the key of its cached result.
SHARED_LINES_VERSION = "1"
_DIGIT_RE = re.compile(r"\d+")


@dataclass(frozen=True)
class SharedLineSettings:
    """The thresholds of ``data/shared_lines.yaml`` (these defaults when a key is absent); ``enabled=False`` skips the step."""

    zone_lines: int = 40
    min_docs: int = 5
    min_share: float = 0.2
    attached_min_docs: int = 2
    min_anchor_chars: int = 8
    max_line_chars: int = 300
    max_block_share: float = 0.3
    enabled: bool = True

    def needed(self, n_docs: int) -> int:
        """Documents a line must be at the edge of to be common in a corpus of ``n_docs``."""
        return max(int(self.min_docs), math.ceil(self.min_share * n_docs))


def _settings_from(data: Mapping, where: str, base: SharedLineSettings | None = None) -> SharedLineSettings:
    names = {f.name for f in fields(SharedLineSettings)} - {"enabled"}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"{where}: unknown shared-lines setting(s) {unknown}; the settings are {sorted(names)}")
    out = base or SharedLineSettings()
    for name, value in data.items():
        if name in ("min_share", "max_block_share"):
            ok = not isinstance(value, bool) and isinstance(value, (int, float)) and 0 <= value <= 1
        else:
            ok = not isinstance(value, bool) and isinstance(value, int) and value >= 1
        if not ok:
            raise ValueError(f"{where}: {name} must be {'a share from 0 to 1' if name in ('min_share', 'max_block_share') else 'a whole number of 1 or more'}, "
                             f"not {value!r}")
        out = replace(out, **{name: value})
    return out


@lru_cache(maxsize=4)
def _file_settings(path: str) -> SharedLineSettings:
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: must be a mapping of settings")
    return _settings_from(data, path)


def shared_line_settings(path: str | Path | None = None, overrides=None) -> SharedLineSettings:
    """The settings of ``data/shared_lines.yaml`` (or ``path``), with a corpus's ``overrides``.

    ``overrides`` is the ``shared_lines`` value of a corpus folder's ``corpus.yaml``
    (:func:`analysis.cleaning.corpus_options.corpus_options`): ``False`` switches the
    step off, a mapping replaces some thresholds, None or True changes nothing.
    """
    base = _file_settings(str(Path(path) if path else data_file("shared_lines.yaml")))
    if overrides is None or overrides is True:
        return base
    if overrides is False:
        return replace(base, enabled=False)
    if isinstance(overrides, Mapping):
        return _settings_from(overrides, "corpus.yaml: shared_lines", base)
    raise ValueError(f"corpus.yaml: shared_lines must be false or a mapping of thresholds, not {overrides!r}")


def line_key(line: str) -> str:
    """A line as lines are compared: without spaces, every number (run of digits) replaced by 0."""
    return _DIGIT_RE.sub("0", _SPACE_RE.sub("", line))


# --------------------------------------------------------------------------- finding


def _copy_key(text: str) -> bytes:
    """A digest of a text up to spaces and numbers: the line keys (:func:`line_key`) of its lines, joined."""
    flat = _DIGIT_RE.sub("0", _INLINE_SPACE_RE.sub("", text))
    return hashlib.blake2b(flat.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _edge_lines(text: str, zone: int) -> tuple[list[str], list[str], int]:
    """A text's first and last ``zone`` lines (each from the edge inwards) and its number of lines, without
    splitting the rest of it."""
    if not text:
        return [], [], 0
    return text.split("\n", zone)[:zone], text.rsplit("\n", zone)[::-1][:zone], text.count("\n") + 1


def _edge_counts(texts: Iterable[str], s: SharedLineSettings) -> dict[str, Counter]:
    """For each edge: in how many documents each line key is among the edge lines.

    Copies count once: documents whose lines are the same (but for spaces and numbers)
    are one document here, so a corpus that holds a text twice does not make its lines
    look shared. One pass over the texts, holding only the counts and a digest per distinct text.
    """
    counts = {edge: Counter() for edge in _EDGES}
    seen: set[bytes] = set()
    for text in texts:
        whole = _copy_key(text)
        if whole in seen:
            continue
        seen.add(whole)
        head, foot, _ = _edge_lines(text, s.zone_lines)
        for edge, lines in (("head", head), ("foot", foot)):
            counts[edge].update({k for k in map(line_key, lines) if k and len(k) <= s.max_line_chars})
    return counts


def _block(keys: Iterable[str], counts: Counter, need: int, s: SharedLineSettings) -> int:
    """How many lines from the edge (``keys`` from the edge inwards) form the shared block."""
    n, anchored = 0, False
    for k in keys:
        c = counts.get(k, 0) if len(k) <= s.max_line_chars else 0
        if c >= need:
            anchored = anchored or len(k) >= s.min_anchor_chars
        elif not (anchored and c >= s.attached_min_docs):
            break
        n += 1
    return n if anchored else 0


def _cuts(text: str, counts: dict, need: int, s: SharedLineSettings) -> tuple[list[str], list[str]]:
    """The lines of a text's head block and foot block (the foot's from the edge inwards)."""
    head_lines, foot_lines, n_lines = _edge_lines(text, s.zone_lines)
    head = _block(map(line_key, head_lines), counts["head"], need, s)
    foot = _block(map(line_key, foot_lines), counts["foot"], need, s)
    taken = sum(len(x) + 1 for x in head_lines[:head]) + sum(len(x) + 1 for x in foot_lines[:foot])
    if head + foot >= n_lines or taken > s.max_block_share * (len(text) + 1):
        return [], []  # never empty a document, nor take most of it: shared text, not boilerplate
    return head_lines[:head], foot_lines[:foot]


def find_blocks(texts: Callable[[], Iterable[str]], s: SharedLineSettings, n: int
           ) -> Iterator[tuple[list[str], list[str], dict]]:
    """For each of the ``n`` texts of ``texts()`` (called twice: one pass counts, one cuts, so the texts can be
    streamed from disk), the lines of its head block and of its foot block, and the edge counts."""
    if not s.enabled or n < s.needed(n):
        for _ in texts():
            yield [], [], {}
        return
    counts = _edge_counts(texts(), s)
    need = s.needed(n)
    for text in texts():
        yield (*_cuts(text, counts, need, s), counts)


def block_edits(text: str, head: list[str], foot: list[str]) -> list[Edit]:
    """The edits that remove a text's head block with the line break after it and its foot block with the one
    before it."""
    edits = []
    if head:
        end = sum(len(x) + 1 for x in head)
        edits.append(Edit(STEP, RULE, 0, end, text[:end], ""))
    if foot:
        start = len(text) - sum(len(x) + 1 for x in foot)
        edits.append(Edit(STEP, RULE, start, len(text), text[start:], ""))
    return edits


class BlockTable:
    """The rows of :func:`shared_lines`, gathered one document at a time (``add``, then ``frame``)."""

    def __init__(self):
        self.seen: dict[tuple[str, str], dict] = {}

    def add(self, head: list[str], foot: list[str], counts: dict) -> None:
        taken = [("head", i + 1, line) for i, line in enumerate(head)]
        taken += [("foot", i + 1, line) for i, line in enumerate(foot)]
        first: dict[tuple[str, str], tuple[int, str]] = {}
        for edge, pos, line in taken:  # each line once per document, at its outermost position
            first.setdefault((edge, line_key(line)), (pos, line))
        for (edge, key), (pos, line) in first.items():
            row = self.seen.setdefault((edge, key), {"edge": edge, "line": line, "n_docs": 0,
                                                     "n_edge_docs": counts[edge][key], "positions": []})
            row["n_docs"] += 1
            row["positions"].append(pos)

    def frame(self) -> pd.DataFrame:
        rows = [{**{k: v for k, v in r.items() if k != "positions"},
                 "position": int(sorted(r["positions"])[len(r["positions"]) // 2])} for r in self.seen.values()]
        df = pd.DataFrame(rows, columns=["edge", "line", "n_docs", "n_edge_docs", "position"])
        if df.empty:
            return df
        df["order"] = df["edge"].map({e: i for i, e in enumerate(_EDGES)})
        return df.sort_values(["order", "position", "line"], kind="stable").drop(columns="order").reset_index(drop=True)


def shared_lines(texts: Sequence[str], settings: SharedLineSettings | None = None) -> pd.DataFrame:
    """The lines that :func:`shared_line_edits` removes, one row per edge and distinct line.

    Columns: ``edge`` (head or foot), ``line`` (as in the first document that has it),
    ``n_docs`` (documents it is removed from), ``n_edge_docs`` (documents that have it
    among their edge lines), ``position`` (its median distance from the edge, 1 = the
    outermost line); sorted by edge, then position, then line.
    """
    return remove_shared_lines(texts, settings)[2]


def shared_line_edits(texts: Sequence[str], settings: SharedLineSettings | None = None) -> list[list[Edit]]:
    """For each text, the edits that remove its shared head and foot blocks (positions in the text).

    At most two edits a text: the head block with the line break after it, the foot
    block with the line break before it.
    """
    return remove_shared_lines(texts, settings)[1]


def remove_shared_lines(texts: Sequence[str], settings: SharedLineSettings | None = None
                        ) -> tuple[list[str], list[list[Edit]], pd.DataFrame]:
    """The texts without their shared blocks, the edits per text and the lines found (:func:`shared_lines`)."""
    s = settings or shared_line_settings()
    new, edits, table = [], [], BlockTable()
    for text, (head, foot, counts) in zip(texts, find_blocks(lambda: iter(texts), s, len(texts))):
        e = block_edits(text, head, foot)
        if e:
            table.add(head, foot, counts)
        edits.append(e)
        new.append(apply_edits(text, e) if e else text)
    return new, edits, table.frame()


# --------------------------------------------------------------------------- on a loaded corpus


def _shorten(line: str, n: int = 40) -> str:
    return line if len(line) <= n else line[: n - 1] + "…"


def shared_line_problems(found: pd.DataFrame, n_total: int, where: str) -> list[Problem]:
    """One warning per edge that lost a block: how many documents, and the lines (the first few)."""
    out = []
    for edge, rows in found.groupby("edge", sort=False):
        rows = rows.sort_values(["n_docs", "position"], ascending=[False, True], kind="stable")
        lines = "; ".join(f"{_shorten(r.line)!r} ({r.n_docs})" for r in rows.head(8).itertuples())
        more = f" and {len(rows) - 8} more" if len(rows) > 8 else ""
        out.append(Problem(
            "warning", where,
            f"{len(rows)} line(s) repeated at the {edge} of up to {int(rows['n_docs'].max())} of {n_total} documents were "
            f"removed as shared boilerplate (rule {RULE}): {lines}{more}",
            "nothing to do when these are a site's or an office's notices; when they are the documents' own text, "
            "raise min_docs or min_share in analysis/data/shared_lines.yaml, or write 'shared_lines: false' in the "
            "corpus folder's corpus.yaml"))
    return out
