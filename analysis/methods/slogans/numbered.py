"""Generator: numbered formulations (:func:`numbered_formulations`: 四个意识, 三区两通道)."""
from __future__ import annotations

import re

from ...text import CJK_CLASS, is_cjk
from .match import Match
from .settings import Settings, load_settings
from .words import cut, has_tag, window_bounds

__all__ = ["numbered_formulations", "numbered_shape"]

_CJK_ONLY_RE = re.compile(f"^[{CJK_CLASS}]+$")
#: The longest pair template N X M Y: a numeral and a slot of 1–2 characters, twice.
_PAIR_MAX_CHARS = 2 * (1 + 2)


def numbered_shape(body: str, s: Settings) -> bool:
    """True for a short quoted text shaped as a numbered formulation (四个意识, 两节, 三区两通道)."""
    if not (2 <= len(body) <= s.numbered_max_chars) or not all(is_cjk(c) for c in body):
        return False
    if _pair_ends(body, 0, s):
        return True
    i = 0
    while i < len(body) and body[i] in s.numerals:
        i += 1
    if i == 0 or i == len(body) or body[i] in s.list_markers or body[i] in s.number_context:
        return False
    return not any(body[i:].startswith(u) for u in s.quantity_units)


def _pair_ends(text: str, p: int, s: Settings) -> list[int]:
    """Possible ends of a pair template N X M Y at ``p`` (三区两通道, 四不两直, 五位一体, 一人一策).

    X and Y are 1–2 characters that are not numerals; shorter slots first. Nothing
    beyond ``p + _PAIR_MAX_CHARS`` is read.
    """
    nums = s.pair_numerals
    if p >= len(text) or text[p] not in nums or (p + 1 < len(text) and text[p + 1] in nums):
        return []
    ends = []
    for k in (1, 2):
        r = p + 1 + k
        x = text[p + 1 : r]
        if len(x) < k or not all(is_cjk(c) and c not in nums and c not in s.number_context for c in x):
            continue
        if r < len(text) and text[r] in nums and not (r + 1 < len(text) and text[r + 1] in nums):
            for m in (1, 2):
                y = text[r + 1 : r + 1 + m]
                if len(y) == m and all(is_cjk(c) and c not in nums and c not in s.number_context for c in y):
                    ends.append(r + 1 + m)
    return ends


def numbered_formulations(text: str, *, settings: Settings | None = None) -> list[Match]:
    """Numbered formulations: a numeral and the word it counts (四个意识, 两个维护, 十四五, 三区两通道).

    Rules (settings in ``data/slogans.yaml``):

    * the numeral is a run of ``numerals`` (or of one or two digits) that starts a jieba
      word and is not part of a larger number or an ordinal (第一, 二百, 十余), nor the start
      of a name (三亚, 九江: jieba proper nouns);
    * a *pair template* N X M Y (三区两通道, 四不两直, 五位一体, 一人一策) is a candidate
      when it ends on a word boundary; otherwise a lone 一 (the indefinite article)
      is not a numbered formulation;
    * the numeral must not be followed by a measure word of time, date or quantity
      (``quantity_units``: 2月4日, 一名, 24小时, 两轮) or by a list marker (一是, 二要);
    * the formulation ends at the first word boundary that gives it at least
      ``numbered_min_chars`` characters and does not fall on a numeral (三区两 → 三区两通道),
      it has at most ``numbered_max_chars`` and holds no function word at its head.
    """
    s = settings or load_settings()
    nums = s.pair_numerals
    context = s.number_context
    units = tuple(s.quantity_units)
    out = []
    last_end = -1
    run_rx = re.compile(f"[{CJK_CLASS}0-9]*")
    for mnum in re.finditer(f"[{nums}0-9百千万亿〇零]+", text):
        i, j = mnum.start(), mnum.end()
        if i < last_end:
            continue
        numeral = mnum.group(0)
        prev = text[i - 1] if i else ""
        if (prev and (prev in context or (prev.isascii() and prev.isalnum())))\
                or any(c in "百千万亿〇零" for c in numeral) or (numeral.isdigit() and len(numeral) > 2):
            continue  # part of a number, a large number, or a year (2023中国)
        # end of the run of Chinese characters and digits, looked for no further than a
        # formulation can reach (the run may be as long as the document: 一一一…)
        limit = min(len(text), i + max(s.numbered_max_chars, _PAIR_MAX_CHARS))
        n = run_rx.match(text, j, limit).end() if j < limit else j
        end, pair = None, False
        if j == i + 1:
            for e in [i + x for x in _pair_ends(text[i:n], 0, s)]:
                if e - i <= s.numbered_max_chars and {i, e} <= window_bounds(text, i, e):
                    end, pair = e, True
                    break
        if end is None and j < n:
            ok = (
                (numeral.isdigit() or all(c in s.numerals for c in numeral))
                and is_cjk(text[j])
                and text[j] not in s.list_markers
                and text[j] not in context
                and not text.startswith(units, j)
            )
            if ok:
                hi = min(n, i + s.numbered_max_chars)
                bounds = window_bounds(text, i, hi)
                if i in bounds:
                    for e in sorted(b for b in bounds if j < b <= hi):
                        if not _CJK_ONLY_RE.match(text[j:e]):
                            break  # the head is Chinese (两个15% is not 两个1)
                        if e - i < s.numbered_min_chars or text[e - 1] in nums:
                            continue
                        end = e
                        break
        if end is None or not (s.numbered_min_chars <= end - i <= s.numbered_max_chars):
            continue
        if numeral.isdigit() and end - j < 2:
            continue  # 10个: a count, not a formulation
        head = text[i + 1 : end] if pair else text[j:end]
        toks = cut(head)
        if has_tag(toks[0], s.function_tags) or has_tag(toks[-1], s.function_tags):
            continue
        first = cut(text[i:end])[0]
        if not pair and len(first) > len(numeral) and has_tag(first, s.proper_tags):
            continue  # a name that begins with a numeral: 三亚, 六安, 九江
        out.append(Match(i, end, text[i:end], "numbered", regularity=1.0 if pair else 0.5))
        last_end = end
    return out
