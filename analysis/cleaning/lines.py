"""Step ``lines``: titles broken over the first lines joined, and sentences broken by PDF line and page breaks rejoined.

* :func:`join_title_lines` — a document's title broken over its first lines
  (rule ``join_title_lines``; the words that end a title are listed in
  ``analysis/data/document_types.txt``, see :func:`document_types`);
* :func:`repair_lines` — lines that do not end a sentence joined to the next
  one, unless that starts a heading, a point, an indent or a date (rule
  ``join_broken_line``). Whether a page break cuts a word in two is asked of
  the dictionary (:func:`analysis.lexicon.is_word`).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from ..config import data_file
from ..lexicon import is_word
from ..text import CJK_RE, is_cjk
from .boilerplate import boilerplate_lines
from .edits import Edit, apply_edits

__all__ = ["TERMINAL", "CLOSERS", "SOFT", "document_types", "join_title_lines", "repair_lines"]

# --------------------------------------------------------------------------- what ends a line

#: Marks after which a line ends a sentence (or a clause that a heading or list item closes).
TERMINAL = set("。！？!?；;：:….")
#: Closing quotes and brackets that may follow a :data:`TERMINAL` mark at a line's end (wider than
#: :data:`analysis.text.CLOSERS`: book-title marks and ASCII quotes count here).
CLOSERS = set("”’」』）)】》\"'")
#: Marks in the middle of a sentence: a line that ends in one goes on on the next line.
SOFT = set("，、,（(“‘《【—-–·/")
_CJK_INNER_PUNCT = re.compile("[，、；。]")
_HEADING_RE = re.compile(
    r"^(第[一二三四五六七八九十百零〇\d]+[章节条部分篇]"
    r"|[一二三四五六七八九十]+、"
    r"|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d{1,2}[\.、．](?!\d)"
    r"|[①-⑳])"
)
# enumerated points that open a paragraph without being headings (一是…, 二要…, 首先…)
_POINT_RE = re.compile(r"^([一二三四五六七八九十]+(是|要|方面)|首先|其次|再次|最后|第[一二三四五六七八九十]+，)")
_DATE_LINE_RE = re.compile(r"^[（(]?\s*\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?\s*[）)]?$")
_INDENT_RE = re.compile(r"^(\u3000|[ \t]{2,})")


def _width(s: str) -> float:
    """Display width in Chinese-character units (ASCII counts half)."""
    return len(s) - 0.5 * len(s.encode("ascii", "ignore"))


def _line_width(lines: list[str]) -> float | None:
    """Typical width of a hard-wrapped text, or None when lines are not hard-wrapped."""
    # (_width inlined: a function call per line costs as much as the arithmetic)
    widths = [round(len(s) - 0.5 * len(s.encode("ascii", "ignore"))) for s in map(str.strip, lines) if s]
    if len(widths) < 8:
        return None
    counts = Counter(widths)
    # the most common width is the page's line length when most lines are full (a tie
    # goes to the widest); counted in plain Python, as a pandas Series costs more per document
    top = max(counts.values())
    mode = max(w for w, n in counts.items() if n == top)
    near = sum(1 for w in widths if mode - 3 <= w <= mode + 3)
    return float(mode) if near >= 0.4 * len(widths) and mode >= 10 else None


def _ends_sentence(s: str) -> bool:
    s = s.rstrip().rstrip("|｜ \t")
    while s and s[-1] in CLOSERS:
        if len(s) >= 2 and s[-2] in TERMINAL:
            return True
        s = s[:-1]
    return bool(s) and s[-1] in TERMINAL


def _should_join(prev: str, nxt: str, width: float | None) -> bool:
    p, n = prev.rstrip(), nxt.strip()
    if not p or not n:
        return False
    # Most lines end a sentence: that test comes first, as it needs no regex (both say no),
    # and a line that ends in a terminal mark (which is no closer, space or bar) ends one.
    if p[-1] in TERMINAL or _ends_sentence(p):
        return False
    if _INDENT_RE.match(nxt) or _HEADING_RE.match(n) or _POINT_RE.match(n) or _DATE_LINE_RE.match(n):
        return False
    if p[-1] in SOFT:
        return True
    if width is not None and _width(p.strip()) >= width - 3:
        return True
    # A page break inside running text: the continuation finishes a sentence, the
    # broken line is no heading, and either it reads like prose (inner punctuation)
    # or the break cuts a dictionary word in two (当前工 / 作).
    if _HEADING_RE.match(p.strip()) or not (is_cjk(n[0]) or n[0] in "，、“《（"):
        return False
    finishes = _ends_sentence(n) or n[-1] in SOFT or len(n) >= 30
    if not finishes:
        return False
    long_enough = len(p.strip()) >= 16  # shorter lines are usually (sub)headings
    return long_enough and (bool(_CJK_INNER_PUNCT.search(p)) or _splits_word(p, n))


def _splits_word(left: str, right: str) -> bool:
    """True when a dictionary word of 2-4 characters straddles ``left|right``."""
    left, right = left.rstrip(), right.lstrip()
    for i in range(1, 4):
        for j in range(1, 4):
            if i + j <= 4 and i <= len(left) and j <= len(right):
                if is_word(left[-i:] + right[:j]):
                    return True
    return False


# --------------------------------------------------------------------------- titles

#: the most lines a title is broken into, and the longest title line (characters)
_TITLE_MAX_LINES, _TITLE_MAX_CHARS = 6, 40
# punctuation of prose, never in a title (which may hold 、 quotes and book-title marks)
_PROSE_PUNCT_RE = re.compile("[，；。！？,;!?]")
# a document number (桂防指〔2022〕1号), which belongs to the letterhead, not the title
_DOC_NUMBER_RE = re.compile(r"[〔\[［]\s*\d{4}\s*[〕\]］]|\d+\s*号\s*$")


@lru_cache(maxsize=4)
def document_types(path: str | None = None) -> tuple[str, ...]:
    """Words that end an official document's title (``data/document_types.txt``), longest first."""
    source = Path(path) if path else data_file("document_types.txt")
    words = []
    for line in source.read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if word and not word.startswith("#"):
            words.append(word)
    return tuple(sorted(set(words), key=len, reverse=True))


