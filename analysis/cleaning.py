"""Turn raw documents into clean Simplified Chinese, recording every change.

Each step is a function ``step(text) -> (text, edits)``. An :class:`Edit`
records which step and rule changed which span (``old``) into what (``new``),
so the audit explains every character that left the text:

    len(raw) == len(clean) + sum(len(e.old) - len(e.new) for e in edits)

:func:`clean` chains the steps in this order:

1. ``newlines``     CRLF / CR / Unicode line separators -> ``\\n``
2. ``invisible``    zero-width characters, soft hyphens and stray BOMs removed
3. ``width``        full-width ASCII letters and digits -> half-width (nothing else)
4. ``simplified``   Traditional -> Simplified with OpenCC (``t2s``)
5. ``punctuation``  ASCII ``, ; : ! ? ( )`` touching Chinese -> Chinese forms
6. ``lines``        PDF line and page breaks inside sentences rejoined
7. ``boilerplate``  web and document debris, rules from ``data/boilerplate.yaml``
   (after 6, so a footer broken over lines is removed whole)
8. ``whitespace``   edge spaces, blank lines and spaces between Chinese and digits

Chinese punctuation (、，。“”) is never rewritten: slogan mining relies on it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from .errors import DecodeError
from .paths import data_file

__all__ = [
    "Edit",
    "CleanResult",
    "decode",
    "normalize_newlines",
    "remove_invisible",
    "normalize_width",
    "to_simplified",
    "normalize_punctuation",
    "load_boilerplate_rules",
    "remove_boilerplate",
    "repair_lines",
    "tidy_whitespace",
    "clean",
    "is_cjk",
    "traditional_only_chars",
]

CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK_CLASS}]")


def is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph (basic block, extension A, compatibility)."""
    return bool(_CJK_RE.match(ch))


@dataclass(frozen=True)
class Edit:
    """One recorded change: ``text[start:end] == old`` was replaced by ``new``.

    Positions refer to the text as it entered the step that made the edit.
    """

    step: str
    rule: str
    start: int
    end: int
    old: str
    new: str


@dataclass
class CleanResult:
    """The clean text of one document and the audit of how it got there."""

    text: str
    edits: list[Edit]

    def audit(self) -> pd.DataFrame:
        """One row per edit: step, rule, start, end, old, new, chars_removed."""
        rows = [
            {
                "step": e.step,
                "rule": e.rule,
                "start": e.start,
                "end": e.end,
                "old": e.old,
                "new": e.new,
                "chars_removed": len(e.old) - len(e.new),
            }
            for e in self.edits
        ]
        return pd.DataFrame(
            rows, columns=["step", "rule", "start", "end", "old", "new", "chars_removed"]
        )


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes, source: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode a document's bytes; return ``(text, encoding)``.

    Tries, in order: a byte-order mark (UTF-8, UTF-16, UTF-32), UTF-16 without
    a BOM (recognised by its NUL bytes), strict UTF-8, strict GB18030 (a
    superset of GBK and GB2312). The encoding found is returned so it can be
    reported. Raises :class:`~analysis.errors.DecodeError`, naming ``source``
    and the fix, for binary files and bytes no candidate decodes.
    """
    source = str(source)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    source,
                    f"starts with a {encoding} byte-order mark but byte {exc.start} is invalid",
                    "re-save the file as UTF-8",
                ) from None
            return text.lstrip("\ufeff"), encoding.replace("-sig", "")
    if b"\x00" in data:
        encoding = _guess_utf16(data)
        if encoding is None:
            raise DecodeError(
                source,
                "contains NUL bytes and is not UTF-16 text: it looks like a binary file "
                "(PDF, Word, image …), not plain text",
                "extract its text and save it as a UTF-8 .txt file",
            )
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            raise DecodeError(
                source, "looks like UTF-16 but does not decode", "re-save the file as UTF-8"
            ) from None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL_RE.search(text):
            raise DecodeError(
                source,
                f"decodes as {encoding} but contains control characters: it looks like a binary file",
                "extract its text and save it as a UTF-8 .txt file",
            )
        return text, encoding
    raise DecodeError(
        source,
        "is neither UTF-8, UTF-16 nor GB18030/GBK text",
        "open it in an editor and save it as UTF-8",
    )


def _guess_utf16(data: bytes) -> str | None:
    """Return 'utf-16-le'/'utf-16-be' when NULs sit on one byte parity, else None."""
    if len(data) < 2 or len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    half = len(data) // 2
    # ASCII-heavy UTF-16 puts NULs on one parity only; CJK-heavy UTF-16 has few NULs,
    # but never NULs on both parities the way binary formats do.
    if odd and not even:
        return "utf-16-le"
    if even and not odd:
        return "utf-16-be"
    if odd > 0.3 * half and even < 0.02 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.02 * half:
        return "utf-16-be"
    return None


# --------------------------------------------------------------------------- edit plumbing


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (positions in ``text``) and return the new text."""
    out: list[str] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            raise ValueError(f"overlapping edits at {e.start}: {e}")
        if text[e.start : e.end] != e.old:
            raise ValueError(f"edit does not match the text at {e.start}: {e}")
        out.append(text[pos : e.start])
        out.append(e.new)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def _regex_edits(
    text: str, step: str, rule: str, pattern: re.Pattern, repl: str | Callable[[re.Match], str] = ""
) -> list[Edit]:
    edits = []
    for m in pattern.finditer(text):
        new = repl(m) if callable(repl) else m.expand(repl)
        if m.group(0) != new:
            edits.append(Edit(step, rule, m.start(), m.end(), m.group(0), new))
    return edits


