"""Turn raw documents into clean Simplified Chinese, recording every change.

Each step is a function ``step(text) -> (text, edits)``. An :class:`Edit`
records which step and rule changed which span (``old``) into what (``new``),
so the audit explains every character that left the text:

    len(raw) == len(clean) + sum(len(e.old) - len(e.new) for e in edits)
    replay(raw, edits) == clean          # nothing changes unrecorded

:func:`clean` chains the steps in this order:

1. ``newlines``     CRLF / CR / Unicode line separators -> ``\\n``
2. ``invisible``    zero-width characters, soft hyphens, stray BOMs and control characters removed
3. ``width``        full-width ASCII letters and digits -> half-width (nothing else)
4. ``simplified``   Traditional -> Simplified with OpenCC (``t2s``)
5. ``punctuation``  ASCII ``, ; : ! ? ( )`` touching Chinese -> Chinese forms
6. ``lines``        PDF line and page breaks inside sentences rejoined
7. ``boilerplate``  web and document debris, rules from ``data/boilerplate.yaml``
   (after 6, so a footer broken over lines is removed whole)
8. ``whitespace``   edge spaces, blank lines and spaces between Chinese and digits

The steps run again until a pass changes nothing, so cleaning is idempotent
(a second pass matters only for odd input, such as a line that is only a
boilerplate rule's match once a stray character in front of it is gone).

Chinese punctuation (、，。“”) is never rewritten: slogan mining relies on it.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

import numpy as np
import pandas as pd

from .errors import DecodeError
from .text import CJK_CLASS, CJK_RE, SENTENCE_RE, is_cjk
from .config import data_file

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
    "join_title_lines",
    "repair_lines",
    "tidy_whitespace",
    "clean",
    "replay",
    "traditional_only_chars",
]

class Edit(NamedTuple):
    """One recorded change: ``text[start:end] == old`` was replaced by ``new``.

    Positions refer to the text as it entered the rule that made the edit: the
    edits of one ``(step, rule)`` are applied together, rule after rule (see
    :func:`replay`). A named tuple, because a long Traditional document has
    millions of them.
    """

    step: str
    rule: str
    start: int
    end: int
    old: str
    new: str
    pass_no: int = 1


@dataclass
class CleanResult:
    """The clean text of one document and the audit of how it got there."""

    text: str
    edits: list[Edit]

    def audit(self) -> pd.DataFrame:
        """One row per edit: step, rule, start, end, old, new, chars_removed, pass."""
        rows = [
            {
                "step": e.step,
                "rule": e.rule,
                "start": e.start,
                "end": e.end,
                "old": e.old,
                "new": e.new,
                "chars_removed": len(e.old) - len(e.new),
                "pass": e.pass_no,
            }
            for e in self.edits
        ]
        return pd.DataFrame(
            rows, columns=["step", "rule", "start", "end", "old", "new", "chars_removed", "pass"]
        )


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_EXTRACT = "extract its text and save it as a UTF-8 .txt file"
#: magic bytes of files that are not plain text, what they are, and how to get text out of them
_SIGNATURES = (
    (b"%PDF-", "a PDF document",
     "extract its text (for example `pdftotext -enc UTF-8 FILE.pdf FILE.txt`) and list the .txt file instead"),
    (b"PK\x03\x04", "a ZIP archive (a Word .docx, Excel .xlsx, WPS or other zipped file)",
     "open it and save it as plain text (UTF-8 .txt), or unpack it"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office or WPS file (.doc, .xls, .wps)",
     "open it and save it as plain text (UTF-8 .txt)"),
    (b"{\\rtf", "an RTF document", "open it in a word processor and save it as plain text (UTF-8 .txt)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "run OCR on it or find the document's text version; " + _EXTRACT),
    (b"\xff\xd8\xff", "a JPEG image", "run OCR on it or find the document's text version; " + _EXTRACT),
    (b"GIF8", "a GIF image", "run OCR on it or find the document's text version; " + _EXTRACT),
    (b"\x1f\x8b", "a gzip archive", "unpack it first"),
    (b"Rar!\x1a\x07", "a RAR archive", "unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it first"),
)

# C0/C1 control characters other than tab and line breaks: a few are debris (a DOS end-of-file
# mark, an escape sequence) and cleaning removes them; many mean the bytes are not text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")
# characters that make up Chinese documents: ASCII, Latin-1, general punctuation, letterlike
# and number forms, enclosed numbers, box drawing, CJK symbols, kana, CJK ideographs, compatibility
# and vertical forms, full-width forms
_TEXT_RE = re.compile(
    "[\t\n\r\x0b\x0c\x20-\x7e\u00a0-\u024f\u2000-\u206f\u2100-\u218f\u2190-\u23ff\u2460-\u27bf"
    "\u3000-\u30ff\u3100-\u312f\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uffef\ufeff]+"
)
_MIN_CJK_FOR_GUESS = 20  # too few Chinese characters to judge an encoding by them
# below this many, charset-normalizer takes short GBK text for Korean now and then (4 in 148
# samples of 20 characters, none of 50 or more)
_MIN_CJK_FOR_DETECTOR = 50
# Japanese and Korean legacy encodings, by Python codec name: their bytes are valid GBK too
# (EUC-JP and EUC-KR share its byte ranges), so GBK reads them into real but meaningless characters
_FOREIGN_CODECS = (
    ("Japanese", ("euc_jp", "euc_jis", "shift_jis", "cp932", "iso2022_jp")),
    ("Korean", ("euc_kr", "cp949", "johab", "iso2022_kr")),
)


def _text_share(text: str) -> float:
    """Share of characters of ``text`` that plain Chinese or English documents are made of."""
    return 1.0 - len(_TEXT_RE.sub("", text)) / max(1, len(text))


def _japanese_or_korean(data: bytes) -> tuple[str, str] | None:
    """``(language, codec)`` when charset-normalizer finds the bytes are Japanese or Korean, else None.

    Asked only once the bytes decode as GB18030 or Big5 into common Chinese
    characters: EUC-JP and EUC-KR text does that (its bytes land on GB2312's
    common characters), so only a detector that weighs the whole byte pattern
    tells them apart. The first 64 KB are enough.
    """
    import codecs

    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    if best is None:
        return None
    name = codecs.lookup(best.encoding).name.replace("-", "_")
    for language, prefixes in _FOREIGN_CODECS:
        if name.startswith(prefixes):
            return language, best.encoding
    return None


def _common_share(text: str) -> tuple[float, int]:
    """Share of Chinese characters that are common ones (in GB2312 once made Simplified), and their number.

    Real text in any encoding scores above 0.99; bytes decoded with the wrong Chinese
    encoding (Big5 read as GBK, for instance) land on rare characters and score about 0.6.
    """
    from collections import Counter

    counts = {ch: n for ch, n in Counter(text).items() if is_cjk(ch)}
    total = sum(counts.values())
    if not total:
        return 1.0, 0
    cc = _opencc()
    common = 0
    for ch, n in counts.items():
        try:
            cc.convert(ch).encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += n
    return common / total, total


def _check_controls(text: str, encoding: str, source: str) -> str:
    n = _CONTROL_RE.subn("", text)[1]
    if n > max(8, len(text) // 200):
        raise DecodeError(
            source,
            f"decodes as {encoding} but {n:,} of its {len(text):,} characters are control characters: "
            "it looks like a binary file, not plain text",
            _EXTRACT,
        )
    return text


def _line_of(data: bytes, pos: int) -> str:
    """``line N, after «text before it»`` for byte offset ``pos`` (line breaks shown as ⏎)."""
    line = data.count(b"\n", 0, pos) + 1
    before = data[max(0, pos - 30) : pos].decode("utf-8", "ignore").replace("\r", "").replace("\n", "⏎").strip()
    return f"line {line}" + (f", after «{before}»" if before else "")


def decode(data: bytes, source: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode a document's bytes; return ``(text, encoding)``.

    Tries, in order:

    1. a byte-order mark (UTF-8, UTF-16, UTF-32), which is dropped;
    2. the magic bytes of files that are not text (PDF, Word/Excel/ZIP, images,
       archives): an error that says what the file is and how to get its text;
    3. UTF-16 without a BOM (the file has NUL bytes; the byte order whose text
       looks like text wins);
    4. strict UTF-8;
    5. strict GB18030 (a superset of GBK and GB2312), then Big5 (``cp950``,
       ``big5hkscs``) - each only when the Chinese characters it gives are
       common ones, so Big5 is never read as GBK mojibake; and, given 50 or
       more of them, when charset-normalizer does not find Japanese or Korean
       (EUC-JP and EUC-KR bytes are valid GBK, and land on common characters).

    A few stray control characters (a DOS end-of-file mark …) are kept here
    and removed, with an audit entry, by :func:`remove_invisible`; many mean a
    binary file. The encoding found is returned so it can be reported.

    Raises
    ------
    DecodeError
        Naming ``source``, what is wrong and the fix: binary files, bytes
        that no candidate decodes into plausible text, and Japanese or Korean
        in a legacy encoding.
    """
    source = str(source)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    source,
                    f"starts with a {encoding} byte-order mark but byte {exc.start + len(bom)} is invalid {encoding}",
                    "re-save the file as UTF-8",
                ) from None
            return _check_controls(text, encoding, source), encoding
    for magic, kind, fix in _SIGNATURES:
        if data.startswith(magic):
            raise DecodeError(source, f"is {kind}, a binary file, not plain text", fix)
    if b"\x00" in data:
        text, encoding = _decode_with_nul(data, source)
        return _check_controls(text, encoding, source), encoding
    try:
        return _check_controls(data.decode("utf-8"), "utf-8", source), "utf-8"
    except UnicodeDecodeError as exc:
        where = _line_of(data, exc.start)
        lenient = data.decode("utf-8", "replace")
        n_bad = lenient.count("\ufffd")
        mostly_utf8 = n_bad < 0.1 * len(re.sub(r"[\x00-\x7f]+", "", lenient))
    tried = []
    for encoding, label in (("gb18030", "gb18030"), ("cp950", "big5"), ("big5hkscs", "big5")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share, n_cjk = _common_share(text)
        if n_cjk < _MIN_CJK_FOR_GUESS or share >= 0.9:
            if n_cjk >= _MIN_CJK_FOR_DETECTOR and (foreign := _japanese_or_korean(data)):
                language, codec = foreign
                raise DecodeError(
                    source,
                    f"is {language} text ({codec}), not Chinese: read as {label.upper()} it gives characters that "
                    f"exist but make no sense ({text.strip()[:12]!r} …)",
                    "remove it from the manifest (this suite segments Chinese); if it is Chinese, open it in an "
                    "editor that detects encodings and save it as UTF-8",
                )
            return _check_controls(text, label, source), label
        tried.append(f"as {label} only {share:.0%} of its Chinese characters are common ones")
    mostly = " (the rest is valid UTF-8: part of the file was saved in another encoding)" if mostly_utf8 else ""
    detail = f"; {'; '.join(tried)}" if tried else ""
    raise DecodeError(
        source,
        f"is not UTF-8 text: the first invalid byte is on {where}{mostly}, and it is not GB18030/GBK or Big5 text "
        f"either{detail}",
        "open it in an editor that detects encodings and save it as UTF-8",
    )


def _decode_with_nul(data: bytes, source: str) -> tuple[str, str]:
    """Bytes with NULs: UTF-16 without a byte-order mark, UTF-8 with a stray NUL, or binary.

    ASCII characters put their NUL byte second in little-endian UTF-16, first in
    big-endian, so the byte order with more NULs in its place is tried first; it
    must give text made of the usual characters (a binary file does not).
    """
    if len(data) % 2 == 0:
        odd, even = data[1::2].count(0), data[0::2].count(0)
        order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
        for encoding in order:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _text_share(text) >= 0.95:
                return text, encoding
    if data.count(b"\x00") <= 8:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    raise DecodeError(
        source,
        "contains NUL bytes and is not UTF-16 text: it looks like a binary file "
        "(PDF, Word, image …), not plain text",
        _EXTRACT,
    )


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


# ------------------------------------------------------------ scanning less text
#
# Most rules find nothing in most documents, yet a regex scan visits every position of the
# text, twice (the second pass). Two facts read off a pattern's parse tree, for any pattern
# (derived, never written down), make most scans cheap or unnecessary, with the very same
# matches:
#
# * Literals every match needs. A match of ``当前位置[:：]`` needs "当前位置" somewhere in the
#   text, and ``str.__contains__`` finds (or misses) a literal far faster than the regex
#   engine scans: when one is missing, the rule is not scanned for (:func:`_cannot_match`).
# * Matches only at line starts. A pattern that begins with ``^`` is tried, and fails, at
#   every position of the text; the same pattern behind a ``\n`` has a literal prefix, which
#   the regex engine skips to in C, so it is tried at line starts only (:func:`_finditer`).
#
# The analysis is conservative: a construct it does not understand adds no literal and no
# anchor, so a pattern it cannot read is simply scanned as before.

try:  # the regex parser and compiler of the standard library (private modules)
    from re import _compiler as _sre_compile, _constants as _sre, _parser as _sre_parse

    _REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
    _LINE_START_ATS = (_sre.AT_BEGINNING, _sre.AT_BEGINNING_LINE, _sre.AT_BEGINNING_STRING)  # ^ (any flags), \A
except (ImportError, AttributeError):  # pragma: no cover - a Python whose re is built otherwise: scan as before
    _sre_parse = None

_MAX_CLASS_CHARS = 16  # a character class of more characters than this is no useful condition


def _class_chars(items) -> tuple[str, ...] | None:
    """The characters a (non-negated) character class ``[...]`` matches, when few and all listed."""
    chars: dict[str, None] = {}
    for op, av in items:
        if op is _sre.LITERAL:
            chars[chr(av)] = None
        elif op is _sre.RANGE and av[1] - av[0] < _MAX_CLASS_CHARS:
            chars.update(dict.fromkeys(map(chr, range(av[0], av[1] + 1))))
        else:  # NEGATE, CATEGORY (\d, \s …), a wide range
            return None
        if len(chars) > _MAX_CLASS_CHARS:
            return None
    return tuple(chars)


def _seq_literals(items) -> list[tuple[str, ...]]:
    """Conditions that every match of the sequence ``items`` (parse-tree nodes) satisfies.

    Each condition is a tuple of strings of which the text must contain at least one;
    the sequence satisfies all of them. Consecutive literal characters make one string.
    """
    conditions: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        if op in _REPEATS and av[0] >= 1 and len(av[2]) == 1 and av[2][0][0] is _sre.LITERAL:
            # c{m,n} (as in \n\n+): at least m c's, which end the run before and begin the run after
            run.extend(chr(av[2][0][1]) * av[0])
            if av[1] != av[0]:
                conditions.append(("".join(run),))
                run = [chr(av[2][0][1])] * av[0]
            continue
        if run:
            conditions.append(("".join(run),))
            run = []
        conditions.extend(_node_literals(op, av))
    if run:
        conditions.append(("".join(run),))
    return conditions


def _node_literals(op, av) -> list[tuple[str, ...]]:
    """Conditions (see :func:`_seq_literals`) that every match of one parse-tree node satisfies."""
    if op is _sre.IN:
        chars = _class_chars(av)
        return [chars] if chars else []
    if op is _sre.SUBPATTERN:  # a group: (group, add_flags, del_flags, pattern)
        if av[1] & _sre.SRE_FLAG_IGNORECASE:  # (?i:...) literals match in other cases too
            return []
        return _seq_literals(av[3])
    if op in _REPEATS:  # (min, max, pattern)
        return _seq_literals(av[2]) if av[0] >= 1 else []  # x{0,n} needs nothing
    if op is _sre.ASSERT:  # (direction, pattern): a look-ahead or -behind only matches text that is there
        return _seq_literals(av[1])
    if op is _sre.ATOMIC_GROUP:
        return _seq_literals(av)
    if op is _sre.BRANCH:
        # one alternative matches: the text holds a string of one of them (take from
        # each alternative its most selective condition: the one of the longest strings)
        strings: dict[str, None] = {}
        for alternative in av[1]:
            conditions = _seq_literals(alternative)
            if not conditions:
                return []
            strings.update(dict.fromkeys(max(conditions, key=lambda c: min(map(len, c)))))
        return [tuple(strings)]
    # AT (^ $ \b), ANY, NOT_LITERAL, CATEGORY, ASSERT_NOT, GROUPREF, GROUPREF_EXISTS …
    return []


def _starts_lines(items) -> bool:
    """True when every match of the sequence ``items`` begins with ``^`` or ``\\A``.

    ``^`` is at a line start (after ``\\n``) or at the start of the text, whatever
    the flags, so such a pattern can only match at a line start.
    """
    if not len(items):
        return False
    op, av = items[0]
    if op is _sre.AT:
        return av in _LINE_START_ATS
    if op is _sre.SUBPATTERN:
        return _starts_lines(av[3])
    if op is _sre.ATOMIC_GROUP:
        return _starts_lines(av)
    if op is _sre.BRANCH:
        return all(_starts_lines(alternative) for alternative in av[1])
    return False


def _unroll_first_repeat(items) -> bool:
    """Turn a leading ``c{m,n}`` (one literal or class ``c``, m >= 1) into ``c c{m-1,n-1}``; True if done.

    Both match the same text the same way (greedy, lazy or possessive: ``c`` can
    only take one character, so the lengths are tried in the same order), but
    only the second begins with a character class, which the regex engine skips
    to quickly instead of trying the pattern at every position of the text.
    """
    if not len(items) or items[0][0] not in _REPEATS:
        return False
    op, (lo, hi, body) = items[0]
    if lo < 1 or len(body) != 1 or body[0][0] not in (_sre.LITERAL, _sre.IN):
        return False
    rest = hi if hi == _sre.MAXREPEAT else hi - 1
    items[0:1] = [body[0], (op, (lo - 1, rest, body))]
    return True


def _runs_along_lines(items) -> bool:
    """For a pattern that begins with ``^``: True when, after ``^`` (and spaces), it repeats a
    broad class such as ``[^\\n]*``, and so reads every line to its end before it can fail.

    Other such patterns fail within a few characters at almost every line start, so
    trying them at line starts (:func:`_finditer`) costs less than looking for their
    literals in the whole text: :func:`_pattern_facts` gives them none to look for.
    (Only a matter of speed: either way the matches are the same.)
    """
    if not len(items):
        return False
    op, av = items[0]
    if op is _sre.SUBPATTERN:
        return _runs_along_lines(av[3])
    if op is _sre.ATOMIC_GROUP:
        return _runs_along_lines(av)
    if op is _sre.BRANCH:
        return any(_runs_along_lines(alternative) for alternative in av[1])
    for op, av in list(items)[1:]:  # after the ^
        if op not in _REPEATS or len(av[2]) != 1:
            return False
        body_op, body = av[2][0]
        if body_op is _sre.LITERAL or (body_op is _sre.IN and _class_chars(body) is not None):
            continue  # a few listed characters, such as [ \t]*: look further
        return av[1] > 1
    return False


class _PatternFacts(NamedTuple):
    #: conditions: for each tuple of strings, any text the pattern matches in contains one of them
    literals: tuple[tuple[str, ...], ...] = ()
    #: the pattern behind a ``\n`` (same groups), when every match begins at a line start
    after_newline: re.Pattern | None = None
    #: the pattern with its leading repeat unrolled (same groups and matches), to scan with
    unrolled: re.Pattern | None = None


def _simplest(condition: tuple[str, ...]) -> tuple[str, ...]:
    """The condition without strings that contain another of its strings (they add nothing)."""
    return tuple(s for s in condition if not any(t != s and t in s for t in condition))


@lru_cache(maxsize=1024)
def _pattern_facts(pattern: re.Pattern) -> _PatternFacts:
    """What :func:`_cannot_match` and :func:`_finditer` need to know about ``pattern`` (see the note above).

    No literals for a case-insensitive pattern; nothing for a bytes pattern or when
    the parse tree cannot be read.
    """
    if _sre_parse is None or not isinstance(pattern.pattern, str):
        return _PatternFacts()
    flags = pattern.flags & ~re.DEBUG  # (compiling again must not print the pattern again)
    try:
        tree = _sre_parse.parse(pattern.pattern, flags)
    except Exception:  # an unexpected parser version: scan as before
        return _PatternFacts()
    literals: tuple[tuple[str, ...], ...] = ()
    starts_lines = _starts_lines(tree.data)
    if not tree.state.flags & _sre.SRE_FLAG_IGNORECASE and (not starts_lines or _runs_along_lines(tree.data)):
        try:
            conditions: dict[frozenset[str], tuple[str, ...]] = {}
            for condition in _seq_literals(tree.data):
                conditions.setdefault(frozenset(condition), _simplest(condition))
            # cheap conditions (few strings to look for) first: a missing one ends the check
            literals = tuple(sorted(conditions.values(), key=len))
        except Exception:
            literals = ()
    after_newline = unrolled = None
    try:
        if starts_lines:
            tree.data.insert(0, (_sre.LITERAL, ord("\n")))
            tree.width = None  # (a cached width would be one short)
            after_newline = _sre_compile.compile(tree, flags)
        elif _unroll_first_repeat(tree.data):
            tree.width = None
            unrolled = _sre_compile.compile(tree, flags)
    except Exception:
        after_newline = unrolled = None
    return _PatternFacts(literals, after_newline, unrolled)


def _finditer(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """``pattern.finditer(text)``: the same matches, found faster.

    A pattern that begins with a repeat is scanned for in its unrolled form (see
    :func:`_unroll_first_repeat`), one whose matches all begin at line starts
    from line start to line start (see :func:`_line_start_matches`).
    """
    facts = _pattern_facts(pattern)
    if facts.after_newline is not None:
        return _line_start_matches(pattern, facts.after_newline, text)
    return (facts.unrolled or pattern).finditer(text)


def _line_start_matches(pattern: re.Pattern, after_newline: re.Pattern, text: str) -> Iterator[re.Match]:
    """``pattern.finditer(text)`` for a pattern that can only match at line starts.

    Such a pattern matches at position 0 or right after a ``\\n``. Behind a ``\\n``
    (``after_newline``), the regex engine jumps from newline to newline instead of
    trying every position, and where it matches, the pattern itself matches after
    that newline (its ``^`` and look-behinds see the same text). Each match is then
    taken from ``pattern.match`` at that line start, and the search goes on from its
    end, as ``finditer`` does. An empty match, after which ``finditer`` searches on
    in its own way, hands the rest of the scan over to ``finditer``.
    """
    pos, n = 0, len(text)
    while pos <= n:
        m = pattern.match(text, pos) if pos == 0 or text[pos - 1] == "\n" else None
        if m is None:  # the next line start where the pattern matches
            found = after_newline.search(text, pos)
            if found is None:
                return
            m = pattern.match(text, found.start() + 1)
        if m is None or m.end() == m.start():  # (never None) an empty match: finditer knows what follows
            yield from pattern.finditer(text, pos)
            return
        yield m
        pos = m.end()


# The text literals were last looked up in, and what was found. A step that changes nothing
# hands its input on as the same object, so the next step, and the next pass, reuse these
# lookups instead of repeating them (in a pass that changes nothing, each literal is looked
# up once). Keyed by identity, with a reference held, so a lookup is never applied to another
# text; the pair is swapped as a whole, so threads can share it.
_last_lookups: tuple[str, dict[str, bool]] = ("", {})


def _lookups(text: str) -> dict[str, bool]:
    """Which literals ``text`` is known to contain (``True``) or not (``False``), to add to."""
    global _last_lookups
    looked_up_in, found = _last_lookups
    if looked_up_in is not text:
        found = {}
        _last_lookups = (text, found)
    return found


def _forget_lookups() -> None:
    """Drop the reference to the last text (a whole document) that :func:`_lookups` holds."""
    global _last_lookups
    _last_lookups = ("", {})


def _cannot_match(text: str, pattern: re.Pattern, found: dict[str, bool]) -> bool:
    """True when ``pattern`` has no match in ``text``: a literal every match needs is missing.

    ``found`` (from :func:`_lookups`) remembers which literals ``text`` contains:
    rules share literals (a colon, a space), and steps share texts.
    """
    for strings in _pattern_facts(pattern).literals:
        for s in strings:
            hit = found.get(s)
            if hit is None:
                hit = found[s] = s in text
            if hit:
                break
        else:
            return True
    return False


def _regex_edits(
    text: str, step: str, rule: str, pattern: re.Pattern, repl: str | Callable[[re.Match], str] = ""
) -> list[Edit]:
    if not callable(repl) and "\\" not in repl:  # a literal replacement: no template to expand
        return [Edit(step, rule, m.start(), m.end(), m[0], repl) for m in _finditer(pattern, text) if m[0] != repl]
    edits = []
    for m in _finditer(pattern, text):
        new = repl(m) if callable(repl) else m.expand(repl)
        if m.group(0) != new:
            edits.append(Edit(step, rule, m.start(), m.end(), m.group(0), new))
    return edits


def _run_rules(text: str, step: str, rules: Iterable[tuple[str, re.Pattern, object]]):
    """Apply regex rules one after another; return the text and all edits.

    A rule is not scanned for when a literal its every match needs is not in the
    text (see :func:`_pattern_facts`): it could not have found anything.
    """
    all_edits: list[Edit] = []
    found = _lookups(text)
    for rule, pattern, repl in rules:
        if _cannot_match(text, pattern, found):
            continue
        edits = _regex_edits(text, step, rule, pattern, repl)  # type: ignore[arg-type]
        if edits:
            text = apply_edits(text, edits)
            all_edits.extend(edits)
            found = _lookups(text)
    return text, all_edits


# --------------------------------------------------------------------------- steps 1-5

_NEWLINE_RULES = [("crlf", re.compile(r"\r\n|\r|\u2028|\u2029|\x0b|\x0c|\x85"), "\n")]


def normalize_newlines(text: str) -> tuple[str, list[Edit]]:
    """Turn CRLF, CR, form feeds and Unicode line/paragraph separators into ``\\n``."""
    return _run_rules(text, "newlines", _NEWLINE_RULES)


_INVISIBLE_RULES = [
    ("zero_width", re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u202a-\u202e\u2066-\u2069]+"), ""),
    ("control_chars", _CONTROL_RE, ""),
]


def remove_invisible(text: str) -> tuple[str, list[Edit]]:
    """Remove zero-width spaces and joiners, soft hyphens, bidi marks, stray BOMs, and
    control characters other than tab and line breaks (a DOS end-of-file mark, NUL …)."""
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

    One edit per run of changed characters. OpenCC converts phrases as well as
    characters, so a run can change length; then each sentence is converted and
    aligned with a character diff on its own, so the audit still accounts for
    every character and a long document is never diffed as a whole.
    """
    converted = _opencc().convert(text)
    if converted == text:
        return text, []
    if len(converted) == len(text):
        return converted, _changed_runs(text, converted, 0)
    edits: list[Edit] = []
    for m in SENTENCE_RE.finditer(text):  # a phrase OpenCC converts never spans a sentence or line
        part, pos = m.group(0), m.start()
        new = _opencc().convert(part) if part else part
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
    a = np.frombuffer(old.encode("utf-32-le"), dtype=np.uint32)
    b = np.frombuffer(new.encode("utf-32-le"), dtype=np.uint32)
    diff = np.concatenate(([False], a != b, [False]))
    edges = np.flatnonzero(diff[1:] != diff[:-1])
    return [
        Edit("simplified", "t2s", offset + i, offset + j, old[i:j], new[i:j])
        for i, j in zip(edges[0::2].tolist(), edges[1::2].tolist())
    ]


def traditional_only_chars(text: str) -> list[str]:
    """Characters of ``text`` that OpenCC's ``t2s`` would still change (sorted, unique)."""
    return sorted({ch for ch in set(text) if _opencc().convert(ch) != ch})


_ASCII_TO_CJK = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_C = CJK_CLASS + "“”‘’《》（）、，。"
_S = " \t\u3000\u00a0"  # spaces
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
    from .lexicon import is_word

    left, right = left.rstrip(), right.lstrip()
    for i in range(1, 4):
        for j in range(1, 4):
            if i + j <= 4 and i <= len(left) and j <= len(right):
                if is_word(left[-i:] + right[:j]):
                    return True
    return False


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
    or holds a document number.
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
    if not title:
        return text, []
    starts = [0, *accumulate(len(l) + 1 for l in lines[:title[-1] + 1])]
    edits = [_join_lines(text, lines, starts, a, b, "join_title_lines") for a, b in zip(title, title[1:])]
    return apply_edits(text, edits), edits


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
    the first lines is joined before, by :func:`join_title_lines`.
    """
    lines = text.split("\n")
    width = _line_width(lines)
    content = [i for i, l in enumerate(lines) if l.strip()]
    # offsets of each line start in ``text``
    starts = [0, *accumulate(len(l) + 1 for l in lines)]
    edits = []
    # a first line that ends with a document type is the title, however wide (see join_title_lines)
    first = lines[content[0]].strip().rstrip("".join(CLOSERS)) if content else ""
    title = content[:1] if first.endswith(document_types()) else []
    for a, b in zip(content, content[1:]):
        if a not in title and _should_join(lines[a], lines[b], width):
            edits.append(_join_lines(text, lines, starts, a, b, "join_broken_line"))
    if not edits:  # the same object: the next step reuses what is known about it (see _lookups)
        return text, edits
    return apply_edits(text, edits), edits


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
    return _run_rules(text, "whitespace", _WHITESPACE_RULES)


# --------------------------------------------------------------------------- pipeline

STEPS: tuple[Callable[[str], tuple[str, list[Edit]]], ...] = (
    normalize_newlines,
    remove_invisible,
    normalize_width,
    to_simplified,
    normalize_punctuation,
    join_title_lines,
    repair_lines,
    remove_boilerplate,
    tidy_whitespace,
)


MAX_PASSES = 4
#: steps whose input no step creates (line separators, invisible characters, full-width
#: letters and digits): passes after the first skip them
FIRST_PASS_ONLY = (normalize_newlines, remove_invisible, normalize_width)


def clean(text: str, steps: Iterable[Callable[[str], tuple[str, list[Edit]]]] = STEPS) -> CleanResult:
    """Run the cleaning steps in order, again until a pass changes nothing; return the clean text with its edits.

    Cleaning is idempotent: ``clean(clean(t).text).text == clean(t).text``.
    Edits of a second pass have ``pass_no == 2``; real documents rarely have
    any. Passes after the first skip :data:`FIRST_PASS_ONLY`; cleaning stops
    after ``MAX_PASSES`` passes.
    """
    steps = tuple(steps)
    edits: list[Edit] = []
    for pass_no in range(1, MAX_PASSES + 1):
        n_before = len(edits)
        for step in steps:
            if pass_no > 1 and step in FIRST_PASS_ONLY:
                continue
            text, step_edits = step(text)
            edits.extend(step_edits if pass_no == 1 else [e._replace(pass_no=pass_no) for e in step_edits])
        if len(edits) == n_before:
            break
    _forget_lookups()
    return CleanResult(text, edits)


def replay(raw: str, edits: Iterable[Edit]) -> str:
    """Rebuild the clean text from the raw text and the edits of :func:`clean`.

    Edits of one rule in one pass are applied together, rule after rule, in
    the order recorded. ``replay(raw, clean(raw).edits) == clean(raw).text``
    shows that every change to the text is in the audit.
    """
    batch: list[Edit] = []
    for e in edits:
        if batch and (e.pass_no, e.step, e.rule) != (batch[0].pass_no, batch[0].step, batch[0].rule):
            raw = apply_edits(raw, batch)
            batch = []
        batch.append(e)
    return apply_edits(raw, batch) if batch else raw
