"""Scanning less text: the same matches as ``re.finditer``, found faster, from a pattern's parse tree.

Cleaning runs about twenty regular-expression rules over every document, twice
(the second pass checks that nothing changes). Most rules find nothing in most
documents, yet a regex scan visits every position of the text. Two facts read
off a pattern's parse tree, for any pattern (derived, never written down), make
most scans cheap or unnecessary, with the very same matches:

* **Literals every match needs.** A match of ``当前位置[:：]`` needs "当前位置"
  somewhere in the text, and ``str.__contains__`` finds (or misses) a literal
  far faster than the regex engine scans: when one is missing, the rule is not
  scanned for at all (:func:`cannot_match`).
* **Matches only at line starts.** A pattern that begins with ``^`` is tried,
  and fails, at every position of the text; the same pattern behind a ``\n``
  has a literal prefix, which the regex engine skips to in C, so it is tried at
  line starts only (:func:`finditer`). Likewise a pattern that begins with a
  repeat ``c{m,n}`` is scanned for as ``c c{m-1,n-1}``, which begins with a
  character the engine can skip to.

The parse tree comes from CPython's *private* regex parser and compiler
(``re._parser``, ``re._compiler``, ``re._constants``; Python 3.11 and later),
which may change in any release. So the optimiser never decides anything on
its own:

* the analysis is conservative: a construct it does not understand adds no
  literal and no anchor, so a pattern it cannot read is simply scanned as before;
* an exception anywhere in reading a pattern gives it no facts (plain ``finditer``);
* if the private modules are missing, or if on first use the optimiser finds
  anything other than what ``finditer`` finds on a set of patterns of every shape
  it treats specially (:func:`parser_works`), it is switched off for the
  process and every scan is ``pattern.finditer(text)``.

Either way the matches are the same; only the time differs.

Public: :func:`finditer`, :func:`cannot_match`, :func:`lookups`,
:func:`forget_lookups`, :func:`pattern_facts`, :class:`PatternFacts` and
:func:`parser_works`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, NamedTuple

__all__ = ["PatternFacts", "pattern_facts", "parser_works", "finditer", "cannot_match", "lookups", "forget_lookups"]

try:  # the regex parser and compiler of the standard library (private modules)
    from re import _compiler as _sre_compile, _constants as _sre, _parser as _sre_parse

    _REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
    _LINE_START_ATS = (_sre.AT_BEGINNING, _sre.AT_BEGINNING_LINE, _sre.AT_BEGINNING_STRING)  # ^ (any flags), \A
except (ImportError, AttributeError):  # pragma: no cover - a Python whose re is built otherwise: scan as before
    _sre_parse = None  # (and pattern_facts gives no facts: every scan is plain finditer)

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
    trying them at line starts (:func:`finditer`) costs less than looking for their
    literals in the whole text: :func:`pattern_facts` gives them none to look for.
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


class PatternFacts(NamedTuple):
    """What the parse tree of one pattern tells (see :func:`pattern_facts`); empty: scan as ``finditer`` does."""

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
def pattern_facts(pattern: re.Pattern) -> PatternFacts:
    """What :func:`cannot_match` and :func:`finditer` need to know about ``pattern`` (see the module's docstring).

    No literals for a case-insensitive pattern; nothing (plain ``finditer``) for
    a bytes pattern, when the parse tree cannot be read, or when the private
    parser does not work as this module expects (:func:`parser_works`).
    """
    if not isinstance(pattern.pattern, str) or not parser_works():
        return PatternFacts()
    try:
        return _read_facts(pattern)
    except Exception:  # an unexpected parse tree: scan as before
        return PatternFacts()


def _read_facts(pattern: re.Pattern) -> PatternFacts:
    """The facts of ``pattern``, read off its parse tree (may raise on a parser this module does not know)."""
    flags = pattern.flags & ~re.DEBUG  # (compiling again must not print the pattern again)
    tree = _sre_parse.parse(pattern.pattern, flags)
    starts_lines = _starts_lines(tree.data)
    literals: tuple[tuple[str, ...], ...] = ()
    if not tree.state.flags & _sre.SRE_FLAG_IGNORECASE and (not starts_lines or _runs_along_lines(tree.data)):
        literals = _literal_conditions(tree.data)
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
    return PatternFacts(literals, after_newline, unrolled)


def _literal_conditions(items) -> tuple[tuple[str, ...], ...]:
    """The literal conditions of a parse tree, each once and without redundant strings, cheapest first."""
    try:
        conditions: dict[frozenset[str], tuple[str, ...]] = {}
        for condition in _seq_literals(items):
            conditions.setdefault(frozenset(condition), _simplest(condition))
    except Exception:
        return ()
    # cheap conditions (few strings to look for) first: a missing one ends the check
    return tuple(sorted(conditions.values(), key=len))


# Patterns of every shape the fast scans treat specially (anchored at line starts, empty
# matches, leading repeats, look-arounds, groups and back-references, case-insensitive,
# possessive and atomic), some they leave alone, and texts where they match and miss.
_CHECK_PATTERNS = (
    r"^[ \t]*(?:当前位置|您的位置)[ \t]*[:：][^\n]*$", r"^[^\n]*(?:版权所有|Copyright)[^\n]*$",
    r"[|｜]+[ \t]*$|^[ \t]*[|｜]+[ \t]*", r"^", r"^$", r"^(?:|a)", r"^a*", r"\Aab", r"(?m:^b)|^a",
    r"^(a)\1", r"(^ab|^\n)", r"^(?>a+)b", r"^a++", r"^(?<=\n)a", r"(?i)^AB", r"^(?i:a)b", r"a+", r"[ab]{2,3}?b",
    r"\n\n+", r"a{2}b", r"x|ab", r"(?<=a)b", r"(?=ab)a", r"(?!a)b", r"ab$", r"[^a]b", r"\d+年", r"(?x) ^ a  b",
)
_CHECK_TEXTS = ("", "\n", "ab", "aab\nab\n", "\nab\n\nAb\naab", "b\na\n\n\nb", "当前位置：首页\n正文|\n ｜版权所有 2024",
                "2022年\nab ab\n  |x|  \n", "Copyright\nxab")


@lru_cache(maxsize=1)
def parser_works() -> bool:
    """True when the private regex parser is there and the fast scans find exactly what ``finditer`` finds.

    Checked once per process, on first use, over patterns of every shape the
    scans treat specially. False switches the optimiser off: every scan is then
    ``pattern.finditer(text)`` and no rule is skipped.
    """
    if _sre_parse is None:
        return False
    try:
        for source in _CHECK_PATTERNS:
            pattern = re.compile(source, re.MULTILINE)
            facts = _read_facts(pattern)
            for text in _CHECK_TEXTS:
                want = [(m.span(), m.groups()) for m in pattern.finditer(text)]
                if want and _misses(facts, text, {}):
                    return False
                if [(m.span(), m.groups()) for m in _scan(pattern, facts, text)] != want:
                    return False
    except Exception:
        return False
    return True


def finditer(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """``pattern.finditer(text)``: the same matches, found faster.

    A pattern that begins with a repeat is scanned for in its unrolled form (see
    :func:`_unroll_first_repeat`), one whose matches all begin at line starts
    from line start to line start (see :func:`_line_start_matches`).
    """
    return _scan(pattern, pattern_facts(pattern), text)


def _scan(pattern: re.Pattern, facts: PatternFacts, text: str) -> Iterator[re.Match]:
    """:func:`finditer` with the facts of ``pattern`` given."""
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


def lookups(text: str) -> dict[str, bool]:
    """Which literals ``text`` is known to contain (``True``) or not (``False``), to add to."""
    global _last_lookups
    looked_up_in, found = _last_lookups
    if looked_up_in is not text:
        found = {}
        _last_lookups = (text, found)
    return found


def forget_lookups() -> None:
    """Drop the reference to the last text (a whole document) that :func:`lookups` holds."""
    global _last_lookups
    _last_lookups = ("", {})


def cannot_match(text: str, pattern: re.Pattern, found: dict[str, bool]) -> bool:
    """True when ``pattern`` has no match in ``text``: a literal every match needs is missing.

    ``found`` (from :func:`lookups`) remembers which literals ``text`` contains:
    rules share literals (a colon, a space), and steps share texts.
    """
    return _misses(pattern_facts(pattern), text, found)


def _misses(facts: PatternFacts, text: str, found: dict[str, bool]) -> bool:
    """True when ``text`` lacks a literal that every match needs (``found``: see :func:`cannot_match`)."""
    for strings in facts.literals:
        for s in strings:
            hit = found.get(s)
            if hit is None:
                hit = found[s] = s in text
            if hit:
                break
        else:
            return True
    return False