def _title_lines(lines: list[str], content: list[int]) -> list[int]:
    """Indices of the lines a document's title is broken into, when it is (else an empty list).

    The title is the first two to :data:`_TITLE_MAX_LINES` lines of the document
    when the last of them ends with a document type (:func:`document_types`),
    no earlier one does, and none ends a sentence, holds a comma or a full
    stop, is long, starts with a dash (a subtitle), a heading marker or a date,
    or holds a document number. Lines of boilerplate before the title (a
    breadcrumb, a notice: see :func:`analysis.cleaning.boilerplate.boilerplate_lines`)
    are left out by the caller, so they are never joined to it.
    """
    types = document_types()
    for k, i in enumerate(content[:_TITLE_MAX_LINES]):
        s = lines[i].strip()
        prose = len(s) > _TITLE_MAX_CHARS or _ends_sentence(s) or _PROSE_PUNCT_RE.search(s)
        marked = s[0] in "—-–─" or _HEADING_RE.match(s) or _POINT_RE.match(s) or _DATE_LINE_RE.match(s)
        if prose or marked or _DOC_NUMBER_RE.search(s) or not CJK_RE.search(s):
            return []
        if s.rstrip("".join(CLOSERS)).endswith(types):
            return content[:k + 1] if k else []
    return []