def _run_rules(text: str, step: str, rules: Iterable[tuple[str, re.Pattern, object]]):
    """Apply regex rules one after another; return the text and all edits."""
    all_edits: list[Edit] = []
    for rule, pattern, repl in rules:
        edits = _regex_edits(text, step, rule, pattern, repl)  # type: ignore[arg-type]
        if edits:
            text = apply_edits(text, edits)
            all_edits.extend(edits)
    return text, all_edits


# --------------------------------------------------------------------------- steps 1-5

_NEWLINE_RULES = [("crlf", re.compile(r"\r\n|\r|\u2028|\u2029|\x0b|\x0c|\x85"), "\n")]


def normalize_newlines(text: str) -> tuple[str, list[Edit]]:
    """Turn CRLF, CR, form feeds and Unicode line/paragraph separators into ``\\n``."""
    return _run_rules(text, "newlines", _NEWLINE_RULES)


_INVISIBLE_RULES = [
    ("zero_width", re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u202a-\u202e\u2066-\u2069]+"), "")
]


def remove_invisible(text: str) -> tuple[str, list[Edit]]:
    """Remove zero-width spaces and joiners, soft hyphens, bidi marks and stray BOMs."""
    return _run_rules(text, "invisible", _INVISIBLE_RULES)


_WIDTH_RULES = [
    (
        "fullwidth_alnum",
        re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+"),
        lambda m: unicodedata.normalize("NFKC", m.group(0)),
    )
]


