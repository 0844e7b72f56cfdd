"""The character-level cleaning steps: newlines, invisible characters, width, Simplified, punctuation, whitespace.

Each step is a function ``step(text) -> (text, edits)`` (see :mod:`analysis.cleaning.edits`):

* :func:`normalize_newlines`     CRLF / CR / Unicode line separators -> ``\\n``
* :func:`remove_invisible`       zero-width characters, soft hyphens, stray BOMs and control characters removed
* :func:`normalize_width`        full-width ASCII letters and digits -> half-width (nothing else)
* :func:`to_simplified`          Traditional -> Simplified with OpenCC (``t2s``)
* :func:`normalize_punctuation`  ASCII ``, ; : ! ? ( )`` touching Chinese -> Chinese forms
* :func:`tidy_whitespace`        edge spaces, blank lines and spaces between Chinese and digits

Chinese punctuation (、，。“”) is never rewritten: slogan mining relies on it.
"""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from ..text import CJK_CLASS, CJK_RE, SENTENCE_RE, codepoints
from .edits import Edit, apply_edits
from .rules import run_rules

__all__ = [
    "CONTROL_RE", "SPACES", "normalize_newlines", "remove_invisible", "normalize_width", "t2s_converter",
    "to_simplified", "traditional_only_chars", "normalize_punctuation", "tidy_whitespace",
]

#: C0/C1 control characters other than tab and line breaks: a few are debris (a DOS end-of-file
#: mark, an escape sequence) and :func:`remove_invisible` removes them; many mean the bytes are
#: not text (:func:`analysis.cleaning.decode` refuses them).
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")

#: Spaces that punctuation and whitespace rules treat alike: space, tab, ideographic and no-break space.
SPACES = " \t\u3000\u00a0"


# --------------------------------------------------------------------------- newlines, invisible, width

_NEWLINE_RULES = [("crlf", re.compile(r"\r\n|\r|\u2028|\u2029|\x0b|\x0c|\x85"), "\n")]


def normalize_newlines(text: str) -> tuple[str, list[Edit]]:
    """Turn CRLF, CR, form feeds and Unicode line/paragraph separators into ``\\n``."""
    return run_rules(text, "newlines", _NEWLINE_RULES)


_INVISIBLE_RULES = [
    ("zero_width", re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u202a-\u202e\u2066-\u2069]+"), ""),
    ("control_chars", CONTROL_RE, ""),
]


def remove_invisible(text: str) -> tuple[str, list[Edit]]:
    """Remove zero-width spaces and joiners, soft hyphens, bidi marks, stray BOMs, and
    control characters other than tab and line breaks (a DOS end-of-file mark, NUL …)."""
    return run_rules(text, "invisible", _INVISIBLE_RULES)


_WIDTH_RULES = [
    (
        "fullwidth_alnum",
        re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+"),
        lambda m: unicodedata.normalize("NFKC", m.group(0)),
    )
]


def normalize_width(text: str) -> tuple[str, list[Edit]]:
    """Full-width ASCII letters and digits (Ａ, ２) become half-width. Nothing else changes."""
    return run_rules(text, "width", _WIDTH_RULES)


# --------------------------------------------------------------------------- Simplified


@lru_cache(maxsize=1)
def t2s_converter():
    """OpenCC's ``t2s`` (Traditional to Simplified) converter, built once per process."""
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> tuple[str, list[Edit]]:
    """Convert Traditional characters to Simplified with OpenCC's ``t2s`` configuration.

    One edit per run of changed characters. OpenCC converts phrases as well as
    characters, so a run can change length; then each sentence is converted and
    aligned with a character diff on its own, so the audit still accounts for
    every character and a long document is never diffed as a whole.
    """
    converted = t2s_converter().convert(text)
    if converted == text:
        return text, []
    if len(converted) == len(text):
        return converted, _changed_runs(text, converted, 0)
    edits: list[Edit] = []
    for m in SENTENCE_RE.finditer(text):  # a phrase OpenCC converts never spans a sentence or line
        part, pos = m.group(0), m.start()
        new = t2s_converter().convert(part) if part else part
        if new == part:
            continue
        if len(new) == len(part):
            edits.extend(_changed_runs(part, new, pos))
        else:
            sm = SequenceMatcher(None, part, new, autojunk=False)
            edits.extend(
                Edit("simplified", "t2s", pos + i1, pos + i2, part[i1:i2], new[j1:j2])
                for tag, i1, i2, j1, j2 in sm.get_opcodes()
                if tag != "equal"
            )
    return apply_edits(text, edits), edits