def join_title_lines(text: str) -> tuple[str, list[Edit]]:
    """Join a title broken over the first lines of a document into one line (rule ``join_title_lines``).

    See :func:`_title_lines` for when the first lines are a title. Blank lines
    between them go too; the rest of the text is left to :func:`repair_lines`.
    """
    lines = text.split("\n")
    content = [i for i, l in enumerate(lines[:4 * _TITLE_MAX_LINES]) if l.strip()]
    title = _title_lines(lines, content)
    if title:  # a breadcrumb or a notice above the title is no part of it
        boilerplate = boilerplate_lines(text)
        if boilerplate.intersection(title):
            title = _title_lines(lines, _after_boilerplate(content, boilerplate))
    if not title:
        return text, []
    starts = [0, *accumulate(len(l) + 1 for l in lines[:title[-1] + 1])]
    edits = [_join_lines(text, lines, starts, a, b, "join_title_lines") for a, b in zip(title, title[1:])]
    return apply_edits(text, edits), edits


# --------------------------------------------------------------------------- joining


def _after_boilerplate(content: list[int], boilerplate: set[int]) -> list[int]:
    """``content`` (indices of non-blank lines) without the boilerplate lines it starts with."""
    k = 0
    while k < len(content) and content[k] in boilerplate:
        k += 1
    return content[k:]


def _glues_boilerplate(prev: str, a: int, b: int, boilerplate: set[int]) -> bool:
    """True when joining lines ``a`` (``prev``) and ``b`` would glue boilerplate to text (see :func:`repair_lines`)."""
    return b in boilerplate or (a in boilerplate and prev.rstrip()[-1] not in "，、,")


def _join_lines(text: str, lines: list[str], starts: list[int], a: int, b: int, rule: str) -> Edit:
    """The edit that joins line ``a`` to line ``b`` (blank lines between go; a space between ASCII words)."""
    left, nxt = lines[a].rstrip(), lines[b]
    start = starts[a] + len(left)
    end = starts[b] + (len(nxt) - len(nxt.lstrip()))
    glue = " " if left[-1].isascii() and left[-1].isalnum() and nxt.lstrip()[0].isascii() else ""
    return Edit("lines", rule, start, end, text[start:end], glue)


def repair_lines(text: str) -> tuple[str, list[Edit]]:
    """Rejoin sentences broken by PDF line and page breaks; keep real paragraphs.

    Two lines are joined when the first does not end a sentence and either ends
    in a clause mark (，、“ …), or fills the page width of a hard-wrapped text,
    or is a prose line cut at a page break whose continuation finishes the
    sentence. A line that starts with a heading marker (一、 （一） 第一章 1. 一是 …),
    an indent or a date is never joined to the line before it. Blank lines
    between joined lines go too (rule ``join_broken_line``). A title broken over
    the first lines is joined before, by :func:`join_title_lines`. Boilerplate
    (:func:`analysis.cleaning.boilerplate.boilerplate_lines`) is never glued to the text: a line of it is
    joined to the next only when it ends in a comma (a distribution list
    broken over lines), and no line is joined to a line of it. So a page number
    between the two halves of a sentence goes, and the halves are joined in the
    next pass.
    """
    lines = text.split("\n")
    width = _line_width(lines)
    content = [i for i, l in enumerate(lines) if l.strip()]
    # offsets of each line start in ``text``
    starts = [0, *accumulate(len(l) + 1 for l in lines)]
    edits = []
    boilerplate = title = None  # found when a join is first considered
    for a, b in zip(content, content[1:]):
        if not _should_join(lines[a], lines[b], width):
            continue
        if boilerplate is None:
            boilerplate = boilerplate_lines(text)
            # a first line (after boilerplate) that ends with a document type is the title,
            # however wide (see join_title_lines)
            head = _after_boilerplate(content, boilerplate)
            first = lines[head[0]].strip().rstrip("".join(CLOSERS)) if head else ""
            title = head[0] if first.endswith(document_types()) else None
        if a != title and not _glues_boilerplate(lines[a], a, b, boilerplate):
            edits.append(_join_lines(text, lines, starts, a, b, "join_broken_line"))
    if not edits:  # the same object: the next step reuses what is known about it (see fastscan.lookups)
        return text, edits
    return apply_edits(text, edits), edits
