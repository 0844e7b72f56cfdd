"""Generator: phrases between quotation marks (:func:`quoted_phrases`)."""
from __future__ import annotations

import re

from ...text import count_cjk
from .match import Match
from .settings import Settings, load_settings

__all__ = ["quoted_phrases"]


def quoted_phrases(text: str, *, titles: bool = False, settings: Settings | None = None) -> list[Match]:
    """Phrases between quotation marks (“…”, 「…」, 『…』, ‘…’, "…").

    A quotation is a candidate when it holds at least ``quoted_min_cjk`` Chinese
    characters, at most ``quoted_max_chars`` characters, no sentence punctuation
    (。！？；: that is reported speech) and at most ``quoted_max_separators``
    commas or enumeration commas. Titles in 《》 are skipped, or returned as kind
    ``"title"`` with ``titles=True``. (:func:`find_slogans` also files a quotation
    shaped as a numbered formulation, “两节”, “三非”, under ``numbered``.)
    """
    s = settings or load_settings()
    pairs = [("quoted", tuple(p)) for p in s.quotes]
    if titles:
        pairs += [("title", tuple(p)) for p in s.title_quotes]
    out = []
    for kind, (open_, close) in pairs:
        excl = re.escape(open_ + close)
        rx = re.compile(re.escape(open_) + f"([^\\n{excl}]{{1,200}})" + re.escape(close))
        for m in rx.finditer(text):
            body = m.group(1)
            if kind == "quoted":
                if count_cjk(body) < s.quoted_min_cjk or len(body) > s.quoted_max_chars:
                    continue
                if re.search(r"[。！？!?；;]", body) or len(re.findall("[、，,]", body)) > s.quoted_max_separators:
                    continue
                if body.strip() != body:
                    continue
            elif count_cjk(body) < 2:
                continue
            out.append(Match(m.start(1), m.end(1), body, kind, regularity=0.5))
    return sorted(out, key=lambda m: (m.start, m.end))