def _changed_runs(old: str, new: str, offset: int) -> list[Edit]:
    """One t2s edit per run of positions where ``old`` and ``new`` (same length) differ."""
    a, b = codepoints(old), codepoints(new)
    diff = np.concatenate(([False], a != b, [False]))
    edges = np.flatnonzero(diff[1:] != diff[:-1])
    return [
        Edit("simplified", "t2s", offset + i, offset + j, old[i:j], new[i:j])
        for i, j in zip(edges[0::2].tolist(), edges[1::2].tolist())
    ]


def traditional_only_chars(text: str) -> list[str]:
    """Characters of ``text`` that OpenCC's ``t2s`` would still change (sorted, unique)."""
    return sorted({ch for ch in set(text) if t2s_converter().convert(ch) != ch})


# --------------------------------------------------------------------------- punctuation

_ASCII_TO_CJK = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_C = CJK_CLASS + "“”‘’《》（）、，。"
_S = SPACES
_PUNCT_RULES = [
    (
        # a mark right after Chinese, or spaces right after Chinese and then a mark (with the
        # spaces); written to start with one character class so that it scans a long text fast
        "ascii_punct_after_cjk",
        re.compile(f"[{_S},;:!?](?:(?<=[{_C}][,;:!?])|(?<=[{_C}][{_S}])[{_S}]*[,;:!?])"),
        lambda m: _ASCII_TO_CJK[m.group(0)[-1]],
    ),
    (
        # "(" … ")" with no parenthesis or line break inside, when it holds Chinese
        # (one scan per "(": the pattern cannot backtrack over a long unclosed line)
        "ascii_paren_around_cjk",
        re.compile("\\(([^()\\n]*)\\)"),
        lambda m: f"（{m.group(1)}）" if CJK_RE.search(m.group(1)) else m.group(0),
    ),
]


def normalize_punctuation(text: str) -> tuple[str, list[Edit]]:
    """ASCII ``, ; : ! ?`` right after Chinese, and ASCII parentheses around Chinese,
    become their Chinese forms, so every document separates clauses the same way.

    Chinese punctuation is never turned into ASCII. Numbers and times (``12:01``)
    are left alone because the rule needs a Chinese character before the mark.
    """
    return run_rules(text, "punctuation", _PUNCT_RULES)


# --------------------------------------------------------------------------- whitespace

_WS = f"[{_S}]"
# Every pattern starts with one character class (the regex engine then scans a long text
# fast) and dispatches with look-behinds after the first character. A run of spaces is
# matched from its first space only ("not preceded by a space"), so no rule is quadratic
# on a long run of spaces.
_CJK_PUNCT_AFTER = "，。、；：！？”）》"
_CJK_PUNCT_BEFORE = "，。、；：！？“（《"
_WHITESPACE_RULES = [
    # spaces at the start of a line, or a run of spaces that ends a line
    ("edge_whitespace", re.compile(f"{_WS}(?:(?<![^\n]{_WS}){_WS}*|(?<!{_WS}{_WS}){_WS}*$)", re.MULTILINE), ""),
    ("blank_lines", re.compile(r"\n\n+"), "\n"),
    # line breaks at the very start, or a run of them at the very end
    ("leading_trailing_newlines", re.compile(r"\n(?:(?<![\s\S]\n)\n*|(?<!\n\n)\n*\Z)"), ""),
    (
        "space_between_cjk_and_digit",
        re.compile(f"{_WS}(?:(?<=[{CJK_CLASS}]{_WS}){_WS}*(?=\\d)|(?<=\\d{_WS}){_WS}*(?=[{CJK_CLASS}]))"),
        "",
    ),
    (
        "space_next_to_cjk_punct",
        re.compile(f"{_WS}(?:(?<!{_WS}{_WS}){_WS}*(?=[{_CJK_PUNCT_AFTER}])|(?<=[{_CJK_PUNCT_BEFORE}]{_WS}){_WS}*)"),
        "",
    ),
    # two or more spaces, or one tab, ideographic or no-break space: one plain space
    ("space_run", re.compile(f"{_WS}(?:(?<= ){_WS}+|(?<=[\t\u3000\u00a0]){_WS}*)"), " "),
]


def tidy_whitespace(text: str) -> tuple[str, list[Edit]]:
    """Strip line edges, drop blank lines, and remove spaces between Chinese and digits
    (``2022 年`` -> ``2022年``) or next to Chinese punctuation; collapse other runs to one space."""
    return run_rules(text, "whitespace", _WHITESPACE_RULES)