def normalize_width(text: str) -> tuple[str, list[Edit]]:
    """Full-width ASCII letters and digits (Ａ, ２) become half-width. Nothing else changes."""
    return _run_rules(text, "width", _WIDTH_RULES)


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> tuple[str, list[Edit]]:
    """Convert Traditional characters to Simplified with OpenCC's ``t2s`` configuration.

    OpenCC converts phrases as well as characters, so the output can differ in
    length; the edits are recovered with a character diff so the audit still
    accounts for every character.
    """
    converted = _opencc().convert(text)
    if converted == text:
        return text, []
    edits: list[Edit] = []
    if len(converted) == len(text):
        i, n = 0, len(text)
        while i < n:
            if text[i] == converted[i]:
                i += 1
                continue
            j = i
            while j < n and text[j] != converted[j]:
                j += 1
            edits.append(Edit("simplified", "t2s", i, j, text[i:j], converted[i:j]))
            i = j
    else:
        sm = SequenceMatcher(None, text, converted, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag != "equal":
                edits.append(Edit("simplified", "t2s", i1, i2, text[i1:i2], converted[j1:j2]))
    return converted, edits


def traditional_only_chars(text: str) -> list[str]:
    """Characters of ``text`` that OpenCC's ``t2s`` would still change (sorted, unique)."""
    return sorted({ch for ch in set(text) if _opencc().convert(ch) != ch})


_ASCII_TO_CJK = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_C = CJK_CLASS + "“”‘’《》（）、，。"
_PUNCT_RULES = [
    (
        "ascii_punct_after_cjk",
        re.compile(f"(?<=[{_C}])[ \t]*([,;:!?])"),
        lambda m: _ASCII_TO_CJK[m.group(1)],
    ),
    (
        "ascii_paren_around_cjk",
        re.compile(f"\\(([^()\\n]*[{CJK_CLASS}][^()\\n]*)\\)"),
        lambda m: f"（{m.group(1)}）",
    ),
]


def normalize_punctuation(text: str) -> tuple[str, list[Edit]]:
    """ASCII ``, ; : ! ?`` right after Chinese, and ASCII parentheses around Chinese,
    become their Chinese forms, so every document separates clauses the same way.

    Chinese punctuation is never turned into ASCII. Numbers and times (``12:01``)
    are left alone because the rule needs a Chinese character before the mark.
    """
    return _run_rules(text, "punctuation", _PUNCT_RULES)


# --------------------------------------------------------------------------- boilerplate


@dataclass(frozen=True)
class BoilerplateRule:
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
    return _run_rules(text, "boilerplate", ((r.name, r.pattern, "") for r in rules))


# --------------------------------------------------------------------------- line repair

TERMINAL = set("。！？!?；;：:….")
CLOSERS = set("”’」』）)】》\"'")
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
    return sum(0.5 if ord(c) < 0x80 else 1.0 for c in s)


def _line_width(lines: list[str]) -> float | None:
    """Typical width of a hard-wrapped text, or None when lines are not hard-wrapped."""
    widths = [round(_width(l.strip())) for l in lines if l.strip()]
    if len(widths) < 8:
        return None
    counts = pd.Series(widths).value_counts()
    # the most common width is the page's line length when most lines are full
    mode = int(counts.sort_index(ascending=False).idxmax())
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
    if _INDENT_RE.match(nxt) or _HEADING_RE.match(n) or _POINT_RE.match(n) or _DATE_LINE_RE.match(n):
        return False
    if _ends_sentence(p):
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
    from .segmentation import is_word

    left, right = left.rstrip(), right.lstrip()
    for i in range(1, 4):
        for j in range(1, 4):
            if i + j <= 4 and i <= len(left) and j <= len(right):
                if is_word(left[-i:] + right[:j]):
                    return True
    return False


def repair_lines(text: str) -> tuple[str, list[Edit]]:
    """Rejoin sentences broken by PDF line and page breaks; keep real paragraphs.

    Two lines are joined when the first does not end a sentence and either ends
    in a clause mark (，、“ …), or fills the page width of a hard-wrapped text,
    or is a prose line cut at a page break whose continuation finishes the
    sentence. A line that starts with a heading marker (一、 （一） 第一章 1. 一是 …),
    an indent or a date is never joined to the line before it. Blank lines
    between joined lines go too (rule ``join_broken_line``).
    """
    lines = text.split("\n")
    width = _line_width(lines)
    content = [i for i, l in enumerate(lines) if l.strip()]
    # offsets of each line start in ``text``
    starts, pos = [], 0
    for l in lines:
        starts.append(pos)
        pos += len(l) + 1
    edits = []
    for a, b in zip(content, content[1:]):
        if _should_join(lines[a], lines[b], width):
            left = lines[a].rstrip()
            start = starts[a] + len(left)
            nxt = lines[b]
            end = starts[b] + (len(nxt) - len(nxt.lstrip()))
            glue = " " if left[-1].isascii() and left[-1].isalnum() and nxt.lstrip()[0].isascii() else ""
            edits.append(Edit("lines", "join_broken_line", start, end, text[start:end], glue))
    return apply_edits(text, edits), edits


# --------------------------------------------------------------------------- whitespace

_WS = "[ \t\u3000\u00a0]"
_WHITESPACE_RULES = [
    ("edge_whitespace", re.compile(f"^{_WS}+|{_WS}+$", re.MULTILINE), ""),
    ("blank_lines", re.compile(r"\n{2,}"), "\n"),
    ("leading_trailing_newlines", re.compile(r"\A\n+|\n+\Z"), ""),
    ("space_between_cjk_and_digit", re.compile(f"(?<=[{CJK_CLASS}]){_WS}+(?=\\d)|(?<=\\d){_WS}+(?=[{CJK_CLASS}])"), ""),
    ("space_next_to_cjk_punct", re.compile(f"{_WS}+(?=[，。、；：！？”）》])|(?<=[，。、；：！？“（《]){_WS}+"), ""),
    ("space_run", re.compile(f"{_WS}{{2,}}|[\t\u3000\u00a0]"), " "),
]


def tidy_whitespace(text: str) -> tuple[str, list[Edit]]:
    """Strip line edges, drop blank lines, and remove spaces between Chinese and digits
    (``2022 年`` -> ``2022年``) or next to Chinese punctuation; collapse other runs to one space."""
    return _run_rules(text, "whitespace", _WHITESPACE_RULES)


# --------------------------------------------------------------------------- pipeline

STEPS: tuple[Callable[[str], tuple[str, list[Edit]]], ...] = (
    normalize_newlines,
    remove_invisible,
    normalize_width,
    to_simplified,
    normalize_punctuation,
    repair_lines,
    remove_boilerplate,
    tidy_whitespace,
)


def clean(text: str, steps: Iterable[Callable[[str], tuple[str, list[Edit]]]] = STEPS) -> CleanResult:
    """Run the cleaning steps in order and return the clean text with its edits.

    Cleaning is idempotent: ``clean(clean(t).text).text == clean(t).text``.
    """
    edits: list[Edit] = []
    for step in steps:
        text, step_edits = step(text)
        edits.extend(step_edits)
    return CleanResult(text, edits)
